#!/usr/bin/env bats
# appt-send and the notices of appt-book, appt-move and appt-status: the
# outbox, what the mail looks like when it arrives (real msmtp, real SMTP
# server on 127.0.0.1: tests/lib/smtp.bash), the exit statuses of the mail
# program and what becomes of each (DESIGN "appt-send", "Known traps").
# Now is Monday 2026-11-23T08:00 Europe/Berlin unless a test says otherwise.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

KC=confirm-1-20261125T1000+0100-email
KS=staff-booked-1-20261125T1000+0100-email
K24=remind-1-20261125T1000+0100-1440-email

# A stand-in for sendmail: it records its arguments (one a line) and its
# stdin per call (argv.N, stdin.N, N counted in calls), says something on
# stderr and exits with the number in the file code.
standin() {
	local t=$BATS_TEST_TMPDIR
	cat > "$t/sendmail" <<-'EOF'
	#!/bin/sh
	d=$(dirname "$0")
	n=$(( $(cat "$d/calls" 2>/dev/null || echo 0) + 1 ))
	echo "$n" > "$d/calls"
	printf '%s\n' "$@" > "$d/argv.$n"
	cat > "$d/stdin.$n"
	c=$(cat "$d/code")
	echo "stand-in: call $n, exit $c" >&2
	exit "$c"
	EOF
	chmod +x "$t/sendmail"
	echo "${1:-0}" > "$t/code"
	sed -i "s|^sendmail = .*|sendmail = $t/sendmail|;
	    s|^args = .*|args = -a default -oi|" "$D/config.ini"
}

# How often the stand-in ran.
calls() {
	cat "$BATS_TEST_TMPDIR/calls" 2>/dev/null || echo 0
}

# The rows of the outbox log for key $1: result,status.
logof() {
	grep -F ",$1," "$D"/outbox/log-*.csv | cut -d, -f5,6
}

# --- what arrives -------------------------------------------------------------

@test "a booking confirms to the customer: Date, Message-ID, From, To, Subject, RFC 2047, UTF-8 body" {
	smtp_start
	salon
	run --separate-stderr appt-book -s cut -w sam --name "Zoë Müller" \
	    --email zoe@example.org --at "2026-11-25 10:00"
	assert_success
	assert_equal "$stderr" ""
	assert_zoe_mail "$KC"
	assert_line "date-parsed: 2026-11-23T08:00:00+01:00"
	assert_line "to-count: 1"
	assert_line "to-decoded: Zoë Müller <zoe@example.org>"
	assert_line "subject: Your Haircut on Wed 25 Nov at 10:00 is booked"
	assert_line --regexp "^headers: .*content-type date from message-id mime-version subject to"
	assert_line "To change or cancel it, call us on +49 30 1234567 or write to salon@example.com."
	# The name went as an encoded word, and the body as UTF-8 octets.
	local f
	f=$(grep -l "^Message-ID: <$KC@" "$MAILDIR"/new/*)
	run grep -c '^To: =?UTF-8?B?' "$f"
	assert_output 1
	run grep -c 'Hello Zoë Müller,' "$f"
	assert_output 1
	run outbox sent
	assert_output - <<-EOF
	$KC
	$KS
	EOF
	assert_equal "$(mail_count)" 2
}

@test "the staff member gets a notice of the booking; a non-ASCII subject is encoded" {
	smtp_start
	salon
	run --separate-stderr appt-book -s colour -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	run mail_show "$KS"
	assert_success
	assert_line "to-name: Sam Berger"
	assert_line "to-addr: sam@example.com"
	assert_line "rcpt: sam@example.com"
	assert_line "from-name: Salon Zoë"
	assert_line "subject: Booked: Zoë Müller, Färben, Wed 25 Nov 10:00"
	assert_line "headers-ascii: True"
	assert_line "defects: 0"
	assert_line "New appointment 1:"
	assert_line "  Färben for Zoë Müller"
	assert_line "  Wednesday 25 November 2026, 10:00"
	run mail_show "$KC"
	assert_line "subject: Your Färben on Wed 25 Nov at 10:00 is booked"
	assert_line "  Färben with Sam Berger"
}

@test "long names: no line of the mail over 998 octets, the name decoded back whole" {
	smtp_start
	salon
	local a n
	a=$(printf 'Abcdefghij%.0s' $(seq 120))		# 1200 characters
	n="Zoë $a Müller"
	run --separate-stderr appt-book -s cut -w sam --name "$n" \
	    --email long@example.org --at "2026-11-25 10:00"
	assert_success
	run --separate-stderr appt-book -s cut -w sam --name "Ben $a" \
	    --email ben2@example.org --at "2026-11-25 11:00"
	assert_success
	assert_equal "$(mail_count)" 4
	local k
	for k in "$KC" "$KS" confirm-2-20261125T1100+0100-email \
	    staff-booked-2-20261125T1100+0100-email; do
		run mail_show "$k"
		assert_success
		assert_line --regexp '^max-line: ([0-9]{1,2}|[0-8][0-9]{2}|9[0-8][0-9]|99[0-8])$'
		assert_line "defects: 0"
	done
	run mail_show "$KC"
	assert_line "to-decoded: $n <long@example.org>"
	run mail_show confirm-2-20261125T1100+0100-email
	assert_line "to-decoded: Ben $a <ben2@example.org>"
	run mail_show "$KS"
	assert_line "subject: Booked: $n, Haircut, Wed 25 Nov 10:00"
}

# --- which notices --------------------------------------------------------------

@test "--no-notify books without a message; [notify] confirm = no likewise" {
	smtp_start
	salon
	run --separate-stderr appt-book --no-notify -s cut -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(mail_count)" 0
	assert_equal "$(ls "$D"/outbox/*/ 2>/dev/null | grep -c .)" 0
	D="$BATS_TEST_TMPDIR/d2"
	export APPT_DIR="$D"
	salon <<-EOF
	[notify]
	confirm = no
	EOF
	run --separate-stderr appt-book -s cut -c 2 --at "2026-11-25 11:00"
	assert_success
	assert_equal "$(mail_count)" 0
	assert_equal "$(ls "$D"/outbox/*/ 2>/dev/null | grep -c .)" 0
}

@test "a move notifies the customer and the staff member of the new time" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr appt-move 1 "2026-11-26 11:00"
	assert_success
	assert_equal "$(mail_count)" 2
	run mail_ids
	assert_output - <<-EOF
	sam@example.com <staff-moved-1-20261126T1100+0100-1-email@example.com>
	zoe@example.org <moved-1-20261126T1100+0100-1-email@example.com>
	EOF
	run mail_show moved-1-20261126T1100+0100-1-email
	assert_line "to-name: Zoë Müller"
	assert_line "subject: Your Haircut has moved to Thu 26 Nov at 11:00"
	assert_line "  Thursday 26 November 2026, 11:00"
	run mail_show staff-moved-1-20261126T1100+0100-1-email
	assert_line "to-name: Sam Berger"
	assert_line "subject: Moved: Zoë Müller, Haircut, now Thu 26 Nov 11:00"
	# --no-notify, and [notify] changes = no: nothing more.
	run --separate-stderr atnow 2026-11-23T09:00 appt-move --no-notify 1 \
	    "2026-11-27 11:00"
	assert_success
	echo "[notify]
changes = no" >> "$D/config.ini"
	run --separate-stderr atnow 2026-11-23T09:10 appt-move 1 \
	    "2026-11-27 12:00"
	assert_success
	assert_equal "$(mail_count)" 2
}

@test "a move to another staff member tells the one it leaves too" {
	smtp_start
	salon
	echo "ann,Ann Lee,ann@example.com," >> "$D/staff.csv"
	book 1 "2026-11-25 10:00"
	run --separate-stderr appt-move -w ann 1 "2026-11-25 11:00"
	assert_success
	run mail_ids
	assert_output - <<-EOF
	ann@example.com <staff-moved-1-20261125T1100+0100-1-email@example.com>
	sam@example.com <staff-left-1-20261125T1100+0100-1-email@example.com>
	zoe@example.org <moved-1-20261125T1100+0100-1-email@example.com>
	EOF
	run mail_show staff-left-1-20261125T1100+0100-1-email
	assert_line "to-name: Sam Berger"
	assert_line --partial "is no longer yours"
}

@test "a cancellation notifies both sides; --no-notify does not" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-25 11:00"
	run --separate-stderr appt-status 1 cancelled
	assert_success
	run mail_ids
	assert_output - <<-EOF
	sam@example.com <staff-cancelled-1-20261125T1000+0100-1-email@example.com>
	zoe@example.org <cancelled-1-20261125T1000+0100-1-email@example.com>
	EOF
	run mail_show cancelled-1-20261125T1000+0100-1-email
	assert_line "subject: Your Haircut on Wed 25 Nov at 10:00 is cancelled"
	assert_line "to-name: Zoë Müller"
	assert_line "your appointment for Haircut on Wednesday 25 November, 10:00 is cancelled."
	assert_line "To book a new one, call us on +49 30 1234567 or write to salon@example.com."
	run mail_show staff-cancelled-1-20261125T1000+0100-1-email
	assert_line "subject: Cancelled: Zoë Müller, Haircut, Wed 25 Nov 10:00"
	assert_line "to-addr: sam@example.com"
	run --separate-stderr appt-status --no-notify 2 cancelled
	assert_success
	assert_equal "$(mail_count)" 2
}

@test "a booking whose mail cannot go out succeeds and says the message is queued" {
	SMTP_PORT=$(free_port)		# nothing listens there
	salon
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	assert_line --index 1 --partial "1,2026-11-25T10:00+01:00,"
	[[ $stderr == *"queued in the outbox for appt-send"* ]] ||
	    fail "stderr: $stderr"
	run --separate-stderr appt-send -o csv list
	assert_success
	assert_line --index 1 --regexp "^${KC//+/\\+},queued,zoe@example.org,1,"
	assert_line --index 2 --regexp "^${KS//+/\\+},queued,sam@example.com,1,"
	assert_equal "${#lines[@]}" 3
	run --separate-stderr appt-send
	assert_failure 4
	run --separate-stderr appt-send -o csv list
	assert_line --index 1 --regexp "^${KC//+/\\+},queued,zoe@example.org,2,"
	smtp_start
	run --separate-stderr appt-send
	assert_success
	run --separate-stderr appt-send
	assert_success
	run mail_ids
	assert_output - <<-EOF
	sam@example.com <$KS@example.com>
	zoe@example.org <$KC@example.com>
	EOF
	run logof "$KC"
	assert_output - <<-EOF
	retry,75
	retry,75
	sent,0
	EOF
}

@test "a notice queued and not yet sent is withdrawn when the appointment is cancelled" {
	SMTP_PORT=$(free_port)
	salon
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	run --separate-stderr atnow 2026-11-23T09:00 appt-status 1 cancelled
	assert_success
	run outbox withdrawn
	assert_output - <<-EOF
	$KC
	$KS
	EOF
	smtp_start
	run --separate-stderr appt-send
	assert_success
	run mail_ids
	assert_output - <<-EOF
	sam@example.com <staff-cancelled-1-20261125T1000+0100-1-email@example.com>
	zoe@example.org <cancelled-1-20261125T1000+0100-1-email@example.com>
	EOF
}

# --- what is refused at input -----------------------------------------------------

@test "an address that would be an option, or a header in a field, is refused at input" {
	smtp_start
	salon
	local before
	before=$(snapshot_all)
	run --separate-stderr appt-book -s cut --name Eve \
	    --email "-X/tmp/x@example.com" --at "2026-11-25 10:00"
	assert_failure 2
	[[ $stderr == *"-X/tmp/x@example.com"* ]] || fail "stderr: $stderr"
	run --separate-stderr appt-book -s cut --name Eve \
	    --email=-X"$BATS_TEST_TMPDIR/x@example.com" --at "2026-11-25 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut \
	    --name $'Eve\r\nBcc: evil@example.net' --email eve@example.org \
	    --at "2026-11-25 10:00"
	assert_failure 2
	run --separate-stderr appt-book -s cut --name "Eve" \
	    --email $'eve@example.org\nBcc: evil@example.net' \
	    --at "2026-11-25 10:00"
	assert_failure 2
	assert_equal "$(snapshot_all)" "$before"
	assert_equal "$(mail_count)" 0
	assert_file_not_exists "$BATS_TEST_TMPDIR/x@example.com"
}

@test "a line break that reached customers.csv by hand never makes a header" {
	smtp_start
	salon
	book 2 "2026-11-25 10:00"
	book 3 "2026-11-25 11:00"
	# Ben's name edited outside the commands, with a Bcc: line in it.
	sed -i 's/^2,Ben Ode,/2,"Ben\r\nBcc: evil@example.net",/' \
	    "$D/customers.csv"
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_failure
	[[ $stderr == *"remind-1-20261125T1000+0100-1440-email: not queued:"* ]] ||
	    fail "stderr: $stderr"
	# Cara's reminder is not held up by Ben's.
	run mail_ids
	assert_output "cara@example.org <remind-2-20261125T1100+0100-1440-email@example.com>"
	local f
	for f in "$MAILDIR"/new/*; do
		[ -e "$f" ] || continue
		! grep -qi '^bcc:' "$f" || fail "$f has a Bcc: header"
	done
}

# --- the mail program's exit status ---------------------------------------------

@test "sendmail exit 69 or 75: queued, counted, retried on the next run; argv is [mail] args -- recipient" {
	local code
	for code in 69 75; do
		D="$BATS_TEST_TMPDIR/d$code"
		export APPT_DIR="$D"
		rm -f "$BATS_TEST_TMPDIR"/calls "$BATS_TEST_TMPDIR"/argv.* \
		    "$BATS_TEST_TMPDIR"/stdin.*
		SMTP_PORT=1
		salon
		standin "$code"
		book 1 "2026-11-25 10:00"
		run --separate-stderr atnow 2026-11-24T12:00 appt-remind
		assert_failure 4
		[[ $stderr == *"$K24: not delivered yet (exit $code: stand-in: call 1, exit $code): queued for the next run"* ]] ||
		    fail "stderr: $stderr"
		assert_equal "$(calls)" 1
		run --separate-stderr atnow 2026-11-24T12:05 appt-send
		assert_failure 4
		assert_equal "$(calls)" 2
		run --separate-stderr appt-send -o csv list
		assert_output - <<-EOF
		key,state,to,attempts,last,error
		$K24,queued,zoe@example.org,2,2026-11-24T12:05+01:00,"stand-in: call 2, exit $code"
		EOF
		# appt-remind retries what is queued too.
		echo 0 > "$BATS_TEST_TMPDIR/code"
		run --separate-stderr atnow 2026-11-24T12:10 appt-remind
		assert_success
		assert_equal "$(calls)" 3
		run --separate-stderr atnow 2026-11-24T12:15 appt-send
		assert_success
		assert_equal "$(calls)" 3
		run cat "$BATS_TEST_TMPDIR/argv.3"
		assert_output - <<-EOF
		-a
		default
		-oi
		--
		zoe@example.org
		EOF
		# The same message each time, without the outbox's envelope line.
		cmp "$BATS_TEST_TMPDIR/stdin.1" "$BATS_TEST_TMPDIR/stdin.3"
		run head -n 1 "$BATS_TEST_TMPDIR/stdin.3"
		assert_output $'Date: Tue, 24 Nov 2026 12:00:00 +0100\r'
		run grep -c 'appt-to' "$BATS_TEST_TMPDIR/stdin.3"
		assert_output 0
		run logof "$K24"
		assert_output - <<-EOF
		retry,$code
		retry,$code
		sent,0
		EOF
		run outbox sent
		assert_output "$K24"
		run --separate-stderr appt-send -o csv list
		assert_output "key,state,to,attempts,last,error"
	done
}

@test "sendmail exit 65, 77 or 78: held with what to fix until appt-send retry" {
	local code why
	for code in 65 77 78; do
		case $code in
		65) why="the server refused the message for good (5xx): check the address" ;;
		77) why="the server refused the login: check the user and password of the msmtp account" ;;
		78) why="the mail program's configuration is wrong: check ~/.msmtprc and [mail] args" ;;
		esac
		D="$BATS_TEST_TMPDIR/d$code"
		export APPT_DIR="$D"
		rm -f "$BATS_TEST_TMPDIR"/calls
		SMTP_PORT=1
		salon
		standin "$code"
		book 1 "2026-11-25 10:00"
		run --separate-stderr atnow 2026-11-24T12:00 appt-remind
		assert_failure 4
		assert_equal "$stderr" "appt-remind: $K24: held: $why: stand-in: call 1, exit $code, see appt-send list"
		run --separate-stderr appt-send -o csv list
		assert_output - <<-EOF
		key,state,to,attempts,last,error
		$K24,held,zoe@example.org,1,2026-11-24T12:00+01:00,"$why: stand-in: call 1, exit $code"
		EOF
		# Not on its own: neither appt-send nor appt-remind retries it,
		# and both say so and exit 4 while it is held, for cron to mail.
		echo 0 > "$BATS_TEST_TMPDIR/code"
		run --separate-stderr atnow 2026-11-24T12:05 appt-send
		assert_failure 4
		assert_equal "$stderr" "appt-send: $K24: held: $why: stand-in: call 1, exit $code, see appt-send list"
		run --separate-stderr atnow 2026-11-24T12:10 appt-remind
		assert_failure 4
		assert_equal "$stderr" "appt-remind: $K24: held: $why: stand-in: call 1, exit $code, see appt-send list"
		assert_equal "$(calls)" 1
		run outbox held
		assert_output "$K24"
		# A dry run says what it would do, and does not.
		run --separate-stderr appt-send --dry-run retry
		assert_success
		assert_line "would release $K24"
		assert_equal "$(calls)" 1
		run outbox held
		assert_output "$K24"
		# Mended: retry releases and delivers it, once.
		run --separate-stderr atnow 2026-11-24T12:15 appt-send retry
		assert_success
		assert_equal "$(calls)" 2
		run --separate-stderr atnow 2026-11-24T12:20 appt-send retry
		assert_success
		run --separate-stderr atnow 2026-11-24T12:20 appt-send
		assert_success
		assert_equal "$(calls)" 2
		run outbox sent
		assert_output "$K24"
		run logof "$K24"
		assert_output - <<-EOF
		held,$code
		released,0
		sent,0
		EOF
	done
}

@test "the real server refusing: 451 is retried, 550 held until appt-send retry" {
	smtp_start_refusing
	salon
	book 1 "2026-11-25 10:00"
	echo "451 4.3.0 try again later" > "$BATS_TEST_TMPDIR/reply"
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_failure 4
	run --separate-stderr appt-send -o csv list
	assert_line --index 1 --partial "$K24,queued,zoe@example.org,1,"
	assert_line --index 1 --partial "451 4.3.0 try again later"
	echo "550 5.1.1 no such user" > "$BATS_TEST_TMPDIR/reply"
	run --separate-stderr atnow 2026-11-24T12:05 appt-send
	assert_failure 4
	run --separate-stderr appt-send -o csv list
	assert_line --index 1 --partial "$K24,held,zoe@example.org,2,"
	assert_line --index 1 --partial "the server refused the message for good (5xx): check the address"
	assert_line --index 1 --partial "550 5.1.1 no such user"
	: > "$BATS_TEST_TMPDIR/reply"
	run --separate-stderr atnow 2026-11-24T12:10 appt-remind
	assert_failure 4
	[[ $stderr == *"$K24: held: the server refused the message for good (5xx): check the address: "*"550 5.1.1 no such user"*", see appt-send list" ]] ||
	    fail "stderr: $stderr"
	assert_equal "$(mail_count)" 0
	run --separate-stderr atnow 2026-11-24T12:15 appt-send retry
	assert_success
	run --separate-stderr atnow 2026-11-24T12:20 appt-send retry
	assert_success
	run mail_ids
	assert_output "zoe@example.org <$K24@example.com>"
	run logof "$K24"
	assert_output - <<-EOF
	retry,69
	held,65
	released,0
	sent,0
	EOF
}

@test "appt-send retry KEY releases that message only; an unknown key is an error" {
	SMTP_PORT=1
	salon
	standin 65
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-25 11:00"
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_failure 4
	run outbox held
	assert_output - <<-EOF
	$K24
	remind-2-20261125T1100+0100-1440-email
	EOF
	echo 0 > "$BATS_TEST_TMPDIR/code"
	# One key unknown: none is released.
	run --separate-stderr appt-send retry "$K24" \
	    remind-9-20261125T1100+0100-1440-email
	assert_failure 1
	[[ $stderr == *"remind-9-20261125T1100+0100-1440-email: no such held message"* ]] ||
	    fail "stderr: $stderr"
	run --separate-stderr appt-send --dry-run retry \
	    remind-2-20261125T1100+0100-1440-email
	assert_success
	assert_output "would release remind-2-20261125T1100+0100-1440-email"
	assert_equal "$(calls)" 2
	run outbox held
	assert_line "$K24"
	assert_line remind-2-20261125T1100+0100-1440-email
	# Sent; the other still held is named, and makes it exit 4.
	run --separate-stderr appt-send retry \
	    remind-2-20261125T1100+0100-1440-email
	assert_failure 4
	[[ $stderr == "appt-send: $K24: held: the server refused the message for good (5xx): check the address: stand-in: call 1, exit 65, see appt-send list" ]] ||
	    fail "stderr: $stderr"
	assert_equal "$(calls)" 3
	run outbox held
	assert_output "$K24"
	run outbox sent
	assert_output remind-2-20261125T1100+0100-1440-email
}

@test "a sendmail that cannot be run is held with what to check" {
	SMTP_PORT=1
	salon
	sed -i "s|^sendmail = .*|sendmail = $BATS_TEST_TMPDIR/no-such-sendmail|" \
	    "$D/config.ini"
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_failure 4
	run --separate-stderr appt-send -o csv list
	assert_line --index 1 --partial "$K24,held,zoe@example.org,1,"
	assert_line --index 1 --partial "check [mail] sendmail"
}

# --- SMS ---------------------------------------------------------------------------

@test "an SMS confirmation: {phone} is one E.164 argument; a failing SMS command is retried" {
	smtp_start
	local sms="$BATS_TEST_TMPDIR/sms"
	cat > "$sms" <<-'EOF'
	#!/bin/sh
	d=$(dirname "$0")
	{ echo "argc=$#"; for a in "$@"; do echo "arg=$a"; done
	  printf 'text='; cat; } >> "$d/sms.log"
	exit "$(cat "$d/sms.code")"
	EOF
	chmod +x "$sms"
	echo 1 > "$BATS_TEST_TMPDIR/sms.code"
	salon <<-EOF
	[notify]
	channels = sms

	[sms]
	command = $sms {phone}
	EOF
	run --separate-stderr appt-book -s cut -w sam --name "Ada Lovelace" \
	    --phone "0171 9876543" --at "2026-11-25 10:00"
	assert_success
	[[ $stderr == *"queued in the outbox for appt-send"* ]] ||
	    fail "stderr: $stderr"
	run outbox queue
	assert_output confirm-1-20261125T1000+0100-sms
	echo 0 > "$BATS_TEST_TMPDIR/sms.code"
	run --separate-stderr appt-send
	assert_success
	run cat "$BATS_TEST_TMPDIR/sms.log"
	assert_output - <<-EOF
	argc=1
	arg=+491719876543
	text=Salon Zoë: Haircut booked for Wed 25 Nov 10:00 with Sam Berger. To change: +49 30 1234567
	argc=1
	arg=+491719876543
	text=Salon Zoë: Haircut booked for Wed 25 Nov 10:00 with Sam Berger. To change: +49 30 1234567
	EOF
	run logof confirm-1-20261125T1000+0100-sms
	assert_output - <<-EOF
	retry,1
	sent,0
	EOF
	# Only the staff notice went by mail: channels = sms is the customer's.
	run mail_ids
	assert_output "sam@example.com <staff-booked-1-20261125T1000+0100-email@example.com>"
}

# --- dry runs ------------------------------------------------------------------------

@test "appt-send --dry-run prints what it would deliver and changes nothing" {
	SMTP_PORT=$(free_port)
	salon
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	smtp_start
	local before
	before=$(snapshot_all)
	run --separate-stderr appt-send --dry-run
	assert_success
	lines=("${lines[@]%$'\r'}")	# the message as it would go: CRLF
	assert_line "would deliver $KC"
	assert_line "would deliver $KS"
	assert_line "appt-to: zoe@example.org"
	assert_line "Message-ID: <$KC@example.com>"
	assert_line "Subject: Your Haircut on Wed 25 Nov at 10:00 is booked"
	run --separate-stderr appt-send --dry-run retry
	assert_success
	assert_equal "$(mail_count)" 0
	assert_equal "$(snapshot_all)" "$before"
	run --separate-stderr appt-send
	assert_success
	assert_equal "$(mail_count)" 2
}

@test "an SMS to a phone written +49 (0) gets the E.164 number without the 0" {
	smtp_start
	local sms="$BATS_TEST_TMPDIR/sms"
	cat > "$sms" <<-'EOF'
	#!/bin/sh
	d=$(dirname "$0")
	{ echo "argc=$#"; for a in "$@"; do echo "arg=$a"; done; } >> "$d/sms.log"
	cat > /dev/null
	EOF
	chmod +x "$sms"
	salon <<-EOF
	[notify]
	channels = sms

	[sms]
	command = $sms {phone}
	EOF
	run --separate-stderr appt-book -s cut -w sam --name "Ada Lovelace" \
	    --phone "+49 (0) 171 9876543" --at "2026-11-25 10:00"
	assert_success
	run --separate-stderr appt-book -s cut -w sam --name "Alan Turing" \
	    --phone "+44 (0)20 7946 0958" --at "2026-11-25 11:00"
	assert_success
	run --separate-stderr appt-send
	assert_success
	run cat "$BATS_TEST_TMPDIR/sms.log"
	assert_output - <<-EOF
	argc=1
	arg=+491719876543
	argc=1
	arg=+442079460958
	EOF
}

@test "a quoted business name with # goes whole into From:" {
	smtp_start
	salon
	sed -i 's/^name = Salon Zoë$/name = "Salon #1"   ; the first one/' \
	    "$D/config.ini"
	run --separate-stderr appt-book -s cut -w sam -c 3 \
	    --at "2026-11-25 10:00"
	assert_success
	assert_equal "$stderr" ""
	run mail_show confirm-1-20261125T1000+0100-email
	assert_success
	assert_line "from-name: Salon #1"
	assert_line "from-addr: salon@example.com"
}

# --- changes in quick succession ---------------------------------------------------

@test "three moves within a minute: each is told, the last at the time in the file" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	local when
	for when in "2026-11-30 10:00" "2026-11-30 09:00" "2026-11-30 10:00"; do
		run --separate-stderr appt-move 1 "$when"
		assert_success
		assert_equal "$stderr" ""
	done
	run grep -c "^1,2026-11-30T10:00+01:00,.*,3$" "$D/appointments/2026-11.csv"
	assert_output 1
	run mail_ids
	assert_output - <<-EOF
	sam@example.com <staff-moved-1-20261130T0900+0100-2-email@example.com>
	sam@example.com <staff-moved-1-20261130T1000+0100-1-email@example.com>
	sam@example.com <staff-moved-1-20261130T1000+0100-3-email@example.com>
	zoe@example.org <moved-1-20261130T0900+0100-2-email@example.com>
	zoe@example.org <moved-1-20261130T1000+0100-1-email@example.com>
	zoe@example.org <moved-1-20261130T1000+0100-3-email@example.com>
	EOF
	run mail_show moved-1-20261130T1000+0100-3-email
	assert_line "subject: Your Haircut has moved to Mon 30 Nov at 10:00"
	# Cancelled, brought back and cancelled again: told twice.
	run --separate-stderr appt-status 1 cancelled
	assert_success
	run --separate-stderr appt-status --force --no-notify 1 booked
	assert_success
	run --separate-stderr appt-status 1 cancelled
	assert_success
	run outbox sent
	assert_line cancelled-1-20261130T1000+0100-4-email
	assert_line cancelled-1-20261130T1000+0100-6-email
	assert_equal "$(mail_count)" 10
}

# --- held messages -----------------------------------------------------------------

@test "a notice held at once is reported as held with its reason, not as queued" {
	SMTP_PORT=1
	salon
	standin 65
	local why="the server refused the message for good (5xx): check the address"
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	assert_equal "$stderr" "appt-book: $KC: held: $why: stand-in: call 1, exit 65, see appt-send list
appt-book: $KS: held: $why: stand-in: call 2, exit 65, see appt-send list"
	run outbox held
	assert_output - <<-EOF
	$KC
	$KS
	EOF
	# One held, one only late: each is said as it is.
	rm -f "$BATS_TEST_TMPDIR/calls"
	echo 75 > "$BATS_TEST_TMPDIR/code"
	run --separate-stderr appt-status 1 cancelled
	assert_success
	assert_equal "$stderr" "appt-status: cancelled-1-20261125T1000+0100-1-email: not delivered yet (exit 75: stand-in: call 1, exit 75): queued for the next run
appt-status: staff-cancelled-1-20261125T1000+0100-1-email: not delivered yet (exit 75: stand-in: call 2, exit 75): queued for the next run
appt-status: 2 messages not delivered yet: queued in the outbox for appt-send"
	# A plain appt-send delivers the queue, and exits 4 for the held.
	echo 0 > "$BATS_TEST_TMPDIR/code"
	run --separate-stderr appt-send
	assert_failure 4
	assert_equal "$stderr" "appt-send: $KC: held: $why: stand-in: call 1, exit 65, see appt-send list
appt-send: $KS: held: $why: stand-in: call 2, exit 65, see appt-send list"
	run outbox sent
	assert_output - <<-EOF
	cancelled-1-20261125T1000+0100-1-email
	staff-cancelled-1-20261125T1000+0100-1-email
	EOF
	# Once released and sent, nothing is held: 0.
	run --separate-stderr appt-send retry
	assert_success
	assert_equal "$stderr" ""
	run --separate-stderr appt-send
	assert_success
}

# --- templates without silent limits, and only UTF-8 (issue 8) -------------------

@test "a long {start:FORMAT} is rendered whole: past 57 characters and past 255 bytes" {
	smtp_start
	salon
	local a b
	a='%A, %e %B %Y at %H:%M o'"'"'clock, in the time zone of the business %Z'
	b=$(printf 'Termin %.0s' $(seq 60))	# 420 bytes
	cat > "$D/templates/confirm.txt" <<-EOF
	Subject: Booked for {start:%a %e %b}

	One: {start:$a}
	Two: {start:$b%H:%M}
	Three: {start:} {start}
	EOF
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	run mail_show "$KC"
	assert_success
	assert_line "subject: Booked for Wed 25 Nov"
	assert_line "One: Wednesday, 25 November 2026 at 10:00 o'clock, in the time zone of the business CET"
	assert_line "Two: ${b}10:00"
	assert_line "Three: Wednesday 25 November 2026, 10:00 Wednesday 25 November 2026, 10:00"
}

@test "a template that is not UTF-8 names the template and line; nothing is sent" {
	smtp_start
	salon
	printf 'Subject: Booked\n\nHello {customer},\nsee you at the caf\xe9.\n' \
	    > "$D/templates/confirm.txt"
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	[[ $stderr == *"$KC: not queued: templates/confirm.txt:4: not valid UTF-8"* ]] ||
	    fail "stderr: $stderr"
	run outbox sent
	assert_output "$KS"
}

@test "a {start:FORMAT} that gives more than 64 KiB is an error naming the template and line" {
	smtp_start
	salon
	local f
	f=$(printf '%%Y%.0s' $(seq 17000))	# 68000 bytes of years
	printf 'Subject: Booked\n\nHello,\n{start:%s}\n' "$f" \
	    > "$D/templates/confirm.txt"
	run --separate-stderr appt-book -s cut -w sam -c 1 \
	    --at "2026-11-25 10:00"
	assert_success
	[[ $stderr == *"$KC: not queued: templates/confirm.txt:4: {start:FORMAT} gives more than 65536 bytes"* ]] ||
	    fail "stderr: ${stderr:0:300}"
	[ "${#stderr}" -lt 1000 ]
	run outbox sent
	assert_output "$KS"
}

@test "a name or subject that looks like an encoded word arrives as written" {
	smtp_start
	salon
	mkdir -p "$D/templates"
	printf 'Subject: =?UTF-8?B?SGFja2Vk?= {service}\n\nHello {customer},\n' \
	    > "$D/templates/confirm.txt"
	run --separate-stderr appt-book -s cut -w sam \
	    --name "=?UTF-8?B?SGFja2Vk?= Ann" --email ann@example.org \
	    --at "2026-11-25 10:00"
	assert_success
	run mail_show "$KC"
	assert_success
	assert_line "to-name: =?UTF-8?B?SGFja2Vk?= Ann"
	assert_line "subject: =?UTF-8?B?SGFja2Vk?= Haircut"
	assert_line "defects: 0"
}

@test "a sender removes the outbox temporaries a killed writer left, and only those" {
	salon
	mkdir -p "$D/outbox/queue"
	printf 'appt-to: zoe@example.org\nTorn' > "$D/outbox/queue/.$KC.AbC123"
	printf 'time,key\n"2026' > "$D/outbox/.log-2026-11.csv.x1Y2z3"
	# The user's own hidden files.
	echo mine > "$D/outbox/.notes.backup"
	echo mine > "$D/outbox/queue/.todo.listed"
	run appt-send
	assert_success
	assert_file_not_exist "$D/outbox/queue/.$KC.AbC123"
	assert_file_not_exist "$D/outbox/.log-2026-11.csv.x1Y2z3"
	assert_file_exist "$D/outbox/.notes.backup"
	assert_file_exist "$D/outbox/queue/.todo.listed"
	run appt-send list
	assert_success
	refute_output --partial "$KC"
}
