#!/usr/bin/env bash
# The Python `openai` package for the SDK tests (backend/test/sdk/), in a venv under
# deploy/python-sdk/.cache/venv (git-ignored). Idempotent: rebuilt only when the pinned
# requirements change. Needs python3 with its venv module; pip installs from PyPI.
set -euo pipefail
cd "$(dirname "$0")/../.."

REQUIREMENTS=backend/test/sdk/python/requirements.txt
VENV=deploy/python-sdk/.cache/venv
STAMP="$VENV/.requirements.sha256"
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"

if [ -x "$VENV/bin/python" ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
command -v python3 >/dev/null || { echo "python-sdk: python3 is required for the Python SDK tests" >&2; exit 1; }
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  echo "python-sdk: installing Debian's python3-venv"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq python3-venv >/dev/null
fi
echo "python-sdk: creating $VENV ($(python3 --version))"
rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS"
echo "$want" >"$STAMP"
