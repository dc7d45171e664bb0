#!/usr/bin/env bats
# appt-eta: arrival windows for staff who travel (DESIGN "Field service"),
# and their notices, delivered by the real msmtp to a real SMTP server on
# 127.0.0.1 (tests/lib/smtp.bash). The day is Monday 2026-11-23 in Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

ETA_HEADER=id,staff,start,customer,customer_name,address,window_start,window_end,expected_duration,travel,coverage,travel_by

# A business that goes to its customers, "Fix It" (-m: it has an email):
#   staff     max (mobile, starts at 52.52,13.405, slow: his ten past
#             repairs took 85 to 95 minutes), ann (mobile, no history),
#             sam (works in the shop, not mobile; ten repairs of 55 to 65
#             minutes)
#   services  fix (Repair, 1h)
#   customers 1 Zoë Müller (10119), 2 Ben Ode (10435), 3 Cara Diaz
#             (10243), each with lat and lon; 4 Dan Roe, no place at all
#   the day   max: 1 at 09:00 (Zoë), 2 at 10:00 (Ben), 3 at 15:00 (Cara)
# Lines on stdin are added to config.ini.
field() {
	local d i
	fixture -n "Fix It" -m -s sam -q \
	    -h "$(printf '%s = 07:00-20:00\n' mon tue wed thu fri sat sun)" \
	    -b $'granularity = 15m\nmin_notice = 0\nhorizon = 90d' \
	    -c "$(if [ ! -t 0 ]; then cat; fi)"
	cat > "$D/staff.csv" <<-EOF
	$STAFF_HEADER,mobile,lat,lon
	max,Max Kraft,max@example.com,,yes,52.5200,13.4050
	ann,Ann Lee,ann@example.com,,yes,52.5200,13.4050
	sam,Sam Berger,sam@example.com,,no,,
	EOF
	services <<-EOF
	fix,Repair,1h,80.00,,,,,,
	EOF
	cat > "$D/customers.csv" <<-EOF
	$CUSTOMER_HEADER,lat,lon
	1,Zoë Müller,zoe@example.org,,Torstr. 1,10119,,$OLD,52.5290,13.4010
	2,Ben Ode,ben@example.org,,Kastanienallee 5,10435,,$OLD,52.5380,13.4100
	3,Cara Diaz,cara@example.org,,Warschauer Str. 9,10243,,$OLD,52.5100,13.4500
	4,Dan Roe,dan@example.org,,Unbekannt 1,,,$OLD,,
	EOF
	ids_last customers 4
	{
		# Ten working days of history, 2 to 13 November.
		i=0
		for d in 02 03 04 05 06 09 10 11 12 13; do
			hist 1$d "2026-11-$d" max $((85 + i % 3 * 5))
			hist 2$d "2026-11-$d" sam $((55 + i % 3 * 5))
			i=$((i + 1))
		done
		job 1 09:00 max 1
		job 2 10:00 max 2
		job 3 15:00 max 3
	} | appts
}

# A done repair of id $1 on day $2 by $3 that took $4 minutes from 09:00.
hist() {
	local f
	f=$(date -d "$2 09:00 $4 minutes" +%H:%M)
	printf '%s,%sT09:00+01:00,%sT10:00+01:00,fix,%s,1,done,80.00,,,%s,%s,%sT09:00+01:00,%sT%s+01:00\n' \
	    "$1" "$2" "$2" "$3" "$OLD" "$OLD" "$2" "$2" "$f"
}

# A booked repair of id $1 today at $2 by $3 for customer $4.
job() {
	local end
	end=$(date -d "2026-11-23 $2 60 minutes" +%H:%M)
	printf '%s,2026-11-23T%s+01:00,2026-11-23T%s+01:00,fix,%s,%s,booked,80.00,,,%s,%s,,\n' \
	    "$1" "$2" "$end" "$3" "$4" "$OLD" "$OLD"
}

# Field $2 of the row of id $1 in the CSV of $output.
col() {
	/usr/bin/python3 - "$1" "$2" "$output" <<-'EOF'
	import csv, io, sys
	for r in csv.DictReader(io.StringIO(sys.argv[3])):
	    if r["id"] == sys.argv[1]:
	        print(r[sys.argv[2]])
	EOF
}

# The local HH:MM of field $2 (a time) of the row of id $1.
hm() {
	col "$1" "$2" | cut -c12-16
}

# Each row of $output as "id width" (window_end - window_start, minutes).
widths() {
	/usr/bin/python3 - "$output" <<-'EOF'
	import csv, datetime, io, sys
	for r in csv.DictReader(io.StringIO(sys.argv[1])):
	    a = datetime.datetime.fromisoformat(r["window_start"])
	    b = datetime.datetime.fromisoformat(r["window_end"])
	    print(r["id"], int((b - a).total_seconds() // 60))
	EOF
}

# --- the windows -------------------------------------------------------------

@test "windows of a day with history: columns, start order, 60 minutes" {
	field
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${lines[0]}" "$ETA_HEADER"
	assert_equal "$(ids)" "1 2 3"
	run widths
	assert_output "1 60
2 60
3 60"
	run --separate-stderr appt-eta
	# The first job starts as booked: its window begins then.
	assert_equal "$(hm 1 window_start)" 09:00
	assert_equal "$(col 1 coverage)" 1.00
	# Max's repairs take him some 90 minutes, not the hour of services.csv.
	dur=$(col 2 expected_duration)
	[ "$dur" -ge 85 ] && [ "$dur" -le 95 ] || fail "expected $dur"
	# So he reaches Ben, booked at 10:00, later, some 10:30: the window
	# is centred on it.
	w=$(hm 2 window_start)
	[[ $w > 10:00 && $w < 10:31 ]] || fail "window $w"
	assert_equal "$(col 2 customer_name)" "Ben Ode"
	assert_equal "$(col 2 address)" "Kastanienallee 5"
	assert_equal "$(col 2 travel_by)" distance
	# The same data, the same windows: the seed is fixed.
	first=$output
	run --separate-stderr appt-eta
	assert_equal "$output" "$first"
}

@test "[eta] window = 90m: every window 90 minutes wide" {
	field <<-EOF
	[eta]
	window = 90m
	EOF
	run --separate-stderr appt-eta
	assert_success
	run widths
	assert_output "1 90
2 90
3 90"
}

@test "no history at all: the duration of services.csv" {
	field
	rows | grep -v ',done,' > "$BATS_TEST_TMPDIR/day"
	{ echo "$APPT_HEADER"; cat "$BATS_TEST_TMPDIR/day"; } \
	    > "$D/appointments/2026-11.csv"
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$(col 1 expected_duration)" 60
	assert_equal "$(col 3 expected_duration)" 60
}

@test "learning: slow history gives later windows than none" {
	field
	# Ann, without history of her own, has the same day as Max.
	{
		job 4 09:00 ann 1
		job 5 10:00 ann 2
		job 6 11:00 ann 3
	} >> "$D/appointments/2026-11.csv"
	sed -i '/^3,/d' "$D/appointments/2026-11.csv"
	job 3 11:00 max 3 >> "$D/appointments/2026-11.csv"
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$(ids)" "1 4 2 5 3 6"
	ann=$(col 6 expected_duration) max=$(col 3 expected_duration)
	[ "$max" -gt "$ann" ] || fail "max $max, ann $ann"
	[[ $(hm 3 window_start) > $(hm 6 window_start) ]] ||
	    fail "max $(hm 3 window_start), ann $(hm 6 window_start)"
	# -w: one staff member's rows alone.
	run --separate-stderr appt-eta -w "Ann Lee"
	assert_success
	assert_equal "$(ids)" "4 5 6"
}

@test "during the day: a job that ran late pushes the later windows" {
	field
	run --separate-stderr appt-eta
	before=$(hm 2 window_start)
	atnow 2026-11-23T09:05 appt-status 1 in-progress > /dev/null
	# Still at it at 11:00, two hours in: Ben's window moves past now.
	run --separate-stderr atnow 2026-11-23T11:00 appt-eta
	assert_success
	[[ $(hm 2 window_start) > 10:59 ]] || fail "$(hm 2 window_start)"
	[[ $(hm 2 window_start) > $before ]] || fail "$before"
	assert_equal "$(hm 1 window_start)" 09:05
	atnow 2026-11-23T11:40 appt-status 1 done > /dev/null
	run --separate-stderr atnow 2026-11-23T11:40 appt-eta
	assert_success
	assert_equal "$(col 1 expected_duration)" 155
	[[ $(hm 2 window_start) > 11:35 ]] || fail "$(hm 2 window_start)"
	# Cara at 15:00 keeps her window: there is time enough before.
	assert_equal "$(hm 3 window_start)" 15:00
}

# --- travel -----------------------------------------------------------------

@test "travel: travel.csv first, then the straight line, then the default" {
	field
	run --separate-stderr appt-eta
	assert_success
	# Zoë (52.529,13.401) to Ben (52.538,13.410): great circle x 1.3 at
	# 30 km/h.
	want=$(/usr/bin/python3 -c 'import math
r = math.radians
a = math.sin(r(52.538 - 52.529) / 2) ** 2 + math.cos(r(52.529)) * \
    math.cos(r(52.538)) * math.sin(r(13.410 - 13.401) / 2) ** 2
print(round(2 * 6371.0088 * math.asin(math.sqrt(a)) * 1.3 / 30 * 60))')
	assert_equal "$(col 2 travel)" "$want"
	assert_equal "$(col 2 travel_by)" distance
	straight=$(hm 2 window_start)
	# A slow road between the two postcodes, written the other way round.
	put travel.csv <<-EOF
	from,to,minutes
	10435,10119,1h
	EOF
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$(col 2 travel)" 60
	assert_equal "$(col 2 travel_by)" travel.csv
	[[ $(hm 2 window_start) > $straight ]] ||
	    fail "$(hm 2 window_start) not after $straight"
	# Half the speed, twice the time on the straight line.
	cat >> "$D/config.ini" <<-EOF

	[eta]
	speed = 15
	EOF
	run --separate-stderr appt-eta
	assert_equal "$(col 3 travel_by)" distance
	fast=$(col 3 travel)
	sed -i 's/^speed = 15/speed = 30/' "$D/config.ini"
	run --separate-stderr appt-eta
	slow=$(col 3 travel)
	[ $((2 * slow - fast)) -ge -1 ] && [ $((2 * slow - fast)) -le 1 ] ||
	    fail "$fast at 15 km/h, $slow at 30 km/h"
}

@test "travel: a customer without a place gets the default, and a note" {
	field
	job 7 17:00 max 4 >> "$D/appointments/2026-11.csv"
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$(col 7 travel)" 20
	assert_equal "$(col 7 travel_by)" default
	assert_equal "$stderr" "appt-eta: customer 4 (Dan Roe): no location (lat and lon, or a travel.csv row for its postcode): 20 minutes of travel assumed"
	# appt-customer edit gives Dan his place: the straight line then.
	run --separate-stderr appt-customer edit 4 --lat 52.5000 --lon 13.4000
	assert_success
	run --separate-stderr appt-eta
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(col 7 travel_by)" distance
	check
	assert_success
}

# --- bad input ----------------------------------------------------------------

@test "a bad travel.csv: exit 3 naming file and line, nothing sent" {
	field
	put travel.csv <<-EOF
	from,to,minutes
	10119,10435,25
	10435,10243,soon
	EOF
	run_refused 3 "travel.csv:3: minutes 'soon': not a duration" \
	    appt-eta --notify
	put travel.csv <<-EOF
	from,to,minutes
	,10435,25
	EOF
	run_refused 3 "travel.csv:2: from: empty" appt-eta
	check
	assert_failure 3
	assert_line "travel.csv:2: from: empty"
}

@test "a latitude out of range: refused by appt-customer, named by appt-eta" {
	field
	run_refused 2 "--lat 95: not a latitude (a decimal from -90 to 90)" \
	    appt-customer edit 2 --lat 95 --lon 13.41
	run_refused 2 "--lat and --lon go together" \
	    appt-customer edit 2 --lat 52
	run_refused 2 "--lon 13,4: not a longitude" \
	    appt-customer edit 2 --lat 52 --lon 13,4
	sed -i 's/,52.5380,13.4100$/,95.1,13.4100/' "$D/customers.csv"
	run_refused 3 "customers.csv:3: lat '95.1': not a latitude" \
	    appt-eta --notify
	check
	assert_failure 3
	assert_line "customers.csv:3: lat '95.1': not a latitude (a decimal from -90 to 90)"
}

@test "bad [eta] values: exit 3 naming config.ini and line" {
	field <<-EOF
	[eta]
	window = 0
	EOF
	run_refused 3 "eta:window: not a duration of a minute or more" appt-eta
	check
	assert_failure 3
	assert_line --partial "eta:window: not a duration of a minute or more"
	sed -i 's/^window = 0/speed = fast/' "$D/config.ini"
	line=$(grep -n '^speed' "$D/config.ini" | cut -d: -f1)
	run_refused 3 "config.ini:$line: eta:speed: not a positive number" \
	    appt-eta
	sed -i 's/^speed = fast/factor = -1/' "$D/config.ini"
	run_refused 3 "config.ini:$line: eta:factor: not a positive number" \
	    appt-eta
	sed -i 's/^factor = -1/renotify = often/' "$D/config.ini"
	run_refused 3 "config.ini:$line: eta:renotify: not a duration" \
	    appt-eta --notify
}

@test "-w a staff member who does not travel: exit 1; unknown: exit 2" {
	field
	run_refused 1 "-w sam: does not travel (mobile = yes in staff.csv)" \
	    appt-eta -w sam
	run_refused 2 "-w bob: no such staff member" appt-eta -w bob
	run_refused 2 "not one day" appt-eta week
	sed -i 's/^max,\(.*\),yes,/max,\1,maybe,/' "$D/staff.csv"
	run_refused 3 "staff.csv:2: mobile 'maybe': not yes or no" appt-eta
	check
	assert_failure 3
	assert_line "staff.csv:2: mobile 'maybe': not yes or no"
}

@test "appt-check accepts mobile staff, places and travel.csv" {
	field
	put travel.csv <<-EOF
	from,to,minutes
	10119,10435,25
	10435,10243,1h10m
	EOF
	check
	assert_success
	assert_output ""
	# appt-init makes travel.csv, empty.
	assert_equal "$(head -n 1 "$D/travel.csv")" from,to,minutes
}

# --- notices -------------------------------------------------------------------

@test "--notify: each customer told once, nothing again when nothing moved" {
	smtp_start
	mail_section | field
	run --separate-stderr appt-eta --notify
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(mail_count)" 3
	w=$(hm 2 window_start | tr -d :)
	run outbox sent
	assert_output "eta-1-20261123T0900+0100-20261123T0900+0100-email
eta-2-20261123T1000+0100-20261123T$w+0100-email
eta-3-20261123T1500+0100-20261123T1500+0100-email"
	run mail_show eta-1-20261123T0900+0100-20261123T0900+0100-email
	assert_success
	assert_line "to-addr: zoe@example.org"
	assert_line "subject: Your visit on Mon 23 Nov: between 09:00 and 10:00"
	assert_line "  between 09:00 and 10:00"
	assert_line "Max Kraft expects to arrive for your appointment"
	# Ten minutes later, nothing has changed: nothing is sent.
	run --separate-stderr atnow 2026-11-23T08:10 appt-eta --notify
	assert_success
	assert_equal "$(mail_count)" 3
	assert_equal "$(outbox sent | wc -l)" 3
}

@test "--notify: a delay notice only where the window moved 15 minutes" {
	smtp_start
	mail_section | field
	run --separate-stderr appt-eta --notify
	assert_equal "$(mail_count)" 3
	was=$(hm 2 window_start)
	atnow 2026-11-23T09:05 appt-status 1 in-progress > /dev/null
	atnow 2026-11-23T11:40 appt-status 1 done > /dev/null
	run --separate-stderr atnow 2026-11-23T11:40 appt-eta --notify
	assert_success
	now=$(hm 2 window_start)
	# Ben's window moved from some 10:30 to after 11:40; Cara's did not.
	assert_equal "$(mail_count)" 4
	key=delay-2-20261123T1000+0100-1-20261123T$(echo $now | tr -d :)+0100-email
	run mail_show "$key"
	assert_success
	assert_line "to-addr: ben@example.org"
	assert_line "subject: New arrival time on Mon 23 Nov: $now to $(date -d "$now 60 minutes" +%H:%M)"
	[[ $now > $was ]]
	# Run again: the same window, no new mail.
	run --separate-stderr atnow 2026-11-23T11:40 appt-eta --notify
	assert_success
	assert_equal "$(mail_count)" 4
}

@test "--notify: a move under [eta] renotify sends nothing new" {
	smtp_start
	{ mail_section; printf '\n[eta]\nrenotify = 4h\n'; } | field
	run --separate-stderr appt-eta --notify
	assert_equal "$(mail_count)" 3
	atnow 2026-11-23T09:05 appt-status 1 in-progress > /dev/null
	atnow 2026-11-23T11:40 appt-status 1 done > /dev/null
	run --separate-stderr atnow 2026-11-23T11:40 appt-eta --notify
	assert_success
	assert_equal "$(mail_count)" 3
	assert_equal "$(outbox sent | grep -c '^delay-')" 0
}

@test "appt help lists eta; appt eta runs it" {
	field
	run appt help
	assert_success
	assert_line --partial "eta        arrival windows for staff who travel"
	run --separate-stderr appt eta -w max
	assert_success
	assert_equal "${lines[0]}" "$ETA_HEADER"
	run appt-eta -h
	assert_success
	assert_output --partial "appt-eta [-hV] [-d DIR] [-o FMT] [-w STAFF] [--notify] [DATE]"
}

@test "README: places filled from a postcode file, as it shows" {
	field
	sed -i 's/,52\.5380,13\.4100$/,,/; s/,52\.5100,13\.4500$/,,/' \
	    "$D/customers.csv"
	# The recipe of README.md, as written there.
	sed -n '/^    \$ appt-customer list -o tsv |$/,/^        done$/p' \
	    "$TOP/README.md" | sed 's/^    //; s/^\$ //' > "$BATS_TEST_TMPDIR/fill"
	[ "$(wc -l < "$BATS_TEST_TMPDIR/fill")" -ge 6 ]
	printf '%s\n' 10435,52.5381,13.4101 10243,52.5101,13.4501 \
	    99999,1,1 > "$BATS_TEST_TMPDIR/postcodes.csv"
	(cd "$BATS_TEST_TMPDIR" && bash -e fill)
	run tail -n +2 "$D/customers.csv"
	assert_line --index 0 --partial ",10119,,$OLD,52.5290,13.4010"
	assert_line --index 1 --partial ",10435,,$OLD,52.5381,13.4101"
	assert_line --index 2 --partial ",10243,,$OLD,52.5101,13.4501"
	assert_line --index 3 --partial ",,,$OLD,,"
	check
	assert_success
}

@test "on a narrow terminal the table keeps who and the window" {
	field
	COLUMNS=80 run --separate-stderr appt-eta -o table
	assert_success
	fits 80
	run table_cells 80
	assert_success
	assert_line --index 0 "customer_name|window_start|window_end"
	assert_line --index 1 --regexp '^Zoë Müller\|2026-11-23T09:00\+01:00\|2026-11-23T10:00\+01:00$'
}

@test "no staff member travels: no rows, and a note why" {
	fixture
	run --separate-stderr appt-eta
	assert_success
	assert_output "$ETA_HEADER"
	assert_equal "$stderr" "appt-eta: no staff member travels: no windows (mobile = yes in staff.csv)"
}

@test "--notify by SMS: the window on stdin of [sms] command, {phone} one argument, once; a delay too" {
	smtp_start
	local sms="$BATS_TEST_TMPDIR/sms"
	sms_logger "$sms"
	{ mail_section; printf '\n[notify]\nchannels = email, sms\n\n[sms]\ncommand = %s --to {phone}\n' "$sms"; } | field
	sed -i 's/^2,Ben Ode,ben@example.org,,/2,Ben Ode,ben@example.org,0171 2345678,/' \
	    "$D/customers.csv"
	run --separate-stderr appt-eta --notify
	assert_success
	w=$(hm 2 window_start)
	e=$(hm 2 window_end)
	run cat "$BATS_TEST_TMPDIR/sms.log"
	assert_output "argc=2
arg=--to
arg=+491712345678
text=Fix It: Max Kraft arrives Mon 23 Nov between $w and $e. Questions? Call +49 30 1234567
end"
	local text=${lines[3]#text=}
	[ "${#text}" -le 160 ] || fail "${#text} characters: $text"
	assert_equal "$(outbox sent | grep -c -- '-sms$')" 1
	outbox sent | grep -q "^eta-2-20261123T1000+0100-20261123T$(echo $w | tr -d :)+0100-sms$"
	# Mail as well, to all three.
	assert_equal "$(mail_count)" 3
	# Nothing moved: no SMS again.
	run --separate-stderr atnow 2026-11-23T08:10 appt-eta --notify
	assert_success
	assert_equal "$(grep -c '^argc=' "$BATS_TEST_TMPDIR/sms.log")" 1
	# The first job ran late: Ben is told his new window by SMS too.
	atnow 2026-11-23T09:05 appt-status 1 in-progress > /dev/null
	atnow 2026-11-23T11:40 appt-status 1 done > /dev/null
	run --separate-stderr atnow 2026-11-23T11:40 appt-eta --notify
	assert_success
	now=$(hm 2 window_start)
	assert_equal "$(grep -c '^argc=' "$BATS_TEST_TMPDIR/sms.log")" 2
	assert_equal "$(grep '^text=' "$BATS_TEST_TMPDIR/sms.log" | tail -n 1)" \
	    "text=Fix It: new arrival time Mon 23 Nov: between $now and $(date -d "$now 60 minutes" +%H:%M). Sorry for the change. Call +49 30 1234567"
	outbox sent | grep -q "^delay-2-20261123T1000+0100-1-20261123T$(echo $now | tr -d :)+0100-sms$"
}
