"""Bars across the top of every screen: SANDBOX, and notices for the cashier."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QWidget

from kiosk.ui.fitting import FitLabel
from kiosk.ui.plain import plain
from kiosk.ui.theme import font, metrics, px

SCENARIOS = ("pay", "decline", "never")


class SandboxBanner(QWidget):
    """SANDBOX, what the simulated customer does (as the sandbox says), and "pay now"."""

    payRequested = Signal()
    scenarioChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sandboxBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = FitLabel()  # smaller rather than push the controls off a narrow screen
        self.label.setFont(font(22, bold=True))
        self.scenario_label = plain(QLabel())
        self.scenario_label.setFont(font(18))
        self.scenario = QComboBox()
        self.scenario.setObjectName("sandboxScenario")
        self.scenario.setFont(font(18))
        self.scenario.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for key in SCENARIOS:
            self.scenario.addItem(key, key)
        self.scenario.activated.connect(
            lambda index: self.scenarioChosen.emit(self.scenario.itemData(index))
        )
        self.pay = QPushButton()
        self.pay.setObjectName("sandboxPayButton")
        self.pay.setFont(font(18, bold=True))
        self.pay.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.pay.setEnabled(False)
        self.pay.clicked.connect(self.payRequested)
        # Upright screens are narrow: the words on one row, the controls below them.
        layout = QGridLayout(self)
        layout.setContentsMargins(px(16), px(6), px(16), px(6))
        row = 1 if metrics().portrait else 0
        layout.addWidget(self.label, 0, 0, 1, 4 if row else 1)
        layout.setColumnStretch(0, 1)
        layout.addWidget(self.scenario_label, row, 1)
        layout.addWidget(self.scenario, row, 2)
        layout.addWidget(self.pay, row, 3)
        self.retranslate()

    def show_scenario(self, kind: str | None) -> None:
        """The sandbox's scenario as it answered; None: not known (not asked, or no answer)."""
        self.scenario.setCurrentIndex(self.scenario.findData(kind) if kind is not None else -1)

    def shown_scenario(self) -> str | None:
        data = self.scenario.currentData()
        return data if isinstance(data, str) else None

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.label.setText(self.tr("SANDBOX — test payments only, no real money"))
        self.scenario_label.setText(self.tr("Customer will:"))
        names = {
            "pay": self.tr("pay after a few seconds"),
            "decline": self.tr("be declined"),
            "never": self.tr("never pay"),
        }
        for i in range(self.scenario.count()):
            self.scenario.setItemText(i, names[self.scenario.itemData(i)])
        self.scenario.setPlaceholderText(self.tr("not known"))
        self.pay.setText(self.tr("Simulate customer payment"))


class NoticeBar(QWidget):
    """A message the cashier must see once (e.g. a payment that arrived late)."""

    def __init__(self, *, object_name: str = "noticeBar", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.label = plain(QLabel())
        self.label.setObjectName(f"{object_name}Text")
        self.label.setFont(font(24, bold=True))
        self.label.setWordWrap(True)
        self.dismiss = QPushButton("OK")
        self.dismiss.setObjectName(f"{object_name}Dismiss")
        self.dismiss.setFont(font(22, bold=True))
        self.dismiss.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.dismiss.clicked.connect(self.clear)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(px(16), px(8), px(16), px(8))
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss)
        self.messages: list[str] = []
        self.hide()

    def add(self, message: str) -> None:
        self.messages.append(message)
        self.label.setText("\n".join(self.messages[-3:]))
        self.show()

    def clear(self) -> None:
        self.messages.clear()
        self.hide()
