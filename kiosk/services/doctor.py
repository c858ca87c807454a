"""``kiosk doctor``: a checklist an installer can read, each line ok or FAIL with the fix.

Checks, in order: the settings file, the keyring, the secrets the gateway
needs, the API server (DNS, TCP, TLS), the Cognito sign-in, one harmless API
call, the journal (writable, ``PRAGMA integrity_check``), the store database
when ``[store_db]`` is set (reachable, TLS, schema version, the role's rights:
INSERT and SELECT only), and the receipt printer when one is configured. On
the embedded sandbox the server lines check a sandbox started for the
occasion on 127.0.0.1 and sign-in is not needed.

Nothing is changed: the journal is checked read-only, the sign-in does not
touch the saved session, the printer is only connected to, never sent a byte.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sqlite3
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from kiosk.domain.clock import Clock
from kiosk.domain.errors import (
    ConfigError,
    KeyringUnavailable,
    KioskError,
    StoreDbSchemaTooOld,
    Text,
)
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, config_path, load_settings
from kiosk.infra.secrets import Secrets
from kiosk.services.connection import connection_steps

Status = Literal["ok", "warn", "FAIL", "skip"]
PIN_SECRET = "MANAGER_PIN_HASH"


@dataclass(frozen=True)
class Line:
    status: Status
    name: str
    detail: Text
    fix: Text | None = None  # what to do, for a FAIL


def _t(en: str, th: str = "") -> Text:
    return Text(en, th or en)


def exit_code(lines: Sequence[Line]) -> ExitCode:
    """0 only if nothing failed; 2 (set-up needs fixing) otherwise."""
    return ExitCode.OK if all(line.status != "FAIL" for line in lines) else ExitCode.USAGE


def render(lines: Sequence[Line], language: str = "en") -> str:
    out = []
    for line in lines:
        out.append(f"{line.status:<5} {line.name}: {line.detail.get(language)}")
        if line.status == "FAIL" and line.fix is not None:
            out.append(f"      fix: {line.fix.get(language)}")
    return "\n".join(out)


# --- the checks


def check_config(explicit: str | None) -> tuple[Line, Settings | None]:
    path = config_path(explicit)
    try:
        settings = load_settings(explicit)
    except ConfigError as exc:
        return (
            Line(
                "FAIL",
                "config valid",
                exc.text,
                _t(
                    f"Edit {path} (every key is described in kiosk/infra/config.py), or move it "
                    "away and run the kiosk to set it up again.",
                    f"แก้ไข {path} (คำอธิบายทุกค่าอยู่ใน kiosk/infra/config.py) หรือย้ายไฟล์ออก "
                    "แล้วเปิดเครื่องเพื่อตั้งค่าใหม่",
                ),
            ),
            None,
        )
    where = settings.source if settings.source != "defaults" else f"no file at {path}: defaults"
    mode = "embedded sandbox" if settings.uses_embedded_sandbox else settings.gateway.kind
    return Line("ok", "config valid", _t(f"{where} (gateway: {mode})")), settings


def _needed(settings: Settings | None) -> tuple[list[str], list[str]]:
    """(required, optional) secret names for these settings."""
    if settings is not None and settings.gateway.kind == "villa":
        return ["COGNITO_PASSWORD", PIN_SECRET], ["COGNITO_CLIENT_SECRET", "COGNITO_REFRESH_TOKEN"]
    return [PIN_SECRET], []


def check_keyring(secrets: Secrets, settings: Settings | None) -> Line:
    status = secrets.status()
    if status.ok:
        return Line("ok", "keyring reachable", _t(status.backend))
    required, _ = _needed(settings)
    if all(secrets.overridden(name) for name in required):
        return Line(
            "ok",
            "keyring reachable",
            _t(
                f"no ({status.backend}), but not needed: every required secret comes from a "
                "KIOSK_SECRET_* variable; the Cognito session is kept in memory only"
            ),
        )
    text = status.text or _t("The keyring cannot be reached.")
    return Line("FAIL", "keyring reachable", _t(f"no ({status.backend})"), text)


def check_secrets(secrets: Secrets, settings: Settings | None) -> Line:
    required, optional = _needed(settings)
    found: list[str] = []
    missing: list[str] = []
    unknown: list[str] = []
    for name in [*required, *optional]:
        try:
            source = secrets.source(name)
        except KeyringUnavailable:
            source = None
            if name in required:
                unknown.append(name)
                continue
        if source is not None:
            found.append(f"{name} ({source})")
        elif name in required:
            missing.append(name)
        else:
            found.append(f"{name} (not set, optional)")
    detail = ", ".join(found) if found else "none set"
    if not missing and not unknown:
        return Line("ok", "secrets present", _t(detail))
    fixes = []
    for name in missing + unknown:
        how = (
            "kiosk secrets set MANAGER_PIN_HASH (asks for a 6-digit PIN)"
            if name == PIN_SECRET
            else f"kiosk secrets set {name}"
        )
        fixes.append(f"{how}, or KIOSK_SECRET_{name} on an unattended machine")
    problem = []
    if missing:
        problem.append("missing: " + ", ".join(missing))
    if unknown:
        problem.append("cannot be read (keyring unreachable): " + ", ".join(unknown))
    return Line("FAIL", "secrets present", _t("; ".join(problem)), _t("; ".join(fixes)))


_STEP_NAMES = {
    "reach": "DNS/TLS to the base URL",
    "sign_in": "Cognito sign-in",
    "api": "one API call",
}


async def check_connection(settings: Settings, secrets: Secrets, clock: Clock | None) -> list[Line]:
    steps = await connection_steps(settings, secrets=secrets, clock=clock)
    lines = []
    for step in steps:
        name = _STEP_NAMES.get(step.key, step.key)
        if step.key == "reach" and settings.uses_embedded_sandbox:
            name = "embedded sandbox server"
        if step.skipped:
            lines.append(Line("skip", name, step.text))
        elif step.ok:
            lines.append(Line("ok", name, step.text))
        else:
            lines.append(Line("FAIL", name, _t(step.detail or "failed"), step.text))
    return lines


def _dir_writable(directory: Path) -> str | None:
    """None if the kiosk could write in ``directory``; nothing is left behind or created."""
    if not directory.exists():
        parent = next((p for p in directory.parents if p.exists()), None)
        if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
            return f"does not exist and cannot be created in {parent}"
        return None
    try:
        with tempfile.NamedTemporaryFile(dir=directory, prefix=".doctor-", delete=True):
            pass
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return None


def check_journal(directory: Path) -> Line:
    path = directory / "journal.sqlite3"
    fix_dir = _t(
        f"Make {directory} writable for the kiosk's user, or point KIOSK_DATA_DIR elsewhere.",
        f"ให้ผู้ใช้ของเครื่องเขียน {directory} ได้ หรือตั้ง KIOSK_DATA_DIR ไปที่อื่น",
    )
    problem = _dir_writable(directory)
    if problem is not None:
        return Line("FAIL", "journal writable and healthy", _t(f"{directory}: {problem}"), fix_dir)
    if not path.exists():
        state = "is writable" if directory.exists() else "can be created"
        return Line(
            "ok",
            "journal writable and healthy",
            _t(f"no journal yet; {directory} {state} (the journal starts with the first sale)"),
        )
    if not os.access(path, os.R_OK | os.W_OK):
        return Line("FAIL", "journal writable and healthy", _t(f"{path} is read-only"), fix_dir)
    try:
        uri = path.resolve().as_uri() + "?mode=ro"
        with contextlib.closing(sqlite3.connect(uri, uri=True, timeout=5.0)) as db:
            rows = [str(row[0]) for row in db.execute("PRAGMA integrity_check").fetchall()]
            count = db.execute("SELECT count(*) FROM orders").fetchone()[0]
    except sqlite3.Error as exc:
        rows, count = [f"{type(exc).__name__}: {exc}"], None
    if rows != ["ok"]:
        return Line(
            "FAIL",
            "journal writable and healthy",
            _t(f"{path}: " + "; ".join(rows[:3])),
            _t(
                "Stop the kiosk and start it again: it keeps the damaged journal aside as "
                "journal.sqlite3.damaged-<time> and starts a new one. Send that copy to support.",
                "ปิดแล้วเปิดเครื่องใหม่: เครื่องจะเก็บสมุดบันทึกที่เสียหายไว้เป็น "
                "journal.sqlite3.damaged-<เวลา> และเริ่มสมุดใหม่ ส่งไฟล์นั้นให้ฝ่ายสนับสนุน",
            ),
        )
    return Line(
        "ok",
        "journal writable and healthy",
        _t(f"{path}: integrity_check ok, {count} orders"),
    )


async def check_printer(settings: Settings, directory: Path) -> Line | None:
    """None when no printer is configured (no line at all)."""
    printer: Any = getattr(settings, "printer", None)
    kind = getattr(printer, "kind", "none") if printer is not None else "none"
    name = "printer reachable"
    if kind == "none":
        return None
    if kind == "network":
        where = f"{printer.host}:{printer.port}"
        try:
            _, writer = await asyncio.wait_for(
                asyncio.open_connection(printer.host, printer.port), timeout=3.0
            )
        except (OSError, TimeoutError) as exc:
            return Line(
                "FAIL",
                name,
                _t(f"{where}: {type(exc).__name__}: {exc}"),
                _t(
                    f"Check that the printer is on, cabled and has the address {where} "
                    "(print its self-test page), and printer.host / printer.port.",
                    f"ตรวจสอบว่าเครื่องพิมพ์เปิดอยู่ ต่อสายแล้ว และมีที่อยู่ {where} "
                    "(พิมพ์หน้าทดสอบตัวเอง) และ printer.host / printer.port",
                ),
            )
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()
        return Line("ok", name, _t(f"{where} accepts connections (nothing was printed)"))
    if kind in ("file", "serial"):
        return _check_device(Path(printer.device))
    if kind == "usb":
        return _check_usb(printer.device)
    if kind == "pdf":
        folder = Path(printer.device) if printer.device else directory / "receipts" / "pdf"
        problem = _dir_writable(folder)
        if problem is None:
            return Line("ok", name, _t(f"PDF receipts go to {folder} (writable)"))
        return Line(
            "FAIL",
            name,
            _t(f"{folder}: {problem}"),
            _t("Make the folder writable or set printer.device to another folder."),
        )
    return Line("skip", name, _t(f"printer.kind {kind}: no check for this kind"))


def _check_device(device: Path) -> Line:
    name = "printer reachable"
    if device.exists() and os.access(device, os.W_OK):
        return Line("ok", name, _t(f"{device} is there and writable"))
    why = "does not exist" if not device.exists() else "is not writable for this user"
    return Line(
        "FAIL",
        name,
        _t(f"{device} {why}"),
        _t(
            "Plug the printer in and check printer.device; on Linux add the kiosk's user "
            "to the 'lp' (USB) or 'dialout' (serial) group.",
            "เสียบเครื่องพิมพ์และตรวจสอบ printer.device บน Linux ให้เพิ่มผู้ใช้ของเครื่องเข้ากลุ่ม "
            "'lp' (USB) หรือ 'dialout' (serial)",
        ),
    )


def _check_usb(device: str) -> Line:
    vendor, _, product = device.lower().partition(":")
    root = Path("/sys/bus/usb/devices")
    if not root.is_dir():
        return Line("skip", "printer reachable", _t("USB devices cannot be listed on this system"))
    for entry in root.iterdir():
        try:
            found = (entry / "idVendor").read_text().strip(), (entry / "idProduct").read_text()
        except OSError:
            continue
        if found[0] == vendor and found[1].strip() == product:
            return Line("ok", "printer reachable", _t(f"USB device {device} is plugged in"))
    return Line(
        "FAIL",
        "printer reachable",
        _t(f"no USB device {device} is plugged in"),
        _t(
            "Plug the printer in and switch it on; check printer.device against `lsusb`.",
            "เสียบและเปิดเครื่องพิมพ์ ตรวจสอบ printer.device กับผลของ `lsusb`",
        ),
    )


def check_store_db(settings: Settings, secrets: Secrets) -> list[Line]:
    """The store database ([store_db]): reachable, TLS, schema version, the role's rights."""
    from urllib.parse import urlsplit

    from kiosk.infra.config import is_loopback, store_db_sslmode
    from kiosk.store.storedb.client import StoreDb

    db = settings.store_db
    name = "store database"
    if not db.url:
        return []
    if settings.gateway.kind == "sandbox":
        return [Line("skip", name, _t("the sandbox's sales are never sent to the store database"))]
    where = urlsplit(db.url)
    mode = store_db_sslmode(db)
    fix = _t(
        "check that the server runs and the URL; set the kiosk role's password with"
        " `kiosk secrets set STORE_DB_PASSWORD` (docs/store-setup.md)",
        "ตรวจสอบว่าเซิร์ฟเวอร์ทำงานและ URL ถูกต้อง ตั้งรหัสผ่านด้วย"
        " `kiosk secrets set STORE_DB_PASSWORD` (docs/store-setup.md)",
    )
    try:
        password = secrets.get("STORE_DB_PASSWORD")
        connection = StoreDb.connect(
            db.url, password=password, sslmode=mode, sslrootcert=db.sslrootcert
        )
    except KioskError as exc:
        return [Line("FAIL", name, _t(exc.detail or exc.user_message("en")), fix)]
    with connection:
        lines = [Line("ok", name, _t(f"reachable at {where.hostname}:{where.port or 5432}"))]
        lines.append(_tls_line(connection.tls(), mode, is_loopback(where.hostname)))
        try:
            version = connection.check_schema()
            lines.append(Line("ok", "store database schema", _t(f"version {version}")))
        except StoreDbSchemaTooOld as exc:
            lines.append(Line("FAIL", "store database schema", _t(exc.detail), exc.text))
        except KioskError as exc:
            lines.append(Line("FAIL", "store database schema", _t(exc.detail), fix))
            return lines
        lines.append(_privileges_line(connection.privileges()))
    return lines


def _tls_line(encrypted: bool, mode: str, loopback: bool) -> Line:
    name = "store database TLS"
    if encrypted and mode in ("verify-full", "verify-ca"):
        return Line("ok", name, _t(f"encrypted, server certificate verified ({mode})"))
    if encrypted:
        return Line(
            "warn",
            name,
            _t(
                f"encrypted, but {mode} does not authenticate the server: set"
                " store_db.sslrootcert to the CA that signed its certificate (verify-full)",
                f"เข้ารหัสแล้ว แต่ {mode} ไม่ได้ยืนยันตัวตนเซิร์ฟเวอร์ กรุณาตั้ง store_db.sslrootcert",
            ),
        )
    if loopback:
        return Line("ok", name, _t("not encrypted: the database is on this machine"))
    return Line(
        "FAIL",
        name,
        _t("not encrypted over the network"),
        _t("turn TLS on at the server (ssl = on) and set store_db.sslrootcert"),
    )


def _privileges_line(rights: dict[str, bool]) -> Line:
    name = "store database role"
    extra = [r for r in ("update", "delete", "truncate") if rights[r]]
    if rights["owns"]:
        extra.append("owns tables")
    if rights["insert"] and rights["select"] and not extra:
        return Line("ok", name, _t("may add and read events only"))
    missing = [r for r in ("insert", "select") if not rights[r]]
    return Line(
        "FAIL",
        name,
        _t(
            "the counters' role "
            + (f"may not {', '.join(missing)}" if missing else f"may {', '.join(extra)}")
        ),
        _t(
            "connect the counters as the kiosk role (not the owner) and run"
            " `kiosk store init --kiosk-role ROLE` (docs/store-setup.md)"
        ),
    )


async def run_doctor(
    *,
    config: str | None = None,
    secrets: Secrets | None = None,
    directory: Path,
    clock: Clock | None = None,
) -> list[Line]:
    """Every check, in order; lines that cannot run after an earlier failure say skip."""
    secrets = secrets or Secrets()
    config_line, settings = check_config(config)
    lines = [config_line, check_keyring(secrets, settings), check_secrets(secrets, settings)]
    if settings is None:
        why = _t("needs valid settings")
        lines += [Line("skip", name, why) for name in _STEP_NAMES.values()]
    else:
        lines += await check_connection(settings, secrets, clock)
    lines.append(check_journal(directory))
    if settings is not None:
        lines += await asyncio.to_thread(check_store_db, settings, secrets)
        printer = await check_printer(settings, directory)
        if printer is not None:
            lines.append(printer)
    return lines
