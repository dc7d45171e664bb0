/*
 * appt: run appt-NAME for "appt NAME ...", as git does. The command is
 * looked for beside this program first, then on PATH.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "appt.h"

static const char *synopsis = "appt [-hV] COMMAND [ARG ...] | appt help";

static const struct {
	const char *name, *what;
} cmds[] = {
	{ "init", "make a data directory (--example fills it)" },
	{ "edit", "edit a data file or config.ini safely, as visudo does" },
	{ "check", "check the whole data directory" },
	{ "customer", "add, find, show, edit and list customers" },
	{ "slots", "free start times for a service" },
	{ "book", "book an appointment into a free slot" },
	{ "list", "list appointments; --agenda for the day view" },
	{ "status", "confirm, start, finish, cancel or mark a no-show" },
	{ "move", "reschedule an appointment" },
	{ "flag", "flag problem customers and check for them" },
	{ "remind", "send due reminders, reviews and recalls (for cron)" },
	{ "send", "deliver, list and retry the outbox" },
	{ "review", "ask for reviews after a visit, send recalls" },
	{ "eta", "arrival windows for staff who travel (for cron)" },
	{ "ics", "calendar feed, CalDAV folder, import; busy calendars" },
	{ "invoice", "invoices, credit notes, payments and the ledger" },
	{ "report", "no-shows, utilisation, customers and revenue" },
	{ "msg", "write to a customer, file replies, show the thread" },
	{ "web", "the booking page: a CGI program for a web server" },
};

static void
help(void)
{
	size_t i;
	char self[PATH_MAX], *p, *path;
	ssize_t n;

	printf("usage: %s\n\ncommands:\n", synopsis);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	if ((p = strrchr(self, '/')))
		*p = '\0';
	for (i = 0; i < sizeof cmds / sizeof cmds[0]; i++) {
		path = xasprintf("%s/appt-%s", self, cmds[i].name);
		if (*self && access(path, X_OK) == 0)
			printf("  %-10s %s\n", cmds[i].name, cmds[i].what);
		free(path);
	}
	printf("\n'appt COMMAND -h' shows a command's usage; "
	    "man appt-COMMAND tells all.\n");
	appt_exit(0);
}

int
main(int argc, char *argv[])
{
	char self[PATH_MAX], *p, *name, *path;
	ssize_t n;

	appt_setprog(argv[0]);
	if (argc < 2)
		appt_usage(synopsis, 0);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "help") ||
	    !strcmp(argv[1], "--help"))
		help();
	if (!strcmp(argv[1], "-V"))
		appt_version();
	if (argv[1][0] == '-' || strchr(argv[1], '/'))
		appt_usage(synopsis, 0);
	name = xasprintf("appt-%s", argv[1]);
	argv[1] = name;
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		if ((p = strrchr(self, '/'))) {
			*p = '\0';
			path = xasprintf("%s/%s", self, name);
			if (access(path, X_OK) == 0)
				execv(path, argv + 1);
			free(path);
		}
	}
	execvp(name, argv + 1);
	if (errno == ENOENT)
		appt_die(APPT_EUSAGE, "%s: no such command ('appt help' "
		    "lists them)", argv[1] + 5);
	appt_die(APPT_EFAIL, "%s: %s", name, strerror(errno));
}
