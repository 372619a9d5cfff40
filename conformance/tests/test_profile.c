/* test_profile.c - profiles: fields, \x20, substitution, errors with
 * FILE:LINE, known failures (globs, several statuses, !exceptions). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "profile.h"
#include "results.h"

static char DIR_[64];

static char *write_file(const char *name, const char *text)
{
    char *path = mpc_xasprintf("%s/%s", DIR_, name);
    FILE *f = fopen(path, "w");
    fputs(text, f);
    fclose(f);
    return path;
}

static void test_fields(void)
{
    free(write_file("x.kf",
                    "# comment\n"
                    "pool/* * fail Pool differs\n"
                    "pool/map spawn timeout hangs\n"
                    "!pool/ok fork\n"
                    "sync/a fork crash segfaults\n"
                    "pool/hangs fork timeout? hangs at exit in some runs\n"));
    char *path = write_file(
        "x.profile", "# a profile\n"
                     "name: x\n"
                     "description: the X runtime\n"
                     "probe: /bin/sh -c exit\\x200\n"
                     "command: /opt/x/bin/x {case_dir}/case.py --id={case_id}\n"
                     "env: PYTHONPATH={shim}:{profile_dir}\n"
                     "env: X_SLUG={slug}\n"
                     "methods: fork spawn\n"
                     "timeout: 12.5\n"
                     "shm-size: 512M\n"
                     "root: roots/trixie\n"
                     "known-failures: x.kf\n");
    mpc_profile_t p;
    char *err = NULL;
    int r = mpc_profile_load(path, &p, &err);
    if (r)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(r, 0);
    CU_ASSERT_STRING_EQUAL(p.name, "x");
    CU_ASSERT_EQUAL(p.probe.n, 3);
    CU_ASSERT_STRING_EQUAL(p.probe.v[2], "exit 0");
    CU_ASSERT_EQUAL(p.methods.n, 2);
    CU_ASSERT_TRUE(mpc_profile_has_method(&p, "spawn"));
    CU_ASSERT_FALSE(mpc_profile_has_method(&p, "forkserver"));
    CU_ASSERT_DOUBLE_EQUAL(p.timeout, 12.5, 1e-9);
    CU_ASSERT_EQUAL(p.shm_size, (size_t)512 << 20);
    CU_ASSERT_STRING_EQUAL(p.root, "roots/trixie");
    CU_ASSERT_EQUAL(p.oracle, 0);
    mpc_vars_t v = {"/c/my case", "a/b", "a-b", "/b", "/s", "/s/shim", p.dir};
    mpc_strv_t argv = {0};
    mpc_subst_argv(&p.command, &v, &argv);
    CU_ASSERT_EQUAL_FATAL(argv.n, 3);
    CU_ASSERT_STRING_EQUAL(
        argv.v[1], "/c/my case/case.py"); /* one argument, spaces kept */
    CU_ASSERT_STRING_EQUAL(argv.v[2], "--id=a/b");
    mpc_strv_free(&argv);
    char *e = mpc_subst(p.env.v[1], &v);
    CU_ASSERT_STRING_EQUAL(e, "X_SLUG=a-b");
    free(e);
    e = mpc_subst("{unknown} {slug}", &v);
    CU_ASSERT_STRING_EQUAL(e, "{unknown} a-b");
    free(e);
    /* known failures */
    const mpc_known_failure_t *k =
        mpc_profile_known(&p, "pool/map", "fork", MPC_FAIL, 311);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_STRING_EQUAL(k->reason, "Pool differs");
    k = mpc_profile_known(&p, "pool/map", "spawn", MPC_TIMEOUT, 311);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_EQUAL(k->status,
                    MPC_TIMEOUT); /* the line with that status wins */
    k = mpc_profile_known(&p, "pool/map", "spawn", MPC_PASS, 311);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_EQUAL(k->status, MPC_FAIL); /* else the first */
    CU_ASSERT_PTR_NULL(mpc_profile_known(&p, "pool/ok", "fork", MPC_FAIL,
                                         311)); /* exception */
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "pool/ok", "spawn", MPC_FAIL, 311));
    CU_ASSERT_PTR_NULL(
        mpc_profile_known(&p, "sync/a", "spawn", MPC_CRASH, 311));
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "sync/a", "fork", MPC_CRASH, 311));
    /* "timeout?": an intermittent failure, whose line a pass also finds */
    k = mpc_profile_known(&p, "pool/hangs", "fork", MPC_PASS, 311);
    CU_ASSERT_PTR_NOT_NULL_FATAL(k);
    CU_ASSERT_EQUAL(k->status, MPC_TIMEOUT);
    CU_ASSERT_TRUE(k->intermittent);
    CU_ASSERT_STRING_EQUAL(k->reason, "hangs at exit in some runs");
    k = mpc_profile_known(&p, "pool/map", "fork", MPC_FAIL, 311);
    CU_ASSERT_FALSE(k->intermittent);
    mpc_profile_free(&p);
    free(path);
}

/* python-version:, cpython:, and the version filter of known failures */
static void test_versions(void)
{
    free(write_file("v.kf", "since 3.10: sync/event-* * fail no repr before\n"
                            "until 3.9: pool/x fork timeout hangs on 3.9\n"
                            "python 3.13: pool/y * crash only 3.13\n"
                            "pool/* spawn fail every version\n"
                            "since 3.12: !pool/z spawn\n"));
    char *path = write_file("v.profile", "name: v\n"
                                         "command: v\n"
                                         "python-version: 3.9\n"
                                         "known-failures: v.kf\n");
    mpc_profile_t p;
    char *err = NULL;
    int r = mpc_profile_load(path, &p, &err);
    if (r)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(r, 0);
    CU_ASSERT_EQUAL(p.pyver_fixed, 309);
    CU_ASSERT_EQUAL(p.cpython, 0);
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "sync/event-a", "fork", MPC_FAIL, 310));
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "sync/event-a", "fork", MPC_FAIL, 314));
    CU_ASSERT_PTR_NULL(
        mpc_profile_known(&p, "sync/event-a", "fork", MPC_FAIL, 309));
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "pool/x", "fork", MPC_TIMEOUT, 309));
    CU_ASSERT_PTR_NULL(
        mpc_profile_known(&p, "pool/x", "fork", MPC_TIMEOUT, 310));
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "pool/y", "fork", MPC_CRASH, 313));
    CU_ASSERT_PTR_NULL(mpc_profile_known(&p, "pool/y", "fork", MPC_CRASH, 314));
    CU_ASSERT_PTR_NULL(mpc_profile_known(&p, "pool/y", "fork", MPC_CRASH, 312));
    /* an unqualified line holds everywhere; a qualified exception only
     * where it holds */
    CU_ASSERT_PTR_NOT_NULL(
        mpc_profile_known(&p, "pool/z", "spawn", MPC_FAIL, 311));
    CU_ASSERT_PTR_NULL(mpc_profile_known(&p, "pool/z", "spawn", MPC_FAIL, 312));
    mpc_profile_free(&p);
    free(path);
    path = write_file("c.profile", "name: c\n"
                                   "cpython: yes\n"
                                   "command: c\n"
                                   "python-version: c -c print(1)\n");
    r = mpc_profile_load(path, &p, &err);
    CU_ASSERT_EQUAL_FATAL(r, 0);
    CU_ASSERT_EQUAL(p.cpython, 1);
    CU_ASSERT_EQUAL(p.pyver_fixed, 0);
    CU_ASSERT_EQUAL(p.pyver_cmd.n, 3);
    mpc_profile_free(&p);
    free(path);

    /* the oracle: the same minor version, else the nearest newer one */
    const int cands[] = {311, 313, 309, 314};
    CU_ASSERT_EQUAL(mpc_choose_oracle(313, cands, 4), 1); /* same */
    CU_ASSERT_EQUAL(mpc_choose_oracle(309, cands, 4), 2);
    CU_ASSERT_EQUAL(mpc_choose_oracle(310, cands, 4), 0);  /* 3.11 */
    CU_ASSERT_EQUAL(mpc_choose_oracle(312, cands, 4), 1);  /* 3.13 */
    CU_ASSERT_EQUAL(mpc_choose_oracle(307, cands, 4), 2);  /* 3.9 */
    CU_ASSERT_EQUAL(mpc_choose_oracle(315, cands, 4), -1); /* none newer */
    CU_ASSERT_EQUAL(mpc_choose_oracle(0, cands, 4), -1);   /* unknown */
    CU_ASSERT_EQUAL(mpc_choose_oracle(311, cands, 0), -1); /* no CPython */
}

static void expect_error(const char *text, const char *want)
{
    char *path = write_file("bad.profile", text);
    mpc_profile_t p;
    char *err = NULL;
    CU_ASSERT_EQUAL(mpc_profile_load(path, &p, &err), -1);
    int ok = err && strstr(err, want) != NULL;
    if (!ok)
        fprintf(stderr, "\n  got '%s', want '%s'\n", err ? err : "(none)",
                want);
    CU_ASSERT(ok);
    free(err);
    free(path);
}

static void test_sizes(void)
{
    size_t n = 0;
    CU_ASSERT_EQUAL(mpc_parse_size("4096", &n), 0);
    CU_ASSERT_EQUAL(n, 4096);
    CU_ASSERT_EQUAL(mpc_parse_size("64K", &n), 0);
    CU_ASSERT_EQUAL(n, 65536);
    CU_ASSERT_EQUAL(mpc_parse_size("256M", &n), 0);
    CU_ASSERT_EQUAL(n, (size_t)256 << 20);
    CU_ASSERT_EQUAL(mpc_parse_size("2G", &n), 0);
    CU_ASSERT_EQUAL(n, (size_t)2 << 30);
    const char *bad[] = {"",
                         "0",
                         "M",
                         "-1",
                         "1.5G",
                         "12 M",
                         "1m",
                         "99999999999999999999",
                         "17179869184G"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        CU_ASSERT_EQUAL(mpc_parse_size(bad[i], &n), -1);
}

static void test_errors(void)
{
    expect_error("name: x\ncolour: red\ncommand: x\n",
                 "bad.profile:2: unknown field 'colour'");
    expect_error("name: x\n", "bad.profile:1: missing 'command:'");
    expect_error("command: x\n", "bad.profile:1: missing 'name:'");
    expect_error("name: x\ncommand: x\nenv: NOEQUALS\n",
                 "bad.profile:3: want 'env: NAME=VALUE'");
    expect_error("name: x\ncommand: x\ntimeout: soon\n",
                 "bad.profile:3: bad timeout");
    expect_error("name: x\ncommand: x\nshm-size: 12T\n",
                 "bad.profile:3: bad shm-size '12T'");
    expect_error("name x\n", "bad.profile:1: expected 'key: value'");
    free(write_file("bad.kf", "a/b fork pass not a failure status\n"));
    expect_error("name: x\ncommand: x\nknown-failures: bad.kf\n",
                 "bad.kf:1: want 'CASE-ID METHOD STATUS");
    free(write_file("bad2.kf", "a/b thread fail reason\n"));
    expect_error("name: x\ncommand: x\nknown-failures: bad2.kf\n",
                 "bad2.kf:1: bad method 'thread'");
    expect_error("name: x\ncommand: x\nknown-failures: none.kf\n",
                 "none.kf:0: cannot read");
    expect_error("name: x\ncommand: x\npython-version: 3\n",
                 "bad.profile:3: bad python-version '3'");
    free(write_file("bad3.kf", "since 3: a/b fork fail reason\n"));
    expect_error("name: x\ncommand: x\nknown-failures: bad3.kf\n",
                 "bad3.kf:1: bad version qualifier");
}

int main(void)
{
    snprintf(DIR_, sizeof DIR_, "/tmp/mpc-test-profile-XXXXXX");
    if (!mkdtemp(DIR_))
        return 1;
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("profile", NULL, NULL);
    CU_add_test(s, "fields, substitution, known failures", test_fields);
    CU_add_test(s, "sizes", test_sizes);
    CU_add_test(s, "errors", test_errors);
    CU_add_test(s, "versions", test_versions);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned bad =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned n = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    char *cmd = mpc_xasprintf("rm -rf '%s'", DIR_);
    if (system(cmd) != 0)
        bad++;
    free(cmd);
    return bad || !n;
}
