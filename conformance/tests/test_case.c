/* test_case.c - the case parser: a good case parses with every field; each
 * malformed case gives `FILE:LINE: message` with the right line. */
#include "unit.h"

static void expect_error(const char *body, int line, const char *what)
{
    char *e = t_error(body);
    /* CASE_HEAD has 4 lines: body line n is file line 4 + n */
    char *want = mpc_xasprintf("t.exp:%d: ", line);
    int ok = strncmp(e, want, strlen(want)) == 0 && strstr(e, what) != NULL;
    if (!ok)
        fprintf(stderr,
                "\n  body: %s\n  error: '%s'\n  want prefix '%s' and '%s'\n",
                body, e, want, what);
    CU_ASSERT(ok);
    free(want);
    free(e);
}

static void test_full_case(void)
{
    const char *text = "# a comment\n"
                       "id: sync/barrier-timestamps\n"
                       "title: A barrier\n"
                       "source: 000_6692015162fd882a.txt § 同步进程\n"
                       "primitives: Barrier, Lock, Process\n"
                       "methods: fork spawn\n"
                       "buffering: unbuffered\n"
                       "exit: -15\n"
                       "timeout: 20\n"
                       "wall: 4 + 1.5\n"
                       "time-scale: 1\n"
                       "oracle: n\n"
                       "tags: slow flaky\n"
                       "\n"
                       "document:\n"
                       "| line one\n"
                       "|\n"
                       "| # not a comment\n"
                       "\n"
                       "erratum: identical timestamps\n"
                       "| doc: same\n"
                       "| microsecond\n"
                       "| cpython: differ\n"
                       "| why: clock\n"
                       "\n"
                       "stdout:\n"
                       "  unordered {\n"
                       "    ~ p1 {t1:ts}\n"
                       "    ~ p2 {t2:ts}\n"
                       "  }\n"
                       "  ~ n={n:int}\n"
                       "stderr:\n"
                       "checks:\n"
                       "  abs(t1 - t2) <= 0.05\n"
                       "  n in {1, 2}\n";
    mpc_case_t c;
    char *err = NULL;
    int r = mpc_case_parse("x/case.exp", text, &c, &err);
    if (r < 0)
        fprintf(stderr, "%s\n", err);
    CU_ASSERT_EQUAL_FATAL(r, 0);
    CU_ASSERT_STRING_EQUAL(c.id, "sync/barrier-timestamps");
    CU_ASSERT_STRING_EQUAL(c.source, "000_6692015162fd882a.txt § 同步进程");
    CU_ASSERT_EQUAL(c.primitives.n, 3);
    CU_ASSERT_STRING_EQUAL(c.primitives.v[2], "Process");
    CU_ASSERT_EQUAL(c.methods.n, 2);
    CU_ASSERT_EQUAL(c.unbuffered, 1);
    CU_ASSERT_EQUAL(c.exit_status, -15);
    CU_ASSERT_DOUBLE_EQUAL(c.timeout, 20, 1e-9);
    CU_ASSERT_EQUAL(c.has_wall, 1);
    CU_ASSERT_DOUBLE_EQUAL(c.wall_d, 4, 1e-9);
    CU_ASSERT_DOUBLE_EQUAL(c.wall_s, 1.5, 1e-9);
    CU_ASSERT_EQUAL(c.has_time_scale, 1);
    CU_ASSERT_EQUAL(c.oracle.n, 1);
    CU_ASSERT_EQUAL(c.tags.n, 2);
    CU_ASSERT_STRING_EQUAL(c.document, "line one\n\n# not a comment");
    CU_ASSERT_EQUAL_FATAL(c.nerrata, 1);
    CU_ASSERT_STRING_EQUAL(c.errata[0].title, "identical timestamps");
    CU_ASSERT_STRING_EQUAL(c.errata[0].doc, "same\nmicrosecond");
    CU_ASSERT_STRING_EQUAL(c.errata[0].cpython, "differ");
    CU_ASSERT_STRING_EQUAL(c.errata[0].why, "clock");
    CU_ASSERT_EQUAL(c.out.n, 2);
    CU_ASSERT_EQUAL(c.out.v[0].kind, MPC_IT_UNORDERED);
    CU_ASSERT_EQUAL(c.out.v[0].body.n, 2);
    CU_ASSERT_EQUAL(c.has_stderr, 1);
    CU_ASSERT_EQUAL(c.err.n, 0);
    CU_ASSERT_EQUAL(c.nchecks, 2);
    CU_ASSERT_EQUAL(c.checks[0].kind, MPC_REL_ABSDIFF);
    CU_ASSERT_EQUAL(c.checks[1].kind, MPC_REL_IN);
    CU_ASSERT_EQUAL(c.capnames.n, 3);
    CU_ASSERT_STRING_EQUAL(c.dir, "x");
    mpc_case_free(&c);
}

static void test_defaults(void)
{
    mpc_case_t *c;
    char *err;
    c = t_parse("", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->methods.n, 3);
    CU_ASSERT_EQUAL(c->exit_status, 0);
    CU_ASSERT_DOUBLE_EQUAL(c->timeout, 60, 1e-9);
    CU_ASSERT_EQUAL(c->has_stdout, 0);
    CU_ASSERT_EQUAL(c->has_stderr, 0);
    CU_ASSERT_EQUAL(c->unbuffered, 0);
    mpc_case_free(c);
    free(c);
}

static void test_header_errors(void)
{
    expect_error("colour: red\n", 5, "unknown header field 'colour'");
    expect_error("methods: fork thread\n", 5, "unknown start method 'thread'");
    expect_error("exit: x\n", 5, "bad exit status");
    expect_error("wall: 4\n", 5, "bad wall bound");
    expect_error("timeout: -1\n", 5, "bad timeout");
    expect_error("buffering: line\n", 5, "bad buffering");
    expect_error("title: again\n", 5, "duplicate header field 'title'");
    expect_error("oracle: nope\n", 1, "oracle capture 'nope'");
    expect_error("just text\n", 5, "expected 'key: value'");
    expect_error("stdout:\n  = a\nexit: 1\n", 7,
                 "header field 'exit' after the first section");
    char *e = NULL;
    mpc_case_t c;
    CU_ASSERT_EQUAL(
        mpc_case_parse("m.exp", "title: t\nsource: s\nprimitives: P\n", &c, &e),
        -1);
    CU_ASSERT(e != NULL &&
              strstr(e, "m.exp:1: missing header field 'id:'") != NULL);
    free(e);
    CU_ASSERT_EQUAL(
        mpc_case_parse(
            "m.exp", "id: nodir\ntitle: t\nsource: s\nprimitives: P\n", &c, &e),
        -1);
    CU_ASSERT(e != NULL && strstr(e, "m.exp:1: bad id 'nodir'") != NULL);
    free(e);
}

static void test_section_errors(void)
{
    expect_error("document:\nnot verbatim\n", 6, "expected a verbatim");
    expect_error("document:\n|x\n", 6, "needs '| '");
    expect_error("erratum: t\n| doc: a\n| cpython: b\n", 5,
                 "lacks its '| why: ' line");
    expect_error("erratum: t\n| what: a\n", 6, "erratum lines start");
    expect_error("erratum:\n| doc: a\n", 5, "needs a title");
    expect_error("stdout:\n  = a\nstdout:\n", 7, "duplicate 'stdout:'");
    expect_error("stdout: x\n", 5, "takes nothing after the colon");
}

static void test_item_errors(void)
{
    expect_error("stdout:\n  = a\n  foo\n", 7, "unknown item 'foo'");
    expect_error("stdout:\n  repeat 2 {\n    = a\n", 6, "never closed");
    expect_error("stdout:\n  = a\n  }\n", 7, "'}' without an open block");
    expect_error("stdout:\n  repeat x {\n  }\n", 6, "bad repeat count");
    expect_error("stdout:\n  repeat 3..2 {\n  = a\n  }\n", 6,
                 "bad repeat range");
    expect_error("stdout:\n  repeat 2 {\n  }\n", 6, "empty 'repeat'");
    expect_error("stdout:\n  unordered {\n    ...\n  }\n", 7,
                 "only single-line items");
    expect_error("stdout:\n  either {\n    = a\n  }\n", 6,
                 "at least one '} or {'");
    expect_error("stdout:\n  interleave {\n    = a\n  }\n", 7,
                 "only 'stream {'");
    expect_error("stdout:\n  stream {\n  }\n", 6, "only inside 'interleave");
    expect_error("stdout:\n  ~ {x:number}\n", 6,
                 "unknown capture type 'number'");
    expect_error("stdout:\n  ~ {X:int}\n", 6, "bad capture name 'X'");
    expect_error("stdout:\n  ~ a {b\n", 6, "bad capture");
    expect_error("stdout:\n  ~ {a:int}\n  ~ {a:word}\n", 7,
                 "capture 'a' is word here but int");
    expect_error("stdout:\n  ? foo\n", 6, "'?' must be followed");
    expect_error("stdout:\n  sometimes {\n  }\n", 6, "unknown block");
}

static void test_check_errors(void)
{
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  b == 1\n", 8,
                 "names 'b', which no pattern captures");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a ~= 1\n", 8,
                 "unknown relation '~='");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a\n", 8, "bad relation");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a set 1, 2\n", 8, "want {");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a list {1}\n", 8, "want [");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a count x\n", 8, "count N");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  abs(a - c) <= 1\n", 8,
                 "'c'");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  abs(a - a) < 1\n", 8,
                 "abs(a - b) <= TOL");
    expect_error("stdout:\n  ~ {w:word}\nchecks:\n  w < 3\n", 8,
                 "needs numbers");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a distinct please\n", 8,
                 "takes no argument");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  a ==\n", 8,
                 "lacks its right side");
}

/* covers: and not-applicable: (CASE-FORMAT.md) */
static void test_covers_and_na(void)
{
    mpc_case_t *c;
    char *err;
    c = t_parse("covers: _TestProcess.test_terminate, TestWait.test_wait\n"
                "not-applicable: ref a traceback's Python source line\n",
                &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->covers.n, 2);
    CU_ASSERT_STRING_EQUAL(c->covers.v[0], "_TestProcess.test_terminate");
    CU_ASSERT_STRING_EQUAL(c->covers.v[1], "TestWait.test_wait");
    CU_ASSERT_STRING_EQUAL(mpc_case_not_applicable(c, "ref"),
                           "a traceback's Python source line");
    CU_ASSERT_PTR_NULL(mpc_case_not_applicable(c, "cpython"));
    mpc_case_free(c);
    free(c);
    c = t_parse("", &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->covers.n, 0);
    CU_ASSERT_PTR_NULL(mpc_case_not_applicable(c, "ref"));
    mpc_case_free(c);
    free(c);
    expect_error("covers: test_terminate\n", 5, "bad covers name");
    expect_error("covers: _TestProcess.terminate\n", 5, "bad covers name");
    expect_error("covers: A.test_x, A.test_x\n", 5, "named twice");
    expect_error("not-applicable: ref\n", 5, "wants an implementation");
    expect_error("covers:\n", 5, "empty 'covers:'");
    CU_ASSERT(mpc_covers_name_ok("WithManagerTestPool.test_map"));
    CU_ASSERT(!mpc_covers_name_ok("A.B.test_x"));
    CU_ASSERT(!mpc_covers_name_ok("A-b.test_x"));
}

static void test_pattern_compile(void)
{
    mpc_pattern_t p;
    char *err = NULL;
    CU_ASSERT_EQUAL(mpc_pattern_compile("a {{b}} {n:int} {_:word}}", &p, &err),
                    0);
    CU_ASSERT_EQUAL(p.nsegs, 5);
    CU_ASSERT_STRING_EQUAL(p.segs[0].lit, "a {b} ");
    CU_ASSERT_STRING_EQUAL(p.segs[1].name, "n");
    CU_ASSERT_PTR_NULL(p.segs[3].name); /* _ captures nothing */
    CU_ASSERT_EQUAL(mpc_pattern_match(&p, "a {b} 12 xyz"),
                    0); /* the lone } is literal */
    CU_ASSERT_EQUAL(mpc_pattern_match(&p, "a {b} 12 xyz}"), 1);
    mpc_pattern_free(&p);
}

/* ------------------------------------------------------------- versions */

/* Parse CASE_HEAD + body at Python version ver; NULL and *err on error. */
static mpc_case_t *parse_at(const char *body, int ver, char **err)
{
    char *text = mpc_xasprintf("%s%s", CASE_HEAD, body);
    mpc_case_t *c = mpc_xcalloc(1, sizeof *c);
    *err = NULL;
    if (mpc_case_parse_at("t.exp", text, ver, c, err) < 0) {
        free(c);
        c = NULL;
    }
    free(text);
    return c;
}

/* The judgement (MPC_M_*) of out, exit 0, by the case at version ver; -2
 * when it does not parse. */
static int judge_at(const char *body, int ver, const char *out)
{
    char *err = NULL;
    mpc_case_t *c = parse_at(body, ver, &err);
    if (!c) {
        fprintf(stderr, "\n  %s\n", err);
        free(err);
        return -2;
    }
    mpc_captures_t caps = {0};
    mpc_mismatch_t *mm = NULL;
    char *d = NULL;
    mpc_run_output_t ro = {out, "", strlen(out), 0, 0, 0, 1.0};
    int r = mpc_judge(c, &ro, NULL, &caps, &mm, &d);
    free(d);
    mpc_mismatch_free(mm);
    mpc_captures_free(&caps);
    mpc_case_free(c);
    free(c);
    return r;
}

static void test_pyver(void)
{
    const char *e;
    char b[16];
    CU_ASSERT_EQUAL(mpc_pyver_parse("3.12", &e), 312);
    CU_ASSERT_EQUAL(*e, '\0');
    CU_ASSERT_EQUAL(mpc_pyver_parse("3.9 {", &e), 309);
    CU_ASSERT_STRING_EQUAL(e, " {");
    CU_ASSERT_EQUAL(mpc_pyver_parse("3", NULL), 0);
    CU_ASSERT_EQUAL(mpc_pyver_parse("3.", NULL), 0);
    CU_ASSERT_EQUAL(mpc_pyver_parse("3.123", NULL), 0);
    CU_ASSERT_EQUAL(mpc_pyver_parse("x3.1", NULL), 0);
    CU_ASSERT_EQUAL(mpc_pyver_parse("0.1", NULL), 0);
    CU_ASSERT_STRING_EQUAL(mpc_pyver_str(315, b), "3.15");
    CU_ASSERT_STRING_EQUAL(mpc_pyver_str(0, b), "?");
    mpc_vqual_t q;
    CU_ASSERT(mpc_vqual_parse("since 3.12", &q, &e));
    CU_ASSERT(q.kind == MPC_VQ_SINCE && q.ver == 312);
    CU_ASSERT(mpc_vqual_holds(&q, 312) && mpc_vqual_holds(&q, 313));
    CU_ASSERT(!mpc_vqual_holds(&q, 311));
    CU_ASSERT(mpc_vqual_parse("until 3.10", &q, &e));
    CU_ASSERT(mpc_vqual_holds(&q, 310) && mpc_vqual_holds(&q, 309));
    CU_ASSERT(!mpc_vqual_holds(&q, 311));
    CU_ASSERT(mpc_vqual_parse("python 3.14", &q, &e));
    CU_ASSERT(mpc_vqual_holds(&q, 314) && !mpc_vqual_holds(&q, 313) &&
              !mpc_vqual_holds(&q, 315));
    CU_ASSERT(!mpc_vqual_parse("since x", &q, &e));
    CU_ASSERT(!mpc_vqual_parse("sincere 3.1", &q, &e));
    char *path = mpc_oracle_rec_path("d", 311);
    CU_ASSERT_STRING_EQUAL(path, "d/oracle.rec");
    free(path);
    path = mpc_oracle_rec_path("d", 313);
    CU_ASSERT_STRING_EQUAL(path, "d/oracle-3.13.rec");
    free(path);
}

/* A `since` block applies at its version and newer, not before. */
static void test_version_blocks(void)
{
    const char *body = "stdout:\n"
                       "  = a\n"
                       "  since 3.12 {\n"
                       "    = new\n"
                       "  }\n"
                       "  = z\n";
    CU_ASSERT_EQUAL(judge_at(body, 312, "a\nnew\nz\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(body, 313, "a\nnew\nz\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(body, 311, "a\nnew\nz\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(body, 311, "a\nz\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(body, 312, "a\nz\n"), MPC_M_FAIL);
    /* until is inclusive */
    const char *until = "stdout:\n  until 3.10 {\n    = old\n  }\n";
    CU_ASSERT_EQUAL(judge_at(until, 310, "old\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(until, 309, "old\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(until, 311, "old\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(until, 311, ""), MPC_M_PASS);
    /* else */
    const char *els = "stdout:\n"
                      "  since 3.14 {\n"
                      "    = forkserver\n"
                      "  } else {\n"
                      "    = fork\n"
                      "  }\n";
    CU_ASSERT_EQUAL(judge_at(els, 314, "forkserver\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(els, 314, "fork\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(els, 313, "fork\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(els, 313, "forkserver\n"), MPC_M_FAIL);
    /* nested, inside other blocks: unordered takes the spliced items */
    const char *nest = "stdout:\n"
                       "  unordered {\n"
                       "    = x\n"
                       "    since 3.10 {\n"
                       "      until 3.12 {\n"
                       "        = mid\n"
                       "      } else {\n"
                       "        = late\n"
                       "      }\n"
                       "    }\n"
                       "  }\n";
    CU_ASSERT_EQUAL(judge_at(nest, 309, "x\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(nest, 309, "mid\nx\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(nest, 311, "mid\nx\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(nest, 311, "late\nx\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(nest, 313, "late\nx\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(nest, 313, "mid\nx\n"), MPC_M_FAIL);
    /* the host version by default */
    CU_ASSERT_EQUAL(t_judge(nest, "mid\nx\n"), MPC_M_PASS);
    /* python X.Y is exact */
    const char *exact = "stdout:\n  python 3.13 {\n    = only\n  }\n";
    CU_ASSERT_EQUAL(judge_at(exact, 313, "only\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(exact, 314, "only\n"), MPC_M_FAIL);
    CU_ASSERT_EQUAL(judge_at(exact, 312, ""), MPC_M_PASS);
}

/* Qualified header and checks lines, since:/until:, change: sections. */
static void test_version_fields(void)
{
    const char *body = "exit: 0\n"
                       "since 3.14: exit: 1\n"
                       "stdout:\n"
                       "  ~ n={n:int}\n"
                       "checks:\n"
                       "  until 3.13: n == 1\n"
                       "  since 3.14: n == 2\n";
    char *err;
    mpc_case_t *c = parse_at(body, 314, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->exit_status, 1);
    CU_ASSERT_EQUAL(c->nchecks, 1);
    CU_ASSERT_STRING_EQUAL(c->checks[0].src, "n == 2");
    mpc_case_free(c);
    free(c);
    c = parse_at(body, 313, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->exit_status, 0);
    CU_ASSERT_EQUAL(c->nchecks, 1);
    CU_ASSERT_STRING_EQUAL(c->checks[0].src, "n == 1");
    mpc_case_free(c);
    free(c);
    /* a qualified line wins over a plain one after it */
    c = parse_at("since 3.12: methods: fork\nmethods: spawn\n", 312, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT(c->methods.n == 1 && strcmp(c->methods.v[0], "fork") == 0);
    mpc_case_free(c);
    free(c);
    CU_ASSERT_EQUAL(judge_at(body, 313, "n=1\n"), MPC_M_PASS);
    CU_ASSERT_EQUAL(judge_at(body, 313, "n=2\n"), MPC_M_FAIL);

    /* since:/until: -- applicability of the whole case */
    c = parse_at("since: 3.12\n", 311, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    char *why = mpc_case_version_skip(c);
    CU_ASSERT(why && strstr(why, "3.12 and newer, not 3.11"));
    free(why);
    mpc_case_free(c);
    free(c);
    c = parse_at("since: 3.12\nuntil: 3.13\n", 313, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_PTR_NULL(mpc_case_version_skip(c));
    mpc_case_free(c);
    free(c);
    c = parse_at("until: 3.10\n", 311, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    why = mpc_case_version_skip(c);
    CU_ASSERT(why && strstr(why, "3.10 and older, not 3.11"));
    free(why);
    mpc_case_free(c);
    free(c);

    c = parse_at("change: default start method\n"
                 "| version: 3.14\n"
                 "| before: fork\n"
                 "| after: forkserver\n"
                 "| on Linux\n"
                 "| why: fork with threads is unsafe\n",
                 311, &err);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL_FATAL(c->nchanges, 1);
    CU_ASSERT_EQUAL(c->changes[0].version, 314);
    CU_ASSERT_STRING_EQUAL(c->changes[0].title, "default start method");
    CU_ASSERT_STRING_EQUAL(c->changes[0].before, "fork");
    CU_ASSERT_STRING_EQUAL(c->changes[0].after, "forkserver\non Linux");
    CU_ASSERT_STRING_EQUAL(c->changes[0].why, "fork with threads is unsafe");
    mpc_case_free(c);
    free(c);
}

static void test_version_errors(void)
{
    expect_error("stdout:\n  } else {\n", 6, "'} else {' without an open");
    expect_error("stdout:\n  either {\n  = a\n  } else {\n  = b\n  }\n", 6,
                 "'} else {' in an 'either'");
    expect_error("stdout:\n  repeat 2 {\n  = a\n  } else {\n  = b\n  }\n", 6,
                 "'repeat' block must end");
    expect_error("stdout:\n  since 3.12 {\n  = a\n  } else {\n  = b\n"
                 "  } else {\n  = c\n  }\n",
                 6, "one '} else {' at most");
    expect_error("stdout:\n  since 3.12 {\n  = a\n", 6, "never closed");
    expect_error("stdout:\n  since 3.12 x {\n  }\n", 6, "bad version block");
    /* a branch that does not apply is checked all the same */
    expect_error("stdout:\n  since 3.99 {\n    ~ {x:number}\n  }\n", 7,
                 "unknown capture type");
    expect_error("since: 3\n", 5, "bad version '3'");
    expect_error("since: 3.12\nuntil: 3.11\n", 6, "applies to no version");
    expect_error("since 3.12: title: x\n", 5, "a qualified header line");
    expect_error("since 3.99: exit: x\n", 5, "bad exit status");
    expect_error("stdout:\n  ~ {a:int}\nchecks:\n  since 3.99: b == 1\n", 8,
                 "names 'b'");
    expect_error("change: t\n| version: 3\n| before: a\n| after: b\n"
                 "| why: c\n",
                 5, "bad '| version: 3'");
    expect_error("change: t\n| version: 3.12\n| before: a\n| why: c\n", 5,
                 "lacks its '| after: ' line");
    expect_error("change:\n| version: 3.12\n", 5, "needs a title");
}

int main(void)
{
    static const t_test_t tests[] = {
        {"a full case parses", test_full_case},
        {"defaults", test_defaults},
        {"header errors", test_header_errors},
        {"section errors", test_section_errors},
        {"item errors", test_item_errors},
        {"check errors", test_check_errors},
        {"pattern compile", test_pattern_compile},
        {"covers and not-applicable", test_covers_and_na},
        {"python versions and qualifiers", test_pyver},
        {"version blocks", test_version_blocks},
        {"version fields, checks, change:", test_version_fields},
        {"version errors", test_version_errors},
        {NULL, NULL},
    };
    return t_run_suite("case", tests);
}
