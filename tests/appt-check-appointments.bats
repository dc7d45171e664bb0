#!/usr/bin/env bats
# appt-check on appointments: overlaps of one staff member, the traces of
# an interrupted move between month files, true duplicates; and
# appt-customer show, which gathers a customer's appointments from every
# month file.
# APPT_NOW is Monday 2026-11-23T08:00, Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

@test "appt-check: the fixture of this suite is sound" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked
	2,2026-11-24T10:45+01:00,2026-11-24T11:30+01:00,cut,ann,2,booked
	3,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,bob,3,booked
	EOF
	check
	assert_success
	assert_output ""
}

@test "appt-check: two overlapping appointments of one staff member" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked
	3,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,bob,3,booked
	2,2026-11-24T10:30+01:00,2026-11-24T11:15+01:00,cut,ann,2,booked
	EOF
	check
	assert_failure 3
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --regexp '^appointments/2026-11\.csv:4: .*overlap'
	assert_output --partial "appointment 1"
	assert_output --partial ann
	[[ $stderr == *"1 problem"* ]]
}

@test "appt-check: an overlap across the end of a month" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-30T23:30+01:00,2026-12-01T00:30+01:00,cut,ann,1,booked
	EOF
	month 2026-12 <<-'EOF'
	2,2026-12-01T09:00+01:00,2026-12-01T09:45+01:00,cut,ann,2,booked
	3,2026-12-01T00:00+01:00,2026-12-01T00:45+01:00,cut,ann,3,booked
	EOF
	check
	assert_failure 3
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --regexp '^appointments/2026-12\.csv:3: '
	assert_output --partial "appointment 1"
	assert_output --partial "appointments/2026-11.csv:2"
}

@test "appt-check: the same overlap is fine when one of the two is cancelled" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,cancelled
	2,2026-11-24T10:30+01:00,2026-11-24T11:15+01:00,cut,ann,2,booked
	EOF
	check
	assert_success
	assert_output ""
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked
	2,2026-11-24T10:30+01:00,2026-11-24T11:15+01:00,cut,ann,2,cancelled
	EOF
	check
	assert_success
	assert_output ""
}

@test "appt-check: an id in two month files with different updated is an interrupted move" {
	fixture -s "ann bob" -q
	# appt-move writes the new month before the old one loses the row.
	appts 2026-11 <<-EOF
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,2,booked,45.00,,,$OLD,$OLD,,
	7,2026-11-30T10:00+01:00,2026-11-30T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,
	EOF
	appts 2026-12 <<-EOF
	7,2026-12-02T10:00+01:00,2026-12-02T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,
	EOF
	check
	assert_success
	assert_output ""
	# The order of the files does not matter: a move back to November.
	appts 2026-11 <<-EOF
	7,2026-11-30T10:00+01:00,2026-11-30T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,
	EOF
	appts 2026-12 <<-EOF
	7,2026-12-02T10:00+01:00,2026-12-02T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,
	EOF
	check
	assert_success
	assert_output ""
}

@test "appt-check: an interrupted move over its own old time is not an overlap" {
	fixture -s "ann bob" -q
	# Moved with --force 30 minutes on, across midnight into December.
	appts 2026-11 <<-EOF
	7,2026-11-30T23:30+01:00,2026-12-01T00:15+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,
	EOF
	appts 2026-12 <<-EOF
	7,2026-12-01T00:00+01:00,2026-12-01T00:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,
	EOF
	check
	assert_success
	assert_output ""
}

@test "appt-check: one id on two different appointments in two month files" {
	fixture -s "ann bob" -q
	appts 2026-11 <<-EOF
	7,2026-11-30T10:00+01:00,2026-11-30T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,
	EOF
	appts 2026-12 <<-EOF
	1,2026-12-01T10:00+01:00,2026-12-01T10:45+01:00,cut,ann,2,booked,45.00,,,$OLD,$OLD,,
	7,2026-12-02T10:00+01:00,2026-12-02T11:30+01:00,colour,ann,3,booked,45.00,,,2026-11-02T10:00+01:00,$OLD,,
	EOF
	check
	assert_failure 3
	assert_equal "${#lines[@]}" 1
	assert_line --index 0 --regexp '^appointments/2026-12\.csv:3: .*7'
}

@test "appt-check: the same id twice in one month file is reported" {
	fixture -s "ann bob" -q
	appts 2026-11 <<-EOF
	7,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,
	7,2026-11-25T10:00+01:00,2026-11-25T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,
	EOF
	check
	assert_failure 3
	assert_line --regexp '^appointments/2026-11\.csv:3: .*7'
}

@test "appt-check: appt-move between months leaves a sound directory" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	7,2026-11-30T10:00+01:00,2026-11-30T10:45+01:00,cut,ann,1,booked
	EOF
	run appt-move 7 2026-12-02T10:00
	assert_success
	check
	assert_success
	assert_output ""
	run grep -c '^7,' "$D/appointments/2026-11.csv" \
	    "$D/appointments/2026-12.csv"
	assert_output - <<-EOF
	$D/appointments/2026-11.csv:0
	$D/appointments/2026-12.csv:1
	EOF
}

@test "appt-customer show: appointments from several month files in start order" {
	fixture -s "ann bob" -q
	month 2026-10 <<-'EOF'
	4,2026-10-20T10:00+02:00,2026-10-20T10:45+02:00,cut,ann,1,done
	3,2026-10-06T10:00+02:00,2026-10-06T10:45+02:00,cut,bob,1,no-show
	5,2026-10-07T10:00+02:00,2026-10-07T10:45+02:00,cut,bob,2,done
	EOF
	month 2026-11 <<-'EOF'
	9,2026-11-30T09:00+01:00,2026-11-30T09:45+01:00,cut,ann,1,booked
	6,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,2,booked
	8,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,cancelled
	2,2026-11-02T10:00+01:00,2026-11-02T10:45+01:00,cut,ann,1,done
	EOF
	month 2027-01 <<-'EOF'
	10,2027-01-12T10:00+01:00,2027-01-12T10:45+01:00,cut,ann,1,booked
	EOF
	run appt-check
	assert_success
	run --separate-stderr appt-customer show 1
	assert_success
	assert_output --partial "Zoë Müller"
	assert_output --partial "zoe@example.net"
	# The appointment rows, in the order printed: id and start.
	run bash -c "sed -n '/^appointments/,\$p' <<< \"\$0\" |
	    awk '\$1 ~ /^[0-9]+\$/ { print \$1, \$2 }'" "$output"
	assert_output - <<-'EOF'
	3 2026-10-06T10:00+02:00
	4 2026-10-20T10:00+02:00
	2 2026-11-02T10:00+01:00
	8 2026-11-24T09:00+01:00
	9 2026-11-30T09:00+01:00
	10 2027-01-12T10:00+01:00
	EOF
	run --separate-stderr appt-customer show 2
	assert_success
	run bash -c "sed -n '/^appointments/,\$p' <<< \"\$0\" |
	    awk '\$1 ~ /^[0-9]+\$/ { print \$1 }' | paste -sd' ' -" "$output"
	assert_output "5 6"
	run --separate-stderr appt-customer show 99
	assert_failure 1
}

@test "appt-check: the change counter seq: absent, empty or a whole number; else reported" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-EOF
	$APPT_HEADER,seq
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,,
	2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,ann,2,booked,45.00,,,$OLD,$OLD,,,0
	3,2026-11-24T12:00+01:00,2026-11-24T12:45+01:00,cut,ann,3,booked,45.00,,,$OLD,$OLD,,,12
	EOF
	month 2026-12 <<-'EOF'
	4,2026-12-01T10:00+01:00,2026-12-01T10:45+01:00,cut,ann,1,booked
	EOF
	check
	assert_success
	assert_output ""
	# A move counts on from where the row stands; the other rows stay.
	run --separate-stderr appt-move 3 2026-11-24T14:00
	assert_success
	assert_equal "$(afield 2026-11 3 seq)" 13
	assert_equal "$(afield 2026-11 2 seq)" 0
	run --separate-stderr appt-status 4 confirmed
	assert_success
	assert_equal "$(afield 2026-12 4 seq)" 1
	check
	assert_success
	put appointments/2026-11.csv <<-EOF
	$APPT_HEADER,seq
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$OLD,,,-1
	2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,ann,2,booked,45.00,,,$OLD,$OLD,,,x
	EOF
	check
	assert_failure 3
	assert_output - <<-'EOF'
	appointments/2026-11.csv:2: seq '-1': not a whole number (0, 1, 2, ...)
	appointments/2026-11.csv:3: seq 'x': not a whole number (0, 1, 2, ...)
	EOF
	# A command that would count on from it stops, and changes nothing.
	local before=$(snapshot)
	run --separate-stderr appt-status 2 confirmed
	assert_failure 3
	[[ $stderr == *"appointments/2026-11.csv:3: seq 'x': not a whole number"* ]] ||
	    fail "stderr: $stderr"
	assert_equal "$(snapshot)" "$before"
}
