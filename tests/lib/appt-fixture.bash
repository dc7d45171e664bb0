# A small hand-built data directory in $D for exact expectations, used by
# the appt-list, appt-status, appt-move and appt-check-appointments suites.
#
#   staff:     ann (Ann Lee), bob (Bob Marsh; does not work on Mondays)
#   services:  cut (Haircut, 45m, anyone), colour (Colour, 1h30m, ann only)
#   customers: 1 Zoë Müller, 2 Jonas Weber, 3 Lukas Schmidt (no email)
#   hours:     mon 09:00-12:30, 13:30-18:00; tue-fri 09:00-18:00
#   booking:   15m grid, 2h notice, 90d horizon
# Appointments are written with `month`.

APPT_HEADER=id,start,end,service,staff,customer,status,price,series,notes,created,updated,started,finished

fixture() {
	empty <<-'EOF'
	[business]
	name = Test Salon
	email = salon@example.com
	timezone = Europe/Berlin
	currency = EUR
	country = DE

	[hours]
	mon = 09:00-12:30, 13:30-18:00
	tue = 09:00-18:00
	wed = 09:00-18:00
	thu = 09:00-18:00
	fri = 09:00-18:00
	sat = closed
	sun = closed

	[hours.bob]
	mon = closed

	[booking]
	granularity = 15m
	min_notice = 2h
	horizon = 90d

	[notify]
	confirm = no
	changes = no
	EOF
	put staff.csv <<-'EOF'
	id,name,email,phone
	ann,Ann Lee,ann@example.com,
	bob,Bob Marsh,bob@example.com,
	EOF
	put services.csv <<-'EOF'
	id,name,duration,price,tax,buffer_before,buffer_after,staff,recall,description
	cut,Haircut,45m,45.00,,,,,,
	colour,Colour,1h30m,95.00,,,,ann,,
	EOF
	put customers.csv <<-'EOF'
	id,name,email,phone,address,postcode,notes,created
	1,Zoë Müller,zoe@example.net,+49 171 2345678,,,,2026-01-12T10:00+01:00
	2,Jonas Weber,jonas@example.org,0170 1112233,,,,2026-02-03T15:30+01:00
	3,Lukas Schmidt,,+49 152 3334455,,,,2026-04-08T09:15+02:00
	EOF
	put ids.csv <<-'EOF'
	table,last
	customers,3
	appointments,100
	EOF
}

# appointments/YYYY-MM.csv from short rows on stdin, in the order given:
#   id,start,end,service,staff,customer,status
# price, created and updated are filled in (updated 2026-11-01T10:00).
month() {
	mkdir -p "$D/appointments"
	{
		printf '%s\n' "$APPT_HEADER"
		while IFS= read -r l; do
			[ -n "$l" ] || continue
			printf '%s,45.00,,,2026-11-01T10:00+01:00,2026-11-01T10:00+01:00,,\n' "$l"
		done
	} > "$D/appointments/$1.csv"
}

# The ids (first column) of the CSV rows in $output, space-separated.
ids() {
	printf '%s\n' "${lines[@]:1}" | cut -d, -f1 | paste -sd' ' -
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
