"""Store-scale benchmark (not in the default run; needs PostgreSQL's server binaries).

    QT_QPA_PLATFORM=offscreen pytest -o addopts="" tests/bench/test_bench_store_scale.py -s -q

1. **50 counters, one sale a second each, for 2 minutes** (``BENCH_COUNTERS``,
   ``BENCH_SECONDS``) against one PostgreSQL started here *with fsync and
   synchronous commit on* (the test fixture's server has them off). Each
   simulated counter is the real thing minus the window: a real SQLite
   journal (``Journal.new_order`` / ``record``: the append path, the chain,
   the outbox row), and a real ``StoreSync`` on its own thread, nudged after
   every sale as ``build_services`` does (``[store_db] sync_interval_s`` 10,
   the default). The counters run in ``BENCH_PROCESSES`` (5) processes of 10
   counters each (one process per counter would be 50 Python interpreters on
   this 2-core machine). Figures: the sync lag of every status change
   (``received_at - queued_at``: the store's clock at the insert minus the
   journal's at the commit; one machine, one clock), events/s arrived, the CPU
   time of the sync threads (``/proc/self/task``) and of PostgreSQL's processes.
2. **The store view for one day of a 50-counter store on 1 000 000 orders**:
   ``order_rows`` bulk-loaded with ``generate_series`` (100 days x 50 counters
   x 200 orders; one day = 10 000 orders), then the real ``StorePage`` opened on
   a day (the load on its worker thread, the model, the counters table, the
   totals: until its ``loaded`` signal) and filtered to one counter and back.
   Goals: open <= 300 ms, filter <= 100 ms.

The machine is shared (2 cores, other work running): every figure moves with
its load. The load average is printed beside the figures.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.clock import SystemClock
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.services.sync import StoreSync
from kiosk.store.journal import Journal
from kiosk.store.numbering import new_id
from kiosk.store.storedb.client import StoreDb
from tests.store_pg.pgserver import KIOSK, KIOSK_PASSWORD, OWNER, OWNER_PASSWORD, PgServer, bin_dir

S = OrderState
COUNTERS = int(os.environ.get("BENCH_COUNTERS", "50"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "120"))
PROCESSES = int(os.environ.get("BENCH_PROCESSES", "5"))
DAYS, PER_DAY = 100, 200  # x 50 counters = 1 000 000 orders
TICK = os.sysconf("SC_CLK_TCK")


@pytest.fixture(scope="module")
def server() -> Iterator[PgServer]:
    found = bin_dir()
    if found is None:
        pytest.skip("PostgreSQL server binaries not installed")
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pgbench-"))
    pg = PgServer.create(folder / "cluster", found)
    with (pg.data / "postgresql.conf").open("a") as conf:  # later lines win
        conf.write(
            "fsync = on\nsynchronous_commit = on\nfull_page_writes = on\n"
            "shared_buffers = 128MB\nmax_connections = 120\n"
        )
    pg.stop()
    pg.start()
    try:
        yield pg
    finally:
        pg.destroy()
        shutil.rmtree(folder, ignore_errors=True)


def database(pg: PgServer, name: str) -> str:
    pg.psql(f"CREATE DATABASE {name} OWNER {OWNER}")
    with StoreDb.connect(pg.url(OWNER, name), password=OWNER_PASSWORD, sslmode="disable") as db:
        db.init(KIOSK)
    return name


def owner(pg: PgServer, name: str) -> StoreDb:
    return StoreDb.connect(pg.url(OWNER, name), password=OWNER_PASSWORD, sslmode="disable")


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# --- 1. fifty counters -------------------------------------------------------


def _thread_cpu_s(native_id: int | None) -> float:
    if native_id is None:
        return 0.0
    try:
        fields = Path(f"/proc/self/task/{native_id}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime


def _counters_process(
    first: int, count: int, url: str, folder: str, seconds: float, out: Any
) -> None:
    """``count`` counters: sell one sale a second each, the sync nudged after each."""
    counters = []
    for n in range(first, first + count):
        path = Path(folder) / f"T{n:02d}"
        path.mkdir(parents=True)
        journal = Journal.open(path / "journal.sqlite3")
        journal.set_meta("install_id", new_id(), datetime.now(UTC))
        sync = StoreSync(
            journal_path=path / "journal.sqlite3",
            connect=lambda: StoreDb.connect(url, password=KIOSK_PASSWORD, sslmode="disable"),
            store_id="S001",
            terminal_id=f"T{n:02d}",
            clock=SystemClock(),
            interval_s=10.0,
        )
        sync.start()
        counters.append((n, journal, sync))
    sales = 0
    start = time.monotonic()
    tick = 0
    while time.monotonic() - start < seconds:
        for i, (n, journal, sync) in enumerate(counters):
            due = start + tick + i / count  # spread over the second
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            now = datetime.now(UTC)
            order = journal.new_order(
                store_id="S001",
                terminal_id=f"T{n:02d}",
                amount=Money(100 * (1 + sales % 50)),
                method=Method.QR,
                created_at=now,
            )
            for to in (S.CREATING, S.AWAITING_PAYMENT, S.PAID):
                kw = {"gateway_order_id": f"g-{order.kiosk_order_id}"} if to is S.CREATING else {}
                order, transition = order.transition(to, datetime.now(UTC), **kw)  # type: ignore[arg-type]
                journal.record(order, transition)
            sync.nudge()
            sales += 1
        tick += 1
    drained = time.monotonic()
    while any(s.status().pending for _, _, s in counters) and time.monotonic() - drained < 60:
        time.sleep(0.2)
    cpu = sum(_thread_cpu_s(s._thread.native_id if s._thread else None) for _, _, s in counters)
    for _, journal, sync in counters:
        sync.stop()
        journal.close()
    out.put({"sales": sales, "sync_cpu_s": cpu, "drain_s": time.monotonic() - drained})


def _postgres_cpu_s(pg: PgServer) -> float:
    """CPU time of the postmaster and its children (the live ones) so far."""
    main = int((pg.data / "postmaster.pid").read_text().split()[0])
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        pid, ppid = int(stat.parent.name), int(fields[1])
        if pid == main or ppid == main:
            # utime, stime, and the children's that ended (backends of closed connections)
            total += sum(int(f) for f in fields[11:15]) / TICK
    return total


def test_fifty_counters_one_sale_a_second(server: PgServer, tmp_path: Path) -> None:
    name = database(server, "bench_sync")
    url = server.url(KIOSK, name)
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    per = COUNTERS // PROCESSES
    before_pg = _postgres_cpu_s(server)
    load_before = load()
    t0 = time.monotonic()
    workers = [
        ctx.Process(
            target=_counters_process,
            args=(1 + p * per, per, url, str(tmp_path), SECONDS, out),
        )
        for p in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=SECONDS + 300) for _ in workers]
    for worker in workers:
        worker.join(60)
    wall = time.monotonic() - t0
    pg_cpu = _postgres_cpu_s(server) - before_pg
    with owner(server, name) as db:
        [(events, first, last)] = db.query(
            "SELECT count(*), min(received_at), max(received_at) FROM kiosk_store.events"
        )
        lags = [
            float(r[0])
            for r in db.query(
                "SELECT extract(epoch FROM received_at - queued_at) FROM kiosk_store.events"
                " WHERE kind = 'record'"
            )
        ]
        [(orders, paid)] = db.query(
            "SELECT count(*), count(*) FILTER (WHERE state = 'paid') FROM kiosk_store.order_rows"
        )
        [(conflicts,)] = db.query("SELECT count(*) FROM kiosk_store.conflicts")
        [(event_bytes, projection_bytes)] = db.query(
            "SELECT pg_total_relation_size('kiosk_store.events'),"
            " pg_total_relation_size('kiosk_store.order_rows')"
            " + pg_total_relation_size('kiosk_store.counter_rows')"
        )
    sales = sum(r["sales"] for r in results)
    sync_cpu = sum(r["sync_cpu_s"] for r in results)
    span = (last - first).total_seconds()
    print(
        f"\n== store sync, {COUNTERS} counters x 1 sale/s x {SECONDS:.0f} s,"
        f" {PROCESSES} processes; PostgreSQL fsync on ==\n"
        f"sales {sales} ({sales / SECONDS:.1f}/s), events {events} arrived in {span:.0f} s:"
        f" {events / span:.0f} events/s; orders {orders} ({paid} paid); conflicts {conflicts}\n"
        f"sync lag (store received - journal committed): p50 {pct(lags, 0.5):.3f} s,"
        f" p95 {pct(lags, 0.95):.3f} s, p99 {pct(lags, 0.99):.3f} s, worst {max(lags):.3f} s\n"
        f"CPU: sync threads {sync_cpu:.1f} s ({100 * sync_cpu / SECONDS:.0f}% of one core),"
        f" PostgreSQL {pg_cpu:.1f} s ({100 * pg_cpu / wall:.0f}% of one core) over {wall:.0f} s\n"
        f"storage: events {event_bytes / events:.0f} bytes/event with indexes,"
        f" projections {projection_bytes / max(1, orders):.0f} bytes/order\n"
        f"load average before {load_before}, after {load()}"
    )
    assert orders == sales and paid == sales and conflicts == 0


# --- 2. the store view on a million orders -------------------------------------

_BULK = f"""
INSERT INTO kiosk_store.order_rows (install_id, kiosk_order_id, store_id, terminal_id,
    business_day, amount_satang, method, state, late, created_at, paid_at, o, generation,
    seq, synced_at)
SELECT 'install-' || c, 'S001-T' || lpad(c::text, 2, '0') || '-' || lpad(n::text, 7, '0'),
    'S001', 'T' || lpad(c::text, 2, '0'), to_char(t, 'YYYYMMDD'),
    100 * (1 + (n * 7919) % 500), CASE WHEN n % 3 = 0 THEN 'wechat' ELSE 'qr' END,
    CASE WHEN n % 20 = 0 THEN 'expired' WHEN n % 50 = 1 THEN 'failed' ELSE 'paid' END,
    false, t, t + interval '20 seconds',
    jsonb_build_object('kiosk_order_id', 'S001-T' || c || '-' || n, 'store_id', 'S001',
        'terminal_id', 'T' || c, 'amount_satang', 100 * (1 + n % 500), 'currency', 'THB',
        'method', 'qr', 'state', 'paid', 'gateway_order_id', md5(n::text || c),
        'gateway_charge_id', md5(c::text || n), 'created_at', t, 'updated_at', t),
    1, n * 4, now()
FROM generate_series(1, 50) AS c,
     generate_series(0, {DAYS * PER_DAY - 1}) AS n,
     LATERAL (SELECT timestamptz '2026-08-01 02:00+00' + (n / {PER_DAY}) * interval '1 day'
                     + (n % {PER_DAY}) * interval '3 minutes' AS t) AS at
"""
_COUNTERS = """
INSERT INTO kiosk_store.counter_rows
SELECT 'install-' || c, 'S001', 'T' || lpad(c::text, 2, '0'), 1, 800000, now(), now(),
       800000, false
FROM generate_series(1, 50) AS c
"""


def test_the_store_view_on_a_million_orders(  # type: ignore[no-untyped-def]
    qtbot, loop, server: PgServer, tmp_path: Path
) -> None:
    from kiosk.services.store_view import StoreViewService
    from kiosk.ui.manager.store_page import StorePage

    name = database(server, "bench_view")
    t0 = time.perf_counter()
    with owner(server, name) as db:
        db._db.execute(b"SET statement_timeout = 0")  # the bulk load takes minutes here
        db._db.execute(_BULK.encode())
        db._db.execute(_COUNTERS.encode())
        db._db.execute(b"ANALYZE kiosk_store.order_rows")
        db._db.execute(b"ANALYZE kiosk_store.counter_rows")
        [(total, size)] = db.query(
            "SELECT count(*), pg_size_pretty(pg_total_relation_size('kiosk_store.order_rows'))"
            " FROM kiosk_store.order_rows"
        )
    loaded_s = time.perf_counter() - t0
    day = "20261015"
    view = StoreViewService(
        connect=lambda: StoreDb.connect(
            server.url(KIOSK, name), password=KIOSK_PASSWORD, sslmode="disable"
        ),
        store_id="S001",
        terminal_id="T01",
        shop_name="",
        folder=tmp_path,
    )
    view.load_day(day)  # connected, the schema checked: what a manager screen has by then
    service_ms = []
    for _ in range(5):
        t = time.perf_counter()
        found = view.load_day(day)
        service_ms.append((time.perf_counter() - t) * 1000)
    page = StorePage(view=view, language=lambda: "en")
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    open_ms, open_cpu_ms, filter_ms, back_ms = [], [], [], []
    for i in range(7):
        t, cpu = time.perf_counter(), time.process_time()
        with qtbot.waitSignal(page.loaded, timeout=30000):
            page.show_day(day)
        open_ms.append((time.perf_counter() - t) * 1000)
        open_cpu_ms.append((time.process_time() - cpu) * 1000)
        t = time.perf_counter()
        page.choose_counter(f"T{1 + i * 7 % 50:02d}")
        filter_ms.append((time.perf_counter() - t) * 1000)
        assert page.model.rowCount() == PER_DAY
        t = time.perf_counter()
        page.choose_counter("")
        back_ms.append((time.perf_counter() - t) * 1000)
    assert page.model.rowCount() == len(found.orders) == 50 * PER_DAY
    view.close()
    print(
        f"\n== store view: one day of 50 counters ({len(found.orders)} orders) on {total} orders"
        f" ({size}, bulk-loaded in {loaded_s:.1f} s) ==\n"
        f"service load_day: median {statistics.median(service_ms):.0f} ms,"
        f" worst {max(service_ms):.0f} ms\n"
        f"page open (until loaded): median {statistics.median(open_ms):.0f} ms,"
        f" worst {max(open_ms):.0f} ms (goal 300); CPU time of this process (GUI and"
        f" worker threads, load-independent) median {statistics.median(open_cpu_ms):.0f} ms\n"
        f"filter to one counter: median {statistics.median(filter_ms):.1f} ms,"
        f" worst {max(filter_ms):.1f} ms; back to all: median"
        f" {statistics.median(back_ms):.1f} ms (goal 100)\n"
        f"load average {load()}"
    )
