#!/usr/bin/env bats
# appt-review: review requests in steps after a visit and recalls of
# services (DESIGN "Follow-ups: reviews and recalls"), delivered by the
# real msmtp to a real SMTP server on 127.0.0.1 (tests/lib/smtp.bash) and
# read back with Python's email package. Each run sets its own "now".

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

REVIEW_HEADER=appointment,customer,step,due,status,created
LIST_REVIEW_HEADER=appointment,customer,customer_name,step,due,status

# Salon Zoë with [review] (lines on stdin follow in that section), and
# the visits of stdin's month rows: id,start,end,service,staff,customer,
# status (month's short form), in 2026-11 unless $1 names the month.
rsalon() {
	salon <<-EOF
	[review]
	url = https://example.com/review?place=salon
	$(cat)
	EOF
}

# Monday's 10:00 haircut of Zoë (1), done; Ben's (2) at 11:00, done.
visits() {
	month <<-EOF
	1,2026-11-23T10:00+01:00,2026-11-23T10:30+01:00,cut,sam,1,done
	2,2026-11-23T11:00+01:00,2026-11-23T11:30+01:00,cut,sam,2,done
	EOF
}

# The headers and body of the mail of key $1 as Python's email package
# reads them: List-Unsubscribe, Subject, then the body.
mail_unsub() {
	"$PY" - "$MAILDIR" "$1" <<-'EOF'
	import email, email.policy, os, sys
	d, key = sys.argv[1], sys.argv[2]
	for sub in ("new", "cur"):
	    p = os.path.join(d, sub)
	    for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
	        m = email.message_from_bytes(open(os.path.join(p, f), "rb").read(),
	            policy=email.policy.default)
	        if m["Message-ID"].startswith("<" + key + "@"):
	            print("list-unsubscribe:", m["List-Unsubscribe"])
	            print("subject:", m["Subject"])
	            sys.stdout.write(m.get_content())
	EOF
}

# Run a command that exits 0 saying $1 on stderr and changes nothing.
run_unchanged() {
	local text=$1 before
	shift
	before=$(snapshot)
	run --separate-stderr "$@"
	assert_success
	[[ $stderr == *"$text"* ]] || fail "stderr lacks '$text':
$stderr"
	assert_equal "$(snapshot)" "$before"
}

# The review keys that arrived, one a line, sorted.
arrived() {
	mail_ids | sed 's/.*<\(.*\)@example.com>$/\1/' | LC_ALL=C sort
}

# --- the steps ---------------------------------------------------------------

@test "steps at +1d, +4d and +10d, each once, with List-Unsubscribe and the URL" {
	smtp_start
	rsalon < /dev/null
	visits
	run --separate-stderr atnow 2026-11-23T12:00 appt-review queue 1
	assert_success
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,0,2026-11-24T10:30+01:00,waiting
	EOF
	run --separate-stderr atnow 2026-11-24T10:29 appt-review run
	assert_success
	assert_equal "$(mail_count)" 0
	run --separate-stderr atnow 2026-11-24T10:30 appt-review run
	assert_success
	assert_equal "$stderr" ""
	assert_equal "$(mail_count)" 1
	run mail_show review-1-1
	assert_success
	assert_line "message-id: <review-1-1@example.com>"
	assert_line "from-addr: salon@example.com"
	assert_line "to-name: Zoë Müller"
	assert_line "rcpt: zoe@example.org"
	assert_line "date-parsed: 2026-11-24T10:30:00+01:00"
	assert_line "headers-ascii: True"
	assert_line "defects: 0"
	assert_line --partial "headers: content-transfer-encoding content-type date from list-unsubscribe "
	assert_line "Hello Zoë Müller,"
	assert_line "thank you for coming in for your Haircut with Sam Berger on"
	assert_line "subject: How was your Haircut with Sam Berger?"
	assert_line "  https://example.com/review?place=salon"
	run mail_unsub review-1-1
	assert_line "list-unsubscribe: <mailto:salon@example.com?subject=unsubscribe>"
	assert_line --partial 'Reply with the subject "unsubscribe"'
	assert_line --partial "(mailto:salon@example.com?subject=unsubscribe)"
	# Again the same day, and before the next step: nothing new.
	atnow 2026-11-24T18:00 appt-review run
	atnow 2026-11-27T10:29 appt-review run
	assert_equal "$(mail_count)" 1
	atnow 2026-11-27T10:30 appt-review run
	atnow 2026-11-28T10:30 appt-review run
	assert_equal "$(mail_count)" 2
	run mail_unsub review-1-2
	assert_line "list-unsubscribe: <mailto:salon@example.com?subject=unsubscribe>"
	assert_line "  https://example.com/review?place=salon"
	atnow 2026-12-03T10:30 appt-review run
	atnow 2026-12-20T10:30 appt-review run
	atnow 2027-03-01T10:30 appt-review run
	run arrived
	assert_output - <<-EOF
	review-1-1
	review-1-2
	review-1-3
	EOF
	run mail_unsub review-1-3
	assert_line "list-unsubscribe: <mailto:salon@example.com?subject=unsubscribe>"
	run appt-review list
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,3,,expired
	EOF
	check
	assert_success
}

@test "a late run sends only the latest step due, never two at once" {
	smtp_start
	rsalon < /dev/null
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 2 > /dev/null
	run --separate-stderr atnow 2026-11-28T09:00 appt-review run
	assert_success
	run arrived
	assert_output - <<-EOF
	review-1-2
	review-2-2
	EOF
	atnow 2026-11-30T09:00 appt-review run
	assert_equal "$(mail_count)" 2
	# Months late: the last step alone.
	atnow 2027-01-10T09:00 appt-review run
	run arrived
	assert_output - <<-EOF
	review-1-2
	review-1-3
	review-2-2
	review-2-3
	EOF
}

@test "steps and templates follow [review] steps" {
	smtp_start
	rsalon <<-EOF
	steps = 2h, 3d
	EOF
	visits
	mkdir -p "$D/templates"
	printf 'Subject: Two for {customer}\n\nSee {url}, {service}.\n' \
	    > "$D/templates/review-2.txt"
	atnow 2026-11-23T12:00 appt-review queue 1 > /dev/null
	atnow 2026-11-23T12:30 appt-review run
	atnow 2026-11-26T12:30 appt-review run
	run arrived
	assert_output - <<-EOF
	review-1-1
	review-1-2
	EOF
	run mail_unsub review-1-2
	assert_line "subject: Two for Zoë Müller"
	assert_line "See https://example.com/review?place=salon, Haircut."
}

# --- stopping ----------------------------------------------------------------

@test "done stops the sequence: by appointment and by customer" {
	smtp_start
	rsalon < /dev/null
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 2 > /dev/null
	atnow 2026-11-24T12:00 appt-review run
	assert_equal "$(mail_count)" 2
	run --separate-stderr atnow 2026-11-25T09:00 appt-review done 1
	assert_success
	run --separate-stderr atnow 2026-11-25T09:00 appt-review done -c ben@example.org
	assert_success
	atnow 2026-12-20T09:00 appt-review run
	assert_equal "$(mail_count)" 2
	run appt-review list -S done
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,1,,done
	2,2,Ben Ode,1,,done
	EOF
	# Nothing to stop: exit 1, said.
	run_refused 1 "appointment 7 has no review request" appt-review done 7
	run_refused 1 "customer 3 has no review request" appt-review done -c 3
	run_refused 1 "-c nobody@example.org: no such customer" \
	    appt-review done -c nobody@example.org
}

@test "optout stops reviews for good, is shown, and a booking is still confirmed" {
	smtp_start
	rsalon < /dev/null
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 2 > /dev/null
	run --separate-stderr atnow 2026-11-23T18:00 appt-review optout zoe@example.org
	assert_success
	assert_equal "$(sed -n 1p "$D/customers.csv")" "$CUSTOMER_HEADER,optout"
	assert_equal "$(sed -n 2p "$D/customers.csv")" \
	    "1,Zoë Müller,zoe@example.org,0171 2345678,,,,2026-01-05T10:00+01:00,2026-11-23T18:00+01:00"
	run appt-customer show 1
	assert_line "optout     2026-11-23T18:00+01:00"
	# Again: said, and nothing changes.
	run_unchanged "opted out on 2026-11-23T18:00+01:00 already" \
	    appt-review optout 1
	atnow 2026-12-20T09:00 appt-review run
	run arrived
	assert_output review-2-3
	run appt-review list -S optout
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,0,,optout
	EOF
	# A new visit does not ask her again, months later too.
	appt_add 2027-06 "3,2027-06-01T10:00+02:00,2027-06-01T10:30+02:00,cut,sam,1,done,45.00,,,$OLD,$OLD,,"
	run --separate-stderr atnow 2027-06-01T12:00 appt-review queue 3
	assert_success
	assert_equal "$stderr" "appt-review: appointment 3: customer 1 opted out: not asked"
	# The messages about a booking still go.
	atnow 2027-06-02T09:00 appt-book -s cut -w sam -c 1 --at "2027-06-10 10:00" > /dev/null
	run arrived
	assert_line --regexp '^confirm-4-20270610T1000\+0200-email$'
	run mail_unsub confirm-4-20270610T1000+0200-email
	assert_line "list-unsubscribe: None"
	check
	assert_success
}

@test "optout of an unknown customer is exit 1 and changes nothing" {
	rsalon < /dev/null
	run_refused 1 "nobody@example.org: no such customer" \
	    appt-review optout nobody@example.org
	run_refused 1 "99: no such customer" appt-review optout 99
}

# --- what enters the queue ---------------------------------------------------

@test "cancelled and no-show visits never enter; a mixed batch queues the good and exits 1" {
	rsalon < /dev/null
	month <<-EOF
	1,2026-11-23T10:00+01:00,2026-11-23T10:30+01:00,cut,sam,1,done
	2,2026-11-23T11:00+01:00,2026-11-23T11:30+01:00,cut,sam,2,cancelled
	3,2026-11-23T12:00+01:00,2026-11-23T12:30+01:00,cut,sam,3,no-show
	4,2026-11-24T12:00+01:00,2026-11-24T12:30+01:00,cut,sam,3,booked
	EOF
	run_refused 1 "appointment 2 is cancelled: no review request" \
	    appt-review queue 2
	run_refused 1 "appointment 3 is no-show: no review request" \
	    appt-review queue 3
	run_refused 1 "appointment 4 is booked, not done" appt-review queue 4
	run_refused 1 "9: no such appointment" appt-review queue 9
	run --separate-stderr atnow 2026-11-23T13:00 appt-review queue 2 1 3
	assert_failure 1
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,0,2026-11-24T10:30+01:00,waiting
	EOF
	assert_equal "$stderr" "appt-review: appointment 2 is cancelled: no review request
appt-review: appointment 3 is no-show: no review request"
	# The pipe of the seed: yesterday's list, cancelled rows and all.
	rm "$D/reviews.csv"
	run --separate-stderr atnow 2026-11-24T08:00 sh -c \
	    'appt-list yesterday -o csv | appt-review queue -'
	assert_failure 1
	[[ $stderr == *"stdin:3: appointment 2 is cancelled: no review request"* ]]
	[[ $stderr == *"stdin:4: appointment 3 is no-show: no review request"* ]]
	assert_equal "$(cat "$D/reviews.csv")" "$REVIEW_HEADER
1,1,0,2026-11-24T10:30+01:00,waiting,2026-11-24T08:00+01:00"
	# With -S done it is clean.
	rm "$D/reviews.csv"
	run --separate-stderr atnow 2026-11-24T08:00 sh -c \
	    'appt-list yesterday -S done -o csv | appt-review queue -'
	assert_success
	assert_equal "$(tail -n +2 "$D/reviews.csv" | cut -d, -f1)" 1
	# Queued already: said, exit 0, nothing changes.
	run_unchanged "appointment 1 is in the review queue already" \
	    appt-review queue 1
	check
	assert_success
}

@test "bad input names the argument or stdin line and changes nothing" {
	rsalon < /dev/null
	visits
	run_refused 2 "x1: not an appointment id" appt-review queue 1 x1
	run_refused 2 "stdin:3: 0: not an appointment id" sh -c \
	    'printf "id,start\n1,\n0,\n" | appt-review queue -'
	run_refused 2 "stdin: no id column" sh -c \
	    'printf "start\n1\n" | appt-review queue -'
	run_refused 2 "-S maybe: not a status" appt-review list -S maybe
	run_refused 2 "usage" appt-review queue
	run_refused 2 "usage" appt-review frobnicate
	run_refused 2 "abc: not an appointment id" appt-review done abc
	run_refused 2 "takes no --dry-run" appt-review queue --dry-run 1
	# A broken reviews.csv is bad data, named by line.
	printf '%s\n1,1,0,tomorrow-ish,waiting,%s\n"2,2\n' "$REVIEW_HEADER" \
	    "$NOW" > "$D/reviews.csv"
	run_refused 3 "reviews.csv:3:" appt-review run
	run_refused 3 "reviews.csv:3:" appt-review queue 2
	check
	assert_failure 3
}

@test "appt-check names a bad row of reviews.csv and an optout that is not a time" {
	rsalon < /dev/null
	visits
	{
		echo "$REVIEW_HEADER"
		echo "1,1,0,2026-11-24T10:30+01:00,waiting,$NOW"
		echo "x,1,0,2026-11-24T10:30+01:00,waiting,$NOW"
		echo "2,9,0,2026-11-24T10:30+01:00,waiting,$NOW"
		echo "2,2,one,soon,asked,$NOW"
	} > "$D/reviews.csv"
	sed -i '1s/$/,optout/; 2,$s/$/,/; 2s/$/yesterday/' "$D/customers.csv"
	check
	assert_failure 3
	assert_output - <<-EOF
	customers.csv:2: optout 'yesterday': not a time (2026-11-23T09:00+01:00)
	reviews.csv:3: appointment 'x': not an appointment id
	reviews.csv:4: customer '9': no such customer in customers.csv
	reviews.csv:5: step 'one': not a whole number
	reviews.csv:5: due 'soon': not a time (2026-11-23T09:00+01:00)
	reviews.csv:5: status 'asked': not one of waiting, sent, done, optout, expired
	EOF
}

@test "cooldown: a customer is asked once within [review] cooldown" {
	smtp_start
	rsalon <<-EOF
	cooldown = 60d
	EOF
	visits
	appt_add 2026-11 "3,2026-11-30T10:00+01:00,2026-11-30T10:30+01:00,cut,sam,1,done,45.00,,,$OLD,$OLD,,"
	appt_add 2027-01 "4,2027-01-25T10:00+01:00,2027-01-25T10:30+01:00,cut,sam,1,done,45.00,,,$OLD,$OLD,,"
	atnow 2026-11-23T12:00 appt-review queue 1 > /dev/null
	run --separate-stderr atnow 2026-11-30T12:00 appt-review queue 3
	assert_success
	assert_equal "$stderr" "appt-review: appointment 3: customer 1 was asked on 2026-11-23T12:00+01:00: not again within [review] cooldown"
	assert_output "$LIST_REVIEW_HEADER"
	atnow 2026-12-20T12:00 appt-review run
	run arrived
	assert_output review-1-3
	# Past the cooldown: asked again.
	run --separate-stderr atnow 2027-01-25T12:00 appt-review queue 4
	assert_success
	assert_equal "$stderr" ""
	atnow 2027-01-26T12:00 appt-review run
	run arrived
	assert_output - <<-EOF
	review-1-3
	review-4-1
	EOF
}

@test "auto = yes: appt-status done queues the request; auto = no does not" {
	smtp_start
	rsalon <<-EOF
	auto = yes
	EOF
	book 1 "2026-11-23 10:00"
	book 2 "2026-11-23 11:00"
	atnow 2026-11-23T10:40 appt-status 1 done > /dev/null
	atnow 2026-11-23T11:40 appt-status 2 cancelled > /dev/null
	assert_equal "$(tail -n +2 "$D/reviews.csv")" \
	    "1,1,0,2026-11-24T10:40+01:00,waiting,2026-11-23T10:40+01:00"
	atnow 2026-11-24T10:40 appt-review run
	run arrived
	assert_line review-1-1
	# Without auto, nothing is queued.
	sed -i 's/^auto = yes/auto = no/' "$D/config.ini"
	book 3 "2026-11-23 12:00"
	atnow 2026-11-23T12:40 appt-status 3 done > /dev/null
	assert_equal "$(tail -n +2 "$D/reviews.csv" | wc -l)" 1
	check
	assert_success
}

# --- recalls -----------------------------------------------------------------

# A haircut recall of 42 days; visits on 1 October: Zoë's (1), Ben's (2)
# who has booked again, Cara's (3) who opted out, and Zoë's colour (4,
# no recall).
recall_salon() {
	rsalon < /dev/null
	services <<-EOF
	cut,Haircut,30m,47.50,,,,,42d,
	colour,Färben,1h,80.00,,,,,,
	EOF
	month 2026-10 <<-EOF
	1,2026-10-01T10:00+02:00,2026-10-01T10:30+02:00,cut,sam,1,done
	2,2026-10-01T11:00+02:00,2026-10-01T11:30+02:00,cut,sam,2,done
	3,2026-10-01T12:00+02:00,2026-10-01T12:30+02:00,cut,sam,3,done
	4,2026-10-01T13:00+02:00,2026-10-01T14:00+02:00,colour,sam,1,done
	5,2026-10-02T13:00+02:00,2026-10-02T13:30+02:00,cut,sam,1,cancelled
	EOF
	month 2026-12 <<-EOF
	6,2026-12-02T10:00+01:00,2026-12-02T10:30+01:00,cut,sam,2,booked
	EOF
	sed -i '1s/$/,optout/; 2,$s/$/,/; 4s/$/2026-11-01T10:00+01:00/' \
	    "$D/customers.csv"
}

@test "recall: due once, not before, none with a later booking or an optout" {
	smtp_start
	recall_salon
	# 42 days of 24 hours after 10:00 summer time: 09:00 winter time.
	run --separate-stderr atnow 2026-11-12T08:59 appt-review run
	assert_success
	assert_equal "$(mail_count)" 0
	run --separate-stderr atnow 2026-11-12T09:00 appt-review run
	assert_success
	assert_equal "$stderr" ""
	run arrived
	assert_output recall-1
	run mail_unsub recall-1
	assert_line "list-unsubscribe: <mailto:salon@example.com?subject=unsubscribe>"
	assert_line "subject: Time for your next Haircut?"
	assert_line --partial "with Sam Berger was on 1 October 2026"
	assert_line --partial "(mailto:salon@example.com?subject=unsubscribe)"
	# Once: later runs send nothing more.
	atnow 2026-11-12T18:00 appt-review run
	atnow 2026-11-20T10:00 appt-review run
	run arrived
	assert_output recall-1
	# Ben's later booking cancelled: his recall goes after all.
	sed -i 's/,cut,sam,2,booked,/,cut,sam,2,cancelled,/' \
	    "$D/appointments/2026-12.csv"
	atnow 2026-11-20T10:05 appt-review run
	run arrived
	assert_output - <<-EOF
	recall-1
	recall-2
	EOF
	check
	assert_success
}

@test "appt-remind sends the review steps and recalls too" {
	smtp_start
	recall_salon
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 > /dev/null
	run --separate-stderr atnow 2026-11-24T10:30 appt-remind
	assert_success
	run arrived
	assert_output - <<-EOF
	recall-1
	review-1-1
	EOF
	run --separate-stderr atnow 2026-11-24T10:35 appt-remind
	assert_success
	assert_equal "$(mail_count)" 2
}

# --- safety ------------------------------------------------------------------

@test "run --dry-run shows what would go and changes nothing" {
	smtp_start
	recall_salon
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 > /dev/null
	before=$(snapshot_all)
	run --separate-stderr atnow 2026-11-24T10:30 appt-review run --dry-run
	assert_success
	assert_line "would queue review-1-1 to zoe@example.org"
	assert_line "would queue recall-1 to zoe@example.org"
	assert_line --partial "List-Unsubscribe: <mailto:salon@example.com?subject=unsubscribe>"
	assert_equal "$(snapshot_all)" "$before"
	run --separate-stderr atnow 2026-11-24T10:30 appt-remind --dry-run
	assert_success
	assert_line "would queue review-1-1 to zoe@example.org"
	assert_equal "$(snapshot_all)" "$before"
	assert_equal "$(mail_count)" 0
}

@test "five overlapping runs send each step once" {
	smtp_start
	recall_salon
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 2 > /dev/null
	five_at_once "2026-11-24T12:00 2026-11-27T12:00" appt-review run
	run mail_ids
	assert_output - <<-EOF
	ben@example.org <review-2-1@example.com>
	ben@example.org <review-2-2@example.com>
	zoe@example.org <recall-1@example.com>
	zoe@example.org <review-1-1@example.com>
	zoe@example.org <review-1-2@example.com>
	EOF
	check
	assert_success
}

@test "kill -9 at each rename of a run, then another run: nothing twice" {
	command -v strace > /dev/null || skip "strace is not installed"
	smtp_start
	local T=$BATS_TEST_TMPDIR n k key where c
	recall_salon
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 2 > /dev/null
	cp -a "$D" "$T/old"
	# How many renames a whole run makes.
	cp -a "$T/old" "$T/count"
	APPT_NOW=2026-11-24T12:00 ASAN_OPTIONS=detect_leaks=0:exitcode=99 \
	    strace -f -o "$T/trace" -e trace=rename,renameat,renameat2 \
	    appt-review -d "$T/count" run > /dev/null
	# Every rename of the queueing and saving, and the first delivery's.
	grep -E '^[0-9]+ +rename' "$T/trace" > "$T/renames"
	n=$(grep -n 'reviews.idx' "$T/renames" | cut -d: -f1)
	[ -n "$n" ] && [ "$n" -ge 4 ] || fail "no save of .reviews.idx"
	n=$((n + 2))
	msmtp_settle
	for k in $(seq 1 "$n"); do
		rm -rf "$D"
		rm -f "$MAILDIR"/new/* "$MAILDIR"/cur/*
		cp -a "$T/old" "$D"
		APPT_NOW=2026-11-24T12:00 ASAN_OPTIONS=detect_leaks=0:exitcode=99 \
		    strace -f -o /dev/null -e trace=rename,renameat,renameat2 \
		    -e inject=rename,renameat,renameat2:signal=KILL:when=$k \
		    appt-review run > /dev/null 2>&1 || true
		msmtp_settle
		run --separate-stderr atnow 2026-11-24T12:05 appt-review run
		[ "$status" -eq 0 ] || [ "$status" -eq 4 ] ||
		    fail "kill at rename $k, then: exit $status: $stderr"
		msmtp_settle
		for key in review-1-1 review-2-1 recall-1; do
			c=$(mail_ids | grep -c "<$key@" || true)
			where=$(cd "$D/outbox" && ls -d */"$key" 2>/dev/null |
			    tr '\n' ' ')
			case $where in
			"sent/$key ")
				assert_equal "kill $k: $key delivered $c" \
				    "kill $k: $key delivered 1" ;;
			"held/$key ")
				[ "$c" -le 1 ] ||
				    fail "kill $k: $key delivered $c times" ;;
			*)
				fail "kill $k: $key in ${where:-no folder}" ;;
			esac
		done
		assert_equal "kill $k: $(tail -n +2 "$D/reviews.csv" | cut -d, -f3,5 | paste -sd' ')" \
		    "kill $k: 1,sent 1,sent"
		run appt-check
		[ "$status" -eq 0 ] || fail "kill $k: appt-check: $output"
	done
}

# --- around the command ------------------------------------------------------

@test "appt-init --example has requests waiting, which appt-check accepts" {
	appt-init --example "$D" > /dev/null
	run appt-review list -S waiting
	assert_success
	assert_line --index 0 "$LIST_REVIEW_HEADER"
	[ "${#lines[@]}" -ge 4 ]
	run appt-review list -S sent
	assert_output "$LIST_REVIEW_HEADER"
	check
	assert_success
	run --separate-stderr appt-review run --dry-run
	assert_success
	assert_line --regexp '^would queue review-[0-9]+-1 to '
}

@test "without [review] url requests wait, and the run says so with exit 3" {
	smtp_start
	salon < /dev/null
	visits
	atnow 2026-11-23T12:00 appt-review queue 1 > /dev/null
	before=$(snapshot)
	run --separate-stderr atnow 2026-11-24T12:00 appt-review run
	assert_failure 3
	assert_equal "$stderr" "appt-review: config.ini: [review] url is not set: review requests wait until it is"
	assert_equal "$(snapshot)" "$before"
	assert_equal "$(mail_count)" 0
	printf '\n[review]\nurl = https://example.com/r\n' >> "$D/config.ini"
	run --separate-stderr atnow 2026-11-24T12:00 appt-review run
	assert_success
	assert_equal "$(arrived)" review-1-1
}

@test "appt help lists appt-review, and -h prints its usage" {
	run appt help
	assert_line --regexp '^  review +ask for reviews after a visit, send recalls$'
	run appt-review -h
	assert_success
	assert_line --index 0 --partial "appt-review [-hV] [-d DIR] [-o FMT] queue ID..."
}

@test "a reviews.csv from a spreadsheet (BOM, CRLF) is read, and written whole" {
	smtp_start
	rsalon < /dev/null
	visits
	printf '\xef\xbb\xbf%s\r\n%s\r\n%s\r\n' "$REVIEW_HEADER,note" \
	    "2,2,0,2026-11-24T11:30+01:00,waiting,$NOW,mine" \
	    "1,1,0,2026-11-24T10:30+01:00,waiting,$NOW," > "$D/reviews.csv"
	run --separate-stderr atnow 2026-11-24T11:00 appt-review run
	assert_success
	assert_equal "$(arrived)" review-1-1
	assert_equal "$(cat "$D/reviews.csv")" "$REVIEW_HEADER,note
2,2,0,2026-11-24T11:30+01:00,waiting,$NOW,mine
1,1,1,2026-11-27T10:30+01:00,sent,$NOW,"
	# Then in place, the user's column kept.
	atnow 2026-11-24T11:30 appt-review run
	assert_equal "$(cat "$D/reviews.csv")" "$REVIEW_HEADER,note
2,2,1,2026-11-27T11:30+01:00,sent,$NOW,mine
1,1,1,2026-11-27T10:30+01:00,sent,$NOW,"
	run arrived
	assert_output - <<-EOF
	review-1-1
	review-2-1
	EOF
	check
	assert_success
}

@test "runs after closed requests read on from the first open one, and miss none" {
	smtp_start
	rsalon <<-EOF
	cooldown = 0
	EOF
	month <<-EOF
	1,2026-11-02T10:00+01:00,2026-11-02T10:30+01:00,cut,sam,1,done
	2,2026-11-09T10:00+01:00,2026-11-09T10:30+01:00,cut,sam,2,done
	3,2026-11-16T10:00+01:00,2026-11-16T10:30+01:00,cut,sam,3,done
	4,2026-11-23T10:00+01:00,2026-11-23T10:30+01:00,cut,sam,1,done
	EOF
	atnow 2026-11-02T12:00 appt-review queue 1 > /dev/null
	atnow 2026-11-09T12:00 appt-review queue 2 > /dev/null
	atnow 2026-11-10T12:00 appt-review run
	atnow 2026-11-10T12:05 appt-review done 1
	atnow 2026-11-16T12:00 appt-review queue 3 > /dev/null
	for t in 2026-11-17T12:00 2026-11-19T12:00 2026-11-20T12:00; do
		atnow $t appt-review run
	done
	assert_file_exist "$D/.reviews.idx"
	atnow 2026-11-23T12:00 appt-review queue 4 > /dev/null
	for t in 2026-11-24T12:00 2026-11-26T12:00 2026-11-27T12:00 \
	    2026-12-03T12:00; do
		atnow $t appt-review run
	done
	run arrived
	assert_output - <<-EOF
	review-1-2
	review-2-1
	review-2-2
	review-2-3
	review-3-1
	review-3-2
	review-3-3
	review-4-1
	review-4-2
	review-4-3
	EOF
	run appt-review list
	assert_output - <<-EOF
	$LIST_REVIEW_HEADER
	1,1,Zoë Müller,2,,done
	2,2,Ben Ode,3,,expired
	3,3,Cara Diaz,3,,expired
	4,1,Zoë Müller,3,,expired
	EOF
	check
	assert_success
}

@test "a bad [review] auto or cooldown is config.ini:LINE, exit 3" {
	rsalon <<-EOF
	auto = maybe
	cooldown = soon
	EOF
	visits
	check
	assert_failure 3
	assert_output - <<-EOF
	config.ini:$(grep -n '^auto' "$D/config.ini" | cut -d: -f1): review:auto: not yes or no
	config.ini:$(grep -n '^cooldown' "$D/config.ini" | cut -d: -f1): review:cooldown: not a duration (30m, 2h, 1d, 1h30m)
	EOF
	run_refused 3 "review:auto: not yes or no" appt-review queue 1
	run_refused 3 "review:auto: not yes or no" appt-status 1 done --force
}

@test "an empty reviews.csv, or none, is an empty queue" {
	rsalon < /dev/null
	visits
	: > "$D/reviews.csv"
	run --separate-stderr appt-review run
	assert_success
	assert_equal "$stderr" ""
	run appt-review list
	assert_output "$LIST_REVIEW_HEADER"
	rm "$D/reviews.csv"
	run --separate-stderr appt-review run
	assert_success
	assert_file_not_exist "$D/reviews.csv"
	run --separate-stderr appt-review queue 1
	assert_success
	assert_equal "$(head -n 1 "$D/reviews.csv")" "$REVIEW_HEADER"
	check
	assert_success
}

@test "optout writes the customer's record in its place: the others byte for byte, the index kept" {
	rsalon < /dev/null
	visits
	# A file that has the column: the record is replaced where it is.
	sed -i "1s/\$/,optout/; 2,\$s/\$/,/" "$D/customers.csv"
	appt-customer show 2 > /dev/null	# makes .customers.idx
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/before"
	run --separate-stderr atnow 2026-11-23T18:00 appt-review optout ben@example.org
	assert_success
	run diff "$BATS_TEST_TMPDIR/before" "$D/customers.csv"
	assert_output "3c3
< 2,Ben Ode,ben@example.org,,,,,2026-01-05T10:00+01:00,
---
> 2,Ben Ode,ben@example.org,,,,,2026-01-05T10:00+01:00,2026-11-23T18:00+01:00"
	assert_custidx_fresh
	run appt-customer show 2
	assert_line "optout     2026-11-23T18:00+01:00"
	check
	assert_success
}
