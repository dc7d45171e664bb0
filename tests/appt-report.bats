#!/usr/bin/env bats
# appt-report: no-shows, utilisation and customers over a range, by staff,
# service and period (DESIGN "Messages and reports"). One small business,
# worked out by hand below; each test states the arithmetic it checks.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# The week of Mon 2026-11-16 to Sun 2026-11-22, before APPT_NOW.
#
# Plans (the fixture's): mon 09:00-12:30, 13:30-18:00 (480 min, a break
# of an hour); tue-fri 09:00-18:00 (540 min); alice is off on Mondays.
# Closures:
#   everyone  Mon 16 12:00-14:00: of the plan 12:00-12:30 and 13:30-14:00
#   sam       Mon 16 11:30-12:30: with the one above 11:30-12:30, 13:30-14:00
#             for sam: 90 min, not 60 + 60 + 60
#   alice     Thu 19 all day: 540 min
#   everyone  Fri 20 13:30-18:00: 270 min
# Working minutes:
#   sam    Mon 480-90=390, Tue 540, Wed 540, Thu 540, Fri 540-270=270: 2280
#   alice  Tue 540, Wed 540, Thu 0, Fri 270: 1350; both 3630
#
# Appointments of the week (colour has a 15m buffer after, not counted):
#   1 Mon 16 09:00 cut 45m    sam   c1 done
#   2 Mon 16 10:00 cut 45m    sam   c2 no-show
#   3 Tue 17 09:00 colour 90m sam   c3 done
#   4 Tue 17 11:00 cut        alice c1 cancelled Mon 16 17:00 (18h before: late)
#   5 Wed 18 09:00 cut        alice c2 cancelled Tue 10 (8 days before)
#   6 Thu 19 14:00 cut 45m    alice c3 no-show
#   7 Fri 20 09:00 cut 45m    sam   c1 done
#   8 Fri 20 16:00 cut        alice c2 cancelled Fri 20 17:00 (after: late)
#   9 Thu 19 10:00 cut 45m    sam   c4 done
# and outside it: 10 Mon 23 (after), 11 Fri 13 (before).
#
# History (for customers; [report] lapse = 90d looks back to Aug 18):
#   c2 Thu 2026-08-20 12:00 sam done     (last visit: lapses Wed Nov 18)
#   c5 Tue 2026-09-01 12:00 alice done   (lapses Nov 30, after the week)
#   c1 Mon 2026-10-05 12:00 sam done
#   c4 Tue 2026-10-20 12:00 sam cancelled Oct 1 (not a visit, not late)
# Customers created: c1 Jan, c2 Feb, c3 Apr (long ago: returning, not new,
# though no visit in the 90 days before), c4 Nov 10, c5 Jun.
week() {
	fixture -q
	services <<-EOF
	cut,Haircut,45m,45.00,,,,,,
	colour,Colour,1h30m,95.00,,,15m,sam,,
	EOF
	customers <<-'EOF'
	1,Zoë Müller,zoe@example.net,+49 171 2345678,,,,2026-01-12T10:00+01:00
	2,Jonas Weber,jonas@example.org,0170 1112233,,,,2026-02-03T15:30+01:00
	3,Lukas Schmidt,,+49 152 3334455,,,,2026-04-08T09:15+02:00
	4,Mia Roth,mia@example.com,,,,,2026-11-10T12:00+01:00
	5,Ben Falk,ben@example.com,,,,,2026-06-01T12:00+02:00
	EOF
	closures <<-'EOF'
	,2026-11-16T12:00+01:00,2026-11-16T14:00+01:00,staff meeting
	sam,2026-11-16T11:30+01:00,2026-11-16T12:30+01:00,dentist
	alice,2026-11-19,2026-11-19,course
	,2026-11-20T13:30+01:00,2026-11-20T18:00+01:00,early close
	EOF
	local u=2026-11-01T10:00+01:00
	appts 2026-11 <<-EOF
	1,2026-11-16T09:00+01:00,2026-11-16T09:45+01:00,cut,sam,1,done,45.00,,,$u,$u,,
	2,2026-11-16T10:00+01:00,2026-11-16T10:45+01:00,cut,sam,2,no-show,45.00,,,$u,$u,,
	3,2026-11-17T09:00+01:00,2026-11-17T10:30+01:00,colour,sam,3,done,95.00,,,$u,$u,,
	4,2026-11-17T11:00+01:00,2026-11-17T11:45+01:00,cut,alice,1,cancelled,45.00,,,$u,2026-11-16T17:00+01:00,,
	5,2026-11-18T09:00+01:00,2026-11-18T09:45+01:00,cut,alice,2,cancelled,45.00,,,$u,2026-11-10T09:00+01:00,,
	6,2026-11-19T14:00+01:00,2026-11-19T14:45+01:00,cut,alice,3,no-show,45.00,,,$u,$u,,
	7,2026-11-20T09:00+01:00,2026-11-20T09:45+01:00,cut,sam,1,done,45.00,,,$u,$u,,
	8,2026-11-20T16:00+01:00,2026-11-20T16:45+01:00,cut,alice,2,cancelled,45.00,,,$u,2026-11-20T17:00+01:00,,
	9,2026-11-19T10:00+01:00,2026-11-19T10:45+01:00,cut,sam,4,done,45.00,,,$u,$u,,
	10,2026-11-23T09:00+01:00,2026-11-23T09:45+01:00,cut,sam,5,no-show,45.00,,,$u,$u,,
	11,2026-11-13T09:00+01:00,2026-11-13T09:45+01:00,cut,alice,5,no-show,45.00,,,$u,$u,,
	EOF
	appts 2026-08 <<-EOF
	12,2026-08-20T12:00+02:00,2026-08-20T12:45+02:00,cut,sam,2,done,45.00,,,$u,$u,,
	EOF
	appts 2026-09 <<-EOF
	13,2026-09-01T12:00+02:00,2026-09-01T12:45+02:00,cut,alice,5,done,45.00,,,$u,$u,,
	EOF
	appts 2026-10 <<-EOF
	14,2026-10-05T12:00+02:00,2026-10-05T12:45+02:00,cut,sam,1,done,45.00,,,$u,$u,,
	15,2026-10-20T12:00+02:00,2026-10-20T12:45+02:00,cut,sam,4,cancelled,45.00,,,$u,2026-10-01T09:00+02:00,,
	EOF
}

R=2026-11-16..2026-11-22

@test "no-shows: the rates over the week, by hand" {
	week
	# 9 appointments, 3 cancelled (4, 5, 8), 2 of them late (4: 18h
	# before; 8: after the start), 2 no-shows (2, 6).
	# no-shows over those not cancelled: 2 / (9 - 3) = 33.3%;
	# late cancellations over all: 2 / 9 = 22.2%.
	run --separate-stderr appt-report -o csv $R no-shows
	assert_success
	assert_output - <<-EOF
	range,appointments,cancelled,late_cancellations,no_shows,no_show_pct,late_cancellation_pct
	2026-11-16..2026-11-22,9,3,2,2,33.3,22.2
	EOF
	assert_equal "$stderr" ""
}

@test "no-shows by staff: each member's rate and the total" {
	week
	# sam: 1 2 3 7 9, one no-show (2): 1/5 = 20.0%, none cancelled.
	# alice: 4 5 6 8, three cancelled, two late: 2/4 = 50.0%; one
	# no-show (6) of the one not cancelled: 1/1 = 100.0%.
	run --separate-stderr appt-report -o csv --by staff $R no-shows
	assert_success
	assert_output - <<-EOF
	staff,name,appointments,cancelled,late_cancellations,no_shows,no_show_pct,late_cancellation_pct
	sam,Sam Berger,5,0,0,1,20.0,0.0
	alice,Alice Novak,4,3,2,1,100.0,50.0
	total,,9,3,2,2,33.3,22.2
	EOF
}

@test "no-shows: [report] late decides which cancellations are late" {
	week
	# With late = 12h, 4 (cancelled 18h before) is no longer late; 8
	# still is: 1 / 9 = 11.1%.
	printf '\n[report]\nlate = 12h\n' >> "$D/config.ini"
	run --separate-stderr appt-report -o csv $R no-shows
	assert_success
	assert_line --index 1 2026-11-16..2026-11-22,9,3,1,2,33.3,11.1
	# And a bad value is bad data, named with its line.
	sed -i 's/^late = 12h/late = soon/' "$D/config.ini"
	run_refused 3 "config.ini:" appt-report $R no-shows
	[[ $stderr == *report:late* ]]
}

@test "utilisation: booked minutes against the plans less a break and closures" {
	week
	# Booked, not cancelled, without buffers: sam 45+45+90+45+45 = 270
	# (1 2 3 7 9), alice 45 (6, a no-show still took the time): 315.
	# Working (see the top): sam 2280, alice 1350, 3630.
	# sam 270/2280 = 11.84 -> 11.8; alice 45/1350 = 3.33 -> 3.3;
	# both 315/3630 = 8.68 -> 8.7.
	run --separate-stderr appt-report -o csv -b staff $R utilisation
	assert_success
	assert_output - <<-EOF
	staff,name,booked_minutes,working_minutes,utilisation_pct
	sam,Sam Berger,270,2280,11.8
	alice,Alice Novak,45,1350,3.3
	total,,315,3630,8.7
	EOF
}

@test "utilisation by day: each day's plans, breaks and closures" {
	week
	# Mon: sam 390, alice off; booked 1 2: 90 -> 23.1.
	# Tue: 540 + 540; booked 3: 90 -> 8.3.  Wed: 1080, nothing booked.
	# Thu: sam 540, alice closed; booked 6 9: 90 -> 16.7.
	# Fri: 270 + 270; booked 7: 45 -> 8.3.  Sat, Sun: no plan, no rate.
	run --separate-stderr appt-report -o csv -b day $R utilisation
	assert_success
	assert_output - <<-EOF
	day,booked_minutes,working_minutes,utilisation_pct
	2026-11-16,90,390,23.1
	2026-11-17,90,1080,8.3
	2026-11-18,0,1080,0.0
	2026-11-19,90,540,16.7
	2026-11-20,45,540,8.3
	2026-11-21,0,0,
	2026-11-22,0,0,
	total,315,3630,8.7
	EOF
}

@test "utilisation by service: each service's share of all the working time" {
	week
	# cut 45 x 5 (1 2 6 7 9): 225; colour 90 (3).
	# 225/3630 = 6.2; 90/3630 = 2.48 -> 2.5.
	run --separate-stderr appt-report -o csv -b service $R utilisation
	assert_success
	assert_output - <<-EOF
	service,name,booked_minutes,working_minutes,utilisation_pct
	cut,Haircut,225,3630,6.2
	colour,Colour,90,3630,2.5
	total,,315,3630,8.7
	EOF
}

@test "customers: new, returning and lapsed, by hand" {
	week
	# Visits in the week: c1 (1, 7), c3 (3), c4 (9); c2 only cancelled
	# or missed. c4 is new (created Nov 10, no visit before: its Oct 20
	# appointment was cancelled). c1 came Oct 5: returning. c3 came
	# from long ago: returning. c2 came last on Aug 20, and the 90 days
	# after that end on Nov 18, in the week: lapsed. c5's end Nov 30.
	run --separate-stderr appt-report -o csv $R customers
	assert_success
	assert_output - <<-EOF
	range,customers,new,returning,lapsed
	2026-11-16..2026-11-22,3,1,2,1
	EOF
}

@test "customers by day: a customer counts in each day, and once in the total" {
	week
	# Mon c1 (returning); Tue c3; Wed: c2 lapses; Thu c4 (new); Fri c1
	# again (returning: Monday's visit). Days add to 4 customers, the
	# week has 3.
	run --separate-stderr appt-report -o csv --by day $R customers
	assert_success
	assert_output - <<-EOF
	day,customers,new,returning,lapsed
	2026-11-16,1,0,1,0
	2026-11-17,1,0,1,0
	2026-11-18,0,0,0,1
	2026-11-19,1,1,0,0
	2026-11-20,1,0,1,0
	2026-11-21,0,0,0,0
	2026-11-22,0,0,0,0
	total,3,1,2,1
	EOF
}

@test "customers by staff, and -w and -s narrow every figure" {
	week
	# sam saw c1, c3, c4 and had c2 last; alice saw no one (cancelled,
	# a no-show) and c5 lapses after the week.
	run --separate-stderr appt-report -o csv -b staff $R customers
	assert_success
	assert_output - <<-EOF
	staff,name,customers,new,returning,lapsed
	sam,Sam Berger,3,1,2,1
	alice,Alice Novak,0,0,0,0
	total,,3,1,2,1
	EOF
	# alice alone: 4 5 6 8, one no-show of one not cancelled.
	run --separate-stderr appt-report -o csv -w Alice $R no-shows
	assert_success
	assert_line --index 1 2026-11-16..2026-11-22,4,3,2,1,100.0,50.0
	# colour alone: 3 (90 minutes) of all the working time.
	run --separate-stderr appt-report -o csv -s colour $R utilisation
	assert_line --index 1 2026-11-16..2026-11-22,90,3630,2.5
}

@test "by week and month: ISO weeks and calendar months, empty ones too" {
	week
	# Nov 9 to 22: week 46 holds 11 (no-show, alice), week 47 the rest.
	run --separate-stderr appt-report -o csv -b week 2026-11-09..2026-11-22 no-shows
	assert_success
	assert_output - <<-EOF
	week,appointments,cancelled,late_cancellations,no_shows,no_show_pct,late_cancellation_pct
	2026-W46,1,0,0,1,100.0,0.0
	2026-W47,9,3,2,2,33.3,22.2
	total,10,3,2,3,42.9,20.0
	EOF
	run --separate-stderr appt-report -o csv -b month 2026-09-01..2026-11-30 no-shows
	assert_success
	assert_output - <<-EOF
	month,appointments,cancelled,late_cancellations,no_shows,no_show_pct,late_cancellation_pct
	2026-09,1,0,0,0,0.0,0.0
	2026-10,2,1,0,0,0.0,0.0
	2026-11,11,3,2,4,50.0,18.2
	total,14,4,2,4,40.0,14.3
	EOF
}

@test "-o csv reads with Python's csv module, -o json with its json module" {
	week
	run --separate-stderr appt-report -o csv -b staff $R utilisation
	assert_success
	python3 -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
assert [r["staff"] for r in rows] == ["sam", "alice", "total"], rows
assert rows[0]["utilisation_pct"] == "11.8", rows[0]
' <<< "$output"
	run --separate-stderr appt-report -o json -b staff $R no-shows
	assert_success
	python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
assert len(rows) == 3, rows
assert rows[1] == {"staff": "alice", "name": "Alice Novak",
    "appointments": "4", "cancelled": "3", "late_cancellations": "2",
    "no_shows": "1", "no_show_pct": "100.0",
    "late_cancellation_pct": "50.0"}, rows[1]
' <<< "$output"
	[[ $output != *$'\xe2\x96'* ]]
}

@test "bars on a terminal only, in plain characters" {
	command -v script > /dev/null || skip "script(1) not installed"
	week
	# Rates out of 100% in 20 columns: sam's 20.0% is 4 full blocks,
	# alice's 100.0% all 20, the total's 33.3% 6 and 5/8 (U+258B).
	# COLUMNS: as wide as the table wants, whatever runs the tests.
	run script -qec "COLUMNS=200 appt-report -b staff $R no-shows" \
	    /dev/null < /dev/null
	assert_success
	lines=("${lines[@]%$'\r'}")
	assert_line "sam    Sam Berger   5             0          0                   1         20.0         0.0                    ████"
	assert_line "alice  Alice Novak  4             3          2                   1         100.0        50.0                   ████████████████████"
	assert_line "total               9             3          2                   2         33.3         22.2                   ██████▋"
	[[ $output != *$'\e['* ]]		# NO_COLOR: no colour
	# Customers: new in full blocks, returning in shade, on the scale
	# of the largest day (1 of 1: the whole width); the total has none.
	run script -qec "COLUMNS=200 appt-report -b day $R customers" \
	    /dev/null < /dev/null
	assert_success
	lines=("${lines[@]%$'\r'}")
	assert_line "2026-11-19  1          1    0          0       ████████████████████"
	assert_line "2026-11-20  1          0    1          0       ▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒▒"
	assert_line "total       3          1    2          1"
	# Not through a pipe, even as a table.
	run --separate-stderr appt-report -o table -b staff $R no-shows
	assert_success
	[[ $output != *"█"* ]]
	assert_line --index 0 "staff  name         appointments  cancelled  late_cancellations  no_shows  no_show_pct  late_cancellation_pct"
}

@test "a bad range, report or grouping is exit 2 naming it" {
	week
	run_refused 2 "2026-13: no such month" appt-report 2026-13 no-shows
	run_refused 2 "2026-11-31" appt-report 2026-11-31 customers
	run_refused 2 "sales: not a report" appt-report $R sales
	run_refused 2 "-b year: not" appt-report -b year $R no-shows
	run_refused 2 "-w bob: no such staff member" appt-report -w bob $R no-shows
	run_refused 2 "" appt-report
	run_refused 2 "" appt-report $R no-shows extra
}

@test "only the month files of the range are read" {
	week
	# A broken month outside the range (and the lapse before it) is not
	# read; a report over it says where the file is bad.
	printf '%s\n1,"broken\n' "$APPT_HEADER" > "$D/appointments/2026-03.csv"
	run --separate-stderr appt-report -o csv $R customers
	assert_success
	run_refused 3 "appointments/2026-03.csv:2" appt-report 2026-03 no-shows
}

@test "the default range is the current month" {
	week
	# November: 1 to 11; no-shows 2 6 10 11 of the 8 not cancelled:
	# 50.0%; late cancellations 4 and 8 of 11: 18.2%.
	run --separate-stderr appt-report -o csv no-shows
	assert_success
	assert_line --index 1 2026-11-01..2026-11-30,11,3,2,4,50.0,18.2
}

# Invoices and payments made by appt-invoice, each on its own day, of
# these appointments (prices as booked; no tax configured):
#   1 Mon Nov  9 cut    sam   c1 30.00
#   2 Mon Nov 16 colour sam   c2 100.00
#   3 Wed Nov 18 cut    alice c3 50.00
#   4 Mon Nov 23 cut    alice c1 80.00
# INV-2026-0001 Nov 10: 1, 30.00, paid in full Nov 18
# INV-2026-0002 Nov 16: 2 and an item, shampoo 2 x 5.00: 110.00,
#               paid 40.00 Nov 17 (partly: 70.00 open)
# INV-2026-0003 Nov 18: 3, 50.00, voided Nov 20 by
# INV-2026-0004 Nov 20: the credit note, -50.00
# INV-2026-0005 Nov 23: 4, 80.00 (after the week)
invoices() {
	fixture -q
	local u=2026-11-01T10:00+01:00
	appts 2026-11 <<-EOF
	1,2026-11-09T09:00+01:00,2026-11-09T09:45+01:00,cut,sam,1,done,30.00,,,$u,$u,,
	2,2026-11-16T09:00+01:00,2026-11-16T10:30+01:00,colour,sam,2,done,100.00,,,$u,$u,,
	3,2026-11-18T09:00+01:00,2026-11-18T09:45+01:00,cut,alice,3,done,50.00,,,$u,$u,,
	4,2026-11-23T07:00+01:00,2026-11-23T07:45+01:00,cut,alice,1,done,80.00,,,$u,$u,,
	EOF
	APPT_NOW=2026-11-10T10:00 appt-invoice new 1 > /dev/null
	APPT_NOW=2026-11-16T11:00 appt-invoice new 2 \
	    --item "Shampoo;2;5.00" > /dev/null
	APPT_NOW=2026-11-17T10:00 appt-invoice pay INV-2026-0002 40.00 \
	    > /dev/null
	APPT_NOW=2026-11-18T10:00 appt-invoice new 3 > /dev/null
	APPT_NOW=2026-11-18T11:00 appt-invoice pay INV-2026-0001 30.00 \
	    > /dev/null
	APPT_NOW=2026-11-20T10:00 appt-invoice void INV-2026-0003 \
	    --reason "twice" > /dev/null
	APPT_NOW=2026-11-23T10:00 appt-invoice new 4 > /dev/null
}

@test "revenue: invoiced by date of issue, paid by date of payment, open now" {
	invoices
	# Invoiced in the week: 110.00 + 50.00 - 50.00 (the credit note)
	# = 110.00; 0001 (Nov 10) and 0005 (Nov 23) are outside it.
	# Paid in the week: 40.00 (Nov 17, of 0002) + 30.00 (Nov 18, of
	# 0001, issued before the week) = 70.00.
	# Open of the week's invoices: 0002 110.00 - 40.00 = 70.00; 0003 is
	# void and the credit note has nothing to pay.
	run --separate-stderr appt-report -o csv $R revenue
	assert_success
	assert_output - <<-EOF
	range,invoiced,paid,open
	2026-11-16..2026-11-22,110.00,70.00,70.00
	EOF
	run --separate-stderr appt-report -o csv -b day $R revenue
	assert_success
	assert_output - <<-EOF
	day,invoiced,paid,open
	2026-11-16,110.00,0.00,70.00
	2026-11-17,0.00,40.00,0.00
	2026-11-18,50.00,30.00,0.00
	2026-11-19,0.00,0.00,0.00
	2026-11-20,-50.00,0.00,0.00
	2026-11-21,0.00,0.00,0.00
	2026-11-22,0.00,0.00,0.00
	total,110.00,70.00,70.00
	EOF
	# The month: 30 + 110 + 50 - 50 + 80 = 220.00; open 70.00 + 80.00.
	run --separate-stderr appt-report -o csv 2026-11 revenue
	assert_line --index 1 2026-11-01..2026-11-30,220.00,70.00,150.00
}

@test "revenue by service and staff: each invoice line's share, payments in the total" {
	invoices
	# The week's lines: colour 100.00 (2, sam), shampoo 10.00 (no
	# service, no appointment: "-"), cut 50.00 (3, alice) and -50.00
	# (its credit note, alice): cut 0.00.
	run --separate-stderr appt-report -o csv -b service $R revenue
	assert_success
	assert_output - <<-EOF
	service,name,invoiced,paid,open
	cut,Haircut,0.00,,
	colour,Colour,100.00,,
	-,other,10.00,,
	total,,110.00,70.00,70.00
	EOF
	run --separate-stderr appt-report -o csv -b staff 2026-11 revenue
	assert_success
	# The month: sam 30.00 + 100.00; alice 50.00 - 50.00 + 80.00.
	assert_output - <<-EOF
	staff,name,invoiced,paid,open
	sam,Sam Berger,130.00,,
	alice,Alice Novak,80.00,,
	-,other,10.00,,
	total,,220.00,70.00,150.00
	EOF
	run_refused 2 "revenue: no -w" appt-report -w sam $R revenue
	run_refused 2 "revenue: no -s" appt-report -s cut $R revenue
}

@test "a narrow terminal: the counts give way, the bars stay, no line too wide" {
	command -v script > /dev/null || skip "script(1) not installed"
	week
	run script -qec "COLUMNS=60 appt-report -b staff $R no-shows" \
	    /dev/null < /dev/null
	assert_success
	output=${output//$'\r'/}
	fits 60
	# sam's 20.0% in the 8 columns left at least: 1.6 columns.
	[[ $output == *"20.0 "*"█▋"* ]]
	[[ $output != *late_cancellations* ]]
}
