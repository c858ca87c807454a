"""The GUI's start-up: settings -> window -> services (``kiosk.app.compose``), on one qasync loop.

The window is drawn first (cheap), then the services are built once and
handed to the controller; closing undoes it in reverse.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon, QScreen
from PySide6.QtWidgets import QApplication

from kiosk import __version__
from kiosk.domain.clock import SystemClock
from kiosk.domain.errors import AlreadyRunning, KioskError, StoreError
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, config_path, data_dir, load_settings
from kiosk.infra.logs import setup_logging
from kiosk.ui.about import AboutInfo
from kiosk.ui.already_running import show_already_running
from kiosk.ui.gc import GuiThreadCollector
from kiosk.ui.i18n import Language
from kiosk.ui.kiosk_mode import KioskGuard, install_kiosk_mode
from kiosk.ui.main_window import MainWindow
from kiosk.ui.qr_view import warm_up as qr_warm_up
from kiosk.ui.restart import provide_restart
from kiosk.ui.theme import RESOURCES, Metrics, load_fonts, style_sheet, use_metrics, use_screen

if TYPE_CHECKING:
    # Types only: the services pull in httpx, sqlite and the sandbox, which the
    # window does not need to draw (attach imports them after the first paint).
    from kiosk.app import smoke as self_test
    from kiosk.services.container import Services
    from kiosk.ui.controller import Controller
    from kiosk.ui.customer_display import CustomerDisplay

STARTED = time.perf_counter()
# The receipt render process and the QR encoder warm up this long after the
# window is ready: the spawn blocks the loop for tens of milliseconds and the
# imports compete for the CPU with the start-up. A sale sooner loads them itself.
WARM_UP_AFTER_S = 1.0
_restart_asked = False  # settings' "Restart now": main() starts the command again


@dataclass
class Gui:
    services: Services
    window: MainWindow
    controller: Controller
    language: Language
    kiosk: KioskGuard | None = None  # kiosk mode (or a hidden cursor) is on
    customer: CustomerDisplay | None = None  # the customer-facing screen, when there is one

    async def aclose(self) -> None:
        if self.kiosk is not None:
            self.kiosk.release()
        if self.customer is not None:
            await self.customer.aclose()
        await self.controller.shutdown()
        await self.services.aclose()


def make_window(
    settings: Settings,
    language: Language,
    *,
    screen: QScreen | None = None,
    metrics: Metrics | None = None,
) -> MainWindow:
    """The window alone, from settings: cheap, so it can show before the rest loads.

    Sized for ``screen`` (the primary screen), or for ``metrics`` when given
    (tests and screenshots); in kiosk mode it covers that screen, else its
    available area.
    """
    if metrics is None:
        metrics = use_screen(screen)
    else:
        use_metrics(metrics)
    window = MainWindow(
        shop_name=settings.store.name,
        max_amount=settings.store.max_amount,
        methods=settings.gateway.method_set,
        clock=SystemClock(),
        sandbox=settings.gateway.kind == "sandbox",
        language=language.current,
        result_clear_s=settings.ui.result_clear_s,
    )
    if screen is not None or metrics is None:
        window.fit_to_screen(screen, full=settings.ui.kiosk_mode)
    return window


def attach(
    window: MainWindow,
    settings: Settings,
    language: Language,
    *,
    directory: Path,
    kiosk: KioskGuard | None = None,
) -> Gui:
    """The services behind a window; Charge works from here on.

    A kiosk-mode guard installed before the first paint gets the PIN service now.
    """
    gw = settings.gateway
    if gw.kind == "villa" or gw.base_url.lower().startswith("https:"):
        from kiosk.gateways.tls import load_in_background

        load_in_background()  # the CA bundle loads while the services' modules import
    # Imported here: httpx, sqlite and the sandbox are not needed to draw the window.
    from kiosk.app.compose import build_services
    from kiosk.ui.controller import Controller
    from kiosk.ui.sound import Sounds

    services = build_services(settings, directory=directory)
    window.qr.set_clock(services.clock)
    controller = Controller(
        services=services,
        window=window,
        language=language,
        sounds=Sounds(enabled=settings.ui.sound),
    )
    window.about_info = about_info(settings, directory)
    if kiosk is not None:
        kiosk.pin = services.pin
    # After the cashier's window (shown by run_gui before attach): the customer's screen.
    from kiosk.ui.customer_display import build_customer_display

    customer = build_customer_display(
        services=services, cashier=window, language=lambda: language.current
    )
    controller.manager.customer_display = customer
    return Gui(services, window, controller, language, kiosk, customer)


def start_background(gui: Gui) -> None:
    """What runs beside the window: recovery and the link monitor, receipts warm-up, backups,
    the PIN lockout's countdown, the store-database sync ([store_db])."""
    services, controller = gui.services, gui.controller
    if gui.kiosk is not None:
        controller.spawn(gui.kiosk.tell_if_no_pin(gui.window.notice))
    controller.spawn(controller.startup())
    controller.spawn(services.pin.keep_counting())
    controller.spawn(warm_up_later(services))
    if services.backups is not None:
        controller.spawn(services.backups.run_daily())
    if services.sync is not None:
        services.sync.start()  # its own thread: a sale never waits for the store database


async def warm_up_later(services: Services) -> None:
    """The receipt render process and the QR encoder, once the window is up."""
    await asyncio.sleep(WARM_UP_AFTER_S)
    qr_warm_up()
    if services.receipts is not None:
        services.receipts.warm_up()


def about_info(settings: Settings, directory: Path) -> AboutInfo:
    found = settings.source not in ("", "defaults")
    return AboutInfo(
        version=__version__,
        config_file=Path(settings.source) if found else config_path(),
        config_found=found,
        data_dir=directory,
        log_dir=directory / "logs",
        gateway=settings.gateway.kind,
        kiosk_mode=settings.ui.kiosk_mode,
    )


def build_gui(settings: Settings, *, directory: Path, metrics: Metrics | None = None) -> Gui:
    """Window, services and controller in one go; needs a QApplication and a running loop.

    ``metrics``: size the screens for these instead of the primary screen.
    """
    language = Language(state_file=directory / "ui-state.json", default=settings.ui.language)
    language.apply()
    window = make_window(settings, language, metrics=metrics)
    kiosk = install_kiosk_mode(window, settings.ui, language=language)
    return attach(window, settings, language, directory=directory, kiosk=kiosk)


async def run_gui(
    app: QApplication,
    settings: Settings,
    *,
    exit_when_ready: bool,
    smoke_timeout_s: float | None = None,
    directory: Path | None = None,
    first_run_config: Path | None = None,
) -> int:
    """The kiosk until its window closes; with ``smoke_timeout_s``, the self-test instead.

    With ``first_run_config`` (no settings file there yet) the set-up wizard
    comes first and writes it; closing the wizard ends the program.
    """
    collector = GuiThreadCollector(app)
    collector.start()
    directory = directory or data_dir()
    if first_run_config is not None:
        saved = await run_first_run(directory, first_run_config, settings.ui.language)
        if saved is None:
            collector.stop()
            return 0
        settings = saved
    language = Language(state_file=directory / "ui-state.json", default=settings.ui.language)
    language.apply()
    window = make_window(settings, language)
    kiosk = install_kiosk_mode(window, settings.ui, language=language)
    if kiosk is not None and kiosk.enforce:
        window.show()  # full screen: the guard set the state, make_window the geometry
    else:
        window.showMaximized()
    window.show_sale()
    await asyncio.sleep(0)  # let the window paint before the slower parts load
    if exit_when_ready:
        print(f"interactive_s={time.perf_counter() - STARTED:.4f}", flush=True)
    try:
        gui = attach(window, settings, language, directory=directory, kiosk=kiosk)
    except AlreadyRunning as exc:
        from kiosk.app import smoke as self_test

        if kiosk is not None:
            kiosk.release()
        window.hide()
        collector.stop()
        if smoke_timeout_s is not None:
            report = self_test.SmokeReport(
                status="failed", step="start", detail=str(exc), exit_code=exc.exit_code
            )
            return self_test.write_report(report, directory, out=sys.stdout)
        return await show_already_running(
            exc, language.current, timeout_s=0 if exit_when_ready else 30
        )
    controller = gui.controller
    # The loop must outlive the window so shutdown can await clean-up.
    app.setQuitOnLastWindowClosed(False)
    closed = asyncio.Event()
    window.closing.connect(closed.set)
    app.aboutToQuit.connect(closed.set)

    def restart() -> None:  # shut down as on close (journal, lock), then main() re-executes
        global _restart_asked
        _restart_asked = True
        closed.set()

    provide_restart(restart)
    if exit_when_ready:
        # Benchmarks: when the window took input, and when Charge could work.
        def ready() -> None:
            print(f"charge_ready_s={time.perf_counter() - STARTED:.4f}", flush=True)
            closed.set()

        QTimer.singleShot(0, ready)
    smoke: asyncio.Task[self_test.SmokeReport] | None = None
    if smoke_timeout_s is not None:
        from kiosk.app import smoke as self_test

        smoke = controller.spawn(
            self_test.drive(
                window,
                controller,
                gui.services,
                timeout_s=smoke_timeout_s,
                customer=gui.customer,
            )
        )
        smoke.add_done_callback(lambda _: closed.set())
    start_background(gui)
    # What start-up made lives as long as the program: out of the GUI thread's
    # full collection every minute (kiosk.ui.gc), which would walk all of it
    # (~46 000 objects, 10-25 ms of stall here). Later garbage is collected as
    # before; start-up's few hundred unreachable objects are simply kept.
    gc.freeze()
    try:
        await closed.wait()
        if smoke is not None:
            report = await smoke if smoke.done() else self_test.SmokeReport(detail="window closed")
            return self_test.write_report(report, directory, out=sys.stdout)
    finally:
        provide_restart(None)
        await gui.aclose()
        collector.stop()
    return 0


def restart_program() -> None:
    """Replace this process with the same kiosk command (same interpreter, flags and argv)."""
    frozen = getattr(sys, "frozen", False)  # a packaged kiosk: its argv[0] is the program
    argv = [sys.executable, *(sys.argv if frozen else sys.orig_argv)[1:]]
    logging.shutdown()
    os.execv(sys.executable, argv)


async def run_first_run(directory: Path, config: Path, language: str) -> Settings | None:
    """The first-run wizard until it saves (the new Settings) or is closed (None)."""
    from kiosk.app.compose import build_pin
    from kiosk.ui.first_run import FirstRunWizard

    wizard = FirstRunWizard(
        data_dir=directory, config_path=config, pin=build_pin(directory), language=language
    )
    outcome: asyncio.Future[Settings | None] = asyncio.get_running_loop().create_future()

    def finish(value: Settings | None) -> None:
        if not outcome.done():
            outcome.set_result(value)

    wizard.finished.connect(finish)
    wizard.abandoned.connect(lambda: finish(None))
    wizard.showMaximized()
    try:
        return await outcome
    finally:
        wizard.hide()
        wizard.deleteLater()


def main(
    config: str | None = None,
    *,
    exit_when_ready: bool = False,
    first_run: bool = True,
    smoke: bool = False,
    smoke_timeout_s: float = 60.0,
) -> int:
    from kiosk.app.cli import keep_files_private

    keep_files_private()  # also when started without kiosk.app.cli.main
    wizard_for = None
    if first_run and not (smoke or exit_when_ready) and not config_path(config).exists():
        wizard_for = config_path(config)  # also a named one (KIOSK_CONFIG): created there
    try:
        settings = load_settings(config) if wizard_for is None else Settings()
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')}", file=sys.stderr)
        return ExitCode.USAGE
    directory, smoke_for = data_dir(), None
    if smoke:  # the installer's self-test (kiosk/app/smoke.py)
        from kiosk.app import smoke as self_test

        settings, directory = self_test.smoke_settings(settings), self_test.smoke_directory()
        smoke_for = smoke_timeout_s
        self_test.watchdog(smoke_timeout_s)
    try:
        setup_logging(directory / "logs", verbose=bool(os.environ.get("KIOSK_VERBOSE")))
    except StoreError as exc:  # an unusable data folder: exit 8 with words, no traceback
        print(f"kiosk: {exc.user_message('en')}", file=sys.stderr)
        return exc.exit_code
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("kiosk")
    app.setDesktopFileName("qr-kiosk")  # matches packaging's qr-kiosk.desktop
    app.setWindowIcon(QIcon(str(RESOURCES / "icons" / "qr-kiosk.svg")))
    load_fonts()
    app.setStyleSheet(style_sheet(use_screen()))  # sizes for the screen the kiosk is on
    try:
        code: int = qasync.run(
            run_gui(
                app,
                settings,
                exit_when_ready=exit_when_ready,
                smoke_timeout_s=smoke_for,
                directory=directory,
                first_run_config=wizard_for,
            )
        )
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')} ({exc.detail})", file=sys.stderr)
        if smoke:
            from kiosk.app import smoke as self_test

            report = self_test.SmokeReport(
                status="failed", step="start", detail=str(exc), exit_code=exc.exit_code
            )
            return self_test.write_report(report, directory, out=sys.stdout)
        return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code
    if _restart_asked:
        restart_program()
    return code
