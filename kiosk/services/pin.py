"""The manager PIN: 6 digits, stored only as a salted scrypt hash, with a lockout.

The hash is the secret ``MANAGER_PIN_HASH`` (keyring or environment), in the
self-describing PHC form ``$scrypt$ln=16,r=8,p=1$<salt>$<hash>`` (base64
without padding), so the cost can be raised later and old hashes still verify.
With the default cost one hash takes about 250 ms and 64 MiB on a 2-core
kiosk (measured): it runs in a worker thread, never on the event loop.

Lockout: 5 wrong tries in a row are free; then each wrong try locks entry for
30 s, 60 s, 120 s … up to an hour. The count lives in ``pin_state.json`` in
the data dir and is written *before* the PIN is checked, so neither a restart
nor pulling the plug mid-check gives an extra guess. A right PIN resets it.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import secrets as _random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from kiosk.domain.clock import Clock
from kiosk.domain.errors import InputError, Text

log = logging.getLogger("kiosk.pin")

SECRET_NAME = "MANAGER_PIN_HASH"
PIN_LENGTH = 6
FREE_TRIES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 3600.0


class PinSecrets(Protocol):
    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...


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
    return Text(
        f"Too many wrong PINs. Try again in {whole} seconds.",
        f"ใส่ PIN ผิดหลายครั้งเกินไป กรุณาลองใหม่ในอีก {whole} วินาที",
    )


class ManagerPin:
    """Set and check the manager PIN; the lockout state survives restarts."""

    def __init__(
        self,
        *,
        secrets: PinSecrets,
        state_path: Path,
        clock: Clock,
        cost: ScryptCost = DEFAULT_COST,
    ) -> None:
        self._secrets = secrets
        self._state_path = state_path
        self._clock = clock
        self._cost = cost
        self._lock = asyncio.Lock()

    @classmethod
    def in_data_dir(cls, directory: Path, *, secrets: PinSecrets, clock: Clock) -> ManagerPin:
        return cls(secrets=secrets, state_path=directory / "pin_state.json", clock=clock)

    def is_set(self) -> bool:
        """Whether a PIN hash is stored (KeyringUnavailable if the keyring cannot say)."""
        return bool(self._secrets.get(SECRET_NAME))

    def locked_for(self) -> float:
        """Seconds until a PIN may be entered again (0 = now)."""
        _, until = self._read_state()
        if until is None:
            return 0.0
        return max(0.0, (until - self._clock.now()).total_seconds())

    async def set_pin(self, pin: str) -> None:
        """Hash ``pin`` (6 digits, else InputError) and store it; resets the lockout."""
        problem = check_pin_format(pin)
        if problem is not None:
            raise InputError("bad PIN format", text=problem)
        encoded = await asyncio.to_thread(hash_pin, pin, cost=self._cost)
        await asyncio.to_thread(self._secrets.set, SECRET_NAME, encoded)
        self._write_state(0, None)
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
            failures, _ = self._read_state()
            failures += 1
            # Counted before checking: a restart mid-check must not give a free guess.
            self._write_state(failures, self._lock_until(failures))
            if check_pin_format(pin) is None:
                try:
                    good = await asyncio.to_thread(verify_pin, pin, encoded)
                except ValueError:
                    log.error("the stored manager PIN hash is unreadable; set the PIN again")
                    good = False
            else:
                good = False
            if good:
                self._write_state(0, None)
                return PinCheck(PinStatus.OK, Text("PIN accepted.", "PIN ถูกต้อง"))
            log.warning("wrong manager PIN (%d in a row)", failures)
            lock = lock_seconds(failures)
            if lock > 0:
                return PinCheck(PinStatus.WRONG, _wait_text(lock), retry_after_s=lock)
            left = FREE_TRIES - failures
            return PinCheck(
                PinStatus.WRONG,
                Text(
                    f"Wrong PIN. {left} tries left before a lockout.",
                    f"PIN ไม่ถูกต้อง เหลืออีก {left} ครั้งก่อนถูกล็อก",
                ),
                tries_left=left,
            )

    # --- state file

    def _lock_until(self, failures: int) -> datetime | None:
        seconds = lock_seconds(failures)
        return self._clock.now() + timedelta(seconds=seconds) if seconds else None

    def _read_state(self) -> tuple[int, datetime | None]:
        try:
            data = json.loads(self._state_path.read_text(encoding="utf-8"))
            failures = int(data["failures"])
            until_text = data.get("locked_until")
            until = datetime.fromisoformat(until_text) if until_text else None
            if failures < 0 or (until is not None and until.tzinfo is None):
                raise ValueError("bad values")
        except FileNotFoundError:
            return 0, None
        except (OSError, ValueError, KeyError, TypeError):
            # Damaged or edited: no free tries, but not a lockout either.
            log.warning("PIN lockout state unreadable; counting as %d wrong tries", FREE_TRIES - 1)
            return FREE_TRIES - 1, None
        return failures, until

    def _write_state(self, failures: int, until: datetime | None) -> None:
        self._state_path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"failures": failures, "locked_until": until.isoformat() if until else None}
        tmp = self._state_path.with_name(self._state_path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(payload, fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, self._state_path)
