"""Where the gateway's token comes from: a fixed one (sandbox) or Cognito (cognito.py)."""

from __future__ import annotations

from typing import Protocol


class TokenSource(Protocol):
    async def token(self) -> str:
        """A token valid for at least the next call."""
        ...

    async def refresh(self) -> str:
        """The API refused the token: get a new one (called at most once per call)."""
        ...


class StaticToken:
    """A fixed token (the sandbox's); refreshing gives the same token."""

    def __init__(self, value: str) -> None:
        self._value = value

    async def token(self) -> str:
        return self._value

    async def refresh(self) -> str:
        return self._value

    def __repr__(self) -> str:  # never show the token itself
        return "StaticToken(***)"
