"""The bilingual messages for Cognito's sign-in errors and challenges (gateways.md §1).

:data:`BY_TYPE` maps a Cognito error type to our exception class and the
message a person sees; :data:`DISABLED`, :data:`ATTEMPTS` and
:data:`SECRET_HASH` tell the cases of ``NotAuthorizedException`` apart, and
:func:`challenge_error` is the error for a challenge an unattended kiosk
cannot answer. Used by :mod:`kiosk.gateways.cognito`.
"""

from __future__ import annotations

from kiosk.domain.errors import AuthError, GatewayError, GatewayUnavailable, Text
from kiosk.infra.logs import outside_text

MAX_CHALLENGE_CHARS = 128

_CREDENTIALS = Text(
    "Cognito refused the user name or password. Check gateway.cognito.username and store "
    "the right password with `kiosk secrets set COGNITO_PASSWORD`.",
    "Cognito ไม่ยอมรับชื่อผู้ใช้หรือรหัสผ่าน กรุณาตรวจสอบ gateway.cognito.username "
    "และบันทึกรหัสผ่านที่ถูกต้องด้วย `kiosk secrets set COGNITO_PASSWORD`",
)
DISABLED = Text(
    "The kiosk's Cognito user is disabled. An administrator of the user pool must enable it.",
    "ผู้ใช้ Cognito ของเครื่องนี้ถูกปิดใช้งาน ผู้ดูแล user pool ต้องเปิดใช้งานก่อน",
)
ATTEMPTS = Text(
    "Too many wrong passwords: Cognito has blocked this user for a while. Check the password "
    "(`kiosk secrets set COGNITO_PASSWORD`) and try again later.",
    "ใส่รหัสผ่านผิดหลายครั้งเกินไป Cognito ระงับผู้ใช้นี้ชั่วคราว "
    "กรุณาตรวจสอบรหัสผ่าน (`kiosk secrets set COGNITO_PASSWORD`) แล้วลองใหม่ภายหลัง",
)
SECRET_HASH = Text(
    "Cognito did not accept the app client secret. Store the right one with "
    "`kiosk secrets set COGNITO_CLIENT_SECRET` (or delete it if the app client has no secret).",
    "Cognito ไม่ยอมรับรหัสลับของแอปไคลเอนต์ กรุณาบันทึกค่าที่ถูกต้องด้วย "
    "`kiosk secrets set COGNITO_CLIENT_SECRET` (หรือลบออกถ้าแอปไคลเอนต์ไม่มีรหัสลับ)",
)
_THROTTLED = Text(
    "Cognito is limiting sign-ins right now (too many requests). The kiosk will try again shortly.",
    "Cognito จำกัดการเข้าสู่ระบบชั่วคราว (คำขอมากเกินไป) เครื่องจะลองใหม่ในอีกสักครู่",
)
_COGNITO_DOWN = Text(
    "The sign-in service (Cognito) had an internal error. Try again in a moment.",
    "บริการเข้าสู่ระบบ (Cognito) ขัดข้องภายใน กรุณาลองใหม่ในอีกสักครู่",
)
_LAMBDA = Text(
    "A custom check (Lambda trigger) of the Cognito user pool refused or failed the sign-in. "
    "Ask the user pool administrator.",
    "การตรวจสอบเพิ่มเติม (Lambda trigger) ของ Cognito user pool ปฏิเสธหรือทำงานผิดพลาด "
    "กรุณาติดต่อผู้ดูแล user pool",
)
_DELIVERY = Text(
    "The Cognito user pool tried to send a verification code (SMS or e-mail) and could not. "
    "A kiosk user must not need one: ask the user pool administrator.",
    "Cognito user pool พยายามส่งรหัสยืนยัน (SMS หรืออีเมล) แต่ส่งไม่ได้ "
    "ผู้ใช้ของเครื่องคิออสก์ไม่ควรต้องใช้รหัสนี้ กรุณาติดต่อผู้ดูแล user pool",
)
_FLOWS = Text(
    "Cognito refused the sign-in method. The app client must allow USER_PASSWORD_AUTH and "
    "REFRESH_TOKEN_AUTH: ask the user pool administrator.",
    "Cognito ไม่ยอมรับวิธีเข้าสู่ระบบนี้ แอปไคลเอนต์ต้องอนุญาต USER_PASSWORD_AUTH และ "
    "REFRESH_TOKEN_AUTH กรุณาติดต่อผู้ดูแล user pool",
)
_ENDPOINT = Text(
    "Cognito refused the request. Check gateway.cognito.endpoint_url and gateway.cognito.region.",
    "Cognito ปฏิเสธคำขอ กรุณาตรวจสอบ gateway.cognito.endpoint_url และ gateway.cognito.region",
)

BY_TYPE: dict[str, tuple[type[GatewayError], Text]] = {
    "NotAuthorizedException": (AuthError, _CREDENTIALS),
    "UserNotFoundException": (
        AuthError,
        Text(
            "Cognito has no user with the name in gateway.cognito.username. Check the name "
            "(it is case-sensitive) and that the app client belongs to the right user pool.",
            "Cognito ไม่พบผู้ใช้ตามชื่อใน gateway.cognito.username กรุณาตรวจสอบชื่อ "
            "(ตัวพิมพ์เล็กใหญ่มีผล) และว่าแอปไคลเอนต์อยู่ใน user pool ที่ถูกต้อง",
        ),
    ),
    "UserNotConfirmedException": (
        AuthError,
        Text(
            "The kiosk's Cognito user is not confirmed yet. An administrator must confirm it "
            "before the kiosk can sign in.",
            "ผู้ใช้ Cognito ของเครื่องนี้ยังไม่ได้รับการยืนยัน ผู้ดูแลต้องยืนยันก่อนจึงจะเข้าสู่ระบบได้",
        ),
    ),
    "PasswordResetRequiredException": (
        AuthError,
        Text(
            "Cognito requires a new password for the kiosk's user. Reset it, then store it with "
            "`kiosk secrets set COGNITO_PASSWORD`.",
            "Cognito ต้องการให้ตั้งรหัสผ่านใหม่สำหรับผู้ใช้ของเครื่องนี้ กรุณารีเซ็ตแล้วบันทึกด้วย "
            "`kiosk secrets set COGNITO_PASSWORD`",
        ),
    ),
    "ResourceNotFoundException": (
        AuthError,
        Text(
            "Cognito does not know the app client in gateway.cognito.client_id (or it is in "
            "another region than gateway.cognito.region). Check both settings.",
            "Cognito ไม่รู้จักแอปไคลเอนต์ใน gateway.cognito.client_id (หรืออยู่คนละภูมิภาคกับ "
            "gateway.cognito.region) กรุณาตรวจสอบทั้งสองค่า",
        ),
    ),
    "InvalidParameterException": (AuthError, _FLOWS),
    "UnsupportedOperationException": (AuthError, _FLOWS),
    "InvalidUserPoolConfigurationException": (
        AuthError,
        Text(
            "The Cognito user pool is not set up for this kind of sign-in. Ask the user pool "
            "administrator.",
            "Cognito user pool ไม่ได้ตั้งค่าให้เข้าสู่ระบบแบบนี้ กรุณาติดต่อผู้ดูแล user pool",
        ),
    ),
    "UserLambdaValidationException": (AuthError, _LAMBDA),
    "UnexpectedLambdaException": (AuthError, _LAMBDA),
    "InvalidLambdaResponseException": (AuthError, _LAMBDA),
    "InvalidSmsRoleAccessPolicyException": (AuthError, _DELIVERY),
    "InvalidSmsRoleTrustRelationshipException": (AuthError, _DELIVERY),
    "InvalidEmailRoleAccessPolicyException": (AuthError, _DELIVERY),
    "CodeDeliveryFailureException": (AuthError, _DELIVERY),
    "ForbiddenException": (
        AuthError,
        Text(
            "The request to Cognito was blocked by an access rule (AWS WAF). Ask the user pool "
            "administrator to allow this kiosk.",
            "คำขอไปยัง Cognito ถูกกฎการเข้าถึง (AWS WAF) ปิดกั้น กรุณาให้ผู้ดูแลอนุญาตเครื่องนี้",
        ),
    ),
    "AccessDeniedException": (AuthError, _ENDPOINT),
    "UnrecognizedClientException": (AuthError, _ENDPOINT),
    "InvalidClientTokenId": (AuthError, _ENDPOINT),
    "RequestExpired": (
        AuthError,
        Text(
            "Cognito says the request is too old: the computer's clock is wrong. Set the date "
            "and time (enable network time), then try again.",
            "Cognito แจ้งว่าคำขอเก่าเกินไป นาฬิกาของเครื่องไม่ถูกต้อง กรุณาตั้งวันเวลา "
            "(เปิดการตั้งเวลาอัตโนมัติ) แล้วลองใหม่",
        ),
    ),
    "TooManyRequestsException": (GatewayUnavailable, _THROTTLED),
    "LimitExceededException": (GatewayUnavailable, _THROTTLED),
    "ThrottlingException": (GatewayUnavailable, _THROTTLED),
    "InternalErrorException": (GatewayUnavailable, _COGNITO_DOWN),
    "InternalFailure": (GatewayUnavailable, _COGNITO_DOWN),
    "ServiceUnavailable": (GatewayUnavailable, _COGNITO_DOWN),
}

_NEW_PASSWORD = Text(
    "Cognito wants a new password for the kiosk's user (NEW_PASSWORD_REQUIRED), which a kiosk "
    "cannot give unattended. Set a permanent password for the user (in the Villa portal or by "
    "the user pool administrator), then store it with `kiosk secrets set COGNITO_PASSWORD`.",
    "Cognito ต้องการรหัสผ่านใหม่สำหรับผู้ใช้ของเครื่องนี้ (NEW_PASSWORD_REQUIRED) ซึ่งเครื่องคิออสก์ตอบเองไม่ได้ "
    "กรุณาตั้งรหัสผ่านถาวรให้ผู้ใช้ (ในพอร์ทัล Villa หรือให้ผู้ดูแล user pool ตั้ง) "
    "แล้วบันทึกด้วย `kiosk secrets set COGNITO_PASSWORD`",
)
_MFA = Text(
    "The kiosk's Cognito user needs a one-time code (multi-factor authentication), which a "
    "kiosk cannot give unattended. Use a kiosk user without MFA, or ask the user pool "
    "administrator to turn MFA off for it.",
    "ผู้ใช้ Cognito ของเครื่องนี้ต้องใช้รหัสครั้งเดียว (การยืนยันตัวตนหลายขั้นตอน) ซึ่งเครื่องคิออสก์ตอบเองไม่ได้ "
    "กรุณาใช้ผู้ใช้ที่ไม่มี MFA หรือให้ผู้ดูแล user pool ปิด MFA ให้ผู้ใช้นี้",
)


def challenge_error(name: str) -> AuthError:
    """The error for a sign-in challenge (NEW_PASSWORD_REQUIRED, MFA, …) a kiosk cannot answer.

    ``name`` came from Cognito: it is shown and journaled only as outside text.
    """
    name = outside_text(name, MAX_CHALLENGE_CHARS) or "?"
    if name == "NEW_PASSWORD_REQUIRED":
        text = _NEW_PASSWORD
    elif "MFA" in name or name in ("EMAIL_OTP", "SMS_OTP"):
        text = _MFA
    else:
        text = Text(
            f"Cognito asked for an extra sign-in step ({name}) that a kiosk cannot answer "
            "unattended. Ask the user pool administrator for a plain user-and-password sign-in.",
            f"Cognito ขอขั้นตอนเข้าสู่ระบบเพิ่มเติม ({name}) ที่เครื่องคิออสก์ตอบเองไม่ได้ "
            "กรุณาให้ผู้ดูแล user pool ตั้งค่าให้เข้าสู่ระบบด้วยชื่อผู้ใช้และรหัสผ่านอย่างเดียว",
        )
    return AuthError(f"Cognito challenge {name}", code=name, text=text)
