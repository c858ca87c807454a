#!/usr/bin/env bash
# Prepare this machine for the kiosk: Debian libraries Qt needs (only the
# missing ones), a virtual environment in .venv, the pinned packages, and the
# project itself (editable), so .venv/bin/kiosk is the `kiosk` command.
#   scripts/setup.sh run    runtime packages + what a real window needs
#   scripts/setup.sh test   runtime + test tools (no display libraries needed)
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-test}

need_debs=()
want_deb() { dpkg -s "$1" >/dev/null 2>&1 || need_debs+=("$1"); }
if [ "$mode" = run ]; then
  # The xcb platform plugin of PySide6 links these; Xvfb when there is no display.
  for p in libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 libxkbcommon-x11-0 libegl1 libgl1 \
           libfontconfig1 libdbus-1-3; do want_deb "$p"; done
  [ -n "${DISPLAY:-}" ] || { want_deb xvfb; want_deb xauth; }
fi
# The customer-display tests: a QR read off the screen by an independent decoder
# (zbarimg), monitors plugged in and out on Xvfb (xrandr) through Qt's xcb plugin.
if [ "$mode" != run ]; then
  for p in zbar-tools x11-xserver-utils xvfb xauth libxcb-icccm4 libxcb-keysyms1 libxcb-cursor0 \
           libxkbcommon-x11-0 libegl1 libgl1 libfontconfig1 libdbus-1-3; do want_deb "$p"; done
fi
# The store-database tests start a throwaway PostgreSQL (initdb, pg_ctl, postgres).
if [ "$mode" != run ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  want_deb postgresql
fi
# The PDF receipt tests read text and pictures back with pdftotext / pdftoppm;
# the OCR tests read the printed pictures with tesseract (Thai and English).
if [ "$mode" != run ]; then
  for p in poppler-utils tesseract-ocr tesseract-ocr-tha tesseract-ocr-eng; do want_deb "$p"; done
fi
if [ ${#need_debs[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${need_debs[*]}"
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need_debs[@]}" >/dev/null
fi

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv
fi
reqs=requirements.txt
[ "$mode" = run ] || reqs=requirements-dev.txt
inputs=("$reqs" requirements.txt requirements-build.txt constraints.txt pyproject.toml)
stamp=".venv/.installed-$(cat "${inputs[@]}" | sha256sum | cut -c1-16)-$mode"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages from $reqs (pinned by constraints.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -r "$reqs" -r requirements-build.txt -c constraints.txt
  # The project itself, editable: .venv/bin/kiosk runs this checkout's code. Its
  # dependencies are the pins above (--no-deps); the pinned setuptools builds it.
  echo "setup: installing the kiosk command (pip install -e .)"
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    --no-deps --no-build-isolation --check-build-dependencies -e .
  touch "$stamp"
fi
