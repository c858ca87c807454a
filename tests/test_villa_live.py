"""`kiosk charge` with kind = "villa", end to end as a real process: the local
Cognito (moto_server) signs it in, and a local villa server (the sandbox in a
mode that demands a genuine ID token of that pool) takes the payment.

Then every secret the process saw (password, client secret, refresh token, ID
and access tokens) is looked for in everything it wrote: none may be there.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

import pytest

from kiosk.gateways.sandbox import SandboxServer, Scenario
from tests.cognito_local import (  # noqa: F401 - fixtures
    Pool,
    RecordingProxy,
    cognito,
    cognito_server,
)
from tests.conftest import ROOT


class Gate:
    """The API's token check; optionally refuses a token from its second use on."""

    def __init__(self, pool: Pool, *, one_use: bool = False) -> None:
        self.pool = pool
        self.one_use = one_use
        self.uses: Counter[str] = Counter()
        self.refused: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, token: str) -> bool:
        with self._lock:
            self.uses[token] += 1
            if self.one_use and self.uses[token] > 1 and not self.refused:
                self.refused.append(token)  # "expired" on the server's side: once
            if token in self.refused:
                return False
            return self.pool.verify_id_token(token)


def villa_config(pool: Pool, base_url: str, endpoint: str, style: str) -> str:
    return (
        "[gateway]\n"
        'kind = "villa"\n'
        f'base_url = "{base_url}"\n'
        f'auth_header = "{style}"\n'
        "[gateway.cognito]\n"
        'region = "us-east-1"\n'
        f'user_pool_id = "{pool.pool_id}"\n'
        f'client_id = "{pool.client_id}"\n'
        f'username = "{pool.username}"\n'
        f'endpoint_url = "{endpoint}"\n'
        "[store]\n"
        'name = "Villa Live Test"\n'
        "checkout_timeout_s = 60\n"
        "[poll]\n"
        "fast_s = 0.2\n"
    )


def charge(
    tmp_path: Path, config: str, env: dict[str, str], *extra: str
) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "config.toml"
    path.write_text(config, encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON_KEYRING"))}
    clean.update(
        KIOSK_CONFIG=str(path),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        # an unattended, headless box: secrets from the environment, no keyring
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    clean.update(env)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *extra, "charge", "10", "--json"],
        capture_output=True,
        text=True,
        timeout=90,
        env=clean,
        cwd=ROOT,
        check=False,
    )


def secret_env(pool: Pool) -> dict[str, str]:
    assert pool.client_secret
    return {
        "KIOSK_SECRET_COGNITO_PASSWORD": pool.password,
        "KIOSK_SECRET_COGNITO_CLIENT_SECRET": pool.client_secret,
    }


@pytest.mark.parametrize("style", ["raw", "bearer"])
def test_charge_10_on_villa_is_paid(
    tmp_path: Path,
    cognito: Pool,  # noqa: F811
    style: str,
) -> None:
    cognito.jwks()
    gate = Gate(cognito)
    api = SandboxServer(
        scenario=Scenario(kind="pay", after_s=0.5),
        token_check=gate,
        auth_style="raw" if style == "raw" else "bearer",
    )
    with api:
        endpoint = cognito.cognito.url.rstrip("/")
        result = charge(
            tmp_path, villa_config(cognito, api.base_url, endpoint, style), secret_env(cognito)
        )
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert (record["status"], record["amount"], record["currency"]) == ("paid", "10.00", "THB")
    assert record["gateway_order_id"].startswith("order_test_")
    assert len(gate.uses) == 1 and sum(gate.uses.values()) >= 3  # one token, several calls
    assert "[SANDBOX]" not in result.stderr  # no sandbox banner on a villa run


def test_a_wrong_password_exits_5_with_the_reason(
    tmp_path: Path,
    cognito: Pool,  # noqa: F811
) -> None:
    with SandboxServer(token_check=cognito.verify_id_token) as api:
        env = dict(secret_env(cognito), KIOSK_SECRET_COGNITO_PASSWORD="Wrong-Passw0rd!")
        endpoint = cognito.cognito.url.rstrip("/")
        result = charge(tmp_path, villa_config(cognito, api.base_url, endpoint, "raw"), env)
    assert result.returncode == 5, result.stderr
    assert "user name or password" in result.stderr
    assert "Wrong-Passw0rd!" not in result.stderr + result.stdout


def test_no_secret_reaches_any_file_or_output(
    tmp_path: Path,
    cognito: Pool,  # noqa: F811
) -> None:
    cognito.jwks()
    gate = Gate(cognito, one_use=True)  # forces a 401 and a refresh mid-sale
    with (
        RecordingProxy(cognito.cognito.url) as proxy,
        SandboxServer(scenario=Scenario(kind="pay", after_s=0.3), token_check=gate) as api,
    ):
        config = villa_config(cognito, api.base_url, proxy.url, "raw")
        result = charge(tmp_path, config, secret_env(cognito), "--verbose")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "paid"
    assert gate.refused, "the API never refused a token: no refresh happened"
    refresh_tokens = [t for t in proxy.tokens if not t.startswith("eyJ")]
    assert refresh_tokens and len(proxy.tokens) >= 5  # sign-in (3) + refresh (2)
    assert "Cognito ID token refreshed" in result.stderr  # verbose logging was on

    secrets = {
        "password": cognito.password,
        "client secret": cognito.client_secret or "",
        **{f"token {i}": token for i, token in enumerate(proxy.tokens)},
    }
    written = [tmp_path / "config.toml", *(tmp_path / "data").rglob("*")]
    files = [p for p in written if p.is_file()]
    names = {p.name for p in files}
    assert "journal.sqlite3" in names and "kiosk.log" in names
    assert any(name.startswith("receipts-") for name in names)
    outputs = {"stdout": result.stdout.encode(), "stderr": result.stderr.encode()}
    outputs.update({str(p.relative_to(tmp_path)): p.read_bytes() for p in files})
    leaks = [
        (what, where)
        for what, value in secrets.items()
        for where, content in outputs.items()
        if value and value.encode() in content
    ]
    assert leaks == []
    # the search does find what is meant to be there (a positive control)
    order_id = record["kiosk_order_id"].encode()
    assert order_id in outputs["data/journal.sqlite3"] + outputs.get(
        "data/journal.sqlite3-wal", b""
    )
    assert any(order_id in content for where, content in outputs.items() if "receipts" in where)
    log = (tmp_path / "data" / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "signed in to Cognito as kiosk01" in log and "401" in log
