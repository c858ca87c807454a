"""The manager's transaction list: a table model of one day's orders, and its sort/filter proxy.

``OrdersModel`` holds the day's orders, sorted. The checkout service tells
it of every journaled change (``upsert``): an order already listed changes in
place with ``dataChanged`` for its one row (moved with ``beginMoveRows`` only
if its sort key changed), a new order of the day is inserted where it sorts
with ``beginInsertRows``; only choosing another day resets the model.

``OrdersProxy`` filters with the same ``OrderFilter`` as the CSV export and
``kiosk report``. Sorting requests (the header) reach the proxy, which hands
them to the source model: Python sorts a day's rows on precomputed keys in a
few milliseconds, while Qt's own proxy sort would call back into Python for
every comparison (some 80 000 calls, ~0.3 s, for a busy day; measured).

State and method names come from the one label table (``kiosk.domain.labels``)
in the screen's language; the column headers are Qt translations. A sale
that carries a flag for the manager (``kiosk.domain.attention``) is marked
in its status cell: a red warning sign and "Attention" while the flag is
open (and it sorts first by status), a grey sign and the outcome once a
manager cleared it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF

from kiosk.domain.attention import REASON_TEXTS, Outcome
from kiosk.domain.labels import LATE_LABEL, method_label, state_label
from kiosk.domain.order import Method, Order, OrderState, business_day
from kiosk.services.reports import OrderFilter, StatusGroup, local_time
from kiosk.ui.plain import plain_tooltip
from kiosk.ui.theme import AMBER, GREEN, GREY, RED, font

ORDER_ROLE = Qt.ItemDataRole.UserRole + 1  # the Order of the row
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what the column sorts by
Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    TIME = 0
    ORDER = 1
    METHOD = 2
    AMOUNT = 3
    STATUS = 4
    LATE = 5
    SALE_REF = 6  # the main till's bill number the cashier typed or scanned
    GATEWAY_ORDER = 7
    GATEWAY_CHARGE = 8


STATUS_COLOURS: dict[StatusGroup, str] = {
    StatusGroup.PAID: GREEN,
    StatusGroup.PENDING: "#1565c0",
    StatusGroup.EXPIRED: GREY,
    StatusGroup.CANCELLED: AMBER,
    StatusGroup.FAILED: RED,
}
# Sorting by status puts what needs attention first.
STATUS_RANK = {
    StatusGroup.PENDING: 0,
    StatusGroup.FAILED: 1,
    StatusGroup.PAID: 2,
    StatusGroup.CANCELLED: 3,
    StatusGroup.EXPIRED: 4,
}
_ALIGN_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_ALIGN_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_icons: dict[StatusGroup, QIcon] = {}
_warnings: dict[bool, QIcon] = {}


ICON_SIZE = 64


def _painted(draw: Callable[[QPainter], None]) -> QIcon:
    """A 64 px icon: ``draw`` paints on a transparent, antialiased square."""
    pixmap = QPixmap(ICON_SIZE, ICON_SIZE)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    draw(painter)
    painter.end()
    return QIcon(pixmap)


def _white_pen() -> QPen:
    return QPen(QColor("white"), 7, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap)


def status_icon(group: StatusGroup) -> QIcon:
    """A filled circle in the status colour with a white mark: ✓ … ⌛ ⨯ !"""

    def draw(painter: QPainter) -> None:
        painter.setBrush(QColor(STATUS_COLOURS[group]))
        painter.drawEllipse(QRectF(2, 2, ICON_SIZE - 4, ICON_SIZE - 4))
        painter.setPen(_white_pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        if group is StatusGroup.PAID:
            painter.drawPolyline([_p(18, 33), _p(28, 43), _p(46, 22)])
        elif group is StatusGroup.PENDING:
            for x in (19, 32, 45):
                painter.drawPoint(_p(x, 32))
        elif group is StatusGroup.EXPIRED:  # a clock
            painter.drawLine(_p(32, 32), _p(32, 17))
            painter.drawLine(_p(32, 32), _p(43, 38))
        elif group is StatusGroup.CANCELLED:
            painter.drawLine(_p(20, 32), _p(44, 32))
        else:  # failed
            painter.drawLine(_p(21, 21), _p(43, 43))
            painter.drawLine(_p(43, 21), _p(21, 43))

    if group not in _icons:
        _icons[group] = _painted(draw)
    return _icons[group]


def _p(x: float, y: float) -> QPointF:
    return QPointF(x, y)


def attention_icon(still_open: bool) -> QIcon:
    """A warning sign with "!": red while the flag is open, grey once it was cleared."""

    def draw(painter: QPainter) -> None:
        painter.setBrush(QColor(RED if still_open else GREY))
        painter.drawPolygon(QPolygonF([_p(32, 3), _p(62, 58), _p(2, 58)]))
        painter.setPen(_white_pen())
        painter.drawLine(_p(32, 22), _p(32, 38))
        painter.drawPoint(_p(32, 49))

    if still_open not in _warnings:
        _warnings[still_open] = _painted(draw)
    return _warnings[still_open]


class OrdersModel(QAbstractTableModel):
    """One business day's orders, sorted by one column (time, newest first, by default)."""

    def __init__(self, *, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self.day = ""
        self.sort_column = Column.TIME
        self.sort_order = Qt.SortOrder.DescendingOrder
        self._orders: list[Order] = []
        self._rows: dict[str, int] = {}
        self._sort_keys: list[tuple[object, ...]] = []
        self._status_font = font(18, bold=True)
        self.retranslate()

    # --- contents

    def load(self, day: str, orders: list[Order]) -> None:
        """Show another day (or the same day afresh): the one place the model resets."""
        self.beginResetModel()
        self.day = day
        pairs = sorted(
            ((_sort_keys(o), o) for o in orders),
            key=self._key_of,
            reverse=self._descending,
        )
        self._sort_keys = [keys for keys, _ in pairs]
        self._orders = [order for _, order in pairs]
        self._reindex()
        self.endResetModel()

    def upsert(self, order: Order) -> None:
        """A journaled change: one row changes in place, or a new order of the day is added."""
        if not self.day or business_day(order.created_at) != self.day:
            return
        row = self._rows.get(order.kiosk_order_id)
        if row is not None and order.attention is None and self._orders[row].attention:
            # A flag is never taken away: a change that does not carry it keeps it.
            order = replace(order, attention=self._orders[row].attention)
        keys = _sort_keys(order)
        if row is None:
            row = self._position(keys)
            self.beginInsertRows(QModelIndex(), row, row)
            self._orders.insert(row, order)
            self._sort_keys.insert(row, keys)
            self._reindex()
            self.endInsertRows()
            return
        moved = self._key_of((keys, order)) != self._key_of((self._sort_keys[row], order))
        self._orders[row] = order
        self._sort_keys[row] = keys
        if moved:
            row = self._move(row)
        last = self.columnCount() - 1
        self.dataChanged.emit(self.index(row, 0), self.index(row, last))

    def _move(self, row: int) -> int:
        """Take ``row`` to where its new key sorts; returns its new row."""
        order, keys = self._orders.pop(row), self._sort_keys.pop(row)
        target = self._position(keys)
        self._orders.insert(row, order)
        self._sort_keys.insert(row, keys)
        if target == row:
            return row
        # beginMoveRows names the destination before the row is taken out.
        destination = target + 1 if target > row else target
        self.beginMoveRows(QModelIndex(), row, row, QModelIndex(), destination)
        self._orders.insert(target, self._orders.pop(row))
        self._sort_keys.insert(target, self._sort_keys.pop(row))
        self._reindex()
        self.endMoveRows()
        return target

    def _position(self, keys: tuple[object, ...]) -> int:
        """Where a row with ``keys`` goes among the rows (not itself) now listed."""
        new = self._key_of((keys, None))
        for row, other in enumerate(self._sort_keys):
            theirs = self._key_of((other, None))
            if (theirs < new) if self._descending else (new < theirs):
                return row
        return len(self._sort_keys)

    @property
    def _descending(self) -> bool:
        return self.sort_order == Qt.SortOrder.DescendingOrder

    def _key_of(self, pair: tuple[tuple[object, ...], object]) -> tuple[object, ...]:
        keys = pair[0]
        # Ties (same amount, same status …) keep time order, then the order id.
        return (keys[self.sort_column], keys[Column.TIME], keys[Column.ORDER])

    def _reindex(self) -> None:
        self._rows = {o.kiosk_order_id: i for i, o in enumerate(self._orders)}

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort in Python on the precomputed keys; views and the proxy keep their selection."""
        if not 0 <= column < len(Column):
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = Column(column), order
        ids_before = [o.kiosk_order_id for o in self._orders]
        pairs = sorted(
            zip(self._sort_keys, self._orders, strict=True),
            key=self._key_of,
            reverse=self._descending,
        )
        self._sort_keys = [keys for keys, _ in pairs]
        self._orders = [o for _, o in pairs]
        self._reindex()
        old = self.persistentIndexList()
        new = [
            self.index(self._rows[ids_before[i.row()]], i.column())
            if i.isValid()
            else QModelIndex()
            for i in old
        ]
        self.changePersistentIndexList(old, new)
        self.layoutChanged.emit()

    def order_at(self, row: int) -> Order:
        return self._orders[row]

    def row_of(self, kiosk_order_id: str) -> int | None:
        return self._rows.get(kiosk_order_id)

    def orders(self) -> list[Order]:
        return list(self._orders)

    # --- QAbstractTableModel

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), Column(index.column())
        if role == SORT_ROLE:
            return self._sort_keys[row][column]
        order = self._orders[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(order, column)
        if role == ORDER_ROLE:
            return order
        group = StatusGroup.of(order.state)
        if column is Column.STATUS:
            flag = order.attention
            if role == Qt.ItemDataRole.DecorationRole:
                return status_icon(group) if flag is None else attention_icon(flag.is_open)
            if role == Qt.ItemDataRole.ForegroundRole:
                colour = RED if flag is not None and flag.is_open else STATUS_COLOURS[group]
                return QBrush(QColor(colour))
            if role == Qt.ItemDataRole.FontRole:
                return self._status_font
            if role == Qt.ItemDataRole.ToolTipRole and flag is not None:
                return self._attention_tip(order)
        if column is Column.LATE and order.late:
            if role == Qt.ItemDataRole.ForegroundRole:
                return QBrush(QColor(AMBER))
            if role == Qt.ItemDataRole.FontRole:
                return self._status_font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT if column is Column.AMOUNT else _ALIGN_LEFT
        if role == Qt.ItemDataRole.ToolTipRole and order.failure_message:
            return plain_tooltip(order.failure_message)  # a gateway's words: never markup
        return None

    def _display(self, order: Order, column: Column) -> str:
        if column is Column.TIME:
            return local_time(order.created_at)
        if column is Column.ORDER:
            return order.kiosk_order_id
        if column is Column.METHOD:
            return self._methods.get(order.method, order.method.value)
        if column is Column.AMOUNT:
            return order.amount.thb()
        if column is Column.STATUS:
            state = self._states.get(order.state, order.state.value)
            flag = order.attention
            if flag is None:
                return state
            if flag.is_open or flag.outcome is None:
                return f"{state} · {self._attention}"
            return f"{state} · {self._outcomes[flag.outcome]}"
        if column is Column.LATE:
            return self._late if order.late else ""
        if column is Column.SALE_REF:
            return order.sale_ref or ""
        if column is Column.GATEWAY_ORDER:
            return order.gateway_order_id or ""
        return order.gateway_charge_id or ""

    def _attention_tip(self, order: Order) -> str:
        flag = order.attention
        assert flag is not None
        reason = REASON_TEXTS[flag.reason].get(self._language())
        if flag.is_open or flag.outcome is None:
            return f"{self._attention}: {reason}"
        return f"{reason} → {self._outcomes[flag.outcome]}"

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[Column(section)]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _ALIGN_RIGHT if section == Column.AMOUNT else _ALIGN_LEFT
        return None

    def retranslate(self) -> None:
        self._headers = {
            Column.TIME: self.tr("Time"),
            Column.ORDER: self.tr("Order no."),
            Column.METHOD: self.tr("Method"),
            Column.AMOUNT: self.tr("Amount"),
            Column.STATUS: self.tr("Status"),
            Column.LATE: self.tr("Late"),
            Column.SALE_REF: self.tr("Bill no."),
            Column.GATEWAY_ORDER: self.tr("Gateway order"),
            Column.GATEWAY_CHARGE: self.tr("Charge"),
        }
        language = self._language()
        self._methods = {method: method_label(method, language) for method in Method}
        self._states = {state: state_label(state, language) for state in OrderState}
        self._late = "⚠ " + LATE_LABEL.get(language)
        self._attention = self.tr("Attention")  # beside the warning sign
        self._outcomes = {
            Outcome.REFUNDED: self.tr("Refunded"),
            Outcome.ACCEPTED: self.tr("Accepted"),
        }
        if self._orders:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._orders) - 1, len(Column) - 1)
            )
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)


def _sort_keys(order: Order) -> tuple[object, ...]:
    """Per column, a value Qt compares natively (str or int), so sorting stays in C++."""
    created = order.created_at.isoformat()
    group = StatusGroup.of(order.state)
    rank = -1 if order.needs_attention else STATUS_RANK[group]  # an open flag comes first
    return (
        created,
        order.kiosk_order_id,
        order.method.value,
        order.amount.satang,
        rank * 10 + list(OrderState).index(order.state),
        int(order.late),
        order.sale_ref or "",
        order.gateway_order_id or "",
        order.gateway_charge_id or "",
    )


class OrdersProxy(QSortFilterProxyModel):
    """Keeps the rows the current ``OrderFilter`` accepts, in the source model's order."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        # Re-filters a changed row by itself; never sorts (its sort column stays -1).
        self.setDynamicSortFilter(True)
        self._filter = OrderFilter()

    @property
    def order_filter(self) -> OrderFilter:
        return self._filter

    def set_filter(self, where: OrderFilter) -> None:
        if where == self._filter:
            return
        self.beginFilterChange()
        self._filter = where
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting is the source model's (see the module doc); the proxy keeps its order."""
        model = self.sourceModel()
        if isinstance(model, OrdersModel):
            model.sort(column, order)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:
        if self._filter.is_empty:
            return True
        model = self.sourceModel()
        assert isinstance(model, OrdersModel)
        return self._filter.accepts(model.order_at(source_row))

    def order_at(self, row: int) -> Order:
        """The order on proxy row ``row``."""
        model = self.sourceModel()
        assert isinstance(model, OrdersModel)
        return model.order_at(self.mapToSource(self.index(row, 0)).row())

    def shown_orders(self) -> list[Order]:
        """The orders the filter lets through, in the order they are shown."""
        return [self.order_at(row) for row in range(self.rowCount())]
