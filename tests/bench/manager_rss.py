"""The manager screen's memory in a process of its own: python -m tests.bench.manager_rss JOURNAL.

Prints one JSON line: RSS (MiB) once Qt, the fonts and the kiosk modules are
loaded and the journal is open, then with today's view open and painted,
as the benchmark's pytest process would blur both with its own memory.
"""

from __future__ import annotations

import gc
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

from kiosk.domain.clock import ManualClock
from kiosk.infra.bus import EventBus
from kiosk.infra.config import StoreSettings
from kiosk.services.history import SalesHistory
from kiosk.services.zreport import ZReportService
from kiosk.store.journal import Journal
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.theme import STYLE, load_fonts
from tests.bench.test_bench_manager import LAST, NoReconcile, rss_mib


def main(journal_path: Path) -> None:
    app = QApplication(["rss"])
    load_fonts()
    app.setStyleSheet(STYLE)
    folder = journal_path.parent / "rss"
    with Journal.open(journal_path) as journal:
        clock = ManualClock(LAST)
        gc.collect()
        before = rss_mib()
        screen = ManagerScreen(
            history=SalesHistory(journal=journal),
            orders=EventBus(),
            clock=clock,
            zreports=ZReportService(
                journal=journal, clock=clock, store=StoreSettings(), folder=folder
            ),
            reconciler=NoReconcile(),
            receipts=None,
            export_dir=folder,
            language=lambda: "en",
        )
        screen.resize(1280, 800)
        screen.show()
        screen.open_today()
        screen.repaint()
        gc.collect()
        opened = rss_mib()
        rows = screen.table.model.rowCount()
        screen.close()
    print(json.dumps({"rss_before_mib": before, "rss_open_mib": opened, "rows": rows}))
    del app


if __name__ == "__main__":
    main(Path(sys.argv[1]))
