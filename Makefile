# Two commands do everything on a fresh machine (see README.md):
#   make run    install what is needed and open the kiosk on the sandbox gateway
#   make test   install what is needed and run lint, types and the whole test suite
.PHONY: run test bench bench-manager killtest soak translations screenshots manager-screenshots constraints clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

bench:
	@scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -o addopts="" tests/bench -s -q

# The manager screen on 100 000 journal rows over 30 days: open today's view
# (goal <= 300 ms), change a filter (<= 100 ms), the day's totals (<= 100 ms), RSS.
bench-manager:
	@scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -o addopts="" tests/bench/test_bench_manager.py -s -q

# 200 checkouts SIGKILLed at random points, restarted and compared with the
# sandbox's own record (the default suite runs 20). SEED=n repeats a run.
killtest:
	@scripts/setup.sh test
	.venv/bin/python -m tests.faults.killtest --trials 200 $(if $(SEED),--seed $(SEED))

# 1 000 sandbox checkouts in one process: RSS growth (goal <= 10 MB) and journal size.
soak:
	@scripts/setup.sh test
	.venv/bin/python benchmarks/soak.py --checkouts 1000

# The Linux package (packaging/README.md): a PyInstaller bundle in dist/qr-kiosk
# and dist/qr-kiosk_<version>_<arch>.deb. package-check builds it, then runs the
# bundle's and the installed .deb's `kiosk --smoke` away from this checkout and
# measures size and cold start (about a minute: not part of make test).
.PHONY: package package-check
package:
	@packaging/build.sh

package-check:
	@packaging/check.sh

# The .deb on a bare Debian 12 (debootstrap chroot, apt resolves its Depends), then
# `kiosk --smoke` inside. Root and the Debian archive; kept in build/chroot.
.PHONY: package-check-chroot
package-check-chroot:
	@packaging/chroot_check.sh

# Qt translations: collect the strings from the sources, then compile them.
translations:
	.venv/bin/pyside6-lupdate $$(find kiosk/ui kiosk/app -name '*.py' | sort) -ts resources/translations/kiosk_th.ts -no-obsolete
	.venv/bin/pyside6-lrelease resources/translations/kiosk_th.ts -qm resources/translations/kiosk_th.qm

# Every screen in both languages from a real window on a virtual screen (Xvfb), at
# 1024x768, 1280x800, 1920x1080 and 1080x1920: docs/screenshots/<size>/.
screenshots:
	@scripts/setup.sh run
	scripts/screenshots.sh

# The manager screen (PIN, a day of sales, the Z confirmation) in both languages: part of
# `make screenshots`; this takes one size only.
manager-screenshots:
	@scripts/setup.sh run
	SIZES=1280x800 scripts/screenshots.sh

constraints:
	.venv/bin/python -m pip freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel)==' \
	  | (echo "# Exact versions of every package the venv holds (transitive too), names and"; \
	     echo "# versions only. Regenerate with: make constraints"; cat) > constraints.txt

clean:
	rm -rf .venv .mypy_cache .ruff_cache
