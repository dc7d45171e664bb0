#!/usr/bin/env bats
# Bad input, as the foundation promises it: refused with the right exit
# code and a message naming the file and line or the argument, and the
# data directory byte-identical afterwards.

setup() {
	load lib/common
	fixture -e
}

@test "a torn quoted field in customers.csv: exit 3, file:line, nothing changed" {
	printf '9,"Torn Name,t@example.com\n' >> "$D/customers.csv"
	run_refused 3 "customers.csv:10: unterminated quoted field" \
	    appt-customer add --name "New One" --email new@example.com
}

@test "a ragged row in services.csv: exit 3, file:line, nothing changed" {
	printf 'extra,Extra,30m\n' >> "$D/services.csv"
	run_refused 3 "services.csv:6: 3 fields, the header has 10" \
	    appt-book -s cut -c 1 --at "tomorrow 12:00"
}

@test "a config line over 1024 bytes: exit 3 naming config.ini:LINE" {
	printf 'address = %01100d\n' 0 >> "$D/config.ini"
	run_refused 3 "" appt-book -s cut -c 1 --at "tomorrow 12:00"
	assert_regex "$stderr" 'config\.ini:[0-9]+: line longer than'
}

@test "2026-02-30 is no date: exit 2 naming the argument" {
	run_refused 2 "2026-02-30 10:00: no such date" \
	    appt-book -s cut -c 1 --at "2026-02-30 10:00"
}

@test "a time in the spring-forward gap: exit 2" {
	run_refused 2 "daylight saving" appt-move 30 "2027-03-28 02:30"
}

@test "CR or LF inside a name: exit 2 naming --name" {
	run_refused 2 "--name" appt-customer add \
	    --name $'Eve\r\nBcc: x@example.com' --email eve@example.com
	run_refused 2 "" appt-book -s cut --at "tomorrow 12:00" \
	    --name $'Eve\nX' --email eve@example.com
}

@test "an over-long field: as an argument exit 2, in a file exit 3" {
	long=$(head -c 70000 /dev/zero | tr '\0' x)
	run_refused 2 "longer than" appt-customer add --name "$long" \
	    --email long@example.com
	printf '9,%s,l@example.com,,,,,\n' "$long" >> "$D/customers.csv"
	run_refused 3 "customers.csv:10: field longer than" appt-list
}

@test "a range before 1900 is no range: exit 2, not 1970" {
	run_refused 2 "-8882w..-8w: no such date" appt-list -- -8882w..-8w
	run_refused 2 "-8000w: no such date" appt-slots -- -8000w
}
