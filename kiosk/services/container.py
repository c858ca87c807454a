"""``Services``: everything the windows and the commands are handed, built once.

``kiosk.app.compose.build_services`` is the only code that fills it; the GUI,
the CLI and the smoke test receive the value as an argument (no module-level
singleton, no lookup). The screens reach services only through it and hear
from them only through ``bus``.

The parts it holds but nobody above should touch (journal file, lock,
embedded sandbox server, gateway client) live in ``Resources`` so that
``aclose`` can undo the composition in reverse order.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.domain.clock import Clock
from kiosk.domain.errors import Text
from kiosk.gateways.base import PaymentGateway
from kiosk.gateways.sandbox import SandboxServer
from kiosk.gateways.sandbox.control import SandboxControl
from kiosk.infra.bus import EventBus
from kiosk.infra.config import Settings
from kiosk.receipts.service import ReceiptService
from kiosk.services.attention import AttentionDesk
from kiosk.services.checkout import CheckoutService
from kiosk.services.connectivity import ConnectivityMonitor
from kiosk.services.history import SalesHistory
from kiosk.services.pin import ManagerPin
from kiosk.services.recovery import RecoveryService
from kiosk.services.tax_invoices import TaxInvoiceDesk
from kiosk.services.zreport import ZReportService
from kiosk.store.backup import DailyBackup
from kiosk.store.health import JournalHealth
from kiosk.store.journal import Journal

if TYPE_CHECKING:  # psycopg loads only on a counter that syncs
    from kiosk.services.store_view import StoreViewService
    from kiosk.services.sync import StoreSync

log = logging.getLogger("kiosk.services")


@dataclass
class Resources:
    """What ``aclose`` releases, in reverse order of construction."""

    closers: list[tuple[str, Callable[[], Awaitable[None] | None]]] = field(default_factory=list)

    def add(self, name: str, close: Callable[[], Awaitable[None] | None]) -> None:
        self.closers.append((name, close))


@dataclass(frozen=True)
class Services:
    settings: Settings
    data_dir: Path
    clock: Clock
    bus: EventBus
    checkout: CheckoutService
    recovery: RecoveryService
    connectivity: ConnectivityMonitor
    history: SalesHistory  # the manager's reads: a day's orders, totals, an order's history
    zreports: ZReportService
    pin: ManagerPin
    attention: AttentionDesk  # sales the manager must look at
    receipts: ReceiptService | None  # None when the receipt archive cannot open
    sandbox: SandboxControl | None  # the "simulate the customer" controls (sandbox only)
    backups: DailyBackup | None
    journal: Journal  # for the commands below the window (report, close); not for the UI
    gateway: PaymentGateway
    # Told to the cashier at start-up (a damaged journal set aside, ...).
    startup_notices: tuple[Text, ...] = ()
    journal_health: JournalHealth | None = None  # what the start-up check found
    # The embedded sandbox itself (tests and screenshots drive the customer through it).
    sandbox_server: SandboxServer | None = None
    resources: Resources = field(default_factory=Resources)
    # The store-database sync ([store_db]; not on the sandbox): the window starts it.
    sync: StoreSync | None = None
    # The whole store's day and the store close (issue 20; [store_db] only).
    store_view: StoreViewService | None = None
    # Full tax invoices on request (the manager's order detail); None unless tax_invoice = "abb".
    tax_invoices: TaxInvoiceDesk | None = None

    @property
    def is_sandbox(self) -> bool:
        return self.settings.gateway.kind == "sandbox"

    async def aclose(self) -> None:
        """Deliver what is queued, let the last receipt print, then release in reverse."""
        await self.bus.drain()
        for name, close in reversed(self.resources.closers):
            try:
                result = close()
                if result is not None:
                    await result
            except Exception:
                log.exception("closing %s failed", name)


__all__ = ["Resources", "Services"]
