"""Screenshots of every screen, in English and Thai, from a real window.

Run under a display (make screenshots starts Xvfb): drives the real window
against the embedded sandbox and saves docs/screenshots/<lang>-<screen>.png.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.app.gui import build_gui  # noqa: E402
from kiosk.domain.order import OrderState  # noqa: E402
from kiosk.infra.config import Settings  # noqa: E402
from kiosk.ui.theme import STYLE, load_fonts  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


async def until(condition, timeout: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.05)


async def shoot(app: QApplication, name: str) -> None:
    await asyncio.sleep(0.4)  # let the loop paint (never processEvents inside a task)
    screen = app.primaryScreen()
    screen.grabWindow(0).save(str(OUT / f"{name}.png"))
    print("saved", OUT / f"{name}.png")


async def session(app: QApplication, language: str) -> None:
    settings = Settings()
    settings = replace(
        settings,
        store=replace(settings.store, name="Villa Market Sukhumvit 33", checkout_timeout_s=300),
        sandbox=replace(settings.sandbox, scenario="never"),
        ui=replace(settings.ui, language=language, result_clear_s=0, sound=False),
    )
    with tempfile.TemporaryDirectory() as tmp:
        gui = build_gui(settings, directory=Path(tmp))
        window, sale, sandbox = gui.window, gui.window.sale, gui.services.sandbox_server
        assert sandbox is not None
        window.showFullScreen()
        try:
            for key in "300":
                sale.press(key)
            await shoot(app, f"{language}-1-sale")

            async def charge(amount: str) -> None:
                window.show_sale()
                for key in amount:
                    sale.press(key)
                sale.charge_button.click()
                await until(lambda: window.stack.currentWidget() is window.qr)

            def result_is(state: OrderState) -> bool:
                order = window.result.order()
                shown = window.stack.currentWidget() is window.result
                return shown and order is not None and order.state is state

            await charge("300")
            await shoot(app, f"{language}-2-qr")
            current = gui.controller.current
            assert current is not None
            sandbox.pay(current.kiosk_order_id)
            await until(lambda: result_is(OrderState.PAID))
            await shoot(app, f"{language}-3-paid")

            await charge("45.50")
            current = gui.controller.current
            assert current is not None
            sandbox.decline(current.kiosk_order_id)
            await until(lambda: result_is(OrderState.FAILED))
            await shoot(app, f"{language}-4-declined")

            await charge("120")
            window.qr.cancel_button.click()
            await shoot(app, f"{language}-5-confirm-cancel")
            window.qr.confirm_button.click()
            await until(lambda: result_is(OrderState.CANCELLED))
            await shoot(app, f"{language}-6-cancelled")

            gui.services.checkout.store = replace(gui.services.checkout.store, checkout_timeout_s=1)
            await charge("99")
            await until(lambda: result_is(OrderState.EXPIRED))
            await shoot(app, f"{language}-7-expired")
        finally:
            window.close()
            await gui.aclose()


async def set_up_screens(app: QApplication, language: str) -> None:
    """The first-run wizard and the settings dialog (installer and manager)."""
    from kiosk.app.compose import build_pin
    from kiosk.ui.first_run import FirstRunWizard
    from kiosk.ui.settings_dialog import SettingsDialog

    with tempfile.TemporaryDirectory() as tmp:
        wizard = FirstRunWizard(
            data_dir=Path(tmp),
            config_path=Path(tmp) / "c.toml",
            pin=build_pin(Path(tmp)),
            language=language,
        )
        wizard.showFullScreen()
        await shoot(app, f"{language}-8-first-run")
        wizard.villa_button.click()
        await shoot(app, f"{language}-9-first-run-villa")
        wizard.close()
        dialog = SettingsDialog(
            current=Settings(), language=language, config_path=Path(tmp) / "c.toml"
        )
        dialog.resize(1280, 800)
        dialog.move(0, 0)
        dialog.show()
        dialog.set_value("store.max_amount", "50,000")
        await shoot(app, f"{language}-10-settings")
        dialog.close()


async def main(app: QApplication) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for language in ("en", "th"):
        from kiosk.ui.i18n import Language

        Language(state_file=Path(tempfile.mkdtemp()) / "s.json", default=language).apply()
        await set_up_screens(app, language)
        await session(app, language)


if __name__ == "__main__":
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    load_fonts()
    application.setStyleSheet(STYLE)
    application.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus)
    qasync.run(main(application))
