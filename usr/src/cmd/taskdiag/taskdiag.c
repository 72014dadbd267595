/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * taskdiag: show processes and LWPs through the task_diag interface of
 * libtaskdiag, as a table, as JSON, or as the raw reply stream; or decode
 * a saved raw stream.  See taskdiag(1).
 *
 * Everything is streamed: each buffer that taskdiag_read() fills is fed to
 * the decoder and the tasks it completes are printed at once, so memory
 * does not grow with the number of tasks.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_cmd.h"

#define	EXIT_OK		0
#define	EXIT_ERROR	1	/* not everything asked for was shown */
#define	EXIT_USAGE	2

#define	DEF_BUFSIZE	(64 * 1024)
#define	MAX_BUFSIZE	(64 * 1024 * 1024)
#define	OUT_BUFSIZE	(64 * 1024)

#define	SCOPE_ERROR	\
	    "only one of -a, -A, -c pid, -t pid or pid operands may be given"

/* The sequence number of every request. */
#define	REQ_SEQ		1

typedef enum {
	FMT_TABLE,
	FMT_JSON,
	FMT_RAW
} fmt_t;

/* The table's scope when -i is used: from -a or -A, or guessed. */
typedef enum {
	SCOPE_GUESS,
	SCOPE_PROC,
	SCOPE_LWP
} scope_t;

static const char *cmdname = "taskdiag";

static fmt_t opt_fmt = FMT_TABLE;
static uint64_t opt_show = TASK_DIAG_SHOW_BASE;
static int opt_show_given;
static int opt_header = 1;
static scope_t opt_scope = SCOPE_GUESS;

static int tbl_ready;		/* the table's columns are chosen */
static int exit_status = EXIT_OK;

/* What cleanup() frees at exit. */
static taskdiag_t *g_handle;
static taskdiag_dec_t *g_dec;
static void *g_buf;
static char *g_list;

static const char usage_text[] =
    "usage: taskdiag [-r root] [-i file] [-o table|json|raw] [-s list]\n"
    "                [-b bytes] [-H] [-a | -A | -c pid | -t pid | "
    "pid ...]\n"
    "       taskdiag -h | --help\n"
    "  -a          all processes (the default)\n"
    "  -A          all LWPs of all processes\n"
    "  -b bytes    read buffer size (at least 248; default 65536)\n"
    "  -c pid      the children of pid\n"
    "  -H          omit the table header\n"
    "  -h, --help  print this help\n"
    "  -i file     decode a saved raw stream (- for standard input)\n"
    "  -o format   table (the default), json or raw\n"
    "  -r root     procfs root (default /proc)\n"
    "  -s list     attributes to show, separated by commas: base, cred,\n"
    "              stat, statm, cmdline, psinfo, lwpsinfo, lwpstatus,\n"
    "              usage, pstatus, lwpname, or all (default base)\n"
    "  -t pid      the LWPs of pid\n"
    "  pid         a process ID or a /proc/pid path\n";

static void
usage(FILE *fp)
{
	(void) fputs(usage_text, fp);
}

/*
 * Report an error on the command line, print the usage, and exit 2.
 */
static void
usage_error(const char *fmt, ...) TD_PRINTFLIKE(1, 2);

static void
usage_error(const char *fmt, ...)
{
	va_list ap;

	(void) fprintf(stderr, "%s: ", cmdname);
	va_start(ap, fmt);
	(void) vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void) fputc('\n', stderr);
	usage(stderr);
	exit(EXIT_USAGE);
}

/*
 * Print an error message on stderr after what has been written to
 * standard output, so that the two appear in order.
 */
static void
td_warn(const char *fmt, ...) TD_PRINTFLIKE(1, 2);

static void
td_warn(const char *fmt, ...)
{
	va_list ap;

	(void) out_flush();
	(void) fprintf(stderr, "%s: ", cmdname);
	va_start(ap, fmt);
	(void) vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void) fputc('\n', stderr);
}

/*
 * The message for an errno, in the lower case of the ptools.
 */
static const char *
errmsg(int err)
{
	static char buf[128];
	const char *s;

	switch (err) {
	case ESRCH:
		return ("no such process");
	case EACCES:
	case EPERM:
		return ("permission denied");
	case EIO:
		return ("cannot read process data");
	case ENOENT:
		return ("no such file or directory");
	default:
		break;
	}
	s = strerror(err);
	(void) snprintf(buf, sizeof (buf), "%s", s);
	if (isupper((unsigned char)buf[0]) &&
	    (buf[1] == '\0' || !isupper((unsigned char)buf[1])))
		buf[0] = (char)tolower((unsigned char)buf[0]);
	return (buf);
}

/*
 * Standard output has failed.  A closed pipe ends the command quietly
 * with the status it already has; any other failure is reported.
 */
static void
out_failed(void)
{
	int err = out_error();

	if (err == EPIPE)
		exit(exit_status);
	(void) fprintf(stderr, "%s: write error: %s\n", cmdname,
	    errmsg(err));
	exit(EXIT_ERROR);
}

/*
 * Parse a process ID operand: "1234", or a path whose last component is
 * the process ID ("/proc/1234").  Returns 0, or -1 if it is not one.
 */
static int
parse_pid(const char *arg, uint32_t *pidp)
{
	size_t len = strlen(arg);
	size_t start;
	uint64_t v = 0;
	size_t i;

	while (len > 1 && arg[len - 1] == '/')
		len--;
	for (start = len; start > 0 && arg[start - 1] != '/'; start--)
		continue;
	if (start == len || len - start > 10)
		return (-1);
	for (i = start; i < len; i++) {
		if (arg[i] < '0' || arg[i] > '9')
			return (-1);
		v = v * 10 + (uint64_t)(arg[i] - '0');
	}
	if (v > INT32_MAX)
		return (-1);
	*pidp = (uint32_t)v;
	return (0);
}

/*
 * Parse the -s list into a mask of show bits.
 */
static uint64_t
parse_show(const char *arg)
{
	char *list, *name, *last = NULL;
	uint64_t mask = 0;
	int type;

	if ((g_list = list = strdup(arg)) == NULL) {
		(void) fprintf(stderr, "%s: out of memory\n", cmdname);
		exit(EXIT_ERROR);
	}
	if (*list == '\0')
		usage_error("-s: empty attribute list");
	for (name = list; name != NULL; name = last) {
		if ((last = strchr(name, ',')) != NULL)
			*last++ = '\0';
		if (strcmp(name, "all") == 0) {
			mask |= TASK_DIAG_SHOW_ALL;
			continue;
		}
		type = taskdiag_attr_byname(name);
		if (type < 0 || type > TASK_DIAG_ATTR_MAX ||
		    (TASK_DIAG_SHOW_ALL & (1ULL << type)) == 0) {
			unsigned int t;
			int first = 1;

			(void) fprintf(stderr, "%s: -s: unknown attribute "
			    "'%s'; valid attributes:", cmdname, name);
			for (t = 0; t <= TASK_DIAG_ATTR_MAX; t++) {
				if ((TASK_DIAG_SHOW_ALL & (1ULL << t)) == 0 ||
				    taskdiag_attr_name(t) == NULL)
					continue;
				(void) fprintf(stderr, "%s %s",
				    first ? "" : ",", taskdiag_attr_name(t));
				first = 0;
			}
			(void) fprintf(stderr, ", all\n");
			usage(stderr);
			exit(EXIT_USAGE);
		}
		mask |= 1ULL << type;
	}
	free(list);
	g_list = NULL;
	return (mask);
}

static size_t
parse_bufsize(const char *arg)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0')
		usage_error("-b: invalid size: %s", arg);
	if (v < TASK_DIAG_MIN_READ) {
		usage_error("-b: %s is less than the minimum of %u bytes",
		    arg, TASK_DIAG_MIN_READ);
	}
	if (errno == ERANGE || v > MAX_BUFSIZE) {
		usage_error("-b: %s is more than the maximum of %u bytes",
		    arg, MAX_BUFSIZE);
	}
	return ((size_t)v);
}

/*
 * Print one decoded task.  For a saved stream, the table's columns are
 * chosen when its first task is seen.
 */
static void
emit(const taskdiag_task_t *t)
{
	if (opt_fmt == FMT_JSON) {
		json_task(t, opt_show);
	} else {
		if (!tbl_ready) {
			uint64_t cols = opt_show_given ? opt_show :
			    taskdiag_task_present(t);
			int lwp;

			if (opt_scope == SCOPE_GUESS) {
				lwp = taskdiag_task_pid(t) !=
				    taskdiag_task_tgid(t) ||
				    taskdiag_task_lwpname(t) != NULL;
			} else {
				lwp = opt_scope == SCOPE_LWP;
			}
			table_setup(cols, lwp);
			if (opt_header)
				table_header();
			tbl_ready = 1;
		}
		table_row(t, opt_show);
	}
	if (out_error() != 0)
		out_failed();
}

/*
 * Report a failure of the decoder: the damage it found in the stream and
 * where ("name: what at byte N: why"), or the errno of a failure that was
 * not the stream's (ENOMEM).
 */
static void
dec_failed(const char *name, const char *what, const taskdiag_dec_t *dec,
    int err)
{
	const char *why = taskdiag_dec_error(dec);

	if (why == NULL) {
		td_warn("%s: %s", name, errmsg(err));
	} else {
		td_warn("%s: %s at byte %" PRIu64 ": %s", name, what,
		    taskdiag_dec_offset(dec), why);
	}
	exit_status = EXIT_ERROR;
}

/*
 * Print the tasks the decoder has completed.  Returns 0 when it needs
 * more bytes, -1 when the stream is corrupt.
 */
static int
drain(taskdiag_dec_t *dec)
{
	const taskdiag_task_t *t;
	int r;

	while ((r = taskdiag_dec_next(dec, &t)) == 1)
		emit(t);
	return (r < 0 ? -1 : 0);
}

/*
 * Report the tasks the last read left out: one line each, and exit 1.
 */
static void
report_skipped(const taskdiag_t *h)
{
	const taskdiag_skip_t *s;
	size_t n, i;

	n = taskdiag_skipped(h, &s);
	for (i = 0; i < n; i++) {
		td_warn("%" PRIu32 ": %s", s[i].tds_pid,
		    errmsg(s[i].tds_errno));
		exit_status = EXIT_ERROR;
	}
}

/*
 * One transaction: request the dump and print the reply as it arrives.
 * Errors name the process, or the procfs root for the dumps of all.
 */
static void
transact(taskdiag_t *h, uint64_t strategy, uint32_t pid, void *buf,
    size_t bufsize)
{
	struct task_diag_pid req;
	taskdiag_dec_t *dec = NULL;
	char pidbuf[16];
	const char *label;
	int first = 1;
	ssize_t n;

	if (strategy == TASK_DIAG_DUMP_ALL ||
	    strategy == TASK_DIAG_DUMP_ALL_THREAD) {
		label = taskdiag_root(h);
	} else {
		(void) snprintf(pidbuf, sizeof (pidbuf), "%" PRIu32, pid);
		label = pidbuf;
	}

	(void) memset(&req, 0, sizeof (req));
	req.show_flags = opt_show;
	req.dump_strategy = strategy;
	req.pid = pid;
	if (taskdiag_request(h, &req, REQ_SEQ) != 0) {
		td_warn("%s: request failed: %s", label, errmsg(errno));
		exit_status = EXIT_ERROR;
		return;
	}
	if (opt_fmt != FMT_RAW &&
	    (g_dec = dec = taskdiag_dec_new()) == NULL) {
		td_warn("out of memory");
		exit(EXIT_ERROR);
	}

	for (;;) {
		n = taskdiag_read(h, buf, bufsize);
		if (n < 0) {
			int err = errno;

			report_skipped(h);
			if (first && label == pidbuf) {
				td_warn("%s: %s", label, errmsg(err));
			} else {
				td_warn("%s: dump incomplete: %s", label,
				    errmsg(err));
			}
			exit_status = EXIT_ERROR;
			break;
		}
		report_skipped(h);
		first = 0;
		if (n == 0) {
			if (dec != NULL && taskdiag_dec_finish(dec) != 0)
				dec_failed(label, "reply cut short", dec,
				    errno);
			break;
		}
		if (dec == NULL) {
			out_write(buf, (size_t)n);
			if (out_error() != 0)
				out_failed();
			continue;
		}
		if (taskdiag_dec_feed(dec, buf, (size_t)n) != 0) {
			td_warn("out of memory");
			exit(EXIT_ERROR);
		}
		if (drain(dec) != 0) {
			dec_failed(label, "corrupt reply", dec, errno);
			/* End the transaction, so that the next may start. */
			while (taskdiag_read(h, buf, bufsize) > 0)
				continue;
			break;
		}
	}
	taskdiag_dec_free(dec);
	g_dec = NULL;
}

/*
 * The raw bytes of a saved stream not yet written by -o raw: pend_len
 * bytes at pend + pend_start, from stream offset pend_off on.
 */
static char *pend;
static size_t pend_start;
static size_t pend_len;
static size_t pend_size;
static uint64_t pend_off;

static void
pend_add(const void *buf, size_t len)
{
	if (pend_start > 0) {
		(void) memmove(pend, pend + pend_start, pend_len);
		pend_start = 0;
	}
	if (pend_len + len > pend_size) {
		size_t size = pend_size == 0 ? len : pend_size;
		char *p;

		while (size < pend_len + len)
			size *= 2;
		if ((p = realloc(pend, size)) == NULL) {
			td_warn("out of memory");
			exit(EXIT_ERROR);
		}
		pend = p;
		pend_size = size;
	}
	(void) memcpy(pend + pend_len, buf, len);
	pend_len += len;
}

/*
 * Write the pending bytes before stream offset off.
 */
static void
pend_write(uint64_t off)
{
	size_t n;

	if (off <= pend_off)
		return;
	n = (size_t)(off - pend_off);
	if (n > pend_len)
		n = pend_len;
	out_write(pend + pend_start, n);
	if (out_error() != 0)
		out_failed();
	pend_start += n;
	pend_len -= n;
	pend_off += n;
}

/*
 * -o raw with -i: copy the whole tasks of the stream, that is, the
 * messages up to the end of the last task the decoder completed.
 */
static int
drain_raw(taskdiag_dec_t *dec)
{
	const taskdiag_task_t *t;
	int r;

	while ((r = taskdiag_dec_next(dec, &t)) == 1)
		pend_write(taskdiag_dec_offset(dec));
	return (r < 0 ? -1 : 0);
}

/*
 * -i: decode a saved stream from a file or standard input.
 */
static void
decode_file(const char *path, void *buf, size_t bufsize)
{
	const char *name = strcmp(path, "-") == 0 ? "standard input" : path;
	taskdiag_dec_t *dec;
	int fd, r;
	ssize_t n;

	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else if ((fd = open(path, O_RDONLY)) < 0) {
		td_warn("cannot open %s: %s", path, errmsg(errno));
		exit(EXIT_ERROR);
	}
	if ((g_dec = dec = taskdiag_dec_new()) == NULL) {
		td_warn("out of memory");
		exit(EXIT_ERROR);
	}

	for (;;) {
		n = read(fd, buf, bufsize);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			td_warn("%s: read failed: %s", name, errmsg(errno));
			exit_status = EXIT_ERROR;
			break;
		}
		if (n == 0) {
			if (taskdiag_dec_finish(dec) != 0)
				dec_failed(name, "stream cut short", dec,
				    errno);
			else if (opt_fmt == FMT_RAW)
				pend_write(taskdiag_dec_offset(dec));
			break;
		}
		if (opt_fmt == FMT_RAW)
			pend_add(buf, (size_t)n);
		if (taskdiag_dec_feed(dec, buf, (size_t)n) != 0) {
			td_warn("out of memory");
			exit(EXIT_ERROR);
		}
		r = opt_fmt == FMT_RAW ? drain_raw(dec) : drain(dec);
		if (r != 0) {
			dec_failed(name, "corrupt stream", dec, errno);
			break;
		}
	}
	taskdiag_dec_free(dec);
	g_dec = NULL;
	free(pend);
	pend = NULL;
	if (fd != STDIN_FILENO)
		(void) close(fd);
}

/*
 * Free what is left at exit, on every path.
 */
static void
cleanup(void)
{
	taskdiag_dec_free(g_dec);
	g_dec = NULL;
	taskdiag_close(g_handle);
	g_handle = NULL;
	free(g_buf);
	g_buf = NULL;
	free(g_list);
	g_list = NULL;
	free(pend);
	pend = NULL;
	out_fini();
}

/*
 * The one long option, --help, which getopt() would take for -h, -e, ...;
 * any other word beginning with "--" before the operands is a usage
 * error that names it.  An option's argument is not looked at ("-s
 * --help" is -s with a bad list), nor anything after "--".
 */
static void
long_options(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (a[0] != '-' || a[1] == '\0' || strcmp(a, "--") == 0)
			return;
		if (a[1] == '-') {
			if (strcmp(a, "--help") != 0)
				usage_error("unknown option: %s", a);
			usage(stdout);
			exit(EXIT_OK);
		}
		/* Skip the argument of an option that takes one apart. */
		for (a++; *a != '\0'; a++) {
			if (strchr("bciorst", *a) != NULL) {
				if (a[1] == '\0')
					i++;
				break;
			}
		}
	}
}

int
main(int argc, char **argv)
{
	const char *root = NULL, *input = NULL;
	size_t bufsize = DEF_BUFSIZE;
	uint64_t strategy = TASK_DIAG_DUMP_ALL;
	uint32_t pid = 0;
	int scope = 0;
	taskdiag_t *h;
	void *buf;
	int c, i;

	(void) atexit(cleanup);
	long_options(argc, argv);
	opterr = 0;
	while ((c = getopt(argc, argv, ":aAb:c:hHi:o:r:s:t:")) != -1) {
		switch (c) {
		case 'a':
		case 'A':
		case 'c':
		case 't':
			if (scope != 0 && (scope != c || c == 'c' || c == 't'))
				usage_error(SCOPE_ERROR);
			scope = c;
			if (c == 'a') {
				strategy = TASK_DIAG_DUMP_ALL;
			} else if (c == 'A') {
				strategy = TASK_DIAG_DUMP_ALL_THREAD;
			} else {
				strategy = c == 'c' ? TASK_DIAG_DUMP_CHILDREN :
				    TASK_DIAG_DUMP_THREAD;
				if (parse_pid(optarg, &pid) != 0) {
					usage_error("-%c: invalid process ID: "
					    "%s", c, optarg);
				}
			}
			break;
		case 'b':
			bufsize = parse_bufsize(optarg);
			break;
		case 'h':
			usage(stdout);
			return (EXIT_OK);
		case 'H':
			opt_header = 0;
			break;
		case 'i':
			input = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "table") == 0)
				opt_fmt = FMT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				opt_fmt = FMT_JSON;
			else if (strcmp(optarg, "raw") == 0)
				opt_fmt = FMT_RAW;
			else
				usage_error("-o: unknown format: %s", optarg);
			break;
		case 'r':
			root = optarg;
			break;
		case 's':
			opt_show = parse_show(optarg);
			opt_show_given = 1;
			break;
		case ':':
			usage_error("option requires an argument: -%c",
			    optopt);
			break;
		default:
			usage_error("unknown option: -%c", optopt);
			break;
		}
	}

	if (optind < argc) {
		if (scope != 0)
			usage_error(SCOPE_ERROR);
		for (i = optind; i < argc; i++) {
			if (parse_pid(argv[i], &pid) != 0)
				usage_error("invalid process ID: %s", argv[i]);
		}
		strategy = TASK_DIAG_DUMP_ONE;
	}
	if (input != NULL) {
		if (root != NULL)
			usage_error("-i and -r cannot be used together");
		if (strategy != TASK_DIAG_DUMP_ALL &&
		    strategy != TASK_DIAG_DUMP_ALL_THREAD)
			usage_error("-i cannot be used with -c, -t or "
			    "process IDs");
		if (scope != 0)
			opt_scope = strategy == TASK_DIAG_DUMP_ALL_THREAD ?
			    SCOPE_LWP : SCOPE_PROC;
		if (!opt_show_given)
			opt_show = UINT64_MAX;
	}

	/*
	 * A closed pipe shows as EPIPE from write(2), which ends the
	 * command quietly (see out_failed()).
	 */
	(void) signal(SIGPIPE, SIG_IGN);

	if (out_init(STDOUT_FILENO, OUT_BUFSIZE) != 0 ||
	    (g_buf = buf = malloc(bufsize)) == NULL) {
		(void) fprintf(stderr, "%s: out of memory\n", cmdname);
		return (EXIT_ERROR);
	}

	if (input != NULL) {
		decode_file(input, buf, bufsize);
		if (opt_fmt == FMT_TABLE && !tbl_ready && opt_header) {
			table_setup(opt_show_given ? opt_show :
			    TASK_DIAG_SHOW_BASE, opt_scope == SCOPE_LWP);
			table_header();
		}
	} else {
		if ((g_handle = h = taskdiag_open(root)) == NULL) {
			(void) fprintf(stderr, "%s: cannot open %s: %s\n",
			    cmdname, root == NULL ? "/proc" : root,
			    errmsg(errno));
			return (EXIT_ERROR);
		}
		if (opt_fmt == FMT_TABLE) {
			table_setup(opt_show,
			    strategy == TASK_DIAG_DUMP_ALL_THREAD ||
			    strategy == TASK_DIAG_DUMP_THREAD);
			if (opt_header)
				table_header();
			tbl_ready = 1;
		}
		if (strategy == TASK_DIAG_DUMP_ONE) {
			for (i = optind; i < argc; i++) {
				(void) parse_pid(argv[i], &pid);
				transact(h, strategy, pid, buf, bufsize);
			}
		} else {
			transact(h, strategy, pid, buf, bufsize);
		}
	}

	if (out_flush() != 0)
		out_failed();
	return (exit_status);
}
