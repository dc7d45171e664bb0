#!/usr/bin/env bats
# appt-list: the appointments of a range in start order, joined with the
# customer and service; filters, output formats, bad data, --agenda.
# APPT_NOW is Monday 2026-11-23T08:00, Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# Appointments spread over a few months: the rows the range tests expect.
spread() {
	fixture -s "ann bob" -q
	month 2026-10 <<-'EOF'
	10,2026-10-30T10:00+01:00,2026-10-30T10:45+01:00,cut,ann,1,done
	EOF
	month 2026-11 <<-'EOF'
	17,2026-11-30T09:00+01:00,2026-11-30T09:45+01:00,cut,ann,1,booked
	13,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,bob,2,booked
	12,2026-11-23T10:00+01:00,2026-11-23T10:45+01:00,cut,ann,1,confirmed
	16,2026-11-29T10:00+01:00,2026-11-29T10:45+01:00,cut,ann,3,booked
	11,2026-11-22T11:00+01:00,2026-11-22T11:45+01:00,cut,ann,2,done
	15,2026-11-26T09:00+01:00,2026-11-26T09:45+01:00,cut,ann,2,booked
	14,2026-11-25T17:00+01:00,2026-11-25T17:45+01:00,cut,ann,3,booked
	EOF
	month 2026-12 <<-'EOF'
	18,2026-12-01T09:00+01:00,2026-12-01T09:45+01:00,cut,ann,1,booked
	EOF
}

@test "appt-list: the default range is today" {
	fixture -e
	run --separate-stderr appt-list
	assert_success
	[ "${#lines[@]}" -gt 1 ]
	# Every row starts today, and every appointment of today is there.
	local n=0 l
	for l in "${lines[@]:1}"; do
		[[ $l == *,2026-11-23T* ]]
		[[ $(cut -d, -f2 <<< "$l") == 2026-11-23T* ]]
		n=$((n + 1))
	done
	assert_equal "$n" "$(grep -c '^[0-9]*,2026-11-23T' \
	    "$D/appointments/2026-11.csv")"
	local today=$output
	run --separate-stderr appt-list today
	assert_success
	assert_equal "$output" "$today"
	run --separate-stderr appt-list tomorrow
	assert_success
	[ "$output" != "$today" ]
}

@test "appt-list: CSV with exactly the contract's header when piped" {
	fixture -e
	run bash -c 'appt-list | cat'
	assert_success
	assert_line --index 0 "$LIST_HEADER"
	run bash -c 'appt-list 2030-01-01 | cat'
	assert_success
	assert_output "$LIST_HEADER"
}

@test "appt-list: rows in start order though the month file is not" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	5,2026-11-24T16:00+01:00,2026-11-24T16:45+01:00,cut,ann,1,booked
	2,2026-11-24T09:30+01:00,2026-11-24T10:15+01:00,cut,bob,2,booked
	7,2026-11-25T09:00+01:00,2026-11-25T09:45+01:00,cut,ann,3,booked
	1,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,ann,3,booked
	3,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked
	EOF
	run --separate-stderr appt-list tomorrow
	assert_success
	assert_equal "$(ids)" "3 2 1 5"
	run --separate-stderr appt-list week
	assert_success
	assert_equal "$(ids)" "3 2 1 5 7"
}

@test "appt-list: rows carry the customer's name, email, phone and the service name" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-EOF
	$APPT_HEADER
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked,45.00,,"Short, please",2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,colour,ann,3,confirmed,95.00,,,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	EOF
	run --separate-stderr appt-list tomorrow
	assert_success
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,booked,cut,Haircut,ann,1,Zoë Müller,zoe@example.net,+49 171 2345678,,"Short, please"
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,confirmed,colour,Colour,ann,3,Lukas Schmidt,,+49 152 3334455,,
	EOF
	assert_equal "$stderr" ""
}

@test "appt-list: ranges today, tomorrow, week, a month, A..B and all" {
	spread
	run --separate-stderr appt-list today
	assert_success
	assert_equal "$(ids)" "12"
	run --separate-stderr appt-list tomorrow
	assert_success
	assert_equal "$(ids)" "13"
	run --separate-stderr appt-list week	# Monday to Sunday
	assert_success
	assert_equal "$(ids)" "12 13 14 15 16"
	run --separate-stderr appt-list 2026-11
	assert_success
	assert_equal "$(ids)" "11 12 13 14 15 16 17"
	run --separate-stderr appt-list 2026-11-23..2026-11-25
	assert_success
	assert_equal "$(ids)" "12 13 14"
	run --separate-stderr appt-list 2026-12
	assert_success
	assert_equal "$(ids)" "18"
	run --separate-stderr appt-list all
	assert_success
	assert_equal "$(ids)" "10 11 12 13 14 15 16 17 18"
}

@test "appt-list: -w takes the staff id or name in any case" {
	spread
	run --separate-stderr appt-list 2026-11
	assert_success
	local all=$(ids)
	for w in ann ANN "Ann Lee" "ann lee"; do
		run --separate-stderr appt-list -w "$w" 2026-11
		assert_success
		assert_equal "$(ids)" "11 12 14 15 16 17"
	done
	for w in bob "BOB MARSH"; do
		run --separate-stderr appt-list -w "$w" 2026-11
		assert_success
		assert_equal "$(ids)" "13"
	done
	[ "$all" = "11 12 13 14 15 16 17" ]
}

@test "appt-list: -c takes the customer id, email or phone" {
	spread
	for c in 2 jonas@example.org JONAS@Example.org "0170 1112233" \
	    "+49 170 1112233" +491701112233; do
		run --separate-stderr appt-list -c "$c" all
		assert_success
		assert_equal "$(ids)" "11 13 15"
	done
	run --separate-stderr appt-list -c 3 2026-11
	assert_success
	assert_equal "$(ids)" "14 16"
}

@test "appt-list: -c with a customer who does not exist exits 1" {
	spread
	run --separate-stderr appt-list -c 99 all
	assert_failure 1
	[[ $stderr == *99* ]]
}

@test "appt-list: -S one status or a comma-separated list" {
	spread
	run --separate-stderr appt-list -S done all
	assert_success
	assert_equal "$(ids)" "10 11"
	run --separate-stderr appt-list -S confirmed,done all
	assert_success
	assert_equal "$(ids)" "10 11 12"
	run --separate-stderr appt-list -S cancelled all
	assert_success
	assert_output "$LIST_HEADER"
}

@test "appt-list: an unknown status exits 2 and names it" {
	spread
	run --separate-stderr appt-list -S finished all
	assert_failure 2
	assert_output ""
	[[ $stderr == *finished* ]]
	run --separate-stderr appt-list -S booked,bogus all
	assert_failure 2
	assert_output ""
	[[ $stderr == *bogus* ]]
}

@test "appt-list: an unknown staff member exits 2 and names it" {
	spread
	run --separate-stderr appt-list -w carol all
	assert_failure 2
	assert_output ""
	[[ $stderr == *carol* ]]
}

@test "appt-list: a bad range exits 2 and names it" {
	spread
	for r in 2026-13 2026-02-30 nonsense 2026-11-25..2026-11-23 \
	    2026-11-23..; do
		run --separate-stderr appt-list "$r"
		assert_failure 2
		assert_output ""
		[[ $stderr == *"appt-list: $r"* ]]
	done
}

@test "appt-list: a range with nothing in it prints the header only, exit 0" {
	spread
	run --separate-stderr appt-list 2027-03
	assert_success
	assert_output "$LIST_HEADER"
	run --separate-stderr appt-list -w bob today
	assert_success
	assert_output "$LIST_HEADER"
	assert_equal "$stderr" ""
}

@test "appt-list: -o json is one object per line" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-EOF
	$APPT_HEADER
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked,45.00,,"Say ""hi""",2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,colour,ann,3,confirmed,95.00,,,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	EOF
	run --separate-stderr appt-list -o json tomorrow
	assert_success
	assert_equal "${#lines[@]}" 2
	run /usr/bin/python3 -c '
import json, sys
cols = sys.argv[1].split(",")
rows = [json.loads(l) for l in sys.stdin.read().splitlines()]
for r in rows:
    assert list(r) == cols, list(r)
print(rows[0]["id"], rows[0]["customer_name"], rows[0]["notes"])
print(rows[1]["id"], rows[1]["service_name"], repr(rows[1]["email"]))
' "$LIST_HEADER" <<< "$output"
	assert_success
	assert_output - <<-'EOF'
	1 Zoë Müller Say "hi"
	2 Colour ''
	EOF
	run --separate-stderr appt-list -o json 2027-03
	assert_success
	assert_output ""
}

@test "appt-list: -o tsv" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-EOF
	$APPT_HEADER
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked,45.00,,"Short, please",2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,
	EOF
	run --separate-stderr appt-list -o tsv tomorrow
	assert_success
	assert_equal "${lines[0]}" "$(tr , '\t' <<< "$LIST_HEADER")"
	assert_equal "${lines[1]}" "$(printf '%s\t' 1 2026-11-24T09:00+01:00 \
	    2026-11-24T09:45+01:00 booked cut Haircut ann 1 'Zoë Müller' \
	    zoe@example.net '+49 171 2345678' '')Short, please"
	assert_equal "${#lines[@]}" 2
}

@test "appt-list: -o table aligns the columns, counting characters" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,colour,ann,2,confirmed
	3,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,cut,bob,3,booked
	EOF
	run --separate-stderr appt-list -o table tomorrow
	assert_success
	assert_equal "${#lines[@]}" 4
	[[ ${lines[0]} == id* ]]
	[[ ${lines[0]} != *,* ]]
	# Where each header starts, every row's field starts (LC_ALL=C.UTF-8:
	# ${#x} counts characters).
	local h=${lines[0]} col pre pos i
	for col in status service_name customer_name email phone; do
		pre=${h%%"$col"*}
		pos=${#pre}
		[ "$pos" -gt 0 ]
		[ "${h:pos-1:1}" = " " ]
	done
	pre=${h%%email*}; pos=${#pre}
	assert_equal "${lines[1]:pos:15}" "zoe@example.net"
	assert_equal "${lines[2]:pos:17}" "jonas@example.org"
	assert_equal "${lines[3]:pos-1:2}" "  "	# Lukas has no email
	pre=${h%%phone*}; pos=${#pre}
	assert_equal "${lines[1]:pos:15}" "+49 171 2345678"
	assert_equal "${lines[2]:pos:12}" "0170 1112233"
	assert_equal "${lines[3]:pos:15}" "+49 152 3334455"
	pre=${h%%status*}; pos=${#pre}
	assert_equal "${lines[1]:pos:7}" "booked "
	assert_equal "${lines[2]:pos:10}" "confirmed "
	pre=${h%%customer_name*}; pos=${#pre}
	assert_equal "${lines[1]:pos:11}" "Zoë Müller "
	assert_equal "${lines[3]:pos:13}" "Lukas Schmidt"
}

@test "appt-list: a user's own column in a month file does not disturb it" {
	fixture -s "ann bob" -q
	put appointments/2026-11.csv <<-'EOF'
	id,room,start,end,service,staff,customer,status,price,series,notes,created,updated,started,finished,paid_by
	2,Room 2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,bob,2,booked,45.00,,,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,,card
	1,"Room 1, upstairs",2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,confirmed,45.00,,window seat,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,,cash
	EOF
	run --separate-stderr appt-list tomorrow
	assert_success
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,confirmed,cut,Haircut,ann,1,Zoë Müller,zoe@example.net,+49 171 2345678,,window seat
	2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,booked,cut,Haircut,bob,2,Jonas Weber,jonas@example.org,0170 1112233,,
	EOF
}

@test "appt-list: a torn line in a month file exits 3 naming file:line" {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked
	2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,ann,2,booked
	EOF
	printf '3,2026-11-25T09:00+01:00,2026-11-25T09' >> \
	    "$D/appointments/2026-11.csv"
	run --separate-stderr appt-list tomorrow
	assert_failure 3
	[[ $stderr == *"appointments/2026-11.csv:4"* ]]
	refute_output --partial "2026-11-24T09:00"
	# A quote left open is the same.
	month 2026-11 <<-'EOF'
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked
	EOF
	printf '2,2026-11-24T11:00+01:00,2026-11-24T11:45+01:00,cut,ann,2,booked,45.00,,"torn\n' \
	    >> "$D/appointments/2026-11.csv"
	run --separate-stderr appt-list all
	assert_failure 3
	[[ $stderr == *"appointments/2026-11.csv:3"* ]]
}

@test "appt-list: an appointment from the month before that ends in the range is listed" {
	fixture -s "ann bob" -q
	month 2026-10 <<-'EOF'
	5,2026-10-31T23:30+01:00,2026-11-01T00:30+01:00,cut,ann,1,booked
	4,2026-10-31T10:00+01:00,2026-10-31T10:45+01:00,cut,ann,2,booked
	EOF
	month 2026-11 <<-'EOF'
	6,2026-11-01T10:00+01:00,2026-11-01T10:45+01:00,cut,ann,3,booked
	EOF
	run --separate-stderr appt-list 2026-11-01
	assert_success
	assert_equal "$(ids)" "5 6"
	run --separate-stderr appt-list 2026-11
	assert_success
	assert_equal "$(ids)" "5 6"
	run --separate-stderr appt-list 2026-10
	assert_success
	assert_equal "$(ids)" "4 5"
}

# --agenda ------------------------------------------------------------------

# The fixture's Monday: Ann works 09:00-12:30 and 13:30-18:00, Bob not.
monday() {
	fixture -s "ann bob" -q
	month 2026-11 <<-'EOF'
	3,2026-11-23T13:30+01:00,2026-11-23T15:00+01:00,colour,ann,2,confirmed
	1,2026-11-23T10:00+01:00,2026-11-23T10:45+01:00,cut,ann,1,booked
	4,2026-11-23T16:00+01:00,2026-11-23T16:45+01:00,cut,ann,3,cancelled
	5,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,bob,3,booked
	EOF
}

@test "appt-list --agenda: a day per staff member, appointments and free gaps" {
	monday
	run --separate-stderr appt-list --agenda
	assert_success
	assert_equal "$stderr" ""
	local ann bob
	ann=$(awk '/Ann Lee/ { p = 1 } p && /^$/ { exit } p' <<< "$output")
	bob=$(awk '/Bob Marsh/ { p = 1 } p && /^$/ { exit } p' <<< "$output")
	# The heading names the day and the staff member.
	[[ $ann == *2026* ]]
	[[ $ann == *23* ]]
	[[ $ann == *Mon* ]]
	run grep -cv '^ *$' <<< "$ann"
	assert_output 6
	run sed -n '2,$p' <<< "$ann"
	assert_line --index 0 --regexp '^ +09:00-10:00 +free *$'
	assert_line --index 1 --regexp \
	    '^ +10:00-10:45 +Haircut +Zoë Müller +\+49 171 2345678 +booked *$'
	assert_line --index 2 --regexp '^ +10:45-12:30 +free *$'
	assert_line --index 3 --regexp \
	    '^ +13:30-15:00 +Colour +Jonas Weber +0170 1112233 +confirmed *$'
	assert_line --index 4 --regexp '^ +15:00-18:00 +free *$'
	# No gap in the lunch break, nothing for the cancelled 16:00.
	refute_output --partial "12:30-13:30"
	refute_output --partial "16:00"
	# Bob does not work on Mondays.
	run sed -n '2,$p' <<< "$bob"
	assert_output --regexp '^ +not working *$'
}

@test "appt-list --agenda: -w, another day, and a day with nothing booked" {
	monday
	run --separate-stderr appt-list --agenda -w "bob marsh" tomorrow
	assert_success
	refute_output --partial "Ann Lee"
	assert_line --index 0 --partial "Bob Marsh"
	assert_line --index 0 --partial "24"
	assert_line --index 1 --regexp \
	    '^ +09:00-09:45 +Haircut +Lukas Schmidt +\+49 152 3334455 +booked *$'
	assert_line --index 2 --regexp '^ +09:45-18:00 +free *$'
	refute_output --partial "not working"
	run --separate-stderr appt-list --agenda -w ann 2026-11-25
	assert_success
	assert_line --index 1 --regexp '^ +09:00-18:00 +free *$'
	assert_equal "${#lines[@]}" 2
}

@test "appt-list --agenda: fits in 80 columns with long names, fields kept apart" {
	fixture -s "ann bob" -q
	customers <<-'EOF'
	1,Maximiliane Österreicher-Großkopf von Übersee,maxi@example.org,+49 (0) 171 234 567 890,,,,2026-02-03T15:30+01:00
	EOF
	services <<-'EOF'
	long,Färben und Schneiden mit Kopfmassage,1h,95.00,,,,,,
	EOF
	month 2026-11 <<-'EOF'
	1,2026-11-24T09:00+01:00,2026-11-24T10:00+01:00,long,ann,1,in-progress
	2,2026-11-24T10:00+01:00,2026-11-24T11:00+01:00,long,bob,1,confirmed
	EOF
	run --separate-stderr appt-list --agenda week
	assert_success
	[ "${#lines[@]}" -gt 10 ]
	local l
	for l in "${lines[@]}"; do
		if [ "${#l}" -gt 80 ]; then
			echo "longer than 80 characters (${#l}): $l" >&2
			return 1
		fi
	done
	# Truncated or not, the service, customer, phone and status are
	# separate words on the line.
	assert_line --regexp \
	    '^ +09:00-10:00 +Färben[^ ]* .* +Maximiliane .* +\+49 [^ ]* .* in-progress *$'
	assert_line --regexp \
	    '^ +10:00-11:00 +Färben[^ ]* .* +Maximiliane .* +\+49 [^ ]* .* confirmed *$'
}

# --- flagged customers ----------------------------------------------------

@test "appt-list: the flag column names the matched fields of a flagged customer" {
	fixture -e
	run --separate-stderr appt-list
	assert_success
	assert_line -n 0 "$LIST_HEADER"
	assert_equal "${#lines[@]}" 4
	assert_line -n 1 "16,2026-11-23T10:15+01:00,2026-11-23T11:00+01:00,confirmed,cut,Haircut,sam,8,K. Lang,k.lang@example.net,0171 9998877,phone+address,"
	# The others' flag column is empty.
	run bash -c "appt-list | tail -n +2 | grep -v '^16,' | cut -d, -f12 | sort -u"
	assert_output ""
	# After clear, only what still matches; after rm, nothing.
	appt-flag clear 1 phone > /dev/null
	run --separate-stderr appt-list -c 8
	assert_line -n 1 --regexp ',0171 9998877,address,$'
	appt-flag rm 1
	run --separate-stderr appt-list -c 8
	assert_line -n 1 --regexp ',0171 9998877,,$'
}

@test "appt-list: a flag by name only shows as name, in JSON too" {
	fixture -e
	appt-flag add --name "Weber, Jonas" --reason x > /dev/null
	run --separate-stderr appt-list -c 2
	assert_success
	assert_line -n 1 "17,2026-11-23T11:30+01:00,2026-11-23T11:45+01:00,confirmed,consult,Consultation,sam,2,Jonas Weber,jonas@example.org,0170 1112233,name,"
	run --separate-stderr appt-list -o json
	assert_success
	assert_line -n 0 --partial '"id":"16",'
	assert_line -n 0 --partial '"flag":"phone+address"'
	assert_line -n 1 --partial '"flag":"name"'
	assert_line -n 2 --partial '"flag":""'
}

@test "appt-list --agenda: a flagged customer has ! in the first column" {
	fixture -e
	run --separate-stderr appt-list --agenda -w sam
	assert_success
	assert_line --regexp '^! 10:15-11:00  Haircut +K\. Lang +0171 9998877 +confirmed$'
	assert_line --regexp '^  11:30-11:45  Consultation +Jonas Weber '
	assert_line --regexp '^  13:30-14:15  Haircut +Paul Fischer '
	run bash -c "appt-list --agenda | grep -c '^!'"
	assert_output 1
	appt-flag rm 1
	run bash -c "appt-list --agenda | grep -c '^!'"
	assert_output 0
}

@test "appt-list --agenda: working intervals that touch are one free gap" {
	monday
	sed -i 's/^tue = .*/tue = 09:00-12:00, 12:00-14:00,14:00-18:00/' \
	    "$D/config.ini"
	run --separate-stderr appt-list --agenda -w ann 2026-11-24
	assert_success
	assert_line --index 1 --regexp '^ +09:00-18:00 +free *$'
	assert_equal "${#lines[@]}" 2
	run appt-book -s cut -c 1 -w ann --no-notify --at "2026-11-24 11:30"
	assert_success
	run --separate-stderr appt-list --agenda -w ann 2026-11-24
	assert_success
	assert_line --index 1 --regexp '^ +09:00-11:30 +free *$'
	assert_line --index 2 --regexp '^ +11:30-12:15 +Haircut '
	assert_line --index 3 --regexp '^ +12:15-18:00 +free *$'
	assert_equal "${#lines[@]}" 4
}

@test "appt-list: a boarding is listed on every day it lasts, into the month after next" {
	fixture -s "ann bob" -q
	echo 'board,Boarding,7d,300.00,,,,,,' >> "$D/services.csv"
	month 2026-11 <<-'EOF'
	1,2026-11-27T10:00+01:00,2026-12-04T10:00+01:00,board,ann,1,booked
	2,2026-11-27T11:00+01:00,2026-11-27T11:45+01:00,cut,bob,2,booked
	3,2026-11-28T10:00+01:00,2027-01-09T10:00+01:00,board,bob,3,booked
	EOF
	month 2026-12 <<-'EOF'
	4,2026-12-04T10:00+01:00,2026-12-11T10:00+01:00,board,ann,2,booked
	5,2026-12-03T09:00+01:00,2026-12-03T09:45+01:00,cut,bob,1,cancelled
	EOF
	run --separate-stderr appt-list 2026-12-01..2026-12-04
	assert_success
	assert_equal "$(ids)" "1 3 5 4"
	run --separate-stderr appt-list 2026-12-03
	assert_success
	assert_equal "$(ids)" "1 3 5"
	run --separate-stderr appt-list 2026-12-10
	assert_success
	assert_equal "$(ids)" "3 4"
	run --separate-stderr appt-list 2027-01-08
	assert_success
	assert_equal "$(ids)" "3"
	run --separate-stderr appt-list 2026-12-15..2027-03-31
	assert_success
	assert_equal "$(ids)" "3"
	run --separate-stderr appt-list --agenda -w ann 2026-12-03
	assert_success
	assert_line --regexp '^  10:00-10:00  Boarding +Zoë Müller .* booked$'
	run appt-check
	assert_success
}

@test "appt-list: -o json is valid JSON for names with quotes, backslashes and any Unicode" {
	fixture -s "ann bob" -q
	local n1 n2 n3
	n1='Anne "Nan" O'"'"'Neil'
	n2='Back\slash \\ \n \u0041 Name'
	n3=$'Zo\u00eb \u674e\u5c0f\u9f99 \U0001F600 e\u0301 \u200b\u2028end'
	appt-book -s cut -w ann --at "2026-11-24 09:00" --name "$n1" \
	    --email n1@example.org > /dev/null
	appt-book -s cut -w ann --at "2026-11-24 10:00" --name "$n2" \
	    --email n2@example.org --note 'a "quoted" \ note' > /dev/null
	appt-book -s cut -w ann --at "2026-11-24 11:00" --name "$n3" \
	    --email n3@example.org > /dev/null
	run --separate-stderr appt-list -o json tomorrow
	assert_success
	assert_equal "${#lines[@]}" 3
	/usr/bin/python3 -c 'import json,sys; [json.loads(l) for l in sys.stdin]' \
	    <<< "$output"
	run /usr/bin/python3 -c '
import json, sys
for l in sys.stdin:
    r = json.loads(l)
    print(r["customer_name"] + "|" + r["notes"])
' <<< "$output"
	assert_success
	assert_equal "${lines[0]}" "$n1|"
	assert_equal "${lines[1]}" "$n2|a \"quoted\" \\ note"
	assert_equal "${lines[2]}" "$n3|"
}

@test "appt-list: a name that is not UTF-8 never reaches the JSON" {
	fixture -s "ann bob" -q
	run --separate-stderr appt-book -s cut -w ann --at "2026-11-24 09:00" \
	    --name $'M\xfcller' --email m@example.org
	assert_failure 2
	assert_equal "$stderr" "appt-book: --name: not valid UTF-8"
	# Nor one written into customers.csv by hand: exit 3, no JSON at all.
	printf '4,M\xfcller,m@example.org,,,,,2026-04-08T09:15+02:00\n' \
	    >> "$D/customers.csv"
	month 2026-11 <<-'EOF'
	20,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,4,booked
	EOF
	run --separate-stderr appt-list -o json tomorrow
	assert_failure 3
	assert_equal "$stderr" "appt-list: customers.csv:5: not valid UTF-8"
	assert_output ""
}

# --- tables for a terminal's width -----------------------------------------

# Customers whose names are wider or narrower than their characters: CJK
# takes two columns a character, a combining accent none.
wide_names() {
	fixture -s "ann bob" -q
	customers <<-EOF
	1,山田太郎,yamada@example.jp,+81 90 1234 5678,,,,2026-01-12T10:00+01:00
	2,$(printf 'Zoe\xcc\x88 Mu\xcc\x88ller'),zoe@example.net,+49 171 2345678,,,,2026-02-03T15:30+01:00
	3,Lukas Schmidt,,+49 152 3334455,,,,2026-04-08T09:15+02:00
	EOF
	services <<-'EOF'
	cut,Haircut,45m,45.00,,,,,,
	colour,カラーリング,1h30m,95.00,,,,ann,,
	EOF
	month 2026-11 <<-'EOF'
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,ann,1,booked
	2,2026-11-24T11:00+01:00,2026-11-24T12:30+01:00,colour,ann,2,confirmed
	3,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,cut,bob,3,in-progress
	EOF
}

@test "appt-list: -o table lines up CJK and combining names by display width, no trailing spaces" {
	wide_names
	# The widths are the same whatever the locale.
	LC_ALL=C run --separate-stderr appt-list -o table tomorrow
	assert_success
	local c=$output
	run --separate-stderr appt-list -o table tomorrow
	assert_success
	assert_equal "$output" "$c"
	run table_cells 0
	assert_success
	assert_output - <<-EOF
	id|start|end|status|service|service_name|staff|customer|customer_name|email|phone|flag|notes
	1|2026-11-24T09:00+01:00|2026-11-24T09:45+01:00|booked|cut|Haircut|ann|1|山田太郎|yamada@example.jp|+81 90 1234 5678||
	2|2026-11-24T11:00+01:00|2026-11-24T12:30+01:00|confirmed|colour|カラーリング|ann|2|$(printf 'Zoe\xcc\x88 Mu\xcc\x88ller')|zoe@example.net|+49 171 2345678||
	3|2026-11-24T14:00+01:00|2026-11-24T14:45+01:00|in-progress|cut|Haircut|bob|3|Lukas Schmidt||+49 152 3334455||
	EOF
}

@test "appt-list: -o table fits COLUMNS=40, 60 and 80, dropping the least useful columns first" {
	wide_names
	COLUMNS=80 run --separate-stderr appt-list -o table tomorrow
	assert_success
	run table_cells 80
	assert_success
	assert_output - <<-EOF
	id|start|status|service_name|customer_name
	1|2026-11-24T09:00+01:00|booked|Haircut|山田太郎
	2|2026-11-24T11:00+01:00|confirmed|カラーリング|$(printf 'Zoe\xcc\x88 Mu\xcc\x88ller')
	3|2026-11-24T14:00+01:00|in-progress|Haircut|Lukas Schmidt
	EOF
	# Narrower: the id goes, then the start loses its offset.
	COLUMNS=60 run --separate-stderr appt-list -o table tomorrow
	assert_success
	run table_cells 60
	assert_success
	assert_line -n 0 "start|status|service_name|customer_name"
	assert_line -n 1 "2026-11-24T09:00+…|booked|Haircut|山田太郎"
	assert_line -n 3 "2026-11-24T14:00+…|in-progress|Haircut|Lukas Schmidt"
	# Narrower still: when and who.
	COLUMNS=40 run --separate-stderr appt-list -o table tomorrow
	assert_success
	run table_cells 40
	assert_success
	assert_line -n 0 "start|customer_name"
	assert_line -n 1 "2026-11-24T09:00+01:00|山田太郎"
	assert_line -n 3 "2026-11-24T14:00+01:00|Lukas Schmidt"
	# Too narrow for anything whole: cut, never wrapped.
	COLUMNS=12 run --separate-stderr appt-list -o table tomorrow
	assert_success
	run table_cells 12
	assert_success
	assert_line -n 1 "2026-11-24T…"
}

@test "appt-list: on a narrow terminal a flagged customer's flag column stays" {
	wide_names
	appt-flag add --phone "+49 152 3334455" --reason "no-shows" > /dev/null
	COLUMNS=60 run --separate-stderr appt-list -o table tomorrow
	assert_success
	run table_cells 60
	assert_success
	assert_line -n 0 --regexp '^start\|.*\|customer_name\|flag$'
	assert_line -n 3 --regexp '^2026-11-24T14:00.*\|Lukas Schmidt\|phone$'
	# Without -o CSV off a terminal: COLUMNS changes nothing.
	COLUMNS=40 run --separate-stderr appt-list tomorrow
	assert_line -n 0 "$LIST_HEADER"
}

@test "appt-list: a table on a terminal fits the terminal's width without COLUMNS" {
	wide_names
	run python3 - appt-list tomorrow <<-'PY'
	import fcntl, os, struct, subprocess, sys, termios
	master, slave = os.openpty()
	fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 50, 0, 0))
	env = dict(os.environ)
	env.pop("COLUMNS", None)
	p = subprocess.Popen(sys.argv[1:], stdout=slave, env=env)
	os.close(slave)
	out = b""
	while True:
	    try:
	        d = os.read(master, 4096)
	    except OSError:
	        break
	    if not d:
	        break
	    out += d
	rc = p.wait()
	sys.stdout.write(out.decode().replace("\r\n", "\n"))
	sys.exit(rc)
	PY
	assert_success
	run table_cells 50
	assert_success
	assert_line -n 0 "start|status|customer_name"
}

@test "appt-list --agenda: fits COLUMNS=40 and 60, the phone going first, then the status" {
	wide_names
	COLUMNS=80 run --separate-stderr appt-list --agenda tomorrow
	assert_success
	run fits 80
	assert_success
	COLUMNS=80 run --separate-stderr appt-list --agenda tomorrow
	assert_line '  09:00-09:45  Haircut        山田太郎             +81 90 1234 5678 booked'
	COLUMNS=60 run --separate-stderr appt-list --agenda tomorrow
	assert_success
	run fits 60
	assert_success
	COLUMNS=60 run --separate-stderr appt-list --agenda tomorrow
	assert_line '  09:00-09:45  Haircut    山田太郎     booked'
	assert_line '  14:00-14:45  Haircut    Lukas Schmi… in-progress'
	assert_line '  12:30-18:00  free'
	refute_output --partial "+81"
	COLUMNS=40 run --separate-stderr appt-list --agenda tomorrow
	assert_success
	run fits 40
	assert_success
	COLUMNS=40 run --separate-stderr appt-list --agenda tomorrow
	assert_line '  09:00-09:45  Haircut    山田太郎'
	assert_line "  11:00-12:30  カラーリ…  $(printf 'Zoe\xcc\x88 Mu\xcc\x88ller')"
	refute_output --partial "booked"
	COLUMNS=20 run --separate-stderr appt-list --agenda tomorrow
	assert_success
	run fits 20
	assert_success
}
