# Shared set-up for the bats suites. APPT_BIN picks the build under test
# (bin/ or build/asan/bin); every test gets its own data directory and a
# fixed clock.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${APPT_BIN:=$TOP/bin}"
case $APPT_BIN in /*) ;; *) APPT_BIN=$TOP/$APPT_BIN ;; esac
export PATH="$APPT_BIN:$PATH"
export APPT_SHARE="$TOP/share/appt"
export APPT_NOW=2026-11-23T08:00
export TZ=Europe/Berlin
export NO_COLOR=1
export LC_ALL=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
unset APPT_DIR XDG_DATA_HOME VISUAL EDITOR
D="$BATS_TEST_TMPDIR/data"
export APPT_DIR="$D"

# A fresh example directory in $D.
example() {
	appt-init --example "$D"
}

# An empty directory in $D with the given config.ini body (stdin).
empty() {
	appt-init "$D"
	if [ ! -t 0 ]; then cat > "$D/config.ini"; fi
}

# A digest of every file of the data directory, to prove nothing changed
# (the lock and the derived indexes .customers.idx and .months.idx aside).
snapshot() {
	(cd "$D" && find . -type f ! -name .lock ! -name .customers.idx \
	    ! -name .months.idx -print0 | sort -z | xargs -0 sha256sum)
}

# Write a CSV file of the data directory from stdin.
put() {
	cat > "$D/$1"
}
