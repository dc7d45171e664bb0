#!/usr/bin/python3
# The oracle of busy times for tests/appt-ics.bats: the free 15-minute
# slots (each quarter hour from 06:00 to 21:45 of the days FROM to TO,
# TO excluded, in ZONE) that the
# events of FILE leave, as python3-recurring-ical-events expands them
# (RRULE, RDATE, EXDATE, RECURRENCE-ID) and python3-icalendar reads them.
# What blocks is appt's rule (appt-ics(1)): CANCELLED and TRANSPARENT
# events do not, all-day events block their local days, floating times
# are the business's zone.
#   ics-oracle.py FILE FROM TO [ZONE]   (FROM, TO: YYYY-MM-DD)
import datetime as dt
import sys
from zoneinfo import ZoneInfo

import icalendar
import recurring_ical_events

path, first, last = sys.argv[1:4]
tz = ZoneInfo(sys.argv[4] if len(sys.argv) > 4 else "Europe/Berlin")
cal = icalendar.Calendar.from_ical(open(path, "rb").read())


def instant(v):
    if isinstance(v, dt.datetime):
        return v if v.tzinfo else v.replace(tzinfo=tz)
    return dt.datetime(v.year, v.month, v.day, tzinfo=tz)


start = instant(dt.date.fromisoformat(first))
end = instant(dt.date.fromisoformat(last))
busy = []
for ev in recurring_ical_events.of(cal).between(start - dt.timedelta(days=2),
                                                end + dt.timedelta(days=2)):
    if str(ev.get("STATUS", "")).upper() == "CANCELLED":
        continue
    if str(ev.get("TRANSP", "")).upper() == "TRANSPARENT":
        continue
    a = instant(ev["DTSTART"].dt)
    if "DTEND" in ev:
        b = instant(ev["DTEND"].dt)
    elif "DURATION" in ev:
        b = a + ev["DURATION"].dt
    else:
        b = a + dt.timedelta(days=1) if not isinstance(
            ev["DTSTART"].dt, dt.datetime) else a
    # A day without DTEND is one day long (RFC 5545 3.6.1); the library
    # gives its occurrences a DTEND equal to their start.
    if not isinstance(ev["DTSTART"].dt, dt.datetime) and b <= a:
        b = a + dt.timedelta(days=1)
    busy.append((a.astimezone(dt.timezone.utc), b.astimezone(dt.timezone.utc)))

# The quarter hours from 06:00 to 21:45, the hours of the test business:
# clear of the hours that a change of clock skips or repeats.
day = dt.date.fromisoformat(first)
while day < dt.date.fromisoformat(last):
    for q in range(6 * 4, 22 * 4):
        loc = dt.datetime(day.year, day.month, day.day, q // 4, q % 4 * 15,
                          tzinfo=tz)
        u = loc.astimezone(dt.timezone.utc)
        if not any(a < u + dt.timedelta(minutes=15) and u < b
                   for a, b in busy):
            off = loc.strftime("%z")
            print(loc.strftime("%Y-%m-%dT%H:%M") + off[:3] + ":" + off[3:])
    day += dt.timedelta(days=1)
