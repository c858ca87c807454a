"""A real local Cognito for tests: ``moto_server`` on 127.0.0.1, driven over JSON-1.1.

``cognito_server`` (session) starts one moto_server on a free loopback port;
``cognito`` (per test) gives a fresh user pool with an app client that has a
secret and one confirmed user. moto keeps state per region and unsigned calls
land in us-east-1, so everything here uses that one region.

``verify_id_token`` checks an ID token the way an API would: RS256 signature
against the pool's JWKS, issuer, audience, ``token_use`` and expiry.
"""

from __future__ import annotations

import base64
import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from kiosk.infra.config import CognitoSettings

REGION = "us-east-1"
PASSWORD = "Kiosk-Passw0rd!"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class LocalCognito:
    """Admin calls on the moto server (the kiosk itself only ever calls InitiateAuth)."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/") + "/"
        self.http = httpx.Client(timeout=10, trust_env=False)

    def raw(self, target: str, body: dict[str, Any]) -> httpx.Response:
        return self.http.post(
            self.url,
            content=json.dumps(body),
            headers={
                "Content-Type": "application/x-amz-json-1.1",
                "X-Amz-Target": f"AWSCognitoIdentityProviderService.{target}",
            },
        )

    def call(self, target: str, body: dict[str, Any]) -> dict[str, Any]:
        response = self.raw(target, body)
        assert response.status_code == 200, (target, response.text)
        data: dict[str, Any] = response.json() if response.content else {}
        return data

    def new_pool(self, *, secret: bool = True, username: str = "kiosk01") -> Pool:
        pool_id = self.call("CreateUserPool", {"PoolName": "kiosk-test"})["UserPool"]["Id"]
        client = self.call(
            "CreateUserPoolClient",
            {
                "UserPoolId": pool_id,
                "ClientName": "kiosk",
                "GenerateSecret": secret,
                "ExplicitAuthFlows": ["ALLOW_USER_PASSWORD_AUTH", "ALLOW_REFRESH_TOKEN_AUTH"],
            },
        )["UserPoolClient"]
        pool = Pool(self, pool_id, client["ClientId"], client.get("ClientSecret"), username)
        pool.add_user(username, PASSWORD)
        return pool

    def close(self) -> None:
        self.http.close()


@dataclass
class Pool:
    cognito: LocalCognito
    pool_id: str
    client_id: str
    client_secret: str | None
    username: str = "kiosk01"
    password: str = PASSWORD
    _jwks: dict[str, Any] = field(default_factory=dict)

    @property
    def issuer(self) -> str:
        return f"https://cognito-idp.{REGION}.amazonaws.com/{self.pool_id}"

    def settings(self, **changes: str) -> CognitoSettings:
        values = {
            "region": REGION,
            "user_pool_id": self.pool_id,
            "client_id": self.client_id,
            "username": self.username,
            "endpoint_url": self.cognito.url.rstrip("/"),
        }
        values.update(changes)
        return CognitoSettings(**values)

    def toml(self) -> str:
        return (
            "[gateway.cognito]\n"
            f'region = "{REGION}"\n'
            f'user_pool_id = "{self.pool_id}"\n'
            f'client_id = "{self.client_id}"\n'
            f'username = "{self.username}"\n'
            f'endpoint_url = "{self.cognito.url.rstrip("/")}"\n'
        )

    def add_user(self, username: str, password: str, *, permanent: bool = True) -> None:
        self.cognito.call(
            "AdminCreateUser",
            {
                "UserPoolId": self.pool_id,
                "Username": username,
                "TemporaryPassword": password,
                "MessageAction": "SUPPRESS",
            },
        )
        if permanent:
            self.cognito.call(
                "AdminSetUserPassword",
                {
                    "UserPoolId": self.pool_id,
                    "Username": username,
                    "Password": password,
                    "Permanent": True,
                },
            )

    def admin(self, target: str, **body: Any) -> dict[str, Any]:
        return self.cognito.call(target, {"UserPoolId": self.pool_id, **body})

    def sign_out_everywhere(self, username: str | None = None) -> None:
        """Revoke every refresh token of the user (AdminUserGlobalSignOut)."""
        self.admin("AdminUserGlobalSignOut", Username=username or self.username)

    def jwks(self) -> dict[str, Any]:
        if not self._jwks:
            url = f"{self.cognito.url}{self.pool_id}/.well-known/jwks.json"
            self._jwks = self.cognito.http.get(url).json()
        return self._jwks

    def verify_id_token(self, token: str, *, now: float | None = None) -> bool:
        """True if ``token`` is an ID token of this pool and app client, signed and unexpired."""
        try:
            head_b64, payload_b64, sig_b64 = token.split(".")
            header = json.loads(_b64url(head_b64))
            claims = json.loads(_b64url(payload_b64))
            signature = _b64url(sig_b64)
        except ValueError:
            return False
        if header.get("alg") != "RS256":
            return False
        keys = [k for k in self.jwks()["keys"] if k.get("kid") == header.get("kid")]
        if not keys:
            return False
        public = rsa.RSAPublicNumbers(
            int.from_bytes(_b64url(keys[0]["e"]), "big"),
            int.from_bytes(_b64url(keys[0]["n"]), "big"),
        ).public_key()
        try:
            public.verify(
                signature,
                f"{head_b64}.{payload_b64}".encode("ascii"),
                padding.PKCS1v15(),
                hashes.SHA256(),
            )
        except InvalidSignature:
            return False
        moment = time.time() if now is None else now
        return (
            claims.get("iss") == self.issuer
            and claims.get("aud") == self.client_id
            and claims.get("token_use") == "id"
            and isinstance(claims.get("exp"), int)
            and claims["exp"] > moment
        )


@pytest.fixture(scope="session")
def cognito_server() -> Iterator[LocalCognito]:
    port = free_port()
    exe = Path(sys.executable).with_name("moto_server")
    process = subprocess.Popen(
        [str(exe), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "MOTO_ALLOW_NONEXISTENT_REGION": "false"},
    )
    url = f"http://127.0.0.1:{port}"
    cognito = LocalCognito(url)
    try:
        deadline = time.monotonic() + 20
        while True:  # bounded poll until the server accepts connections
            if process.poll() is not None:
                raise RuntimeError(f"moto_server exited with {process.returncode}")
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto_server did not start in 20 s") from None
                time.sleep(0.02)
        yield cognito
    finally:
        cognito.close()
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def cognito(cognito_server: LocalCognito) -> Pool:
    """A fresh user pool: an app client with a secret and a confirmed user."""
    return cognito_server.new_pool()


class RecordingProxy:
    """A pass-through to the local Cognito that keeps every token it hands out,
    so a test knows all the secrets a kiosk process saw (refresh tokens too)."""

    def __init__(self, upstream: str) -> None:
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        proxy = self
        self.upstream = upstream.rstrip("/") + "/"
        self.tokens: list[str] = []
        self._http = httpx.Client(timeout=10, trust_env=False)

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                answer = proxy._http.post(
                    proxy.upstream,
                    content=body,
                    headers={
                        "Content-Type": self.headers.get("Content-Type", ""),
                        "X-Amz-Target": self.headers.get("X-Amz-Target", ""),
                    },
                )
                try:
                    result = answer.json().get("AuthenticationResult") or {}
                except ValueError:
                    result = {}
                for key in ("IdToken", "AccessToken", "RefreshToken"):
                    if isinstance(result.get(key), str):
                        proxy.tokens.append(result[key])
                self.send_response(answer.status_code)
                self.send_header("Content-Type", answer.headers.get("Content-Type", ""))
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self) -> RecordingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._http.close()
