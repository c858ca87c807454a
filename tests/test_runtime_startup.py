"""Start-up guards in build_services: one kiosk per data folder, journal health, daily backup."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.errors import AlreadyRunning, KioskError
from kiosk.gateways.sandbox import SandboxServer
from kiosk.infra.config import Settings


def settings_for(sandbox: SandboxServer) -> Settings:
    settings = Settings()
    return replace(settings, gateway=replace(settings.gateway, base_url=sandbox.base_url))


def test_second_runtime_on_one_folder_is_refused_until_the_first_closes(tmp_path: Path) -> None:
    with SandboxServer() as sandbox:
        settings = settings_for(sandbox)
        first = build_services(settings, directory=tmp_path)
        with pytest.raises(AlreadyRunning):
            build_services(settings, directory=tmp_path)
        asyncio.run(first.aclose())
        second = build_services(settings, directory=tmp_path)
        asyncio.run(second.aclose())


def test_fresh_start_is_healthy_and_takes_todays_backup(tmp_path: Path) -> None:
    with SandboxServer() as sandbox:
        rt = build_services(settings_for(sandbox), directory=tmp_path)
        try:
            assert rt.journal_health is not None and not rt.journal_health.damaged
            assert rt.backups is not None and len(rt.backups.copies()) == 1
            assert rt.backups.copies()[0].parent == tmp_path / "backups"
        finally:
            asyncio.run(rt.aclose())


def test_damaged_journal_is_moved_aside_and_flagged(tmp_path: Path) -> None:
    (tmp_path / "journal.sqlite3").write_bytes(b"\x00garbage" * 512)
    with SandboxServer() as sandbox:
        rt = build_services(settings_for(sandbox), directory=tmp_path)
        try:
            health = rt.journal_health
            assert health is not None and health.damaged and health.text is not None
            assert health.moved_to is not None and health.moved_to.exists()
            assert rt.journal.count() == 0  # a fresh journal to sell on
        finally:
            asyncio.run(rt.aclose())


def test_a_failed_start_releases_the_lock(tmp_path: Path) -> None:
    settings = Settings()
    gateway = replace(settings.gateway, kind="villa", base_url="https://villa.invalid/api")
    with pytest.raises(KioskError):
        build_services(replace(settings, gateway=gateway), directory=tmp_path)  # no sign-in set up
    with SandboxServer() as sandbox:
        rt = build_services(settings_for(sandbox), directory=tmp_path)
        asyncio.run(rt.aclose())
