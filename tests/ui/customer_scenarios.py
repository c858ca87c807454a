"""Customer-display scenarios that need their own Qt platform, run as a child process.

Qt's screens are fixed when the QApplication starts, so the tests in
tests/ui/test_customer_display_screens.py start this module with
``QT_QPA_PLATFORM=offscreen:configfile=<screens.json>`` (two screens) or
``xcb`` under Xvfb (monitors added and removed with xrandr), and read the one
JSON object it prints last. The assertions are in those tests; this module
only drives the kiosk and reports what it saw.

    python -m tests.ui.customer_scenarios sale --out DIR [--language th] [--screen auto]
    python -m tests.ui.customer_scenarios hotplug --out DIR
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import logging
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QWidget

RESULT = "RESULT "


class Errors(logging.Handler):
    """Counts what the kiosk logged at ERROR or above (a failing display logs there)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


async def until(what: str, condition: Callable[[], bool], timeout_s: float = 30.0) -> float:
    """Seconds until ``condition`` held (a child process polls; tests never sleep)."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout_s:
            raise TimeoutError(f"timed out waiting for {what}")
        await asyncio.sleep(0.01)
    return time.perf_counter() - started


def cashier_focused(window: QWidget) -> bool:
    return QGuiApplication.focusWindow() is window.windowHandle() is not None


def rect(r: Any) -> list[int]:
    return [r.x(), r.y(), r.width(), r.height()]


async def sale(args: argparse.Namespace, errors: Errors) -> dict[str, Any]:
    """A paid sale and an expired one on a kiosk with a customer display."""
    from kiosk.app.gui import build_gui
    from kiosk.domain.money import Money
    from kiosk.domain.order import Method
    from kiosk.ui.customer.view import Ending, Phase
    from tests.qt_fixtures import kiosk_settings

    out = Path(args.out)
    thai = args.language == "th"
    settings = kiosk_settings(
        store={
            "name": "ร้านกาแฟบ้านสวน" if thai else "Baan Suan Coffee",
            "checkout_timeout_s": args.ttl,
        },
        ui={"language": args.language, "sound": False, "result_clear_s": 0},
        customer_display={
            "screen": args.screen,
            "idle_text": "กาแฟสดทุกเช้า" if thai else "Fresh coffee every morning",
            "idle_image": args.idle_image,
        },
    )
    gui = build_gui(settings, directory=out / "data")
    gui.controller.guard.hold_s = 0
    window, display = gui.window, gui.customer
    window.show()
    window.show_sale()
    report: dict[str, Any] = {
        "screens": [[s.name(), *rect(s.geometry())] for s in QGuiApplication.screens()],
        "display": display is not None,
    }
    try:
        if display is None or not display.is_shown():
            await asyncio.sleep(0.3)  # the kiosk settles; nothing may appear meanwhile
            report["shown"] = display is not None and display.is_shown()
            report["top_level_visible"] = sorted(
                w.objectName() for w in QApplication.topLevelWidgets() if w.isVisible()
            )
            return report
        view = display.view
        await until("the idle screen painted", lambda: view.isVisible())
        report.update(
            shown=True,
            screen=display.screen_name(),
            full_screen=view.isFullScreen(),
            geometry=rect(view.geometry()),
            accepts_focus=not bool(
                view.windowFlags() & view.windowFlags().WindowDoesNotAcceptFocus
            ),
        )
        display.grab().save(str(out / "idle.png"))
        window.activateWindow()
        await until("the cashier's window focused", lambda: cashier_focused(window))
        # Sale 1: paid.
        window.sale.prefill(Money(30000), Method.QR)
        clicked = time.perf_counter()
        window.sale.request_charge()
        await until("the customer's QR", lambda: display.payload() is not None)
        report["charge_to_customer_qr_s"] = time.perf_counter() - clicked
        order = gui.controller.current
        assert order is not None
        report["order_payload"] = order.qr_payload
        report["cashier_payload"] = window.qr.qr.payload()
        report["customer_payload"] = display.payload()
        report["focus_on_cashier"] = cashier_focused(window)
        display.grab().save(str(out / "qr.png"))
        control = gui.services.sandbox
        assert control is not None
        await control.pay(order.kiosk_order_id)
        await until("paid on the customer's screen", lambda: display.phase() is Phase.PAID)
        report["paid_phase"] = display.phase().value
        report["paid_late"] = view.late
        display.grab().save(str(out / "paid.png"))
        await until("the cashier's result", lambda: window.result.order() is not None)
        if args.ttl > 60:
            return report  # pictures only (docs/screenshots/customer): no expiry to wait for
        # Sale 2: nobody pays; it expires after checkout_timeout_s.
        window.result.new_sale.click()
        window.sale.prefill(Money(5050), Method.WECHAT)
        window.sale.request_charge()
        await until("the second QR", lambda: display.payload() not in (None, order.qr_payload))
        display.grab().save(str(out / "wechat.png"))
        await until("expired on the customer's screen", lambda: display.phase() is Phase.ENDED, 40)
        report["ended"] = view.ending.value
        report["expired"] = view.ending is Ending.EXPIRED
        display.grab().save(str(out / "expired.png"))
        display.ended_hold_s = 0
        report["cashier_focus_end"] = cashier_focused(window)
        remembered = out / "data" / "customer-display.json"
        report["remembered"] = json.loads(remembered.read_text(encoding="utf-8"))
    finally:
        report["errors"] = list(errors.messages)
        await gui.aclose()
        window.close()
    return report


def xrandr(*args: str) -> None:
    subprocess.run(["xrandr", *args], check=True, capture_output=True, timeout=20)


async def hotplug(args: argparse.Namespace, errors: Errors) -> dict[str, Any]:
    """Monitors come and go under Xvfb; the display follows (a bare bus, no services)."""
    from kiosk.domain.clock import SystemClock
    from kiosk.infra.bus import EventBus
    from kiosk.infra.config import CustomerDisplaySettings
    from kiosk.ui.customer_display import CustomerDisplay

    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    events: list[str] = []
    app.screenAdded.connect(lambda s: events.append(f"added {s.name()}"))
    app.screenRemoved.connect(lambda s: events.append(f"removed {s.name()}"))
    cashier = QWidget()
    cashier.setObjectName("cashier")
    cashier.setGeometry(0, 0, 1920, 1080)
    cashier.show()
    display = CustomerDisplay(
        bus=EventBus(),
        settings=CustomerDisplaySettings(screen="auto"),
        shop_name="Hot-plug Shop",
        clock=SystemClock(),
        language=lambda: "en",
        cashier=cashier,
    )
    steps: list[dict[str, Any]] = []

    def seen(step: str) -> None:
        view = display.view
        steps.append(
            {
                "step": step,
                "screens": sorted(s.name() for s in QGuiApplication.screens()),
                "shown": view.isVisible(),
                "screen": display.screen_name(),
                "geometry": rect(view.geometry()) if view.isVisible() else None,
            }
        )

    def screens() -> set[str]:
        return {s.name() for s in QGuiApplication.screens()}

    try:
        await until("screen A alone", lambda: screens() == {"A"})
        await asyncio.sleep(0.2)
        seen("one monitor")
        for round_ in (1, 2):
            xrandr("--setmonitor", "B", "1920/508x1080/286+1920+0", "none")
            await until("monitor B", lambda: "B" in screens())
            await until("the display on B", lambda: display.screen_name() == "B")
            await until(
                "full screen on B",
                lambda: rect(display.view.geometry()) == [1920, 0, 1920, 1080],
            )
            seen(f"B plugged in ({round_})")
            xrandr("--delmonitor", "B")
            await until("B gone", lambda: "B" not in screens())
            await until("the display hidden", lambda: not display.view.isVisible())
            seen(f"B unplugged ({round_})")
        # Two customer-side monitors: it stays put when one is added, moves when
        # its own goes, and does not jump back when that one returns.
        xrandr("--setmonitor", "B", "1920/508x1080/286+1920+0", "none")
        await until("the display on B", lambda: display.screen_name() == "B")
        xrandr("--setmonitor", "C", "1920/508x1080/286+3840+0", "none")
        await until("monitor C", lambda: "C" in screens())
        await asyncio.sleep(0.2)  # a wrong move would happen on the next loop turns
        seen("C plugged in")
        xrandr("--delmonitor", "B")
        await until("the display on C", lambda: display.screen_name() == "C")
        await until(
            "full screen on C", lambda: rect(display.view.geometry()) == [3840, 0, 1920, 1080]
        )
        seen("B unplugged, C left")
        xrandr("--setmonitor", "B", "1920/508x1080/286+1920+0", "none")
        await until("monitor B back", lambda: "B" in screens())
        await asyncio.sleep(0.2)
        seen("B back")
        xrandr("--delmonitor", "C")
        await until("the display back on B", lambda: display.screen_name() == "B")
        await until(
            "full screen on B", lambda: rect(display.view.geometry()) == [1920, 0, 1920, 1080]
        )
        seen("C unplugged")
    finally:
        display.shutdown()
    return {
        "steps": steps,
        "events": events,
        "errors": list(errors.messages),
        "failures": display.failures,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("scenario", choices=("sale", "hotplug"))
    parser.add_argument("--out", required=True)
    parser.add_argument("--language", default="en")
    parser.add_argument("--screen", default="auto")
    parser.add_argument("--idle-image", default="")
    parser.add_argument("--ttl", type=int, default=8, help="seconds a QR stays payable")
    args = parser.parse_args()
    import qasync

    from kiosk.ui.theme import STYLE, load_fonts

    app = QApplication(sys.argv)
    load_fonts()
    app.setStyleSheet(STYLE)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    gc.disable()  # as in the tests: never collect Qt objects on the sandbox's thread
    scenario = sale if args.scenario == "sale" else hotplug
    report = qasync.run(scenario(args, errors))
    print(RESULT + json.dumps(report, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
