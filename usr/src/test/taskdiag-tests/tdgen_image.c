/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: the LWPs of a process in the order of each array file, and
 * the bytes of whole files (tdg_image, tdg_frame_image).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tdgen_impl.h"

/*
 * LWPs and the order of the array files.
 */
size_t
tdg_nactive(const struct tdg_proc *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nlwp; i++) {
		if (!p->lwp[i].zombie)
			n++;
	}
	return (n);
}

size_t
tdg_nzombie(const struct tdg_proc *p)
{
	return (p->nlwp - tdg_nactive(p));
}

struct tdg_lwp *
tdg_lwp_find(const struct tdg_proc *p, int32_t lwpid)
{
	size_t i;

	for (i = 0; i < p->nlwp; i++) {
		if (p->lwp[i].psinfo.lwpid == lwpid)
			return (&p->lwp[i]);
	}
	return (NULL);
}

/* The kernel's preference among LWP states (prchoose()). */
int
tdg_state_rank(int state)
{
	switch (state) {
	case TDG_SONPROC:
		return (0);
	case TDG_SRUN:
	case TDG_SWAIT:
		return (1);
	case TDG_SSLEEP:
		return (2);
	case TDG_SSTOP:
		return (3);
	default:
		return (4);
	}
}

int
tdg_representative(const struct tdg_proc *p)
{
	size_t i;
	int best = -1, rank = 99, r;

	for (i = 0; i < p->nlwp; i++) {
		if (p->lwp[i].zombie)
			continue;
		if (p->status.agentid != 0 &&
		    p->lwp[i].psinfo.lwpid == p->status.agentid)
			return ((int)i);
		r = tdg_state_rank(p->lwp[i].psinfo.state);
		if (r < rank) {
			rank = r;
			best = (int)i;
		}
	}
	return (best);
}

/*
 * The indices into lwp[] of the active LWPs in the order of lstatus (and
 * of lusage after entry 0).  Returns NULL only when out of memory.
 */
static size_t *
active_order(const struct tdg_proc *p, size_t *np)
{
	size_t na = tdg_nactive(p), i, k;
	size_t *act, *ord;

	act = malloc((na + 1) * sizeof (size_t));
	ord = malloc((na + 1) * sizeof (size_t));
	if (act == NULL || ord == NULL) {
		free(act);
		free(ord);
		errno = ENOMEM;
		return (NULL);
	}
	for (i = 0, k = 0; i < p->nlwp; i++) {
		if (!p->lwp[i].zombie)
			act[k++] = i;
	}
	for (k = 0; k < na; k++) {
		switch (p->order) {
		case TDG_ORDER_REVERSE:
			ord[k] = act[na - 1 - k];
			break;
		case TDG_ORDER_ROTATE:
			ord[k] = act[(k + 1) % na];
			break;
		default:
			ord[k] = act[k];
			break;
		}
	}
	free(act);
	*np = na;
	return (ord);
}

size_t
tdg_nent(const struct tdg_proc *p, int file)
{
	switch (file) {
	case TDG_F_LPSINFO:
		return (p->nlwp);
	case TDG_F_LSTATUS:
		return (tdg_nactive(p));
	case TDG_F_LUSAGE:
		return (tdg_nactive(p) + 1);
	default:
		return (0);
	}
}

int
tdg_file_lwp(const struct tdg_proc *p, int file, size_t ent)
{
	size_t *ord, n;
	int r = -2;

	if (file == TDG_F_LPSINFO)
		return (ent < p->nlwp ? (int)ent : -2);
	if (file == TDG_F_LUSAGE) {
		if (ent == 0)
			return (-1);
		ent--;
	} else if (file != TDG_F_LSTATUS) {
		return (-2);
	}
	if ((ord = active_order(p, &n)) == NULL)
		return (-2);
	if (ent < n)
		r = (int)ord[ent];
	free(ord);
	return (r);
}

/*
 * Images.
 */
void
tdg_frame_init(const struct tdg_proc *p, int file, struct tdg_frame *f)
{
	f->nent = tdg_nent(p, file);
	f->entsize = tdg_entsize(p->model, file);
	f->nlay = (size_t)f->nent;
	f->stride = (size_t)f->entsize;
	f->size = TDG_SIZE_AUTO;
}

int
tdg_frame_image(const struct tdg_proc *p, int file,
    const struct tdg_frame *f, void **bufp, size_t *lenp)
{
	int model = p->model;
	size_t hdr, ssz, total, n, i, j, off, cp, *ord = NULL;
	uint8_t hbuf[16], *buf, *ent;
	int li;

	if (tdg_badmodel(model) || (file != TDG_F_LPSINFO &&
	    file != TDG_F_LSTATUS && file != TDG_F_LUSAGE)) {
		errno = EINVAL;
		return (-1);
	}
	hdr = tdg_mdls[model].hdr;
	ssz = tdg_struct_size(model, file);
	if (f->size == TDG_SIZE_AUTO) {
		if (f->stride != 0 && f->nlay > (SIZE_MAX - hdr) / f->stride) {
			errno = EOVERFLOW;
			return (-1);
		}
		total = hdr + f->nlay * f->stride;
	} else {
		total = f->size;
	}
	if (total == SIZE_MAX) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_LPSINFO) {
		n = p->nlwp;
	} else if ((ord = active_order(p, &n)) == NULL) {
		return (-1);
	}
	if (file == TDG_F_LUSAGE)
		n++;
	buf = calloc(1, total + 1);
	ent = malloc(ssz);
	if (buf == NULL || ent == NULL) {
		free(buf);
		free(ent);
		free(ord);
		errno = ENOMEM;
		return (-1);
	}
	tdg_putl(model, hbuf, 0, f->nent);
	tdg_putl(model, hbuf, tdg_mdls[model].lsz, f->entsize);
	(void) memcpy(buf, hbuf, total < hdr ? total : hdr);
	for (i = 0; i < f->nlay && n > 0; i++) {
		if (f->stride != 0 && i > (SIZE_MAX - hdr) / f->stride)
			break;
		off = hdr + i * f->stride;
		if (off >= total)
			break;
		j = i % n;
		if (file == TDG_F_LPSINFO) {
			tdg_enc_lwpsinfo(model, &p->lwp[j].psinfo, ent);
		} else if (file == TDG_F_LSTATUS) {
			tdg_enc_lwpstatus(model, &p->lwp[ord[j]].status, ent);
		} else if (j == 0) {
			tdg_enc_usage(model, &p->defunct, ent);
		} else {
			li = (int)ord[j - 1];
			tdg_enc_usage(model, &p->lwp[li].usage, ent);
		}
		cp = f->stride < ssz ? f->stride : ssz;
		if (cp > total - off)
			cp = total - off;
		(void) memcpy(buf + off, ent, cp);
		if (f->stride == 0)
			break;
	}
	free(ent);
	free(ord);
	*bufp = buf;
	*lenp = total;
	return (0);
}

int
tdg_image(const struct tdg_proc *p, int file, void **bufp, size_t *lenp)
{
	struct tdg_frame f;
	size_t len;
	void *buf;

	if (tdg_badmodel(p->model)) {
		errno = EINVAL;
		return (-1);
	}
	switch (file) {
	case TDG_F_LPSINFO:
	case TDG_F_LSTATUS:
	case TDG_F_LUSAGE:
		tdg_frame_init(p, file, &f);
		return (tdg_frame_image(p, file, &f, bufp, lenp));
	case TDG_F_CRED:
		len = tdg_cred_size(&p->cred);
		break;
	case TDG_F_PSINFO:
	case TDG_F_STATUS:
	case TDG_F_USAGE:
		len = tdg_struct_size(p->model, file);
		break;
	default:
		errno = EINVAL;
		return (-1);
	}
	if ((buf = malloc(len)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_PSINFO)
		tdg_enc_psinfo(p->model, &p->psinfo, buf);
	else if (file == TDG_F_STATUS)
		tdg_enc_pstatus(p->model, &p->status, buf);
	else if (file == TDG_F_USAGE)
		tdg_enc_usage(p->model, &p->usage, buf);
	else
		tdg_enc_cred(&p->cred, buf);
	*bufp = buf;
	*lenp = len;
	return (0);
}

int
tdg_lwp_image(const struct tdg_proc *p, size_t i, int file, void **bufp,
    size_t *lenp)
{
	const struct tdg_lwp *l;
	size_t len;
	uint8_t *buf;

	if (tdg_badmodel(p->model) || i >= p->nlwp) {
		errno = EINVAL;
		return (-1);
	}
	l = &p->lwp[i];
	if (file == TDG_F_LWPNAME) {
		if (l->lwpname == NULL) {
			errno = ENOENT;
			return (-1);
		}
		len = p->lwpname_pad ? TDG_LWPNAME_MAX : strlen(l->lwpname);
	} else {
		len = tdg_struct_size(p->model, file);
		if (len == 0 || file == TDG_F_LPSINFO ||
		    file == TDG_F_LSTATUS || file == TDG_F_LUSAGE) {
			errno = EINVAL;
			return (-1);
		}
	}
	if ((buf = calloc(1, len + 1)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_LWPNAME) {
		if (p->lwpname_pad) {
			(void) strncpy((char *)buf, l->lwpname,
			    TDG_LWPNAME_MAX - 1);
		} else {
			(void) memcpy(buf, l->lwpname, len);
		}
	} else if (file == TDG_F_LWPSINFO) {
		tdg_enc_lwpsinfo(p->model, &l->psinfo, buf);
	} else if (file == TDG_F_LWPSTATUS) {
		tdg_enc_lwpstatus(p->model, &l->status, buf);
	} else {
		tdg_enc_usage(p->model, &l->usage, buf);
	}
	*bufp = buf;
	*lenp = len;
	return (0);
}

