#!/usr/bin/env bats
# appt-ics: the feed read by independent parsers (python3-icalendar,
# calcurse), the vdir synced by vdirsyncer to a real radicale, import
# round trips, and busy calendars checked against
# python3-recurring-ical-events as the oracle of expansion.
# APPT_NOW is Monday 2026-11-23T08:00, Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	PY=/usr/bin/python3
	ORACLE=$TOP/tests/lib/ics-oracle.py
}

teardown() {
	if [ -n "${RADICALE_PID:-}" ]; then
		kill "$RADICALE_PID" 2>/dev/null || true
		wait "$RADICALE_PID" 2>/dev/null || true
	fi
}

# Tomorrow: sam 10:00 cut for Zoë (1), alice 11:00 colour... (sam does
# colour); 2: Jonas at 14:00 with alice, confirmed; 3: cancelled.
salon() {
	fixture -m -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,cut,sam,1,booked
	2,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,cut,alice,2,confirmed
	3,2026-11-25T09:00+01:00,2026-11-25T09:45+01:00,cut,sam,3,cancelled
	EOF
}

# The feed as python3-icalendar reads it (tests/lib/ics-read.py).
pyread() {
	appt-ics export "$@" > "$BATS_TEST_TMPDIR/feed.ics" &&
	    $PY "$TOP/tests/lib/ics-read.py" "$BATS_TEST_TMPDIR/feed.ics"
}

@test "appt-ics export: python3-icalendar reads zone, TZIDs and wall times" {
	salon
	run --separate-stderr pyread
	assert_success
	assert_output - <<-'EOF'
	VTIMEZONE Europe/Berlin
	appt-1@example.com TENTATIVE 0 2026-11-24T09:00Z 2026-11-24T09:45Z Europe/Berlin Europe/Berlin Haircut: Zoë Müller
	appt-2@example.com CONFIRMED 0 2026-11-24T13:00Z 2026-11-24T13:45Z Europe/Berlin Europe/Berlin Haircut: Jonas Weber
	appt-3@example.com CANCELLED 0 2026-11-25T08:00Z 2026-11-25T08:45Z Europe/Berlin Europe/Berlin Haircut: Lukas Schmidt
	EOF
	appt-ics export > "$BATS_TEST_TMPDIR/feed.ics"
	grep -q $'^DTSTART;TZID=Europe/Berlin:20261124T100000\r$' \
	    "$BATS_TEST_TMPDIR/feed.ics"
	grep -q $'^METHOD:PUBLISH\r$' "$BATS_TEST_TMPDIR/feed.ics"
	grep -q $'^X-PUBLISHED-TTL:PT1H\r$' "$BATS_TEST_TMPDIR/feed.ics"
	grep -q $'^REFRESH-INTERVAL;VALUE=DURATION:PT1H\r$' \
	    "$BATS_TEST_TMPDIR/feed.ics"
	! grep -q freeassociation "$BATS_TEST_TMPDIR/feed.ics"
}

@test "appt-ics export: CRLF line ends, no line over 75 octets, the same bytes twice" {
	salon
	appt_add 2026-11 "4,2026-11-26T10:00+01:00,2026-11-26T10:45+01:00,cut,sam,1,booked,45.00,,$(printf 'x%.0s' {1..200}) long notes,$OLD,$OLD,,"
	appt-ics export > "$BATS_TEST_TMPDIR/a.ics"
	appt-ics export > "$BATS_TEST_TMPDIR/b.ics"
	cmp "$BATS_TEST_TMPDIR/a.ics" "$BATS_TEST_TMPDIR/b.ics"
	$PY - "$BATS_TEST_TMPDIR/a.ics" <<-'EOF'
	import sys
	data = open(sys.argv[1], "rb").read()
	lines = data.split(b"\r\n")
	assert lines[-1] == b"", "ends in CRLF"
	assert b"\n" not in b"".join(lines), "a bare LF"
	assert max(len(l) for l in lines) <= 75, max(len(l) for l in lines)
	assert any(l.startswith(b" ") for l in lines), "nothing folded"
	EOF
}

@test "appt-ics export: the UID stays across a move, SEQUENCE grows, DTSTAMP is updated" {
	salon
	appt-ics export | grep -A6 '^UID:appt-1@' > "$BATS_TEST_TMPDIR/before"
	grep -q '^SEQUENCE:0' "$BATS_TEST_TMPDIR/before"
	grep -q '^DTSTAMP:20261101T090000Z' "$BATS_TEST_TMPDIR/before"
	appt-move 1 2026-11-24T15:00 > /dev/null
	appt-status 1 confirmed > /dev/null
	run pyread
	assert_line 'appt-1@example.com CONFIRMED 2 2026-11-24T14:00Z 2026-11-24T14:45Z Europe/Berlin Europe/Berlin Haircut: Zoë Müller'
	appt-ics export | grep -q '^DTSTAMP:20261123T070000Z'
}

@test "appt-ics export --private: no customer data anywhere" {
	salon
	run --separate-stderr appt-ics export --private
	assert_success
	for word in Zoë Müller zoe@ 2345678 Jonas jonas@ 1112233 Lukas \
	    3334455 DESCRIPTION ATTENDEE X-APPT-CUSTOMER X-APPT-NOTES; do
		[[ $output != *"$word"* ]] || fail "$word in the private feed"
	done
	assert_equal "$(grep -c '^SUMMARY:Busy' <<< "$output")" 3
	# Without it, the customers are there.
	run appt-ics export
	assert_output --partial 'X-APPT-CUSTOMER-EMAIL:zoe@example.net'
	assert_output --partial 'DESCRIPTION:Phone: +49 171 2345678'
}

@test "appt-ics export: calcurse -i imports the feed" {
	salon
	appt-ics export -w sam > "$BATS_TEST_TMPDIR/feed.ics"
	mkdir -p "$BATS_TEST_TMPDIR/cc"
	run calcurse -D "$BATS_TEST_TMPDIR/cc" -i "$BATS_TEST_TMPDIR/feed.ics"
	assert_success
	assert_output --partial '2 apps / 0 events / 0 todos / 0 skipped'
	run calcurse -D "$BATS_TEST_TMPDIR/cc" -Q --from 11/24/2026 --days 1
	assert_output --partial '10:00 -> 10:45'
}

@test "appt-ics export: a DST week, Berlin and New York, both directions" {
	fixture -m -q -b 'granularity = 15m
min_notice = 0
horizon = 400d'
	month 2027-03 <<-'EOF'
	1,2027-03-26T09:00+01:00,2027-03-26T09:45+01:00,cut,sam,1,booked
	2,2027-03-29T09:00+02:00,2027-03-29T09:45+02:00,cut,sam,1,booked
	EOF
	month 2027-10 <<-'EOF'
	3,2027-10-29T09:00+02:00,2027-10-29T09:45+02:00,cut,sam,1,booked
	4,2027-11-01T09:00+01:00,2027-11-01T09:45+01:00,cut,sam,1,booked
	EOF
	run pyread 2027-03-01..2027-11-30
	assert_line --partial 'appt-1@example.com TENTATIVE 0 2027-03-26T08:00Z'
	assert_line --partial 'appt-2@example.com TENTATIVE 0 2027-03-29T07:00Z'
	assert_line --partial 'appt-3@example.com TENTATIVE 0 2027-10-29T07:00Z'
	assert_line --partial 'appt-4@example.com TENTATIVE 0 2027-11-01T08:00Z'
	appt-ics export 2027-03-01..2027-11-30 | grep -q \
	    '^DTSTART;TZID=Europe/Berlin:20270329T090000'
	# The same appointments for a business in New York: the wall times
	# of that zone, changing on other days.
	sed -i 's|timezone = Europe/Berlin|timezone = America/New_York|' \
	    "$D/config.ini"
	run pyread 2027-03-01..2027-11-30
	assert_line 'VTIMEZONE America/New_York'
	assert_line --partial 'appt-2@example.com TENTATIVE 0 2027-03-29T07:00Z 2027-03-29T07:45Z America/New_York'
	appt-ics export 2027-03-01..2027-11-30 > "$BATS_TEST_TMPDIR/ny.ics"
	grep -q '^DTSTART;TZID=America/New_York:20270326T040000' "$BATS_TEST_TMPDIR/ny.ics"
	grep -q '^DTSTART;TZID=America/New_York:20270329T030000' "$BATS_TEST_TMPDIR/ny.ics"
	grep -q '^DTSTART;TZID=America/New_York:20271029T030000' "$BATS_TEST_TMPDIR/ny.ics"
	grep -q '^DTSTART;TZID=America/New_York:20271101T040000' "$BATS_TEST_TMPDIR/ny.ics"
}

@test "appt-ics export --vdir: a file per UID, rewritten only on change, removed on cancel" {
	salon
	V=$BATS_TEST_TMPDIR/vdir
	mkdir "$V"
	run --separate-stderr appt-ics export --vdir "$V"
	assert_success
	assert_equal "$(cd "$V" && ls)" 'appt-1@example.com.ics
appt-2@example.com.ics'
	! grep -q METHOD "$V/appt-1@example.com.ics"
	one=$(stat -c '%i %Y.%y' "$V/appt-1@example.com.ics")
	two=$(stat -c '%i %Y.%y' "$V/appt-2@example.com.ics")
	sleep 1.1
	appt-move 1 2026-11-24T15:00 > /dev/null
	appt-status 2 cancelled > /dev/null
	run --separate-stderr appt-ics export --vdir "$V"
	assert_success
	[[ $stderr == *"1 written, 0 unchanged, 1 removed"* ]] || fail "$stderr"
	assert_equal "$(cd "$V" && ls)" 'appt-1@example.com.ics'
	[ "$(stat -c '%i %Y.%y' "$V/appt-1@example.com.ics")" != "$one" ]
	grep -q 'DTSTART;TZID=Europe/Berlin:20261124T150000' \
	    "$V/appt-1@example.com.ics"
	# Unchanged: not touched at all.
	one=$(stat -c '%i %Y.%y' "$V/appt-1@example.com.ics")
	sleep 1.1
	run --separate-stderr appt-ics export --vdir "$V"
	[[ $stderr == *"0 written, 1 unchanged, 0 removed"* ]] || fail "$stderr"
	assert_equal "$(stat -c '%i %Y.%y' "$V/appt-1@example.com.ics")" "$one"
	: "$two"
}

@test "appt-ics export --vdir: vdirsyncer puts it on a radicale server" {
	salon
	V=$BATS_TEST_TMPDIR/vdir R=$BATS_TEST_TMPDIR/radicale
	mkdir "$V" "$R"
	appt-ics export --vdir "$V" 2> /dev/null
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	$PY -m radicale --storage-filesystem-folder="$R" \
	    --server-hosts="127.0.0.1:$port" --auth-type=none \
	    --rights-type=authenticated 2> "$BATS_TEST_TMPDIR/radicale.log" &
	RADICALE_PID=$!
	for _ in $(seq 50); do
		curl -s -o /dev/null "http://127.0.0.1:$port/" && break
		sleep 0.1
	done
	curl -sf -X MKCOL "http://127.0.0.1:$port/appt/"
	curl -sf -X MKCALENDAR "http://127.0.0.1:$port/appt/salon/"
	# The example's config, pointed at these.
	sed -e "s|~/.local/share/appt-vdir/|$V/|" \
	    -e "s|~/.local/state/vdirsyncer/|$BATS_TEST_TMPDIR/status/|" \
	    -e "s|https://dav.example.com/sam/appointments/|http://127.0.0.1:$port/appt/salon/|" \
	    "$TOP/examples/vdirsyncer.conf" > "$BATS_TEST_TMPDIR/vs.conf"
	run vdirsyncer -c "$BATS_TEST_TMPDIR/vs.conf" discover < /dev/null
	assert_success
	run vdirsyncer -c "$BATS_TEST_TMPDIR/vs.conf" sync
	assert_success
	# What radicale stores, read back.
	run $PY - "$R/collection-root/appt/salon" <<-'EOF'
	import sys, os, datetime as dt, icalendar
	d = sys.argv[1]
	for f in sorted(os.listdir(d)):
	    if not f.endswith(".ics"):
	        continue
	    for e in icalendar.Calendar.from_ical(open(os.path.join(d, f), "rb").read()).walk("VEVENT"):
	        print(e["UID"], e["DTSTART"].dt.astimezone(dt.timezone.utc).isoformat(), e["DTSTART"].params["TZID"])
	EOF
	assert_success
	assert_equal "$(sort <<< "$output")" 'appt-1@example.com 2026-11-24T09:00:00+00:00 Europe/Berlin
appt-2@example.com 2026-11-24T13:00:00+00:00 Europe/Berlin'
	# A cancel reaches the server as a removal.
	appt-status 1 cancelled > /dev/null
	appt-ics export --vdir "$V" 2> /dev/null
	run vdirsyncer -c "$BATS_TEST_TMPDIR/vs.conf" sync
	assert_success
	run grep -l 'appt-1@' "$R"/collection-root/appt/salon/*.ics
	assert_failure
	grep -lq 'appt-2@' "$R"/collection-root/appt/salon/*.ics
}

# A second business with the same services and staff, and no customers.
other() {
	local keep=$D
	D=$BATS_TEST_TMPDIR/other
	fixture -q
	customers < /dev/null
	D=$keep
}

@test "appt-ics import: the round trip into another directory, and again: no duplicates" {
	salon
	other
	# There a haircut costs more: each keeps the price it was booked at.
	sed -i 's/^cut,Haircut,45m,45.00/cut,Haircut,45m,50.00/' \
	    "$BATS_TEST_TMPDIR/other/services.csv"
	appt-ics export > "$BATS_TEST_TMPDIR/feed.ics"
	run --separate-stderr appt-ics -d "$BATS_TEST_TMPDIR/other" import "$BATS_TEST_TMPDIR/feed.ics"
	assert_success
	[[ $stderr == *"3 added, 0 updated, 0 unchanged"* ]] || fail "$stderr"
	run --separate-stderr appt-list -d "$BATS_TEST_TMPDIR/other" 2026-11-24..2026-11-25
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,booked,cut,Haircut,sam,1,Zoë Müller,zoe@example.net,+49 171 2345678,,
	2,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,confirmed,cut,Haircut,alice,2,Jonas Weber,jonas@example.org,0170 1112233,,
	3,2026-11-25T09:00+01:00,2026-11-25T09:45+01:00,cancelled,cut,Haircut,sam,3,Lukas Schmidt,,+49 152 3334455,,
	EOF
	run cut -d, -f8 "$BATS_TEST_TMPDIR/other/appointments/2026-11.csv"
	assert_output 'price
45.00
45.00
45.00'
	before=$(cd "$BATS_TEST_TMPDIR/other" && cat appointments/*.csv customers.csv)
	run --separate-stderr appt-ics -d "$BATS_TEST_TMPDIR/other" import "$BATS_TEST_TMPDIR/feed.ics"
	assert_success
	[[ $stderr == *"0 added, 0 updated, 3 unchanged"* ]] || fail "$stderr"
	assert_equal "$(cd "$BATS_TEST_TMPDIR/other" && cat appointments/*.csv customers.csv)" "$before"
	# A move at home is an update there, the same appointment.
	appt-move 1 2026-11-24T16:00 > /dev/null
	appt-ics export | appt-ics -d "$BATS_TEST_TMPDIR/other" import - 2> "$BATS_TEST_TMPDIR/err"
	grep -q '0 added, 1 updated, 2 unchanged' "$BATS_TEST_TMPDIR/err"
	run appt-list -d "$BATS_TEST_TMPDIR/other" -o csv 2026-11-24
	assert_line --partial '1,2026-11-24T16:00+01:00,2026-11-24T16:45+01:00,booked'
	assert_equal "$(grep -c . "$BATS_TEST_TMPDIR/other/appointments/2026-11.csv")" 4
	appt-check -d "$BATS_TEST_TMPDIR/other"
}

@test "appt-ics import: all or nothing, every conflict listed" {
	salon
	cat > "$BATS_TEST_TMPDIR/in.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//other//EN
	BEGIN:VEVENT
	UID:free@other
	DTSTAMP:20261120T100000Z
	DTSTART;TZID=Europe/Berlin:20261126T100000
	DTEND;TZID=Europe/Berlin:20261126T104500
	ATTENDEE;CN=Nina Roth:mailto:nina@example.com
	END:VEVENT
	BEGIN:VEVENT
	UID:clash1@other
	DTSTAMP:20261120T100000Z
	DTSTART;TZID=Europe/Berlin:20261124T101500
	DTEND;TZID=Europe/Berlin:20261124T110000
	ATTENDEE;CN=Otto Berg:mailto:otto@example.com
	END:VEVENT
	BEGIN:VEVENT
	UID:clash2@other
	DTSTAMP:20261120T100000Z
	DTSTART:20261124T090000Z
	DTEND:20261124T094500Z
	ATTENDEE;CN=Pia Kern:mailto:pia@example.com
	END:VEVENT
	END:VCALENDAR
	EOF
	run_refused 1 'nothing imported' appt-ics import -s cut -w sam "$BATS_TEST_TMPDIR/in.ics"
	[[ $stderr == *"in.ics:11: clash1@other: 2026-11-24T10:15+01:00: sam is taken by appointment 1"* ]] || fail "$stderr"
	[[ $stderr == *"in.ics:18: clash2@other: 2026-11-24T10:00+01:00: sam is taken by appointment 1"* ]] || fail "$stderr"
	[[ $stderr != *free@other* ]] || fail "$stderr"
	# --dry-run says what would be done and writes nothing.
	sed -i 's/20261124T1/20261127T1/; s/20261124T09/20261127T13/' "$BATS_TEST_TMPDIR/in.ics"
	before=$(snapshot)
	run --separate-stderr appt-ics import --dry-run -s cut -w sam "$BATS_TEST_TMPDIR/in.ics"

	assert_success
	assert_line --index 1 --partial 'add,4,free@other,2026-11-26T10:00+01:00,sam,cut'
	run --separate-stderr appt-ics -o json import --dry-run -s cut -w sam "$BATS_TEST_TMPDIR/in.ics"
	assert_line --index 0 '{"action":"add","id":"4","uid":"free@other","start":"2026-11-26T10:00+01:00","staff":"sam","service":"cut"}'
	assert_equal "$(snapshot)" "$before"
	run --separate-stderr appt-ics import -s cut -w sam "$BATS_TEST_TMPDIR/in.ics"
	assert_success
	run appt-list -o csv 2026-11-26..2026-11-27
	assert_line --partial '4,2026-11-26T10:00+01:00,2026-11-26T10:45+01:00,booked,cut,Haircut,sam,4,Nina Roth,nina@example.com'
	assert_line --partial '6,2026-11-27T14:00+01:00,2026-11-27T14:45+01:00,booked,cut,Haircut,sam,6,Pia Kern,pia@example.com'
	appt-check
}

# The busy calendar of the oracle tests: a weekly event in a Windows zone
# (with the VTIMEZONE Outlook writes) whose 1 December is excluded, whose
# 8 December moved to the afternoon and whose EXDATE of January lies after
# its UNTIL; an all-day event; a cancelled, a transparent and a tentative
# one; a floating one; one given by RDATE; and one twice a week since 2020.
busycal() {
	cat <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN
	BEGIN:VTIMEZONE
	TZID:W. Europe Standard Time
	BEGIN:STANDARD
	DTSTART:16011028T030000
	RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10
	TZOFFSETFROM:+0200
	TZOFFSETTO:+0100
	END:STANDARD
	BEGIN:DAYLIGHT
	DTSTART:16010325T020000
	RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3
	TZOFFSETFROM:+0100
	TZOFFSETTO:+0200
	END:DAYLIGHT
	END:VTIMEZONE
	BEGIN:VEVENT
	UID:school-run
	SUMMARY:School run
	DTSTART;TZID=W. Europe Standard Time:20261124T100000
	DTEND;TZID=W. Europe Standard Time:20261124T110000
	RRULE:FREQ=WEEKLY;UNTIL=20261222T090000Z
	EXDATE;TZID=W. Europe Standard Time:20261201T100000
	EXDATE;TZID=W. Europe Standard Time:20270105T100000
	END:VEVENT
	BEGIN:VEVENT
	UID:school-run
	RECURRENCE-ID;TZID=W. Europe Standard Time:20261208T100000
	DTSTART;TZID=W. Europe Standard Time:20261208T143000
	DTEND;TZID=W. Europe Standard Time:20261208T153000
	END:VEVENT
	BEGIN:VEVENT
	UID:dentist-day
	DTSTART;VALUE=DATE:20261126
	DTEND;VALUE=DATE:20261127
	END:VEVENT
	BEGIN:VEVENT
	UID:off
	STATUS:CANCELLED
	DTSTART:20261125T100000Z
	DTEND:20261125T120000Z
	END:VEVENT
	BEGIN:VEVENT
	UID:fyi
	TRANSP:TRANSPARENT
	DTSTART:20261125T140000Z
	DTEND:20261125T150000Z
	END:VEVENT
	BEGIN:VEVENT
	UID:maybe
	STATUS:TENTATIVE
	DTSTART:20261125T160000Z
	DTEND:20261125T170000Z
	END:VEVENT
	BEGIN:VEVENT
	UID:floating
	DTSTART:20261127T120000
	DTEND:20261127T130000
	END:VEVENT
	BEGIN:VEVENT
	UID:rdates
	DTSTART;TZID=Europe/Berlin:20261130T070000
	DURATION:PT30M
	RDATE;TZID=Europe/Berlin:20261203T203000
	END:VEVENT
	BEGIN:VEVENT
	UID:since-2020
	DTSTART;TZID=Europe/Berlin:20200106T183000
	DTEND;TZID=Europe/Berlin:20200106T193000
	RRULE:FREQ=WEEKLY;BYDAY=MO,TH
	EXDATE;TZID=Europe/Berlin:20261207T183000
	END:VEVENT
	END:VCALENDAR
	EOF
}

# A business open 06:00-22:00 every day, one staff member, a 15-minute
# service without buffers, no notice: its free slots are what the busy
# times leave, quarter hour by quarter hour.
open_all_day() {
	local d h=
	for d in mon tue wed thu fri sat sun; do
		h="$h$d = 06:00-22:00
"
	done
	fixture -m -q -s sam -h "$h" -b 'granularity = 15m
min_notice = 0
horizon = 400d'
	services <<-'EOF'
	q,Quick,15m,10.00,,,,,,
	EOF
}

# Slots of appt-slots and of the oracle, from $1 to $2 (excluded).
oracle_agrees() {
	local cal=$1 from=$2 to=$3 last
	last=$(date -d "$to - 1 day" +%F)
	appt-slots -o csv -s q "$from..$last" | tail -n +2 | cut -d, -f1 \
	    > "$BATS_TEST_TMPDIR/appt.txt"
	$PY "$ORACLE" "$cal" "$from" "$to" > "$BATS_TEST_TMPDIR/oracle.txt"
	[ -s "$BATS_TEST_TMPDIR/oracle.txt" ]
	diff "$BATS_TEST_TMPDIR/oracle.txt" "$BATS_TEST_TMPDIR/appt.txt"
}

@test "appt-ics busy: the blocked times are those python3-recurring-ical-events expands" {
	open_all_day
	busycal > "$BATS_TEST_TMPDIR/private.ics"
	run --separate-stderr appt-ics busy -w sam "$BATS_TEST_TMPDIR/private.ics"
	assert_success
	assert_output 'busy/sam/private.ics'
	cmp "$BATS_TEST_TMPDIR/private.ics" "$D/busy/sam/private.ics"
	assert_mode 600 "$D/busy/sam/private.ics"
	oracle_agrees "$BATS_TEST_TMPDIR/private.ics" 2026-11-24 2027-01-12
	run appt-slots -o csv -s q 2026-11-24..2026-12-15
	# The weekly event, its exclusion and the moved instance.
	refute_line --regexp '^2026-11-24T10:00'
	assert_line --regexp '^2026-12-01T10:00'
	assert_line --regexp '^2026-12-08T10:00'
	refute_line --regexp '^2026-12-08T14:30'
	refute_line --regexp '^2026-12-15T10:30'
	# The all-day event, the cancelled, transparent and tentative ones.
	refute_line --regexp '^2026-11-26T'
	assert_line --regexp '^2026-11-25T11:00'
	assert_line --regexp '^2026-11-25T15:00'
	refute_line --regexp '^2026-11-25T17:00'
	refute_line --regexp '^2026-11-27T12:00'
	refute_line --regexp '^2026-12-03T18:30'
	assert_line --regexp '^2026-12-07T18:30'
	appt-check
}

@test "appt-ics busy: a week across each change of clock, Berlin and New York" {
	open_all_day
	cat > "$BATS_TEST_TMPDIR/dst.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//test//EN
	BEGIN:VEVENT
	UID:ny-call
	DTSTART;TZID=America/New_York:20270303T090000
	DTEND;TZID=America/New_York:20270303T100000
	RRULE:FREQ=WEEKLY;COUNT=6
	END:VEVENT
	BEGIN:VEVENT
	UID:ny-daily
	DTSTART;TZID=America/New_York:20271025T080000
	DTEND;TZID=America/New_York:20271025T083000
	RRULE:FREQ=DAILY;UNTIL=20271110T000000Z
	END:VEVENT
	BEGIN:VEVENT
	UID:berlin-daily
	DTSTART;TZID=Europe/Berlin:20270322T070000
	DTEND;TZID=Europe/Berlin:20270322T080000
	RRULE:FREQ=DAILY;COUNT=14
	END:VEVENT
	BEGIN:VEVENT
	UID:berlin-oct
	DTSTART;TZID=Europe/Berlin:20271027T190000
	DTEND;TZID=Europe/Berlin:20271027T200000
	RRULE:FREQ=DAILY;COUNT=8
	END:VEVENT
	END:VCALENDAR
	EOF
	appt-ics busy "$BATS_TEST_TMPDIR/dst.ics" > /dev/null
	oracle_agrees "$BATS_TEST_TMPDIR/dst.ics" 2027-03-01 2027-04-10
	oracle_agrees "$BATS_TEST_TMPDIR/dst.ics" 2027-10-24 2027-11-12
	run appt-slots -o csv -s q 2027-03-01..2027-04-10
	# 09:00 New York is 15:00 here, 14:00 between the two changes.
	refute_line --regexp '^2027-03-10T15:00'
	assert_line --regexp '^2027-03-17T15:00'
	refute_line --regexp '^2027-03-17T14:00'
	refute_line --regexp '^2027-03-31T15:00'
	# 07:00 Berlin stays 07:00 on each side of the change.
	refute_line --regexp '^2027-03-27T07:00'
	refute_line --regexp '^2027-03-29T07:00'
	assert_line --regexp '^2027-03-29T08:00'
}

@test "appt-ics busy: a Windows zone name without VTIMEZONE maps through CLDR" {
	open_all_day
	cat > "$BATS_TEST_TMPDIR/win.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//test//EN
	BEGIN:VEVENT
	UID:w1
	DTSTART;TZID=Eastern Standard Time:20261124T090000
	DTEND;TZID=Eastern Standard Time:20261124T100000
	END:VEVENT
	END:VCALENDAR
	EOF
	appt-ics busy --name work "$BATS_TEST_TMPDIR/win.ics" > /dev/null
	run appt-slots -o csv -s q 2026-11-24
	assert_line --regexp '^2026-11-24T14:45'
	refute_line --regexp '^2026-11-24T15:00'
	refute_line --regexp '^2026-11-24T15:45'
	assert_line --regexp '^2026-11-24T16:00'
	grep -q '^Eastern Standard Time	America/New_York$' \
	    "$TOP/share/appt/windows-zones.txt"
}

@test "appt-ics busy: an unknown TZID is refused with file and line, the old copy stays" {
	open_all_day
	busycal > "$BATS_TEST_TMPDIR/private.ics"
	appt-ics busy -w sam "$BATS_TEST_TMPDIR/private.ics" > /dev/null
	sed 's/TZID=Europe\/Berlin:20261203/TZID=Mars\/Olympus:20261203/' \
	    "$BATS_TEST_TMPDIR/private.ics" > "$BATS_TEST_TMPDIR/bad.ics"
	run_refused 2 "bad.ics:66: unknown time zone 'Mars/Olympus' (TZID)" \
	    appt-ics busy -w sam --name private "$BATS_TEST_TMPDIR/bad.ics"
	cmp "$BATS_TEST_TMPDIR/private.ics" "$D/busy/sam/private.ics"
	# What libical could not read (X-LIC-ERROR) is refused too.
	sed 's/^DTEND:20261127T130000/DTEND:tomorrow/' \
	    "$BATS_TEST_TMPDIR/private.ics" > "$BATS_TEST_TMPDIR/bad.ics"
	run_refused 2 "bad.ics:60: Can't parse as DATE-TIME value in DTEND" \
	    appt-ics busy -w sam --name private "$BATS_TEST_TMPDIR/bad.ics"
	run_refused 2 "stdin: not an iCalendar file" \
	    appt-ics busy -w sam --name private - <<< 'hello'
	cmp "$BATS_TEST_TMPDIR/private.ics" "$D/busy/sam/private.ics"
	# One put in place by hand is bad data, with its file and line.
	cp "$BATS_TEST_TMPDIR/bad.ics" "$D/busy/sam/private.ics"
	run --separate-stderr appt-slots -s q 2026-11-24
	assert_failure 3
	[[ $stderr == *"busy/sam/private.ics:60:"* ]] || fail "$stderr"
	check
	assert_failure 3
	assert_output --partial 'busy/sam/private.ics:60:'
}

@test "appt-ics busy: appt-book and appt-move refuse a slot under a busy event" {
	salon
	busycal > "$BATS_TEST_TMPDIR/private.ics"
	appt-ics busy "$BATS_TEST_TMPDIR/private.ics" > /dev/null
	assert_file_exist "$D/busy/private.ics"
	run_refused 1 'busy then (a busy calendar)' \
	    appt-book -s cut -c 2 -w alice --at 2026-12-15T10:15
	run_refused 1 'busy then (a busy calendar)' \
	    appt-move 1 2026-11-26T11:00
	run --separate-stderr appt-book -s cut -c 2 -w alice --at 2026-12-01T10:15
	assert_success
}

@test "appt-init --example: Sam's weekly school run blocks, but not where it moved or was left out" {
	appt-init --example "$D" > /dev/null
	run --separate-stderr appt-slots -o csv -w sam -s consult 2026-12-02..2026-12-23
	assert_success
	# The first and the fourth Wednesday: 16:00-17:00 busy.
	assert_line --regexp '^2026-12-02T15:45'
	refute_line --regexp '^2026-12-02T16:'
	assert_line --regexp '^2026-12-02T17:00'
	refute_line --regexp '^2026-12-23T16:30'
	# The second an hour late, the third left out.
	assert_line --regexp '^2026-12-09T16:30'
	refute_line --regexp '^2026-12-09T17:15'
	assert_line --regexp '^2026-12-16T16:30'
	check
	assert_success
}

@test "appt-check: a busy calendar's folder must name a staff member" {
	salon
	busycal > "$BATS_TEST_TMPDIR/private.ics"
	appt-ics busy -w alice "$BATS_TEST_TMPDIR/private.ics" > /dev/null
	check
	assert_success
	mkdir "$D/busy/bob"
	check
	assert_failure 3
	assert_output 'busy/bob: no staff member bob in staff.csv: its calendars block no one'
}

@test "appt-slots and appt-check: a data directory without busy/ has no busy times" {
	salon
	rmdir "$D/busy"
	run --separate-stderr appt-slots -o csv -s cut -w sam 2026-11-24
	assert_success
	assert_line --regexp '^2026-11-24T09:00'
	check
	assert_success
}

@test "appt-ics busy: rules of every kind, from years back, as the oracle expands them" {
	open_all_day
	cat > "$BATS_TEST_TMPDIR/rules.ics" <<-'EOF'
	BEGIN:VCALENDAR
	VERSION:2.0
	PRODID:-//test//EN
	BEGIN:VEVENT
	UID:r1
	DTSTART;TZID=Europe/Berlin:20190107T063000
	DTEND;TZID=Europe/Berlin:20190107T071500
	RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,FR
	END:VEVENT
	BEGIN:VEVENT
	UID:r2
	DTSTART;TZID=Europe/Berlin:20190108T080000
	DTEND;TZID=Europe/Berlin:20190108T090000
	RRULE:FREQ=MONTHLY;BYDAY=2TU
	END:VEVENT
	BEGIN:VEVENT
	UID:r3
	DTSTART;TZID=America/New_York:20190103T050000
	DTEND;TZID=America/New_York:20190103T053000
	RRULE:FREQ=DAILY;INTERVAL=3
	END:VEVENT
	BEGIN:VEVENT
	UID:r4
	DTSTART;TZID=Europe/Berlin:20191201T100000
	DTEND;TZID=Europe/Berlin:20191201T120000
	RRULE:FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=1,10
	END:VEVENT
	BEGIN:VEVENT
	UID:r5
	DTSTART;VALUE=DATE:20190105
	RRULE:FREQ=WEEKLY;INTERVAL=3
	END:VEVENT
	BEGIN:VEVENT
	UID:r6
	DTSTART:20190102T130000Z
	DTEND:20190102T140000Z
	RRULE:FREQ=WEEKLY;INTERVAL=5;BYDAY=WE
	END:VEVENT
	END:VCALENDAR
	EOF
	appt-ics busy "$BATS_TEST_TMPDIR/rules.ics" > /dev/null
	oracle_agrees "$BATS_TEST_TMPDIR/rules.ics" 2026-11-24 2027-02-01
}

@test "appt-ics import: 300 events, and each file is written once" {
	salon
	$PY - "$BATS_TEST_TMPDIR/many.ics" <<-'EOF'
	import sys
	L = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//other//EN"]
	for i in range(300):
	    d, h = 1 + i // 12, 8 + i % 12
	    L += ["BEGIN:VEVENT", "UID:e%d@other" % i,
	          "DTSTART;TZID=Europe/Berlin:202701%02dT%02d0000" % (d, h),
	          "DTEND;TZID=Europe/Berlin:202701%02dT%02d3000" % (d, h),
	          "ATTENDEE;CN=Person %d:mailto:p%d@example.com" % (i, i),
	          "END:VEVENT"]
	L.append("END:VCALENDAR")
	open(sys.argv[1], "w").write("\r\n".join(L) + "\r\n")
	EOF
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr strace -f -e trace=rename,renameat,renameat2 \
	    -o "$BATS_TEST_TMPDIR/trace" appt-ics import -s cut -w sam \
	    "$BATS_TEST_TMPDIR/many.ics"
	assert_success
	[[ $stderr == *"300 added, 0 updated, 0 unchanged"* ]] || fail "$stderr"
	assert_equal "$(grep -c '"[^"]*/appointments/2027-01.csv") = 0' "$BATS_TEST_TMPDIR/trace")" 1
	assert_equal "$(grep -c '"[^"]*/customers.csv") = 0' "$BATS_TEST_TMPDIR/trace")" 1
	assert_equal "$(grep -c '"[^"]*/ids.csv") = 0' "$BATS_TEST_TMPDIR/trace")" 1
	assert_equal "$(tail -n +2 "$D/appointments/2027-01.csv" | wc -l)" 300
	assert_equal "$(tail -n +2 "$D/customers.csv" | wc -l)" 303
	check
	assert_success
}
