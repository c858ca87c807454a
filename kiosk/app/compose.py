"""Composition shared by the GUI and the terminal commands.

Settings -> data dir -> journal -> gateway (an in-process sandbox when none
is configured) -> checkout service. ``Runtime.aclose`` undoes it in reverse.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.errors import KioskError
from kiosk.domain.order import Method
from kiosk.gateways.base import PaymentGateway
from kiosk.gateways.cognito import CognitoTokens
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.tokens import StaticToken, TokenSource
from kiosk.gateways.villa import VillaGateway, make_client
from kiosk.infra.config import PathsSettings, Settings, data_dir
from kiosk.infra.secrets import Secrets
from kiosk.receipts.log import ReceiptLog
from kiosk.receipts.service import ReceiptService
from kiosk.services.checkout import CheckoutService
from kiosk.services.polling import PollPolicy
from kiosk.store.backup import DailyBackup
from kiosk.store.health import JournalHealth, check_journal
from kiosk.store.journal import Journal
from kiosk.store.lock import DataDirLock

log = logging.getLogger("kiosk.app.compose")

SANDBOX_CANCEL_PATH = "/cancel/{orderid}"


@dataclass
class Runtime:
    settings: Settings
    data_dir: Path
    journal: Journal
    gateway: PaymentGateway
    service: CheckoutService
    sandbox: SandboxServer | None
    lock: DataDirLock | None = None
    # damaged=True: the old journal was moved aside; show journal_health.text.
    journal_health: JournalHealth | None = None
    backups: DailyBackup | None = None
    # Receipts of paid sales (archive + printer); None if the archive cannot open.
    receipts: ReceiptService | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.settings.gateway.kind == "sandbox"

    async def aclose(self) -> None:
        if self.receipts is not None:
            await self.receipts.aclose()  # lets the last receipt finish printing
        await self.gateway.aclose()
        if self.sandbox is not None:
            self.sandbox.stop()
        self.journal.close()
        if self.lock is not None:
            self.lock.release()


def sandbox_scenario(settings: Settings) -> Scenario:
    sb = settings.sandbox
    return Scenario(kind=sb.scenario, after_s=sb.pay_after_s, expire_s=sb.expire_s)  # type: ignore[arg-type]


def _methods(settings: Settings) -> frozenset[Method]:
    return settings.gateway.method_set


def build_gateway(
    settings: Settings, *, sandbox: SandboxServer | None = None, clock: Clock | None = None
) -> PaymentGateway:
    gw = settings.gateway
    client = make_client(connect_timeout_s=gw.connect_timeout_s, read_timeout_s=gw.read_timeout_s)
    tokens: TokenSource
    if gw.kind == "sandbox":
        base_url = sandbox.base_url if sandbox is not None else gw.base_url
        paths = gw.paths if gw.paths.cancel else replace(gw.paths, cancel=SANDBOX_CANCEL_PATH)
        tokens = StaticToken(SandboxServer.TOKEN)
        name = "sandbox"
    else:
        base_url, paths, name = gw.base_url, gw.paths, "villa"
        # Cognito shares the gateway's client (absolute URLs), so one aclose closes both.
        tokens = CognitoTokens(
            settings=gw.cognito, client=client, secrets=Secrets(), clock=clock or SystemClock()
        )
    return VillaGateway(
        base_url=base_url,
        client=client,
        tokens=tokens,
        paths=paths if isinstance(paths, PathsSettings) else PathsSettings(),
        auth_header=gw.auth_header,
        methods=_methods(settings),
        name=name,
        total_timeout_s=gw.total_timeout_s,
    )


def build_runtime(
    settings: Settings, *, directory: Path | None = None, clock: Clock | None = None
) -> Runtime:
    directory = directory or data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    clock = clock or SystemClock()
    lock = DataDirLock.acquire(directory)  # AlreadyRunning: another kiosk has this folder
    try:
        journal_path = directory / "journal.sqlite3"
        health = check_journal(journal_path, mode=settings.journal.check, now=clock.now())
        journal = Journal.open(journal_path)
    except BaseException:
        lock.release()
        raise
    backups = DailyBackup(
        journal_path=journal_path,
        directory=directory / "backups",
        keep=settings.journal.backup_days,
        clock=clock,
    )
    try:
        backups.run_if_due()
    except KioskError:
        log.exception("start-up journal backup failed; selling goes on")
    sandbox = None
    try:
        if settings.uses_embedded_sandbox:
            sandbox = SandboxServer(scenario=sandbox_scenario(settings)).start()
            log.info("embedded sandbox gateway at %s", sandbox.base_url)
        gateway = build_gateway(settings, sandbox=sandbox, clock=clock)
    except BaseException:
        journal.close()
        if sandbox is not None:
            sandbox.stop()
        lock.release()
        raise
    service = CheckoutService(
        gateway=gateway,
        journal=journal,
        clock=clock,
        store=settings.store,
        poll=PollPolicy.from_settings(settings.poll),
        receipts=ReceiptLog(directory / "receipts", shop_name=settings.store.name),
    )
    receipts = _receipts(settings, directory, clock, service)
    return Runtime(
        settings,
        directory,
        journal,
        gateway,
        service,
        sandbox,
        lock=lock,
        journal_health=health,
        backups=backups,
        receipts=receipts,
    )


def _receipts(
    settings: Settings, directory: Path, clock: Clock, checkout: CheckoutService
) -> ReceiptService | None:
    """Receipts print by themselves when a sale is paid; a broken archive never stops sales."""
    try:
        receipts = ReceiptService.from_settings(settings, directory, clock=clock)
    except KioskError:
        log.exception("receipt archive unavailable; selling without printed receipts")
        return None
    receipts.recover()
    receipts.attach(checkout)
    return receipts
