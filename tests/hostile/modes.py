"""One mode per attack of issue 12: which answer the hostile gateway changes, and how.

A mode replaces one answer (create, QR, status or Cognito) and leaves every
other answer honest, with correct CRCs and matching amounts, so the attack is
the only thing wrong. ``MODES`` maps each name to its :class:`Mode`; the
number is the attack's number in the issue.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable

from kiosk.domain.money import Money
from tests.hostile import qr
from tests.hostile.server import HONEST, Call, Hook, Mode, Reply, json_reply

RICH_TYPE = "<h1 style='color:green'>PAID ✓</h1>"
CONTROL_CHARS = ("\x1b", "\x00", "\u202e")  # escape, NUL, right-to-left override
CONTROLS = "\x1b[2J\x00\u202e"  # clear the screen, end the string, read backwards
DEPTH = 10_000


def exponent_text(amount: Money) -> str:
    """``300.00`` as ``3E+2``: the same number, in a form no gateway should send."""
    return format(amount.to_decimal().normalize(), "E")


def plus_text(amount: Money) -> str:
    """``300.00`` as ``+300``."""
    return "+" + format(amount.to_decimal().normalize(), "f")


# --- attack 1: QR swap through ambiguity ---------------------------------------


def _qr_text(text_of: Callable[[Money], str]) -> Hook:
    def hook(call: Call) -> Reply | None:
        if call.order is None or call.answer is None:
            return None
        return json_reply({**call.answer, "paint_text": text_of(call.order.amount)})

    return hook


def _create_field(key: str, value_of: Callable[[Call], object]) -> Hook:
    def hook(call: Call) -> Reply | None:
        if call.answer is None:
            return None
        return json_reply({**call.answer, key: value_of(call)})

    return hook


# --- attack 2: a "paid" that is not this sale's --------------------------------


def _paid(call: Call, **changes: object) -> Reply | None:
    if call.answer is None:
        return None
    answer = {**call.answer, "status": "success", "transaction_state": "Authorized"}
    answer.update(changes)
    return json_reply(answer)


def _paid_wrong_amount(call: Call) -> Reply | None:
    return _paid(call, amount=1.0)


def _paid_other_order(call: Call) -> Reply | None:
    other = "order_test_" + uuid.uuid5(uuid.NAMESPACE_URL, call.orderid or "").hex
    return _paid(
        call,
        id="chrg_test_" + other[-24:],
        order_id=other,
        metadata={"orderid": "S001-T01-20000101-0999"},
    )


def _paid_unknown_order(call: Call) -> Reply | None:
    if call.order is not None:
        return None  # orders it did create are answered honestly
    forged = "order_test_" + uuid.uuid4().hex
    return json_reply(
        {
            "id": "chrg_test_" + forged[-24:],
            "object": "qr",
            "order_id": forged,
            "amount": 300.0,
            "currency": "THB",
            "status": "success",
            "transaction_state": "Authorized",
            "reference_order": "00000000000000000001",
            "livemode": False,
            "failure_code": None,
            "failure_message": None,
        }
    )


# --- attack 3: answers that crash a checkout ----------------------------------


def _deep_json(call: Call) -> Reply | None:
    if call.answer is None:
        return None
    honest = json.dumps(call.answer)
    nested = "[" * DEPTH + "]" * DEPTH
    return Reply(200, (honest[:-1] + ', "additional_data": ' + nested + "}").encode())


# --- attack 4: a sign-in that never ends --------------------------------------


def _trickle(call: Call) -> Reply | None:
    honest = call.honest
    return Reply(honest.status, honest.body, honest.content_type, trickle_s=2.0)


# --- attack 5: text from outside ------------------------------------------------


def _cognito_richtext(call: Call) -> Reply | None:
    return json_reply({"__type": RICH_TYPE, "message": "<b>Sign-in refused</b>"}, 400)


def _cognito_echo_password(call: Call) -> Reply | None:
    params = call.auth_parameters()
    user, password = params.get("USERNAME", ""), params.get("PASSWORD", "")
    hashed = params.get("SECRET_HASH", "")
    return json_reply(
        {
            "__type": f"UserLambdaValidationException#PreAuthentication refused {user}:{password}"
            f" ({hashed})",
            "message": f"PreAuthentication failed with error password {password} is too old.",
        },
        400,
    )


def _token_echo_error(call: Call) -> Reply | None:
    token = call.authorization
    return json_reply(
        {"error": {"code": f"invalid_token:{token}", "message": f"Token {token} is not valid."}},
        400,
    )


def _token_echo_detail(call: Call) -> Reply | None:
    token = call.authorization
    envelope = {
        "error": f"Request refused for {token}",
        "code": "bad_request",
        "details": {"authorization": token},
    }
    return json_reply({"statusCode": 400, "body": envelope}, 400)


def _token_echo_decline(call: Call) -> Reply | None:
    if call.answer is None:
        return None
    return json_reply(
        {
            **call.answer,
            "status": "fail",
            "transaction_state": "Declined",
            "failure_code": "declined",
            "failure_message": f"Declined: token {call.authorization} may not pay this merchant.",
        }
    )


def _control_ids(call: Call) -> Reply | None:
    if call.order is None or call.answer is None:
        return None
    order = call.order  # later (honest) answers name the same ids
    order.gateway_order_id = "order_test_" + CONTROLS + "FAKE"
    order.reference_order = "0000" + CONTROLS + "0001"
    order.charge_id = "chrg_test_" + CONTROLS + "FAKE"
    return json_reply(
        {**call.answer, "id": order.gateway_order_id, "reference_order": order.reference_order}
    )


def _control_charge_id(call: Call) -> Reply | None:
    if call.answer is None or call.answer.get("transaction_state") != "Authorized":
        return None
    return json_reply({**call.answer, "id": "chrg_test_" + CONTROLS + "FAKE"})


def _modes() -> dict[str, Mode]:
    listed = [
        HONEST,
        Mode(
            "qr-two-tag54",
            1,
            "the QR carries tag 54 twice: the sale's amount, then 9999.00",
            qr=_qr_text(qr.two_amounts),
        ),
        Mode(
            "qr-payee-29-then-30",
            1,
            "someone else's PromptPay (tag 29) before the shop's biller id (tag 30)",
            qr=_qr_text(qr.other_payee_first),
        ),
        Mode(
            "qr-tag54-exponent",
            1,
            "tag 54 is 3E+2",
            qr=_qr_text(lambda amount: qr.amount_text(exponent_text(amount))),
        ),
        Mode(
            "qr-tag54-plus",
            1,
            "tag 54 is +300",
            qr=_qr_text(lambda amount: qr.amount_text(plus_text(amount))),
        ),
        Mode(
            "amount-exponent",
            1,
            'the create answer\'s amount is the string "3E+2"',
            create=_create_field(
                "amount", lambda call: exponent_text(call.order.amount) if call.order else None
            ),
        ),
        Mode(
            "paid-wrong-amount",
            2,
            "status: paid, amount 1.0",
            status=_paid_wrong_amount,
        ),
        Mode(
            "paid-other-order",
            2,
            "status: paid, naming another order",
            status=_paid_other_order,
        ),
        Mode(
            "paid-unknown-order",
            2,
            "status: paid for an order this gateway never created",
            status=_paid_unknown_order,
        ),
        Mode("deep-json", 3, f"the create answer nests {DEPTH} arrays", create=_deep_json),
        Mode(
            "huge-expiry",
            3,
            "expire_time_seconds is 10**12",
            create=_create_field("expire_time_seconds", lambda call: 10**12),
        ),
        Mode(
            "negative-expiry",
            3,
            "expire_time_seconds is -100",
            create=_create_field("expire_time_seconds", lambda call: -100),
        ),
        Mode(
            "long-qr",
            3,
            "a valid 3 500-character EMVCo QR (correct CRC, amount and payee)",
            qr=_qr_text(qr.long_payload),
        ),
        Mode("cognito-trickle", 4, "InitiateAuth answers one byte every 2 s", cognito=_trickle),
        Mode(
            "cognito-richtext-type",
            5,
            f"InitiateAuth fails with __type {RICH_TYPE}",
            cognito=_cognito_richtext,
        ),
        Mode(
            "cognito-echo-password",
            5,
            "InitiateAuth fails with the password (and SECRET_HASH) in __type and message",
            cognito=_cognito_echo_password,
        ),
        Mode(
            "token-echo-error",
            5,
            "create fails with the Authorization value in the error code and message",
            create=_token_echo_error,
        ),
        Mode(
            "token-echo-detail",
            5,
            "create fails with the Authorization value in the error and its details",
            create=_token_echo_detail,
        ),
        Mode(
            "token-echo-decline",
            5,
            "status: declined, failure_message holding the Authorization value",
            status=_token_echo_decline,
        ),
        Mode(
            "control-ids",
            5,
            "order id, reference and charge id carry ESC[2J, NUL and U+202E",
            create=_control_ids,
        ),
        Mode(
            "control-charge-id",
            5,
            "the paid status answer's charge id carries ESC[2J, NUL and U+202E",
            status=_control_charge_id,
        ),
    ]
    return {mode.name: mode for mode in listed}


MODES: dict[str, Mode] = _modes()

__all__ = ["CONTROLS", "CONTROL_CHARS", "DEPTH", "MODES", "RICH_TYPE", "exponent_text", "plus_text"]
