#!/usr/bin/env bats
# appt-web, the booking page (DESIGN "The booking page"): most tests run
# the CGI program as a web server would (RFC 3875 variables, the form on
# stdin); the last ones put it under a real lighttpd with mod_cgi on
# 127.0.0.1 (examples/lighttpd-appt.conf), book through it with curl and
# with a real chromium (tests/appt-web-browser.py), and read the
# confirmation that msmtp delivered to the test's SMTP server; and under
# nginx with fcgiwrap (examples/nginx-appt.conf).
# Now is Monday 2026-11-23T08:00 Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
	WEB_PID= FCGI_PID=
	# After lib/smtp, whose teardown this one replaces.
	teardown() {
		web_stop
		smtp_stop
	}
}

URL=https://salon.example/book

# The fixture with mail and a [web] section; $1: more lines for it.
webfix() {
	fixture -m -c "[web]
url = $URL
$1"
}

# A form body, url-encoded, of NAME=VALUE arguments: a later one of a
# name replaces the earlier.
form() {
	"$PY" -c 'import sys, urllib.parse
f = dict(a.split("=", 1) for a in sys.argv[1:])
print(urllib.parse.urlencode(f), end="")' "$@"
}

# cgi METHOD PATH [QUERY [BODY]]: appt-web as a web server runs it, the
# body on stdin; the response in $output, its status line in $STATUS.
# CTYPE and ADDR change the content type and the client's address.
cgi() {
	local body=${4-}
	printf '%s' "$body" > "$BATS_TEST_TMPDIR/body"
	run --separate-stderr env GATEWAY_INTERFACE=CGI/1.1 \
	    REQUEST_METHOD="$1" PATH_INFO="$2" QUERY_STRING="${3-}" \
	    SCRIPT_NAME=/book SERVER_NAME=salon.example SERVER_PORT=443 \
	    HTTPS=on REMOTE_ADDR="${ADDR:-192.0.2.7}" \
	    CONTENT_TYPE="${CTYPE-application/x-www-form-urlencoded}" \
	    CONTENT_LENGTH="$(wc -c < "$BATS_TEST_TMPDIR/body")" \
	    appt-web < "$BATS_TEST_TMPDIR/body"
	STATUS=$(head -n1 <<< "$output" | tr -d '\r')
}

# The status line must be $1 ("409 Conflict").
assert_status() {
	assert_equal "$STATUS" "Status: $1"
}

# The Location of a 303, and its path below the page (/m/ID/TOKEN).
location() {
	grep -m1 '^Location: ' <<< "$output" | cut -d' ' -f2 | tr -d '\r'
}
managepath() {
	location | sed "s|^$URL||; s|?.*||"
}

# A booking of a haircut by Ann Lee at $1 (default Tuesday 10:00).
book_ann() {
	cgi POST /book "" "$(form service=cut \
	    start="${1:-2026-11-24T10:00+01:00}" name="Ann Lee" \
	    email=ann@example.com phone= note= website= "${@:2}")"
}

# The data directory, less the attempt counter and the key: what a
# refusal must leave byte for byte as it was.
websnap() {
	(cd "$D" && find . -type f ! -name .lock ! -name '.*.idx' \
	    ! -name .web-limit.csv ! -name web.key -print0 |
	    LC_ALL=C sort -z | xargs -0 sha256sum)
}

@test "GET /: the services with duration and price, and the safety headers" {
	webfix
	cgi GET /
	assert_success
	assert_status "200 OK"
	assert_line --partial "<h2>Haircut</h2>"
	assert_line --partial "<span>45 min</span> · <span>45.00 EUR</span>"
	assert_line --partial "<span>1 h 30 min</span> · <span>95.00 EUR</span>"
	assert_line --partial 'href="/book/cut"'
	assert_line --regexp "^Content-Security-Policy: default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; .*form-action 'self'"
	assert_line $'Referrer-Policy: no-referrer\r'
	assert_line $'X-Content-Type-Options: nosniff\r'
	assert_line $'Content-Type: text/html; charset=utf-8\r'
	refute_output --partial "<script"
	# No customer's data on a public page.
	refute_output --partial "Zoë"
	refute_output --partial "example.net"
}

@test "the style's hash in the CSP is the hash of the style on the page" {
	webfix
	cgi GET /
	csp=$(grep -o "sha256-[^']*" <<< "$output")
	want=$("$PY" -c 'import base64, hashlib, sys
page = sys.stdin.read()
style = page.split("<style>", 1)[1].split("</style>", 1)[0]
print(base64.b64encode(hashlib.sha256(style.encode()).digest()).decode())' <<< "$output")
	assert_equal "$csp" "sha256-$want"
}

@test "[web] services: only those are offered; another is 404" {
	webfix "services = colour"
	cgi GET /
	assert_status "200 OK"
	assert_line --partial "<h2>Colour</h2>"
	refute_output --partial "Haircut"
	cgi GET /cut
	assert_status "404 Not Found"
	cgi GET /nosuch
	assert_status "404 Not Found"
	cgi GET /a/b
	assert_status "404 Not Found"
	cgi GET /../config.ini
	assert_status "404 Not Found"
}

@test "GET /SERVICE?from=DATE: the week's free times are appt-slots' times" {
	webfix
	cgi GET /cut from=2026-11-24
	assert_status "200 OK"
	assert_line --partial "Tuesday 24 November – Monday 30 November"
	got=$(grep -o 'start=[^"]*' <<< "$output" | sed 's/start=//; s/%3A/:/g; s/%2B/+/g')
	want=$(appt-slots 2026-11-24..2026-11-30 -s cut | tail -n +2 | cut -d, -f1 | uniq)
	assert_equal "$got" "$want"
	[ -n "$got" ]
	# The weeks around it.
	assert_output --partial 'href="/book/cut?from=2026-11-23"'
	assert_output --partial 'href="/book/cut?from=2026-12-01"'
	# Today's week has no earlier one.
	cgi GET /cut
	assert_line --partial "Monday 23 November – Sunday 29 November"
	refute_output --partial "Earlier"
}

@test "a full week shows the next free day and a link to it" {
	webfix
	printf '%s\n' "$CLOSURE_HEADER" ",2026-11-23,2026-12-09,holiday" > "$D/closures.csv"
	cgi GET /cut from=2026-11-30
	assert_status "200 OK"
	assert_output --partial "There are no free times this week."
	assert_output --partial "<strong>The next free day is Thursday 10 December.</strong>"
	assert_output --partial 'href="/book/cut?from=2026-12-10"'
	refute_output --partial 'class="slot"'
}

@test "a bad date or time in the query is 400" {
	webfix
	cgi GET /cut from=2026-02-30
	assert_status "400 Bad Request"
	cgi GET /cut from=tomorrow
	assert_status "400 Bad Request"
	cgi GET /cut start=noon
	assert_status "400 Bad Request"
	cgi GET /cut "from=1&from=2"
	assert_status "400 Bad Request"
	cgi GET /cut "from=%zz"
	assert_status "400 Bad Request"
}

@test "GET /SERVICE?start=T: the form with its fields, the honeypot and labels" {
	webfix
	cgi GET /cut "start=2026-11-24T10%3A00%2B01%3A00"
	assert_status "200 OK"
	assert_output --partial '<form method="post" action="/book/book">'
	for f in service start name email phone note website; do
		assert_output --partial "name=\"$f\""
	done
	for f in name email phone note; do
		assert_output --partial "<label for=\"$f\">"
	done
	assert_output --partial 'value="2026-11-24T10:00+01:00"'
	assert_output --partial "Tuesday 24 November, 10:00"
}

@test "POST /book: booked under the rules of appt-book, 303 to the customer's page" {
	webfix
	book_ann 2026-11-24T10:00+01:00 note=$'First visit\r\nfrom the web'
	assert_success
	assert_status "303 See Other"
	run location
	assert_output --regexp "^$URL/m/1/[A-Za-z0-9_-]{43}\?done=booked$"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial "1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,booked,cut,Haircut,sam,4,Ann Lee,ann@example.com,,,"
	# The note keeps its line break, stored quoted; the new customer is 4.
	run grep -c 'from the web' "$D"/appointments/2026-11.csv
	assert_output 1
	run grep -F '"First visit' "$D"/appointments/2026-11.csv
	assert_success
	run grep '^4,Ann Lee,ann@example.com,' "$D/customers.csv"
	assert_success
	check
	assert_success
}

@test "the customer's page names the service, the time and the staff member, and nothing of the customer" {
	webfix
	book_ann
	path=$(managepath)
	cgi GET "$path" done=booked
	assert_status "200 OK"
	assert_output --partial "You are booked."
	assert_output --partial "<dd>Haircut</dd>"
	assert_output --partial "<dd>Tuesday 24 November, 10:00</dd>"
	assert_output --partial "<dd>Sam Berger</dd>"
	refute_output --partial "Ann"
	refute_output --partial "ann@example.com"
}

@test "a returning customer is recognised by email; the record is not overwritten" {
	webfix
	book_ann 2026-11-24T10:00+01:00 email=ZOE@example.net name="Zoe Other"
	assert_status "303 See Other"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial ",sam,1,Zoë Müller,zoe@example.net,"
	run grep -c '' "$D/customers.csv"
	assert_output 4
	# Zoë's page shows nothing of Zoë's record to whoever booked.
	cgi GET "$(managepath)"
	refute_output --partial "Zoë"
	refute_output --partial "example.net"
	refute_output --partial "2345678"
}

@test "bad input is 400 with the form again, the problem named, and nothing changed" {
	webfix
	before=$(websnap)
	book_ann 2026-11-24T10:00+01:00 name=
	assert_status "400 Bad Request"
	assert_output --partial "Please give your name."
	assert_output --partial '<form method="post"'
	book_ann 2026-11-24T10:00+01:00 email= phone=
	assert_status "400 Bad Request"
	assert_output --partial "Please give your email or your phone number."
	book_ann 2026-11-24T10:00+01:00 email=ann.example.com
	assert_status "400 Bad Request"
	assert_output --partial "That email address does not look right."
	assert_output --partial 'value="ann.example.com"'
	book_ann 2026-11-24T10:00+01:00 phone=12ab
	assert_status "400 Bad Request"
	assert_output --partial "That phone number does not look right."
	book_ann 2026-11-24T10:00+01:00 name=$'Ann\nLee'
	assert_status "400 Bad Request"
	assert_output --partial "Your name cannot hold line breaks"
	book_ann 2026-11-24T10:00+01:00 service=nosuch
	assert_status "400 Bad Request"
	book_ann nonsense
	assert_status "400 Bad Request"
	assert_equal "$(websnap)" "$before"
}

@test "a name or note that a spreadsheet would run as a formula is refused, 400" {
	webfix
	before=$(websnap)
	for v in '=HYPERLINK("http://x")' '+1+1' '-2+3' '@SUM(A1)'; do
		book_ann 2026-11-24T10:00+01:00 name="$v"
		assert_status "400 Bad Request"
		assert_output --partial "Your name cannot begin with =, +, - or @."
		book_ann 2026-11-24T10:00+01:00 note="$v"
		assert_status "400 Bad Request"
		assert_output --partial "Your note cannot begin with =, +, - or @."
	done
	assert_equal "$(websnap)" "$before"
}

@test "hostile names and notes are escaped on every page they reach" {
	webfix
	book_ann 2026-11-24T10:00+01:00 name='<script>alert(1)</script>' \
	    note='"><img src=x onerror=alert(1)>' email=bad
	assert_status "400 Bad Request"
	refute_output --partial "<script>alert"
	refute_output --partial "<img src=x"
	assert_output --partial "&lt;script&gt;alert(1)&lt;/script&gt;"
	assert_output --partial "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
	# Data of the directory too: a service's name and description.
	printf '%s\n' "$SERVICE_HEADER" \
	    'cut,"<b>Cut</b> & ""dry""",45m,45.00,,,,,,<i>x</i>' > "$D/services.csv"
	cgi GET /
	assert_output --partial "<h2>&lt;b&gt;Cut&lt;/b&gt; &amp; &quot;dry&quot;</h2>"
	assert_output --partial "&lt;i&gt;x&lt;/i&gt;"
	refute_output --partial "<b>Cut"
}

@test "a slot taken meanwhile is 409 with the next free times, nothing changed" {
	webfix
	book_ann 2026-11-24T10:00+01:00
	book_ann 2026-11-24T10:00+01:00 name=Bea email=bea@example.com
	assert_status "303 See Other"	# Alice is free then
	before=$(websnap)
	book_ann 2026-11-24T10:00+01:00 name=Cem email=cem@example.com
	assert_status "409 Conflict"
	assert_output --partial "Sorry, that time was just taken"
	assert_output --partial 'href="/book/cut?start=2026-11-24T10%3A45%2B01%3A00"'
	assert_output --partial 'href="/book/cut?from=2026-11-24"'
	# Outside the hours, off the grid, or too soon: the same.
	book_ann 2026-11-24T22:00+01:00 name=Cem email=cem@example.com
	assert_status "409 Conflict"
	book_ann 2026-11-24T10:07+01:00 name=Cem email=cem@example.com
	assert_status "409 Conflict"
	book_ann 2026-11-23T08:30+01:00 name=Cem email=cem@example.com
	assert_status "409 Conflict"
	assert_equal "$(websnap)" "$before"
}

@test "20 POSTs at once for one slot: exactly one booking" {
	webfix "limit = 0"
	sed -i 's/^sam,.*/&/; /^alice,/d' "$D/staff.csv"
	body=$(form service=cut start=2026-11-24T10:00+01:00 name=Racer \
	    email=racer@example.com)
	printf '%s' "$body" > "$BATS_TEST_TMPDIR/body"
	for i in $(seq 20); do
		env REQUEST_METHOD=POST PATH_INFO=/book REMOTE_ADDR=192.0.2.$i \
		    CONTENT_TYPE=application/x-www-form-urlencoded \
		    CONTENT_LENGTH=${#body} SCRIPT_NAME=/book \
		    appt-web < "$BATS_TEST_TMPDIR/body" > "$BATS_TEST_TMPDIR/r.$i" \
		    2> /dev/null &
	done
	wait
	run sh -c "head -qn1 $BATS_TEST_TMPDIR/r.* | tr -d '\r' | sort | uniq -c | sed 's/^ *//'"
	assert_line "1 Status: 303 See Other"
	assert_line "19 Status: 409 Conflict"
	run appt-list 2026-11-24 -o csv
	assert_equal "${#lines[@]}" 2
	check
	assert_success
}

@test "a flagged customer under on_flag = refuse sees a neutral page, nothing changed" {
	webfix
	sed -i 's/^horizon = 90d/&\non_flag = refuse/' "$D/config.ini"
	printf '%s\n' "$FLAG_HEADER" \
	    '1,Kevin Lang,kevin@example.com,,,,"threatened staff",2026-01-01T10:00+01:00,' > "$D/flags.csv"
	before=$(websnap)
	book_ann 2026-11-24T10:00+01:00 name="K Lang" email=kevin@example.com
	assert_status "200 OK"
	assert_output --partial "We could not book this online"
	assert_output --partial "Please call us on"
	refute_output --partial "flag"
	refute_output --partial "threatened"
	refute_output --partial "Kevin"
	refute_output --partial "email"
	assert_equal "$(websnap)" "$before"
}

@test "a filled honeypot books nothing and says nothing of it" {
	webfix
	before=$(websnap)
	book_ann 2026-11-24T10:00+01:00 website=http://spam.example
	assert_status "200 OK"
	assert_output --partial "Thank you"
	assert_equal "$(websnap)" "$before"
	run appt-list 2026-11-24 -o csv
	assert_equal "${#lines[@]}" 1
}

@test "[web] limit: attempts over it from one address are 429; other addresses go on" {
	webfix "limit = 3/h"
	for i in 1 2 3; do
		book_ann 2026-11-24T10:00+01:00 name=
		assert_status "400 Bad Request"
	done
	before=$(websnap)
	book_ann 2026-11-24T10:00+01:00
	assert_status "429 Too Many Requests"
	assert_line $'Retry-After: 3600\r'
	assert_equal "$(websnap)" "$before"
	ADDR=198.51.100.9 book_ann 2026-11-24T10:00+01:00
	assert_status "303 See Other"
	# The counter holds no address, only a keyed hash of it.
	run grep -c 192.0.2.7 "$D/.web-limit.csv"
	assert_output 0
	# An hour later the address may try again.
	APPT_NOW=2026-11-23T09:01 book_ann 2026-11-24T11:00+01:00
	assert_status "303 See Other"
}

@test "a busy lock is 503; the request changes nothing" {
	webfix
	before=$(websnap)
	exec 9> "$D/.lock"
	flock 9
	APPT_LOCK_WAIT=0 book_ann 2026-11-24T10:00+01:00
	exec 9>&-
	assert_status "503 Service Unavailable"
	assert_line $'Retry-After: 5\r'
	assert_equal "$(websnap)" "$before"
}

@test "the HTTP side: 404, 405, 411, 413, 415, and changes are POST only" {
	webfix
	cgi GET /nosuch/page/at/all/here
	assert_status "404 Not Found"
	cgi GET /book
	assert_status "405 Method Not Allowed"
	assert_line $'Allow: POST\r'
	cgi POST /
	assert_status "405 Method Not Allowed"
	cgi DELETE /
	assert_status "405 Method Not Allowed"
	CTYPE=text/plain book_ann
	assert_status "415 Unsupported Media Type"
	run --separate-stderr env REQUEST_METHOD=POST PATH_INFO=/book \
	    CONTENT_TYPE=application/x-www-form-urlencoded appt-web < /dev/null
	assert_line --index 0 $'Status: 411 Length Required\r'
	# An oversized body is refused before it is read.
	head -c 100000 /dev/zero | tr '\0' a > "$BATS_TEST_TMPDIR/big"
	run --separate-stderr env REQUEST_METHOD=POST PATH_INFO=/book \
	    CONTENT_TYPE=application/x-www-form-urlencoded \
	    CONTENT_LENGTH=100000 appt-web < "$BATS_TEST_TMPDIR/big"
	assert_line --index 0 $'Status: 413 Content Too Large\r'
	# A GET with the fields of a booking books nothing.
	cgi GET /book "$(form service=cut start=2026-11-24T10:00+01:00 name=Ann email=ann@example.com)"
	assert_status "405 Method Not Allowed"
	run appt-list 2026-11-24 -o csv
	assert_equal "${#lines[@]}" 1
	# HEAD: the headers alone.
	cgi HEAD /
	assert_status "200 OK"
	refute_output --partial "<html"
}

@test "a wrong token, another appointment's token or no key: 403, nothing shown" {
	webfix
	book_ann 2026-11-24T10:00+01:00
	path=$(managepath)
	tok=${path##*/}
	book_ann 2026-11-24T11:00+01:00 name=Bea email=bea@example.com
	cgi GET "/m/2/$tok"
	assert_status "403 Forbidden"
	refute_output --partial "Haircut"
	cgi GET "/m/1/${tok%?}A"
	[ "${tok: -1}" = A ] || assert_status "403 Forbidden"
	cgi GET "/m/1/short"
	assert_status "403 Forbidden"
	cgi GET "/m/99/$tok"
	assert_status "403 Forbidden"
	before=$(websnap)
	cgi POST "/m/2/$tok" "" action=cancel
	assert_status "403 Forbidden"
	assert_equal "$(websnap)" "$before"
	# A new key: every link sent so far stops working.
	rm "$D/web.key"
	cgi GET "$path"
	assert_status "403 Forbidden"
}

@test "web.key is made on first use, 0600, and the token is an HMAC of id and created" {
	webfix
	[ ! -e "$D/web.key" ]
	book_ann
	assert_mode 600 "$D/web.key"
	assert_equal "$(stat -c %s "$D/web.key")" 32
	created=$(grep '^1,' "$D/appointments/2026-11.csv" | cut -d, -f11)
	want=$(printf '1\n%s' "$created" | "$PY" -c '
import base64, hashlib, hmac, sys
key = open(sys.argv[1], "rb").read()
mac = hmac.new(key, sys.stdin.buffer.read(), hashlib.sha512).digest()[:32]
print(base64.urlsafe_b64encode(mac).decode().rstrip("="))' "$D/web.key")
	assert_equal "$(managepath)" "/m/1/$want"
}

@test "manage: cancel from the customer's page, POST only, notices queued" {
	webfix
	book_ann
	path=$(managepath)
	cgi GET "$path" ask=cancel
	assert_output --partial "Cancel this appointment?"
	assert_output --partial '<input type="hidden" name="action" value="cancel">'
	# GET with the fields changes nothing.
	cgi GET "$path" action=cancel
	assert_status "200 OK"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial ",booked,"
	cgi POST "$path" "" action=cancel
	assert_status "303 See Other"
	run location
	assert_output "$URL$path?done=cancelled"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial ",cancelled,"
	run find "$D/outbox" -name '*cancelled-1-*'
	assert_output --partial "/cancelled-1-20261124T1000+0100-1-email"
	assert_output --partial "/staff-cancelled-1-20261124T1000+0100-1-email"
	cgi GET "$path" done=cancelled
	assert_output --partial "Your appointment is cancelled."
	refute_output --partial "Move to another time"
	# Cancelled is final: no second change.
	before=$(websnap)
	cgi POST "$path" "" action=cancel
	assert_status "409 Conflict"
	assert_equal "$(websnap)" "$before"
	check
	assert_success
}

@test "manage: move to another free time, under the rules of appt-move" {
	webfix
	book_ann
	path=$(managepath)
	cgi GET "$path" from=2026-11-25
	assert_output --partial '<input type="hidden" name="action" value="move">'
	assert_output --partial '<button class="slot" name="start" value="2026-11-25T09:00+01:00">09:00</button>'
	cgi POST "$path" "" "$(form action=move start=2026-11-25T09:00+01:00)"
	assert_status "303 See Other"
	run location
	assert_output "$URL$path?done=moved"
	run appt-list 2026-11-25 -o csv
	assert_line --index 1 --partial "1,2026-11-25T09:00+01:00,2026-11-25T09:45+01:00,booked,cut,Haircut,sam,"
	run find "$D/outbox" -name '*moved-1-*'
	assert_output --partial "/moved-1-20261125T0900+0100-1-email"
	assert_output --partial "/staff-moved-1-20261125T0900+0100-1-email"
	# The link stays good after the move.
	cgi GET "$path" done=moved
	assert_status "200 OK"
	assert_output --partial "Your appointment has moved."
	assert_output --partial "Wednesday 25 November, 09:00"
	# Onto a taken time: 409 with times to choose, nothing changed.
	book_ann 2026-11-26T10:00+01:00 name=Bea email=bea@example.com
	before=$(websnap)
	cgi POST "$path" "" "$(form action=move start=2026-11-26T10:00+01:00)"
	assert_status "409 Conflict"
	assert_output --partial 'name="start" value="2026-11-26T10:45+01:00"'
	assert_equal "$(websnap)" "$before"
	cgi POST "$path" "" "$(form action=move start=soon)"
	assert_status "400 Bad Request"
	cgi POST "$path" "" "$(form action=explode)"
	assert_status "400 Bad Request"
	assert_equal "$(websnap)" "$before"
	check
	assert_success
}

@test "the confirmation mail arrives through msmtp with the manage link, and the link works" {
	smtp_start
	webfix "$(mail_section)"
	book_ann
	assert_status "303 See Other"
	msmtp_settle
	run mail_show confirm-1-20261124T1000+0100-email
	assert_success
	assert_line "to-addr: ann@example.com"
	assert_line --regexp "^Or online: $URL/m/1/[A-Za-z0-9_-]{43}$"
	link=$(grep -o "$URL/m/1/[A-Za-z0-9_-]*" <<< "$output")
	# The staff member is told, without the customer's link.
	run mail_show staff-booked-1-20261124T1000+0100-email
	assert_success
	assert_line "to-addr: sam@example.com"
	refute_output --partial "/m/1/"
	cgi GET "${link#$URL}"
	assert_status "200 OK"
	assert_output --partial "<dd>Haircut</dd>"
}

@test "appt-book's confirmation has the manage link with [web] url, and no such line without" {
	webfix
	appt-book -s cut --name "Ann Lee" --email ann@example.com --at "2026-11-24 10:00" > /dev/null
	run cat "$D"/outbox/*/confirm-1-*
	assert_output --regexp "Or online: $URL/m/1/[A-Za-z0-9_-]{43}"
	link=$(grep -o "/m/1/[A-Za-z0-9_-]*" <<< "$output")
	cgi GET "$link"
	assert_status "200 OK"
	rm -rf "$D"
	fixture -m
	appt-book -s cut --name "Ann Lee" --email ann@example.com --at "2026-11-24 10:00" > /dev/null
	run cat "$D"/outbox/*/confirm-1-*
	refute_output --partial "Or online"
	assert_output --partial "To change or cancel it, call us"
	[ ! -e "$D/web.key" ]
}

@test "[web] limit must be a number per time in config.ini" {
	webfix "limit = lots"
	run --separate-stderr appt-list
	assert_failure 3
	[[ $stderr == *"config.ini:"*"not a number of attempts per time"* ]]
}

@test "web/strings.txt of the data directory translates the page; its texts are escaped" {
	webfix
	mkdir "$D/web"
	cat > "$D/web/strings.txt" <<-'EOF'
	# Deutsch
	lang = de
	weekdays = Sonntag Montag Dienstag Mittwoch Donnerstag Freitag Samstag
	months = Januar Februar März April Mai Juni Juli August September Oktober November Dezember
	day = {weekday}, {day}. {month}
	services.title = Termin <buchen>
	form.book = {day} um {time} buchen
	bad.name = Bitte geben Sie Ihren Namen an.
	EOF
	cgi GET /
	assert_output --partial '<html lang="de">'
	assert_output --partial "<h1>Termin &lt;buchen&gt;</h1>"
	# What it leaves out keeps the shipped text.
	assert_output --partial "Choose a service, then a time that suits you."
	cgi GET /cut "start=2026-11-24T10%3A00%2B01%3A00"
	assert_output --partial "Dienstag, 24. November, 10:00"
	assert_output --partial ">Dienstag, 24. November um 10:00 buchen</button>"
	book_ann 2026-11-24T10:00+01:00 name=
	assert_status "400 Bad Request"
	assert_output --partial "Bitte geben Sie Ihren Namen an."
	# appt-check takes the page's files in its stride.
	book_ann
	check
	assert_success
}

# lighttpd with mod_cgi on a free port of 127.0.0.1, from the example's
# configuration: the page at http://127.0.0.1:$WEB_PORT/book.
web_start() {
	local i
	mkdir -p "$BATS_TEST_TMPDIR/www"
	WEB_PORT=$(free_port)
	cat > "$BATS_TEST_TMPDIR/lighttpd.conf" <<-EOF
	var.appt_web = "$APPT_BIN/appt-web"
	var.appt_dir = "$D"
	server.document-root = "$BATS_TEST_TMPDIR/www"
	server.bind = "127.0.0.1"
	server.port = $WEB_PORT
	server.errorlog = "$BATS_TEST_TMPDIR/lighttpd.log"
	setenv.add-environment = ( "APPT_NOW" => "$APPT_NOW", "TZ" => "$TZ",
	    "APPT_SHARE" => "$APPT_SHARE", "PATH" => "$PATH",
	    "ASAN_OPTIONS" => "$ASAN_OPTIONS" )
	include "$TOP/examples/lighttpd-appt.conf"
	EOF
	lighttpd -D -f "$BATS_TEST_TMPDIR/lighttpd.conf" \
	    > "$BATS_TEST_TMPDIR/lighttpd.out" 2>&1 < /dev/null 3>&- &
	WEB_PID=$!
	for i in $(seq 100); do
		port_open "$WEB_PORT" && return 0
		sleep 0.1
	done
	cat "$BATS_TEST_TMPDIR/lighttpd.out" >&2
	return 1
}

web_stop() {
	local p
	for p in "$WEB_PID" "$FCGI_PID"; do
		if [ -n "$p" ]; then
			kill "$p" 2>/dev/null || true
			wait "$p" 2>/dev/null || true
		fi
	done
	WEB_PID= FCGI_PID=
}

@test "under lighttpd: curl books, the headers come through, a wrong token is 403" {
	smtp_start
	webfix "$(mail_section)"
	sed -i "s|^url = .*|url = http://127.0.0.1:PORT/book|" "$D/config.ini"
	web_start
	sed -i "s|PORT|$WEB_PORT|" "$D/config.ini"
	base=http://127.0.0.1:$WEB_PORT/book
	run curl -sS -D - -o /dev/null "$base/"
	assert_line --index 0 --partial "200 OK"
	assert_line --partial "Content-Security-Policy: default-src 'none'"
	assert_line --partial "Referrer-Policy: no-referrer"
	assert_line --partial "X-Content-Type-Options: nosniff"
	run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' \
	    --data-urlencode service=cut \
	    --data-urlencode start=2026-11-24T10:00+01:00 \
	    --data-urlencode "name=Curl User" \
	    --data-urlencode email=curl@example.com "$base/book"
	assert_output --regexp "^303 $base/m/1/[A-Za-z0-9_-]{43}\?done=booked$"
	link=${output#303 }
	run curl -sS "$link"
	assert_output --partial "You are booked."
	assert_output --partial "<dd>Sam Berger</dd>"
	run curl -sS -o /dev/null -w '%{http_code}' "${link%%\?*}x"
	assert_output 403
	run curl -sS -o /dev/null -w '%{http_code}' "$base/nosuch"
	assert_output 404
	msmtp_settle
	run mail_show confirm-1-20261124T1000+0100-email
	assert_line "Or online: ${link%%\?*}"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial ",booked,cut,Haircut,sam,4,Curl User,curl@example.com,"
}

@test "in chromium: pick a time, fill and send the form; screenshots at 360, 390 and 1280 px" {
	smtp_start
	webfix "$(mail_section)"
	web_start
	sed -i "s|^url = .*|url = http://127.0.0.1:$WEB_PORT/book|" "$D/config.ini"
	mkdir -p "$TOP/build/screenshots"
	rm -f "$TOP"/build/screenshots/*.png
	run --separate-stderr "$PY" "$TOP/tests/appt-web-browser.py" \
	    "http://127.0.0.1:$WEB_PORT/book" "$TOP/build/screenshots"
	[ "$status" -eq 0 ] || fail "$stderr"
	assert_output --regexp "^http://127.0.0.1:$WEB_PORT/book/m/1/[A-Za-z0-9_-]{43}\?done=booked$"
	run appt-list 2026-11-23..2026-11-30 -o csv
	assert_line --index 1 --partial ",booked,cut,Haircut,"
	assert_line --index 1 --partial ",Mia Browser,mia@example.com,"
	for p in services week form confirmation; do
		for w in 360 390 1280; do
			assert_file_exists "$TOP/build/screenshots/$p-$w.png"
		done
	done
	msmtp_settle
	run mail_count
	assert_output 2
}

# nginx on a free port of 127.0.0.1 with fcgiwrap, from the example's
# location (examples/nginx-appt.conf) with this test's paths.
nginx_start() {
	local t=$BATS_TEST_TMPDIR/nginx i
	mkdir -p "$t"
	WEB_PORT=$(free_port)
	fcgiwrap -s "unix:$t/fcgi.sock" > "$t/fcgiwrap.log" 2>&1 < /dev/null 3>&- &
	FCGI_PID=$!
	sed -e "s|/usr/local/bin/appt-web|$APPT_BIN/appt-web|" \
	    -e "s|include fastcgi_params;|include /etc/nginx/fastcgi_params;|" \
	    -e "s|unix:/run/fcgiwrap.socket|unix:$t/fcgi.sock|" \
	    -e "s|fastcgi_param APPT_DIR /var/lib/appt;|fastcgi_param APPT_DIR $D;\\
	fastcgi_param APPT_NOW $APPT_NOW; fastcgi_param TZ $TZ;\\
	fastcgi_param APPT_SHARE $APPT_SHARE; fastcgi_param PATH $PATH;|" \
	    "$TOP/examples/nginx-appt.conf" > "$t/appt.conf"
	cat > "$t/nginx.conf" <<-CONF
	user root;
	worker_processes 1;
	error_log $t/error.log;
	pid $t/nginx.pid;
	events { worker_connections 64; }
	http {
		access_log off;
		client_body_temp_path $t/body;
		fastcgi_temp_path $t/fastcgi;
		proxy_temp_path $t/proxy;
		server {
			listen 127.0.0.1:$WEB_PORT;
			include $t/appt.conf;
		}
	}
	CONF
	nginx -p "$t" -c "$t/nginx.conf" -g 'daemon off;' \
	    > "$t/nginx.out" 2>&1 < /dev/null 3>&- &
	WEB_PID=$!
	for i in $(seq 100); do
		[ -S "$t/fcgi.sock" ] && port_open "$WEB_PORT" && return 0
		sleep 0.1
	done
	cat "$t/nginx.out" "$t/error.log" "$t/fcgiwrap.log" >&2
	return 1
}

@test "under nginx with fcgiwrap: curl books, the page and the link work" {
	webfix
	nginx_start
	base=http://127.0.0.1:$WEB_PORT/book
	run curl -sS -D - -o /dev/null "$base/cut?from=2026-11-24"
	assert_line --index 0 --partial "200 OK"
	assert_line --partial "Content-Security-Policy: default-src 'none'"
	run curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' \
	    --data-urlencode service=cut \
	    --data-urlencode start=2026-11-24T10:00+01:00 \
	    --data-urlencode "name=Nginx User" \
	    --data-urlencode email=nginx@example.com "$base/book"
	assert_output --regexp "^303 $URL/m/1/[A-Za-z0-9_-]{43}\?done=booked$"
	link=${output#303 $URL}
	run curl -sS "$base${link%%\?*}"
	assert_output --partial "<dd>Sam Berger</dd>"
	run appt-list 2026-11-24 -o csv
	assert_line --index 1 --partial ",Nginx User,nginx@example.com,"
}

@test "appt-check: web.key whole and private, or said what to do" {
	webfix
	book_ann
	check
	assert_success
	assert_output ""
	chmod 644 "$D/web.key"
	check
	assert_failure
	assert_output "web.key: mode 0644: the secret of the manage links is open to others (chmod 600 web.key)"
	chmod 600 "$D/web.key"
	head -c 16 "$D/web.key" > "$BATS_TEST_TMPDIR/k" && cat "$BATS_TEST_TMPDIR/k" > "$D/web.key"
	check
	assert_failure
	assert_output "web.key: 16 bytes, not a key of 32 (remove it to make a new one; links sent so far stop working)"
	rm "$D/web.key"
	check
	assert_success
}
