"""Manager PIN: scrypt PHC hash in the secret store; a lockout kept in the journal that
survives restarts, reboots, clock changes and deleted files."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.app.compose import build_pin
from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import InputError, StoreError
from kiosk.services.pin import (
    DEFAULT_COST,
    FREE_TRIES,
    LEGACY_STATE_NAME,
    LOCKOUT_KEY,
    SECRET_NAME,
    JournalLockout,
    LockoutStore,
    ManagerPin,
    PinStatus,
    ScryptCost,
    check_pin_format,
    hash_pin,
    lock_seconds,
    parse_hash,
    verify_pin,
)
from kiosk.store.journal import Journal
from tests.fakes import run

CHEAP = ScryptCost(log_n=10, r=8, p=1)  # the production cost is tested once below


class DictSecrets:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value


@pytest.fixture
def secrets() -> DictSecrets:
    return DictSecrets()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


class MemoryLockout:
    """A LockoutStore in memory (what the journal keeps under ``pin.lockout``)."""

    def __init__(self) -> None:
        self.value: str | None = None
        self.writes = 0

    def get(self) -> str | None:
        return self.value

    def set(self, value: str) -> None:
        self.value = value
        self.writes += 1


@pytest.fixture
def store() -> MemoryLockout:
    return MemoryLockout()


def make_pin(secrets: DictSecrets, clock: ManualClock, store: LockoutStore) -> ManagerPin:
    return ManagerPin(secrets=secrets, lockout=store, clock=clock, cost=CHEAP)


def stored(store: MemoryLockout) -> dict[str, float]:
    assert store.value is not None
    value: dict[str, float] = json.loads(store.value)
    return value


def test_the_hash_is_salted_self_describing_and_verifies() -> None:
    one = hash_pin("482913", cost=CHEAP)
    two = hash_pin("482913", cost=CHEAP)
    assert one != two and one.startswith("$scrypt$ln=10,r=8,p=1$")
    cost, salt, digest = parse_hash(one)
    assert cost == CHEAP and len(salt) == 16 and len(digest) == 32
    assert verify_pin("482913", one) and not verify_pin("482914", one)
    assert "482913" not in one


def test_a_known_vector() -> None:
    # hashlib.scrypt(b"123456", salt=b"0123456789abcdef", n=1024, r=8, p=1, dklen=32)
    encoded = hash_pin("123456", cost=CHEAP, salt=b"0123456789abcdef")
    import base64
    import hashlib

    expected = hashlib.scrypt(b"123456", salt=b"0123456789abcdef", n=1024, r=8, p=1, dklen=32)
    assert encoded.split("$")[-1] == base64.b64encode(expected).decode().rstrip("=")


def test_the_production_cost_hashes_and_verifies() -> None:
    assert (DEFAULT_COST.log_n, DEFAULT_COST.r, DEFAULT_COST.p) == (16, 8, 1)
    encoded = hash_pin("000111")
    assert encoded.startswith("$scrypt$ln=16,r=8,p=1$") and verify_pin("000111", encoded)


@pytest.mark.parametrize("bad", ["12345", "1234567", "12a456", "", "１２３４５６", " 123456"])
def test_only_six_ascii_digits(bad: str) -> None:
    assert check_pin_format(bad) is not None
    with pytest.raises(InputError):
        hash_pin(bad, cost=CHEAP)


@pytest.mark.parametrize(
    "encoded",
    ["", "plain", "$pbkdf2$x$y$z", "$scrypt$ln=16,r=8$AAAA$BBBB", "$scrypt$ln=40,r=8,p=1$AA$BB"],
)
def test_foreign_or_damaged_hashes_are_refused(encoded: str) -> None:
    with pytest.raises(ValueError):
        parse_hash(encoded)


def test_lockout_schedule() -> None:
    assert [lock_seconds(n) for n in range(1, 10)] == [0, 0, 0, 0, 30, 60, 120, 240, 480]
    assert lock_seconds(40) == 3600


def test_set_and_check(secrets: DictSecrets, clock: ManualClock, store: MemoryLockout) -> None:
    pin = make_pin(secrets, clock, store)
    assert not pin.is_set()
    assert run(pin.check("123456")).status is PinStatus.NOT_SET
    run(pin.set_pin("246810"))
    assert pin.is_set() and secrets.values[SECRET_NAME].startswith("$scrypt$")
    good = run(pin.check("246810"))
    assert good.ok and good.status is PinStatus.OK
    wrong = run(pin.check("246811"))
    assert wrong.status is PinStatus.WRONG and wrong.tries_left == 4
    assert "4 tries left" in wrong.text.en and "4" in wrong.text.th
    with pytest.raises(InputError):
        run(pin.set_pin("12345"))


def lock_out(pin: ManagerPin) -> None:
    """Five wrong tries: the fifth locks entry for 30 s."""
    results = [run(pin.check("000000")) for _ in range(5)]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].status is PinStatus.WRONG and results[4].retry_after_s == 30


def test_lockout_grows_and_survives_a_restart(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    lock_out(pin)
    assert stored(store) == {"failures": 5, "remaining_s": 30}

    restarted = make_pin(secrets, clock, store)  # a new process, same journal
    locked = run(restarted.check("246810"))  # even the right PIN waits
    assert locked.status is PinStatus.LOCKED and locked.retry_after_s == pytest.approx(30)
    assert "30 seconds" in locked.text.en
    clock.advance(29)
    assert run(restarted.check("246810")).status is PinStatus.LOCKED
    assert stored(store)["remaining_s"] == pytest.approx(1)  # the countdown, kept
    clock.advance(1)
    sixth = run(restarted.check("111111"))
    assert sixth.status is PinStatus.WRONG and sixth.retry_after_s == 60
    clock.advance(60)
    assert run(restarted.check("246810")).ok
    assert stored(store) == {"failures": 0, "remaining_s": 0}


def test_setting_the_clock_does_not_shorten_a_lockout(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    lock_out(pin)
    clock.advance(10)
    clock.set_wall(clock.now() + timedelta(hours=2))  # issue 13: this used to clear it
    assert pin.locked_for() == pytest.approx(20)
    clock.set_wall(clock.now() - timedelta(days=1))
    assert run(pin.check("246810")).status is PinStatus.LOCKED
    clock.advance(20)
    assert run(pin.check("246810")).ok


def test_a_reboot_resumes_the_countdown_where_it_was_kept(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    lock_out(pin)
    for _ in range(4):  # a sixth to eighth wrong try, each waited out: now locked for 8 min
        clock.advance(pin.locked_for())
        run(pin.check("000000"))
    assert pin.locked_for() == 480

    async def run_until_kept(remaining: float) -> None:
        task = asyncio.ensure_future(pin.keep_counting(every_s=30))
        for _ in range(1000):  # each sleep of the task moves the manual clock 30 s
            if stored(store)["remaining_s"] <= remaining:
                break
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    start = clock.monotonic()
    run(run_until_kept(180))  # the kiosk runs on, nobody touches the PIN pad
    assert stored(store)["remaining_s"] == 180
    assert 300 <= clock.monotonic() - start <= 330  # kept every 30 s of running

    # Power off for a night: a new process, a monotonic clock from zero, the wall clock 9 h on.
    after_boot = ManualClock(clock.now() + timedelta(hours=9))
    rebooted = make_pin(secrets, after_boot, store)
    assert rebooted.locked_for() == pytest.approx(180)
    assert run(rebooted.check("246810")).status is PinStatus.LOCKED
    after_boot.advance(180)
    assert run(rebooted.check("246810")).ok


def test_nothing_is_written_while_not_locked(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    writes = store.writes
    for _ in range(3):
        assert pin.locked_for() == 0
        clock.advance(60)
    assert store.writes == writes


def test_a_try_is_counted_before_the_check(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    seen: list[float] = []
    real_get = secrets.get

    def spying_get(name: str) -> str | None:
        seen.append(stored(store)["failures"])
        return real_get(name)

    secrets.get = spying_get  # type: ignore[method-assign]
    run(pin.check("000000"))
    assert stored(store)["failures"] == 1 and seen == [0]


def test_a_try_that_cannot_be_recorded_is_not_checked(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))

    def full_disk(value: str) -> None:
        raise StoreError("database or disk is full")

    store.set = full_disk  # type: ignore[method-assign]
    with pytest.raises(StoreError):
        run(pin.check("246810"))  # not even the right PIN: the try was not counted


def test_parallel_guesses_are_serialised(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))

    async def burst() -> list[PinStatus]:
        results = await asyncio.gather(*(pin.check(f"{n:06d}") for n in range(8)))
        return [r.status for r in results]

    statuses = run(burst())
    assert statuses.count(PinStatus.WRONG) == 5 and statuses.count(PinStatus.LOCKED) == 3


@pytest.mark.parametrize(
    "value",
    [
        "{nonsense",
        '{"failures": -1, "remaining_s": 0}',
        '{"failures": 2, "remaining_s": "NaN"}',
        '{"failures": 2}',
        "[]",
    ],
)
def test_a_damaged_state_gives_no_free_tries(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout, value: str
) -> None:
    pin = make_pin(secrets, clock, store)
    run(pin.set_pin("246810"))
    store.value = value
    assert pin.locked_for() == 0
    assert run(pin.check("000000")).retry_after_s == 30  # the next wrong try locks


def test_an_edited_huge_lock_is_capped_at_an_hour(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    store.value = '{"failures": 9, "remaining_s": 1e12}'
    assert pin.locked_for() == 3600


def test_a_damaged_stored_hash_never_lets_anyone_in(
    secrets: DictSecrets, clock: ManualClock, store: MemoryLockout
) -> None:
    pin = make_pin(secrets, clock, store)
    secrets.values[SECRET_NAME] = "$scrypt$garbage"
    assert run(pin.check("246810")).status is PinStatus.WRONG


# --- in the journal, as the kiosk runs it (issue 13, must show 4)


def journal_pin(
    data: Path, secrets: DictSecrets, clock: ManualClock, journal: Journal
) -> ManagerPin:
    """As ``kiosk.app.compose.build_pin`` makes it for a running kiosk (with a cheap hash)."""
    return ManagerPin(
        secrets=secrets,
        lockout=JournalLockout(journal, clock),
        clock=clock,
        cost=CHEAP,
        legacy_state=data / LEGACY_STATE_NAME,
    )


def test_deleting_the_state_file_or_restarting_leaves_the_lockout(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    with Journal.open(data / "journal.sqlite3") as journal:
        pin = journal_pin(data, secrets, clock, journal)
        run(pin.set_pin("246810"))
        lock_out(pin)
        clock.advance(5)
        assert pin.locked_for() == pytest.approx(25)
    assert sorted(p.name for p in data.iterdir()) == ["journal.sqlite3"]  # no side file
    (data / LEGACY_STATE_NAME).unlink(missing_ok=True)  # what deleting it did before
    (data / LEGACY_STATE_NAME).write_text('{"failures": 0, "locked_until": null}')  # or editing

    rebooted = ManualClock(clock.now() + timedelta(hours=2))
    with Journal.open(data / "journal.sqlite3") as journal:
        pin = journal_pin(data, secrets, rebooted, journal)
        locked = run(pin.check("246810"))
        assert locked.status is PinStatus.LOCKED and locked.retry_after_s == pytest.approx(25)
        sixth = run(pin.check("111111"))
        assert sixth.status is PinStatus.LOCKED  # no try was given back either
        rebooted.advance(25)
        assert run(pin.check("111111")).retry_after_s == 60  # the sixth wrong try in a row


def test_an_old_state_file_is_moved_into_the_journal_once(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    until = clock.now() + timedelta(seconds=50)
    legacy = data / LEGACY_STATE_NAME
    legacy.write_text(json.dumps({"failures": 6, "locked_until": until.isoformat()}))
    with Journal.open(data / "journal.sqlite3") as journal:
        pin = journal_pin(data, secrets, clock, journal)
        run(pin.set_pin("246810"))  # a new PIN resets the lockout, old file or not
        assert not legacy.exists()
        legacy.write_text(json.dumps({"failures": 6, "locked_until": until.isoformat()}))
        assert pin.locked_for() == 0  # the journal has the state: the file means nothing now

    upgraded = tmp_path / "upgraded"
    upgraded.mkdir()
    legacy = upgraded / LEGACY_STATE_NAME
    legacy.write_text(json.dumps({"failures": 6, "locked_until": until.isoformat()}))
    with Journal.open(upgraded / "journal.sqlite3") as journal:
        pin = journal_pin(upgraded, secrets, clock, journal)
        assert pin.locked_for() == pytest.approx(50)  # an upgrade keeps a running lock
        assert json.loads(journal.meta(LOCKOUT_KEY) or "") == {"failures": 6, "remaining_s": 50}
        assert not legacy.exists()


@pytest.mark.parametrize("kind", ["directory", "damaged", "naive time"])
def test_an_unusable_old_state_file_does_not_raise_and_gives_no_free_tries(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path, kind: str
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    legacy = data / LEGACY_STATE_NAME
    if kind == "directory":
        legacy.mkdir()
    elif kind == "damaged":
        legacy.write_text("{nonsense")
    else:
        legacy.write_text('{"failures": 1, "locked_until": "2026-11-24T03:00:00"}')
    secrets.values[SECRET_NAME] = hash_pin("246810", cost=CHEAP)
    with Journal.open(data / "journal.sqlite3") as journal:
        pin = journal_pin(data, secrets, clock, journal)
        assert pin.locked_for() == 0
        assert run(pin.check("000000")).retry_after_s == 30
        assert json.loads(journal.meta(LOCKOUT_KEY) or "")["failures"] == FREE_TRIES
    assert legacy.is_dir() == (kind == "directory")


def test_the_first_run_wizard_sets_the_pin_before_the_journal_is_open(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / LEGACY_STATE_NAME).write_text('{"failures": 7, "locked_until": null}')
    wizard = build_pin(data, secrets=secrets, clock=clock)  # no journal given
    assert not (data / "journal.sqlite3").exists()
    run(wizard.set_pin("246810"))  # the production cost, once
    with Journal.open(data / "journal.sqlite3") as journal:
        assert json.loads(journal.meta(LOCKOUT_KEY) or "") == {"failures": 0, "remaining_s": 0}
        assert journal_pin(data, secrets, clock, journal).locked_for() == 0
    assert not (data / LEGACY_STATE_NAME).exists()
    assert wizard.locked_for() == 0  # read through the journal file, opened again
