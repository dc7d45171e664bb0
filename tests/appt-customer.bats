#!/usr/bin/env bats
# appt-customer: add, find, show, edit, list.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# The row of customer ID in customers.csv.
row() {
	grep "^$1," "$D/customers.csv"
}

# Add the user column vip by hand: to the header and to every row.
addvip() {
	sed -i '1s/$/,vip/; 2,$s/$/,yes/' "$D/customers.csv"
}

# --- add ---------------------------------------------------------------

@test "add prints the new row as CSV when piped, with the next id and now as created" {
	fixture -e
	run --separate-stderr appt-customer add --name "Anna Bell" \
	    --email anna@example.com --phone "030 5551234" \
	    --address "Hauptstr. 3" --postcode 10115 --note "first visit"
	assert_success
	assert_equal "${#lines[@]}" 2
	assert_line -n 0 "$CUSTOMER_HEADER"
	assert_line -n 1 "9,Anna Bell,anna@example.com,030 5551234,Hauptstr. 3,10115,first visit,2026-11-23T08:00+01:00"
	run row 9
	assert_output "9,Anna Bell,anna@example.com,030 5551234,Hauptstr. 3,10115,first visit,2026-11-23T08:00+01:00"
	assert_equal "$(ncust)" 9
	run appt-check
	assert_success
}

@test "add records created with the offset in force at APPT_NOW (summer time)" {
	fixture -e
	APPT_NOW=2026-07-01T12:30 run --separate-stderr appt-customer add \
	    --name "Summer Guest" --phone "+49 30 7654321"
	assert_success
	assert_line -n 1 "9,Summer Guest,,+49 30 7654321,,,,2026-07-01T12:30+02:00"
}

@test "add quotes a field with a comma and reads it back" {
	fixture -e
	run --separate-stderr appt-customer add --name "Bell, Anna" \
	    --email anna@example.com
	assert_success
	assert_line -n 1 '9,"Bell, Anna",anna@example.com,,,,,2026-11-23T08:00+01:00'
	run --separate-stderr appt-customer -o json find anna@example.com
	assert_success
	assert_output --partial '"name":"Bell, Anna"'
}

@test "add into an empty directory starts at id 1" {
	appt-init "$D" > /dev/null
	run --separate-stderr appt-customer add --name "First One" \
	    --email one@example.com
	assert_success
	assert_line -n 1 --regexp '^1,First One,one@example.com,'
	run grep '^customers,' "$D/ids.csv"
	assert_output "customers,1"
}

@test "ids are never reused: a removed customer's id is not given again" {
	fixture -e
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	run grep '^customers,' "$D/ids.csv"
	assert_output "customers,9"
	# The user deletes customer 9 by hand.
	sed -i '/^9,/d' "$D/customers.csv"
	run --separate-stderr appt-customer add --name "Ben Cole" \
	    --email ben@example.com
	assert_success
	assert_line -n 1 --regexp '^10,Ben Cole,'
	run grep -c '^9,' "$D/customers.csv"
	assert_output 0
	run grep '^customers,' "$D/ids.csv"
	assert_output "customers,10"
}

@test "ids continue after the last one ids.csv recorded, even above the file's" {
	fixture -e
	sed -i 's/^customers,8$/customers,41/' "$D/ids.csv"
	run --separate-stderr appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_success
	assert_line -n 1 --regexp '^42,Anna Bell,'
	run grep '^customers,' "$D/ids.csv"
	assert_output "customers,42"
}

@test "add without --name exits 2, says so and changes nothing" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --email anna@example.com
	assert_failure 2
	assert_output --partial "--name"
	assert_equal "$(snapshot)" "$before"
}

@test "add with a name but neither --email nor --phone exits 2" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Anna Bell" --address "Hauptstr. 3"
	assert_failure 2
	assert_output --partial "--email or --phone"
	run appt-customer add --name "Anna Bell" --email "" --phone ""
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "add with only a phone, or only an email, is enough" {
	fixture -e
	run appt-customer add --name "Phone Only" --phone "030 5551234"
	assert_success
	run appt-customer add --name "Mail Only" --email mail@example.com
	assert_success
	assert_equal "$(ncust)" 10
}

@test "add refuses an email another customer has in other case (exit 1), naming them" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Someone" --email ZOE.Mueller@EXAMPLE.net
	assert_failure 1
	assert_output --partial "customer 1 (Zoë Müller)"
	assert_output --partial "email"
	assert_equal "$(snapshot)" "$before"
}

@test "add refuses an email that differs only by a +tag" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Someone" \
	    --email zoe.mueller+hair@example.net
	assert_failure 1
	assert_output --partial "customer 1 (Zoë Müller)"
	assert_equal "$(snapshot)" "$before"
}

@test "add refuses a Gmail address that differs only by dots, case or googlemail" {
	fixture -e
	run appt-customer add --name "Jane Doe" --email jane.doe@gmail.com
	assert_success
	before=$(snapshot)
	for e in janedoe@gmail.com J.A.N.E.Doe@Gmail.com \
	    jane.doe+salon@googlemail.com; do
		run appt-customer add --name "Someone" --email "$e"
		assert_failure 1
		assert_output --partial "customer 9 (Jane Doe)"
	done
	assert_equal "$(snapshot)" "$before"
}

@test "dots count outside Gmail: another address at the same domain is a new customer" {
	fixture -e
	run appt-customer add --name "Zoe Two" --email zoemueller@example.net
	assert_success
	assert_equal "$(ncust)" 9
}

@test "add refuses the same phone written in another format (country DE)" {
	fixture -e
	# Customer 1 has +49 171 2345678.
	before=$(snapshot)
	for p in "0171 2345678" "0171/2345678" "+49 171 2345678" \
	    "0049 171-234 56 78" "+49 (171) 2345678"; do
		run appt-customer add --name "Someone" --phone "$p"
		assert_failure 1
		assert_output --partial "customer 1 (Zoë Müller)"
		assert_output --partial "phone"
	done
	# Customer 2 has 0170 1112233, written nationally.
	run appt-customer add --name "Someone" --phone "+49 170 1112233"
	assert_failure 1
	assert_output --partial "customer 2 (Jonas Weber)"
	assert_equal "$(snapshot)" "$before"
}

@test "add refuses a new email with a taken phone" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Someone" --email new@example.com \
	    --phone "0171 9998877"
	assert_failure 1
	assert_output --partial "customer 8 (K. Lang)"
	assert_equal "$(snapshot)" "$before"
}

@test "a bad email exits 2 and names --email" {
	fixture -e
	before=$(snapshot)
	for e in "-X/tmp/x@example.com" nope "a@" "@example.com" \
	    "a b@example.com"; do
		run appt-customer add --name "Someone" --email "$e"
		assert_failure 2
		assert_output --partial "--email"
	done
	assert_equal "$(snapshot)" "$before"
}

@test "a phone that is not a number exits 2 and names --phone" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Someone" --phone "call me"
	assert_failure 2
	assert_output --partial "--phone"
	assert_equal "$(snapshot)" "$before"
}

@test "a CR or LF in any field of add exits 2, names the option and changes nothing" {
	fixture -e
	before=$(snapshot)
	for opt in --name --address --postcode --note; do
		for bad in $'line\nbreak' $'line\rbreak'; do
			run appt-customer add --name "Ok Name" \
			    --email ok@example.com "$opt" "$bad"
			assert_failure 2
			assert_output --partial -- "$opt"
		done
	done
	run appt-customer add --name "Ok Name" --email $'ok@example.com\nBcc: x@evil.example'
	assert_failure 2
	assert_output --partial -- "--email"
	run appt-customer add --name "Ok Name" --phone $'030 5551234\r'
	assert_failure 2
	assert_output --partial -- "--phone"
	assert_equal "$(snapshot)" "$before"
}

# --- find --------------------------------------------------------------

@test "find matches any field, case-insensitively" {
	fixture -e
	run --separate-stderr appt-customer find LINDENSTR
	assert_success
	assert_line -n 0 "$CUSTOMER_HEADER"
	assert_line -n 1 --regexp '^1,Zoë Müller,'
	assert_equal "${#lines[@]}" 2
	run --separate-stderr appt-customer find "mild PRODUCTS"
	assert_success
	assert_line -n 1 --regexp '^3,Amira Haddad,'
	assert_equal "${#lines[@]}" 2
	run --separate-stderr appt-customer find weber
	assert_success
	assert_line -n 1 --regexp '^2,Jonas Weber,'
	assert_equal "${#lines[@]}" 2
}

@test "find is case-insensitive beyond ASCII (MÜLLER finds Müller)" {
	fixture -e
	run --separate-stderr appt-customer find "MÜLLER"
	assert_success
	assert_line -n 1 --regexp '^1,Zoë Müller,'
	assert_equal "${#lines[@]}" 2
	run --separate-stderr appt-customer find "ZOË"
	assert_success
	assert_line -n 1 --regexp '^1,Zoë Müller,'
	assert_equal "${#lines[@]}" 2
	# The data is UTF-8 whatever the locale (cron has none).
	LC_ALL=C run --separate-stderr appt-customer find "oranienSTRASSE"
	assert_success
	assert_equal "${#lines[@]}" 1
	LC_ALL=C run --separate-stderr appt-customer find "ORANIENSTRAßE"
	assert_success
	assert_line -n 1 --regexp '^3,Amira Haddad,'
	assert_equal "${#lines[@]}" 2
}

@test "find matches a phone written in another format" {
	fixture -e
	for p in "0171/2345678" "0171 234 56 78" "0049 171 2345678" \
	    "01712345678"; do
		run --separate-stderr appt-customer find "$p"
		assert_success
		assert_line -n 1 --regexp '^1,Zoë Müller,'
		assert_equal "${#lines[@]}" 2
	done
	# Stored nationally, searched internationally.
	run --separate-stderr appt-customer find "+49 151 7778899"
	assert_success
	assert_line -n 1 --regexp '^7,Paul Fischer,'
	assert_equal "${#lines[@]}" 2
}

@test "find matches an email in its normalised form" {
	fixture -e
	run --separate-stderr appt-customer find "Zoe.Mueller+booking@Example.NET"
	assert_success
	assert_line -n 1 --regexp '^1,Zoë Müller,'
	assert_equal "${#lines[@]}" 2
}

@test "find matches a fragment of the digits of a phone" {
	fixture -e
	run --separate-stderr appt-customer find 998877
	assert_success
	assert_line -n 1 --regexp '^8,K. Lang,'
	assert_equal "${#lines[@]}" 2
	# Across the separators the number was written with.
	run --separate-stderr appt-customer find 3334455
	assert_success
	assert_line -n 1 --regexp '^4,Lukas Schmidt,'
	assert_equal "${#lines[@]}" 2
}

@test "find that matches several prints them all" {
	fixture -e
	run --separate-stderr appt-customer find example.com
	assert_success
	assert_line -n 0 "$CUSTOMER_HEADER"
	assert_line --regexp '^3,Amira Haddad,'
	assert_line --regexp '^5,Mei Chen,'
	refute_line --regexp '^1,'
}

@test "find with no match prints only the header and exits 0" {
	fixture -e
	run --separate-stderr appt-customer find "nobody-like-this"
	assert_success
	assert_output "$CUSTOMER_HEADER"
	run --separate-stderr appt-customer -o json find "nobody-like-this"
	assert_success
	assert_output ""
}

@test "find refuses a control character in TEXT (exit 2)" {
	fixture -e
	run appt-customer find $'a\nb'
	assert_failure 2
}

# --- show --------------------------------------------------------------

# Customer 8 of the fixture in full has one appointment, upcoming: its fields.
appt8() {
	awk -F, '$6 == 8 { print $1, $2, $3, $7, $4, $5 }' "$D"/appointments/*.csv
}

@test "show prints the record and the appointment history" {
	fixture -e
	read -r id start end st service staff <<< "$(appt8)"
	[ -n "$id" ]
	run --separate-stderr appt-customer show 8
	assert_success
	assert_output --partial "K. Lang"
	assert_output --partial "k.lang@example.net"
	assert_output --partial "0171 9998877"
	assert_output --partial "Wrangelstraße 80"
	assert_output --partial "appointments: 1, 1 upcoming"
	assert_line --regexp "^$id +${start/+/\\+} +${end/+/\\+} +$st +$service +$staff "
}

@test "show reads the history from every month file, in time order" {
	fixture -e
	read -r id start end st service staff <<< "$(appt8)"
	last=$(sed -n 's/^appointments,//p' "$D/ids.csv")
	a=$((last + 1)) b=$((last + 2))
	appts 2026-10 <<-EOF
	$a,2026-10-05T10:00+02:00,2026-10-05T10:45+02:00,cut,sam,8,done,45.00,,,2026-10-01T08:00+02:00,2026-10-01T08:00+02:00,,
	$b,2026-10-06T10:00+02:00,2026-10-06T10:45+02:00,cut,sam,7,done,45.00,,,2026-10-01T08:00+02:00,2026-10-01T08:00+02:00,,
	EOF
	run appt-check
	assert_success
	run --separate-stderr appt-customer show 8
	assert_success
	assert_output --partial "appointments: 2, 1 upcoming"
	refute_line --regexp "^$b "
	# October's comes before November's.
	run --separate-stderr sh -c "appt-customer show 8 | grep -E '^($a|$id) ' | cut -d' ' -f1"
	assert_output "$a
$id"
}

@test "show of a customer with several appointments counts past and upcoming" {
	fixture -e
	total=$(awk -F, '$6 == 3' "$D"/appointments/*.csv | wc -l)
	run --separate-stderr appt-customer show 3
	assert_success
	assert_output --partial "Amira Haddad"
	assert_output --partial "Sensitive scalp: mild products"
	assert_output --regexp "appointments: $total, [0-9]+ upcoming"
}

@test "show of a customer without appointments says none" {
	fixture -e
	run appt-customer add --name "Anna Bell" --email anna@example.com
	run --separate-stderr appt-customer show 9
	assert_success
	assert_output --partial "Anna Bell"
	assert_output --partial "appointments: 0, 0 upcoming"
}

@test "show of an unknown id exits 1, of a non-number 2" {
	fixture -e
	run appt-customer show 99
	assert_failure 1
	assert_output --partial "99"
	run appt-customer show abc
	assert_failure 2
	assert_output --partial "abc"
	run appt-customer show 0
	assert_failure 2
	run appt-customer show -- -3
	assert_failure 2
}

# --- edit --------------------------------------------------------------

@test "edit changes name, email, phone and note and keeps everything else" {
	fixture -e
	run --separate-stderr appt-customer edit 7 --name "Paul F. Fischer" \
	    --email paul@example.de --phone "+49 151 1110000" \
	    --note "moved"
	assert_success
	assert_line -n 0 "$CUSTOMER_HEADER"
	assert_line -n 1 "7,Paul F. Fischer,paul@example.de,+49 151 1110000,Bergmannstr. 40,10961,moved,2026-07-09T12:00+02:00"
	run row 7
	assert_output "7,Paul F. Fischer,paul@example.de,+49 151 1110000,Bergmannstr. 40,10961,moved,2026-07-09T12:00+02:00"
	# The other rows are untouched and in their order.
	run sh -c "grep -v '^7,' '$D/customers.csv' | cut -d, -f1 | tr '\n' ' '"
	assert_output "id 1 2 3 4 5 6 8 "
	run grep -c '' "$D/customers.csv"
	assert_output 9
	run appt-check
	assert_success
}

@test "edit of one field leaves the others as they were" {
	fixture -e
	old=$(row 1)
	run appt-customer edit 1 --note "Prefers Alice"
	assert_success
	assert_equal "$(row 1)" "${old/Prefers Sam/Prefers Alice}"
}

@test "edit may keep a customer's own email and phone in another spelling" {
	fixture -e
	run appt-customer edit 1 --email ZOE.MUELLER@example.net \
	    --phone "0171 2345678"
	assert_success
	run row 1
	assert_output --partial ",ZOE.MUELLER@example.net,0171 2345678,"
}

@test "edit refuses an email another customer has (exit 1) and changes nothing" {
	fixture -e
	before=$(snapshot)
	run appt-customer edit 3 --email Jonas@Example.ORG
	assert_failure 1
	assert_output --partial "customer 2 (Jonas Weber)"
	run appt-customer edit 3 --phone "+49 170 1112233"
	assert_failure 1
	assert_output --partial "customer 2 (Jonas Weber)"
	assert_equal "$(snapshot)" "$before"
}

@test "edit of an unknown id exits 1, of a non-number 2" {
	fixture -e
	before=$(snapshot)
	run appt-customer edit 99 --note x
	assert_failure 1
	run appt-customer edit abc --note x
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "edit refuses a bad email, a CR or LF, and an id or created change (exit 2)" {
	fixture -e
	before=$(snapshot)
	run appt-customer edit 1 --email nope
	assert_failure 2
	assert_output --partial "--email"
	run appt-customer edit 1 --note $'a\nb'
	assert_failure 2
	assert_output --partial "--note"
	run appt-customer edit 1 --name $'a\rb'
	assert_failure 2
	run appt-customer edit 1 --set $'vip=a\nb'
	assert_failure 2
	run appt-customer edit 1 --set id=5
	assert_failure 2
	run appt-customer edit 1 --set created=2020-01-01T00:00+01:00
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "edit cannot leave a customer with neither email nor phone" {
	fixture -e
	before=$(snapshot)
	# Customer 3 has an email and no phone.
	run appt-customer edit 3 --email ""
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

# --- user columns ------------------------------------------------------

@test "a user column survives add in place, its values kept" {
	fixture -e
	addvip
	run --separate-stderr appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_success
	assert_line -n 0 "$CUSTOMER_HEADER,vip"
	assert_line -n 1 "9,Anna Bell,anna@example.com,,,,,2026-11-23T08:00+01:00,"
	run head -1 "$D/customers.csv"
	assert_output "$CUSTOMER_HEADER,vip"
	for i in 1 2 3 4 5 6 7 8; do
		run row $i
		assert_output --regexp ',yes$'
	done
	run row 9
	assert_output "9,Anna Bell,anna@example.com,,,,,2026-11-23T08:00+01:00,"
	run appt-check
	assert_success
}

@test "a user column survives edit in place, its values kept" {
	fixture -e
	addvip
	before1=$(row 1)
	run appt-customer edit 2 --name "Jonas W." --phone "0170 9990000"
	assert_success
	run head -1 "$D/customers.csv"
	assert_output "$CUSTOMER_HEADER,vip"
	run row 2
	assert_output "2,Jonas W.,jonas@example.org,0170 9990000,,,,2026-02-03T15:30+01:00,yes"
	assert_equal "$(row 1)" "$before1"
}

@test "a user column in the middle of the header stays in its place" {
	fixture -e
	# vip between name and email, as a spreadsheet user might put it.
	awk -F, -v OFS=, 'NR == 1 { $2 = $2 ",vip" } NR > 1 { $2 = $2 ",yes" } 1' \
	    "$D/customers.csv" > "$BATS_TEST_TMPDIR/c" &&
	    cat "$BATS_TEST_TMPDIR/c" > "$D/customers.csv"
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	run appt-customer edit 1 --note "Prefers Alice"
	assert_success
	run head -1 "$D/customers.csv"
	assert_output "id,name,vip,email,phone,address,postcode,notes,created"
	run row 1
	assert_output "1,Zoë Müller,yes,zoe.mueller@example.net,+49 171 2345678,Lindenstr. 5,10969,Prefers Alice,2026-01-12T10:00+01:00"
	run row 9
	assert_output "9,Anna Bell,,anna@example.com,,,,,2026-11-23T08:00+01:00"
}

@test "edit --set changes a user column and nothing else" {
	fixture -e
	addvip
	run --separate-stderr appt-customer edit 3 --set vip=no
	assert_success
	assert_line -n 1 --regexp '^3,Amira Haddad,.*,no$'
	run row 3
	assert_output "3,Amira Haddad,amira.haddad@example.com,,Oranienstraße 12,10999,Sensitive scalp: mild products,2026-03-20T11:00+01:00,no"
	run grep -c ',yes$' "$D/customers.csv"
	assert_output 7
}

@test "add --set fills a user column of the new row" {
	fixture -e
	addvip
	run --separate-stderr appt-customer add --name "Anna Bell" \
	    --email anna@example.com --set vip=no
	assert_success
	run row 9
	assert_output "9,Anna Bell,anna@example.com,,,,,2026-11-23T08:00+01:00,no"
	before=$(snapshot)
	run appt-customer add --name "Ben Cole" --email ben@example.com \
	    --set id=77
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "edit --set without COLUMN=VALUE exits 2" {
	fixture -e
	before=$(snapshot)
	run appt-customer edit 3 --set vip
	assert_failure 2
	run appt-customer edit 3 --set =no
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "a user column with quoted commas survives a rewrite byte for byte" {
	fixture -e
	sed -i '1s/$/,remark/; 2s/$/,"likes tea, no sugar"/; 3,$s/$/,/' \
	    "$D/customers.csv"
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	run row 1
	assert_output '1,Zoë Müller,zoe.mueller@example.net,+49 171 2345678,Lindenstr. 5,10969,Prefers Sam,2026-01-12T10:00+01:00,"likes tea, no sugar"'
	run row 9
	assert_output '9,Anna Bell,anna@example.com,,,,,2026-11-23T08:00+01:00,'
}

# --- list and output formats ------------------------------------------

@test "list prints every customer as CSV when piped" {
	fixture -e
	run --separate-stderr appt-customer list
	assert_success
	assert_equal "$output" "$(cat "$D/customers.csv")"
}

@test "list after add shows the new customer last" {
	fixture -e
	run appt-customer add --name "Anna Bell" --email anna@example.com
	run --separate-stderr appt-customer list
	assert_success
	assert_equal "${#lines[@]}" 10
	assert_line -n 9 --regexp '^9,Anna Bell,'
}

@test "-o json prints one object per line" {
	fixture -e
	run --separate-stderr appt-customer -o json list
	assert_success
	assert_equal "${#lines[@]}" 8
	assert_line -n 0 '{"id":"1","name":"Zoë Müller","email":"zoe.mueller@example.net","phone":"+49 171 2345678","address":"Lindenstr. 5","postcode":"10969","notes":"Prefers Sam","created":"2026-01-12T10:00+01:00"}'
	# Every line is one valid JSON object with the columns as keys.
	run /usr/bin/python3 -c '
import json, sys
n = 0
for l in sys.stdin:
    o = json.loads(l)
    assert isinstance(o, dict) and list(o)[:2] == ["id", "name"], o
    n += 1
print(n)' <<< "$output"
	assert_success
	assert_output 8
}

@test "-o json escapes quotes and backslashes" {
	fixture -e
	run appt-customer add --name 'Anna "Nan" Bell' --email anna@example.com \
	    --note 'back\slash'
	assert_success
	run --separate-stderr appt-customer -o json find anna@example.com
	assert_success
	run /usr/bin/python3 -c '
import json, sys
o = json.loads(sys.stdin.readline())
print(o["name"]); print(o["notes"])' <<< "$output"
	assert_success
	assert_output 'Anna "Nan" Bell
back\slash'
}

@test "-o tsv prints tab-separated rows with a header" {
	fixture -e
	run --separate-stderr appt-customer list -o tsv
	assert_success
	assert_line -n 0 "$(printf 'id\tname\temail\tphone\taddress\tpostcode\tnotes\tcreated')"
	assert_line -n 2 "$(printf '2\tJonas Weber\tjonas@example.org\t0170 1112233\t\t\t\t2026-02-03T15:30+01:00')"
	assert_equal "${#lines[@]}" 9
}

@test "-o works before and after the subcommand, and on find and add" {
	fixture -e
	run --separate-stderr appt-customer -o tsv find weber
	assert_success
	assert_line -n 1 "$(printf '2\tJonas Weber\tjonas@example.org\t0170 1112233\t\t\t\t2026-02-03T15:30+01:00')"
	run --separate-stderr appt-customer add -o json --name "Anna Bell" \
	    --email anna@example.com
	assert_success
	assert_output --regexp '^\{"id":"9","name":"Anna Bell",'
}

@test "-o bogus exits 2 and names the format" {
	fixture -e
	run appt-customer -o bogus list
	assert_failure 2
	assert_output --partial "bogus"
	run appt-customer list -o bogus
	assert_failure 2
	before=$(snapshot)
	run appt-customer -o bogus add --name "Anna Bell" --email anna@example.com
	assert_failure 2
	assert_equal "$(snapshot)" "$before"
}

@test "no escape codes when piped, even as a table and without NO_COLOR" {
	fixture -e
	unset NO_COLOR
	run --separate-stderr appt-customer -o table list
	assert_success
	assert_line -n 0 --regexp '^id +name +email'
	refute_output --partial $'\033'
}

@test "NO_COLOR is respected on a terminal" {
	fixture -e
	command -v script > /dev/null || skip "script(1) not installed"
	# Without NO_COLOR a terminal gets colour: the check below can fail.
	unset NO_COLOR
	run script -qec "appt-customer list" /dev/null < /dev/null
	assert_success
	assert_output --partial $'\033['
	assert_output --partial "Zoë Müller"
	NO_COLOR=1 run script -qec "appt-customer list" /dev/null < /dev/null
	assert_success
	assert_output --partial "Zoë Müller"
	refute_output --partial $'\033'
}

@test "a subcommand that takes no field options refuses them (exit 2)" {
	fixture -e
	run appt-customer list --name x
	assert_failure 2
	run appt-customer find x --email a@b.c
	assert_failure 2
}

@test "an unknown subcommand exits 2 with the usage" {
	fixture -e
	run appt-customer frob
	assert_failure 2
	assert_output --partial "appt-customer"
}

# --- flagged customers ----------------------------------------------------

@test "show of a flagged customer prints a FLAGGED line with flag, fields and reason" {
	fixture -e
	run --separate-stderr appt-customer show 8
	assert_success
	assert_line "FLAGGED    flag 1 matches on phone+address: Three no-shows in 2026, never paid the fee"
	run bash -c "appt-customer show 8 | grep -c FLAGGED"
	assert_output 1
	# What matches after clear.
	appt-flag clear 1 address > /dev/null
	run --separate-stderr appt-customer show 8
	assert_line "FLAGGED    flag 1 matches on phone: Three no-shows in 2026, never paid the fee"
}

@test "show of an unflagged customer prints no FLAGGED line" {
	fixture -e
	for id in 1 2 5 7; do
		run --separate-stderr appt-customer show $id
		assert_success
		assert_line -n 0 "id         $id"
		refute_output --partial "FLAGGED"
	done
	appt-flag rm 1
	run --separate-stderr appt-customer show 8
	assert_success
	refute_output --partial "FLAGGED"
}

@test "appt-customer add: a directory without config.ini is not written into" {
	mkdir "$D"
	echo mine > "$D/notes.txt"
	run --separate-stderr appt-customer -d "$D" add --name "Anna Bell" \
	    --email anna@example.com
	assert_failure 3
	assert_equal "$stderr" \
	    "appt-customer: $D: not an appt data directory (no config.ini; appt-init makes one)"
	run ls -A "$D"
	assert_output notes.txt
}

@test "appt-customer add: a stale ids.csv hands out no customer id again" {
	fixture -e
	sed -i 's/^customers,.*/customers,3/' "$D/ids.csv"
	run --separate-stderr appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_success
	assert_line -n 1 --regexp '^9,Anna Bell,'
	assert_equal "$stderr" "appt-customer: ids.csv:2: customers: last id 3 is below id 8 in customers.csv; going on from 8"
	run grep '^customers,' "$D/ids.csv"
	assert_output customers,9
	run appt-check
	assert_success
}

# --- text that is not UTF-8, blank names (issue 8) -----------------------------

@test "add and edit refuse a value that is not UTF-8, or a blank name, naming the option" {
	fixture -e
	before=$(snapshot)
	run --separate-stderr appt-customer add --name $'M\xfcller' \
	    --email mu@example.org
	assert_failure 2
	assert_equal "$stderr" "appt-customer: --name: not valid UTF-8"
	run --separate-stderr appt-customer add --name Ann \
	    --email mu@example.org --note $'caf\xe9'
	assert_failure 2
	assert_equal "$stderr" "appt-customer: --note: not valid UTF-8"
	run --separate-stderr appt-customer add --name "   " \
	    --email mu@example.org
	assert_failure 2
	assert_equal "$stderr" "appt-customer: --name: blank"
	run --separate-stderr appt-customer edit 1 --name "  "
	assert_failure 2
	assert_equal "$stderr" "appt-customer: --name: blank"
	run --separate-stderr appt-customer edit 1 --set $'x=caf\xe9'
	assert_failure 2
	assert_equal "$stderr" "appt-customer: --set: not valid UTF-8"
	run --separate-stderr appt-customer find $'M\xfc'
	assert_failure 2
	assert_equal "$stderr" "appt-customer: TEXT: not valid UTF-8"
	assert_equal "$(snapshot)" "$before"
}

@test "a table fits COLUMNS: created, notes, postcode and address go first, then email" {
	fixture -e
	COLUMNS=80 run --separate-stderr appt-customer -o table list
	assert_success
	run table_cells 80
	assert_success
	assert_line -n 0 "id|name|email|phone|address"
	assert_line -n 1 "1|Zoë Müller|zoe.mueller@example.net|+49 171 2345678|Lindenstr. 5"
	COLUMNS=40 run --separate-stderr appt-customer -o table list
	assert_success
	run table_cells 40
	assert_success
	assert_line -n 0 "id|name|phone"
	assert_line -n 1 "1|Zoë Müller|+49 171 2345678"
	# show's table of appointments: end, staff and price go first.
	COLUMNS=40 run --separate-stderr appt-customer show 8
	assert_success
	output=$(sed -n '/^appointments:/,$p' <<< "$output" | tail -n +2)
	run table_cells 40
	assert_success
	assert_output - <<-'EOF'
	id|start|status
	16|2026-11-23T10:15+01:00|confirmed
	EOF
}

@test "show -o json is one JSON object: the record, its flags, appointments and invoices" {
	fixture -e
	read -r id start end st service staff <<< "$(appt8)"
	run --separate-stderr appt-customer -o json show 8
	assert_success
	assert_equal "${#lines[@]}" 1
	run python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(sorted(d))
print(d["customer"])
print(d["flags"])
for a in d["appointments"]:
    print(" ".join(a[k] for k in ("id", "start", "end", "status", "service", "staff")), a["price"])
print(d["invoices"])' "$output"
	assert_success
	assert_output - <<-EOF
	['appointments', 'customer', 'flags', 'invoices']
	{'id': '8', 'name': 'K. Lang', 'email': 'k.lang@example.net', 'phone': '0171 9998877', 'address': 'Wrangelstraße 80', 'postcode': '10997', 'notes': '', 'created': '2026-11-02T18:00+01:00'}
	[{'id': '1', 'match': 'phone+address', 'reason': 'Three no-shows in 2026, never paid the fee'}]
	$id $start $end $st $service $staff 45.00
	[]
	EOF
	# -o after the command too; the text layout is the same for csv.
	run --separate-stderr appt-customer show 8 -o json
	assert_success
	python3 -c 'import json, sys; json.loads(sys.argv[1])' "$output"
	run --separate-stderr appt-customer -o csv show 8
	assert_line -n 0 "id         8"
}

@test "show -o json: no flag, no appointments, own columns and quotes" {
	fixture -e
	appt-customer add --name 'Anna "Nan" Bell\' --email anna@example.com \
	    --set vip=yes > /dev/null
	run --separate-stderr appt-customer -o json show 9
	assert_success
	run python3 -c '
import json, sys
d = json.loads(sys.argv[1])
print(d["customer"]["name"], d["customer"]["vip"], d["flags"], d["appointments"], d["invoices"])' "$output"
	assert_success
	assert_output 'Anna "Nan" Bell\ yes [] [] []'
}

@test "show: no line ends in a space, an empty field's name stands alone" {
	fixture -e
	run --separate-stderr appt-customer show 8
	assert_success
	assert_line -n 6 "notes"
	run grep -c ' $' <<< "$output"
	assert_output 0
}

@test "edit writes the record in its place: the others byte for byte, the index kept; a later customer's email is refused too" {
	fixture -e
	appt-customer show 2 > /dev/null	# makes .customers.idx
	run_refused 1 "customer 7" appt-customer edit 2 --email "$(row 7 | cut -d, -f3)"
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/before"
	run appt-customer edit 2 --note "comes by bike"
	assert_success
	run diff "$BATS_TEST_TMPDIR/before" "$D/customers.csv"
	assert_line --index 0 "3c3"
	assert_equal "${#lines[@]}" 4
	assert_line --index 3 --partial ",comes by bike,"
	assert_custidx_fresh
	run appt-customer show 2
	assert_line "notes      comes by bike"
	check
	assert_success
}
