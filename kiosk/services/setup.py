"""What the settings dialog and the first-run wizard do, without any Qt.

The UI builds its form from :func:`field_specs`, checks each entry as it is
typed with :func:`check_field`, shows :func:`problems` of the whole form next
to the keys they name, and on OK calls :func:`save_settings`: the values are
validated by the very parser that loads the file (kiosk.infra.config), credentials
go to the keyring, and the settings file is written atomically with only the
values that differ from the defaults. A secret never goes into that file: a
value that equals a known secret is refused, naming the field.

Values are flat, keyed by the dotted names of kiosk.infra.config
(``"gateway.cognito.username"``); a value may be the text of an entry box or
already typed (bool, int, float).

Size (about 440 lines): every setting the wizard and the dialog can edit is
checked and written here, one small function per field group.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kiosk.domain.errors import ConfigError, KeyringUnavailable, Text
from kiosk.domain.money import Money
from kiosk.infra.config import Settings, config_path, parse_settings
from kiosk.infra.logs import contains_secret
from kiosk.infra.secrets import NAMES, Secrets, check_name

VILLA_DEV_URL = "https://shop.villamarket.com/api/payment3devapi"
VILLA_PROD_URL = "https://shop.villamarket.com/api/payment3api"
# The credentials the villa form asks for; the rest of NAMES are set elsewhere.
VILLA_CREDENTIALS = ("COGNITO_PASSWORD", "COGNITO_CLIENT_SECRET")
_SESSION_KEYS = (
    "gateway.cognito.region",
    "gateway.cognito.user_pool_id",
    "gateway.cognito.client_id",
    "gateway.cognito.username",
    "gateway.cognito.endpoint_url",
)


@dataclass(frozen=True)
class FieldSpec:
    """One setting as a form needs it."""

    key: str  # dotted, e.g. "gateway.cognito.username"
    kind: str  # "str" | "int" | "float" | "bool" | "money"
    default: Any  # typed; a money default is its plain text, e.g. "50000.00"
    help: str
    choices: tuple[str, ...] = ()  # non-empty: offer exactly these

    @property
    def section(self) -> str:
        return self.key.rpartition(".")[0]


@dataclass(frozen=True)
class FieldProblem:
    key: str
    text: Text
    why: str = ""  # the validator's reason alone, e.g. "must be between 0.1 and 60 (got 99)"


_KINDS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "Money": "money"}


def _walk(cls: type[Any], prefix: str) -> Iterable[tuple[str, Any, Any]]:
    """(dotted key, dataclass field, default instance) for every leaf setting."""
    for f in fields(cls):
        if f.metadata.get("internal"):
            continue
        if "check" in f.metadata:
            yield prefix + f.name, f, f.default
        else:
            assert f.default_factory is not MISSING
            yield from _walk(type(f.default_factory()), f"{prefix}{f.name}.")


def field_specs() -> list[FieldSpec]:
    """Every setting in declaration order, for building the form."""
    specs = []
    for key, f, default in _walk(Settings, ""):
        kind = _KINDS.get(str(f.type), "str")
        shown = default.plain() if isinstance(default, Money) else default
        choices = tuple(getattr(f.metadata["check"], "options", ()))
        specs.append(FieldSpec(key, kind, shown, f.metadata["help"], choices))
    return specs


_SPECS = {spec.key: spec for spec in field_specs()}
_CHECKS = {key: f.metadata["check"] for key, f, _ in _walk(Settings, "")}


def defaults() -> dict[str, Any]:
    return {key: spec.default for key, spec in _SPECS.items()}


def settings_to_values(settings: Settings) -> dict[str, Any]:
    """The flat values of ``settings`` (to fill the form); money as plain text."""
    values: dict[str, Any] = {}
    for key in _SPECS:
        value: Any = settings
        for part in key.split("."):
            value = getattr(value, part)
        values[key] = value.plain() if isinstance(value, Money) else value
    return values


def _convert(spec: FieldSpec, raw: Any) -> Any:
    """Entry text to the setting's type (typed values pass through to the validator)."""
    if isinstance(raw, Money):
        return raw.plain()
    if not isinstance(raw, str) or spec.kind in ("str", "money"):
        return raw
    text = raw.strip()
    if spec.kind == "int":
        try:
            return int(text)
        except ValueError:
            raise ValueError(f"must be a whole number (got {text!r})") from None
    if spec.kind == "float":
        try:
            return float(text)
        except ValueError:
            raise ValueError(f"must be a number (got {text!r})") from None
    lowered = text.lower()
    if lowered in ("true", "yes", "on", "1"):
        return True
    if lowered in ("false", "no", "off", "0"):
        return False
    raise ValueError("must be true or false")


def _problem(key: str, why: str) -> FieldProblem:
    return FieldProblem(
        key, Text(f"Setting '{key}' {why}.", f"การตั้งค่า '{key}' ไม่ถูกต้อง: {why}"), why
    )


def parse_field(key: str, raw: Any) -> Any:
    """The typed, validated value of one field; ValueError in plain words otherwise."""
    spec = _SPECS.get(key)
    if spec is None:
        raise KeyError(key)
    return _CHECKS[key](_convert(spec, raw))


def check_field(key: str, raw: Any) -> FieldProblem | None:
    """None if ``raw`` is a valid value for ``key``; else what is wrong (as you type)."""
    if key not in _SPECS:
        return _problem(key, "is not a known setting")
    try:
        parse_field(key, raw)
    except ValueError as exc:
        return _problem(key, str(exc))
    return None


def _typed(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldProblem]]:
    typed: dict[str, Any] = {}
    found: list[FieldProblem] = []
    for key, raw in values.items():
        if key not in _SPECS:
            found.append(_problem(key, "is not a known setting"))
            continue
        try:
            typed[key] = parse_field(key, raw)
        except ValueError as exc:
            found.append(_problem(key, str(exc)))
    return typed, found


def problems(values: Mapping[str, Any]) -> list[FieldProblem]:
    """Every field's problem; if there are none, the first whole-form one (e.g. villa
    without a base URL). Empty = the values would load."""
    typed, found = _typed(values)
    if found:
        return found
    try:
        parse_settings(_toml(typed, only_changed=False))
    except ConfigError as exc:
        key, _, why = exc.detail.partition(": ")
        return [FieldProblem(key if key in _SPECS else "", exc.text, why)]
    return []


def validate(values: Mapping[str, Any]) -> Settings:
    """The Settings these values give, or ConfigError naming the first bad key."""
    typed, found = _typed(values)
    if found:
        raise ConfigError(found[0].text.en, text=found[0].text)
    return parse_settings(_toml(typed, only_changed=False), source="<form>")


# --- TOML


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, Money):
        value = value.plain()
    text = str(value)
    out = ['"']
    for ch in text:
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch in "\n\t\r":
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}[ch])
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04X}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _toml(typed: Mapping[str, Any], *, only_changed: bool) -> str:
    base = defaults()
    sections: dict[str, list[str]] = {}
    for key, spec in _SPECS.items():  # declaration order
        if key not in typed:
            continue
        value = typed[key]
        shown = value.plain() if isinstance(value, Money) else value
        if only_changed and shown == base[key] and key != "gateway.kind":
            continue
        name = key.rpartition(".")[2]
        sections.setdefault(spec.section, []).append(f"{name} = {_toml_value(value)}")
    chunks = [f"[{section}]\n" + "\n".join(lines) + "\n" for section, lines in sections.items()]
    return "\n".join(chunks)


def render_toml(values: Mapping[str, Any], *, header: bool = True) -> str:
    """The settings file for ``values``: only what differs from the defaults."""
    settings = validate(values)
    body = _toml(settings_to_values(settings), only_changed=True)
    if not header:
        return body
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (
        f"# Kiosk settings, written by the kiosk on {stamp}.\n"
        "# Every key is explained by `kiosk doctor` / kiosk/infra/config.py. Passwords and keys\n"
        "# are not here: they live in the OS keyring (`kiosk secrets set NAME`).\n\n" + body
    )


# --- writing


def _guard(text: str, values: Mapping[str, Any], extra: Iterable[str]) -> None:
    extra = [e for e in extra if e and len(e) >= 4]
    if not contains_secret(text) and not any(e in text for e in extra):
        return
    key = next(
        (
            k
            for k, v in values.items()
            if str(v) and (contains_secret(str(v)) or any(e in str(v) for e in extra))
        ),
        "?",
    )
    raise ConfigError(
        f"a secret value in setting {key}",
        text=Text(
            f"The setting '{key}' holds a password or key. Secrets go only in the "
            "credential fields (the keyring), never in the settings file.",
            f"การตั้งค่า '{key}' มีรหัสผ่านหรือกุญแจอยู่ รหัสลับต้องใส่ในช่องข้อมูลลับ (พวงกุญแจ) "
            "เท่านั้น ห้ามอยู่ในไฟล์ตั้งค่า",
        ),
    )


def write_config(
    values: Mapping[str, Any],
    path: str | os.PathLike[str] | None = None,
    *,
    guard: Iterable[str] = (),
) -> Settings:
    """Validate ``values`` and write the settings file atomically; returns what it holds.

    ``guard``: secret values the caller holds (typed passwords) that must not
    appear in the file, on top of every secret this process has read.
    """
    target = config_path(path)
    text = render_toml(values)
    _guard(text, values, guard)
    settings = parse_settings(text, source=str(target))  # what the kiosk will load
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)  # the kiosk user's alone, as everything it writes
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise ConfigError(
            f"{target}: {exc}",
            text=Text(
                f"Cannot write the settings file {target}: {exc.strerror or exc}.",
                f"เขียนไฟล์ตั้งค่า {target} ไม่ได้: {exc.strerror or exc}",
            ),
        ) from None
    _fsync_dir(target.parent)
    return settings


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def store_credentials(secrets: Secrets, credentials: Mapping[str, str | None]) -> list[str]:
    """Store the non-empty credentials in the keyring; empty = keep what is there.

    Returns the names stored. KeyringUnavailable says what to do when there is
    no keyring; InputError for a name that is not a kiosk secret.
    """
    stored = []
    for name, value in credentials.items():
        canonical = check_name(name)
        if value:
            secrets.set(canonical, value)
            stored.append(canonical)
    return stored


def save_settings(
    values: Mapping[str, Any],
    *,
    secrets: Secrets,
    path: str | os.PathLike[str] | None = None,
    credentials: Mapping[str, str | None] | None = None,
    previous: Settings | None = None,
) -> Settings:
    """OK in the settings dialog / the wizard's last page.

    Validates, stores the credentials, writes the file; when the Cognito user
    or client changed, the saved session (refresh token) of the old one is
    dropped. Raises ConfigError (incl. KeyringUnavailable) or InputError with
    a message for the installer; nothing is written if validation fails.
    """
    credentials = dict(credentials or {})
    validate(values)
    store_credentials(secrets, credentials)
    settings = write_config(values, path, guard=[v for v in credentials.values() if v])
    if previous is not None:
        before, after = settings_to_values(previous), settings_to_values(settings)
        if any(before[k] != after[k] for k in _SESSION_KEYS):
            # That session belongs to the old user or client; no keyring = nothing saved.
            with contextlib.suppress(KeyringUnavailable):
                secrets.delete("COGNITO_REFRESH_TOKEN")
    return settings


# --- the printer


@dataclass(frozen=True)
class PrintCheck:
    """What a test print did, for the wizard and the settings dialog."""

    ok: bool
    text: Text


async def test_print(settings: Settings, directory: Path) -> PrintCheck:
    """Print a test page with these (perhaps unsaved) settings: the same path as
    ``kiosk print-test``. ``directory``: the data folder (a PDF printer's default folder)."""
    # Imported here: the receipt stack (Pillow, python-escpos) loads only when asked to print.
    from kiosk.receipts.service import print_test_page

    outcome = await print_test_page(settings, directory)
    if outcome.printed:
        return PrintCheck(True, Text("Test page printed.", "พิมพ์หน้าทดสอบแล้ว"))
    return PrintCheck(
        False,
        Text(outcome.message("en"), outcome.message("th")),
    )


test_print.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


def changed_keys(before: Settings, after: Settings) -> list[str]:
    """The settings whose values differ: what a restart would bring into use."""
    old, new = settings_to_values(before), settings_to_values(after)
    return [key for key in _SPECS if old[key] != new[key]]


# --- first run


def needs_first_run(explicit: str | os.PathLike[str] | None = None) -> bool:
    """True when there is no settings file yet (the wizard should open)."""
    return not config_path(explicit).exists()


def sandbox_values(*, store_name: str = "Sandbox Shop") -> dict[str, Any]:
    """The wizard's "Try it in sandbox mode": the embedded sandbox, nothing secret."""
    return {"gateway.kind": "sandbox", "gateway.base_url": "", "store.name": store_name}


def villa_values(
    *,
    base_url: str = VILLA_PROD_URL,
    client_id: str,
    username: str,
    user_pool_id: str = "",
    region: str = "ap-southeast-1",
    auth_header: str = "raw",
    store_name: str = "",
    store_id: str = "",
    terminal_id: str = "",
) -> dict[str, Any]:
    """The wizard's "Connect to the Villa Payment API" page as settings values."""
    values: dict[str, Any] = {
        "gateway.kind": "villa",
        "gateway.base_url": base_url,
        "gateway.auth_header": auth_header,
        "gateway.cognito.region": region,
        "gateway.cognito.user_pool_id": user_pool_id,
        "gateway.cognito.client_id": client_id,
        "gateway.cognito.username": username,
    }
    for key, value in (
        ("store.name", store_name),
        ("store.store_id", store_id),
        ("store.terminal_id", terminal_id),
    ):
        if value:
            values[key] = value
    return values


__all__ = [
    "NAMES",
    "VILLA_CREDENTIALS",
    "FieldProblem",
    "FieldSpec",
    "PrintCheck",
    "changed_keys",
    "check_field",
    "defaults",
    "field_specs",
    "needs_first_run",
    "parse_field",
    "problems",
    "render_toml",
    "sandbox_values",
    "save_settings",
    "settings_to_values",
    "store_credentials",
    "test_print",
    "validate",
    "villa_values",
    "write_config",
]
