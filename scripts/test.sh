#!/usr/bin/env bash
# Set up (once) and run every check: ruff (lint and format), then the whole pytest suite (browser tests included).
# Arguments go to pytest: scripts/test.sh -m "not browser and not slow" is the quick inner loop.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=requirements-dev.txt source scripts/venv.sh
# The browser tests drive Debian's Chromium; CJK fonts make the screenshots readable.
if ! command -v chromium >/dev/null 2>&1 || [ ! -d /usr/share/fonts/opentype/noto ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    apt-get update -qq >/dev/null && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
  fi
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
exec .venv/bin/python -m pytest -q "$@"
