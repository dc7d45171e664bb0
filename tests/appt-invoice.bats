#!/usr/bin/env bats
# appt-invoice: numbering, refusals, EN 16931 rounding, payments, what a
# customer receives (text, HTML, PDF read back by pdftotext), mail with
# the PDF attached (real msmtp, real SMTP server, parsed by Python's
# email package), the journal balanced by hledger, bad input, and
# concurrent issues (DESIGN "Invoices and payments").
# Now is Monday 2026-11-23T08:00 Europe/Berlin.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	load lib/smtp
}

INV_HEADER=number,date,customer,customer_name,appointments,net,tax,total,paid,balance,status,due

# The business that invoices: the fixture (-m) with a tax id, addresses,
# [invoice] with 19% and the lines on stdin, and five appointments on
# Friday 20 November at 45.00 each: 1 cut and 2 colour of Zoë (done),
# 3 a cut of Jonas (done), 4 Zoë's no-show, 5 Jonas's cancelled one.
biz() {
	fixture -m -c "$(printf '[invoice]\nnumber = "INV-%%Y-%%04n"\ntax = 19\ndue = 14d\n'
	    if [ ! -t 0 ]; then cat; fi)"
	sed -i 's/^country = DE$/country = DE\ntax_id = DE123456789/' \
	    "$D/config.ini"
	customers <<-'EOF'
	1,Zoë Müller,zoe@example.org,+49 171 2345678,Lindenstr. 5,10969 Berlin,,2026-01-12T10:00+01:00
	2,Jonas Weber,jonas@example.org,0170 1112233,Am Markt 2,04109 Leipzig,,2026-02-03T15:30+01:00
	3,Lukas Schmidt,,+49 152 3334455,,,,2026-04-08T09:15+02:00
	EOF
	month <<-'EOF'
	1,2026-11-20T09:00+01:00,2026-11-20T09:45+01:00,cut,sam,1,done
	2,2026-11-20T10:00+01:00,2026-11-20T11:30+01:00,colour,sam,1,done
	3,2026-11-20T12:00+01:00,2026-11-20T12:45+01:00,cut,alice,2,done
	4,2026-11-20T14:00+01:00,2026-11-20T14:45+01:00,cut,sam,1,no-show
	5,2026-11-20T15:00+01:00,2026-11-20T15:45+01:00,cut,sam,2,cancelled
	EOF
}

# The field $2 of invoice $1 as list prints it.
lfield() {
	appt-invoice list all -o csv | awk -F, -v n="$1" -v c="$2" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $1 == n { print $col[c] }'
}

@test "appt-invoice new: one line per appointment at the booked price, printed as list prints it" {
	biz < /dev/null
	run --separate-stderr appt-invoice new 1 2 -o csv
	assert_success
	assert_equal "${lines[0]}" "$INV_HEADER"
	assert_equal "${lines[1]}" "INV-2026-0001,2026-11-23,1,Zoë Müller,1 2,75.63,14.37,90.00,0.00,90.00,open,2026-12-07"
	run appt-invoice show INV-2026-0001 -o csv
	assert_output "number,line,description,qty,price,tax_rate,net,tax,gross
INV-2026-0001,1,Haircut,1,45.00,19,37.82,7.18,45.00
INV-2026-0001,2,Colour,1,45.00,19,37.81,7.19,45.00"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice new: one gapless series for invoices and credit notes, from 1 again in a new year" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice void INV-2026-0001 > /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 3 > /dev/null
	appt-invoice new -c 3 --item "Gift card;1;50;0" --date 2027-01-04 \
	    > /dev/null
	run appt-invoice list all -o csv
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1,11 |
	    paste -sd' ')" "INV-2026-0001,void INV-2026-0002,credit INV-2026-0003,open INV-2026-0004,open INV-2027-0001,open"
	assert_equal "$(grep -c '^INV-2026-0002,credit,.*,INV-2026-0001,' \
	    "$D/invoices/2026/invoices.csv")" 1
	check
	assert_success
}

@test "appt-invoice new: an appointment on a live invoice is refused; a voided one can be invoiced again" {
	biz < /dev/null
	appt-invoice new 1 2 > /dev/null
	run_refused 1 "appointment 2: on invoice INV-2026-0001 already" \
	    appt-invoice new 2
	run_refused 1 "one invoice is for one customer" appt-invoice new 3 4
	appt-invoice void INV-2026-0001 --reason "wrong price" > /dev/null
	run appt-invoice new 2 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0003,2026-11-23,1,Zoë Müller,2,"
}

@test "appt-invoice new: a no-show gets no service line, only the fee item" {
	biz < /dev/null
	run_refused 1 "nothing to invoice" appt-invoice new 4
	run appt-invoice new 4 --item "No-show fee;1;20.00" -o csv
	assert_success
	assert_equal "${lines[1]}" "INV-2026-0001,2026-11-23,1,Zoë Müller,4,16.81,3.19,20.00,0.00,20.00,open,2026-12-07"
	run appt-invoice show INV-2026-0001 -o csv
	assert_output "number,line,description,qty,price,tax_rate,net,tax,gross
INV-2026-0001,1,No-show fee,1,20.00,19,16.81,3.19,20.00"
}

@test "appt-invoice new: tax per rate on the gross sum, not per line (3 x 0.10 at 19% is 0.05 tax, not 0.06)" {
	biz < /dev/null
	run appt-invoice new -c 1 --item "Comb;1;0.10" --item "Comb;1;0.10" \
	    --item "Comb;1;0.10" --item "Hair oil;1;9.99;7" -o csv
	assert_success
	# 19%: 0.30 gross, tax 0.0479 -> 0.05; 7%: 9.99, tax 0.6535 -> 0.65.
	assert_equal "${lines[1]}" "INV-2026-0001,2026-11-23,1,Zoë Müller,,9.59,0.70,10.29,0.00,10.29,open,2026-12-07"
	run appt-invoice show INV-2026-0001
	assert_line --regexp '^ +19% +0\.25 +0\.05 +0\.30$'
	assert_line --regexp '^ +7% +9\.34 +0\.65 +9\.99$'
	check
	assert_success
}

@test "appt-invoice new: under net prices the tax is added per rate (3 x 0.03 at 19% is 0.02, not 0.03)" {
	biz <<< "prices = net"
	run appt-invoice new -c 2 --item "Pin;1;0.03" --item "Pin;1;0.03" \
	    --item "Pin;1;0.03" -o csv
	assert_success
	assert_equal "${lines[1]}" "INV-2026-0001,2026-11-23,2,Jonas Weber,,0.09,0.02,0.11,0.00,0.11,open,2026-12-07"
	run appt-invoice new 3 -o csv
	# 45.00 net + 8.55 tax.
	assert_line --index 1 --partial ",45.00,8.55,53.55,"
	run appt-invoice show INV-2026-0001 -o csv
	assert_line "INV-2026-0001,3,Pin,1,0.03,19,0.03,0.00,0.03"
}

@test "appt-invoice new: 0% tax with the exemption note on every invoice" {
	biz <<< 'note = "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."'
	sed -i 's/^tax = 19$/tax = 0/' "$D/config.ini"
	run appt-invoice new 1 -o csv
	assert_success
	assert_line --index 1 --partial ",45.00,0.00,45.00,"
	run appt-invoice show INV-2026-0001
	assert_line --regexp '^ +0% +45\.00 +0\.00 +45\.00$'
	assert_line "Gemäß § 19 UStG wird keine Umsatzsteuer berechnet."
}

@test "appt-invoice pay: partial payments add up to paid; over the balance and on a void invoice refused" {
	biz < /dev/null
	appt-invoice new 1 2 > /dev/null
	appt-invoice new 3 > /dev/null
	run appt-invoice pay INV-2026-0001 40 --method cash -o csv
	assert_success
	assert_line --index 1 "INV-2026-0001,2026-11-23,1,Zoë Müller,1 2,75.63,14.37,90.00,40.00,50.00,open,2026-12-07"
	run_refused 1 "50.01 is over the balance of 50.00" \
	    appt-invoice pay INV-2026-0001 50.01
	run_refused 2 "AMOUNT 10.001: not an amount" \
	    appt-invoice pay INV-2026-0001 10.001
	run_refused 2 "AMOUNT -5: not an amount" \
	    appt-invoice pay INV-2026-0001 -- -5
	run_refused 2 "--method cheque" appt-invoice pay INV-2026-0001 5 \
	    --method cheque
	run appt-invoice pay INV-2026-0001 50.00 --method card --date 2026-11-22 \
	    --note "terminal 2" -o csv
	assert_line --index 1 "INV-2026-0001,2026-11-23,1,Zoë Müller,1 2,75.63,14.37,90.00,90.00,0.00,paid,2026-12-07"
	run_refused 1 "over the balance of 0.00" \
	    appt-invoice pay INV-2026-0001 0.01
	run_refused 1 "paid on it" appt-invoice void INV-2026-0001
	appt-invoice void INV-2026-0002 > /dev/null
	run_refused 1 "INV-2026-0002: void, cannot be paid" \
	    appt-invoice pay INV-2026-0002 1
	run_refused 1 "a credit note is not paid" \
	    appt-invoice pay INV-2026-0003 1
	run_refused 1 "INV-2026-0009: no such invoice" \
	    appt-invoice pay INV-2026-0009 1
	assert_equal "$(tail -n +2 "$D/invoices/2026/payments.csv" | cut -d, -f1-6)" \
	    "1,INV-2026-0001,2026-11-23,40.00,cash,
2,INV-2026-0001,2026-11-22,50.00,card,terminal 2"
	check
	assert_success
}

@test "appt-invoice list: the columns, the statuses, --unpaid with balances, -c and a range" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 2 > /dev/null
	appt-invoice new 3 > /dev/null
	appt-invoice pay INV-2026-0001 45 > /dev/null
	appt-invoice pay INV-2026-0002 10 > /dev/null
	appt-invoice void INV-2026-0003 > /dev/null
	run appt-invoice list -o csv
	assert_success
	assert_output "$INV_HEADER
INV-2026-0001,2026-11-23,1,Zoë Müller,1,37.82,7.18,45.00,45.00,0.00,paid,2026-12-07
INV-2026-0002,2026-11-23,1,Zoë Müller,2,37.82,7.18,45.00,10.00,35.00,open,2026-12-07
INV-2026-0003,2026-11-23,2,Jonas Weber,3,37.82,7.18,45.00,0.00,0.00,void,2026-12-07
INV-2026-0004,2026-11-23,2,Jonas Weber,3,-37.82,-7.18,-45.00,0.00,0.00,credit,"
	run appt-invoice list --unpaid -o csv
	assert_output "$INV_HEADER
INV-2026-0002,2026-11-23,1,Zoë Müller,2,37.82,7.18,45.00,10.00,35.00,open,2026-12-07"
	run appt-invoice list -c jonas@example.org -o csv
	assert_equal "$(ids)" "INV-2026-0003 INV-2026-0004"
	run appt-invoice list 2025 -o csv
	assert_output "$INV_HEADER"
	run appt-invoice list 2026-11-23 -o json
	assert_equal "${#lines[@]}" 4
	assert_line --index 0 --partial '"number":"INV-2026-0001"'
}

@test "appt-invoice show: the text has every legal field" {
	biz <<< 'note = "Thank you; see you soon."'
	appt-invoice new 1 2 --item "Shampoo;2;8.50" --item "Hair mask;1;12.99;7" \
	    > /dev/null
	appt-invoice pay INV-2026-0001 50 --method card > /dev/null
	run appt-invoice show INV-2026-0001
	assert_success
	for want in "INVOICE" "Test Salon" "Hauptstr. 1, 10115 Berlin" \
	    "Tax ID: DE123456789" "Zoë Müller" "Lindenstr. 5, 10969 Berlin" \
	    "INV-2026-0001" "23 November 2026" "7 December 2026" \
	    "Thank you; see you soon." "Prices include tax."; do
		assert_output --partial "$want"
	done
	assert_line --regexp '^ +1  Haircut +2026-11-20 +1 +45\.00 +19% +45\.00$'
	assert_line --regexp '^ +3  Shampoo +2026-11-23 +2 +8\.50 +19% +17\.00$'
	assert_line --regexp '^ +4  Hair mask +2026-11-23 +1 +12\.99 +7% +12\.99$'
	assert_line --regexp '^ +19% +89\.92 +17\.08 +107\.00$'
	assert_line --regexp '^ +Total EUR +119\.99$'
	assert_line --regexp '^  23 November 2026  card  50\.00 EUR$'
	assert_line "Balance due: 69.99 EUR by 7 December 2026"
}

@test "appt-invoice show -o html: one self-contained page, printable, every legal field, escaped" {
	biz < /dev/null
	sed -i 's/^name = Test Salon$/name = Salon <Zoë> \& Co/' "$D/config.ini"
	appt-invoice new 1 --item "Gel <strong>;1;5" > /dev/null
	appt-invoice show INV-2026-0001 -o html > "$BATS_TEST_TMPDIR/i.html"
	run /usr/bin/python3 - "$BATS_TEST_TMPDIR/i.html" <<-'EOF'
	import sys
	from html.parser import HTMLParser
	class P(HTMLParser):
	    def __init__(self):
	        super().__init__()
	        self.text, self.tags, self.ext, self.style = [], [], [], ""
	        self.cur = None
	    def handle_starttag(self, tag, attrs):
	        self.tags.append(tag)
	        self.cur = tag
	        for k, v in attrs:
	            if k in ("src", "href") or (v and "url(" in v):
	                self.ext.append(v)
	    def handle_data(self, d):
	        if self.cur == "style":
	            self.style += d
	        else:
	            self.text.append(d)
	p = P()
	p.feed(open(sys.argv[1], encoding="utf-8").read())
	t = " ".join(" ".join(p.text).split())
	print("external:", p.ext)
	print("print-css:", "@media print" in p.style and "@page" in p.style)
	print("url-in-css:", "url(" in p.style or "@import" in p.style)
	print("scripts:", p.tags.count("script"))
	print("strong-tags:", p.tags.count("strong"))
	for want in ["Salon <Zoë> & Co", "Hauptstr. 1, 10115 Berlin",
	    "Tax ID DE123456789", "Zoë Müller", "Lindenstr. 5", "10969 Berlin",
	    "INV-2026-0001", "23 November 2026", "7 December 2026",
	    "20 November 2026", "Haircut", "Gel <strong>", "19%", "42.02",
	    "7.98", "50.00 EUR", "Balance due"]:
	    print(want, "ok" if want in t else "MISSING")
	EOF
	assert_success
	assert_line "external: []"
	assert_line "print-css: True"
	assert_line "url-in-css: False"
	assert_line "scripts: 0"
	assert_line "strong-tags: 0"
	refute_output --partial MISSING
}

@test "appt-invoice show -o pdf: weasyprint's PDF, read back by pdftotext" {
	command -v weasyprint || skip "weasyprint is not installed"
	biz < /dev/null
	appt-invoice new 1 2 > /dev/null
	appt-invoice void INV-2026-0001 --reason "wrong customer" > /dev/null
	appt-invoice show INV-2026-0001 -o pdf > "$BATS_TEST_TMPDIR/i.pdf"
	run pdftotext -layout "$BATS_TEST_TMPDIR/i.pdf" -
	assert_success
	for want in "INVOICE" "Test Salon" "Tax ID DE123456789" "Zoë Müller" \
	    "INV-2026-0001" "23 November 2026" "Haircut" "Colour" "90.00 EUR" \
	    "14.37" "75.63" "cancelled by a credit note"; do
		assert_output --partial "$want"
	done
	appt-invoice show INV-2026-0002 -o pdf > "$BATS_TEST_TMPDIR/c.pdf"
	run pdftotext -layout "$BATS_TEST_TMPDIR/c.pdf" -
	for want in "CREDIT NOTE" "INV-2026-0002" "-90.00 EUR" \
	    "cancels invoice INV-2026-0001" "wrong customer"; do
		assert_output --partial "$want"
	done
}

@test "appt-invoice show -o pdf: a missing PDF program is exit 2 saying what to install" {
	biz <<< "pdf = appt-no-such-weasyprint - -"
	appt-invoice new 1 > /dev/null
	run_refused 2 "appt-no-such-weasyprint: not found: install it" \
	    appt-invoice show INV-2026-0001 -o pdf
	assert_output ""
	run_refused 2 "-o odt: not text, html, pdf, csv or json" \
	    appt-invoice show INV-2026-0001 -o odt
}

# The one message of key $1 as Python's email package reads it: its
# structure, and each attachment saved as $BATS_TEST_TMPDIR/att.N.
mail_parts() {
	"$PY" - "$MAILDIR" "$1" "$BATS_TEST_TMPDIR" <<-'EOF'
	import email, email.policy, os, sys
	d, key, out = sys.argv[1:4]
	found = []
	for sub in ("new", "cur"):
	    p = os.path.join(d, sub)
	    for f in sorted(os.listdir(p)) if os.path.isdir(p) else []:
	        m = email.message_from_bytes(open(os.path.join(p, f), "rb").read(),
	            policy=email.policy.default)
	        if m["Message-ID"].startswith("<" + key + "@"):
	            found.append(m)
	print("count:", len(found))
	m = found[0]
	print("to:", m["To"])
	print("subject:", m["Subject"])
	print("type:", m.get_content_type())
	print("defects:", len(m.defects) + sum(len(p.defects) for p in m.walk()))
	for i, p in enumerate(m.iter_parts()):
	    print("part:", i, p.get_content_type(), p.get_content_disposition(),
	        p.get_filename())
	    if p.get_content_disposition() == "attachment":
	        open(os.path.join(out, "att.%d" % i), "wb").write(
	            p.get_payload(decode=True))
	    else:
	        sys.stdout.write(p.get_content())
	EOF
}

@test "appt-invoice send: multipart/mixed mail with the whole PDF, through msmtp, exactly once; --again once more" {
	command -v weasyprint || skip "weasyprint is not installed"
	smtp_start
	biz <<< ""
	printf '\n%s\n' "$(mail_section)" >> "$D/config.ini"
	appt-invoice new 1 2 > /dev/null
	run --separate-stderr appt-invoice send INV-2026-0001
	assert_success
	assert_output "INV-2026-0001: sent to zoe@example.org (invoice-INV-2026-0001)"
	assert_equal "$(mail_count)" 1
	run mail_parts invoice-INV-2026-0001
	assert_success
	assert_line "count: 1"
	assert_line "to: Zoë Müller <zoe@example.org>"
	assert_line "subject: Your invoice INV-2026-0001 from Test Salon"
	assert_line "type: multipart/mixed"
	assert_line "defects: 0"
	assert_line "part: 0 text/plain None None"
	assert_line "part: 1 application/pdf attachment INV-2026-0001.pdf"
	assert_line "Hello Zoë Müller,"
	assert_line --partial "for 90.00 EUR"
	head -c 5 "$BATS_TEST_TMPDIR/att.1" | grep -q '^%PDF-'
	tail -c 32 "$BATS_TEST_TMPDIR/att.1" | grep -q '%%EOF'
	run pdftotext "$BATS_TEST_TMPDIR/att.1" -
	assert_success
	assert_output --partial "INV-2026-0001"
	assert_output --partial "90.00 EUR"
	# A second send mails nothing and says so.
	run --separate-stderr appt-invoice send INV-2026-0001
	assert_success
	[[ $stderr == *"INV-2026-0001: sent already (invoice-INV-2026-0001); --again"* ]]
	assert_equal "$(mail_count)" 1
	run appt-invoice send INV-2026-0001 --again
	assert_success
	assert_output --partial "(invoice-INV-2026-0001-2)"
	assert_equal "$(mail_count)" 2
	run mail_parts invoice-INV-2026-0001-2
	assert_line "part: 1 application/pdf attachment INV-2026-0001.pdf"
}

@test "appt-invoice send: the HTML is attached where there is no PDF; no email is exit 1" {
	smtp_start
	biz <<< "pdf = appt-no-such-weasyprint"
	printf '\n%s\n' "$(mail_section)" >> "$D/config.ini"
	appt-invoice new 1 > /dev/null
	appt-invoice new -c 3 --item "Gift card;1;20" > /dev/null
	run --separate-stderr appt-invoice send INV-2026-0001
	assert_success
	[[ $stderr == *"no PDF"*"the HTML is attached"* ]]
	run mail_parts invoice-INV-2026-0001
	assert_line "part: 1 text/html attachment INV-2026-0001.html"
	grep -q 'INV-2026-0001' "$BATS_TEST_TMPDIR/att.1"
	grep -q '</html>' "$BATS_TEST_TMPDIR/att.1"
	run_refused 1 "customer 3 has no email" appt-invoice send INV-2026-0002
	assert_equal "$(mail_count)" 1
}

@test "appt-invoice ledger: hledger balances it, and the receivable is the sum of the open balances" {
	command -v hledger || skip "hledger is not installed"
	biz < /dev/null
	appt-invoice new 1 2 --item "Hair mask;1;12.99;7" > /dev/null
	appt-invoice new 3 > /dev/null
	appt-invoice new 4 --item "No-show fee;1;20" > /dev/null
	appt-invoice pay INV-2026-0001 100 --method cash > /dev/null
	appt-invoice pay INV-2026-0002 45 --method card > /dev/null
	appt-invoice void INV-2026-0003 > /dev/null
	appt-invoice ledger > "$BATS_TEST_TMPDIR/j"
	run hledger -f "$BATS_TEST_TMPDIR/j" bal -N --flat
	assert_success
	run hledger -f "$BATS_TEST_TMPDIR/j" bal
	assert_success
	assert_line --regexp '^-+$'
	assert_line --regexp '^ *0 *$'
	run hledger -f "$BATS_TEST_TMPDIR/j" bal assets:receivable -N
	assert_output --regexp '2\.99 EUR +assets:receivable:1$'
	open=$(appt-invoice list -o csv | awk -F, 'NR > 1 { s += $10 * 100 }
	    END { printf "%.2f", s / 100 }')
	assert_equal "$open" "2.99"
	run hledger -f "$BATS_TEST_TMPDIR/j" bal assets:cash assets:bank -N
	assert_line --regexp '100\.00 EUR +assets:cash$'
	assert_line --regexp '45\.00 EUR +assets:bank$'
	run hledger -f "$BATS_TEST_TMPDIR/j" bal liabilities -N
	assert_line --regexp '-0\.85 EUR +liabilities:tax:7%$'
}

@test "appt-invoice new: a malformed --item, date or id is exit 2 naming it, nothing written" {
	biz < /dev/null
	run_refused 2 "--item 'Gel;two;5': quantity 'two'" \
	    appt-invoice new 1 --item "Gel;two;5"
	run_refused 2 "--item 'Gel;0;5': quantity '0'" \
	    appt-invoice new 1 --item "Gel;0;5"
	run_refused 2 "--item 'Gel;1;5.999': price '5.999'" \
	    appt-invoice new 1 --item "Gel;1;5.999"
	run_refused 2 "--item 'Gel;1;-5': price '-5'" \
	    appt-invoice new 1 --item "Gel;1;-5"
	run_refused 2 "--item 'Gel;1;5;nineteen': tax 'nineteen'" \
	    appt-invoice new 1 --item "Gel;1;5;nineteen"
	run_refused 2 "--item 'Gel;1;5;101': tax '101'" \
	    appt-invoice new 1 --item "Gel;1;5;101"
	run_refused 2 "--item 'Gel;1': not DESC;QTY;PRICE[;TAX]" \
	    appt-invoice new 1 --item "Gel;1"
	run_refused 2 "--item: control character" \
	    appt-invoice new -c 1 --item $'Gel\n;1;5'
	run_refused 2 "--item: control character" \
	    appt-invoice new 1 --item $'Gel\r\nBcc: x;1;5'
	run_refused 2 "--item ';1;5': no description" \
	    appt-invoice new 1 --item ";1;5"
	run_refused 2 "1.5 × 33.33 is not a whole amount" \
	    appt-invoice new 1 --item "Gel;1.5;33.33"
	run_refused 2 "--date 2026-02-30" appt-invoice new 1 --date 2026-02-30
	run_refused 2 "x1: not an appointment id" appt-invoice new x1
	run_refused 1 "appointment 99: no such appointment" appt-invoice new 99
	run_refused 1 "-c nobody@example.org: no such customer" \
	    appt-invoice new -c nobody@example.org --item "Gel;1;5"
	run_refused 1 "INV-2026-0042: no such invoice" \
	    appt-invoice show INV-2026-0042
	run_refused 1 "INV-2026-0042: no such invoice" \
	    appt-invoice void INV-2026-0042
}

@test "appt-invoice new: 10 at once on different appointments take 10 numbers, gapless and unique" {
	biz < /dev/null
	for i in $(seq 11 20); do
		appt_add 2026-11 "$i,2026-11-19T$i:00+01:00,2026-11-19T$i:30+01:00,cut,sam,$((i % 2 + 1)),done,45.00,,,$OLD,$OLD,,"
	done
	for i in $(seq 11 20); do
		appt-invoice new "$i" > "$BATS_TEST_TMPDIR/out.$i" 2>&1 &
	done
	wait
	cut -d, -f1 "$D/invoices/2026/invoices.csv" | tail -n +2 | sort > "$BATS_TEST_TMPDIR/got"
	seq -f 'INV-2026-%04g' 1 10 > "$BATS_TEST_TMPDIR/want"
	diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	assert_equal "$(cut -d, -f5 "$D/invoices/2026/invoices.csv" | tail -n +2 | sort -n |
	    paste -sd' ')" "11 12 13 14 15 16 17 18 19 20"
	assert_equal "$(cut -d, -f1 "$D/invoices/2026/invoice-lines.csv" | tail -n +2 |
	    sort | uniq -c | awk '{ print $1 }' | sort -u)" 1
	check
	assert_success
}

@test "appt-check: the invoice files checked: a gap, a repeat, totals unlike the lines, an unknown invoice paid" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 2 > /dev/null
	appt-invoice pay INV-2026-0002 5 > /dev/null
	check
	assert_success
	sed -i 's/^INV-2026-0002,invoice/INV-2026-0003,invoice/' "$D/invoices/2026/invoices.csv"
	sed -i 's/^\(INV-2026-0001,invoice,.*\),45\.00,,,/\1,46.00,,,/' \
	    "$D/invoices/2026/invoices.csv"
	check
	assert_failure
	assert_line "invoices/2026/invoices.csv:3: number INV-2026-0003 where INV-2026-0002 comes next: a gap or a repeat in the series"
	assert_line "invoices/2026/invoices.csv:2: total is not net + tax"
	assert_line "invoices/2026/invoices.csv:2: INV-2026-0001: total 46.00, but its lines come to 45.00"
	assert_line "invoices/2026/payments.csv:2: invoice INV-2026-0002: no such invoice"
}

@test "config.ini: tax_id, prices, note and pdf are known keys; a bad prices or number is refused" {
	biz <<< $'prices = gross\nnote = "Exempt; § 19"\npdf = weasyprint - -'
	run appt-list today
	assert_success
	sed -i 's/^prices = gross$/prices = both/' "$D/config.ini"
	run_refused 3 "invoice:prices: not gross or net" appt-list today
	sed -i 's/^prices = both$/prices = net/;
	    s|^number = .*|number = "INV/%Y/%n"|' "$D/config.ini"
	run_refused 3 "invoice:number: makes no number" appt-list today
}

@test "appt-customer show: the customer's invoices and open balance" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 2 > /dev/null
	appt-invoice pay INV-2026-0001 45 > /dev/null
	appt-invoice pay INV-2026-0002 5 > /dev/null
	run appt-customer show 1 -o table
	assert_success
	assert_line "invoices: 2, open balance 40.00"
	assert_line --regexp '^INV-2026-0002 +2026-11-23 +45\.00 +40\.00 +open +2026-12-07$'
	run appt-customer show 1 -o json
	assert_output --partial '"invoices":[{"number":"INV-2026-0001",'
	assert_output --partial '"balance":"40.00","status":"open"'
}

@test "appt-init --example has invoices: one paid, one open, one voided by its credit note" {
	appt-init --example "$D" > /dev/null
	run appt-invoice list -o csv
	assert_success
	assert_equal "$(printf '%s\n' "${lines[@]:1}" | cut -d, -f1,11 |
	    paste -sd' ')" "INV-2026-0001,paid INV-2026-0002,open INV-2026-0003,void INV-2026-0004,credit"
	run appt-invoice show INV-2026-0004
	assert_output --partial "charged twice by mistake"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice: a store of before the years keeps its files at the top, read and never written" {
	biz < /dev/null
	# As the first appt-init made it: a header alone, of the old columns.
	echo "number,date,customer,appointment,due,total,status,created" \
	    > "$D/invoices.csv"
	echo "invoice,description,qty,price,tax" > "$D/invoice-lines.csv"
	before=$(cat "$D/invoices.csv" "$D/invoice-lines.csv")
	run appt-invoice new 1 -o csv
	assert_success
	assert_line --index 1 "INV-2026-0001,2026-11-23,1,Zoë Müller,1,37.82,7.18,45.00,0.00,45.00,open,2026-12-07"
	assert_equal "$(cat "$D/invoices.csv" "$D/invoice-lines.csv")" "$before"
	check
	assert_success
	# As the version before the years wrote them: an invoice, its line,
	# a payment, all at the top.
	cat > "$D/invoices.csv" <<-'EOF'
	number,type,date,customer,appointments,due,currency,prices,net,tax,total,cancels,reason,created
	INV-2026-0001,invoice,2026-11-20,1,1,2026-12-04,EUR,gross,37.82,7.18,45.00,,,2026-11-20T18:00+01:00
	EOF
	cat > "$D/invoice-lines.csv" <<-'EOF'
	invoice,line,date,description,appointment,service,qty,price,tax
	INV-2026-0001,1,2026-11-20,Haircut,1,cut,1,45.00,19
	EOF
	printf 'id,invoice,date,amount,method,note,created\n1,INV-2026-0001,2026-11-20,5.00,cash,,2026-11-20T18:00+01:00\n' \
	    > "$D/payments.csv"
	rm -r "$D/invoices"
	echo "payments,1" >> "$D/ids.csv"
	before=$(cat "$D/invoices.csv" "$D/invoice-lines.csv" "$D/payments.csv")
	# Its numbers go on, its appointments are taken, its payments add up.
	run_refused 1 "appointment 1: on invoice INV-2026-0001 already" \
	    appt-invoice new 1
	run appt-invoice new 3 -o csv
	assert_line --index 1 --partial "INV-2026-0002,2026-11-23,2,"
	appt-invoice pay INV-2026-0001 10 > /dev/null
	run appt-invoice list -o csv
	assert_line --index 1 "INV-2026-0001,2026-11-20,1,Zoë Müller,1,37.82,7.18,45.00,15.00,30.00,open,2026-12-04"
	assert_line --index 2 --partial "INV-2026-0002,2026-11-23,2,Jonas Weber,3,"
	run appt-invoice show INV-2026-0001
	assert_output --partial "Haircut"
	assert_equal "$(cat "$D/invoices.csv" "$D/invoice-lines.csv" "$D/payments.csv")" "$before"
	assert_equal "$(cut -d, -f1,2 "$D/invoices/2026/payments.csv")" \
	    "id,invoice
2,INV-2026-0001"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice send: a delivery that fails is exit 4, the mail queued for appt-send" {
	biz <<< "pdf = appt-no-such-weasyprint"
	printf '\n[mail]\nsendmail = /bin/false\n' >> "$D/config.ini"
	appt-invoice new 1 > /dev/null
	run --separate-stderr appt-invoice send INV-2026-0001
	assert_failure 4
	[[ $stderr == *"INV-2026-0001: not delivered yet: queued in the outbox for appt-send"* ]]
	assert_equal "$(outbox queue)" "invoice-INV-2026-0001"
	# Queued once: a second send does not make it again.
	run --separate-stderr appt-invoice send INV-2026-0001
	assert_success
	assert_equal "$(outbox queue)" "invoice-INV-2026-0001"
}

@test "appt-invoice new: lines an issue cut short left are accepted, and dropped when their number is issued" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	# Killed after the lines, before the invoice: lines of a number not issued.
	echo "INV-2026-0002,1,2026-11-20,Colour,2,colour,1,45.00,19" \
	    >> "$D/invoices/2026/invoice-lines.csv"
	check
	assert_success
	assert_output ""
	run appt-invoice new 3 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0002,2026-11-23,2,Jonas Weber,3,37.82,7.18,45.00,"
	assert_equal "$(grep -c '^INV-2026-0002,' "$D/invoices/2026/invoice-lines.csv")" 1
	grep -q '^INV-2026-0002,1,2026-11-20,Haircut,3,cut,' "$D/invoices/2026/invoice-lines.csv"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice: each year in invoices/YYYY/: a date back into last year goes there, with that year's numbers and its payments beside it" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	run appt-invoice new 3 --date 2025-12-31 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2025-0001,2025-12-31,2,Jonas Weber,3,"
	appt-invoice pay INV-2025-0001 20 --date 2026-01-05 > /dev/null
	run appt-invoice new 2 -o csv
	assert_line --index 1 --partial "INV-2026-0002,2026-11-23,1,"
	assert_equal "$(cut -d, -f1 "$D/invoices/2025/invoices.csv")" \
	    "number
INV-2025-0001"
	assert_equal "$(cut -d, -f1,4 "$D/invoices/2025/invoice-lines.csv")" \
	    "invoice,description
INV-2025-0001,Haircut"
	assert_equal "$(cut -d, -f2,3,4 "$D/invoices/2025/payments.csv")" \
	    "invoice,date,amount
INV-2025-0001,2026-01-05,20.00"
	assert_equal "$(cut -d, -f1 "$D/invoices/2026/invoices.csv" |
	    paste -sd' ')" "number INV-2026-0001 INV-2026-0002"
	assert_equal "$(cat "$D/invoices/2026/payments.csv")" \
	    "id,invoice,date,amount,method,note,created"
	assert_file_not_exist "$D/invoices.csv"
	# Last year's place is read for the list, its journal and appt-check.
	run appt-invoice list all -o csv
	assert_line --index 1 "INV-2025-0001,2025-12-31,2,Jonas Weber,3,37.82,7.18,45.00,20.00,25.00,open,2026-01-14"
	# 45.00 + 25.00 + 45.00 open, last year's too.
	run sh -c 'appt-invoice ledger all |
	    hledger -f - bal assets:receivable -N --depth 2 -O csv'
	assert_success
	assert_line '"assets:receivable","115.00 EUR"'
	check
	assert_success
	assert_output ""
}

@test "appt-check: a row in another year's place, what is of an invoice beside another, and a stray in invoices/" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 3 --date 2025-12-31 > /dev/null
	appt-invoice pay INV-2025-0001 5 > /dev/null
	check
	assert_success
	# The 2026 invoice's line and a 2025 payment moved to the other year.
	grep '^INV-2026-0001,' "$D/invoices/2026/invoice-lines.csv" \
	    >> "$D/invoices/2025/invoice-lines.csv"
	sed -i '/^INV-2026-0001,/d' "$D/invoices/2026/invoice-lines.csv"
	tail -n 1 "$D/invoices/2025/payments.csv" > "$BATS_TEST_TMPDIR/p"
	{ head -n 1 "$D/invoices/2025/payments.csv"; cat "$BATS_TEST_TMPDIR/p"; } \
	    > "$D/invoices/2026/payments.csv"
	sed -i '2d' "$D/invoices/2025/payments.csv"
	sed -i 's/^INV-2025-0001,invoice,2025-12-31,/INV-2025-0001,invoice,2025-12-30,/' \
	    "$D/invoices/2025/invoices.csv"
	printf 'x\n' > "$D/invoices/notes.txt"
	mkdir "$D/invoices/26"
	check
	assert_failure
	assert_line "invoices/notes.txt: not a year's directory (invoices/YYYY/)"
	assert_line "invoices/26: not a year's directory (invoices/YYYY/)"
	assert_line "invoices/2025/invoice-lines.csv:3: INV-2026-0001 was issued in 2026: what is of it belongs in invoices/2026/"
	assert_line "invoices/2026/payments.csv:2: INV-2025-0001 was issued in 2025: what is of it belongs in invoices/2025/"
	# A date moved within its year is no fault of place.
	refute_line --partial "so it belongs in"
	sed -i 's/^INV-2025-0001,invoice,2025-12-30,/INV-2025-0001,invoice,2026-01-02,/' \
	    "$D/invoices/2025/invoices.csv"
	check
	assert_line "invoices/2025/invoices.csv:2: INV-2025-0001: issued in 2026, so it belongs in invoices/2026/"
}

@test "appt-invoice new: an appointment on an invoice of an earlier year is refused, through that year's index, after a hand edit too" {
	biz < /dev/null
	appt-invoice new 1 --date 2025-12-30 > /dev/null
	appt-invoice new 3 --date 2025-12-31 > /dev/null
	# The index of a year is kept once its file has been still for 2 s.
	sleep 2.1
	run_refused 1 "appointment 1: on invoice INV-2025-0001 already" \
	    appt-invoice new 1
	assert_file_exist "$D/invoices/2025/.appointments.idx"
	assert_equal "$(tail -n +2 "$D/invoices/2025/.appointments.idx" |
	    paste -sd' ')" "1 3"
	# Issuing reads no earlier year's file: only its index.
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 strace -f -o "$BATS_TEST_TMPDIR/trace" \
	    -e trace=open,openat,stat,newfstatat \
	    appt-invoice new 2 > /dev/null
	! grep 'invoices/2025/invoice' "$BATS_TEST_TMPDIR/trace"
	grep -q 'invoices/2025/.appointments.idx' "$BATS_TEST_TMPDIR/trace"
	# A hand edit names appointment 4 too: the index is made again.
	sed -i 's/^\(INV-2025-0002,invoice,2025-12-31,2\),3,/\1,3 4,/' \
	    "$D/invoices/2025/invoices.csv"
	run_refused 1 "appointment 4: on invoice INV-2025-0002 already" \
	    appt-invoice new 4 --item "No-show fee;1;20"
	# A damaged index is made again.
	printf 'appt-invidx 1 garbage\n7\n' > "$D/invoices/2025/.appointments.idx"
	run_refused 1 "appointment 3: on invoice INV-2025-0002 already" \
	    appt-invoice new 3
	echo x > "$D/invoices/2025/.appointments.idx"
	run_refused 1 "appointment 1: on invoice INV-2025-0001 already" \
	    appt-invoice new 1
	# Voided last year, it is invoiced again this year.
	appt-invoice void INV-2025-0001 > /dev/null
	run appt-invoice new 1 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0003,2026-11-23,1,Zoë Müller,1,"
}

@test "appt-invoice new: a series without %Y runs on across the years, an invoice dated back into last year too" {
	biz < /dev/null
	sed -i 's/^number = .*/number = R%05n/' "$D/config.ini"
	appt-invoice new 1 > /dev/null
	appt-invoice new 3 --date 2025-12-31 > /dev/null
	appt-invoice new 2 > /dev/null
	assert_equal "$(cut -d, -f1 "$D/invoices/2025/invoices.csv" | tail -n +2)" R00002
	assert_equal "$(cut -d, -f1 "$D/invoices/2026/invoices.csv" | tail -n +2 |
	    paste -sd' ')" "R00001 R00003"
	check
	assert_success
	assert_output ""
	sed -i 's/^R00003,/R00004,/' "$D/invoices/2026/invoices.csv"
	sed -i 's/^R00003,/R00004,/' "$D/invoices/2026/invoice-lines.csv"
	check
	assert_failure
	assert_line "invoices/2026/invoices.csv:3: number R00004 is not one of R00001 to R00003: a gap in the series"
}

@test "appt-invoice: a bad amount in a year's payments or invoices is named by its own file and line" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 3 --date 2025-12-31 > /dev/null
	appt-invoice pay INV-2026-0001 5 > /dev/null
	sed -i 's/,5\.00,/,5.x0,/' "$D/invoices/2026/payments.csv"
	run_refused 3 "appt-invoice: invoices/2026/payments.csv:2: amount: not an amount" \
	    appt-invoice list
	run_refused 3 "appt-customer: invoices/2026/payments.csv:2: amount: not an amount" \
	    appt-customer show 1
	sed -i 's/,5\.x0,/,5.00,/' "$D/invoices/2026/payments.csv"
	sed -i 's/,45\.00,,,/,45.x0,,,/' "$D/invoices/2025/invoices.csv"
	run_refused 3 "appt-invoice: invoices/2025/invoices.csv:2: total: not an amount" \
	    appt-invoice list all
}

@test "appt-invoice new: a line of blanks in invoices.csv, which is no record, makes no gap in the series" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	# A hand edit left a line of spaces and a tab: readers skip it.
	printf '   \n\t\n' >> "$D/invoices/2026/invoices.csv"
	check
	assert_success
	run appt-invoice new 3 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0002,2026-11-23,2,"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice void: a credit note dated before the invoice it cancels is refused, so this year's list still shows it void" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	# Dated into last year it would sit in invoices/2025/, which the list
	# of this year does not read: the invoice would show open.
	run_refused 2 "--date 2025-12-31: before INV-2026-0001's date, 2026-11-23" \
	    appt-invoice void INV-2026-0001 --date 2025-12-31
	run_refused 2 "--date 2026-11-22: before INV-2026-0001's date, 2026-11-23" \
	    appt-invoice void INV-2026-0001 --date 2026-11-22
	appt-invoice void INV-2026-0001 --date 2026-11-23 > /dev/null
	run appt-invoice list -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0001,2026-11-23,1,Zoë Müller,1,37.82,7.18,45.00,0.00,0.00,void,"
	check
	assert_success
	assert_output ""
}

@test "appt-invoice new: a series without %Y drops lines an issue cut short left in another year's place" {
	biz < /dev/null
	sed -i 's/^number = .*/number = R%05n/' "$D/config.ini"
	appt-invoice new 1 > /dev/null
	# Killed after the lines of R00002, dated today, before the invoice.
	echo "R00002,1,2026-11-20,Colour,2,colour,1,45.00,19" \
	    >> "$D/invoices/2026/invoice-lines.csv"
	check
	assert_success
	assert_output ""
	# R00002 is then issued dated back into last year.
	run appt-invoice new 3 --date 2025-12-31 -o csv
	assert_success
	assert_line --index 1 --partial "R00002,2025-12-31,2,Jonas Weber,3,37.82,7.18,45.00,"
	refute grep -q '^R00002,' "$D/invoices/2026/invoice-lines.csv"
	run appt-invoice show R00002 -o csv
	assert_output "number,line,description,qty,price,tax_rate,net,tax,gross
R00002,1,Haircut,1,45.00,19,37.82,7.18,45.00"
	run sh -c 'appt-invoice ledger all |
	    hledger -f - bal assets:receivable -N --depth 2 -O csv'
	assert_line '"assets:receivable","90.00 EUR"'
	check
	assert_success
	assert_output ""
}

@test "appt-check: an appointment on two live invoices of different years, let through by an index edited by hand" {
	biz < /dev/null
	appt-invoice new 1 --date 2025-12-30 > /dev/null
	sleep 2.1
	appt-invoice new 2 > /dev/null
	assert_equal "$(tail -n +2 "$D/invoices/2025/.appointments.idx")" 1
	# Its head still matches the file: the index is believed.
	sed -i '2d' "$D/invoices/2025/.appointments.idx"
	appt-invoice new 1 > /dev/null
	check
	assert_failure
	assert_line "invoices/2026/invoices.csv:3: appointment 1: on INV-2026-0002 and on INV-2025-0001 (invoices/2025/invoices.csv:2), both live"
	# Voided, it is on one live invoice again.
	appt-invoice void INV-2025-0001 > /dev/null
	check
	assert_success
	assert_output ""
}

@test "appt-invoice new: an earlier year whose invoices name no appointment is no crash (UBSan under APPT_BIN=build/asan/bin)" {
	biz < /dev/null
	appt-invoice new -c 3 --item "Gift card;1;50;0" --date 2025-12-31 \
	    > /dev/null
	run appt-invoice new 1 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0001,2026-11-23,1,"
	# From its index too: a head and no ids.
	sleep 2.1
	run appt-invoice new 3 -o csv
	assert_success
	assert_equal "$(wc -l < "$D/invoices/2025/.appointments.idx")" 1
	run appt-invoice new 2 -o csv
	assert_success
	assert_line --index 1 --partial "INV-2026-0003,2026-11-23,1,"
}

@test "appt-check: a year's file that does not parse is named, and the other years still checked" {
	biz < /dev/null
	appt-invoice new 1 > /dev/null
	appt-invoice new 3 --date 2025-12-31 > /dev/null
	printf 'id,invoice,date,amount,method,note,created\n9,"INV-2025-0001,2025-12-31,5.00\n' \
	    > "$D/invoices/2025/payments.csv"
	sed -i 's/^\(INV-2026-0001,invoice,.*\),45\.00,,,/\1,46.00,,,/' \
	    "$D/invoices/2026/invoices.csv"
	check
	assert_failure
	assert_line "invoices/2025/payments.csv:2: unterminated quoted field"
	assert_line "invoices/2026/invoices.csv:2: total is not net + tax"
	run_refused 3 "invoices/2025/payments.csv:2: " appt-invoice list all
}
