"""Widgets on their own: the amount entry, the QR view, countdown text."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication

from kiosk.domain import thaiqr
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.ui.qr_screen import mm_ss
from kiosk.ui.qr_view import QrView, qr_matrix
from kiosk.ui.sale_screen import AmountEntry, SaleScreen


def typed(*keys: str) -> AmountEntry:
    entry = AmountEntry()
    for key in keys:
        entry.press(key)
    return entry


@pytest.mark.parametrize(
    ("keys", "text", "shown"),
    [
        (("3", "0", "0"), "300", "฿300"),
        (("0", "0", "5"), "5", "฿5"),
        (("00",), "", "฿0"),
        (("1", "00", "0", "."), "1000.", "฿1,000."),
        ((".", "5"), "0.5", "฿0.5"),
        (("1", ".", ".", "2"), "1.2", "฿1.2"),
        (("1", "2", "⌫"), "1", "฿1"),
        (("1", "2", "C"), "", "฿0"),
        (("9",) * 12, "999999999", "฿999,999,999"),
    ],
)
def test_amount_entry(keys: tuple[str, ...], text: str, shown: str) -> None:
    entry = typed(*keys)
    assert entry.text == text
    assert entry.display() == shown


def test_third_decimal_is_refused_with_a_reason() -> None:
    entry = typed("1", ".", "2", "3")
    assert entry.press("4") is not None
    assert entry.press("00") is not None
    assert entry.text == "1.23"
    assert typed("1", ".", "2").press("00") is not None


@pytest.fixture
def sale(qtbot):  # type: ignore[no-untyped-def]
    screen = SaleScreen(shop_name="Shop", max_amount=Money(100_000), methods=frozenset(Method))
    qtbot.addWidget(screen)
    screen.show()
    screen.set_ready(True)
    return screen


def test_charge_needs_a_valid_amount(qtbot, sale: SaleScreen) -> None:  # type: ignore[no-untyped-def]
    requests: list[tuple[Money, Method]] = []
    sale.chargeRequested.connect(lambda amount, method: requests.append((amount, method)))
    assert not sale.charge_button.isEnabled()
    for key in ("0",):
        qtbot.mouseClick(sale.keys[key], Qt.MouseButton.LeftButton)
    assert not sale.charge_button.isEnabled()
    qtbot.keyClicks(sale, "1500")  # above ฿1,000.00
    assert not sale.charge_button.isEnabled()
    assert "limit" in sale.message.text()
    qtbot.keyClick(sale, Qt.Key.Key_Return)
    assert requests == []
    qtbot.keyClick(sale, Qt.Key.Key_Escape)
    qtbot.keyClicks(sale, "12,")  # a comma is never a decimal point, as on the CLI
    assert sale.entry.text == "12"
    assert "without commas" in sale.message.text()
    qtbot.keyClick(sale, Qt.Key.Key_Period)
    thai_five = QKeyEvent(QEvent.Type.KeyPress, 0x0E55, Qt.KeyboardModifier.NoModifier, "๕")
    QApplication.sendEvent(sale, thai_five)  # Thai digits count, as on the CLI
    assert sale.entry.text == "12.5"
    qtbot.mouseClick(sale.method_buttons[Method.WECHAT], Qt.MouseButton.LeftButton)
    qtbot.keyClick(sale, Qt.Key.Key_Enter, Qt.KeyboardModifier.KeypadModifier)
    assert requests == [(Money(1250), Method.WECHAT)]


def test_charge_waits_until_the_kiosk_is_ready(sale: SaleScreen) -> None:
    sale.press("5")
    sale.set_ready(False)
    assert not sale.charge_button.isEnabled()
    sale.set_ready(True)
    assert sale.charge_button.isEnabled()


def test_busy_blocks_input(sale: SaleScreen) -> None:
    sale.press("5")
    sale.set_busy(True)
    sale.press("5")
    assert sale.entry.text == "5" and not sale.charge_button.isEnabled()
    sale.set_busy(False)
    assert sale.charge_button.isEnabled()


def test_only_offered_methods_show(qtbot) -> None:  # type: ignore[no-untyped-def]
    screen = SaleScreen(shop_name="S", max_amount=Money(100), methods=frozenset({Method.QR}))
    qtbot.addWidget(screen)
    screen.show()
    assert screen.method_buttons[Method.QR].isVisible()
    assert not screen.method_buttons[Method.WECHAT].isVisible()


def test_qr_view_paints_modules_at_an_integer_scale(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = QrView()
    qtbot.addWidget(view)
    view.resize(500, 400)
    view.show()
    payload = thaiqr.build_promptpay(target="0801234567", amount=Money(30000))
    with qtbot.waitSignal(view.painted, timeout=2000):
        view.set_content(payload)
    n = len(qr_matrix(payload))
    assert view.payload() == payload
    assert view.module_scale() == 400 // n
    image = view.grab().toImage()
    scale = view.module_scale()
    left = (500 - n * scale) // 2
    top = (400 - n * scale) // 2
    matrix = qr_matrix(payload)
    for y in range(n):  # every module comes out in its colour
        for x in range(n):
            pixel = image.pixelColor(left + x * scale + scale // 2, top + y * scale + scale // 2)
            assert (pixel.lightness() < 128) == matrix[y][x]
    view.set_inactive(True)
    assert view.is_inactive()
    grey = view.grab().toImage()
    dark = next((x, y) for y in range(n) for x in range(n) if matrix[y][x])
    pixel = grey.pixelColor(left + dark[0] * scale + 1, top + dark[1] * scale + 1)
    assert 150 < pixel.lightness() < 230


def test_qr_view_image_fallback(qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice
    from PySide6.QtGui import QImage

    image = QImage(10, 10, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.black)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    view = QrView()
    qtbot.addWidget(view)
    view.resize(100, 100)
    view.show()
    with qtbot.waitSignal(view.painted, timeout=2000):
        view.set_content(None, bytes(data.data()))
    assert view.grab().toImage().pixelColor(50, 50).lightness() < 30


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "00:00"), (0.2, "00:01"), (59.5, "01:00"), (300, "05:00"), (-4, "00:00")],
)
def test_mm_ss(seconds: float, text: str) -> None:
    assert mm_ss(seconds) == text
