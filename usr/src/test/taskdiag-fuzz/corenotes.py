#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# corenotes.py CORE OUT: the ELF header, program headers and notes of a
# little-endian core (either class), without the dumped memory: the seeds
# of fuzz_core (mkcorpus.sh).  The PT_NOTE segments follow the program
# headers; the PT_LOADs keep their sizes and point past the end.
#
import struct
import sys

data = open(sys.argv[1], 'rb').read()
assert data[:4] == b'\x7fELF' and data[5] == 1
c64 = data[4] == 2
if c64:
    ehsize, L, fo, fs = 64, '<Q', 8, 32
    phoff, = struct.unpack_from('<Q', data, 32)
    phentsize, phnum = struct.unpack_from('<HH', data, 54)
else:
    ehsize, L, fo, fs = 52, '<I', 4, 16
    phoff, = struct.unpack_from('<I', data, 28)
    phentsize, phnum = struct.unpack_from('<HH', data, 42)
assert phnum != 0xffff
hdr = bytearray(data[:ehsize])
if c64:
    struct.pack_into('<QQ', hdr, 32, ehsize, 0)
    struct.pack_into('<HHH', hdr, 58, 64, 0, 0)
else:
    struct.pack_into('<II', hdr, 28, ehsize, 0)
    struct.pack_into('<HHH', hdr, 46, 40, 0, 0)
phdrs = bytearray(phnum * phentsize)
notes = bytearray()
off = ehsize + len(phdrs)
for i in range(phnum):
    ph = bytearray(data[phoff + i * phentsize:phoff + (i + 1) * phentsize])
    if struct.unpack_from('<I', ph, 0)[0] == 4:
        o, = struct.unpack_from(L, ph, fo)
        sz, = struct.unpack_from(L, ph, fs)
        struct.pack_into(L, ph, fo, off + len(notes))
        notes += data[o:o + sz]
    phdrs[i * phentsize:(i + 1) * phentsize] = ph
end = off + len(notes)
for i in range(phnum):
    b = i * phentsize
    if struct.unpack_from('<I', phdrs, b)[0] == 1:
        struct.pack_into(L, phdrs, b + fo, end)
open(sys.argv[2], 'wb').write(bytes(hdr) + bytes(phdrs) + bytes(notes))
