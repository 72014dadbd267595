/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _FZLIB_H
#define	_FZLIB_H

/*
 * fzlib: what the taskdiag fuzz targets share.
 *
 * An in-memory procfs served to libtaskdiag through its system-call seam
 * (td_sys): openat() of a known path gives a fake descriptor, pread()
 * serves the bytes, fstat() gives a regular file of the right size,
 * fstatat() says that a process directory exists; anything else is
 * ENOENT.  Only directories opened with O_DIRECTORY are real (the
 * directory walks use readdir(3)): they live in a temporary root made
 * once per process, which also decides the kind of tree the handle sees.
 *
 * The runners dump the tree with the real transaction code and decode
 * every stream with the library's decoder; a stream that does not decode
 * cleanly, an attribute that was not asked for, a descriptor left open,
 * a buffer larger than the file it holds, or output that changes with the
 * read buffer size or with short reads, is a failure: fz_fail() prints it
 * and calls abort() (or fz_fail_hook, when set).
 */

#include <stddef.h>
#include <stdint.h>

#include <taskdiag.h>

#ifdef	__cplusplus
extern "C" {
#endif

/* Failures. */
extern void (*fz_fail_hook)(const char *);
extern void fz_fail(const char *, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2), noreturn))
#endif
	;

/* A 64-bit FNV-1a hash, for choices derived from an input. */
extern uint64_t fz_hash(const void *, size_t, uint64_t);

/*
 * Splitting an input into parts: the input starts with n - 1
 * little-endian 16-bit lengths; part i is that many bytes (cut at the end
 * of the input), the last part is what is left.
 */
#define	FZ_MAXPARTS	8
typedef struct fz_part {
	const uint8_t	*fp_data;
	size_t		fp_len;
} fz_part_t;
extern void fz_split(const uint8_t *, size_t, fz_part_t *, size_t);

/*
 * The in-memory tree.  fz_tree_clear() empties it; fz_tree_add() adds or
 * replaces a regular file (the bytes are not copied and must stay valid
 * while the tree is used; NULL data: the file is absent).  A path
 * component "*" matches any one component; exact paths are looked up
 * first.
 */
extern void fz_tree_clear(void);
extern void fz_tree_add(const char *, const void *, size_t);
extern void fz_tree_remove(const char *);

/*
 * Faults of the seam for the next runs: preads return at most ff_short
 * bytes (0: no limit), every ff_eintr-th pread fails with EINTR and
 * every ff_eagain-th with EAGAIN, the ff_enomem-th malloc (counted from
 * fz_seam_on()) fails, and with ff_grow fstat() gives half the size (the
 * file grew since).
 */
typedef struct fz_faults {
	size_t		ff_short;
	unsigned int	ff_eintr;
	unsigned int	ff_eagain;
	unsigned int	ff_enomem;
	int		ff_grow;
} fz_faults_t;

extern void fz_seam_on(const fz_faults_t *);
extern void fz_seam_off(void);

/*
 * Forget every descriptor, fault and file, and restore the real calls:
 * after a failure was caught (fz_fail_hook) in the middle of a run.
 */
extern void fz_reset(void);

/*
 * The temporary roots, made on first use: an illumos one (empty process
 * directories 1, 2 and 3) and a Linux one (a real self/stat, so that the
 * handle takes the tree as Linux, and the real task directories
 * 1/task/1, 1/task/2 and 2/task/2).
 */
extern const char *fz_root_illumos(void);
extern const char *fz_root_linux(void);

/*
 * The fixed illumos processes, from tdgen: 1, with three active LWPs and
 * a zombie one, named LWPs; 2, a child of 1 with one LWP; 3, a zombie
 * child of 1; 4, a child of 1 with two LWPs and a zombie one, which the
 * targets leave alone (FZ_ILL_CLEAN: its tasks must not change, whatever
 * the others hold).  fz_ill_tree() fills the tree with them.
 */
#define	FZ_ILL_NPROC	3
#define	FZ_ILL_CLEAN	4
extern void fz_ill_tree(void);

/*
 * The fixed Linux processes: 1 (threads 1 and 2, whose children file
 * names 2 and 99), 2 (a child of 1).  fz_lx_tree() fills the tree with
 * them; the *_text variables are their files.
 */
extern const char fz_lx_stat_text[];
extern const char fz_lx_status_text[];
extern void fz_lx_tree(void);

/*
 * The result of one dump: the errno of a failed read (0 when the dump
 * ended), the tasks decoded, a digest of their contents and the digest of
 * each of the first FZ_EACH tasks.
 */
#define	FZ_EACH		256
typedef struct fz_dump {
	int		fd_err;
	size_t		fd_ntask;
	size_t		fd_bytes;
	uint64_t	fd_digest;
	uint64_t	fd_each[FZ_EACH];
} fz_dump_t;

/*
 * One transaction on h: request (show, strategy, pid), read with a
 * buffer of bufsz bytes to the end, decode and check.  The request must
 * be accepted.
 */
extern void fz_dump(taskdiag_t *, uint64_t, uint64_t, uint32_t, size_t,
    fz_dump_t *);

/*
 * Read an already-written request to its end, as fz_dump() does.
 */
extern void fz_read_all(taskdiag_t *, uint64_t, uint64_t, uint32_t, uint32_t,
    size_t, fz_dump_t *);

/*
 * The runners: dump the tree in place with every strategy the targets
 * use, with small and large buffers, clean and with faults (choices from
 * seed), and compare what must not differ.  fz_ill_run() uses the
 * illumos root, fz_lx_run() the Linux one.
 */
extern void fz_ill_run(uint64_t);
extern void fz_lx_run(uint64_t);

/*
 * Check a decoded task and fold it into a digest: every accessor is
 * called and what it returns is read whole.  lib set: the task came from
 * libtaskdiag (the show flags and seq of its request are then checked,
 * and every attribute must have the size the library writes).
 */
extern uint64_t fz_task(const taskdiag_task_t *, int, uint64_t, uint32_t,
    uint64_t);

#ifdef	__cplusplus
}
#endif

#endif	/* _FZLIB_H */
