#!/usr/bin/env bash
# Set up (once) and start the dashboard. On first start it builds the demo database by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/venv.sh
# X-Forwarded-For is believed only from the proxies named in BRANCHBOARD_TRUSTED_PROXIES (comma separated
# addresses or networks, e.g. 127.0.0.1 when nginx runs on this host); none by default. See README "Hosting".
export FORWARDED_ALLOW_IPS="${BRANCHBOARD_TRUSTED_PROXIES:-}"
exec .venv/bin/streamlit run app.py "$@"
