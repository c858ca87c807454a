"""Run the kiosk as a real process, as installers and scripts do: `python main.py …`."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from tests.conftest import ROOT


def clean_env(**extra: str) -> dict[str, str]:
    """This process's environment without any KIOSK_* setting, plus ``extra``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(extra)
    return env


def run_kiosk(
    *args: str, env: dict[str, str], timeout: float = 60, text: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess[Any]:
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=text,
        timeout=timeout,
        env=env,
        cwd=ROOT,
        check=False,
        **kwargs,
    )
