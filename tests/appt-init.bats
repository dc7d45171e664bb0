#!/usr/bin/env bats
# appt-init: making a data directory.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# The headers every new data directory has.
assert_headers() {
	local dir=$1
	assert_equal "$(head -n 1 "$dir/customers.csv")" "$CUSTOMER_HEADER"
	assert_equal "$(head -n 1 "$dir/services.csv")" "$SERVICE_HEADER"
	assert_equal "$(head -n 1 "$dir/staff.csv")" "$STAFF_HEADER"
	assert_equal "$(head -n 1 "$dir/closures.csv")" "$CLOSURE_HEADER"
	assert_equal "$(head -n 1 "$dir/flags.csv")" "$FLAG_HEADER"
}

@test "appt-init makes a 0700 directory with config.ini and header-only CSVs" {
	run appt-init "$D"
	assert_success
	assert_output ""
	assert_dir_exist "$D"
	assert_mode 700 "$D"
	assert_file_exist "$D/config.ini"
	assert_headers "$D"
	for f in customers services staff closures flags; do
		assert_equal "$(wc -l < "$D/$f.csv")" 1
	done
	assert_dir_exist "$D/appointments"
	assert_dir_exist "$D/outbox"
	# No appointments yet, and nothing but headers.
	assert_equal "$(find "$D/appointments" -type f | wc -l)" 0
	# The config is commented and loads: appt-check is happy.
	grep -q '^[;#]' "$D/config.ini"
	run appt-check -d "$D"
	assert_success
	assert_output ""
}

@test "appt-init leaves no building directory behind" {
	run appt-init "$D"
	assert_success
	run find "$BATS_TEST_TMPDIR" -maxdepth 1 -name '.*init*'
	assert_output ""
}

@test "appt-init makes files 0600 and directories 0700 even under umask 000" {
	umask 000
	run appt-init --example "$D"
	assert_success
	assert_mode 700 "$D"
	run find "$D" -type f ! -perm 600
	assert_output ""
	run find "$D" -type d ! -perm 700
	assert_output ""
	# Something was checked: files and subdirectories exist.
	[ "$(find "$D" -type f | wc -l)" -ge 8 ]
	[ "$(find "$D" -mindepth 1 -type d | wc -l)" -ge 2 ]
}

@test "appt-init refuses a non-empty directory with exit 1 and changes nothing" {
	fixture
	printf 'my own notes\n' > "$D/notes.txt"
	chmod 0711 "$D"
	before=$(snapshot)
	run appt-init "$D"
	assert_failure 1
	assert_output --partial "not empty"
	assert_equal "$(snapshot)" "$before"
	assert_mode 711 "$D"
	assert_equal "$(cat "$D/notes.txt")" "my own notes"
	run find "$BATS_TEST_TMPDIR" -maxdepth 1 -name '.*init*'
	assert_output ""
}

@test "appt-init --example refuses a directory holding one hidden file" {
	mkdir "$D"
	printf 'x\n' > "$D/.keep"
	run appt-init --example "$D"
	assert_failure 1
	assert_output --partial "$D"
	assert_equal "$(ls -A "$D")" ".keep"
	assert_equal "$(cat "$D/.keep")" "x"
}

@test "appt-init refuses a path that is a file" {
	printf 'not a directory\n' > "$D"
	run appt-init "$D"
	assert_failure 1
	assert_output --partial "not a directory"
	assert_file_exist "$D"
	assert_equal "$(cat "$D")" "not a directory"
}

@test "appt-init accepts an existing empty directory" {
	mkdir -m 0755 "$D"
	run appt-init "$D"
	assert_success
	assert_mode 700 "$D"
	assert_headers "$D"
}

@test "appt-init makes missing parent directories" {
	run appt-init "$BATS_TEST_TMPDIR/a/b/data"
	assert_success
	assert_headers "$BATS_TEST_TMPDIR/a/b/data"
}

@test "appt-init takes DIR as an argument" {
	unset APPT_DIR
	run appt-init "$BATS_TEST_TMPDIR/pos"
	assert_success
	assert_file_exist "$BATS_TEST_TMPDIR/pos/config.ini"
	assert_file_not_exist "$D/config.ini"
}

@test "appt-init takes -d DIR" {
	unset APPT_DIR
	run appt-init -d "$BATS_TEST_TMPDIR/opt"
	assert_success
	assert_file_exist "$BATS_TEST_TMPDIR/opt/config.ini"
}

@test "appt-init: DIR and -d win over APPT_DIR" {
	export APPT_DIR="$BATS_TEST_TMPDIR/env"
	run appt-init "$BATS_TEST_TMPDIR/pos"
	assert_success
	run appt-init -d "$BATS_TEST_TMPDIR/opt"
	assert_success
	assert_file_exist "$BATS_TEST_TMPDIR/pos/config.ini"
	assert_file_exist "$BATS_TEST_TMPDIR/opt/config.ini"
	assert_not_exist "$BATS_TEST_TMPDIR/env"
}

@test "appt-init uses \$APPT_DIR without an argument" {
	export APPT_DIR="$BATS_TEST_TMPDIR/env"
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	run appt-init
	assert_success
	assert_file_exist "$BATS_TEST_TMPDIR/env/config.ini"
	assert_not_exist "$BATS_TEST_TMPDIR/xdg/appt"
}

@test "appt-init uses \$XDG_DATA_HOME/appt without APPT_DIR" {
	unset APPT_DIR
	export XDG_DATA_HOME="$BATS_TEST_TMPDIR/xdg"
	export HOME="$BATS_TEST_TMPDIR/home"
	run appt-init
	assert_success
	assert_file_exist "$BATS_TEST_TMPDIR/xdg/appt/config.ini"
	assert_mode 700 "$BATS_TEST_TMPDIR/xdg/appt"
	assert_not_exist "$BATS_TEST_TMPDIR/home/.local/share/appt"
}

@test "appt-init uses \$HOME/.local/share/appt without APPT_DIR and XDG_DATA_HOME" {
	unset APPT_DIR XDG_DATA_HOME
	export HOME="$BATS_TEST_TMPDIR/home"
	run appt-init
	assert_success
	assert_file_exist "$HOME/.local/share/appt/config.ini"
	assert_mode 700 "$HOME/.local/share/appt"
	# The other commands find it the same way.
	run appt-check
	assert_success
}

@test "appt-init --example makes a small business that appt-check accepts" {
	run appt-init --example "$D"
	assert_success
	# Customers, staff, services.
	[ "$(tail -n +2 "$D/customers.csv" | wc -l)" -ge 5 ]
	assert_equal "$(tail -n +2 "$D/staff.csv" | wc -l)" 3
	[ "$(tail -n +2 "$D/services.csv" | wc -l)" -ge 2 ]
	# The headers, with the optional columns of appt-eta after two.
	assert_equal "$(head -n 1 "$D/customers.csv")" "$CUSTOMER_HEADER,lat,lon"
	assert_equal "$(head -n 1 "$D/services.csv")" "$SERVICE_HEADER"
	assert_equal "$(head -n 1 "$D/staff.csv")" \
	    "$STAFF_HEADER,mobile,postcode,lat,lon"
	assert_equal "$(head -n 1 "$D/closures.csv")" "$CLOSURE_HEADER"
	assert_equal "$(head -n 1 "$D/flags.csv")" "$FLAG_HEADER"
	# Two staff members with different hours in the salon.
	run grep -c '^\[hours\]' "$D/config.ini"
	assert_output 1
	run grep '^\[hours\.' "$D/config.ini"
	assert_output "[hours.alice]"
	grep -q '^alice,' "$D/staff.csv"
	# One flagged customer.
	assert_equal "$(tail -n +2 "$D/flags.csv" | wc -l)" 1
	run appt-check -d "$D"
	assert_success
	assert_output ""
}

@test "appt-init --example books appointments before and after APPT_NOW" {
	appt-init --example "$D"
	f=$D/appointments/2026-11.csv
	assert_file_exist "$f"
	assert_equal "$(head -n 1 "$f")" "$APPT_HEADER"
	# The start column sorts as text within one offset.
	before=$(awk -F, 'NR > 1 && $2 < "2026-11-23T08:00+01:00"' "$f" | wc -l)
	after=$(awk -F, 'NR > 1 && $2 > "2026-11-23T08:00+01:00"' "$f" | wc -l)
	[ "$before" -ge 3 ]
	[ "$after" -ge 3 ]
	# Both staff members work; past ones are done or no-show, future ones
	# booked or confirmed.
	awk -F, 'NR > 1 { print $5 }' "$f" | grep -qx sam
	awk -F, 'NR > 1 { print $5 }' "$f" | grep -qx alice
	run awk -F, 'NR > 1 && $3 <= "2026-11-23T08:00+01:00" &&
	    $7 != "done" && $7 != "no-show"' "$f"
	assert_output ""
	run awk -F, 'NR > 1 && $2 > "2026-11-23T08:00+01:00" &&
	    $7 != "booked" && $7 != "confirmed"' "$f"
	assert_output ""
	# The flagged customer has an appointment to come.
	awk -F, 'NR > 1 && $2 > "2026-11-23T08:00+01:00" { print $6 }' "$f" |
	    grep -qx 8
	# Nothing outside the week around now but Lea's past visits.
	run awk -F, 'NR > 1 && $5 != "lea" &&
	    ($2 < "2026-11-16" || $2 > "2026-11-30")' "$f"
	assert_output ""
	# ids.csv knows the last appointment id.
	last=$(awk -F, 'NR > 1 { if ($1 > m) m = $1 } END { print m }' "$f")
	grep -qx "appointments,$last" "$D/ids.csv"
}

@test "appt-init --example follows APPT_NOW to another month" {
	APPT_NOW=2027-03-10T08:00 run appt-init --example "$D"
	assert_success
	assert_file_exist "$D/appointments/2027-03.csv"
	assert_file_not_exist "$D/appointments/2026-11.csv"
	run grep -c ',2027-03-1[0-9]T' "$D/appointments/2027-03.csv"
	[ "$output" -ge 3 ]
	APPT_NOW=2027-03-10T08:00 run appt-check -d "$D"
	assert_success
	assert_output ""
}

@test "appt-init --example across a month end splits the appointments by month" {
	APPT_NOW=2026-12-30T08:00 run appt-init --example "$D"
	assert_success
	assert_file_exist "$D/appointments/2026-12.csv"
	assert_file_exist "$D/appointments/2027-01.csv"
	# Each file holds the appointments that start in its month.
	run awk -F, 'NR > 1 && $2 !~ /^2026-12-/' "$D/appointments/2026-12.csv"
	assert_output ""
	run awk -F, 'NR > 1 && $2 !~ /^2027-01-/' "$D/appointments/2027-01.csv"
	assert_output ""
	[ "$(wc -l < "$D/appointments/2026-12.csv")" -ge 2 ]
	[ "$(wc -l < "$D/appointments/2027-01.csv")" -ge 2 ]
	run appt-check -d "$D"
	assert_success
	assert_output ""
}

@test "appt-init -h prints the usage on stdout and exits 0" {
	run --separate-stderr appt-init -h
	assert_success
	assert_output --partial "appt-init"
	assert_output --partial "--example"
	assert_equal "$stderr" ""
	assert_not_exist "$D"
}

@test "appt-init with an unknown option exits 2 and makes nothing" {
	run appt-init --frobnicate "$D"
	assert_failure 2
	assert_output --partial "appt-init"
	assert_not_exist "$D"
	run appt-init -q "$D"
	assert_failure 2
	assert_not_exist "$D"
}

@test "appt-init with two directories exits 2" {
	run appt-init "$D" "$D.2"
	assert_failure 2
	assert_not_exist "$D"
	assert_not_exist "$D.2"
}

@test "appt-init --example: Lea visits customers at home, and appt-eta gives today's windows" {
	APPT_NOW=2026-11-23T14:10 run appt-init --example "$D"
	assert_success
	grep -q '^lea,Lea Wolf,.*,yes,10247,52.5150,13.4660$' "$D/staff.csv"
	# Weeks of done jobs, each with started and finished times that vary.
	run awk -F, '$5 == "lea" && $7 == "done" && $13 != "" && $14 != ""' \
	    "$D"/appointments/2026-1[01].csv
	[ "${#lines[@]}" -ge 60 ]
	[ "$(printf '%s\n' "${lines[@]}" | cut -d, -f13 | cut -c12- | sort -u |
	    wc -l)" -ge 20 ]
	# Today: two done, one under way, two still to come.
	run awk -F, '$5 == "lea" && $2 ~ /^2026-11-23T/ { print $1 "," $7 }' \
	    "$D/appointments/2026-11.csv"
	assert_equal "$(cut -d, -f2 <<< "$output" | paste -sd' ')" \
	    "done done in-progress confirmed confirmed"
	today=$(cut -d, -f1 <<< "$output" | paste -sd' ')
	# The other staff's week is as before: no home visit there.
	run awk -F, '$5 != "lea" && $4 ~ /^home/' "$D"/appointments/*.csv
	assert_output ""
	APPT_NOW=2026-11-23T14:10 run appt-check -d "$D"
	assert_success
	assert_output ""
	# A window row for each of today's visits, in booked order.
	APPT_NOW=2026-11-23T14:10 run --separate-stderr appt-eta -d "$D" -o csv
	assert_success
	assert_equal "$stderr" ""
	assert_equal "${#lines[@]}" 6
	assert_equal "$(tail -n +2 <<< "$output" | cut -d, -f1 | paste -sd' ')" \
	    "$today"
	run awk -F, 'NR > 1 && !($2 == "lea" && $7 ~ /^2026-11-23T[0-9:]+\+01:00$/ &&
	    $8 ~ /^2026-11-23T/ && $11 ~ /^[01]\.[0-9][0-9]$/ && $12 != "")' \
	    <<< "$output"
	assert_output ""
}
