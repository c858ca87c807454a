"""The manager screen in the real window: PIN, live table, totals, export, reconcile, Z report."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.app import cli
from kiosk.app.gui import Gui
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Method, Order, OrderState
from kiosk.services.pin import ScryptCost, hash_pin
from kiosk.services.reports import BOM, StatusGroup, csv_bytes, day_label
from kiosk.store.reports import ReportStore
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.pin_pad import PinPad
from tests.journal_data import sell
from tests.qt_fixtures import GuiFactory, kiosk_settings

S = OrderState
CLICK = Qt.MouseButton.LeftButton
PIN = "246810"


@pytest.fixture(autouse=True)
def manager_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    # A cheap scrypt cost: the real one takes ~250 ms per check on purpose.
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin(PIN, cost=ScryptCost(log_n=10)))


def button(widget: object, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)  # type: ignore[attr-defined]
    assert isinstance(found, QPushButton), name
    return found


def label(widget: object, name: str) -> str:
    found = widget.findChild(QLabel, name)  # type: ignore[attr-defined]
    assert isinstance(found, QLabel), name
    return found.text()


def open_manager(qtbot, gui: Gui, pin: str = PIN) -> ManagerScreen:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(button(gui.window, "managerButton"), CLICK)
    pad = gui.window.findChild(PinPad, "pinPad")
    assert isinstance(pad, PinPad) and pad.isVisible()
    for digit in pin:
        qtbot.mouseClick(button(pad, f"pinKey_{digit}"), CLICK)
    qtbot.waitUntil(
        lambda: isinstance(gui.window.stack.currentWidget(), ManagerScreen), timeout=5000
    )
    screen = gui.window.stack.currentWidget()
    assert isinstance(screen, ManagerScreen)
    return screen


def todays_sales(gui: Gui) -> list[Order]:
    """Six sales rung up over the last hours, in the journal the window reads."""
    now = gui.services.checkout.clock.now()
    start = now.astimezone(BANGKOK).replace(hour=0, minute=5, second=0, microsecond=0)
    step = (now - start) / 7
    # Sales of the window's own kind (its gateway is the sandbox): a batch counts only those.
    journal, kind = gui.services.journal, {"sandbox": gui.services.checkout.sandbox}
    return [
        sell(journal, start + step, 300, **kind),
        sell(journal, start + 2 * step, "45.50", method=Method.WECHAT, **kind),
        sell(journal, start + 3 * step, 120, outcome=S.EXPIRED, **kind),
        sell(
            journal, start + 4 * step, 12, outcome=S.FAILED, failure_message="ธนาคารปฏิเสธ", **kind
        ),
        sell(journal, start + 5 * step, 80, outcome=S.EXPIRED, late=True, **kind),
        sell(journal, start + 6 * step, 55, outcome=S.AWAITING_PAYMENT, **kind),
    ]


@pytest.fixture
def gui(make_gui: GuiFactory) -> Iterator[Gui]:
    yield make_gui(kiosk_settings(printer={"kind": "pdf"}))


def test_the_manager_button_asks_for_the_pin_and_a_wrong_pin_keeps_it_shut(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
) -> None:
    qtbot.mouseClick(button(gui.window, "managerButton"), CLICK)
    pad = gui.window.findChild(PinPad, "pinPad")
    assert isinstance(pad, PinPad)
    assert "open the manager screen" in label(pad, "pinMessage")
    for digit in "111111":
        qtbot.mouseClick(button(pad, f"pinKey_{digit}"), CLICK)
    qtbot.waitUntil(lambda: "Wrong PIN" in label(pad, "pinMessage"), timeout=5000)
    assert gui.window.stack.currentWidget() is gui.window.sale
    pad.reject()
    screen = open_manager(qtbot, gui)
    qtbot.mouseClick(button(screen, "managerBackButton"), CLICK)
    assert gui.window.stack.currentWidget() is gui.window.sale


def test_no_pin_set_means_no_manager_screen(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KIOSK_SECRET_MANAGER_PIN_HASH")
    import keyring

    from tests.memkeyring import MemoryKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(MemoryKeyring())
    try:
        qtbot.mouseClick(button(gui.window, "managerButton"), CLICK)
        pad = gui.window.findChild(PinPad, "pinPad")
        assert isinstance(pad, PinPad)
        for digit in PIN:
            qtbot.mouseClick(button(pad, f"pinKey_{digit}"), CLICK)
        qtbot.waitUntil(lambda: "No manager PIN" in label(pad, "pinMessage"), timeout=5000)
        assert gui.window.stack.currentWidget() is gui.window.sale
    finally:
        keyring.set_keyring(previous)


def test_todays_sales_totals_filters_and_detail(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    orders = todays_sales(gui)
    screen = open_manager(qtbot, gui)
    assert screen.table.proxy.rowCount() == 6 and label(screen, "managerCount") == "6 orders"
    # Newest first.
    assert screen.table.proxy.order_at(0).kiosk_order_id == orders[-1].kiosk_order_id
    # Totals equal a direct SQL sum over the journal.
    with gui.services.journal.read("sum the paid orders") as db:
        (count, satang), *_ = db.execute(
            "SELECT COUNT(*), SUM(amount_satang) FROM orders"
            " WHERE business_day = ? AND state = 'paid'",
            (screen.day,),
        ).fetchall()
    assert label(screen, "total_paid_amount") == Money(satang).thb() == "฿425.50"
    assert label(screen, "total_paid_count") == f"{count} orders" == "3 orders"
    assert label(screen, "total_wechat_amount") == "฿45.50"
    assert label(screen, "total_late_amount") == "฿80.00"
    assert label(screen, "total_pending_count") == "1 order"
    assert label(screen, "total_failed_amount") == "฿12.00"
    assert sum(screen.chart.hours()) == satang

    screen.filters.status_filter.setCurrentIndex(
        screen.filters.status_filter.findData(StatusGroup.PAID.value)
    )
    assert screen.table.proxy.rowCount() == 3 and label(screen, "managerCount") == "3 of 6 orders"
    screen.filters.method_filter.setCurrentIndex(
        screen.filters.method_filter.findData(Method.WECHAT.value)
    )
    assert [o.amount.plain() for o in screen.table.proxy.shown_orders()] == ["45.50"]
    screen.filters.status_filter.setCurrentIndex(0)
    screen.filters.method_filter.setCurrentIndex(0)
    qtbot.keyClicks(screen.filters.search, "12")
    qtbot.waitUntil(lambda: screen.table.proxy.rowCount() == 1, timeout=2000)  # the ฿12 sale
    assert screen.select_order(orders[3].kiosk_order_id)
    assert "ธนาคารปฏิเสธ" in label(screen, "detailFields")
    history = [screen.detail.history.item(i).text() for i in range(screen.detail.history.count())]
    assert [line.split("   ", 1)[1] for line in history] == [
        "→ New",
        "New → Creating",
        "Creating → Failed\n    Declined by the customer's bank.",
    ]


def test_a_live_sale_inserts_a_row_and_each_change_updates_only_that_row(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
) -> None:
    left = todays_sales(gui)[-1]  # awaiting payment: as if a watcher followed it
    screen = open_manager(qtbot, gui)
    model = screen.table.model
    reset, inserted, changed = (
        QSignalSpy(model.modelReset),
        QSignalSpy(model.rowsInserted),
        QSignalSpy(model.dataChanged),
    )
    service, sandbox = gui.services.checkout, gui.services.sandbox_server
    assert sandbox is not None
    with service.follows(left.kiosk_order_id):
        task = gui.controller.spawn(service.run(Money(7700)))
        qtbot.waitUntil(lambda: model.rowCount() == 7, timeout=5000)
    row = model.row_of(model.order_at(0).kiosk_order_id)
    assert row == 0 and inserted.count() == 1
    qtbot.waitUntil(lambda: model.order_at(0).state is S.AWAITING_PAYMENT, timeout=5000)
    sandbox.pay(model.order_at(0).kiosk_order_id)
    qtbot.waitUntil(task.done, timeout=5000)
    assert model.index(0, 4).data() == "Paid"
    assert reset.count() == 0 and inserted.count() == 1
    rows = {(changed.at(i)[0].row(), changed.at(i)[1].row()) for i in range(changed.count())}
    assert rows == {(0, 0)} and changed.count() == 3  # creating, awaiting payment, paid
    qtbot.waitUntil(lambda: label(screen, "total_paid_amount") == "฿502.50", timeout=3000)


def test_export_csv_equals_kiosk_report_for_the_same_filter(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
    capsysbinary: pytest.CaptureFixture[bytes],
) -> None:
    todays_sales(gui)
    screen = open_manager(qtbot, gui)
    screen.filters.status_filter.setCurrentIndex(
        screen.filters.status_filter.findData(StatusGroup.PAID.value)
    )
    screen.filters.method_filter.setCurrentIndex(
        screen.filters.method_filter.findData(Method.QR.value)
    )
    qtbot.mouseClick(button(screen, "exportButton"), CLICK)
    qtbot.waitUntil(lambda: "Saved 2 orders" in label(screen, "managerMessage"), timeout=5000)
    path = screen.last_export
    assert path is not None and path.parent == gui.services.data_dir / "exports"
    assert str(path) in label(screen, "managerMessage")
    exported = path.read_bytes()
    assert exported.startswith(BOM.encode("utf-8"))
    rows = list(csv.DictReader(io.StringIO(exported.decode("utf-8-sig"))))
    assert [r["amount"] for r in rows] == ["300.00", "80.00"]
    assert exported == csv_bytes(
        sorted(screen.table.proxy.shown_orders(), key=lambda o: o.created_at)
    )

    code = cli.main(
        ["report", "--date", day_label(screen.day), "--status", "paid", "--method", "qr"]
    )
    out, _ = capsysbinary.readouterr()
    assert code == 0 and out == exported
    # And without a filter: every order of the day.
    screen.filters.status_filter.setCurrentIndex(0)
    screen.filters.method_filter.setCurrentIndex(0)
    qtbot.mouseClick(button(screen, "exportButton"), CLICK)
    qtbot.waitUntil(lambda: "Saved 6 orders" in label(screen, "managerMessage"), timeout=5000)
    assert cli.main(["report", "--date", day_label(screen.day)]) == 0
    out, _ = capsysbinary.readouterr()
    assert screen.last_export is not None and out == screen.last_export.read_bytes()
    assert out.decode("utf-8-sig").count("\r\n") == 7


def test_reconcile_shows_progress_and_what_changed(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    service, sandbox = gui.services.checkout, gui.services.sandbox_server
    assert sandbox is not None
    started = gui.controller.spawn(service.start(Money(2500)))  # then nobody follows it
    qtbot.waitUntil(started.done, timeout=5000)
    order = started.result()
    sandbox.pay(order.kiosk_order_id)
    screen = open_manager(qtbot, gui)
    assert label(screen, "total_pending_count") == "1 order"
    seen: list[tuple[int, int]] = []
    screen.reconcile_page.progress.valueChanged.connect(
        lambda value: seen.append((value, screen.reconcile_page.progress.maximum()))
    )
    qtbot.mouseClick(button(screen, "reconcileButton"), CLICK)
    qtbot.waitUntil(lambda: "1 changed" in screen.reconcile_page.title.text(), timeout=5000)
    assert (1, 1) in seen
    line = screen.reconcile_page.changes.item(0).text()
    assert order.kiosk_order_id in line and "Awaiting payment → Paid" in line
    row = screen.table.model.row_of(order.kiosk_order_id)
    assert row is not None
    # The table hears of the change on the bus, which may deliver after the title is set.
    qtbot.waitUntil(lambda: screen.table.model.index(row, 4).data() == "Paid", timeout=3000)
    qtbot.waitUntil(lambda: label(screen, "total_paid_amount") == "฿25.00", timeout=3000)
    qtbot.mouseClick(button(screen, "reconcileDoneButton"), CLICK)
    assert screen.side.currentWidget() is screen.detail


def test_the_z_button_closes_the_batch_once_and_saves_the_pdf(
    qtbot,  # type: ignore[no-untyped-def]
    gui: Gui,
) -> None:
    orders = todays_sales(gui)
    screen = open_manager(qtbot, gui)
    assert "No Z report issued this day" in label(screen, "zStatusLabel")
    qtbot.mouseClick(button(screen, "zReportButton"), CLICK)
    # The window runs on the sandbox: its Zs are the TEST-Z series (paper, file, labels).
    qtbot.waitUntil(lambda: "TEST-Z000001" in label(screen, "zReportText"), timeout=3000)
    text = label(screen, "zReportText")
    assert "Issue Z report TEST-Z000001?" in text and "1 order is still open" in text
    assert button(screen, "zConfirmButton").isVisible()
    qtbot.mouseClick(button(screen, "zConfirmButton"), CLICK)
    qtbot.waitUntil(lambda: screen.z_page.last_output is not None, timeout=10000)
    out = screen.z_page.last_output
    assert out is not None and out.pdf is not None and out.pdf.read_bytes().startswith(b"%PDF")
    assert out.pdf == gui.services.data_dir / "reports" / "test-z-000001.pdf"
    assert out.printed  # printer.kind = "pdf": the receipt printer wrote it too
    assert "Z report TEST-Z000001 issued" in label(screen, "zReportText")
    assert "Last Z report this day: TEST-Z000001" in label(screen, "zStatusLabel")
    # Nothing journaled since: nothing to close, and a copy of the last is offered.
    qtbot.mouseClick(button(screen, "zReportButton"), CLICK)
    qtbot.waitUntil(lambda: "Nothing to close" in label(screen, "zReportText"), timeout=3000)
    assert not button(screen, "zConfirmButton").isVisible()
    assert button(screen, "zPrintCopyButton").isVisible()
    # The open order settling is the next batch's: the button closes again.
    paid, move = orders[-1].transition(S.PAID, gui.services.checkout.clock.now())
    gui.services.journal.record(paid, move)
    qtbot.mouseClick(button(screen, "zReportButton"), CLICK)
    qtbot.waitUntil(lambda: "TEST-Z000002" in label(screen, "zReportText"), timeout=3000)
    first = screen.z_page.last_output
    qtbot.mouseClick(button(screen, "zConfirmButton"), CLICK)
    qtbot.waitUntil(lambda: "Z report TEST-Z000002 issued" in label(screen, "zReportText"))
    tests = ReportStore(gui.services.journal, sandbox=True).z_reports()
    assert [z.number for z in tests] == [1, 2]
    assert ReportStore(gui.services.journal).z_reports() == []  # the real series untouched
    # The second report is printed and saved before the test ends (the window
    # closing under a print still running would be a different test).
    qtbot.waitUntil(lambda: screen.z_page.last_output is not first, timeout=10000)
    second = screen.z_page.last_output
    assert (
        second is not None and second.pdf == gui.services.data_dir / "reports" / "test-z-000002.pdf"
    )


def test_reprint_from_the_table(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    orders = todays_sales(gui)
    screen = open_manager(qtbot, gui)
    assert screen.select_order(orders[0].kiosk_order_id)
    reprint = button(screen, "reprintButton")
    assert reprint.isVisible() and reprint.isEnabled()
    qtbot.mouseClick(reprint, CLICK)
    qtbot.waitUntil(lambda: "printed" in label(screen, "managerMessage").lower(), timeout=10000)
    receipts = gui.services.receipts
    assert receipts is not None
    assert receipts.for_order(orders[0].kiosk_order_id) is not None
    pdfs = list((gui.services.data_dir / "receipts" / "pdf").glob("*.pdf"))
    assert pdfs
    assert screen.select_order(orders[-1].kiosk_order_id)  # still awaiting payment
    assert not reprint.isEnabled()


def test_a_failed_sale_prints_a_record_not_a_slip(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    failed = todays_sales(gui)[3]
    assert failed.state is S.FAILED
    screen = open_manager(qtbot, gui)
    assert screen.select_order(failed.kiosk_order_id)
    reprint = button(screen, "reprintButton")
    assert reprint.text() == "Print record (no money received)" and reprint.isEnabled()
    qtbot.mouseClick(reprint, CLICK)
    qtbot.waitUntil(
        lambda: "record printed" in label(screen, "managerMessage").lower(), timeout=10000
    )
    receipts = gui.services.receipts
    assert receipts is not None and receipts.for_order(failed.kiosk_order_id) is None
    assert gui.services.journal.documents_for(failed.kiosk_order_id) == []  # no number
    (record,) = (gui.services.data_dir / "receipts" / "pdf").glob("record-*.pdf")
    assert failed.kiosk_order_id in record.name


def test_any_day_can_be_chosen(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    now = gui.services.checkout.clock.now()
    sell(gui.services.journal, now - timedelta(days=3), 999, sandbox=gui.services.checkout.sandbox)
    screen = open_manager(qtbot, gui)
    assert screen.table.model.rowCount() == 0
    assert not button(screen, "managerNextDay").isEnabled()  # no future days
    for _ in range(3):
        qtbot.mouseClick(button(screen, "managerPrevDay"), CLICK)
    assert screen.table.model.rowCount() == 1 and label(screen, "total_paid_amount") == "฿999.00"
    assert button(screen, "managerNextDay").isEnabled()
    qtbot.mouseClick(button(screen, "managerToday"), CLICK)
    assert screen.table.model.rowCount() == 0


def test_settings_open_from_the_manager_screen(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    from kiosk.ui.settings_dialog import SettingsDialog

    screen = open_manager(qtbot, gui)
    qtbot.mouseClick(button(screen, "managerSettingsButton"), Qt.MouseButton.LeftButton)
    dialogs = [w for w in gui.window.findChildren(SettingsDialog) if w.isVisible()]
    assert len(dialogs) == 1 and not dialogs[0].isModal()
    assert dialogs[0].editors["store.name"].value() == gui.services.settings.store.name
    dialogs[0].close()
