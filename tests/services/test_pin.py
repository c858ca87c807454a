"""Manager PIN: scrypt PHC hash in the secret store, lockout that survives restarts."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import InputError
from kiosk.services.pin import (
    DEFAULT_COST,
    SECRET_NAME,
    ManagerPin,
    PinStatus,
    ScryptCost,
    check_pin_format,
    hash_pin,
    lock_seconds,
    parse_hash,
    verify_pin,
)
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


def make_pin(secrets: DictSecrets, clock: ManualClock, tmp_path: Path) -> ManagerPin:
    return ManagerPin(
        secrets=secrets, state_path=tmp_path / "data" / "pin_state.json", clock=clock, cost=CHEAP
    )


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


def test_set_and_check(secrets: DictSecrets, clock: ManualClock, tmp_path: Path) -> None:
    pin = make_pin(secrets, clock, tmp_path)
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


def test_lockout_grows_and_survives_a_restart(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    pin = make_pin(secrets, clock, tmp_path)
    run(pin.set_pin("246810"))
    results = [run(pin.check("000000")) for _ in range(5)]
    assert [r.tries_left for r in results[:4]] == [4, 3, 2, 1]
    assert results[4].status is PinStatus.WRONG and results[4].retry_after_s == 30

    restarted = make_pin(secrets, clock, tmp_path)  # a new process, same data dir
    locked = run(restarted.check("246810"))  # even the right PIN waits
    assert locked.status is PinStatus.LOCKED and locked.retry_after_s == pytest.approx(30)
    assert "30 seconds" in locked.text.en
    clock.advance(29)
    assert run(restarted.check("246810")).status is PinStatus.LOCKED
    clock.advance(1)
    sixth = run(restarted.check("111111"))
    assert sixth.status is PinStatus.WRONG and sixth.retry_after_s == 60
    clock.advance(60)
    assert run(restarted.check("246810")).ok
    assert json.loads((tmp_path / "data" / "pin_state.json").read_text()) == {
        "failures": 0,
        "locked_until": None,
    }


def test_a_try_is_counted_before_the_check(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    pin = make_pin(secrets, clock, tmp_path)
    run(pin.set_pin("246810"))
    seen: list[int] = []
    real_get = secrets.get

    def spying_get(name: str) -> str | None:
        path = tmp_path / "data" / "pin_state.json"
        seen.append(json.loads(path.read_text())["failures"])
        return real_get(name)

    secrets.get = spying_get  # type: ignore[method-assign]
    run(pin.check("000000"))
    state = json.loads((tmp_path / "data" / "pin_state.json").read_text())
    assert state["failures"] == 1 and seen == [0]


def test_parallel_guesses_are_serialised(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    pin = make_pin(secrets, clock, tmp_path)
    run(pin.set_pin("246810"))

    async def burst() -> list[PinStatus]:
        results = await asyncio.gather(*(pin.check(f"{n:06d}") for n in range(8)))
        return [r.status for r in results]

    statuses = run(burst())
    assert statuses.count(PinStatus.WRONG) == 5 and statuses.count(PinStatus.LOCKED) == 3


def test_a_damaged_state_file_gives_no_free_tries(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    pin = make_pin(secrets, clock, tmp_path)
    run(pin.set_pin("246810"))
    (tmp_path / "data" / "pin_state.json").write_text("{nonsense")
    assert pin.locked_for() == 0
    assert run(pin.check("000000")).retry_after_s == 30  # the next wrong try locks


def test_a_damaged_stored_hash_never_lets_anyone_in(
    secrets: DictSecrets, clock: ManualClock, tmp_path: Path
) -> None:
    pin = make_pin(secrets, clock, tmp_path)
    secrets.values[SECRET_NAME] = "$scrypt$garbage"
    assert run(pin.check("246810")).status is PinStatus.WRONG
