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

include ../../Makefile.lib

LDLIBS +=	-lc
