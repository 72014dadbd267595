#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# taskdiag: the top of the build.  GNU make (gmake on illumos).
#
#	make			build the library, the command, the tests
#				and the manual pages into the proto area,
#				proto/root_$(MACH)
#	make install DESTDIR=dir
#				install the library, its links, headers,
#				command, manual pages and pkg-config file,
#				and the test suite (opt/taskdiag-tests), under
#				dir: the layout of manifest/taskdiag.p5m and
#				manifest/taskdiag-tests.p5m
#	make check		build, then run the test suite with kyua;
#				the last line is `kyua: N passed, M failed'
#				(TESTS='prog prog:case' runs only those)
#	make check-installed	install into a fresh root and run the suite
#				from there, with no configuration
#				(tools/installed-check.sh)
#	make run		build and run taskdiag on this machine's /proc;
#				SAMPLE=1: on the sample illumos tree instead
#	make deps		install the test dependencies (Debian, root)
#	make clean		remove objects; make clobber: all that
#				is built
#
# Variables: CC=clang, SANITIZE=1, CI=true (-Werror), PREFIX, DESTDIR; see
# Makefile.master.  `make check SANITIZE=1' rebuilds everything with ASan
# and UBSan and runs the suite on that build.
#

include Makefile.master

LIBDIR =	usr/src/lib/libtaskdiag
CMDDIR =	usr/src/cmd/taskdiag
TESTDIR =	usr/src/test/taskdiag-tests
MANDIR =	usr/src/man

CHECKDIR =	$(BUILDDIR)/check
CHECKDESTDIR =	$(CHECKDIR)/destdir
SAMPLEDIR =	$(BUILDDIR)/sample-proc

# `make install' takes DESTDIR relative to where make was started.
INSTROOT =	$(if $(DESTDIR),$(abspath $(DESTDIR)))

.PHONY: lib cmd tests tdgen man run check check-installed checkdeps deps pkg \
	bench fuzz

#
# Everything is built and installed into the proto area.  The command and
# the tests need the library first; the manual pages need nothing.
#
all: lib cmd tests man
ifneq ($(BUILD32),yes)
	@echo "taskdiag: BUILD32=$(BUILD32) ($(CC) $(CCBITS32) cannot link a" \
	    "program$(if $(filter 1,$(SANITIZE)), with the sanitizers), or" \
	    "BUILD32=no was given): the 32-bit library and taskdiag.32" \
	    "are not built; dmodel_test skips" >&2
endif
ifneq ($(BPF),yes)
	@echo "taskdiag: BPF=$(BPF) (no clang for the bpf target, bpftool or" \
	    "libbpf-dev's headers, or BPF=no was given): the BPF source is" \
	    "not built; the live /proc is read by the /proc reader; bpf_test" \
	    "skips" >&2
endif

lib:
	@$(MAKE) -C $(LIBDIR) install

cmd: lib
	@$(MAKE) -C $(CMDDIR) install

tests: lib
	@$(MAKE) -C $(TESTDIR) install
ifeq ($(BUILD32),yes)
	@$(MAKE) -C $(TESTDIR)/$(MACH) install
endif

tdgen: lib
	@$(MAKE) -C $(TESTDIR) install_tdgen

man:
	@$(MAKE) -C $(MANDIR) install

#
# The same install rules, with the target root moved to DESTDIR: both
# packages, the test suite (opt/taskdiag-tests) too.  The 32-bit library
# and the tests' 32-bit commands are installed where the package delivers
# them (DELIVER32: illumos), not on Linux, where they are built for the
# tests of the build only (see Makefile.master).
#
install: lib cmd man tests
	@$(MAKE) -C $(LIBDIR) install ROOT=$(INSTROOT) BUILD32=$(DELIVER32)
	@$(MAKE) -C $(CMDDIR) install ROOT=$(INSTROOT)
	@$(MAKE) -C $(MANDIR) install ROOT=$(INSTROOT)
	@$(MAKE) -C $(TESTDIR) install ROOT=$(INSTROOT)
ifeq ($(DELIVER32),yes)
	@$(MAKE) -C $(TESTDIR)/$(MACH) install ROOT=$(INSTROOT)
endif

#
# The main job: taskdiag on this machine's /proc (illumos or Linux), or,
# with SAMPLE=1, on the embedded sample illumos tree, which tdgen writes
# the same every time.
#
run: cmd tdgen
ifeq ($(SAMPLE),1)
	@rm -rf $(SAMPLEDIR)
	umask 022; $(ROOTOPTBIN)/tdgen sample $(SAMPLEDIR)
	$(ROOTBIN)/taskdiag -r $(SAMPLEDIR) -A -s base,lwpsinfo,usage
else
	$(ROOTBIN)/taskdiag -a -s base,cred,stat
endif

#
# The test suite.  The tests are told where everything is by kyua
# configuration variables (test_suites.taskdiag.<name>, read with
# atf_tc_get_config_var()) and by the same values in the environment
# (TASKDIAG_<NAME>); see README.md.  pkg_test compares $(CHECKDESTDIR), a
# fresh `make install', with the manifest.
#
# The 32-bit readers of the suite (empty, so unset, without BUILD32).
ifeq ($(BUILD32),yes)
TASKDIAG32 =	$(ROOTOPTBIN)/taskdiag.32
TASKDIAG32_EOVF = $(ROOTOPTBIN)/taskdiag-eoverflow.32
LIBDIR32 =	$(ROOTLIB)
endif

TESTENV =	TASKDIAG_SRCTOP='$(SRCTOP)' \
		TASKDIAG_BUILDDIR='$(BUILDDIR)' \
		TASKDIAG_PROTO='$(ROOT)' \
		TASKDIAG_DESTDIR='$(CHECKDESTDIR)' \
		TASKDIAG_PREFIX='$(PREFIX)' \
		TASKDIAG_TASKDIAG='$(ROOTBIN)/taskdiag' \
		TASKDIAG_TDGEN='$(ROOTOPTBIN)/tdgen' \
		TASKDIAG_LIBDIR='$(ROOTLIB64)' \
		TASKDIAG_INCDIR='$(ROOTHDRDIR)' \
		TASKDIAG_MACH='$(MACH)' \
		TASKDIAG_MACH64='$(MACH64)' \
		TASKDIAG_BUILD32='$(BUILD32)' \
		TASKDIAG_DELIVER32='$(DELIVER32)' \
		TASKDIAG_TASKDIAG32='$(TASKDIAG32)' \
		TASKDIAG_TASKDIAG32_EOVERFLOW='$(TASKDIAG32_EOVF)' \
		TASKDIAG_LIBDIR32='$(LIBDIR32)' \
		TASKDIAG_LIBCTF='$(LIBCTF)' \
		TASKDIAG_FUSE='$(FUSE)' \
		TASKDIAG_PKGVERS='$(PKGVERS)' \
		TASKDIAG_CTF='$(CTF)' \
		TASKDIAG_SANITIZE='$(SANITIZE)' \
		TASKDIAG_CC='$(CC)' \
		TASKDIAG_SANFLAGS='$(SANFLAGS)'

# Sanitizer reports end the program that has them, with a failure.
LSANSUPP =	$(SRCTOP)/tools/lsan.supp
ifeq ($(SANITIZE),1)
CHECKENV =	ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 \
		LSAN_OPTIONS=suppressions=$(LSANSUPP):print_suppressions=0 \
		UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
endif

check: checkdeps
	@$(MAKE) all
	@rm -rf $(CHECKDESTDIR)
	@$(MAKE) install DESTDIR=$(CHECKDESTDIR)
	@umask 022; env $(CHECKENV) \
	    $(TESTENV) \
	    $(SHELL) $(SRCTOP)/tools/kyua-check.sh $(ROOTOPTTESTS) $(CHECKDIR) \
	    $(TESTS)

#
# The suite as a user of the packages runs it: installed into a fresh
# root outside the source tree and run from there by kyua, with no
# configuration variables (tools/installed-check.sh).  Its last line is
# `installed: N passed, M failed'.
#
check-installed: checkdeps
	@$(MAKE) all
	@$(SHELL) $(SRCTOP)/tools/installed-check.sh

# What `make check' needs; tools/deps.sh installs it.
checkdeps:
	@$(SHELL) $(SRCTOP)/tools/deps.sh --check

deps:
	@$(SHELL) $(SRCTOP)/tools/deps.sh

#
# illumos: publish the proto area to an IPS repository (PKGREPO, created
# when missing) with the manifests, both packages.  See README.illumos.
#
PKGREPO =	$(BUILDDIR)/repo
PKGPUBLISHER =	taskdiag
PKGMACROS =	-DARCH=$(MACH) -DARCH64=$(MACH64) -DPKGVERS=$(PKGVERS) \
		-DBUILD32_ONLY=$(if $(filter yes,$(DELIVER32)),,'\#') \
		-DLINUX_ONLY=$(if $(filter Linux,$(OS)),,'\#') \
		-DLIBCTF_ONLY=$(if $(filter yes,$(LIBCTF)),,'\#') \
		-DFUSE_ONLY=$(if $(filter yes,$(FUSE)),,'\#')
PKGMANIFESTS =	taskdiag taskdiag-tests

pkg: all
	@test -d $(PKGREPO) || { pkgrepo create $(PKGREPO) && \
	    pkgrepo set -s $(PKGREPO) publisher/prefix=$(PKGPUBLISHER); }
	for m in $(PKGMANIFESTS); do \
		pkgmogrify $(PKGMACROS) manifest/$$m.p5m \
		    > $(BUILDDIR)/$$m.mog && \
		pkgsend publish -s $(PKGREPO) -d $(ROOT) -d $(SRCTOP) \
		    $(BUILDDIR)/$$m.mog || exit 1; \
	done

clean:
	@$(MAKE) -C $(LIBDIR) clean
	@$(MAKE) -C $(CMDDIR) clean
	@$(MAKE) -C $(TESTDIR) clean
	@$(MAKE) -C $(TESTDIR)/$(MACH) clean
	@$(MAKE) -C $(MANDIR) clean
	rm -rf $(CHECKDIR) $(SAMPLEDIR)

clobber:
	@$(MAKE) -C $(LIBDIR) clobber
	@$(MAKE) -C $(CMDDIR) clobber
	@$(MAKE) -C $(TESTDIR) clobber
	@$(MAKE) -C $(TESTDIR)/$(MACH) clobber
	@$(MAKE) -C $(MANDIR) clobber
	rm -rf $(BUILDDIR)

#
# Outside the test suite: the benchmarks, and the fuzzers.
#
bench: all
	@$(MAKE) -C bench

fuzz:
	@$(MAKE) -C usr/src/test/taskdiag-fuzz fuzz
