"""Screenshots of every screen, in English and Thai, from a real window, at the screen's size.

Run under a display of the size wanted (``make screenshots`` starts one Xvfb
per size: 1024x768, 1280x800, 1920x1080 and 1080x1920, no window manager, as
a kiosk runs). Drives the real window against the embedded sandbox: sale, QR,
cancel prompt, the results, the manager PIN pad, the manager screen (a day of
sales, a flagged sale, the Z confirmation), Settings, About and the first-run
wizard; saves docs/screenshots/<W>x<H>/<lang>-<nn>-<screen>.png, each
reduced to a palette of 256 colours (pillow) to keep the repository small.
ONLY=setup takes the first-run wizard and the settings dialog alone.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_API", "pyside6")  # qasync on PySide6, whatever else is installed

import qasync
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.app.gui import Gui, build_gui  # noqa: E402
from kiosk.domain.order import OrderState  # noqa: E402
from kiosk.infra.config import Settings  # noqa: E402
from kiosk.services.pin import ScryptCost, hash_pin  # noqa: E402
from kiosk.ui.i18n import Language  # noqa: E402
from kiosk.ui.manager import ManagerScreen  # noqa: E402
from kiosk.ui.theme import load_fonts, style_sheet, use_screen  # noqa: E402

# The manager's day of sales, as `make manager-screenshots` journals it.
from scripts.manager_screenshots import PIN, seed  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


async def until(condition: Callable[[], bool], limit_s: float = 10.0) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + limit_s
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError("screen did not reach the expected state")
        await asyncio.sleep(0.05)


class Camera:
    """Saves the whole (virtual) screen under docs/screenshots/<size>/."""

    def __init__(self, app: QApplication) -> None:
        self.app = app
        size = app.primaryScreen().size()
        self.folder = OUT / f"{size.width()}x{size.height()}"
        self.folder.mkdir(parents=True, exist_ok=True)

    async def shoot(self, name: str) -> None:
        await asyncio.sleep(0.5)  # let the loop paint (never processEvents inside a task)
        path = self.folder / f"{name}.png"
        self.app.primaryScreen().grabWindow(0).save(str(path))
        small(path)
        print("saved", path.relative_to(ROOT))


def small(path: Path) -> None:
    """The PNG with a 256-colour palette: about a fifth of the bytes, the same to the eye."""
    try:
        from PIL import Image
    except ImportError:  # pillow is optional here: the full-colour file stays
        return
    with Image.open(path) as image:
        reduced = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    reduced.save(path, optimize=True)


def settings_for(language: str) -> Settings:
    settings = Settings()
    return replace(
        settings,
        store=replace(settings.store, name="Villa Market Sukhumvit 33", checkout_timeout_s=300),
        sandbox=replace(settings.sandbox, scenario="never"),
        printer=replace(settings.printer, kind="pdf"),
        ui=replace(settings.ui, language=language, result_clear_s=0, sound=False),
    )


async def cashier(camera: Camera, gui: Gui, language: str) -> None:
    window, sale, sandbox = gui.window, gui.window.sale, gui.services.sandbox_server
    assert sandbox is not None
    for key in "300":
        sale.press(key)
    await camera.shoot(f"{language}-01-sale")

    async def charge(amount: str) -> str:
        window.show_sale()
        for key in amount:
            sale.press(key)
        sale.charge_button.click()
        await until(lambda: window.stack.currentWidget() is window.qr)
        current = gui.controller.current
        assert current is not None
        return current.kiosk_order_id

    def result_is(state: OrderState) -> bool:
        order = window.result.order()
        shown = window.stack.currentWidget() is window.result
        return shown and order is not None and order.state is state

    order_id = await charge("300")
    await camera.shoot(f"{language}-02-qr")
    sandbox.pay(order_id)
    await until(lambda: result_is(OrderState.PAID))
    await camera.shoot(f"{language}-03-paid")

    sandbox.decline(await charge("45.50"))
    await until(lambda: result_is(OrderState.FAILED))
    await camera.shoot(f"{language}-04-declined")

    await charge("120")
    window.qr.cancel_button.click()
    await camera.shoot(f"{language}-05-confirm-cancel")
    window.qr.confirm_button.click()
    await until(lambda: result_is(OrderState.CANCELLED))
    await camera.shoot(f"{language}-06-cancelled")

    gui.services.checkout.store = replace(gui.services.checkout.store, checkout_timeout_s=1)
    await charge("99")
    await until(lambda: result_is(OrderState.EXPIRED))
    await camera.shoot(f"{language}-07-expired")
    window.show_sale()
    window.show_about()
    await camera.shoot(f"{language}-08-about")
    assert window.about is not None
    window.about.hide()


async def manager(camera: Camera, gui: Gui, language: str, late_id: str) -> None:
    window = gui.window
    window.show_sale()
    window.sale.manager_button.click()
    pad = gui.controller.manager.pad
    assert pad is not None
    for digit in PIN[:3]:
        pad.press(digit)
    await camera.shoot(f"{language}-09-manager-pin")
    for digit in PIN[3:]:
        pad.press(digit)
    await until(lambda: isinstance(window.stack.currentWidget(), ManagerScreen))
    screen = window.stack.currentWidget()
    assert isinstance(screen, ManagerScreen)
    screen.day_bar.prev_day.click()
    screen.select_order(late_id)
    await camera.shoot(f"{language}-10-manager")
    screen.action_bar.z_button.click()
    await until(lambda: screen.side.currentWidget() is screen.z_page)
    await camera.shoot(f"{language}-11-manager-z")
    if screen.attention_bar.isVisible():
        screen.attention_bar.click()
        page = screen.attention_page
        page.view.setCurrentIndex(page.model.index(0))
        page.form.show_order(page.model.order_at(0))
        await camera.shoot(f"{language}-12-manager-attention")
        screen.show_day_view()
    await settings_dialog(camera, gui, language)


async def settings_dialog(camera: Camera, gui: Gui, language: str) -> None:
    """The shop tab with a problem typed; the gateway (Villa) and printer (network) tabs;
    a save that needs a restart."""
    from kiosk.ui.restart import provide_restart

    # Saved into a throw-away file, never this machine's settings; no real restart either.
    os.environ["KIOSK_CONFIG"] = str(Path(tempfile.mkdtemp()) / "config.toml")
    provide_restart(lambda: None)
    gui.controller.manager.settings_dialog = None  # a new one, with that file and restart
    dialog = gui.controller.manager.open_settings()
    dialog.tabs.setCurrentIndex(1)
    dialog.set_value("store.max_amount", "50,000")
    await camera.shoot(f"{language}-13-settings")
    dialog.set_value("store.max_amount", "50000")
    dialog.set_value("gateway.kind", "villa")
    dialog.tabs.setCurrentIndex(0)
    await camera.shoot(f"{language}-13-settings-gateway")
    dialog.set_value("gateway.kind", "sandbox")
    dialog.set_value("printer.kind", "network")
    dialog.set_value("printer.host", "192.0.2.10")
    dialog.tabs.setCurrentIndex(2)
    await camera.shoot(f"{language}-13-settings-printer")
    dialog.set_value("printer.kind", "pdf")
    dialog.set_value("store.name", "Villa Market Sukhumvit 33 (2)")
    dialog.save_button.click()
    await camera.shoot(f"{language}-13-settings-saved")
    dialog.close()


async def wizard(camera: Camera, language: str) -> None:
    from kiosk.app.compose import build_pin
    from kiosk.ui.first_run import FirstRunWizard

    with tempfile.TemporaryDirectory() as tmp:
        shown = FirstRunWizard(
            data_dir=Path(tmp),
            config_path=Path(tmp) / "c.toml",
            pin=build_pin(Path(tmp)),
            language=language,
        )
        shown.showFullScreen()
        await camera.shoot(f"{language}-14-first-run-1-language")
        shown.choose_language(language)
        await camera.shoot(f"{language}-14-first-run-2-mode")
        shown.villa_button.click()
        shown.store_name.setText("Villa Market Sukhumvit 33")
        await camera.shoot(f"{language}-14-first-run-3-villa")
        shown.go("printer")
        kind = shown.fields["printer.kind"].input
        kind.setCurrentIndex(kind.findData("network"))
        shown.fields["printer.host"].input.setText("192.0.2.10")
        await camera.shoot(f"{language}-14-first-run-4-printer")
        shown.go("receipt")
        shown.fields["receipt.tax_id"].input.setText("12345")
        shown.steps["receipt"].next.click()  # shows the problem in words
        await camera.shoot(f"{language}-14-first-run-5-receipt")
        shown.fields["receipt.tax_id"].input.setText("0105558000000")
        shown.steps["receipt"].next.click()
        shown.fields["store.expected_payee"].input.setText("010555800000001")
        await camera.shoot(f"{language}-14-first-run-6-payee")
        shown.go("pin")
        await camera.shoot(f"{language}-14-first-run-7-pin")
        shown.set_language("en")
        shown.close()


async def setup_only(camera: Camera, language: str) -> None:
    """ONLY=setup: the wizard and the settings dialog, without the cashier's session."""
    with tempfile.TemporaryDirectory() as tmp:
        gui = build_gui(settings_for(language), directory=Path(tmp))
        gui.window.showFullScreen()
        try:
            await settings_dialog(camera, gui, language)
        finally:
            gui.window.close()
            await gui.aclose()


async def session(camera: Camera, language: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        gui = build_gui(settings_for(language), directory=Path(tmp))
        late_id = seed(gui.services.journal, gui.services.checkout.clock.now())
        await flag_one(gui)
        gui.window.showFullScreen()
        try:
            await cashier(camera, gui, language)
            await manager(camera, gui, language, late_id)
        finally:
            gui.window.close()
            await gui.aclose()


async def flag_one(gui: Gui) -> None:
    """A sale this morning whose "paid" did not match: the manager's red bar."""
    from kiosk.domain.attention import Reason
    from tests.journal_data import sell

    now = gui.services.checkout.clock.now()
    order = sell(gui.services.journal, now, 300, outcome=OrderState.AWAITING_PAYMENT)
    raw = (("amount", "1.0"), ("currency", "THB"), ("status", "success"))
    await gui.services.checkout.flag(order, Reason.AMOUNT, raw)


async def main(app: QApplication) -> None:
    camera = Camera(app)
    for language in ("en", "th"):
        Language(state_file=Path(tempfile.mkdtemp()) / "s.json", default=language).apply()
        await wizard(camera, language)
        Language(state_file=Path(tempfile.mkdtemp()) / "s.json", default=language).apply()
        if os.environ.get("ONLY") == "setup":
            await setup_only(camera, language)
        else:
            await session(camera, language)


if __name__ == "__main__":
    # A demo PIN for this run only (a cheap hash: it is thrown away with the process).
    os.environ["KIOSK_SECRET_MANAGER_PIN_HASH"] = hash_pin(PIN, cost=ScryptCost(log_n=10))
    application = QApplication(sys.argv)
    application.setQuitOnLastWindowClosed(False)
    load_fonts()
    application.setStyleSheet(style_sheet(use_screen()))  # sized for this screen, as the kiosk
    application.setAttribute(Qt.ApplicationAttribute.AA_DontShowIconsInMenus)
    qasync.run(main(application))
