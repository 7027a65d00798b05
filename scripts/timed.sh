#!/usr/bin/env bash
# Runs a command, then says how long it took: scripts/timed.sh "what it was" command [args...]
# Exits with the command's own status.
set -uo pipefail
what="$1"; shift
start=$(date +%s)
"$@"
status=$?
elapsed=$(( $(date +%s) - start ))
outcome=$([ "$status" -eq 0 ] && echo "done" || echo "FAILED")
printf '    %s %s in %dm %02ds\n' "$what" "$outcome" $(( elapsed / 60 )) $(( elapsed % 60 ))
exit "$status"
