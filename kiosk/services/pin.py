"""The manager PIN: 6 digits, stored only as a salted scrypt hash, with a lockout.

The hash is the secret ``MANAGER_PIN_HASH`` (keyring or environment), in the
self-describing PHC form ``$scrypt$ln=16,r=8,p=1$<salt>$<hash>`` (base64
without padding), so the cost can be raised later and old hashes still verify.
With the default cost one hash takes about 250 ms and 64 MiB on a 2-core
kiosk (measured): it runs in a worker thread, never on the event loop.

Lockout: 5 wrong tries in a row are free; then each wrong try locks entry for
30 s, 60 s, 120 s … up to an hour. A right PIN resets it.

Where the lockout lives, and how it counts down (issue 13):

- In the journal (``kiosk_meta`` key ``pin.lockout``, a :class:`LockoutStore`),
  as JSON ``{"failures": n, "remaining_s": seconds}``. Not in a side file:
  deleting a file must not give five more tries. A ``pin_state.json`` left
  by an older version is read once, when the journal holds no lockout yet
  (its failures, and what was left of its lock), and then removed; a
  damaged one, or anything that is not a file, counts as 4 wrong tries.
- The *remaining* seconds are stored, not a time of day, and they count down
  only on the monotonic clock while a kiosk runs: remaining = stored
  remaining - (monotonic now - monotonic when this process last read or
  wrote that value). Setting the computer's clock moves nothing; after a
  restart (or a reboot, which resets the monotonic clock) the countdown
  goes on from the last stored value, never from the start of the lock.
- The remaining seconds are written back at every check and every
  ``PERSIST_EVERY_S`` while a lock runs (:meth:`ManagerPin.keep_counting`,
  started beside the window), so a restart gives back at most that much.
- A try is counted *before* the PIN is checked, so neither a restart nor
  pulling the plug mid-check gives an extra guess; if the journal cannot
  record the try, the PIN is not checked at all (StoreError).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import logging
import math
import secrets as _random
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from kiosk.domain.clock import Clock
from kiosk.domain.errors import InputError, KioskError, Text

log = logging.getLogger("kiosk.pin")

SECRET_NAME = "MANAGER_PIN_HASH"
PIN_LENGTH = 6
FREE_TRIES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 3600.0
LOCKOUT_KEY = "pin.lockout"  # the journal's kiosk_meta key
LEGACY_STATE_NAME = "pin_state.json"  # where versions before issue 13 kept it
PERSIST_EVERY_S = 30.0


class PinSecrets(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


class LockoutStore(Protocol):
    """Where the lockout state is kept: the journal, so no side file can reset it."""

    def get(self) -> str | None: ...

    def set(self, value: str) -> None: ...


class MetaJournal(Protocol):
    """The part of ``kiosk.store.journal.Journal`` a lockout needs."""

    def meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str, at: datetime) -> None: ...


class JournalLockout:
    """The lockout in an open journal (the running kiosk's)."""

    def __init__(self, journal: MetaJournal, clock: Clock) -> None:
        self._journal = journal
        self._clock = clock

    def get(self) -> str | None:
        return self._journal.meta(LOCKOUT_KEY)

    def set(self, value: str) -> None:
        self._journal.set_meta(LOCKOUT_KEY, value, self._clock.now())


class JournalFileLockout:
    """The lockout in the journal at ``path``, opened for each read or write.

    For the first-run wizard, which sets the PIN before the kiosk opens its
    journal. StoreError if the journal cannot be opened.
    """

    def __init__(self, path: Path, clock: Clock) -> None:
        self._path = path
        self._clock = clock

    def get(self) -> str | None:
        if not self._path.exists():
            return None
        from kiosk.store.journal import Journal  # sqlite loads only when used

        with Journal.open(self._path) as journal:
            return journal.meta(LOCKOUT_KEY)

    def set(self, value: str) -> None:
        from kiosk.store.journal import Journal

        with Journal.open(self._path) as journal:
            journal.set_meta(LOCKOUT_KEY, value, self._clock.now())


@dataclass(frozen=True)
class ScryptCost:
    """scrypt parameters: N = 2**log_n, block size r, parallelism p."""

    log_n: int = 16
    r: int = 8
    p: int = 1

    @property
    def maxmem(self) -> int:
        return int(2 * 128 * self.r * (1 << self.log_n) + 1024 * 1024)


DEFAULT_COST = ScryptCost()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii").rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def check_pin_format(pin: str) -> Text | None:
    """None if ``pin`` is exactly 6 digits, else what is wrong, in both languages."""
    if len(pin) == PIN_LENGTH and pin.isascii() and pin.isdigit():
        return None
    return Text(
        f"The PIN must be exactly {PIN_LENGTH} digits.",
        f"รหัส PIN ต้องเป็นตัวเลข {PIN_LENGTH} หลักพอดี",
    )


def hash_pin(pin: str, *, cost: ScryptCost = DEFAULT_COST, salt: bytes | None = None) -> str:
    """The PHC string of ``pin`` under scrypt with a fresh 16-byte salt."""
    problem = check_pin_format(pin)
    if problem is not None:
        raise InputError("bad PIN format", text=problem)
    salt = salt if salt is not None else _random.token_bytes(16)
    digest = hashlib.scrypt(
        pin.encode("ascii"),
        salt=salt,
        n=1 << cost.log_n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.maxmem,
        dklen=32,
    )
    return f"$scrypt$ln={cost.log_n},r={cost.r},p={cost.p}${_b64(salt)}${_b64(digest)}"


def parse_hash(encoded: str) -> tuple[ScryptCost, bytes, bytes]:
    """(cost, salt, digest) of a stored hash; ValueError if it is not one of ours."""
    parts = encoded.strip().split("$")
    if len(parts) != 5 or parts[0] != "" or parts[1] != "scrypt":
        raise ValueError("not a $scrypt$ PHC string")
    try:
        params = dict(item.split("=", 1) for item in parts[2].split(","))
        cost = ScryptCost(int(params["ln"]), int(params["r"]), int(params["p"]))
        salt, digest = _unb64(parts[3]), _unb64(parts[4])
    except (KeyError, ValueError, binascii.Error):
        raise ValueError("unreadable scrypt parameters") from None
    if not (10 <= cost.log_n <= 22 and 1 <= cost.r <= 32 and 1 <= cost.p <= 16):
        raise ValueError("scrypt parameters out of range")
    if len(salt) < 8 or len(digest) < 16:
        raise ValueError("salt or hash too short")
    return cost, salt, digest


def verify_pin(pin: str, encoded: str) -> bool:
    """True if ``pin`` matches the stored hash; compared in constant time."""
    cost, salt, digest = parse_hash(encoded)
    candidate = hashlib.scrypt(
        pin.encode("utf-8"),
        salt=salt,
        n=1 << cost.log_n,
        r=cost.r,
        p=cost.p,
        maxmem=cost.maxmem,
        dklen=len(digest),
    )
    return hmac.compare_digest(candidate, digest)


def lock_seconds(failures: int) -> float:
    """How long entry stays locked after ``failures`` wrong tries in a row."""
    if failures < FREE_TRIES:
        return 0.0
    return float(min(FIRST_LOCK_S * (1 << min(failures - FREE_TRIES, 20)), MAX_LOCK_S))


class PinStatus(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    LOCKED = "locked"
    NOT_SET = "not_set"


@dataclass(frozen=True)
class PinCheck:
    """The answer to one PIN entry, with what to tell the manager."""

    status: PinStatus
    text: Text
    tries_left: int = 0  # wrong tries before the lockout starts
    retry_after_s: float = 0.0  # when LOCKED (or locked by this wrong try)

    @property
    def ok(self) -> bool:
        return self.status is PinStatus.OK


def _wait_text(seconds: float) -> Text:
    whole = max(1, round(seconds))
    if whole >= 120:
        minutes = round(whole / 60)
        return Text(
            f"Too many wrong PINs. Try again in {minutes} minutes.",
            f"ใส่ PIN ผิดหลายครั้งเกินไป กรุณาลองใหม่ในอีก {minutes} นาที",
        )
    unit = "second" if whole == 1 else "seconds"
    return Text(
        f"Too many wrong PINs. Try again in {whole} {unit}.",
        f"ใส่ PIN ผิดหลายครั้งเกินไป กรุณาลองใหม่ในอีก {whole} วินาที",
    )


class ManagerPin:
    """Set and check the manager PIN; the lockout survives restarts, reboots and clock changes.

    The rules are in the module docstring.
    """

    def __init__(
        self,
        *,
        secrets: PinSecrets,
        lockout: LockoutStore,
        clock: Clock,
        cost: ScryptCost = DEFAULT_COST,
        legacy_state: Path | None = None,
    ) -> None:
        self._secrets = secrets
        self._store = lockout
        self._clock = clock
        self._cost = cost
        self._legacy = legacy_state
        self._lock = asyncio.Lock()
        # (the stored text, monotonic time it was read or written by this process)
        self._seen: tuple[str, float] | None = None

    def is_set(self) -> bool:
        """Whether a PIN hash is stored (KeyringUnavailable if the keyring cannot say)."""
        return bool(self._secrets.get(SECRET_NAME))

    def locked_for(self) -> float:
        """Seconds until a PIN may be entered again (0 = now); StoreError if unknown."""
        failures, remaining, counted = self._read()
        if counted:
            self._write(failures, remaining)  # the countdown so far, kept
        return remaining

    async def keep_counting(self, every_s: float = PERSIST_EVERY_S) -> None:
        """Write the remaining lock time back while the kiosk runs (a task the app starts).

        Without it a restart would give back the whole lock since the last check.
        """
        while True:
            await self._clock.sleep(every_s)
            async with self._lock:
                try:
                    self.locked_for()
                except KioskError:
                    log.exception("could not keep the PIN lockout countdown; will try again")

    async def set_pin(self, pin: str) -> None:
        """Hash ``pin`` (6 digits, else InputError) and store it; resets the lockout."""
        problem = check_pin_format(pin)
        if problem is not None:
            raise InputError("bad PIN format", text=problem)
        encoded = await asyncio.to_thread(hash_pin, pin, cost=self._cost)
        await asyncio.to_thread(self._secrets.set, SECRET_NAME, encoded)
        self._write(0, 0.0)
        log.info("manager PIN set")

    async def check(self, pin: str) -> PinCheck:
        """Check one entry. Entries are serialised: parallel guesses gain nothing."""
        async with self._lock:
            wait = self.locked_for()
            if wait > 0:
                return PinCheck(PinStatus.LOCKED, _wait_text(wait), retry_after_s=wait)
            encoded = await asyncio.to_thread(self._secrets.get, SECRET_NAME)
            if not encoded:
                return PinCheck(
                    PinStatus.NOT_SET,
                    Text("No manager PIN is set yet.", "ยังไม่ได้ตั้ง PIN ผู้จัดการ"),
                )
            failures = self._read()[0] + 1
            # Counted before checking: a restart mid-check must not give a free guess.
            self._write(failures, lock_seconds(failures))
            if check_pin_format(pin) is None:
                try:
                    good = await asyncio.to_thread(verify_pin, pin, encoded)
                except ValueError:
                    log.error("the stored manager PIN hash is unreadable; set the PIN again")
                    good = False
            else:
                good = False
            if good:
                self._write(0, 0.0)
                return PinCheck(PinStatus.OK, Text("PIN accepted.", "PIN ถูกต้อง"))
            log.warning("wrong manager PIN (%d in a row)", failures)
            lock = lock_seconds(failures)
            if lock > 0:
                return PinCheck(PinStatus.WRONG, _wait_text(lock), retry_after_s=lock)
            left = FREE_TRIES - failures
            return PinCheck(
                PinStatus.WRONG,
                Text(
                    f"Wrong PIN. {left} {'try' if left == 1 else 'tries'} left before a lockout.",
                    f"PIN ไม่ถูกต้อง เหลืออีก {left} ครั้งก่อนถูกล็อก",
                ),
                tries_left=left,
            )

    # --- the stored state

    def _read(self) -> tuple[int, float, bool]:
        """(wrong tries in a row, seconds of lock left now, whether that is less than stored)."""
        stored = self._store.get()
        if stored is None:
            stored = self._migrate()
            if stored is None:
                return 0, 0.0, False
        now = self._clock.monotonic()
        if self._seen is not None and self._seen[0] == stored:
            elapsed = max(0.0, now - self._seen[1])
        else:
            # Written by another process, or before a restart: count from here.
            self._seen, elapsed = (stored, now), 0.0
        failures, remaining = _parse(stored)
        left = max(0.0, remaining - elapsed)
        return failures, left, left < remaining

    def _write(self, failures: int, remaining: float) -> None:
        text = json.dumps({"failures": failures, "remaining_s": round(remaining, 3)})
        self._store.set(text)
        self._seen = (text, self._clock.monotonic())
        if self._legacy is not None:
            # The journal holds the state now; an old side file would only mislead.
            with contextlib.suppress(OSError):  # e.g. a directory there: left, never read
                self._legacy.unlink(missing_ok=True)
            self._legacy = None

    def _migrate(self) -> str | None:
        """An older version's ``pin_state.json``, moved into the journal once."""
        path = self._legacy
        if path is None or not (path.exists() or path.is_symlink()):
            return None
        failures, remaining = _legacy_state(path, self._clock.now())
        self._write(failures, remaining)  # and removes the file
        log.info("PIN lockout moved from %s into the journal", path.name)
        return None if self._seen is None else self._seen[0]


def _parse(stored: str) -> tuple[int, float]:
    try:
        data = json.loads(stored)
        failures = int(data["failures"])
        remaining = float(data["remaining_s"])
        if failures < 0 or not math.isfinite(remaining) or remaining < 0:
            raise ValueError("bad values")
    except (ValueError, KeyError, TypeError):
        # Damaged or edited: no free tries, but not a lockout either.
        log.warning("PIN lockout state unreadable; counting as %d wrong tries", FREE_TRIES - 1)
        return FREE_TRIES - 1, 0.0
    return failures, min(remaining, MAX_LOCK_S)


def _legacy_state(path: Path, now: datetime) -> tuple[int, float]:
    """(failures, remaining lock) from ``pin_state.json``; unreadable: 4 tries, no lock."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        failures = int(data["failures"])
        until_text = data.get("locked_until")
        until = datetime.fromisoformat(until_text) if until_text else None
        if failures < 0 or (until is not None and until.tzinfo is None):
            raise ValueError("bad values")
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        log.warning("old PIN state %s unreadable; counting as %d wrong tries", path, FREE_TRIES - 1)
        return FREE_TRIES - 1, 0.0
    remaining = (until - now).total_seconds() if until is not None else 0.0
    return failures, min(max(0.0, remaining), MAX_LOCK_S)
