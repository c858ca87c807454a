"""Buddhist-era years on Thai manager screens, the common era in English; never broken.

The manager screen of the real window is opened in Thai on a day of sales with
a flagged one: the day's date edit and its calendar, the selected order's
times, the attention card and the Z page's question all count the year as
the reader does (BE = CE + 543), and each date is kept on one line. Then the
language is switched to English: the same places show the CE year.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtWidgets import QToolButton

from kiosk.app.gui import Gui
from kiosk.domain.order import BANGKOK
from kiosk.domain.thaidate import format_date, format_datetime, unbreakable
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.manager.attention import WHEN_ROLE
from tests.ui.test_layout import settle
from tests.ui.test_thai_everywhere import (  # noqa: F401 - fixtures
    a_day_of_every_outcome,
    manager_pin_fixture,
    thai_gui_fixture,
)


def shown(gui: Gui, screen: ManagerScreen, order_id: str) -> dict[str, str]:
    """The texts that carry a date, as the screen shows them now."""
    assert screen.select_order(order_id)
    year = screen.day_bar.date_edit.calendarWidget().findChild(
        QToolButton, "qt_calendar_yearbutton"
    )
    assert year is not None
    page = screen.attention_page
    return {
        "day": screen.day_bar.date_edit.text(),
        "calendar": year.text(),
        "detail": screen.detail.fields.text(),
        "card": str(page.model.index(0).data(WHEN_ROLE)),
    }


def test_thai_manager_screens_count_years_in_the_buddhist_era(qtbot: Any, thai_gui: Gui) -> None:
    ids = a_day_of_every_outcome(thai_gui)
    screen = thai_gui.controller.manager.open()
    assert isinstance(screen, ManagerScreen)
    order = thai_gui.services.journal.get(ids["paid"])
    assert order is not None
    created: datetime = order.created_at
    today = created.astimezone(BANGKOK).date()
    be, ce = today.year + 543, today.year

    thai = shown(thai_gui, screen, ids["paid"])
    assert thai["day"] == format_date(today, "th") and thai["day"].endswith(str(be))
    assert thai["calendar"] == str(be)
    assert unbreakable(format_datetime(created, "th", seconds=True)) in thai["detail"]
    assert str(ce) not in thai["detail"].replace("\u2060", "")
    assert f"/{be}" in thai["card"].replace("\u2060", "") and str(ce) not in thai["card"]
    screen.action_bar.z_button.click()
    qtbot.waitUntil(lambda: screen.side.currentWidget() is screen.z_page, timeout=5000)
    question = screen.z_page.text.text()
    assert f"/\u2060{be}\u00a0" in question and str(ce) not in question  # whole, and BE

    thai_gui.language.set("en")
    settle()
    english = shown(thai_gui, screen, ids["paid"])
    assert english["day"] == format_date(today, "en") and english["day"].endswith(str(ce))
    assert english["calendar"] == str(ce)
    assert unbreakable(format_datetime(created, "en", seconds=True)) in english["detail"]
    assert f"/{ce}" in english["card"].replace("\u2060", "") and str(be) not in english["card"]
    # The day shown did not move with the language.
    assert screen.day_bar.date_edit.date().year() == ce
