"""The one place a payment gateway is put together from settings.

Used by the composition root (the kiosk's own gateway) and by the settings
dialog's Test connection, so both talk to the backend the same way: the
same client timeouts, overall deadline, methods, paths and tokens.

- ``kind = "sandbox"``: the villa adapter against a sandbox server (the
  embedded one at ``sandbox_url``, or ``gateway.base_url``), with the
  sandbox's fixed token and its cancel path when none is configured.
- ``kind = "villa"``: the villa adapter signing in with AWS Cognito; the
  Cognito client shares the gateway's HTTP client (absolute URLs), so one
  ``aclose`` closes both.
"""

from __future__ import annotations

from dataclasses import replace

import httpx

from kiosk.domain.clock import Clock, SystemClock
from kiosk.gateways.cognito import CognitoTokens, SecretStore
from kiosk.gateways.sandbox import CANCEL_PATH as SANDBOX_CANCEL_PATH
from kiosk.gateways.sandbox import SandboxServer
from kiosk.gateways.tls import context_for
from kiosk.gateways.tokens import StaticToken, TokenSource
from kiosk.gateways.villa import VillaGateway, make_client
from kiosk.infra.config import PathsSettings, Settings


def build_gateway(
    settings: Settings,
    *,
    sandbox_url: str | None = None,
    client: httpx.AsyncClient | None = None,
    secrets: SecretStore | None = None,
    clock: Clock | None = None,
    remember_token: bool = True,
) -> VillaGateway:
    """The gateway ``settings`` describe; ConfigError (naming the key) when they cannot work.

    ``client``: an HTTP client to use instead of the default one (tests
    pass one with a mock transport). ``remember_token=False`` keeps a
    Cognito refresh token out of the keyring (Test connection tries
    credentials that are not saved yet).
    """
    gw = settings.gateway
    # A sandbox client talks only to the sandbox (plain http on 127.0.0.1
    # needs no CA bundle); a villa one also signs in at Cognito over https.
    only_url = (sandbox_url or gw.base_url) if gw.kind == "sandbox" else None
    client = client or make_client(
        connect_timeout_s=gw.connect_timeout_s,
        read_timeout_s=gw.read_timeout_s,
        tls=context_for(only_url) if only_url is not None else None,
    )
    paths = gw.paths if isinstance(gw.paths, PathsSettings) else PathsSettings()
    tokens: TokenSource
    if gw.kind == "sandbox":
        base_url = sandbox_url or gw.base_url
        if not paths.cancel:
            paths = replace(paths, cancel=SANDBOX_CANCEL_PATH)
        tokens = StaticToken(SandboxServer.TOKEN)
    else:
        base_url = gw.base_url
        if secrets is None:
            from kiosk.infra.secrets import Secrets  # the keyring loads only for villa

            secrets = Secrets()
        tokens = CognitoTokens(
            settings=gw.cognito,
            client=client,
            secrets=secrets,
            clock=clock or SystemClock(),
            remember=remember_token,
            total_timeout_s=gw.total_timeout_s,  # one deadline per call, sign-in included
        )
    return VillaGateway(
        base_url=base_url,
        client=client,
        tokens=tokens,
        paths=paths,
        auth_header=gw.auth_header,
        methods=gw.method_set,
        name=gw.kind,
        total_timeout_s=gw.total_timeout_s,
    )


__all__ = ["build_gateway"]
