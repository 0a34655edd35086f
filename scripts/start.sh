#!/usr/bin/env bash
# Set up (once) and start the dashboard. On first start it builds the demo database by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
exec .venv/bin/streamlit run app.py "$@"
