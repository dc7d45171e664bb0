#!/usr/bin/env bats
# appt-remind: reminders once each lead is reached (DESIGN "appt-remind",
# "appt-send"), delivered by the real msmtp to a real SMTP server on
# 127.0.0.1 (tests/lib/smtp.bash). Appointments are booked at Monday
# 2026-11-23T08:00 Europe/Berlin; each run sets its own "now".

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

# Wednesday's 10:00 haircut of customer 1 and its reminder keys.
START=2026-11-25T10:00+01:00
K24=remind-1-20261125T1000+0100-1440-email
K2=remind-1-20261125T1000+0100-120-email

# --- the leads ---------------------------------------------------------------

@test "a reminder at 24h and another at 2h: two mails with different keys" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T09:59 appt-remind
	assert_success
	assert_equal "$(mail_count)" 0
	run --separate-stderr atnow 2026-11-24T10:00 appt-remind
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(mail_count)" 1
	assert_zoe_mail "$K24"
	assert_line "date-parsed: 2026-11-24T10:00:00+01:00"
	assert_line "subject: Reminder: Haircut on Wed 25 Nov at 10:00"
	assert_line --partial "call +49 30 1234567"
	# Later the same day: nothing new.
	run --separate-stderr atnow 2026-11-24T18:00 appt-remind
	assert_success
	assert_equal "$(mail_count)" 1
	run --separate-stderr atnow 2026-11-25T08:00 appt-remind
	assert_success
	assert_equal "$(mail_count)" 2
	run mail_show "$K2"
	assert_success
	assert_line "message-id: <$K2@example.com>"
	assert_line "subject: Reminder: Haircut on Wed 25 Nov at 10:00"
	run --separate-stderr atnow 2026-11-25T09:30 appt-remind
	assert_success
	run mail_ids
	assert_output - <<-EOF
	zoe@example.org <$K2@example.com>
	zoe@example.org <$K24@example.com>
	EOF
	run outbox sent
	assert_output - <<-EOF
	$K2
	$K24
	EOF
	run grep -c ",sent,0," "$D/outbox/log-2026-11.csv"
	assert_output 2
}

@test "a late run sends only the shortest lead reached, and no longer one after it" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	# Cron did not run for a day: an hour before, only the 2h reminder.
	run --separate-stderr atnow 2026-11-25T09:00 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <$K2@example.com>"
	run --separate-stderr atnow 2026-11-25T09:30 appt-remind
	assert_success
	# A clock set back into the 24h window: the 2h one exists, so the
	# longer lead is never sent after it.
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <$K2@example.com>"
	run outbox sent
	assert_output "$K2"
	assert_equal "$(ls "$D/outbox/queue" "$D/outbox/held" | grep -c remind)" 0
}

@test "leads come from [notify] remind; a started appointment gets none" {
	smtp_start
	salon <<-EOF
	[notify]
	remind = 3d, 1h30m
	EOF
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-23 09:00"
	run --separate-stderr atnow 2026-11-23T09:00 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <remind-1-20261125T1000+0100-4320-email@example.com>"
	run --separate-stderr atnow 2026-11-25T08:30 appt-remind
	assert_success
	run mail_ids
	assert_output - <<-EOF
	zoe@example.org <remind-1-20261125T1000+0100-4320-email@example.com>
	zoe@example.org <remind-1-20261125T1000+0100-90-email@example.com>
	EOF
}

# --- who gets one ------------------------------------------------------------

@test "booked and confirmed appointments are reminded, cancelled and no-show ones are not" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-25 11:00"
	book 3 "2026-11-25 12:00"
	book 1 "2026-11-25 13:00"
	run --separate-stderr appt-status --no-notify 2 confirmed
	assert_success
	run --separate-stderr appt-status --no-notify 3 cancelled
	assert_success
	run --separate-stderr appt-status --no-notify --force 4 no-show
	assert_success
	run --separate-stderr atnow 2026-11-25T08:00 appt-remind
	assert_success
	run mail_ids
	assert_output - <<-EOF
	ben@example.org <remind-2-20261125T1100+0100-1440-email@example.com>
	zoe@example.org <remind-1-20261125T1000+0100-120-email@example.com>
	EOF
	run outbox sent
	refute_output --partial "remind-3-"
	refute_output --partial "remind-4-"
}

@test "a moved appointment gets its reminders for the new time, none for the old" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T10:00 appt-remind
	assert_success
	assert_equal "$(mail_count)" 1
	run --separate-stderr atnow 2026-11-24T11:00 appt-move --no-notify 1 \
	    "2026-11-26 10:00"
	assert_success
	# The old 2h mark passes: nothing.
	run --separate-stderr atnow 2026-11-25T08:00 appt-remind
	assert_success
	assert_equal "$(mail_count)" 1
	run --separate-stderr atnow 2026-11-25T10:00 appt-remind
	assert_success
	run --separate-stderr atnow 2026-11-26T08:30 appt-remind
	assert_success
	run mail_ids
	assert_output - <<-EOF
	zoe@example.org <remind-1-20261125T1000+0100-1440-email@example.com>
	zoe@example.org <remind-1-20261126T1000+0100-120-email@example.com>
	zoe@example.org <remind-1-20261126T1000+0100-1440-email@example.com>
	EOF
	run mail_show remind-1-20261126T1000+0100-120-email
	assert_line "subject: Reminder: Haircut on Thu 26 Nov at 10:00"
	assert_line "  Thursday 26 November 2026, 10:00"
}

@test "a reminder still queued when the appointment moves is withdrawn, not sent" {
	SMTP_PORT=$(free_port)		# no server yet
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T10:00 appt-remind
	assert_failure 4
	run outbox queue
	assert_output "$K24"
	run --separate-stderr atnow 2026-11-24T11:00 appt-move --no-notify 1 \
	    "2026-11-27 10:00"
	assert_success
	run outbox withdrawn
	assert_output "$K24"
	smtp_start
	run --separate-stderr atnow 2026-11-24T11:05 appt-send
	assert_success
	assert_equal "$(mail_count)" 0
	run --separate-stderr atnow 2026-11-26T10:00 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <remind-1-20261127T1000+0100-1440-email@example.com>"
}

# --- never twice, never lost -------------------------------------------------

@test "five overlapping runs send exactly one mail per reminder" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-25 10:30"
	book 3 "2026-11-25 11:00"
	five_at_once "2026-11-24T12:00 2026-11-25T09:00" appt-remind
	run mail_ids
	assert_output - <<-EOF
	ben@example.org <remind-2-20261125T1030+0100-120-email@example.com>
	ben@example.org <remind-2-20261125T1030+0100-1440-email@example.com>
	cara@example.org <remind-3-20261125T1100+0100-120-email@example.com>
	cara@example.org <remind-3-20261125T1100+0100-1440-email@example.com>
	zoe@example.org <remind-1-20261125T1000+0100-120-email@example.com>
	zoe@example.org <remind-1-20261125T1000+0100-1440-email@example.com>
	EOF
	assert_equal "$(outbox sent | wc -l)" 6
	assert_equal "$(grep -c ',sent,0,' "$D/outbox/log-2026-11.csv")" 6
	assert_equal "$(ls "$D/outbox/queue" "$D/outbox/sending" \
	    "$D/outbox/held" | grep -c remind)" 0
}

@test "kill -9 during a run, then another run: no reminder twice, none lost" {
	smtp_start
	local round c k n delays=(0 0.01 0.02 0.04 0.07 0.1 0.15 0.25 0.4) pid
	local where
	for round in "${!delays[@]}"; do
		D="$BATS_TEST_TMPDIR/k$round"
		export APPT_DIR="$D"
		salon
		# Recipients of their own, to tell the rounds apart.
		customers <<-EOF
		1,Zoë Müller,k$round-1@example.org,,,,,2026-01-05T10:00+01:00
		2,Ben Ode,k$round-2@example.org,,,,,2026-01-05T10:00+01:00
		3,Cara Diaz,k$round-3@example.org,,,,,2026-01-05T10:00+01:00
		EOF
		book 1 "2026-11-25 10:00"
		book 2 "2026-11-25 11:00"
		book 3 "2026-11-25 12:00"
		# $! is appt-remind itself: the kill is ours, no timeout(1).
		APPT_NOW=2026-11-24T12:00 appt-remind > /dev/null 2>&1 3>&- &
		pid=$!
		sleep "${delays[round]}"
		kill -9 "$pid" 2>/dev/null || true
		wait "$pid" || true
		msmtp_settle
		run --separate-stderr atnow 2026-11-24T12:05 appt-remind
		[ "$status" -eq 0 ] || [ "$status" -eq 4 ] ||
		    fail "second run of round $round: exit $status: $stderr"
		msmtp_settle
		for c in 1 2 3; do
			k=remind-$c-20261125T$((9 + c))00+0100-1440-email
			n=$(mail_ids | grep -cxF \
			    "k$round-$c@example.org <$k@example.com>" || true)
			where=$(cd "$D/outbox" && ls -d */"$k" 2>/dev/null |
			    tr '\n' ' ')
			# Made once: in exactly one folder.
			assert_equal "round $round $k: $where" \
			    "round $round $k: ${where%% *} "
			case $where in
			"sent/$k ")
				assert_equal "round $round $k delivered $n" \
				    "round $round $k delivered 1" ;;
			"held/$k ")
				# Killed while msmtp had it: it may have gone
				# out, never twice.
				[ "$n" -le 1 ] ||
				    fail "round $round $k delivered $n times"
				appt-send -o csv list | grep -q "^$k,held," ||
				    fail "round $round $k: not listed held" ;;
			*)
				fail "round $round $k: in ${where:-no folder}" ;;
			esac
		done
	done
	# Not one Message-ID arrived twice for a recipient.
	mail_ids > "$BATS_TEST_TMPDIR/ids"
	assert_equal "$(uniq -d "$BATS_TEST_TMPDIR/ids")" ""
}

@test "the server down: exit 4, queued with its error; up: delivered once by appt-send" {
	SMTP_PORT=$(free_port)		# nothing listens there yet
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T10:00 appt-remind
	assert_failure 4
	assert_equal "$stderr" "$(printf '%s\n' "$stderr" | grep "$K24")"
	[[ $stderr == *"not delivered yet (exit 75"* ]]
	[[ $stderr == *"queued for the next run"* ]]
	run --separate-stderr appt-send -o csv list
	assert_success
	assert_line --index 0 "key,state,to,attempts,last,error"
	assert_line --index 1 --regexp "^${K24//+/\\+},queued,zoe@example.org,1,2026-11-24T10:00\+01:00,\"msmtp: cannot connect to 127.0.0.1, port $SMTP_PORT: Connection refused"
	assert_equal "${#lines[@]}" 2
	# Still down: a second run tries again and counts it.
	run --separate-stderr atnow 2026-11-24T10:05 appt-remind
	assert_failure 4
	run --separate-stderr appt-send -o csv list
	assert_line --index 1 --regexp "^${K24//+/\\+},queued,zoe@example.org,2,2026-11-24T10:05\+01:00,"
	smtp_start
	run --separate-stderr atnow 2026-11-24T10:10 appt-send
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(mail_count)" 1
	run --separate-stderr atnow 2026-11-24T10:15 appt-send
	assert_success
	run --separate-stderr atnow 2026-11-24T10:20 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <$K24@example.com>"
	run --separate-stderr appt-send -o csv list
	assert_output "key,state,to,attempts,last,error"
	run cut -d, -f2,5,6 "$D/outbox/log-2026-11.csv"
	assert_output - <<-EOF
	key,result,status
	$K24,retry,75
	$K24,retry,75
	$K24,sent,0
	EOF
}

# --- SMS ---------------------------------------------------------------------

@test "an SMS reminder: {phone} is the E.164 number as one argument, the text short, on stdin" {
	smtp_start
	local sms="$BATS_TEST_TMPDIR/sms"
	sms_logger "$sms"
	salon <<-EOF
	[notify]
	channels = email, sms

	[sms]
	command = $sms --to {phone}
	EOF
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-25 11:00"	# no phone: mail only
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_success
	run cat "$BATS_TEST_TMPDIR/sms.log"
	assert_output - <<-EOF
	argc=2
	arg=--to
	arg=+491712345678
	text=Reminder: Haircut at Salon Zoë, Wed 25 Nov 10:00. Cannot come? Call +49 30 1234567
	end
	EOF
	local text=${lines[3]#text=}
	[ "${#text}" -le 160 ] || fail "${#text} characters: $text"
	run mail_ids
	assert_output - <<-EOF
	ben@example.org <remind-2-20261125T1100+0100-1440-email@example.com>
	zoe@example.org <$K24@example.com>
	EOF
	run outbox sent
	assert_line "remind-1-20261125T1000+0100-1440-sms"
	# Once per channel: another run sends neither again.
	run --separate-stderr atnow 2026-11-24T12:30 appt-remind
	assert_success
	assert_equal "$(grep -c '^argc=' "$BATS_TEST_TMPDIR/sms.log")" 1
	assert_equal "$(mail_count)" 2
}

# --- templates and dry runs --------------------------------------------------

@test "an unknown placeholder in a template override names the template and line; nothing is sent" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	cat > "$D/templates/remind.txt" <<-'EOF'
	Subject: See you on {start:%a %e %b}

	Hello {customer},

	your {service} with {staf} is tomorrow.
	EOF
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_failure
	[[ $stderr == *"templates/remind.txt:5: unknown placeholder {staf}"* ]] ||
	    fail "stderr: $stderr"
	assert_equal "$(mail_count)" 0
	assert_equal "$(ls "$D/outbox"/*/ | grep -c remind)" 0
	# Mended, the next run sends it: nothing was lost.
	sed -i 's/{staf}/{staff}/' "$D/templates/remind.txt"
	run --separate-stderr atnow 2026-11-24T12:05 appt-remind
	assert_success
	run mail_show "$K24"
	assert_line "subject: See you on Wed 25 Nov"
	assert_line "your Haircut with Sam Berger is tomorrow."
}

@test "--dry-run prints the reminders and changes nothing" {
	smtp_start
	salon
	book 1 "2026-11-25 10:00"
	book 2 "2026-11-26 10:00"
	local before
	before=$(snapshot_all)
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind --dry-run
	assert_success
	lines=("${lines[@]%$'\r'}")	# the message as it would go: CRLF
	assert_line "would queue $K24 to zoe@example.org"
	assert_line "Message-ID: <$K24@example.com>"
	assert_line --partial "Subject: Reminder: Haircut on Wed 25 Nov at 10:00"
	refute_output --partial "remind-2-"
	assert_equal "$(mail_count)" 0
	assert_equal "$(snapshot_all)" "$before"
	# The real run does what the dry one said.
	run --separate-stderr atnow 2026-11-24T12:00 appt-remind
	assert_success
	run mail_ids
	assert_output "zoe@example.org <$K24@example.com>"
}

# --- turned off ----------------------------------------------------------------

@test "remind = 0, ',' or 0m: no reminders, exit 0, and the queue still goes out" {
	local v dirs=0
	for v in 0 , 0m "0, 0m"; do
		dirs=$((dirs + 1))
		D="$BATS_TEST_TMPDIR/d$dirs"
		export APPT_DIR="$D"
		MAILDIR="$BATS_TEST_TMPDIR/maildir$dirs"
		SMTP_PORT=$(free_port)		# no server yet
		salon <<-EOF
		[notify]
		remind = $v
		EOF
		run --separate-stderr appt-check
		assert_success
		# A confirmation that could not go out waits in the queue.
		run --separate-stderr appt-book -s cut -w sam -c 1 \
		    --at "2026-11-25 10:00"
		assert_success
		run outbox queue
		assert_line "confirm-1-20261125T1000+0100-email"
		smtp_start
		run --separate-stderr atnow 2026-11-25T09:00 appt-remind
		assert_success
		assert_equal "$stderr" ""
		run outbox queue
		assert_output ""
		run mail_ids
		assert_output - <<-EOF
		sam@example.com <staff-booked-1-20261125T1000+0100-email@example.com>
		zoe@example.org <confirm-1-20261125T1000+0100-email@example.com>
		EOF
		smtp_stop
	done
}

@test "a reminder still queued when the appointment is cancelled is withdrawn, not sent" {
	SMTP_PORT=$(free_port)		# no server yet
	salon
	book 1 "2026-11-25 10:00"
	run --separate-stderr atnow 2026-11-24T10:00 appt-remind
	assert_failure 4
	run outbox queue
	assert_output "$K24"
	run --separate-stderr atnow 2026-11-24T11:00 appt-status --no-notify 1 \
	    cancelled
	assert_success
	run outbox withdrawn
	assert_output "$K24"
	smtp_start
	run --separate-stderr atnow 2026-11-24T11:05 appt-remind
	assert_success
	assert_equal "$(mail_count)" 0
	run outbox queue
	assert_output ""
}
