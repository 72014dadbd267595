/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * btime: time several commands against each other.
 *
 *	btime [-n runs] [-N maxruns] [-e eps] [-w warmups] [-t timeout]
 *	    [-p label] [-v] 'label:cmd arg ...' ...
 *
 * Each command is run directly (no shell; arguments are split at blanks)
 * with standard input and output on /dev/null and standard error kept.
 * The contenders alternate: every round runs each of them once, starting
 * with a different one each round, so that a slow spell of the machine
 * is shared out.  The first `warmups' rounds (default 1) are not counted.
 * After `runs' rounds (default 5), more are run, up to `maxruns' in all
 * (default: runs), until the best time of every contender has been
 * matched within eps (default 0.03, 3%) by another of its rounds: on a
 * busy machine the best time is then a quiet moment seen twice, not a
 * fluke.  For each contender one line is printed, separated by tabs:
 *
 *	label runs best_s median_s user_s sys_s maxrss_kb cpu_s
 *
 * best_s is the smallest wall-clock time; user_s and sys_s are the CPU
 * times of that run; maxrss_kb is the largest peak resident set of all
 * the runs (wait4's ru_maxrss); cpu_s is the smallest CPU time (user and
 * system) of the runs, which waiting for a busy CPU does not lengthen.
 * With -p label, every line has a ninth field, paired_ratio: the median
 * over the rounds of the contender's wall-clock time over that of the
 * contender named label in the same round (the two ran one after the
 * other, so a slow spell of the machine weighs on both alike).  With -v,
 * each counted round's times go to standard error, a line: "round", then
 * for each contender in the order of the arguments its wall-clock and its
 * CPU time.  A command
 * that does not exit 0, or runs longer than the timeout (seconds, default
 * 300), ends btime with status 1.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define	MAXCMD	16
#define	MAXARG	64
#define	MAXRUN	100

typedef struct contender {
	char	*c_label;
	char	*c_argv[MAXARG + 1];
	double	c_wall[MAXRUN];
	double	c_user[MAXRUN];
	double	c_sys[MAXRUN];
	double	c_cpu[MAXRUN];
	long	c_maxrss;
	int	c_runs;
} contender_t;

static contender_t cmds[MAXCMD];
static int ncmds;
static const contender_t *pairref;	/* -p */
static volatile pid_t running;

static _Noreturn void
usage(void)
{
	(void) fprintf(stderr, "usage: btime [-n runs] [-N maxruns] "
	    "[-e eps] [-w warmups] [-t timeout] [-p label] [-v] "
	    "'label:cmd arg ...' ...\n");
	exit(2);
}

static void
on_alarm(int sig)
{
	(void) sig;
	if (running > 0)
		(void) kill(running, SIGKILL);
}

static double
now(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static double
tv_s(const struct timeval *tv)
{
	return ((double)tv->tv_sec + (double)tv->tv_usec / 1e6);
}

/*
 * Split "label:cmd arg ..." into the contender c (the string is kept).
 */
static void
parse_spec(char *spec, contender_t *c)
{
	char *colon = strchr(spec, ':'), *tok, *save = NULL;
	int n = 0;

	if (colon == NULL || colon == spec) {
		(void) fprintf(stderr, "btime: no label in '%s'\n", spec);
		exit(2);
	}
	*colon = '\0';
	c->c_label = spec;
	for (tok = strtok_r(colon + 1, " \t", &save); tok != NULL;
	    tok = strtok_r(NULL, " \t", &save)) {
		if (n == MAXARG) {
			(void) fprintf(stderr, "btime: too many arguments\n");
			exit(2);
		}
		c->c_argv[n++] = tok;
	}
	if (n == 0) {
		(void) fprintf(stderr, "btime: %s: no command\n", spec);
		exit(2);
	}
	c->c_argv[n] = NULL;
}

/*
 * Run c once; record its times when record is set.  Exits on failure.
 */
static void
run_one(contender_t *c, int devnull, int timeout, int record)
{
	struct rusage ru;
	double t0, t1;
	pid_t pid;
	int status;

	t0 = now();
	if ((pid = fork()) < 0) {
		perror("btime: fork");
		exit(1);
	}
	if (pid == 0) {
		(void) dup2(devnull, STDIN_FILENO);
		(void) dup2(devnull, STDOUT_FILENO);
		(void) close(devnull);
		(void) execvp(c->c_argv[0], c->c_argv);
		(void) fprintf(stderr, "btime: %s: %s\n", c->c_argv[0],
		    strerror(errno));
		_exit(127);
	}
	running = pid;
	(void) alarm((unsigned int)timeout);
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("btime: wait4");
			exit(1);
		}
	}
	t1 = now();
	(void) alarm(0);
	running = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		(void) fprintf(stderr, "btime: %s: %s %d\n", c->c_label,
		    WIFEXITED(status) ? "exit status" : "killed by signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) :
		    WTERMSIG(status));
		exit(1);
	}
	if (ru.ru_maxrss > c->c_maxrss)
		c->c_maxrss = ru.ru_maxrss;
	if (!record)
		return;
	c->c_wall[c->c_runs] = t1 - t0;
	c->c_user[c->c_runs] = tv_s(&ru.ru_utime);
	c->c_sys[c->c_runs] = tv_s(&ru.ru_stime);
	c->c_cpu[c->c_runs] = c->c_user[c->c_runs] + c->c_sys[c->c_runs];
	c->c_runs++;
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

/*
 * Has every contender's best time been matched within eps?
 */
static int
settled(double eps)
{
	int i, j;

	for (i = 0; i < ncmds; i++) {
		const contender_t *c = &cmds[i];
		double best = c->c_wall[0], second = -1;

		for (j = 1; j < c->c_runs; j++) {
			double t = c->c_wall[j];

			if (t < best) {
				second = best;
				best = t;
			} else if (second < 0 || t < second) {
				second = t;
			}
		}
		if (second < 0 || second > best * (1 + eps))
			return (0);
	}
	return (1);
}

/* The median of the n values at v (sorted in place). */
static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof (double), dbl_cmp);
	return (n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}

/*
 * The median over the rounds of c's time over the reference's in the
 * same round.  Round r of every contender is run in round r: a contender
 * that was run in fewer rounds than another is not (the rounds end
 * together).
 */
static double
paired(const contender_t *c, const contender_t *ref)
{
	double v[MAXRUN];
	int i, n = c->c_runs < ref->c_runs ? c->c_runs : ref->c_runs;

	for (i = 0; i < n; i++)
		v[i] = c->c_wall[i] / ref->c_wall[i];
	return (median(v, n));
}

static void
report(const contender_t *c)
{
	double sorted[MAXRUN], med, cpu;
	int i, best = 0;

	cpu = c->c_cpu[0];
	for (i = 1; i < c->c_runs; i++) {
		if (c->c_wall[i] < c->c_wall[best])
			best = i;
		if (c->c_cpu[i] < cpu)
			cpu = c->c_cpu[i];
	}
	(void) memcpy(sorted, c->c_wall, sizeof (double) * (size_t)c->c_runs);
	med = median(sorted, c->c_runs);
	(void) printf("%s\t%d\t%.6f\t%.6f\t%.6f\t%.6f\t%ld\t%.6f",
	    c->c_label, c->c_runs, c->c_wall[best], med, c->c_user[best],
	    c->c_sys[best], c->c_maxrss, cpu);
	if (pairref != NULL)
		(void) printf("\t%.6f", paired(c, pairref));
	(void) printf("\n");
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	int runs = 5, maxruns = 0, warmups = 1, timeout = 300;
	double eps = 0.03;
	const char *pairlabel = NULL;
	int ch, r, i, devnull, verbose = 0;

	while ((ch = getopt(argc, argv, "n:N:e:w:t:p:v")) != -1) {
		switch (ch) {
		case 'v':
			verbose = 1;
			break;
		case 'n':
			runs = atoi(optarg);
			break;
		case 'N':
			maxruns = atoi(optarg);
			break;
		case 'e':
			eps = atof(optarg);
			break;
		case 'w':
			warmups = atoi(optarg);
			break;
		case 't':
			timeout = atoi(optarg);
			break;
		case 'p':
			pairlabel = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (maxruns < runs)
		maxruns = runs;
	if (argc < 1 || argc > MAXCMD || runs < 1 || maxruns > MAXRUN ||
	    warmups < 0 || timeout < 1 || eps < 0)
		usage();
	for (i = 0; i < argc; i++)
		parse_spec(argv[i], &cmds[i]);
	ncmds = argc;
	for (i = 0; pairlabel != NULL && i < ncmds; i++) {
		if (strcmp(cmds[i].c_label, pairlabel) == 0)
			pairref = &cmds[i];
	}
	if (pairlabel != NULL && pairref == NULL) {
		(void) fprintf(stderr, "btime: -p %s: no such label\n",
		    pairlabel);
		return (2);
	}

	(void) memset(&sa, 0, sizeof (sa));
	sa.sa_handler = on_alarm;
	(void) sigemptyset(&sa.sa_mask);
	(void) sigaction(SIGALRM, &sa, NULL);
	if ((devnull = open("/dev/null", O_RDWR)) < 0) {
		perror("btime: /dev/null");
		return (1);
	}

	for (r = 0; r < warmups + maxruns; r++) {
		if (r >= warmups + runs && settled(eps))
			break;
		for (i = 0; i < ncmds; i++) {
			run_one(&cmds[(r + i) % ncmds], devnull, timeout,
			    r >= warmups);
		}
		for (i = 0; verbose && r >= warmups && i < ncmds; i++) {
			const contender_t *c = &cmds[i];

			(void) fprintf(stderr, "%s\t%.6f\t%.6f",
			    i == 0 ? "round" : "", c->c_wall[c->c_runs - 1],
			    c->c_cpu[c->c_runs - 1]);
		}
		if (verbose && r >= warmups)
			(void) fprintf(stderr, "\n");
	}
	for (i = 0; i < ncmds; i++)
		report(&cmds[i]);
	return (0);
}
