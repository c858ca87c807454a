"""``kiosk --smoke``: the installer's self-test, one sandbox sale through the real window.

It types an amount on the keypad buttons, picks Thai QR, presses Charge,
waits for the QR (and checks it is a Thai QR of that amount), presses the
sandbox banner's "Simulate customer payment" and waits for the Paid screen;
then it checks the journal, saves a picture of the screen, and reports:
one JSON line on stdout and ``smoke-result.json`` in the data folder.

The gateway is always the embedded sandbox (no real money, no network beyond
127.0.0.1), whatever the settings file says; the rest of the settings file is
loaded and checked as for a real start. The data folder is
``$KIOSK_DATA_DIR`` when the installer gives one, else a fresh temporary
folder that is kept (its path is in the report) so logs can be read after.
"""

from __future__ import annotations

import asyncio
import contextlib
import faulthandler
import importlib.util
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk import __version__
from kiosk.domain import thaiqr
from kiosk.domain.errors import KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.money import parse_amount
from kiosk.domain.order import OrderState
from kiosk.infra.config import GatewaySettings, Settings
from kiosk.services.container import Services
from kiosk.ui.controller import Controller
from kiosk.ui.customer.placement import AUTO, OFF
from kiosk.ui.customer.qr import matrix as customer_matrix
from kiosk.ui.customer_display import CustomerDisplay
from kiosk.ui.i18n import TRANSLATIONS
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sale_screen import AmountEntry
from kiosk.ui.theme import RESOURCES

RESULT_FILE = "smoke-result.json"
SCREENSHOT_FILE = "smoke-paid.png"
CUSTOMER_SCREENSHOT_FILE = "customer-display.png"
DEFAULT_AMOUNT = "1.00"
DEFAULT_TIMEOUT_S = 60.0
WATCHDOG_GRACE_S = 30.0  # start-up and shutdown, on top of the sale's own timeout


class SmokeFailed(Exception):
    """One step of the self-test did not reach its goal (``exit_code``: what failed)."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.FAILED) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class SmokeReport:
    ok: bool = False
    status: str = "not started"
    step: str = ""
    detail: str = ""
    order: str | None = None
    amount: str = DEFAULT_AMOUNT
    elapsed_s: float = 0.0
    data_dir: str = ""
    steps: dict[str, float] = field(default_factory=dict)
    checks: dict[str, Any] = field(default_factory=dict)
    exit_code: ExitCode = ExitCode.FAILED  # when not ok: the code of what failed

    def as_json(self) -> dict[str, Any]:
        return {
            "smoke": "paid" if self.ok else "failed",
            "ok": self.ok,
            "status": self.status,
            "step": self.step,
            "detail": self.detail,
            "order": self.order,
            "amount": self.amount,
            "elapsed_s": round(self.elapsed_s, 3),
            "version": __version__,
            "qt_platform": QGuiApplication.platformName(),
            "data_dir": self.data_dir,
            "steps": {k: round(v, 3) for k, v in self.steps.items()},
            "checks": self.checks,
        }


def smoke_settings(settings: Settings) -> Settings:
    """The settings as loaded, on the embedded sandbox, silent, the payment left to us."""
    gateway = GatewaySettings(methods=settings.gateway.methods)
    methods = {m.strip() for m in gateway.methods.split(",")}
    if "qr" not in methods:
        gateway = GatewaySettings()
    return replace(
        settings,
        gateway=gateway,
        sandbox=replace(settings.sandbox, scenario="never"),
        store=replace(
            settings.store, checkout_timeout_s=max(120, settings.store.checkout_timeout_s)
        ),
        ui=replace(settings.ui, sound=False, result_clear_s=0),
    )


def smoke_directory() -> Path:
    """``$KIOSK_DATA_DIR`` if the installer gave one, else a new temporary folder."""
    given = os.environ.get("KIOSK_DATA_DIR")
    if given:
        return Path(given)
    return Path(tempfile.mkdtemp(prefix="kiosk-smoke-"))


async def _until(what: str, condition: Callable[[], bool], deadline: float) -> None:
    """Poll ``condition`` on the running loop until it holds; SmokeFailed at the deadline."""
    loop = asyncio.get_running_loop()
    while not condition():
        if loop.time() > deadline:
            raise SmokeFailed(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


def _button(window: MainWindow, name: str) -> QPushButton:
    found = window.findChild(QPushButton, name)
    if found is None:
        raise SmokeFailed(f"no button named {name} in the window")
    return found


def _click(window: MainWindow, name: str) -> None:
    button = _button(window, name)
    if not (button.isVisible() and button.isEnabled()):
        raise SmokeFailed(f"button {name} cannot be pressed")
    button.click()


def bundle_checks() -> dict[str, Any]:
    """What a packaged build must carry: fonts, translations, sounds, printer data."""
    families = set(QFontDatabase.families())
    checks: dict[str, Any] = {
        "thai_font": "Noto Sans Thai" in families,
        "translation_th": (TRANSLATIONS / "kiosk_th.qm").is_file(),
        "sounds": all((RESOURCES / "sounds" / f"{n}.wav").is_file() for n in ("paid", "failed")),
    }
    # Thai receipts are shaped by Pillow's raqm (HarfBuzz + FriBiDi, loaded at run time).
    from PIL import features

    checks["thai_shaping"] = bool(features.check_feature("raqm"))
    spec = importlib.util.find_spec("escpos")
    if spec is not None and spec.origin:
        capabilities = Path(spec.origin).parent / "capabilities.json"
        checks["escpos_capabilities"] = capabilities.is_file()
    return checks


async def drive(
    window: MainWindow,
    controller: Controller,
    services: Services,
    *,
    amount: str = DEFAULT_AMOUNT,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    report: SmokeReport | None = None,
    customer: CustomerDisplay | None = None,
) -> SmokeReport:
    """One sale through the window's own buttons; the report says how far it got.

    With a customer display on a screen of its own, it must show the sale's QR too.
    """
    report = report or SmokeReport()
    report.amount = amount
    report.data_dir = str(services.data_dir)
    loop = asyncio.get_running_loop()
    started = loop.time()
    deadline = started + timeout_s

    def step(name: str) -> None:
        report.step = name
        report.steps[name] = loop.time() - started

    try:
        step("window")
        await _until(
            "the sale screen",
            lambda: window.isVisible() and window.stack.currentWidget() is window.sale,
            deadline,
        )
        report.checks.update(bundle_checks())
        step("keypad")
        names = {".": "key_dot"}
        for key in amount:
            _click(window, names.get(key, f"key_{key}"))
        shown = window.findChild(QLabel, "amountDisplay")
        expected, typed_by_hand = parse_amount(amount), AmountEntry()
        for key in amount:
            typed_by_hand.press(key)
        if shown is None or shown.text() != typed_by_hand.display():
            typed = shown.text() if shown is not None else "nothing"
            raise SmokeFailed(f"the keypad shows {typed}, not {amount}")
        _click(window, "methodQr")
        step("charge")
        _click(window, "chargeButton")
        step("qr")
        await _until(
            "the QR screen",
            lambda: (
                (window.stack.currentWidget() is window.qr and window.qr.qr.payload() is not None)
                or window.stack.currentWidget() is window.result
            ),
            deadline,
        )
        if window.stack.currentWidget() is window.result:
            failed = window.result.order()
            reason = (failed.failure_message or failed.failure_code) if failed else None
            raise SmokeFailed(f"the sale failed before its QR was shown: {reason or 'unknown'}")
        current = controller.current
        if current is None:
            raise SmokeFailed("the QR is on screen but no sale is under way")
        report.order = current.kiosk_order_id
        thaiqr.check(window.qr.qr.payload() or "", order_amount=expected)
        await check_customer_display(customer, services, current.qr_payload, report, deadline)
        step("simulate_payment")
        pay = _button(window, "sandboxPayButton")
        await _until("the sandbox payment button", pay.isEnabled, deadline)
        _click(window, "sandboxPayButton")
        step("paid_screen")

        def result_state() -> OrderState | None:
            order = window.result.order()
            on_screen = window.stack.currentWidget() is window.result
            return order.state if on_screen and order is not None else None

        await _until("the result screen", lambda: result_state() is not None, deadline)
        state = result_state()
        if state is not OrderState.PAID:
            code = ExitCode.EXPIRED if state is OrderState.EXPIRED else ExitCode.FAILED
            raise SmokeFailed(
                f"the sale ended {state.value if state else 'nowhere'}, not paid", code
            )
        journaled = services.journal.get(report.order)
        if journaled is None or journaled.state is not OrderState.PAID:
            raise SmokeFailed("the journal does not hold the sale as paid")
        step("done")
        window.grab().save(str(services.data_dir / SCREENSHOT_FILE))
        missing = sorted(name for name, good in report.checks.items() if not good)
        if missing:  # paid, but this install would print or show things wrong
            raise SmokeFailed(f"the sale was paid, but these checks failed: {', '.join(missing)}")
        report.ok, report.status, report.detail = True, "paid", ""
    except SmokeFailed as exc:
        report.status, report.detail, report.exit_code = "failed", str(exc), exc.exit_code
    except KioskError as exc:
        report.status, report.detail = "failed", f"{type(exc).__name__}: {exc}"
        report.exit_code = exc.exit_code
    report.elapsed_s = loop.time() - started
    return report


async def check_customer_display(
    customer: CustomerDisplay | None,
    services: Services,
    payload: str | None,
    report: SmokeReport,
    deadline: float,
) -> None:
    """The customer's screen shows this sale's QR: "qr_matched", "skipped" or "failed".

    Skipped when there is no display to check (off, or ``auto`` with one screen);
    a display set on a named screen that is not shown fails, as does one whose
    painted QR is not the order's (its payload, and its modules recomputed here).
    """
    wanted = services.settings.customer_display.screen
    if customer is None or not customer.is_shown():
        # Nothing to check only when nothing was asked for: off, or auto with one screen.
        one_screen = len(QGuiApplication.screens()) < 2
        skipped = wanted == OFF or (wanted == AUTO and one_screen)
        report.checks["customer_display"] = "skipped" if skipped else "failed"
        if not skipped:
            raise SmokeFailed(f"the customer display (screen = {wanted!r}) is not shown")
        return
    report.step = "customer_display"
    try:
        await _until(
            "the QR on the customer display", lambda: customer.payload() == payload, deadline
        )
        if customer.view.drawn_modules != customer_matrix(payload or ""):
            raise SmokeFailed("the customer display drew other modules than the order's QR")
    except SmokeFailed:
        report.checks["customer_display"] = "failed"
        raise
    customer.grab().save(str(services.data_dir / CUSTOMER_SCREENSHOT_FILE))
    report.checks["customer_display"] = "qr_matched"


def write_report(report: SmokeReport, directory: Path, *, out: Any) -> int:
    """The JSON line on ``out`` and in ``<data>/smoke-result.json``; the exit code.

    0 only when the sale was paid; otherwise the code of what failed (a
    journal that cannot be written is 8, a held data folder 9, ...).
    """
    line = json.dumps(report.as_json(), ensure_ascii=False)
    try:
        directory.mkdir(parents=True, exist_ok=True)
        (directory / RESULT_FILE).write_text(line + "\n", encoding="utf-8")
    except OSError as exc:
        report.ok = False
        report.detail = f"cannot write {directory / RESULT_FILE}: {exc}"
        report.exit_code = ExitCode.CANNOT_RECORD
        line = json.dumps(report.as_json(), ensure_ascii=False)
    print(line, file=out, flush=True)
    return ExitCode.OK if report.ok else report.exit_code


def watchdog(timeout_s: float) -> None:
    """If the loop itself hangs, end the process anyway (exit 1, tracebacks on stderr)."""
    # No usable stderr (the Windows GUI build): no watchdog, the timeout still holds.
    with contextlib.suppress(AttributeError, ValueError, RuntimeError, OSError):
        faulthandler.dump_traceback_later(timeout_s + WATCHDOG_GRACE_S, exit=True)
