"""A throwaway PostgreSQL cluster for the store-database tests (Debian's server binaries).

``PgServer.create(folder)`` runs ``initdb`` into ``folder`` and starts the
server on a free port of 127.0.0.1 with its unix socket in ``folder``; host
connections need a password (scram-sha-256), so a wrong one is refused as on
a real store server. As root (a container) the server runs as ``nobody``:
PostgreSQL refuses to run as root. ``stop``/``start`` take it away and bring
it back (the tests of a database that goes away); ``destroy`` ends it.

The binaries: ``pg_config --bindir``, else the newest ``/usr/lib/postgresql/*/bin``
(``scripts/setup.sh test`` installs Debian's ``postgresql`` when missing).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "postgres"
OWNER, OWNER_PASSWORD = "store_owner", "owner-secret-1"
KIOSK, KIOSK_PASSWORD = "kiosk", "kiosk-secret-1"


def bin_dir() -> Path | None:
    """Where initdb, pg_ctl and postgres are; None when PostgreSQL is not installed."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config:
        try:
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True
            ).stdout.strip()
            candidates.append(Path(out))
        except (OSError, subprocess.CalledProcessError):
            pass
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates += versions
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    bindir: Path
    folder: Path
    port: int
    as_user: str | None  # run the server as this user (when we are root)

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @classmethod
    def create(cls, folder: Path, bindir: Path) -> PgServer:
        as_user = "nobody" if getattr(os, "geteuid", lambda: 1)() == 0 else None
        server = cls(bindir, folder, free_port(), as_user)
        folder.mkdir(parents=True, exist_ok=True)
        pwfile = folder / "pw"
        pwfile.write_text("super-secret-1\n")
        if as_user:
            folder.parent.chmod(0o711)  # the server's user must reach its folder
            shutil.chown(folder, as_user)
            shutil.chown(pwfile, as_user)
        server._run(
            "initdb", "-D", str(server.data), "-U", SUPERUSER, "--pwfile", str(pwfile),
            "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
            "--no-locale", "--no-sync",
        )  # fmt: skip
        with (server.data / "postgresql.conf").open("a") as conf:
            conf.write(
                f"port = {server.port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{folder}'\nfsync = off\n"
                "synchronous_commit = off\nfull_page_writes = off\nshared_buffers = 16MB\n"
                "max_connections = 40\n"
            )
        server.start()
        server.psql(
            f"CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER_PASSWORD}' CREATEDB;"
            f" CREATE ROLE {KIOSK} LOGIN PASSWORD '{KIOSK_PASSWORD}';"
        )
        return server

    def _run(self, tool: str, *args: str) -> str:
        command = [str(self.bindir / tool), *args]
        if self.as_user:
            command = ["setpriv", "--reuid", self.as_user, "--regid", "nogroup",
                       "--clear-groups", *command]  # fmt: skip
        result = subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")
        if result.returncode != 0:
            raise RuntimeError(f"{tool} failed ({result.returncode}): {result.stderr[-2000:]}")
        return result.stdout

    def start(self) -> None:
        log = self.folder / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(log), "-w", "-t", "30", "start")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):
            self.stop()

    def psql(self, script: str, database: str = "postgres") -> str:
        return self._run(
            "psql", "-h", str(self.folder), "-p", str(self.port), "-U", SUPERUSER, "-d",
            database, "-v", "ON_ERROR_STOP=1", "-qAtc", script,
        )  # fmt: skip

    def url(self, role: str, database: str) -> str:
        return f"postgresql://{role}@127.0.0.1:{self.port}/{database}"
