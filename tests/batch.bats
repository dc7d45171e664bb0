#!/usr/bin/env bats
# Batches: appt-book - and appt-status - with many rows. Every row is
# decided under one lock and each changed file written once; nothing is
# printed before it is on disk; a kill -9 or a failed write or rename at
# any point leaves each file old or new (DESIGN "Writes").

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	fixture -q
}

# Booking requests on stdout: $1 rows from the $2-th slot on, cut with sam
# or alice at 45-minute steps, Tuesdays to Fridays from 2026-11-24, each
# for a new customer.
requests() {
	/usr/bin/python3 - "$@" <<-'EOF'
	import datetime as dt, sys
	n, off = int(sys.argv[1]), int(sys.argv[2])
	print("service,start,staff,name,email,phone")
	days, d = [], dt.date(2026, 11, 24)
	while len(days) * 24 < n + off:
	    if 1 <= d.weekday() <= 4:
	        days.append(d)
	    d += dt.timedelta(days=1)
	for j in range(off, off + n):
	    day, k = days[j // 24], j % 24
	    m = 9 * 60 + 45 * (k % 12)
	    print("cut,%sT%02d:%02d,%s,Guest %d,guest%d@example.com," % (
	        day, m // 60, m % 60, ("sam", "alice")[k // 12], j, j))
	EOF
}

# The data files: ids.csv, customers.csv and the month files of $1 (the
# data directory by default), relative to it.
datafiles() {
	(cd "${1:-$D}" && ls ids.csv customers.csv appointments/*.csv \
	    2> /dev/null)
}

# Each data file of the data directory is as in directory $1 (old) or as
# in $2 (new), never anything else; one absent from either may be absent.
old_or_new() {
	local f rc=0
	for f in $( (datafiles; datafiles "$1"; datafiles "$2") | sort -u); do
		if [ -e "$D/$f" ]; then
			cmp -s "$D/$f" "$1/$f" || cmp -s "$D/$f" "$2/$f" ||
			    { echo "$f: neither old nor new"; rc=1; }
		elif [ -e "$1/$f" ] && [ -e "$2/$f" ]; then
			echo "$f: gone"; rc=1
		fi
	done
	return $rc
}

# The temporaries a writer left (hidden files but the lock and indexes).
temporaries() {
	(cd "$D" && find . -name '.*.*' ! -name .lock ! -name '.*.idx' | sort)
}

# The run of appt-book - on $1 in a copy of the data directory: the
# directory it leaves, for comparing.
expect() {
	rm -rf "$BATS_TEST_TMPDIR/new"
	cp -a "$D" "$BATS_TEST_TMPDIR/new"
	APPT_DIR=$BATS_TEST_TMPDIR/new appt-book --no-notify - < "$1" \
	    > /dev/null
}

# --- appt-book - ------------------------------------------------------------

@test "batch: rows see each other: a slot taken twice, one new customer twice, bad rows" {
	run --separate-stderr appt-book - <<-EOF
	service,start,staff,name,email,phone
	cut,2026-11-24T10:00,sam,Carl Dee,carl@example.com,
	cut,2026-11-24T10:00,sam,Dora Eck,dora@example.com,
	perm,2026-11-24T11:00,,Emil Foy,emil@example.com,
	cut,2026-11-24T12:00,sam,Carl Dee,CARL@example.com,
	cut,2026-11-24T13:00,sam,Fay Gum,,0171 5550100
	cut,2026-11-24T14:00,sam,Fay Gum,fay@example.com,+49 171 5550100
	cut,2026-11-24T15:00,sam,Gus Hay,-x@example.com,
	EOF
	assert_failure 1
	assert_output - <<-EOF
	$LIST_HEADER
	1,2026-11-24T10:00+01:00,2026-11-24T10:45+01:00,booked,cut,Haircut,sam,4,Carl Dee,carl@example.com,,,
	2,2026-11-24T12:00+01:00,2026-11-24T12:45+01:00,booked,cut,Haircut,sam,4,Carl Dee,carl@example.com,,,
	3,2026-11-24T13:00+01:00,2026-11-24T13:45+01:00,booked,cut,Haircut,sam,5,Fay Gum,,0171 5550100,,
	4,2026-11-24T14:00+01:00,2026-11-24T14:45+01:00,booked,cut,Haircut,sam,5,Fay Gum,fay@example.com,0171 5550100,,
	EOF
	assert_regex "$stderr" "stdin:3: 2026-11-24T10:00\+01:00: sam is taken by appointment 1"
	assert_regex "$stderr" "stdin:4: service perm: no such service"
	assert_regex "$stderr" "stdin:8: --email -x@example.com"
	refute_regex "$stderr" "stdin:[2567]:"
	# One customer each, the second row of Fay filling in her email.
	run tail -n +5 "$D/customers.csv"
	assert_output - <<-EOF
	4,Carl Dee,carl@example.com,,,,,$NOW
	5,Fay Gum,fay@example.com,0171 5550100,,,,$NOW
	EOF
	assert_file_contains "$D/ids.csv" '^customers,5$'
	assert_file_contains "$D/ids.csv" '^appointments,4$'
	run appt-check
	assert_success
}

@test "batch: one lock, and each file written once for the whole batch" {
	command -v strace > /dev/null || skip "strace is not installed"
	requests 30 0 > "$BATS_TEST_TMPDIR/in.csv"
	# (LeakSanitizer cannot run under ptrace: leaks unchecked here.)
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
	    strace -f -o "$BATS_TEST_TMPDIR/trace" -e trace=flock,rename \
	    appt-book --no-notify - < "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_equal "${#lines[@]}" 31
	run grep -c 'flock(.*LOCK_EX' "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	# Renamed into place once each: ids, customers, the month.
	run sh -c "grep -o 'rename(\"[^\"]*\", \"[^\"]*\"' \
	    '$BATS_TEST_TMPDIR/trace' | sed 's/.*, \"//; s/\"\$//; s,^$D/,,' |
	    grep -v '/\\.' | grep -v '^\\.' | sort | uniq -c"
	assert_output - <<-EOF
	      1 appointments/2026-11.csv
	      1 customers.csv
	      1 ids.csv
	EOF
	assert_equal "$(ncust)" 33
	run appt-check
	assert_success
}

@test "batch: a write that fails prints nothing, not even the header" {
	# customers.csv over 1 KiB; ids.csv and the month file stay under.
	for i in $(seq 4 30); do
		echo "$i,Padding Person $i,pad$i@example.com,,,,,$OLD"
	done >> "$D/customers.csv"
	ids_last customers 30
	requests 3 0 > "$BATS_TEST_TMPDIR/in.csv"
	before=$(snapshot)
	# RLIMIT_FSIZE of 1 KiB with SIGXFSZ ignored: write(2) fails EFBIG.
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec appt-book \
	    --no-notify - < "$1"' - "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output ""
	assert_regex "$stderr" "customers.csv: cannot write: File too large"
	# All as it was, but for the ids ids.csv gave out.
	assert_equal "$(snapshot | grep -v ' ./ids.csv$')" \
	    "$(grep -v ' ./ids.csv$' <<<"$before")"
	assert_file_contains "$D/ids.csv" '^customers,33$'
	assert_file_contains "$D/ids.csv" '^appointments,3$'
	run temporaries
	assert_output ""
	run appt-check
	assert_success
	# Without the limit the same batch is booked.
	run --separate-stderr appt-book --no-notify - < "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_equal "${#lines[@]}" 4
	assert_line -n 1 --regexp '^4,2026-11-24T09:00\+01:00,.*,sam,34,Guest 0,'
}

@test "batch: every row refused prints nothing; no rows prints the header" {
	run --separate-stderr appt-book --no-notify - <<-EOF
	service,start,name,email
	perm,2026-11-24T10:00,Carl Dee,carl@example.com
	cut,2026-11-24T07:00,Dora Eck,dora@example.com
	EOF
	assert_failure 1
	assert_output ""
	run --separate-stderr appt-book --no-notify - <<< "service,start"
	assert_success
	assert_output "$LIST_HEADER"
}

@test "batch: kill -9 at any moment leaves each file old or new; what was printed is on disk" {
	# A larger customers.csv makes the writes take longer, so that more
	# of the kills land inside them.
	awk -v old="$OLD" 'BEGIN { for (i = 4; i <= 2003; i++)
	    printf "%d,Padding Person %d,pad%d@example.com,,Some Street %d,10115,,%s\n", i, i, i, i, old }' \
	    >> "$D/customers.csv"
	ids_last customers 2003
	T=$BATS_TEST_TMPDIR
	for i in $(seq 0 29); do
		requests 20 $((i * 20)) > "$T/in.csv"
		rm -rf "$T/old"
		cp -a "$D" "$T/old"
		expect "$T/in.csv"
		appt-book --no-notify - < "$T/in.csv" > "$T/out" 2> /dev/null &
		pid=$!
		case $((i % 3)) in
		0) ;;
		1) sleep "0.00$((RANDOM % 10))" ;;
		2) sleep "0.0$((RANDOM % 4))$((RANDOM % 10))" ;;
		esac
		kill -9 "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true
		run old_or_new "$T/old" "$T/new"
		assert_success
		run appt-check
		assert_success
		run csvs_parse
		assert_success
		# Every row printed is in its month file.
		tail -n +2 "$T/out" | cut -d, -f1,2 | while IFS=, read -r id start; do
			grep -q "^$id,$start," "$D"/appointments/*.csv ||
			    fail "iteration $i: $id printed, not on disk"
		done
	done
	# A batch not killed books every row, with new ids.
	requests 20 600 > "$T/in.csv"
	run --separate-stderr appt-book --no-notify - < "$T/in.csv"
	assert_success
	assert_equal "${#lines[@]}" 21
	run sh -c "tail -n +2 '$D/customers.csv' | cut -d, -f1 | sort | uniq -d"
	assert_output ""
	run sh -c "cat '$D'/appointments/*.csv | grep -v '^id,' | cut -d, -f1 | sort | uniq -d"
	assert_output ""
	# It removed what the kills left.
	run temporaries
	assert_output ""
	run appt-check
	assert_success
}

@test "batch: a write, fsync or rename that fails at any point leaves each file old or new" {
	command -v strace > /dev/null || skip "strace is not installed"
	T=$BATS_TEST_TMPDIR
	# A batch that adds customers, fills one in and books into a month
	# that has a file and one that has none.
	appt_add 2026-11 "50,2026-11-30T09:00+01:00,2026-11-30T09:45+01:00,cut,alice,2,booked,45.00,,,$OLD,$OLD,,"
	{
		requests 3 0
		echo "cut,2026-12-01T10:00,sam,Lukas Schmidt,lukas@example.com,+49 152 3334455"
	} > "$T/in.csv"
	cp -a "$D" "$T/old"
	expect "$T/in.csv"
	assert_equal "$(wc -l < "$T/new/appointments/2026-12.csv")" 2
	# How many of each the batch makes when nothing fails.
	cp -a "$T/old" "$T/count"
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 APPT_DIR=$T/count strace -f \
	    -o "$T/trace" -e trace=write,fsync,rename appt-book --no-notify - \
	    < "$T/in.csv" > /dev/null
	tries=0
	for sc in write:ENOSPC write:EIO fsync:EIO fsync:ENOSPC rename:EIO rename:ENOSPC; do
		call=${sc%:*}
		n=$(grep -cE "^[0-9]+ +$call\(" "$T/trace")
		[ "$n" -gt 0 ] || fail "no $call in the batch"
		for k in $(seq 1 "$n"); do
			rm -rf "$D"
			cp -a "$T/old" "$D"
			ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
			    strace -f -o /dev/null -e trace="$call" \
			    -e inject="$call:error=${sc#*:}:when=$k" \
			    appt-book --no-notify - < "$T/in.csv"
			[ "$status" -eq 0 ] || [ "$status" -eq 1 ] ||
			    fail "$sc $k: exit $status: $stderr"
			# What was printed is on disk: a failed run printed
			# nothing, unless it failed writing stdout itself.
			if [ "$status" -ne 0 ] && [ -n "$output" ]; then
				run old_or_new "$T/new" "$T/new"
				[ "$status" -eq 0 ] ||
				    fail "$sc $k: printed what is not on disk"
			fi
			run old_or_new "$T/old" "$T/new"
			[ "$status" -eq 0 ] || fail "$sc $k: $output"
			run temporaries
			[ -z "$output" ] || fail "$sc $k: left $output"
			run appt-check
			[ "$status" -eq 0 ] || fail "$sc $k: appt-check: $output"
			# ids.csv is old or new: never behind.
			run appt-book --no-notify -s cut -c 1 -w sam \
			    --at 2026-11-27T16:00
			[ "$status" -eq 0 ] || fail "$sc $k: then: $output"
			tries=$((tries + 1))
		done
	done
	[ "$tries" -ge 12 ]
}

# --- appt-status - ----------------------------------------------------------

# 40 booked appointments, 20 in November and 20 in December (ids 1-40).
twomonths() {
	{ requests 20 0; requests 20 240 | tail -n +2; } |
	    appt-book --no-notify - > "$BATS_TEST_TMPDIR/booked"
	assert_equal "$(grep -c ',2026-12-' "$BATS_TEST_TMPDIR/booked")" 20
}

@test "status batch: one lock, each month written once, printed once on disk" {
	command -v strace > /dev/null || skip "strace is not installed"
	twomonths
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
	    strace -f -o "$BATS_TEST_TMPDIR/trace" -e trace=flock,rename \
	    appt-status --no-notify - confirmed < "$BATS_TEST_TMPDIR/booked"
	assert_success
	assert_equal "${#lines[@]}" 41
	assert_equal "$(grep -c ',confirmed,' <<<"$output")" 40
	run grep -c 'flock(.*LOCK_EX' "$BATS_TEST_TMPDIR/trace"
	assert_output 1
	run sh -c "grep -o 'rename(\"[^\"]*\", \"[^\"]*\"' \
	    '$BATS_TEST_TMPDIR/trace' | sed 's/.*, \"//; s/\"\$//; s,^$D/,,' |
	    grep -v '/\\.' | grep -v '^\\.' | sort | uniq -c"
	assert_output - <<-EOF
	      1 appointments/2026-11.csv
	      1 appointments/2026-12.csv
	EOF
	run appt-check
	assert_success
}

@test "status batch: a write that fails, or no change at all, prints nothing" {
	# November's file small, December's over 1 KiB: November is read,
	# and written, first.
	month 2026-11 <<-EOF
	1,2026-11-24T09:00+01:00,2026-11-24T09:45+01:00,cut,sam,1,booked
	2,2026-11-25T09:00+01:00,2026-11-25T09:45+01:00,cut,sam,2,booked
	EOF
	for d in 14 15 16 17 18 21 22 23 24 25 28 29; do
		echo "$((100 + d)),2026-12-${d}T09:00+01:00,2026-12-${d}T09:45+01:00,cut,alice,2,booked"
	done | month 2026-12
	[ "$(stat -c %s "$D/appointments/2026-12.csv")" -gt 1024 ]
	before=$(snapshot)
	run --separate-stderr bash -c 'trap "" XFSZ; ulimit -f 1; exec \
	    appt-status --no-notify 1 2 114 confirmed'
	assert_failure 1
	assert_output ""
	assert_regex "$stderr" "appointments/2026-12.csv: cannot write: File too large"
	# Neither month changed.
	assert_equal "$(snapshot)" "$before"
	run temporaries
	assert_output ""
	run appt-check
	assert_success
	# Ids that are not there: exit 1, nothing on stdout either.
	run --separate-stderr appt-status --no-notify 98 99 confirmed
	assert_failure 1
	assert_output ""
	assert_regex "$stderr" "98: no such appointment"
	run --separate-stderr appt-status --no-notify 1 2 114 confirmed
	assert_success
	assert_equal "${#lines[@]}" 4
}

@test "status batch: a write, fsync or rename that fails at any point leaves each month old or new" {
	command -v strace > /dev/null || skip "strace is not installed"
	T=$BATS_TEST_TMPDIR
	twomonths
	cp -a "$D" "$T/old"
	cp -a "$D" "$T/new"
	APPT_DIR=$T/new appt-status --no-notify - cancelled < "$T/booked" \
	    > /dev/null
	cp -a "$T/old" "$T/count"
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 APPT_DIR=$T/count strace -f \
	    -o "$T/trace" -e trace=write,fsync,rename appt-status --no-notify \
	    - cancelled < "$T/booked" > /dev/null
	for sc in write:ENOSPC fsync:EIO rename:EIO; do
		call=${sc%:*}
		n=$(grep -cE "^[0-9]+ +$call\(" "$T/trace")
		[ "$n" -gt 0 ] || fail "no $call"
		for k in $(seq 1 "$n"); do
			rm -rf "$D"
			cp -a "$T/old" "$D"
			ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
			    strace -f -o /dev/null -e trace="$call" \
			    -e inject="$call:error=${sc#*:}:when=$k" \
			    appt-status --no-notify - cancelled < "$T/booked"
			# What was printed is on disk: a failed run printed
			# nothing, unless it failed writing stdout itself.
			if [ "$status" -ne 0 ] && [ -n "$output" ]; then
				run old_or_new "$T/new" "$T/new"
				[ "$status" -eq 0 ] ||
				    fail "$sc $k: printed what is not on disk"
			fi
			run old_or_new "$T/old" "$T/new"
			[ "$status" -eq 0 ] || fail "$sc $k: $output"
			run temporaries
			[ -z "$output" ] || fail "$sc $k: left $output"
			run appt-check
			[ "$status" -eq 0 ] || fail "$sc $k: appt-check: $output"
		done
	done
}

@test "batch: customers named by id, email or phone are found in any row" {
	run --separate-stderr appt-book --no-notify - <<-EOF
	service,start,staff,customer
	cut,2026-11-24T09:00,sam,1
	cut,2026-11-24T10:00,sam,JONAS@example.org
	cut,2026-11-24T11:00,sam,0152 3334455
	cut,2026-11-24T12:00,sam,+49 171 2345678
	cut,2026-11-24T13:00,sam,99
	cut,2026-11-24T14:00,sam,0170 1112233
	EOF
	assert_failure 1
	run cut -d, -f1,8,9 <<<"$output"
	assert_output - <<-EOF
	id,customer,customer_name
	1,1,Zoë Müller
	2,2,Jonas Weber
	3,3,Lukas Schmidt
	4,1,Zoë Müller
	5,2,Jonas Weber
	EOF
	assert_regex "$stderr" "^appt-book: stdin:6: 99: no such customer$"
	assert_equal "$(ncust)" 3
}

@test "batch: a customer added or filled in by one row is recognised by the next" {
	run --separate-stderr appt-book --no-notify - <<-EOF
	service,start,staff,name,email,phone
	cut,2026-11-24T09:00,sam,Carl Dee,carl@example.com,
	cut,2026-11-24T10:00,sam,Lukas Schmidt,lukas@example.com,+49 152 3334455
	cut,2026-11-24T11:00,sam,Dora Eck,dora@example.com,
	cut,2026-11-24T12:00,sam,L. Schmidt,LUKAS@example.com,
	cut,2026-11-24T13:00,sam,Dora Eck,dora+x@example.com,030 5550000
	cut,2026-11-24T14:00,sam,D. Eck,,+49 30 5550000
	EOF
	assert_success
	run cut -d, -f1,8,9 <<<"$output"
	assert_output - <<-EOF
	id,customer,customer_name
	1,4,Carl Dee
	2,3,Lukas Schmidt
	3,5,Dora Eck
	4,3,Lukas Schmidt
	5,5,Dora Eck
	6,5,Dora Eck
	EOF
	assert_regex "$stderr" "customer 3 \(by email\): name is 'Lukas Schmidt', not 'L. Schmidt'"
	assert_regex "$stderr" "customer 5 \(by phone\): name is 'Dora Eck', not 'D. Eck'"
	run tail -n +4 "$D/customers.csv"
	assert_output - <<-EOF
	3,Lukas Schmidt,lukas@example.com,+49 152 3334455,,,,2026-04-08T09:15+02:00
	4,Carl Dee,carl@example.com,,,,,$NOW
	5,Dora Eck,dora@example.com,030 5550000,,,,$NOW
	EOF
}
