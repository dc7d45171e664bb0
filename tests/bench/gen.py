#!/usr/bin/python3
"""Generate a data directory for the benchmark.

gen.py DIR APPOINTMENTS CUSTOMERS STAFF

Appointments fill the working days of the staff back from the day before
APPT_NOW, as densely as a busy salon (about 14 a day per staff member),
so that a small store is a few days of the same business and a large one
is years of it. The day after APPT_NOW is left half free for booking.
"""
import datetime as dt
import os
import sys
from zoneinfo import ZoneInfo

d, nappt, ncust, nstaff = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
tz = ZoneInfo("Europe/Berlin")
now = dt.datetime(2026, 6, 15, 8, 0, tzinfo=tz)
os.makedirs(d + "/appointments", exist_ok=True)

def w(name, text):
    with open(os.path.join(d, name), "w") as f:
        f.write(text)
    os.chmod(os.path.join(d, name), 0o600)

w("config.ini", """[business]
name = Bench Salon
email = bench@example.com
timezone = Europe/Berlin
currency = EUR
country = DE

[hours]
mon = 08:00-20:00
tue = 08:00-20:00
wed = 08:00-20:00
thu = 08:00-20:00
fri = 08:00-20:00
sat = 08:00-20:00
sun = 08:00-20:00

[booking]
granularity = 15m
min_notice = 0m
horizon = 90d
""")
staff = ["s%02d" % i for i in range(nstaff)]
w("staff.csv", "id,name,email,phone\n" + "".join(
    "%s,Staff %d,%s@example.com,\n" % (s, i, s) for i, s in enumerate(staff)))
w("services.csv", "id,name,duration,price,tax,buffer_before,buffer_after,staff,recall,description\n"
  "cut,Haircut,45m,45.00,,,,,,\ncolour,Colour,1h30m,95.00,,,,,,\n")
with open(d + "/customers.csv", "w") as f:
    f.write("id,name,email,phone,address,postcode,notes,created\n")
    for i in range(1, ncust + 1):
        f.write("%d,Customer %d,c%d@example.com,+4917%08d,Street %d,%05d,,2016-01-01T10:00+01:00\n"
                % (i, i, i, i, i, i % 99999))
os.chmod(d + "/customers.csv", 0o600)
for name, hdr in [("closures.csv", "staff,start,end,reason"),
                  ("flags.csv", "id,name,email,phone,address,postcode,reason,created")]:
    w(name, hdr + "\n")

# 14 appointments per staff per day, 45 minutes each with gaps.
times = [(8 * 60 + 50 * k) for k in range(14)]
per_day = 14 * nstaff
days = (nappt + per_day - 1) // per_day
rows = {}
aid = 0
day = now.date() - dt.timedelta(days=days)
out = []
while aid < nappt:
    for s in staff:
        for t in times:
            if aid >= nappt:
                break
            aid += 1
            st = dt.datetime(day.year, day.month, day.day, t // 60, t % 60, tzinfo=tz)
            en = st + dt.timedelta(minutes=45)
            key = "%04d-%02d" % (st.year, st.month)
            rows.setdefault(key, []).append(
                "%d,%s,%s,cut,%s,%d,done,45.00,,,%s,%s,,\n" % (
                    aid, st.isoformat(timespec="minutes"), en.isoformat(timespec="minutes"),
                    s, 1 + (aid * 7919) % ncust,
                    st.isoformat(timespec="minutes"), st.isoformat(timespec="minutes")))
    day += dt.timedelta(days=1)
hdr = "id,start,end,service,staff,customer,status,price,series,notes,created,updated,started,finished\n"
for key, rs in rows.items():
    with open("%s/appointments/%s.csv" % (d, key), "w") as f:
        f.write(hdr)
        f.writelines(rs)
w("ids.csv", "table,last\ncustomers,%d\nappointments,%d\n" % (ncust, aid))
# The review queue: every tenth visit asked; the sequences of the last ten
# days still running (their next step after now), the older ones over.
with open(d + "/reviews.csv", "w") as f:
    f.write("appointment,customer,step,due,status,created\n")
    for a in range(10, aid + 1, 10):
        st = now - dt.timedelta(days=days) + dt.timedelta(days=(a - 1) // per_day)
        c = st.isoformat(timespec="minutes")
        if st < now - dt.timedelta(days=10):
            f.write("%d,%d,3,,expired,%s\n" % (a, 1 + (a * 7919) % ncust, c))
        else:
            f.write("%d,%d,1,%s,sent,%s\n" % (a, 1 + (a * 7919) % ncust,
                    (now + dt.timedelta(days=5)).isoformat(timespec="minutes"), c))
os.chmod(d + "/reviews.csv", 0o600)
print(d, aid, "appointments in", len(rows), "months,", ncust, "customers,", nstaff, "staff; last day",
      day - dt.timedelta(days=1))
