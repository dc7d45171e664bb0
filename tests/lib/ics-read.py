#!/usr/bin/python3
# An iCalendar file (FILE, or stdin) as python3-icalendar reads it, for
# tests/appt-ics.bats: the TZID of each VTIMEZONE, then one line per event:
# UID, STATUS, SEQUENCE, start and end in UTC, the TZIDs of DTSTART and
# DTEND, and SUMMARY.
import datetime as dt
import sys

import icalendar

f = open(sys.argv[1], "rb") if len(sys.argv) > 1 else sys.stdin.buffer
cal = icalendar.Calendar.from_ical(f.read())
for tz in cal.walk("VTIMEZONE"):
    print("VTIMEZONE", tz["TZID"])


def utc(v):
    return v.dt.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%MZ")


for e in cal.walk("VEVENT"):
    s, t = e["DTSTART"], e["DTEND"]
    print(e["UID"], e["STATUS"], e["SEQUENCE"], utc(s), utc(t),
          s.params.get("TZID"), t.params.get("TZID"), e["SUMMARY"])
