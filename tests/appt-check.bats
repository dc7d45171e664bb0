#!/usr/bin/env bats
# appt-check: every problem of the data directory as "file:line: problem"
# on stdout, exit 3 if there is any. Also bad input in general: what a
# command refuses on its command line and what appt-check finds in files.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	M=$D/appointments/2026-11.csv
}

# Append an appointment to appointments/FILE; LINE is its line.
#   appt_row FILE ID START END SERVICE STAFF CUSTOMER STATUS
# ids.csv is raised so that the new id is not above the last one.
appt_row() {
	appt_add "${1%.csv}" "$2,$3,$4,$5,$6,$7,$8,45.00,,,,,,"
	LINE=$(wc -l < "$D/appointments/$1")
}

# Exactly one problem, on stdout, in the form file:line: problem.
assert_one_problem() {
	assert_failure 3
	assert_equal "${#lines[@]}" 1
	assert_output --partial "$1"
	assert_line --regexp '^[^: ]+:[0-9]+: .'
}

@test "appt-check: a clean directory exits 0 with no output" {
	fixture -e
	run appt-check
	assert_success
	assert_output ""
	run appt-check -d "$D"
	assert_success
	assert_output ""
}

@test "appt-check: the appt_row helper of this suite writes a sound row" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	check
	assert_success
	assert_output ""
	grep -q '^100,2026-11-30T10:00+01:00,' "$M"
}

@test "appt-check: a torn quoted field at the end of customers.csv" {
	fixture -e
	printf '9,"Bob' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
	assert_output --partial "quot"
	# The summary goes to stderr, not among the problems.
	[[ $stderr == *"1 problem"* ]]
}

@test "appt-check: a torn quoted field followed by a newline" {
	fixture -e
	printf '9,"Bob\n' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
}

@test "appt-check: a ragged row" {
	fixture -e
	printf '9,Bob\n' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
	assert_output --partial "fields"
}

@test "appt-check: a last line without a newline" {
	fixture -e
	printf '9,Bob,bob@example.com,,,,,' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
	assert_output --partial "newline"
}

@test "appt-check: the line of a problem counts lines, not records" {
	fixture -e
	# Customer 9 spans two lines; the ragged row after it is on line 12.
	printf '9,Bob,,,,,"two\nlines",\n10,Ann\n' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:12: "
}

@test "appt-check: a duplicate id in customers.csv" {
	fixture -e
	printf '3,Bob,bob@example.com,,,,,\n' >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
	assert_output --partial "3"
	assert_output --partial "line 4"
}

@test "appt-check: an appointment with an unknown service" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 perm sam 1 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "service 'perm'"
}

@test "appt-check: an appointment with an unknown staff member" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut bob 1 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "staff 'bob'"
}

@test "appt-check: an appointment with an unknown customer" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 99 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "customer '99'"
}

@test "appt-check: an appointment whose start does not parse" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T25:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "start '2026-11-30T25:00+01:00'"
}

@test "appt-check: an appointment on a date that does not exist" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-31T10:00+01:00 \
	    2026-11-31T10:45+01:00 cut sam 1 booked
	check
	assert_failure 3
	assert_line --partial "appointments/2026-11.csv:$LINE: start"
}

@test "appt-check: an appointment that ends before it starts" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:45+01:00 \
	    2026-11-30T10:00+01:00 cut sam 1 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "end"
}

@test "appt-check: two overlapping appointments of one staff member" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	first=$LINE
	appt_row 2026-11.csv 101 2026-11-30T10:30+01:00 \
	    2026-11-30T11:15+01:00 cut sam 2 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "overlaps"
	assert_output --partial "100"
	assert_output --partial ":$first"
}

@test "appt-check: the same times for two staff members, back to back, or cancelled are fine" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	appt_row 2026-11.csv 101 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut alice 2 booked
	appt_row 2026-11.csv 102 2026-11-30T10:45+01:00 \
	    2026-11-30T11:30+01:00 cut sam 3 booked
	appt_row 2026-11.csv 103 2026-11-30T10:15+01:00 \
	    2026-11-30T11:00+01:00 cut sam 4 cancelled
	check
	assert_success
	assert_output ""
}

@test "appt-check: an overlap across two month files" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T23:00+01:00 \
	    2026-12-01T01:00+01:00 cut sam 1 booked
	appt_row 2026-12.csv 101 2026-12-01T00:30+01:00 \
	    2026-12-01T01:15+01:00 cut sam 2 booked
	check
	assert_one_problem "appointments/2026-12.csv:2: "
	assert_output --partial "overlaps"
}

@test "appt-check: a duplicate appointment id across two month files" {
	fixture -e
	appt_row 2026-12.csv 5 2026-12-01T10:00+01:00 \
	    2026-12-01T10:45+01:00 cut sam 1 booked
	check
	assert_one_problem "appointments/2026-12.csv:2: "
	assert_output --partial "id 5"
}

@test "appt-check: an appointment in the file of another month" {
	fixture -e
	appt_row 2026-12.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	check
	assert_one_problem "appointments/2026-12.csv:2: "
	assert_output --partial "month"
}

@test "appt-check: an unknown status" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 pending
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: "
	assert_output --partial "status 'pending'"
}

@test "appt-check: an appointment id above the last one in ids.csv" {
	fixture -e
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 cut sam 1 booked
	sed -i 's/^appointments,.*/appointments,59/' "$D/ids.csv"
	check
	assert_one_problem "ids.csv:"
	assert_output --partial "100"
}

@test "appt-check: a bad config value names config.ini:LINE and the key" {
	fixture -e
	sed -i 's/^granularity = .*/granularity = fast/' "$D/config.ini"
	line=$(grep -n '^granularity' "$D/config.ini" | cut -d: -f1)
	check
	assert_one_problem "config.ini:$line: booking:granularity"
}

@test "appt-check: a bad config value and a bad data file are both reported" {
	fixture -e
	sed -i 's/^on_flag = .*/on_flag = maybe/' "$D/config.ini"
	line=$(grep -n '^on_flag' "$D/config.ini" | cut -d: -f1)
	printf '9,Bob\n' >> "$D/customers.csv"
	check
	assert_failure 3
	assert_equal "${#lines[@]}" 2
	assert_line --partial "config.ini:$line: booking:on_flag"
	assert_line --partial "customers.csv:10: "
}

@test "appt-check: a config line over 1000 bytes names config.ini:LINE" {
	fixture -e
	printf 'name = %01100d\n' 0 > "$BATS_TEST_TMPDIR/long"
	sed -i "/^name = /{
		r $BATS_TEST_TMPDIR/long
		d
	}" "$D/config.ini"
	line=$(grep -n '^name = 000' "$D/config.ini" | cut -d: -f1)
	[ -n "$line" ]
	check
	assert_one_problem "config.ini:$line: "
}

@test "appt-check: a long comment line in config.ini is still too long" {
	fixture -e
	printf '; %01100d\n' 0 >> "$D/config.ini"
	line=$(wc -l < "$D/config.ini")
	check
	assert_one_problem "config.ini:$line: "
}

@test "appt-check: CRLF line ends are fine" {
	fixture -e
	sed -i 's/$/\r/' "$D/customers.csv" "$D/services.csv" \
	    "$D/staff.csv" "$D/flags.csv" "$M"
	grep -q $'\r$' "$M"
	check
	assert_success
	assert_output ""
}

@test "appt-check: a UTF-8 byte order mark is fine" {
	fixture -e
	for f in customers.csv services.csv staff.csv appointments/2026-11.csv; do
		{ printf '\357\273\277'; cat "$D/$f"; } > "$BATS_TEST_TMPDIR/bom"
		mv "$BATS_TEST_TMPDIR/bom" "$D/$f"
	done
	head -c 3 "$D/customers.csv" | od -An -tx1 | grep -q 'ef bb bf'
	check
	assert_success
	assert_output ""
}

@test "appt-check: a BOM and CRLF in config.ini are fine" {
	fixture -e
	{ printf '\357\273\277'; sed 's/$/\r/' "$D/config.ini"; } \
	    > "$BATS_TEST_TMPDIR/ini"
	mv "$BATS_TEST_TMPDIR/ini" "$D/config.ini"
	check
	assert_success
	assert_output ""
}

@test "appt-check: the BOM only counts on the first line" {
	fixture -e
	printf '\357\273\2779,Bob,,,,,,\n' >> "$D/customers.csv"
	sed -i 's/^customers,.*/customers,9/' "$D/ids.csv"
	check
	assert_one_problem "customers.csv:10: "
}

@test "appt-check: hidden temporary files are ignored" {
	fixture -e
	printf '9,"Bob' > "$D/.customers.csv.AbC123"
	printf 'x,"torn' > "$D/appointments/.2026-11.csv.XyZ789"
	printf '[broken\n' > "$D/.config.ini.Qq1234"
	check
	assert_success
	assert_output ""
}

@test "appt-check: a user column in customers.csv is fine" {
	fixture -e
	# In the middle, so that columns must be found by name.
	sed -i '1s/^id,name,/id,vip,name,/; 2,$s/^\([0-9]*\),/\1,yes,/' \
	    "$D/customers.csv"
	head -n 2 "$D/customers.csv" | grep -q '^1,yes,Zoë Müller,'
	check
	assert_success
	assert_output ""
}

@test "appt-check: columns in another order are found by name" {
	fixture -e
	# Swap service and staff in every appointment row and the header.
	sed -i 's/^\([^,]*,[^,]*,[^,]*\),\([^,]*\),\([^,]*\),/\1,\3,\2,/' "$M"
	head -n 1 "$M" | grep -q '^id,start,end,staff,service,'
	check
	assert_success
	assert_output ""
	# The swap is real: an unknown service is still found in its column.
	appt_row 2026-11.csv 100 2026-11-30T10:00+01:00 \
	    2026-11-30T10:45+01:00 sam perm 1 booked
	check
	assert_one_problem "appointments/2026-11.csv:$LINE: service 'perm'"
}

@test "appt-check: a customers.csv field of 70000 bytes names customers.csv:LINE" {
	fixture -e
	printf '9,%070000d,a@example.com,,,,,\n' 0 >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: "
	[ "${#output}" -lt 1000 ]
}

@test "appt-check: a line break inside a customer name is a problem" {
	fixture -e
	printf '9,"Bob\nSmith",bob@example.com,,,,,\n' >> "$D/customers.csv"
	sed -i 's/^customers,.*/customers,9/' "$D/ids.csv"
	check
	assert_one_problem "customers.csv:10: name"
}

@test "appt-check: a missing data directory exits 3" {
	run appt-check -d "$BATS_TEST_TMPDIR/nowhere"
	assert_failure 3
	assert_output --partial "nowhere"
}

@test "appt-check -h prints the usage and an unknown option exits 2" {
	run --separate-stderr appt-check -h
	assert_success
	assert_output --partial "appt-check"
	run appt-check --frobnicate
	assert_failure 2
}

# ---- bad input on the command line ----

@test "bad input: a LF in --name is refused with exit 2 and changes nothing" {
	fixture -e
	run_refused 2 "--name" appt-customer add --name $'A\nB' --email a@b.c
	# The same request without the line break is taken.
	run appt-customer add --name 'A B' --email a@b.c
	assert_success
	grep -q '^9,A B,a@b.c,' "$D/customers.csv"
}

@test "bad input: a CR in --name is refused with exit 2 and changes nothing" {
	fixture -e
	run_refused 2 "--name" appt-customer add --name $'A\rB' --email a@b.c
}

@test "bad input: a 70000-byte --name is refused and changes nothing" {
	fixture -e
	run_refused 2 "--name" appt-customer add --name "$(printf '%070000d' 0)" \
	    --email a@b.c
	[ "${#stderr}" -lt 1000 ]
	[ "${#output}" -lt 1000 ]
}

@test "appt-check: an unquoted # or ; in a config value names config.ini:LINE and shows it quoted" {
	fixture -e
	sed -i 's/^name = .*/name = Salon #1/' "$D/config.ini"
	line=$(grep -n '^name = ' "$D/config.ini" | cut -d: -f1)
	check
	assert_one_problem "config.ini:$line: business:name: '#' starts a comment here, cutting the value; quote it: name = \"Salon #1\""
	sed -i 's/^name = .*/name = Hair;Beauty/' "$D/config.ini"
	check
	assert_one_problem "config.ini:$line: business:name: ';' starts a comment here, cutting the value; quote it: name = \"Hair;Beauty\""
	sed -i 's|^url = .*|url = https://example.com/review#top   ; the form|' \
	    "$D/config.ini"
	sed -i 's/^name = .*/name = "Salon" #1/' "$D/config.ini"
	check
	assert_one_problem "config.ini:$line: business:name: '#1' after the closing \" would be dropped"
	# Every command refuses to work on it, and nothing changes.
	sed -i 's/^name = .*/name = Salon #1/' "$D/config.ini"
	for cmd in "appt-list" "appt-slots 2026-11-25 -s cut" \
	    "appt-book -s cut -c 1 --at 2026-11-25T10:00" "appt-send"; do
		run_refused 3 "" $cmd
		assert_equal "$stderr" "${cmd%% *}: config.ini:$line: business:name: '#' starts a comment here, cutting the value; quote it: name = \"Salon #1\""
	done
	# Quoted, it is a clean value; the # in the URL must be quoted too.
	sed -i 's/^name = .*/name = "Salon #1"/' "$D/config.ini"
	url=$(grep -n '^url = ' "$D/config.ini" | cut -d: -f1)
	check
	assert_one_problem "config.ini:$url: review:url: '#' starts a comment here, cutting the value; quote it: url = \"https://example.com/review#top\""
	sed -i "s|^url = .*|url = 'https://example.com/review#top'   ; the form|" \
	    "$D/config.ini"
	check
	assert_success
	assert_output ""
}

@test "appt-check: the shipped config.ini with every key uncommented loads, its ; comments too" {
	appt-init "$D" > /dev/null
	sed -i 's/^;\([a-z_]* =\)/\1/' "$D/config.ini"
	run grep -c '^on_flag = warn  *; warn | refuse$' "$D/config.ini"
	assert_output 1
	check
	assert_success
	assert_output ""
	run --separate-stderr appt-list
	assert_success
}

# --- text that is not UTF-8, and other values (issue 8) -------------------------

@test "appt-check: a Latin-1 customers.csv is exit 3 with customers.csv:LINE" {
	fixture -e
	printf '9,M\xfcller,mu@example.org,,,,,2026-11-02T18:00+01:00\n' \
	    >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: not valid UTF-8"
	# The commands that read it refuse it too, with the same words.
	run --separate-stderr appt-customer list
	assert_failure 3
	assert_equal "$stderr" "appt-customer: customers.csv:10: not valid UTF-8"
}

@test "appt-check: overlongs, surrogates and code points past U+10FFFF are not UTF-8" {
	local b
	for b in '\xc0\xaf' '\xe0\x80\xaf' '\xed\xa0\x80' '\xf4\x90\x80\x80' \
	    '\xf8\x88\x80\x80\x80'; do
		fixture -e
		printf "9,A${b}B,ab@example.org,,,,,2026-11-02T18:00+01:00\n" \
		    >> "$D/customers.csv"
		check
		assert_one_problem "customers.csv:10: not valid UTF-8"
		rm -rf "$D"
	done
	# Four-byte UTF-8 is fine.
	fixture -e
	printf '9,A\xf0\x9f\x98\x80B,ab@example.org,,,,,2026-11-02T18:00+01:00\n' \
	    >> "$D/customers.csv"
	check
	assert_success
}

@test "appt-check: a quoted field over several lines that is not UTF-8 names its record's line" {
	fixture -e
	printf '9,Ann,ann@example.org,,,,"line one\nline \xfc",2026-11-02T18:00+01:00\n' \
	    >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: not valid UTF-8"
}

@test "appt-check: config.ini that is not UTF-8 names config.ini:LINE" {
	fixture -e
	sed -i 's/^name = .*/name = Caf\xe9 Sam/' "$D/config.ini"
	local n
	n=$(grep -an '^name = ' "$D/config.ini" | cut -d: -f1)
	check
	assert_one_problem "config.ini:$n: not valid UTF-8"
	run --separate-stderr appt-list
	assert_failure 3
	assert_equal "$stderr" "appt-list: config.ini:$n: not valid UTF-8"
}

@test "appt-check: granularity = 0m is refused with config.ini:LINE" {
	fixture -e
	sed -i 's/^granularity = .*/granularity = 0m/' "$D/config.ini"
	local n
	n=$(grep -n '^granularity' "$D/config.ini" | cut -d: -f1)
	check
	assert_one_problem "config.ini:$n: booking:granularity: not a duration of a minute or more"
	run --separate-stderr appt-slots -s cut 2026-11-24
	assert_failure 3
	assert_equal "$stderr" "appt-slots: config.ini:$n: booking:granularity: not a duration of a minute or more (5m, 15m, 1h)"
	sed -i 's/^granularity = .*/granularity = 0/' "$D/config.ini"
	check
	assert_one_problem "config.ini:$n: booking:granularity:"
}

@test "appt-check: a negative price in services.csv is a problem; 45 and 45.5 are not" {
	fixture -e
	sed -i 's/^cut,Haircut,45m,45.00,/cut,Haircut,45m,45,/;
	    s/^colour,Colour,1h30m,95.00,/colour,Colour,1h30m,95.5,/' \
	    "$D/services.csv"
	check
	assert_success
	sed -i 's/^beard,Beard trim,20m,18.00,/beard,Beard trim,20m,-5.00,/' \
	    "$D/services.csv"
	check
	assert_one_problem "services.csv:4: price '-5.00': negative"
}

@test "appt-check: an email with an empty domain label is not an address" {
	fixture -e
	printf '9,Ann,a@b..com,,,,,2026-11-02T18:00+01:00\n' \
	    >> "$D/customers.csv"
	check
	assert_one_problem "customers.csv:10: email 'a@b..com': not an address"
}

@test "appt-check: a CR alone inside a line is bad data, not a hidden row" {
	fixture -e
	# Two whole customers on line 3, parted by a CR without an LF.
	sed -i '3{N;s/\n/\r/}' "$D/customers.csv"
	run appt-check
	assert_failure 3
	assert_output --partial "customers.csv:3: a CR inside a line, outside quotes"
	run_refused 3 "customers.csv:3: a CR inside a line" \
	    appt-customer add --name "Neu" --email neu@example.com
}

@test "appt-check: a control character in config.ini is named by its line" {
	fixture -e
	sed -i 's/^name = Hair by Sam$/name = Hair \x1b[31mby Sam/' "$D/config.ini"
	sed -i 's/^currency = EUR$/curr\rency = EUR/' "$D/config.ini"
	run appt-check
	assert_failure 3
	assert_output --partial "config.ini:4: a control character"
	refute_output --partial $'\r'
	refute_output --partial $'\e'
	run_refused 3 "config.ini:4: a control character" \
	    appt-book --no-notify -s cut -c 1 -w sam --at 2026-12-01T09:00
}

@test "appt-check: an invoice number ending in % and digits is refused" {
	fixture -e
	sed -i 's/^number = .*/number = R-%04/' "$D/config.ini"
	line=$(grep -n '^number = R-%04$' "$D/config.ini" | cut -d: -f1)
	run appt-check
	assert_failure 3
	assert_output --partial "config.ini:$line: invoice:number: has no %n"
}
