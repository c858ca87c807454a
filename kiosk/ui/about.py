"""The About box: version, and where the settings, data and logs of this kiosk are.

Non-modal (the sale goes on behind it). Its "Close the kiosk" button asks the
main window to close, which in kiosk mode means the manager PIN pad.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.ui.fitting import WrapAnywhereLabel
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREY, font, metrics, px


@dataclass(frozen=True)
class AboutInfo:
    version: str
    config_file: Path
    config_found: bool  # False: no file there, the defaults are in use
    data_dir: Path
    log_dir: Path
    gateway: str  # "sandbox" or "villa"
    kiosk_mode: bool


class AboutBox(QDialog):
    quitRequested = Signal()

    def __init__(self, info: AboutInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("aboutBox")
        # A frame of its own: kiosk sessions often run without a window manager to draw one.
        self.setStyleSheet("QDialog#aboutBox { border: 3px solid #1565c0; }")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.info = info
        self.title = plain(QLabel())
        self.title.setObjectName("aboutTitle")
        self.title.setFont(font(30, bold=True))

        def value(name: str, text: str) -> QLabel:
            # A path has no spaces to wrap at: it wraps anywhere rather than be cut.
            label = WrapAnywhereLabel(text)
            label.setObjectName(name)
            label.setFont(font(20))
            return label

        self.version = value("aboutVersion", info.version)
        self.config = value("aboutConfig", str(info.config_file))
        self.config_note = value("aboutConfigNote", "")
        self.config_note.setStyleSheet(f"color: {GREY};")
        self.data = value("aboutData", str(info.data_dir))
        self.logs = value("aboutLogs", str(info.log_dir))
        self.gateway = value("aboutGateway", "")
        self.mode = value("aboutKioskMode", "")
        self.form = QFormLayout()
        self.form.setHorizontalSpacing(px(24))
        self.form.setVerticalSpacing(px(10))
        self._captions: list[QLabel] = []
        for field in (
            self.version,
            self.config,
            self.config_note,
            self.data,
            self.logs,
            self.gateway,
            self.mode,
        ):
            caption = plain(QLabel())
            caption.setFont(font(20, bold=True))
            self._captions.append(caption)
            self.form.addRow(caption, field)

        self.quit_button = QPushButton()
        self.quit_button.setObjectName("aboutQuitButton")
        self.quit_button.setFont(font(22))
        self.quit_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.quit_button.clicked.connect(self.on_quit_clicked)
        self.close_button = QPushButton()
        self.close_button.setObjectName("aboutCloseButton")
        self.close_button.setFont(font(22, bold=True))
        self.close_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.close_button.clicked.connect(self.hide)
        buttons = QHBoxLayout()
        buttons.addWidget(self.quit_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(28), px(24), px(28), px(24))
        layout.setSpacing(px(16))
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addLayout(buttons)
        self.setMinimumWidth(min(px(760), metrics().area.width() - px(32)))
        self.retranslate()

    def showEvent(self, event: QShowEvent) -> None:
        # Paths wrap: the box takes the height its lines need at its width (a window's
        # height does not follow its width by itself), never more than the screen.
        super().showEvent(event)
        wanted = self.heightForWidth(self.width())
        if wanted > self.height():
            self.resize(self.width(), min(wanted, metrics().area.height() - px(32)))

    def on_quit_clicked(self) -> None:
        self.hide()
        self.quitRequested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("About this kiosk"))
        self.title.setText(self.tr("QR payment kiosk"))
        captions = (
            self.tr("Version"),
            self.tr("Settings file"),
            "",
            self.tr("Data folder"),
            self.tr("Logs"),
            self.tr("Payment gateway"),
            self.tr("Kiosk mode"),
        )
        for caption, text in zip(self._captions, captions, strict=True):
            caption.setText(text)
        self.config_note.setText(
            self.tr("In use.")
            if self.info.config_found
            else self.tr("Not there yet: the built-in defaults are in use.")
        )
        self.gateway.setText(
            self.tr("Sandbox (test payments only)")
            if self.info.gateway == "sandbox"
            else self.tr("Villa Payment API")
        )
        self.mode.setText(
            self.tr("On: closing needs the manager PIN") if self.info.kiosk_mode else self.tr("Off")
        )
        self.quit_button.setText(self.tr("Close the kiosk…"))
        self.close_button.setText(self.tr("Close"))
