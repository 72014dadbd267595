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

#include <sys/types.h>
#include <sys/stat.h>
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
#include <time.h>
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
	FMT_RAW,
	FMT_OPENMETRICS,
	FMT_PROMETHEUS
} fmt_t;

/* The most procfs roots -r may name, one per sample. */
#define	MAX_ROOTS	64

/* The attributes -m needs; the metrics formats need these and STATM. */
#define	SHOW_MSTATE	(TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_STAT |	\
	TASK_DIAG_SHOW_PSINFO | TASK_DIAG_SHOW_USAGE)
#define	SHOW_METRICS	(SHOW_MSTATE | TASK_DIAG_SHOW_STATM)

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

static int opt_mstate;		/* -m */
static int opt_collect;		/* a sample is kept until it ends */
static uint64_t opt_req;	/* the attributes requested */
static int tbl_ready;		/* the table's columns are chosen */
static volatile sig_atomic_t got_sigint;
static int exit_status = EXIT_OK;

/* -S proc: this system's /proc reader. */
#ifdef	__sun
#define	TD_SRC_PROC	TASKDIAG_SRC_ILLUMOS
#else
#define	TD_SRC_PROC	TASKDIAG_SRC_LINUX
#endif

/* What cleanup() frees at exit. */
static taskdiag_t *g_handle;
static taskdiag_dec_t *g_dec;
static void *g_buf;
static char *g_list;

static const char usage_text[] =
    "usage: taskdiag [-r root ...] [-i file] [-o format] [-s list] "
    "[-b bytes] [-H]\n"
    "                [-S source] [-m [-k key] [-n lines]] [-I secs] "
    "[-C count]\n"
    "                [-a | -A | -c pid | -t pid | pid ...]\n"
    "       taskdiag -h | --help\n"
    "  -a          all processes (the default)\n"
    "  -A          all LWPs of all processes\n"
    "  -b bytes    read buffer size (at least 248, 4272 with vma; "
    "default\n"
    "              65536)\n"
    "  -c pid      the children of pid\n"
    "  -C count    take count samples (default 1; with -I: until "
    "interrupted)\n"
    "  -H          omit the table header\n"
    "  -h, --help  print this help\n"
    "  -i file     decode a saved raw stream (- for standard input)\n"
    "  -I secs     sample every secs seconds\n"
    "  -k key      -m: sort by usr, sys, trp, tfl, dfl, lck, slp, lat,\n"
    "              vcx, icx, scl, sig, cpu (the default) or pid\n"
    "  -m          microstates between samples, as prstat -m\n"
    "  -n lines    -m: show only the first lines tasks\n"
    "  -o format   table (the default), json, raw, openmetrics or\n"
    "              prometheus\n"
    "  -r root     procfs root (default /proc); given again, each "
    "sample\n"
    "              is taken from the next root\n"
    "  -S source   read the root with proc (the /proc reader) or bpf (the\n"
    "              BPF task iterator; live Linux /proc); default: the\n"
    "              best that takes the root\n"
    "  -s list     attributes to show, separated by commas: base, cred,\n"
    "              stat, statm, cmdline, psinfo, lwpsinfo, lwpstatus,\n"
    "              usage, pstatus, lwpname, or all (default base); all\n"
    "              but the memory maps, which are asked by name: vma,\n"
    "              vma_stat, xmap\n"
    "  -t pid      the LWPs of pid (or of a core file)\n"
    "  pid         a process ID or a /proc/pid path; a regular file is\n"
    "              a core file\n";

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
 * Is the operand a core file?  As the ptools take them: a regular file,
 * unless it is a bare process ID ("123" is a pid, "./123" a file).
 */
static int
is_core(const char *arg)
{
	struct stat st;
	uint32_t pid;

	if (strchr(arg, '/') == NULL && parse_pid(arg, &pid) == 0)
		return (0);
	return (stat(arg, &st) == 0 && S_ISREG(st.st_mode));
}

/*
 * Why a core file (or a root) could not be opened.
 */
static const char *
open_errmsg(const char *path, int err)
{
	struct stat st;

	if (path != NULL && stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
		if (err == ENOEXEC)
			return ("not a core file (an illumos or Linux ELF "
			    "core)");
		if (err == EIO)
			return ("damaged core file: its notes do not name "
			    "its process");
		if (err == EOVERFLOW)
			return ("a 64-bit core: use the 64-bit taskdiag");
	}
	return (errmsg(err));
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
		    (TASK_DIAG_SHOW_KNOWN & (1ULL << type)) == 0) {
			unsigned int t;
			int first = 1;

			(void) fprintf(stderr, "%s: -s: unknown attribute "
			    "'%s'; valid attributes:", cmdname, name);
			for (t = 0; t <= TASK_DIAG_ATTR_MAX; t++) {
				if ((TASK_DIAG_SHOW_KNOWN & (1ULL << t)) == 0 ||
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
	if (opt_collect) {
		snap_add(t);
		return;
	}
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
		if (opt_show & TASK_DIAG_SHOW_VMA)
			vma_table(t);
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
drain(taskdiag_dec_t *dec, int replay)
{
	const taskdiag_task_t *t;
	int r;

	while ((r = taskdiag_dec_next(dec, &t)) == 1) {
		/* A saved stream: a new sample begins where a task repeats. */
		if (replay && opt_collect &&
		    snap_has(taskdiag_task_tgid(t), taskdiag_task_pid(t))) {
			snap_end(0);
			if (out_error() != 0)
				out_failed();
		}
		emit(t);
	}
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
	req.show_flags = opt_req;
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
		if (drain(dec, 0) != 0) {
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
 * A core file operand: its process (ONE), its LWPs (THREAD); it has no
 * children (CHILDREN: nothing is shown).  The handle is the core's own.
 */
static void
transact_core(const char *path, uint64_t strategy, void *buf,
    size_t bufsize)
{
	taskdiag_t *h;

	if ((h = taskdiag_open(path)) == NULL) {
		td_warn("%s: %s", path, open_errmsg(path, errno));
		exit_status = EXIT_ERROR;
		return;
	}
	if (strategy == TASK_DIAG_DUMP_ONE)
		transact(h, TASK_DIAG_DUMP_ALL, 0, buf, bufsize);
	else if (strategy == TASK_DIAG_DUMP_THREAD)
		transact(h, TASK_DIAG_DUMP_ALL_THREAD, 0, buf, bufsize);
	taskdiag_close(h);
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
		r = opt_fmt == FMT_RAW ? drain_raw(dec) : drain(dec, 1);
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
	snap_fini();
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
			if (strchr("bciorstCIkn", *a) != NULL) {
				if (a[1] == '\0')
					i++;
				break;
			}
		}
	}
}

static void
on_sigint(int sig)
{
	(void) sig;
	got_sigint = 1;
}

/*
 * Parse a count or a line number: a decimal integer of at least min.
 */
static uint64_t
parse_count(int opt, const char *arg, uint64_t min)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(arg, &end, 10);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno == ERANGE ||
	    v > UINT32_MAX)
		usage_error("-%c: invalid number: %s", opt, arg);
	if (v < min)
		usage_error("-%c: %s is less than %" PRIu64, opt, arg, min);
	return ((uint64_t)v);
}

/*
 * Parse -I: seconds, a decimal number (0.5, 2) above 0, at most a day.
 */
static double
parse_interval(const char *arg)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || errno != 0 ||
	    !(v > 0) || v > 86400)
		usage_error("-I: invalid interval: %s (seconds, above 0, at "
		    "most 86400)", arg);
	return (v);
}

/*
 * Sleep for secs seconds, or until SIGINT.
 */
static void
nap(double secs)
{
	struct timespec ts;

	ts.tv_sec = (time_t)secs;
	ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L)
		ts.tv_nsec = 999999999L;
	while (!got_sigint && nanosleep(&ts, &ts) != 0 && errno == EINTR)
		continue;
}

static uint64_t
wall_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return (0);
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

int
main(int argc, char **argv)
{
	const char *roots[MAX_ROOTS];
	const char *input = NULL;
	size_t nroots = 0;
	size_t bufsize = DEF_BUFSIZE;
	uint64_t strategy = TASK_DIAG_DUMP_ALL;
	uint64_t count = 1, k;
	double interval = 0;
	int count_given = 0;
	const char *sortkey = NULL;
	size_t top = 0;
	int top_given = 0;
	uint32_t pid = 0;
	const char *core_arg = NULL;	/* -c or -t of a core file */
	int need_root;
	int scope = 0, opt_source = 0;
	int sampling, lwpscope;
	snap_opts_t so;
	taskdiag_t *h;
	void *buf;
	int c, i;

	(void) atexit(cleanup);
	long_options(argc, argv);
	opterr = 0;
	while ((c = getopt(argc, argv, ":aAb:c:C:hHi:I:k:mn:o:r:s:S:t:")) !=
	    -1) {
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
				if (is_core(optarg))
					core_arg = optarg;
				else if (parse_pid(optarg, &pid) != 0) {
					usage_error("-%c: invalid process ID: "
					    "%s", c, optarg);
				}
			}
			break;
		case 'b':
			bufsize = parse_bufsize(optarg);
			break;
		case 'C':
			count = parse_count('C', optarg, 1);
			count_given = 1;
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
		case 'I':
			interval = parse_interval(optarg);
			break;
		case 'k':
			if (snap_sortkey(optarg) < 0) {
				usage_error("-k: unknown key '%s'; valid keys: "
				    "%s", optarg, snap_keynames());
			}
			sortkey = optarg;
			break;
		case 'm':
			opt_mstate = 1;
			break;
		case 'n':
			top = (size_t)parse_count('n', optarg, 1);
			top_given = 1;
			break;
		case 'o':
			if (strcmp(optarg, "table") == 0)
				opt_fmt = FMT_TABLE;
			else if (strcmp(optarg, "json") == 0)
				opt_fmt = FMT_JSON;
			else if (strcmp(optarg, "raw") == 0)
				opt_fmt = FMT_RAW;
			else if (strcmp(optarg, "openmetrics") == 0)
				opt_fmt = FMT_OPENMETRICS;
			else if (strcmp(optarg, "prometheus") == 0)
				opt_fmt = FMT_PROMETHEUS;
			else
				usage_error("-o: unknown format: %s", optarg);
			break;
		case 'r':
			if (nroots == MAX_ROOTS)
				usage_error("-r: at most %d roots",
				    MAX_ROOTS);
			roots[nroots++] = optarg;
			break;
		case 'S':
			if (strcmp(optarg, "proc") == 0)
				opt_source = TD_SRC_PROC;
			else if (strcmp(optarg, "bpf") == 0)
				opt_source = TASKDIAG_SRC_LINUX_BPF;
			else
				usage_error("-S: unknown source: %s (proc or "
				    "bpf)", optarg);
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
			if (!is_core(argv[i]) && parse_pid(argv[i], &pid) != 0)
				usage_error("invalid process ID: %s",
				    argv[i]);
		}
		strategy = TASK_DIAG_DUMP_ONE;
	}
	if (input == NULL && (opt_show & TASK_DIAG_SHOW_VMA) &&
	    bufsize < TASK_DIAG_MIN_READ_VMA)
		usage_error("-b: vma needs at least %u bytes",
		    TASK_DIAG_MIN_READ_VMA);
	if ((sortkey != NULL || top_given) && !opt_mstate)
		usage_error("-k and -n need -m");
	if (input != NULL) {
		if (nroots > 0)
			usage_error("-i and -r cannot be used together");
		if (strategy != TASK_DIAG_DUMP_ALL &&
		    strategy != TASK_DIAG_DUMP_ALL_THREAD)
			usage_error("-i cannot be used with -c, -t or "
			    "process IDs");
		if (count_given || interval > 0)
			usage_error("-i cannot be used with -I or -C");
		if (scope != 0)
			opt_scope = strategy == TASK_DIAG_DUMP_ALL_THREAD ?
			    SCOPE_LWP : SCOPE_PROC;
		if (!opt_show_given)
			opt_show = UINT64_MAX;
	}
	if (nroots > 1) {
		if (count_given)
			usage_error("-C cannot be used with more than one -r: "
			    "one sample is taken from each root");
		count = nroots;
	} else if (interval > 0 && !count_given) {
		count = 0;		/* until interrupted */
	}
	sampling = count != 1;
	lwpscope = strategy == TASK_DIAG_DUMP_ALL_THREAD ||
	    strategy == TASK_DIAG_DUMP_THREAD;

	opt_req = opt_show;
	if (opt_mstate)
		opt_req |= SHOW_MSTATE | (lwpscope ? TASK_DIAG_SHOW_LWPSINFO :
		    0);
	if (opt_fmt == FMT_OPENMETRICS || opt_fmt == FMT_PROMETHEUS)
		opt_req |= SHOW_METRICS | (lwpscope ? TASK_DIAG_SHOW_LWPSINFO :
		    0);
	opt_collect = opt_fmt != FMT_RAW && (opt_mstate ||
	    opt_fmt == FMT_OPENMETRICS || opt_fmt == FMT_PROMETHEUS);

	(void) memset(&so, 0, sizeof (so));
	so.so_fmt = opt_fmt == FMT_JSON ? SNAP_JSON :
	    opt_fmt == FMT_OPENMETRICS ? SNAP_OPENMETRICS :
	    opt_fmt == FMT_PROMETHEUS ? SNAP_PROMETHEUS : SNAP_TABLE;
	so.so_mstate = opt_mstate;
	so.so_lwp = input != NULL ? opt_scope == SCOPE_LWP : lwpscope;
	so.so_header = opt_header;
	so.so_tty = sampling && opt_fmt == FMT_TABLE &&
	    isatty(STDOUT_FILENO);
	so.so_sortkey = sortkey != NULL ? snap_sortkey(sortkey) :
	    SNAP_KEY_CPU;
	so.so_top = top;
	so.so_interval = interval;
	so.so_mask = opt_show;
	snap_init(&so);

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
		if (opt_collect)
			snap_end(0);
		else if (opt_fmt == FMT_TABLE && !tbl_ready && opt_header) {
			table_setup(opt_show_given ? opt_show :
			    TASK_DIAG_SHOW_BASE, opt_scope == SCOPE_LWP);
			table_header();
		}
		if (out_flush() != 0)
			out_failed();
		return (exit_status);
	}

	if (sampling) {
		struct sigaction sa;

		(void) memset(&sa, 0, sizeof (sa));
		sa.sa_handler = on_sigint;
		(void) sigemptyset(&sa.sa_mask);
		(void) sigaction(SIGINT, &sa, NULL);
	}
	if (nroots == 0)
		roots[nroots++] = NULL;
	/* Only core files named: no procfs root to open. */
	need_root = core_arg == NULL;
	if (need_root && strategy == TASK_DIAG_DUMP_ONE) {
		need_root = 0;
		for (i = optind; i < argc; i++)
			need_root |= !is_core(argv[i]);
	}
	for (k = 0; count == 0 || k < count; k++) {
		const char *root = roots[nroots > 1 ? k : 0];
		uint64_t wall;

		if (k > 0 && interval > 0)
			nap(interval);
		if (got_sigint)
			break;
		if (need_root && g_handle == NULL && (g_handle =
		    taskdiag_open_source(root, opt_source)) == NULL) {
			const char *why = taskdiag_open_error();

			(void) fprintf(stderr, "%s: cannot open %s: %s\n",
			    cmdname, root == NULL ? "/proc" : root,
			    why != NULL ? why : open_errmsg(root, errno));
			return (EXIT_ERROR);
		}
		h = g_handle;
		wall = wall_ns();
		if (opt_fmt == FMT_TABLE && !opt_collect) {
			if (so.so_tty)
				out_str("\033[H\033[J");
			else if (k > 0)
				out_char('\n');
			table_setup(opt_show, lwpscope);
			if (opt_header)
				table_header();
			tbl_ready = 1;
		}
		if (core_arg != NULL) {
			transact_core(core_arg, strategy, buf, bufsize);
		} else if (strategy == TASK_DIAG_DUMP_ONE) {
			for (i = optind; i < argc; i++) {
				if (is_core(argv[i])) {
					transact_core(argv[i], strategy, buf,
					    bufsize);
					continue;
				}
				(void) parse_pid(argv[i], &pid);
				transact(h, strategy, pid, buf, bufsize);
			}
		} else {
			transact(h, strategy, pid, buf, bufsize);
		}
		if (opt_collect)
			snap_end(wall);
		if (out_flush() != 0)
			out_failed();
		if (nroots > 1 && g_handle != NULL) {
			taskdiag_close(g_handle);
			g_handle = NULL;
		}
	}
	if (out_flush() != 0)
		out_failed();
	return (exit_status);
}
