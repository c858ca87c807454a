"""Loaded by every kiosk process tests/hostile starts: no connection past this machine.

A name other than ``localhost``, or an address off 127.0.0.0/8 and ::1,
fails its lookup at once (``socket.gaierror``, as an unknown host would)
and is written to ``$HOSTILE_DNS_LOG``, so a test can see where the kiosk
*tried* to go (e.g. a token sent to ``127.0.0.1.attacker.example``) without
any packet leaving the machine.
"""

from __future__ import annotations

import ipaddress
import os
import socket

_real_getaddrinfo = socket.getaddrinfo


def _loopback(name: str) -> bool:
    if name.rstrip(".").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def _guarded_getaddrinfo(host, *args, **kwargs):  # type: ignore[no-untyped-def]
    name = host.decode() if isinstance(host, bytes) else host
    if name is not None and not _loopback(str(name)):
        log = os.environ.get("HOSTILE_DNS_LOG")
        if log:
            with open(log, "a", encoding="utf-8") as out:
                out.write(f"{name}\n")
        raise socket.gaierror(socket.EAI_NONAME, f"lookup of {name} blocked by tests/hostile")
    return _real_getaddrinfo(host, *args, **kwargs)


socket.getaddrinfo = _guarded_getaddrinfo
