"""Kill test: SIGKILL `kiosk charge` at random points, restart, compare journal and gateway.

Each trial, on a sandbox gateway running as its own process (``kiosk
sandbox --port 0``) that outlives the kiosk:

1. start ``kiosk charge`` (``main.py``) as a child with its own data folder
   and terminal id (so order ids never collide across trials);
2. SIGKILL it at a random point of the checkout: after a random delay, when
   the journal reaches NEW / CREATING / AWAITING_PAYMENT, when the gateway
   has the order, or right after the QR is shown; the sandbox may delay its
   answers so kills land inside HTTP calls;
3. wait until the sandbox has handled everything the child sent
   (``/_sandbox/busy``), then let the gateway decide: a customer who saw the
   QR pays or not at random (the sandbox's own scenario may also pay or
   decline by itself);
4. restart: ``kiosk reconcile`` (or, for speed, the same start-up and
   recovery pass in this process); then every order still pending at the
   gateway expires there and the kiosk restarts again (in this process);
   then, at random, a customer who saw the QR pays the order the journal
   now has expired or cancelled (a late payment), and it restarts once more;
5. compare the journal with the sandbox's own record (``/_sandbox/orders``);
6. in some trials the journal is then damaged (overwritten, header zeroed,
   truncated: what a disk or a power cut may leave) and ``kiosk charge`` runs
   once more on the same data folder and gateway: it must say on stderr that
   the journal was replaced, make a new gateway order (an order id never used
   before, so the gateway cannot hand back the earlier customer's order) for
   the right amount, and number it past the damaged journal's sales.

A trial fails on: a paid order not PAID in the journal (lost), an order the
journal shows PAID that the gateway does not have paid (or a "PAID" the
child printed for one), more than one gateway order for the sale or one the
journal does not know (duplicate), a late flag without payment, an order
not in a final state after the last restart, a journal whose hash chain does
not check out (``kiosk verify``), or a restart that failed; after
damage: an order id used before (REUSED), a sale not paid or of another
amount, numbers that restart, or a replaced journal the CLI did not mention.

    python -m tests.faults.killtest --trials 200 [--seed N] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kiosk.app.compose import build_services
from kiosk.domain.errors import KioskError
from kiosk.domain.order import order_number
from kiosk.infra.config import load_settings
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal

ROOT = Path(__file__).resolve().parents[2]
FINAL = {"paid", "failed", "expired", "cancelled"}
TRIGGERS = ("delay", "journal:new", "journal:creating", "journal:awaiting_payment", "gateway", "qr")
DAMAGE = ("overwritten", "header zeroed", "truncated")
DAMAGE_SHARE = 0.3  # of trials that damage the journal after the comparison


def _env(data: Path, config: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        KIOSK_DATA_DIR=str(data),
        KIOSK_CONFIG=str(config),
        PYTHONUNBUFFERED="1",
        PYTHONPATH=str(ROOT),
    )
    return env


@contextmanager
def sandbox_process() -> Iterator[str]:
    """``kiosk sandbox --port 0`` as its own process; yields its base URL."""
    with tempfile.TemporaryDirectory() as tmp:
        proc = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "main.py"),
                "sandbox",
                "--port",
                "0",
                "--scenario",
                "never",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            env=_env(Path(tmp), Path(tmp) / "none.toml"),
        )
        try:
            assert proc.stdout is not None
            url = ""
            for _ in range(50):
                line = proc.stdout.readline()
                if line.startswith("http://"):
                    url = line.strip()
                    break
                if not line:
                    break
            if not url:
                raise RuntimeError("the sandbox did not print its URL")
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@dataclass
class Trial:
    number: int
    seed: int
    scenario: dict[str, Any]
    trigger: str
    kill_delay_s: float
    amount: str
    pays_if_shown: bool
    late_pay: bool
    damage: str = ""  # "" or one of DAMAGE: the journal is damaged, then one more sale
    amount_after: str = ""


@dataclass
class Result:
    trial: Trial
    killed: bool = False
    exit_code: int | None = None
    state_at_kill: str = "none"
    in_flight_at_kill: int = 0
    qr_shown: bool = False
    printed_paid: bool = False
    gateway_orders: int = 0
    create_calls: int = 0
    journal_state: str = "none"
    late: bool = False
    gateway_state: str = "none"
    late_paid_at_gateway: bool = False
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    # After damage: the CLI said so, a new gateway order, numbering went on.
    damage_told: bool = False
    damage_new_order: bool = False
    damage_numbers_on: bool = False


def plan(number: int, seed: int) -> Trial:
    rng = random.Random(f"{seed}:{number}")
    kind = rng.choices(["pay", "never", "decline"], weights=[6, 3, 1])[0]
    scenario: dict[str, Any] = {
        "kind": kind,
        "after_s": round(rng.uniform(0.0, 1.2), 3),
        "expire_s": 600,
        # Slow answers now and then, so kills land inside HTTP calls.
        "delay_s": round(rng.uniform(0.05, 0.3), 3) if rng.random() < 0.3 else 0.0,
    }
    return Trial(
        number=number,
        seed=seed,
        scenario=scenario,
        trigger=rng.choice(TRIGGERS),
        # Up to 2.5 s: some sales finish (paid, declined) before the kill comes.
        kill_delay_s=round(rng.uniform(0.0, 2.5), 3),
        amount=f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}",
        pays_if_shown=rng.random() < 0.5,
        late_pay=rng.random() < 0.5,
        # Drawn last, so the kills of a seed are the same with or without damage.
        damage=rng.choice(DAMAGE) if rng.random() < DAMAGE_SHARE else "",
        amount_after=f"{rng.randint(1, 5000)}.{rng.randint(0, 99):02d}",
    )


def terminal_of(number: int) -> str:
    """A terminal id per trial (so order ids never collide across trials): K + 3 base36."""
    digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return "K" + "".join(digits[number // 36**i % 36] for i in (2, 1, 0))


def _config(base_url: str, terminal: str) -> str:
    return f"""
[gateway]
kind = "sandbox"
base_url = "{base_url}"
connect_timeout_s = 2
read_timeout_s = 5
total_timeout_s = 10
[store]
terminal_id = "{terminal}"
checkout_timeout_s = 30
[poll]
fast_s = 0.05
slow_s = 0.1
max_backoff_s = 0.5
"""


def _journal(data: Path) -> list[tuple[str, str, int]]:
    path = data / "journal.sqlite3"
    if not path.exists():
        return []
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return []
    try:
        return [
            (str(a), str(b), int(c))
            for a, b, c in db.execute("SELECT kiosk_order_id, state, late FROM orders")
        ]
    except sqlite3.Error:
        return []  # not created yet
    finally:
        db.close()


class Gateway:
    """The sandbox's control endpoints."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=10, trust_env=False)

    def close(self) -> None:
        self.http.close()

    def scenario(self, scenario: dict[str, Any]) -> None:
        self.http.post("/_sandbox/scenario", json=scenario).raise_for_status()

    def orders(self, terminal: str) -> list[dict[str, Any]]:
        orders = self.http.get("/_sandbox/orders").json()["orders"]
        return [o for o in orders if str(o["orderid"]).split("-")[1:2] == [terminal]]

    def force(self, orderid: str, action: str) -> None:
        self.http.post(f"/_sandbox/orders/{orderid}/{action}").raise_for_status()

    def wait_idle(self, limit_s: float = 15.0) -> int:
        deadline = time.monotonic() + limit_s
        first = -1
        while True:
            busy = int(self.http.get("/_sandbox/busy").json()["in_flight"])
            first = busy if first < 0 else first
            if busy == 0:
                return first
            if time.monotonic() > deadline:
                raise RuntimeError("the sandbox stayed busy")
            time.sleep(0.01)


def _restart(result: Result, config: Path, data: Path, what: str) -> None:
    try:
        asyncio.run(_reconcile_here(config, data))
    except KioskError as exc:
        result.problems.append(f"{what} failed: {exc}")


async def _reconcile_here(config: Path, data: Path) -> None:
    services = build_services(load_settings(config), directory=data)
    try:
        await RecoveryService(service=services.checkout, journal=services.journal).run()
    finally:
        await services.aclose()


def _kiosk(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def run_trial(
    trial: Trial, gateway: Gateway, base_url: str, workdir: Path, *, cli: bool = True
) -> Result:
    """One trial; ``cli``: the first restart is `kiosk reconcile` as a process."""
    started = time.monotonic()
    result = Result(trial)
    terminal = terminal_of(trial.number)
    data = workdir / f"trial-{trial.number:04d}"
    config = workdir / f"trial-{trial.number:04d}.toml"
    config.write_text(_config(base_url, terminal), encoding="utf-8")
    env = _env(data, config)
    gateway.scenario(trial.scenario)

    child = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "charge", trial.amount, "--timeout", "30"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    lines: queue.Queue[str] = queue.Queue()
    output: list[str] = []

    def pump() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            lines.put(line)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()

    def shown() -> bool:
        while not lines.empty():
            output.append(lines.get())
        return any("Waiting for payment" in line for line in output)

    triggers: dict[str, Callable[[], bool]] = {
        "delay": lambda: time.monotonic() - started >= trial.kill_delay_s,
        "gateway": lambda: bool(gateway.orders(terminal)),
        "qr": shown,
    }

    def reached(states: set[str]) -> Callable[[], bool]:
        return lambda: any(s in states for _, s, _ in _journal(data))

    progress = ["new", "creating", "awaiting_payment"]
    for step, state in enumerate(progress):
        # This state or any later one: the journal may move on between two polls.
        triggers[f"journal:{state}"] = reached({*progress[step:], *FINAL})
    fire = triggers[trial.trigger]
    deadline = started + 10
    while child.poll() is None and not fire() and time.monotonic() < deadline:
        time.sleep(0.002)
    if child.poll() is None:
        child.send_signal(signal.SIGKILL)
        result.killed = True
    result.exit_code = child.wait(timeout=30)
    reader.join(timeout=10)
    shown()
    rows = _journal(data)
    result.state_at_kill = rows[0][1] if rows else "none"
    result.in_flight_at_kill = gateway.wait_idle()
    result.qr_shown = any("Waiting for payment" in line for line in output)
    result.printed_paid = any(": PAID" in line for line in output)

    # The customer decides: only one who saw the QR can pay it.
    for order in gateway.orders(terminal):
        if order["state"] == "pending" and result.qr_shown and trial.pays_if_shown:
            gateway.force(order["orderid"], "pay")

    if cli:
        first = _kiosk(["reconcile"], env)
        if first.returncode != 0:
            result.problems.append(
                f"reconcile 1 exit {first.returncode}: {first.stderr.strip()[-300:]}"
            )
    else:
        _restart(result, config, data, "reconcile 1")
    # Freeze the gateway: whatever is still pending expires there.
    for order in gateway.orders(terminal):
        if order["state"] == "pending":
            gateway.force(order["orderid"], "expire")
    # The next restarts run in this process: the same start-up (lock, health
    # check, services) and recovery pass as `kiosk reconcile`, minus a Python start.
    _restart(result, config, data, "reconcile 2")
    # Money after the sale was over for the kiosk: a customer who saw the QR
    # pays an order the journal now has expired or cancelled.
    late_candidates = {i for i, state, _ in _journal(data) if state in ("expired", "cancelled")}
    if result.qr_shown and trial.late_pay:
        for order in gateway.orders(terminal):
            if order["orderid"] in late_candidates:
                gateway.force(order["orderid"], "pay")
                result.late_paid_at_gateway = True
        if result.late_paid_at_gateway:
            _restart(result, config, data, "reconcile 3")

    compare(result, _journal(data), gateway.orders(terminal))
    chain_check(result, data)
    if trial.damage:
        after_damage(result, gateway, env, data, terminal)
        chain_check(result, data)  # the journal that replaced it
    result.seconds = time.monotonic() - started
    return result


def damage(path: Path, how: str) -> None:
    """What a disk or a power cut may leave of the journal file."""
    data = path.read_bytes()
    if how == "overwritten":
        path.write_bytes(b"\x00garbage" * max(512, len(data) // 8))
    elif how == "header zeroed":
        path.write_bytes(bytes(100) + data[100:])
    elif how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    else:
        raise ValueError(how)


def after_damage(
    result: Result, gateway: Gateway, env: dict[str, str], data: Path, terminal: str
) -> None:
    """Damage the journal, sell once more: a new order id, a new gateway order, told loudly."""
    trial = result.trial
    before = {order_id for order_id, _, _ in _journal(data)}
    at_gateway_before = {str(o["orderid"]) for o in gateway.orders(terminal)}
    numbers = [order_number(i) or 0 for i in before | at_gateway_before]
    path = data / "journal.sqlite3"
    if not path.exists():
        result.problems.append("damage: no journal to damage")
        return
    damage(path, trial.damage)
    gateway.scenario({"kind": "pay", "after_s": 0.1, "expire_s": 600})
    sale = _kiosk(["charge", trial.amount_after, "--json", "--timeout", "30"], env)
    result.damage_told = "journal was damaged" in sale.stderr
    if not result.damage_told:
        result.problems.append(
            f"damage ({trial.damage}): the CLI did not say the journal was replaced"
        )
    try:
        record = json.loads(sale.stdout)
        order_id = str(record["kiosk_order_id"])
    except (ValueError, KeyError, TypeError):
        result.problems.append(
            f"damage: charge exit {sale.returncode}, no JSON record: {sale.stderr.strip()[-300:]}"
        )
        return
    if order_id in before | at_gateway_before:
        result.problems.append(f"damage: {order_id} REUSED after the journal was replaced")
    orders = {str(o["orderid"]): o for o in gateway.orders(terminal)}
    new = orders.get(order_id)
    result.damage_new_order = (
        new is not None
        and int(new["create_calls"]) == 1
        and set(orders) == at_gateway_before | {order_id}
    )
    if not result.damage_new_order:
        result.problems.append(f"damage: {order_id} is not one new gateway order: {new}")
    elif new is not None and str(new["amount"]) != trial.amount_after:
        result.problems.append(f"damage: {order_id} is {new['amount']} at the gateway")
    if sale.returncode != 0 or record.get("status") != "paid":
        result.problems.append(f"damage: the sale after it ended {record.get('status')}")
    number = order_number(order_id) or 0
    result.damage_numbers_on = number > max(numbers, default=0)
    if not result.damage_numbers_on:
        result.problems.append(f"damage: {order_id} numbered at or below an earlier sale {numbers}")


def compare(
    result: Result, journal: list[tuple[str, str, int]], orders: list[dict[str, Any]]
) -> None:
    """The journal against the gateway's own record; problems go into ``result``."""
    kept = {order_id: (state, bool(late)) for order_id, state, late in journal}
    at_gateway = {str(o["orderid"]): o for o in orders}
    result.gateway_orders = len(orders)
    result.create_calls = sum(int(o["create_calls"]) for o in orders)
    if len(orders) > 1:
        result.problems.append(f"duplicate: {len(orders)} gateway orders for one sale")
    for order_id, order in at_gateway.items():
        state = str(order["state"])
        result.gateway_state = state
        if order_id not in kept:
            result.problems.append(f"{order_id}: at the gateway ({state}) but not in the journal")
        elif state == "paid" and kept[order_id][0] != "paid":
            result.problems.append(f"{order_id}: LOST paid order, journal says {kept[order_id][0]}")
    for order_id, (state, late) in kept.items():
        result.journal_state, result.late = state, late
        gateway_state = str(at_gateway[order_id]["state"]) if order_id in at_gateway else None
        if state == "paid" and gateway_state != "paid":
            result.problems.append(f"{order_id}: journal PAID, gateway {gateway_state}")
        if late and state != "paid":
            result.problems.append(f"{order_id}: late flag on a {state} order")
        if state not in FINAL:
            result.problems.append(f"{order_id}: still {state} after the last restart")
        if result.late_paid_at_gateway and not (state == "paid" and late):
            result.problems.append(f"{order_id}: paid late at the gateway, journal {state}")
    if result.printed_paid and not any(str(o["state"]) == "paid" for o in orders):
        result.problems.append("the kiosk printed PAID for an unpaid order")


def chain_check(result: Result, data: Path) -> None:
    """Every kill and restart leaves the journal's hash chain intact (kiosk verify)."""
    if not (data / "journal.sqlite3").exists():
        return
    with Journal.open(data / "journal.sqlite3") as journal:
        first = journal.verify().first_broken
    if first is not None:
        result.problems.append(f"chain broken: {first.table} {first.id}: {first.reason}")


@dataclass
class Summary:
    seed: int
    results: list[Result]
    seconds: float

    @property
    def failures(self) -> list[Result]:
        return [r for r in self.results if r.problems]

    def count(self, problem: str) -> int:
        return sum(1 for r in self.results for p in r.problems if problem in p)

    def report(self) -> str:
        results = self.results
        n = len(results)
        killed = sum(r.killed for r in results)
        lost = self.count("LOST")
        duplicates = self.count("duplicate") + self.count("not in the journal")
        false_paid = self.count("journal PAID") + self.count("printed PAID")
        other = sum(len(r.problems) for r in results) - lost - duplicates - false_paid
        repeated = sum(r.create_calls > r.gateway_orders for r in results)
        late_made = sum(r.late_paid_at_gateway for r in results)
        damaged = [r for r in results if r.trial.damage]
        reused = self.count("REUSED")

        def tally(values: list[str]) -> str:
            return ", ".join(f"{k} {v}" for k, v in sorted(Counter(values).items()))

        lines = [
            f"kill test: {n} trials, seed {self.seed}, {self.seconds:.1f} s",
            f"  killed mid-checkout: {killed}; finished before the kill: {n - killed}",
            f"  journal state at the kill: {tally([r.state_at_kill for r in results])}",
            f"  a request in flight at the kill: {sum(r.in_flight_at_kill > 0 for r in results)}",
            f"  kill triggers: {tally([r.trial.trigger for r in results])}",
            f"  final journal states: {tally([r.journal_state for r in results])}",
            f"  paid at the gateway: {sum(r.gateway_state == 'paid' for r in results)};"
            f" PAID in the journal: {sum(r.journal_state == 'paid' for r in results)}"
            f" (late: {sum(r.late for r in results)}, of {late_made} paid late at the gateway);"
            f" creates repeated with the same id: {repeated}",
            f"  lost paid orders: {lost}",
            f"  duplicates at the gateway: {duplicates}",
            f"  shown paid but not paid: {false_paid}",
            f"  other problems: {other - reused}",
            f"  journal damaged, then one more sale: {len(damaged)}"
            f" ({tally([r.trial.damage for r in damaged])}); replaced journal said on stderr:"
            f" {sum(r.damage_told for r in damaged)}; a new gateway order:"
            f" {sum(r.damage_new_order for r in damaged)}; numbers went on:"
            f" {sum(r.damage_numbers_on for r in damaged)}; order ids reused: {reused}",
        ]
        for r in self.failures:
            lines.append(f"  FAILED trial {r.trial.number} ({r.trial}): {r.problems}")
        return "\n".join(lines)


def run_trials(trials: int, *, seed: int, workers: int = 2, cli_every: int = 1) -> Summary:
    """``cli_every``: every n-th trial restarts with `kiosk reconcile` as a process
    (1 = all of them); the others run the same start-up and recovery in-process."""
    started = time.monotonic()
    numbers = list(range(trials))

    def worker(index: int) -> list[Result]:
        mine = numbers[index::workers]
        out: list[Result] = []
        with sandbox_process() as url, tempfile.TemporaryDirectory() as tmp:
            gateway = Gateway(url)
            try:
                for number in mine:
                    trial = plan(number, seed)
                    try:
                        cli = number % cli_every == 0
                        out.append(run_trial(trial, gateway, url, Path(tmp), cli=cli))
                    except (
                        OSError,
                        RuntimeError,
                        httpx.HTTPError,
                        subprocess.SubprocessError,
                    ) as exc:
                        out.append(Result(trial, problems=[f"harness error: {exc!r}"]))
            finally:
                gateway.close()
        return out

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = [r for chunk in pool.map(worker, range(workers)) for r in chunk]
    results.sort(key=lambda r: r.trial.number)
    return Summary(seed=seed, results=results, seconds=time.monotonic() - started)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--cli-every", type=int, default=1, help="restart with `kiosk reconcile` every n trials"
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1_000_000)
    print(f"kill test seed {seed} (rerun with --seed {seed})", flush=True)
    summary = run_trials(args.trials, seed=seed, workers=args.workers, cli_every=args.cli_every)
    print(summary.report())
    return 1 if summary.failures else 0


if __name__ == "__main__":
    sys.exit(main())
