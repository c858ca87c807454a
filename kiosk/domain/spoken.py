"""An amount as spoken words, as names of short recorded clips ("ได้รับเงิน 300 บาท").

The customer display says the payment aloud by joining clips of single
words (resources/sounds/speech/<name>.wav, made once by
scripts/make_speech_clips.py). This module only chooses the words: Thai
counts in place values (สิบ ร้อย พัน หมื่น แสน ล้าน) with the spoken
exceptions (สิบ not หนึ่งสิบ, ยี่สิบ, เอ็ด after a higher digit); English
in the usual short scale.
"""

from __future__ import annotations

from kiosk.domain.money import Money

# Clip name -> the text the clip says (the generator reads this table).
THAI_WORDS: dict[str, str] = {
    "th_received": "ได้รับเงิน",
    "th_baht": "บาท",
    "th_satang": "สตางค์",
    "th_0": "ศูนย์",
    "th_1": "หนึ่ง",
    "th_2": "สอง",
    "th_3": "สาม",
    "th_4": "สี่",
    "th_5": "ห้า",
    "th_6": "หก",
    "th_7": "เจ็ด",
    "th_8": "แปด",
    "th_9": "เก้า",
    "th_et": "เอ็ด",
    "th_yi": "ยี่",
    "th_10": "สิบ",
    "th_100": "ร้อย",
    "th_1000": "พัน",
    "th_10000": "หมื่น",
    "th_100000": "แสน",
    "th_million": "ล้าน",
}
_ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
ENGLISH_WORDS: dict[str, str] = {
    "en_received": "Payment received,",
    "en_baht": "baht",
    "en_satang": "satang",
    "en_and": "and",
    "en_hundred": "hundred",
    "en_thousand": "thousand",
    "en_million": "million",
    **{f"en_{n}": word for n, word in enumerate(_ONES)},
    **{f"en_{(i + 2) * 10}": word for i, word in enumerate(_TENS)},
}
WORDS: dict[str, str] = {**THAI_WORDS, **ENGLISH_WORDS}

_PLACES = ("", "th_10", "th_100", "th_1000", "th_10000", "th_100000")


def thai_number(n: int) -> list[str]:
    """Clip names for a whole number ``n`` >= 0 in Thai."""
    if n < 0:
        raise ValueError("a spoken amount is never negative")
    if n == 0:
        return ["th_0"]
    millions, rest = divmod(n, 1_000_000)
    words: list[str] = []
    if millions:
        words += [*thai_number(millions), "th_million"]
    digits = [int(d) for d in str(rest)] if rest else []
    for index, digit in enumerate(digits):
        place = len(digits) - 1 - index
        if digit == 0:
            continue
        if place == 1:  # tens: สิบ, ยี่สิบ, สามสิบ ...
            words += ([] if digit == 1 else ["th_yi" if digit == 2 else f"th_{digit}"]) + ["th_10"]
        elif place == 0 and digit == 1 and (rest > 1 or millions):
            words.append("th_et")  # 11 สิบเอ็ด, 101 หนึ่งร้อยเอ็ด, 1000001 หนึ่งล้านเอ็ด
        else:
            words.append(f"th_{digit}")
            if place:
                words.append(_PLACES[place])
    return words


def english_number(n: int) -> list[str]:
    """Clip names for a whole number ``n`` >= 0 in English ("three hundred and five")."""
    if n < 0:
        raise ValueError("a spoken amount is never negative")
    if n < 20:
        return [f"en_{n}"]
    if n < 100:
        tens, ones = divmod(n, 10)
        return [f"en_{tens * 10}"] + ([f"en_{ones}"] if ones else [])
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return [f"en_{hundreds}", "en_hundred"] + (
            ["en_and", *english_number(rest)] if rest else []
        )
    for size, name in ((1_000_000, "en_million"), (1000, "en_thousand")):
        if n >= size:
            high, rest = divmod(n, size)
            tail = [] if not rest else (["en_and"] if rest < 100 else []) + english_number(rest)
            return [*english_number(high), name, *tail]
    raise AssertionError("unreachable")  # pragma: no cover


def payment_received(amount: Money, language: str) -> list[str]:
    """The clips of "ได้รับเงิน 300 บาท" / "Payment received, 300 baht" (satang when any)."""
    baht, satang = divmod(abs(amount.satang), 100)
    if language == "th":
        words = ["th_received", *thai_number(baht), "th_baht"]
        return words + ([*thai_number(satang), "th_satang"] if satang else [])
    words = ["en_received", *english_number(baht), "en_baht"]
    return words + (["en_and", *english_number(satang), "en_satang"] if satang else [])


__all__ = [
    "ENGLISH_WORDS",
    "THAI_WORDS",
    "WORDS",
    "english_number",
    "payment_received",
    "thai_number",
]
