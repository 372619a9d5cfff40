# libmpref's cases under valgrind's memcheck (scripts/valgrind).  Not in
# conformance/impls/: it is slow (every process 20 to 50 times slower) and
# only scripts/valgrind loads it, with --profile.  Timing checks written
# for a native run may fail here; what scripts/valgrind judges is
# memcheck's verdict on every process (see memcheck).
name: ref-memcheck
description: libmpref, the C reference, under valgrind memcheck
requires: case.c
probe: test -d {build}/cases
command: {profile_dir}/memcheck {build}/cases/case-{slug}
methods: fork spawn forkserver
env: MPCONFORM_MEMCHECK_LOGS={build}/memcheck-logs
env: MPCONFORM_MEMCHECK_CASE={slug}
known-failures: ../impls/ref.known-failures
