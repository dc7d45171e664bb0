#!/usr/bin/env python3
# Make the tables of lib/width.c from Python's unicodedata: run
#   python3 lib/width.py lib/width.c
# to replace the part between the BEGIN and END lines with the tables of
# the Unicode version of this Python.
import sys
import unicodedata as u

# The code points for which pred holds, as ranges; unassigned ones between
# two of them join the range, which keeps the table short.
def ranges(pred):
    out, start, last = [], None, None
    for c in range(0x110000):
        if pred(c):
            if start is None:
                start = c
            last = c
        elif start is not None and u.category(chr(c)) != "Cn":
            out.append((start, last))
            start = None
    if start is not None:
        out.append((start, last))
    return out

def zero(c):
    if 0x1160 <= c <= 0x11ff or 0xd7b0 <= c <= 0xd7ff or c == 0x200b:
        return True         # Hangul vowels and finals join the syllable
    if c == 0xad:
        return False        # the soft hyphen is shown
    return u.category(chr(c)) in ("Mn", "Me", "Cf")    # not Cn

def wide(c):
    if 0x20000 <= c <= 0x2fffd or 0x30000 <= c <= 0x3fffd:
        return True         # the CJK planes, assigned or not
    if u.category(chr(c)) == "Cn":
        return False
    return u.east_asian_width(chr(c)) in ("W", "F") and not zero(c)

def table(name, rs):
    lines = ["static const struct range %s[] = {" % name]
    row = ""
    for a, b in rs:
        item = "{ 0x%04x, 0x%04x }," % (a, b)
        if len(row) + len(item) + 1 > 72:
            lines.append(row.rstrip())
            row = ""
        row += ("\t" if not row else " ") + item
    if row:
        lines.append(row)
    lines.append("};")
    return lines

body = ["/* BEGIN tables: Unicode %s, made by lib/width.py */"
        % u.unidata_version]
body += table("zero", ranges(zero))
body += table("wide", ranges(wide))
body.append("/* END tables */")

path = sys.argv[1]
text = open(path, encoding="utf-8").read().split("\n")
a = next(i for i, l in enumerate(text) if l.startswith("/* BEGIN tables"))
b = next(i for i, l in enumerate(text) if l.startswith("/* END tables"))
text[a:b + 1] = body
open(path, "w", encoding="utf-8").write("\n".join(text))
