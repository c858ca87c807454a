"""First run: with no settings file, a short wizard before the sale screen.

Choice -> "Try it in sandbox mode" (shop name) or "Connect to the Villa
Payment API" (URL, Cognito client and user, password and client secret into
the keyring, Test connection) -> set the manager PIN -> the settings file is
written and the kiosk starts. Nothing secret goes into the file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Protocol

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.errors import KeyringUnavailable, KioskError, Text
from kiosk.infra.secrets import Secrets
from kiosk.services import setup
from kiosk.services.connection import test_connection
from kiosk.services.pin import check_pin_format
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREEN, RED, font, metrics, px, touch

log = logging.getLogger("kiosk.ui.first_run")

PINS_DIFFER = Text("The two PINs are not the same.", "PIN ทั้งสองครั้งไม่ตรงกัน")


def _line(name: str, text: str = "", *, secret: bool = False) -> QLineEdit:
    line = QLineEdit(text)
    line.setObjectName(name)
    line.setFont(font(20))
    line.setMinimumHeight(touch(42))
    if secret:
        line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


class PinSetter(Protocol):
    """Where the wizard stores the manager PIN (``kiosk.services.pin.ManagerPin``)."""

    async def set_pin(self, pin: str) -> None: ...


class FirstRunWizard(QWidget):
    finished = Signal(object)  # the saved Settings
    abandoned = Signal()

    def __init__(
        self,
        *,
        data_dir: Path,
        config_path: Path | None = None,
        pin: PinSetter,
        secrets: Secrets | None = None,
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self._data_dir = data_dir
        self._path = config_path
        self._secrets = secrets or Secrets()
        self._pin = pin
        self._language = language
        self._mode = "sandbox"
        self._done = False

        self.title = plain(QLabel())
        self.title.setFont(font(32, bold=True))
        self.intro = plain(QLabel())
        self.intro.setFont(font(22))
        self.intro.setWordWrap(True)
        self.sandbox_button = QPushButton()
        self.sandbox_button.setObjectName("wizardSandbox")
        self.villa_button = QPushButton()
        self.villa_button.setObjectName("wizardVilla")
        for button in (self.sandbox_button, self.villa_button):
            button.setFont(font(30, bold=True))
            button.setMinimumHeight(touch(120))
        self.sandbox_button.clicked.connect(lambda: self._choose("sandbox"))
        self.villa_button.clicked.connect(lambda: self._choose("villa"))
        choice = QWidget()
        choice_layout = QVBoxLayout(choice)
        choice_layout.addWidget(self.intro)
        choice_layout.addStretch(1)
        choice_layout.addWidget(self.sandbox_button)
        choice_layout.addWidget(self.villa_button)
        choice_layout.addStretch(1)

        # the details page: the shop always, the Villa connection when chosen
        self.store_name = _line("wizardStoreName", "Sandbox Shop")
        self.store_id = _line("wizardStoreId", "S001")
        self.terminal_id = _line("wizardTerminalId", "T01")
        self.base_url = _line("wizardBaseUrl", setup.VILLA_DEV_URL)
        self.pool_id = _line("wizardUserPoolId")
        self.client_id = _line("wizardClientId")
        self.username = _line("wizardUsername")
        self.region = _line("wizardRegion", "ap-southeast-1")
        self.auth_header = QComboBox()
        self.auth_header.setObjectName("wizardAuthHeader")
        self.auth_header.setFont(font(22))
        for style in ("raw", "bearer"):
            self.auth_header.addItem(style, style)
        self.password = _line("wizardPassword", secret=True)
        self.client_secret = _line("wizardClientSecret", secret=True)
        self.details_form = QFormLayout()
        self.details_form.setVerticalSpacing(6)
        self._villa_rows: list[QWidget] = [
            self.base_url,
            self.pool_id,
            self.client_id,
            self.username,
            self.region,
            self.auth_header,
            self.password,
            self.client_secret,
        ]
        self._labels: dict[QWidget, QLabel] = {}
        for widget in (self.store_name, self.store_id, self.terminal_id, *self._villa_rows):
            label = plain(QLabel())
            label.setFont(font(18, bold=True))
            self._labels[widget] = label
            self.details_form.addRow(label, widget)
        self.test_button = QPushButton()
        self.test_button.setObjectName("wizardTestConnection")
        self.details_next = QPushButton()
        self.details_next.setObjectName("wizardDetailsNext")
        self.details_back = QPushButton()
        for button in (self.test_button, self.details_next, self.details_back):
            button.setFont(font(24, bold=True))
        self.test_button.clicked.connect(self.on_test_clicked)
        self.details_next.clicked.connect(self.on_details_next)
        self.details_back.clicked.connect(self._back_to_choice)
        self.details_message = plain(QLabel())
        self.details_message.setObjectName("wizardDetailsMessage")
        self.details_message.setWordWrap(True)
        self.details_message.setFont(font(20, bold=True))
        details = QWidget()
        details_layout = QVBoxLayout(details)
        details_layout.addLayout(self.details_form)
        details_layout.addWidget(self.details_message)
        details_layout.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.details_back)
        row.addWidget(self.test_button)
        row.addStretch(1)
        row.addWidget(self.details_next)
        details_layout.addLayout(row)

        # the PIN page
        self.pin_intro = plain(QLabel())
        self.pin_intro.setFont(font(22))
        self.pin_intro.setWordWrap(True)
        self.pin1 = _line("wizardPin", secret=True)
        self.pin2 = _line("wizardPinAgain", secret=True)
        for line in (self.pin1, self.pin2):
            line.setMaxLength(6)
            line.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_labels = (plain(QLabel()), plain(QLabel()))
        pin_form = QFormLayout()
        for label, line in zip(self.pin_labels, (self.pin1, self.pin2), strict=True):
            label.setFont(font(18, bold=True))
            pin_form.addRow(label, line)
        self.pin_message = plain(QLabel())
        self.pin_message.setObjectName("wizardPinMessage")
        self.pin_message.setWordWrap(True)
        self.pin_message.setFont(font(20, bold=True))
        self.finish_button = QPushButton()
        self.finish_button.setObjectName("wizardFinish")
        self.skip_pin_button = QPushButton()
        self.skip_pin_button.setObjectName("wizardSkipPin")
        self.skip_pin_button.hide()
        for button in (self.finish_button, self.skip_pin_button):
            button.setFont(font(24, bold=True))
        self.finish_button.clicked.connect(self.on_finish_clicked)
        self.skip_pin_button.clicked.connect(self.on_skip_pin)
        pin_page = QWidget()
        pin_layout = QVBoxLayout(pin_page)
        pin_layout.addWidget(self.pin_intro)
        pin_layout.addLayout(pin_form)
        pin_layout.addWidget(self.pin_message)
        pin_layout.addStretch(1)
        pin_row = QHBoxLayout()
        pin_row.addWidget(self.skip_pin_button)
        pin_row.addStretch(1)
        pin_row.addWidget(self.finish_button)
        pin_layout.addLayout(pin_row)

        self.pages = QStackedWidget()
        for page in (choice, details, pin_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(48), px(16), px(48), px(16))
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        self.setGeometry(metrics().area)  # the whole (available) screen, as the kiosk
        self.retranslate()

    # --- steps

    def _back_to_choice(self) -> None:
        self.pages.setCurrentIndex(0)

    def _choose(self, mode: str) -> None:
        self._mode = mode
        for widget in self._villa_rows:
            widget.setVisible(mode == "villa")
            self._labels[widget].setVisible(mode == "villa")
        self.test_button.setVisible(mode == "villa")
        if mode == "villa" and self.store_name.text() == "Sandbox Shop":
            self.store_name.setText("")
        self.details_message.clear()
        self.pages.setCurrentIndex(1)

    def values(self) -> dict[str, Any]:
        shop = {
            "store.name": self.store_name.text().strip(),
            "store.store_id": self.store_id.text().strip(),
            "store.terminal_id": self.terminal_id.text().strip(),
        }
        if self._mode == "sandbox":
            return {**setup.sandbox_values(store_name=shop["store.name"]), **shop}
        return {
            **setup.villa_values(
                base_url=self.base_url.text().strip(),
                client_id=self.client_id.text().strip(),
                username=self.username.text().strip(),
                user_pool_id=self.pool_id.text().strip(),
                region=self.region.text().strip(),
                auth_header=str(self.auth_header.currentData()),
            ),
            **shop,
        }

    def credentials(self) -> dict[str, str | None]:
        if self._mode != "villa":
            return {}
        return {
            "COGNITO_PASSWORD": self.password.text() or None,
            "COGNITO_CLIENT_SECRET": self.client_secret.text() or None,
        }

    def _say(self, label: QLabel, text: Text, *, ok: bool) -> None:
        label.setText(text.get(self._language))
        label.setStyleSheet(f"color: {GREEN if ok else RED};")

    def _problem(self) -> Text | None:
        found = setup.problems(self.values())
        if found:
            return found[0].text
        if self._mode == "villa" and not self.password.text():
            return Text("Enter the Cognito password.", "กรุณาใส่รหัสผ่าน Cognito")
        return None

    @asyncSlot()
    async def on_test_clicked(self) -> None:
        problem = self._problem()
        if problem is not None:
            self._say(self.details_message, problem, ok=False)
            return
        self.test_button.setEnabled(False)
        try:
            result = await test_connection(
                setup.validate(self.values()), secrets=self._secrets, credentials=self.credentials()
            )
        finally:
            self.test_button.setEnabled(True)
        self._say(self.details_message, result.text, ok=result.ok)

    def on_details_next(self) -> None:
        problem = self._problem()
        if problem is not None:
            self._say(self.details_message, problem, ok=False)
            return
        self.pin_message.clear()
        self.pages.setCurrentIndex(2)

    @asyncSlot()
    async def on_finish_clicked(self) -> None:
        pin = self.pin1.text()
        problem = check_pin_format(pin) or (PINS_DIFFER if pin != self.pin2.text() else None)
        if problem is not None:
            self._say(self.pin_message, problem, ok=False)
            return
        self.finish_button.setEnabled(False)
        try:
            await self._pin.set_pin(pin)
        except KeyringUnavailable as exc:
            # Headless box with no keyring: sandbox may go on; a real gateway may not.
            self._say(self.pin_message, exc.text, ok=False)
            self.skip_pin_button.setVisible(self._mode == "sandbox")
            return
        except KioskError as exc:
            self._say(self.pin_message, exc.text, ok=False)
            return
        finally:
            self.finish_button.setEnabled(True)
        self._save()

    def on_skip_pin(self) -> None:
        self._save()

    def _save(self) -> None:
        try:
            saved = setup.save_settings(
                self.values(),
                secrets=self._secrets,
                path=self._path,
                credentials=self.credentials(),
            )
        except KioskError as exc:
            self._say(self.pin_message, exc.text, ok=False)
            return
        log.info("first run: settings written (%s)", self._mode)
        self._done = True
        self.finished.emit(saved)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._done:
            self.abandoned.emit()
        super().closeEvent(event)

    # --- language

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up this counter"))
        self.title.setText(self.tr("Set up this counter"))
        self.intro.setText(
            self.tr("There are no settings yet. Try the kiosk with test payments, or connect it.")
        )
        self.sandbox_button.setText(self.tr("Try it in sandbox mode"))
        self.villa_button.setText(self.tr("Connect to the Villa Payment API"))
        names = {
            self.store_name: self.tr("Shop name"),
            self.store_id: self.tr("Store id"),
            self.terminal_id: self.tr("Counter id"),
            self.base_url: self.tr("API address"),
            self.pool_id: self.tr("Cognito user pool id"),
            self.client_id: self.tr("Cognito client id"),
            self.username: self.tr("Cognito user name"),
            self.region: self.tr("AWS region"),
            self.auth_header: self.tr("Token header"),
            self.password: self.tr("Cognito password"),
            self.client_secret: self.tr("Client secret (if any)"),
        }
        for widget, text in names.items():
            self._labels[widget].setText(text)
        self.test_button.setText(self.tr("Test connection"))
        self.details_next.setText(self.tr("Next"))
        self.details_back.setText(self.tr("Back"))
        self.pin_intro.setText(
            self.tr("Choose the 6-digit manager PIN. It opens settings and the manager screen.")
        )
        self.pin_labels[0].setText(self.tr("Manager PIN"))
        self.pin_labels[1].setText(self.tr("PIN again"))
        self.finish_button.setText(self.tr("Finish and start"))
        self.skip_pin_button.setText(self.tr("Start without a PIN (sandbox only)"))
