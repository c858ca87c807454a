"""The Debian packages a PyInstaller bundle needs from the system, for DEBIAN/control.

    python3 packaging/deb_depends.py dist/qr-kiosk

prints two lines, ``Depends: …`` and ``Recommends: …``. Every ELF file of the
bundle is run through ldd with the bundle's own folders first on the library
path (as the bootloader arranges at run time); each library that resolves
outside the bundle is mapped to its package with ``dpkg -S``. Libraries that
only optional Qt plugins need (Wayland, EGLFS, VNC, evdev input…) become
Recommends; the rest, plus what is opened at run time without being linked
(tzdata for zoneinfo, fontconfig's configuration), are Depends.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

# Plugins the kiosk can run without: their libraries are only recommended.
OPTIONAL = re.compile(
    r"plugins/(wayland-|egldeviceintegrations|generic|networkinformation|"
    r"platforminputcontexts|platforms/lib(?!qxcb|qoffscreen|qminimal))"
    r"|Qt/lib/libQt6(Wayland|WlShell|EglF)"
)
# Needed at run time, but never linked: found by name, so ldd cannot see them.
ALWAYS = ("libc6", "tzdata", "fontconfig-config", "fonts-dejavu-core")
# Libraries of optional plugins that a build machine may not have installed.
KNOWN = {"libwayland-cursor.so.0": "libwayland-cursor0", "libwayland-egl.so.1": "libwayland-egl1"}


def elf_files(bundle: Path) -> list[Path]:
    found = []
    for path in sorted(bundle.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as fh:
                if fh.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def outside_libraries(
    path: Path, bundle: Path, env: dict[str, str], *, optional: bool, missing: set[str]
) -> set[str]:
    out = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env).stdout
    libs = set()
    for line in out.splitlines():
        match = re.search(r"=>\s+(/\S+)", line)
        if match and not match.group(1).startswith(str(bundle)):
            libs.add(os.path.realpath(match.group(1)))
        elif "not found" in line:
            where = path.relative_to(bundle)
            if not optional:
                raise SystemExit(f"{where}: {line.strip()} (install it before building)")
            # An optional plugin whose libraries this build machine lacks: the
            # plugin simply does not load where they are missing too.
            missing.add(line.split()[0])
    return libs


def package_of(library: str, cache: dict[str, str]) -> str:
    if library not in cache:
        result = subprocess.run(["dpkg", "-S", library], capture_output=True, text=True)
        if result.returncode != 0:  # /lib -> /usr/lib merged layouts: ask for the other name
            other = library.replace("/usr/lib/", "/lib/", 1)
            if other == library:
                other = library.replace("/lib/", "/usr/lib/", 1)
            result = subprocess.run(["dpkg", "-S", other], capture_output=True, text=True)
        if result.returncode != 0:
            raise SystemExit(f"no Debian package owns {library}")
        cache[library] = result.stdout.split(":", 1)[0].strip()
    return cache[library]


def main(bundle: Path) -> None:
    bundle = bundle.resolve()
    internal = bundle / "_internal"
    paths = [internal, internal / "PySide6" / "Qt" / "lib", internal / "PySide6"]
    env = dict(os.environ, LD_LIBRARY_PATH=":".join(str(p) for p in paths))
    cache: dict[str, str] = {}
    required: set[str] = set(ALWAYS)
    optional: set[str] = set()
    missing: set[str] = set()
    for path in elf_files(bundle):
        is_optional = bool(OPTIONAL.search(path.as_posix()))
        target = optional if is_optional else required
        for library in outside_libraries(path, bundle, env, optional=is_optional, missing=missing):
            target.add(package_of(library, cache))
    optional.update(KNOWN[name] for name in missing if name in KNOWN)
    unknown = sorted(name for name in missing if name not in KNOWN)
    if unknown:
        print(f"note: optional plugins need {', '.join(unknown)}", file=sys.stderr)
    optional -= required
    print("Depends: " + ", ".join(sorted(required)))
    print("Recommends: " + ", ".join(sorted(optional)))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
