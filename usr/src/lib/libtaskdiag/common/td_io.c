/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The library's I/O, shared by every source: the td_sys seam through which
 * every system call and allocation goes, the reusable buffers, the read
 * loops (retries, short reads, size hints), directories opened through the
 * seam, and the small conversions (pid names, decimal digits, times).
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"

#ifdef	TD_GETDENTS
#include <sys/syscall.h>
#endif

#define	TD_OPEN_FLAGS	(O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)

/*
 * openat(2) and fstatat(2) are variadic or macros on some systems: the
 * seam calls them through these.
 */
static int
td_sys_openat(int dfd, const char *path, int flags)
{
	return (openat(dfd, path, flags));
}

static int
td_sys_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	return (fstatat(dfd, path, st, flags));
}

/*
 * The real tso_opendirat: openat(2) and fdopendir(3C), errno kept.
 */
static DIR *
td_sys_opendirat(int dfd, const char *path, int flags)
{
	DIR *d;
	int fd, err;

	if ((fd = openat(dfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    flags)) < 0)
		return (NULL);
	if ((d = fdopendir(fd)) == NULL) {
		err = errno;
		(void) close(fd);
		errno = err;
	}
	return (d);
}

/*
 * The real tso_getdents: getdents64(2), by its system call number (older C
 * libraries have no wrapper).
 */
static ssize_t
td_sys_getdents(int fd, void *buf, size_t len)
{
#ifdef	TD_GETDENTS
	return ((ssize_t)syscall(SYS_getdents64, fd, buf, len));
#else
	(void) fd;
	(void) buf;
	(void) len;
	errno = ENOSYS;
	return (-1);
#endif
}

#define	TD_SYS_REAL {				\
	.tso_openat = td_sys_openat,		\
	.tso_pread = pread,			\
	.tso_fstat = fstat,			\
	.tso_fstatat = td_sys_fstatat,		\
	.tso_close = close,			\
	.tso_malloc = malloc,			\
	.tso_free = free,			\
	.tso_opendirat = td_sys_opendirat,	\
	.tso_getdents = td_sys_getdents,	\
	.tso_readlinkat = readlinkat		\
}

static const td_sysops_t td_sys_default = TD_SYS_REAL;

td_sysops_t td_sys = TD_SYS_REAL;

/*
 * Restore the real system calls (for the test suite's fault injection).
 */
void
td_sys_reset(void)
{
	td_sys = td_sys_default;
}

/*
 * Make room for at least len bytes.  The contents are not kept.
 */
int
td_buf_reserve(td_buf_t *b, size_t len)
{
	void *p;

	if (len <= b->tb_cap)
		return (0);
	/* Drop the old contents first: no need to copy them. */
	td_buf_free(b);
	if ((p = td_sys.tso_malloc(len)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	b->tb_data = p;
	b->tb_cap = len;
	return (0);
}

/*
 * Make room for at least len bytes, keeping the contents; the room
 * doubles so that appending is cheap.
 */
int
td_buf_reserve_keep(td_buf_t *b, size_t len)
{
	size_t cap = b->tb_cap == 0 ? 256 : b->tb_cap;
	void *p;

	if (len <= b->tb_cap)
		return (0);
	while (cap < len)
		cap = cap > SIZE_MAX / 2 ? len : cap * 2;
	if ((p = td_sys.tso_malloc(cap)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (b->tb_data != NULL) {
		(void) memcpy(p, b->tb_data, b->tb_cap);
		td_sys.tso_free(b->tb_data);
	}
	b->tb_data = p;
	b->tb_cap = cap;
	return (0);
}

/*
 * Free the buffer's memory; it is empty and can be reserved again.
 */
void
td_buf_free(td_buf_t *b)
{
	if (b->tb_data != NULL)
		td_sys.tso_free(b->tb_data);
	b->tb_data = NULL;
	b->tb_cap = 0;
}

/*
 * One pread, retrying EINTR and EAGAIN at most TD_RETRY_MAX times in a
 * row (a regular file is never "not ready" for long, and a file that is
 * interrupted every time would never be read): then -1 with that errno.
 * The first try is inline (td_pread_once()); the retries are here.
 */
static ssize_t
td_pread_retry(int fd, uint8_t *buf, size_t len, size_t off)
{
	int again = 0;

	for (;;) {
		ssize_t n;

		if (!(errno == EINTR || errno == EAGAIN) ||
		    ++again >= TD_RETRY_MAX)
			return (-1);
		if ((n = td_sys.tso_pread(fd, buf, len, (off_t)off)) >= 0)
			return (n);
	}
}

static inline ssize_t
td_pread_once(int fd, uint8_t *buf, size_t len, size_t off)
{
	ssize_t n = td_sys.tso_pread(fd, buf, len, (off_t)off);

	return (n >= 0 ? n : td_pread_retry(fd, buf, len, off));
}

ssize_t
td_pread1(int fd, uint8_t *buf, size_t len, size_t off)
{
	return (td_pread_once(fd, buf, len, off));
}

/*
 * Read fd at off into buf (len bytes of room) until at least enough bytes
 * or the end of the file (or of the offsets off_t and size_t can name),
 * continuing after short reads: one pread when the file holds what was
 * expected.  Returns the number of bytes read, or -1.
 */
ssize_t
td_pread_at(int fd, uint8_t *buf, size_t len, size_t enough, uint64_t off)
{
	const uint64_t omax = sizeof (off_t) == 8 ? (uint64_t)INT64_MAX :
	    (uint64_t)INT32_MAX;
	size_t done = 0;

	while (done < enough) {
		ssize_t n;

		if (off + done > omax || off + done > SIZE_MAX)
			break;
		n = td_pread_once(fd, buf + done, len - done,
		    (size_t)(off + done));
		if (n < 0)
			return (-1);
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return ((ssize_t)done);
}

/*
 * Read fd from its start into buf until len bytes or the end of the file
 * (short reads continued).  Returns the number of bytes read, or -1.
 */
ssize_t
td_read_start(int fd, uint8_t *buf, size_t len)
{
	return (td_pread_at(fd, buf, len, len, 0));
}

/*
 * Close fd (through the seam) on a failure: returns -1 with the errno of
 * the failure, whatever close does to errno.
 */
int
td_close_fail(int fd)
{
	int err = errno;

	(void) td_sys.tso_close(fd);
	errno = err;
	return (-1);
}

/*
 * fstat fd into *st; a file that is not a regular one (a FIFO, a
 * directory, ...) is EINVAL: only regular files are read whole.
 */
int
td_fstat_regular(int fd, struct stat *st)
{
	if (td_sys.tso_fstat(fd, st) != 0)
		return (-1);
	if (!S_ISREG(st->st_mode)) {
		errno = EINVAL;
		return (-1);
	}
	return (0);
}

/*
 * The bytes an array file says it holds (prheader_t and entries), from its
 * header at buf, at most len; 0 when the header is absurd (the parser
 * rejects it).
 */
static size_t
td_array_expect(const uint8_t *buf, size_t len)
{
	prheader_t h;
	size_t expect;

	(void) memcpy(&h, buf, sizeof (h));
	/* Products of numbers below 2^30 and 2^16: no division, no overflow. */
	if (h.pr_nent < 0 || h.pr_entsize <= 0 ||
	    (uint64_t)h.pr_entsize > TD_ENTSIZE_MAX ||
	    (uint64_t)h.pr_nent > TD_ARRAY_MAX ||
	    (uint64_t)h.pr_nent * (uint64_t)h.pr_entsize >
	    TD_ARRAY_MAX - sizeof (h))
		return (0);
	expect = sizeof (h) + (size_t)h.pr_nent * (size_t)h.pr_entsize;
	/* Larger than the buffer: fill it, to be grown. */
	return (expect > len ? len : expect);
}

/*
 * td_read_array() after a short first read of done bytes: go on until the
 * buffer is full, the end of the file, or as many bytes as its header
 * says it holds.
 */
static ssize_t
td_read_array_rest(int fd, uint8_t *buf, size_t len, size_t done)
{
	size_t expect = len;

	for (;;) {
		ssize_t n;

		if (expect == len && done >= sizeof (prheader_t)) {
			expect = td_array_expect(buf, len);
			if (expect < done)
				expect = done;
		}
		if (done >= expect)
			break;
		if ((n = td_pread_once(fd, buf + done, len - done, done)) < 0)
			return (-1);
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return ((ssize_t)done);
}

/*
 * Read an array file (prheader_t and entries) from fd into buf (len bytes
 * of room): until the buffer is full, the end of the file, or as many
 * bytes as its header says it holds, so that a file that fits takes one
 * pread (inline) and a short read is continued.
 */
static inline ssize_t
td_read_array(int fd, uint8_t *buf, size_t len)
{
	ssize_t n = td_pread_once(fd, buf, len, 0);

	if (n <= 0 || (size_t)n >= len)
		return (n);
	if ((size_t)n >= sizeof (prheader_t) &&
	    td_array_expect(buf, len) <= (size_t)n)
		return (n);
	return (td_read_array_rest(fd, buf, len, (size_t)n));
}

/*
 * Open dfd/path and read it from its start into buf (size bytes of room)
 * until at least enough bytes or its end (td_pread_at()).
 */
static int
td_read_some(int dfd, const char *path, void *buf, size_t size,
    size_t enough, size_t *lenp)
{
	ssize_t n;
	int fd;

	if ((fd = td_sys.tso_openat(dfd, path, TD_OPEN_FLAGS)) < 0)
		return (-1);
	/* Usually the first read is enough (inline). */
	if ((n = td_pread_once(fd, buf, size, 0)) > 0 && (size_t)n < enough) {
		ssize_t m = td_pread_at(fd, (uint8_t *)buf + n,
		    size - (size_t)n, enough - (size_t)n, (uint64_t)n);

		n = m < 0 ? -1 : n + m;
	}
	if (n < 0)
		return (td_close_fail(fd));
	(void) td_sys.tso_close(fd);
	*lenp = (size_t)n;
	return (0);
}

/*
 * Read the first size bytes of dfd/path into buf (fewer at its end).
 * *lenp gets the number of bytes read.  Returns 0 or -1 with errno from
 * open/read.
 */
int
td_read_fixed(int dfd, const char *path, void *buf, size_t size,
    size_t *lenp)
{
	return (td_read_some(dfd, path, buf, size, size, lenp));
}

/*
 * Read dfd/path into buf (size bytes of room) with one read, as Linux
 * /proc text files are read: the first read returns all there is.
 */
int
td_read_once(int dfd, const char *path, void *buf, size_t size,
    size_t *lenp)
{
	return (td_read_some(dfd, path, buf, size, 1, lenp));
}

/*
 * The first buffer size to try for a file stat says is size bytes, the
 * buffer holding cap: one byte more than the size, to see that the file
 * did not grow, but the size is only a hint: never more than TD_HINT_MAX
 * (a claim is not worth an allocation), never less than TD_HINT_MIN (0,
 * as some file systems say), and more than cap (cap was too small).
 */
static size_t
td_size_hint(off_t size, size_t cap)
{
	size_t want = TD_HINT_MIN;

	if (size > 0 && (uint64_t)size < TD_HINT_MAX)
		want = (size_t)size + 1;
	else if (size > 0)
		want = TD_HINT_MAX;
	if (want < TD_HINT_MIN)
		want = TD_HINT_MIN;
	if (want <= cap)
		want = cap * 2;
	return (want > TD_ARRAY_MAX ? TD_ARRAY_MAX : want);
}

/*
 * Read the whole of array file dfd/path into b in one read, as the kernel
 * builds a fresh snapshot of an array file for every read.  The buffer of
 * the previous process is tried first; when it is missing or the file
 * fills it, the buffer is sized from fstat (td_size_hint()), and doubled
 * and read again from the start while the file fills it.  Only regular
 * files are read; a file of TD_ARRAY_MAX bytes or more is EFBIG.  The
 * buffer never grows past twice the largest file seen.
 */
int
td_read_whole(int dfd, const char *path, td_buf_t *b, size_t *lenp)
{
	struct stat st;
	size_t want;
	ssize_t n = 0;
	int fd;

	if ((fd = td_sys.tso_openat(dfd, path, TD_OPEN_FLAGS)) < 0)
		return (-1);
	if (b->tb_cap > 0) {
		if ((n = td_read_array(fd, b->tb_data, b->tb_cap)) < 0)
			goto fail;
		if ((size_t)n < b->tb_cap)
			goto done;
	}
	if (td_fstat_regular(fd, &st) != 0)
		goto fail;
	for (want = td_size_hint(st.st_size, b->tb_cap); ;
	    want = want > TD_ARRAY_MAX / 2 ? TD_ARRAY_MAX : want * 2) {
		if (td_buf_reserve(b, want) != 0)
			goto fail;
		if ((n = td_read_array(fd, b->tb_data, want)) < 0)
			goto fail;
		if ((size_t)n < want)
			break;
		if (want >= TD_ARRAY_MAX) {
			errno = EFBIG;
			goto fail;
		}
	}
done:
	(void) td_sys.tso_close(fd);
	*lenp = (size_t)n;
	return (0);
fail:
	return (td_close_fail(fd));
}

/*
 * Open the directory dfd/path (through the seam, tso_opendirat) for
 * readdir.  Returns the stream, or NULL with errno.  flags are added to
 * O_RDONLY | O_DIRECTORY | O_CLOEXEC (O_NOFOLLOW, say).
 */
DIR *
td_opendirat(int dfd, const char *path, int flags)
{
	return (td_sys.tso_opendirat(dfd, path, flags));
}

/*
 * Open the directory dfd/path for td_dir_next().  Returns 0, or -1 with
 * errno.
 */
int
td_dir_open(td_dir_t *d, int dfd, const char *path, int flags)
{
	td_dir_close(d);
#ifdef	TD_GETDENTS
	if ((d->dd_fd = td_sys.tso_openat(dfd, path, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC | flags)) < 0)
		return (-1);
	d->dd_pos = d->dd_len = 0;
	d->dd_eof = 0;
#else
	if ((d->dd_dir = td_opendirat(dfd, path, flags)) == NULL)
		return (-1);
#endif
	d->dd_open = 1;
	return (0);
}

#ifdef	TD_GETDENTS
/*
 * The layout of a getdents64 record (struct linux_dirent64): inode,
 * offset, record length, type, then the NUL-terminated name.
 */
#define	TD_DE_RECLEN	16
#define	TD_DE_TYPE	18
#define	TD_DE_NAME	19

/*
 * The next record of the buffer, read more when it is used up: the name
 * and the type, NULL at the end or on an error (a record that does not
 * fit the bytes read is EIO).
 */
const char *
td_dir_next(td_dir_t *d, unsigned int *typep)
{
	uint8_t *buf = d->dd_u.du_buf;
	int again = 0;

	if (!d->dd_open) {
		errno = 0;
		return (NULL);
	}
	for (;;) {
		uint16_t reclen;
		uint8_t *rec;
		ssize_t n;

		if (d->dd_pos < d->dd_len) {
			rec = buf + d->dd_pos;
			(void) memcpy(&reclen, rec + TD_DE_RECLEN,
			    sizeof (reclen));
			if (reclen <= TD_DE_NAME ||
			    reclen > d->dd_len - d->dd_pos ||
			    memchr(rec + TD_DE_NAME, '\0',
			    (size_t)(reclen - TD_DE_NAME)) == NULL) {
				d->dd_pos = d->dd_len;
				d->dd_eof = 1;
				errno = EIO;
				return (NULL);
			}
			d->dd_pos += reclen;
			*typep = rec[TD_DE_TYPE];
			return ((const char *)rec + TD_DE_NAME);
		}
		if (d->dd_eof) {
			errno = 0;
			return (NULL);
		}
		n = td_sys.tso_getdents(d->dd_fd, buf, sizeof (d->dd_u));
		if (n < 0 && errno == EINTR && ++again < TD_RETRY_MAX)
			continue;
		if (n <= 0 || (size_t)n > sizeof (d->dd_u)) {
			/* The end, or an error: the listing is over. */
			d->dd_eof = 1;
			if (n > 0)
				errno = EIO;
			else if (n == 0)
				errno = 0;
			return (NULL);
		}
		d->dd_pos = 0;
		d->dd_len = (size_t)n;
	}
}

/*
 * Close the directory (if it is open).
 */
void
td_dir_close(td_dir_t *d)
{
	if (d->dd_open)
		(void) td_sys.tso_close(d->dd_fd);
	d->dd_open = 0;
	d->dd_pos = d->dd_len = 0;
}
#else	/* TD_GETDENTS */
/*
 * The next entry of the readdir(3C) stream: its name, and TD_DT_UNKNOWN
 * (illumos has no d_type; where there is one, TD_DT_DIR for a directory).
 */
const char *
td_dir_next(td_dir_t *d, unsigned int *typep)
{
	struct dirent *de;

	errno = 0;
	if (!d->dd_open || (de = readdir(d->dd_dir)) == NULL)
		return (NULL);
	*typep = TD_DT_UNKNOWN;
#ifdef	DT_DIR
	if (de->d_type == DT_DIR)
		*typep = TD_DT_DIR;
	else if (de->d_type != DT_UNKNOWN)
		*typep = TD_DT_OTHER;
#endif
	return (de->d_name);
}

void
td_dir_close(td_dir_t *d)
{
	if (d->dd_open)
		(void) closedir(d->dd_dir);
	d->dd_open = 0;
}
#endif	/* TD_GETDENTS */

/*
 * The errno of a task that is gone: a file of its directory that cannot be
 * opened because the directory is not there (any more) means the task is
 * not (ESRCH); any other error is err itself.
 */
int
td_gone(int err)
{
	if (err == ENOENT || err == ENOTDIR || err == ELOOP)
		return (ESRCH);
	return (err);
}


/*
 * A directory entry names a process when it is a canonical decimal number
 * that fits a pid: no sign, no leading zero, at most 999,999,999.
 */
int
td_valid_pidname(const char *name, uint32_t *pidp)
{
	uint32_t v = 0;
	size_t i;

	if (name[0] == '\0' || (name[0] == '0' && name[1] != '\0'))
		return (0);
	for (i = 0; name[i] != '\0'; i++) {
		if (i >= 9 || name[i] < '0' || name[i] > '9')
			return (0);
		v = v * 10 + (uint32_t)(name[i] - '0');
	}
	*pidp = v;
	return (1);
}

/*
 * Decimal digits of v at dst (no NUL); returns their number.
 */
size_t
td_utoa(char *dst, uint32_t v)
{
	uint64_t p = 10;
	size_t n = 1, i;

	/* Count the digits, then write them from the last. */
	while (n < 10 && v >= p) {
		n++;
		p *= 10;
	}
	for (i = n; i > 0; v /= 10)
		dst[--i] = (char)('0' + v % 10);
	return (n);
}

/*
 * Nanoseconds from a timestruc_t, saturating: negative times are 0, times
 * past 2^64 ns are UINT64_MAX.
 */
uint64_t
td_ts_ns(int64_t sec, int64_t nsec)
{
	uint64_t ns;

	/* The usual case: a sane time. */
	if (sec >= 0 && sec < ((int64_t)1 << 33) && nsec >= 0 &&
	    nsec < 1000000000)
		return ((uint64_t)sec * 1000000000ULL + (uint64_t)nsec);
	if (sec < 0 || (sec == 0 && nsec <= 0))
		return (0);
	if ((uint64_t)sec > UINT64_MAX / 1000000000ULL)
		return (UINT64_MAX);
	ns = (uint64_t)sec * 1000000000ULL;
	if (nsec < 0) {
		/* The magnitude, without overflow. */
		uint64_t neg = (uint64_t)0 - (uint64_t)nsec;

		return (neg > ns ? 0 : ns - neg);
	}
	if ((uint64_t)nsec > UINT64_MAX - ns)
		return (UINT64_MAX);
	return (ns + (uint64_t)nsec);
}

size_t
td_id_find(const void *base, size_t n, size_t size, uint32_t id)
{
	const uint8_t *b = base;
	size_t lo = 0, hi = n;
	uint32_t v;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		(void) memcpy(&v, b + mid * size, sizeof (v));
		if (v < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < n) {
		(void) memcpy(&v, b + lo * size, sizeof (v));
		if (v == id)
			return (lo);
	}
	return (SIZE_MAX);
}

static int
td_idpair_cmp(const void *a, const void *b)
{
	const td_idpair_t *x = a, *y = b;

	if (x->ip_id != y->ip_id)
		return (x->ip_id < y->ip_id ? -1 : 1);
	return (x->ip_rec < y->ip_rec ? -1 : x->ip_rec > y->ip_rec);
}

void
td_idpairs_sort(td_idpair_t *v, size_t n)
{
	qsort(v, n, sizeof (*v), td_idpair_cmp);
}

void
td_put_lxbase(td_enc_t *e, const td_lxbase_t *ids, uint8_t state,
    const char *comm)
{
	struct task_diag_base b;

	(void) memset(&b, 0, sizeof (b));
	b.tgid = ids->lb_tgid;
	b.pid = ids->lb_pid;
	b.ppid = ids->lb_ppid;
	b.tpid = ids->lb_tpid;
	b.sid = ids->lb_sid;
	b.pgid = ids->lb_pgid;
	b.state = state;
	(void) memcpy(b.comm, comm, sizeof (b.comm) - 1);
	td_enc_add(e, TASK_DIAG_BASE, &b, sizeof (b));
}
