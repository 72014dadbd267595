#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# td_layout.awk: the compile-time checks of the structures of td_procfs.h,
# written from the measured layouts, layout-amd64.txt then layout-i386.txt
# (the order the files are given in):
#
#	awk -v types='psinfo prusage ...' -f td_layout.awk \
#	    layout-amd64.txt layout-i386.txt > td_layout.h
#
# For every structure named in types (T_PSINFO: psinfo_t) it writes its
# size, and the offset and the size of each of its members, as the two
# data models have them (TD_SIZE, TD_CHECK, TD_MSIZE of td_procfs.h, which
# pick the reader's), and the i386 alignment (TD_ALIGN).  A structure of
# types that a file does not describe is an error.
#

BEGIN {
	ntypes = split(types, tlist, " ")
	for (i = 1; i <= ntypes; i++)
		want[toupper(tlist[i])] = 1
}

FNR == 1 {
	model++
	cur = ""
}

/^T_[A-Z_]+: sizeof / {
	name = substr($1, 3, length($1) - 3)
	cur = (name in want) ? name : ""
	if (cur != "") {
		size[cur, model] = $3
		align[cur, model] = $5
		have[cur, model] = 1
	}
	next
}

/^  [a-z_]/ && cur != "" {
	if (!((cur, $1) in known)) {
		known[cur, $1] = 1
		member[cur, ++nmember[cur]] = $1
	}
	off[cur, $1, model] = $3
	msize[cur, $1, model] = $5
	next
}

/^$/ {
	cur = ""
}

END {
	if (model != 2) {
		err = "td_layout.awk: give the amd64 and the i386 layout"
		print err | "cat 1>&2"
		exit 1
	}
	print "/*"
	print " * Written by td_layout.awk from layout-amd64.txt and " \
	    "layout-i386.txt:"
	print " * do not edit."
	print " */"
	print ""
	print "/* BEGIN CSTYLED */"
	for (i = 1; i <= ntypes; i++) {
		s = toupper(tlist[i])
		if (!((s, 1) in have) || !((s, 2) in have)) {
			err = "td_layout.awk: no T_" s " in the layouts"
			print err | "cat 1>&2"
			exit 1
		}
		t = tolower(s) "_t"
		printf "TD_SIZE(%s, %s, %s);\n", t, size[s, 1], size[s, 2]
		printf "TD_ALIGN(%s, %s);\n", t, align[s, 2]
		for (j = 1; j <= nmember[s]; j++) {
			m = member[s, j]
			printf "TD_CHECK(%s, %s, %s, %s);\n", t, m,
			    off[s, m, 1], off[s, m, 2]
			printf "TD_MSIZE(%s, %s, %s, %s);\n", t, m,
			    msize[s, m, 1], msize[s, m, 2]
		}
	}
	print "/* END CSTYLED */"
}
