#!/usr/bin/env bash
# Create .venv in the repo root and install the pinned packages; quick when nothing changed.
# Usage: scripts/setup.sh [app|dev]   (dev adds the test tools)
set -euo pipefail
cd "$(dirname "$0")/.."
kind=${1:-app}
# The package (pyproject.toml) is installed editable; the pinned set in requirements*.txt is
# passed as constraints, which keeps torch at its local CPU build.
pins=requirements.txt target=.
[ "$kind" = dev ] && pins=requirements-dev.txt target=".[dev]"
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=".venv/.installed-$kind"
want=$(cat pyproject.toml requirements.txt requirements-dev.txt | sha256sum | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "installing $target (pins: $pins) into .venv ..."
  # the grep drops one known warning and always succeeds, so pip's status decides (pipefail)
  if ! .venv/bin/python -m pip install -q --disable-pip-version-check -c "$pins" -e "$target" 2>&1 \
      | { grep -v "is ignored: it is neither" || true; }; then
    echo "error: pip could not install $target" >&2
    exit 1
  fi
  .venv/bin/python -m pip check >/dev/null
  echo "$want" > "$stamp"
fi
