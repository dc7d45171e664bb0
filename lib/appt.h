/*
 * appt.h: the one public header of libappt, sectioned by file, each
 * file after those it builds on: helpers, files and formats, the data
 * directory, the business (catalogue, rules, people), the messages, and
 * the check of it all.
 *
 * Who owns what: a pointer a function returns or fills in is borrowed,
 * valid for as long as its comment says, and never freed by the caller,
 * unless the comment says "malloc'd" (the caller frees it with free(3))
 * or names the function that frees it (appt_strv_free for a vector of
 * strings). A struct a function fills (a table, a buffer, a list) is
 * the caller's, freed by its _free or _close; strings passed in are only
 * read during the call unless the comment says they are kept.
 */
#ifndef APPT_H
#define APPT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#define APPT_VERSION "0.1.0"

/* ---- util.c ---- */
/* Exit status, the same for every command (appt(7)). */
enum {
	APPT_OK = 0,
	APPT_EFAIL = 1,		/* the request could not be met */
	APPT_EUSAGE = 2,	/* usage error or invalid argument */
	APPT_EDATA = 3,		/* bad data in the data directory */
	APPT_EDELIVER = 4,	/* delivery failed */
	APPT_EBUSY = 5		/* the lock could not be had */
};
/* The command's name in messages: borrowed from argv[0], set once. */
extern const char *appt_progname;
void appt_setprog(const char *argv0);
void appt_die(int code, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 2, 3)));
void appt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* malloc(3) and its kin that exit 1 when memory runs out: malloc'd. */
void *xmalloc(size_t);
void *xcalloc(size_t, size_t);
void *xrealloc(void *, size_t);
void *xreallocarray(void *, size_t, size_t);
char *xstrdup(const char *);
char *xstrndup(const char *, size_t);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list)
    __attribute__((format(printf, 1, 0)));
/*
 * A growing string, zeroed to start. s is NUL-terminated once anything
 * was added, valid until the next add (it moves as it grows), and the
 * buffer's: freed by appt_buf_free, or taken by a caller that frees it.
 */
struct appt_buf {
	char *s;
	size_t len, cap;
};
void appt_buf_add(struct appt_buf *, const char *, size_t);
void appt_buf_adds(struct appt_buf *, const char *);
void appt_buf_addc(struct appt_buf *, int);
void appt_buf_addf(struct appt_buf *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void appt_buf_free(struct appt_buf *);
/* Checked close of stdout (sbase fshut): exits 1 if anything failed. */
void appt_exit(int code) __attribute__((noreturn));
int appt_empty(const char *);		/* NULL or "" */
/*
 * UTF-8 as RFC 3629 has it: no overlong form, surrogate or code point
 * past U+10FFFF. The length of the character at s (of at most n bytes),
 * 0 if none valid starts there; is s[0..n) valid; the line (from 1) of
 * the first invalid byte, 0 if there is none.
 */
size_t appt_utf8_len(const char *s, size_t n);
int appt_utf8_valid(const char *s, size_t n);
long appt_utf8_badline(const char *s, size_t n);
/* Not UTF-8, or a control character (tab aside) that may not reach a field. */
int appt_bad_text(const char *);
/*
 * Why a value given as input (an option, a field of a "-" row) is
 * refused: not UTF-8, or any control character, tab included. NULL if
 * fine. Static strings.
 */
const char *appt_input_bad(const char *);
/* Refuse such a value, or one over 64 KiB, in an option (exit 2). */
void appt_check_arg(const char *what, const char *value);
/* Checked number parsing, base 10 only; 0 on success. */
int appt_parse_long(const char *, long min, long max, long *out);
/* The largest id of any table (appointments, customers, flags). */
#define APPT_ID_MAX 999999999999L
/* An id: a whole number from 1 to APPT_ID_MAX. 0, or -1 if not one. */
int appt_parse_id(const char *, long *out);
/*
 * Is word one of the items of list, items separated by any of seps
 * (blanks around an item do not count)? Case-insensitive when icase.
 */
int appt_word_in(const char *list, const char *seps, const char *word,
    int icase);
/* Usage from the man page's SYNOPSIS; exits 2 (0 when to stdout). */
void appt_usage(const char *synopsis, int tostdout) __attribute__((noreturn));
void appt_version(void) __attribute__((noreturn));
/*
 * The options every command takes, for the default of its getopt switch:
 * -d DIR into *dir, -o FMT into *fmt (NULL when the command has no -o),
 * -h and -V print and exit 0, anything else is a usage error (exit 2).
 * The values are borrowed from argv.
 */
void appt_opt(int c, const char *arg, const char *synopsis, const char **dir,
    const char **fmt);
/*
 * The one operand a command may take after its options (from getopt's
 * optind on): borrowed from argv, dflt when there is none. More than one
 * is a usage error.
 */
const char *appt_operand(int argc, char *argv[], const char *dflt,
    const char *synopsis);
/*
 * For a command with subcommands, once getopt has read the options before
 * one: its name (borrowed; none is a usage error), with argc and argv left
 * for getopt to read the options after it.
 */
const char *appt_subcommand(int *argc, char ***argv, const char *synopsis);
/* qsort comparison of longs. */
int appt_cmplong(const void *, const void *);
/* FNV-1a, 64 bits, of a string: the key of the derived indexes. */
long long appt_hash64(const char *);
/*
 * bsearch(3) for the first of the elements equal to key: an element of
 * base, or NULL if none.
 */
void *appt_bsearch_first(const void *key, const void *base, size_t n,
    size_t size, int (*cmp)(const void *key, const void *elem));
/*
 * A whole file, NUL-terminated (len may be NULL): malloc'd. NULL if
 * unreadable.
 */
char *appt_slurp(const char *path, size_t *len);
/*
 * rel in the directory of share/appt: $APPT_SHARE, beside the binary, or
 * PREFIX. malloc'd.
 */
char *appt_sharepath(const char *rel);

/* ---- run.c ---- */
/*
 * A program's argv, NULL-ended, zeroed to start: the words of a
 * configured command split at blanks (no quoting, no shell), and single
 * arguments after them. The strings are copies, the argv's own: free
 * with appt_argv_free.
 */
struct appt_argv {
	char **v;
	size_t n;
};
void appt_argv_split(struct appt_argv *, const char *cmd);
void appt_argv_add(struct appt_argv *, const char *arg);
void appt_argv_free(struct appt_argv *);
/*
 * How to run a program and how it ended. in (inlen bytes) is its stdin,
 * fed while its output is read; NULL: it has ours. out and err (the
 * caller's, added to) collect its stdout and its stderr (the first
 * 64 KiB); NULL: it has ours, or /dev/null for stdout with
 * APPT_RUN_NOOUT.
 */
enum { APPT_RUN_NOOUT = 1 };
struct appt_run {
	const char *in;
	size_t inlen;
	struct appt_buf *out, *err;
	int flags;
	int status;		/* exit status, 128 + sig if killed, -1 */
	int sig;		/* the signal that killed it, else 0 */
	char why[256];		/* what went wrong, "" if it exited 0 */
};
/*
 * fork, execvp argv and wait: its exit status, 128 + the signal that
 * killed it, or -1 if it could not be run. why says which unless 0; a
 * program not found exits 127, saying so on its stderr.
 */
int appt_run(struct appt_run *, char *const *argv);

/* ---- csv.c ---- */
#define APPT_CSV_FIELDMAX (64 * 1024)
struct appt_row {
	long line;	/* line of the record in its file, 0 if new */
	const char *file;	/* its file's label if not the table's */
	char *blk;	/* one block holding the fields as read */
	size_t blen;
	char **f;	/* ncol fields, never NULL */
};
/*
 * A table owns its columns, rows and fields: free it with
 * appt_table_free (one zeroed, or left by a failed read, too).
 */
struct appt_table {
	char *path;	/* file on disk */
	char *label;	/* name in messages: customers.csv */
	size_t ncol;
	char **col;
	size_t nrow, cap;
	struct appt_row *row;
	int missing;	/* the file did not exist */
	char **files;	/* the labels of rows taken from other tables */
	size_t nfile;
};
/*
 * Called for each record of a file, the header included (line 1): f, n
 * fields, is valid only during the call. Nonzero stops the stream.
 */
typedef int (*appt_csv_cb)(void *ctx, size_t n, char **f, long line);
/*
 * Parse a whole stream strictly. Returns 0, or -1 with *err set to
 * "label:line: what" (malloc'd).
 */
int appt_csv_stream(FILE *, const char *label, appt_csv_cb, void *ctx,
    char **err);
/*
 * The same from byte *recoff of the stream (where fp stands), keeping in
 * *recoff the offset of the record being delivered.
 */
int appt_csv_stream_at(FILE *, const char *label, appt_csv_cb, void *ctx,
    char **err, long long *recoff);
/*
 * Read a table. known lists the columns the caller needs (NULL-ended);
 * missing ones are appended. A file that does not exist reads as empty
 * unless mustexist. Returns 0, or -1 with *err (malloc'd) and t empty.
 */
int appt_table_read(struct appt_table *, const char *path, const char *label,
    const char *const *known, int mustexist, char **err);
/*
 * The same, keeping only the records that hold one of the needles (or a
 * quote): a fast read of a few days of a month. Never for a table that
 * will be written back.
 */
int appt_table_read_where(struct appt_table *, const char *path,
    const char *label, const char *const *known, int mustexist,
    const char *const *needles, char **err);
/*
 * The number of records of a CSV file after its header (0 if it is not
 * there), counted without parsing a file of plain lines. -1 with *err
 * (malloc'd) if it cannot be read or does not parse.
 */
long appt_csv_count(const char *path, const char *label, char **err);
/* The same of the file open as fp, from where it stands. */
int appt_table_read_fp(struct appt_table *, FILE *fp, const char *path,
    const char *label, const char *const *known, char **err);
/*
 * Read "-" input (stdin, "stdin" in messages) as a table. Unlike a file,
 * a record whose text is not UTF-8 is kept, for the caller to report and
 * skip (appt_row_badutf8); a header that is not is an error.
 */
int appt_table_read_input(struct appt_table *, char **err);
/*
 * The header of the CSV file open as fp alone, with the checks of
 * appt_table_read: t gets its columns and no rows. 0, or -1 with *err.
 */
int appt_table_read_head(struct appt_table *, FILE *, const char *path,
    const char *label, char **err);
/*
 * The one record that starts at byte off of fp, added as a row of t (its
 * header read from that file by appt_table_read_head). *end (may be NULL)
 * gets the offset after the record. 0, or -1 with *err naming its line.
 */
int appt_table_read_at(struct appt_table *, FILE *, long long off,
    long long *end, char **err);
/*
 * The name of the column of the first field of r that is not UTF-8, or
 * NULL: borrowed until the table is freed.
 */
const char *appt_row_badutf8(const struct appt_table *,
    const struct appt_row *);
/* An empty table of the known columns; path and label are copied. */
void appt_table_init(struct appt_table *, const char *path, const char *label,
    const char *const *known);
void appt_table_free(struct appt_table *);
/*
 * Move the rows of src to the end of dst, in dst's columns (src's others
 * are dropped, those it lacks are empty), each keeping its line and its
 * file's label for messages (appt_row_label); src is freed.
 */
void appt_table_take(struct appt_table *dst, struct appt_table *src);
/* The label of the file row r came from: "invoices/2026/invoices.csv". */
const char *appt_row_label(const struct appt_table *,
    const struct appt_row *);
long appt_col(const struct appt_table *, const char *name); /* -1 if absent */
/*
 * Field of a row by column name ("" for an absent column): borrowed,
 * valid until that field is set again (appt_set), the row removed
 * (appt_table_remove) or the table freed.
 */
const char *appt_get(const struct appt_table *, const struct appt_row *,
    const char *name);
/*
 * Set a field to a copy of value, adding the column when new; a NULL row
 * adds the column. value may not be the field it replaces.
 */
void appt_set(struct appt_table *, struct appt_row *, const char *name,
    const char *value);
/*
 * A new row at the end, every field empty. A row pointer into a table
 * (this one, appt_row_byid's, any &t->row[i]) is valid until the next
 * appt_table_add or appt_table_remove on it; its fields outlast the
 * former.
 */
struct appt_row *appt_table_add(struct appt_table *);
/* The row whose id is the number id: exit 2 if not a number, 1 if none. */
struct appt_row *appt_row_byid(struct appt_table *, const char *id,
    const char *what);
void appt_table_remove(struct appt_table *, size_t i);
int appt_table_write(const struct appt_table *, FILE *);
void appt_csv_field(FILE *, const char *, int sep);
void appt_csv_record(FILE *, size_t n, const char *const *f, int sep);

/* ---- config.c ---- */
struct appt_config {
	void *dict;		/* iniparser dictionary */
	char *path;
	size_t nkey;
	char **key;		/* "section:key" */
	long *line;
};
/*
 * Load and syntax-check config.ini; a missing file is an empty config.
 * 0, or -1 with *err (malloc'd). Free with appt_config_free, after a
 * failed load too.
 */
int appt_config_load(struct appt_config *, const char *path, char **err);
void appt_config_free(struct appt_config *);
/*
 * The string value of key ("section:key"), or def when absent or empty:
 * borrowed until appt_config_free.
 */
const char *appt_cfg(const struct appt_config *, const char *key,
    const char *def);
long appt_cfg_line(const struct appt_config *, const char *key);
/* Parsed values; exit 3 with config.ini:LINE on a bad value. */
long appt_cfg_dur(const struct appt_config *, const char *key,
    const char *def);
int appt_cfg_bool(const struct appt_config *, const char *key, int def);
/* yes, true, on, 1 (1) or no, false, off, 0 (0), in any case; else -1. */
int appt_parse_bool(const char *);
int appt_cfg_durs(const struct appt_config *, const char *key,
    const char *def, long *out, int max);
/* "09:00-12:30, 13:30-18:00" or "closed": count of intervals, or -1. */
int appt_parse_hours(const char *, int *start, int *end, int max);
/*
 * The working plan of a staff member (NULL: the business) on a weekday
 * (0 = Sunday): [hours.ID] for the days it names, else [hours]; without
 * any [hours], mon-fri 09:00-17:00. Returns the interval count.
 */
int appt_staff_hours(const struct appt_config *, const char *staff,
    int wday, int *start, int *end, int max);
/*
 * Every problem of the known keys, one "file:line: problem" per call
 * of report (the string valid during the call): how many.
 */
int appt_config_validate(const struct appt_config *,
    void (*report)(void *, const char *), void *ctx);

/* ---- when.c ---- */
/* Minutes as the unit of durations; times are time_t. */
/*
 * Make name (an IANA zone; NULL or "": $TZ, else the system's) the zone of
 * the process and check that the C library really loaded it. 0, or -1 with
 * why (which zone, which file, what to install) in the caller's buffer.
 */
int appt_tz_set(const char *name, char *why, size_t len);
time_t appt_now(void);			/* honours APPT_NOW */
int appt_parse_dur(const char *, long *minutes);
/*
 * A time argument: 0, or -1 with *err (a static string) naming the
 * problem. *ambiguous (may be NULL) is set for a time that occurs twice
 * (fall-back).
 */
int appt_parse_when(const char *, time_t now, time_t *out, const char **err,
    int *ambiguous);
/* A stored ISO 8601 time with or without offset. */
int appt_parse_iso(const char *, time_t *out);
/* A time, or a date alone: its start, or with isend the next day's. */
int appt_parse_stamp(const char *, int isend, time_t *out);
/* A range: [*from, *to); on -1, *err (a static string) says why. */
int appt_parse_range(const char *, time_t now, time_t *from, time_t *to,
    const char **err);
/* Local midnight of the day y-m-d (1-based), -1 if impossible. */
time_t appt_day_start(int y, int m, int d);
/*
 * Local y-m-d H:M: 0, -1 for no such date, -2 for a time skipped by a
 * DST change; *ambig (may be NULL) when it occurs twice (first taken).
 */
int appt_mklocal(int y, int m, int d, int H, int M, time_t *out, int *ambig);
void appt_adddays(int *y, int *m, int *d, int n);
int appt_valid_date(int y, int m, int d);
/* "2026-11-24T09:00+01:00" into buf: buf. */
#define APPT_TIMELEN 32
char *appt_fmt_time(time_t, char buf[APPT_TIMELEN]);
/* Local y, m (1-12), d and minute of day. */
void appt_local(time_t, int *y, int *m, int *d, int *wday, int *min);
/* Wrap appt_parse_when for an option: exit 2 with a message on error. */
time_t appt_arg_when(const char *what, const char *s, time_t now);

/* ---- money.c ---- */
int appt_currency_digits(const char *code);
int appt_money_parse(const char *, int digits, long long *minor);
/* An amount in minor units as "45.00" into buf: buf. */
char *appt_money_fmt(long long minor, int digits, char buf[32]);
/*
 * A service's price as a booking records it: with the currency's minor
 * digits (45 and 45.0 are 45.00), "" for none. -1 if it is not an
 * amount, -2 if it is negative.
 */
int appt_price_norm(const char *, int digits, char out[32]);

/* ---- norm.c ---- */
int appt_email_valid(const char *);
/* Lowercase, +tag dropped, Gmail dots dropped: malloc'd. */
char *appt_norm_email(const char *);
/* E.164 "+4917112345678" into out; -1 if it is not a phone number. */
int appt_norm_phone(const char *, const char *country, char *out, size_t n);
int appt_country_known(const char *);
/*
 * Names as words: case, accents, punctuation, spacing and word order
 * ignored. Addresses the same in their order, street types in one short
 * form. malloc'd.
 */
char *appt_norm_name(const char *);
char *appt_norm_address(const char *);

/* ---- width.c ---- */
/* Columns of a terminal s takes: combining marks 0, wide (CJK) 2. */
size_t appt_width(const char *s);
/*
 * Add s to b in at most w columns, cut with an ellipsis (U+2026) when
 * it is wider; a control character shows as a space, a byte that is not
 * UTF-8 as U+FFFD. Returns the columns added.
 */
size_t appt_buf_addw(struct appt_buf *b, const char *s, size_t w);

/* ---- output.c ---- */
enum { APPT_OUT_TABLE, APPT_OUT_CSV, APPT_OUT_TSV, APPT_OUT_JSON };
/*
 * Rows out in a format: appt_out_begin copies the column names, and a
 * table buffers copies of the rows (for widths); appt_out_end prints
 * what is buffered and frees it all.
 */
struct appt_out {
	int fmt;
	int color;
	size_t ncol;
	char **col;
	size_t nrow, cap;
	char ***rows;		/* table only: buffered for widths */
	int *mark;
	const char *fit;	/* appt_out_fit */
};
int appt_out_parse(const char *);	/* -1 if unknown */
int appt_out_arg(const char *);		/* the same, exit 2 if unknown */
void appt_out_begin(struct appt_out *, int fmt, size_t ncol,
    const char *const *col);
/* mark: show the row highlighted (red) on a terminal. */
void appt_out_row(struct appt_out *, const char *const *f, int mark);
void appt_out_end(struct appt_out *);
/* Print a table's rows (all columns) in the chosen output format. */
void appt_print_table(const struct appt_table *, int fmt,
    const size_t *rows, size_t nrows);
/*
 * How a table gives way on a terminal narrower than it, so that no row
 * wraps. spec (borrowed until appt_out_end) names columns from the least
 * useful on, as "notes email | customer_name start:17". While the table is
 * too wide, columns are dropped: first those empty in every row, then those
 * spec does not name (from the right), then those before the "|", in
 * order. Then those after it that have a :N are cut with an ellipsis,
 * the widest first, down to N columns each, and when that is not enough
 * those after the "|" are dropped one at a time, in order, and the cutting
 * tried again. Without a spec every column but the first goes, from the
 * right. What is left when nothing else fits is cut to the width.
 */
void appt_out_fit(struct appt_out *, const char *spec);
/* A JSON object of n keys and their values, all strings (NULL as ""). */
void appt_json_obj(FILE *, size_t n, const char *const *key,
    const char *const *val);
/* The terminal's width: $COLUMNS, else stdout's; 0 if not a terminal. */
size_t appt_termwidth(void);
/* Print b with its trailing spaces trimmed and a newline; empty b. */
void appt_out_line(FILE *, struct appt_buf *b);

/* ---- store.c ---- */
/*
 * An open data directory and its config, until appt_store_close. country
 * is borrowed from cfg.
 */
struct appt_store {
	char *dir;
	int dirfd;
	int lockfd;
	struct appt_config cfg;
	const char *country;
	int digits;		/* the currency's minor digits */
};
/*
 * -d, else $APPT_DIR, else $XDG_DATA_HOME/appt, else ~/.local/share/appt:
 * malloc'd.
 */
char *appt_datadir(const char *opt);
/* Open an existing data directory and its config; exits 3 on bad data. */
void appt_store_open(struct appt_store *, const char *dir);
/* The same for the directory of -d opt (NULL: appt_datadir's default). */
void appt_store_opendir(struct appt_store *, const char *opt);
/* The same, going on with an empty config when config.ini is bad. */
void appt_store_opendir_lax(struct appt_store *, const char *opt);
void appt_store_close(struct appt_store *);
/*
 * An exclusive flock(2) on rel (made 0600, and its folder, if missing),
 * waiting up to 30 s ($APPT_LOCK_WAIT): the descriptor, closed to let go.
 * Exits 5 with "DIR: busy: holder held the lock for 30s".
 */
int appt_flock(const struct appt_store *, const char *rel,
    const char *holder);
/*
 * The lock of the data directory (.lock, appt_flock); taking it removes
 * stale temporaries and mends a move cut short.
 */
void appt_lock(struct appt_store *);
void appt_unlock(struct appt_store *);
/* DIR/rel: malloc'd. */
char *appt_path(const struct appt_store *, const char *rel);
/* Atomically replace rel with what fn writes. 0 or -1 (errno). */
int appt_replace(const struct appt_store *, const char *rel,
    int (*fn)(FILE *, void *), void *ctx);
/*
 * The same in two halves, so that several files are all written before
 * any is renamed. appt_replace_begin writes what fn writes to a hidden
 * temporary and syncs it: NULL (errno) if that fails, the temporary
 * removed. appt_replace_end renames it over rel and syncs the directory:
 * 0, or -1 (errno); appt_replace_abort removes it (NULL is fine). Either
 * frees it.
 */
struct appt_pending;
struct appt_pending *appt_replace_begin(const struct appt_store *,
    const char *rel, int (*fn)(FILE *, void *), void *ctx);
int appt_replace_end(struct appt_pending *);
void appt_replace_abort(struct appt_pending *);
/*
 * Atomically replace rel with a copy of the file open as fd (rel as read
 * under the lock) in which each edit's len bytes at off are replaced by
 * its n bytes of text (off at the end and len 0: an addition). The edits
 * are in file order and do not overlap. The bytes between them are
 * copied in the kernel (copy_file_range), never parsed, so that a small
 * change does not cost the size of the file. st (may be NULL) gets the
 * new file's status. 0 or -1 (errno), the old file kept.
 */
struct appt_edit {
	long long off, len;
	const char *text;	/* borrowed for the call */
	size_t n;
};
struct stat;
int appt_replace_edits(const struct appt_store *, const char *rel, int fd,
    const struct appt_edit *, size_t n, struct stat *st);
/*
 * Rows of t (the n of rows, or with rows NULL the first n) into the CSV
 * file rel without reading or rewriting the rest (appt_replace_edits), in
 * the order of the file's header, found by name (a column of the file
 * that t lacks is empty): row i in place of the record that starts at
 * byte at[i], or with at[i] < 0 added at the end. Replaced records come
 * in file order. newat (the caller's, may be NULL) gets where each row's
 * record starts in the new file. fp is rel open for reading, or NULL.
 * 0; -1 (errno) on a
 * failed write, the old file kept; 1 when the file cannot be written so
 * and is to be rewritten whole (appt_table_save): it is missing or
 * empty, begins with a byte order mark, ends in CRLF, or a row has a
 * value in a column its header lacks. Exits 3 on a header or a record at
 * at[i] that does not parse, or a file that does not end in a newline.
 */
int appt_csv_put(const struct appt_store *, const char *rel, FILE *fp,
    const struct appt_table *t, const size_t *rows, const long long *at,
    size_t n, struct stat *st, long long *newat);
/* The same with every row added at the end (rows NULL: all of t's). */
int appt_csv_append(const struct appt_store *, const char *rel, FILE *fp,
    const struct appt_table *t, const size_t *rows, size_t n,
    struct stat *st);
/* Save a table to rel atomically; exits 1 on a failed write. */
void appt_table_save(const struct appt_store *, const struct appt_table *,
    const char *rel);
/* Read a data file of a known schema into t; exits 3 on bad data. */
void appt_load(const struct appt_store *, struct appt_table *, const char *rel);
/* The next never-used id of a table (ids.csv), saved before use. */
long appt_next_id(const struct appt_store *, const char *table,
    const struct appt_table *t);
/*
 * Ids for many rows, written down once: ids.csv read at open (under the
 * lock), ids taken from it in memory, and saved before any file that
 * uses them is written (a batch of bookings writes it once). Close with
 * appt_ids_close (NULL is fine).
 */
struct appt_ids;
struct appt_ids *appt_ids_open(const struct appt_store *);
void appt_ids_close(struct appt_ids *);
/*
 * n ids in a row of table ("customers", "appointments"): the first. Never
 * one at or below an id of t (may be NULL; each table is looked through
 * once) or, for appointments, of any month file.
 */
long appt_ids_take(struct appt_ids *, const char *table,
    const struct appt_table *t, long n);
/*
 * No id of table at or below inuse, which the caller knows to be in use
 * (in the file where, for the warning when ids.csv is behind it).
 */
void appt_ids_floor(struct appt_ids *, const char *table, long inuse,
    const char *where);
/* Write ids.csv if ids were taken since; exits 1 on a failed write. */
void appt_ids_save(struct appt_ids *);
/*
 * Remove the temporaries of appt_replace a killed writer left in folder
 * sub (NULL: the data directory), under the lock that guards its writes.
 */
void appt_remove_stale(const struct appt_store *, const char *sub);
/*
 * A move of appointment id between month files is under way (.move);
 * done when both are written. appt_lock mends one cut short.
 */
void appt_intent_move(const struct appt_store *, const char *id,
    const char *oldrel, const char *newrel);
void appt_intent_done(const struct appt_store *);
/*
 * The appointment files (appointments/YYYY-MM.csv, relative) for the
 * months that [from, to) touches, or every one there is when from == to.
 * Only existing files are listed, in order. Free with appt_strv_free.
 */
size_t appt_month_files(const struct appt_store *, time_t from, time_t to,
    char ***out);
/* Free a vector of n malloc'd strings (NULL with 0 is fine). */
void appt_strv_free(char **, size_t);

/* ---- schema.c ---- */
/*
 * The columns of each data file at the top of the data directory (those
 * appt-init makes); static, like every string here.
 */
struct appt_schema {
	const char *file;
	const char *const *cols;
};
extern const struct appt_schema appt_schemas[];
/*
 * The columns of a file (NULL-ended), NULL for a file of no schema: those
 * above, a month file and the three of the invoice store.
 */
const char *const *appt_schema_cols(const char *file);
/* How a table of the file gives way on a narrow terminal (appt_out_fit). */
const char *appt_schema_fit(const char *file);
extern const char *const appt_appt_cols[];
/* appointments/YYYY-MM.csv for a time: malloc'd. */
char *appt_month_file(time_t);
/*
 * The statuses of an appointment. Final ones (done, cancelled, no-show)
 * change only with --force; active ones (booked, confirmed) are still to
 * come: reminders, flags, moves.
 */
int appt_status_valid(const char *);
int appt_status_final(const char *);
int appt_status_active(const char *);
/*
 * "booked, confirmed, ..., no-show", in the order of an appointment's
 * day, into buf, for messages: buf.
 */
#define APPT_STATUSLEN 96
char *appt_status_list(char *buf, size_t n);
/*
 * Appointment r's start, end, staff or status changed at now: updated is
 * now, and seq, its change counter (empty or absent is 0), one more; the
 * column is added when the file has none. Exits 3 on a bad seq.
 */
#define APPT_SEQMAX APPT_ID_MAX
void appt_appt_changed(struct appt_table *, struct appt_row *, time_t now);

/* ---- months.c ---- */
/*
 * The month files of appointments (appointments/YYYY-MM.csv), each read
 * once and kept until the months are closed, changed in memory and saved
 * when the caller says. Which months can hold an appointment overlapping
 * a time comes from each file's latest start or end, longest appointment
 * and highest id: from .months.idx (derived, safe to delete), or from the
 * file when that has changed since; read once one of appt_months_over,
 * _longest or _maxid needs it, which exits 3 on a month file that does
 * not parse. The store is borrowed: it must outlive them. Close with
 * appt_months_close (NULL is fine).
 */
struct appt_months;
struct appt_months *appt_months_open(const struct appt_store *);
void appt_months_close(struct appt_months *);
/*
 * The table of month file rel (appointments/2026-11.csv), of the month
 * of a time: read once, exits 3 on bad data. Borrowed: valid until the
 * months are closed. A row pointer into it is valid until the next
 * appt_table_add or appt_table_remove on it, or appt_months_move.
 */
struct appt_table *appt_months_table(struct appt_months *, const char *rel);
struct appt_table *appt_months_at(struct appt_months *, time_t);
/*
 * Appointment id: from the month of hint (a start time, may be NULL),
 * else from the months nearest now outward, its table in *t. NULL if
 * there is none. Both borrowed as appt_months_table's are.
 */
struct appt_row *appt_months_find(struct appt_months *, const char *id,
    const char *hint, struct appt_table **t);
/* Table t of these months has changed: appt_months_save writes it. */
void appt_months_changed(struct appt_months *, const struct appt_table *t);
/*
 * Write the changed months: every one written and synced before any is
 * renamed, so that a failed write changes none of them; then renamed,
 * those a row moved to first, then the others in the order read. Exits 1
 * on a failed write.
 */
void appt_months_save(struct appt_months *);
/*
 * Row r of *t to the month file of its start, if that is another: the
 * row is added there and removed from *t, both marked changed, and the
 * move written down first (.move), so that a crash before both are
 * saved is mended (appt_lock). *t becomes the new table; the row there
 * is returned, and r and other row pointers into either table are no
 * longer valid. r itself when it stays.
 */
struct appt_row *appt_months_move(struct appt_months *, struct appt_table **t,
    struct appt_row *r);
/* A count that goes up at every change, for what is worked out of them. */
unsigned long appt_months_version(const struct appt_months *);
/*
 * Row r was added to table t of these months: as appt_months_changed,
 * but what is worked out of them can take in the row alone.
 */
void appt_months_added(struct appt_months *, const struct appt_table *t,
    const struct appt_row *r);
/*
 * How many rows were added since version v, when nothing but rows added
 * changed them since; else -1. appt_months_added_row gives the i-th of
 * those, from 0, the oldest: the row, borrowed as appt_months_table's
 * rows are, and its table in *t.
 */
long appt_months_added_since(const struct appt_months *, unsigned long v);
const struct appt_row *appt_months_added_row(const struct appt_months *,
    unsigned long v, size_t i, const struct appt_table **t);
/*
 * The month files that can hold an appointment overlapping [from, to):
 * those of the months from from's to to's, and every earlier one whose
 * latest end, plus slack seconds, is after from. In order; free with
 * appt_strv_free.
 */
size_t appt_months_over(struct appt_months *, time_t from, time_t to,
    long slack, char ***out);
/* The longest appointment of month file rel, in seconds. */
long long appt_months_longest(struct appt_months *, const char *rel);
/*
 * The highest id in any month file; *where (may be NULL) names its file,
 * borrowed until the months are closed.
 */
long appt_months_maxid(struct appt_months *, const char **where);

/* ---- catalog.c ---- */
/*
 * services.csv, staff.csv and closures.csv, read once (exits 3 on bad
 * data). Every pointer and string it gives is borrowed: valid until the
 * catalogue is closed. Close with appt_catalog_close (NULL is fine).
 */
struct appt_catalog;
struct appt_service;		/* a row of services.csv */
struct appt_staff;		/* a row of staff.csv */
struct appt_catalog *appt_catalog_open(const struct appt_store *);
void appt_catalog_close(struct appt_catalog *);
/* Services in the order of services.csv: i from 0 to the count. */
size_t appt_service_count(const struct appt_catalog *);
const struct appt_service *appt_service_at(const struct appt_catalog *,
    size_t i);
/* A service by id, else by name, in any case; NULL if none. */
const struct appt_service *appt_service_find(const struct appt_catalog *,
    const char *key);
/*
 * The same for what an option or a column (what: "-s", "service") gives:
 * NULL with "-s perm: no such service" (or "-s: empty") in why.
 */
const struct appt_service *appt_service_arg(const struct appt_catalog *,
    const char *what, const char *key, char *why, size_t whylen);
const char *appt_service_id(const struct appt_service *);
const char *appt_service_name(const struct appt_service *);
/* Duration and buffers in minutes (each may be NULL); exits 3 if bad. */
void appt_service_times(const struct appt_service *, long *dur,
    long *before, long *after);
/* Its recall in minutes, 0 for none; exits 3 if bad. */
long appt_service_recall(const struct appt_service *);
/*
 * The price as a booking records it (appt_price_norm) into out: 0, or
 * APPT_EDATA with "services.csv:LINE: price ..." in why.
 */
int appt_service_price(const struct appt_service *, int digits,
    char out[32], char *why, size_t whylen);
/* May staff (an id) do the service? Its staff list, or anyone. */
int appt_service_allows(const struct appt_service *, const char *staff);
/* Staff in the order of staff.csv, and found as services are. */
size_t appt_staff_count(const struct appt_catalog *);
const struct appt_staff *appt_staff_at(const struct appt_catalog *,
    size_t i);
const struct appt_staff *appt_staff_find(const struct appt_catalog *,
    const char *key);
/* "-w bob: no such staff member" in why when NULL. */
const struct appt_staff *appt_staff_arg(const struct appt_catalog *,
    const char *what, const char *key, char *why, size_t whylen);
const char *appt_staff_id(const struct appt_staff *);
const char *appt_staff_name(const struct appt_staff *);
const char *appt_staff_email(const struct appt_staff *);
/*
 * Any column of a staff member's row, "" when absent (mobile, lat, lon);
 * *line (may be NULL) gets the row's line in staff.csv.
 */
const char *appt_staff_col(const struct appt_staff *, const char *col,
    long *line);
/*
 * Closure i (from 0 to the count): [*a, *b) and whose (*staff, "" for
 * everyone). Exits 3 on a start or end that is not a time or date.
 */
size_t appt_closure_count(const struct appt_catalog *);
void appt_closure_at(const struct appt_catalog *, size_t i, time_t *a,
    time_t *b, const char **staff);

/* ---- avail.c ---- */
enum {
	APPT_SLOT_FREE = 0, APPT_SLOT_TAKEN, APPT_SLOT_STAFF, APPT_SLOT_CLOSED,
	APPT_SLOT_HOURS, APPT_SLOT_GRID, APPT_SLOT_NOTICE, APPT_SLOT_HORIZON
};
/*
 * The rules of [booking], over a catalogue and the months, which it
 * borrows with the store and only reads: all three must outlive it. now
 * is the time notice and horizon count from. Close with
 * appt_avail_close (NULL is fine).
 */
struct appt_avail;
struct appt_avail *appt_avail_open(const struct appt_store *,
    const struct appt_catalog *, struct appt_months *, time_t now);
void appt_avail_close(struct appt_avail *);
/*
 * Can svc start at start with staff? APPT_SLOT_FREE, or why not (and
 * a sentence in why). force passes all but an overlap; ignore is an
 * appointment id that does not count (the one being moved). What the
 * months hold now counts, changes since the last call included.
 */
int appt_avail_check(struct appt_avail *, const struct appt_service *svc,
    const char *staff, time_t start, int force, long ignore, char *why,
    size_t whylen);
/*
 * Every free start in [from, to) (within notice and horizon), by start
 * then staff in the order of staff.csv, to cb until it returns nonzero;
 * staff (an id, NULL for anyone) borrowed from the catalogue. The count.
 */
int appt_avail_slots(struct appt_avail *, const struct appt_service *svc,
    const char *staff, time_t from, time_t to,
    int (*cb)(void *, time_t start, time_t end, const char *staff),
    void *ctx);
/*
 * The first free start from from within the horizon, with staff (NULL:
 * anyone who does svc): 0 with *start and *who (borrowed from the
 * catalogue), or -1 if there is none.
 */
int appt_avail_first(struct appt_avail *, const struct appt_service *svc,
    const char *staff, time_t from, time_t *start, const char **who);
/* The working intervals of staff on local day y-m-d, as times. */
int appt_workday(const struct appt_store *, const char *staff, int y, int m,
    int d, time_t *a, time_t *b, int max);

/* ---- customer.c ---- */
/* A person as options give it: customers and flags. */
struct appt_person {
	const char *name, *email, *phone, *address, *postcode, *notes;
};
/* The person of a customers.csv (or flags.csv) row: borrowed from r. */
void appt_person_of(const struct appt_table *, const struct appt_row *r,
    struct appt_person *);
/* Refuse bad values (exit 2): control characters, bad email or phone. */
void appt_person_check(const struct appt_store *, const struct appt_person *);
/* Find a customer by id, email or phone: a row of t, NULL if none. */
struct appt_row *appt_customer_find(const struct appt_store *,
    struct appt_table *, const char *key);
/*
 * The first row of t but except (may be NULL) whose normalised email or
 * phone equals the given, naming which ("email" or "phone", static) in
 * *field (may be NULL); NULL if none.
 */
struct appt_row *appt_customer_match(const struct appt_store *,
    struct appt_table *, const char *email, const char *phone,
    const struct appt_row *except, const char **field);
/*
 * The customers that bookings decide on (appt-book, one request or a
 * batch; the booking page) and that appt-customer add makes, opened under
 * the lock: customers.csv through its index (.customers.idx), opened when
 * first needed, so that only the records a request needs are read; what
 * changes is kept in memory and written by appt_customers_save. New
 * customers take their ids from ids (borrowed: it must outlive the
 * customers, and be saved before them), or with ids NULL each from
 * ids.csv, saved at once; never an id at or below the highest in the
 * file. Close with appt_customers_close (NULL is fine).
 */
struct appt_customers;
struct appt_flags;		/* flagmatch.c */
struct appt_customers *appt_customers_open(const struct appt_store *,
    struct appt_ids *ids);
void appt_customers_close(struct appt_customers *);
/*
 * Write the customers added or filled in: the new records after the
 * bytes of customers.csv, copied, and the changed ones in their place,
 * neither read nor written the others (a file that cannot be written so
 * is rewritten whole, once); then the index. Exits 1 on a failed write,
 * the old file kept.
 */
void appt_customers_save(struct appt_customers *);
/*
 * The customers read or added so far: a table of the columns of
 * customers.csv, borrowed until the close; a row pointer into it is
 * valid until the next call that reads or adds a customer.
 */
struct appt_table *appt_customers_table(struct appt_customers *);
/* As appt_customer_match, among all customers: a row of the table. */
struct appt_row *appt_customers_match(struct appt_customers *,
    const char *email, const char *phone, const char **field);
/* A new customer, with the next id: a row of the table, to save. */
struct appt_row *appt_customers_add(struct appt_customers *,
    const struct appt_person *);
/*
 * A customer by id, email or phone, as appt_customer_find finds one:
 * a row of the table (its record alone read), NULL if none.
 */
struct appt_row *appt_customers_find(struct appt_customers *,
    const char *key);
/* Row r, set by the caller, is to be written by appt_customers_save. */
void appt_customers_changed(struct appt_customers *, const struct appt_row *r);
/* The customer of a booking, as appt_customer_resolve decided it. */
struct appt_resolved {
	char id[32];
	/*
	 * The record (name, email, phone, address, postcode, notes):
	 * borrowed, valid until the next resolve or the close.
	 */
	struct appt_person p;
	char flag[64];		/* the fields that matched a flag, or "" */
	int isnew;		/* added now */
};
/*
 * The customer of a booking: key (an id, email or phone; NULL for none)
 * names one on record; else p is recognised as the first customer whose
 * normalised email or phone is p's, whose empty fields are filled from p
 * and whose differing ones are reported, never overwritten; else p is a
 * new customer, who needs a name and an email or phone. p (the request's
 * values, with key too) and the record are checked against flags (may be
 * NULL): a match is warned about, or refused under [booking] on_flag =
 * refuse without force. Nothing changes unless it returns 0. Each warning
 * or refusal is passed to say (NULL: stderr). Returns 0, APPT_EUSAGE (a
 * bad value of p, a new customer without name or email and phone) or
 * APPT_EFAIL (no such customer, refused by a flag).
 */
int appt_customer_resolve(struct appt_customers *,
    const struct appt_flags *flags, int force, const char *key,
    const struct appt_person *p, struct appt_resolved *out,
    void (*say)(void *ctx, const char *msg), void *ctx);

/*
 * A person's long options, for a struct option array (getopt.h):
 * --name, --email, --phone, --address and --postcode, and --note for a
 * command that keeps notes. appt_person_opt puts the argument of one of
 * them (c as getopt_long returns it) into p, borrowed: 1, or 0 when c is
 * another option.
 */
enum {
	APPT_OPT_NAME = 0x100, APPT_OPT_EMAIL, APPT_OPT_PHONE,
	APPT_OPT_ADDRESS, APPT_OPT_POSTCODE, APPT_OPT_NOTE
};
#define APPT_PERSON_LONGOPTS						\
	{ "name", required_argument, NULL, APPT_OPT_NAME },		\
	{ "email", required_argument, NULL, APPT_OPT_EMAIL },		\
	{ "phone", required_argument, NULL, APPT_OPT_PHONE },		\
	{ "address", required_argument, NULL, APPT_OPT_ADDRESS },	\
	{ "postcode", required_argument, NULL, APPT_OPT_POSTCODE }
#define APPT_NOTE_LONGOPT { "note", required_argument, NULL, APPT_OPT_NOTE }
int appt_person_opt(struct appt_person *p, int c, const char *arg);
/* Was any of them given: is any field of p not NULL? */
int appt_person_given(const struct appt_person *p);

/* ---- people.c ---- */
enum { APPT_P_NAME = 0, APPT_P_EMAIL, APPT_P_PHONE, APPT_P_ADDRESS,
    APPT_P_POSTCODE };
struct appt_people {
	size_t n, cap;
	struct {
		long id;
		char *blob;	/* name, email, phone, address, postcode */
	} *v;
};
/*
 * Every customer of customers.csv into p, which is overwritten (free
 * what it held first); free with appt_people_free.
 */
void appt_people_load(struct appt_people *, const struct appt_store *);
/*
 * The same for only the customers with these ids, read through the index
 * .customers.idx (rebuilt when customers.csv has changed): the cost of a
 * day's listing does not grow with the number of customers.
 */
void appt_people_want(struct appt_people *, const struct appt_store *,
    const long *ids, size_t n);
/*
 * A customer's field, "" when unknown: borrowed, as every string below,
 * until appt_people_free.
 */
const char *appt_people_get(const struct appt_people *, const char *id,
    int which);
/* A customer as a person (no notes), "" when unknown. */
void appt_people_person(const struct appt_people *, const char *id,
    struct appt_person *);
/* A customer's name, email and phone, for appt_list_fields. */
void appt_people_who(const struct appt_people *, const char *id,
    const char *who[3]);
void appt_people_free(struct appt_people *);
/*
 * The index .customers.idx (with .customers.added.idx): where the records
 * of customers.csv start, by id, by normalised email and by normalised
 * phone number. Opened for customers.csv open as fp, it is read if it
 * describes that file as it is, else made from the whole file (exit 3 if
 * that does not parse) and saved. A writer that adds or replaces records
 * tells it (appt_custidx_put) and saves it for the new file
 * (appt_custidx_save). Free with appt_custidx_free (NULL is fine).
 */
enum { APPT_IDX_ID, APPT_IDX_EMAIL, APPT_IDX_PHONE, APPT_IDX_N };
struct appt_custidx;
struct appt_custidx *appt_custidx_open(const struct appt_store *, FILE *fp);
void appt_custidx_free(struct appt_custidx *);
/*
 * The offsets of the records that may have this id, email or phone
 * (APPT_IDX_...), in file order: up to max of them into off (the
 * caller's), and the count. Email and phone are compared normalised, by a
 * hash: the caller reads each record to be sure.
 */
size_t appt_custidx_find(const struct appt_custidx *, int which,
    const char *value, long long *off, size_t max);
/*
 * The key a value has in a section (country for phone numbers): the id,
 * or a hash of the normal form. 0, or -1 if the value has none (empty, or
 * not an id or phone number).
 */
int appt_custkey(const char *country, int which, const char *value,
    long long *key);
/* The highest customer id in the file, 0 if none. */
long appt_custidx_maxid(const struct appt_custidx *);
/*
 * The record at byte off is now the one with these id, email and phone
 * (added at the end, or in place of the one there), and the bytes after
 * it moved by delta. Several changes: the one furthest in the file first.
 */
void appt_custidx_put(struct appt_custidx *, long long off, long long delta,
    const char *id, const char *email, const char *phone);
/* Save the index for customers.csv as st describes it: 0 or -1 (errno). */
int appt_custidx_save(struct appt_custidx *, const struct appt_store *,
    const struct stat *st);

/* ---- flagmatch.c ---- */
enum { APPT_F_NAME, APPT_F_EMAIL, APPT_F_PHONE, APPT_F_ADDRESS, APPT_F_N };
struct appt_flagkey {
	char *key;		/* a normal form */
	size_t flag;		/* row of the flags table */
};
struct appt_flags {
	const struct appt_store *s;
	struct appt_table *t;	/* flags.csv, or the rows read so far */
	int own;
	struct appt_flagkey *key[APPT_F_N];	/* sorted per field */
	size_t n[APPT_F_N];
	size_t total;		/* flags in flags.csv */
	struct appt_flagidx *idx;	/* appt_flags_open: .flags.idx */
};
/*
 * Read flags.csv and index it; the table is the flags' own. The store is
 * borrowed: it must outlive them. Free with appt_flags_free.
 */
void appt_flags_load(struct appt_flags *, const struct appt_store *);
/*
 * The same for a command that checks a few people (appt-book): through
 * .flags.idx (a derived file, made when missing or stale), only the flags
 * a person's fields point at are read, when appt_flags_match asks. t then
 * holds those rows only.
 */
void appt_flags_open(struct appt_flags *, const struct appt_store *);
/* Index a flags table the caller keeps: it must outlive the flags. */
void appt_flags_index(struct appt_flags *, const struct appt_store *,
    struct appt_table *);
void appt_flags_free(struct appt_flags *);
/*
 * The fields (1 << APPT_F_...) of the person that match a flag, the
 * flag matching most of them in *flag; 0 if none does.
 */
int appt_flags_match(const struct appt_flags *, const struct appt_person *,
    size_t *flag);
/* The fields of the person that match the flag in row flag. */
int appt_flag_fields(const struct appt_flags *, size_t flag,
    const struct appt_person *);
/* The fields of mask as "phone+address" ("" for none) into buf: buf. */
char *appt_flag_names(int mask, char *buf, size_t n);
/* APPT_F_... of "name", "email", "phone", "address"; -1 if none. */
int appt_flag_field(const char *);

/* ---- listing.c ---- */
/* The columns of appt-list, in their order. */
enum {
	APPT_L_ID, APPT_L_START, APPT_L_END, APPT_L_STATUS, APPT_L_SERVICE,
	APPT_L_SERVICE_NAME, APPT_L_STAFF, APPT_L_CUSTOMER,
	APPT_L_CUSTOMER_NAME, APPT_L_EMAIL, APPT_L_PHONE, APPT_L_FLAG,
	APPT_L_NOTES, APPT_LIST_NCOL
};
/* appt_out_begin with the appt-list columns and their order of giving way. */
void appt_list_begin(struct appt_out *, int fmt);
/*
 * The appt-list columns of appointment r into out[APPT_LIST_NCOL], the
 * service's name from cat (may be NULL). who is the customer's name,
 * email and phone (or NULL); flag may be "". The strings are borrowed
 * from r, cat, who and flag.
 */
void appt_list_fields(const struct appt_table *t, const struct appt_row *r,
    const struct appt_catalog *cat, const char *const *who,
    const char *flag, const char **out);

/* ---- message.c ---- */
struct appt_msgvars {
	const char *name[24];
	const char *value[24];
	size_t n;
	time_t start;		/* for {start} and {start:FORMAT} */
};
/* Add a variable: name and value are kept, and must outlive v. */
void appt_msgvar(struct appt_msgvars *, const char *name, const char *value);
/*
 * Render template NAME (.txt: Subject line, blank line, body; .sms with
 * sms: the text alone). 0 with *subject ("" for sms) and *body, or -1
 * with *err naming template and line: malloc'd.
 */
int appt_render(const struct appt_store *, const char *name, int sms,
    const struct appt_msgvars *, char **subject, char **body, char **err);
/*
 * Header text as RFC 2047 encoded words ("=?UTF-8?B?...?="), folded
 * between words; it always ends, whatever the bytes of s.
 */
void appt_encword(struct appt_buf *, const char *s);
/*
 * An RFC 5322 message (CRLF lines) from the business to one person:
 * malloc'd; NULL with *err (malloc'd) when it cannot be made.
 */
char *appt_mail(const struct appt_store *, const char *key,
    const char *toname, const char *to, const char *subject,
    const char *body, char **err);
/*
 * The same with the MIME part of the caller's after the headers: mime
 * holds the MIME headers and body from "MIME-Version:" on, CRLF lines
 * (appt_mime_mixed), borrowed for the call.
 */
char *appt_mail_mime(const struct appt_store *, const char *key,
    const char *toname, const char *to, const char *subject,
    const char *mime, char **err);
/*
 * Where a customer opts out of follow-ups: "mailto:BUSINESS_EMAIL?
 * subject=unsubscribe", malloc'd; NULL without [business] email. Mail
 * whose key starts with review- or recall- carries it as its
 * List-Unsubscribe header.
 */
char *appt_optout_url(const struct appt_store *);

/* ---- outbox.c ---- */
/* Was a message with this key ever made? */
int appt_outbox_has(const struct appt_store *, const char *key);
/* Queue a message under key unless the key exists: 1 if made. */
int appt_outbox_put(const struct appt_store *, const char *key,
    const char *to, const char *data);
/*
 * Deliver what is queued (only the keys given, when nonly): the number
 * of messages not delivered. dryrun prints instead.
 */
int appt_outbox_send(const struct appt_store *, char *const *only,
    size_t nonly, int dryrun);
/*
 * Say of each held message (only those of the keys given, when nonly)
 * "KEY: held: REASON, see appt-send list" on stderr, REASON being the
 * error of its latest log row: how many are held.
 */
size_t appt_outbox_held(const struct appt_store *, char *const *only,
    size_t nonly);
/*
 * The keys of a folder (queue, sending, sent, held), sorted, into *out:
 * how many. Free with appt_strv_free.
 */
size_t appt_outbox_list(const struct appt_store *, const char *folder,
    char ***out);
/*
 * Queued messages whose key starts with prefix, out of the queue into
 * withdrawn/ (the appointment changed first): how many.
 */
size_t appt_outbox_withdraw(const struct appt_store *, const char *prefix);
/* A held message back into the queue: 0, or -1 if it is not held. */
int appt_outbox_release(const struct appt_store *, const char *key);

/* ---- notify.c ---- */
/*
 * The messages a command queues, zeroed to start. key is its own: free
 * with appt_notice_send, or appt_notice_free.
 */
struct appt_notice {
	char **key;		/* queued now, to deliver */
	size_t nkey;
	int failed;		/* not even queued (a bad template) */
	int dryrun;		/* print, queue nothing */
	const char *only;	/* "email" or "sms": that channel alone */
};
/*
 * An appointment as a message tells of it: from appt_appt_of, strings
 * borrowed from the row as appt_get's are.
 */
struct appt_appt {
	const char *id, *start, *end, *service, *staff, *customer, *status;
	const char *price, *seq, *notes;
	const char *created;
};
void appt_appt_of(const struct appt_table *, const struct appt_row *,
    struct appt_appt *);
/*
 * Queue the message kind (confirm, moved, cancelled, remind, or
 * staff-booked, staff-moved, staff-cancelled, staff-left) about
 * appointment a, its service and staff named from cat. who is the
 * customer's name, email and phone; lead names a reminder's lead.
 */
void appt_notify(struct appt_notice *, const struct appt_store *,
    const struct appt_catalog *cat, const char *kind,
    const struct appt_appt *a, const char *const *who, const char *lead);
/* Take back every message about appointment id still waiting. */
void appt_notice_withdraw(const struct appt_store *, const char *id);
/* Deliver what was queued; says on stderr what waits. Failures. */
int appt_notice_send(struct appt_notice *, const struct appt_store *);
/* Free the keys queued without delivering (appt_notice_send delivers). */
void appt_notice_free(struct appt_notice *);
/*
 * Queue mail from template tmpl under key to one person, as appt_notify
 * does (failed counts a template that cannot be rendered).
 */
void appt_notice_mail(struct appt_notice *, const struct appt_store *,
    const char *key, const char *tmpl, const struct appt_msgvars *,
    const char *toname, const char *to);
/*
 * The reminders due at now by [notify] remind: for each booked or
 * confirmed appointment yet to start in the months, per channel (email,
 * then sms), the shortest lead it has reached, unless a reminder of that
 * lead or a shorter one was ever made on that channel (the outbox). The
 * store and the months are borrowed, the months only read: both must
 * outlive it. Exits 3 on a bad lead or month file. Close with
 * appt_remind_close (NULL is fine).
 */
struct appt_remind;
struct appt_reminder {
	struct appt_appt appt;	/* the appointment */
	const char *who[3];	/* the customer's name, email and phone */
	const char *channel;	/* "email" or "sms", for appt_notice's only */
	char lead[24];		/* in minutes, for appt_notify's lead */
};
struct appt_remind *appt_remind_open(const struct appt_store *,
    struct appt_months *, time_t now);
/*
 * The next reminder due into *r: 1, or 0 when none is left. Its strings
 * are borrowed until appt_remind_close, and the appointment's only while
 * the months do not change. Whether it is due is asked of the outbox
 * now: what the caller queued since the last call counts.
 */
int appt_remind_next(struct appt_remind *, struct appt_reminder *r);
void appt_remind_close(struct appt_remind *);

/* ---- check.c ---- */
/*
 * Check the data directory. Each problem is passed to report as
 * "file:line: problem", the string valid during the call. override/opath
 * substitute one file (appt-edit); only names the problems of that file.
 * Returns the problem count.
 */
long appt_check(const struct appt_store *, const char *override,
    const char *opath, void (*report)(void *, const char *), void *ctx);
/*
 * Pass one problem to report, "file:line: what" ("file: what" when line
 * is 0), what made of fmt as vprintf makes it: 1, to count it.
 */
long appt_vproblem(void (*report)(void *, const char *), void *ctx,
    const char *file, long line, const char *fmt, va_list)
    __attribute__((format(printf, 5, 0)));

/* ---- travel.c ---- */
/* A decimal number ("1.3", "-0.5"; no exponent, inf or nan): 0, or -1. */
int appt_parse_real(const char *, double *out);
/* A latitude (islat) or longitude, in range: 0, or -1; and why not. */
int appt_parse_coord(const char *, int islat, double *out);
const char *appt_coord_why(int islat);
/* The great-circle distance between two points, in km. */
double appt_distance_km(double lat1, double lon1, double lat2, double lon2);
/* A place a field worker drives from or to; the postcode is borrowed. */
struct appt_place {
	const char *postcode;	/* "" if unknown */
	int located;		/* lat and lon are known */
	double lat, lon;
};
/* Where a travel time came from. */
enum { APPT_TRAVEL_TABLE, APPT_TRAVEL_DISTANCE, APPT_TRAVEL_DEFAULT };
#define APPT_TRAVEL_DEFAULT_MIN 20
/*
 * travel.csv and [eta] speed and factor, read once: exits 3 naming
 * travel.csv:LINE or config.ini:LINE on a bad value. Close with
 * appt_travel_close (NULL is fine).
 */
struct appt_travel;
struct appt_travel *appt_travel_open(const struct appt_store *);
void appt_travel_close(struct appt_travel *);
/*
 * The minutes from a to b: travel.csv by postcode (either direction),
 * else the straight line times factor at speed, else the default.
 * Returns which (APPT_TRAVEL_...).
 */
int appt_travel_time(const struct appt_travel *, const struct appt_place *a,
    const struct appt_place *b, double *minutes);

/* ---- eta.c ---- */
/*
 * A small PRNG of our own (xoshiro256**, seeded by splitmix64), so that
 * a seed gives the same draws on every machine and C library.
 */
struct appt_rng {
	unsigned long long s[4];
};
void appt_rng_seed(struct appt_rng *, unsigned long long seed);
unsigned long long appt_rng_next(struct appt_rng *);
double appt_rng_unif(struct appt_rng *);	/* in (0, 1) */
double appt_rng_normal(struct appt_rng *);	/* standard normal */
/* The standard normal distribution and its inverse (p in (0, 1)). */
double appt_norm_cdf(double);
double appt_norm_quantile(double p);
/*
 * How long a staff member takes for a service: log-normal, learnt from
 * past durations and shrunk toward the service's average over all staff
 * (appt-eta(1) gives the formulas). Add every sample, fit once, then
 * ask. Free with appt_durmodel_free (NULL is fine).
 */
struct appt_durmodel;
struct appt_durmodel *appt_durmodel_new(void);
void appt_durmodel_add(struct appt_durmodel *, const char *service,
    const char *staff, double minutes);
void appt_durmodel_fit(struct appt_durmodel *);
/*
 * The log-mean and log-sd of staff's duration for service, nominal
 * (services.csv) minutes being the mean when there is no history. The
 * number of the staff member's own samples.
 */
long appt_durmodel_get(const struct appt_durmodel *, const char *service,
    const char *staff, double nominal, double *mu, double *sd);
void appt_durmodel_free(struct appt_durmodel *);
/*
 * The window of width most likely to hold a draw of the n values of a
 * (sorted in place): its start, on the grid (multiples of grid); of
 * equals, the one centred nearest the median. The share of a in it
 * into *coverage.
 */
double appt_eta_window(double *a, size_t n, double width, double grid,
    double *coverage);
/*
 * The arrival windows of a day (the local day that day falls in) for
 * the mobile staff (staff.csv mobile = yes), or the one staff id given,
 * as known at now. Exits 3 on bad data. The rows are in start order;
 * every string is borrowed until appt_eta_close.
 */
struct appt_eta_row {
	struct appt_appt appt;
	const char *customer_name, *address, *email, *phone;
	time_t wstart, wend;	/* the window */
	double coverage;	/* the chance that the arrival is in it */
	long expected;		/* minutes the job is expected to take */
	long travel;		/* minutes of travel to it */
	int travel_by;		/* APPT_TRAVEL_... */
	int known;		/* started: the arrival is known */
};
/* Does the staff member travel (mobile = yes)? Exits 3 on a bad value. */
int appt_staff_mobile(const struct appt_staff *);
struct appt_eta;
struct appt_eta *appt_eta_open(const struct appt_store *,
    const struct appt_catalog *, time_t day, const char *staff, time_t now);
size_t appt_eta_count(const struct appt_eta *);
const struct appt_eta_row *appt_eta_at(const struct appt_eta *, size_t i);
void appt_eta_close(struct appt_eta *);
/* ---- ical.c ---- */
/*
 * An iCalendar file read through libical and checked: one VCALENDAR, UTF-8,
 * no X-LIC-ERROR (libical's mark of what it could not read). NULL with
 * *err ("label:line: what", malloc'd) when it is refused. The text is
 * copied. Free with appt_ical_free (NULL is fine).
 */
struct appt_ical;
struct appt_ical *appt_ical_read(const char *text, size_t len,
    const char *label, char **err);
void appt_ical_free(struct appt_ical *);
/* The label it was read under: borrowed until the free. */
const char *appt_ical_label(const struct appt_ical *);
/* The line of the k-th VEVENT (from 0), and of the first line from it
 * to its END:VEVENT that holds needle (case-insensitive; else its
 * BEGIN:VEVENT line). */
long appt_ical_evline(const struct appt_ical *, size_t k);
long appt_ical_propline(const struct appt_ical *, size_t k,
    const char *needle);
/*
 * The IANA zone of a Windows zone name ("W. Europe Standard Time"), from
 * share/appt/windows-zones.txt (CLDR's windowsZones.xml), into out: 0, or
 * -1 if it is not one.
 */
int appt_windows_zone(const char *name, char *out, size_t n);
#ifdef ICALTIME_H
/* The VCALENDAR: borrowed until the free. */
icalcomponent *appt_ical_root(const struct appt_ical *);
/*
 * The zone of a TZID: IANA (a "/prefix/" such as libical's dropped), else
 * Windows (appt_windows_zone), else a VTIMEZONE of the file; NULL if
 * none. Borrowed, for as long as the calendar.
 */
icaltimezone *appt_ical_zone(struct appt_ical *, const char *tzid);
/*
 * The time t of property prop of the k-th VEVENT as an instant into
 * *out, its zone (NULL for a date, UTC or floating) into *zone (may be
 * NULL): a date is the business's local day, floating time is in the
 * business's zone. 0, or -1 with *err (malloc'd) for an unknown TZID,
 * naming the file and line.
 */
int appt_ical_time(struct appt_ical *, size_t k, icalproperty *prop,
    const struct icaltimetype *t, time_t *out, icaltimezone **zone,
    char **err);
/* Wall time t of zone (NULL: a date, UTC, or floating) as an instant. */
time_t appt_ical_wall(const struct icaltimetype *t, icaltimezone *zone);
#endif

/* ---- busy.c ---- */
/*
 * Busy calendars (busy/NAME.ics for everyone, busy/STAFF/NAME.ics for one
 * staff member): each file read and checked once, its events expanded
 * only over the window asked for. Close with appt_busy_close (NULL is
 * fine).
 */
#define APPT_BUSY_CAP 100000	/* occurrences of one event per window */
struct appt_busy;
struct appt_busy *appt_busy_new(void);
/* Those of the data directory; exits 3 naming the file and line of a
 * bad one. */
struct appt_busy *appt_busy_open(const struct appt_store *);
void appt_busy_close(struct appt_busy *);
/*
 * Add a calendar's text for staff ("" or NULL: everyone): 0, or -1 with
 * *err (malloc'd) naming label and line (a bad file, an unknown TZID, an
 * event without DTSTART).
 */
int appt_busy_add(struct appt_busy *, const char *text, size_t len,
    const char *label, const char *staff, char **err);
/*
 * Each blocked time [a, b) that overlaps [from, to), with its staff (""
 * for everyone; borrowed until the close), to cb until it returns
 * nonzero: RRULE, RDATE and EXDATE expanded, overrides applied, what is
 * cancelled or transparent left out.
 */
void appt_busy_each(const struct appt_busy *, time_t from, time_t to,
    int (*cb)(void *, time_t a, time_t b, const char *staff), void *ctx);
/* Is name that of a calendar file: NAME.ics, not hidden? */
int appt_busy_name(const char *name);
/* Every problem of the files of busy/ to report: how many. */
long appt_busy_check(const struct appt_store *,
    void (*report)(void *, const char *), void *ctx);

/* ---- mime.c ---- */
/* GMime made ready, once per process (mime.c and inmail.c call it). */
void appt_gmime_init(void);
/*
 * An attachment: a file name (may be NULL), a MIME type ("application/pdf";
 * NULL or malformed: application/octet-stream) and len bytes of data, all
 * borrowed for the call.
 */
struct appt_part {
	const char *name;
	const char *type;
	const void *data;
	size_t len;
};
/*
 * The MIME headers and body, from "MIME-Version:" on, CRLF lines, of a
 * multipart/mixed of a UTF-8 text/plain part (text, LF or CRLF lines) and
 * the parts as base64 attachments, made by GMime 3: malloc'd. For
 * appt_mail_mime, which writes the headers before it.
 */
char *appt_mime_mixed(const char *text, const struct appt_part *parts,
    size_t nparts);

/* ---- invoice.c ---- */
/*
 * Invoices: amounts in minor units, tax rates in hundredths of a percent
 * (19% is 1900), quantities in thousandths (1.5 is 1500). Never a float.
 */
/* num / den rounded half away from zero (den not 0). */
long long appt_div_round(long long num, long long den);
/* A rate "19" or "7.5" (0 to 100, at most two decimals): 0 or -1. */
int appt_rate_parse(const char *, long *rate);
char *appt_rate_fmt(long rate, char buf[16]);	/* "19", "7.5": buf */
/* A quantity above 0 with at most three decimals: 0 or -1. */
int appt_qty_parse(const char *, long long *milli);
char *appt_qty_fmt(long long milli, char buf[32]);	/* "1.5": buf */
/* qty × price: 0, or -1 when it is not a whole amount (or too big). */
int appt_line_amount(long long milli, long long price, long long *amount);
/*
 * EN 16931: the lines' amounts (in the price basis: gross when gross,
 * else net) summed per rate, each rate's tax computed once on its sum,
 * half away from zero: tax = gross * r / (100 + r) under gross prices,
 * net * r / 100 under net ones. The rates go into out (the caller's, n
 * of them at most), by rate ascending; the totals into *sum; each line's
 * net, tax and gross get its share (the last line of a rate takes what
 * rounding leaves). The number of rates.
 */
struct appt_taxline {
	long long amount;	/* in: qty × price */
	long rate;		/* in */
	long long net, tax, gross;	/* out: the line's share */
};
struct appt_taxrate {
	long rate;
	long long net, tax, gross;
};
size_t appt_tax_compute(struct appt_taxline *, size_t n, int gross,
    struct appt_taxrate *out, struct appt_taxrate *sum);
/*
 * The number of format fmt ([invoice] number: %Y the year, %n or %04n
 * the counter, %% a %) into buf: 0, or -1 if the format is bad (no %n,
 * another %), the number does not fit, or holds a / or a control
 * character. Does the counter start again each year (the format has %Y)?
 */
int appt_invoice_number(const char *fmt, int year, long n, char *buf,
    size_t len);
int appt_invoice_yearly(const char *fmt);
/* The columns of invoices.csv, invoice-lines.csv, payments.csv, and of list. */
extern const char *const appt_invoice_cols[];
extern const char *const appt_invline_cols[];
extern const char *const appt_payment_cols[];
#define APPT_INVLIST_NCOL 12
extern const char *const appt_invlist_cols[];
/*
 * The invoice store: invoices/YYYY/ of each year of issue, holding
 * invoices.csv, invoice-lines.csv and payments.csv of the invoices and
 * credit notes issued that year; the three files at the top of the data
 * directory (stores made before the years) are read first, never written.
 * The places, as prefixes of the file names ("" and "invoices/2026/"),
 * into *out (free with appt_strv_free): the top, then the years' from
 * year on (0: all; -1: none) in order. The count.
 */
size_t appt_invoice_places(const struct appt_store *, int year, char ***out);
/*
 * One of the three files (name) of the places from year on (0: all),
 * read into t in the order of the places (each row's file for messages:
 * appt_row_label); only the records that hold one of needles unless it
 * is NULL. Exit 3 on bad data.
 */
void appt_invoice_load(const struct appt_store *, struct appt_table *t,
    const char *name, const char *const *needles, int year);
/* The year of a YYYY-MM-DD date (the place of an invoice), 0 if none. */
int appt_invoice_year(const char *date);
/*
 * Under the lock: does an invoice issued before year name one of these
 * appointments (void or not)? From each year's .appointments.idx, made
 * again when its invoices.csv has changed.
 */
int appt_invoice_named_before(const struct appt_store *, int year,
    const long *ids, size_t n);
/*
 * invoices.csv and payments.csv, read (exit 3 on bad data), and which
 * invoices a credit note cancels (voided: strings of inv, sorted). The
 * tables are the caller's to read; the store is borrowed and must
 * outlive them. Free with appt_invoices_free.
 */
struct appt_invoices {
	const struct appt_store *s;
	struct appt_table inv, pay;
	char **voided;
	size_t nvoided;
};
void appt_invoices_read(struct appt_invoices *, const struct appt_store *);
/*
 * The same with only the rows that hold one of needles (NULL-ended;
 * NULL: all), and every credit note, of the places from year on (0: all;
 * appt_invoice_places). payments.csv is read (the same rows) only when
 * pay.
 */
void appt_invoices_read_some(struct appt_invoices *, const struct appt_store *,
    const char *const *needles, int pay, int year);
void appt_invoices_free(struct appt_invoices *);
/* The row of an invoice or credit note by number, NULL if none. */
struct appt_row *appt_invoice_find(struct appt_invoices *, const char *number);
/* Has a credit note cancelled this invoice? */
int appt_invoice_voided(const struct appt_invoices *, const char *number);
/* The minor digits of the invoice's currency. */
int appt_invoice_digits(const struct appt_invoices *, const struct appt_row *);
/* The payments of an invoice, summed. */
long long appt_invoice_paid(const struct appt_invoices *, const char *number,
    int digits);
/*
 * open, paid, void or credit (static), with what is left to pay in
 * *balance (0 when void or a credit note).
 */
const char *appt_invoice_status(const struct appt_invoices *,
    const struct appt_row *, long long paid, long long *balance);
/*
 * The rows of list (appt_invlist_cols, malloc'd strings) of the invoices
 * of customer (NULL: all) dated in [from, to) (from == to: any date),
 * only the open ones when unpaid, in the order issued; the balances
 * summed. Free with appt_invlist_free.
 */
struct appt_invlist {
	size_t n;
	char *(*row)[APPT_INVLIST_NCOL];
	long long balance;
};
void appt_invoice_list(const struct appt_invoices *, const char *customer,
    time_t from, time_t to, int unpaid, struct appt_invlist *);
void appt_invlist_free(struct appt_invlist *);
/*
 * Under the lock: the next number of the series fmt for a date of issue
 * in year: 0, or -1 if fmt makes no number. The invoices of the year's
 * place are counted, not read (those of every year when fmt has no %Y).
 */
int appt_invoice_next(const struct appt_store *, const char *fmt, int year,
    char *buf, size_t len);
/*
 * The lines of one invoice (invoice-lines.csv, only its records parsed)
 * of the places from year on (its date's: appt_invoice_year; 0 if not
 * known) into t, in order; exit 3 on bad data. Free with appt_table_free.
 */
void appt_invoice_lines(const struct appt_store *, const char *number,
    int year, struct appt_table *);
/*
 * Under the lock: issue the invoice or credit note of inv's one row with
 * its lines (tables of the columns above) in the place of its date's
 * year, made if new. The lines are appended first, then the invoice,
 * each file's bytes kept; lines a killed issue of the same number left
 * are dropped. Exits 1 on a failed write.
 */
void appt_invoice_write(const struct appt_store *, const struct appt_table *inv,
    const struct appt_table *lines);
/*
 * The same, first giving the lines their invoice number and line (from
 * 1) and the invoice its net, tax and total from them, in its currency
 * and price basis (prices). Exit 2 on a line whose qty × price is not a
 * whole amount.
 */
void appt_invoice_issue(const struct appt_store *, struct appt_table *inv,
    struct appt_table *lines);
/* [invoice] tax, the default rate; exit 3 if it is not a rate. */
long appt_invoice_tax(const struct appt_store *);
/*
 * The line of appointment r (of month table t) added to lines L: the
 * service's name (from cat) and the appointment's date, quantity 1 at
 * the price booked, the service's tax (services table sv), else dflt.
 * Exit 3 on a bad price, start or tax.
 */
void appt_invoice_appt_line(const struct appt_store *,
    const struct appt_catalog *cat, const struct appt_table *sv,
    const struct appt_table *t, const struct appt_row *r, long dflt,
    struct appt_table *L);
/*
 * Under the lock: append pay's rows to payments.csv of year, the year of
 * the invoice they pay (appt_invoice_year of its date).
 */
void appt_payment_write(const struct appt_store *, int year,
    const struct appt_table *pay);
/*
 * The problems of the invoice store, as appt_check reports them: fields,
 * references, totals against the lines, numbers without gaps or repeats,
 * payments within the total, each row in its year's place. The count.
 */
long appt_invoices_check(const struct appt_store *,
    void (*report)(void *, const char *), void *ctx);

/* ---- review.c ---- */
/*
 * Follow-ups (appt-review(1)): review requests in reviews.csv, sent in
 * the steps of [review] steps after the visit, and recalls of services
 * with a recall. Opened under the lock, with the months (borrowed: they
 * must outlive it), which are only read. Exits 3 on bad data. Close
 * with appt_reviews_close (NULL is fine).
 */
struct appt_reviews;
struct appt_reviews *appt_reviews_open(const struct appt_store *,
    struct appt_months *, time_t now);
void appt_reviews_close(struct appt_reviews *);
/* Write reviews.csv if it changed; exits 1 on a failed write. */
void appt_reviews_save(struct appt_reviews *);
/* Is st a status of a review request (waiting, sent, done, ...)? */
int appt_review_status_valid(const char *st);
/* The rows of reviews.csv, for appt_reviews_list's from. */
size_t appt_reviews_count(const struct appt_reviews *);
/*
 * Queue done appointment id (hint: its start, may be NULL): 0 when
 * queued; -1 when it needs no request (queued already, the customer
 * opted out, has no email or was asked within [review] cooldown), why
 * saying so; APPT_EFAIL when it cannot have one (no such appointment,
 * not done, cancelled, no-show), why saying why.
 */
int appt_reviews_queue(struct appt_reviews *, const char *id,
    const char *hint, char *why, size_t n);
/*
 * The review was left: the requests of appointment id, or (id NULL) of
 * customer cid, are done. How many requests there are (done before
 * too); those of a customer who opted out do not count.
 */
size_t appt_reviews_done(struct appt_reviews *, const char *id,
    const char *cid);
/* Customer key (id, email or phone) as an id into id: 0, or -1 if none. */
int appt_reviews_customer(struct appt_reviews *, const char *key, char *id,
    size_t n);
/*
 * Customer key opts out for good: the time into customers.csv (written
 * at once) and the open requests stopped. 0 with the id in why; -1 when
 * opted out before, APPT_EFAIL when there is no such customer, why
 * saying so.
 */
int appt_reviews_optout(struct appt_reviews *, const char *key, char *why,
    size_t n);
/* Print the requests from row from on, of status (NULL: all). */
void appt_reviews_list(struct appt_reviews *, const char *status,
    size_t from, int fmt);
/*
 * Queue into n the review steps and recalls due at now, and write down
 * what went (not in a dry run). The lock is held.
 */
void appt_followups(const struct appt_store *, struct appt_months *,
    struct appt_notice *n, time_t now);
/*
 * appt-status's hook: with [review] auto = yes, queue appointment id,
 * just set done (the months saved). Under the lock; a problem is said.
 */
void appt_review_auto(const struct appt_store *, struct appt_months *,
    const char *id);
/* ---- report.c ---- */
/* The reports of appt-report, and how their rows are grouped. */
enum {
	APPT_REPORT_NOSHOWS, APPT_REPORT_UTILISATION, APPT_REPORT_CUSTOMERS,
	APPT_REPORT_REVENUE
};
enum {
	APPT_BY_NONE, APPT_BY_STAFF, APPT_BY_SERVICE, APPT_BY_DAY,
	APPT_BY_WEEK, APPT_BY_MONTH
};
/* "no-shows", ...; "none", "staff", ..., "month": the enum, -1 if none. */
int appt_report_kind(const char *);
int appt_report_by(const char *);
/*
 * Work out report kind over the appointments that start in [from, to)
 * (local midnights), grouped by by, counting only those of staff and
 * service (ids, NULL for any; borrowed, as the store and the catalogue
 * are, until the close). The month files are read one at a time; exits 3
 * on bad data. Close with appt_report_close (NULL is fine).
 */
struct appt_report;
struct appt_report *appt_report_run(const struct appt_store *,
    const struct appt_catalog *, int kind, int by, time_t from, time_t to,
    const char *staff, const char *service);
void appt_report_close(struct appt_report *);
/* The column names into *cols (borrowed until the close): how many. */
size_t appt_report_cols(const struct appt_report *, const char *const **cols);
/*
 * The rows: one a group, then the total (the only one with APPT_BY_NONE),
 * whose key is "total". Row i's fields, borrowed until the close.
 */
size_t appt_report_rows(const struct appt_report *);
const char *const *appt_report_row(const struct appt_report *, size_t i);
/*
 * What row i's bar shows: a solid part and a shaded one after it, out of
 * full (0: out of the largest row). 0 if it has none.
 */
int appt_report_bar(const struct appt_report *, size_t i, long long *solid,
    long long *shaded, long long *full);
/* ---- book.c ---- */
/*
 * The booking decision of appt-book and the booking page. A request: the
 * strings are borrowed for the call. line is the request's line on
 * stdin, 0 for options (messages name it).
 */
#define APPT_BOOK_MAXOCC 500
struct appt_bookreq {
	const char *service, *customer, *at, *after, *staff, *every, *until;
	struct appt_person p;
	const char *note;	/* else p.notes: the booking's, LF allowed */
	long count;
	int first;
	long line;
};
/*
 * Take the lock of s and open what bookings decide with: the catalogue,
 * the months, the rules, the ids, the customers and the flags. force
 * passes hours, notice, horizon and a flag's refusal. Each refusal and
 * warning is passed to say (NULL: stderr, "stdin:LINE: " before it for a
 * request of a line). Close with appt_booker_close (NULL is fine), which
 * leaves the store open.
 */
struct appt_booker;
struct appt_booker *appt_booker_open(struct appt_store *, int force,
    void (*say)(void *ctx, const char *msg), void *ctx);
void appt_booker_close(struct appt_booker *);
/*
 * Decide one request, its rows entered in the months in memory (a later
 * request sees them): 0, or why not as an exit code, APPT_EUSAGE (a bad
 * value) or APPT_EFAIL; appt_book_step then says at which step.
 */
enum { APPT_BOOK_INPUT, APPT_BOOK_SLOT, APPT_BOOK_CUSTOMER };
int appt_book(struct appt_booker *, const struct appt_bookreq *);
int appt_book_step(const struct appt_booker *);
/*
 * Write what was decided, each file once: ids.csv, customers.csv, the
 * months. Exits 1 on a failed write.
 */
void appt_booker_save(struct appt_booker *);
/* The bookings made, their rows to out as appt-list's. */
size_t appt_booker_count(const struct appt_booker *);
void appt_booker_print(const struct appt_booker *, struct appt_out *out);
/*
 * Booking k (from 0): its first occurrence into *a and the customer's
 * name, email and phone into who, borrowed until the close.
 */
void appt_booker_appt(const struct appt_booker *, size_t k,
    struct appt_appt *a, const char *who[3]);
/* What it decides with: borrowed until the close. */
const struct appt_catalog *appt_booker_catalog(const struct appt_booker *);
struct appt_avail *appt_booker_avail(const struct appt_booker *);
/* Queue the confirmations of the bookings: one for a series. */
void appt_booker_notify(const struct appt_booker *, struct appt_notice *);

/* ---- change.c ---- */
/*
 * Appointment r of table t (of the months ms) to status to at now,
 * started and finished recorded: 0, -1 when it has that status already
 * (nothing changes), or APPT_EFAIL with why: a final status without
 * force, or a cancelled one whose slot is no longer free.
 */
int appt_status_change(struct appt_months *ms, struct appt_avail *av,
    const struct appt_catalog *cat, struct appt_table *t,
    struct appt_row *r, const char *to, int force, time_t now, char *why,
    size_t whylen);
/*
 * Appointment *rp of table *tp to start, with staff (an id or name; NULL:
 * the same), under the rules of booking (force as appt_avail_check's),
 * into the month file of its new start (*tp and *rp follow it). The
 * staff member it had goes into oldstaff. 0; -1 when it is there already
 * (nothing changes, why says so); else why and APPT_EFAIL (final, or not
 * free), APPT_EUSAGE (no such staff member) or APPT_EDATA (its service
 * is gone).
 */
int appt_move_change(struct appt_months *ms, struct appt_avail *av,
    const struct appt_catalog *cat, struct appt_table **tp,
    struct appt_row **rp, const char *staff, time_t start, int force,
    time_t now, char *oldstaff, size_t oldlen, char *why, size_t whylen);
/* The notices of a move (oldstaff told too when it changed) and a cancel. */
void appt_notify_moved(struct appt_notice *, const struct appt_store *,
    const struct appt_catalog *, struct appt_appt *a,
    const char *const *who, const char *oldstaff);
void appt_notify_cancelled(struct appt_notice *, const struct appt_store *,
    const struct appt_catalog *, const struct appt_appt *a,
    const char *const *who);

/* ---- webkey.c ---- */
/*
 * The booking page's manage links: [web] url + /m/ID/TOKEN, TOKEN the
 * HMAC (libsodium crypto_auth) of the appointment's id and created time
 * under web.key of the data directory (0600), in URL-safe base64.
 */
#define APPT_WEBKEY_LEN 32
#define APPT_WEBTOKEN_LEN 44	/* with its NUL */
/*
 * The key into key[APPT_WEBKEY_LEN]: 0, or -1 when there is none and
 * create is 0. With create a missing key is made. Exits 1 when it cannot
 * be read or made, 3 when it is not a key.
 */
int appt_webkey(const struct appt_store *, int create, unsigned char *key);
void appt_webtoken(const unsigned char *key, const char *id,
    const char *created, char out[APPT_WEBTOKEN_LEN]);
/* Is token the token of id and created? In constant time. */
int appt_webtoken_ok(const unsigned char *key, const char *id,
    const char *created, const char *token);
/* The manage link of an appointment: malloc'd; NULL without [web] url. */
char *appt_manage_url(const struct appt_store *, const char *id,
    const char *created);

/* ---- cgi.c ---- */
/* The booking page's requests (RFC 3875), parsed strictly, with caps. */
#define APPT_CGI_BODYMAX 8192
#define APPT_CGI_QUERYMAX 1024
#define APPT_CGI_PATHMAX 256
#define APPT_CGI_VALUEMAX 2000
#define APPT_CGI_FIELDS 16
#define APPT_CGI_SEGS 4
struct appt_cgi {
	int post, head;			/* the method */
	char *seg[APPT_CGI_SEGS];	/* the path's segments */
	size_t nseg;
	char *name[APPT_CGI_FIELDS];	/* the query's and the form's */
	char *value[APPT_CGI_FIELDS];
	size_t n;
};
/*
 * Before the body is read: REQUEST_METHOD, CONTENT_TYPE, CONTENT_LENGTH
 * (each may be NULL). 0 with the body's length in *len, or the HTTP
 * status that refuses it (400, 405, 411, 413, 415) with why (static).
 */
int appt_cgi_head(const char *method, const char *ctype, const char *clen,
    size_t *len, const char **why);
/*
 * The request: PATH_INFO, QUERY_STRING and, for a POST, the body. 0, or
 * the HTTP status that refuses it (400, 404) with why (static). Free
 * with appt_cgi_free, after a refusal too.
 */
int appt_cgi_parse(struct appt_cgi *, const char *method, const char *path,
    const char *query, const char *body, size_t bodylen, const char **why);
/* A field's value, NULL when absent: borrowed until the free. */
const char *appt_cgi_get(const struct appt_cgi *, const char *name);
void appt_cgi_free(struct appt_cgi *);

/* ---- html.c ---- */
/* s as HTML text (and double-quoted attribute), and as a URL part. */
void appt_html_esc(struct appt_buf *, const char *s);
void appt_url_esc(struct appt_buf *, const char *s);
/*
 * Add fmt (trusted) with its conversions escaped: %s as appt_html_esc,
 * %U as appt_url_esc; %d, %ld and %% as printf's.
 */
void appt_html(struct appt_buf *, const char *fmt, ...);

/* ---- weblimit.c ---- */
/*
 * The booking page's limit of attempts per client address, [web] limit:
 * "10/h" (the default), "30/1d", "0" for none. 0 with the count and the
 * minutes, or -1.
 */
int appt_parse_limit(const char *, long *count, long *minutes);
/*
 * Count an attempt from addr at now, under the lock: 1 when it is within
 * the limit (and counted), 0 when over it (nothing written). The state
 * is .web-limit.csv in the data directory: a keyed hash of each address
 * (never the address) and the time of each attempt in the window.
 */
int appt_web_attempt(const struct appt_store *, const char *addr, time_t now);

/* ---- catalog.c, for the booking page ---- */
/* A column of a service's row (description), "" if none: borrowed. */
const char *appt_service_get(const struct appt_service *, const char *col);

/* ---- safename.c ---- */
/*
 * s (n bytes) into b as valid UTF-8: a byte that starts no valid
 * character becomes U+FFFD. With oneline, every control character (tab,
 * CR and LF too) is a space; else CR LF and lone CR are LF, tab and LF
 * stay, and the other control characters go.
 */
void appt_text_clean(struct appt_buf *, const char *s, size_t n,
    int oneline);
/* Bytes of a file name appt makes (appt_safe_name). */
#define APPT_NAMEMAX 100
/*
 * The last path element of name (after / or \) as a safe file name:
 * valid UTF-8 without control characters or any of / \ : * ? " < > |,
 * not starting with a dot, dash, tilde or blank, at most APPT_NAMEMAX
 * bytes (cut at a character, the extension kept); dflt (or "file") when
 * nothing is left. Into the caller's out of outn bytes.
 */
void appt_safe_name(const char *name, const char *dflt, char *out,
    size_t outn);

/* ---- inmail.c ---- */
/* The caps on inbound mail: bytes of a whole mail, files kept of one. */
#define APPT_INMAIL_MAX (20L * 1024 * 1024)
#define APPT_INMAIL_PARTS 64
/* The usual MIME type of a file name's extension; NULL if none known. */
const char *appt_type_of(const char *name);
/* An attachment of inbound mail: its safe name, type and bytes. */
struct appt_attachment {
	char *name, *type, *data;
	size_t len;
};
/*
 * One inbound mail, parsed by GMime. Every string is valid UTF-8 and
 * the mail's own; header values are one line without control
 * characters, the text keeps LF and tab. Free with appt_inmail_free.
 */
struct appt_inmail {
	char *bad;		/* why it is malformed; NULL if it is not */
	char *from;		/* "Name <addr>" of the From: mailbox, or "" */
	char *fromaddr;		/* its address alone, or "" */
	char *subject, *msgid;	/* "" if none; msgid without <> */
	char **ref;		/* In-Reply-To, then References last first */
	size_t nref;
	int autosub;		/* Auto-Submitted: other than "no" */
	char *text;		/* the first plain text not attached, or "" */
	struct appt_attachment *att;	/* the other parts, in order */
	size_t natt;
	size_t dropped;		/* parts past APPT_INMAIL_PARTS */
	char **notes;		/* what was not kept, and why */
	size_t nnote;
};
/*
 * Parse len bytes of mail (a leading mbox "From " line skipped): 0, or
 * -1 when it is malformed or over APPT_INMAIL_MAX, why in m->bad (what
 * could be read is filled in all the same).
 */
int appt_inmail_parse(struct appt_inmail *m, const char *data, size_t len);
void appt_inmail_free(struct appt_inmail *);

/* ---- messages.c ---- */
/*
 * The conversations: messages/ID/ about appointment ID and
 * messages/unmatched/ (APPT_MSG_UNMATCHED), a folder per message,
 * NNNN-in or NNNN-out, with message.txt ("Name: value" lines, a blank
 * line, the text) and its files. "where" names a conversation: an
 * appointment id or "unmatched" (else exit 2).
 */
#define APPT_MSG_UNMATCHED "unmatched"
/* The lock of messages/ (appt_flock): the descriptor, closed to let go. */
int appt_msg_lock(const struct appt_store *);
/*
 * Under that lock: the number of the next message of where, its folder
 * made and stale temporaries removed. Exits 1 if it cannot be made.
 */
long appt_msg_next(const struct appt_store *, const char *where);
/* A file of a message: name (made safe and unique) and bytes, borrowed. */
struct appt_msgfile {
	const char *name;
	const char *data;
	size_t len;
};
/*
 * Write message num of where, dir "in" or "out", whole or not at all:
 * message.txt of head (lines "Name: value\n"), a "File: NAME" line for
 * each file as it is named there, a blank line and text; raw (may be
 * NULL) as mail.eml; the files. 0 with *folder (messages/12/0003-in,
 * malloc'd), or -1 (errno) with nothing left.
 */
int appt_msg_write(const struct appt_store *, const char *where, long num,
    const char *dir, const char *head, const char *text, const char *raw,
    size_t rawlen, const struct appt_msgfile *files, size_t nfiles,
    char **folder);
/* A message of a conversation as appt_msg_read gives it. */
struct appt_msgent {
	long n;
	char *dir;		/* "in" or "out" */
	char *folder;		/* messages/12/0003-in */
	char **name, **value;	/* the head lines */
	size_t nhead;
	char *text;
};
/*
 * The messages of where in order, into *out: how many. Free with
 * appt_msg_free.
 */
size_t appt_msg_read(const struct appt_store *, const char *where,
    struct appt_msgent **out);
/* The nth (from 0) value of head line name, NULL if none: borrowed. */
const char *appt_msgent_get(const struct appt_msgent *, const char *name,
    size_t nth);
void appt_msg_free(struct appt_msgent *, size_t n);
/*
 * Is msgid (without <>) one appt made: of the domain of [business]
 * email, its key in the outbox? 1, with the appointment the key names
 * (KIND-ID-..., see messages.c) into id ("" if none); else 0.
 */
int appt_msgid_key(const struct appt_store *, const char *msgid, char *id,
    size_t n);
/*
 * The appointment to file mail from addr under: the customer of that
 * email's next booked or confirmed appointment not over at now, else
 * their latest one that started by now. 1 with its id, 0 if none.
 */
int appt_msg_bysender(const struct appt_store *, const char *addr, char *id,
    size_t n);
/*
 * Check messages/ (for appt_check): each conversation an appointment
 * that has(ctx, id) knows, or unmatched; each entry a message folder
 * with its message.txt and the files it names. Each problem is passed to
 * report as "messages/...: problem": how many.
 */
long appt_msg_check(const struct appt_store *, int (*has)(void *, long),
    void *hasctx, void (*report)(void *, const char *), void *ctx);
/*
 * The messages received in conversation where (an appointment id) after
 * the last one appt-msg thread showed: how many, 0 without any.
 */
long appt_msg_unread(const struct appt_store *, const char *where);
/* Messages up to num of where were shown (.seen): 0, or -1 (errno). */
int appt_msg_seen(const struct appt_store *, const char *where, long num);

#endif
