#!/usr/bin/env bash
# Install (first time) and start MAGDi Studio on the embedded SQLite store with the demo set.
# Extra arguments go to `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
.venv/bin/python -m app demo
echo "MAGDi Studio: http://127.0.0.1:8501 (store: ${MAGDI_DATABASE_URL:-var/magdi.db})"
exec .venv/bin/streamlit run app/main.py "$@"
