"""The selected order on the manager's side page: its fields, its status history, a reprint.

``OrderDetail`` reads the order's status changes itself (``SalesHistory``)
and prints its receipt again through the ``OrderReceipts`` port; what that
came to is said on the screen's message line (``message``). Without a
receipt service (no archive) the reprint button stays hidden.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QLabel,
    QListWidget,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.attention import OUTCOME_TEXTS, REASON_TEXTS
from kiosk.domain.errors import KioskError
from kiosk.domain.labels import failure_label, gateway_words, state_label
from kiosk.domain.order import BANGKOK, Order, OrderState, Transition
from kiosk.domain.thaidate import format_datetime, unbreakable
from kiosk.services.checkout import FLAGGED
from kiosk.services.history import SalesHistory
from kiosk.services.ports import OrderReceipts
from kiosk.services.tax_invoices import Buyer, TaxInvoiceDesk
from kiosk.ui.fitting import WrapAnywhereLabel
from kiosk.ui.manager.common import touch_button
from kiosk.ui.manager.tax_form import TaxInvoiceForm
from kiosk.ui.plain import plain
from kiosk.ui.theme import font, px

log = logging.getLogger("kiosk.ui.manager")
S = OrderState
FIELDS_ROW, HISTORY_ROW = 1, 3  # in the page's column: heading, fields, title, history, button
FLAGGED_HISTORY_PX = 90  # three moves (it scrolls): a flagged sale's fields need the room
QWIDGETSIZE_MAX = (1 << 24) - 1
Rows = list[tuple[str, str]]  # (label, value) lines of the fields


class OrderDetail(QFrame):
    """The selected order: its fields, every status change, and a receipt button."""

    message = Signal(str, bool)  # for the screen's message line: the text, whether an error

    def __init__(
        self,
        *,
        history: SalesHistory,
        receipts: OrderReceipts | None,
        language: Callable[[], str],
        invoices: TaxInvoiceDesk | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orderDetail")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._sales = history
        self._receipts = receipts
        self._invoices = invoices  # abb mode only: a full tax invoice on request
        self.tax_form: TaxInvoiceForm | None = None  # the buyer's form while it is open
        self._language = language
        self._order: Order | None = None
        self._history: list[Transition] = []
        self.heading = plain(QLabel())
        self.heading.setObjectName("detailHeading")
        self.heading.setFont(font(20, bold=True))
        self.heading.setWordWrap(True)
        # Gateway ids, messages, raw fields: a long id wraps inside itself, never cut.
        self.fields = WrapAnywhereLabel()
        self.fields.setObjectName("detailFields")
        self.fields.setFont(font(16))
        self.history_title = plain(QLabel())
        self.history_title.setFont(font(18, bold=True))
        self.history = self._history_list()
        self.reprint = touch_button("reprintButton", "", 20)
        self.reprint.clicked.connect(self.on_reprint_clicked)
        self.tax_invoice = touch_button("taxInvoiceButton", "", 20)
        self.tax_invoice.clicked.connect(self.on_tax_invoice_clicked)
        self._lay_out()
        self.retranslate()

    def _history_list(self) -> QListWidget:
        history = QListWidget()
        history.setObjectName("detailHistory")
        history.setFont(font(16))
        history.setMinimumHeight(px(60))
        history.setWordWrap(True)
        history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        history.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        return history

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(14), px(10), px(14), px(10))
        layout.setSpacing(px(6))
        layout.addWidget(self.heading)
        # A flagged sale has many fields (the bank's raw answer among them): they scroll
        # rather than make the screen taller than a 1280x800 display.
        fields = QScrollArea()
        fields.setObjectName("detailFieldsScroll")
        fields.setWidget(self.fields)
        fields.setWidgetResizable(True)
        fields.setFrameShape(QFrame.Shape.NoFrame)
        fields.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fields.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        # As wide as the page: a gateway id too long for a line wraps (WrapAnywhereLabel)
        # instead of widening the label and pushing every other line out of sight.
        self.fields.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(fields)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.reprint)
        layout.addWidget(self.tax_invoice)
        self._layout = layout

    def order(self) -> Order | None:
        return self._order

    def show_order(self, order: Order | None) -> None:
        """Show ``order`` (None: none) with its status history, read afresh."""
        history: list[Transition] = []
        if order is not None:
            try:
                history = self._sales.history(order.kiosk_order_id)
            except KioskError as exc:
                log.error("cannot read the history of %s: %s", order.kiosk_order_id, exc)
        self._order, self._history = order, history
        self.refresh()

    def order_changed(self, order: Order) -> None:
        """A journaled change: if it is the order shown, show it as it is now."""
        if self._order is not None and self._order.kiosk_order_id == order.kiosk_order_id:
            self.show_order(order)

    # --- the receipt

    @asyncSlot()
    async def on_reprint_clicked(self) -> None:
        if self._order is not None:
            await self.print_receipt(self._order)

    async def print_receipt(self, order: Order) -> None:
        """Print the order's receipt again (or its first one); the outcome goes to ``message``."""
        if self._receipts is None:
            return
        self.reprint.setEnabled(False)
        self.message.emit(self.tr("Printing…"), False)
        language = self._language()
        try:
            outcome = await self._receipts.receipt_for(order)
        except (KioskError, KeyError) as exc:
            log.error("receipt for %s failed: %s", order.kiosk_order_id, exc)
            text = exc.text.get(language) if isinstance(exc, KioskError) else str(exc)
            self.message.emit(text, True)
            return
        finally:
            self.reprint.setEnabled(order.state.is_final)
        self.message.emit(outcome.message(language), outcome.error is not None)

    # --- the full tax invoice

    @asyncSlot()
    async def on_tax_invoice_clicked(self) -> None:
        order = self._order
        if order is None or self._invoices is None:
            return
        form = TaxInvoiceForm(order.kiosk_order_id, self)
        self.tax_form = form
        form.open()
        try:
            accepted = await _finished(form)
        finally:
            self.tax_form = None
            form.deleteLater()
        buyer = form.buyer()
        if accepted and buyer is not None:
            await self.issue_tax_invoice(order, buyer)

    async def issue_tax_invoice(self, order: Order, buyer: Buyer) -> None:
        """Issue (or copy) the order's full tax invoice, save its PDF, print it; say so."""
        desk = self._invoices
        if desk is None:
            return
        language = self._language()
        try:
            issued = desk.issue(order.kiosk_order_id, buyer, printing=False)
        except KioskError as exc:
            log.error("tax invoice for %s refused: %s", order.kiosk_order_id, exc)
            self.message.emit(exc.text.get(language), True)
            return
        text = self.tr("Tax invoice %1 saved: %2").replace("%1", issued.number)
        text = text.replace("%2", str(issued.pdf or "—"))
        if issued.copy:
            text = self.tr("Copy of tax invoice %1 saved: %2").replace("%1", issued.number)
            text = text.replace("%2", str(issued.pdf or "—"))
        self.message.emit(text, bool(issued.problems))
        if not desk.can_print:
            return
        loop = asyncio.get_running_loop()
        try:  # the printer off the event loop: a slow one never freezes the screen
            await loop.run_in_executor(None, desk.print_invoice, issued.invoice)
        except KioskError as exc:
            self.message.emit(exc.text.get(language), True)
            return
        self.message.emit(text + " " + self.tr("Printed."), False)

    # --- showing

    def refresh(self) -> None:
        order = self._order
        self.reprint.setVisible(self._receipts is not None and order is not None)
        # Only a paid sale has a slip; any other prints a record of no money received.
        self.reprint.setText(
            self.tr("Print receipt again")
            if order is None or order.state is S.PAID
            else self.tr("Print record (no money received)")
        )
        self.reprint.setEnabled(order is not None and order.state.is_final)
        self.tax_invoice.setVisible(
            self._invoices is not None and order is not None and order.state is S.PAID
        )
        self.history.setVisible(order is not None)
        self.history.clear()
        if order is None:
            self.heading.setText(self.tr("Touch an order to see its details."))
            self.fields.setText("")
            self.history_title.setText("")
            return
        self.heading.setText(f"{order.kiosk_order_id}   {order.amount.thb()}")
        self.fields.setText(self._fields(order))
        self._share_height(flagged=order.attention is not None)
        self.history_title.setText(self.tr("Status history"))
        self._fill_history(order)

    def _fields(self, order: Order) -> str:
        name = state_label(order.state, self._language())
        if order.late:
            name += " — " + self.tr("late payment")
        flag, answer = self._attention_rows(order)
        rows = [
            (self.tr("Status"), name),
            *flag,  # what the manager must see first; the bank's raw answer last
            (self.tr("Bill no."), order.sale_ref or ""),
            (self.tr("Rung up"), self._date_time(order.created_at)),
            (self.tr("Paid at"), self._date_time(order.paid_at) if order.paid_at else ""),
            (self.tr("Gateway order"), order.gateway_order_id or "—"),
            (self.tr("Charge"), order.gateway_charge_id or ""),
            (self.tr("Reference"), order.reference_order or ""),
        ]
        # A flagged sale's failure message only says what the flag says, in fewer words.
        if (order.failure_code or order.failure_message) and order.failure_code != FLAGGED:
            reason = failure_label(order.failure_code)
            if reason is not None:
                rows.append((self.tr("Reason"), reason.get(self._language())))
            words = gateway_words(order.failure_code, order.failure_message)
            if words:  # what the payment service itself said: data, as it came
                rows.append((self.tr("The payment service said"), words))
        rows += answer
        return "\n".join(f"{label}: {value}" for label, value in rows if value)

    def _share_height(self, *, flagged: bool) -> None:
        """A flagged sale's fields come first; otherwise the history takes the room."""
        self._layout.setStretch(FIELDS_ROW, 1 if flagged else 0)
        self._layout.setStretch(HISTORY_ROW, 0 if flagged else 1)
        self.history.setMaximumHeight(px(FLAGGED_HISTORY_PX) if flagged else QWIDGETSIZE_MAX)

    def _attention_rows(self, order: Order) -> tuple[Rows, Rows]:
        """The flag for the manager, if any: (why and what was done, what the bank said)."""
        flag = order.attention
        if flag is None:
            return [], []
        language = self._language()
        rows = [(self.tr("⚠ Attention"), REASON_TEXTS[flag.reason].get(language))]
        if flag.outcome is None or flag.cleared_at is None:
            rows.append((self.tr("Cleared"), self.tr("not yet: see Needs attention")))
        else:
            done = (
                f"{OUTCOME_TEXTS[flag.outcome].get(language)}, {self._date_time(flag.cleared_at)}"
            )
            rows.append((self.tr("Cleared"), done))
            if flag.note:
                rows.append((self.tr("Note"), flag.note))
        answer = ", ".join(f"{k}: {v}" for k, v in flag.raw)
        return rows, [(self.tr("The bank's answer"), answer)] if answer else []

    def _fill_history(self, order: Order) -> None:
        language = self._language()
        self.history.addItem(f"{_when(order.created_at)}   → {state_label(S.NEW, language)}")
        for move in self._history:
            line = (
                f"{_when(move.at)}   {state_label(move.from_state, language)}"
                f" → {state_label(move.to_state, language)}"
            )
            reason = failure_label(move.failure_code)
            if reason is not None and move.failure_code != FLAGGED:
                line += f"\n    {reason.get(language)}"
            self.history.addItem(line)

    def _date_time(self, at: datetime) -> str:
        """Date and time to the second, the year as the reader counts it, on one line."""
        return unbreakable(format_datetime(at, self._language(), seconds=True))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.tax_invoice.setText(self.tr("Full tax invoice"))
        self.refresh()


async def _finished(dialog: QDialog) -> bool:
    """Wait for the dialog to close without a nested event loop; True when accepted."""
    done: asyncio.Future[bool] = asyncio.get_running_loop().create_future()

    def finished(result: int) -> None:
        if not done.done():
            done.set_result(result == QDialog.DialogCode.Accepted.value)

    dialog.finished.connect(finished)
    return await done


def _when(at: datetime | None) -> str:
    return "—" if at is None else at.astimezone(BANGKOK).strftime("%H:%M:%S")


__all__ = ["OrderDetail"]
