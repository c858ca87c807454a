"""The main window: banners on top, and one of the sale / QR / result screens.

A screen's first paint costs several times a later one (layouts activated
for the first time, glyphs of the large fonts rasterised, PySide's enums
made on first use): ~5 ms more of CPU for the QR screen here (much more
under load), in the slice that shows the first sale's code. So, a moment
after the window first shows, the QR and result screens are painted once
into an image nobody sees (``warm_up``), one screen a slice.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QGuiApplication, QImage, QScreen, QShowEvent
from PySide6.QtWidgets import QMainWindow, QStackedWidget, QVBoxLayout, QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.ui.about import AboutBox, AboutInfo
from kiosk.ui.banners import NoticeBar, SandboxBanner
from kiosk.ui.pin_pad import bring_to_front
from kiosk.ui.qr_screen import QrScreen
from kiosk.ui.result_screen import ResultScreen
from kiosk.ui.sale_screen import SaleScreen
from kiosk.ui.theme import metrics

# After Charge-ready (~0.2 s after the window shows here) and before kiosk.app.gui's
# warm-ups (1 s; the receipt renderer's spawn holds the loop for tens of ms).
WARM_UP_AFTER_MS = 700


class MainWindow(QMainWindow):
    closing = Signal()

    def __init__(
        self,
        *,
        shop_name: str,
        max_amount: Money,
        methods: frozenset[Method],
        clock: Clock,
        sandbox: bool,
        language: str,
        result_clear_s: int,
    ) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self._sandbox = sandbox
        self.banner = SandboxBanner()
        self.banner.setVisible(sandbox)
        self.offline = NoticeBar(object_name="offlineBar")
        self.offline.dismiss.hide()
        self.notice = NoticeBar()
        self.sale = SaleScreen(
            shop_name=shop_name, max_amount=max_amount, methods=methods, language=language
        )
        self.qr = QrScreen(shop_name=shop_name, clock=clock)
        self.result = ResultScreen(clear_after_s=result_clear_s)
        self.stack = QStackedWidget()
        for screen in (self.sale, self.qr, self.result):
            self.stack.addWidget(screen)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.banner)
        for bar in (self.offline, self.notice):
            layout.addWidget(bar)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.setGeometry(metrics().area)  # the screen the layouts were sized for
        self.about_info: AboutInfo | None = None  # set by kiosk.app.gui once paths are known
        self.about: AboutBox | None = None
        self.sale.aboutRequested.connect(self.show_about)
        self._warm_up_pending = True
        self._shown: set[QWidget] = {self.sale}  # screens painted for real at least once
        self.retranslate()

    def fit_to_screen(self, screen: QScreen | None = None, *, full: bool = False) -> QRect:
        """Cover ``screen``: all of it (``full``, kiosk mode), else its available area.

        Set as geometry too, not only as a window state: without a window
        manager nobody acts on "full screen" or "maximized".
        """
        screen = screen or self.screen() or QGuiApplication.primaryScreen()
        area = QRect(screen.geometry() if full else screen.availableGeometry())
        self.setGeometry(area)
        return area

    def show_sale(self) -> None:
        self.sale.clear()
        self.stack.setCurrentWidget(self.sale)
        self.sale.setFocus()

    def show_qr(self) -> None:
        self._shown.add(self.qr)
        self.stack.setCurrentWidget(self.qr)

    def show_result(self) -> None:
        self._shown.add(self.result)
        self.stack.setCurrentWidget(self.result)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._warm_up_pending:
            self._warm_up_pending = False
            QTimer.singleShot(WARM_UP_AFTER_MS, self, self.warm_up)  # not once closed

    def warm_up(self) -> None:
        """Paint each screen never shown yet once, offscreen, one screen an event-loop slice."""
        pending = [self.qr, self.result]

        def next_screen() -> None:
            if not pending:
                return
            screen = pending.pop(0)
            if screen not in self._shown and screen is not self.stack.currentWidget():
                # The size the stack will give it, so that texts fit as they will then.
                screen.setGeometry(self.stack.contentsRect())
                screen.render(QImage(screen.size(), QImage.Format.Format_ARGB32_Premultiplied))
            QTimer.singleShot(0, self, next_screen)

        next_screen()

    def show_about(self) -> None:
        """The About box (non-modal); its "Close the kiosk" is a normal close request."""
        if self.about_info is None:
            return
        if self.about is None:
            self.about = AboutBox(self.about_info, parent=self)
            self.about.quitRequested.connect(self.close)
        self.about.show()
        bring_to_front(self.about)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.closing.emit()
        super().closeEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        title = self.tr("QR payment kiosk")
        self.setWindowTitle(f"{title} — SANDBOX" if self._sandbox else title)
