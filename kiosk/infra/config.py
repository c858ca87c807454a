"""Settings: one TOML file, every key declared once with type, default and help.

The file is found at ``--config``, else ``$KIOSK_CONFIG``, else
``<user config dir>/kiosk/config.toml``. A missing file means all defaults
(the embedded sandbox). Errors name the key. Secrets never live here: see
kiosk.infra.secrets.

Size (about 470 lines): every key is declared here once with its type,
default and help, so the module is as long as the settings table.
"""

from __future__ import annotations

import ipaddress
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import platformdirs

from kiosk.domain.errors import ConfigError, InvalidAmount, Text
from kiosk.domain.money import Money, parse_amount
from kiosk.domain.order import ORDER_ID_MAX, STORE_ID_MAX, TERMINAL_ID_MAX, Method
from kiosk.domain.thaiqr import normalize_payee
from kiosk.domain.vat import parse_rate

APP_NAME = "kiosk"
DEFAULT_MAX_AMOUNT = Money(5_000_000)  # ฿50,000.00
LOOPBACK_V4 = ipaddress.IPv4Network("127.0.0.0/8")
LOOPBACK_V6 = ipaddress.IPv6Address("::1")


def is_loopback(host: str | None) -> bool:
    """Whether ``host`` is this machine (where plain http is allowed).

    Decided on the literal host of the URL, never by its look or by DNS: an
    IPv4 address in 127.0.0.0/8, the IPv6 address ::1, or the name
    ``localhost``. Any other name is not, ``127.0.0.1.attacker.example``
    included: plain http to it would send the ID token over the network.
    """
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv4Address):
        return address in LOOPBACK_V4
    return address == LOOPBACK_V6 and address.scope_id is None


# --- validators: each returns the typed value or raises ValueError(plain words)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text, not {type(value).__name__}")
    return value


def _choice(*options: str) -> Callable[[Any], str]:
    def check(value: Any) -> str:
        text = _str(value)
        if text not in options:
            raise ValueError(f"must be one of {', '.join(options)} (got {text!r})")
        return text

    check.options = options  # type: ignore[attr-defined]  # the settings dialog's choices
    return check


def _number(low: float, high: float) -> Callable[[Any], float]:
    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"must be a number, not {type(value).__name__}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low:g} and {high:g} (got {value})")
        return float(value)

    return check


def _int(low: int, high: int) -> Callable[[Any], int]:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be a whole number, not {type(value).__name__}")
        if not low <= value <= high:
            raise ValueError(f"must be between {low} and {high} (got {value})")
        return value

    return check


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("must be true or false")
    return value


def _url(value: Any) -> str:
    text = _str(value).strip().rstrip("/")
    if not text:
        return ""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL (got {text!r})")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise ValueError(
            "must use https:// (plain http is allowed only for 127.0.0.1/8, ::1 or localhost)"
        )
    return text


def _path(value: Any) -> str:
    text = _str(value).strip()
    if text and not text.startswith("/"):
        raise ValueError(f"must start with / (got {text!r})")
    return text


def _money(value: Any) -> Money:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError('must be an amount such as 50000 or "50000.00"')
    try:
        amount = parse_amount(str(value))
    except InvalidAmount as exc:
        raise ValueError(exc.text.en) from None
    if amount.satang <= 0:
        raise ValueError("must be more than zero")
    return amount


def _ident(limit: int) -> Callable[[Any], str]:
    """A store or terminal id: part of every order id (README "Order ids"), so the
    limits keep that id within ORDER_ID_MAX characters and within the characters
    a gateway accepts (ASCII only: ``isalnum`` alone would let Thai digits in)."""

    def check(value: Any) -> str:
        text = _str(value).strip()
        if not text or not (text.isascii() and text.isalnum()) or len(text) > limit:
            raise ValueError(
                f"must be 1-{limit} letters A-Z or digits 0-9 (got {text!r}):"
                f" it is part of every order id, which has at most {ORDER_ID_MAX} characters"
            )
        return text.upper()

    return check


def _payee(value: Any) -> str:
    """A PromptPay id (10-digit phone from 0, 13-digit citizen or tax id, 15-digit
    e-wallet) or a 15-digit biller id, as the Thai QR carries it; "" = not checked."""
    text = _str(value).strip()
    if not text:
        return ""
    digits = normalize_payee(text)
    looks = all(ch.isascii() and (ch.isdigit() or ch in " -+") for ch in text)
    if not looks or len(digits) not in (10, 13, 15) or (len(digits) == 10 and digits[0] != "0"):
        raise ValueError(
            "must be a PromptPay id (a 10-digit phone number, a 13-digit id) or a 15-digit "
            f"biller id (got {text!r})"
        )
    return text


def setting(default: Any, check: Callable[[Any], Any], help: str) -> Any:
    """Declare one setting: its default, its validator, and the help text."""
    return field(default=default, metadata={"check": check, "help": help})


# --- the declaration


@dataclass(frozen=True)
class PathsSettings:
    create_order: str = setting("/kbank/order", _path, "Path to create a KBank order.")
    qr: str = setting("/qrpayment", _path, "Path to fetch the QR when create does not return it.")
    status: str = setting(
        "/checkstatus/{orderid}",
        _path,
        "Status path; {orderid} = kiosk order id, {gateway_order_id} = the gateway's id.",
    )
    cancel: str = setting(
        "", _path, "Cancel path (POST), e.g. /cancel/{orderid}; empty = not supported."
    )


@dataclass(frozen=True)
class CognitoSettings:
    region: str = setting("ap-southeast-1", _str, "AWS region of the Cognito user pool.")
    user_pool_id: str = setting("", _str, "Cognito user pool id.")
    client_id: str = setting("", _str, "Cognito app client id.")
    username: str = setting("", _str, "The kiosk's Cognito user name.")
    endpoint_url: str = setting("", _url, "Cognito endpoint; empty = AWS for the region.")


@dataclass(frozen=True)
class GatewaySettings:
    kind: str = setting(
        "sandbox",
        _choice("sandbox", "villa"),
        "sandbox (built-in test gateway) or villa (Villa Payment API).",
    )
    base_url: str = setting(
        "", _url, "API base URL. For sandbox: empty = run one in-process, else a running one."
    )
    auth_header: str = setting(
        "raw", _choice("raw", "bearer"), "How the ID token is sent: raw, or 'Bearer <token>'."
    )
    connect_timeout_s: float = setting(5.0, _number(0.1, 60), "Seconds to wait for a connection.")
    read_timeout_s: float = setting(15.0, _number(0.1, 120), "Seconds to wait for an answer.")
    total_timeout_s: float = setting(
        30.0,
        _number(0.5, 300),
        "Longest one gateway call (a Cognito sign-in too) may take in all, however slowly "
        "its answer trickles in.",
    )
    methods: str = setting(
        "qr,wechat", _str, "Payment methods offered, comma-separated: qr, wechat."
    )
    paths: PathsSettings = field(default_factory=PathsSettings)
    cognito: CognitoSettings = field(default_factory=CognitoSettings)

    @property
    def method_set(self) -> frozenset[Method]:
        return frozenset(Method(m.strip()) for m in self.methods.split(",") if m.strip())


@dataclass(frozen=True)
class StoreSettings:
    name: str = setting("Sandbox Shop", _str, "Shop name shown to customers and on receipts.")
    store_id: str = setting(
        "S001", _ident(STORE_ID_MAX), "Store id used in kiosk order numbers (1-8 letters/digits)."
    )
    terminal_id: str = setting(
        "T01",
        _ident(TERMINAL_ID_MAX),
        "Counter id used in kiosk order numbers (1-4 letters/digits).",
    )
    max_amount: Money = setting(
        DEFAULT_MAX_AMOUNT, _money, "Largest amount one sale may have (THB)."
    )
    checkout_timeout_s: int = setting(
        300, _int(10, 3600), "Seconds a QR stays on screen before the sale expires."
    )
    expected_payee: str = setting(
        "", _payee, "PromptPay id or biller id every Thai QR must pay; empty = not checked."
    )


@dataclass(frozen=True)
class PollSettings:
    fast_s: float = setting(1.0, _number(0.05, 30), "Seconds between status checks at first.")
    slow_s: float = setting(3.0, _number(0.05, 60), "Seconds between status checks later on.")
    fast_for_s: float = setting(30.0, _number(0, 3600), "How long to check at the fast rate.")
    max_backoff_s: float = setting(15.0, _number(0.1, 300), "Longest wait after errors.")


@dataclass(frozen=True)
class RecoverySettings:
    sweep_days: int = setting(
        7, _int(1, 90), "Days an unpaid order is still re-checked for late money."
    )
    sweep_max_per_hour: int = setting(
        600, _int(10, 3600), "Most late-money re-checks sent to the gateway in an hour."
    )
    sweep_every_s: int = setting(
        600, _int(60, 86400), "Seconds between late-money sweeps while the kiosk runs."
    )


@dataclass(frozen=True)
class SandboxSettings:
    scenario: str = setting(
        "pay", _choice("pay", "decline", "never"), "What the simulated customer does."
    )
    pay_after_s: float = setting(3.0, _number(0, 3600), "Seconds until the customer pays.")
    expire_s: int = setting(600, _int(5, 86400), "The sandbox gateway's own order expiry.")


@dataclass(frozen=True)
class JournalSettings:
    # Minimums are the law's, not a preference (README "Keeping records"):
    # a shop cannot configure less.
    backup_days: int = setting(
        14,
        _int(14, 3650),
        "Daily journal copies kept in <data>/backups: the newest N (14 or more).",
    )
    backup_monthly_years: int = setting(
        5,
        _int(5, 100),
        "Years the newest journal copy of each month is kept in <data>/backups (5 or more: "
        "Thai Revenue Code s.87/3).",
    )
    check: str = setting(
        "quick",
        _choice("quick", "full", "off"),
        "Journal health check at start-up: quick (quick_check), full (integrity_check), off.",
    )


def _clock_time(value: Any) -> str:
    """A time of day "HH:MM" (24-hour), or "" for none."""
    text = _str(value).strip()
    if not text:
        return ""
    if not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", text):
        raise ValueError(f'must be a time of day such as "23:00", or "" (got {text!r})')
    return text


@dataclass(frozen=True)
class BatchSettings:
    auto_close: str = setting(
        "",
        _clock_time,
        'Close the batch (issue the Z report) by itself every day at this time, e.g. "23:00"'
        " (Bangkok); empty = only by hand.",
    )


@dataclass(frozen=True)
class UiSettings:
    language: str = setting("en", _choice("en", "th"), "Screen language: en or th.")
    sound: bool = setting(True, _bool, "Play a sound on paid and on failure.")
    result_clear_s: int = setting(
        15, _int(0, 600), "Seconds before a result screen clears; 0 = never."
    )
    kiosk_mode: bool = setting(
        False,
        _bool,
        "Kiosk mode: full screen, no window frame; closing or leaving needs the manager PIN.",
    )
    hide_cursor: bool = setting(False, _bool, "Hide the mouse pointer (touch screens).")


@dataclass(frozen=True)
class ManagerSettings:
    lock_after_s: int = setting(
        120,
        _int(1, 3600),
        "Seconds without a touch or key before the manager screen locks itself "
        "(back to the sale screen; the PIN opens it again).",
    )


def _display_screen(value: Any) -> str:
    """ "auto", "off", or a screen's name (or model or serial number) as the system gives it."""
    text = _str(value).strip()
    if not text:
        raise ValueError('must be "auto", "off" or the name of a screen')
    return text


@dataclass(frozen=True)
class CustomerDisplaySettings:
    screen: str = setting(
        "auto",
        _display_screen,
        'The customer-facing screen: "auto" (a second screen when there is one, none with '
        'one screen), "off", or a screen\'s name (or model or serial number).',
    )
    idle_text: str = setting(
        "", _str, "Text shown to customers between sales, under the shop name; empty = none."
    )
    idle_image: str = setting(
        "", _str, "Picture (PNG or JPEG file) shown to customers between sales; empty = none."
    )
    speak: bool = setting(
        False, _bool, 'Say the payment aloud when paid ("ได้รับเงิน 300 บาท"), in the screen language.'
    )


def _paper_mm(value: Any) -> int:
    width = _int(58, 80)(value)
    if width not in (58, 80):
        raise ValueError(f"must be 58 or 80 (got {width})")
    return width


def _width_px(value: Any) -> int:
    dots = _int(0, 2048)(value)
    if dots and (dots < 128 or dots % 8):
        raise ValueError(f"must be 0 or a multiple of 8 from 128 up (got {dots})")
    return dots


def _tax_id(value: Any) -> str:
    text = _str(value).strip()
    digits = text.replace("-", "").replace(" ", "")
    if text and (len(digits) != 13 or not (digits.isascii() and digits.isdigit())):
        raise ValueError(f"must be a 13-digit Thai tax id (got {text!r})")
    return text


_PLAIN_RATE = re.compile(r"[0-9]{1,3}(\.[0-9]{1,2})?")


def _vat_rate(value: Any) -> str:
    """A percent (``7``, ``7.5``) kept as text: a float would not be exact."""
    text = str(value).strip() if isinstance(value, int) else _str(value).strip()
    try:
        # Written as it is printed ("VAT 7%"): not "1e1", "๗" or 19 decimals, which
        # Decimal reads but a tax document must not show.
        if not _PLAIN_RATE.fullmatch(text):
            raise ValueError(text)
        parse_rate(text)
    except ValueError:
        raise ValueError(f"must be a percent from 0 to 100 such as 7 (got {text!r})") from None
    return text


@dataclass(frozen=True)
class PrinterSettings:
    kind: str = setting(
        "none",
        _choice("network", "usb", "serial", "file", "pdf", "none"),
        "Receipt printer: network (ESC/POS on TCP), usb, serial, file (a device such as "
        "/dev/usb/lp0), pdf (one PDF per receipt) or none.",
    )
    host: str = setting("", _str, "Network printer address (kind = network).")
    port: int = setting(9100, _int(1, 65535), "Network printer TCP port (raw printing: 9100).")
    device: str = setting(
        "",
        _str,
        "usb: VENDOR:PRODUCT in hex (04b8:0e15); serial: port (/dev/ttyUSB0); file: device "
        "file (/dev/usb/lp0); pdf: output folder (empty = <data>/receipts/pdf).",
    )
    baudrate: int = setting(9600, _int(1200, 921600), "Serial line speed (kind = serial).")
    paper_mm: int = setting(80, _paper_mm, "Paper roll width in millimetres: 58 or 80.")
    width_px: int = setting(
        0, _width_px, "Printable width in dots; 0 = 384 for 58 mm paper, 576 for 80 mm."
    )
    mode: str = setting(
        "raster",
        _choice("raster", "text"),
        "raster: the receipt as an image (right Thai on any ESC/POS printer); "
        "text: CP874 characters, for printers with a Thai character set.",
    )
    codepage: int = setting(
        21,
        _int(0, 255),
        "ESC t number of the printer's CP874 (Thai) code page, mode = text: 21 on Epson "
        "and most compatibles; some clones use another (e.g. 47, 70, 255): see its self-test.",
    )
    auto_print: str = setting(
        "always",
        _choice("always", "ask", "never"),
        "Print the receipt when a sale is paid: always, ask the cashier, or never.",
    )


@dataclass(frozen=True)
class ReceiptSettings:
    address: str = setting("", _str, "Shop address printed under the name; may be Thai.")
    tax_id: str = setting("", _tax_id, "13-digit tax id printed on receipts; empty = none.")
    footer: str = setting("ขอบคุณที่ใช้บริการ / Thank you", _str, "Closing line(s) of every receipt.")
    show_qr: bool = setting(True, _bool, "Print a QR code of the kiosk order number.")
    branch: str = setting(
        "", _str, "Branch printed under the shop name: 00000 = head office; empty = none."
    )
    merchant_copy: bool = setting(
        False, _bool, "Also print a merchant copy of each payment slip (after the customer's)."
    )
    tax_invoice: str = setting(
        "none",
        _choice("none", "abb"),
        "none: a payment slip (keep this when a main till issues the tax invoice for the bill);"
        " abb: this kiosk is the point of sale and prints an abbreviated tax invoice"
        " (needs the Revenue Department's POS approval, form ภ.พ.06, pos_id and tax_id).",
    )
    pos_id: str = setting(
        "", _str, "POS number the Revenue Department assigned; printed on each tax invoice."
    )
    vat_rate: str = setting(
        "7", _vat_rate, "VAT rate in percent; kept with each tax invoice as it is issued."
    )
    item_description: str = setting(
        "สินค้าและบริการ Goods and services",
        _str,
        "What was sold, on a tax invoice when the sale has no bill reference.",
    )


_BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def pg_url_problem(text: str) -> str | None:
    """What is wrong with ``postgresql://ROLE@host:port/db`` as a store URL, or None.

    The message never repeats the URL: a careless one may hold a password. A
    password is refused wherever libpq would take it (``user:pw@`` or
    ``?password=``), and so is any ``?…`` option: ``host=`` would send the
    counter elsewhere, TLS has its own settings (sslmode, sslrootcert).
    """
    try:
        parts = urlsplit(text)
        port = parts.port  # ValueError when not a number in 0-65535
    except ValueError:
        return "is not a URL postgresql://ROLE@host:port/database"
    if parts.password is not None or "password" in parts.query.lower():
        return (
            "must not hold a password: keep it in the keyring (kiosk secrets set"
            " STORE_DB_PASSWORD) or KIOSK_SECRET_STORE_DB_PASSWORD"
        )
    if parts.scheme not in ("postgresql", "postgres") or not parts.hostname:
        return f"must be a postgresql://ROLE@host:port/database URL (not {parts.scheme or 'no'}://)"
    if port == 0 or parts.query or parts.fragment or _BAD_PERCENT.search(text):
        return "must be exactly postgresql://ROLE@host:port/database (no ?options, no bad %-codes)"
    return None


def _pg_url(value: Any) -> str:
    """``postgresql://ROLE@host:port/db``; never with a password (that is the keyring's)."""
    text = _str(value).strip()
    if not text:
        return ""
    problem = pg_url_problem(text)
    if problem is not None:
        raise ValueError(problem)
    parts = urlsplit(text)
    if not parts.username or not parts.path.strip("/"):
        raise ValueError("must name the role and the database: postgresql://ROLE@host:port/db")
    return text


@dataclass(frozen=True)
class StoreDbSettings:
    url: str = setting(
        "",
        _pg_url,
        'The store database every counter sends its sales to, e.g. "postgresql://kiosk@'
        'store-db:5432/store" (no password here); empty = this counter alone.',
    )
    sslmode: str = setting(
        "",
        _choice("", "disable", "require", "verify-ca", "verify-full"),
        "TLS to the store database; empty = verify-full when sslrootcert is set, else require"
        " off this machine (encrypted, server not authenticated).",
    )
    sslrootcert: str = setting(
        "", _str, "CA certificate file that signed the store database's certificate."
    )
    sync_interval_s: float = setting(
        10.0, _number(1, 3600), "Seconds between two sends to the store database."
    )


def store_db_sslmode(store_db: StoreDbSettings) -> str:
    """The TLS mode the counter uses: the setting, else by sslrootcert and the host."""
    if store_db.sslmode:
        return store_db.sslmode
    if store_db.sslrootcert:
        return "verify-full"
    return "prefer" if is_loopback(urlsplit(store_db.url).hostname) else "require"


@dataclass(frozen=True)
class Settings:
    gateway: GatewaySettings = field(default_factory=GatewaySettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    poll: PollSettings = field(default_factory=PollSettings)
    recovery: RecoverySettings = field(default_factory=RecoverySettings)
    sandbox: SandboxSettings = field(default_factory=SandboxSettings)
    journal: JournalSettings = field(default_factory=JournalSettings)
    batch: BatchSettings = field(default_factory=BatchSettings)
    ui: UiSettings = field(default_factory=UiSettings)
    manager: ManagerSettings = field(default_factory=ManagerSettings)
    printer: PrinterSettings = field(default_factory=PrinterSettings)
    receipt: ReceiptSettings = field(default_factory=ReceiptSettings)
    customer_display: CustomerDisplaySettings = field(default_factory=CustomerDisplaySettings)
    store_db: StoreDbSettings = field(default_factory=StoreDbSettings)
    source: str = field(default="", compare=False, metadata={"internal": True})

    @property
    def uses_embedded_sandbox(self) -> bool:
        return self.gateway.kind == "sandbox" and not self.gateway.base_url


# --- loading


def _build(cls: type[Any], data: Mapping[str, Any], prefix: str) -> Any:
    if not isinstance(data, Mapping):
        raise _key_error(prefix.rstrip("."), "must be a table")
    known = {f.name: f for f in fields(cls) if not f.metadata.get("internal")}
    for key in data:
        if key not in known:
            raise ConfigError(
                f"unknown setting {prefix}{key}",
                text=Text(
                    f"Unknown setting '{prefix}{key}' in the settings file.",
                    f"ไม่รู้จักการตั้งค่า '{prefix}{key}' ในไฟล์ตั้งค่า",
                ),
            )
    values: dict[str, Any] = {}
    for name, f in known.items():
        if name not in data:
            continue
        raw = data[name]
        check = f.metadata.get("check")
        if check is None:  # a nested table
            values[name] = _build(_nested_type(cls, name), raw, f"{prefix}{name}.")
            continue
        try:
            values[name] = check(raw)
        except ValueError as exc:
            raise _key_error(f"{prefix}{name}", str(exc)) from None
    return cls(**values)


def _nested_type(cls: type[Any], name: str) -> type[Any]:
    factory = next(f for f in fields(cls) if f.name == name).default_factory
    assert callable(factory), f"{cls.__name__}.{name} is not a nested table"
    return type(factory())


def _key_error(key: str, why: str) -> ConfigError:
    return ConfigError(
        f"{key}: {why}",
        text=Text(f"Setting '{key}' {why}.", f"การตั้งค่า '{key}' ไม่ถูกต้อง: {why}"),
    )


def parse_settings(text: str, *, source: str = "<text>") -> Settings:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{source}: {exc}",
            text=Text(
                f"The settings file is not valid TOML: {exc}",
                f"ไฟล์ตั้งค่าไม่ใช่รูปแบบ TOML ที่ถูกต้อง: {exc}",
            ),
        ) from None
    settings: Settings = _build(Settings, data, "")
    _cross_checks(settings)
    return _with_source(settings, source)


def _with_source(settings: Settings, source: str) -> Settings:
    from dataclasses import replace

    return replace(settings, source=source)


def _cross_checks(settings: Settings) -> None:
    gw = settings.gateway
    if gw.kind == "villa" and not gw.base_url:
        raise _key_error("gateway.base_url", "is required when gateway.kind is villa")
    for key in ("client_id", "username"):  # what Cognito sign-in needs (gateways.md §1)
        if gw.kind == "villa" and not getattr(gw.cognito, key).strip():
            raise _key_error(f"gateway.cognito.{key}", "is required when gateway.kind is villa")
    for method in (m.strip() for m in gw.methods.split(",")):
        if method not in ("qr", "wechat"):
            raise _key_error("gateway.methods", f"has an unknown method {method!r}")
    rc = settings.receipt
    for key in ("pos_id", "tax_id"):  # what an abbreviated tax invoice must carry (s. 86/6)
        if rc.tax_invoice == "abb" and not getattr(rc, key).strip():
            raise _key_error(f"receipt.{key}", 'is required when receipt.tax_invoice is "abb"')
    db = settings.store_db
    if db.url and db.sslmode == "disable" and not is_loopback(urlsplit(db.url).hostname):
        raise _key_error("store_db.sslmode", "may be disable only for a database on this machine")
    pr = settings.printer
    if pr.kind == "network" and not pr.host.strip():
        raise _key_error("printer.host", "is required when printer.kind is network")
    if pr.kind in ("usb", "serial", "file") and not pr.device.strip():
        raise _key_error("printer.device", f"is required when printer.kind is {pr.kind}")
    if pr.kind == "usb" and not re.fullmatch(r"[0-9a-fA-F]{4}:[0-9a-fA-F]{4}", pr.device.strip()):
        raise _key_error("printer.device", "must be VENDOR:PRODUCT in hex for usb, e.g. 04b8:0e15")


def config_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    if explicit:
        return Path(explicit)
    env = os.environ.get("KIOSK_CONFIG")
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME)) / "config.toml"


def data_dir() -> Path:
    env = os.environ.get("KIOSK_DATA_DIR")
    return Path(env) if env else Path(platformdirs.user_data_dir(APP_NAME))


def load_settings(explicit: str | os.PathLike[str] | None = None) -> Settings:
    """Read and validate the settings file; a missing default file means defaults."""
    path = config_path(explicit)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        if explicit or os.environ.get("KIOSK_CONFIG"):
            raise ConfigError(
                f"no settings file at {path}",
                text=Text(
                    f"There is no settings file at {path}. Start the kiosk window once "
                    "to create it with the set-up wizard, or point KIOSK_CONFIG at one.",
                    f"ไม่พบไฟล์ตั้งค่าที่ {path} เปิดหน้าต่างคีออสก์หนึ่งครั้งเพื่อสร้างไฟล์ด้วยตัวช่วยตั้งค่า "
                    "หรือตั้ง KIOSK_CONFIG ให้ชี้ไปที่ไฟล์ที่มีอยู่",
                ),
            ) from None
        return _with_source(Settings(), "defaults")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"{path}: {exc}",
            text=Text(f"Cannot read the settings file {path}.", f"อ่านไฟล์ตั้งค่า {path} ไม่ได้"),
        ) from None
    return parse_settings(text, source=str(path))


def text_values(settings: Settings) -> list[tuple[str, str]]:
    """(key, value) of every text setting, e.g. ("store.name", "Sandbox Shop")."""
    rows: list[tuple[str, str]] = []

    def walk(section: Any, prefix: str) -> None:
        for f in fields(section):
            if f.metadata.get("internal"):
                continue
            value = getattr(section, f.name)
            if "check" not in f.metadata:
                walk(value, f"{prefix}{f.name}.")
            elif isinstance(value, str):
                rows.append((prefix + f.name, value))

    walk(settings, "")
    return rows


def describe() -> list[tuple[str, str, str]]:
    """(key, default, help) for every setting, for docs and `kiosk doctor`."""
    rows: list[tuple[str, str, str]] = []

    def walk(cls: type[Any], prefix: str) -> None:
        for f in fields(cls):
            if f.metadata.get("internal"):
                continue
            if "check" in f.metadata:
                default = f.default
                shown = default.plain() if isinstance(default, Money) else repr(default)
                rows.append((prefix + f.name, shown, f.metadata["help"]))
            else:
                walk(_nested_type(cls, f.name), f"{prefix}{f.name}.")

    walk(Settings, "")
    return rows
