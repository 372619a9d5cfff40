/* test_match.c - the line matcher, capture types, relations and the judge:
 * each item kind and relation, passing and failing. */
#include "unit.h"

#define PASS MPC_M_PASS
#define FAIL MPC_M_FAIL
#define ERR  MPC_M_ERROR

static void test_eq(void)
{
    const char *b = "stdout:\n  = hello\n  = world\n";
    CU_ASSERT_EQUAL(t_judge(b, "hello\nworld\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "hello\nworld"),
                    PASS); /* last line without LF */
    CU_ASSERT_EQUAL(t_judge(b, "hello\nWorld\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(b, "hello\n"), FAIL); /* missing line */
    CU_ASSERT_EQUAL(t_judge(b, "hello\nworld\nextra\n"), FAIL); /* extra line */
    CU_ASSERT_EQUAL(t_judge(b, "hello \nworld\n"),
                    FAIL); /* trailing blank counts */
    CU_ASSERT_EQUAL(t_judge("stdout:\n  = a\n  =\n  = b\n", "a\n\nb\n"), PASS);
}

static void test_empty_streams(void)
{
    CU_ASSERT_EQUAL(t_judge("", ""),
                    PASS); /* no stdout: section: must be empty */
    CU_ASSERT_EQUAL(t_judge("", "x\n"), FAIL);
    /* stderr: not checked without a section, must be empty with an empty one */
    CU_ASSERT_EQUAL(t_judge_full("", "", "boom\n", 0, 0, NULL, NULL), PASS);
    CU_ASSERT_EQUAL(t_judge_full("stderr:\n", "", "boom\n", 0, 0, NULL, NULL),
                    FAIL);
    CU_ASSERT_EQUAL(
        t_judge_full(
            "stderr:\n  ~ Traceback{_:text}\n  ...\n  = ValueError: x\n", "",
            "Traceback (most recent call last):\n  File\nValueError: x\n", 0, 0,
            NULL, NULL),
        PASS);
}

static void test_types(void)
{
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ n={a:int}\n", "n=-12\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ n={a:int}\n", "n=12a\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ n={a:int}\n", "n=\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "1.5e-05\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "1e+16\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "-inf\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "nan\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "1.\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:float}\n", "0x1\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ pid {p:pid}\n", "pid 4242\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ pid {p:pid}\n", "pid -1\n"), FAIL);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ <obj at {h:hex}>\n", "<obj at 0x7f3a9c>\n"),
        PASS);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ <obj at {h:hex}>\n", "<obj at 0X7F3A>\n"), FAIL);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ t {t:ts}\n", "t 2019-03-03 08:58:06.159882\n"),
        PASS);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ t {t:ts}\n", "t 2019-03-03 08:58:06\n"), PASS);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ t {t:ts}\n", "t 2019-03-03 08:58:06.15\n"), FAIL);
    CU_ASSERT_EQUAL(
        t_judge("stdout:\n  ~ t {t:ts}\n", "t 2019-03-03T08:58:06\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {w:word} end\n", "Process-1 end\n"),
                    PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {w:word} end\n", "two words end\n"),
                    FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ [{t:text}]\n", "[]\n"), PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ [{t:text}]\n", "[a b] c\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {{'a': {v:int}}}\n", "{'a': 1}\n"),
                    PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {{'a': {v:int}}}\n", "'a': 1\n"),
                    FAIL);
    /* backtracking inside a line: the int must leave ".5" to the literal */
    CU_ASSERT_EQUAL(t_judge("stdout:\n  ~ {a:int}{b:text}.5\n", "12.5\n"),
                    PASS);
}

static void test_optional_any(void)
{
    const char *b = "stdout:\n  = a\n  ? = b\n  = c\n";
    CU_ASSERT_EQUAL(t_judge(b, "a\nb\nc\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "a\nc\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "a\nb\nb\nc\n"), FAIL);
    const char *any = "stdout:\n  = start\n  ...\n  = end\n";
    CU_ASSERT_EQUAL(t_judge(any, "start\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(any, "start\nx\ny\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(any, "start\nx\ny\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  = a\n  ...\n", "a\nb\nc\n"), PASS);
}

static void test_repeat(void)
{
    const char *b = "stdout:\n  repeat 3 {\n    ~ x {n:int}\n  }\n";
    CU_ASSERT_EQUAL(t_judge(b, "x 1\nx 2\nx 3\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "x 1\nx 2\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(b, "x 1\nx 2\nx 3\nx 4\n"), FAIL);
    const char *r =
        "stdout:\n  repeat 1..2 {\n    = a\n    = b\n  }\n  = end\n";
    CU_ASSERT_EQUAL(t_judge(r, "a\nb\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(r, "a\nb\na\nb\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(r, "end\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(r, "a\nb\na\nb\na\nb\nend\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(r, "a\nend\n"), FAIL);
    /* captures in a repeat make a list, in output order */
    CU_ASSERT_EQUAL(t_judge("stdout:\n  repeat 4 {\n    ~ {n:int}\n  "
                            "}\nchecks:\n  n list [0, 1, 4, 9]\n",
                            "0\n1\n4\n9\n"),
                    PASS);
    CU_ASSERT_EQUAL(t_judge("stdout:\n  repeat 4 {\n    ~ {n:int}\n  "
                            "}\nchecks:\n  n list [0, 1, 4, 9]\n",
                            "0\n4\n1\n9\n"),
                    FAIL);
}

static void test_unordered(void)
{
    const char *b = "stdout:\n  unordered {\n    = a\n    = b\n    ~ "
                    "c{n:int}\n  }\n  = end\n";
    CU_ASSERT_EQUAL(t_judge(b, "a\nb\nc1\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "c1\nb\na\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "c1\na\na\nend\n"),
                    FAIL);                            /* a twice, b missing */
    CU_ASSERT_EQUAL(t_judge(b, "a\nb\nend\n"), FAIL); /* c missing */
    CU_ASSERT_EQUAL(t_judge(b, "a\nend\nb\nc1\n"), FAIL);
    const char *o = "stdout:\n  unordered {\n    = a\n    ? = b\n  }\n";
    CU_ASSERT_EQUAL(t_judge(o, "a\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(o, "b\na\n"), PASS);
    /* identical items: 10 x "= done" against 9 lines fails fast (no 10! search)
     */
    mpc_buf_t buf;
    mpc_buf_init(&buf);
    mpc_buf_adds(&buf, "stdout:\n  unordered {\n");
    for (int i = 0; i < 10; i++)
        mpc_buf_adds(&buf, "    = done\n");
    mpc_buf_adds(&buf, "  }\n");
    CU_ASSERT_EQUAL(
        t_judge(buf.s,
                "done\ndone\ndone\ndone\ndone\ndone\ndone\ndone\ndone\n"),
        FAIL);
    CU_ASSERT_EQUAL(
        t_judge(buf.s,
                "done\ndone\ndone\ndone\ndone\ndone\ndone\ndone\ndone\ndone\n"),
        PASS);
    mpc_buf_free(&buf);
}

static void test_interleave(void)
{
    const char *b =
        "stdout:\n  interleave {\n    stream {\n      = a1\n      = a2\n    }\n"
        "    stream {\n      = b1\n      repeat 2 {\n        = b2\n      }\n   "
        " }\n  }\n  = end\n";
    CU_ASSERT_EQUAL(t_judge(b, "a1\na2\nb1\nb2\nb2\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "b1\na1\nb2\na2\nb2\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "a2\na1\nb1\nb2\nb2\nend\n"),
                    FAIL);                                  /* a out of order */
    CU_ASSERT_EQUAL(t_judge(b, "a1\nb1\nb2\nend\n"), FAIL); /* lines missing */
    CU_ASSERT_EQUAL(t_judge(b, "a1\nb1\nb2\na2\nend\nb2\n"), FAIL);
    /* ... inside a stream takes the other stream's lines only when needed */
    const char *d = "stdout:\n  interleave {\n    stream {\n      = x\n      "
                    "...\n      = y\n    }\n"
                    "    stream {\n      = z\n    }\n  }\n";
    CU_ASSERT_EQUAL(t_judge(d, "x\nq\nz\ny\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(d, "x\nq\ny\n"), FAIL);
}

static void test_either(void)
{
    const char *b =
        "stdout:\n  either {\n    = alive True\n  } or {\n    = alive False\n"
        "    = extra\n  }\n  = end\n";
    CU_ASSERT_EQUAL(t_judge(b, "alive True\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "alive False\nextra\nend\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(b, "alive False\nend\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(b, "alive Maybe\nend\n"), FAIL);
}

static void test_relations_scalar(void)
{
    const char *head =
        "stdout:\n  ~ {a:int} {b:int} {f:float} {w:word}\nchecks:\n";
    struct {
        const char *rel;
        const char *out;
        int want;
    } cases[] = {
        {"a == b", "3 3 1.0 x", PASS},
        {"a == b", "3 4 1.0 x", FAIL},
        {"a != b", "3 4 1.0 x", PASS},
        {"a != b", "3 3 1.0 x", FAIL},
        {"a < b", "3 4 1.0 x", PASS},
        {"a < b", "4 4 1.0 x", FAIL},
        {"a <= b", "4 4 1.0 x", PASS},
        {"a <= b", "5 4 1.0 x", FAIL},
        {"a > b", "5 4 1.0 x", PASS},
        {"a > b", "4 4 1.0 x", FAIL},
        {"a >= b", "4 4 1.0 x", PASS},
        {"a >= b", "3 4 1.0 x", FAIL},
        {"a == -15", "-15 0 1.0 x", PASS},
        {"a == -15", "15 0 1.0 x", FAIL},
        {"a == 007", "7 0 1.0 x", PASS}, /* numbers compare numerically */
        {"f == 1", "0 0 1.0 x", PASS},
        {"f == 1.5", "0 0 1.0 x", FAIL},
        {"w == Process-1", "0 0 1.0 Process-1", PASS},
        {"w == Process-1", "0 0 1.0 Process-2", FAIL},
        {"w == \"a b\"", "0 0 1.0 ab", FAIL},
        {"abs(a - b) <= 2", "3 5 1.0 x", PASS},
        {"abs(a - b) <= 2", "3 6 1.0 x", FAIL},
        {"a == 99999999999999999999", "99999999999999999999 0 1.0 x", PASS},
        {"a == 99999999999999999999", "99999999999999999998 0 1.0 x", FAIL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *body = mpc_xasprintf("%s  %s\n", head, cases[i].rel);
        char *out = mpc_xasprintf("%s\n", cases[i].out);
        int got = t_judge(body, out);
        if (got != cases[i].want)
            fprintf(stderr, "relation '%s' on '%s': got %d, want %d\n",
                    cases[i].rel, cases[i].out, got, cases[i].want);
        CU_ASSERT_EQUAL(got, cases[i].want);
        free(body);
        free(out);
    }
    /* timestamps: difference in seconds */
    const char *ts =
        "stdout:\n  ~ {t1:ts}\n  ~ {t2:ts}\nchecks:\n  abs(t1 - t2) <= 0.05\n";
    CU_ASSERT_EQUAL(
        t_judge(ts, "2019-03-03 08:58:06.175505\n2019-03-03 08:58:06.190000\n"),
        PASS);
    CU_ASSERT_EQUAL(
        t_judge(ts, "2019-03-03 08:58:06.175505\n2019-03-03 08:58:07.175505\n"),
        FAIL);
    CU_ASSERT_EQUAL(
        t_judge(ts, "2019-03-03 23:59:59.990000\n2019-03-04 00:00:00\n"), PASS);
    /* between two captures: exactly one value each */
    CU_ASSERT_EQUAL(t_judge("stdout:\n  repeat 2 {\n    ~ {a:int}\n  }\n  ~ "
                            "{b:int}\nchecks:\n  a == b\n",
                            "1\n1\n1\n"),
                    FAIL);
    /* against a literal: every value */
    const char *every =
        "stdout:\n  repeat 0..5 {\n    ~ {v:float}\n  }\nchecks:\n  v >= 0\n";
    CU_ASSERT_EQUAL(t_judge(every, "0.5\n0.25\n0\n"), PASS);
    CU_ASSERT_EQUAL(t_judge(every, "0.5\n-0.25\n0\n"), FAIL);
    CU_ASSERT_EQUAL(t_judge(every, ""), FAIL); /* no value at all */
}

static void test_relations_lists(void)
{
    const char *rep =
        "stdout:\n  repeat 0..20 {\n    ~ {v:int}\n  }\nchecks:\n";
    struct {
        const char *rel;
        const char *out;
        int want;
    } cases[] = {
        {"v in {1, 2, 3}", "1\n3\n3\n", PASS},
        {"v in {1, 2, 3}", "1\n4\n", FAIL},
        {"v set {3, 1, 2}", "1\n2\n3\n", PASS},
        {"v set {3, 1, 2}", "1\n2\n2\n", FAIL},
        {"v set {3, 1, 2}", "1\n2\n", FAIL},
        {"v set {1, 1, 2}", "1\n2\n1\n", PASS},
        {"v set 0..3", "3\n1\n0\n2\n", PASS},
        {"v set 0..3", "3\n1\n1\n2\n", FAIL},
        {"v set 0..3", "0\n1\n2\n", FAIL},
        {"v list [0, 1, 4]", "0\n1\n4\n", PASS},
        {"v list [0, 1, 4]", "0\n4\n1\n", FAIL},
        {"v list 2..4", "2\n3\n4\n", PASS},
        {"v list 2..4", "2\n4\n3\n", FAIL},
        {"v count 3", "5\n5\n5\n", PASS},
        {"v count 3", "5\n5\n", FAIL},
        {"v distinct", "5\n6\n7\n", PASS},
        {"v distinct", "5\n6\n5\n", FAIL},
        {"v sorted", "1\n1\n2\n9\n", PASS},
        {"v sorted", "1\n3\n2\n", FAIL},
        {"v count 0", "", PASS},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *body = mpc_xasprintf("%s  %s\n", rep, cases[i].rel);
        int got = t_judge(body, cases[i].out);
        if (got != cases[i].want)
            fprintf(stderr, "relation '%s': got %d, want %d\n", cases[i].rel,
                    got, cases[i].want);
        CU_ASSERT_EQUAL(got, cases[i].want);
        free(body);
    }
    /* two captures: produced against consumed, in order or as multisets */
    const char *two = "stdout:\n  repeat 0..9 {\n    ~ put {p:int}\n  }\n"
                      "  repeat 0..9 {\n    ~ got {g:int}\n  }\nchecks:\n";
    struct {
        const char *rel;
        const char *out;
        int want;
    } pairs[] = {
        {"g list p", "put 7\nput 3\ngot 7\ngot 3\n", PASS},
        {"g list p", "put 7\nput 3\ngot 3\ngot 7\n", FAIL}, /* LIFO */
        {"g list p", "put 7\nput 3\ngot 7\ngot 7\n", FAIL}, /* repeated */
        {"g list p", "put 7\nput 3\ngot 7\n", FAIL},        /* lost */
        {"g list p", "put 7\ngot 8\n", FAIL},
        {"g list p", "", PASS},
        {"g set p", "put 7\nput 3\ngot 3\ngot 7\n", PASS},
        {"g set p", "put 7\nput 3\ngot 7\ngot 7\n", FAIL},
        {"g set p", "put 7\nput 7\ngot 7\ngot 3\n", FAIL},
    };
    for (size_t i = 0; i < sizeof pairs / sizeof *pairs; i++) {
        char *body = mpc_xasprintf("%s  %s\n", two, pairs[i].rel);
        int got = t_judge(body, pairs[i].out);
        if (got != pairs[i].want)
            fprintf(stderr, "relation '%s' on %s: got %d, want %d\n",
                    pairs[i].rel, pairs[i].out, got, pairs[i].want);
        CU_ASSERT_EQUAL(got, pairs[i].want);
        free(body);
    }
    /* words: text comparison, quoted values may hold commas */
    CU_ASSERT_EQUAL(t_judge("stdout:\n  repeat 2 {\n    ~ {w:text}\n  "
                            "}\nchecks:\n  w set {\"a, b\", c}\n",
                            "c\na, b\n"),
                    PASS);
}

static void test_exit_wall_oracle(void)
{
    char *d = NULL;
    CU_ASSERT_EQUAL(t_judge_full("exit: 1\n", "", "", 1, 0, NULL, NULL), PASS);
    CU_ASSERT_EQUAL(
        t_judge_full("", "", "Traceback\nValueError: boom\n", 1, 0, NULL, &d),
        FAIL);
    CU_ASSERT_PTR_NOT_NULL(d);
    if (d)
        CU_ASSERT_PTR_NOT_NULL(strstr(d, "ValueError: boom"));
    free(d);
    CU_ASSERT_EQUAL(t_judge_full("exit: -15\n", "", "", -15, 0, NULL, NULL),
                    PASS);
    CU_ASSERT_EQUAL(t_judge_full("wall: 4 + 0.5\n", "", "", 0, 4.4, NULL, NULL),
                    PASS);
    CU_ASSERT_EQUAL(t_judge_full("wall: 4 + 0.5\n", "", "", 0, 4.6, NULL, NULL),
                    FAIL);
    mpc_oracle_vals_t o = {{0}, {0}};
    mpc_strv_pushdup(&o.names, "n");
    mpc_strv_pushdup(&o.values, "42");
    mpc_strv_pushdup(&o.names, "n");
    mpc_strv_pushdup(&o.values, "7");
    const char *b = "oracle: n\nstdout:\n  repeat 2 {\n    ~ {n:int}\n  }\n";
    CU_ASSERT_EQUAL(t_judge_full(b, "42\n7\n", "", 0, 0, &o, NULL), PASS);
    CU_ASSERT_EQUAL(t_judge_full(b, "42\n8\n", "", 0, 0, &o, NULL), FAIL);
    CU_ASSERT_EQUAL(t_judge_full(b, "7\n42\n", "", 0, 0, &o, NULL), FAIL);
    mpc_oracle_vals_free(&o);
}

static void test_step_bound(void)
{
    /* twelve `...` before a line that never comes, over 300 lines: the
     * ways to split the lines explode combinatorially: the matcher gives
     * up, the case is in error */
    mpc_buf_t b;
    mpc_buf_init(&b);
    mpc_buf_adds(&b, "stdout:\n");
    for (int i = 0; i < 12; i++)
        mpc_buf_adds(&b, "  ~ {_:text}\n  ...\n");
    mpc_buf_adds(&b, "  = X\n");
    mpc_buf_t out;
    mpc_buf_init(&out);
    for (int i = 0; i < 300; i++)
        mpc_buf_adds(&out, "a\n");
    char *d = NULL;
    CU_ASSERT_EQUAL(t_judge_full(b.s, out.s, "", 0, 0, NULL, &d), ERR);
    CU_ASSERT(d != NULL && strstr(d, "gave up after 1000000 steps") != NULL);
    free(d);
    mpc_buf_free(&b);
    mpc_buf_free(&out);
}

/* Match one stream against one section; the outcome, the first capture's
 * text (or NULL) in *first, the cost. */
static int t_cost(const char *body, const char *out, size_t len,
                  mpc_match_cost_t *cost, char **first)
{
    char *perr = NULL, *err = NULL;
    mpc_case_t *c = t_parse(body, &perr);
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    int r = mpc_match_stream_cost(&c->out, "stdout", out, len, &caps, &mm, &err,
                                  cost);
    if (first)
        *first = caps.n ? mpc_xstrdup(caps.v[0].text) : NULL;
    free(err);
    free(perr);
    mpc_mismatch_free(mm);
    mpc_captures_free(&caps);
    mpc_case_free(c);
    free(c);
    return r;
}

static void test_long_line(void)
{
    /* issue 21: one 1 MB line against `~ n={v:int}.` took minutes, each
     * capture type rescanning every candidate length; now each byte is
     * read a few times at most, and the verdict is the output's */
    size_t n = 1000000;
    char *line = mpc_xmalloc(n + 8);
    memcpy(line, "n=", 2);
    memset(line + 2, '7', n);
    memcpy(line + 2 + n, ".\n", 3);
    size_t len = n + 4;
    mpc_match_cost_t cost;
    char *v = NULL;
    CU_ASSERT_EQUAL(t_cost("stdout:\n  ~ n={v:int}.\n", line, len, &cost, &v),
                    PASS);
    CU_ASSERT(v && strlen(v) == n);
    free(v);
    CU_ASSERT(cost.work <= 8 * (long)len);
    CU_ASSERT(cost.steps <= 10);
    /* no final '.': a fail (of the output), not an error (of the case) */
    line[2 + n] = '!';
    CU_ASSERT_EQUAL(t_cost("stdout:\n  ~ n={v:int}.\n", line, len, &cost, NULL),
                    FAIL);
    CU_ASSERT(cost.work <= 8 * (long)len);
    /* the other types that scanned, and two captures sharing the line */
    line[2 + n] = '.';
    static const char *const pats[] = {
        "stdout:\n  ~ n={v:pid}.\n",
        "stdout:\n  ~ n={v:float}.\n",
        "stdout:\n  ~ n={v:word}\n",
        "stdout:\n  ~ n={v:text}.\n",
        "stdout:\n  ~ n={a:int}{b:int}.\n",
        "stdout:\n  ~ {a:word}={b:float}.\n",
        "stdout:\n  ~ n={a:text}{b:int}{c:text}\n",
    };
    for (size_t i = 0; i < sizeof pats / sizeof *pats; i++) {
        CU_ASSERT_EQUAL(t_cost(pats[i], line, len, &cost, NULL), PASS);
        CU_ASSERT(cost.work <= 16 * (long)len);
    }
    line[0] = '0';
    line[1] = 'x';
    CU_ASSERT_EQUAL(t_cost("stdout:\n  ~ {h:hex}.\n", line, len, &cost, NULL),
                    PASS);
    CU_ASSERT(cost.work <= 8 * (long)len);
    free(line);
}

static void test_work_bound(void)
{
    /* 200 patterns, each reading a 1 MB line to its end before it fails:
     * the matcher gives up at MPC_MATCH_WORK byte steps, an error that
     * says so */
    mpc_buf_t b;
    mpc_buf_init(&b);
    mpc_buf_adds(&b, "stdout:\n  either {\n    ~ {_:text}Z0\n");
    for (int i = 1; i < 200; i++)
        mpc_buf_printf(&b, "  } or {\n    ~ {_:text}Z%d\n", i);
    mpc_buf_adds(&b, "  }\n");
    size_t n = 1000000;
    char *line = mpc_xmalloc(n + 2);
    memset(line, 'a', n);
    memcpy(line + n, "\n", 2);
    char *d = NULL;
    CU_ASSERT_EQUAL(t_judge_full(b.s, line, "", 0, 0, NULL, &d), ERR);
    CU_ASSERT(d != NULL && strstr(d, "byte steps") != NULL);
    free(d);
    free(line);
    mpc_buf_free(&b);
}

/* ---- the documented backtracking, as the matcher once ran it: the
 * reference the one-pass matcher must agree with, capture for capture */

static int ref_valid(mpc_captype_t t, const char *s, size_t n)
{
    size_t i = 0;
    switch (t) {
    case MPC_CAP_INT:
    case MPC_CAP_PID:
        if (t == MPC_CAP_INT && n && s[0] == '-')
            i = 1;
        if (i == n)
            return 0;
        for (; i < n; i++)
            if (s[i] < '0' || s[i] > '9')
                return 0;
        return 1;
    case MPC_CAP_FLOAT: {
        char buf[64];
        if (n >= sizeof buf)
            return 0;
        memcpy(buf, s, n);
        buf[n] = '\0';
        if (!strcmp(buf, "inf") || !strcmp(buf, "-inf") || !strcmp(buf, "nan"))
            return 1;
        const char *p = buf + (buf[0] == '-');
        size_t d = strspn(p, "0123456789");
        if (!d)
            return 0;
        p += d;
        if (*p == '.') {
            d = strspn(p + 1, "0123456789");
            if (!d)
                return 0;
            p += 1 + d;
        }
        if (*p == 'e') {
            p += 1 + (p[1] == '+' || p[1] == '-');
            d = strspn(p, "0123456789");
            if (!d)
                return 0;
            p += d;
        }
        return *p == '\0';
    }
    case MPC_CAP_HEX:
        if (n < 3 || s[0] != '0' || s[1] != 'x')
            return 0;
        for (i = 2; i < n; i++)
            if (!strchr("0123456789abcdef", s[i]) || !s[i])
                return 0;
        return 1;
    case MPC_CAP_WORD:
        for (i = 0; i < n; i++)
            if (s[i] == ' ' || s[i] == '\t')
                return 0;
        return n > 0;
    default:
        return 1;
    }
}

static int ref_rec(const mpc_pattern_t *p, const char *s, size_t n, size_t si,
                   size_t pos, size_t *st, size_t *ln)
{
    if (si == p->nsegs)
        return pos == n;
    const mpc_seg_t *g = &p->segs[si];
    if (g->lit) {
        size_t l = strlen(g->lit);
        return n - pos >= l && !memcmp(s + pos, g->lit, l) &&
               ref_rec(p, s, n, si + 1, pos + l, st, ln);
    }
    st[si] = pos;
    for (size_t k = 0; k <= n - pos; k++) {
        /* text: shortest first; the others longest first, never empty */
        size_t l = g->type == MPC_CAP_TEXT ? k : n - pos - k;
        if ((l == 0 && g->type != MPC_CAP_TEXT) ||
            !ref_valid(g->type, s + pos, l))
            continue;
        ln[si] = l;
        if (ref_rec(p, s, n, si + 1, pos + l, st, ln))
            return 1;
    }
    return 0;
}

static void test_same_as_backtracking(void)
{
    static const char *const types[] = {"int", "float", "pid",
                                        "hex", "word",  "text"};
    static const char alpha[] = "0123456789-+.eainfx :";
    unsigned seed = 12345;
#define RND(k) ((seed = seed * 1103515245u + 12345u) >> 8) % (k)
    int agree = 0, matched = 0;
    for (int iter = 0; iter < 20000; iter++) {
        mpc_buf_t pat, line;
        mpc_buf_init(&pat);
        mpc_buf_init(&line);
        int nseg = 1 + (int)RND(4);
        for (int i = 0; i < nseg; i++) {
            if (RND(3) == 0)
                mpc_buf_addc(&pat, alpha[RND(sizeof alpha - 1)]);
            else
                mpc_buf_printf(&pat, "{c%d:%s}", i, types[RND(6)]);
        }
        int nl = (int)RND(12);
        for (int i = 0; i < nl; i++)
            mpc_buf_addc(&line, alpha[RND(sizeof alpha - 1)]);
        if (!line.s)
            mpc_buf_adds(&line, "");
        mpc_pattern_t p;
        char *perr = NULL;
        CU_ASSERT_EQUAL_FATAL(mpc_pattern_compile(pat.s, &p, &perr), 0);
        size_t st[8] = {0}, ln[8] = {0};
        int want = ref_rec(&p, line.s, line.len, 0, 0, st, ln);
        char *body = mpc_xasprintf("stdout:\n  ~ %s\n", pat.s);
        mpc_buf_addc(&line, '\n');
        mpc_captures_t caps = {0};
        mpc_case_t *c = t_parse(body, &perr);
        mpc_mismatch_t *mm = NULL;
        char *err = NULL;
        int got = c ? mpc_match_stream(&c->out, "stdout", line.s, line.len,
                                       &caps, &mm, &err)
                    : -2;
        int same = got == (want ? PASS : FAIL);
        for (size_t i = 0, k = 0; same && want && i < p.nsegs; i++) {
            if (p.segs[i].lit)
                continue;
            same = k < caps.n && strlen(caps.v[k].text) == ln[i] &&
                   !memcmp(caps.v[k].text, line.s + st[i], ln[i]);
            k++;
        }
        if (!same)
            fprintf(stderr, "differs: ~ %s on '%.*s': want %d got %d\n", pat.s,
                    (int)line.len - 1, line.s, want, got);
        agree += same;
        matched += want;
        mpc_mismatch_free(mm);
        free(err);
        free(perr);
        mpc_captures_free(&caps);
        if (c) {
            mpc_case_free(c);
            free(c);
        }
        free(body);
        mpc_pattern_free(&p);
        mpc_buf_free(&pat);
        mpc_buf_free(&line);
    }
#undef RND
    CU_ASSERT_EQUAL(agree, 20000);
    CU_ASSERT(matched > 1000); /* the comparison saw matches, not only fails */
}

static void test_deep_recursion(void)
{
    /* 200000 output lines against `repeat 200000`: on an 8 MiB main-thread
     * stack the matcher must stop with an error, never overflow; on a big
     * stack it passes */
    mpc_buf_t out;
    mpc_buf_init(&out);
    for (int i = 0; i < 200000; i++)
        mpc_buf_adds(&out, "x\n");
    char *d = NULL;
    int r = t_judge_full("stdout:\n  repeat 100000 {\n    = x\n    = x\n  }\n",
                         out.s, "", 0, 0, NULL, &d);
    CU_ASSERT(r == PASS || (r == ERR && d && strstr(d, "too long")));
    free(d);
    mpc_buf_free(&out);
}

static void test_mismatch_position(void)
{
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    char *err = NULL;
    char *perr = NULL;
    mpc_case_t *c = t_parse("stdout:\n  = a\n  = b\n  = c\n", &perr);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(
        mpc_match_stream(&c->out, "stdout", "a\nb\nX\n", 6, &caps, &mm, &err),
        FAIL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(mm);
    CU_ASSERT_EQUAL(mm->line, 3);
    CU_ASSERT_STRING_EQUAL(mm->expected, "= c");
    CU_ASSERT_STRING_EQUAL(mm->actual, "X");
    mpc_mismatch_free(mm);
    mpc_captures_free(&caps);
    mpc_case_free(c);
    free(c);
}

int main(void)
{
    static const t_test_t tests[] = {
        {"= exact lines", test_eq},
        {"empty and unchecked streams", test_empty_streams},
        {"capture types", test_types},
        {"? optional and ...", test_optional_any},
        {"repeat N and N..M", test_repeat},
        {"unordered", test_unordered},
        {"interleave", test_interleave},
        {"either", test_either},
        {"scalar relations", test_relations_scalar},
        {"list relations", test_relations_lists},
        {"exit, wall, oracle", test_exit_wall_oracle},
        {"step bound", test_step_bound},
        {"a 1 MB line in one pass", test_long_line},
        {"work bound", test_work_bound},
        {"same captures as backtracking", test_same_as_backtracking},
        {"mismatch position", test_mismatch_position},
        {"deep recursion is bounded", test_deep_recursion},
        {NULL, NULL},
    };
    return t_run_suite("match", tests);
}
