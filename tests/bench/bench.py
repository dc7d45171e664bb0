#!/usr/bin/python3
"""The benchmark of make bench (figures, not tests: nothing here fails).

Two stores of the same busy business (20 staff, about 14 appointments a
day each): a small one of 1,000 appointments and a large one of ten years,
1,000,000 appointments and 100,000 customers. For each it times, as the
median of several runs, the one-day listing, the free slots of a day,
the booking page's week of free times of one service (appt-web), one
booking into a free future slot, of a customer on record and of a new
one, a review run (appt-review run, nothing due), and a batch of 1,000
booking requests of new customers
(appt-book -), and reports the ratio large/small, and the batch's against
one booking of a new customer.
The day listing is set beside remind(1) on the same appointments written
as REM lines, and the peak memory of listing every appointment is taken
with /usr/bin/time -v, and appt-check of each whole store is timed.
"""
import datetime as dt
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
BIN = os.path.join(TOP, "bin")
WORK = os.path.join(TOP, "build", "bench")
RUNS = int(os.environ.get("BENCH_RUNS", "7"))
ENV = dict(os.environ, APPT_NOW="2026-06-15T08:00", TZ="Europe/Berlin",
           APPT_SHARE=os.path.join(TOP, "share", "appt"), LC_ALL="C.UTF-8")
DAY, NEXT = "2026-06-14", "2026-06-15"


def gen(name, appts, customers):
    d = os.path.join(WORK, name)
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([sys.executable, os.path.join(TOP, "tests/bench/gen.py"), d,
                    str(appts), str(customers), "20"], check=True, stdout=subprocess.DEVNULL)
    return d


def timed(argv, d, out=subprocess.DEVNULL, inp=None):
    t = time.perf_counter()
    r = subprocess.run(argv, env=dict(ENV, APPT_DIR=d), stdout=out, stdin=inp)
    if r.returncode != 0:
        sys.exit("bench: %s failed with %d" % (" ".join(argv), r.returncode))
    return time.perf_counter() - t


def median(argvs, d):
    timed(argvs(0), d)                     # warm the page cache and index
    return statistics.median(timed(argvs(i + 1), d) for i in range(RUNS))


def measure(d):
    res = {}
    res["day listing"] = median(lambda i: [BIN + "/appt-list", DAY, "-o", "csv"], d)
    res["free slots"] = median(lambda i: [BIN + "/appt-slots", NEXT, "-s", "cut"], d)
    # A cron run with nothing due: the open requests alone are read.
    res["review run"] = median(lambda i: [BIN + "/appt-review", "run"], d)
    # The booking page's week of one service, as a web server runs it.
    res["week page"] = median(lambda i: [
        "env", "REQUEST_METHOD=GET", "PATH_INFO=/cut",
        "QUERY_STRING=from=" + NEXT, BIN + "/appt-web"], d)
    # Each booking takes another free slot of the free day after now.
    res["one booking"] = median(lambda i: [
        BIN + "/appt-book", "-s", "cut", "-c", str(1 + i), "-w", "s%02d" % i,
        "--at", NEXT + " 10:00", "--no-notify"], d)
    # New customers and batches grow customers.csv and the months: in a
    # copy, so that the figures after these are of the store as made.
    w = d + "-copy"
    shutil.rmtree(w, ignore_errors=True)
    shutil.copytree(d, w)
    # A copy's files are all new: the derived indexes take note of a file
    # only once it is two seconds old (appt-files(5)).
    time.sleep(2.1)
    res["new customer"] = median(lambda i: [
        BIN + "/appt-book", "-s", "cut", "--name", "Walk In %d" % i,
        "--email", "walkin%d@example.org" % i, "-w", "s%02d" % i,
        "--at", NEXT + " 12:00", "--no-notify"], w)
    res["batch of 1,000"] = batch_median(w)
    shutil.rmtree(w)
    return res


def requests(path, run):
    """1,000 booking requests of new customers for run: four free days of
    all 20 staff, every 45 minutes, from the second day after now on."""
    first = dt.date(2026, 6, 16) + dt.timedelta(days=4 * run)
    with open(path, "w") as f:
        f.write("service,start,staff,name,email\n")
        for j in range(1000):
            day = first + dt.timedelta(days=j // 320)
            m = 8 * 60 + 45 * (j % 16)
            f.write("cut,%sT%02d:%02d,s%02d,Batch Guest %d-%d,batch%d-%d@example.org\n"
                    % (day, m // 60, m % 60, j % 320 // 16, run, j, run, j))


def batch_median(d):
    times = []
    for run in range(RUNS + 1):             # the first warms, as median's
        path = os.path.join(WORK, "requests.csv")
        requests(path, run)
        with open(path) as inp:
            t = timed([BIN + "/appt-book", "--no-notify", "-"], d, inp=inp)
        if run:
            times.append(t)
    return statistics.median(times)


def remind_file(d):
    path = os.path.join(WORK, "big.rem")
    with open(path, "w") as out:
        for f in sorted(os.listdir(os.path.join(d, "appointments"))):
            with open(os.path.join(d, "appointments", f)) as inp:
                next(inp)
                for line in inp:
                    c = line.split(",")
                    y, m, dd = c[1][:10].split("-")
                    out.write("REM %s %s %s AT %s DURATION 0:45 MSG %s %s %s\n" % (
                        dd, "JanFebMarAprMayJunJulAugSepOctNovDec"[3 * int(m) - 3:3 * int(m)],
                        y, c[1][11:16], c[3], c[4], c[5]))
    return path


def invoices(d, n):
    """A copy of store d with n invoices over the 10 years before now, each
    year's in invoices/YYYY/ as appt-invoice keeps them: two lines each,
    most paid, a few voided by credit notes."""
    w = d + "-inv%d" % n
    shutil.rmtree(w, ignore_errors=True)
    shutil.copytree(d, w)
    first = dt.date(2016, 6, 15)
    span = (dt.date(2026, 6, 15) - first).days
    files, count, pid = {}, {}, 0

    def place(year):
        if year not in files:
            p = os.path.join(w, "invoices", str(year))
            os.makedirs(p)
            fi = open(os.path.join(p, "invoices.csv"), "w")
            fl = open(os.path.join(p, "invoice-lines.csv"), "w")
            fp = open(os.path.join(p, "payments.csv"), "w")
            fi.write("number,type,date,customer,appointments,due,currency,"
                     "prices,net,tax,total,cancels,reason,created\n")
            fl.write("invoice,line,date,description,appointment,service,qty,"
                     "price,tax\n")
            fp.write("id,invoice,date,amount,method,note,created\n")
            files[year] = (fi, fl, fp)
        return files[year]

    for i in range(n):
        day = first + dt.timedelta(days=i * span // n)
        fi, fl, fp = place(day.year)
        count[day.year] = count.get(day.year, 0) + 1
        num = "INV-%d-%04d" % (day.year, count[day.year])
        fi.write("%s,invoice,%s,%d,,%s,EUR,gross,50.42,9.58,60.00,,,%sT10:00+01:00\n"
                 % (num, day, 1 + i % 100, day + dt.timedelta(days=14), day))
        fl.write("%s,1,%s,Haircut,,cut,1,45.00,19\n" % (num, day))
        fl.write("%s,2,%s,Shampoo,,,1,15.00,19\n" % (num, day))
        if i % 10:
            pid += 1
            fp.write("%d,%s,%s,60.00,card,,%sT10:00+01:00\n" % (pid, num, day, day))
    for f in files.values():
        for x in f:
            x.close()
    with open(os.path.join(w, "ids.csv"), "a") as f:
        f.write("payments,%d\n" % pid)
    # The years before were written long ago in a real store: an index is
    # not made of a file changed in the last two seconds.
    time.sleep(2.1)
    return w


def invoice_bench(small):
    """Issuing one invoice among 10 and among 50,000 (10 years, 2,300 of
    them this year), of items alone and of an appointment (whose check
    reads every year); list --unpaid."""
    t = {}
    for n in (10, 50000):
        w = invoices(small, n)
        t[n] = median(lambda i: [BIN + "/appt-invoice", "new", "-c", str(1 + i),
                                 "--item", "Gift card;1;25", "-o", "csv"], w)
        t["appt%d" % n] = median(lambda i: [BIN + "/appt-invoice", "new", str(500 + i),
                                            "--item", "Fee;1;5", "-o", "csv"], w)
        t["list%d" % n] = median(lambda i: [BIN + "/appt-invoice", "list", "all",
                                            "--unpaid", "-o", "csv"], w)
        t["show%d" % n] = median(lambda i: [BIN + "/appt-invoice", "show",
                                            "INV-2020-0001"], w)
        if shutil.which("valgrind"):        # instructions: the same on any load
            out = os.path.join(WORK, "cg.inv")
            subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                            BIN + "/appt-invoice", "new", "600", "--item", "Fee;1;5"],
                           env=dict(ENV, APPT_DIR=w), stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL, check=True)
            with open(out) as f:
                t["ir%d" % n] = int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))
        shutil.rmtree(w)
    print("appt-invoice new: 10 invoices %.1f ms, 50,000 invoices %.1f ms: %.2fx"
          % (t[10] * 1e3, t[50000] * 1e3, t[50000] / t[10]))
    print("appt-invoice new APPT: 10 invoices %.1f ms, 50,000 invoices %.1f ms: %.2fx"
          % (t["appt10"] * 1e3, t["appt50000"] * 1e3, t["appt50000"] / t["appt10"]))
    if "ir10" in t:
        print("appt-invoice new APPT, instructions (callgrind): %d and %d: %.2fx"
              % (t["ir10"], t["ir50000"], t["ir50000"] / t["ir10"]))
    print("appt-invoice list --unpaid: 10 invoices %.1f ms, 50,000 invoices %.1f ms"
          % (t["list10"] * 1e3, t["list50000"] * 1e3))
    print("appt-invoice show: 10 invoices %.1f ms, 50,000 invoices %.1f ms"
          % (t["show10"] * 1e3, t["show50000"] * 1e3))


def main():
    os.makedirs(WORK, exist_ok=True)
    if sys.argv[1:] == ["invoice"]:
        invoice_bench(gen("small", 1000, 100))
        return
    print("generating stores in %s ..." % WORK, flush=True)
    small = gen("small", 1000, 100)
    big = gen("big", 1000000, 100000)
    rs, rb = measure(small), measure(big)
    print("\nmedian of %d runs, APPT_NOW=%s" % (RUNS, ENV["APPT_NOW"]))
    print("%-14s %12s %14s %8s" % ("", "1,000 appts", "1,000,000 appts", "ratio"))
    for k in rs:
        print("%-14s %10.1f ms %12.1f ms %7.2fx" % (k, rs[k] * 1e3, rb[k] * 1e3, rb[k] / rs[k]))
    print("batch of 1,000 new customers against one new customer: %.1fx and %.1fx"
          % (rs["batch of 1,000"] / rs["new customer"],
             rb["batch of 1,000"] / rb["new customer"]))

    # Instructions, not seconds: the same on any load (valgrind).
    if shutil.which("valgrind"):
        ir = {}
        for name, d in (("small", small), ("big", big)):
            out = os.path.join(WORK, "cg.%s" % name)
            subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + out,
                            BIN + "/appt-list", DAY, "-o", "csv"], env=dict(ENV, APPT_DIR=d),
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            with open(out) as f:
                ir[name] = int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))
        print("day listing, instructions (callgrind): %d and %d: %.2fx"
              % (ir["small"], ir["big"], ir["big"] / ir["small"]))
        # A new customer's booking, in a copy: the second after a first
        # one, as in a run of bookings.
        for name, d in (("small", small), ("big", big)):
            w = d + "-copy"
            shutil.rmtree(w, ignore_errors=True)
            shutil.copytree(d, w)
            time.sleep(2.1)
            for i in range(2):
                argv = [BIN + "/appt-book", "-s", "cut", "--name", "Counted %d" % i,
                        "--email", "counted%d@example.org" % i, "-w", "s%02d" % i,
                        "--at", NEXT + " 12:00", "--no-notify"]
                out = os.path.join(WORK, "cg.book.%s" % name)
                subprocess.run(["valgrind", "--tool=callgrind",
                                "--callgrind-out-file=" + out] + argv,
                               env=dict(ENV, APPT_DIR=w), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, check=True)
            with open(out) as f:
                ir[name] = int(re.search(r"^summary: (\d+)", f.read(), re.M).group(1))
            shutil.rmtree(w)
        print("new customer, instructions (callgrind): %d and %d: %.2fx"
              % (ir["small"], ir["big"], ir["big"] / ir["small"]))

    rem = remind_file(big)
    tr = statistics.median(
        timed(["remind", "-q", rem, DAY], big) for _ in range(3))
    print("\nday query on the large store: appt-list %.1f ms, remind -q %.1f ms: %.0fx faster"
          % (rb["day listing"] * 1e3, tr * 1e3, tr / rb["day listing"]))

    r = subprocess.run(["/usr/bin/time", "-v", BIN + "/appt-list", "all", "-o", "csv"],
                       env=dict(ENV, APPT_DIR=big), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    rows = r.stdout.count("\n") - 1
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    print("appt-list all -o csv: %d rows, peak RSS %.1f MB" % (rows, rss / 1024))

    # appt-check reads every file: n log n in the size of the store.
    tc = {}
    for name, d in (("small", small), ("big", big)):
        tc[name] = statistics.median(timed([BIN + "/appt-check"], d) for _ in range(3))
    print("appt-check: %.0f ms and %.0f ms: %.0fx for 1,000x the appointments"
          % (tc["small"] * 1e3, tc["big"] * 1e3, tc["big"] / tc["small"]))

    # Flags: every customer of the large store against 10 and 10,000 flags.
    tf = {}
    for n in (10, 10000):
        with open(os.path.join(big, "flags.csv"), "w") as f:
            f.write("id,name,email,phone,address,postcode,reason,created\n")
            for i in range(1, n + 1):
                f.write("%d,Flagged Person %d,flag%d@example.org,+4915%08d,Flag Road %d,%05d,"
                        "no-show,2026-01-01T10:00+01:00\n" % (i, i, i, i, i, i % 99999))
        tf[n] = statistics.median(
            timed([BIN + "/appt-flag", "check", "-o", "csv"], big) for _ in range(3))
    print("appt-flag check, 100,000 customers: 10 flags %.0f ms, 10,000 flags %.0f ms: %.2fx"
          % (tf[10] * 1e3, tf[10000] * 1e3, tf[10000] / tf[10]))

    invoice_bench(small)
    calendar_bench(big)
    report_bench(big)


def report_bench(big):
    """A year's reports on the large store: month files one at a time."""
    for kind in ("no-shows", "utilisation", "customers"):
        r = subprocess.run(["/usr/bin/time", "-v", BIN + "/appt-report", "-b", "month",
                            "-o", "csv", "2025-06-15..2026-06-14", kind],
                           env=dict(ENV, APPT_DIR=big), stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE, text=True)
        if r.returncode != 0:
            sys.exit("bench: appt-report %s failed: %s" % (kind, r.stderr))
        rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
        secs = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", r.stderr).group(1)
        print("appt-report of a year by month, %s: %s, peak RSS %.1f MB"
              % (kind, secs, rss / 1024))


def busy_calendar(path):
    """Five years of weekly and daily rules and 5,000 single events."""
    L = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//appt//bench//EN"]
    rules = [("WEEKLY;BYDAY=MO", "0730", "0800"), ("WEEKLY;BYDAY=WE", "1900", "2000"),
             ("WEEKLY;BYDAY=FR;INTERVAL=2", "0700", "0745"),
             ("DAILY", "0600", "0630"), ("DAILY;INTERVAL=3", "2030", "2100")]
    for k, (rule, a, b) in enumerate(rules):
        L += ["BEGIN:VEVENT", "UID:rule-%d@bench" % k, "DTSTAMP:20210101T000000Z",
              "DTSTART;TZID=Europe/Berlin:20210615T%s00" % a,
              "DTEND;TZID=Europe/Berlin:20210615T%s00" % b,
              "RRULE:FREQ=%s;UNTIL=20261231T230000Z" % rule, "SUMMARY:Private", "END:VEVENT"]
    day = dt.date(2021, 6, 15)
    for j in range(5000):
        d = day + dt.timedelta(days=j * 1826 // 5000)
        L += ["BEGIN:VEVENT", "UID:one-%d@bench" % j, "DTSTAMP:20210101T000000Z",
              "DTSTART;TZID=Europe/Berlin:%sT%02d0000" % (d.strftime("%Y%m%d"), 6 + j % 3),
              "DTEND;TZID=Europe/Berlin:%sT%02d3000" % (d.strftime("%Y%m%d"), 6 + j % 3),
              "SUMMARY:Private", "END:VEVENT"]
    L.append("END:VCALENDAR")
    with open(path, "w", newline="") as f:
        f.write("\r\n".join(L) + "\r\n")


def calendar_bench(big):
    """appt-slots for a week with and without a large busy calendar, in a
    copy of the large store; the export of a year as a stream."""
    w = big + "-copy"
    shutil.rmtree(w, ignore_errors=True)
    shutil.copytree(big, w)
    week = NEXT + ".." + (dt.date.fromisoformat(NEXT) + dt.timedelta(days=6)).isoformat()
    slots = lambda i: [BIN + "/appt-slots", week, "-s", "cut"]
    plain = median(slots, w)
    cal = os.path.join(WORK, "busy.ics")
    busy_calendar(cal)
    subprocess.run([BIN + "/appt-ics", "-d", w, "busy", cal, "--name", "private"],
                   env=ENV, stdout=subprocess.DEVNULL, check=True)
    busy = median(slots, w)
    print("appt-slots for a week: %.1f ms, with a busy calendar of 5 years of rules and "
          "5,000 events %.1f ms: %.2fx" % (plain * 1e3, busy * 1e3, busy / plain))
    shutil.rmtree(w)
    r = subprocess.run(["/usr/bin/time", "-v", BIN + "/appt-ics", "export",
                        "2025-06-15..2026-06-14"], env=dict(ENV, APPT_DIR=big),
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if r.returncode != 0:
        sys.exit("bench: appt-ics export failed: " + r.stderr)
    events = r.stdout.count("BEGIN:VEVENT")
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", r.stderr).group(1))
    secs = re.search(r"Elapsed \(wall clock\) time.*: (\S+)", r.stderr).group(1)
    print("appt-ics export of a year: %d events in %s, peak RSS %.1f MB"
          % (events, secs, rss / 1024))


main()
