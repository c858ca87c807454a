"""First run: with no settings file, a short wizard before the sale screen.

Language (switches the wizard at once) -> "Try it in sandbox mode" or
"Connect to the Villa Payment API" -> the shop and, for Villa, the connection
(the production address unless development is chosen; password and client
secret into the keyring; Test connection) -> the receipt printer (Test print,
the same path as ``kiosk print-test``) -> the receipt's header and footer ->
the shop's PromptPay or biller id -> the manager PIN -> the settings file is
written where the kiosk was told to look (0600) and the kiosk starts. Every
step has Back; a problem is said in words, with the setting's name, never its
TOML key. Nothing secret goes into the file.
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
    QScrollArea,
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
from kiosk.ui.i18n import Language
from kiosk.ui.plain import plain
from kiosk.ui.settings_dialog import FieldEditor
from kiosk.ui.settings_text import choice_text, label_of, problem_text, shown, why_text
from kiosk.ui.theme import GREEN, RED, font, metrics, px, touch

log = logging.getLogger("kiosk.ui.first_run")

PINS_DIFFER = Text("The two PINs are not the same.", "PIN ทั้งสองครั้งไม่ตรงกัน")
STEPS = ("language", "mode", "details", "printer", "receipt", "payee", "pin")
PRINTER_KEYS = (
    "printer.kind",
    "printer.host",
    "printer.port",
    "printer.device",
    "printer.paper_mm",
)
# What [receipt] prints at the top and bottom; keys not declared (yet) are left out.
RECEIPT_KEYS = ("receipt.branch", "receipt.address", "receipt.tax_id", "receipt.footer")
PAYEE_KEYS = ("store.expected_payee",)
SHOP_KEYS = ("store.name", "store.store_id", "store.terminal_id")
VILLA_KEYS = (
    "gateway.base_url",
    "gateway.cognito.user_pool_id",
    "gateway.cognito.client_id",
    "gateway.cognito.username",
    "gateway.cognito.region",
    "gateway.auth_header",
)
SERVERS = (
    ("production", setup.VILLA_PROD_URL),
    ("development", setup.VILLA_DEV_URL),
    ("other", ""),
)


def _line(name: str, text: str = "", *, secret: bool = False) -> QLineEdit:
    line = QLineEdit(text)
    line.setObjectName(name)
    line.setFont(font(20))
    line.setMinimumHeight(touch(42))
    if secret:
        line.setEchoMode(QLineEdit.EchoMode.Password)
    return line


def _button(name: str, size: int = 24) -> QPushButton:
    button = QPushButton()
    button.setObjectName(name)
    button.setFont(font(size, bold=True))
    button.setMinimumHeight(touch(48))
    return button


class PinSetter(Protocol):
    """Where the wizard stores the manager PIN (``kiosk.services.pin.ManagerPin``)."""

    async def set_pin(self, pin: str) -> None: ...


class Step(QWidget):
    """One page of the wizard: a heading, its fields (scrolled if the screen is short),
    a message line, and Back / Next at the bottom."""

    def __init__(self, name: str, *, back: bool = True, next_: bool = True) -> None:
        super().__init__()
        self.setObjectName(f"wizardStep:{name}")
        self.heading = plain(QLabel())
        self.heading.setFont(font(24))
        self.heading.setWordWrap(True)
        self.body = QVBoxLayout()
        self.body.setContentsMargins(0, 0, px(12), 0)
        inner = QWidget()
        inner.setLayout(self.body)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(inner)
        self.message = plain(QLabel())
        self.message.setObjectName(f"wizardMessage:{name}")
        self.message.setWordWrap(True)
        self.message.setFont(font(20, bold=True))
        self.back = _button(f"wizardBack:{name}")
        self.back.setVisible(back)
        self.next = _button(f"wizardNext:{name}")
        self.next.setVisible(next_)
        # Test connection / Test print / Start without a PIN: beside Back on a wide screen,
        # a row of their own on an upright one (so Back and Next never leave it).
        self.extra = QHBoxLayout()
        self.row = QHBoxLayout()
        self.row.addWidget(self.back)
        self.row.addStretch(1)
        self.row.addWidget(self.next)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(self.extra)
        layout.addLayout(self.row)

    def add_action(self, button: QPushButton) -> None:
        """A button of this step's own (Test print…), where it fits the screen."""
        if metrics().portrait:
            self.extra.addWidget(button)
            self.extra.addStretch(1)
        else:
            self.row.insertWidget(1, button)

    def add_form(self) -> QFormLayout:
        form = QFormLayout()
        form.setVerticalSpacing(px(6))
        if metrics().portrait:  # narrow: each name above its field
            form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        self.body.addLayout(form)
        return form


class FirstRunWizard(QWidget):
    finished = Signal(object)  # the saved Settings
    abandoned = Signal()
    test_printed = Signal(bool)  # a Test print ended: printed or not

    def __init__(
        self,
        *,
        data_dir: Path,
        config_path: Path | None = None,
        pin: PinSetter,
        secrets: Secrets | None = None,
        language: str = "en",
        languages: Language | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("firstRunWizard")
        self._data_dir = data_dir
        self._path = config_path
        self._secrets = secrets or Secrets()
        self._pin = pin
        self._languages = languages or Language(
            state_file=data_dir / "ui-state.json", default=language
        )
        self._languages.current = language
        self._languages.apply()
        self._language = language
        self._mode = "sandbox"
        self._done = False
        # The language and mode steps move on by their own buttons: no Next there.
        self.steps = {
            name: Step(name, back=name != "language", next_=name not in ("language", "mode"))
            for name in STEPS
        }
        self.pages = QStackedWidget()
        for step in self.steps.values():
            self.pages.addWidget(step)
        self._labels: dict[QWidget, QLabel] = {}
        self.fields: dict[str, FieldEditor] = {}
        self._field_labels: dict[str, QLabel] = {}
        self._forms: dict[str, QFormLayout] = {}
        self._build_language()
        self._build_mode()
        self._build_details()
        self._build_printer()
        self._fields_step("receipt", RECEIPT_KEYS)
        self._fields_step("payee", PAYEE_KEYS)
        self._build_pin()
        order = list(STEPS)
        for i, name in enumerate(order):
            step = self.steps[name]
            if i:
                step.back.clicked.connect(lambda _=False, to=order[i - 1]: self.go(to))
        self.steps["details"].next.clicked.connect(self.on_details_next)
        self.steps["printer"].next.clicked.connect(lambda: self._next_if_valid("printer"))
        self.steps["receipt"].next.clicked.connect(lambda: self._next_if_valid("receipt"))
        self.steps["payee"].next.clicked.connect(lambda: self._next_if_valid("payee"))

        self.title = plain(QLabel())
        self.title.setFont(font(32, bold=True))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(48), px(16), px(48), px(16))
        layout.addWidget(self.title)
        layout.addWidget(self.pages, 1)
        self.setGeometry(metrics().area)  # the whole (available) screen, as the kiosk
        self.retranslate()

    # --- building the steps

    def _build_language(self) -> None:
        step = self.steps["language"]
        self.english_button = _button("wizardEnglish", 30)
        self.thai_button = _button("wizardThai", 30)
        # Each language named in itself: whoever reads either finds theirs.
        self.english_button.setText("English")
        self.thai_button.setText("ภาษาไทย")
        for button, language in ((self.english_button, "en"), (self.thai_button, "th")):
            button.setMinimumHeight(touch(110))
            button.clicked.connect(lambda _=False, lang=language: self.choose_language(lang))
            step.body.addWidget(button)
        step.body.addStretch(1)

    def _build_mode(self) -> None:
        step = self.steps["mode"]
        self.sandbox_button = _button("wizardSandbox", 30)
        self.villa_button = _button("wizardVilla", 30)
        for button in (self.sandbox_button, self.villa_button):
            button.setMinimumHeight(touch(110))
            step.body.addWidget(button)
        step.body.addStretch(1)
        self.sandbox_button.clicked.connect(lambda: self._choose("sandbox"))
        self.villa_button.clicked.connect(lambda: self._choose("villa"))
        self.mode_back = step.back

    def _build_details(self) -> None:
        step = self.steps["details"]
        self.store_name = _line("wizardStoreName", "Sandbox Shop")
        self.store_id = _line("wizardStoreId", "S001")
        self.terminal_id = _line("wizardTerminalId", "T01")
        self.server = QComboBox()
        self.server.setObjectName("wizardServer")
        self.server.setFont(font(20))
        self.server.setMinimumHeight(touch(42))
        for name, url in SERVERS:
            self.server.addItem(name, url)
        self.server.currentIndexChanged.connect(self._on_server)
        self.base_url = _line("wizardBaseUrl", setup.VILLA_PROD_URL)
        self.base_url.setReadOnly(True)  # until "Another address" is chosen
        self.pool_id = _line("wizardUserPoolId")
        self.client_id = _line("wizardClientId")
        self.username = _line("wizardUsername")
        self.region = _line("wizardRegion", "ap-southeast-1")
        self.auth_header = QComboBox()
        self.auth_header.setObjectName("wizardAuthHeader")
        self.auth_header.setFont(font(20))
        for style in ("raw", "bearer"):
            self.auth_header.addItem(style, style)
        self.password = _line("wizardPassword", secret=True)
        self.client_secret = _line("wizardClientSecret", secret=True)
        self.details_form = step.add_form()
        self._villa_rows: list[QWidget] = [
            self.server,
            self.base_url,
            self.pool_id,
            self.client_id,
            self.username,
            self.region,
            self.auth_header,
            self.password,
            self.client_secret,
        ]
        for widget in (self.store_name, self.store_id, self.terminal_id, *self._villa_rows):
            label = plain(QLabel())
            label.setFont(font(18, bold=True))
            label.setWordWrap(True)
            self._labels[widget] = label
            self.details_form.addRow(label, widget)
        step.body.addStretch(1)
        self.test_button = _button("wizardTestConnection")
        self.test_button.clicked.connect(self.on_test_clicked)
        step.add_action(self.test_button)
        self.details_next, self.details_back = step.next, step.back
        self.details_next.setObjectName("wizardDetailsNext")
        self.details_message = step.message
        self.details_message.setObjectName("wizardDetailsMessage")

    def _fields_step(self, name: str, keys: tuple[str, ...]) -> Step:
        """A step made of settings, each with its name and help from the one label table."""
        step = self.steps[name]
        form = self._forms[name] = step.add_form()
        defaults = {spec.key: spec for spec in setup.field_specs()}
        for key in keys:
            spec = defaults.get(key)
            if spec is None:  # declared later by other work: nothing to ask yet
                continue
            editor = FieldEditor(spec, spec.default)
            editor.input.setMinimumHeight(touch(42))
            editor.help.setFont(font(17))
            editor.changed.connect(self._on_field_changed)
            label = plain(QLabel())
            label.setFont(font(18, bold=True))
            label.setWordWrap(True)
            self.fields[key] = editor
            self._field_labels[key] = label
            form.addRow(label, editor)
        step.body.addStretch(1)
        return step

    def _build_printer(self) -> None:
        step = self._fields_step("printer", PRINTER_KEYS)
        self.test_print_button = _button("wizardTestPrint")
        self.test_print_button.clicked.connect(self.on_test_print_clicked)
        step.add_action(self.test_print_button)
        self._apply_printer_kind()

    def _build_pin(self) -> None:
        step = self.steps["pin"]
        self.pin1 = _line("wizardPin", secret=True)
        self.pin2 = _line("wizardPinAgain", secret=True)
        for line in (self.pin1, self.pin2):
            line.setMaxLength(6)
            line.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.pin_labels = (plain(QLabel()), plain(QLabel()))
        form = step.add_form()
        for label, line in zip(self.pin_labels, (self.pin1, self.pin2), strict=True):
            label.setFont(font(18, bold=True))
            form.addRow(label, line)
        step.body.addStretch(1)
        self.pin_intro = step.heading
        self.pin_message = step.message
        self.pin_message.setObjectName("wizardPinMessage")
        self.pin_back = step.back
        self.finish_button = step.next
        self.finish_button.setObjectName("wizardFinish")
        self.skip_pin_button = _button("wizardSkipPin")
        self.skip_pin_button.hide()
        step.add_action(self.skip_pin_button)
        self.finish_button.clicked.connect(self.on_finish_clicked)
        self.skip_pin_button.clicked.connect(self.on_skip_pin)

    # --- steps

    def go(self, name: str) -> None:
        self.steps[name].message.clear()
        self.pages.setCurrentWidget(self.steps[name])

    def current_step(self) -> str:
        widget = self.pages.currentWidget()
        return next(name for name, step in self.steps.items() if step is widget)

    def choose_language(self, language: str) -> None:
        """The first step: the wizard (and the kiosk after it) in this language."""
        self._language = language
        self._languages.set(language)  # installs the translator; kept for the kiosk
        self.retranslate()
        self.go("mode")

    def _choose(self, mode: str) -> None:
        self._mode = mode
        for widget in self._villa_rows:
            widget.setVisible(mode == "villa")
            self._labels[widget].setVisible(mode == "villa")
        self.test_button.setVisible(mode == "villa")
        if mode == "villa" and self.store_name.text() == "Sandbox Shop":
            self.store_name.setText("")
        self.go("details")

    def _on_server(self) -> None:
        url = str(self.server.currentData())
        custom = not url
        self.base_url.setReadOnly(not custom)
        if not custom:
            self.base_url.setText(url)
        elif self.base_url.text() in (setup.VILLA_PROD_URL, setup.VILLA_DEV_URL):
            self.base_url.clear()

    def choose_server(self, which: str) -> None:
        """production, development or other (for scripts and tests)."""
        self.server.setCurrentIndex([name for name, _ in SERVERS].index(which))

    def _on_field_changed(self, key: str) -> None:
        if key == "printer.kind":
            self._apply_printer_kind()

    def _apply_printer_kind(self) -> None:
        values = {key: editor.value() for key, editor in self.fields.items()}
        for key in PRINTER_KEYS:
            if key in self.fields:
                self._forms["printer"].setRowVisible(self.fields[key], shown(key, values))
        self.test_print_button.setEnabled(values.get("printer.kind") != "none")

    def values(self) -> dict[str, Any]:
        shop = {
            "store.name": self.store_name.text().strip(),
            "store.store_id": self.store_id.text().strip(),
            "store.terminal_id": self.terminal_id.text().strip(),
        }
        asked = {key: editor.value() for key, editor in self.fields.items()}
        common = {**shop, **asked, "ui.language": self._language}
        if self._mode == "sandbox":
            return {**setup.sandbox_values(store_name=shop["store.name"]), **common}
        return {
            **setup.villa_values(
                base_url=self.base_url.text().strip(),
                client_id=self.client_id.text().strip(),
                username=self.username.text().strip(),
                user_pool_id=self.pool_id.text().strip(),
                region=self.region.text().strip(),
                auth_header=str(self.auth_header.currentData()),
            ),
            **common,
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

    def _keys_of(self, step: str) -> tuple[str, ...]:
        if step == "details":
            return SHOP_KEYS + (VILLA_KEYS if self._mode == "villa" else ())
        return tuple(self.fields_of(step))

    def fields_of(self, step: str) -> list[str]:
        keys = {"printer": PRINTER_KEYS, "receipt": RECEIPT_KEYS, "payee": PAYEE_KEYS}[step]
        return [key for key in keys if key in self.fields]

    def problem(self, step: str) -> Text | None:
        """The first problem of a step's fields, in words (the setting's name, not its key);
        a field of the step that has it shows the reason under it as well."""
        for editor in self.fields.values():
            editor.show_problem(None, self._language)
        found = self._first_problem(step)
        if found is None:
            return None
        key, why = found
        if key in self.fields:
            self.fields[key].show_problem(why_text(why), self._language)
        if key == "password":
            return Text("Enter the Cognito password.", "กรุณาใส่รหัสผ่าน Cognito")
        return problem_text(key, why)

    def _first_problem(self, step: str) -> tuple[str, str] | None:
        keys = self._keys_of(step)
        values = self.values()
        if step == "details" and not values["store.name"]:  # customers and receipts show it
            return "store.name", "is required"
        for key in keys:
            found = setup.check_field(key, values[key])
            if found is not None:
                return key, found.why
        for whole in setup.problems(values):
            if whole.key in keys:
                return whole.key, whole.why
        if step == "details" and self._mode == "villa" and not self.password.text():
            return "password", ""
        return None

    def _next_if_valid(self, step: str) -> None:
        problem = self.problem(step)
        if problem is not None:
            self._say(self.steps[step].message, problem, ok=False)
            return
        self.go(STEPS[STEPS.index(step) + 1])

    @asyncSlot()
    async def on_test_clicked(self) -> None:
        problem = self.problem("details")
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

    @asyncSlot()
    async def on_test_print_clicked(self) -> None:
        message = self.steps["printer"].message
        problem = self.problem("printer")
        if problem is not None:
            self._say(message, problem, ok=False)
            return
        self.test_print_button.setEnabled(False)
        self._say(message, Text("Printing a test page…", "กำลังพิมพ์หน้าทดสอบ…"), ok=True)
        try:
            result = await setup.test_print(setup.validate(self.values()), self._data_dir)
        finally:
            self.test_print_button.setEnabled(True)
        self._say(message, result.text, ok=result.ok)
        self.test_printed.emit(result.ok)

    def on_details_next(self) -> None:
        self._next_if_valid("details")

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
        found = setup.problems(self.values())
        if found:
            first = found[0]
            text = problem_text(first.key, first.why) if first.key else first.text
            self._say(self.pin_message, text, ok=False)
            return
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

    def set_language(self, language: str) -> None:
        """Switch without moving on (for scripts and tests)."""
        self._language = language
        self._languages.set(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Set up this counter"))
        self.title.setText(self.tr("Set up this counter"))
        headings: dict[str, str] = {
            # Both languages: nobody has chosen yet.
            "language": "Choose a language  ·  เลือกภาษา",
            "mode": self.tr(
                "There are no settings yet. Try the kiosk with test payments, or connect it."
            ),
            "details": self.tr("The shop and this counter"),
            "printer": self.tr("The receipt printer. Test print sends a test page to it."),
            "receipt": self.tr("What the receipt says above and below the sale."),
            "payee": self.tr(
                "The shop's PromptPay or biller id: every payment QR must pay it. "
                "Leave it empty to skip this check."
            ),
            "pin": self.tr(
                "Choose the 6-digit manager PIN. It opens settings and the manager screen."
            ),
        }
        for name, text in headings.items():
            self.steps[name].heading.setText(text)
            self.steps[name].back.setText(self.tr("Back"))
            self.steps[name].next.setText(self.tr("Next"))
        self.sandbox_button.setText(self.tr("Try it in sandbox mode"))
        self.villa_button.setText(self.tr("Connect to the Villa Payment API"))
        servers = {
            "production": self.tr("Production (real payments)"),
            "development": self.tr("Development (test payments)"),
            "other": self.tr("Another address"),
        }
        for i, (name, _) in enumerate(SERVERS):
            self.server.setItemText(i, servers[name])
        for i in range(self.auth_header.count()):
            style = str(self.auth_header.itemData(i))
            text = choice_text("gateway.auth_header", style).get(self._language)
            self.auth_header.setItemText(i, text)
        names = {
            self.store_name: self.tr("Shop name"),
            self.store_id: self.tr("Store id"),
            self.terminal_id: self.tr("Counter id"),
            self.server: self.tr("Villa server"),
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
        for key, editor in self.fields.items():
            self._field_labels[key].setText(label_of(key).get(self._language))
            editor.set_language(self._language)
        self.test_button.setText(self.tr("Test connection"))
        self.test_print_button.setText(self.tr("Test print"))
        self.pin_labels[0].setText(self.tr("Manager PIN"))
        self.pin_labels[1].setText(self.tr("PIN again"))
        self.finish_button.setText(self.tr("Finish and start"))
        self.skip_pin_button.setText(self.tr("Start without a PIN (sandbox only)"))
