#!/usr/bin/env bash
# Install (first time) and start MAGDi Studio on the embedded SQLite store with the demo set,
# with a job worker beside the app. Extra arguments go to `python -m app serve` and on to `streamlit run`
# (e.g. --server.port 8600); an address that is not loopback needs sign-in (README, Deploying for a team).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
.venv/bin/python -m app demo
mkdir -p var
.venv/bin/python -m app worker >> var/worker.log 2>&1 &
worker=$!
trap 'kill "$worker" 2>/dev/null; wait "$worker" 2>/dev/null' EXIT
echo "MAGDi Studio (store: ${MAGDI_DATABASE_URL:-var/magdi.db}; worker log: var/worker.log); Streamlit prints the URL below"
.venv/bin/python -m app serve "$@"
