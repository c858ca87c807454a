"""Test connection: real sockets on 127.0.0.1, the local Cognito, a token-checking sandbox."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.infra.config import GatewaySettings, Settings
from kiosk.infra.secrets import Secrets
from kiosk.services.connection import ConnectionResult, probe_server
from kiosk.services.connection import test_connection as run_test_connection
from tests.cognito_local import Pool, cognito, cognito_server, free_port  # noqa: F401
from tests.fakes import run
from tests.faults.tls import self_signed
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture
from tests.thai_words import english_words


def villa_settings(pool: Pool, base_url: str, auth_header: str = "raw") -> Settings:
    gateway = GatewaySettings(
        kind="villa", base_url=base_url, auth_header=auth_header, cognito=pool.settings()
    )
    return Settings(gateway=gateway)


@pytest.fixture
def api(cognito: Pool) -> Iterator[SandboxServer]:  # noqa: F811
    cognito.jwks()
    with SandboxServer(
        scenario=Scenario(kind="never"), token_check=cognito.verify_id_token, auth_style="raw"
    ) as server:
        yield server


def statuses(result: ConnectionResult) -> list[tuple[str, str]]:
    return [(s.key, "skip" if s.skipped else ("ok" if s.ok else "FAIL")) for s in result.steps]


def test_the_embedded_sandbox() -> None:
    result = run(run_test_connection(Settings()))
    assert result.ok and statuses(result) == [("reach", "ok"), ("sign_in", "skip"), ("api", "ok")]
    assert "sandbox" in result.text.en.lower() and result.text.th


def test_every_step_is_said_in_thai_too() -> None:
    """Issue 16: "plain HTTP on this computer" and "not_found" were English on Thai screens."""
    result = run(run_test_connection(Settings()))
    assert "plain HTTP on this computer" in result.steps[0].text.en
    assert "not found" in result.steps[2].text.en and "not_found" not in result.steps[2].text.en
    texts = [result.text, *(s.text for s in result.steps), *(s.name for s in result.steps)]
    for text in texts:
        assert english_words(text.th) == [], text.th


def test_villa_through_the_local_cognito(
    cognito: Pool,  # noqa: F811
    api: SandboxServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    secrets = Secrets(environ={})
    secrets.set("COGNITO_PASSWORD", cognito.password)
    secrets.set("COGNITO_CLIENT_SECRET", cognito.client_secret or "")
    secrets.set("COGNITO_REFRESH_TOKEN", "the-kiosks-own-session")
    result = run(run_test_connection(villa_settings(cognito, api.base_url), secrets=secrets))
    assert result.ok, result
    assert statuses(result) == [("reach", "ok"), ("sign_in", "ok"), ("api", "ok")]
    assert "kiosk01" in result.steps[1].text.en
    assert result.text.en.startswith("Connected")
    # the kiosk's saved session was neither used nor replaced
    assert memory_keyring.store[("qr-kiosk", "COGNITO_REFRESH_TOKEN")] == "the-kiosks-own-session"


def test_credentials_typed_in_the_form_are_tried_before_saving(
    cognito: Pool,  # noqa: F811
    api: SandboxServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    typed = {
        "COGNITO_PASSWORD": cognito.password,
        "COGNITO_CLIENT_SECRET": cognito.client_secret,
    }
    result = run(
        run_test_connection(
            villa_settings(cognito, api.base_url),
            secrets=Secrets(environ={}),
            credentials=typed,
        )
    )
    assert result.ok
    assert memory_keyring.store == {}  # nothing stored by a test


def test_a_wrong_password_is_a_failed_step_not_an_exception(
    cognito: Pool,  # noqa: F811
    api: SandboxServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    result = run(
        run_test_connection(
            villa_settings(cognito, api.base_url),
            secrets=Secrets(environ={}),
            credentials={"COGNITO_PASSWORD": "Wrong-Passw0rd!"},
        )
    )
    assert not result.ok
    assert statuses(result) == [("reach", "ok"), ("sign_in", "FAIL"), ("api", "skip")]
    assert "user name or password" in result.text.en and result.text.th
    assert all("Wrong-Passw0rd!" not in s.detail for s in result.steps)


def test_the_wrong_header_style(
    cognito: Pool,  # noqa: F811
    api: SandboxServer,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    settings = villa_settings(cognito, api.base_url, auth_header="bearer")
    typed = {"COGNITO_PASSWORD": cognito.password, "COGNITO_CLIENT_SECRET": cognito.client_secret}
    result = run(run_test_connection(settings, secrets=Secrets(environ={}), credentials=typed))
    assert statuses(result) == [("reach", "ok"), ("sign_in", "ok"), ("api", "FAIL")]
    assert "gateway.auth_header" in result.text.en


def test_no_keyring_and_no_password(cognito: Pool, api: SandboxServer) -> None:  # noqa: F811
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        result = run(
            run_test_connection(villa_settings(cognito, api.base_url), secrets=Secrets(environ={}))
        )
    finally:
        keyring.set_keyring(previous)
    assert statuses(result)[1] == ("sign_in", "FAIL")
    assert "KIOSK_SECRET_" in result.text.en and "gnome-keyring" in result.text.en


def test_nobody_listening(cognito: Pool) -> None:  # noqa: F811
    settings = villa_settings(cognito, f"http://127.0.0.1:{free_port()}")
    result = run(run_test_connection(replace(settings), secrets=Secrets(environ={})))
    assert statuses(result) == [("reach", "FAIL"), ("sign_in", "skip"), ("api", "skip")]
    assert "Cannot connect to 127.0.0.1" in result.text.en


def test_dns_failure_is_named() -> None:
    async def no_such_host(host: str, port: int) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    step = run(probe_server("https://api.example", resolve=no_such_host))
    assert not step.ok and "Cannot find the server api.example (DNS)" in step.text.en


def test_an_untrusted_certificate_is_named(tmp_path: Path) -> None:
    context, _ = self_signed(tmp_path)  # a certificate nothing on this machine trusts

    async def scenario() -> object:
        async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
            writer.close()

        server = await asyncio.start_server(handle, "127.0.0.1", 0, ssl=context)
        port = server.sockets[0].getsockname()[1]
        async with server:
            return await probe_server(f"https://127.0.0.1:{port}", timeout_s=5)

    step = run(scenario())
    assert not step.ok and "certificate" in step.text.en  # type: ignore[attr-defined]
