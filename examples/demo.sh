#!/bin/sh
# make demo: an example business in demo/, and a look at its day.
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
export APPT_DIR="$PWD/demo"
rm -rf demo
appt-init --example demo
echo "== an example business in demo/ (APPT_DIR=$APPT_DIR)"
echo
echo "== appt-check: is the data sound?"
appt-check && echo "ok"
echo
echo "== today's appointments: appt-list -o table"
appt list -o table
