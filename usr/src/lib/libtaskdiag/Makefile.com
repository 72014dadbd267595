#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# libtaskdiag: what every ISA's build shares.  The list of objects is kept
# here and only here.
#

LIBRARY =	libtaskdiag.a
VERS =		.1
OBJECTS =	taskdiag.o \
		td_core.o \
		td_decode.o \
		td_encode.o \
		td_illumos.o \
		td_illxmap.o \
		td_io.o \
		td_linux.o \
		td_lxmaps.o \
		td_names.o \
		td_tree.o \
		td_vma.o
# The BPF source: the 64-bit library, when BPF is yes (amd64/Makefile).
BPFOBJECTS =	td_bpf.o

include ../../Makefile.lib

#
# td_procfs.h's structures are checked against the measured layouts: the
# checks (pics/td_layout.h) are written from them by td_layout.awk, for
# the structures of LAYOUT_TYPES (T_PSINFO: psinfo).
#
LAYOUT_TYPES =	timestruc prheader lwpsinfo psinfo lwpstatus pstatus prusage \
		prcred prxmap
LAYOUTS =	$(SRCDIR)/layout-amd64.txt $(SRCDIR)/layout-i386.txt
LAYOUT_H =	pics/td_layout.h
CPPFLAGS +=	-Ipics -DTD_LAYOUT

LDLIBS +=	-lc
