#!/usr/bin/env bats
# A new customer as the store grows (issue 10): appt-book and
# appt-customer add append the customer's row to customers.csv, copying
# the file's bytes rather than reading and writing every record, and find
# a returning customer through the index .customers.idx. Every guarantee
# of DESIGN "Writes" holds on that path: old or new after kill -9 or a
# failed write, user columns kept, appt-check clean.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	# $NOW in an extended regular expression.
	NOWRE=${NOW//+/\\+}
}

# The fixture, quiet, with n more customers 4 .. n+3 (padding).
bigstore() {
	fixture -q
	awk -v n="$1" 'BEGIN { for (i = 4; i < n + 4; i++)
	    printf "%d,Padding Person %d,pad%d@example.com,+49 170 %07d,Some Street %d,10115,,2026-01-01T10:00+01:00\n", i, i, i, i, i }' \
	    >> "$D/customers.csv"
	ids_last customers $(($1 + 3))
}

# Bytes that read, pread64 and write moved from or to customers.csv, in
# the strace -y log $1.
moved() {
	awk '/customers\.csv>/ && $0 ~ /(read|pread64|write)\(/ {
	    sub(/.*= /, ""); if ($1 + 0 > 0) n += $1 } END { print n + 0 }' "$1"
}

# The customer id in the booking printed in $output (CSV).
booked_customer() {
	printf '%s\n' "${lines[1]}" | cut -d, -f8
}

# Is $D/$1 the file of $BASE/$1, or that file with one line more (the
# line matching the regex $2)? A missing base file: a header and the line.
old_or_new() {
	local old=$BASE/$1 new=$D/$1 size
	if [ ! -e "$old" ]; then
		[ ! -e "$new" ] || { [ "$(wc -l < "$new")" = 2 ] &&
		    tail -n 1 "$new" | grep -Eq "$2"; } ||
		    fail "$1: neither missing nor a header and the new row"
		return
	fi
	cmp -s "$old" "$new" && return
	size=$(stat -c %s "$old")
	cmp -s -n "$size" "$old" "$new" ||
	    fail "$1: not the old file and not the old file with a row more"
	[ "$(wc -l < "$new")" = $(($(wc -l < "$old") + 1)) ] &&
	    tail -n 1 "$new" | grep -Eq "$2" ||
	    fail "$1: more than the new row was added: $(tail -n 2 "$new")"
}

# The last id ids.csv gave out for table $2, in directory $1 (0: none).
lastid() {
	local v
	v=$(sed -n "s/^$2,//p" "$1/ids.csv")
	echo "${v:-0}"
}

# ids.csv in $D has only moved forward from $BASE.
ids_forward() {
	local t
	for t in customers appointments; do
		[ "$(lastid "$D" $t)" -ge "$(lastid "$BASE" $t)" ] ||
		    fail "ids.csv: $t went back: $(lastid "$D" $t)"
	done
}

# Temporaries left in the data directory (hidden files other than the
# lock and the derived indexes).
temporaries() {
	(cd "$D" && find . -name '.?*' ! -name .lock ! -name '.*.idx' | sort)
}

# --- what it costs ---------------------------------------------------------

@test "a new customer's booking neither reads nor writes the whole customer file" {
	command -v strace >/dev/null || skip "strace is not installed"
	bigstore 20000
	# The first command after a change makes the index, once.
	appt-book --no-notify -s cut --name "First Person" \
	    --email first@example.com -w alice --at "2026-11-24 10:00" > /dev/null
	size=$(stat -c %s "$D/customers.csv")
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/prev"
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
	    strace -f -y -o "$BATS_TEST_TMPDIR/log" \
	    -e trace=read,pread64,write appt-book -o csv -s cut \
	    --name "New Person" --email new@example.com -w sam \
	    --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(booked_customer)" 20005
	bytes=$(moved "$BATS_TEST_TMPDIR/log")
	[ "$bytes" -lt $((size / 20)) ] ||
	    fail "$bytes bytes of customers.csv ($size) read and written"
	# The old bytes as they were, then the new row.
	cmp -n "$size" "$BATS_TEST_TMPDIR/prev" "$D/customers.csv"
	run tail -n +20006 "$D/customers.csv"
	assert_output "20005,New Person,new@example.com,,,,,$NOW"
	check
	assert_success
}

@test "appt-customer add neither reads nor writes the whole customer file" {
	command -v strace >/dev/null || skip "strace is not installed"
	bigstore 20000
	appt-customer add --name "First Person" --email first@example.com \
	    > /dev/null
	size=$(stat -c %s "$D/customers.csv")
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
	    strace -f -y -o "$BATS_TEST_TMPDIR/log" \
	    -e trace=read,pread64,write appt-customer add -o csv \
	    --name "New Person" --phone "0170 9990001"
	assert_success
	assert_line -n 1 "20005,New Person,,0170 9990001,,,,$NOW"
	bytes=$(moved "$BATS_TEST_TMPDIR/log")
	[ "$bytes" -lt $((size / 20)) ] ||
	    fail "$bytes bytes of customers.csv ($size) read and written"
	# A duplicate is still found, among the padding and among the new.
	run --separate-stderr appt-customer add --name X --phone "+49170 0012345"
	assert_failure 1
	assert_equal "$stderr" "appt-customer: customer 12345 (Padding Person 12345) has this phone already"
	run --separate-stderr appt-customer add --name X --phone "+49 170 9990001"
	assert_failure 1
	assert_equal "$stderr" "appt-customer: customer 20005 (New Person) has this phone already"
}

# --- the returning customer --------------------------------------------------

@test "customers added since are found again by email or phone in any form" {
	bigstore 50
	run appt-book --no-notify -o csv -s cut --name "Ann New" \
	    --email Ann.New+salon@Example.com -w sam --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(booked_customer)" 54
	run appt-book --no-notify -o csv -s cut --name "Bo New" \
	    --phone "0171 5550101" -w sam --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 55
	# Returning: by email (case and +tag aside), by phone (any format).
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    --name "Ann New" --email ann.new@example.com -w sam \
	    --at "2026-11-24 12:00"
	assert_success
	assert_equal "$(booked_customer)" 54
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    --name "Bo New" --phone "+49 171 5550101" -w sam \
	    --at "2026-11-24 14:00"
	assert_success
	assert_equal "$(booked_customer)" 55
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    -c "+49171 5550101" -w sam --at "2026-11-24 15:00"
	assert_success
	assert_equal "$(booked_customer)" 55
	# And a padding customer, by phone, from the index made at first.
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    --name "Padding Person 17" --phone "0170 0000017" -w alice \
	    --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(booked_customer)" 17
	assert_equal "$(ncust)" 55
	# The day's listing names them: ids through the same index.
	run appt-list 2026-11-24 -o csv
	assert_line --partial ",54,Ann New,Ann.New+salon@Example.com,"
	assert_line --partial ",55,Bo New,,0171 5550101,"
	check
	assert_success
}

@test "a returning customer's missing field is filled in place, the other rows kept byte for byte" {
	bigstore 50
	# A user column in the middle, as a spreadsheet would put it.
	sed -i '1s/,email,/,vip,email,/; 2,$s/^\([^,]*,[^,]*\),/\1,yes,/' \
	    "$D/customers.csv"
	appt-book --no-notify -s cut --name "Ann New" --email ann@example.com \
	    -w sam --at "2026-11-24 10:00" > /dev/null
	assert_equal "$(tail -n 1 "$D/customers.csv")" \
	    "54,Ann New,,ann@example.com,,,,,$NOW"
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/prev"
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    --name "Ann Other" --email ann@example.com --phone "0171 5550202" \
	    --address "Hauptstr. 9" -w sam --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 54
	assert_equal "$stderr" "appt-book: customer 54 (by email): name is 'Ann New', not 'Ann Other'; kept as it is"
	assert_equal "$(tail -n 1 "$D/customers.csv")" \
	    "54,Ann New,,ann@example.com,0171 5550202,Hauptstr. 9,,,$NOW"
	diff <(head -n -1 "$BATS_TEST_TMPDIR/prev") \
	    <(head -n -1 "$D/customers.csv")
	# Filled in the middle of the file, the rows after it stay found.
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    --name "Padding Person 20" --email pad20@example.com \
	    --postcode 10999 -w alice --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(booked_customer)" 20
	run grep -c ',yes,pad20@example.com,+49 170 0000020,Some Street 20,10115,' \
	    "$D/customers.csv"
	assert_output 1
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    -c "0171 5550202" -w alice --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 54
	run --separate-stderr appt-book --no-notify -o csv -s cut \
	    -c pad40@example.com -w alice --at "2026-11-24 12:00"
	assert_success
	assert_equal "$(booked_customer)" 40
	check
	assert_success
}

# --- user columns and files the index cannot serve as they are ---------------

@test "a user column in the middle of customers.csv is kept, empty for a new customer" {
	fixture -q
	awk -F, -v OFS=, 'NR == 1 { $2 = $2 ",vip" } NR > 1 { $2 = $2 ",yes" } 1' \
	    "$D/customers.csv" > "$BATS_TEST_TMPDIR/c" &&
	    cat "$BATS_TEST_TMPDIR/c" > "$D/customers.csv"
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/prev"
	run appt-book --no-notify -o csv -s cut --name "Ann New" \
	    --email ann@example.com -w sam --at "2026-11-24 10:00"
	assert_success
	run appt-customer add -o csv --name "Bo New" --phone "0171 5550101" \
	    --set vip=no
	assert_success
	assert_line -n 0 "id,name,vip,email,phone,address,postcode,notes,created"
	assert_line -n 1 "5,Bo New,no,,0171 5550101,,,,$NOW"
	diff "$BATS_TEST_TMPDIR/prev" <(head -n 4 "$D/customers.csv")
	run tail -n 2 "$D/customers.csv"
	assert_output "4,Ann New,,ann@example.com,,,,,$NOW
5,Bo New,no,,0171 5550101,,,,$NOW"
	check
	assert_success
	# A user column of its own (--set) is new to the file: rewritten whole.
	run appt-customer add -o csv --name "Cy New" --email cy@example.com \
	    --set since=2019
	assert_success
	run head -n 1 "$D/customers.csv"
	assert_output "id,name,vip,email,phone,address,postcode,notes,created,since"
	run tail -n 1 "$D/customers.csv"
	assert_output "6,Cy New,,cy@example.com,,,,,$NOW,2019"
	run appt-book --no-notify -o csv -s cut --name "Cy New" \
	    --email cy@example.com -w sam --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 6
	check
	assert_success
}

@test "CRLF line ends or a byte order mark: rewritten whole once, in LF, then appended" {
	fixture -q
	sed -i 's/$/\r/' "$D/customers.csv"
	appt-customer add --name "Ann New" --email ann@example.com > /dev/null
	run grep -c $'\r' "$D/customers.csv"
	assert_output 0
	assert_equal "$(tail -n 1 "$D/customers.csv")" \
	    "4,Ann New,ann@example.com,,,,,$NOW"
	printf '\357\273\277' | cat - "$D/customers.csv" > "$BATS_TEST_TMPDIR/c"
	cat "$BATS_TEST_TMPDIR/c" > "$D/customers.csv"
	appt-customer add --name "Bo New" --email bo@example.com > /dev/null
	run head -c 3 "$D/customers.csv"
	assert_output "id,"
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/prev"
	run appt-book --no-notify -o csv -s cut --name "Cy New" \
	    --email cy@example.com -w sam --at "2026-11-24 10:00"
	assert_success
	assert_equal "$(booked_customer)" 6
	cmp -n "$(stat -c %s "$BATS_TEST_TMPDIR/prev")" \
	    "$BATS_TEST_TMPDIR/prev" "$D/customers.csv"
	run appt-book --no-notify -o csv -s cut -c ann@example.com -w sam \
	    --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 4
	check
	assert_success
}

@test "a customers.csv without a column appt needs gets it, then new customers are appended" {
	fixture -q
	cut -d, -f1-6,8 "$D/customers.csv" > "$BATS_TEST_TMPDIR/c"
	cat "$BATS_TEST_TMPDIR/c" > "$D/customers.csv"
	appt-customer add --name "Ann New" --email ann@example.com > /dev/null
	run cat "$D/customers.csv"
	assert_line -n 0 "id,name,email,phone,address,postcode,created,notes"
	assert_line -n 4 "4,Ann New,ann@example.com,,,,$NOW,"
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/prev"
	appt-customer add --name "Bo New" --email bo@example.com > /dev/null
	diff "$BATS_TEST_TMPDIR/prev" <(head -n 5 "$D/customers.csv")
	check
	assert_success
}

@test "customers.csv without its final newline: a new customer is bad data, nothing changes" {
	fixture -q
	appt-list today > /dev/null
	printf '4,Cut Short,short@example.com,,,,,%s' "$NOW" >> "$D/customers.csv"
	before=$(snapshot)
	run --separate-stderr appt-book --no-notify -s cut --name "Ann New" \
	    --email ann@example.com -w sam --at "2026-11-24 10:00"
	assert_failure 3
	assert_output ""
	assert_equal "$stderr" "appt-book: customers.csv:5: no newline at end of file (truncated?)"
	run --separate-stderr appt-customer add --name "Ann New" \
	    --email ann@example.com
	assert_failure 3
	assert_equal "$stderr" "appt-customer: customers.csv:5: no newline at end of file (truncated?)"
	assert_equal "$(snapshot)" "$before"
}

@test "a hand edit of customers.csv, or a lost index, is seen by the next booking" {
	fixture -q
	appt-book --no-notify -s cut --name "Ann New" --email ann@example.com \
	    -w sam --at "2026-11-24 10:00" > /dev/null
	# Edited by hand: the index no longer describes the file.
	sed -i 's/ann@example.com/ann@example.org/' "$D/customers.csv"
	run appt-book --no-notify -o csv -s cut --name "Ann New" \
	    --email ann@example.org -w sam --at "2026-11-24 11:00"
	assert_success
	assert_equal "$(booked_customer)" 4
	run appt-book --no-notify -o csv -s cut --name "Ann New" \
	    --email ann@example.com -w sam --at "2026-11-24 12:00"
	assert_success
	assert_equal "$(booked_customer)" 5
	# The indexes are derived: without them nothing is lost.
	rm "$D/.customers.added.idx"
	run appt-book --no-notify -o csv -s cut -c ann@example.com -w sam \
	    --at "2026-11-24 14:00"
	assert_success
	assert_equal "$(booked_customer)" 5
	appt-book --no-notify -s cut --name "Bo New" --phone "0171 5550101" \
	    -w sam --at "2026-11-24 15:00" > /dev/null
	rm "$D/.customers.idx"
	run appt-book --no-notify -o csv -s cut -c "+49 171 5550101" -w sam \
	    --at "2026-11-24 16:00"
	assert_success
	assert_equal "$(booked_customer)" 6
	check
	assert_success
}

# --- kill -9 and failed writes -------------------------------------------------

@test "kill -9 during new customers' bookings leaves every file old or new" {
	bigstore 20000
	BASE=$BATS_TEST_TMPDIR/base
	for i in $(seq 1 30); do
		rm -rf "$BASE"
		cp -a "$D" "$BASE"
		h=$((9 + i % 8))
		appt-book --no-notify -s cut --name "Crash $i" \
		    --email "crash$i@example.com" -w sam \
		    --at "2026-12-0$((1 + i / 8)) $h:00" > /dev/null 2>&1 &
		pid=$!
		case $((i % 3)) in
		0) ;;
		1) sleep "0.00$((RANDOM % 10))" ;;
		2) sleep "0.0$((RANDOM % 10))" ;;
		esac
		kill -9 "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true

		old_or_new customers.csv "^[0-9]+,Crash $i,crash$i@example.com,,,,,$NOWRE\$"
		old_or_new appointments/2026-12.csv \
		    "^[0-9]+,2026-12-0$((1 + i / 8))T$(printf %02d $h):00\+01:00,"
		ids_forward
		# No id in the files above what ids.csv gave out.
		max=$(tail -n 1 "$D/customers.csv" | cut -d, -f1)
		[ "$(lastid "$D" customers)" -ge "$max" ] ||
		    fail "iteration $i: ids.csv is behind customers.csv"
		run csvs_parse
		assert_success
		check
		assert_success
	done
	# A later booking goes through; the index finds each customer that
	# made it into the file, and none twice.
	run appt-book --no-notify -o csv -s cut --name "After" \
	    --email after@example.com -w alice --at "2026-12-01 10:00"
	assert_success
	for i in $(seq 1 30); do
		id=$(grep ",crash$i@example.com," "$D/customers.csv" | cut -d, -f1)
		[ -n "$id" ] || continue
		run appt-book --no-notify -o csv -s short -c "crash$i@example.com" \
		    -w alice --at "2026-12-0$((2 + i % 6)) 09:00" --force
		assert_success
		assert_equal "$(booked_customer)" "$id"
	done 2> /dev/null || true
	run sh -c "cut -d, -f1 '$D/customers.csv' | sed 1d | sort | uniq -d"
	assert_output ""
	run temporaries
	assert_output ""
	check
	assert_success
}

# A fresh copy of $BASE in $D; with $WARM, its indexes made again for
# the copy (a copy is another file to them), as a listing makes them.
fresh() {
	rm -rf "$D"
	cp -a "$BASE" "$D"
	[ -z "$WARM" ] || appt-list 2026-11-24 > /dev/null
}

# Run "$@" (a write of one new customer) once for each call of each kind
# of system call that writes, failing that call (an error, or SIGKILL);
# after each, every file is old or new, ids.csv has only moved forward,
# nothing is left behind, stdout is empty when it failed, and a later
# booking goes through. $CREGEX is the new customer row (id 2004) and
# $CKEY its email or phone, $MFILE and $MREGEX the month file and its new
# row, if any.
faults() {
	local sc how n calls
	BASE=$BATS_TEST_TMPDIR/base
	rm -rf "$BASE"
	cp -a "$D" "$BASE"
	for sc in write fsync rename copy_file_range kill:write kill:fsync \
	    kill:rename kill:copy_file_range; do
		case $sc in
		kill:*) sc=${sc#kill:}; how=signal=KILL ;;
		write|copy_file_range) how=error=ENOSPC ;;
		*) how=error=EIO ;;
		esac
		fresh
		ASAN_OPTIONS=detect_leaks=0:exitcode=99 strace -f \
		    -o "$BATS_TEST_TMPDIR/calls" -e trace=$sc "$@" \
		    > /dev/null 2>&1
		calls=$(grep -c "$sc(" "$BATS_TEST_TMPDIR/calls" || true)
		[ "$calls" -ge 1 ] || fail "$sc: not called"
		for n in $(seq 1 "$calls"); do
			fresh
			ASAN_OPTIONS=detect_leaks=0:exitcode=99 run \
			    --separate-stderr strace -f -o /dev/null \
			    -e trace=$sc -e inject=$sc:$how:when=$n "$@"
			[ "$status" = 0 ] || [ -z "$output" ] ||
			    fail "$sc $how call $n: exit $status, and stdout: $output"
			old_or_new customers.csv "$CREGEX"
			[ -z "$MFILE" ] || old_or_new "$MFILE" "$MREGEX"
			ids_forward
			run temporaries
			[ -z "$output" ] || [ "$how" = signal=KILL ] ||
			    fail "$sc $how call $n: left $output"
			check
			[ "$status" = 0 ] ||
			    fail "$sc $how call $n: appt-check: $stderr"
			run --separate-stderr appt-book --no-notify -o csv \
			    -s cut --name "Later" --email later@example.com \
			    -w alice --at "2026-11-24 15:00"
			[ "$status" = 0 ] ||
			    fail "$sc $how call $n: a later booking: $stderr"
			run temporaries
			[ -z "$output" ] ||
			    fail "$sc $how call $n: left after: $output"
			# The index finds the new customer if the file has it.
			run --separate-stderr appt-book --no-notify -o csv \
			    -s cut -c "$CKEY" -w alice --at "2026-11-24 16:00"
			if grep -Eq "$CREGEX" "$D/customers.csv"; then
				[ "$status" = 0 ] &&
				    [ "$(booked_customer)" = 2004 ] ||
				    fail "$sc $how call $n: $CKEY: $stderr"
			else
				[ "$status" = 1 ] ||
				    fail "$sc $how call $n: $CKEY: $stderr"
			fi
			check
			[ "$status" = 0 ] ||
			    fail "$sc $how call $n: appt-check after: $stderr"
		done
	done
}

@test "a failed write, fsync, rename or copy, or a kill at one, in a new customer's booking" {
	command -v strace >/dev/null || skip "strace is not installed"
	bigstore 2000
	appt-book --no-notify -s cut -c 1 -w alice --at "2026-11-24 10:00" \
	    > /dev/null
	WARM=1
	CKEY=NEW@example.com
	CREGEX="^2004,New Person,new@example.com,,,,,$NOWRE\$"
	MFILE=appointments/2026-11.csv
	MREGEX="^2,2026-11-24T10:00\+01:00,.*,sam,2004,booked,"
	faults appt-book --no-notify -o csv -s cut --name "New Person" \
	    --email new@example.com -w sam --at "2026-11-24 10:00"
}

@test "a failed write, fsync, rename or copy, or a kill at one, in appt-customer add" {
	command -v strace >/dev/null || skip "strace is not installed"
	bigstore 2000
	# No index yet: the add makes it, and that write fails too.
	WARM=
	CKEY="+49 171 5550101"
	CREGEX="^2004,New Person,,0171 5550101,,,,$NOWRE\$"
	MFILE=
	faults appt-customer add -o csv --name "New Person" \
	    --phone "0171 5550101"
}

# --- flags through .flags.idx ---------------------------------------------
# appt-book checks a person against the flags through the derived index
# .flags.idx: only the flags a field points at are read. The index is
# written only for a flags.csv older than two seconds, hence the sleeps.

# The fixture, quiet, with n more flags 2 .. n+1.
bigflags() {
	fixture -e
	awk -v n="$1" 'BEGIN { for (i = 2; i < n + 2; i++)
	    printf "%d,Flagged Person %d,flag%d@example.org,+49 150 %07d,Flag Road %d,%05d,no-show,2026-01-01T10:00+01:00,\n", i, i, i, i, i, i }' \
	    >> "$D/flags.csv"
	ids_last flags $(($1 + 1))
}

# Bytes that read and pread64 moved from flags.csv, in the strace log $1.
flagbytes() {
	awk '/flags\.csv>/ && $0 ~ /(read|pread64)\(/ {
	    sub(/.*= /, ""); if ($1 + 0 > 0) n += $1 } END { print n + 0 }' "$1"
}

@test "a booking reads only the flags its customer's fields point at" {
	command -v strace >/dev/null || skip "strace is not installed"
	bigflags 5000
	sleep 2
	appt-book --no-notify -s cut -c 5 --first 2026-11-25 \
	    > /dev/null
	[ -s "$D/.flags.idx" ]
	size=$(stat -c %s "$D/flags.csv")
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run --separate-stderr \
	    strace -f -y -o "$BATS_TEST_TMPDIR/log" -e trace=read,pread64 \
	    appt-book --no-notify -s cut --name "Someone New" \
	    --phone "+49 150 0004321" --first 2026-11-25
	assert_success
	assert_regex "$stderr" "matches flag 4321 \(phone\): no-show"
	bytes=$(flagbytes "$BATS_TEST_TMPDIR/log")
	[ "$bytes" -lt $((size / 20)) ] ||
	    fail "$bytes bytes of flags.csv ($size) read"
	# The fixture's flag 1 by phone and address, as the whole table says.
	run --separate-stderr appt-book -s cut -c 8 --first 2026-11-25 \
	    --no-notify
	assert_success
	assert_regex "$stderr" "flag 1 \(phone\+address\): $FLAGREASON"
	check
	assert_success
}

FLAGREASON="Three no-shows in 2026, never paid the fee"

@test "a flag added, cleared or edited by hand after the index is made counts" {
	bigflags 100
	sleep 2
	appt-book --no-notify -s cut -c 5 --first 2026-11-25 \
	    > /dev/null
	[ -s "$D/.flags.idx" ]
	appt-flag add --email late@example.org --reason "added late" > /dev/null
	run --separate-stderr appt-book --no-notify -s cut --name "Late One" \
	    --email Late@Example.org --first 2026-11-25
	assert_success
	assert_regex "$stderr" "matches flag 102 \(email\): added late"
	# Cleared: flag 1 no longer matches by phone, still by address.
	appt-flag clear 1 phone > /dev/null
	sleep 2
	run --separate-stderr appt-book -s cut -c 8 --first 2026-11-25 \
	    --no-notify
	assert_success
	assert_regex "$stderr" "flag 1 \(address\)"
	# A hand edit of the same size, a second later: read again.
	sed -i 's/,flag50@example\.org,/,flag5X@example.org,/' "$D/flags.csv"
	run --separate-stderr appt-book --no-notify -s cut --name "Fifty" \
	    --email flag5X@example.org --first 2026-11-25
	assert_success
	assert_regex "$stderr" "matches flag 50 \(email\)"
	# A damaged index is made again, never trusted.
	sleep 2
	appt-book --no-notify -s cut -c 5 --first 2026-11-25 \
	    > /dev/null
	truncate -s 100 "$D/.flags.idx"
	run --separate-stderr appt-book --no-notify -s cut --name "Fifty Again" \
	    --email flag5x@example.org --first 2026-11-25
	assert_success
	assert_regex "$stderr" "matches flag 50 \(email\)"
	[ "$(stat -c %s "$D/.flags.idx")" -gt 100 ]
	check
	assert_success
}

@test "a booking writes its month's figures down at once, and they are right" {
	fixture -q
	appt-book --no-notify -s cut -c 1 -w sam --first 2026-11-25 > /dev/null
	run appt-slots 2026-11-26 -s cut -w sam
	assert_line -n 1 --partial ',sam,cut'
	# Written by the command that wrote the month file, with its times.
	read -r name dev ino size rest < <(grep '^2026-11.csv ' "$D/.months.idx")
	assert_equal "$ino" "$(stat -c %i "$D/appointments/2026-11.csv")"
	assert_equal "$size" "$(stat -c %s "$D/appointments/2026-11.csv")"
	# The highest id is the new appointment's.
	id=$(tail -n 1 "$D/appointments/2026-11.csv" | cut -d, -f1)
	assert_equal "$(awk '/^2026-11.csv / { print $NF }' "$D/.months.idx")" \
	    "$(sort -t, -k1,1n "$D/appointments/2026-11.csv" | tail -n 1 | cut -d, -f1)"
	# A hand edit after it is still seen: the line no longer matches.
	sed -i "s/^$id,2026-11-25T\([0-9:]*\)+01:00,2026-11-25T[0-9:]*+01:00,/$id,2026-11-25T\1+01:00,2026-11-27T18:00+01:00,/" \
	    "$D/appointments/2026-11.csv"
	run appt-slots 2026-11-26 -s cut -w sam
	assert_output "$SLOT_HEADER"
}
