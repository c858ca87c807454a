"""Is this Thai-mode text free of English? The walk test's word check, shared.

A word is English unless it is on the allow-list below (each entry with its
reason), or not a word at all: ids, numbers, amounts, times, file names,
URLs, commands in `backticks`, environment names in CAPITALS_WITH_UNDERSCORES.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Latin words a Thai screen may show. Each with its reason:
ALLOWED = {
    # money, payment schemes and brands, as printed on Thai QR stickers and bank apps
    "THB",
    "QR",
    "PromptPay",
    "WeChat",
    "Pay",
    "Villa",
    "Cognito",
    "KBank",
    "AWS",
    # "PIN" is the Thai word for it too (รหัส PIN), as in Thai banking apps
    "PIN",
    # the HTTP authorisation scheme's name, sent as written ("Bearer <token>")
    "Bearer",
    # a certificate authority: "ใบรับรอง CA" is how Thai IT writes it
    "CA",
    # key names on the keyboard, as printed on the keys
    "Esc",
    "Enter",
    "Backspace",
    "Tab",
    "Del",
    "Delete",
    "Ctrl",
    "Shift",
    "Alt",
    # technical names an installer types or reads on the machine, not translated
    "API",
    "HTTP",
    "HTTPS",
    "TLS",
    "DNS",
    "CSV",
    "PDF",
    "URL",
    "USB",
    "TCP",
    "ESC",
    "POS",
    "Z",  # the Z report: its name on Thai tills too
    "SANDBOX",  # the sandbox banner: an unmistakable marker, the same in both languages
    "English",  # the language button names the other language in its own words
}
# Not words: ids, numbers, amounts, paths, URLs, versions, commands in `backticks`,
# environment names in CAPITALS_WITH_UNDERSCORES. A lower-case code such as
# not_found is English words, and so is a word before a full stop.
_NOT_WORDS = re.compile(
    r"`[^`]*`"  # a command to type
    r"|\b\w+://\S+"  # a URL
    r"|\S*\d\S*"  # anything with a digit in it: ids, amounts, times, versions
    r"|\S*\w[./\\@]\w\S*"  # a file name, a path, an address
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9<>]+)+\b"  # KIOSK_SECRET_MANAGER_PIN_HASH
)
_WORD = re.compile(r"[A-Za-z]+")


# Names of products, kept whole as their makers write them (in Thai texts too).
PRODUCTS = (
    "Villa Payment API",
    "WeChat Pay",
    "Noto Sans Thai",
    "Noto Sans",
    # The wizard's first step asks in both languages before one is chosen.
    "Choose a language",
)


def english_words(text: str, outside: Iterable[str] = ()) -> list[str]:
    """The Latin words of ``text`` that are English left in a Thai screen.

    ``outside``: texts from outside shown as they came on purpose (the bank's raw
    answer), taken out before the check.
    """
    text = text.replace("\u00a0", " ").replace("\u2060", "")
    for data in (*outside, *PRODUCTS):
        text = text.replace(data, " ")
    rest = _NOT_WORDS.sub(" ", text)
    return [w for w in _WORD.findall(rest) if w not in ALLOWED and len(w) > 1]
