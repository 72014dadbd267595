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
		td_io.o \
		td_linux.o \
		td_names.o \
		td_tree.o
# The BPF source: the 64-bit library, when BPF is yes (amd64/Makefile).
BPFOBJECTS =	td_bpf.o

include ../../Makefile.lib

LDLIBS +=	-lc
