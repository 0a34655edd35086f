#!/usr/bin/env bash
# Set up (once) and run every check: ruff (lint and format), mypy, sqlfluff over queries/, then the whole pytest suite
# (browser tests included).
# Arguments go to pytest: scripts/test.sh -m "not browser and not slow" is the quick inner loop.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUIREMENTS=requirements-dev.txt source scripts/venv.sh
# The browser tests and the report's charts drive Debian's Chromium; CJK fonts make screenshots and charts readable;
# LibreOffice Writer opens the generated Word report the way a committee's office would (converted to PDF), and Calc
# the exported XLSX (what its cells display).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -d /usr/share/fonts/opentype/noto ] || missing+=(fonts-noto-cjk)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || missing+=(libreoffice-writer-nogui)
[ -e /usr/lib/libreoffice/program/libsclo.so ] || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy  # files and settings in pyproject.toml
.venv/bin/sqlfluff lint queries  # settings and the rules left out, with why, in .sqlfluff
exec .venv/bin/python -m pytest -q "$@"
