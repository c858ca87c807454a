"""Sales that need attention on the manager screen: listed, cleared with the PIN, on the Z."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication, QLabel

from kiosk.app.gui import Gui
from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.order import BANGKOK, Order, OrderState
from kiosk.services.pin import ScryptCost, hash_pin
from kiosk.store.journal import Journal
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.manager.attention import (
    ANSWER_ROLE,
    REASON_ROLE,
    AttentionDelegate,
    AttentionModel,
    AttentionPage,
)
from kiosk.ui.manager.model import Column
from tests.journal_data import T0, sell
from tests.qt_fixtures import GuiFactory, finish_here, kiosk_settings
from tests.ui.test_manager_screen import PIN, button, label, open_manager

S = OrderState
CLICK = Qt.MouseButton.LeftButton
RAW = (  # what the villa adapter keeps of a status answer (kiosk.gateways.villa RAW_FIELDS)
    ("amount", "1.0"),
    ("currency", "THB"),
    ("id", "chrg_test_5x9k2"),
    ("order_id", "order_test_222110adff3affb5844c497fa9c22366b5bc6"),
    ("status", "success"),
    ("transaction_state", "<b>Authorized</b>"),
)


@pytest.fixture(autouse=True)
def manager_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin(PIN, cost=ScryptCost(log_n=10)))


@pytest.fixture
def gui(make_gui: GuiFactory) -> Iterator[Gui]:
    yield make_gui(kiosk_settings(printer={"kind": "pdf"}))


def earlier_today(gui: Gui) -> datetime:
    """A moment of today's Bangkok business day before now."""
    now = gui.services.checkout.clock.now()
    midnight = now.astimezone(BANGKOK).replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + (now - midnight) / 2


def flagged_sale(gui: Gui, at: datetime, baht: int, reason: Reason) -> Order:
    """A sale still awaiting payment when a "paid" that does not add up flags it."""
    order = sell(gui.services.journal, at, baht, outcome=S.AWAITING_PAYMENT)
    flagged: Order = finish_here(gui.services.checkout.flag(order, reason, RAW))
    return flagged


def page_of(screen: ManagerScreen) -> AttentionPage:
    return screen.attention_page


def click_clear_on_card(qtbot, page: AttentionPage, kiosk_order_id: str) -> None:  # type: ignore[no-untyped-def]
    row = page.model.row_of(kiosk_order_id)
    assert row is not None
    delegate = page.view.itemDelegate()
    assert isinstance(delegate, AttentionDelegate)
    card = page.view.visualRect(page.model.index(row))
    qtbot.mouseClick(page.view.viewport(), CLICK, pos=delegate.button_rect(card).center())


def type_pin(qtbot, page: AttentionPage, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        qtbot.mouseClick(button(page, f"clearKey_{digit}"), CLICK)


def test_a_flag_is_listed_refused_with_a_wrong_pin_cleared_with_the_pin_and_on_the_z(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
) -> None:
    journal = gui.services.journal
    sale = flagged_sale(gui, earlier_today(gui), 300, Reason.AMOUNT)
    older = flagged_sale(
        gui, gui.services.checkout.clock.now() - timedelta(days=2), 99, Reason.NOT_NAMED
    )
    assert sale.state is S.FAILED and sale.needs_attention

    screen = open_manager(qtbot, gui)
    # At once: a red bar over the day, and the sale marked in the day's table.
    bar = button(screen, "attentionBar")
    assert bar.isVisible() and "2 sales need attention" in bar.text()
    row = screen.table.model.row_of(sale.kiosk_order_id)
    assert row is not None
    status = screen.table.model.index(row, Column.STATUS)
    assert status.data() == "Failed · Attention"
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)

    qtbot.mouseClick(bar, CLICK)
    page = page_of(screen)
    assert screen.body.currentWidget() is page and not bar.isVisible()
    assert label(page, "attentionTitle") == "Needs attention (2)"
    assert [o.kiosk_order_id for o in page.model.orders()] == [
        sale.kiosk_order_id,
        older.kiosk_order_id,
    ]  # every day's open flags, in the order they were raised
    index = page.model.index(0)
    assert index.data(REASON_ROLE) == "The bank reported a payment of another amount."
    answer = str(index.data(ANSWER_ROLE))
    assert "amount: 1.0" in answer and "<b>Authorized</b>" in answer  # shown as it came

    click_clear_on_card(qtbot, page, sale.kiosk_order_id)
    form = page.form
    assert form.order() == sale and sale.kiosk_order_id in label(page, "clearHeading")
    assert gui.window.minimumSizeHint().height() <= 800  # the form fits a 1280x800 counter
    submit = button(page, "clearSubmit")
    type_pin(qtbot, page, "111111")
    assert not submit.isEnabled()  # no outcome chosen yet
    qtbot.mouseClick(button(page, "clearRefunded"), CLICK)
    assert submit.isEnabled()
    qtbot.mouseClick(submit, CLICK)
    qtbot.waitUntil(lambda: "Wrong PIN" in label(page, "clearMessage"), timeout=5000)
    still = journal.get(sale.kiosk_order_id)
    assert still is not None and still.needs_attention  # a refused PIN changes nothing
    assert page.model.row_of(sale.kiosk_order_id) is not None and form.order() == sale
    assert form.pin.text() == "" and not submit.isEnabled()

    qtbot.keyClicks(form.note, "refund slip 42")
    qtbot.keyClicks(form.pin, "24x6y810")  # a keyboard works too; letters are not taken
    assert form.pin.text() == PIN
    qtbot.mouseClick(submit, CLICK)
    qtbot.waitUntil(lambda: page.model.row_of(sale.kiosk_order_id) is None, timeout=5000)
    assert "cleared: Refunded in the bank app" in label(page, "clearMessage")
    assert form.order() is None and label(page, "attentionTitle") == "Needs attention (1)"
    cleared = journal.get(sale.kiosk_order_id)
    assert cleared is not None and cleared.attention is not None
    assert cleared.attention.outcome is Outcome.REFUNDED
    assert cleared.attention.note == "refund slip 42" and cleared.attention.cleared_at is not None
    assert cleared.state is S.FAILED  # the flag is cleared; the sale is not made paid
    assert [o.kiosk_order_id for o in journal.orders_needing_attention()] == [older.kiosk_order_id]

    qtbot.mouseClick(button(page, "attentionBackButton"), CLICK)
    assert screen.body.currentWidget() is screen.day_view
    assert bar.isVisible() and "1 sale needs attention" in bar.text()
    qtbot.waitUntil(lambda: status.data() == "Failed · Refunded", timeout=3000)
    assert screen.select_order(sale.kiosk_order_id)
    assert "⚠ Attention: The bank reported a payment of another amount." in label(
        screen, "detailFields"
    )
    assert gui.window.minimumSizeHint().height() <= 800  # the red bar and a flagged detail too

    # The day's Z lists it with its outcome, and the flag still open.
    qtbot.mouseClick(button(screen, "zReportButton"), CLICK)
    qtbot.waitUntil(lambda: "still needs attention" in label(screen, "zReportText"), timeout=3000)
    qtbot.mouseClick(button(screen, "zConfirmButton"), CLICK)
    qtbot.waitUntil(lambda: screen.z_page.last_output is not None, timeout=10000)
    text = label(screen, "zReportText")
    assert f"{sale.kiosk_order_id}  ฿300.00: Refunded in the bank app" in text
    assert f"{older.kiosk_order_id}  ฿99.00: still open" in text
    report = gui.services.zreports.latest()
    assert report is not None and report.attention_open == 1
    day_flag, other_flag = report.attention
    assert day_flag.kiosk_order_id == sale.kiosk_order_id
    assert day_flag.outcome is Outcome.REFUNDED and day_flag.reported == "1.0 THB"
    assert other_flag.kiosk_order_id == older.kiosk_order_id and other_flag.is_open


def test_a_flag_raised_or_cleared_while_the_screen_is_open_shows_at_once(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
) -> None:
    screen = open_manager(qtbot, gui)
    bar = button(screen, "attentionBar")
    assert not bar.isVisible() and page_of(screen).count() == 0
    sale = flagged_sale(gui, earlier_today(gui), 120, Reason.OTHER_ORDER)
    qtbot.waitUntil(lambda: bar.isVisible(), timeout=3000)
    assert "1 sale needs attention" in bar.text()
    assert page_of(screen).model.row_of(sale.kiosk_order_id) == 0
    row = screen.table.model.row_of(sale.kiosk_order_id)
    assert row is not None
    assert screen.table.model.index(row, Column.STATUS).data() == "Failed · Attention"

    # Cleared elsewhere (another screen, a script): the bar goes, the mark says how.
    done = gui.controller.spawn(
        gui.services.attention.clear(sale.kiosk_order_id, Outcome.ACCEPTED, PIN)
    )
    qtbot.waitUntil(lambda: done.done() and not bar.isVisible(), timeout=5000)
    assert page_of(screen).count() == 0
    assert screen.table.model.index(row, Column.STATUS).data() == "Failed · Accepted"
    assert screen.select_order(sale.kiosk_order_id)
    fields = label(screen, "detailFields")
    assert "The bank's answer was about another order." in fields
    assert "Cleared: Accepted as it is" in fields
    assert "transaction_state: <b>Authorized</b>" in fields
    detail = screen.detail.fields
    assert isinstance(detail, QLabel) and detail.textFormat() is Qt.TextFormat.PlainText


# --- the list model on its own


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def flag(journal: Journal, order: Order, at: datetime) -> Order:
    assert journal.flag_attention(Attention(order.kiosk_order_id, Reason.AMOUNT, at, raw=RAW))
    flagged = journal.get(order.kiosk_order_id)
    assert flagged is not None
    return flagged


def test_the_list_model_inserts_in_flag_order_and_removes_what_is_cleared(
    qapp: QApplication, journal: Journal
) -> None:
    first = flag(journal, sell(journal, T0, 10, outcome=S.FAILED), T0 + timedelta(minutes=1))
    late = flag(journal, sell(journal, T0, 20, outcome=S.EXPIRED), T0 + timedelta(minutes=9))
    model = AttentionModel(language=lambda: "th")
    counts = QSignalSpy(model.countChanged)
    model.load([first, sell(journal, T0, 30)])  # an order without a flag is not listed
    assert [o.kiosk_order_id for o in model.orders()] == [first.kiosk_order_id]
    middle = flag(journal, sell(journal, T0, 40, outcome=S.FAILED), T0 + timedelta(minutes=5))
    model.upsert(late)
    model.upsert(middle)
    assert [o.amount.satang for o in model.orders()] == [1000, 4000, 2000]
    assert model.index(0).data(REASON_ROLE) == "ธนาคารแจ้งการชำระเงินด้วยจำนวนเงินที่ไม่ตรงกับรายการ"
    # A change that does not carry the flag says nothing about it: the row stays.
    model.upsert(sell(journal, T0, 50))
    without = journal.get(middle.kiosk_order_id)
    assert without is not None
    model.upsert(replace(without, attention=None))
    assert model.rowCount() == 3
    assert journal.clear_attention(middle.kiosk_order_id, Outcome.ACCEPTED, T0 + timedelta(hours=1))
    cleared = journal.get(middle.kiosk_order_id)
    assert cleared is not None
    model.upsert(cleared)
    assert [o.amount.satang for o in model.orders()] == [1000, 2000]
    assert [counts.at(i)[0] for i in range(counts.count())] == [1, 2, 3, 2]
