#!/usr/bin/env bats
# appt-status: IDs or rows on stdin through their day; final statuses,
# started/finished times, freeing and retaking a slot.
# APPT_NOW is Monday 2026-11-23T08:00, Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# Today one, tomorrow two (Ann and Bob), the day after one, December one.
week() {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	4,2026-11-25T10:00+01:00,2026-11-25T10:45+01:00,cut,ann,3,booked
	2,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked
	1,2026-11-23T14:00+01:00,2026-11-23T14:45+01:00,cut,ann,2,booked
	3,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,bob,2,booked
	EOF
	month 2026-12 <<-'EOF'
	5,2026-12-01T10:00+01:00,2026-12-01T10:45+01:00,cut,ann,1,booked
	EOF
}

@test "appt-status: appt-list tomorrow | appt-status - confirmed confirms tomorrow only" {
	week
	cp "$D/appointments/2026-11.csv" "$BATS_TEST_TMPDIR/before"
	cp "$D/appointments/2026-12.csv" "$BATS_TEST_TMPDIR/dec"
	run --separate-stderr bash -o pipefail -c \
	    'appt-list tomorrow | appt-status - confirmed'
	assert_success
	assert_equal "$stderr" ""
	assert_line --index 0 "$LIST_HEADER"
	assert_equal "$(ids)" "3 2"
	assert_equal "$(afield 2026-11 2 status)" confirmed
	assert_equal "$(afield 2026-11 3 status)" confirmed
	assert_equal "$(afield 2026-11 2 updated)" "$NOW"
	assert_equal "$(afield 2026-11 3 updated)" "$NOW"
	# The others are untouched, to the byte, but for the empty field of
	# the change counter seq, new to the file.
	for id in 1 4; do
		assert_equal "$(arow 2026-11 $id)" \
		    "$(grep "^$id," "$BATS_TEST_TMPDIR/before"),"
	done
	cmp "$D/appointments/2026-12.csv" "$BATS_TEST_TMPDIR/dec"
	# Only the status, updated and seq of 2 and 3 changed.
	assert_equal "$(arow 2026-11 2)" \
	    "2,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,confirmed,45.00,,,$OLD,$NOW,,,1"
	assert_equal "$(arow 2026-11 3)" \
	    "3,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,bob,2,confirmed,45.00,,,$OLD,$NOW,,,1"
	assert_equal "$(wc -l < "$D/appointments/2026-11.csv")" 5
}

@test "appt-status: IDs as arguments, from more than one month" {
	week
	run --separate-stderr appt-status 1 5 arrived
	assert_success
	assert_equal "$(ids)" "1 5"
	assert_equal "$(afield 2026-11 1 status)" arrived
	assert_equal "$(afield 2026-12 5 status)" arrived
	assert_equal "$(afield 2026-11 2 status)" booked
	assert_equal "$(afield 2026-11 4 status)" booked
	assert_equal "$(afield 2026-11 3 status)" booked
}

@test "appt-status: an id that does not exist exits 1 and changes nothing" {
	week
	local before=$(snapshot)
	run --separate-stderr appt-status 99 confirmed
	assert_failure 1
	[[ $stderr == *"99: no such appointment"* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "appt-status: an id that is not a number exits 2 and changes nothing" {
	week
	local before=$(snapshot)
	for id in abc 1x 0 3.5 ''; do
		run --separate-stderr appt-status "$id" confirmed
		assert_failure 2
		assert_equal "$(snapshot)" "$before"
	done
	run --separate-stderr appt-status abc confirmed
	[[ $stderr == *abc* ]]
	# Bad input changes nothing, not even the good IDs beside it.
	run --separate-stderr appt-status 1 abc confirmed
	assert_failure 2
	[[ $stderr == *abc* ]]
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-status 1 - confirmed
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "appt-status: an unknown status exits 2 and changes nothing" {
	week
	local before=$(snapshot)
	for st in finished Confirmed 'in progress' ''; do
		run --separate-stderr appt-status 1 "$st"
		assert_failure 2
		assert_equal "$(snapshot)" "$before"
	done
	run --separate-stderr appt-status 1 finished
	[[ $stderr == *finished* ]]
}

@test "appt-status: in-progress records started, done records finished" {
	week
	run --separate-stderr appt-status 1 in-progress
	assert_success
	assert_equal "$(afield 2026-11 1 status)" in-progress
	assert_equal "$(afield 2026-11 1 started)" "$NOW"
	assert_equal "$(afield 2026-11 1 finished)" ""
	# Later, done: finished is the new now, started stays.
	APPT_NOW=2026-11-23T14:50 run --separate-stderr appt-status 1 done
	assert_success
	assert_equal "$(afield 2026-11 1 status)" done
	assert_equal "$(afield 2026-11 1 started)" "$NOW"
	assert_equal "$(afield 2026-11 1 finished)" 2026-11-23T14:50+01:00
	assert_equal "$(afield 2026-11 1 updated)" 2026-11-23T14:50+01:00
	# Straight to done still records when it finished.
	run --separate-stderr appt-status 2 done
	assert_success
	assert_equal "$(afield 2026-11 2 finished)" "$NOW"
	# Other statuses record neither.
	run --separate-stderr appt-status 3 arrived
	assert_success
	assert_equal "$(afield 2026-11 3 started)" ""
	assert_equal "$(afield 2026-11 3 finished)" ""
}

@test "appt-status: finished carries the summer offset in summer" {
	fixture -s "ann bob" -q
	month 2026-07 <<-'EOF'
	7,2026-07-14T10:00+02:00,2026-07-14T10:45+02:00,cut,ann,1,in-progress
	EOF
	APPT_NOW=2026-07-14T10:50 run --separate-stderr appt-status 7 done
	assert_success
	assert_equal "$(afield 2026-07 7 finished)" 2026-07-14T10:50+02:00
}

@test "appt-status: done, cancelled and no-show are final without --force" {
	week
	for st in done cancelled no-show; do
		run appt-status 2 "$st"
		assert_success
		local before=$(snapshot)
		for to in booked confirmed arrived in-progress done cancelled \
		    no-show; do
			[ "$to" != "$st" ] || continue
			run --separate-stderr appt-status 2 "$to"
			assert_failure 1
			[[ $stderr == *"$st"* ]]
			[[ $stderr == *--force* ]]
			assert_equal "$(snapshot)" "$before"
		done
		run --separate-stderr appt-status --force 2 booked
		assert_success
		assert_equal "$(afield 2026-11 2 status)" booked
	done
}

@test "appt-status: cancelling frees the slot for appt-slots and appt-book" {
	week
	run --separate-stderr appt-slots -s cut -w ann tomorrow
	assert_success
	refute_line --regexp "^2026-11-24T10:00\\+01:00,"
	refute_line --regexp "^2026-11-24T10:15\\+01:00,"
	run --separate-stderr appt-book -s cut -c 3 -w ann \
	    --at 2026-11-24T10:00 --no-notify
	assert_failure 1
	run --separate-stderr appt-status 2 cancelled
	assert_success
	assert_equal "$(afield 2026-11 2 status)" cancelled
	run --separate-stderr appt-slots -s cut -w ann tomorrow
	assert_success
	assert_line "2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,ann,cut"
	assert_line "2026-11-24T10:15+01:00,2026-11-24T11:00+01:00,ann,cut"
	run --separate-stderr appt-book -s cut -c 3 -w ann \
	    --at 2026-11-24T10:00 --no-notify
	assert_success
	assert_equal "$(grep -c ',2026-11-24T10:00+01:00,' \
	    "$D/appointments/2026-11.csv")" 2
	run appt-check
	assert_success
}

@test "appt-status: un-cancelling with --force when the slot was taken exits 1" {
	week
	run appt-status 2 cancelled
	assert_success
	run --separate-stderr appt-book -s cut -c 3 -w ann \
	    --at 2026-11-24T10:15 --no-notify
	assert_success
	local other=${lines[1]%%,*}
	local before=$(snapshot)
	run --separate-stderr appt-status --force 2 booked
	assert_failure 1
	[[ $stderr == *2* ]]
	assert_equal "$(snapshot)" "$before"
	assert_equal "$(afield 2026-11 2 status)" cancelled
	run appt-check
	assert_success
	# Once the other one is cancelled too, it can come back.
	run appt-status "$other" cancelled
	assert_success
	run --separate-stderr appt-status --force 2 booked
	assert_success
	assert_equal "$(afield 2026-11 2 status)" booked
}

@test "appt-status: a row on stdin whose id does not exist is reported, the others done" {
	week
	run --separate-stderr appt-status - confirmed <<-'EOF'
	id,start,customer_name
	1,2026-11-23T14:00+01:00,Jonas Weber
	99,2026-11-24T10:00+01:00,Nobody
	5,,Zoë Müller
	EOF
	assert_failure 1
	[[ $stderr == *"stdin:3"* ]]
	[[ $stderr == *99* ]]
	[[ $stderr != *stdin:2* && $stderr != *stdin:4* ]]
	assert_equal "$(ids)" "1 5"
	assert_equal "$(afield 2026-11 1 status)" confirmed
	assert_equal "$(afield 2026-12 5 status)" confirmed
	assert_equal "$(afield 2026-11 2 status)" booked
}

@test "appt-status: stdin without an id column exits 2 and changes nothing" {
	week
	local before=$(snapshot)
	run --separate-stderr appt-status - confirmed <<-'EOF'
	start,customer
	2026-11-24T10:00+01:00,1
	EOF
	assert_failure 2
	[[ $stderr == *id* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "appt-status: the rows printed have the appt-list columns and values" {
	week
	run --separate-stderr appt-status 3 2 in-progress
	assert_success
	assert_line --index 0 "$LIST_HEADER"
	local printed=$output
	run --separate-stderr appt-list -S in-progress tomorrow
	assert_success
	assert_equal "$printed" "$output"
	assert_line --index 1 \
	    "3,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,in-progress,cut,Haircut,bob,2,Jonas Weber,jonas@example.org,0170 1112233,,"
	run --separate-stderr appt-status -o json 4 confirmed
	assert_success
	run /usr/bin/python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print(",".join(r), r["status"], r["customer_name"])' <<< "$output"
	assert_output "$LIST_HEADER confirmed Lukas Schmidt"
}

@test "appt-status: a user's own column survives the rewrite" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-'EOF'
	id,start,end,service,staff,customer,status,room,price,series,notes,created,updated,started,finished
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked,"Room 1, upstairs",45.00,,,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	EOF
	run appt-status 1 confirmed
	assert_success
	assert_equal "$(cat "$D/appointments/2026-11.csv")" \
	    "id,start,end,service,staff,customer,status,room,price,series,notes,created,updated,started,finished,seq
1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,confirmed,\"Room 1, upstairs\",45.00,,,2026-11-01T10:00+01:00,$NOW,,,1"
}
