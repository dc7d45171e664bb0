#!/usr/bin/env bats
# appt-move: reschedule under the rules of booking; between months, to
# another staff member, over itself.
# APPT_NOW is Monday 2026-11-23T08:00, Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# Tomorrow (Tuesday): Ann 10:00-10:45 cut (1), 11:00-12:30 colour (2);
# Bob 09:00-09:45 cut (3). Wednesday: a cancelled, a done and a no-show.
tuesday() {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,ann,1,booked
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,colour,ann,2,confirmed
	3,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,bob,3,booked
	4,2026-11-25T10:00+01:00,2026-11-25T10:45+01:00,cut,ann,1,cancelled
	5,2026-11-25T11:00+01:00,2026-11-25T11:45+01:00,cut,ann,2,done
	6,2026-11-25T12:00+01:00,2026-11-25T12:45+01:00,cut,ann,3,no-show
	EOF
}

@test "appt-move: to a free slot; start, end and updated change, the duration stays" {
	tuesday
	run --separate-stderr appt-move 1 2026-11-24T14:00
	assert_success
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,booked,cut,Haircut,ann,1,Zoë Müller,zoe@example.net,+49 171 2345678,,
	EOF
	assert_equal "$(arow 2026-11 1)" \
	    "1,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,,1"
	# A 90-minute appointment stays 90 minutes, given as a date word.
	run --separate-stderr appt-move 2 "thu 15:30"
	assert_success
	assert_equal "$(arow 2026-11 2)" \
	    "2,2026-11-26T15:30+01:00,2026-11-26T17:00+01:00,colour,ann,2,confirmed,45.00,,,$OLD,$NOW,,,1"
	run --separate-stderr appt-move 3 "2026-11-27 09:00"
	assert_success
	assert_equal "$(afield 2026-11 3 start)" 2026-11-27T09:00+01:00
	assert_equal "$(afield 2026-11 3 end)" 2026-11-27T09:45+01:00
	assert_equal "$(wc -l < "$D/appointments/2026-11.csv")" 7
	run appt-check
	assert_success
}

@test "appt-move: onto a taken slot exits 1 and changes nothing" {
	tuesday
	local before=$(snapshot)
	for when in 2026-11-24T11:00 2026-11-24T10:30 2026-11-24T12:00 \
	    2026-11-24T10:15; do
		run --separate-stderr appt-move 3 "$when" -w ann
		assert_failure 1
		assert_equal "$(snapshot)" "$before"
	done
	[[ $stderr == *"appointment 1"* ]]
	run --separate-stderr appt-move 1 2026-11-24T11:45
	assert_failure 1
	[[ $stderr == *"appointment 2"* ]]
	assert_equal "$(snapshot)" "$before"
	# --force passes the hours, never an overlap.
	run --separate-stderr appt-move --force 1 2026-11-24T11:45
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
}

@test "appt-move: outside the working hours exits 1; --force moves it" {
	tuesday
	local before=$(snapshot)
	# After closing, across closing, in Monday's lunch break, a Sunday.
	for when in 2026-11-24T18:00 2026-11-24T17:30 2026-11-30T12:45 \
	    2026-11-29T10:00; do
		run --separate-stderr appt-move 1 "$when"
		assert_failure 1
		[[ $stderr == *hours* ]]
		assert_equal "$(snapshot)" "$before"
	done
	# Too short notice (2h) is refused too.
	run --separate-stderr appt-move 1 2026-11-23T09:00
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-move --force 1 2026-11-24T18:00
	assert_success
	assert_equal "$(arow 2026-11 1)" \
	    "1,2026-11-24T18:00+01:00,2026-11-24T18:45+01:00,cut,ann,1,booked,45.00,,,$OLD,$NOW,,,1"
	run --separate-stderr appt-move --force 3 2026-11-30T12:45
	assert_success
	assert_equal "$(afield 2026-11 3 start)" 2026-11-30T12:45+01:00
}

@test "appt-move: -w moves to another staff member allowed for the service" {
	tuesday
	run --separate-stderr appt-move 1 2026-11-24T10:00 -w "Bob Marsh"
	assert_success
	assert_equal "$(arow 2026-11 1)" \
	    "1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,bob,1,booked,45.00,,,$OLD,$NOW,,,1"
	assert_line --index 1 --partial ",cut,Haircut,bob,1,"
	# Bob already has 09:00 to 09:45; Ann is free from 10:00 now.
	run --separate-stderr appt-move 3 2026-11-24T10:00 -w ANN
	assert_success
	assert_equal "$(afield 2026-11 3 staff)" ann
	run appt-check
	assert_success
}

@test "appt-move: -w with a staff member not allowed for the service exits 1" {
	tuesday
	local before=$(snapshot)
	run --separate-stderr appt-move 2 2026-11-24T14:00 -w bob
	assert_failure 1
	[[ $stderr == *bob* ]]
	[[ $stderr == *colour* ]]
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-move --force 2 2026-11-24T14:00 -w bob
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-move 2 2026-11-24T14:00 -w carol
	assert_failure 2
	[[ $stderr == *carol* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "appt-move: into another month moves the row between the month files" {
	tuesday
	month 2026-12 <<-'EOF'
	7,2026-12-02T09:00+01:00,2026-12-02T09:45+01:00,cut,ann,3,booked
	EOF
	run --separate-stderr appt-move 2 2026-12-02T10:00
	assert_success
	assert_line --index 1 --partial "2,2026-12-02T10:00+01:00,2026-12-02T11:30+01:00,confirmed,colour,"
	assert_equal "$(arow 2026-12 2)" \
	    "2,2026-12-02T10:00+01:00,2026-12-02T11:30+01:00,colour,ann,2,confirmed,45.00,,,$OLD,$NOW,,,1"
	run arow 2026-11 2
	assert_failure
	assert_equal "$(wc -l < "$D/appointments/2026-11.csv")" 6
	assert_equal "$(wc -l < "$D/appointments/2026-12.csv")" 3
	assert_equal "$(arow 2026-12 7)" \
	    "7,2026-12-02T09:00+01:00,2026-12-02T09:45+01:00,cut,ann,3,booked,45.00,,,$OLD,$OLD,,,"
	run appt-check
	assert_success
	assert_output ""
	run --separate-stderr appt-list all
	assert_equal "$(ids)" "3 1 4 5 6 7 2"
	# Into a month with no file yet, and back.
	run --separate-stderr appt-move 1 2027-01-05T10:00
	assert_success
	assert_file_exist "$D/appointments/2027-01.csv"
	assert_equal "$(afield 2027-01 1 start)" 2027-01-05T10:00+01:00
	run arow 2026-11 1
	assert_failure
	run --separate-stderr appt-move 2 2026-11-26T10:00
	assert_success
	assert_equal "$(afield 2026-11 2 start)" 2026-11-26T10:00+01:00
	run arow 2026-12 2
	assert_failure
	run appt-check
	assert_success
}

@test "appt-move: a cancelled, done or no-show appointment cannot move" {
	tuesday
	local before=$(snapshot)
	for id in 4 5 6; do
		run --separate-stderr appt-move "$id" 2026-11-26T10:00
		assert_failure 1
		assert_equal "$(snapshot)" "$before"
		run --separate-stderr appt-move --force "$id" 2026-11-26T10:00
		assert_failure 1
		assert_equal "$(snapshot)" "$before"
	done
	run --separate-stderr appt-move 4 2026-11-26T10:00
	[[ $stderr == *cancelled* ]]
}

@test "appt-move: an invalid WHEN exits 2 and changes nothing" {
	tuesday
	local before=$(snapshot)
	# No such date, no such time, nonsense, empty, and a local time
	# skipped by the change to summer time (2027-03-28 02:00-03:00).
	for when in 2026-02-30T10:00 2026-11-24T25:00 2026-11-24T10:61 \
	    blah '' 2027-03-28T02:30; do
		run --separate-stderr appt-move 1 "$when"
		assert_failure 2
		assert_equal "$(snapshot)" "$before"
	done
	run --separate-stderr appt-move 1 2026-02-30T10:00
	[[ $stderr == *2026-02-30* ]]
}

@test "appt-move: an id that does not exist exits 1, one that is no number 2" {
	tuesday
	local before=$(snapshot)
	run --separate-stderr appt-move 99 2026-11-24T14:00
	assert_failure 1
	[[ $stderr == *99* ]]
	run --separate-stderr appt-move x1 2026-11-24T14:00
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "appt-move: over the slot it occupies itself, 15 minutes on or back" {
	tuesday
	# 1 is 10:00-10:45: 10:15-11:00 overlaps only itself.
	run --separate-stderr appt-move 1 2026-11-24T10:15
	assert_success
	assert_equal "$(afield 2026-11 1 start)" 2026-11-24T10:15+01:00
	assert_equal "$(afield 2026-11 1 end)" 2026-11-24T11:00+01:00
	run --separate-stderr appt-move 1 2026-11-24T10:00
	assert_success
	assert_equal "$(afield 2026-11 1 start)" 2026-11-24T10:00+01:00
	# 2 (11:00-12:30) back 15 minutes would hit 1 (to 10:45): refused.
	run --separate-stderr appt-move 2 2026-11-24T10:30
	assert_failure 1
	[[ $stderr == *"appointment 1"* ]]
	run --separate-stderr appt-move 2 2026-11-24T10:45
	assert_success
	assert_equal "$(afield 2026-11 2 end)" 2026-11-24T12:15+01:00
	run appt-check
	assert_success
}

@test "appt-move: the buffers count, the appointment's own old place does not" {
	tuesday
	services <<-'EOF'
	cut,Haircut,45m,45.00,,,15m,,,
	colour,Colour,1h30m,95.00,,15m,15m,ann,,
	EOF
	# 2 (11:00, 15m before) blocks from 10:45; 1 needs 15m after itself.
	run --separate-stderr appt-move 1 2026-11-24T09:45
	assert_success
	assert_equal "$(afield 2026-11 1 end)" 2026-11-24T10:30+01:00
	# 09:30 overlaps only its own place, with its buffer.
	run --separate-stderr appt-move 1 2026-11-24T09:30
	assert_success
	assert_equal "$(afield 2026-11 1 start)" 2026-11-24T09:30+01:00
	local before=$(snapshot)
	run --separate-stderr appt-move 1 2026-11-24T10:00
	assert_failure 1
	[[ $stderr == *"appointment 2"* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "appt-move: to the time and staff it has already does nothing, says so and exits 0" {
	tuesday
	# With notices on, a real move would queue them.
	sed -i 's/^changes = no/changes = yes/' "$D/config.ini"
	local before=$(snapshot)
	for w in "" ann "Ann Lee"; do
		run --separate-stderr appt-move ${w:+-w "$w"} 1 \
		    "2026-11-24 10:00"
		assert_success
		assert_output - <<-EOF
		$LIST_HEADER
		1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,booked,cut,Haircut,ann,1,Zoë Müller,zoe@example.net,+49 171 2345678,,
		EOF
		assert_equal "$stderr" "appt-move: appointment 1 is at 2026-11-24T10:00+01:00 with ann already; not moved"
		assert_equal "$(snapshot)" "$before"
		assert_file_not_exists "$D/outbox"
	done
	# Another staff member at the same time is a move.
	run --separate-stderr appt-move -w bob --no-notify 1 "2026-11-24 10:00"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(afield 2026-11 1 staff)" bob
	assert_equal "$(afield 2026-11 1 updated)" "$NOW"
}

@test "appt-move: not into a boarding that began the month before" {
	fixture -s "ann bob" -q
	echo 'board,Boarding,7d,300.00,,,,,,' >> "$D/services.csv"
	# Made by hand, two weeks long.
	month 2026-11 <<-'EOF'
	1,2026-11-27T10:00+01:00,2026-12-11T10:00+01:00,board,ann,1,booked
	EOF
	month 2026-12 <<-'EOF'
	2,2026-12-14T10:00+01:00,2026-12-14T10:45+01:00,cut,ann,2,booked
	EOF
	local before=$(snapshot)
	run --separate-stderr appt-move 2 "2026-12-09 10:00"
	assert_failure 1
	assert_regex "$stderr" "ann is taken by appointment 1 \(2026-11-27T10:00\+01:00 to 2026-12-11T10:00\+01:00"
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-move 2 "2026-12-11 10:00"
	assert_success
	run appt-check
	assert_success
}
