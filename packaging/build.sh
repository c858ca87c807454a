#!/usr/bin/env bash
# Build the Linux package (make package): a PyInstaller one-dir bundle and a
# .deb around it, from this checkout. See packaging/README.md.
#   dist/qr-kiosk/                       the bundle (runs from any folder)
#   dist/qr-kiosk_<version>_<arch>.deb   installs it under /opt/qr-kiosk
set -euo pipefail
cd "$(dirname "$0")/.."
started=$(date +%s)

# The venv with the runtime packages and the display libraries the xcb plugin
# links (the bundle carries them), then the pinned packaging tools.
scripts/setup.sh run
# Loaded at run time rather than linked, so the bundle needs them named:
# FriBiDi for Pillow's Thai shaping (receipts). Installed here if missing.
missing=()
for deb in libfribidi0; do dpkg -s "$deb" >/dev/null 2>&1 || missing+=("$deb"); done
if [ ${#missing[@]} -gt 0 ]; then
  sudo_cmd=""
  [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
stamp=".venv/.installed-package-$(cat requirements-package.txt requirements.txt constraints.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "package: installing PyInstaller (requirements-package.txt)"
  .venv/bin/python -m pip install -q --disable-pip-version-check \
    -r requirements-package.txt -c constraints.txt
  touch "$stamp"
fi

version=$(.venv/bin/python -c 'import kiosk; print(kiosk.__version__)')
arch=$(dpkg --print-architecture)
name="qr-kiosk_${version}_${arch}"

echo "package: freezing kiosk $version with PyInstaller"
rm -rf dist/qr-kiosk build/pyinstaller
.venv/bin/pyinstaller --noconfirm --log-level WARN \
  --distpath dist --workpath build/pyinstaller packaging/qr-kiosk.spec 2>&1 \
  | grep -v -E 'WARNING: (Library (shell32|ole32) required via ctypes|Hidden import "importlib_resources.trees"|No backend available|Library not found: could not resolve .lib(gtk|gdk)-3)' \
  || true
test -x dist/qr-kiosk/kiosk || { echo "package: PyInstaller made no dist/qr-kiosk/kiosk" >&2; exit 1; }
plugins=dist/qr-kiosk/_internal/PySide6/Qt/plugins/platforms
for plugin in libqxcb.so libqoffscreen.so; do
  test -f "$plugins/$plugin" || { echo "package: $plugin missing from the bundle" >&2; exit 1; }
done
test -f dist/qr-kiosk/_internal/escpos/capabilities.json \
  || { echo "package: python-escpos capabilities.json missing" >&2; exit 1; }

echo "package: assembling $name.deb"
root="build/deb/$name"
rm -rf "$root"
mkdir -p "$root/DEBIAN" "$root/opt" "$root/usr/bin" "$root/usr/share/applications" \
  "$root/usr/share/icons/hicolor/scalable/apps" "$root/usr/share/doc/qr-kiosk"
cp -a dist/qr-kiosk "$root/opt/qr-kiosk"
# Relative, so it also resolves inside a scratch root (dpkg --root).
ln -s ../../opt/qr-kiosk/kiosk "$root/usr/bin/kiosk"
install -m 644 packaging/linux/qr-kiosk.desktop "$root/usr/share/applications/"
install -m 644 resources/icons/qr-kiosk.svg "$root/usr/share/icons/hicolor/scalable/apps/"
install -m 644 packaging/README.md "$root/usr/share/doc/qr-kiosk/README.md"
install -m 644 resources/fonts/OFL.txt "$root/usr/share/doc/qr-kiosk/OFL-fonts.txt"
install -m 755 packaging/linux/postrm "$root/DEBIAN/postrm"
deps=$(python3 packaging/deb_depends.py dist/qr-kiosk)
size_kb=$(du -sk --exclude=DEBIAN "$root" | cut -f1)
sed -e "s/@VERSION@/$version/" -e "s/@ARCH@/$arch/" -e "s/@SIZE_KB@/$size_kb/" \
    -e "s/@DEPENDS@/$(echo "$deps" | grep '^Depends:')/" \
    -e "s/@RECOMMENDS@/$(echo "$deps" | grep '^Recommends:')/" \
    packaging/linux/control.in > "$root/DEBIAN/control"
# gzip: fast to build and readable by every dpkg (xz takes minutes on 200 MB).
dpkg-deb --root-owner-group -Zgzip -z6 --build "$root" "dist/$name.deb" >/dev/null
rm -rf "$root"

seconds=$(( $(date +%s) - started ))
bundle_mb=$(du -sm dist/qr-kiosk | cut -f1)
deb_mb=$(du -m "dist/$name.deb" | cut -f1)
echo "package: dist/qr-kiosk ($bundle_mb MB), dist/$name.deb ($deb_mb MB), built in ${seconds} s"
