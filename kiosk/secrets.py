"""Secrets: the OS keyring, or ``KIOSK_SECRET_<NAME>`` on unattended machines.

Never the config file, the journal, receipts or logs: every value read is
registered with the log scrubber.
"""

from __future__ import annotations

import os

from kiosk.logs import register_secret

SERVICE = "qr-kiosk"
NAMES = (
    "COGNITO_PASSWORD",
    "COGNITO_CLIENT_SECRET",
    "COGNITO_REFRESH_TOKEN",
    "KBANK_SECRET_KEY",
    "KBANK_CLIENT_SECRET",
    "MANAGER_PIN_HASH",
    "ID_TOKEN",
)


def get_secret(name: str) -> str | None:
    """The secret from the environment override, else the keyring, else None."""
    value = os.environ.get(f"KIOSK_SECRET_{name}")
    if value is None:
        try:
            import keyring
            from keyring.errors import KeyringError

            try:
                value = keyring.get_password(SERVICE, name)
            except KeyringError:
                value = None
        except ImportError:  # pragma: no cover - keyring is a dependency
            value = None
    register_secret(value)
    return value
