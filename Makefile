# Two commands do everything on a fresh machine (see README.md):
#   make run    install what is needed and open the kiosk on the sandbox gateway
#   make test   install what is needed and run lint, types and the whole test suite
.PHONY: run test bench constraints clean

run:
	@scripts/run.sh

test:
	@scripts/test.sh

bench:
	@scripts/setup.sh test
	QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/bench -s -q -p no:randomly

constraints:
	.venv/bin/python -m pip freeze --exclude-editable | grep -v -i -E '^(pip|setuptools|wheel)==' \
	  | (echo "# Exact versions of every package the venv holds (transitive too), names and"; \
	     echo "# versions only. Regenerate with: make constraints"; cat) > constraints.txt

clean:
	rm -rf .venv .mypy_cache .ruff_cache
