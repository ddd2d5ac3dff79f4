#!/usr/bin/env bash
# Create .venv in the repo root and install the pinned packages; quick when nothing changed.
# Usage: scripts/setup.sh [app|dev]   (dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-app}
req=requirements.txt
[ "$kind" = dev ] && req=requirements-dev.txt
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$kind"
want=$(cat requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing $req into .venv ..."
  # the grep drops one known warning and always succeeds, so pip's status decides (pipefail)
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -r "$req" 2>&1 \
      | { grep -v "is ignored: it is neither" || true; }; then
    echo "error: pip could not install $req" >&2
    exit 1
  fi
  .venv/bin/python -m pip check >/dev/null
  echo "$want" > "$stamp"
fi
# Make the project importable from anywhere (bench scripts, the worker, streamlit pages).
site=$(.venv/bin/python -c "import sysconfig; print(sysconfig.get_paths()['purelib'])")
[ "$(cat "$site/magdi-studio.pth" 2>/dev/null)" = "$PWD" ] || echo "$PWD" > "$site/magdi-studio.pth"
