# Mail for the suites that deliver: the real msmtp talking to a real SMTP
# server on 127.0.0.1 (Debian's python3-aiosmtpd, its Mailbox handler
# writing a maildir), and readers of what arrived. /usr/bin/python3 on
# purpose: a python3 earlier in PATH may lack Debian's modules.
#
# Each test gets its own port and maildir under $BATS_TEST_TMPDIR; loaded
# from setup, this file makes teardown stop the server.

PY=/usr/bin/python3
MAILDIR="$BATS_TEST_TMPDIR/maildir"
SMTP_PORT=
SMTP_PID=

# A TCP port of 127.0.0.1 that nothing listens on now.
free_port() {
	"$PY" -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

# Is something accepting connections on 127.0.0.1:$1?
port_open() {
	"$PY" -c 'import socket, sys
s = socket.socket()
s.settimeout(1)
try:
    s.connect(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)' "$1"
}

# Start the server on $SMTP_PORT (chosen now if empty) and wait until it
# accepts connections, some 20 s at most; the handler makes the maildir.
# Should the port have been taken in between, another is tried (unless
# the test fixed the port).
smtp_start() {
	local try i fixed=$SMTP_PORT
	for try in 1 2 3; do
		[ -n "$fixed" ] || SMTP_PORT=$(free_port)
		# No inherited descriptor of bats: it would wait for them.
		"$PY" -m aiosmtpd -n -l "127.0.0.1:$SMTP_PORT" \
		    -c "${SMTP_HANDLER:-aiosmtpd.handlers.Mailbox}" "$MAILDIR" \
		    ${SMTP_HANDLER:+"$BATS_TEST_TMPDIR/reply"} \
		    > "$BATS_TEST_TMPDIR/smtpd.log" 2>&1 < /dev/null 3>&- &
		SMTP_PID=$!
		for i in $(seq 200); do
			if ! kill -0 "$SMTP_PID" 2>/dev/null; then
				break
			fi
			if port_open "$SMTP_PORT"; then
				return 0
			fi
			sleep 0.1
		done
		smtp_stop
	done
	echo "the SMTP server did not start:" >&2
	cat "$BATS_TEST_TMPDIR/smtpd.log" >&2
	return 1
}

# The server, but answering RCPT TO with the line in $BATS_TEST_TMPDIR/reply
# ("550 5.1.1 no such user"), read at each command; empty: accepted.
smtp_start_refusing() {
	cat > "$BATS_TEST_TMPDIR/refuse.py" <<-'EOF'
	from aiosmtpd.handlers import Mailbox
	class Refuse(Mailbox):
	    def __init__(self, mail_dir, reply):
	        super().__init__(mail_dir)
	        self.reply = reply
	    async def handle_RCPT(self, server, session, envelope, address,
	            rcpt_options):
	        with open(self.reply) as f:
	            r = f.read().strip()
	        if r:
	            return r
	        envelope.rcpt_tos.append(address)
	        return "250 OK"
	    @classmethod
	    def from_cli(cls, parser, *args):
	        return cls(args[0], args[1])
	EOF
	: > "$BATS_TEST_TMPDIR/reply"
	PYTHONPATH="$BATS_TEST_TMPDIR" SMTP_HANDLER=refuse.Refuse smtp_start
}

smtp_stop() {
	if [ -n "$SMTP_PID" ]; then
		kill "$SMTP_PID" 2>/dev/null || true
		wait "$SMTP_PID" 2>/dev/null || true
		SMTP_PID=
	fi
}

teardown() {
	smtp_stop
}

# The [mail] section for msmtp and the server's port.
mail_section() {
	cat <<-EOF
	[mail]
	sendmail = msmtp
	args = --host=127.0.0.1 --port=$SMTP_PORT --from=salon@example.com
	EOF
}

# Wait (10 s at most) until no msmtp of this test's server runs: one whose
# sender was killed finishes on its own.
msmtp_settle() {
	local i
	for i in $(seq 100); do
		pgrep -f -- "--port=$SMTP_PORT( |$)" > /dev/null || return 0
		sleep 0.1
	done
	echo "msmtp still running after 10 s" >&2
	return 1
}

# Number of messages that arrived.
mail_count() {
	find "$MAILDIR/new" "$MAILDIR/cur" -type f 2>/dev/null | wc -l
}

# Every message that arrived as "ENVELOPE-RECIPIENTS MESSAGE-ID", sorted:
# a duplicate shows as a repeated line.
mail_ids() {
	"$PY" - "$MAILDIR" <<-'EOF'
	import mailbox, sys
	out = []
	for m in mailbox.Maildir(sys.argv[1], create=False):
	    out.append("%s %s" % (m["X-RcptTo"], m["Message-ID"]))
	for l in sorted(out):
	    print(l)
	EOF
}

# The one message whose Message-ID is <KEY@...>, read with Python's email
# package (policy.default decodes RFC 2047): one "name: value" line per
# header and fact, then "body:" and the decoded body. Fails unless exactly
# one such message arrived. to-decoded is To: decoded by email.header,
# which drops the white space between adjacent encoded words as RFC 2047
# 6.2 says (policy.default keeps it inside a display name).
mail_show() {
	"$PY" - "$MAILDIR" "$1" <<-'EOF'
	import email, email.header, email.policy, email.utils, mailbox, os, sys
	d, key = sys.argv[1], sys.argv[2]
	found = []
	for sub in ("new", "cur"):
	    p = os.path.join(d, sub)
	    for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
	        raw = open(os.path.join(p, f), "rb").read()
	        m = email.message_from_bytes(raw, policy=email.policy.default)
	        if m["Message-ID"].startswith("<" + key + "@"):
	            found.append((raw, m))
	if len(found) != 1:
	    print("%d messages with the key %s" % (len(found), key))
	    sys.exit(1)
	raw, m = found[0]
	head, _, _ = raw.partition(b"\n\n")
	print("date:", m["Date"])
	print("date-parsed:", email.utils.parsedate_to_datetime(m["Date"])
	    .isoformat())
	print("message-id:", m["Message-ID"])
	f, t = m["From"].addresses[0], m["To"].addresses[0]
	print("from-name:", f.display_name)
	print("from-addr:", f.addr_spec)
	print("to-name:", t.display_name)
	print("to-addr:", t.addr_spec)
	print("to-count:", len(m["To"].addresses))
	raw_to = email.message_from_bytes(raw)["To"]
	print("to-decoded:", email.header.make_header(
	    email.header.decode_header(raw_to)))
	print("rcpt:", m["X-RcptTo"])
	print("subject:", m["Subject"])
	print("headers:", " ".join(sorted(set(k.lower() for k in m.keys()))))
	print("headers-ascii:", all(b < 128 for b in head))
	print("charset:", m.get_content_charset())
	print("max-line:", max(len(l.rstrip(b"\r")) for l in raw.split(b"\n")))
	print("defects:", sum(len(m[k].defects) for k in m.keys()))
	print("body:")
	sys.stdout.write(m.get_content())
	EOF
}

# The mail of key $1 is the salon's to Zoë Müller about her haircut with
# Sam Berger on Wednesday 25 November 2026 at 10:00: sender, recipient,
# greeting and appointment, ASCII headers, a UTF-8 body, no defects.
# $output is left to mail_show's lines, for what this kind of mail says.
assert_zoe_mail() {
	run mail_show "$1"
	assert_success
	assert_line "message-id: <$1@example.com>"
	assert_line "from-name: Salon Zoë"
	assert_line "from-addr: salon@example.com"
	assert_line "to-name: Zoë Müller"
	assert_line "to-addr: zoe@example.org"
	assert_line "rcpt: zoe@example.org"
	assert_line "headers-ascii: True"
	assert_line "charset: utf-8"
	assert_line "defects: 0"
	assert_line "Hello Zoë Müller,"
	assert_line "  Haircut with Sam Berger"
	assert_line "  Wednesday 25 November 2026, 10:00"
	assert_line "  Salon Zoë, Hauptstr. 1, 10115 Berlin"
}

# --- the business that sends ------------------------------------------------

# The fixture as Salon Zoë (-m: salon@example.com, +49 30 1234567,
# Hauptstr. 1), mail through msmtp to the test's server; open every day
# 08:00-20:00, no notice needed; one staff member with mail (sam), two
# services, three customers (1 Zoë Müller with a mobile number written
# without +49, 2 Ben Ode, 3 Cara Diaz). Lines on stdin are added to
# config.ini (a section of their own, e.g. [notify]).
salon() {
	fixture -n "Salon Zoë" -m -s sam \
	    -h "$(printf '%s = 08:00-20:00\n' mon tue wed thu fri sat sun)" \
	    -b $'granularity = 15m\nmin_notice = 0\nhorizon = 90d' \
	    -c "$(mail_section; if [ ! -t 0 ]; then echo; cat; fi)"
	services <<-EOF
	cut,Haircut,30m,47.50,,,,,,
	colour,Färben,1h,80.00,,,,,,
	EOF
	customers <<-EOF
	1,Zoë Müller,zoe@example.org,0171 2345678,,,,2026-01-05T10:00+01:00
	2,Ben Ode,ben@example.org,,,,,2026-01-05T10:00+01:00
	3,Cara Diaz,cara@example.org,,,,,2026-01-05T10:00+01:00
	EOF
}

# Book customer $1 for a haircut with sam at $2, without notices.
book() {
	appt-book --no-notify -s cut -w sam -c "$1" --at "$2" > /dev/null
}

# Run a command with "now" at $1.
atnow() {
	APPT_NOW=$1 "${@:2}"
}

# The outbox key of a reminder: appointment $1, start $2 (as stored),
# lead $3 (minutes), channel $4 (email).
rkey() {
	echo "remind-$1-$(echo "$2" | tr -d :-)-$3-${4:-email}"
}

# The keys in outbox/$1 (queue, sending, sent, held, withdrawn), sorted.
outbox() {
	ls "$D/outbox/$1" 2>/dev/null | LC_ALL=C sort
}

# An [sms] command at $1 that logs, to sms.log beside it, each call: its
# arguments (argc=, arg=) and the text on its stdin (text=...end).
sms_logger() {
	cat > "$1" <<-'EOF2'
	#!/bin/sh
	log=$(dirname "$0")/sms.log
	{ echo "argc=$#"; for a in "$@"; do echo "arg=$a"; done
	  printf 'text='; cat; echo "end"; } >> "$log"
	EOF2
	chmod +x "$1"
}

# Five runs of a command at once, at each of the times $1 (space
# separated), each killed after 120 s; each must exit 0.
five_at_once() {
	local when i rc pids
	for when in $1; do
		pids=()
		for i in 1 2 3 4 5; do
			APPT_NOW=$when timeout -s KILL 120 "${@:2}" \
			    > "$BATS_TEST_TMPDIR/run$i.out" 2>&1 3>&- &
			pids+=($!)
		done
		for i in 1 2 3 4 5; do
			rc=0
			wait "${pids[i - 1]}" || rc=$?
			if [ "$rc" -ne 0 ]; then
				cat "$BATS_TEST_TMPDIR/run$i.out"
			fi
			assert_equal "run $i at $when: $rc" "run $i at $when: 0"
		done
	done
}
