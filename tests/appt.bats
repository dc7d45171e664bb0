#!/usr/bin/env bats
# appt: the dispatcher.

setup() {
	load lib/common
}

@test "appt help lists the commands" {
	run appt help
	assert_success
	assert_output --partial "init"
	assert_output --partial "customer"
}

@test "appt NAME runs appt-NAME with its arguments" {
	run appt init "$D"
	assert_success
	assert_file_exist "$D/config.ini"
	run appt check -d "$D"
	assert_success
}

@test "appt with an unknown command exits 2 and says so" {
	run appt frobnicate
	assert_failure 2
	assert_output --partial "frobnicate: no such command"
}

@test "appt -V prints the version" {
	run appt -V
	assert_success
	assert_output --regexp '^appt [0-9]+\.[0-9]+'
}
