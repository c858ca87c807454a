"""The buyer's details for a full tax invoice (the manager's order detail, abb mode).

The form only collects what the buyer says (name, address, 13-digit tax id,
branch); the checks (the tax id's check digit, five-digit branch) are the
service's (``kiosk.services.tax_invoices.Buyer.checked``), and a refusal is
shown on the form so the manager can correct it without typing it all again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kiosk.services.tax_invoices import Buyer, InvalidBuyer
from kiosk.ui.manager.common import touch_button
from kiosk.ui.plain import plain
from kiosk.ui.theme import font, px


class TaxInvoiceForm(QDialog):
    """Name, address, tax id and branch of the buyer; ``buyer()`` once accepted."""

    def __init__(self, order_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("taxInvoiceForm")
        self.setWindowTitle(self.tr("Full tax invoice"))
        self.setModal(True)
        self.heading = plain(QLabel(self.tr("Full tax invoice for %1").replace("%1", order_id)))
        self.heading.setFont(font(18, bold=True))
        self.heading.setWordWrap(True)
        self.name = self._line("taxBuyerName")
        self.address = QPlainTextEdit()
        self.address.setObjectName("taxBuyerAddress")
        self.address.setFont(font(16))
        self.address.setFixedHeight(px(80))
        self.tax_id = self._line("taxBuyerTaxId")
        self.tax_id.setMaxLength(17)  # 13 digits and the dashes people write
        self.tax_id.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        self.branch = self._line("taxBuyerBranch")
        self.branch.setMaxLength(5)
        self.branch.setPlaceholderText("00000")
        self.error = plain(QLabel())
        self.error.setObjectName("taxInvoiceError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b71c1c;")
        self.issue = touch_button("taxInvoiceIssue", self.tr("Issue and print"), 18)
        self.cancel = touch_button("taxInvoiceCancel", self.tr("Cancel"), 18)
        self.issue.clicked.connect(self._try_accept)
        self.cancel.clicked.connect(self.reject)
        self._buyer: Buyer | None = None
        self._lay_out()

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setFont(font(16))
        return line

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow(plain(QLabel(self.tr("Buyer's name"))), self.name)
        form.addRow(plain(QLabel(self.tr("Address"))), self.address)
        form.addRow(plain(QLabel(self.tr("Tax ID (13 digits)"))), self.tax_id)
        form.addRow(plain(QLabel(self.tr("Branch (00000 = head office)"))), self.branch)
        buttons = QHBoxLayout()
        buttons.addWidget(self.cancel)
        buttons.addStretch(1)
        buttons.addWidget(self.issue)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _try_accept(self) -> None:
        try:
            self._buyer = Buyer.checked(
                self.name.text(),
                self.address.toPlainText(),
                self.tax_id.text(),
                self.branch.text(),
            )
        except InvalidBuyer:  # said on the form, which stays open with what was typed
            self.error.setText(self.tr("Check the name, the address and the 13-digit tax ID."))
            return
        self.accept()

    def buyer(self) -> Buyer | None:
        return self._buyer


__all__ = ["TaxInvoiceForm"]
