#!/usr/bin/env bash
# The whole check: lint, types, then the test suite (offscreen Qt, loopback only).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh test
export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check kiosk tests main.py
.venv/bin/ruff format --check kiosk tests main.py
.venv/bin/mypy
if [ $# -eq 0 ]; then
  # The pure domain must stay fully covered by its tests.
  set -- --cov=kiosk/domain --cov-report=term-missing:skip-covered --cov-fail-under=100
fi
exec .venv/bin/python -m pytest "$@"
