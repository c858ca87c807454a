"""The kiosk's one exception tree.

Every error a cashier may see carries a message in Thai and English written
for the counter; ``str(error)`` is the English message plus technical detail
for the log. Secrets never go into an exception (see kiosk.infra.logs scrubbing).

    KioskError
    ├── InputError                  bad input from a person; nothing changed
    │   ├── InvalidAmount
    │   └── SaleOpen                an earlier sale's outcome is not known yet
    ├── ConfigError                 a setting is wrong; names the key
    │   └── KeyringUnavailable      no OS keyring to keep secrets in; says what to do
    ├── IllegalTransition           the state machine refused a move (a bug)
    ├── StoreError                  the journal could not be read or written
    │   └── AlreadyRunning          another kiosk holds this data folder
    ├── QrRejected                  a QR failed the checks before display
    ├── UnexpectedError             a checkout broke in a way no handler expected
    ├── SaleFailed                  a checkout ended FAILED; wraps the cause
    ├── PrinterError                the receipt printer failed mid-job; the sale stands
    │   ├── NoPrinter               no printer is set up
    │   └── PrinterUnavailable      could not reach the printer; nothing was sent
    └── GatewayError                anything the payment backend did
        ├── GatewayUnavailable      network down, 5xx, 429: try again later
        │   ├── GatewayTimeout
        │   ├── GatewayTlsError     the secure connection failed (certificate, TLS)
        │   └── GatewayOffline      new sales refused until the gateway is back
        ├── AuthError               sign-in failed or token refused
        ├── GatewayRejected         the backend said no (4xx with a code)
        ├── BadGatewayResponse      an answer we cannot read
        └── UnsafeAnswer            amount/currency differs from the sale
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from kiosk.domain.exitcodes import ExitCode

if TYPE_CHECKING:
    from kiosk.domain.order import Order

_CODE = re.compile(r"[A-Za-z0-9._:-]{1,64}")


@dataclass(frozen=True)
class Text:
    """A user-facing message in both languages of the kiosk."""

    en: str
    th: str

    def get(self, language: str) -> str:
        return self.th if language == "th" else self.en


class KioskError(Exception):
    """Base of every error the kiosk raises on purpose.

    Each class names, as class attributes, the code journaled for a sale it
    ends (``reason_code``, see ``failure_code``) and the exit code a command
    ends with (``exit_code``, the table in ``kiosk.domain.exitcodes``).
    """

    default_text = Text(
        "Something went wrong. Please try again.",
        "เกิดข้อผิดพลาด กรุณาลองใหม่อีกครั้ง",
    )
    reason_code: ClassVar[str] = "error"
    exit_code: ClassVar[ExitCode] = ExitCode.FAILED

    def __init__(self, detail: str = "", *, text: Text | None = None) -> None:
        self.text = text or self.default_text
        self.detail = detail
        super().__init__(f"{self.text.en} ({detail})" if detail else self.text.en)

    def user_message(self, language: str = "en") -> str:
        return self.text.get(language)

    @property
    def failure_code(self) -> str:
        """The code journaled on an order this error ended."""
        return self.reason_code


class InputError(KioskError):
    reason_code: ClassVar[str] = "input"
    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    default_text = Text("That input is not valid.", "ข้อมูลที่ป้อนไม่ถูกต้อง")


class InvalidAmount(InputError):
    default_text = Text("Please enter a valid amount.", "กรุณาใส่จำนวนเงินที่ถูกต้อง")


class SaleOpen(InputError):
    """A new sale is refused while an earlier one's outcome is not known."""

    reason_code: ClassVar[str] = "sale_open"
    default_text = Text(
        "An earlier sale is still being checked. Wait a moment, then try again.",
        "กำลังตรวจสอบรายการขายก่อนหน้า กรุณารอสักครู่แล้วลองใหม่",
    )


class InvalidSaleRef(InputError):
    """A sale reference (the main till's bill number) that cannot be kept."""

    reason_code: ClassVar[str] = "sale_ref"
    default_text = Text(
        "The bill number is too long: at most 32 characters.",
        "เลขที่บิลยาวเกินไป ไม่เกิน 32 ตัวอักษร",
    )


class DocumentRefused(InputError):
    """A numbered document (slip, tax invoice) asked for an order that may not have one."""

    reason_code: ClassVar[str] = "document_refused"
    default_text = Text(
        "Only a paid sale gets a numbered slip or tax invoice.",
        "เฉพาะรายการที่ชำระเงินแล้วเท่านั้นที่ออกใบเสร็จหรือใบกำกับภาษีได้",
    )


class ConfigError(KioskError):
    reason_code: ClassVar[str] = "config"
    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    default_text = Text("The kiosk settings are not valid.", "การตั้งค่าเครื่องไม่ถูกต้อง")


class KeyringUnavailable(ConfigError):
    """The OS keyring cannot be reached (none installed, locked, refused)."""

    default_text = Text(
        "The kiosk cannot reach the system keyring where its passwords are kept.",
        "เครื่องไม่สามารถเข้าถึงพวงกุญแจของระบบที่เก็บรหัสผ่านได้",
    )


class IllegalTransition(KioskError):
    default_text = Text("The payment is already in another state.", "รายการนี้อยู่ในสถานะอื่นแล้ว")


class StoreError(KioskError):
    reason_code: ClassVar[str] = "journal"
    exit_code: ClassVar[ExitCode] = ExitCode.CANNOT_RECORD
    default_text = Text(
        "The sales journal could not be written. Call the manager.",
        "ไม่สามารถบันทึกรายการขายได้ กรุณาแจ้งผู้จัดการ",
    )


class AlreadyRunning(StoreError):
    """Another kiosk process holds the data folder's lock."""

    exit_code: ClassVar[ExitCode] = ExitCode.HELD
    default_text = Text(
        "The kiosk is already running on this computer. Close the other one first.",
        "โปรแกรมกำลังทำงานอยู่แล้วบนเครื่องนี้ กรุณาปิดอีกหน้าต่างก่อน",
    )


class QrRejected(KioskError):
    """The QR from the gateway failed a check; it must not be shown."""

    reason_code: ClassVar[str] = "qr"
    default_text = Text(
        "The payment QR code failed a safety check and was not shown.",
        "คิวอาร์โค้ดชำระเงินไม่ผ่านการตรวจสอบความปลอดภัย จึงไม่แสดง",
    )

    def __init__(self, reason: str, detail: str = "", *, text: Text | None = None) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}" if detail else reason, text=text)

    @property
    def failure_code(self) -> str:
        return f"qr_{self.reason}"


class GatewayError(KioskError):
    default_text = Text(
        "The payment service had a problem. Please try again.",
        "ระบบชำระเงินขัดข้อง กรุณาลองใหม่อีกครั้ง",
    )

    def __init__(
        self,
        detail: str = "",
        *,
        code: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
        text: Text | None = None,
    ) -> None:
        self.code = code
        self.status = status
        self.retry_after = retry_after
        super().__init__(detail, text=text)

    @property
    def failure_code(self) -> str:
        """The gateway's own code when it gave one (and it reads as a code), else this class's.

        Journaled and shown, so a "code" that is really markup or prose from
        outside is not taken.
        """
        if self.code and _CODE.fullmatch(self.code):
            return self.code
        return self.reason_code


class GatewayUnavailable(GatewayError):
    reason_code: ClassVar[str] = "unreachable"
    exit_code: ClassVar[ExitCode] = ExitCode.UNREACHABLE
    default_text = Text(
        "Cannot reach the payment service. Check the network and try again.",
        "ไม่สามารถเชื่อมต่อระบบชำระเงินได้ กรุณาตรวจสอบเครือข่ายแล้วลองใหม่",
    )


class GatewayTimeout(GatewayUnavailable):
    reason_code: ClassVar[str] = "timeout"
    default_text = Text(
        "The payment service is not answering in time.",
        "ระบบชำระเงินตอบสนองช้าเกินไป",
    )


class GatewayTlsError(GatewayUnavailable):
    """The TLS handshake failed: a wrong certificate, a proxy in the way, or no TLS at all."""

    default_text = Text(
        "The secure connection to the payment service failed. Call the manager.",
        "การเชื่อมต่อแบบปลอดภัยกับระบบชำระเงินล้มเหลว กรุณาแจ้งผู้จัดการ",
    )


class GatewayOffline(GatewayUnavailable):
    """Raised before anything is journaled: the gateway was unreachable at the last try."""

    default_text = Text(
        "The payment service cannot be reached. New sales are paused until it is back.",
        "ไม่สามารถเชื่อมต่อระบบชำระเงินได้ งดรับรายการใหม่จนกว่าระบบจะกลับมา",
    )


class AuthError(GatewayError):
    reason_code: ClassVar[str] = "auth"
    exit_code: ClassVar[ExitCode] = ExitCode.UNREACHABLE
    default_text = Text(
        "The kiosk could not sign in to the payment service. Call the manager.",
        "เครื่องไม่สามารถเข้าสู่ระบบชำระเงินได้ กรุณาแจ้งผู้จัดการ",
    )


class GatewayRejected(GatewayError):
    reason_code: ClassVar[str] = "rejected"
    default_text = Text(
        "The payment service refused this payment.",
        "ระบบชำระเงินปฏิเสธรายการนี้",
    )


class BadGatewayResponse(GatewayError):
    reason_code: ClassVar[str] = "bad_response"
    default_text = Text(
        "The payment service sent an answer the kiosk cannot read.",
        "ระบบชำระเงินส่งข้อมูลที่เครื่องอ่านไม่ได้",
    )


class UnsafeAnswer(GatewayError):
    reason_code: ClassVar[str] = "amount_mismatch"
    default_text = Text(
        "The payment service answered with a different amount. No QR was shown.",
        "ระบบชำระเงินตอบกลับด้วยจำนวนเงินที่ไม่ตรงกัน จึงไม่แสดงคิวอาร์โค้ด",
    )


class PrinterError(KioskError):
    """A receipt could not be printed. Never undoes a sale: the job is marked failed."""

    default_text = Text(
        "The receipt could not be printed. The sale is complete; reprint it later.",
        "พิมพ์ใบเสร็จไม่สำเร็จ การขายเสร็จสมบูรณ์แล้ว สามารถพิมพ์ซ้ำภายหลังได้",
    )


class NoPrinter(PrinterError):
    """No receipt printer is set up (``printer.kind = "none"``): a settings matter."""

    exit_code: ClassVar[ExitCode] = ExitCode.USAGE
    default_text = Text("No receipt printer is set up.", "ยังไม่ได้ตั้งค่าเครื่องพิมพ์ใบเสร็จ")


class PrinterUnavailable(PrinterError):
    """The printer could not be reached; nothing was sent, so trying again is safe."""

    exit_code: ClassVar[ExitCode] = ExitCode.UNREACHABLE
    default_text = Text(
        "Cannot reach the receipt printer. Check that it is on and connected.",
        "ติดต่อเครื่องพิมพ์ใบเสร็จไม่ได้ กรุณาตรวจสอบว่าเปิดเครื่องและเชื่อมต่ออยู่",
    )


class UnexpectedError(KioskError):
    """Something no handler expected broke a checkout; the sale ended FAILED on purpose."""

    reason_code: ClassVar[str] = "unexpected"
    default_text = Text(
        "The sale could not be completed. No QR was shown; start a new sale.",
        "ไม่สามารถทำรายการขายนี้ได้ ไม่มีการแสดงคิวอาร์โค้ด กรุณาเริ่มรายการใหม่",
    )


class SaleFailed(KioskError):
    """A checkout could not go on; the order is journaled FAILED (or CANCELLED).

    Carries the order as journaled and the cause, whose message it shows.
    """

    def __init__(self, order: Order, cause: KioskError) -> None:
        self.order = order
        self.cause = cause
        super().__init__(cause.detail, text=cause.text)
