"""Secrets: the OS keyring, or ``KIOSK_SECRET_<NAME>`` on unattended machines.

Never the config file, the journal, receipts or logs: every value read or
written is registered with the log scrubber (kiosk.infra.logs.register_secret),
and settings that hold a secret's value are refused before a kiosk runs with
them (``refuse_secret_settings``).

On a machine without a keyring service (a headless Linux box has only
keyring's ``fail`` backend) reads that have no environment override and every
write raise :class:`KeyringUnavailable` with what to do. There is deliberately
no fallback to a file: a plain-text keyring backend is refused too.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from kiosk.domain.errors import ConfigError, InputError, KeyringUnavailable, Text
from kiosk.infra.config import Settings, text_values
from kiosk.infra.logs import register_secret

log = logging.getLogger("kiosk.infra.secrets")

SERVICE = "qr-kiosk"
ENV_PREFIX = "KIOSK_SECRET_"
NAMES = (
    "COGNITO_PASSWORD",
    "COGNITO_CLIENT_SECRET",
    "COGNITO_REFRESH_TOKEN",
    "KBANK_SECRET_KEY",
    "KBANK_CLIENT_SECRET",
    "MANAGER_PIN_HASH",
    "STORE_DB_PASSWORD",
)
Source = Literal["env", "keyring"]

# Backends that would keep secrets in a readable file: refused, never used.
_PLAINTEXT_BACKENDS = ("PlaintextKeyring",)


def _no_keyring_text(backend: str) -> Text:
    if sys.platform.startswith("linux"):
        en = (
            f"No keyring service is running on this machine (keyring backend: {backend}), "
            "so the kiosk has nowhere safe to keep its passwords. On a desktop: install and "
            "unlock a Secret Service (e.g. `apt install gnome-keyring`, then log in to the "
            "desktop session, or run `gnome-keyring-daemon --unlock`). On an unattended "
            "machine: give each secret as an environment variable KIOSK_SECRET_<NAME> "
            "(e.g. KIOSK_SECRET_COGNITO_PASSWORD) in the service's environment. "
            "The kiosk never writes secrets to a plain file."
        )
        th = (
            f"เครื่องนี้ไม่มีบริการพวงกุญแจ (keyring backend: {backend}) จึงไม่มีที่ปลอดภัยสำหรับเก็บรหัสผ่าน "
            "บนเครื่องที่มีเดสก์ท็อป: ติดตั้งและปลดล็อก Secret Service (เช่น `apt install gnome-keyring` "
            "แล้วเข้าสู่ระบบเดสก์ท็อป หรือรัน `gnome-keyring-daemon --unlock`) "
            "บนเครื่องที่ทำงานอัตโนมัติ: กำหนดรหัสลับแต่ละตัวเป็นตัวแปรสภาพแวดล้อม KIOSK_SECRET_<NAME> "
            "(เช่น KIOSK_SECRET_COGNITO_PASSWORD) เครื่องจะไม่เขียนรหัสลับลงไฟล์ธรรมดา"
        )
        return Text(en, th)
    return Text(
        f"No keyring is available on this machine (keyring backend: {backend}). "
        "Set the secrets as environment variables KIOSK_SECRET_<NAME> instead.",
        f"เครื่องนี้ไม่มีพวงกุญแจ (keyring backend: {backend}) "
        "กรุณากำหนดรหัสลับเป็นตัวแปรสภาพแวดล้อม KIOSK_SECRET_<NAME> แทน",
    )


def _locked_text(backend: str, why: str) -> Text:
    return Text(
        f"The system keyring ({backend}) refused access: {why}. Unlock it (log in to the "
        "desktop session, or unlock the login keyring) and try again, or use "
        "KIOSK_SECRET_<NAME> environment variables on an unattended machine.",
        f"พวงกุญแจของระบบ ({backend}) ปฏิเสธการเข้าถึง: {why} กรุณาปลดล็อก (เข้าสู่ระบบเดสก์ท็อป "
        "หรือปลดล็อกพวงกุญแจ) แล้วลองใหม่ หรือใช้ตัวแปรสภาพแวดล้อม KIOSK_SECRET_<NAME>",
    )


def check_name(name: str) -> str:
    """The canonical secret name, or InputError listing the known ones."""
    canonical = name.strip().upper()
    if canonical not in NAMES:
        known = ", ".join(NAMES)
        raise InputError(
            f"unknown secret name {name!r}",
            text=Text(
                f"Unknown secret name '{name}'. Known names: {known}.",
                f"ไม่รู้จักชื่อรหัสลับ '{name}' ชื่อที่ใช้ได้: {known}",
            ),
        )
    return canonical


@dataclass(frozen=True)
class KeyringStatus:
    """Whether the OS keyring can be used, and which backend it is."""

    ok: bool
    backend: str
    text: Text | None = None  # what is wrong and what to do, when not ok


def _backend_name(backend: Any) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


def _is_plaintext(backend: Any) -> bool:
    inner = getattr(backend, "backends", None)  # keyring's ChainerBackend
    if isinstance(inner, (list, tuple)) and inner:
        return any(_is_plaintext(b) for b in inner)
    name = _backend_name(backend)
    return name.startswith("keyrings.alt") and any(p in name for p in _PLAINTEXT_BACKENDS)


def _keyring() -> Any:
    """The keyring package, loaded on first use: it scans its backends, which
    costs tens of milliseconds the window should not wait for."""
    import keyring

    return keyring


def _errors() -> Any:
    import keyring.errors

    return keyring.errors


class Secrets:
    """The secret store: ``KIOSK_SECRET_<NAME>`` over the OS keyring.

    ``environ`` is read at every call (tests and the CLI pass their own).
    """

    def __init__(self, *, environ: Mapping[str, str] | None = None, service: str = SERVICE):
        self._environ = environ if environ is not None else os.environ
        self._service = service

    def __repr__(self) -> str:
        return f"Secrets(service={self._service!r})"

    # --- reading

    def source(self, name: str) -> Source | None:
        """Where ``name`` comes from now: ``env``, ``keyring`` or None (not set)."""
        name = check_name(name)
        if self._environ.get(ENV_PREFIX + name):
            return "env"
        return "keyring" if self._keyring_get(name) is not None else None

    def overridden(self, name: str) -> bool:
        return bool(self._environ.get(ENV_PREFIX + check_name(name)))

    def get(self, name: str) -> str | None:
        """The secret, or None when not set; KeyringUnavailable if it cannot be looked up."""
        name = check_name(name)
        value = self._environ.get(ENV_PREFIX + name) or None
        if value is None:
            value = self._keyring_get(name)
        register_secret(value)
        return value

    def known(self, *, keyring: bool = True) -> dict[str, str]:
        """Every secret that is set: the environment overrides, and the keyring's
        unless ``keyring`` is False or it cannot be reached (then quietly none)."""
        found: dict[str, str] = {}
        for name in NAMES:
            value = self._environ.get(ENV_PREFIX + name)
            if value:
                register_secret(value)
                found[name] = value
        if keyring:
            try:
                for name in NAMES:
                    if name not in found:
                        value = self._keyring_get(name)
                        if value:
                            register_secret(value)
                            found[name] = value
            except KeyringUnavailable as exc:
                log.info("settings check without the keyring: %s", exc.detail)
        return found

    def lookup(self, name: str) -> str | None:
        """Like :meth:`get`, but an unreachable keyring counts as "not set" (logged)."""
        try:
            return self.get(name)
        except KeyringUnavailable as exc:
            log.warning("secret %s: keyring unavailable (%s)", name, exc.detail)
            return None

    # --- writing

    def set(self, name: str, value: str) -> None:
        """Store ``value`` in the keyring (an environment override still wins on reads)."""
        name = check_name(name)
        if not value:
            raise InputError(
                "empty secret",
                text=Text("The secret must not be empty.", "รหัสลับต้องไม่ว่างเปล่า"),
            )
        register_secret(value)
        backend = self._backend()
        try:
            backend.set_password(self._service, name, value)
        except Exception as exc:  # D-Bus layers throw their own errors, not keyring's
            raise self._unavailable(backend, exc) from None
        log.info("secret %s stored in the keyring", name)

    def delete(self, name: str) -> bool:
        """Remove ``name`` from the keyring; False if it was not there."""
        name = check_name(name)
        backend = self._backend()
        try:
            backend.delete_password(self._service, name)
        except _errors().PasswordDeleteError:
            return False
        except Exception as exc:  # D-Bus layers throw their own errors, not keyring's
            raise self._unavailable(backend, exc) from None
        log.info("secret %s deleted from the keyring", name)
        return True

    # --- the keyring itself

    def status(self) -> KeyringStatus:
        """Probe the keyring with a harmless read."""
        try:
            backend = self._backend()
            backend.get_password(self._service, "_probe")
        except KeyringUnavailable as exc:
            return KeyringStatus(False, str(exc.detail), exc.text)
        except Exception as exc:  # D-Bus layers throw their own errors, not keyring's
            error = self._unavailable(backend, exc)
            return KeyringStatus(False, _backend_name(backend), error.text)
        return KeyringStatus(True, _backend_name(backend))

    def _backend(self) -> Any:
        try:
            backend = _keyring().get_keyring()
        except Exception as exc:  # e.g. PYTHON_KEYRING_BACKEND naming no backend
            why = type(exc).__name__
            name = "PYTHON_KEYRING_BACKEND" if "PYTHON_KEYRING_BACKEND" in os.environ else "keyring"
            raise KeyringUnavailable(f"{name}: {why}", text=_locked_text(name, why)) from None
        if _is_plaintext(backend):
            name = _backend_name(backend)
            raise KeyringUnavailable(
                name,
                text=Text(
                    f"The keyring backend {name} keeps secrets in a readable file; the kiosk "
                    "refuses it. Use a Secret Service (e.g. gnome-keyring) or "
                    "KIOSK_SECRET_<NAME> environment variables.",
                    f"พวงกุญแจ {name} เก็บรหัสลับในไฟล์ที่อ่านได้ เครื่องจึงไม่ใช้ "
                    "กรุณาใช้ Secret Service (เช่น gnome-keyring) หรือตัวแปร KIOSK_SECRET_<NAME>",
                ),
            )
        return backend

    def _keyring_get(self, name: str) -> str | None:
        backend = self._backend()
        try:
            value = backend.get_password(self._service, name)
        except Exception as exc:  # D-Bus layers throw their own errors, not keyring's
            raise self._unavailable(backend, exc) from None
        return value if isinstance(value, str) and value else None

    @staticmethod
    def _unavailable(backend: Any, exc: Exception) -> KeyringUnavailable:
        name = _backend_name(backend)
        if isinstance(exc, _errors().NoKeyringError):
            return KeyringUnavailable(name, text=_no_keyring_text(name))
        why = type(exc).__name__
        return KeyringUnavailable(f"{name}: {why}", text=_locked_text(name, why))


def refuse_secret_settings(settings: Settings, secrets: Secrets | None = None) -> None:
    """ConfigError when a setting holds the value of a stored secret.

    A setting goes to the journal, the receipts, the screen and the gateway: a
    password typed into ``[store] name`` would leak to all of them. Called by
    the composition root before anything is opened, journaled or sent. The
    secrets compared are the KIOSK_SECRET_* overrides and, for a villa kiosk
    (which opens the keyring to sign in anyway), the keyring's; a setting that
    contains one (of 4 characters or more, as the log scrubber) is refused. The
    message names the key and the secret's name, never the value.
    """
    secrets = secrets or Secrets()
    known = secrets.known(keyring=settings.gateway.kind == "villa")
    for key, value in text_values(settings):
        name = next((n for n, found in known.items() if len(found) >= 4 and found in value), None)
        if name is None:
            continue
        which = f" ({name})"
        where = settings.source or "the settings file"
        raise ConfigError(
            f"setting {key} holds the value of a stored secret{which}",
            text=Text(
                f"The setting '{key}' holds the value of a stored secret{which}. Secrets go "
                f"only in the keyring or KIOSK_SECRET_<NAME>, never in the settings: change "
                f"'{key}' in {where}.",
                f"การตั้งค่า '{key}' มีค่าของรหัสลับที่เก็บไว้{which} รหัสลับต้องอยู่ในพวงกุญแจหรือ "
                f"KIOSK_SECRET_<NAME> เท่านั้น ห้ามอยู่ในการตั้งค่า กรุณาแก้ '{key}' ใน {where}",
            ),
        )


def get_secret(name: str) -> str | None:
    """The secret from the environment override, else the keyring, else None."""
    return Secrets().lookup(name)
