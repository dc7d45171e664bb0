#!/usr/bin/env bats
# appt-slots: the free start times of a range (DESIGN "appt-slots").
# Every test gives the fixture the hours, staff and services of its own so
# that the expected slots can be listed exactly.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# The fixture with the [hours] lines $1, the [booking] lines $2 and the
# further sections $3; staff and services are each test's.
biz() {
	fixture -s sam -h "$1" -b "$2" -c "$3"
}

# appt-slots with the given arguments, as "start,staff" lines; the header
# must be there and the exit status is appt-slots'.
starts() {
	local out
	out=$(appt-slots -o csv "$@") || return
	[ "${out%%$'\n'*}" = "$SLOT_HEADER" ] ||
	    { echo "bad header: $out"; return 9; }
	printf '%s\n' "$out" | sed 1d | cut -d, -f1,3
}

# --- working hours, breaks, grid -----------------------------------------

@test "slots lie inside the working hours and no appointment crosses the break" {
	biz "mon = 09:00-12:30, 13:30-18:00" "granularity = 30m"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run --separate-stderr appt-slots -o csv 2026-11-23
	assert_success
	assert_output - <<-EOF
	$SLOT_HEADER
	2026-11-23T09:00+01:00,2026-11-23T10:00+01:00,sam,cut
	2026-11-23T09:30+01:00,2026-11-23T10:30+01:00,sam,cut
	2026-11-23T10:00+01:00,2026-11-23T11:00+01:00,sam,cut
	2026-11-23T10:30+01:00,2026-11-23T11:30+01:00,sam,cut
	2026-11-23T11:00+01:00,2026-11-23T12:00+01:00,sam,cut
	2026-11-23T11:30+01:00,2026-11-23T12:30+01:00,sam,cut
	2026-11-23T13:30+01:00,2026-11-23T14:30+01:00,sam,cut
	2026-11-23T14:00+01:00,2026-11-23T15:00+01:00,sam,cut
	2026-11-23T14:30+01:00,2026-11-23T15:30+01:00,sam,cut
	2026-11-23T15:00+01:00,2026-11-23T16:00+01:00,sam,cut
	2026-11-23T15:30+01:00,2026-11-23T16:30+01:00,sam,cut
	2026-11-23T16:00+01:00,2026-11-23T17:00+01:00,sam,cut
	2026-11-23T16:30+01:00,2026-11-23T17:30+01:00,sam,cut
	2026-11-23T17:00+01:00,2026-11-23T18:00+01:00,sam,cut
	EOF
	assert_equal "$stderr" ""
}

@test "a day the plan does not name, or names closed, has no slots" {
	biz $'mon = 09:00-10:00\ntue = closed' "granularity = 30m"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run starts 2026-11-23..2026-11-29
	assert_success
	assert_output "2026-11-23T09:00+01:00,sam"
}

@test "the service's buffers may run past closing time and into the break" {
	biz "mon = 09:00-12:30, 13:30-18:00" "granularity = 30m"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,30m,30m,,,
	EOF
	run starts 2026-11-23
	assert_success
	assert_output - <<-EOF
	2026-11-23T09:00+01:00,sam
	2026-11-23T09:30+01:00,sam
	2026-11-23T10:00+01:00,sam
	2026-11-23T10:30+01:00,sam
	2026-11-23T11:00+01:00,sam
	2026-11-23T11:30+01:00,sam
	2026-11-23T13:30+01:00,sam
	2026-11-23T14:00+01:00,sam
	2026-11-23T14:30+01:00,sam
	2026-11-23T15:00+01:00,sam
	2026-11-23T15:30+01:00,sam
	2026-11-23T16:00+01:00,sam
	2026-11-23T16:30+01:00,sam
	2026-11-23T17:00+01:00,sam
	EOF
}

@test "slots start on the granularity grid" {
	biz "tue = 09:00-11:00" "granularity = 20m"
	staff sam
	services <<-EOF
	short,Short,30m,10.00,,,,,,
	EOF
	run starts 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-24T09:20+01:00,sam
	2026-11-24T09:40+01:00,sam
	2026-11-24T10:00+01:00,sam
	2026-11-24T10:20+01:00,sam
	EOF
}

@test "the grid is the clock's: opening off the grid starts at the next grid point" {
	biz "tue = 09:10-10:30" "granularity = 20m"
	staff sam
	services <<-EOF
	short,Short,30m,10.00,,,,,,
	EOF
	run starts 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:20+01:00,sam
	2026-11-24T09:40+01:00,sam
	2026-11-24T10:00+01:00,sam
	EOF
}

# --- appointments and buffers ----------------------------------------------

@test "an appointment with its service's buffers blocks the slots around it" {
	biz "tue = 09:00-12:00" "granularity = 15m"
	staff sam
	services <<-EOF
	colour,Colour,1h,95.00,,15m,15m,,,
	short,Short,30m,10.00,,,,,,
	EOF
	appts <<-EOF
	1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,colour,sam,1,booked,95.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	# colour blocks 09:45-11:15 with its buffers.
	run starts -s short 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-24T09:15+01:00,sam
	2026-11-24T11:15+01:00,sam
	2026-11-24T11:30+01:00,sam
	EOF
}

@test "the new service's own buffers must not overlap another appointment" {
	biz "tue = 09:00-12:00" "granularity = 15m"
	staff sam
	services <<-EOF
	colour,Colour,1h,95.00,,15m,15m,,,
	short,Short,30m,10.00,,15m,15m,,,
	EOF
	appts <<-EOF
	1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,colour,sam,1,booked,95.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	# short needs 15 minutes free before and after: 09:00 ends its
	# buffer at 09:45, 11:30 starts its buffer at 11:15.
	run starts -s short 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-24T11:30+01:00,sam
	EOF
}

@test "an appointment blocks only its own staff member" {
	biz "tue = 09:00-11:00" "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	appts <<-EOF
	1,2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,cut,sam,1,booked,45.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	2,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,alice,1,confirmed,45.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	run starts 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,alice
	2026-11-24T10:00+01:00,sam
	EOF
}

@test "a cancelled appointment does not block its slot" {
	biz "tue = 09:00-11:00" "granularity = 1h"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	appts <<-EOF
	1,2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,cut,sam,1,cancelled,45.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	2,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,sam,1,booked,45.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	run starts 2026-11-24
	assert_success
	assert_output "2026-11-24T09:00+01:00,sam"
}

@test "an appointment across midnight blocks the slots of the next day too" {
	biz $'tue = 22:00-24:00\nwed = 00:00-02:00' "granularity = 30m"
	staff sam
	services <<-EOF
	long,Long,1h,60.00,,,,,,
	short,Short,30m,10.00,,,,,,
	EOF
	appts <<-EOF
	1,2026-11-24T23:30+01:00,2026-11-25T00:30+01:00,long,sam,1,booked,60.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	run starts -s short 2026-11-25
	assert_success
	assert_output - <<-EOF
	2026-11-25T00:30+01:00,sam
	2026-11-25T01:00+01:00,sam
	2026-11-25T01:30+01:00,sam
	EOF
	run starts -s short 2026-11-24..2026-11-25
	assert_success
	assert_output - <<-EOF
	2026-11-24T22:00+01:00,sam
	2026-11-24T22:30+01:00,sam
	2026-11-24T23:00+01:00,sam
	2026-11-25T00:30+01:00,sam
	2026-11-25T01:00+01:00,sam
	2026-11-25T01:30+01:00,sam
	EOF
}

@test "an appointment across midnight at the end of a month blocks the next month's first day" {
	biz $'mon = 22:00-24:00\ntue = 00:00-02:00' "granularity = 30m"
	staff sam
	services <<-EOF
	long,Long,1h,60.00,,,,,,
	short,Short,30m,10.00,,,,,,
	EOF
	# Filed by the month of its start: November.
	appts <<-EOF
	1,2026-11-30T23:30+01:00,2026-12-01T00:30+01:00,long,sam,1,booked,60.00,,,2026-11-20T10:00+01:00,2026-11-20T10:00+01:00,,
	EOF
	run starts -s short 2026-12-01
	assert_success
	assert_output - <<-EOF
	2026-12-01T00:30+01:00,sam
	2026-12-01T01:00+01:00,sam
	2026-12-01T01:30+01:00,sam
	EOF
}

# --- now: notice and horizon ---------------------------------------------

@test "no slot starts earlier than min_notice after APPT_NOW" {
	biz "mon = 09:00-12:00" $'granularity = 30m\nmin_notice = 2h'
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	# now is 08:00: the earliest start is 10:00.
	run starts 2026-11-23
	assert_success
	assert_output - <<-EOF
	2026-11-23T10:00+01:00,sam
	2026-11-23T10:30+01:00,sam
	2026-11-23T11:00+01:00,sam
	EOF
	# now 09:10 with 1h notice: 10:10 is off the grid, so 10:30.
	sed -i 's/^min_notice = .*/min_notice = 1h/' "$D/config.ini"
	APPT_NOW=2026-11-23T09:10 run starts 2026-11-23
	assert_success
	assert_output - <<-EOF
	2026-11-23T10:30+01:00,sam
	2026-11-23T11:00+01:00,sam
	EOF
}

@test "no slot lies beyond the horizon" {
	biz $'mon = 09:00-11:00\ntue = 09:00-11:00\nwed = 09:00-11:00\nthu = 09:00-11:00' \
	    $'granularity = 1h\nhorizon = 2d'
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	# now is Monday 08:00: the horizon ends Wednesday 08:00.
	run starts 2026-11-23..2026-11-26
	assert_success
	assert_output - <<-EOF
	2026-11-23T09:00+01:00,sam
	2026-11-23T10:00+01:00,sam
	2026-11-24T09:00+01:00,sam
	2026-11-24T10:00+01:00,sam
	EOF
	run starts 2026-11-26
	assert_success
	assert_output ""
}

# --- staff plans, services for some staff, closures --------------------------

@test "a staff member's own plan replaces the days it names; output by start, then staff" {
	biz $'mon = 09:00-11:00\ntue = 09:00-11:00' "granularity = 1h" \
	    $'[hours.alice]\nmon = closed\ntue = 10:00-12:00'
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run starts 2026-11-23..2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-23T09:00+01:00,sam
	2026-11-23T10:00+01:00,sam
	2026-11-24T09:00+01:00,sam
	2026-11-24T10:00+01:00,alice
	2026-11-24T10:00+01:00,sam
	2026-11-24T11:00+01:00,alice
	EOF
}

@test "a day a staff plan does not name follows [hours]" {
	biz $'mon = 09:00-10:00\nwed = 09:00-10:00' "granularity = 1h" \
	    $'[hours.alice]\nmon = closed'
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run starts 2026-11-25
	assert_success
	assert_output - <<-EOF
	2026-11-25T09:00+01:00,alice
	2026-11-25T09:00+01:00,sam
	EOF
}

@test "a service limited to some staff lists only them" {
	biz "tue = 09:00-11:00" "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	colour,Colour,1h,95.00,,,,sam,,
	EOF
	run --separate-stderr appt-slots -o csv -s colour 2026-11-24
	assert_success
	assert_output - <<-EOF
	$SLOT_HEADER
	2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,sam,colour
	2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,sam,colour
	EOF
	# Without -s, every service: colour's slots are still sam's only.
	run --separate-stderr appt-slots -o csv 2026-11-24
	assert_success
	refute_output --partial "alice,colour"
	assert_line "2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,alice,cut"
	assert_line "2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,sam,colour"
	# Asking for alice and colour is a request that cannot be met.
	run --separate-stderr appt-slots -s colour -w alice 2026-11-24
	assert_failure 1
	assert_equal "$output" ""
	assert_equal "$stderr" "appt-slots: alice does not do Colour"
}

@test "-w lists one staff member, by id or name in any case" {
	biz "tue = 09:00-11:00" "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run starts -w alice 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,alice
	2026-11-24T10:00+01:00,alice
	EOF
	run starts -w "SAM BERGER" -s haircut 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-24T10:00+01:00,sam
	EOF
}

@test "a closure for everyone with a date-only end closes the whole last day" {
	biz $'tue = 09:00-11:00\nwed = 09:00-11:00\nthu = 09:00-11:00' \
	    "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	closures <<-EOF
	,2026-11-24,2026-11-25,Training
	EOF
	run starts 2026-11-24..2026-11-26
	assert_success
	assert_output - <<-EOF
	2026-11-26T09:00+01:00,alice
	2026-11-26T09:00+01:00,sam
	2026-11-26T10:00+01:00,alice
	2026-11-26T10:00+01:00,sam
	EOF
}

@test "a closure of one staff member blocks only them, and only its hours" {
	biz "tue = 09:00-12:00" "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	closures <<-EOF
	alice,2026-11-24T09:30+01:00,2026-11-24T11:00+01:00,Dentist
	EOF
	run starts 2026-11-24
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-24T10:00+01:00,sam
	2026-11-24T11:00+01:00,alice
	2026-11-24T11:00+01:00,sam
	EOF
}

@test "a closure of one staff member with a date-only end takes that staff member's whole day" {
	biz $'tue = 09:00-10:00\nwed = 09:00-10:00' "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	closures <<-EOF
	alice,2026-11-24,2026-11-24,Holiday
	EOF
	run starts 2026-11-24..2026-11-25
	assert_success
	assert_output - <<-EOF
	2026-11-24T09:00+01:00,sam
	2026-11-25T09:00+01:00,alice
	2026-11-25T09:00+01:00,sam
	EOF
}

# --- arguments and output ------------------------------------------------------

@test "-w with an unknown staff member exits 2 and names it" {
	biz "tue = 09:00-11:00" ""
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run --separate-stderr appt-slots -w nobody 2026-11-24
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" "appt-slots: -w nobody: no such staff member"
}

@test "-s with an unknown service exits 2 and names it" {
	biz "tue = 09:00-11:00" ""
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run --separate-stderr appt-slots -s perm 2026-11-24
	assert_failure 2
	assert_equal "$output" ""
	assert_equal "$stderr" "appt-slots: -s perm: no such service"
}

@test "a range that is not one exits 2" {
	biz "tue = 09:00-11:00" ""
	staff sam
	run --separate-stderr appt-slots 2026-13-01
	assert_failure 2
	assert_output ""
	assert [ -n "$stderr" ]
}

@test "-o json prints one object per line with start, end, staff and service" {
	biz "tue = 09:00-11:00" "granularity = 1h"
	staff alice sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run --separate-stderr appt-slots -o json -s cut 2026-11-24
	assert_success
	assert_output - <<-'EOF'
	{"start":"2026-11-24T09:00+01:00","end":"2026-11-24T10:00+01:00","staff":"alice","service":"cut"}
	{"start":"2026-11-24T09:00+01:00","end":"2026-11-24T10:00+01:00","staff":"sam","service":"cut"}
	{"start":"2026-11-24T10:00+01:00","end":"2026-11-24T11:00+01:00","staff":"alice","service":"cut"}
	{"start":"2026-11-24T10:00+01:00","end":"2026-11-24T11:00+01:00","staff":"sam","service":"cut"}
	EOF
	# Each line is a JSON object of its own, with exactly these keys.
	run /usr/bin/python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    assert sorted(o) == ["end", "service", "staff", "start"], o
print("ok")' <(appt-slots -o json -s cut 2026-11-24)
	assert_success
	assert_output ok
}

@test "nothing free is a header only and exit 0" {
	biz "sun = closed" ""
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	run --separate-stderr appt-slots -o csv 2026-11-29
	assert_success
	assert_output "$SLOT_HEADER"
}

# --- daylight saving time -----------------------------------------------------

@test "the spring-forward day lists +01:00 before the change and +02:00 after" {
	biz "sun = 00:00-06:00" "granularity = 1h"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	APPT_NOW=2026-03-20T08:00 run --separate-stderr appt-slots -o csv 2026-03-29
	assert_success
	assert_output - <<-EOF
	$SLOT_HEADER
	2026-03-29T00:00+01:00,2026-03-29T01:00+01:00,sam,cut
	2026-03-29T01:00+01:00,2026-03-29T03:00+02:00,sam,cut
	2026-03-29T03:00+02:00,2026-03-29T04:00+02:00,sam,cut
	2026-03-29T04:00+02:00,2026-03-29T05:00+02:00,sam,cut
	2026-03-29T05:00+02:00,2026-03-29T06:00+02:00,sam,cut
	EOF
}

@test "the fall-back day lists +02:00 before the change and +01:00 after, the repeated hour twice" {
	biz "sun = 00:00-06:00" "granularity = 1h"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	APPT_NOW=2026-10-20T08:00 run --separate-stderr appt-slots -o csv 2026-10-25
	assert_success
	assert_output - <<-EOF
	$SLOT_HEADER
	2026-10-25T00:00+02:00,2026-10-25T01:00+02:00,sam,cut
	2026-10-25T01:00+02:00,2026-10-25T02:00+02:00,sam,cut
	2026-10-25T02:00+02:00,2026-10-25T02:00+01:00,sam,cut
	2026-10-25T02:00+01:00,2026-10-25T03:00+01:00,sam,cut
	2026-10-25T03:00+01:00,2026-10-25T04:00+01:00,sam,cut
	2026-10-25T04:00+01:00,2026-10-25T05:00+01:00,sam,cut
	2026-10-25T05:00+01:00,2026-10-25T06:00+01:00,sam,cut
	EOF
}

@test "ordinary hours on the days around a DST change carry the offset of their day" {
	biz $'sat = 09:00-10:00\nmon = 09:00-10:00' "granularity = 1h"
	staff sam
	services <<-EOF
	cut,Haircut,1h,45.00,,,,,,
	EOF
	APPT_NOW=2026-03-20T08:00 run starts 2026-03-28..2026-03-30
	assert_success
	assert_output - <<-EOF
	2026-03-28T09:00+01:00,sam
	2026-03-30T09:00+02:00,sam
	EOF
}

@test "working intervals that touch are one: a slot may cross the joint" {
	biz "mon = 09:00-12:00, 12:00-14:00,14:00-15:00" "granularity = 30m"
	staff sam
	services <<-EOF
	cut,Haircut,1h30m,45.00,,,,,,
	EOF
	run starts 2026-11-23
	assert_success
	assert_output - <<-EOF
	2026-11-23T09:00+01:00,sam
	2026-11-23T09:30+01:00,sam
	2026-11-23T10:00+01:00,sam
	2026-11-23T10:30+01:00,sam
	2026-11-23T11:00+01:00,sam
	2026-11-23T11:30+01:00,sam
	2026-11-23T12:00+01:00,sam
	2026-11-23T12:30+01:00,sam
	2026-11-23T13:00+01:00,sam
	2026-11-23T13:30+01:00,sam
	EOF
}

@test "a plan over midnight is one: fri 20:00-24:00 and sat 00:00-04:00" {
	biz $'fri = 20:00-24:00\nsat = 00:00-02:00, 02:00-04:00' \
	    "granularity = 30m" $'[hours.alice]\nfri = 20:00-24:00\nsat = 00:30-04:00'
	staff alice sam
	services <<-EOF
	long,Long,2h,60.00,,,,,,
	EOF
	run starts 2026-11-27
	assert_success
	# alice's Saturday starts at 00:30: her Friday ends at midnight.
	assert_output - <<-EOF
	2026-11-27T20:00+01:00,alice
	2026-11-27T20:00+01:00,sam
	2026-11-27T20:30+01:00,alice
	2026-11-27T20:30+01:00,sam
	2026-11-27T21:00+01:00,alice
	2026-11-27T21:00+01:00,sam
	2026-11-27T21:30+01:00,alice
	2026-11-27T21:30+01:00,sam
	2026-11-27T22:00+01:00,alice
	2026-11-27T22:00+01:00,sam
	2026-11-27T22:30+01:00,sam
	2026-11-27T23:00+01:00,sam
	2026-11-27T23:30+01:00,sam
	EOF
	run starts -w sam 2026-11-28
	assert_success
	assert_output - <<-EOF
	2026-11-28T00:00+01:00,sam
	2026-11-28T00:30+01:00,sam
	2026-11-28T01:00+01:00,sam
	2026-11-28T01:30+01:00,sam
	2026-11-28T02:00+01:00,sam
	EOF
}

@test "no slots inside a boarding that began the month before, or the one before that" {
	biz $'fri = 08:00-18:00\nsat = 08:00-18:00' \
	    $'granularity = 1h\nhorizon = 90d'
	staff sam
	services <<-EOF
	board,Boarding,7d,300.00,,,,,,
	bath,Bath,1h,30.00,,,,,,
	EOF
	mkdir -p "$D/appointments"
	appts <<-EOF
	1,2026-11-28T10:00+01:00,2026-12-05T10:00+01:00,board,sam,1,booked,300.00,,,,,,
	2,2026-11-28T10:00+01:00,2027-01-09T10:00+01:00,board,sam,1,cancelled,300.00,,,,,,
	EOF
	run starts 2026-12-04..2026-12-05 -s bath
	assert_success
	assert_output - <<-EOF
	2026-12-05T10:00+01:00,sam
	2026-12-05T11:00+01:00,sam
	2026-12-05T12:00+01:00,sam
	2026-12-05T13:00+01:00,sam
	2026-12-05T14:00+01:00,sam
	2026-12-05T15:00+01:00,sam
	2026-12-05T16:00+01:00,sam
	2026-12-05T17:00+01:00,sam
	EOF
	# Over a month long, with a December file between that says nothing.
	appts <<-EOF
	1,2026-11-27T10:00+01:00,2027-01-09T10:00+01:00,board,sam,1,booked,300.00,,,,,,
	EOF
	appts 2026-12 <<-EOF
	2,2026-12-11T08:00+01:00,2026-12-11T09:00+01:00,bath,sam,1,booked,30.00,,,,,,
	EOF
	run starts 2027-01-08..2027-01-09 -s bath
	assert_success
	assert_output - <<-EOF
	2027-01-09T10:00+01:00,sam
	2027-01-09T11:00+01:00,sam
	2027-01-09T12:00+01:00,sam
	2027-01-09T13:00+01:00,sam
	2027-01-09T14:00+01:00,sam
	2027-01-09T15:00+01:00,sam
	2027-01-09T16:00+01:00,sam
	2027-01-09T17:00+01:00,sam
	EOF
}

@test "a table fits COLUMNS: end goes first, then service, and start loses its offset" {
	fixture -e
	COLUMNS=40 run --separate-stderr appt-slots -o table -s cut -w sam 2026-12-01
	assert_success
	run table_cells 40
	assert_success
	assert_line -n 0 "start|staff|service"
	assert_line -n 1 "2026-12-01T09:00+01:00|sam|cut"
	COLUMNS=24 run --separate-stderr appt-slots -o table -s cut -w sam 2026-12-01
	assert_success
	run table_cells 24
	assert_success
	assert_line -n 0 "start|staff"
	assert_line -n 1 "2026-12-01T09:00…|sam"
}
