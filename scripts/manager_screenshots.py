"""Screenshots of the manager screen, in English and Thai, from the real window.

Run under a display (``make manager-screenshots`` starts Xvfb). Journals a
day of sales yesterday and a few this morning through the real Journal API,
opens the manager screen with the Manager button and the PIN pad, goes back
one day, selects an order paid late, and saves
docs/screenshots/manager-<lang>.png; then the end-of-day confirmation,
docs/screenshots/manager-z-<lang>.png.
"""

from __future__ import annotations

import asyncio
import os
import random
import sys
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")  # qasync on PySide6, whatever else is installed

import qasync
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.app.gui import build_gui  # noqa: E402
from kiosk.domain.order import BANGKOK, Method, OrderState  # noqa: E402
from kiosk.infra.config import Settings  # noqa: E402
from kiosk.services.pin import ScryptCost, hash_pin  # noqa: E402
from kiosk.store.journal import Journal  # noqa: E402
from kiosk.ui.manager import ManagerScreen  # noqa: E402
from kiosk.ui.pin_pad import PinPad  # noqa: E402
from kiosk.ui.theme import load_fonts, style_sheet, use_screen  # noqa: E402
from tests.journal_data import sell  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PIN = "135790"
S = OrderState


async def until(condition, limit_s: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.05)


async def shoot(app: QApplication, name: str) -> None:
    await asyncio.sleep(0.5)  # let the loop paint (never processEvents inside a task)
    app.primaryScreen().grabWindow(0).save(str(OUT / f"{name}.png"))
    print("saved", OUT / f"{name}.png")


def seed(journal: Journal, now: datetime) -> str:
    """Yesterday 07:00-21:30, busy at lunch; this morning a few. Returns the late order."""
    rng = random.Random(24)
    local = now.astimezone(BANGKOK)
    yesterday = (local - timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    outcomes = [S.PAID] * 16 + [S.EXPIRED, S.CANCELLED, S.FAILED]
    late_id = ""
    expired = 0
    at = yesterday
    while at.hour < 21 or (at.hour == 21 and at.minute < 30):
        lunch = 11 <= at.hour <= 13 or 17 <= at.hour <= 19
        at += timedelta(minutes=rng.randint(4, 12) if lunch else rng.randint(10, 35))
        outcome = rng.choice(outcomes)
        method = Method.WECHAT if rng.random() < 0.2 else Method.QR
        baht = rng.choice(["35", "45.50", "60", "89", "120", "150", "199", "250", "320.75", "480"])
        expired += outcome is S.EXPIRED
        late = outcome is S.EXPIRED and expired % 2 == 1  # every other one paid after all
        order = sell(
            journal,
            at,
            baht,
            method=method,
            outcome=outcome,
            late=late,
            failure_message="ธนาคารปฏิเสธรายการ" if outcome is S.FAILED else None,
        )
        if late and not late_id:
            late_id = order.kiosk_order_id
    morning = local.replace(hour=7, minute=5, second=0, microsecond=0)
    for i, baht in enumerate(["80", "45", "150"]):
        when = morning + timedelta(minutes=20 * i)
        if when < now:
            sell(journal, when, baht)
    return late_id


async def session(app: QApplication, language: str) -> None:
    settings = Settings()
    settings = replace(
        settings,
        store=replace(settings.store, name="Villa Market Sukhumvit 33"),
        sandbox=replace(settings.sandbox, scenario="never"),
        ui=replace(settings.ui, language=language, result_clear_s=0, sound=False),
    )
    with tempfile.TemporaryDirectory() as tmp:
        gui = build_gui(settings, directory=Path(tmp))
        window = gui.window
        late_id = seed(gui.services.journal, gui.services.checkout.clock.now())
        window.showFullScreen()
        try:
            await asyncio.sleep(0.3)
            window.sale.manager_button.click()
            pad = window.findChild(PinPad, "pinPad")
            assert isinstance(pad, PinPad)
            for digit in PIN:
                pad.press(digit)
            await until(lambda: isinstance(window.stack.currentWidget(), ManagerScreen))
            screen = window.stack.currentWidget()
            assert isinstance(screen, ManagerScreen)
            screen.day_bar.prev_day.click()
            screen.select_order(late_id)
            await shoot(app, f"manager-{language}")
            screen.action_bar.z_button.click()
            await until(lambda: screen.side.currentWidget() is screen.z_page)
            await shoot(app, f"manager-z-{language}")
        finally:
            window.close()
            await gui.aclose()


async def main(app: QApplication) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for language in ("en", "th"):
        await session(app, language)


if __name__ == "__main__":
    # A demo PIN for this run only (a cheap hash: it is thrown away with the process).
    os.environ["KIOSK_SECRET_MANAGER_PIN_HASH"] = hash_pin(PIN, cost=ScryptCost(log_n=10))
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    load_fonts()
    application.setStyleSheet(style_sheet(use_screen()))
    qasync.run(main(application))
