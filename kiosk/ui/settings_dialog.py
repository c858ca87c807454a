"""The settings dialog (behind the manager PIN): every setting, validated as you type.

The form is built from the settings declaration (kiosk.services.setup
field_specs), so a new setting shows up here by itself. Credentials go to the
OS keyring, never to the file. Test connection signs in and makes one
harmless call with what is typed, before anything is saved. Non-modal.
"""

from __future__ import annotations

import logging
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
from kiosk.infra.secrets import Secrets
from kiosk.services import setup
from kiosk.services.connection import test_connection
from kiosk.ui.plain import plain
from kiosk.ui.settings_text import SECTIONS, help_text, section_of
from kiosk.ui.theme import GREEN, GREY, RED, font, metrics, px

log = logging.getLogger("kiosk.ui.settings")

CREDENTIAL_LABELS = {
    "COGNITO_PASSWORD": Text("Cognito password", "รหัสผ่าน Cognito"),
    "COGNITO_CLIENT_SECRET": Text("Cognito client secret", "ความลับของ Cognito client"),
}


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
                combo.addItem(choice, choice)
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
        self.help.setFont(font(15))
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


class SettingsDialog(QDialog):
    saved = Signal(object)  # Settings

    def __init__(
        self,
        *,
        current: Settings,
        language: str,
        secrets: Secrets | None = None,
        config_path: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("settingsDialog")
        # A frame of its own: kiosk sessions often run without a window manager to draw one.
        self.setStyleSheet("QDialog#settingsDialog { border: 3px solid #1565c0; }")
        self.setModal(False)
        area = metrics().area  # never larger than the screen, whatever its size
        self.resize(min(px(1000), area.width() - px(24)), min(px(720), area.height() - px(24)))
        self._current = current
        self._language = language
        self._secrets = secrets or Secrets()
        self._path = config_path
        self._problems: dict[str, Text] = {}
        values = setup.settings_to_values(current)

        self.tabs = QTabWidget()
        self.tabs.setFont(font(18))
        self.editors: dict[str, FieldEditor] = {}
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
            label = plain(QLabel(spec.key))
            label.setFont(font(16, bold=True))
            forms[section_of(spec.key)].addRow(label, editor)
        self.credentials: dict[str, QLineEdit] = {}
        for name, title in CREDENTIAL_LABELS.items():
            line = QLineEdit()
            line.setObjectName(f"credential:{name}")
            line.setEchoMode(QLineEdit.EchoMode.Password)
            line.setFont(font(20))
            self.credentials[name] = line
            label = plain(QLabel())
            label.setProperty("text_pair", title)
            label.setFont(font(16, bold=True))
            forms["gateway"].addRow(label, line)
        self._credential_labels = [
            forms["gateway"].labelForField(line) for line in self.credentials.values()
        ]
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
        for button in (self.test_button, self.save_button, self.close_button):
            button.setFont(font(22, bold=True))
        self.test_button.clicked.connect(self.on_test_clicked)
        self.save_button.clicked.connect(self.on_save_clicked)
        self.close_button.clicked.connect(self.close)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.outcome)
        layout.addLayout(buttons)
        self.retranslate()
        self.revalidate()

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
            self._problems[key] = problem.text
        self.editors[key].show_problem(self._problems.get(key), self._language)
        self._refresh_buttons()

    def revalidate(self) -> None:
        self._problems.clear()
        for found in setup.problems(self.values()):
            self._problems[found.key] = found.text
        for key, editor in self.editors.items():
            editor.show_problem(self._problems.get(key), self._language)
        self._refresh_buttons()

    def problem_keys(self) -> list[str]:
        return sorted(self._problems)

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
                self._problems[found.key] = found.text
                if found.key in self.editors:
                    self.editors[found.key].show_problem(found.text, self._language)
            self._say(whole[0].text, ok=False)
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
        for line in self.credentials.values():
            line.clear()
        self._current = saved
        self._say(
            Text(
                "Saved. Restart the kiosk to use the new settings.",
                "บันทึกแล้ว เปิดเครื่องใหม่เพื่อใช้การตั้งค่าใหม่",
            ),
            ok=True,
        )
        self.saved.emit(saved)

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
        self.save_button.setText(self.tr("Save"))
        self.close_button.setText(self.tr("Close"))
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
