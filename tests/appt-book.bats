#!/usr/bin/env bats
# appt-book: booking a customer into a free slot (DESIGN "appt-book").
# Every test starts from the fixture (tests/lib/appt-fixture.bash); now is
# Monday 2026-11-23T08:00 in Europe/Berlin unless a test says otherwise.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# The business of this suite: the fixture on a 30m grid with a 30d
# horizon; services cut (1h, 47.50), colour (1h30m with buffers, sam only)
# and short (30m); customers 1 Anna Bell and 2 Ben Ode. $1 replaces the
# [hours] lines, $2 the [booking] lines.
biz() {
	fixture ${1:+-h "$1"} -b "${2:-granularity = 30m
min_notice = 2h
horizon = 30d}"
	services <<-EOF
	cut,Haircut,1h,47.50,,,,,,
	colour,Colour,1h30m,95.00,,15m,15m,sam,,
	short,Short,30m,10.00,,,,,,
	EOF
	customers <<-EOF
	1,Anna Bell,anna@example.com,,,,,2026-01-05T10:00+01:00
	2,Ben Ode,,+49 171 2345678,,,,2026-02-01T10:00+01:00
	EOF
}

# Number of appointment rows in every month file.
nappt() {
	cat "$D"/appointments/*.csv 2>/dev/null | grep -vc '^id,' || true
}

# --- a booking ---------------------------------------------------------------

@test "a booking prints the new row with the appt-list columns and files it in its month" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" \
	    -w sam --note "first visit"
	assert_success
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,cut,Haircut,sam,1,Anna Bell,anna@example.com,,,first visit
	EOF
	assert_equal "$stderr" ""
	run rows 2026-11
	assert_output "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,sam,1,booked,47.50,,first visit,$NOW,$NOW,,"
	run head -n 1 "$D/appointments/2026-11.csv"
	assert_output "$APPT_HEADER"
	assert_equal "$(stat -c %a "$D/appointments/2026-11.csv")" 600
	assert_file_contains "$D/ids.csv" '^appointments,1$'
	run appt-check
	assert_success
}

@test "the price is the service's at booking time; later changes of services.csv leave it" {
	biz
	run --separate-stderr appt-book -s Haircut -c 1 --at "2026-11-24 10:00"
	assert_success
	sed -i 's/^cut,Haircut,1h,47.50,/cut,Haircut,1h,50.00,/' "$D/services.csv"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 14:00"
	assert_success
	run cut -d, -f1,8 <(rows)
	assert_output - <<-EOF
	1,47.50
	2,50.00
	EOF
}

@test "a month's second booking is added to the same file, the first kept" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00"
	assert_success
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 10:00"
	assert_success
	# sam had 10:00; the next staff member free then is alice.
	assert_line -n 1 "2,2026-11-24T10:00+01:00,2026-11-24T10:30+01:00,booked,short,Short,alice,2,Ben Ode,,+49 171 2345678,,"
	run cut -d, -f1-5 <(rows)
	assert_output - <<-EOF
	1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,sam
	2,2026-11-24T10:00+01:00,2026-11-24T10:30+01:00,short,alice
	EOF
}

# --- refusals that change nothing ---------------------------------------------

@test "a taken slot exits 1, says by what, and changes nothing" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w sam
	assert_success
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 10:00" -w sam
	assert_failure 1
	assert_regex "$stderr" "taken by appointment 1"
	assert_equal "$(snapshot)" "$before"
	# An overlap that is not the same start is as taken.
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 10:30" -w sam
	assert_failure 1
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 09:30" -w sam
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	# Touching is not overlapping.
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 09:30" -w sam
	assert_success
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 11:00" -w sam
	assert_success
}

@test "buffers count: the other appointment's and the new service's own" {
	biz
	# colour at 10:00 blocks sam from 09:45 to 11:45 with its buffers.
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 --partial "1,2026-11-24T10:00+01:00,2026-11-24T11:30+01:00,booked,colour,Colour,sam,"
	before=$(snapshot)
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 11:30" -w sam
	assert_failure 1
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 09:30" -w sam
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 11:30" -w alice
	assert_success
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 12:00" -w sam
	assert_success
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 16:00" -w sam
	assert_success
	# sam: short 12:00-12:30 and 16:00-16:30. colour's own 15-minute
	# buffers may not touch them.
	before=$(snapshot)
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 12:30"
	assert_failure 1
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 14:30"
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 13:00"
	assert_success
	assert_line -n 1 --partial ",2026-11-24T13:00+01:00,2026-11-24T14:30+01:00,booked,colour,Colour,sam,"
}

@test "a cancelled appointment's slot can be booked again" {
	biz
	appt_add 2026-11 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,sam,1,cancelled,47.50,,,$NOW,$NOW,,"
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 10:00" -w sam
	assert_success
	assert_line -n 1 --partial "2,2026-11-24T10:00+01:00,"
}

@test "outside working hours exits 1; --force books it" {
	biz
	before=$(snapshot)
	# Monday 12:00 would run into the break.
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-23 12:00" -w sam
	assert_failure 1
	assert_regex "$stderr" "outside sam's working hours"
	# Saturday is closed; Monday is closed for alice.
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-28 10:00"
	assert_failure 1
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-30 10:00" -w alice
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-23 12:00" -w sam --force
	assert_success
	assert_line -n 1 --partial "1,2026-11-23T12:00+01:00,2026-11-23T13:00+01:00,booked,cut,"
	run rows
	assert_output --partial "1,2026-11-23T12:00+01:00,2026-11-23T13:00+01:00,cut,sam,1,booked,"
}

@test "--force onto an overlap is still refused" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w sam
	assert_success
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 10:30" -w sam --force
	assert_failure 1
	assert_regex "$stderr" "taken by appointment 1"
	assert_equal "$(snapshot)" "$before"
}

@test "too short notice exits 1; --force books it" {
	biz
	before=$(snapshot)
	# now is 08:00 and min_notice 2h: 09:30 is too soon, 10:00 is not.
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-23 09:30"
	assert_failure 1
	assert_regex "$stderr" "notice"
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-23 09:30" --force
	assert_success
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-23 10:30"
	assert_success
	run cut -d, -f2 <(rows)
	assert_output - <<-EOF
	2026-11-23T09:30+01:00
	2026-11-23T10:30+01:00
	EOF
}

@test "beyond the horizon exits 1; --force books it" {
	biz
	before=$(snapshot)
	# horizon is 30 days: until 2026-12-23T08:00.
	run --separate-stderr appt-book -s cut -c 1 --at "2027-01-05 10:00"
	assert_failure 1
	assert_regex "$stderr" "horizon"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-12-23 09:00"
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s cut -c 1 --at "2027-01-05 10:00" --force
	assert_success
	run rows 2027-01
	assert_output --partial "1,2027-01-05T10:00+01:00,2027-01-05T11:00+01:00,cut,"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-12-22 09:00"
	assert_success
}

@test "off the granularity grid exits 1" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:10"
	assert_failure 1
	assert_regex "$stderr" "grid"
	assert_equal "$(snapshot)" "$before"
}

@test "a staff member not allowed for the service exits 1" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 10:00" -w alice
	assert_failure 1
	assert_regex "$stderr" "alice does not do Colour"
	assert_equal "$(snapshot)" "$before"
	# Without -w it goes to the one who does it.
	run --separate-stderr appt-book -s colour -c 1 --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 --partial ",booked,colour,Colour,sam,1,"
}

@test "an unknown service or staff member exits 2 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s perm -c 1 --at "2026-11-24 10:00"
	assert_failure 2
	assert_regex "$stderr" "perm: no such service"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w bob
	assert_failure 2
	assert_regex "$stderr" "bob: no such staff member"
	run --separate-stderr appt-book -c 1 --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut -c 1 --at "not a time"
	assert_failure 2
	run --separate-stderr appt-book -s cut -c 1
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "service and staff are found by name in any case" {
	biz
	run --separate-stderr appt-book -s HAIRCUT -c 1 --at "2026-11-24 10:00" -w "alice novak"
	assert_success
	assert_line -n 1 --partial ",booked,cut,Haircut,alice,1,"
}

# --- customers -----------------------------------------------------------------

@test "-c finds the customer by id, by email in any case and by phone in any format" {
	biz
	cust=$(cat "$D/customers.csv")
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-24 10:00" -w sam
	assert_success
	assert_line -n 1 "1,2026-11-24T10:00+01:00,2026-11-24T10:30+01:00,booked,short,Short,sam,2,Ben Ode,,+49 171 2345678,,"
	run --separate-stderr appt-book -s short -c ANNA@Example.COM --at "2026-11-24 11:00" -w sam
	assert_success
	assert_line -n 1 "2,2026-11-24T11:00+01:00,2026-11-24T11:30+01:00,booked,short,Short,sam,1,Anna Bell,anna@example.com,,,"
	run --separate-stderr appt-book -s short -c "0171/2345678" --at "2026-11-24 12:00" -w sam
	assert_success
	assert_line -n 1 "3,2026-11-24T12:00+01:00,2026-11-24T12:30+01:00,booked,short,Short,sam,2,Ben Ode,,+49 171 2345678,,"
	run cut -d, -f1,6 <(rows)
	assert_output - <<-EOF
	1,2
	2,1
	3,2
	EOF
	assert_equal "$(cat "$D/customers.csv")" "$cust"
}

@test "-c with an unknown customer exits 1 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 99 --at "2026-11-24 10:00"
	assert_failure 1
	assert_regex "$stderr" "99: no such customer"
	run --separate-stderr appt-book -s cut -c nobody@example.com --at "2026-11-24 10:00"
	assert_failure 1
	run --separate-stderr appt-book -s cut -c "030 9999999" --at "2026-11-24 10:00"
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
}

@test "a new customer is added with --name and --email or --phone" {
	biz
	run --separate-stderr appt-book -s cut --name "Cara Dunn" --phone "030 5551234" --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,cut,Haircut,sam,3,Cara Dunn,,030 5551234,,"
	assert_equal "$(tail -n 1 "$D/customers.csv")" "3,Cara Dunn,,030 5551234,,,,$NOW"
	run --separate-stderr appt-book -s cut --name "Dan Eck" --email dan@example.com --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(tail -n 1 "$D/customers.csv")" "4,Dan Eck,dan@example.com,,,,,$NOW"
	assert_equal "$(ncust)" 4
	run appt-check
	assert_success
}

@test "a returning customer given in another case and phone format is recognised and completed" {
	biz
	run --separate-stderr appt-book -s cut --name "ANNA BELL" \
	    --email "Anna@Example.COM" --phone "0171/9876543" \
	    --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,cut,Haircut,sam,1,Anna Bell,anna@example.com,0171/9876543,,"
	# Same name, same email: nothing to report.
	assert_equal "$stderr" ""
	assert_equal "$(ncust)" 2
	assert_equal "$(grep '^1,' "$D/customers.csv")" "1,Anna Bell,anna@example.com,0171/9876543,,,,2026-01-05T10:00+01:00"
}

@test "a returning customer found by phone: missing email filled, a differing name reported and kept" {
	biz
	run --separate-stderr appt-book -s cut --name "Benjamin Ode" \
	    --email ben@example.com --phone "0171/2345678" \
	    --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,cut,Haircut,sam,2,Ben Ode,ben@example.com,+49 171 2345678,,"
	assert_regex "$stderr" "Ben Ode"
	assert_regex "$stderr" "Benjamin Ode"
	# The phone is the same number, written otherwise: not a difference.
	refute_regex "$stderr" "phone is"
	assert_equal "$(ncust)" 2
	assert_equal "$(grep '^2,' "$D/customers.csv")" "2,Ben Ode,ben@example.com,+49 171 2345678,,,,2026-02-01T10:00+01:00"
}

@test "a returning customer given by --email alone is recognised" {
	biz
	run --separate-stderr appt-book -s cut --email anna@EXAMPLE.com --at "2026-11-24 10:00"
	assert_success
	assert_line -n 1 --partial ",booked,cut,Haircut,sam,1,Anna Bell,anna@example.com,"
	assert_equal "$(ncust)" 2
}

@test "a new customer without --name, or without --email and --phone, exits 2 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s cut --name "Cara Dunn" --at "2026-11-24 10:00"
	assert_failure 2
	assert_regex "$stderr" "new customer needs --name"
	run --separate-stderr appt-book -s cut --email cara@example.com --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut --phone "030 5551234" --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "an email that starts with - or is not local@domain exits 2 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s cut --name "Eve" --email "-X/tmp/x@example.com" --at "2026-11-24 10:00"
	assert_failure 2
	assert_regex "$stderr" "email"
	run --separate-stderr appt-book -s cut --name "Eve" --email "eve.example.com" --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut --name "Eve" --email "eve@example.com" --phone "call me" --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
	assert_file_not_exist /tmp/x@example.com
}

@test "CR or LF in --name, --email or --note exits 2 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book -s cut --name $'Eve\nBcc: x@example.com' --email eve@example.com --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut --name $'Eve\rX' --email eve@example.com --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut --name Eve --email $'eve@example.com\r\nBcc: x@example.com' --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut -c 1 --note $'one\ntwo' --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

# --- --first ------------------------------------------------------------------

@test "--first books the first free slot, the first line of appt-slots" {
	biz
	appt_add 2026-11 "1,2026-11-23T10:00+01:00,2026-11-23T11:00+01:00,cut,sam,2,booked,47.50,,,$NOW,$NOW,,"
	first=$(appt-slots -o csv -s cut 2026-11-23..2026-12-31 | sed -n 2p)
	# now 08:00 + 2h notice = 10:00, taken until 11:00; alice is off.
	assert_equal "$first" "2026-11-23T11:00+01:00,2026-11-23T12:00+01:00,sam,cut"
	run --separate-stderr appt-book -s cut -c 1 --first
	assert_success
	assert_line -n 1 "2,2026-11-23T11:00+01:00,2026-11-23T12:00+01:00,booked,cut,Haircut,sam,1,Anna Bell,anna@example.com,,,"
	# The next one: 11:30 overlaps it, 12:00 would cross the break.
	first=$(appt-slots -o csv -s cut 2026-11-23..2026-12-31 | sed -n 2p)
	assert_equal "$first" "2026-11-23T13:30+01:00,2026-11-23T14:30+01:00,sam,cut"
	run --separate-stderr appt-book -s cut -c 2 --first
	assert_success
	assert_line -n 1 "3,2026-11-23T13:30+01:00,2026-11-23T14:30+01:00,booked,cut,Haircut,sam,2,Ben Ode,,+49 171 2345678,,"
}

@test "--first AFTER books the first free slot at or after AFTER" {
	biz
	expect=$(appt-slots -o csv -s cut 2026-11-24 |
	    awk -F, 'NR > 1 && $1 >= "2026-11-24T12:10" { print; exit }')
	assert_equal "$expect" "2026-11-24T12:30+01:00,2026-11-24T13:30+01:00,sam,cut"
	run --separate-stderr appt-book -s cut -c 1 --first "2026-11-24 12:10"
	assert_success
	assert_line -n 1 "1,2026-11-24T12:30+01:00,2026-11-24T13:30+01:00,booked,cut,Haircut,sam,1,Anna Bell,anna@example.com,,,"
	run --separate-stderr appt-book -s cut -c 1 --first "2026-11-24 12:10" -w alice
	assert_success
	assert_line -n 1 --partial "2,2026-11-24T12:30+01:00,2026-11-24T13:30+01:00,booked,cut,Haircut,alice,"
}

@test "--first with nothing free within the horizon exits 1" {
	biz "sun = closed"
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 1 --first
	assert_failure 1
	assert_regex "$stderr" "no free slot"
	assert_equal "$(snapshot)" "$before"
}

# --- recurring bookings ------------------------------------------------------------

@test "--every 1w --count 4 books four rows sharing one series, across months" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w sam --every 1w --count 4
	assert_success
	assert_equal "${#lines[@]}" 5
	assert_line -n 1 --partial "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,"
	assert_line -n 2 --partial "2,2026-12-01T10:00+01:00,2026-12-01T11:00+01:00,booked,"
	assert_line -n 3 --partial "3,2026-12-08T10:00+01:00,2026-12-08T11:00+01:00,booked,"
	assert_line -n 4 --partial "4,2026-12-15T10:00+01:00,2026-12-15T11:00+01:00,booked,"
	run cut -d, -f1,2 <(rows 2026-11)
	assert_output "1,2026-11-24T10:00+01:00"
	run cut -d, -f1,2 <(rows 2026-12)
	assert_output - <<-EOF
	2,2026-12-01T10:00+01:00
	3,2026-12-08T10:00+01:00
	4,2026-12-15T10:00+01:00
	EOF
	# One non-empty series value for all four.
	series=$(rows 2026-11; rows 2026-12) 
	run sort -u <(cut -d, -f9 <<<"$series")
	assert_equal "${#lines[@]}" 1
	assert [ -n "$output" ]
	run appt-check
	assert_success
}

@test "a single booking has no series" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(rows | cut -d, -f9)" ""
}

@test "two series get different series values" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w sam --every 1w --count 2
	assert_success
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-24 14:00" -w sam --every 1w --count 2
	assert_success
	run sort -u <(cut -d, -f9 <(rows 2026-11; rows 2026-12))
	assert_equal "${#lines[@]}" 2
}

@test "--every with --until books through the given date" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" -w sam --every 1w --until 2026-12-08
	assert_success
	assert_equal "${#lines[@]}" 4
	run cut -d, -f2 <(rows 2026-11; rows 2026-12)
	assert_output - <<-EOF
	2026-11-24T10:00+01:00
	2026-12-01T10:00+01:00
	2026-12-08T10:00+01:00
	EOF
}

@test "a conflict in a later occurrence books nothing, names it and exits 1" {
	biz
	appt_add 2026-11 "1,2026-12-08T10:30+01:00,2026-12-08T11:00+01:00,short,sam,2,booked,10.00,,,$NOW,$NOW,,"
	mkdir -p "$D/appointments"
	mv "$D/appointments/2026-11.csv" "$D/appointments/2026-12.csv"
	before=$(snapshot)
	run --separate-stderr appt-book -s cut --name "New Person" --email new@example.com \
	    --at "2026-11-24 10:00" -w sam --every 1w --count 4
	assert_failure 1
	assert_regex "$stderr" "2026-12-08T10:00\+01:00"
	refute_regex "$stderr" "2026-11-24T10:00|2026-12-01T10:00|2026-12-15T10:00"
	assert_equal "$(snapshot)" "$before"
}

@test "a series no single staff member can take is refused as a whole" {
	biz
	# sam is busy on the third week, alice on the second.
	appts 2026-12 <<-EOF
	1,2026-12-08T10:00+01:00,2026-12-08T11:00+01:00,cut,sam,2,booked,47.50,,,$NOW,$NOW,,
	2,2026-12-01T10:00+01:00,2026-12-01T11:00+01:00,cut,alice,2,booked,47.50,,,$NOW,$NOW,,
	EOF
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" --every 1w --count 3
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	# With two weeks alice is free for both: the series goes to her.
	sed -i '/alice/d' "$D/appointments/2026-12.csv"
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00" --every 1w --count 3
	assert_success
	run cut -d, -f2,5 <(rows 2026-11; rows 2026-12)
	assert_output - <<-EOF
	2026-11-24T10:00+01:00,alice
	2026-12-08T10:00+01:00,sam
	2026-12-01T10:00+01:00,alice
	2026-12-08T10:00+01:00,alice
	EOF
}

# --- dates and DST ------------------------------------------------------------------

@test "February 29 of a leap year is booked; of another year it is no such date" {
	biz
	APPT_NOW=2028-02-20T08:00 run --separate-stderr appt-book -s cut -c 1 --at "2028-02-29 10:00"
	assert_success
	assert_line -n 1 --partial "1,2028-02-29T10:00+01:00,2028-02-29T11:00+01:00,booked,"
	run rows 2028-02
	assert_output "1,2028-02-29T10:00+01:00,2028-02-29T11:00+01:00,cut,sam,1,booked,47.50,,,2028-02-20T08:00+01:00,2028-02-20T08:00+01:00,,"
	before=$(snapshot)
	APPT_NOW=2027-02-20T08:00 run --separate-stderr appt-book -s cut -c 1 --at "2027-02-29 10:00"
	assert_failure 2
	assert_regex "$stderr" "no such date"
	APPT_NOW=2027-02-20T08:00 run --separate-stderr appt-book -s cut -c 1 --at "2027-02-29T10:00" --force
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "a time in the spring-forward gap exits 2 and changes nothing" {
	biz $'sun = 00:00-06:00' $'granularity = 30m\nmin_notice = 0m\nhorizon = 30d'
	export APPT_NOW=2026-03-20T08:00
	before=$(snapshot)
	run --separate-stderr appt-book -s short -c 1 --at "2026-03-29 02:30"
	assert_failure 2
	assert_regex "$stderr" "2026-03-29 02:30"
	run --separate-stderr appt-book -s short -c 1 --at "2026-03-29T02:00" --force
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
	# Either side of the gap is fine.
	run --separate-stderr appt-book -s short -c 1 --at "2026-03-29 01:30"
	assert_success
	assert_line -n 1 --partial "1,2026-03-29T01:30+01:00,2026-03-29T03:00+02:00,booked,"
}

@test "a time in the fall-back hour takes the first instant and says so" {
	biz $'sun = 00:00-06:00' $'granularity = 30m\nmin_notice = 0m\nhorizon = 30d'
	export APPT_NOW=2026-10-20T08:00
	run --separate-stderr appt-book -s cut -c 1 --at "2026-10-25 02:30"
	assert_success
	assert_line -n 1 --partial "1,2026-10-25T02:30+02:00,2026-10-25T02:30+01:00,booked,"
	assert_regex "$stderr" "2026-10-25T02:30\+02:00"
	assert_regex "$stderr" "twice"
	run rows 2026-10
	assert_output "1,2026-10-25T02:30+02:00,2026-10-25T02:30+01:00,cut,sam,1,booked,47.50,,,2026-10-20T08:00+02:00,2026-10-20T08:00+02:00,,"
	# It lasts until the second 02:30: the second 02:00 is inside it,
	# the second 02:30 is free. An offset picks the instant.
	run --separate-stderr appt-book -s short -c 1 --at "2026-10-25T02:00+01:00" -w sam
	assert_failure 1
	run --separate-stderr appt-book -s short -c 1 --at "2026-10-25T02:00+01:00" -w alice
	assert_success
	assert_line -n 1 --partial "2,2026-10-25T02:00+01:00,2026-10-25T02:30+01:00,booked,short,Short,alice,"
	run --separate-stderr appt-book -s short -c 1 --at "2026-10-25T02:30+01:00" -w sam
	assert_success
	assert_line -n 1 --partial "3,2026-10-25T02:30+01:00,2026-10-25T03:00+01:00,booked,short,Short,sam,"
}

@test "a forced booking across midnight blocks the next day's first hour" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 23:30" -w sam --force
	assert_success
	assert_line -n 1 --partial "1,2026-11-24T23:30+01:00,2026-11-25T00:30+01:00,booked,"
	before=$(snapshot)
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-25 00:00" -w sam --force
	assert_failure 1
	assert_regex "$stderr" "taken by appointment 1"
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book -s short -c 2 --at "2026-11-25 00:30" -w sam --force
	assert_success
}

# --- requests on stdin -----------------------------------------------------------------

@test "appt-book - books the good rows, reports the bad ones by line and exits 1" {
	biz
	run --separate-stderr appt-book - <<-EOF
	service,start,name,email,phone,staff
	cut,2026-11-24T10:00,Carl Dee,carl@example.com,,sam
	perm,2026-11-24T11:00,Dora Eck,dora@example.com,,
	cut,2026-11-24T10:00,Emil Foy,emil@example.com,,sam
	cut,2026-11-24T12:00,Fay Gum,-x@example.com,,
	cut,2026-11-24T13:00,Gus Hay,gus@example.com,030 5550000,
	cut,2026-11-24T14:00,Hal Ide,,,
	EOF
	assert_failure 1
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,booked,cut,Haircut,sam,3,Carl Dee,carl@example.com,,,
	2,2026-11-24T13:00+01:00,2026-11-24T14:00+01:00,booked,cut,Haircut,sam,4,Gus Hay,gus@example.com,030 5550000,,
	EOF
	for n in 3 4 5 7; do
		grep -q "^appt-book: stdin:$n: " <<<"$stderr" ||
		    fail "no message for line $n: $stderr"
	done
	refute_regex "$stderr" "stdin:[26]:"
	assert_regex "$stderr" "stdin:3: [^"$'\n'"]*perm"
	assert_regex "$stderr" "stdin:5: [^"$'\n'"]*email"
	# Every message names its line.
	run grep -vc '^appt-book: stdin:[0-9]*: ' <<<"$stderr"
	assert_output 0
	run cut -d, -f1,2,6 <(rows)
	assert_output - <<-EOF
	1,2026-11-24T10:00+01:00,3
	2,2026-11-24T13:00+01:00,4
	EOF
	run cut -d, -f1,2 <(tail -n +2 "$D/customers.csv")
	assert_output - <<-EOF
	1,Anna Bell
	2,Ben Ode
	3,Carl Dee
	4,Gus Hay
	EOF
	run appt-check
	assert_success
}

@test "appt-book - with only good rows exits 0; a returning customer is reused" {
	biz
	run --separate-stderr appt-book - <<-EOF
	service,start,name,email,phone
	cut,2026-11-24T10:00,Anna Bell,ANNA@example.com,
	short,2026-11-24T10:00,Ben Ode,,0171 2345678
	EOF
	assert_success
	assert_equal "${#lines[@]}" 3
	run cut -d, -f1,2,5,6 <(rows)
	assert_output - <<-EOF
	1,2026-11-24T10:00+01:00,sam,1
	2,2026-11-24T10:00+01:00,alice,2
	EOF
	assert_equal "$(ncust)" 2
}

@test "appt-book - without the needed columns exits 2 and changes nothing" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book - <<-EOF
	name,email
	Carl Dee,carl@example.com
	EOF
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

# --- concurrency and crashes ------------------------------------------------------------

@test "20 parallel bookings of one slot: exactly one succeeds" {
	biz
	T=$BATS_TEST_TMPDIR
	for i in $(seq 1 20); do
		(rc=0
		appt-book -s cut --name "Racer $i" --email "racer$i@example.com" \
		    --at "2026-11-24 10:00" -w sam > "$T/out.$i" 2> "$T/err.$i" ||
		    rc=$?
		echo $rc > "$T/rc.$i") &
	done
	wait
	run cat "$T"/rc.*
	assert_equal "${#lines[@]}" 20
	assert_equal "$(grep -c '^0$' <<<"$output")" 1
	assert_equal "$(grep -c '^1$' <<<"$output")" 19
	assert_equal "$(nappt)" 1
	assert_equal "$(rows | cut -d, -f1,2,5)" "1,2026-11-24T10:00+01:00,sam"
	assert_equal "$(cat "$T"/err.* | grep -c 'taken by appointment 1')" 19
	# Only the winner became a customer.
	assert_equal "$(ncust)" 3
	run appt-check
	assert_success
}

@test "20 parallel bookings of distinct slots are all kept" {
	biz $'tue = 09:00-19:00' $'granularity = 30m\nmin_notice = 0m\nhorizon = 30d'
	T=$BATS_TEST_TMPDIR
	for i in $(seq 0 19); do
		at=$(printf '2026-11-24T%02d:%02d' $((9 + i / 2)) $((i % 2 * 30)))
		(rc=0
		appt-book -s short --name "Guest $i" --email "guest$i@example.com" \
		    --at "$at" -w sam > "$T/out.$i" 2> "$T/err.$i" || rc=$?
		echo $rc > "$T/rc.$i") &
	done
	wait
	run cat "$T"/rc.*
	assert_equal "${#lines[@]}" 20
	assert_equal "$(grep -c '^0$' <<<"$output")" 20
	assert_equal "$(nappt)" 20
	# 20 different ids, 20 different starts, 20 new customers.
	assert_equal "$(rows | cut -d, -f1 | sort -u | wc -l)" 20
	assert_equal "$(rows | cut -d, -f2 | sort -u | wc -l)" 20
	assert_equal "$(rows | cut -d, -f1 | sort -n | tr '\n' ' ')" "$(seq 1 20 | tr '\n' ' ')"
	assert_equal "$(ncust)" 22
	run appt-check
	assert_success
	csvs_parse
}

@test "kill -9 at random moments leaves parsable files and never reuses an id" {
	biz $'tue = 09:00-19:00\nwed = 09:00-19:00\nthu = 09:00-19:00' \
	    $'granularity = 30m\nmin_notice = 0m\nhorizon = 30d'
	T=$BATS_TEST_TMPDIR
	: > "$T/seen"
	for i in $(seq 0 59); do
		at=$(printf '2026-11-%02dT%02d:%02d' $((24 + i / 20)) \
		    $((9 + i % 20 / 2)) $((i % 2 * 30)))
		appt-book -s short --name "Guest $i" --email "guest$i@example.com" \
		    --at "$at" -w sam > /dev/null 2>&1 &
		pid=$!
		# A booking takes some milliseconds: kill it anywhere in them.
		sleep "0.00$((RANDOM % 10))$((RANDOM % 10))"
		kill -9 "$pid" 2> /dev/null || true
		wait "$pid" || true
		run appt-check
		assert_success
		run csvs_parse
		assert_success
		# Appointment and customer ids seen so far, with what they name.
		for f in "$D"/appointments/*.csv; do
			[ -e "$f" ] || continue
			tail -n +2 "$f" | cut -d, -f1,2 | sed 's/^/a,/' >> "$T/seen"
		done
		tail -n +2 "$D/customers.csv" | cut -d, -f1,3 | sed 's/^/c,/' >> "$T/seen"
	done
	# Once more, to the end: a booking that is not killed.
	run --separate-stderr appt-book -s short --name "Last" --email last@example.com \
	    --at "2026-11-27T09:00" -w sam --force
	assert_success
	last=$(sed -n 2p <<<"$output" | cut -d, -f1)
	lastc=$(sed -n 2p <<<"$output" | cut -d, -f8)
	# No id ever named two different things.
	run bash -c "sort -u '$T/seen' | cut -d, -f1,2 | uniq -d"
	assert_output ""
	# The last booking's ids are new.
	maxa=$(awk -F, '$1 == "a" && $2 > m { m = $2 } END { print m + 0 }' "$T/seen")
	maxc=$(awk -F, '$1 == "c" && $2 > m { m = $2 } END { print m + 0 }' "$T/seen")
	assert [ "$last" -gt "$maxa" ]
	assert [ "$lastc" -gt "$maxc" ]
	# Ids unique in the end too.
	run bash -c "cat '$D'/appointments/*.csv | grep -v '^id,' | cut -d, -f1 | sort | uniq -d"
	assert_output ""
	run bash -c "tail -n +2 '$D/customers.csv' | cut -d, -f1 | sort | uniq -d"
	assert_output ""
	run appt-check
	assert_success
}

# --- flagged customers ----------------------------------------------------
# The fixture in full: flag 1 (Kevin Lang) matches customer 8 (K. Lang)
# by phone and address; [booking] on_flag = warn.

FLAGREASON="Three no-shows in 2026, never paid the fee"

@test "flag: booking a flagged customer warns with fields, flag and reason, and books" {
	fixture -e
	run --separate-stderr appt-book -s cut -c 8 --at "2026-11-24 12:00" \
	    -w sam --no-notify
	assert_success
	assert_line -n 1 --regexp '^70,2026-11-24T12:00\+01:00,2026-11-24T12:45\+01:00,booked,cut,Haircut,sam,8,K\. Lang,'
	assert_regex "$stderr" "flag 1"
	assert_regex "$stderr" "phone\+address"
	assert_regex "$stderr" "$FLAGREASON"
	assert_equal "$(grep -c . <<<"$stderr")" 1
	run grep -c '^70,2026-11-24T12:00+01:00,.*,sam,8,booked,' \
	    "$D/appointments/2026-11.csv"
	assert_output 1
}

@test "flag: an unflagged customer books without a warning" {
	fixture -e
	run --separate-stderr appt-book -s cut -c 5 --at "2026-11-24 12:00" \
	    -w sam --no-notify
	assert_success
	assert_equal "$stderr" ""
}

@test "flag: on_flag = refuse exits 1, says why and changes nothing" {
	fixture -e
	sed -i 's/^on_flag = warn$/on_flag = refuse/' "$D/config.ini"
	grep -q '^on_flag = refuse$' "$D/config.ini"
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 8 --at "2026-11-24 12:00" \
	    -w sam --no-notify
	assert_failure 1
	assert_regex "$stderr" "refused"
	assert_regex "$stderr" "flag 1"
	assert_regex "$stderr" "phone\+address"
	assert_regex "$stderr" "$FLAGREASON"
	assert_regex "$stderr" "--force"
	refute_output --partial "2026-11-24T12:00"
	assert_equal "$(snapshot)" "$before"
	# A new customer who matches the flag is not created either.
	run --separate-stderr appt-book -s cut --name "Kevin Lang" \
	    --email new.kevin@example.org --at "2026-11-24 12:00" -w sam \
	    --no-notify
	assert_failure 1
	assert_regex "$stderr" "flag 1 \(name\)"
	assert_equal "$(snapshot)" "$before"
}

@test "flag: on_flag = refuse with --force books, still warning" {
	fixture -e
	sed -i 's/^on_flag = warn$/on_flag = refuse/' "$D/config.ini"
	run --separate-stderr appt-book -s cut -c 8 --at "2026-11-24 12:00" \
	    -w sam --no-notify --force
	assert_success
	assert_line -n 1 --regexp '^70,2026-11-24T12:00\+01:00,.*,sam,8,K\. Lang,'
	assert_regex "$stderr" "flag 1 \(phone\+address\)"
	run grep -c '^70,.*,sam,8,booked,' "$D/appointments/2026-11.csv"
	assert_output 1
}

@test "flag: a new customer whose name matches a flag warns and is booked" {
	fixture -e
	run --separate-stderr appt-book -s cut --name "LANG, Kevin" \
	    --email new.kevin@example.org --at "2026-11-24 12:00" -w sam \
	    --no-notify
	assert_success
	assert_regex "$stderr" "flag 1 \(name\)"
	assert_regex "$stderr" "$FLAGREASON"
	assert_line -n 1 --regexp '^70,.*,sam,9,"LANG, Kevin",new\.kevin@example\.org,'
	run grep -c '^9,' "$D/customers.csv"
	assert_output 1
	# "Jon Smyth" is not "John Smith": no warning.
	appt-flag add --name "John Smith" --reason x > /dev/null
	run --separate-stderr appt-book -s cut --name "Jon Smyth" \
	    --email jon@example.org --at "2026-11-24 13:00" -w sam \
	    --no-notify
	assert_success
	assert_equal "$stderr" ""
}

@test "flag: a booking request on stdin matching a flag by email warns" {
	fixture -e
	run --separate-stderr appt-book --no-notify - <<-'EOF'
	service,start,staff,name,email
	cut,2026-11-24T12:00,sam,Kev,Kevin.Lang+web@example.com
	cut,2026-11-24T13:00,sam,Someone Else,else@example.org
	EOF
	assert_success
	assert_regex "$stderr" "stdin:2: warning: .*flag 1 \(email\)"
	assert_equal "$(grep -c . <<<"$stderr")" 1
	assert_equal "${#lines[@]}" 3
}

@test "flag: with on_flag = refuse a flagged request on stdin is refused, the rest booked" {
	fixture -e
	sed -i 's/^on_flag = warn$/on_flag = refuse/' "$D/config.ini"
	run --separate-stderr appt-book --no-notify - <<-'EOF'
	service,start,staff,name,email
	cut,2026-11-24T12:00,sam,Kev,Kevin.Lang+web@example.com
	cut,2026-11-24T13:00,sam,Someone Else,else@example.org
	EOF
	assert_failure 1
	assert_regex "$stderr" "stdin:2: refused: .*flag 1 \(email\)"
	assert_equal "${#lines[@]}" 2
	assert_line -n 1 --regexp '^70,2026-11-24T13:00\+01:00,.*,Someone Else,'
	run grep -c 'kevin.lang+web' "$D/customers.csv"
	assert_output 0
}

@test "a returning customer whose phone is written +49 (0), 0049 or 00 49 is recognised" {
	biz
	local p n=0
	for p in "+49 (0) 171 2345678" "+49(0)171-2345678" \
	    "0049 (0)171 2345678" "0049 171 2345678" "00 49 171 2345678"; do
		run --separate-stderr appt-book -s short --no-notify \
		    --name "Ben Ode" --phone "$p" \
		    --at "2026-11-24 1$n:00"
		assert_success
		assert_line -n 1 --partial ",booked,short,Short,sam,2,Ben Ode,,+49 171 2345678,,"
		refute_regex "$stderr" "phone is"
		n=$((n + 1))
	done
	assert_equal "$(ncust)" 2
	# A new customer written that way is found again by the plain form.
	run --separate-stderr appt-book -s short --no-notify --name "Ida Hoff" \
	    --phone "+44 (0)20 7946 0958" --at "2026-11-25 10:00"
	assert_success
	assert_line -n 1 --partial ",3,Ida Hoff,,+44 (0)20 7946 0958,,"
	run --separate-stderr appt-book -s short --no-notify -c "+442079460958" \
	    --at "2026-11-25 11:00"
	assert_success
	assert_line -n 1 --partial ",3,Ida Hoff,"
	assert_equal "$(ncust)" 3
}

@test "working intervals that touch are one: a booking across the joint needs no --force" {
	biz $'mon = 09:00-12:30, 13:30-18:00\ntue = 09:00-12:00, 12:00-18:00\nwed = 09:00-10:30,10:30-18:00'
	run --separate-stderr appt-book -s cut -c 1 -w sam --no-notify \
	    --at "2026-11-24 11:30"
	assert_success
	assert_line -n 1 --partial "1,2026-11-24T11:30+01:00,2026-11-24T12:30+01:00,booked,cut,"
	# A real break still refuses it.
	run --separate-stderr appt-book -s cut -c 1 -w sam --no-notify \
	    --at "2026-11-23 12:00"
	assert_failure 1
	assert_regex "$stderr" "outside sam's working hours"
	# Moved across another joint, too.
	run --separate-stderr appt-move 1 "2026-11-25 10:00"
	assert_success
	run rows
	assert_output --partial "1,2026-11-25T10:00+01:00,2026-11-25T11:00+01:00,cut,sam,1,booked,"
}

@test "a plan over midnight is one: fri 20:00-24:00 and sat 00:00-04:00" {
	biz $'fri = 20:00-24:00\nsat = 00:00-04:00' $'granularity = 30m\nhorizon = 30d'
	run --separate-stderr appt-book -s colour -c 1 -w sam --no-notify \
	    --at "2026-11-27 23:00"
	assert_success
	assert_line -n 1 --partial "1,2026-11-27T23:00+01:00,2026-11-28T00:30+01:00,booked,colour,"
	# Not past the end of Saturday's interval, and not over a gap.
	run --separate-stderr appt-book -s colour -c 1 -w sam --no-notify \
	    --at "2026-11-28 03:00"
	assert_failure 1
	assert_regex "$stderr" "outside sam's working hours"
	run --separate-stderr appt-move 1 "2026-11-27 23:30"
	assert_success
	run rows
	assert_output --partial "1,2026-11-27T23:30+01:00,2026-11-28T01:00+01:00,colour,sam,1,booked,"
	sed -i 's/^sat = 00:00-04:00$/sat = 00:15-04:00/' "$D/config.ini"
	run --separate-stderr appt-book -s cut -c 2 -w sam --no-notify \
	    --at "2026-12-04 23:30"
	assert_failure 1
	assert_regex "$stderr" "outside sam's working hours"
}

# The fixture in full, open 08:00-18:00 every day, with a boarding of
# $1 (7d) and an hour's bath, as issue 8 gives it.
boarding() {
	fixture -e
	sed -i 's/^\(mon\|tue\|wed\|thu\|fri\|sat\|sun\) = .*/\1 = 08:00-18:00/' \
	    "$D/config.ini"
	printf 'board,Boarding,%s,300.00,,,,,,\nbath,Bath,1h,30.00,,,,,,\n' \
	    "${1:-7d}" >> "$D/services.csv"
}

@test "long appointments: a boarding into the next month cannot be booked over" {
	boarding
	run appt-book -s board -c 1 -w sam --at "2026-11-28 10:00" --force \
	    --no-notify
	assert_success
	assert_line -n 1 --partial '70,2026-11-28T10:00+01:00,2026-12-05T10:00+01:00,'
	run appt-slots 2026-12-04 -s bath -w sam
	assert_output "$SLOT_HEADER"
	before=$(snapshot)
	run --separate-stderr appt-book -s bath -c 2 -w sam \
	    --at "2026-12-04 10:00" --no-notify
	assert_failure 1
	assert_regex "$stderr" "sam is taken by appointment 70 \(2026-11-28T10:00\+01:00 to 2026-12-05T10:00\+01:00"
	assert_equal "$(snapshot)" "$before"
	# Not even with --force; and after it, the bath can be had.
	run appt-book -s bath -c 2 -w sam --at "2026-12-04 10:00" --force \
	    --no-notify
	assert_failure 1
	run appt-book -s bath -c 2 -w sam --at "2026-12-05 10:00" --no-notify
	assert_success
	run appt-check
	assert_success
}

@test "long appointments: one longer than a month blocks the month after next" {
	boarding 40d
	run appt-book -s board -c 1 -w sam --at "2026-11-28 10:00" --force \
	    --no-notify
	assert_success
	assert_line -n 1 --partial ',2026-11-28T10:00+01:00,2027-01-07T10:00+01:00,'
	# Something in December, so that its file is there to read as well.
	run appt-book -s bath -c 2 -w alice --at "2026-12-15 10:00" --no-notify
	assert_success
	before=$(snapshot)
	run --separate-stderr appt-book -s bath -c 2 -w sam \
	    --at "2027-01-05 10:00" --no-notify
	assert_failure 1
	assert_regex "$stderr" "sam is taken by appointment 70 "
	assert_equal "$(snapshot)" "$before"
	run appt-book -s bath -c 2 -w sam --at "2027-01-07 10:00" --no-notify
	assert_success
	run appt-check
	assert_success
}

@test "long appointments: a hand-edit that lengthens a row is seen, whatever .months.idx says" {
	boarding
	appt-book -s bath -c 1 -w sam --at "2026-11-28 10:00" --no-notify \
	    > /dev/null
	sleep 2		# so that the figures of the month file are written down
	run appt-slots 2026-12-04 -s bath -w sam
	assert_line -n 1 '2026-12-04T08:00+01:00,2026-12-04T09:00+01:00,sam,bath'
	run grep -c '^2026-11.csv ' "$D/.months.idx"
	assert_output 1
	# By hand, in place: the bath lasts a week. Same size, same mtime.
	/usr/bin/python3 - "$D/appointments/2026-11.csv" <<-'EOF'
	import os, sys
	p = sys.argv[1]
	st = os.stat(p)
	with open(p, "r+b") as f:
	    data = f.read()
	    new = data.replace(b",2026-11-28T11:00+01:00,",
	        b",2026-12-05T11:00+01:00,", 1)
	    assert new != data
	    f.seek(0)
	    f.write(new)
	os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
	EOF
	run appt-slots 2026-12-04 -s bath -w sam
	assert_output "$SLOT_HEADER"
	run --separate-stderr appt-book -s bath -c 2 -w sam \
	    --at "2026-12-04 10:00" --no-notify
	assert_failure 1
	assert_regex "$stderr" "sam is taken by appointment 70 "
}

@test "long appointments: a broken .months.idx is made again" {
	boarding
	appt-book -s board -c 1 -w sam --at "2026-11-28 10:00" --force \
	    --no-notify > /dev/null
	printf 'appt-months 1\n2026-11.csv 1 2 3 4 5 6 7 0 0 0\ngarbage\n' \
	    > "$D/.months.idx"
	run appt-book -s bath -c 2 -w sam --at "2026-12-04 10:00" --no-notify
	assert_failure 1
	rm "$D/.months.idx"
	run appt-book -s bath -c 2 -w sam --at "2026-12-04 10:00" --no-notify
	assert_failure 1
}

@test "a hand-edited row that ends before it starts stops the booking: exit 3, file:line" {
	biz
	mkdir -p "$D/appointments"
	appt_add 2026-11 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,sam,1,booked,47.50,,,$NOW,$NOW,,"
	appt_add 2026-11 "2,2026-11-25T10:00+01:00,2026-11-25T09:00+01:00,cut,sam,2,booked,47.50,,,$NOW,$NOW,,"
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 1 -w sam \
	    --at "2026-11-25 10:00" --no-notify
	assert_failure 3
	assert_equal "$stderr" "appt-book: appointments/2026-11.csv:3: end is not after start (appt-check lists every problem)"
	assert_equal "$(snapshot)" "$before"
	# Its end is anyone's guess: a later day is no safer.
	run --separate-stderr appt-book -s cut -c 1 -w sam \
	    --at "2026-11-26 10:00" --force --no-notify
	assert_failure 3
	assert_equal "$(snapshot)" "$before"
	run appt-check
	assert_failure 3
	assert_line --partial "appointments/2026-11.csv:3: end is not after start"
}

@test "a hand-edited row without staff stops a booking at its time: exit 3, file:line" {
	biz
	mkdir -p "$D/appointments"
	appt_add 2026-11 "1,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,cut,,1,booked,47.50,,,$NOW,$NOW,,"
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 2 -w sam \
	    --at "2026-11-24 10:00" --no-notify
	assert_failure 3
	assert_equal "$stderr" "appt-book: appointments/2026-11.csv:2: staff: empty (appt-check lists every problem)"
	assert_equal "$(snapshot)" "$before"
}

@test "a stale ids.csv hands out no appointment id again" {
	fixture -e
	sed -i 's/^appointments,.*/appointments,10/' "$D/ids.csv"
	# Ids up to 69 are in November; December has no file yet.
	run --separate-stderr appt-book -s cut -c 1 -w sam \
	    --at "2026-12-03 10:00" --every 1w --count 2 --no-notify
	assert_success
	assert_line -n 1 --regexp '^70,2026-12-03T10:00\+01:00,'
	assert_line -n 2 --regexp '^71,2026-12-10T10:00\+01:00,'
	assert_equal "$stderr" "appt-book: ids.csv:4: appointments: last id 10 is below id 69 in appointments/2026-11.csv; going on from 69"
	run grep '^appointments,' "$D/ids.csv"
	assert_output appointments,71
	run appt-check
	assert_success
}

# --- text that is not UTF-8, and other input gaps (issue 8) ---------------------

@test "a --name of the issue's bytes that are not UTF-8 is refused at once; nothing written" {
	biz
	before=$(snapshot)
	local n
	n="A$(head -c 60 /dev/zero | tr '\0' '\200')"
	# Before, the mail-header encoder looped here, growing memory.
	run --separate-stderr timeout 5 appt-book -s cut --name "$n" \
	    --email a@example.org --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --name: not valid UTF-8"
	assert_equal "$(snapshot)" "$before"
}

@test "Latin-1 in --name, --note, --address or -s is refused with exit 2 naming the option" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut --name $'M\xfcller' \
	    --email m@example.org --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --name: not valid UTF-8"
	run --separate-stderr appt-book --no-notify -s cut -c 1 \
	    --note $'caf\xe9' --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --note: not valid UTF-8"
	run --separate-stderr appt-book --no-notify -s cut --name Ann \
	    --email m@example.org --address $'Stra\xdfe 1' \
	    --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --address: not valid UTF-8"
	run --separate-stderr appt-book --no-notify -s $'c\xfct' -c 1 \
	    --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: -s: not valid UTF-8"
	# An overlong '/' and a surrogate are not UTF-8 either.
	run --separate-stderr appt-book --no-notify -s cut \
	    --name $'A\xc0\xafB' --email m@example.org --at "2026-11-24 10:00"
	assert_failure 2
	run --separate-stderr appt-book --no-notify -s cut \
	    --name $'A\xed\xa0\x80B' --email m@example.org \
	    --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
	# The same name in UTF-8 is booked.
	run --separate-stderr appt-book --no-notify -s cut --name 'Müller' \
	    --email m@example.org --at "2026-11-24 10:00"
	assert_success
	grep -q '^3,Müller,m@example.org,' "$D/customers.csv"
}

@test "a row of - that is not UTF-8 is reported with its line and skipped; the others are booked" {
	biz
	run --separate-stderr appt-book --no-notify - < <(printf '%s\n' \
	    'service,start,name,email,note' \
	    'cut,2026-11-24 10:00,Ann Other,ann.o@example.org,' \
	    $'cut,2026-11-24 12:00,M\xfcller,m@example.org,' \
	    $'cut,2026-11-24 14:00,Cara,cara@example.org,caf\xe9' \
	    'cut,2026-11-24 16:00,Dan,dan@example.org,')
	assert_failure 2
	assert_equal "$stderr" "appt-book: stdin:3: name: not valid UTF-8
appt-book: stdin:4: note: not valid UTF-8"
	assert_equal "${#lines[@]}" 3
	assert_line -n 1 --regexp '^[0-9]+,2026-11-24T10:00\+01:00,.*,Ann Other,'
	assert_line -n 2 --regexp '^[0-9]+,2026-11-24T16:00\+01:00,.*,Dan,'
	run grep -c 'm@example.org\|cara@' "$D/customers.csv"
	assert_output 0
	assert_equal "$(nappt)" 2
}

@test "a blank --name is refused, whether or not the slot is free" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut --name "   " \
	    --email new@example.org --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --name: blank"
	run --separate-stderr appt-book --no-notify - <<-'EOF'
	service,start,name,email
	cut,2026-11-24 10:00,"   ",new@example.org
	EOF
	assert_failure 1
	assert_equal "$stderr" "appt-book: stdin:2: --name: blank"
	assert_equal "$(snapshot)" "$before"
}

@test "a TAB in --note is refused, as the page says of control characters" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut -c 1 \
	    --note $'bring\tphotos' --at "2026-11-24 10:00"
	assert_failure 2
	assert_equal "$stderr" "appt-book: --note: control character (tab, CR, LF, ...) not allowed"
	assert_equal "$(snapshot)" "$before"
	# The page says so.
	grep -q "a tab, CR or LF included" "$TOP/man/appt-book.1"
}

@test "an email with an empty or hyphen-edged domain label is refused" {
	biz
	before=$(snapshot)
	local e
	for e in a@b..com a@.b.com a@b.com. a@-b.com a@b-.com a@b.-com; do
		run --separate-stderr appt-book --no-notify -s cut --name Ann \
		    --email "$e" --at "2026-11-24 10:00"
		assert_failure 2
		assert_equal "$stderr" "appt-book: --email $e: not an address of the form local@domain"
	done
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-book --no-notify -s cut --name Ann \
	    --email a@b-c.example.com --at "2026-11-24 10:00"
	assert_success
}

@test "a price of 45 or 45.5 in services.csv is recorded as 45.00 or 45.50" {
	biz
	sed -i 's/^cut,Haircut,1h,47.50,/cut,Haircut,1h,45,/;
	    s/^short,Short,30m,10.00,/short,Short,30m,45.5,/' "$D/services.csv"
	run appt-book --no-notify -s cut -c 1 --at "2026-11-24 10:00"
	assert_success
	run appt-book --no-notify -s short -c 1 --at "2026-11-24 12:00"
	assert_success
	run cut -d, -f4,8 <(rows)
	assert_output - <<-'EOF'
	cut,45.00
	short,45.50
	EOF
}

@test "a negative price in services.csv refuses the booking with exit 3 and the file's line" {
	biz
	sed -i 's/^cut,Haircut,1h,47.50,/cut,Haircut,1h,-5.00,/' \
	    "$D/services.csv"
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut -c 1 \
	    --at "2026-11-24 10:00"
	assert_failure 3
	assert_equal "$stderr" "appt-book: services.csv:2: price '-5.00': negative"
	sed -i 's/^cut,Haircut,1h,-5.00,/cut,Haircut,1h,cheap,/' \
	    "$D/services.csv"
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut -c 1 \
	    --at "2026-11-24 10:00"
	assert_failure 3
	assert_equal "$stderr" "appt-book: services.csv:2: price 'cheap': not an amount (45.00)"
	assert_equal "$(snapshot)" "$before"
	# Other services are booked as before.
	run appt-book --no-notify -s short -c 1 --at "2026-11-24 10:00"
	assert_success
}

@test "a row of - with count=abc is reported as a bad count" {
	biz
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify - <<-'EOF'
	service,start,customer,every,count
	cut,2026-11-24 10:00,1,1w,abc
	cut,2026-11-24 12:00,1,1w,0
	EOF
	assert_failure 2
	assert_equal "$stderr" "appt-book: stdin:2: count abc: not a number from 1 to 500
appt-book: stdin:3: count 0: not a number from 1 to 500"
	assert_equal "$(snapshot)" "$before"
}

@test "a new customer's --note becomes their notes; a returning one's notes stay" {
	biz
	run --separate-stderr appt-book -s cut --name "Carl Dee" \
	    --email carl@example.com --at "2026-11-24 10:00" --note "allergic to dye"
	assert_success
	assert_line -n 1 --regexp ',Carl Dee,carl@example.com,,,allergic to dye$'
	run grep '^3,' "$D/customers.csv"
	assert_output "3,Carl Dee,carl@example.com,,,,allergic to dye,$NOW"
	run rows 2026-11
	assert_output --regexp ',allergic to dye,'
	# A returning customer, by id or by email: the note is the booking's.
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 12:00" \
	    --note "first visit"
	assert_success
	run --separate-stderr appt-book -s cut --name "Carl Dee" \
	    --email carl@example.com --at "2026-11-24 14:00" --note "again"
	assert_success
	run grep -E '^(1|3),' "$D/customers.csv"
	assert_output - <<-EOF
	1,Anna Bell,anna@example.com,,,,,2026-01-05T10:00+01:00
	3,Carl Dee,carl@example.com,,,,allergic to dye,$NOW
	EOF
	# From a request on stdin, notes or note.
	run --separate-stderr appt-book - <<-'EOF'
	service,start,name,email,note
	cut,2026-11-25T10:00,Dora Eck,dora@example.com,likes tea
	EOF
	assert_success
	run grep '^4,' "$D/customers.csv"
	assert_output "4,Dora Eck,dora@example.com,,,,likes tea,$NOW"
	run appt-check
	assert_success
}

@test "an unknown service or staff member is said in one wording, as appt-slots says it" {
	biz
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 10:00"
	assert_success
	before=$(snapshot)
	run --separate-stderr appt-book -s cut -c 1 --at "2026-11-24 14:00" -w bob
	assert_failure 2
	assert_equal "$stderr" "appt-book: -w bob: no such staff member"
	run --separate-stderr appt-move -w bob 1 "2026-11-24 12:00"
	assert_failure 2
	assert_equal "$stderr" "appt-move: -w bob: no such staff member"
	run --separate-stderr appt-list -w bob
	assert_failure 2
	assert_equal "$stderr" "appt-list: -w bob: no such staff member"
	# A "-" row names the column.
	run --separate-stderr appt-book - <<-EOF
	service,start,customer,staff
	perm,2026-11-24T10:00,1,
	cut,2026-11-24T10:00,1,bob
	,2026-11-24T10:00,1,
	EOF
	assert_failure 1
	assert_equal "$stderr" "appt-book: stdin:2: service perm: no such service
appt-book: stdin:3: staff bob: no such staff member
appt-book: stdin:4: service: empty"
	assert_equal "$(snapshot)" "$before"
}

# --- writes that fail -------------------------------------------------------

@test "a write that fails on the second month of a series books none of it" {
	biz
	# November's file small, December's over 1 KiB: November is read,
	# and written, first.
	echo "90,2026-11-30T09:00+01:00,2026-11-30T09:30+01:00,short,alice,2,booked" |
	    month 2026-11
	for d in 14 15 16 17 18 21 22 23 24 25 28 29; do
		echo "$((100 + d)),2026-12-${d}T09:00+01:00,2026-12-${d}T09:30+01:00,short,alice,2,booked"
	done | month 2026-12
	[ "$(stat -c %s "$D/appointments/2026-12.csv")" -gt 1024 ]
	before=$(snapshot)
	# RLIMIT_FSIZE of 1 KiB with SIGXFSZ ignored: write(2) fails EFBIG.
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec appt-book \
	    --no-notify -s short -c 1 -w sam --at 2026-11-26T10:00 --every 1w \
	    --count 2'
	assert_failure 1
	assert_output ""
	assert_regex "$stderr" "appointments/2026-12.csv: cannot write: File too large"
	# Neither month has the series; ids.csv may have moved on.
	run grep -c ',short,sam,1,' "$D"/appointments/*.csv
	refute_output --partial ':1'
	assert_equal "$(snapshot | grep -v ' ./ids.csv$')" \
	    "$(grep -v ' ./ids.csv$' <<<"$before")"
	run appt-check
	assert_success
	# Without the limit it is booked, all of it.
	run --separate-stderr appt-book --no-notify -s short -c 1 -w sam \
	    --at 2026-11-26T10:00 --every 1w --count 2
	assert_success
	assert_equal "${#lines[@]}" 3
	run appt-check
	assert_success
}

@test "a refused booking prints nothing on stdout, not even the header" {
	biz
	run --separate-stderr appt-book --no-notify -s cut -c 1 -w sam \
	    --at "2026-11-24 07:00"
	assert_failure 1
	assert_output ""
	assert_regex "$stderr" "outside sam's working hours"
}
