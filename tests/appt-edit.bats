#!/usr/bin/env bats
# appt-edit: edit a data file on a copy, check it, replace it atomically.
# The editors are small scripts written by each test; they get the copy
# as $1 and find the data directory in $APPT_DIR.

bats_require_minimum_version 1.5.0

setup() {
	load lib/common
	export TMPDIR=$BATS_TEST_TMPDIR/tmp
	mkdir -p "$TMPDIR"
	export COUNT=$BATS_TEST_TMPDIR/count
}

# Write an executable editor script $BATS_TEST_TMPDIR/NAME from stdin.
# It counts its runs in $COUNT ($n in the body) and fails from the fourth
# on, so that an appt-edit that loops cannot hang the suite.
mkeditor() {
	{
		printf '#!/bin/sh\nset -e\n'
		printf 'n=$(cat "$COUNT" 2>/dev/null || echo 0)\n'
		printf 'n=$((n + 1))\necho $n > "$COUNT"\n'
		printf '[ $n -le 3 ] || exit 1\n'
		cat
	} > "$BATS_TEST_TMPDIR/$1"
	chmod +x "$BATS_TEST_TMPDIR/$1"
}

# An editor that applies a sed script to the copy.
sed_editor() {
	printf 'sed -i %q "$1"\n' "$1" | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
}

# No copy left in $TMPDIR.
assert_no_copy() {
	run find "$TMPDIR" -type f
	assert_output ""
}

# stderr holds the text.
assert_stderr() {
	[[ $stderr == *"$1"* ]] || fail "stderr lacks '$1':
$stderr"
}

# An invalid edit: the problem on stderr, the question, exit 1 after "q",
# and the data directory byte for byte as before.
refused_with() {
	local file=$1 problem=$2 before
	before=$(snapshot)
	run --separate-stderr appt-edit "$file" <<< q
	assert_failure 1
	assert_stderr "$problem"
	assert_stderr "What now?"
	assert_equal "$(cat "$COUNT")" 1
	assert_equal "$(snapshot)" "$before"
	assert_no_copy
}

@test "appt-edit: a valid change replaces the file, 0600" {
	fixture -e
	umask 000
	sed_editor 's/^sam,Sam Berger,/sam,Samuel Berger,/'
	run appt-edit staff.csv < /dev/null
	assert_success
	grep -q '^sam,Samuel Berger,sam@example.com,' "$D/staff.csv"
	run grep -c 'Sam Berger' "$D/staff.csv"
	assert_output 0
	assert_mode 600 "$D/staff.csv"
	assert_no_copy
	# No temporary left in the data directory.
	run find "$D" -name '.*' ! -name .lock
	assert_output ""
	run appt-check
	assert_success
}

@test "appt-edit: every editable file can be changed" {
	fixture -e
	for f in config.ini services.csv staff.csv closures.csv customers.csv \
	    flags.csv; do
		rm -f "$COUNT"
		case $f in
		config.ini) sed_editor 's/^name = Hair by Sam$/name = Hair by Samuel/' ;;
		*.csv) sed_editor '1s/$/,mine/; 2,$s/$/,/' ;;
		esac
		run appt-edit -d "$D" "$f" < /dev/null
		assert_success
	done
	grep -q '^name = Hair by Samuel$' "$D/config.ini"
	for f in services staff closures customers flags; do
		head -n 1 "$D/$f.csv" | grep -q ',mine$'
	done
	run appt-check
	assert_success
}

@test "appt-edit: an unchanged file says no changes and exits 0" {
	fixture -e
	before=$(snapshot)
	printf 'touch "$1"\n' | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	run appt-edit customers.csv < /dev/null
	assert_success
	assert_output --partial "no changes"
	assert_equal "$(snapshot)" "$before"
	assert_no_copy
}

@test "appt-edit: the editor works on a copy, not the file itself" {
	fixture -e
	mkeditor ed <<-'EOF'
		case $1 in "$APPT_DIR"/*) exit 1 ;; esac
		cmp -s "$1" "$APPT_DIR/customers.csv"
		sed -i 's/^2,Jonas Weber,/2,Jonas Weber-Schulz,/' "$1"
	EOF
	export EDITOR=$BATS_TEST_TMPDIR/ed
	run appt-edit customers.csv < /dev/null
	assert_success
	grep -q '^2,Jonas Weber-Schulz,' "$D/customers.csv"
}

@test "appt-edit: a torn quote is refused and nothing changes (q)" {
	fixture -e
	printf 'printf %s >> "$1"\n' "'9,\"Bob'" | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	refused_with customers.csv "customers.csv:10: "
	assert_stderr "quot"
}

@test "appt-edit: an invalid change with empty stdin exits 1 and changes nothing" {
	fixture -e
	printf 'printf %s >> "$1"\n' "'9,\"Bob'" | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	before=$(snapshot)
	run --separate-stderr appt-edit customers.csv < /dev/null
	assert_failure 1
	assert_stderr "customers.csv:10: "
	assert_stderr "What now?"
	assert_equal "$(cat "$COUNT")" 1
	assert_equal "$(snapshot)" "$before"
	assert_no_copy
}

@test "appt-edit: an unknown staff id in services.csv is refused" {
	fixture -e
	sed_editor 's/^colour,\(.*\),sam,90d,/colour,\1,bob,90d,/'
	refused_with services.csv "services.csv:3: staff 'bob'"
}

@test "appt-edit: removing a staff member that appointments name is refused" {
	fixture -e
	sed_editor '/^alice,/d'
	refused_with staff.csv "appointments/2026-11.csv:"
	assert_stderr "staff 'alice'"
	assert_stderr "services.csv:4: staff 'alice'"
}

@test "appt-edit: a bad config value is refused with config.ini:LINE" {
	fixture -e
	line=$(grep -n '^granularity' "$D/config.ini" | cut -d: -f1)
	sed_editor 's/^granularity = .*/granularity = fast/'
	refused_with config.ini "config.ini:$line: booking:granularity"
}

@test "appt-edit: a config line over 1000 bytes is refused with config.ini:LINE" {
	fixture -e
	line=$(($(wc -l < "$D/config.ini") + 1))
	printf 'printf "x = %%01100d\\n" 0 >> "$1"\n' | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	refused_with config.ini "config.ini:$line: "
}

@test "appt-edit: a field of 70000 bytes is refused with file:LINE" {
	fixture -e
	printf 'printf "9,%%070000d,a@example.com,,,,,\\n" 0 >> "$1"\n' |
	    mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	refused_with customers.csv "customers.csv:10: "
	[ "${#stderr}" -lt 1000 ]
}

@test "appt-edit: a line break inside a customer name is refused" {
	fixture -e
	printf 'printf %s >> "$1"\n' "'9,\"Bob\nSmith\",b@example.com,,,,,\n'" |
	    mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	refused_with customers.csv "customers.csv:10: name"
}

@test "appt-edit: e edits again and the fixed file is saved" {
	fixture -e
	# First run: a torn quote. Second run: the torn line goes, a real
	# change comes.
	mkeditor ed <<-'EOF'
		if [ $n = 1 ]; then
			printf '9,"Bob' >> "$1"
		else
			sed -i '$d' "$1"
			printf '9,Bob Jones,bob@example.com,,,,,\n' >> "$1"
		fi
	EOF
	export EDITOR=$BATS_TEST_TMPDIR/ed
	run --separate-stderr appt-edit customers.csv <<< e
	assert_success
	assert_stderr "customers.csv:10: "
	assert_stderr "What now?"
	assert_equal "$(cat "$COUNT")" 2
	assert_equal "$(tail -n 1 "$D/customers.csv")" \
	    "9,Bob Jones,bob@example.com,,,,,"
	assert_equal "$(wc -l < "$D/customers.csv")" 10
	assert_mode 600 "$D/customers.csv"
	assert_no_copy
	run appt-check
	assert_success
}

@test "appt-edit: e, still wrong, then q changes nothing" {
	fixture -e
	mkeditor ed <<-'EOF'
		sed -i 's/^granularity = .*/granularity = fast/' "$1"
	EOF
	export EDITOR=$BATS_TEST_TMPDIR/ed
	before=$(snapshot)
	run --separate-stderr appt-edit config.ini <<< $'e\nq'
	assert_failure 1
	assert_equal "$(cat "$COUNT")" 2
	assert_equal "$(snapshot)" "$before"
}

@test "appt-edit: a file not in the editable list exits 2" {
	fixture -e
	printf 'echo edited >> "$1"\n' | mkeditor ed
	export EDITOR=$BATS_TEST_TMPDIR/ed
	before=$(snapshot)
	for f in ids.csv appointments/2026-11.csv invoices.csv ../staff.csv \
	    "$D/staff.csv" nosuch.csv; do
		run appt-edit "$f" < /dev/null
		assert_failure 2
		assert_output --partial "$f"
	done
	assert_equal "$(snapshot)" "$before"
}

@test "appt-edit: VISUAL wins over EDITOR" {
	fixture -e
	printf 'sed -i "s/^sam,Sam Berger,/sam,Visual Sam,/" "$1"\n' |
	    mkeditor visual
	printf 'sed -i "s/^sam,Sam Berger,/sam,Editor Sam,/" "$1"\n' |
	    mkeditor ed
	export VISUAL=$BATS_TEST_TMPDIR/visual EDITOR=$BATS_TEST_TMPDIR/ed
	run appt-edit staff.csv < /dev/null
	assert_success
	grep -q '^sam,Visual Sam,' "$D/staff.csv"
	run grep -c 'Editor Sam' "$D/staff.csv"
	assert_output 0
}

@test "appt-edit: EDITOR may carry arguments" {
	fixture -e
	export EDITOR="sed -i s/^sam,Sam\\x20Berger,/sam,Sam\\x20B.,/"
	run appt-edit staff.csv < /dev/null
	assert_success
	grep -q '^sam,Sam B\.,' "$D/staff.csv"
}

@test "appt-edit: an editor that exits non-zero changes nothing and exits 1" {
	fixture -e
	mkeditor ed <<-'EOF'
		sed -i 's/^sam,Sam Berger,/sam,Samuel Berger,/' "$1"
		exit 3
	EOF
	export EDITOR=$BATS_TEST_TMPDIR/ed
	before=$(snapshot)
	run appt-edit staff.csv < /dev/null
	assert_failure 1
	assert_output --partial "editor"
	assert_equal "$(cat "$COUNT")" 1
	assert_equal "$(snapshot)" "$before"
	assert_no_copy
}

@test "appt-edit: an editor that cannot be run changes nothing and exits 1" {
	fixture -e
	export EDITOR=$BATS_TEST_TMPDIR/no-such-editor
	before=$(snapshot)
	run appt-edit staff.csv < /dev/null
	assert_failure 1
	assert_equal "$(snapshot)" "$before"
}

@test "appt-edit: a file changed by someone else meanwhile is refused, their change kept" {
	fixture -e
	mkeditor ed <<-'EOF'
		sed -i 's/^sam,Sam Berger,/sam,Mine,/' "$1"
		sed -i 's/^alice,Alice Novak,/alice,Theirs,/' "$APPT_DIR/staff.csv"
	EOF
	export EDITOR=$BATS_TEST_TMPDIR/ed
	run --separate-stderr appt-edit staff.csv < /dev/null
	assert_failure 1
	assert_stderr "someone else"
	grep -q '^alice,Theirs,' "$D/staff.csv"
	grep -q '^sam,Sam Berger,' "$D/staff.csv"
	run grep -c Mine "$D/staff.csv"
	assert_output 0
	# The user's copy is kept and named.
	run find "$TMPDIR" -type f
	assert_equal "${#lines[@]}" 1
	grep -q '^sam,Mine,' "${lines[0]}"
	assert_stderr "${lines[0]}"
}

@test "appt-edit: an edit is not blocked by problems of other files" {
	fixture -e
	# A bad appointment that appt-check reports; editing staff.csv is
	# still possible and does not add to it.
	printf '100,2026-11-30T10:00+01:00,2026-11-30T10:45+01:00,cut,sam,1,pending,,,,,,,\n' \
	    >> "$D/appointments/2026-11.csv"
	sed -i 's/^appointments,.*/appointments,100/' "$D/ids.csv"
	run appt-check
	assert_failure 3
	sed_editor 's/^sam,Sam Berger,/sam,Samuel Berger,/'
	run appt-edit staff.csv < /dev/null
	assert_success
	grep -q '^sam,Samuel Berger,' "$D/staff.csv"
}

@test "appt-edit: with no file or two files exits 2" {
	fixture -e
	run appt-edit
	assert_failure 2
	run appt-edit staff.csv customers.csv
	assert_failure 2
}

@test "appt-edit -h prints the usage on stdout and exits 0" {
	run --separate-stderr appt-edit -h
	assert_success
	assert_output --partial "appt-edit"
	assert_output --partial "FILE"
}

@test "appt-edit: an unquoted # in a config value is refused with config.ini:LINE and the quoted form" {
	fixture -e
	line=$(grep -n '^name = ' "$D/config.ini" | cut -d: -f1)
	sed_editor 's/^name = .*/name = Salon #1/'
	refused_with config.ini "config.ini:$line: business:name: '#' starts a comment here, cutting the value; quote it: name = \"Salon #1\""
}

@test "appt-edit: a quoted # in a config value is saved" {
	fixture -e
	sed_editor 's/^name = .*/name = "Salon #1"   ; with the number/'
	run --separate-stderr appt-edit config.ini
	assert_success
	run grep '^name = ' "$D/config.ini"
	assert_output 'name = "Salon #1"   ; with the number'
	assert_no_copy
}
