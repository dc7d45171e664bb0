#!/usr/bin/env bats
# appt-flag: add, list, rm, clear and check problem customers (DESIGN
# "appt-flag"). The fixture in full has flag 1 (Kevin Lang) and
# customer 8 (K. Lang), who matches it by phone and address.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

FLAG1='1,Kevin Lang,kevin.lang@example.com,+49 171 9998877,Wrangelstr. 80,10997,"Three no-shows in 2026, never paid the fee",2026-09-30T18:00+02:00,'
CUST8='8,K. Lang,k.lang@example.net,0171 9998877,Wrangelstraße 80,10997,,2026-11-02T18:00+01:00'

# A second flag: John Smith, id 2.
smith() {
	appt-flag add --name "John Smith" --email j.smith@gmail.com \
	    --phone "0160 1234567" --address "Hauptstraße 7" \
	    --postcode 10115 --reason "Rude to staff" > /dev/null
}

# --- add ---------------------------------------------------------------

@test "add with every option prints the row and appends it to flags.csv" {
	fixture -e
	run --separate-stderr appt-flag add --name "John Smith" \
	    --email j.smith@example.com --phone "0160 1234567" \
	    --address "Hauptstraße 7" --postcode 10115 \
	    --reason "Rude to staff, twice"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 2
	assert_line -n 0 "$FLAG_HEADER"
	assert_line -n 1 '2,John Smith,j.smith@example.com,0160 1234567,Hauptstraße 7,10115,"Rude to staff, twice",2026-11-23T08:00+01:00,'
	run cat "$D/flags.csv"
	assert_output "$FLAG_HEADER
$FLAG1
2,John Smith,j.smith@example.com,0160 1234567,Hauptstraße 7,10115,\"Rude to staff, twice\",2026-11-23T08:00+01:00,"
	run grep '^flags,' "$D/ids.csv"
	assert_output "flags,2"
	run appt-check
	assert_success
}

@test "add with each option alone puts it in its column" {
	fixture -e
	run --separate-stderr appt-flag add --name "Only Name" --reason r
	assert_success
	assert_line -n 1 "2,Only Name,,,,,r,2026-11-23T08:00+01:00,"
	run --separate-stderr appt-flag add --email only@example.com --reason r
	assert_success
	assert_line -n 1 "3,,only@example.com,,,,r,2026-11-23T08:00+01:00,"
	run --separate-stderr appt-flag add --phone "030 5550000" --reason r
	assert_success
	assert_line -n 1 "4,,,030 5550000,,,r,2026-11-23T08:00+01:00,"
	run --separate-stderr appt-flag add --address "Ringstr. 9" \
	    --postcode 10117 --reason r
	assert_success
	assert_line -n 1 "5,,,,Ringstr. 9,10117,r,2026-11-23T08:00+01:00,"
	run bash -c "tail -n +2 '$D/flags.csv' | cut -d, -f1"
	assert_output "1
2
3
4
5"
}

@test "add into an empty directory starts at id 1" {
	appt-init "$D" > /dev/null
	run --separate-stderr appt-flag add --name "First Flag" --reason r
	assert_success
	assert_line -n 1 "1,First Flag,,,,,r,2026-11-23T08:00+01:00,"
	run grep '^flags,' "$D/ids.csv"
	assert_output "flags,1"
}

@test "a removed flag's id is never given again" {
	fixture -e
	run --separate-stderr appt-flag add --name "John Smith" --reason r
	assert_success
	assert_line -n 1 --regexp '^2,John Smith,'
	run appt-flag rm 2
	assert_success
	run --separate-stderr appt-flag add --name "Jane Roe" --reason r
	assert_success
	assert_line -n 1 --regexp '^3,Jane Roe,'
	# Even when every flag is gone.
	run appt-flag rm 1
	assert_success
	run appt-flag rm 3
	assert_success
	run --separate-stderr appt-flag add --name "Max Power" --reason r
	assert_success
	assert_line -n 1 --regexp '^4,Max Power,'
	run grep '^flags,' "$D/ids.csv"
	assert_output "flags,4"
	run grep -c '^[123],' "$D/flags.csv"
	assert_output 0
}

@test "add -c CUSTOMER copies the customer's details" {
	fixture -e
	run --separate-stderr appt-flag add -c 5 --reason "Unpaid bill"
	assert_success
	assert_line -n 1 "2,Mei Chen,mei.chen@example.com,+49 176 4445566,,,Unpaid bill,2026-11-23T08:00+01:00,"
	run --separate-stderr appt-flag add -c 3 --reason "Abusive"
	assert_success
	assert_line -n 1 "3,Amira Haddad,amira.haddad@example.com,,Oranienstraße 12,10999,Abusive,2026-11-23T08:00+01:00,"
	run grep -c '^[23],' "$D/flags.csv"
	assert_output 2
	# By email, as appt-customer finds customers.
	run --separate-stderr appt-flag add -c jonas@example.org --reason x
	assert_success
	assert_line -n 1 "4,Jonas Weber,jonas@example.org,0170 1112233,,,x,2026-11-23T08:00+01:00,"
}

@test "add -c of no such customer exits 1 and changes nothing" {
	fixture -e
	run_refused 1 "99: no such customer" appt-flag add -c 99 --reason x
}

@test "add without --reason exits 2, says so and changes nothing" {
	fixture -e
	run_refused 2 "--reason" appt-flag add --name "John Smith"
	run_refused 2 "" appt-flag add --name "John Smith" --reason ""
	run_refused 2 "" appt-flag add -c 8
}

@test "an empty flag (only --reason) exits 2 and changes nothing" {
	fixture -e
	run_refused 2 "name, email, phone or address" \
	    appt-flag add --reason "No idea who"
	run_refused 2 "" appt-flag add --name "" --email "" --phone "" \
	    --address "" --reason "No idea who"
	# A postcode alone matches nothing either.
	run_refused 2 "" appt-flag add --postcode 10997 --reason x
}

@test "a CR or LF in --reason or a field exits 2 and changes nothing" {
	fixture -e
	run_refused 2 "--reason" appt-flag add --name "John Smith" \
	    --reason $'no-show\nINJECTED,1'
	run_refused 2 "" appt-flag add --name "John Smith" \
	    --reason $'no-show\r'
	run_refused 2 "" appt-flag add --name $'John\nSmith' --reason x
	run_refused 2 "" appt-flag add --address $'Ringstr. 9\r\n' \
	    --reason x
}

@test "a bad email exits 2 and changes nothing" {
	fixture -e
	for e in "not an email" "kevin@" "@example.com" "-x@example.com"; do
		run_refused 2 "email" appt-flag add --email "$e" --reason x
	done
}

@test "a bad phone exits 2 and changes nothing" {
	fixture -e
	run_refused 2 "" appt-flag add --phone "call me" --reason x
}

# --- list, rm, clear ---------------------------------------------------

@test "list prints every flag, as CSV or JSON" {
	fixture -e
	smith
	run --separate-stderr appt-flag list
	assert_success
	assert_output "$FLAG_HEADER
$FLAG1
2,John Smith,j.smith@gmail.com,0160 1234567,Hauptstraße 7,10115,Rude to staff,2026-11-23T08:00+01:00,"
	run --separate-stderr appt-flag -o json list
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line -n 1 '{"id":"2","name":"John Smith","email":"j.smith@gmail.com","phone":"0160 1234567","address":"Hauptstraße 7","postcode":"10115","reason":"Rude to staff","created":"2026-11-23T08:00+01:00","cleared":""}'
}

@test "list with no flags prints the header only" {
	appt-init "$D" > /dev/null
	run --separate-stderr appt-flag list
	assert_success
	assert_output "$FLAG_HEADER"
}

@test "rm ID removes that flag and no other" {
	fixture -e
	smith
	run --separate-stderr appt-flag rm 1
	assert_success
	assert_output ""
	run cat "$D/flags.csv"
	assert_output "$FLAG_HEADER
2,John Smith,j.smith@gmail.com,0160 1234567,Hauptstraße 7,10115,Rude to staff,2026-11-23T08:00+01:00,"
	# Customer 8 is no longer flagged.
	run --separate-stderr appt-flag check
	assert_success
	refute_output --partial "K. Lang"
}

@test "rm of an unknown id exits 1, of a non-number 2; nothing changes" {
	fixture -e
	run_refused 1 "2: no flag" appt-flag rm 2
	for id in abc 1x "" 0 " 1" 1.0; do
		run_refused 2 "" appt-flag rm "$id"
	done
	run_refused 2 "" appt-flag rm
	run_refused 2 "" appt-flag rm 1 2
}

@test "clear ID phone: the phone no longer matches, the address still does" {
	fixture -e
	run --separate-stderr appt-flag clear 1 phone
	assert_success
	assert_line -n 0 "$FLAG_HEADER"
	assert_line -n 1 '1,Kevin Lang,kevin.lang@example.com,+49 171 9998877,Wrangelstr. 80,10997,"Three no-shows in 2026, never paid the fee",2026-09-30T18:00+02:00,phone'
	run --separate-stderr appt-flag check - <<-'EOF'
	name,phone,address
	Phone Only,0171 9998877,
	Address Only,,Wrangelstraße 80
	Kev,+49 171 9998877,Wrangelstr. 80
	EOF
	assert_success
	assert_output "name,phone,address,flag_id,flag
Address Only,,Wrangelstraße 80,1,address
Kev,+49 171 9998877,Wrangelstr. 80,1,address"
	run --separate-stderr appt-flag check
	assert_success
	assert_line -n 1 --regexp '^8,K\. Lang,.*,16,1,address,'
	# Clearing it again changes nothing; another field is added.
	run --separate-stderr appt-flag clear 1 phone
	assert_success
	run grep -c ',phone$' "$D/flags.csv"
	assert_output 1
	run --separate-stderr appt-flag clear 1 address
	assert_success
	assert_line -n 1 --regexp ',phone address$'
	run --separate-stderr appt-flag check
	assert_success
	assert_output "customer,name,email,phone,address,postcode,upcoming,flag_id,flag,reason"
	# The name and email still match.
	run --separate-stderr appt-flag check - <<-'EOF'
	name,email,phone
	"Lang, Kevin",,0171 9998877
	,KEVIN.LANG@example.com,
	EOF
	assert_success
	assert_output 'name,email,phone,flag_id,flag
"Lang, Kevin",,0171 9998877,1,name
,KEVIN.LANG@example.com,,1,email'
	run appt-check
	assert_success
}

@test "clear with an unknown field exits 2, an unknown id 1; nothing changes" {
	fixture -e
	for f in postcode reason Phone telephone ""; do
		run_refused 2 "" appt-flag clear 1 "$f"
	done
	run_refused 2 "postcode: not name, email, phone or address" \
	    appt-flag clear 1 postcode
	run_refused 1 "" appt-flag clear 7 phone
	run_refused 2 "" appt-flag clear x phone
	run_refused 2 "" appt-flag clear 1
}

@test "rm, clear, list and check take no field options (exit 2)" {
	fixture -e
	run_refused 2 "" appt-flag rm 1 --reason x
	run_refused 2 "" appt-flag clear 1 phone --name x
	run_refused 2 "" appt-flag list --phone 1
	run_refused 2 "" appt-flag check -c 8
	run_refused 2 "" appt-flag check x
	run_refused 2 "" appt-flag frobnicate
}

# --- check -------------------------------------------------------------

@test "check - with customers.csv prints the matching rows with flag_id,flag" {
	fixture -e
	run --separate-stderr appt-flag check - < "$D/customers.csv"
	assert_success
	assert_equal "$stderr" ""
	assert_output "$CUSTOMER_HEADER,flag_id,flag
$CUST8,1,phone+address"
}

@test "check - with appt-list output fills its flag column in place" {
	fixture -e
	appt-list > "$BATS_TEST_TMPDIR/list.csv"
	run grep -c . "$BATS_TEST_TMPDIR/list.csv"
	assert_output 4
	run --separate-stderr appt-flag check - < "$BATS_TEST_TMPDIR/list.csv"
	assert_success
	# appt-list has no address: the phone alone matches.
	assert_output "$LIST_HEADER,flag_id
16,2026-11-23T10:15+01:00,2026-11-23T11:00+01:00,confirmed,cut,Haircut,sam,8,K. Lang,k.lang@example.net,0171 9998877,phone,,1"
	# By customer_name when the name is all that matches.
	smith
	run --separate-stderr appt-flag check - <<-'EOF'
	id,customer_name,email,phone,flag,notes
	90,"Smith, John",x@example.com,,stale,note
	91,Jon Smyth,,,,
	EOF
	assert_success
	assert_output 'id,customer_name,email,phone,flag,notes,flag_id
90,"Smith, John",x@example.com,,name,note,2'
}

@test "check - with booking requests: each field alone matches" {
	fixture -e
	smith
	run --separate-stderr appt-flag check - <<-EOF
	$REQUEST_HEADER
	cut,2026-11-25T09:00,"SMITH,  John",,,,
	cut,2026-11-25T09:00,Guest,J.Smith+spam@googlemail.com,,,
	cut,2026-11-25T09:00,Guest,,+49 160 1234567,,
	cut,2026-11-25T09:00,Guest,,0160/1234567,,
	cut,2026-11-25T09:00,Guest,,,Hauptstr. 7,
	cut,2026-11-25T09:00,Guest,,,hauptstrasse 7,10115
	cut,2026-11-25T09:00,Guest,,,Hauptstr. 7,10117
	cut,2026-11-25T09:00,Guest,,,,10115
	cut,2026-11-25T09:00,Guest,jsmith@example.com,0160 1234568,Hauptstr. 8,
	cut,2026-11-25T09:00,Zoe Mueller,,,,
	cut,2026-11-25T09:00,Smith John,j.smith@gmail.com,,Hauptstr. 7,
	EOF
	assert_success
	assert_output "$REQUEST_HEADER,flag_id,flag
cut,2026-11-25T09:00,\"SMITH,  John\",,,,,2,name
cut,2026-11-25T09:00,Guest,J.Smith+spam@googlemail.com,,,,2,email
cut,2026-11-25T09:00,Guest,,+49 160 1234567,,,2,phone
cut,2026-11-25T09:00,Guest,,0160/1234567,,,2,phone
cut,2026-11-25T09:00,Guest,,,Hauptstr. 7,,2,address
cut,2026-11-25T09:00,Guest,,,hauptstrasse 7,10115,2,address
cut,2026-11-25T09:00,Smith John,j.smith@gmail.com,,Hauptstr. 7,,2,name+email+address"
}

@test "check -: Jon Smyth does not match John Smith, nor empty fields anything" {
	fixture -e
	smith
	run --separate-stderr appt-flag check - <<-EOF
	$REQUEST_HEADER
	cut,2026-11-25T09:00,Jon Smyth,,,,
	cut,2026-11-25T09:00,John Smyth,,,,
	cut,2026-11-25T09:00,Jon Smith,,,,
	cut,2026-11-25T09:00,,,,,
	cut,2026-11-25T09:00, ,-,n/a,--,10997
	EOF
	assert_success
	assert_output "$REQUEST_HEADER,flag_id,flag"
}

@test "check - picks the flag that matches on most fields" {
	fixture -e
	appt-flag add --name "Kevin Lang" --email kl@example.org --reason x \
	    > /dev/null
	run --separate-stderr appt-flag check - <<-'EOF'
	name,email
	Kevin Lang,kl@example.org
	Kevin Lang,
	EOF
	assert_success
	assert_output "name,email,flag_id,flag
Kevin Lang,kl@example.org,2,name+email
Kevin Lang,,1,name"
}

@test "check - with bad CSV exits 2" {
	fixture -e
	run --separate-stderr appt-flag check - <<-'EOF'
	name,email
	"Kevin Lang,kl@example.org
	EOF
	assert_failure 2
}

@test "check lists flagged customers with their upcoming appointments" {
	fixture -e
	run --separate-stderr appt-flag check
	assert_success
	assert_equal "$stderr" ""
	assert_output 'customer,name,email,phone,address,postcode,upcoming,flag_id,flag,reason
8,K. Lang,k.lang@example.net,0171 9998877,Wrangelstraße 80,10997,16,1,phone+address,"Three no-shows in 2026, never paid the fee"'
	# Past and cancelled appointments are not upcoming; a new one is.
	run appt-book -s cut -c 8 --at "2026-11-27 09:00" -w sam --no-notify
	assert_success
	run appt-status 16 cancelled
	assert_success
	run --separate-stderr appt-flag check
	assert_success
	assert_line -n 1 --regexp '^8,K\. Lang,.*,10997,70,1,phone\+address,'
	APPT_NOW=2026-11-28T08:00 run --separate-stderr appt-flag check
	assert_success
	assert_line -n 1 --regexp '^8,K\. Lang,.*,10997,,1,phone\+address,'
}

@test "check -o json" {
	fixture -e
	run --separate-stderr appt-flag -o json check
	assert_success
	assert_output '{"customer":"8","name":"K. Lang","email":"k.lang@example.net","phone":"0171 9998877","address":"Wrangelstraße 80","postcode":"10997","upcoming":"16","flag_id":"1","flag":"phone+address","reason":"Three no-shows in 2026, never paid the fee"}'
	run --separate-stderr appt-flag check -o json - < "$D/customers.csv"
	assert_success
	assert_output '{"id":"8","name":"K. Lang","email":"k.lang@example.net","phone":"0171 9998877","address":"Wrangelstraße 80","postcode":"10997","notes":"","created":"2026-11-02T18:00+01:00","flag_id":"1","flag":"phone+address"}'
}

@test "check with no flags prints the header only" {
	fixture -e
	run appt-flag rm 1
	assert_success
	run --separate-stderr appt-flag check
	assert_success
	assert_output "customer,name,email,phone,address,postcode,upcoming,flag_id,flag,reason"
	run --separate-stderr appt-flag check - < "$D/customers.csv"
	assert_success
	assert_output "$CUSTOMER_HEADER,flag_id,flag"
}

@test "appt-check names a cleared field that is not one" {
	fixture -e
	sed -i '2s/,$/,Phone/' "$D/flags.csv"
	run appt-check
	assert_failure 3
	assert_output --partial "flags.csv:2: cleared: 'Phone' is not name, email, phone or address"
}

@test "check: a flagged phone written +49 (0), 0049 or 00 49 still matches" {
	fixture -e
	run --separate-stderr appt-flag check - <<-EOF
	$REQUEST_HEADER
	cut,2026-11-25T09:00,Guest,,+49 (0) 171 9998877,,
	cut,2026-11-25T09:00,Guest,,+49(0)171/9998877,,
	cut,2026-11-25T09:00,Guest,,0049 (0) 171 9998877,,
	cut,2026-11-25T09:00,Guest,,00 49 171 9998877,,
	cut,2026-11-25T09:00,Guest,,+49 (0) 171 9998878,,
	EOF
	assert_success
	assert_output "$REQUEST_HEADER,flag_id,flag
cut,2026-11-25T09:00,Guest,,+49 (0) 171 9998877,,,1,phone
cut,2026-11-25T09:00,Guest,,+49(0)171/9998877,,,1,phone
cut,2026-11-25T09:00,Guest,,0049 (0) 171 9998877,,,1,phone
cut,2026-11-25T09:00,Guest,,00 49 171 9998877,,,1,phone"
	# The customer's own number written that way is theirs already.
	run appt-customer add --name "Kay Lang" --phone "+49 (0) 171 9998877"
	assert_failure 1
	assert_output --partial "customer 8 (K. Lang) has this phone already"
	# A flag written that way matches the customer who did not.
	run appt-flag add --name "Uwe Ruh" --phone "+49 (0)160 5550000" \
	    --reason "no-shows"
	assert_success
	run appt-customer add --name "U. Ruh" --phone "0160 5550000"
	assert_success
	run --separate-stderr appt-flag check
	assert_success
	assert_line --regexp '^[0-9]+,U\. Ruh,,0160 5550000,,,,2,phone,no-shows$'
}

@test "check -: a row that is not UTF-8 is reported and skipped, exit 2; the others are checked" {
	fixture -e
	run --separate-stderr appt-flag check - < <(printf '%s\n' \
	    'name,email,phone' \
	    $'M\xfcller,kevin.lang@example.com,' \
	    'Kev,kevin.lang@example.com,')
	assert_failure 2
	assert_equal "$stderr" "appt-flag: stdin:2: name: not valid UTF-8"
	assert_output 'name,email,phone,flag_id,flag
Kev,kevin.lang@example.com,,1,email'
	# A header that is not UTF-8 refuses the whole input.
	run --separate-stderr appt-flag check - < <(printf '%s\n' \
	    $'n\xe4me,email' 'Kev,kevin.lang@example.com')
	assert_failure 2
	assert_equal "$stderr" "appt-flag: stdin:1: not valid UTF-8"
	assert_output ""
}

@test "add refuses a value that is not UTF-8 or a blank name, naming the option" {
	fixture -e
	run_refused 2 "" appt-flag add --name $'M\xfcller' --reason x
	assert_equal "$stderr" "appt-flag: --name: not valid UTF-8"
	run_refused 2 "" appt-flag add --name Ann --reason $'caf\xe9'
	assert_equal "$stderr" "appt-flag: --reason: not valid UTF-8"
	run_refused 2 "" appt-flag add --name "  " --phone "0171 1112222" \
	    --reason x
	assert_equal "$stderr" "appt-flag: --name: blank"
}

@test "a table fits COLUMNS: the flag's reason and who stay, cut if need be" {
	fixture -e
	COLUMNS=40 run --separate-stderr appt-flag -o table list
	assert_success
	run table_cells 40
	assert_success
	assert_output - <<-'EOF'
	id|name|reason
	1|Kevin Lang|Three no-shows in 2026,…
	EOF
	COLUMNS=40 run --separate-stderr appt-flag -o table check
	assert_success
	run table_cells 40
	assert_success
	assert_output - <<-'EOF'
	customer|name|flag
	8|K. Lang|phone+address
	EOF
}
