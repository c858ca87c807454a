"""The settings dialog (behind the manager PIN): every setting, validated as you type.

The form is built from the settings declaration (kiosk.services.setup
field_specs), so a new setting shows up here by itself; its name in English
and Thai, with the TOML key in small print under it, its help and when it is
shown (by gateway and printer kind) come from the one table in
kiosk/ui/settings_text.py. A hidden field keeps its value. Credentials go to
the OS keyring, never to the file. Test connection signs in and makes one
harmless call with what is typed, before anything is saved. After a save that
changed anything, "Restart now" restarts the kiosk program (through the
callable the app provides: the dialog never starts processes). Non-modal.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.errors import KioskError, Text
from kiosk.infra.config import Settings
from kiosk.infra.config import data_dir as default_data_dir
from kiosk.infra.secrets import Secrets
from kiosk.services import setup
from kiosk.services.connection import test_connection
from kiosk.ui.plain import plain
from kiosk.ui.restart import provided_restart
from kiosk.ui.settings_text import (
    SECTIONS,
    choice_text,
    help_text,
    label_of,
    problem_text,
    section_of,
    shown,
    why_text,
)
from kiosk.ui.theme import GREEN, GREY, RED, font, metrics, px

log = logging.getLogger("kiosk.ui.settings")

CREDENTIAL_LABELS = {
    "COGNITO_PASSWORD": Text("Cognito password", "รหัสผ่าน Cognito"),
    "COGNITO_CLIENT_SECRET": Text("Cognito client secret", "รหัสลับของแอปไคลเอนต์ Cognito"),
}
# Settings whose value decides which other fields are shown.
DECIDING = ("gateway.kind", "printer.kind")


class SettingLabel(QWidget):
    """A setting's name in the screen's language, and its TOML key in small print under it."""

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.name = plain(QLabel())
        self.name.setObjectName(f"label:{key}")
        self.name.setFont(font(16, bold=True))
        self.name.setWordWrap(True)
        self.small = plain(QLabel(key))
        self.small.setObjectName(f"key:{key}")
        self.small.setFont(font(13))
        self.small.setStyleSheet(f"color: {GREY};")
        if not metrics().portrait:  # beside its field: flush with it, as the form's labels
            for label in (self.name, self.small):
                label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.name)
        layout.addWidget(self.small)

    def set_language(self, language: str) -> None:
        self.name.setText(label_of(self.key).get(language))


class FieldEditor(QWidget):
    """One setting: an input that fits its kind, and its problem in plain words."""

    changed = Signal(str)

    def __init__(self, spec: setup.FieldSpec, value: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.input: QLineEdit | QComboBox | QCheckBox
        if spec.kind == "bool":
            box = QCheckBox()
            box.setChecked(bool(value))
            box.toggled.connect(lambda _=False: self.changed.emit(spec.key))
            self.input = box
        elif spec.choices:
            combo = QComboBox()
            for choice in spec.choices:
                combo.addItem(choice_text(spec.key, choice).en, choice)
            combo.setCurrentIndex(max(0, combo.findData(str(value))))
            combo.currentIndexChanged.connect(lambda _=0: self.changed.emit(spec.key))
            self.input = combo
        else:
            line = QLineEdit("" if value is None else str(value))
            line.textChanged.connect(lambda _="": self.changed.emit(spec.key))
            self.input = line
        self.input.setObjectName(f"setting:{spec.key}")
        self.input.setFont(font(20))
        self.help = plain(QLabel())
        self.help.setWordWrap(True)
        self.help.setFont(font(16))
        self.help.setStyleSheet(f"color: {GREY};")
        self.problem = plain(QLabel())
        self.problem.setObjectName(f"problem:{spec.key}")
        self.problem.setWordWrap(True)
        self.problem.setFont(font(16, bold=True))
        self.problem.setStyleSheet(f"color: {RED};")
        self.problem.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 6)
        layout.setSpacing(2)
        layout.addWidget(self.input)
        layout.addWidget(self.help)
        layout.addWidget(self.problem)

    def value(self) -> Any:
        if isinstance(self.input, QCheckBox):
            return self.input.isChecked()
        if isinstance(self.input, QComboBox):
            return self.input.currentData()
        return self.input.text()

    def show_problem(self, text: Text | None, language: str) -> None:
        self.problem.setVisible(text is not None)
        self.problem.setText(text.get(language) if text else "")

    def set_language(self, language: str) -> None:
        self.help.setText(help_text(self.spec.key, self.spec.help, language))
        if isinstance(self.input, QComboBox):
            for i in range(self.input.count()):
                value = str(self.input.itemData(i))
                self.input.setItemText(i, choice_text(self.spec.key, value).get(language))


class SettingsDialog(QDialog):
    saved = Signal(object)  # Settings

    def __init__(
        self,
        *,
        current: Settings,
        language: str,
        secrets: Secrets | None = None,
        config_path: Path | None = None,
        restart: Callable[[], None] | None = None,
        data_dir: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        self._restart = restart or provided_restart()  # the app's, when not given
        # A frame of its own: kiosk sessions often run without a window manager to draw one.
        self.setStyleSheet("QDialog#settingsDialog { border: 3px solid #1565c0; }")
        self.setModal(False)
        area = metrics().area  # never larger than the screen, whatever its size
        tall = px(1100 if metrics().portrait else 720)  # upright: room for more settings
        self.resize(min(px(1000), area.width() - px(24)), min(tall, area.height() - px(24)))
        self._current = current
        self._running = current  # what the kiosk runs with until it restarts
        self.needs_restart = False  # a save changed what the kiosk runs with
        self._language = language
        self._secrets = secrets or Secrets()
        self._path = config_path
        self._data_dir = data_dir or default_data_dir()  # a PDF printer's default folder
        self._problems: dict[str, Text] = {}
        values = setup.settings_to_values(current)

        self.tabs = QTabWidget()
        self.tabs.setFont(font(18))
        self.editors: dict[str, FieldEditor] = {}
        self.labels: dict[str, SettingLabel] = {}
        self._form_of: dict[str, QFormLayout] = {}
        forms: dict[str, QFormLayout] = {}
        pages: dict[str, QWidget] = {}
        for name in SECTIONS:
            page = QWidget()
            forms[name] = QFormLayout(page)
            forms[name].setLabelAlignment(Qt.AlignmentFlag.AlignRight)
            if metrics().portrait:  # narrow: each setting's name above its field
                forms[name].setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            scroll.setWidget(page)
            pages[name] = scroll
        for spec in setup.field_specs():
            editor = FieldEditor(spec, values.get(spec.key, spec.default))
            editor.changed.connect(self.on_field_changed)
            self.editors[spec.key] = editor
            label = SettingLabel(spec.key)
            self.labels[spec.key] = label
            self._form_of[spec.key] = forms[section_of(spec.key)]
            self._form_of[spec.key].addRow(label, editor)
        self.credentials: dict[str, QLineEdit] = {}
        for name, title in CREDENTIAL_LABELS.items():
            line = QLineEdit()
            line.setObjectName(f"credential:{name}")
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setFont(font(20))
            self.credentials[name] = line
            title_label = plain(QLabel())
            title_label.setProperty("text_pair", title)
            title_label.setFont(font(16, bold=True))
            forms["gateway"].addRow(title_label, line)
        self._credential_labels = [
            forms["gateway"].labelForField(line) for line in self.credentials.values()
        ]
        # Test print, right under the printer's own fields (the same page as `kiosk print-test`).
        self.print_button = QPushButton()
        self.print_button.setObjectName("testPrintButton")
        self.print_button.setFont(font(20, bold=True))
        self.print_button.clicked.connect(self.on_test_print_clicked)
        printer_form = forms[section_of("printer.kind")]
        rows: list[int] = [
            printer_form.getWidgetPosition(editor)[0]  # type: ignore[index]  # (row, role)
            for key, editor in self.editors.items()
            if key.startswith("printer.")
        ]
        last = max(rows)
        printer_form.insertRow(last + 1, QWidget(), self.print_button)
        for name, page in pages.items():
            self.tabs.addTab(page, SECTIONS[name].get(language))
        self._section_names = list(pages)

        self.outcome = plain(QLabel())
        self.outcome.setObjectName("settingsResult")
        self.outcome.setWordWrap(True)
        self.outcome.setFont(font(20, bold=True))
        self.test_button = QPushButton()
        self.test_button.setObjectName("testConnectionButton")
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveSettingsButton")
        self.close_button = QPushButton()
        self.close_button.setObjectName("closeSettingsButton")
        self.restart_button = QPushButton()
        self.restart_button.setObjectName("restartNowButton")
        self.restart_button.hide()  # until a save needs a restart
        self.restart_button.clicked.connect(self.on_restart_clicked)
        for button in (self.test_button, self.save_button, self.close_button, self.restart_button):
            button.setFont(font(22, bold=True))
        self.test_button.clicked.connect(self.on_test_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.restart_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.retranslate()
        self.revalidate()
        self.apply_visibility()

    # --- values

    def values(self) -> dict[str, Any]:
        return {key: editor.value() for key, editor in self.editors.items()}

    def typed_credentials(self) -> dict[str, str | None]:
        return {name: (line.text() or None) for name, line in self.credentials.items()}

    def set_value(self, key: str, value: Any) -> None:
        """For scripts and tests: type into one field."""
        editor = self.editors[key].input
        if isinstance(editor, QCheckBox):
            editor.setChecked(bool(value))
        elif isinstance(editor, QComboBox):
            editor.setCurrentIndex(editor.findData(value))
        else:
            editor.setText(str(value))

    # --- validation as you type

    def on_field_changed(self, key: str) -> None:
        problem = setup.check_field(key, self.editors[key].value())
        if problem is None:
            self._problems.pop(key, None)
        else:
            self._problems[key] = why_text(problem.why)
        if key in DECIDING:
            self.apply_visibility()
        self.editors[key].show_problem(self._problems.get(key), self._language)
        self._refresh_buttons()

    def revalidate(self) -> None:
        self._problems.clear()
        for found in setup.problems(self.values()):
            self._problems[found.key] = why_text(found.why)
        for key, editor in self.editors.items():
            editor.show_problem(self._problems.get(key), self._language)
        self._refresh_buttons()

    def problem_keys(self) -> list[str]:
        return sorted(self._problems)

    # --- fields by gateway and printer kind

    def apply_visibility(self) -> None:
        """Show only the fields that mean something for the chosen kinds; values stay."""
        values = self.values()
        for key, editor in self.editors.items():
            self._form_of[key].setRowVisible(editor, shown(key, values))
        villa = values.get("gateway.kind") == "villa"
        for line in self.credentials.values():
            self._form_of["gateway.kind"].setRowVisible(line, villa)
        printing = values.get("printer.kind") != "none"
        self._form_of["printer.kind"].setRowVisible(self.print_button, printing)

    def is_shown(self, key: str) -> bool:
        """Whether a setting's row is shown now (for tests and scripts)."""
        return not self.editors[key].isHidden()

    def _refresh_buttons(self) -> None:
        valid = not self._problems
        self.save_button.setEnabled(valid)
        self.test_button.setEnabled(valid)

    def _say(self, text: Text, *, ok: bool) -> None:
        self.outcome.setText(text.get(self._language))
        self.outcome.setStyleSheet(f"color: {GREEN if ok else RED};")

    # --- actions

    def _whole_form(self) -> Settings | None:
        whole = setup.problems(self.values())
        if whole:
            for found in whole:
                self._problems[found.key] = why_text(found.why)
                if found.key in self.editors:
                    self.editors[found.key].show_problem(self._problems[found.key], self._language)
            first = whole[0]
            self._say(problem_text(first.key, first.why) if first.key else first.text, ok=False)
            self._refresh_buttons()
            return None
        return setup.validate(self.values())

    @asyncSlot()
    async def on_test_clicked(self) -> None:
        settings = self._whole_form()
        if settings is None:
            return
        self.test_button.setEnabled(False)
        self._say(Text("Testing the connection…", "กำลังทดสอบการเชื่อมต่อ…"), ok=True)
        try:
            result = await test_connection(
                settings, secrets=self._secrets, credentials=self.typed_credentials()
            )
        finally:
            self.test_button.setEnabled(not self._problems)
        lines = [result.text.get(self._language)]
        for step in result.steps:
            mark = "–" if step.skipped else ("✓" if step.ok else "✗")
            lines.append(f"{mark} {step.name.get(self._language)}: {step.text.get(self._language)}")
        self.outcome.setText("\n".join(lines))
        self.outcome.setStyleSheet(f"color: {GREEN if result.ok else RED};")

    @asyncSlot()
    async def on_test_print_clicked(self) -> None:
        settings = self._whole_form()
        if settings is None:
            return
        self.print_button.setEnabled(False)
        self._say(Text("Printing a test page…", "กำลังพิมพ์หน้าทดสอบ…"), ok=True)
        try:
            result = await setup.test_print(settings, self._data_dir)
        finally:
            self.print_button.setEnabled(True)
        self._say(result.text, ok=result.ok)

    def on_save_clicked(self) -> None:
        if self._whole_form() is None:
            return
        try:
            saved = setup.save_settings(
                self.values(),
                secrets=self._secrets,
                path=self._path,
                credentials=self.typed_credentials(),
                previous=self._current,
            )
        except KioskError as exc:
            log.warning("settings not saved: %s", exc)
            self._say(exc.text, ok=False)
            return
        typed = any(self.typed_credentials().values())
        for line in self.credentials.values():
            line.clear()
        self._current = saved
        self.needs_restart = typed or bool(setup.changed_keys(self._running, saved))
        if not self.needs_restart:
            self._say(Text("Saved. Nothing changed.", "บันทึกแล้ว ไม่มีอะไรเปลี่ยน"), ok=True)
        elif self._restart is not None:
            self._say(
                Text(
                    'Saved. The kiosk uses the new settings after a restart: press "Restart now".',
                    'บันทึกแล้ว คีออสก์จะใช้การตั้งค่าใหม่หลังเริ่มโปรแกรมใหม่ กด "เริ่มใหม่ตอนนี้"',
                ),
                ok=True,
            )
        else:
            self._say(
                Text(
                    "Saved. Close the kiosk program and start it again to use the new settings.",
                    "บันทึกแล้ว ปิดโปรแกรมคีออสก์แล้วเปิดใหม่เพื่อใช้การตั้งค่าใหม่",
                ),
                ok=True,
            )
        self.restart_button.setVisible(self.needs_restart and self._restart is not None)
        self.saved.emit(saved)

    def on_restart_clicked(self) -> None:
        if self._restart is None:
            return
        log.info("settings: restart asked for after a save")
        self.restart_button.setEnabled(False)  # once: the program is going away
        self._restart()

    # --- language

    def set_language(self, language: str) -> None:
        self._language = language
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Kiosk settings"))
        self.test_button.setText(self.tr("Test connection"))
        self.print_button.setText(self.tr("Test print"))
        self.save_button.setText(self.tr("Save"))
        self.close_button.setText(self.tr("Close"))
        self.restart_button.setText(self.tr("Restart now"))
        for setting_label in self.labels.values():
            setting_label.set_language(self._language)
        for i, name in enumerate(self._section_names):
            self.tabs.setTabText(i, SECTIONS[name].get(self._language))
        for editor in self.editors.values():
            editor.set_language(self._language)
            editor.show_problem(self._problems.get(editor.spec.key), self._language)
        for label, (name, title) in zip(
            self._credential_labels, CREDENTIAL_LABELS.items(), strict=True
        ):
            if isinstance(label, QLabel):
                label.setText(title.get(self._language))
            self.credentials[name].setPlaceholderText(self.tr("leave empty to keep the stored one"))
