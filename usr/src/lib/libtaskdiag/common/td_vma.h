/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TD_VMA_H
#define	_TD_VMA_H

/*
 * Memory maps (td_vma.c): the records of the array attributes VMA and
 * XMAP, built by any source, sent by the encoder split between the parts
 * of a task, checked by the decoder.  See "Memory maps" in taskdiag_impl.h.
 */

#include <errno.h>
#include <stdint.h>
#include <stddef.h>
#include <string.h>

#include "task_diag.h"

#ifdef	__cplusplus
extern "C" {
#endif

struct td_enc;

/*
 * The most mappings one process may have (Linux's default vm.max_map_count
 * is 65530): a map with more is not sent (EFBIG).
 */
#define	TD_VMA_MAX		65536

/* The largest VMA record: the struct, the stat, the longest name. */
#define	TD_VMA_REC_MAX		(sizeof (struct task_diag_vma) + \
	sizeof (struct task_diag_vma_stat) + TASK_DIAG_VMA_NAME_MAX)

/* The records of one array attribute of one task. */
typedef struct td_recs {
	td_buf_t	tr_buf;		/* the records (TD_RECS(r)) */
	size_t		tr_len;		/* bytes of records */
	size_t		tr_nrec;
	uint64_t	tr_end;		/* VMA: end of the last record */
	size_t		tr_recsz;	/* XMAP 40; VMA 0: by vma_len */
} td_recs_t;

#define	TD_RECS(r)	((uint8_t *)(r)->tr_buf.tb_data)

/*
 * A source's memory maps of the process being sent: the file read (xmap,
 * maps, smaps), the names already resolved, the records, and whether they
 * were sent (LWP scope: with the first LWP only).
 */
typedef struct td_maps {
	td_buf_t	tm_file;
	td_buf_t	tm_names;	/* name cache: slots */
	td_buf_t	tm_pool;	/* name cache: the names */
	size_t		tm_poollen;
	td_recs_t	tm_vma;
	td_recs_t	tm_xmap;
	int		tm_sent;
	int		tm_early;	/* read by so_open (Linux) */
} td_maps_t;

extern void td_maps_free(td_maps_t *);
extern void td_maps_none(td_maps_t *);
extern void td_maps_enc_vma(struct td_enc *, const td_maps_t *);
extern void td_maps_enc_xmap(struct td_enc *, td_maps_t *);
extern int td_read_grow(int, const char *, td_buf_t *, size_t, size_t *);

extern void td_recs_reset(td_recs_t *, unsigned int);
extern void td_recs_free(td_recs_t *);
extern uint8_t *td_recs_room(td_recs_t *, size_t);

/*
 * Append one VMA record: start, end, vm_flags, pgoff, major, minor,
 * inode and generation from v (the lengths and offsets are computed); the
 * name of namelen bytes (no NUL needed; cut to 4095 bytes; NULL: none);
 * the stat when st is not NULL (VMA_STAT asked).  Records must come in
 * ascending order without overlap: otherwise -1 with errno EINVAL; also
 * ENOMEM, EFBIG (more than TD_VMA_MAX records).  Inline: the parsers add
 * one a mapping.
 */
static inline int
td_vma_add(td_recs_t *r, const struct task_diag_vma *v, const char *name,
    size_t namelen, const struct task_diag_vma_stat *st)
{
	/* vma_len, name_off, name_len, stat_off, stat_len, the pad */
	uint16_t tail[6] = { 0, 0, 0, 0, 0, 0 };
	size_t len = sizeof (*v), nl = 0;
	uint8_t *p;

	if (v->end <= v->start || (r->tr_nrec > 0 && v->start < r->tr_end)) {
		errno = EINVAL;
		return (-1);
	}
	if (st != NULL) {
		tail[3] = (uint16_t)len;
		tail[4] = (uint16_t)sizeof (*st);
		len += sizeof (*st);
	}
	if (name != NULL) {
		nl = namelen < TASK_DIAG_VMA_NAME_MAX ? namelen :
		    TASK_DIAG_VMA_NAME_MAX - 1;
		tail[1] = (uint16_t)len;
		tail[2] = (uint16_t)(nl + 1);
		len += nl + 1;
	}
	len = TASK_DIAG_ALIGN(len);
	tail[0] = (uint16_t)len;
	if (r->tr_len + len <= r->tr_buf.tb_cap && r->tr_nrec < TD_VMA_MAX)
		p = TD_RECS(r) + r->tr_len;
	else if ((p = td_recs_room(r, len)) == NULL)
		return (-1);
	/* Written in place: the fields of v, then the lengths. */
	(void) memcpy(p, v, offsetof(struct task_diag_vma, vma_len));
	(void) memcpy(p + offsetof(struct task_diag_vma, vma_len), tail,
	    sizeof (tail));
	if (st != NULL)
		(void) memcpy(p + sizeof (*v), st, sizeof (*st));
	if (name != NULL) {
		/* The NUL and the padding (1 to 4 bytes), then the name. */
		(void) memset(p + len - 4, 0, 4);
		(void) memcpy(p + tail[1], name, nl);
	}
	r->tr_len += len;
	r->tr_nrec++;
	r->tr_end = v->end;
	return (0);
}

extern int td_xmap_add(td_recs_t *, const struct task_diag_xmap *);

extern void td_enc_array(struct td_enc *, unsigned int, const td_recs_t *);
extern size_t td_enc_emit_parts(struct td_enc *, uint8_t *, size_t,
    uint32_t);

/*
 * The illumos xmap parser (td_illxmap.c), a pure function of its bytes
 * but for xo_name, which resolves a pr_mapname of mlen bytes (no '/') to
 * *namep, *lenp (return 0; -1: use the mapname itself); NULL: never.  The
 * mapname it is given is the entry's whole field (PRMAPSZ bytes); *namep
 * must stay as it is until the next call (the next entries of the same
 * mapname use it again without a call).
 */
typedef struct td_xmopt {
	int		xo_vma;		/* build VMA records */
	int		xo_stat;	/* with their stat */
	int		xo_xmap;	/* build XMAP records */
	int		(*xo_name)(void *, const char *, size_t,
	    const char **, size_t *);
	void		*xo_arg;
} td_xmopt_t;

extern int td_xmap_parse(const void *, size_t, const td_xmopt_t *,
    td_recs_t *, td_recs_t *);
extern int td_ill_maps(td_maps_t *, int, const char *, size_t, int, int,
    int);

/* The Linux maps and smaps parser (td_lxmaps.c), and its loader. */
extern int td_lx_parse_maps(const char *, size_t, int, td_recs_t *);
extern int td_lx_maps(td_maps_t *, int, const char *, size_t, int);
struct taskdiag;
extern int td_lx_maps_only(const struct taskdiag *);
extern int td_lx_maps_open(struct taskdiag *);
extern void td_lx_maps_load(struct taskdiag *, int);

extern int td_vma_check(const uint8_t *, size_t, int, uint64_t *, char *,
    size_t);

#ifdef	__cplusplus
}
#endif

#endif	/* _TD_VMA_H */
