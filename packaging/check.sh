#!/usr/bin/env bash
# make package-check: build the Linux package, then prove it works away from
# this checkout (packaging/README.md, "What make package-check proves").
# Writes build/package-report.json with the figures.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
started=$(date +%s)
packaging/build.sh
built=$(date +%s)
deb=$(ls -t dist/qr-kiosk_*.deb | head -n1)

scratch=$(mktemp -d /tmp/kiosk-package-check-XXXXXX)
trap 'rm -rf "$scratch"' EXIT
fail() { echo "package-check: FAILED: $*" >&2; exit 1; }

# A smoke with nothing of ours on any path: env -i, PATH=/usr/bin:/bin, no
# PYTHONPATH, run from an empty folder. $1 = the kiosk executable, $2 = label.
smoke() {
  local exe=$1 label=$2 out
  shift 2
  mkdir -p "$scratch/run-$label"
  out=$(cd "$scratch/run-$label" && env -i PATH=/usr/bin:/bin HOME="$scratch/run-$label" \
        TMPDIR="$scratch/run-$label" LANG=C.UTF-8 "$@" "$exe" --smoke --smoke-timeout 60 \
        2>"$scratch/run-$label/stderr.txt") || fail "$label: kiosk --smoke exited $? ($out)"
  REPORT=$(echo "$out" | tail -n1) python3 - "$label" <<'PY' || fail "$label: unexpected smoke report: $out"
import json, os, sys
r = json.loads(os.environ["REPORT"])
assert r["ok"] is True and r["status"] == "paid", r
assert all(r["checks"].values()), r["checks"]
print(f"package-check: {sys.argv[1]}: smoke paid on {r['qt_platform']} in {r['elapsed_s']} s")
PY
}

# 1. the bundle, copied to an empty folder
mkdir -p "$scratch/empty"
cp -a dist/qr-kiosk "$scratch/empty/"
smoke "$scratch/empty/qr-kiosk/kiosk" bundle-offscreen env QT_QPA_PLATFORM=offscreen
if command -v xvfb-run >/dev/null; then
  smoke "$scratch/empty/qr-kiosk/kiosk" bundle-xcb xvfb-run -a -s "-screen 0 1280x800x24"
fi

# 2. the .deb in a scratch root: install, run its /usr/bin/kiosk, remove
root="$scratch/root"
mkdir -p "$root/var/lib/dpkg/info" "$root/var/lib/dpkg/updates" "$root/usr/bin"
touch "$root/var/lib/dpkg/status"
# The scratch root has no libc or Qt libraries of its own: dependencies are the
# host's here (a chroot would need them installed); scripts run outside it.
dpkg --root="$root" --force-depends --force-script-chrootless --log=/dev/null -i "$deb" \
  >"$scratch/dpkg-install.log" 2>&1 || { cat "$scratch/dpkg-install.log"; fail "deb: dpkg -i failed"; }
test -L "$root/usr/bin/kiosk" && test -x "$root/opt/qr-kiosk/kiosk" || fail "deb: files missing"
test -f "$root/usr/share/applications/qr-kiosk.desktop" || fail "deb: no desktop entry"
dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Status} ${Version}\n' qr-kiosk \
  | grep -q "install ok installed" || fail "deb: not recorded as installed"
smoke "$root/usr/bin/kiosk" deb-offscreen env QT_QPA_PLATFORM=offscreen
dpkg --root="$root" --force-depends --force-script-chrootless --log=/dev/null -r qr-kiosk \
  >"$scratch/dpkg-remove.log" 2>&1 || { cat "$scratch/dpkg-remove.log"; fail "deb: dpkg -r failed"; }
test ! -e "$root/opt/qr-kiosk/kiosk" || fail "deb: removal left the program behind"
echo "package-check: the .deb installs into a scratch root, passes --smoke there, and removes cleanly"

# 3. figures
python3 packaging/coldstart.py --bundle "$scratch/empty/qr-kiosk/kiosk" \
  --source "$repo/.venv/bin/python" "$repo/main.py" --runs 5 --json "$scratch/coldstart.json"
python3 - "$deb" "$((built - started))" "$scratch/coldstart.json" <<'PY'
import json, os, subprocess, sys
deb, build_s, coldstart = sys.argv[1], int(sys.argv[2]), sys.argv[3]
size = int(subprocess.run(["du", "-sb", "dist/qr-kiosk"], capture_output=True, text=True).stdout.split()[0])
report = {
    "bundle_bytes": size,
    "bundle_mb": round(size / 2**20, 1),
    "deb": os.path.basename(deb),
    "deb_mb": round(os.path.getsize(deb) / 2**20, 1),
    "package_build_s": build_s,
    "coldstart": json.load(open(coldstart)),
}
json.dump(report, open("build/package-report.json", "w"), indent=2)
print(f"package-check: bundle {report['bundle_mb']} MiB, {report['deb']} {report['deb_mb']} MiB, "
      f"make package {build_s} s; figures in build/package-report.json")
PY
echo "package-check: OK in $(( $(date +%s) - started )) s"
