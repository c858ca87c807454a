#!/usr/bin/env bash
# Run the kiosk GUI on the embedded sandbox gateway (or the configured one).
# With no display, it starts a virtual one (Xvfb) so the window still runs.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
if [ -z "${DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting the kiosk on a virtual screen (Xvfb)"
  exec xvfb-run -a -s "-screen 0 1280x800x24" .venv/bin/python main.py --no-first-run "$@"
fi
exec .venv/bin/python main.py --no-first-run "$@"
