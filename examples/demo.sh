#!/bin/sh
# make demo: an example business in demo/, and a look at its day.
set -e
cd "$(dirname "$0")/.."
PATH="$PWD/bin:$PATH"
export APPT_DIR="$PWD/demo"
rm -rf demo
appt-init --example demo
if [ -t 1 ] && [ -z "$NO_COLOR" ]; then b=$(printf '\033[1m') n=$(printf '\033[0m'); else b= n=; fi
say() { printf '\n%s$ %s%s\n' "$b" "$*" "$n"; }
echo "An example hair salon is in demo/. Try the commands with APPT_DIR=$APPT_DIR."
say appt-check
appt-check && echo "no problems"
say appt-list --agenda tomorrow
appt-list --agenda tomorrow
say appt-slots tomorrow -s cut -w sam -o table
appt-slots tomorrow -s cut -w sam -o table | head -8
say appt-book -s cut -c zoe.mueller@example.net --first --no-notify -o table
appt-book -s cut -c zoe.mueller@example.net --first --no-notify -o table
say appt-flag check -o table
appt-flag check -o table
say appt-list tomorrow -o table
appt-list tomorrow -o table
say appt-eta -o table
appt-eta -o table
say appt-invoice list -o table
appt-invoice list -o table
inv=$(appt-invoice list --unpaid -o csv | tail -n 1 | cut -d, -f1)
say appt-invoice show "$inv"
appt-invoice show "$inv"
printf '\nMail needs an msmtp account: see examples/msmtprc and man appt-send.\n'
