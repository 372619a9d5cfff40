/*
 * testutil.h - helpers for the report unit tests: a sample run holding
 * every status, a scratch folder, whole-file reads, and deep comparison.
 */
#ifndef MPC_TESTUTIL_H
#define MPC_TESTUTIL_H

#include <stddef.h>

#include "results.h"

/* A run with 2 impls (cpython: fork, spawn; ref: fork), 3 cases, and
 * MPC_NSTATUS + 1 results: one per status (mismatches, leaks, awkward
 * text in them) plus a passing result with leaks.  All strings are valid
 * UTF-8 so that a JSON round trip must give it back identical. */
void tu_sample_run(mpc_run_t *run);

/* Small builders (abort on out of memory: tests only). */
char *tu_strdup(const char *s);
char **tu_strv(size_t n, ...);
void tu_add_result(mpc_run_t *run, const char *case_id, const char *impl,
                   const char *method, mpc_status_t st);

/* A fresh scratch folder (mkdtemp) and a path inside it (static buffer,
 * valid until the next call). */
const char *tu_tmpdir(void);
const char *tu_path(const char *name);
void tu_rmtree(void);

/* Write text to tu_path(name); returns that path. */
const char *tu_write(const char *name, const char *text, size_t len);
/* Whole file as a NUL-terminated malloc'd string (NULL if unreadable). */
char *tu_read(const char *path, size_t *len);

/* 1 when a and b hold the same data (NULL and "" strings are equal); on a
 * difference prints which field to stderr. */
int tu_run_equal(const mpc_run_t *a, const mpc_run_t *b);

/* Number of non-overlapping occurrences of needle in hay. */
size_t tu_count(const char *hay, const char *needle);

/* Run a /usr/bin/python3 one-liner on a file: 1 ok, 0 failed, -1 when
 * there is no python3 (the caller then skips that cross-check). */
int tu_python_check(const char *code, const char *path);

/* Silence stderr around tests that provoke many error messages. */
void tu_stderr_off(void);
void tu_stderr_on(void);

/* The suites (test-model.c, test-output.c); 0 or a CUnit error. */
int tu_add_model_suite(void);
int tu_add_merge_suite(void);
int tu_add_output_suite(void);
int tu_add_oom_suite(void);

#endif /* MPC_TESTUTIL_H */
