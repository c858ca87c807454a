"""`kiosk charge` on villa against a hostile Cognito, as a real process (issue 12,
attacks 4-6): a trickling sign-in ends within the deadline, the password echoed
in ``__type`` and ``message`` reaches no output and no file, and a password typed
into a setting stops the kiosk before anything is journaled or sent."""

from __future__ import annotations

import re
import sqlite3
import subprocess
from pathlib import Path

from tests.cognito_hostile import HostileCognito
from tests.processes import clean_env, run_kiosk

PASSWORD = "Hostile-Passw0rd-42"


def villa_config(url: str, *, store_name: str = "Hostile Test") -> str:
    return (
        "[gateway]\n"
        'kind = "villa"\n'
        f'base_url = "{url}"\n'
        "total_timeout_s = 1\n"
        "[gateway.cognito]\n"
        'client_id = "client"\n'
        'username = "kiosk01"\n'
        f'endpoint_url = "{url}"\n'
        "[store]\n"
        f'name = "{store_name}"\n'
    )


def charge(tmp_path: Path, config: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    env = clean_env(
        KIOSK_CONFIG=str(path),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        KIOSK_SECRET_COGNITO_PASSWORD=PASSWORD,
        HOME=str(tmp_path / "home"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    return run_kiosk("--verbose", "charge", "10", "--json", env=env, timeout=90)


def orders(data: Path) -> list[tuple[str, str, str | None]]:
    path = data / "journal.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT kiosk_order_id, state, failure_code FROM orders"))


def test_the_password_echoed_by_cognito_reaches_no_output_and_no_file(tmp_path: Path) -> None:
    with HostileCognito("echo") as server:
        result = charge(tmp_path, villa_config(server.url))
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr
    assert server.requests and server.requests[0]["AuthParameters"]["PASSWORD"] == PASSWORD
    ((order_id, state, code),) = orders(tmp_path / "data")
    # The echoed type is not a code once redacted: the error's own code is journaled.
    assert state == "failed" and code == "auth"
    files = [p for p in (tmp_path / "data").rglob("*") if p.is_file()]
    outputs = {"stdout": result.stdout.encode(), "stderr": result.stderr.encode()}
    outputs.update({str(p.relative_to(tmp_path)): p.read_bytes() for p in files})
    assert {"kiosk.log", "journal.sqlite3"} <= {p.name for p in files}
    assert [where for where, content in outputs.items() if PASSWORD.encode() in content] == []
    # the search does find what is meant to be there (a positive control)
    assert any(order_id.encode() in content for content in outputs.values())
    assert "refused the sign-in (***)" in result.stderr


def test_a_trickling_sign_in_ends_within_the_deadline(tmp_path: Path) -> None:
    # Without one deadline per sign-in this held `kiosk charge` for over 10 minutes;
    # run_kiosk's own timeout (90 s) turns a hang into a failure.
    with HostileCognito("trickle") as server:
        result = charge(tmp_path, villa_config(server.url))
    assert result.returncode == 5, result.stderr
    # Cognito's own deadline or the villa call's (sign-in included), both 1 s: a timeout.
    assert re.search(r"within 1(\.0)? s", result.stderr), result.stderr
    assert "Traceback" not in result.stderr
    assert [state for _, state, _ in orders(tmp_path / "data")] == ["failed"]


def test_a_password_in_a_setting_stops_the_kiosk_before_anything_happens(
    tmp_path: Path,
) -> None:
    with HostileCognito("echo") as server:
        result = charge(tmp_path, villa_config(server.url, store_name=PASSWORD))
    assert result.returncode == 2, result.stderr
    assert "'store.name'" in result.stderr and "COGNITO_PASSWORD" in result.stderr
    assert PASSWORD not in result.stdout + result.stderr
    assert server.requests == []  # nothing sent
    assert orders(tmp_path / "data") == []  # nothing journaled
