#!/usr/bin/env bats
# Safety of writes (DESIGN "Writes: nothing is ever half-written"), with
# appt-customer add as the writer: the lock, atomic replacement, kill -9,
# modes, failed writes and stale temporaries.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
}

# Hidden files of the data directory other than .lock and the derived
# indexes (temporaries).
hidden() {
	(cd "$D" && find . -name '.?*' ! -name .lock ! -name '.*.idx' | sort)
}

# The last customer id ids.csv gave out.
lastid() {
	sed -n 's/^customers,//p' "$D/ids.csv"
}

# Run a command in the background once the gate opens (all at once).
gated() {
	(while [ ! -e "$BATS_TEST_TMPDIR/go" ]; do sleep 0.01; done
	exec "$@") &
}

# Hold the data directory's lock in the background (util-linux flock)
# until release; returns once it is held.
hold_lock() {
	rm -f "$BATS_TEST_TMPDIR/held" "$BATS_TEST_TMPDIR/release"
	flock "$D/.lock" sh -c 'touch "$1/held"
	    while [ ! -e "$1/release" ]; do sleep 0.05; done' sh \
	    "$BATS_TEST_TMPDIR" 3>&- &
	HOLDER=$!
	for _ in $(seq 1 1200); do
		[ -e "$BATS_TEST_TMPDIR/held" ] && return 0
		sleep 0.05
	done
	fail "flock never took the lock"
}

release_lock() {
	touch "$BATS_TEST_TMPDIR/release"
	wait "$HOLDER"
}

teardown() {
	if [ -n "${HOLDER:-}" ]; then
		touch "$BATS_TEST_TMPDIR/release"
		wait "$HOLDER" 2>/dev/null || true
	fi
}

# --- concurrency --------------------------------------------------------

@test "20 parallel adds of different people: all kept, distinct ids, file sound" {
	fixture -e
	# However slow the machine, none may give up on the lock.
	export APPT_LOCK_WAIT=600
	pids=()
	for i in $(seq 1 20); do
		gated appt-customer add --name "Person $i" \
		    --email "p$i@example.com" --phone "030 7000$((100 + i))" \
		    > "$BATS_TEST_TMPDIR/out.$i" 2> "$BATS_TEST_TMPDIR/err.$i"
		pids+=($!)
	done
	touch "$BATS_TEST_TMPDIR/go"
	rcs=
	for p in "${pids[@]}"; do
		rc=0
		wait "$p" || rc=$?
		rcs="$rcs$rc "
	done
	assert_equal "$rcs" "$(printf '0 %.0s' $(seq 1 20))"
	assert_equal "$(ncust)" 28
	for i in $(seq 1 20); do
		run grep -c ",Person $i,p$i@example.com,030 7000$((100 + i))," \
		    "$D/customers.csv"
		assert_output 1
		# Each printed its own row, with the id it got.
		run sed -n 2p "$BATS_TEST_TMPDIR/out.$i"
		assert_output --regexp "^[0-9]+,Person $i,p$i@example.com,"
		id=${output%%,*}
		run grep -c "^$id,Person $i," "$D/customers.csv"
		assert_output 1
	done
	# 28 distinct ids: the 8 there were and 9..28 given out once each.
	run sh -c "cut -d, -f1 '$D/customers.csv' | sed 1d | sort -n | uniq -d"
	assert_output ""
	run sh -c "cut -d, -f1 '$D/customers.csv' | sed 1d | sort -n | tr '\n' ' '"
	assert_output "$(seq 1 28 | tr '\n' ' ')"
	assert_equal "$(lastid)" 28
	run appt-check
	assert_success
	run csvs_parse
	assert_success
	run hidden
	assert_output ""
}

# Append customers n.. to 1000 to make every read and write longer.
pad() {
	awk -v from="$1" 'BEGIN { for (i = from; i <= 1000; i++)
	    printf "%d,Padding Person %d,pad%d@example.com,,Some Street %d,10115,,2026-01-01T10:00+01:00\n", i, i, i, i }' \
	    >> "$D/customers.csv"
	sed -i 's/^customers,.*/customers,1000/' "$D/ids.csv"
}

@test "20 parallel adds of the same person: exactly one wins, the rest exit 1" {
	fixture -e
	pad 9
	export APPT_LOCK_WAIT=600
	pids=()
	for i in $(seq 1 20); do
		gated appt-customer add --name "Same Person" \
		    --email "Same.Person+$i@example.com" \
		    > /dev/null 2> "$BATS_TEST_TMPDIR/err.$i"
		pids+=($!)
	done
	touch "$BATS_TEST_TMPDIR/go"
	ok=0 refused=0
	for p in "${pids[@]}"; do
		rc=0
		wait "$p" || rc=$?
		case $rc in
		0) ok=$((ok + 1)) ;;
		1) refused=$((refused + 1)) ;;
		*) fail "an add exited $rc" ;;
		esac
	done
	assert_equal "$ok $refused" "1 19"
	assert_equal "$(ncust)" 1001
	run grep -ci 'same.person' "$D/customers.csv"
	assert_output 1
	run appt-check
	assert_success
}

# --- kill -9 ------------------------------------------------------------

@test "kill -9 at any moment leaves every file old or new, never torn" {
	fixture -e
	# A larger customers.csv makes the write take longer, so that more
	# of the kills land inside it.
	awk 'BEGIN { for (i = 9; i <= 2008; i++)
	    printf "%d,Padding Person %d,pad%d@example.com,,Some Street %d,10115,,2026-01-01T10:00+01:00\n", i, i, i, i }' \
	    >> "$D/customers.csv"
	sed -i 's/^customers,.*/customers,2008/' "$D/ids.csv"
	run appt-check
	assert_success
	prev=$BATS_TEST_TMPDIR/prev.csv
	for i in $(seq 1 30); do
		cp "$D/customers.csv" "$prev"
		appt-customer add --name "Crash $i" --email "crash$i@example.com" \
		    > /dev/null 2>&1 &
		pid=$!
		case $((i % 3)) in
		0) ;;
		1) sleep "0.00$((RANDOM % 10))" ;;
		2) sleep "0.0$((RANDOM % 10))" ;;
		esac
		kill -9 "$pid" 2> /dev/null || true
		wait "$pid" 2> /dev/null || true

		run appt-check
		assert_success
		run csvs_parse
		assert_success
		# customers.csv is the old file or the old file plus this row.
		size=$(stat -c %s "$prev")
		cmp -s -n "$size" "$prev" "$D/customers.csv" ||
		    fail "iteration $i: customers.csv lost its old content"
		run sh -c "tail -c +$((size + 1)) '$D/customers.csv'"
		[ -z "$output" ] || assert_output --regexp \
		    "^[0-9]+,Crash $i,crash$i@example.com,,,,,2026-11-23T08:00\+01:00\$"
		# An id in the file is never above what ids.csv gave out.
		max=$(tail -n 1 "$D/customers.csv" | cut -d, -f1)
		[ "$(lastid)" -ge "$max" ] ||
		    fail "iteration $i: ids.csv says $(lastid), file has $max"
	done
	n=$(ncust)
	run appt-customer add --name "After Crashes" --email after@example.com
	assert_success
	assert_equal "$(ncust)" $((n + 1))
	run tail -n 1 "$D/customers.csv"
	assert_output --regexp "^$(lastid),After Crashes,after@example.com,"
	# Ids are distinct and none was given twice.
	run sh -c "cut -d, -f1 '$D/customers.csv' | sed 1d | sort | uniq -d"
	assert_output ""
	run hidden
	assert_output ""
	run appt-check
	assert_success
}

# --- modes --------------------------------------------------------------

@test "under umask 000 the data directory is 0700 and the files add writes 0600" {
	umask 000
	appt-init "$D"
	# Let add create both files itself.
	rm "$D/customers.csv" "$D/ids.csv"
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	assert_mode 700 "$D"
	assert_mode 600 "$D/customers.csv" "$D/ids.csv"
	run appt-customer add --name "Ben Cole" --email ben@example.com
	assert_success
	assert_mode 600 "$D/customers.csv" "$D/ids.csv" "$D/.lock"
}

@test "a file replaced by add is 0600 even when it was more open before" {
	fixture -e
	chmod 0644 "$D/customers.csv"
	umask 000
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	assert_mode 600 "$D/customers.csv"
}

# --- the lock -----------------------------------------------------------

@test "while another process holds the lock, add exits 5 saying busy and changes nothing" {
	fixture -e
	before=$(snapshot)
	hold_lock
	APPT_LOCK_WAIT=1 run appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_failure 5
	assert_output --partial "busy"
	APPT_LOCK_WAIT=0 run appt-customer edit 1 --note "changed"
	assert_failure 5
	assert_output --partial "busy"
	assert_equal "$(snapshot)" "$before"
	release_lock
	APPT_LOCK_WAIT=1 run appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_success
	run grep -c '^9,Anna Bell,' "$D/customers.csv"
	assert_output 1
}

@test "a writer waits for the lock and goes on when it is released" {
	fixture -e
	[ -d /proc/self/fd ] || skip "no /proc to see the writer wait"
	hold_lock
	APPT_LOCK_WAIT=600 appt-customer add --name "Anna Bell" \
	    --email anna@example.com > /dev/null 2>&1 &
	pid=$!
	# Wait until the writer has opened .lock, so it is waiting on it.
	for _ in $(seq 1 1200); do
		ls -l /proc/$pid/fd 2> /dev/null | grep -q '/\.lock$' && break
		kill -0 $pid 2> /dev/null || break
		sleep 0.05
	done
	run grep -c 'Anna Bell' "$D/customers.csv"
	assert_output 0
	release_lock
	rc=0
	wait $pid || rc=$?
	assert_equal "$rc" 0
	run grep -c '^9,Anna Bell,' "$D/customers.csv"
	assert_output 1
}

@test "readers do not wait for the lock" {
	fixture -e
	hold_lock
	APPT_LOCK_WAIT=0 run --separate-stderr appt-customer list
	assert_success
	assert_line -n 1 --regexp '^1,Zoë Müller,'
	APPT_LOCK_WAIT=0 run appt-customer find weber
	assert_success
	APPT_LOCK_WAIT=0 run appt-check
	assert_success
	release_lock
}

@test "a bad APPT_LOCK_WAIT exits 2" {
	fixture -e
	before=$(snapshot)
	APPT_LOCK_WAIT=soon run appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_failure 2
	assert_output --partial "APPT_LOCK_WAIT"
	assert_equal "$(snapshot)" "$before"
}

# --- failed writes ------------------------------------------------------

@test "a write that fails (file size limit) exits non-zero and leaves the old file" {
	fixture -e
	# Grow customers.csv past 1 KiB; ids.csv stays small.
	run appt-customer add --name "Long Note" --email long@example.com \
	    --note "$(printf 'x%.0s' $(seq 1 400))"
	assert_success
	[ "$(stat -c %s "$D/customers.csv")" -gt 1024 ]
	cp "$D/customers.csv" "$BATS_TEST_TMPDIR/before.csv"
	# RLIMIT_FSIZE of 1 KiB with SIGXFSZ ignored: write(2) fails EFBIG.
	run bash -c 'trap "" XFSZ; ulimit -f 1; exec appt-customer add \
	    --name "Anna Bell" --email anna@example.com'
	assert_failure 1
	assert_output --partial "customers.csv"
	assert_output --partial "File too large"
	cmp "$BATS_TEST_TMPDIR/before.csv" "$D/customers.csv"
	run hidden
	assert_output ""
	run appt-check
	assert_success
	# Without the limit it works, with a new id.
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	run grep -c ',Anna Bell,anna@example.com,' "$D/customers.csv"
	assert_output 1
}

@test "a full filesystem makes add fail non-zero and leaves the old files" {
	command -v unshare > /dev/null || skip "unshare(1) not installed"
	unshare -m true 2> /dev/null ||
	    skip "cannot make a mount namespace here (needs root or userns)"
	fixture -e
	# In a private mount namespace: a 256 KiB tmpfs, filled up, with a
	# copy of the fixture.
	cat > "$BATS_TEST_TMPDIR/full.sh" <<-'EOF'
	set -u
	M=$1/mnt
	mkdir -p "$M"
	mount -t tmpfs -o size=256k,mode=0700 tmpfs "$M" || exit 77
	D=$M/data
	export APPT_DIR=$D
	cp -a "$2" "$D" || exit 78
	# customers.csv spans several pages.
	awk 'BEGIN { for (i = 9; i <= 200; i++)
	    printf "%d,Padding Person %d,pad%d@example.com,,,,,2026-01-01T10:00+01:00\n", i, i, i }' \
	    >> "$D/customers.csv"
	sed -i 's/^customers,.*/customers,200/' "$D/ids.csv"
	cp "$D/customers.csv" "$D/ids.csv" "$1/"
	head -c 4096 /dev/zero > "$M/spare"
	dd if=/dev/zero of="$M/fill" bs=4k 2> /dev/null
	# Nothing free: the first write fails.
	appt-customer add --name "Anna Bell" --email anna@example.com \
	    > "$1/out" 2>&1
	echo "rc=$?"
	cat "$1/out"
	cmp "$1/customers.csv" "$D/customers.csv" && echo "customers unchanged"
	cmp "$1/ids.csv" "$D/ids.csv" && echo "ids unchanged"
	echo "hidden:" $(cd "$D" && find . -name '.?*' ! -name .lock)
	# A page free: ids.csv may fit, customers.csv does not.
	rm "$M/spare"
	appt-customer add --name "Anna Bell" --email anna@example.com \
	    > "$1/out" 2>&1
	echo "rc2=$?"
	cat "$1/out"
	cmp "$1/customers.csv" "$D/customers.csv" && echo "customers unchanged 2"
	echo "hidden2:" $(cd "$D" && find . -name '.?*' ! -name .lock)
	rm "$M/fill"
	appt-check > /dev/null 2>&1 && echo "check ok"
	appt-customer add --name "Anna Bell" --email anna@example.com \
	    > /dev/null 2>&1 && echo "then ok"
	grep -c ',Anna Bell,' "$D/customers.csv"
	umount "$M"
	EOF
	run unshare -m bash "$BATS_TEST_TMPDIR/full.sh" "$BATS_TEST_TMPDIR" "$D"
	[ "$status" -ne 77 ] || skip "cannot mount a tmpfs here"
	assert_success
	assert_line "rc=1"
	assert_line --partial "No space left on device"
	assert_line "customers unchanged"
	assert_line "hidden:"
	assert_line "rc2=1"
	assert_line "customers unchanged 2"
	assert_line "hidden2:"
	assert_line "check ok"
	assert_line "then ok"
	assert_line -n -1 1
}

# --- stale temporaries --------------------------------------------------

@test "stale temporaries are ignored by readers and removed by the next writer" {
	fixture -e
	# Torn leftovers of killed writers.
	printf 'id,name,email\n9,"Torn' > "$D/.customers.csv.AbC123"
	printf 'table,last\ncust' > "$D/.ids.csv.x1Y2z3"
	printf 'id,start\n99,"' > "$D/appointments/.2026-11.csv.Q9w8E7"
	# The user's own hidden files, and a plain one.
	mkdir "$D/.git"
	echo "ref: refs/heads/main" > "$D/.git/HEAD"
	echo "call the supplier" > "$D/.notes"
	echo "keep me" > "$D/.customers.csv.bak"
	echo "mine" > "$D/notes.txt"
	run appt-check
	assert_success
	run --separate-stderr appt-customer list
	assert_success
	assert_equal "${#lines[@]}" 9
	# Readers take no lock: they must not remove another's temporary.
	assert_file_exist "$D/.customers.csv.AbC123"
	assert_file_exist "$D/appointments/.2026-11.csv.Q9w8E7"
	user=$(cd "$D" && sha256sum .git/HEAD .notes .customers.csv.bak \
	    notes.txt)
	run appt-customer add --name "Anna Bell" --email anna@example.com
	assert_success
	assert_file_not_exist "$D/.customers.csv.AbC123"
	assert_file_not_exist "$D/.ids.csv.x1Y2z3"
	assert_file_not_exist "$D/appointments/.2026-11.csv.Q9w8E7"
	assert_equal "$(cd "$D" && sha256sum .git/HEAD .notes \
	    .customers.csv.bak notes.txt)" "$user"
	run hidden
	assert_output "./.customers.csv.bak
./.git
./.notes"
	run appt-check
	assert_success
}

@test "a writer that cannot get the lock leaves the lock holder's temporaries" {
	fixture -e
	echo partial > "$D/.customers.csv.Zz9Yy8"
	hold_lock
	APPT_LOCK_WAIT=0 run appt-customer add --name "Anna Bell" \
	    --email anna@example.com
	assert_failure 5
	assert_file_exist "$D/.customers.csv.Zz9Yy8"
	release_lock
}

@test "a refused add writes nothing and leaves no temporary" {
	fixture -e
	before=$(snapshot)
	run appt-customer add --name "Someone" --email zoe.mueller@example.net
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
	run hidden
	assert_output ""
}

@test "every command but appt-init refuses a directory without config.ini" {
	mkdir "$D"
	echo mine > "$D/notes.txt"
	export EDITOR=true
	while IFS='|' read -r cmd args; do
		eval "set -- $args"
		run --separate-stderr "$cmd" "$@"
		[ "$status" -eq 3 ] || fail "$cmd $args: exit $status, not 3"
		[[ $stderr == *"$D: not an appt data directory"* ]] ||
		    fail "$cmd $args: $stderr"
	done <<-'EOF2'
	appt|list
	appt-book|-s cut --name "Anna Bell" --email anna@example.com --at "2026-11-24 10:00"
	appt-check|
	appt-customer|add --name "Anna Bell" --email anna@example.com
	appt-edit|services.csv
	appt-flag|add --name "Anna Bell" --reason test
	appt-list|
	appt-move|1 "2026-11-24 10:00"
	appt-remind|
	appt-send|
	appt-slots|
	appt-status|1 confirmed
	EOF2
	run ls -A "$D"
	assert_output notes.txt
}
