"""``python -m kiosk`` as a subprocess pointed at a hostile gateway, and what it left behind.

``run_kiosk`` writes a settings file for the gateway, gives the process the
Cognito secrets as ``KIOSK_SECRET_*`` (no keyring, as on a headless box) and
a data folder of its own, and returns a :class:`KioskRun`: exit code,
stdout, stderr, the journal rows and every file of the data folder (the
journal, ``kiosk.log``, the receipt log and archive), for the assertions of
the issue's "Must show".

Every kiosk process started here imports ``tests/hostile/nodns/sitecustomize.py``:
name lookups other than localhost, and addresses off 127.0.0.0/8, fail at
once (and are written to a log), so no test can reach past the machine even
when the kiosk under test would.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.conftest import ROOT
from tests.hostile import qr
from tests.hostile.server import POOL_ID, HostileGateway

NODNS = Path(__file__).resolve().parent / "nodns"
OPEN_STATES = frozenset({"new", "creating", "awaiting_payment"})
FINAL_STATES = frozenset({"paid", "failed", "expired", "cancelled"})
DEFINED_EXITS = frozenset({0, 2, 3, 4, 5, 7, 8})  # exitcodes.py; 1 is "a bug"
Value = str | int | float | bool


Sections = Mapping[str, Mapping[str, Value]]


def settings_for(
    gateway: HostileGateway, changes: Sections | None = None
) -> dict[str, dict[str, Value]]:
    """Settings pointing a kiosk at ``gateway``: villa with Cognito, short timeouts, fast polls.

    ``changes`` add or replace keys per table, e.g. ``{"store": {"expected_payee": ...}}``.
    """
    c = gateway.credentials
    tables: dict[str, dict[str, Value]] = {
        "gateway": {
            "kind": "villa",
            "base_url": gateway.base_url,
            "connect_timeout_s": 2,
            "read_timeout_s": 3,
            "total_timeout_s": 4,
        },
        "gateway.paths": {"cancel": "/cancel/{orderid}"},
        "gateway.cognito": {
            "region": "ap-southeast-1",
            "user_pool_id": POOL_ID,
            "client_id": c.client_id,
            "username": c.username,
            "endpoint_url": gateway.cognito_url,
        },
        "store": {"name": "Hostile Test Shop"},
        "poll": {"fast_s": 0.2, "slow_s": 0.3, "max_backoff_s": 0.5},
    }
    for name, values in (changes or {}).items():
        tables[name] = {**tables.get(name, {}), **values}
    return tables


def toml_text(tables: Mapping[str, Mapping[str, Value]]) -> str:
    lines: list[str] = []
    for name, values in tables.items():
        lines.append(f"[{name}]")
        for key, value in values.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines)


def config_toml(gateway: HostileGateway, changes: Sections | None = None) -> str:
    return toml_text(settings_for(gateway, changes))


def kiosk_env(gateway: HostileGateway, data: Path, config: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON"))}
    env.update(
        KIOSK_DATA_DIR=str(data),
        KIOSK_CONFIG=str(config),
        KIOSK_SECRET_COGNITO_PASSWORD=gateway.credentials.password,
        KIOSK_SECRET_COGNITO_CLIENT_SECRET=gateway.credentials.client_secret,
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",  # a headless box
        PYTHONPATH=os.pathsep.join((str(NODNS), str(ROOT))),  # this worktree's kiosk
        HOSTILE_DNS_LOG=str(data.parent / "blocked-lookups.log"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


@dataclass(repr=False)
class KioskRun:
    """One finished kiosk process and the data folder it used."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    data: Path
    seconds: float
    extra: dict[str, Any] = field(default_factory=dict)

    def __repr__(self) -> str:  # what a failed assert shows (without the QR art)
        return (
            f"kiosk {_shown(self.args)} -> exit {self.returncode} in {self.seconds:.1f} s\n"
            f"--- stdout\n{_text(self.stdout)}\n--- stderr\n{_text(self.stderr)}\n"
            f"--- journal {self.states()}"
        )

    def record(self) -> dict[str, Any]:
        """The JSON object ``--json`` printed (the last line of stdout that is one)."""
        for line in reversed(self.stdout.splitlines()):
            if line.startswith("{"):
                data = json.loads(line)
                assert isinstance(data, dict)
                return data
        raise AssertionError(f"no JSON record on stdout:\n{self}")

    def journal(self) -> list[dict[str, Any]]:
        return journal_rows(self.data)

    def states(self) -> list[str]:
        return [row["state"] for row in self.journal()]

    def blocked_lookups(self) -> list[str]:
        path = self.data.parent / "blocked-lookups.log"
        return path.read_text(encoding="utf-8").split() if path.exists() else []


def _shown(args: tuple[str, ...]) -> str:
    text = " ".join(args)
    return text if len(text) <= 120 else text[:100] + f"… ({len(text)} characters)"


def _text(output: str) -> str:
    lines = [line for line in output.splitlines() if not line.startswith(("██", "▀▀"))]
    return "\n".join(lines)[-2500:]


def journal_rows(data: Path) -> list[dict[str, Any]]:
    path = data / "journal.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        db.row_factory = sqlite3.Row
        return [dict(row) for row in db.execute("SELECT * FROM orders ORDER BY created_at")]


def write_config(gateway: HostileGateway, tmp: Path, changes: Sections | None = None) -> Path:
    path = tmp / "config.toml"
    path.write_text(config_toml(gateway, changes), encoding="utf-8")
    return path


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "kiosk", *args]


def run_kiosk(
    gateway: HostileGateway,
    tmp: Path,
    *args: str,
    timeout: float = 60,
    settings: Sections | None = None,
    config: Path | None = None,
    env: Mapping[str, str] | None = None,
) -> KioskRun:
    """Run ``python -m kiosk *args`` to its end with ``settings`` changed from ``settings_for``.

    ``timeout`` is a hang guard, not a speed test: a kiosk still running then
    is killed and the test fails saying so.
    """
    data = tmp / "data"
    config = config or write_config(gateway, tmp, settings)
    started = time.monotonic()
    try:
        result = subprocess.run(
            command(*args),
            capture_output=True,
            text=True,
            encoding="utf-8",
            errors="backslashreplace",
            timeout=timeout,
            env={**kiosk_env(gateway, data, config), **(env or {})},
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        stderr = exc.stderr.decode("utf-8", "replace") if isinstance(exc.stderr, bytes) else ""
        raise AssertionError(
            f"kiosk {_shown(args)} still running after {timeout} s (a hang); killed.\n"
            f"--- stderr\n{_text(stderr)}\n--- journal {[r['state'] for r in journal_rows(data)]}"
        ) from None
    seconds = time.monotonic() - started
    return KioskRun(args, result.returncode, result.stdout, result.stderr, data, seconds)


def start_kiosk(
    gateway: HostileGateway, tmp: Path, *args: str, settings: Sections | None = None
) -> subprocess.Popen[str]:
    """Start ``python -m kiosk *args`` and return at once (for signal tests)."""
    data = tmp / "data"
    config = write_config(gateway, tmp, settings)
    return subprocess.Popen(
        command(*args),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        env=kiosk_env(gateway, data, config),
        cwd=ROOT,
    )


def finish(
    process: subprocess.Popen[str],
    data: Path,
    args: tuple[str, ...],
    guard_s: float,
    started: float,
) -> KioskRun:
    """Wait for a started kiosk (killing it after ``guard_s``: a hang is a failure)."""
    try:
        stdout, stderr = process.communicate(timeout=guard_s)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise AssertionError(
            f"kiosk {_shown(args)} still running after {guard_s} s (a hang); killed.\n"
            f"--- stderr\n{_text(stderr)}\n--- journal {[r['state'] for r in journal_rows(data)]}"
        ) from None
    return KioskRun(args, process.returncode, stdout, stderr, data, time.monotonic() - started)


# --- what must never be seen -------------------------------------------------


def fragments(secret: str) -> list[str]:
    """The secret, and for long ones (tokens) every 24-character window at steps of 12:
    a token cut short by a length limit still leaks if a window of it shows. A token's
    first dotted segment (a JWT's header) is the same for every token: left out."""
    if len(secret) <= 32:
        return [secret]
    segments = secret.split(".")
    parts = segments[1:] if len(segments) >= 3 else segments
    windows = [p[i : i + 24] for p in parts for i in range(0, max(1, len(p) - 23), 12)]
    return [secret, *(w for w in windows if len(w) == 24)]


def leaks(run: KioskRun, secrets: Mapping[str, str]) -> list[str]:
    """Where a secret (or a piece of a token) shows: stdout, stderr, a file of the data folder."""
    places: dict[str, bytes] = {
        "stdout": run.stdout.encode("utf-8", "backslashreplace"),
        "stderr": run.stderr.encode("utf-8", "backslashreplace"),
    }
    if run.data.exists():
        for path in sorted(run.data.rglob("*")):
            if path.is_file():
                places[str(path.relative_to(run.data))] = path.read_bytes()
    found: list[str] = []
    for name, secret in secrets.items():
        for piece in fragments(secret):
            needle = piece.encode("utf-8")
            for place, content in places.items():
                if needle in content:
                    found.append(f"{name} in {place}")
            if any(f.startswith(f"{name} in ") for f in found):
                break
    return sorted(set(found))


def expected_payee() -> dict[str, Value]:
    return {"expected_payee": qr.SHOP_BILLER_ID}
