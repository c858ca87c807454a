"""The one composition root: settings -> every service, once, into a frozen ``Services``.

    services = build_services(settings, directory=data_dir)
    ...                                  # GUI, CLI command or smoke test
    await services.aclose()

Order: no stored secret in a setting -> data folder lock -> journal check
and open -> order numbers, Z numbers and grand total of earlier journals
(``kiosk.store.numbering``, before the first sale) -> a quick walk of the
hash chain (``kiosk.services.integrity``) -> daily backup -> the embedded
sandbox (when no gateway is configured) -> gateway (one factory,
``kiosk.gateways.factory``) -> event bus -> checkout -> recovery ->
connectivity -> receipts -> Z reports -> manager PIN -> sandbox controls.
Anything that fails half-way releases what was already made. Nothing else in
the program constructs these services; the windows and commands are handed
the value.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.documents import IssuedDocument, Series
from kiosk.domain.errors import KioskError
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Order
from kiosk.gateways.factory import build_gateway
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.sandbox.control import SandboxControl
from kiosk.infra.bus import EventBus
from kiosk.infra.config import Settings, data_dir, store_db_sslmode
from kiosk.infra.secrets import refuse_secret_settings
from kiosk.receipts.layout import Block, Paper, paper_of
from kiosk.receipts.log import ReceiptLog
from kiosk.receipts.service import ReceiptService
from kiosk.services.attention import AttentionDesk
from kiosk.services.checkout import CheckoutService
from kiosk.services.connectivity import ConnectivityMonitor
from kiosk.services.container import Resources, Services
from kiosk.services.history import SalesHistory
from kiosk.services.integrity import check_at_start
from kiosk.services.pin import (
    LEGACY_STATE_NAME,
    JournalFileLockout,
    JournalLockout,
    LockoutStore,
    ManagerPin,
    PinSecrets,
)
from kiosk.services.polling import PollPolicy
from kiosk.services.recovery import RecoveryService
from kiosk.services.reports import Reports
from kiosk.services.sweep import SweepPolicy
from kiosk.services.zreport import PdfWriter, ReceiptPrinter, ZReportService, paper_writer
from kiosk.store.backup import DailyBackup
from kiosk.store.health import check_journal
from kiosk.store.journal import Journal
from kiosk.store.lock import DataDirLock
from kiosk.store.numbering import continue_numbering
from kiosk.store.writer import JournalThread, JournalWrites

if TYPE_CHECKING:
    from kiosk.services.store_view import StoreViewService
    from kiosk.services.sync import StoreSync
    from kiosk.store.storedb.client import StoreDb

log = logging.getLogger("kiosk.compose")


def sandbox_scenario(settings: Settings) -> Scenario:
    sb = settings.sandbox
    return Scenario(kind=sb.scenario, after_s=sb.pay_after_s, expire_s=sb.expire_s)  # type: ignore[arg-type]


def build_services(
    settings: Settings,
    *,
    directory: Path | None = None,
    clock: Clock | None = None,
    pin_secrets: PinSecrets | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
) -> Services:
    """Every service of one kiosk on ``directory`` (default: the data folder).

    Raises AlreadyRunning while another kiosk holds the folder, ConfigError
    for settings that cannot work (or hold a stored secret's value), StoreError
    for a journal that cannot open.
    ``loop``: where the bus delivers (default: the running loop, if any).
    """
    refuse_secret_settings(settings)  # ConfigError before anything is opened, journaled or sent
    directory = directory or data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    clock = clock or SystemClock()
    resources = Resources()
    try:
        return _build(settings, directory, clock, resources, pin_secrets, loop)
    except BaseException:
        _release_now(resources)
        raise


def _build(
    settings: Settings,
    directory: Path,
    clock: Clock,
    resources: Resources,
    pin_secrets: PinSecrets | None,
    loop: asyncio.AbstractEventLoop | None,
) -> Services:
    lock = DataDirLock.acquire(directory)  # AlreadyRunning: another kiosk has this folder
    resources.add("data folder lock", lock.release)
    journal_path = directory / "journal.sqlite3"
    health = check_journal(journal_path, mode=settings.journal.check, now=clock.now())
    journal = Journal.open(journal_path)
    resources.add("journal", journal.close)
    # Sandbox sales never reach the store database: queued withheld (hashes only).
    journal.withhold_from_store = settings.gateway.kind == "sandbox"
    numbering = continue_numbering(journal, at=clock.now())
    log.info("install %s, journal %s", numbering.install_id, journal_path)
    _, altered = check_at_start(journal)  # the chain's newest records (kiosk verify: all)
    backups = DailyBackup(
        journal_path=journal_path,
        directory=directory / "backups",
        keep=settings.journal.backup_days,
        monthly_years=settings.journal.backup_monthly_years,
        clock=clock,
    )
    try:
        backups.run_if_due()
    except KioskError:
        log.exception("start-up journal backup failed; selling goes on")

    sandbox_server = None
    if settings.uses_embedded_sandbox:
        sandbox_server = SandboxServer(scenario=sandbox_scenario(settings)).start()
        resources.add("embedded sandbox", sandbox_server.stop)
        log.info("embedded sandbox gateway at %s", sandbox_server.base_url)
    gateway = build_gateway(
        settings, sandbox_url=sandbox_server.base_url if sandbox_server else None, clock=clock
    )
    resources.add("gateway", gateway.aclose)

    bus = EventBus(loop or _running_loop())
    # The sale's and the slips' writes wait for the disk on a thread of their own,
    # never on the window's loop (kiosk.store.writer); reads stay on ``journal``.
    writes = JournalThread(journal)
    resources.add("journal writer", writes.close)
    checkout = CheckoutService(
        gateway=gateway,
        journal=journal,
        clock=clock,
        store=settings.store,
        poll=PollPolicy.from_settings(settings.poll),
        receipts=ReceiptLog(directory / "receipts", shop_name=settings.store.name),
        bus=bus,
        sandbox=settings.gateway.kind == "sandbox",
        writes=writes,
    )
    sweep = SweepPolicy(
        days=settings.recovery.sweep_days,
        max_per_hour=settings.recovery.sweep_max_per_hour,
        every_s=settings.recovery.sweep_every_s,
    )
    recovery = RecoveryService(service=checkout, journal=journal, sweep=sweep)
    resources.add("recovery watchers", recovery.aclose)
    connectivity = ConnectivityMonitor(service=checkout, clock=clock, recovery=recovery)
    resources.add("connectivity monitor", connectivity.aclose)
    receipts = _receipts(settings, directory, clock, bus, journal, writes)
    if receipts is not None:
        resources.add("receipts", receipts.aclose)  # lets the last receipt finish printing
    zreports = ZReportService(
        journal=journal,
        clock=clock,
        store=settings.store,
        folder=directory / "reports",
        printer=ReceiptPrinter(receipts) if receipts and receipts.printer else None,
        pdf_writer=_pdf_writer(paper_of(settings.printer)),
        auto_close=settings.batch.auto_close,
        sandbox=settings.gateway.kind == "sandbox",
    )
    pin = build_pin(directory, secrets=pin_secrets, clock=clock, journal=journal)
    control = None
    if settings.gateway.kind == "sandbox":
        base = sandbox_server.base_url if sandbox_server else settings.gateway.base_url
        control = SandboxControl(base_url=base)
        resources.add("sandbox controls", control.aclose)
    replaced = (
        health.text,
        numbering.text_for(journal_was_new=health.checked == "new"),
        altered,
    )
    notices = tuple(text for text in replaced if text is not None)
    sync = build_sync(settings, directory, clock)
    if sync is not None:
        # Started by the window (kiosk.app.gui); a nudge after each change ships soon.
        resources.add("store sync", sync.stop)
        bus.subscribe(OrderChanged, lambda _event: sync.nudge())
    store_view = build_store_view(settings, directory, sync=sync, zreports=zreports)
    if store_view is not None:
        resources.add("store view", store_view.close)
    services = Services(
        settings=settings,
        data_dir=directory,
        clock=clock,
        bus=bus,
        checkout=checkout,
        recovery=recovery,
        connectivity=connectivity,
        history=SalesHistory(journal=journal, sandbox=settings.gateway.kind == "sandbox"),
        zreports=zreports,
        pin=pin,
        attention=AttentionDesk(journal=journal, clock=clock, bus=bus, pin=pin),
        receipts=receipts,
        sandbox=control,
        backups=backups,
        startup_notices=notices,
        journal=journal,
        journal_health=health,
        gateway=gateway,
        sandbox_server=sandbox_server,
        resources=resources,
        sync=sync,
        store_view=store_view,
    )
    if settings.receipt.tax_invoice == "abb":
        from kiosk.app.tax_commands import desk_for

        services = replace(services, tax_invoices=desk_for(services))
    return services


def connect_store_db(settings: Settings) -> StoreDb:
    """A connection to ``[store_db]`` as the kiosk role (password: STORE_DB_PASSWORD).

    StoreDbError when it cannot be reached or refuses the sign-in. Call it off
    the GUI thread (the sync's worker does).
    """
    from kiosk.infra.secrets import Secrets  # the keyring loads only when asked
    from kiosk.store.storedb.client import StoreDb

    db = settings.store_db
    return StoreDb.connect(
        db.url,
        password=Secrets().get("STORE_DB_PASSWORD"),
        sslmode=store_db_sslmode(db),
        sslrootcert=db.sslrootcert,
    )


def build_sync(settings: Settings, directory: Path, clock: Clock | None = None) -> StoreSync | None:
    """The store-database sync of the kiosk on ``directory``; None without ``[store_db]``.

    None on the sandbox gateway too: sandbox sales are never sent (the journal
    queues them withheld, see ``build_services``).
    """
    if not settings.store_db.url or settings.gateway.kind == "sandbox":
        return None
    from kiosk.services.sync import StoreSync

    return StoreSync(
        journal_path=directory / "journal.sqlite3",
        connect=lambda: connect_store_db(settings),
        store_id=settings.store.store_id,
        terminal_id=settings.store.terminal_id,
        clock=clock or SystemClock(),
        interval_s=settings.store_db.sync_interval_s,
    )


def build_store_view(
    settings: Settings,
    directory: Path,
    *,
    sync: StoreSync | None = None,
    zreports: ZReportService | None = None,
) -> StoreViewService | None:
    """The whole store's day and the store close (issue 20); None without ``[store_db]``.

    Printed and saved as PDF as the counter's Z is (its printer and PDF writer).
    """
    if not settings.store_db.url:
        return None
    from kiosk.services.store_view import StoreViewService

    return StoreViewService(
        connect=lambda: connect_store_db(settings),
        store_id=settings.store.store_id,
        terminal_id=settings.store.terminal_id,
        shop_name=settings.store.name,
        folder=directory / "reports",
        sync=sync,
        printer=zreports.printer if zreports else None,
        pdf_writer=zreports.pdf_writer if zreports else None,
    )


def build_receipts(
    settings: Settings, directory: Path, clock: Clock | None = None
) -> ReceiptService:
    """The receipt service alone (``kiosk reprint``); StoreError if its archive cannot open."""
    return ReceiptService.from_settings(settings, directory, clock=clock)


@contextmanager
def open_reports(directory: Path) -> Iterator[Reports]:
    """Read-only reports on the journal beside a running kiosk (``kiosk report``).

    No data-folder lock: reading while a kiosk writes is safe (WAL).
    """
    with Journal.open(directory / "journal.sqlite3") as journal:
        yield Reports(journal)


def open_order(directory: Path, kiosk_order_id: str) -> Order | None:
    """One order as journaled, read beside a running kiosk (``kiosk reprint --order``)."""
    with Journal.open(directory / "journal.sqlite3") as journal:
        return journal.get(kiosk_order_id)


def build_pin(
    directory: Path,
    *,
    secrets: PinSecrets | None = None,
    clock: Clock | None = None,
    journal: Journal | None = None,
) -> ManagerPin:
    """The manager PIN of the kiosk on ``directory``; its lockout lives in the journal.

    ``journal``: the open one (``build_services``). Without it (the first-run
    wizard sets the PIN before any other service exists) the journal file is
    opened for each read or write of the lockout.
    """
    if secrets is None:
        from kiosk.infra.secrets import Secrets  # the keyring loads only when built

        secrets = Secrets()
    clock = clock or SystemClock()
    lockout: LockoutStore = (
        JournalLockout(journal, clock)
        if journal is not None
        else JournalFileLockout(directory / "journal.sqlite3", clock)
    )
    return ManagerPin(
        secrets=secrets,
        lockout=lockout,
        clock=clock,
        legacy_state=directory / LEGACY_STATE_NAME,
    )


def _receipts(
    settings: Settings,
    directory: Path,
    clock: Clock,
    bus: EventBus,
    journal: Journal,
    writes: JournalWrites,
) -> ReceiptService | None:
    """Receipts print by themselves when a sale is paid; a broken archive never stops sales."""
    try:
        receipts = build_receipts(settings, directory, clock)
    except KioskError:
        log.exception("receipt archive unavailable; selling without printed receipts")
        return None
    receipts.recover()
    receipts.attach(bus)

    # A slip's number comes from the journal's append path: chained, one counter per series.
    async def number_for(order: Order, series: Series, detail: dict[str, object]) -> IssuedDocument:
        at = clock.now()
        return await writes.run(
            lambda own: own.issue_document(order.kiosk_order_id, series, at, detail=detail)
        )

    receipts.number_for = number_for
    # The archive may hold numbers the journal never chained (a slip of a journal that was
    # replaced, or numbered before series): the journal numbers above them.
    archived = {
        s: receipts.archive.next_number(s.value) - 1
        for s in (Series.SLIP, Series.TEST_SLIP, Series.ABB, Series.TEST_ABB)  # what it archives
    }
    if any(archived.values()):
        journal.raise_seq_floors({}, clock.now(), documents=archived)
    return receipts


def _pdf_writer(paper: Paper) -> PdfWriter:
    """Z reports as PDF through Qt's writer, loaded on the first report (not for ``charge``)."""

    def write(blocks: list[Block], paper: Paper, path: Path, *, title: str = "") -> None:
        from kiosk.receipts import qt_pdf

        qt_pdf.ensure_app()  # `kiosk close` in a terminal has no Qt application of its own
        qt_pdf.write_pdf(blocks, paper, path, title=title)

    return paper_writer(write, paper)


def _release_now(resources: Resources) -> None:
    """Undo a half-built composition synchronously (no loop may be running yet)."""
    for name, close in reversed(resources.closers):
        try:
            result = close()
            if asyncio.iscoroutine(result):
                result.close()  # an async closer of an object that never ran
        except Exception:
            log.exception("releasing %s failed", name)


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = [
    "build_pin",
    "build_receipts",
    "build_services",
    "build_sync",
    "connect_store_db",
    "open_order",
    "open_reports",
    "sandbox_scenario",
]
