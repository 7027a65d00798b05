#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter (rasa 3.6 supports 3.8-3.10 only).
# Looks for python3.10 on PATH, then in pyenv's versions, then in uv's managed Pythons.
set -euo pipefail

is_310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' 2>/dev/null; }

if command -v python3.10 >/dev/null 2>&1 && is_310 "$(command -v python3.10)"; then
  command -v python3.10; exit 0
fi
pyenv_root="${PYENV_ROOT:-$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")}"
for candidate in $(ls -d "$pyenv_root"/versions/3.10*/bin/python3.10 2>/dev/null | sort -V -r); do
  if is_310 "$candidate"; then echo "$candidate"; exit 0; fi
done
if command -v uv >/dev/null 2>&1; then
  candidate="$(uv python find 3.10 2>/dev/null || true)"
  if [ -n "$candidate" ] && is_310 "$candidate"; then echo "$candidate"; exit 0; fi
fi
echo "error: ILP Advisor needs Python 3.10 (rasa 3.6 supports 3.8-3.10) and none was found." >&2
echo "       Looked for python3.10 on PATH, in $pyenv_root/versions/3.10*, and through 'uv python find 3.10'." >&2
echo "       Install Python 3.10 (for example 'pyenv install 3.10') and run make again." >&2
exit 1
