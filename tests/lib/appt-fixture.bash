# The fixture business: the one data directory every suite starts from,
# written into $D by `fixture`, and the helpers with which a suite adds
# what its command needs. Loaded by common.bash.
#
#   config.ini  Test Salon; Europe/Berlin, EUR, DE; no email (-m)
#     hours     mon 09:00-12:30, 13:30-18:00; tue-fri 09:00-18:00;
#               the second staff member does not work on Mondays
#     booking   15m grid, 2h notice, 90d horizon
#     notify    the defaults: confirmations and change notices
#   staff       sam (Sam Berger), alice (Alice Novak)
#   services    cut (Haircut, 45m, 45.00, anyone), colour (Colour, 1h30m,
#               95.00, the first staff member only)
#   customers   1 Zoë Müller, 2 Jonas Weber, 3 Lukas Schmidt (no email)
#
# fixture [-n NAME] [-m] [-s "ID ..."] [-h HOURS] [-b BOOKING] [-q]
#     [-c SECTIONS]
#   -n NAME       the business's name
#   -m            its email salon@example.com, phone +49 30 1234567 and
#                 address Hauptstr. 1, 10115 Berlin
#   -s "ID ..."   the staff, from the roster below, in this order
#   -h HOURS      the [hours] lines (the second staff member's free
#                 Mondays stay)
#   -b BOOKING    the [booking] lines
#   -q            quiet: no confirmations, no change notices
#   -c SECTIONS   further sections of config.ini
#
# fixture -e: the business in full, as `appt-init --example` writes it at
# APPT_NOW (tests/lib/fixture, a copy, so that the suites do not follow
# the shipped example): Hair by Sam, thu until 20:00, sat 10:00-14:00,
# alice afternoons only; services cut, colour, beard, consult with
# buffers; customers 1-8; flag 1 (Kevin Lang), who matches customer 8
# (K. Lang) by phone and address; two closures; appointments 1-69 in
# the week around now; on_flag = warn; [mail], [invoice], [review].

# Now (APPT_NOW) as the files write it, and the created and updated time
# of the rows month writes.
NOW=2026-11-23T08:00+01:00
OLD=2026-11-01T10:00+01:00

# The staff members a fixture can have.
STAFF_ROSTER='sam,Sam Berger,sam@example.com,
alice,Alice Novak,alice@example.com,
ann,Ann Lee,ann@example.com,
bob,Bob Marsh,bob@example.com,'

fixture() {
	local name="Test Salon" staff="sam alice" mail= quiet= more= OPTIND=1 o
	local hours="mon = 09:00-12:30, 13:30-18:00
tue = 09:00-18:00
wed = 09:00-18:00
thu = 09:00-18:00
fri = 09:00-18:00
sat = closed
sun = closed"
	local booking="granularity = 15m
min_notice = 2h
horizon = 90d"
	while getopts 'n:ms:h:b:qc:e' o; do
		case $o in
		n) name=$OPTARG ;;
		m) mail=1 ;;
		s) staff=$OPTARG ;;
		h) hours=$OPTARG ;;
		b) booking=$OPTARG ;;
		q) quiet=1 ;;
		c) more=$OPTARG ;;
		e) fixture_example; return ;;
		*) return 2 ;;
		esac
	done
	set -- $staff
	appt-init "$D" > /dev/null
	{
		printf '[business]\nname = %s\n' "$name"
		if [ -n "$mail" ]; then
			printf '%s\n' "email = salon@example.com" \
			    "phone = +49 30 1234567" \
			    "address = Hauptstr. 1, 10115 Berlin"
		fi
		printf '%s\n' "timezone = Europe/Berlin" "currency = EUR" \
		    "country = DE"
		printf '\n[hours]\n%s\n' "$hours"
		if [ -n "$2" ]; then
			printf '\n[hours.%s]\nmon = closed\n' "$2"
		fi
		printf '\n[booking]\n%s\n' "$booking"
		if [ -n "$quiet" ]; then
			printf '\n[notify]\nconfirm = no\nchanges = no\n'
		fi
		if [ -n "$more" ]; then printf '\n%s\n' "$more"; fi
	} > "$D/config.ini"
	staff "$@"
	services <<-EOF
	cut,Haircut,45m,45.00,,,,,,
	colour,Colour,1h30m,95.00,,,,$1,,
	EOF
	customers <<-'EOF'
	1,Zoë Müller,zoe@example.net,+49 171 2345678,,,,2026-01-12T10:00+01:00
	2,Jonas Weber,jonas@example.org,0170 1112233,,,,2026-02-03T15:30+01:00
	3,Lukas Schmidt,,+49 152 3334455,,,,2026-04-08T09:15+02:00
	EOF
}

# fixture -e: appt-init, then the copy of the example's data.
fixture_example() {
	local f
	appt-init "$D" > /dev/null
	(cd "$TOP/tests/lib/fixture" && find . -type f) | while read -r f; do
		install -m 600 -D "$TOP/tests/lib/fixture/$f" "$D/$f"
	done
}

# staff.csv: the members of the roster with the ids given, in this order.
staff() {
	local id
	{
		echo "$STAFF_HEADER"
		for id; do
			grep "^$id," <<< "$STAFF_ROSTER" ||
			    { echo "no $id in the roster" >&2; return 1; }
		done
	} > "$D/staff.csv"
}

# services.csv: the rows on stdin after the header.
services() {
	{ echo "$SERVICE_HEADER"; cat; } > "$D/services.csv"
}

# customers.csv: the rows on stdin after the header; ids.csv gives out
# the ids after the last of them.
customers() {
	local last
	{ echo "$CUSTOMER_HEADER"; cat; } > "$D/customers.csv"
	last=$(tail -n +2 "$D/customers.csv" | tail -n 1 | cut -d, -f1)
	ids_last customers "${last:-0}"
}

# closures.csv: the rows on stdin after the header.
closures() {
	{ echo "$CLOSURE_HEADER"; cat; } > "$D/closures.csv"
}

# Set the last id ids.csv gave out for table $1 to $2.
ids_last() {
	local f=$D/ids.csv
	[ -s "$f" ] || echo table,last > "$f"
	if grep -q "^$1," "$f"; then
		sed -i "s/^$1,.*/$1,$2/" "$f"
	else
		echo "$1,$2" >> "$f"
	fi
}

# appointments/$1.csv (2026-11 by default): the full rows on stdin after
# the header. ids.csv has given out their ids.
appts() {
	mkdir -p "$D/appointments"
	{ echo "$APPT_HEADER"; cat; } > "$D/appointments/${1:-2026-11}.csv"
	ids_seen "$D/appointments/${1:-2026-11}.csv"
}

# appointments/$1.csv from short rows on stdin, in the order given:
#   id,start,end,service,staff,customer,status
# price, created and updated are filled in (updated $OLD).
month() {
	local l
	while IFS= read -r l; do
		[ -n "$l" ] || continue
		printf '%s,45.00,,,%s,%s,,\n' "$l" "$OLD" "$OLD"
	done | appts "$1"
}

# Append the full row $2 to appointments/$1.csv, made with its header if
# new. ids.csv has given out its id.
appt_add() {
	local f=$D/appointments/$1.csv
	mkdir -p "$D/appointments"
	[ -e "$f" ] || echo "$APPT_HEADER" > "$f"
	echo "$2" >> "$f"
	ids_seen "$f"
}

# Raise the last appointment id of ids.csv to the largest id of the
# month file $1.
ids_seen() {
	local last top
	last=$(sed -n 's/^appointments,//p' "$D/ids.csv")
	top=$(tail -n +2 "$1" | cut -d, -f1 | grep -x '[0-9]*' | sort -n |
	    tail -n 1)
	[ "${top:-0}" -le "${last:-0}" ] || ids_last appointments "$top"
}

# The ids (first column) of the CSV rows in $output, space-separated.
ids() {
	printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | paste -sd' ' -
}

# The rows of appointments/$1.csv (2026-11 by default) without the header.
rows() {
	tail -n +2 "$D/appointments/${1:-2026-11}.csv"
}

# The row of id $2 in appointments/$1.csv.
arow() {
	grep "^$2," "$D/appointments/$1.csv"
}

# Field NAME of the row of id ID in appointments/FILE.csv (no quoted
# commas in the rows these suites write).
afield() {
	local file=$D/appointments/$1.csv
	awk -F, -v id="$2" -v name="$3" '
	    NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	    $1 == id { print $col[name] }' "$file"
}
