/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * sleepers: hold N sleeping processes for a benchmark of live /proc.
 *
 *	sleepers N READYFILE [TIMEOUT]
 *
 * Forks N children that sleep in pause(), waits until every one of them
 * is in place, then creates READYFILE and waits for SIGTERM, SIGINT or
 * SIGHUP, or TIMEOUT seconds (default 600).  Then it kills and reaps the
 * children and exits.  A child also dies with its parent (Linux
 * PR_SET_PDEATHSIG), so none can outlive the holder.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#ifdef	__linux__
#include <sys/prctl.h>
#endif

#define	MAXKIDS	20000

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
	(void) sig;
	stop = 1;
}

static void
kill_all(const pid_t *kids, int n)
{
	int i;

	for (i = 0; i < n; i++)
		(void) kill(kids[i], SIGKILL);
	for (i = 0; i < n; i++) {
		while (waitpid(kids[i], NULL, 0) < 0 && errno == EINTR)
			;
	}
}

int
main(int argc, char **argv)
{
	struct sigaction sa;
	sigset_t mask, old;
	pid_t *kids, parent = getpid();
	int n, i, fd, timeout = 600, p[2];
	char c;

	if (argc < 3 || argc > 4 || (n = atoi(argv[1])) < 1 || n > MAXKIDS ||
	    (argc == 4 && (timeout = atoi(argv[3])) < 1)) {
		(void) fprintf(stderr,
		    "usage: sleepers N READYFILE [TIMEOUT]\n");
		return (2);
	}
	if ((kids = calloc((size_t)n, sizeof (pid_t))) == NULL ||
	    pipe(p) != 0) {
		perror("sleepers");
		return (1);
	}

	/* The signals that end the holder wait in sigsuspend(). */
	(void) sigemptyset(&mask);
	(void) sigaddset(&mask, SIGTERM);
	(void) sigaddset(&mask, SIGINT);
	(void) sigaddset(&mask, SIGHUP);
	(void) sigaddset(&mask, SIGALRM);
	(void) sigprocmask(SIG_BLOCK, &mask, &old);
	sa.sa_handler = on_signal;
	sa.sa_flags = 0;
	(void) sigemptyset(&sa.sa_mask);
	(void) sigaction(SIGTERM, &sa, NULL);
	(void) sigaction(SIGINT, &sa, NULL);
	(void) sigaction(SIGHUP, &sa, NULL);
	(void) sigaction(SIGALRM, &sa, NULL);

	for (i = 0; i < n; i++) {
		if ((kids[i] = fork()) < 0) {
			perror("sleepers: fork");
			kill_all(kids, i);
			return (1);
		}
		if (kids[i] == 0) {
			(void) close(p[0]);
#ifdef	__linux__
			(void) prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
			if (getppid() != parent)
				_exit(0);
			(void) sigprocmask(SIG_SETMASK, &old, NULL);
			(void) signal(SIGTERM, SIG_DFL);
			(void) signal(SIGINT, SIG_DFL);
			(void) signal(SIGHUP, SIG_DFL);
			(void) write(p[1], "", 1);
			(void) close(p[1]);
			for (;;)
				(void) pause();
		}
	}
	(void) close(p[1]);
	for (i = 0; i < n; i++) {
		ssize_t r = read(p[0], &c, 1);

		if (r < 0 && errno == EINTR) {
			i--;
			continue;
		}
		if (r != 1) {
			(void) fprintf(stderr, "sleepers: a child is missing\n");
			kill_all(kids, n);
			return (1);
		}
	}
	(void) close(p[0]);
	if ((fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		perror(argv[2]);
		kill_all(kids, n);
		return (1);
	}
	(void) close(fd);

	(void) alarm((unsigned int)timeout);
	while (!stop)
		(void) sigsuspend(&old);
	kill_all(kids, n);
	(void) unlink(argv[2]);
	return (0);
}
