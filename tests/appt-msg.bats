#!/usr/bin/env bats
# appt-msg: messages to the customer through the outbox (real msmtp, real
# SMTP server on 127.0.0.1, the mail read back with Python's email
# package), SMS through a stand-in command, and inbound mail as a mail
# client writes it (made with Python's email package) filed by
# appt-msg receive, hostile and malformed mail too, and the thread.
# Now is Monday 2026-11-23T08:00 Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

# Salon Zoë (tests/lib/smtp.bash: staff sam@example.com, customers 1 Zoë
# zoe@example.org, 2 Ben ben@example.org, 3 Cara cara@example.org) with
# these appointments, all haircuts with sam:
#   1 Zoë  Wed 25 Nov 10:00 booked
#   2 Ben  Fri 20 Nov 10:00 done        (past)
#   3 Ben  Tue 24 Nov 10:00 cancelled
#   4 Ben  Thu  3 Dec 10:00 confirmed
#   5 Ben  Fri 27 Nov 09:00 booked      (Ben's next)
#   6 Cara Sat 10 Oct 10:00 done
#   7 Cara Mon  2 Nov 10:00 no-show     (Cara's latest)
# Lines on stdin go to config.ini as for salon.
msalon() {
	salon
	local a
	for a in "1,2026-11-25T10:00+01:00,2026-11-25T10:30+01:00,1,booked" \
	    "2,2026-11-20T10:00+01:00,2026-11-20T10:30+01:00,2,done" \
	    "3,2026-11-24T10:00+01:00,2026-11-24T10:30+01:00,2,cancelled" \
	    "5,2026-11-27T09:00+01:00,2026-11-27T09:30+01:00,2,booked" \
	    "7,2026-11-02T10:00+01:00,2026-11-02T10:30+01:00,3,no-show"; do
		IFS=, read -r id s e c st <<< "$a"
		appt_add 2026-11 "$id,$s,$e,cut,sam,$c,$st,47.50,,,$OLD,$OLD,,"
	done
	appt_add 2026-12 "4,2026-12-03T10:00+01:00,2026-12-03T10:30+01:00,cut,sam,2,confirmed,47.50,,,$OLD,$OLD,,"
	appt_add 2026-10 "6,2026-10-10T10:00+02:00,2026-10-10T10:30+02:00,cut,sam,3,done,47.50,,,$OLD,$OLD,,"
}

# A mail made by Python's email package as a mail client makes it: the
# Python code on stdin sets up m, an EmailMessage with Date and
# Message-ID already; the mail goes to the file $1.
mkmail() {
	{
		cat <<-'EOF'
		import email.message, email.policy, email.utils, os, sys
		m = email.message.EmailMessage()
		m["Date"] = email.utils.format_datetime(
		    email.utils.localtime())
		m["Message-ID"] = email.utils.make_msgid(domain="client.example")
		m["User-Agent"] = "Mozilla Thunderbird"
		EOF
		cat
		echo 'open(sys.argv[1], "wb").write(m.as_bytes(policy=email.policy.SMTP))'
	} > "$BATS_TEST_TMPDIR/mk.py"
	"$PY" "$BATS_TEST_TMPDIR/mk.py" "$1"
}

# A small real PNG image into $1.
png() {
	"$PY" - "$1" <<-'EOF'
	import struct, sys, zlib
	def chunk(t, d):
	    c = t + d
	    return struct.pack(">I", len(d)) + c + struct.pack(">I",
	        zlib.crc32(c))
	raw = b"".join(b"\0" + b"\xff\x00\x00" * 4 for _ in range(4))
	open(sys.argv[1], "wb").write(b"\x89PNG\r\n\x1a\n" +
	    chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0)) +
	    chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))
	EOF
}

# The mail of key $1 as Python's email package reads it: "text: LINE"
# for each line of the plain text, then "file: NAME SHA256 TYPE" for each
# attachment, in order.
mail_parts() {
	"$PY" - "$MAILDIR" "$1" <<-'EOF'
	import email, email.policy, hashlib, os, sys
	d, key = sys.argv[1], sys.argv[2]
	found = []
	for sub in ("new", "cur"):
	    for f in sorted(os.listdir(os.path.join(d, sub))):
	        m = email.message_from_bytes(open(os.path.join(d, sub, f),
	            "rb").read(), policy=email.policy.default)
	        if m["Message-ID"].startswith("<" + key + "@"):
	            found.append(m)
	if len(found) != 1:
	    sys.exit("%d mails of key %s" % (len(found), key))
	m = found[0]
	print("type:", m.get_content_type())
	print("from:", m["From"])
	print("to:", m["To"])
	print("defects:", len(m.defects) + sum(len(p.defects) for p in m.walk()))
	for l in m.get_body(preferencelist=("plain",)).get_content().splitlines():
	    print("text:", l)
	for p in m.iter_attachments():
	    print("file:", p.get_filename(),
	        hashlib.sha256(p.get_payload(decode=True)).hexdigest(),
	        p.get_content_type())
	EOF
}

sha() {
	sha256sum "$1" | cut -d' ' -f1
}

# The message folders of conversation $1, in order.
folders() {
	ls "$D/messages/$1" 2>/dev/null | LC_ALL=C sort
}

# Receive the mail in file $1; $status, $output, $stderr as run leaves them.
receive() {
	run --separate-stderr appt-msg receive < "$1"
}

# --- out ----------------------------------------------------------------------

@test "appt-msg: text and two files arrive by mail, byte for byte, and are kept" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	png "$t/photo.png"
	head -c 70000 /dev/urandom > "$t/Überweisung 2.pdf"
	run --separate-stderr appt-msg 1 --attach "$t/photo.png" \
	    --attach "$t/Überweisung 2.pdf" "Please bring the old prescription.
And the form, signed."
	assert_success
	assert_equal "$stderr" ""
	run mail_parts msg-1-0001-email
	assert_success
	assert_line "type: multipart/mixed"
	assert_line "defects: 0"
	assert_line "text: Hello Zoë Müller,"
	assert_line "text: Please bring the old prescription."
	assert_line "text: And the form, signed."
	assert_line "file: photo.png $(sha "$t/photo.png") image/png"
	assert_line "file: Überweisung 2.pdf $(sha "$t/Überweisung 2.pdf") application/pdf"
	assert_line "from: Salon Zoë <salon@example.com>"
	assert_line "to: Zoë Müller <zoe@example.org>"
	# The copy: the text and the files.
	assert_equal "$(folders 1)" "0001-out"
	cmp "$t/photo.png" "$D/messages/1/0001-out/photo.png"
	cmp "$t/Überweisung 2.pdf" "$D/messages/1/0001-out/Überweisung 2.pdf"
	grep -qx "Please bring the old prescription." \
	    "$D/messages/1/0001-out/message.txt"
	assert_equal "$(outbox sent)" "msg-1-0001-email"
	assert_mode 600 "$D/messages/1/0001-out/photo.png"
	assert_mode 700 "$D/messages/1/0001-out"
	check
	assert_success
}

@test "appt-msg: text only is a plain mail; the text can come on stdin" {
	smtp_start
	msalon
	run --separate-stderr appt-msg 1 - <<< "See you Wednesday."
	assert_success
	run mail_show msg-1-0001-email
	assert_success
	assert_line "See you Wednesday."
	assert_line "charset: utf-8"
}

@test "appt-msg: a missing or unreadable file is refused and nothing is queued" {
	msalon
	run_refused 2 "nope.pdf: No such file or directory" \
	    appt-msg 1 --attach "$BATS_TEST_TMPDIR/nope.pdf" "Here"
	run_refused 2 "not a file" appt-msg 1 --attach "$BATS_TEST_TMPDIR" \
	    "Here"
	assert [ ! -e "$D/outbox/queue" ]
}

@test "appt-msg: bad ids, empty text and control characters are refused" {
	msalon
	run_refused 2 "x1: not an appointment id" appt-msg x1 "Hello"
	run_refused 1 "99: no such appointment" appt-msg 99 "Hello"
	run_refused 2 "the text is empty" appt-msg 1 " "
	run_refused 2 "TEXT" appt-msg 1 $'Hi\033[2J'
}

@test "appt-msg: by SMS the text alone goes; files are refused there" {
	sms=$BATS_TEST_TMPDIR/sms
	printf '#!/bin/sh\necho "$1" >> %s.to\ncat >> %s.text\n' "$sms" \
	    "$sms" > "$sms"
	chmod +x "$sms"
	msalon <<-EOF
	[sms]
	command = $sms {phone}
	EOF
	echo "4,Lukas Schmidt,,+49 152 3334455,,,,2026-01-05T10:00+01:00" \
	    >> "$D/customers.csv"
	ids_last customers 4
	appt_add 2026-11 "8,2026-11-26T10:00+01:00,2026-11-26T10:30+01:00,cut,sam,4,booked,47.50,,,$OLD,$OLD,,"
	run --separate-stderr appt-msg 8 "Running 10 minutes late, sorry."
	assert_success
	assert_equal "$(cat "$sms.to")" "+491523334455"
	assert_equal "$(cat "$sms.text")" \
	    "Salon Zoë: Running 10 minutes late, sorry."
	assert_equal "$(outbox sent)" "msg-8-0001-sms"
	run_refused 1 "no email address" appt-msg 8 --attach "$sms" "Photo"
}

# --- in -----------------------------------------------------------------------

@test "receive: a reply is filed by In-Reply-To, with its image, and sam is told" {
	smtp_start
	msalon
	appt-msg 1 "Could you send a photo of the colour you want?"
	t=$BATS_TEST_TMPDIR
	png "$t/photo.png"
	# From an address on no record: only In-Reply-To can file it.
	mkmail "$t/reply.eml" <<-EOF
	m["From"] = "Zoë Müller <zoe.mueller@mail.example>"
	m["To"] = "Salon Zoë <salon@example.com>"
	m["Subject"] = "Re: About your Haircut on Wed 25 Nov at 10:00"
	m["In-Reply-To"] = "<msg-1-0001-email@example.com>"
	m["References"] = "<msg-1-0001-email@example.com>"
	m.set_content("Here it is — the one on the left.\nGrüße, Zoë\n",
	    cte="quoted-printable")
	m.add_attachment(open("$t/photo.png", "rb").read(), maintype="image",
	    subtype="png", filename="Farbe für Zoë.png")
	EOF
	grep -q "quoted-printable" "$t/reply.eml"
	grep -q "filename\*=utf-8''Farbe%20f%C3%BCr" "$t/reply.eml"
	receive "$t/reply.eml"
	assert_success
	assert_equal "$(folders 1)" "0001-out
0002-in"
	f=$D/messages/1/0002-in
	cmp "$t/photo.png" "$f/Farbe für Zoë.png"
	cmp "$t/reply.eml" "$f/mail.eml"
	grep -qx "Here it is — the one on the left." "$f/message.txt"
	grep -qx "Filed: by reply" "$f/message.txt"
	grep -qx "From: Zoë Müller <zoe.mueller@mail.example>" "$f/message.txt"
	run mail_show staff-msg-1-0002-email
	assert_success
	assert_line "to-addr: sam@example.com"
	assert_line "Here it is — the one on the left."
	assert_line "File: Farbe für Zoë.png"
	assert_line --partial "appointment 1 (Haircut, Wed 25 Nov 10:00)"
	check
	assert_success
}

@test "receive: References to a confirmation file it under that appointment" {
	smtp_start
	msalon
	mkdir -p "$D/outbox/sent" "$D/outbox/queue"
	echo "appt-to: ben@example.org" > \
	    "$D/outbox/sent/confirm-5-20261127T0900+0100-email"
	mkmail "$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	m["From"] = "Someone <someone@mail.example>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Re: Re: Your Haircut"
	m["In-Reply-To"] = "<xyz@mail.example>"
	m["References"] = "<confirm-5-20261127T0900+0100-email@example.com> <xyz@mail.example>"
	m.set_content("Can we make it 9:30?")
	EOF
	receive "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_equal "$(folders 5)" "0001-in"
}

@test "receive: a Message-ID appt did not make files nothing: no forged reply" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	m["From"] = "Mallory <mallory@mail.example>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Re: your appointment"
	m["In-Reply-To"] = "<msg-5-0001-email@example.com>"
	m["References"] = "<confirm-1-x-email@elsewhere.example>"
	m.set_content("Hello")
	EOF
	receive "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert [ ! -e "$D/messages/5" ]
	assert [ ! -e "$D/messages/1" ]
	assert_equal "$(folders unmatched)" "0001-in"
}

@test "receive: by sender, the next booked or confirmed one, else the latest past" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/ben.eml" <<-'EOF'
	m["From"] = "Ben Ode <Ben@Example.org>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Parking"
	m.set_content("Where can I park?")
	EOF
	receive "$BATS_TEST_TMPDIR/ben.eml"
	assert_success
	assert_equal "$(folders 5)" "0001-in"
	grep -qx "Filed: by sender" "$D/messages/5/0001-in/message.txt"
	mkmail "$BATS_TEST_TMPDIR/cara.eml" <<-'EOF'
	m["From"] = "cara@example.org"
	m["To"] = "salon@example.com"
	m["Subject"] = "Sorry"
	m.set_content("Sorry I missed it.")
	EOF
	receive "$BATS_TEST_TMPDIR/cara.eml"
	assert_success
	assert_equal "$(folders 7)" "0001-in"
	assert [ ! -e "$D/messages/6" ]
}

@test "receive: an unknown sender goes to unmatched, and the business is told" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	m["From"] = "New Person <new@mail.example>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Do you cut curly hair?"
	m.set_content("Hello, do you cut curly hair?")
	EOF
	receive "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_equal "$(folders unmatched)" "0001-in"
	grep -qx "Filed: no appointment" "$D/messages/unmatched/0001-in/message.txt"
	run mail_show staff-msg-unmatched-0001-email
	assert_success
	assert_line "to-addr: salon@example.com"
	assert_line "Hello, do you cut curly hair?"
	run appt-msg thread unmatched -o table
	assert_success
	assert_line "#1 in 2026-11-23T08:00+01:00 from New Person <new@mail.example> (filed no appointment)"
}

@test "receive: hostile file names stay inside the message's folder, made safe" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	long=$(printf 'A%.0s' $(seq 300))
	{
		printf 'From: Ben Ode <ben@example.org>\r\nTo: salon@example.com\r\n'
		printf 'Subject: files\r\nMessage-ID: <h1@mail.example>\r\n'
		printf 'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n'
		printf -- '--b\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSee the files.\r\n'
		n=0
		for name in 'filename="../../etc/passwd"' 'filename="/etc/passwd"' \
		    "filename*=utf-8''..%2F..%2Fx%00y.sh" \
		    $'filename="a\x01b\x1b[31mc.txt"' "filename=\"$long.jpg\"" \
		    'filename=".."' 'filename=".hidden"' 'filename="-rf"' \
		    'filename="C:\\Windows\\evil.exe"'; do
			n=$((n + 1))
			printf -- '--b\r\nContent-Type: application/octet-stream\r\n'
			printf 'Content-Disposition: attachment; %s\r\n' "$name"
			printf 'Content-Transfer-Encoding: base64\r\n\r\n'
			printf 'file %d\n' "$n" | base64
			printf '\r\n'
		done
		printf -- '--b--\r\n'
	} > "$t/h.eml"
	receive "$t/h.eml"
	assert_success
	# Nothing new anywhere but in the message's folder (and the outbox).
	assert_equal "$(find "$t" /etc -xdev -newer "$t/h.eml" -type f \
	    ! -path "$D/messages/5/0001-in/*" ! -path "$D/outbox/*" \
	    ! -path "$MAILDIR/*" ! -path "$D/messages/.lock" \
	    ! -name 'separate-stderr-*' ! -name '.*.idx')" ""
	assert [ "$(find "$D" -name passwd\*)" = "$D/messages/5/0001-in/passwd
$D/messages/5/0001-in/passwd-2" ] || find "$D" -name passwd\*
	f=$D/messages/5/0001-in
	run "$PY" - "$f" <<-'EOF'
	import os, sys
	for n in sorted(os.listdir(sys.argv[1])):
	    bad = (len(n.encode()) > 100 or n[0] in ".-~ " or "/" in n or
	           "\\" in n or any(ord(c) < 32 or ord(c) == 127 for c in n))
	    print(("BAD " if bad else "") + n[:20], len(n.encode()),
	          open(os.path.join(sys.argv[1], n), "rb").read()[:6])
	EOF
	assert_success
	refute_output --partial "BAD"
	assert_line "passwd 6 b'file 1'"
	assert_line "passwd-2 8 b'file 2'"
	assert_line "x 1 b'file 3'"
	assert_line "a b [31mc.txt 13 b'file 4'"
	assert_line "AAAAAAAAAAAAAAAAAAAA 100 b'file 5'"
	assert_line "part-6.bin 10 b'file 6'"
	assert_line "hidden 6 b'file 7'"
	assert_line "rf 2 b'file 8'"
	assert_line "evil.exe 8 b'file 9'"
	grep -q "^File: A*\.jpg$" "$f/message.txt"
}

@test "receive: a mail over 20 MiB keeps its head in unmatched, with a note" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/big.eml" <<-'EOF'
	m["From"] = "Ben Ode <ben@example.org>"
	m["To"] = "salon@example.com"
	m["Subject"] = "The whole album"
	m.set_content("All my photos.")
	m.add_attachment(os.urandom(16 << 20), maintype="image",
	    subtype="jpeg", filename="album.jpg")
	EOF
	receive "$BATS_TEST_TMPDIR/big.eml"
	assert_success
	assert_equal "$(folders unmatched)" "0001-in"
	assert [ ! -e "$D/messages/5" ]
	f=$D/messages/unmatched/0001-in
	assert_equal "$(stat -c %s "$f/mail.eml")" 65536
	cmp -n 65536 "$BATS_TEST_TMPDIR/big.eml" "$f/mail.eml"
	grep -q "^Note: the mail is over 20 MiB" "$f/message.txt"
	run mail_show staff-msg-unmatched-0001-email
	assert_success
	assert_line --partial "Note: the mail is over 20 MiB"
}

@test "receive: malformed mail is kept raw in unmatched with a note" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	printf '\x00\xff\xfeThis is not a mail at all\n' > "$t/junk"
	receive "$t/junk"
	assert_success
	cmp "$t/junk" "$D/messages/unmatched/0001-in/mail.eml"
	grep -q "^Note: malformed mail (it does not start with a header)" \
	    "$D/messages/unmatched/0001-in/message.txt"
	printf 'From: ben@example.org\nSubject: x\nContent-Type: multipart/mixed\n\nno boundary\n' \
	    > "$t/nob"
	receive "$t/nob"
	assert_success
	cmp "$t/nob" "$D/messages/unmatched/0002-in/mail.eml"
	grep -q "^Note: malformed mail (a multipart without a boundary" \
	    "$D/messages/unmatched/0002-in/message.txt"
	assert [ ! -e "$D/messages/5" ]
}

@test "receive: exit 75 when the mail cannot be stored, and nothing is left" {
	msalon
	t=$BATS_TEST_TMPDIR
	printf 'From: ben@example.org\nSubject: x\n\nhello\n' > "$t/m"
	# No messages folder can be made: a file is in the way.
	echo > "$D/messages"
	before=$(snapshot)
	receive "$t/m"
	assert_failure 75
	[[ $stderr == *"could not be stored"* ]]
	assert_equal "$(snapshot)" "$before"
}

@test "receive: bad data in the directory keeps the mail raw in unmatched" {
	msalon
	t=$BATS_TEST_TMPDIR
	printf 'From: ben@example.org\nSubject: x\n\nhello\n' > "$t/m"
	echo '"broken' >> "$D/customers.csv"
	receive "$t/m"
	assert_success
	cmp "$t/m" "$D/messages/unmatched/0001-in/mail.eml"
	grep -q "^Note: could not be filed (exit 3: appt-msg: customers.csv" \
	    "$D/messages/unmatched/0001-in/message.txt"
}

@test "receive: appt's own mail coming back is not filed, no notice loops" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	m["From"] = "New Person <new@mail.example>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Hello"
	m.set_content("Hello")
	EOF
	receive "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_equal "$(mail_count)" 1
	# The notice went to salon@example.com, which pipes into receive.
	receive "$(ls "$MAILDIR"/new/*)"
	assert_success
	[[ $stderr == *"a message appt sent came back: not filed"* ]]
	assert_equal "$(folders unmatched)" "0001-in"
	assert_equal "$(mail_count)" 1
}

@test "receive: an auto-reply is filed but nobody is told" {
	smtp_start
	msalon
	mkmail "$BATS_TEST_TMPDIR/m.eml" <<-'EOF'
	m["From"] = "Zoë Müller <zoe@example.org>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Out of office"
	m["Auto-Submitted"] = "auto-replied"
	m.set_content("I am away until Monday.")
	EOF
	receive "$BATS_TEST_TMPDIR/m.eml"
	assert_success
	assert_equal "$(folders 1)" "0001-in"
	assert_equal "$(mail_count)" 0
}

# --- thread -------------------------------------------------------------------

@test "thread: both directions in order, with the files named" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	png "$t/form.png"
	appt-msg 1 --attach "$t/form.png" "Please fill in the form."
	mkmail "$t/r.eml" <<-EOF
	m["From"] = "Zoë Müller <zoe@example.org>"
	m["To"] = "salon@example.com"
	m["Subject"] = "Re: form"
	m["In-Reply-To"] = "<msg-1-0001-email@example.com>"
	m.set_content("Done, see attached.")
	m.add_attachment(b"%PDF-1.4 filled", maintype="application",
	    subtype="pdf", filename="form filled.pdf")
	EOF
	appt-msg receive < "$t/r.eml"
	appt-msg 1 "Thank you!"
	run --separate-stderr appt-msg thread 1
	assert_success
	assert_equal "$(cut -d, -f1,3 <<< "$output")" "n,direction
1,out
2,in
3,out"
	assert_equal "${lines[0]}" "n,date,direction,from,to,subject,files,status,note,text,folder"
	run --separate-stderr appt-msg thread 1 -o table
	assert_success
	assert_equal "$output" "#1 out 2026-11-23T08:00+01:00 to Zoë Müller <zoe@example.org> (email sent)
Subject: About your Haircut on Wed 25 Nov at 10:00
Please fill in the form.
  file: messages/1/0001-out/form.png

#2 in 2026-11-23T08:00+01:00 from Zoë Müller <zoe@example.org> (filed by reply)
Subject: Re: form
Done, see attached.
  file: messages/1/0002-in/form filled.pdf

#3 out 2026-11-23T08:00+01:00 to Zoë Müller <zoe@example.org> (email sent)
Subject: About your Haircut on Wed 25 Nov at 10:00
Thank you!"
	run --separate-stderr appt-msg thread 2
	assert_success
	assert_equal "$output" "n,date,direction,from,to,subject,files,status,note,text,folder"
	run_refused 1 "99: no such appointment" appt-msg thread 99
}

# --- the README's recipe ----------------------------------------------------------

@test "README: the procmail recipe files replies, and a mail appt cannot store stays in the mailbox" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	# The recipe as the README shows it, with this test's PATH and data.
	sed -n '/^    # ~\/.procmailrc$/,/^$/p' "$TOP/README.md" |
	    sed 's/^    //' > "$t/rc"
	grep -q '^| appt-msg receive$' "$t/rc"
	# procmail passes on only what the recipe sets: the clock too.
	sed -i "s|^PATH=.*|PATH=$APPT_BIN:/usr/bin:/bin|;
	    s|^APPT_DIR=.*|APPT_DIR=$D\\nAPPT_NOW=$APPT_NOW\\nTZ=$TZ|" "$t/rc"
	mkmail "$t/m.eml" <<-'EOF'
	m["From"] = "Ben Ode <ben@example.org>"
	m["To"] = "Salon Zoë <salon@example.com>"
	m["Subject"] = "Parking"
	m.set_content("Where can I park?")
	EOF
	run procmail -m DEFAULT="$t/mbox" LOGFILE="$t/log" "$t/rc" < "$t/m.eml"
	assert_success
	assert_equal "$(folders 5)" "0001-in"
	assert [ ! -e "$t/mbox" ]
	# Not to the business: not for appt.
	sed -i 's/^To: .*/To: sam@example.com/' "$t/m.eml"
	run procmail -m DEFAULT="$t/mbox" LOGFILE="$t/log" "$t/rc" < "$t/m.eml"
	assert_success
	assert_equal "$(grep -c '^Subject: Parking' "$t/mbox")" 1
	# appt cannot store it (exit 75): into the mailbox all the same.
	sed -i 's/^To: .*/To: salon@example.com/' "$t/m.eml"
	rm -r "$D/messages"
	echo > "$D/messages"
	run procmail -m DEFAULT="$t/mbox" LOGFILE="$t/log" "$t/rc" < "$t/m.eml"
	assert_success
	assert_equal "$(grep -c '^Subject: Parking' "$t/mbox")" 2
}

@test "appt-msg: with the server down it is kept and queued (exit 4); appt-send sends it once" {
	msalon
	SMTP_PORT=$(free_port)
	sed -i "s/--port=[0-9]*/--port=$SMTP_PORT/" "$D/config.ini"
	run --separate-stderr appt-msg 1 "Please call us back."
	assert_failure 4
	[[ $stderr == *"not delivered yet"* ]]
	assert_equal "$(folders 1)" "0001-out"
	assert_equal "$(outbox queue)" "msg-1-0001-email"
	smtp_start
	run appt-send
	assert_success
	run appt-send
	assert_success
	assert_equal "$(mail_count)" 1
	run mail_show msg-1-0001-email
	assert_line "Please call us back."
	run appt-msg thread 1
	assert_line --partial ",out,"
	assert_line --partial ",email sent,"
}

@test "receive: mails at once each get a folder of their own" {
	msalon
	t=$BATS_TEST_TMPDIR
	for i in 1 2 3 4 5 6; do
		printf 'From: ben@example.org\nSubject: %s\n\nhello %s\n' $i $i \
		    > "$t/m$i"
	done
	for i in 1 2 3 4 5 6; do
		appt-msg receive < "$t/m$i" 2> /dev/null &
	done
	wait
	assert_equal "$(folders 5)" "0001-in
0002-in
0003-in
0004-in
0005-in
0006-in"
	assert_equal "$(cat "$D"/messages/5/*/message.txt | grep -c '^hello')" 6
}

@test "appt-check: the conversations are checked: appointment, folders, files" {
	msalon
	t=$BATS_TEST_TMPDIR
	png "$t/photo.png"
	appt-msg 1 --attach "$t/photo.png" "Here is the photo." 2> /dev/null ||
	    true
	printf 'From: new@mail.example\nSubject: x\n\nhello\n' |
	    appt-msg receive 2> /dev/null
	check
	assert_success
	mkdir "$D/messages/99" "$D/messages/1/notes" "$D/messages/1/0001-in"
	rm "$D/messages/1/0001-out/photo.png"
	check
	assert_failure 3
	assert_equal "$(sort <<< "$output")" "messages/1/0001-in: no message.txt
messages/1/0001-out: number 1 used twice
messages/1/0001-out/message.txt: File: photo.png: no such file in the folder
messages/1/notes: not a message folder (NNNN-in or NNNN-out)
messages/99: no appointment 99" || echo "$output"
}

@test "unread: appt-list and appt-customer show mark mail not read yet; thread reads it" {
	msalon
	printf 'From: ben@example.org\nSubject: Parking\n\nWhere?\n' |
	    appt-msg receive 2> /dev/null
	run appt-list 2026-11-27 -o table
	assert_success
	assert_line --regexp '^5 .* booked ✉ '
	run appt-list --agenda 2026-11-27
	assert_success
	assert_line --regexp "^✉ 09:00-09:30  Haircut +Ben Ode +booked$"
	# The envelope takes one column of 80, as the blank would.
	printf 'From: zoe@example.org\nSubject: Hi\n\nHello\n' |
	    appt-msg receive 2> /dev/null
	COLUMNS=80 run appt-list --agenda 2026-11-25
	assert_line "✉ 10:00-10:30  Haircut        Zoë Müller           0171 2345678     booked"
	# Scripts see the columns as ever.
	run appt-list 2026-11-27
	assert_line --partial "5,2026-11-27T09:00+01:00,2026-11-27T09:30+01:00,booked,"
	refute_output --partial "✉"
	run appt-customer show 2
	assert_success
	assert_line "unread     5 (1): appt-msg thread ID shows them"
	assert_line --regexp '^5 .* booked ✉ '
	# CSV for a script does not read it; a person's view does.
	appt-msg thread 5 > /dev/null
	run appt-list 2026-11-27 -o table
	assert_line --regexp '^5 .* booked ✉ '
	appt-msg thread 5 -o table > /dev/null
	run appt-list 2026-11-27 -o table
	refute_output --partial "✉"
	run appt-customer show 2
	refute_output --partial "unread"
	# A new one is unread again.
	printf 'From: ben@example.org\nSubject: Again\n\nHello?\n' |
	    appt-msg receive 2> /dev/null
	run appt-list 2026-11-27 -o table
	assert_line --regexp '^5 .* booked ✉ '
	check
	assert_success
}

@test "appt-init --example has a conversation with a photo, unread" {
	appt-init --example "$D" > /dev/null
	f=$(echo "$D"/messages/*/0002-in/colour.png)
	assert_file_exist "$f"
	id=$(basename "$(dirname "$(dirname "$f")")")
	# A real PNG, as Python reads it.
	run "$PY" -c 'import struct, sys, zlib
d = open(sys.argv[1], "rb").read()
assert d[:8] == b"\x89PNG\r\n\x1a\n"
w, h = struct.unpack(">II", d[16:24])
print(w, h, len(zlib.decompress(d[41:41 + struct.unpack(">I", d[33:37])[0]])))' "$f"
	assert_success
	assert_output "8 8 200"
	run appt-msg thread "$id"
	assert_success
	assert_equal "$(cut -d, -f1,3 <<< "$output" | tail -n +2)" "1,out
2,in"
	grep -q "^Filed: by reply$" "$D/messages/$id/0002-in/message.txt"
	run appt-list all -o table
	assert_line --regexp "^$id .* ✉ "
	check
	assert_success
	assert_output ""
}

@test "receive: a phone's mail, the photo inside the HTML alternative, keeps the photo" {
	smtp_start
	msalon
	t=$BATS_TEST_TMPDIR
	png "$t/photo.png"
	mkmail "$t/m.eml" <<-EOF
	import email.utils
	m["From"] = "Ben Ode <ben@example.org>"
	m["To"] = "salon@example.com"
	m["Subject"] = "The broken part"
	cid = email.utils.make_msgid(domain="phone.example")
	m.set_content("Here is the broken part.")
	m.add_alternative('<p>Here is the <b>broken</b> part.</p>'
	    '<img src="cid:%s">' % cid[1:-1], subtype="html")
	m.get_payload()[1].add_related(open("$t/photo.png", "rb").read(),
	    "image", "png", cid=cid, filename="IMG_0042.PNG")
	EOF
	grep -q "multipart/alternative" "$t/m.eml"
	grep -q "multipart/related" "$t/m.eml"
	receive "$t/m.eml"
	assert_success
	f=$D/messages/5/0001-in
	cmp "$t/photo.png" "$f/IMG_0042.PNG"
	grep -qx "Here is the broken part." "$f/message.txt"
	assert_equal "$(ls "$f")" "IMG_0042.PNG
mail.eml
message.txt"
}
