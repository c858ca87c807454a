#!/usr/bin/env bash
# Every screen in both languages at every supported screen size, from the real window:
# one virtual screen (Xvfb, no window manager, as a kiosk runs) per size.
# SIZES="1024x768" scripts/screenshots.sh takes one size; PYTHON picks the interpreter.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-.venv/bin/python}
for size in ${SIZES:-1024x768 1280x800 1920x1080 1080x1920}; do
  xvfb-run -a -s "-screen 0 ${size}x24" "$python" scripts/screenshots.py
done
