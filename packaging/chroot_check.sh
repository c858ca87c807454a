#!/usr/bin/env bash
# make package-check-chroot: install the .deb on a bare Debian 12 (a
# debootstrap chroot, minbase) with apt resolving its Depends from the Debian
# archive, then run `kiosk --smoke` offscreen inside. This proves the package
# names every system library it needs. Root, network to the Debian archive,
# ~3-5 min the first time (the chroot is kept in build/chroot for next time).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(id -u)" = 0 ] || { echo "chroot-check: needs root (debootstrap, chroot)" >&2; exit 1; }
command -v debootstrap >/dev/null || {
  apt-get install -y -qq debootstrap >/dev/null || { apt-get update -qq && apt-get install -y -qq debootstrap >/dev/null; }
}
deb=$(ls -t dist/qr-kiosk_*.deb 2>/dev/null | head -n1 || true)
[ -n "$deb" ] || { packaging/build.sh; deb=$(ls -t dist/qr-kiosk_*.deb | head -n1); }
root=build/chroot
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "chroot-check: debootstrap bookworm (minbase) into $root"
  rm -rf "$root"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >build/debootstrap.log 2>&1 \
    || { tail -20 build/debootstrap.log; exit 1; }
fi
cleanup() { umount "$root/proc" 2>/dev/null || true; }
trap cleanup EXIT
mount -t proc proc "$root/proc"
cp "$deb" "$root/tmp/qr-kiosk.deb"
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
  sh -c 'apt-get -qq update && apt-get install -y -qq --no-install-recommends /tmp/qr-kiosk.deb' \
  >build/chroot-apt.log 2>&1 || { tail -20 build/chroot-apt.log; exit 1; }
echo "chroot-check: installed with apt ($(grep -c "^Setting up" build/chroot-apt.log) packages set up, the Depends included)"
out=$(chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin HOME=/tmp TMPDIR=/tmp LANG=C.UTF-8 \
  QT_QPA_PLATFORM=offscreen kiosk --smoke 2>build/chroot-smoke.err) \
  || { cat build/chroot-smoke.err; echo "chroot-check: FAILED: $out" >&2; exit 1; }
echo "$out" | tail -n1
echo "$out" | tail -n1 | grep -q '"ok": true' || { echo "chroot-check: FAILED" >&2; exit 1; }
chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin apt-get purge -y -qq --autoremove qr-kiosk >/dev/null 2>&1
echo "chroot-check: OK (bare Debian 12 + apt: kiosk --smoke paid; removed cleanly)"
