#!/usr/bin/env bats
# Bad input, as the foundation promises it: refused with the right exit
# code and a message naming the file and line or the argument, and the
# data directory byte-identical afterwards.

setup() {
	load lib/common
	fixture -e
	before=$(snapshot)
}

unchanged() {
	assert_equal "$(snapshot)" "$before"
}

@test "a torn quoted field in customers.csv: exit 3, file:line, nothing changed" {
	printf '9,"Torn Name,t@example.com\n' >> "$D/customers.csv"
	before=$(snapshot)
	run appt-customer add --name "New One" --email new@example.com
	assert_failure 3
	assert_output --partial "customers.csv:10: unterminated quoted field"
	unchanged
}

@test "a ragged row in services.csv: exit 3, file:line, nothing changed" {
	printf 'extra,Extra,30m\n' >> "$D/services.csv"
	before=$(snapshot)
	run appt-book -s cut -c 1 --at "tomorrow 12:00"
	assert_failure 3
	assert_output --partial "services.csv:6: 3 fields, the header has 10"
	unchanged
}

@test "a config line over 1024 bytes: exit 3 naming config.ini:LINE" {
	printf 'address = %01100d\n' 0 >> "$D/config.ini"
	before=$(snapshot)
	run appt-book -s cut -c 1 --at "tomorrow 12:00"
	assert_failure 3
	assert_output --regexp 'config\.ini:[0-9]+: line longer than'
	unchanged
}

@test "2026-02-30 is no date: exit 2 naming the argument" {
	run appt-book -s cut -c 1 --at "2026-02-30 10:00"
	assert_failure 2
	assert_output --partial "2026-02-30 10:00: no such date"
	unchanged
}

@test "a time in the spring-forward gap: exit 2" {
	run appt-move 30 "2027-03-28 02:30"
	assert_failure 2
	assert_output --partial "daylight saving"
	unchanged
}

@test "CR or LF inside a name: exit 2 naming --name" {
	run appt-customer add --name $'Eve\r\nBcc: x@example.com' \
	    --email eve@example.com
	assert_failure 2
	assert_output --partial "--name"
	run appt-book -s cut --at "tomorrow 12:00" --name $'Eve\nX' \
	    --email eve@example.com
	assert_failure 2
	unchanged
}

@test "an over-long field: as an argument exit 2, in a file exit 3" {
	long=$(head -c 70000 /dev/zero | tr '\0' x)
	run appt-customer add --name "$long" --email long@example.com
	assert_failure 2
	assert_output --partial "longer than"
	unchanged
	printf '9,%s,l@example.com,,,,,\n' "$long" >> "$D/customers.csv"
	before=$(snapshot)
	run appt-list
	assert_failure 3
	assert_output --partial "customers.csv:10: field longer than"
	unchanged
}

@test "a range before 1900 is no range: exit 2, not 1970" {
	run appt-list -- -8882w..-8w
	assert_failure 2
	assert_output --partial "-8882w..-8w: no such date"
	run appt-slots -- -8000w
	assert_failure 2
	assert_output --partial "-8000w: no such date"
}
