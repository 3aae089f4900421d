#!/bin/sh
# Stops only the sshd processes that start-sshd.sh recorded in DIR/pids.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=${1:-$here/../../.scratch/sshd}
[ -f "$dir/pids" ] || exit 0
for pid in $(cat "$dir/pids"); do kill "$pid" 2>/dev/null || true; done
rm -f "$dir/pids"
