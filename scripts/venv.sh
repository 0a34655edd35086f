# Sourced by start.sh and test.sh: create .venv with Python 3.11+ and install the pinned requirements.
# REQUIREMENTS picks the file (requirements.txt by default); pip only runs when it changed.
PYTHON="${PYTHON:-python3}"
REQUIREMENTS="${REQUIREMENTS:-requirements.txt}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
  .venv/bin/python -m pip install --quiet --upgrade pip
fi
stamp=".venv/.installed-$(cat "$REQUIREMENTS" requirements.txt | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install --quiet -r "$REQUIREMENTS"
  touch "$stamp"
fi
