"""Sales that need the manager's attention: the red bar, the list of open flags, the clear form.

A "paid" answer that did not add up flags the sale (``kiosk.domain.attention``);
until a manager clears it, it is listed here whatever day it was rung up on.
``AttentionBar`` is the red bar at the top of the manager screen ("2 sales
need attention"), shown while any flag is open; it opens ``AttentionPage``:
the open flags as cards (``AttentionModel`` over a ``QListView``, painted by
``AttentionDelegate``) beside the clear form (``kiosk.ui.manager.clear_form``).

The list is loaded from the attention desk when the screen opens and then
follows the journal's changes (``order_changed``, from the bus): a new flag
is inserted, a cleared one removed. Everything in a card that came from
outside (the gateway's raw fields) is painted as plain text.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QTextLayout, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.attention import REASON_TEXTS
from kiosk.domain.errors import KioskError
from kiosk.domain.order import Order
from kiosk.domain.thaidate import format_datetime, unbreakable
from kiosk.services.attention import AttentionDesk
from kiosk.ui.fitting import FitButton
from kiosk.ui.manager.clear_form import ClearForm
from kiosk.ui.manager.common import touch_button
from kiosk.ui.theme import GREY, INK, RED, font, metrics, px, touch

ORDER_ROLE = Qt.ItemDataRole.UserRole + 1  # the Order of the card
TITLE_ROLE = Qt.ItemDataRole.UserRole + 2  # order no. and amount
WHEN_ROLE = Qt.ItemDataRole.UserRole + 3  # when it was flagged
REASON_ROLE = Qt.ItemDataRole.UserRole + 4  # why, in the screen's language
ANSWER_ROLE = Qt.ItemDataRole.UserRole + 5  # the gateway's raw fields, as plain text
BUTTON_ROLE = Qt.ItemDataRole.UserRole + 6  # the card's button text
Index = QModelIndex | QPersistentModelIndex
SIDE_WIDTH = 385  # design pixels, as the day view's side column


def local(at: datetime, language: str) -> str:
    """Bangkok date and time, the year as the reader counts it (BE in Thai), on one line."""
    return unbreakable(format_datetime(at, language))


def wrapped(text: str, face: QFont, width: int) -> tuple[QTextLayout, int]:
    """``text`` laid out in lines of ``width`` px (words kept whole where they fit); its height.

    Plain text by construction: a QTextLayout has no markup to interpret.
    """
    layout = QTextLayout(text, face)
    option = QTextOption()
    # Long gateway ids have no spaces: they break anywhere rather than overflow.
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    height = 0.0
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        line.setPosition(QPointF(0, height))
        height += line.height()
    layout.endLayout()
    return layout, round(height)


class AttentionModel(QAbstractListModel):
    """The open flags, oldest first; ``countChanged`` after every change of the rows."""

    countChanged = Signal(int)

    def __init__(self, *, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._orders: list[Order] = []
        self.retranslate()

    def load(self, orders: list[Order]) -> None:
        self.beginResetModel()
        self._orders = sorted((o for o in orders if o.needs_attention), key=_key)
        self.endResetModel()
        self.countChanged.emit(len(self._orders))

    def upsert(self, order: Order) -> None:
        """A journaled change: a new open flag comes in, a cleared one goes."""
        if order.attention is None:
            return  # a flag is never taken away, only cleared: this change is not about it
        row = self.row_of(order.kiosk_order_id)
        if order.needs_attention and row is None:
            row = next((i for i, o in enumerate(self._orders) if _key(order) < _key(o)), None)
            row = len(self._orders) if row is None else row
            self.beginInsertRows(QModelIndex(), row, row)
            self._orders.insert(row, order)
            self.endInsertRows()
        elif order.needs_attention and row is not None:
            self._orders[row] = order
            self.dataChanged.emit(self.index(row), self.index(row))
            return
        elif row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._orders[row]
            self.endRemoveRows()
        else:
            return
        self.countChanged.emit(len(self._orders))

    def order_at(self, row: int) -> Order:
        return self._orders[row]

    def row_of(self, kiosk_order_id: str) -> int | None:
        for row, order in enumerate(self._orders):
            if order.kiosk_order_id == kiosk_order_id:
                return row
        return None

    def orders(self) -> list[Order]:
        return list(self._orders)

    # --- QAbstractListModel

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orders)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._orders):
            return None
        order = self._orders[index.row()]
        if role == ORDER_ROLE:
            return order
        if role == TITLE_ROLE:
            return f"{order.kiosk_order_id}     {order.amount.thb()}"
        if role == WHEN_ROLE:
            raised = order.attention.raised_at if order.attention else order.created_at
            language = self._language()
            return self._when.replace("%1", local(order.created_at, language)).replace(
                "%2", local(raised, language)
            )
        if role == REASON_ROLE:
            return self._reason(order)
        if role == ANSWER_ROLE:
            return self._answer(order)
        if role == BUTTON_ROLE:
            return self._button
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{order.kiosk_order_id} {order.amount.thb()}: {self._reason(order)}"
        return None

    def _reason(self, order: Order) -> str:
        assert order.attention is not None
        return REASON_TEXTS[order.attention.reason].get(self._language())

    def _answer(self, order: Order) -> str:
        raw = order.attention.raw if order.attention is not None else ()
        if not raw:
            return self._no_answer
        return self._answer_label.replace("%1", "   ·   ".join(f"{k}: {v}" for k, v in raw))

    def retranslate(self) -> None:
        self._when = self.tr("Rung up %1 · flagged %2")
        self._answer_label = self.tr("The bank's answer: %1")
        self._no_answer = self.tr("The bank's answer: no fields kept")
        self._button = self.tr("Clear…")
        if self._orders:
            self.dataChanged.emit(self.index(0), self.index(len(self._orders) - 1))
        self.layoutChanged.emit()  # the cards' heights follow their texts


def _key(order: Order) -> tuple[str, str]:
    attention = order.attention
    raised = attention.raised_at.isoformat() if attention is not None else ""
    return raised, order.kiosk_order_id


class AttentionDelegate(QStyledItemDelegate):
    """One flag as a card: order and amount, when, why, the bank's answer, and "Clear…"."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view
        self.MARGIN = px(6)  # around a card
        self.PAD = px(14)  # inside it
        self.GAP = px(4)  # between its lines
        self.BUTTON = QSize(px(130), touch(48))
        self._title = font(19, bold=True)
        self._small = font(15)
        self._reason = font(17, bold=True)
        self._button_font = font(18, bold=True)

    def button_rect(self, card: QRect) -> QRect:
        """Where the card's "Clear…" button is drawn (``card``: the item's rect)."""
        inner = card.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        size = self.BUTTON
        top = inner.top() + (inner.height() - size.height()) // 2
        return QRect(inner.right() - self.PAD - size.width(), top, size.width(), size.height())

    def _text_width(self, card_width: int) -> int:
        return max(120, card_width - 2 * self.MARGIN - 3 * self.PAD - self.BUTTON.width())

    def _lines(self, index: Index) -> list[tuple[str, QFont, str, bool]]:
        """(text, font, colour, wraps) for each line of the card, top to bottom."""
        return [
            (str(index.data(TITLE_ROLE)), self._title, INK, False),
            (str(index.data(WHEN_ROLE)), self._small, GREY, False),
            (str(index.data(REASON_ROLE)), self._reason, RED, True),
            (str(index.data(ANSWER_ROLE)), self._small, GREY, True),
        ]

    def _height(self, text: str, face: QFont, width: int, wraps: bool) -> int:
        if not wraps:
            return QFontMetrics(face).height()
        return wrapped(text, face, width)[1]

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = self._view.viewport().width()
        text_width = self._text_width(width)
        lines = self._lines(index)
        text = sum(self._height(t, f, text_width, w) for t, f, _, w in lines)
        text += self.GAP * (len(lines) - 1)
        height = max(text, self.BUTTON.height()) + 2 * self.PAD + 2 * self.MARGIN
        return QSize(width, height)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        rect: QRect = option.rect
        state = option.state
        card = rect.adjusted(self.MARGIN, self.MARGIN, -self.MARGIN, -self.MARGIN)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        selected = bool(state & QStyle.StateFlag.State_Selected)
        painter.setPen(QPen(QColor(RED), 2))
        painter.setBrush(QColor("#e3f1ff" if selected else "#fff6f5"))
        painter.drawRoundedRect(card, 10, 10)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(RED))
        painter.drawRoundedRect(QRect(card.left(), card.top(), 8, card.height()), 4, 4)
        left, top = card.left() + self.PAD + 4, card.top() + self.PAD
        width = self._text_width(rect.width())
        for text, face, colour, wraps in self._lines(index):
            painter.setFont(face)
            painter.setPen(QColor(colour))
            if wraps:
                layout, height = wrapped(text, face, width)
                layout.draw(painter, QPointF(left, top))
            else:
                height = QFontMetrics(face).height()
                elided = QFontMetrics(face).elidedText(text, Qt.TextElideMode.ElideRight, width)
                painter.drawText(
                    QRect(left, top, width, height), int(Qt.AlignmentFlag.AlignLeft), elided
                )
            top += height + self.GAP
        button = self.button_rect(rect)
        painter.setPen(QPen(QColor(RED), 2))
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(button, 12, 12)
        painter.setFont(self._button_font)
        painter.setPen(QColor(RED))
        painter.drawText(button, int(Qt.AlignmentFlag.AlignCenter), str(index.data(BUTTON_ROLE)))
        painter.restore()


class AttentionBar(FitButton):
    """The red bar over the manager screen while any flag is open; touching it opens the list."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attentionBar")
        self.setFont(font(21, bold=True))
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            f"QPushButton#attentionBar {{ background: {RED}; color: white; border: none;"
            f" border-radius: {px(10)}px; text-align: left; padding: {px(6)}px {px(18)}px;"
            f" min-height: {touch(44) - 2 * px(6)}px; }}"
        )
        self.count = 0
        self.setVisible(False)

    def show_count(self, count: int) -> None:
        self.count = count
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        if self.count == 1:
            text = self.tr("1 sale needs attention: the bank's answer did not match. Show it")
        else:
            text = self.tr(
                "%1 sales need attention: the bank's answers did not match. Show them"
            ).replace("%1", str(self.count))
        self.setText(f"⚠   {text}  ▶")


class AttentionPage(QWidget):
    """Every open flag (any day) beside the form that clears one."""

    backRequested = Signal()
    countChanged = Signal(int)
    message = Signal(str, bool)  # for the screen's message line: the text, whether an error

    def __init__(
        self,
        *,
        desk: AttentionDesk | None,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("attentionPage")
        self.desk = desk
        self._language = language
        self.model = AttentionModel(language=language, parent=self)
        self.model.countChanged.connect(self.on_count_changed)
        self.title = QLabel()
        self.title.setObjectName("attentionTitle")
        self.title.setFont(font(26, bold=True))
        self.title.setStyleSheet(f"color: {RED};")
        self.help = QLabel()
        self.help.setObjectName("attentionHelp")
        self.help.setFont(font(17))
        self.help.setWordWrap(True)
        self.help.setStyleSheet(f"color: {GREY};")
        self.back = touch_button("attentionBackButton", "", 20)
        self.back.clicked.connect(self.backRequested)
        self.view = self._view()
        self.form = ClearForm(desk=desk, language=language)
        if metrics().portrait:  # below the list, as wide as the screen
            self.form.setFixedHeight(px(560))
        else:
            self.form.setFixedWidth(px(SIDE_WIDTH))
        self.form.cleared.connect(self.on_cleared)
        self.form.refused.connect(self.on_refused)
        for label in (self.title, self.help):
            label.setTextFormat(Qt.TextFormat.PlainText)
        self._lay_out()
        self.retranslate()

    def _view(self) -> QListView:
        view = QListView()
        view.setObjectName("attentionList")
        view.setModel(self.model)
        view.setItemDelegate(AttentionDelegate(view))
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setResizeMode(QListView.ResizeMode.Adjust)  # cards re-wrap to a new width
        view.setUniformItemSizes(False)
        view.setStyleSheet("QListView#attentionList { border: none; }")
        view.clicked.connect(self.on_card_clicked)
        return view

    def _lay_out(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.back)
        left = QVBoxLayout()
        left.setSpacing(px(6))
        left.addLayout(header)
        left.addWidget(self.help)
        left.addWidget(self.view, 1)
        page = QBoxLayout(
            QBoxLayout.Direction.TopToBottom
            if metrics().portrait
            else QBoxLayout.Direction.LeftToRight,
            self,
        )
        page.setContentsMargins(0, 0, 0, 0)
        page.setSpacing(px(14))
        page.addLayout(left, 1)
        page.addWidget(self.form)

    # --- contents

    def reload(self) -> None:
        """Every open flag, read afresh from the journal."""
        if self.desk is None:
            return
        try:
            orders = self.desk.open()
        except KioskError as exc:
            self.message.emit(exc.text.get(self._language()), True)
            return
        self.model.load(orders)
        self._follow_form()

    def order_changed(self, order: Order) -> None:
        """A journaled change (from the bus): a flag raised or cleared anywhere."""
        self.model.upsert(order)
        self._follow_form()

    def count(self) -> int:
        return self.model.rowCount()

    def open_clear(self, kiosk_order_id: str) -> bool:
        """Show the clear form for a listed flag (what touching its card does)."""
        row = self.model.row_of(kiosk_order_id)
        if row is None:
            return False
        index = self.model.index(row)
        self.view.setCurrentIndex(index)
        self.on_card_clicked(index)
        return True

    def on_card_clicked(self, index: QModelIndex) -> None:
        order = index.data(ORDER_ROLE)
        if isinstance(order, Order):
            self.form.show_order(order)

    def on_cleared(self, order: Order) -> None:
        self.model.upsert(order)  # the bus says so too, a moment later
        self.view.clearSelection()

    def on_refused(self) -> None:
        # A flag cleared meanwhile (another screen, a script): the list follows the journal.
        self.reload()

    def _follow_form(self) -> None:
        """Keep the form's sale selected; cleared elsewhere, the form has nothing to clear."""
        shown = self.form.order()
        if shown is None:
            return
        row = self.model.row_of(shown.kiosk_order_id)
        if row is None:
            self.form.show_order(None)
        elif self.view.currentIndex().row() != row:
            self.view.setCurrentIndex(self.model.index(row))

    def on_count_changed(self, count: int) -> None:
        self.retranslate()
        self.countChanged.emit(count)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
            self.model.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        count = self.model.rowCount()
        self.title.setText(self.tr("Needs attention (%1)").replace("%1", str(count)))
        if count:
            self.help.setText(
                self.tr(
                    "The bank said these sales were paid, but its answer did not match the sale."
                    " Do not hand over goods for them. Check each one in the bank app, then"
                    " clear it: refunded there, or accepted as it is."
                )
            )
        else:
            self.help.setText(self.tr("Nothing needs attention."))
        self.back.setText(self.tr("Back to the day's sales"))


__all__ = [
    "ORDER_ROLE",
    "AttentionBar",
    "AttentionDelegate",
    "AttentionModel",
    "AttentionPage",
]
