/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Buffered output for taskdiag.  stdio is not used for standard output so
 * that the errno of a failed write (EPIPE above all) is known exactly: the
 * first failure is remembered, and everything written after it is dropped.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_cmd.h"

static int out_fd = -1;
static char *out_buf;
static size_t out_size;
static size_t out_len;
static int out_errno;

/*
 * Set up output to a file descriptor through a buffer of the given size.
 */
int
out_init(int fd, size_t size)
{
	if ((out_buf = malloc(size)) == NULL)
		return (-1);
	out_fd = fd;
	out_size = size;
	out_len = 0;
	out_errno = 0;
	return (0);
}

/*
 * Write bytes straight to the descriptor, retrying short writes.
 */
static void
out_raw(const char *p, size_t len)
{
	while (len > 0 && out_errno == 0) {
		ssize_t n = write(out_fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			out_errno = errno;
			break;
		}
		p += n;
		len -= (size_t)n;
	}
}

/*
 * Write out what is buffered: 0, or -1 once a write has failed.
 */
int
out_flush(void)
{
	if (out_len > 0) {
		out_raw(out_buf, out_len);
		out_len = 0;
	}
	return (out_errno == 0 ? 0 : -1);
}

void
out_write(const void *buf, size_t len)
{
	const char *p = buf;

	if (out_errno != 0)
		return;
	/* A large block into an empty buffer goes out without a copy. */
	if (out_len == 0 && len >= out_size / 2) {
		out_raw(p, len);
		return;
	}
	if (len > out_size - out_len) {
		(void) out_flush();
		if (len >= out_size) {
			out_raw(p, len);
			return;
		}
	}
	(void) memcpy(out_buf + out_len, p, len);
	out_len += len;
}

/*
 * Decimal integers, without printf: the JSON output is mostly numbers.
 */
void
out_u64(uint64_t v)
{
	char buf[20];
	size_t n = sizeof (buf);

	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0);
	out_write(buf + n, sizeof (buf) - n);
}

void
out_i64(int64_t v)
{
	if (v < 0) {
		out_char('-');
		out_u64((uint64_t)0 - (uint64_t)v);
	} else {
		out_u64((uint64_t)v);
	}
}

void
out_str(const char *s)
{
	out_write(s, strlen(s));
}

void
out_char(int c)
{
	char ch = (char)c;

	if (out_len < out_size) {
		out_buf[out_len++] = ch;
		return;
	}
	out_write(&ch, 1);
}

void
out_spaces(size_t n)
{
	static const char sp[] = "                                ";

	while (n > 0) {
		size_t k = n < sizeof (sp) - 1 ? n : sizeof (sp) - 1;

		out_write(sp, k);
		n -= k;
	}
}

void
out_printf(const char *fmt, ...)
{
	char small[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof (small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof (small)) {
		out_write(small, (size_t)n);
	} else {
		char *big = malloc((size_t)n + 1);

		if (big == NULL) {
			out_errno = ENOMEM;
			return;
		}
		va_start(ap, fmt);
		(void) vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		out_write(big, (size_t)n);
		free(big);
	}
}

/*
 * The errno of the first failed write, or 0.
 */
int
out_error(void)
{
	return (out_errno);
}

void
out_fini(void)
{
	free(out_buf);
	out_buf = NULL;
	out_size = out_len = 0;
}

/*
 * The length of the well-formed UTF-8 sequence at p (at most n bytes), or
 * 0 if p[0] does not begin one: overlong forms, surrogates and code points
 * beyond U+10FFFF are not well-formed.
 */
size_t
td_utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return (1);
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return (0);
	}
	if (n < len)
		return (0);
	if (p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (len);
}
