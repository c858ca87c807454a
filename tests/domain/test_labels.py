from __future__ import annotations

from kiosk.domain import errors as e
from kiosk.domain.labels import (
    CANCELLED,
    EXPIRED,
    FAILURE_LABELS,
    OWN_CODES,
    failure_label,
    gateway_words,
)


def test_a_code_we_know_is_named_in_our_words_in_both_languages() -> None:
    for code, text in FAILURE_LABELS.items():
        assert failure_label(code) == text
        assert text.en and text.th and text.en != text.th
    assert failure_label(None) is None and failure_label("") is None


def test_an_unknown_gateway_code_is_named_as_the_gateways_and_shown_as_data() -> None:
    label = failure_label("risk_blocked_7")
    assert label is not None
    assert "risk_blocked_7" in label.en and "risk_blocked_7" in label.th
    assert "ระบบชำระเงิน" in label.th


def test_qr_check_codes_and_gateway_expiry_or_cancel_codes_get_our_words() -> None:
    assert failure_label("qr_payee_mismatch") == e.QrRejected.default_text
    assert failure_label("charge_expired_at_bank") == EXPIRED
    assert failure_label("cancelled_by_merchant") == CANCELLED


def test_the_gateways_own_message_is_shown_only_when_it_says_more_than_our_label() -> None:
    assert gateway_words("risk_blocked_7", "Card issuer said no") == "Card issuer said no"
    assert gateway_words("declined", "Insufficient funds") == "Insufficient funds"
    # Our own codes carry our English, not the gateway's words.
    for own in OWN_CODES:
        assert gateway_words(own, "anything") is None
    assert gateway_words("qr_amount_mismatch", "anything") is None
    # A message that is one of our labels adds nothing.
    assert gateway_words("declined", FAILURE_LABELS["declined"].en) is None
    assert gateway_words("declined", None) is None and gateway_words(None, "") is None
