# libmpref, the C reference: each case.c is built by meson as
# {build}/cases/case-{slug}.  A case without case.c is `missing`.
name: ref
description: libmpref, the C reference (case.c built by meson)
requires: case.c
probe: test -d {build}/cases
# judged against the host's CPython: libmpref follows CPython 3.11
python-version: 3.11
command: {build}/cases/case-{slug}
methods: fork spawn forkserver
known-failures: ref.known-failures
