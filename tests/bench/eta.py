#!/usr/bin/python3
"""The benchmark of make bench-eta (figures, not tests: nothing here fails).

How often does the arrival window of appt-eta hold the real arrival? A
simulated business with a fixed random seed:

- four technicians whose true speed differs from the nominal durations of
  services.csv (x0.8, x1.0, x1.25, x1.5), log-normal job durations (log-sd
  0.25) and noisy travel (log-sd 0.25 about the straight-line estimate);
- five jobs a day each, booked back to back with 30 minutes for travel;
  nobody arrives before a job's booked start;
- HISTORY working days of history (their started and finished times),
  then TEST working days, each run as cron would: appt-eta --notify every
  ten minutes from 07:00, the truth of the day (arrivals, ends) written
  into the month file as appt-status would have recorded it by then.

For each job it takes the window the customer holds at the arrival: the
one of the last notice sent (the outbox keys), and its estimated coverage
from appt-eta's output at that run; and the one they held half an hour
before the arrival, the last told in time to be of use. It compares with baselines: the booked
start +-30 minutes; the first window of the day alone (no update during
the day); and the model without per-staff learning (every staff member's
history given to one pooled staff member), with updates and without.
"""
import csv
import datetime as dt
import io
import math
import os
import random
import shutil
import subprocess
import sys
from zoneinfo import ZoneInfo

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(TOP, "bin")
WORK = os.path.join(TOP, "build", "bench-eta")
HISTORY = int(os.environ.get("ETA_HISTORY", "60"))
TEST = int(os.environ.get("ETA_TEST", "15"))
TZ = ZoneInfo("Europe/Berlin")
SEED = 20261123
TECHS = [("t1", 0.8), ("t2", 1.0), ("t3", 1.25), ("t4", 1.5)]
SERVICES = [("s30", 30), ("s60", 60), ("s90", 90)]
JOBS = 5
DEPOT = (52.5200, 13.4050)
APPT_HEADER = ("id,start,end,service,staff,customer,status,price,series,"
               "notes,created,updated,started,finished")


def iso(t):
    s = t.astimezone(TZ).strftime("%Y-%m-%dT%H:%M%z")
    return s[:-2] + ":" + s[-2:]


def km(a, b):
    r = math.radians
    h = (math.sin(r(b[0] - a[0]) / 2) ** 2 + math.cos(r(a[0])) *
         math.cos(r(b[0])) * math.sin(r(b[1] - a[1]) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def workdays(start, n):
    d, out = start, []
    while len(out) < n:
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


class World:
    """The truth: customers, days of jobs and what really happened."""

    def __init__(self):
        rnd = random.Random(SEED)
        self.cust = [(52.45 + rnd.random() * 0.14, 13.30 + rnd.random() * 0.22)
                     for _ in range(400)]
        first = dt.date(2026, 11, 2) - dt.timedelta(days=HISTORY * 7 // 5 + 7)
        days = workdays(first, HISTORY + TEST)
        self.history, self.test = days[:HISTORY], days[HISTORY:]
        self.jobs = {}          # day -> list of job dicts
        nid = 1
        for day in days:
            jobs = []
            for tech, mult in TECHS:
                at = dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=TZ)
                place, free = DEPOT, None
                for k in range(JOBS):
                    svc, nominal = SERVICES[rnd.randrange(len(SERVICES))]
                    c = rnd.randrange(len(self.cust))
                    travel = km(place, self.cust[c]) * 1.3 / 30 * 60 * \
                        math.exp(0.25 * rnd.gauss(0, 1) - 0.25 ** 2 / 2)
                    arrive = at if free is None else \
                        max(at, free + dt.timedelta(minutes=travel))
                    dur = nominal * mult * math.exp(0.25 * rnd.gauss(0, 1))
                    finish = arrive + dt.timedelta(minutes=dur)
                    jobs.append(dict(id=nid, tech=tech, svc=svc, cust=c + 1,
                                     start=at, end=at + dt.timedelta(
                                         minutes=nominal), pos=k + 1,
                                     arrive=arrive, finish=finish))
                    nid += 1
                    place, free = self.cust[c], finish
                    # The next booked 30 minutes after the nominal end,
                    # on the quarter hour.
                    nxt = at + dt.timedelta(minutes=nominal + 30)
                    at = nxt + dt.timedelta(minutes=(-nxt.minute) % 15)
            self.jobs[day] = jobs


def row(j, now, staff=None):
    """A job's row as appt-status would have left it at now."""
    started = finished = ""
    status = "booked"
    if now is None or j["arrive"] <= now:
        started, status = iso(j["arrive"]), "in-progress"
    if now is None or j["finish"] <= now:
        finished, status = iso(j["finish"]), "done"
    return ",".join(str(x) for x in (
        j["id"], iso(j["start"]), iso(j["end"]), j["svc"],
        staff or j["tech"], j["cust"], status, "", "", "",
        "2026-01-01T10:00+01:00", "2026-01-01T10:00+01:00", started,
        finished))


def setup(d, w, pooled):
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.dirname(d), exist_ok=True)
    subprocess.run([os.path.join(BIN, "appt-init"), d], check=True,
                   stdout=subprocess.DEVNULL, env=env(None, d))
    with open(os.path.join(d, "config.ini"), "w") as f:
        f.write("[business]\nname = Fix It\nemail = fix@example.com\n"
                "timezone = Europe/Berlin\n\n[hours]\n" +
                "".join("%s = 07:00-20:00\n" % x for x in
                        ("mon", "tue", "wed", "thu", "fri", "sat", "sun")) +
                "\n[notify]\nchannels = email\n\n[mail]\nsendmail = true\n")
    with open(os.path.join(d, "staff.csv"), "w") as f:
        f.write("id,name,email,phone,mobile,lat,lon\n")
        for tech, _ in TECHS:
            f.write("%s,Tech %s,,,yes,%s,%s\n" % (tech, tech, *DEPOT))
        f.write("pool,Everyone,,,no,,\n")
    with open(os.path.join(d, "services.csv"), "w") as f:
        f.write("id,name,duration,price,tax,buffer_before,buffer_after,"
                "staff,recall,description\n")
        for s, m in SERVICES:
            f.write("%s,Job %s,%d,,,,,,,\n" % (s, s, m))
    with open(os.path.join(d, "customers.csv"), "w") as f:
        f.write("id,name,email,phone,address,postcode,notes,created,lat,lon\n")
        for i, (la, lo) in enumerate(w.cust, 1):
            f.write("%d,Customer %d,c%d@example.org,,,,,"
                    "2026-01-01T10:00+01:00,%.5f,%.5f\n" % (i, i, i, la, lo))
    # The history, done; pooled: by one staff member who does not travel.
    months = {}
    for day in w.history:
        for j in w.jobs[day]:
            months.setdefault(day.strftime("%Y-%m"), []).append(
                row(j, None, "pool" if pooled else None))
    os.makedirs(os.path.join(d, "appointments"), exist_ok=True)
    for m, rows in months.items():
        with open(os.path.join(d, "appointments", m + ".csv"), "w") as f:
            f.write(APPT_HEADER + "\n" + "\n".join(rows) + "\n")
    return d, months


def env(now, d):
    e = dict(os.environ, TZ="Europe/Berlin", LC_ALL="C.UTF-8",
             APPT_SHARE=os.path.join(TOP, "share", "appt"), APPT_DIR=d)
    if now:
        e["APPT_NOW"] = now.strftime("%Y-%m-%dT%H:%M")
    return e


def keys(d):
    p = os.path.join(d, "outbox", "sent")
    return set(os.listdir(p)) if os.path.isdir(p) else set()


def run_days(d, months, w, pooled):
    """Each test day at every cron run: the window each customer holds at
    the arrival (start, coverage), and the first window of the day."""
    held, first = {}, {}
    notices = {}    # id -> [(time told, (window start, coverage))]
    for day in w.test:
        jobs = w.jobs[day]
        m = day.strftime("%Y-%m")
        month = os.path.join(d, "appointments", m + ".csv")
        old = months.setdefault(m, [])
        t = dt.datetime(day.year, day.month, day.day, 7, 0, tzinfo=TZ)
        last = max(j["arrive"] for j in jobs)
        told = keys(d)
        while t <= last:
            with open(month, "w") as f:
                f.write(APPT_HEADER + "\n" + "\n".join(
                    old + [row(j, t) for j in jobs]) + "\n")
            r = subprocess.run([os.path.join(BIN, "appt-eta"), "--notify",
                                "-o", "csv"], env=env(t, d),
                               capture_output=True, text=True)
            if r.returncode:
                sys.exit("bench-eta: appt-eta: %s" % r.stderr)
            out = {int(x["id"]): x for x in
                   csv.DictReader(io.StringIO(r.stdout))}
            now = keys(d)
            for k in now - told:
                jid = int(k.split("-")[1])
                ws = out[jid]["window_start"]
                held[jid] = (dt.datetime.fromisoformat(ws),
                             float(out[jid]["coverage"]))
                first.setdefault(jid, held[jid])
                notices.setdefault(jid, []).append((t, held[jid]))
            told = now
            t += dt.timedelta(minutes=10)
        # The day done is history for the days after.
        old += [row(j, None, "pool" if pooled else None) for j in jobs]
    # The window held half an hour before the arrival.
    ahead = {}
    for day in w.test:
        for j in w.jobs[day]:
            told = [n for t, n in notices.get(j["id"], [])
                    if t <= j["arrive"] - dt.timedelta(minutes=30)]
            if told:
                ahead[j["id"]] = told[-1]
    return held, first, ahead


def score(w, windows, width=60):
    """Hits and estimated coverage, by position and over all."""
    by = {}
    for day in w.test:
        for j in w.jobs[day]:
            if j["id"] not in windows:
                continue
            a, cov = windows[j["id"]]
            hit = a <= j["arrive"] < a + dt.timedelta(minutes=width)
            for key in (j["pos"], "all"):
                b = by.setdefault(key, [0, 0, 0.0])
                b[0] += hit
                b[1] += 1
                b[2] += cov
    return by


def main():
    w = World()
    held, first, ahead = run_days(*setup(os.path.join(WORK, "model"), w,
                                         False), w, False)
    pheld, pfirst, _ = run_days(*setup(os.path.join(WORK, "pooled"), w, True), w,
                           True)
    booked = {j["id"]: (j["start"] - dt.timedelta(minutes=30), 0.0)
              for day in w.test for j in w.jobs[day]}
    cols = [("appt-eta, updated", score(w, held)),
            ("appt-eta, as told 30 min before", score(w, ahead)),
            ("appt-eta, first window only", score(w, first)),
            ("no per-staff learning, updated", score(w, pheld)),
            ("no per-staff learning, first window only", score(w, pfirst)),
            ("booked start +-30 min", score(w, booked))]
    n = sum(len(w.jobs[d]) for d in w.test)
    print("%d technicians, %d days of history, %d test days, %d jobs\n" %
          (len(TECHS), HISTORY, TEST, n))
    print("| arrivals inside the 60-minute window | " +
          " | ".join(c[0] for c in cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for key in list(range(1, JOBS + 1)) + ["all"]:
        cells = []
        for _, by in cols:
            h, m, _ = by.get(key, [0, 0, 0])
            cells.append("%.1f%%" % (100 * h / m) if m else "-")
        print("| %s | %s |" % ("job %d of the day" % key if key != "all"
                               else "**all**", " | ".join(cells)))
    print("\ncalibration (estimated coverage against arrivals inside):")
    for name, by in cols[:-1]:
        h, m, c = by["all"]
        print("  %-42s estimated %.1f%%, real %.1f%%" %
              (name, 100 * c / m, 100 * h / m))


if __name__ == "__main__":
    main()
