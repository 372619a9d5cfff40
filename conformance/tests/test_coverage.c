/* test_coverage.c - the list of CPython's test methods and `mpconform
 * coverage`: a covers: name the list does not hold fails the command. */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd_coverage.h"
#include "unit.h"

static char *tmp_root(void)
{
    char tmpl[] = "/tmp/mpc-coverage-XXXXXX";
    char *d = mkdtemp(tmpl);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    return mpc_xstrdup(d);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

#define SUITE_TEXT                                                             \
    "# a comment\n"                                                            \
    "_TestA.test_one grp in\n"                                                 \
    "_TestA.test_two grp in\n"                                                 \
    "TestB.test_three other out not a contract\n"

/* A tree: ROOT/suite.txt and ROOT/cases/x/y/case.exp covering `covers`. */
static char *make_tree(const char *covers)
{
    char *root = tmp_root();
    char *p = mpc_xasprintf("%s/suite.txt", root);
    write_file(p, SUITE_TEXT);
    free(p);
    p = mpc_xasprintf("%s/cases", root);
    CU_ASSERT_EQUAL(mkdir(p, 0700), 0);
    free(p);
    p = mpc_xasprintf("%s/cases/x", root);
    CU_ASSERT_EQUAL(mkdir(p, 0700), 0);
    free(p);
    p = mpc_xasprintf("%s/cases/x/y", root);
    CU_ASSERT_EQUAL(mkdir(p, 0700), 0);
    free(p);
    p = mpc_xasprintf("%s/cases/x/y/case.exp", root);
    char *text = mpc_xasprintf("id: x/y\ntitle: t\nsource: spec\nprimitives: "
                               "P\ncovers: %s\nstdout:\n  = hi\n",
                               covers);
    write_file(p, text);
    free(text);
    free(p);
    return root;
}

static void drop_tree(char *root)
{
    char *paths[] = {
        mpc_xasprintf("%s/cases/x/y/case.exp", root),
        mpc_xasprintf("%s/cases/x/y", root),
        mpc_xasprintf("%s/cases/x", root),
        mpc_xasprintf("%s/cases", root),
        mpc_xasprintf("%s/suite.txt", root),
        mpc_xasprintf("%s", root),
    };
    for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
        remove(paths[i]);
        free(paths[i]);
    }
    free(root);
}

/* Run the command on a tree; returns its status, *out and *err its text. */
static int run(const char *root, char **out, char **err)
{
    char *cases = mpc_xasprintf("%s/cases", root);
    char *suite = mpc_xasprintf("%s/suite.txt", root);
    char *obuf = NULL, *ebuf = NULL;
    size_t olen = 0, elen = 0;
    FILE *o = open_memstream(&obuf, &olen), *e = open_memstream(&ebuf, &elen);
    int rc = mpc_coverage_report(cases, suite, o, e);
    fclose(o);
    fclose(e);
    *out = obuf;
    *err = ebuf;
    free(cases);
    free(suite);
    return rc;
}

static void test_known_names(void)
{
    char *root = make_tree("_TestA.test_one");
    char *out, *err;
    CU_ASSERT_EQUAL(run(root, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(err, "");
    /* grp: 2 in scope, 1 covered, 1 not; other: 1 out */
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "grp                       2        1 "
                                       "           1      0"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "other                     0        0 "
                                       "           0      1"));
    CU_ASSERT_PTR_NOT_NULL(strstr(out, "grp              _TestA.test_two\n"));
    CU_ASSERT_PTR_NULL(strstr(out, "  grp              _TestA.test_one"));
    free(out);
    free(err);
    drop_tree(root);
}

static void test_unknown_name_fails(void)
{
    char *root = make_tree("_TestA.test_one, _TestA.test_nope");
    char *out, *err;
    CU_ASSERT_EQUAL(run(root, &out, &err), 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "covers '_TestA.test_nope', which is "
                                       "not a method"));
    free(out);
    free(err);
    drop_tree(root);
}

static void test_suite_errors(void)
{
    static const struct {
        const char *text, *what;
    } bad[] = {
        {"A.test_x grp\n", "want 'NAME GROUP in'"},
        {"A.x grp in\n", "bad method name"},
        {"A.test_x grp out\n", "needs its reason"},
        {"A.test_x grp in because\n", "takes no reason"},
        {"A.test_x grp maybe\n", "scope is 'in' or 'out'"},
        {"A.test_x grp in\nA.test_x grp in\n", "listed twice"},
        {"# nothing\n", "lists no method"},
    };
    char *root = tmp_root();
    char *p = mpc_xasprintf("%s/suite.txt", root);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        write_file(p, bad[i].text);
        mpc_suite_t s;
        char *e = NULL;
        CU_ASSERT_EQUAL(mpc_suite_load(p, &s, &e), -1);
        int ok = e && strstr(e, bad[i].what);
        if (!ok)
            fprintf(stderr, "\n  '%s': got '%s'\n", bad[i].text, e);
        CU_ASSERT(ok);
        free(e);
    }
    write_file(p, SUITE_TEXT);
    mpc_suite_t s;
    char *e = NULL;
    CU_ASSERT_EQUAL_FATAL(mpc_suite_load(p, &s, &e), 0);
    CU_ASSERT_EQUAL(s.n, 3);
    CU_ASSERT_STRING_EQUAL(mpc_suite_find(&s, "TestB.test_three")->reason,
                           "not a contract");
    CU_ASSERT_PTR_NULL(mpc_suite_find(&s, "_TestA.test_one")->reason);
    mpc_suite_free(&s);
    remove(p);
    free(p);
    rmdir(root);
    free(root);
}

int main(void)
{
    static const t_test_t tests[] = {
        {"covered and not covered, per group", test_known_names},
        {"a covers: name not in the list fails", test_unknown_name_fails},
        {"malformed lists", test_suite_errors},
        {NULL, NULL},
    };
    return t_run_suite("coverage", tests);
}
