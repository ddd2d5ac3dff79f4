#!/usr/bin/env bash
# Install everything the tests need, check lint and format (ruff), and run the whole suite
# (SQLite and PostgreSQL stores, real browser). Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]} with apt-get ..."
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}" >/dev/null
fi
bash scripts/setup.sh dev
echo "ruff: lint and format check ..."
.venv/bin/ruff check --quiet .
.venv/bin/ruff format --check --quiet .
MAGDI_TEST_POSTGRES_URL=$(bash scripts/postgres.sh start)
export MAGDI_TEST_POSTGRES_URL
trap 'bash scripts/postgres.sh stop' EXIT
set +e
.venv/bin/python -m pytest "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi
exit "$rc"
