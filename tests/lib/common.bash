# Shared set-up for the bats suites. APPT_BIN picks the build under test
# (bin/ or build/asan/bin); every test gets its own data directory and a
# fixed clock.
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'
load '/usr/lib/bats/bats-file/load'
bats_require_minimum_version 1.5.0	# run --separate-stderr

TOP=$(cd "$BATS_TEST_DIRNAME/.." && pwd)
: "${APPT_BIN:=$TOP/bin}"
case $APPT_BIN in /*) ;; *) APPT_BIN=$TOP/$APPT_BIN ;; esac
export PATH="$APPT_BIN:$PATH"
export APPT_SHARE="$TOP/share/appt"
export APPT_NOW=2026-11-23T08:00
export TZ=Europe/Berlin
export NO_COLOR=1
export LC_ALL=C.UTF-8
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
unset APPT_DIR XDG_DATA_HOME VISUAL EDITOR
D="$BATS_TEST_TMPDIR/data"
export APPT_DIR="$D"
unset COLUMNS	# tables as wide as they need, unless a test sets it

# The columns of the files (DESIGN "Files") and of the outputs, named once.
APPT_HEADER=id,start,end,service,staff,customer,status,price,series,notes,created,updated,started,finished
CUSTOMER_HEADER=id,name,email,phone,address,postcode,notes,created
FLAG_HEADER=id,name,email,phone,address,postcode,reason,created,cleared
SERVICE_HEADER=id,name,duration,price,tax,buffer_before,buffer_after,staff,recall,description
STAFF_HEADER=id,name,email,phone
CLOSURE_HEADER=staff,start,end,reason
LIST_HEADER=id,start,end,status,service,service_name,staff,customer,customer_name,email,phone,flag,notes
SLOT_HEADER=start,end,staff,service
REQUEST_HEADER=service,start,name,email,phone,address,postcode

# The fixture business and its helpers.
source "$TOP/tests/lib/appt-fixture.bash"

# A digest of every file of the data directory, to prove nothing changed
# (the lock and the derived indexes, .customers.idx, .customers.added.idx
# and .months.idx, aside).
snapshot() {
	(cd "$D" && find . -type f ! -name .lock ! -name '.*.idx' -print0 |
	    LC_ALL=C sort -z | xargs -0 sha256sum)
}

# Everything of the data directory: each directory and file with its mode,
# then the snapshot.
snapshot_all() {
	(cd "$D" && find . ! -name .lock ! -name '.*.idx' \
	    -printf '%y %m %p\n' | LC_ALL=C sort) && snapshot
}

# Run a command that must be refused and change nothing: exit status $1,
# the text $2 in its stderr ("" for any), and the data directory byte for
# byte as before. $output and $stderr are left for further checks.
run_refused() {
	local code=$1 text=$2 before
	shift 2
	before=$(snapshot)
	run --separate-stderr "$@"
	assert_failure "$code"
	[[ $stderr == *"$text"* ]] || fail "stderr lacks '$text':
$stderr"
	assert_equal "$(snapshot)" "$before"
}

# .customers.idx names customers.csv as it is: it was written for it, not
# left to be made again.
assert_custidx_fresh() {
	local _a _b dev ino size
	read -r _a _b dev ino size _ < "$D/.customers.idx"
	assert_equal "$ino $size" "$(stat -c '%i %s' "$D/customers.csv")"
}

# Run appt-check with stdout in $output and stderr in $stderr.
check() {
	run --separate-stderr appt-check -d "$D"
}

# Each of the files $2... has the permission bits $1 (octal: 600, 700).
assert_mode() {
	local want=$1 f
	shift
	for f; do
		assert_equal "$(stat -c %a "$f")" "$want"
	done
}

# Number of customer rows.
ncust() {
	echo $(($(wc -l < "$D/customers.csv") - 1))
}

# Every CSV file of the data directory (not hidden ones) parses with an
# independent strict parser, ends in a newline and has as many fields in
# each row as in its header; and there are at least the five tables.
csvs_parse() {
	/usr/bin/python3 - "$D" <<-'EOF'
	import csv, glob, io, sys
	d = sys.argv[1]
	bad = 0
	files = sorted(glob.glob(d + "/*.csv") + glob.glob(d + "/*/*.csv"))
	for p in files:
	    data = open(p, encoding="utf-8", newline="").read()
	    if data and not data.endswith("\n"):
	        print(p + ": no newline at the end"); bad = 1; continue
	    try:
	        rows = list(csv.reader(io.StringIO(data), strict=True))
	    except csv.Error as e:
	        print(p + ": " + str(e)); bad = 1; continue
	    if not rows:
	        print(p + ": no header"); bad = 1; continue
	    for i, r in enumerate(rows[1:], 2):
	        if len(r) != len(rows[0]):
	            print("%s:%d: %d fields, header %d" % (p, i, len(r),
	                len(rows[0]))); bad = 1
	if len(files) < 5:
	    print("only %d CSV files" % len(files)); bad = 1
	sys.exit(bad)
	EOF
}

# Write a CSV file of the data directory from stdin.
put() {
	cat > "$D/$1"
}

# Check a table in $output as a terminal shows it, measured with Python's
# unicodedata: no line wider than $1 columns (0: any width), none ending in
# a space, and every field starting in the column of its header. Prints the
# table as fields joined by "|", for the test to compare.
table_cells() {
	python3 - "$1" "$output" <<-'PY'
	import sys, unicodedata as u
	def cells(line):
	    # One entry a terminal column; a combining mark joins the one before.
	    out = []
	    for c in line:
	        if u.combining(c) and out:
	            out[-1] += c
	        elif u.east_asian_width(c) in "WF":
	            out += [c, ""]
	        else:
	            out.append(c)
	    return out
	width, lines = int(sys.argv[1]), sys.argv[2].split("\n")
	head = cells(lines[0])
	starts = [i for i, c in enumerate(head)
	          if c != " " and (i == 0 or head[i - 1] == " ")]
	bad = 0
	for l in lines:
	    c = cells(l)
	    if width and len(c) > width:
	        print("wider than %d (%d): %s" % (width, len(c), l)); bad = 1
	    if l.endswith(" "):
	        print("ends in a space: %r" % l); bad = 1
	    f = ["".join(c[a:b]) for a, b in zip(starts, starts[1:] + [len(c)])]
	    for s, v in zip(starts, f):
	        # Two spaces before a field; its text starts at its column.
	        if (s and s < len(c) and c[s - 2 : s] != [" ", " "]) or \
	           (v.strip() and v[0] == " "):
	            print("field at column %d out of line: %s" % (s, l)); bad = 1
	    print("|".join(v.strip() for v in f))
	sys.exit(bad)
	PY
}

# Every line of $output fits in $1 columns, measured with Python's
# unicodedata, and none ends in a space.
fits() {
	python3 - "$1" "$output" <<-'PY'
	import sys, unicodedata as u
	def width(s):
	    return sum(0 if u.combining(c) else
	               2 if u.east_asian_width(c) in "WF" else 1 for c in s)
	bad = 0
	for l in sys.argv[2].split("\n"):
	    if width(l) > int(sys.argv[1]) or l.endswith(" "):
	        print("too wide or a space at the end: %r" % l); bad = 1
	sys.exit(bad)
	PY
}
