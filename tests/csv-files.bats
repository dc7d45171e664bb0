#!/usr/bin/env bats
# How the data files read, whatever way a command reads them: whole, or
# only the records of some days (appt-list). Found by tests/fuzz/csv.c.

setup() {
	load lib/common
	fixture -e
	M=$D/appointments/2026-11.csv
}

@test "blank lines before the header: a day's listing reads the header" {
	appt-list 2026-11-24 > "$BATS_TEST_TMPDIR/before"
	sed -i '1i\\' "$M"
	sed -i '1i\\' "$M"
	run appt-list 2026-11-24
	assert_success
	assert_output "$(cat "$BATS_TEST_TMPDIR/before")"
	run appt-check
	assert_success
}
