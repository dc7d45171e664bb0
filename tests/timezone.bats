#!/usr/bin/env bats
# The business's time zone must really load: glibc falls back to UTC
# without a word when a zone file is missing or cannot be read, and every
# time would then be stored and shown wrong. Exit 3, name the zone and
# tzdata, and change nothing.

setup() {
	load lib/common
	fixture -e
}

# A zone directory in $Z of Europe without Europe/Berlin, and UTC.
zones() {
	Z="$BATS_TEST_TMPDIR/zoneinfo"
	mkdir -p "$Z"
	cp -rL /usr/share/zoneinfo/Europe /usr/share/zoneinfo/UTC "$Z"
	rm "$Z/Europe/Berlin"
}

# Every command refuses with exit 3 and the message; nothing changes.
refused() {
	local before
	before=$(snapshot)
	run appt-book --no-notify -s cut -c 1 -w sam --at 2026-11-24T11:00
	assert_failure 3
	assert_output --partial "$1"
	assert_output --partial "tzdata"
	for cmd in "appt-list" "appt-slots tomorrow" "appt-check" \
	    "appt-customer add --name Neu --email neu@example.com" \
	    "appt-status --no-notify 39 cancelled" "appt-remind --dry-run"; do
		run $cmd
		assert_failure 3
		assert_output --partial "$1"
	done
	assert_equal "$(snapshot)" "$before"
}

@test "an unknown zone in config.ini is exit 3, named, with tzdata" {
	sed -i 's|^timezone = .*|timezone = Mars/Olympus|' "$D/config.ini"
	refused "config.ini:8: business:timezone: unknown time zone Mars/Olympus"
}

@test "a zone whose file is missing is exit 3 and nothing written" {
	zones
	TZDIR=$Z refused "unknown time zone Europe/Berlin: no $Z/Europe/Berlin"
}

@test "a zone whose file is a directory is exit 3 and nothing written" {
	zones
	mkdir "$Z/Europe/Berlin"
	TZDIR=$Z refused "time zone Europe/Berlin: $Z/Europe/Berlin: Is a directory"
}

@test "a zone whose file is not a zone file is exit 3, not UTC" {
	zones
	: > "$Z/Europe/Berlin"
	TZDIR=$Z refused "time zone Europe/Berlin: $Z/Europe/Berlin: not a time zone file"
}

@test "a zone file that cannot be read (EIO) is exit 3, not UTC" {
	command -v strace >/dev/null || skip "strace is not installed"
	f=$(readlink -f /usr/share/zoneinfo/Europe/Berlin)
	before=$(snapshot)
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run strace -f -o /dev/null \
	    -P "$f" -e trace=openat,open -e inject=openat,open:error=EIO \
	    appt-book --no-notify -s cut -c 1 -w sam --at 2026-11-24T11:00
	assert_failure 3
	assert_output --partial "time zone Europe/Berlin: /usr/share/zoneinfo/Europe/Berlin: Input/output error (install tzdata)"
	refute_output --partial "+00:00"
	assert_equal "$(snapshot)" "$before"
}

@test "a zone file that the C library alone fails to read is exit 3" {
	command -v strace >/dev/null || skip "strace is not installed"
	f=$(readlink -f /usr/share/zoneinfo/Europe/Berlin)
	before=$(snapshot)
	# Without $TZ the first open of the file is appt's own check, the
	# second glibc's: only glibc's fails.
	ASAN_OPTIONS=detect_leaks=0:exitcode=99 run env -u TZ strace -f \
	    -o /dev/null -P "$f" -e trace=openat,open \
	    -e inject=openat,open:error=EIO:when=2+ \
	    appt-book --no-notify -s cut -c 1 -w sam --at 2026-11-24T11:00
	assert_failure 3
	assert_output --partial "time zone Europe/Berlin: the C library could not load /usr/share/zoneinfo/Europe/Berlin (install tzdata)"
	assert_equal "$(snapshot)" "$before"
}

@test "an unknown zone in \$TZ, without timezone in config.ini, is exit 3" {
	sed -i '/^timezone = /d' "$D/config.ini"
	TZ=Mars/Olympus refused "unknown time zone TZ=Mars/Olympus: no /usr/share/zoneinfo/Mars/Olympus"
}

@test "\$TZ naming a zone whose file is missing is exit 3" {
	sed -i '/^timezone = /d' "$D/config.ini"
	zones
	TZDIR=$Z refused "unknown time zone TZ=Europe/Berlin: no $Z/Europe/Berlin"
}

@test "\$TZ as a POSIX rule, or UTC without its file, still works" {
	sed -i '/^timezone = /d' "$D/config.ini"
	run env TZ=CET-1CEST,M3.5.0,M10.5.0/3 appt-book --no-notify -s cut \
	    -c 1 -w sam --at 2026-12-01T09:00
	assert_success
	assert_output --partial "2026-12-01T09:00+01:00"
	mkdir "$BATS_TEST_TMPDIR/nozones"
	run env TZ=UTC TZDIR="$BATS_TEST_TMPDIR/nozones" appt-book \
	    --no-notify -s cut -c 1 -w sam --at 2026-12-02T09:00
	assert_success
	assert_output --partial "2026-12-02T09:00+00:00"
}

@test "timezone = UTC works without a zone file" {
	sed -i 's|^timezone = .*|timezone = UTC|' "$D/config.ini"
	mkdir "$BATS_TEST_TMPDIR/nozones"
	TZDIR="$BATS_TEST_TMPDIR/nozones" run appt-book --no-notify -s cut \
	    -c 1 -w sam --at 2026-12-01T09:00
	assert_success
	assert_output --partial "2026-12-01T09:00+00:00"
}
