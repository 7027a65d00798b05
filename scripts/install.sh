#!/usr/bin/env bash
# Creates .venv with a Python 3.10 (recreating one of another version) and installs the exact
# versions in constraints.txt, with pip's progress bars.
set -euo pipefail
venv=.venv
python_bin="$(scripts/find-python.sh)"
echo "using $python_bin"
if ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; then
  rm -rf "$venv"
  "$python_bin" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip==24.3.1
"$venv/bin/python" -m pip install --progress-bar on -c constraints.txt -e '.[test,dev]'
