/*
 * appt-send: deliver what the outbox holds, list it, or release held
 * messages. The outbox and its guarantees are lib/outbox.c's.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "appt.h"

static const char *synopsis =
    "appt-send [-hV] [-d DIR] [--dry-run]\n"
    "       appt-send [-d DIR] [-o FMT] list\n"
    "       appt-send [-d DIR] [--dry-run] retry [KEY ...]";

/* Each message of the queue and the held, with its attempts. */
static void
list(const struct appt_store *s, int fmt)
{
	static const char *cols[] = { "key", "state", "to", "attempts",
	    "last", "error" };
	static const char *states[] = { "queue", "sending", "held" };
	struct appt_out o;
	struct appt_table lt;
	char **logs, **v, *dir, *err, *path, att[16];
	const char *f[6];
	size_t nl = 0, n, i, j, k, l;
	struct dirent *e;
	DIR *d;

	/* The logs of the outbox, oldest first. */
	logs = NULL;
	dir = appt_path(s, "outbox");
	if ((d = opendir(dir))) {
		while ((e = readdir(d)))
			if (!strncmp(e->d_name, "log-", 4) &&
			    strstr(e->d_name, ".csv")) {
				logs = xreallocarray(logs, nl + 1,
				    sizeof *logs);
				logs[nl++] = xasprintf("outbox/%s", e->d_name);
			}
		closedir(d);
	}
	free(dir);
	appt_out_begin(&o, fmt, 6, cols);
	for (k = 0; k < 3; k++) {
		n = appt_outbox_list(s, states[k], &v);
		for (i = 0; i < n; i++) {
			int attempts = 0;
			char *to = xstrdup(""), *last = xstrdup(""),
			    *error = xstrdup("");

			for (l = 0; l < nl; l++) {
				path = appt_path(s, logs[l]);
				if (appt_table_read(&lt, path, logs[l], NULL, 0,
				    &err) < 0)
					appt_die(APPT_EDATA, "%s", err);
				free(path);
				for (j = 0; j < lt.nrow; j++) {
					struct appt_row *r = &lt.row[j];
					const char *res = appt_get(&lt, r,
					    "result");

					if (strcmp(appt_get(&lt, r, "key"), v[i]))
						continue;
					if (!strcmp(res, "released")) {
						attempts = 0;
						continue;
					}
					attempts++;
					if (*appt_get(&lt, r, "to")) {
						free(to);
						to = xstrdup(appt_get(&lt, r,
						    "to"));
					}
					free(last);
					last = xstrdup(appt_get(&lt, r, "time"));
					free(error);
					error = xstrdup(appt_get(&lt, r,
					    "error"));
				}
				appt_table_free(&lt);
			}
			snprintf(att, sizeof att, "%d", attempts);
			f[0] = v[i];
			f[1] = !strcmp(states[k], "queue") ? "queued" :
			    states[k];
			f[2] = to;
			f[3] = att;
			f[4] = last;
			f[5] = error;
			appt_out_row(&o, f, !strcmp(states[k], "held"));
			free(to);
			free(last);
			free(error);
		}
		appt_strv_free(v, n);
	}
	appt_out_end(&o);
	appt_strv_free(logs, nl);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 }
	};
	struct appt_store s;
	const char *dir = NULL, *ofmt = NULL;
	char **held;
	int c, fmt, dry = 0, failed = 0, i;
	size_t nheld, j;

	appt_setprog(argv[0]);
	while ((c = getopt_long(argc, argv, "d:ho:V", longopts, NULL)) != -1)
		switch (c) {
		case 'n': dry = 1; break;
		default: appt_opt(c, optarg, synopsis, &dir, &ofmt);
		}
	argc -= optind;
	argv += optind;
	fmt = appt_out_arg(ofmt);
	if (argc && strcmp(argv[0], "list") && strcmp(argv[0], "retry"))
		appt_usage(synopsis, 0);
	if (argc > 1 && strcmp(argv[0], "retry"))
		appt_usage(synopsis, 0);
	for (i = 1; i < argc; i++)
		appt_check_arg("KEY", argv[i]);
	appt_store_opendir(&s, dir);
	if (argc && !strcmp(argv[0], "list"))
		list(&s, fmt);
	else if (argc && !strcmp(argv[0], "retry")) {
		/* The keys named, else every held one. */
		nheld = appt_outbox_list(&s, "held", &held);
		for (i = 1; i < argc; i++) {
			for (j = 0; j < nheld && strcmp(held[j], argv[i]); j++)
				;
			if (j == nheld)
				appt_die(APPT_EFAIL, "%s: no such held message "
				    "(appt-send list shows them)", argv[i]);
		}
		if (argc > 1) {
			appt_strv_free(held, nheld);
			held = argv + 1;
			nheld = (size_t)argc - 1;
		}
		for (j = 0; j < nheld; j++)
			if (dry)
				printf("would release %s\n", held[j]);
			else
				appt_outbox_release(&s, held[j]);
		failed = appt_outbox_send(&s, held, nheld, dry);
		if (argc == 1)
			appt_strv_free(held, nheld);
	} else
		failed = appt_outbox_send(&s, NULL, 0, dry);
	/* Whatever is held, now or before, until a person sees to it. */
	if (!dry && (!argc || !strcmp(argv[0], "retry")) &&
	    appt_outbox_held(&s, NULL, 0))
		failed++;
	appt_store_close(&s);
	appt_exit(failed ? APPT_EDELIVER : 0);
}
