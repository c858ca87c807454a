"""Payment backends behind one Protocol (see base.py); vendor JSON stays in here."""

import sys

# httpx tries to import its command-line client (``httpx._main``: click,
# pygments, rich) whenever it is imported, and quietly goes without when one
# is missing. Where click and pygments are installed but rich is not (a dev
# venv, a bundle built from one) that is ~20 ms of start-up for nothing: the
# kiosk never runs httpx's CLI. A None entry makes that import fail at once
# (the import system's documented "not importable" marker); the ``httpx``
# command of its own process is unaffected.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
