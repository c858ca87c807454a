"""The data folder as real processes see it (issue 13, must show 4 and 5).

Files 0600 and folders 0700 by the kiosk's own umask, whatever the umask it
was started with; an unusable data folder ends every command with exit 8 and
words naming the folder, never a traceback; a bad report date exits 2.
"""

from __future__ import annotations

import ctypes
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from kiosk.domain.exitcodes import ExitCode
from kiosk.store.journal import Journal
from tests.conftest import ROOT
from tests.journal_data import a_day_of_sales
from tests.processes import clean_env, run_kiosk

PDF_PRINTER = '[printer]\nkind = "pdf"\n'


def loose_umask() -> None:
    os.umask(0o022)  # what a desktop session usually gives: 0644 files, 0755 folders


def as_if_not_root() -> None:
    """In the child: drop root's right to ignore file modes (PR_CAPBSET_DROP before exec)."""
    loose_umask()
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2, 3):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER
        if libc.prctl(24, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def kiosk(
    *args: str,
    data: Path,
    config: str = "",
    timeout: float = 90,
    preexec: Callable[[], None] = loose_umask,
) -> subprocess.CompletedProcess[str]:
    path = data.parent / "config.toml"
    path.write_text(config, encoding="utf-8")
    env = clean_env(KIOSK_DATA_DIR=str(data), KIOSK_CONFIG=str(path), QT_QPA_PLATFORM="offscreen")
    return run_kiosk(*args, env=env, timeout=timeout, preexec_fn=preexec)


# Z report (PDF through Qt) and a CSV export, as the manager screen makes them,
# in a process that starts the way the kiosk does.
ISSUE_DOCUMENTS = """
import asyncio
from kiosk.app.cli import keep_files_private
keep_files_private()
from PySide6.QtGui import QGuiApplication
app = QGuiApplication([])
from kiosk.app.compose import build_services
from kiosk.infra.config import load_settings
from kiosk.services.reports import write_atomically

async def main():
    services = build_services(load_settings())
    try:
        closing = services.zreports.close()
        output = await services.zreports.output(closing.report)
        assert output.pdf is not None and not output.errors, output
        write_atomically(services.data_dir / "exports" / "orders-today.csv", b"x")
    finally:
        await services.aclose()

asyncio.run(main())
"""


def modes(folder: Path) -> dict[str, tuple[str, int]]:
    """Every path under ``folder`` (itself included): (kind, permission bits)."""
    found = {".": ("dir", stat.S_IMODE(folder.stat().st_mode))}
    for path in folder.rglob("*"):
        info = path.lstat()
        kind = "dir" if stat.S_ISDIR(info.st_mode) else "file"
        found[str(path.relative_to(folder))] = (kind, stat.S_IMODE(info.st_mode))
    return found


@pytest.mark.slow
def test_every_file_the_kiosk_makes_is_0600_and_every_folder_0700(tmp_path: Path) -> None:
    data = tmp_path / "data"
    sale = kiosk("charge", "300", data=data, config=PDF_PRINTER)
    assert sale.returncode == 0, sale.stderr
    assert kiosk("report", data=data, config=PDF_PRINTER).returncode == 0
    issued = subprocess.run(
        [sys.executable, "-c", ISSUE_DOCUMENTS],
        env=clean_env(
            KIOSK_DATA_DIR=str(data),
            KIOSK_CONFIG=str(tmp_path / "config.toml"),
            QT_QPA_PLATFORM="offscreen",
            PYTHONPATH=str(ROOT),
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=90,
        check=False,
        preexec_fn=loose_umask,
    )
    assert issued.returncode == 0, issued.stderr

    found = modes(data)
    names = set(found)
    for expected in (
        "journal.sqlite3",
        "kiosk.lock",
        "logs/kiosk.log",
        "receipts",
        "receipts/pdf",
        "backups",
        "reports",
        "exports/orders-today.csv",
    ):
        assert expected in names, sorted(names)
    assert any(name.startswith("backups/journal-") for name in names)
    # The kiosk runs on the sandbox: its Z is of the TEST-Z series.
    assert any(name.startswith("reports/test-z-") and name.endswith(".pdf") for name in names)
    assert any(name.startswith("receipts/pdf/receipt-") for name in names)
    wrong = {
        name: f"{kind} {mode:o}"
        for name, (kind, mode) in found.items()
        if mode != (0o700 if kind == "dir" else 0o600)
    }
    assert wrong == {}


def test_a_folder_made_before_keeps_its_modes_and_new_files_are_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "logs").mkdir(parents=True)
    data.chmod(0o755)
    (data / "logs" / "kiosk.log").write_text("an older kiosk's log\n")
    (data / "logs" / "kiosk.log").chmod(0o644)
    result = kiosk("report", "--format", "json", data=data)  # nothing recorded yet: exit 2
    assert result.returncode == ExitCode.USAGE and "no journal" in result.stderr
    result = kiosk("reconcile", data=data)
    assert result.returncode == 0, result.stderr
    found = modes(data)
    assert found["."] == ("dir", 0o755) and found["logs/kiosk.log"] == ("file", 0o644)
    assert found["journal.sqlite3"] == ("file", 0o600)
    assert found["kiosk.lock"] == ("file", 0o600)


# --- an unusable data folder: exit 8, never a traceback

COMMANDS = [
    ("charge", "10"),
    ("reconcile",),
    ("report",),
    ("print-test",),
    ("reprint", "1"),
    ("--no-first-run",),  # the window's start
]


Case = Callable[[Path], tuple[Path, Path, Callable[[], None]]]


def data_is_a_file(tmp_path: Path) -> tuple[Path, Path, Callable[[], None]]:
    data = tmp_path / "data"
    data.write_text("not a folder")
    return data, data, loose_umask


def logs_is_a_file(tmp_path: Path) -> tuple[Path, Path, Callable[[], None]]:
    data = tmp_path / "data"
    data.mkdir()
    (data / "logs").write_text("not a folder")
    return data, data / "logs", loose_umask


def read_only(tmp_path: Path) -> tuple[Path, Path, Callable[[], None]]:
    data = tmp_path / "data"
    with Journal.open(data / "journal.sqlite3") as journal:  # a kiosk that sold before
        a_day_of_sales(journal)
    data.chmod(0o500)
    if os.geteuid() != 0:
        return data, data, loose_umask
    # Root writes in read-only folders; without CAP_DAC_OVERRIDE it cannot.
    probe = [sys.executable, "-c", f"open({str(data / 'probe')!r}, 'w')"]
    try:
        done = subprocess.run(probe, preexec_fn=as_if_not_root, check=False, capture_output=True)
        wrote = done.returncode == 0
    except (OSError, subprocess.SubprocessError):
        wrote = True
    if wrote:
        data.chmod(0o700)
        pytest.skip("root cannot give up writing in read-only folders here")
    return data, data, as_if_not_root


CASES: dict[str, Case] = {
    "data folder is a file": data_is_a_file,
    "logs folder is a file": logs_is_a_file,
    "read-only data folder": read_only,
}


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_an_unusable_data_folder_exits_8_naming_it(
    tmp_path: Path, case: str, command: tuple[str, ...]
) -> None:
    data, named, preexec = CASES[case](tmp_path)
    if command[0] == "report" and case == "logs folder is a file":
        # report only reads the journal and writes no log: it still answers.
        result = kiosk(*command, data=data, preexec=preexec)
        assert result.returncode != ExitCode.CANNOT_RECORD and "Traceback" not in result.stderr
        return
    try:
        result = kiosk(*command, data=data, preexec=preexec)
    finally:
        if data.is_dir():
            data.chmod(0o700)  # so pytest can clean up
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == ExitCode.CANNOT_RECORD, result.stderr
    assert result.stderr.startswith("kiosk: ") and str(named) in result.stderr
    assert "Call the manager" in result.stderr


def test_doctor_names_an_unusable_data_folder(tmp_path: Path) -> None:
    data, _, _ = data_is_a_file(tmp_path)
    result = kiosk("doctor", data=data)
    assert "Traceback" not in result.stderr
    assert result.returncode == ExitCode.USAGE  # doctor: a check failed
    assert f"FAIL  journal writable and healthy: {data}" in result.stdout


@pytest.mark.parametrize(
    "day", ["0999-01-01", "0001-01-01", "2026-02-30", "99999-01-01", "2026-13-01", "24/11/2026"]
)
def test_a_bad_report_date_exits_2_with_a_message(tmp_path: Path, day: str) -> None:
    result = kiosk("report", "--date", day, data=tmp_path / "data")
    assert "Traceback" not in result.stderr
    assert result.returncode == ExitCode.USAGE
    assert result.stderr.startswith(f"kiosk: '{day}' ")
