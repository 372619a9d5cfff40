/*
 * test-process.c - Process behaves as CPython 3.11's multiprocessing
 * Process: lifecycle, reprs in every state, every misuse error with its
 * class and message, exit codes (signals included), names and nested
 * counters, daemon rules, the exit handler, and the three start methods.
 *
 * Children report through a temporary file whose path is their first
 * argument (a pipe would not survive spawn's exec), one line per fact;
 * the parent asserts on the file after join.
 */
#include "mpr/main.h"
#include "mpr/context.h"
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "mpr/process.h"
#include "mpr/timeout.h"
#include "mprtest.h"
#include "process/process_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "process";

static const char *const methods[] = {"fork", "spawn", "forkserver"};
static int global_value = 1; /* changed by a test after start-up */

/* ---- the targets children run -------------------------------------- */

static void say(mpr_obj_t *args, const char *fmt, ...)
{
    const char *path = mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL);
    int fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC);
    va_list ap;

    if (fd < 0)
        return;
    va_start(ap, fmt);
    vdprintf(fd, fmt, ap);
    va_end(ap);
    close(fd);
}

static void say_repr(mpr_obj_t *args, const char *label, mpr_process_t *p)
{
    char *r;

    if (p == NULL) {
        say(args, "%s None\n", label);
    } else if (mpr_process_repr(p, &r, NULL) == 0) {
        say(args, "%s %s\n", label, r);
        mpr_free(r);
    }
}

static const char *cmd_of(mpr_obj_t *args)
{
    mpr_obj_t *c = mpr_obj_item(args, 1);

    return c ? mpr_obj_str_utf8(c, NULL) : "";
}

/* The threads of the "threads" command: the non-daemon one reports after
 * 0.2 s, the daemon one would after 30 s. */
static void late_thread(void *args)
{
    usleep(200000);
    say(args, "late\n");
}

static void daemon_thread(void *args)
{
    sleep(30);
    say(args, "daemon\n");
}

/* The values "exit_obj" N passes to mpr_process_exit_obj. */
static mpr_obj_t *exit_value(int n)
{
    switch (n) {
    case 0:
        return mpr_obj_none();
    case 1:
        return mpr_obj_bool(1);
    case 2:
        return mpr_obj_bool(0);
    case 3:
        return mpr_obj_int(8);
    case 4:
        return mpr_obj_int(INT64_C(1) << 40);
    case 5:
        return mpr_obj_str("msg");
    default:
        return mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    }
}

/* A child that does what its second argument says. */
static int probe(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const char *cmd = cmd_of(args);
    mpr_process_t *cur = mpr_current_process(), *par = mpr_parent_process();
    pid_t pid = 0;

    if (strcmp(cmd, "info") == 0) {
        char buf[8];
        if (par != NULL)
            mpr_process_pid(par, &pid);
        say(args, "name %s\n", mpr_process_name(cur));
        say(args, "type %s\n", mpr_process_type_name(cur));
        say(args, "daemon %d\n", mpr_process_daemon(cur));
        say(args, "parent_pid_ok %d\n", pid == getppid() || pid > 0);
        say(args, "parent_alive %d\n", par ? mpr_process_is_alive(par) : -1);
        say(args, "method %s\n", mpr_get_start_method());
        say(args, "nargs %zu nkw %zu\n", mpr_obj_len(args),
            mpr_obj_len(kwargs));
        say(args, "stdin %zd\n", read(0, buf, sizeof(buf)));
        say(args, "global %d\n", global_value);
        say(args, "alive_self %d\n", mpr_process_is_alive(cur));
        say_repr(args, "self", cur);
        say_repr(args, "parent", par);
    } else if (strcmp(cmd, "grandchild") == 0) {
        mpr_process_t *g1, *g;
        mpr_obj_t *a = mpr_obj_tuple_steal(
            2, mpr_obj_incref(mpr_obj_item(args, 0)), mpr_obj_str("info"));
        mpr_process_options_t o = {.target = probe, .args = a};
        mpr_process_new(&g1, &o);
        mpr_process_new(&g, &o); /* every construction counts: :2 */
        say(args, "grandchild %s\n", mpr_process_name(g));
        mpr_process_start(g);
        mpr_process_join(g, MPR_TIMEOUT_NONE);
        mpr_process_free(g1);
        mpr_process_free(g);
        mpr_obj_decref(a);
    } else if (strcmp(cmd, "start_child") == 0) {
        mpr_process_t *g;
        mpr_process_new(&g, NULL);
        say(args, "daemon_of_new %d\n", mpr_process_daemon(g));
        int rc = mpr_process_start(g);
        say(args, "start %d %s\n", rc == MPR_EASSERT, mpr_last_error_detail());
        mpr_process_free(g);
    } else if (strcmp(cmd, "sleep") == 0) {
        for (;;)
            pause();
    } else if (strcmp(cmd, "exit") == 0) {
        mpr_process_exit((int)mpr_obj_int_value(mpr_obj_item(args, 2)));
    } else if (strcmp(cmd, "fail") == 0) {
        return mpr__error(MPR_EVALUE, "boom");
    } else if (strcmp(cmd, "segv") == 0) {
        raise(SIGSEGV);
    } else if (strcmp(cmd, "signal") == 0) {
        kill(getpid(), (int)mpr_obj_int_value(mpr_obj_item(args, 2)));
        pause();
    } else if (strcmp(cmd, "sibling") == 0) {
        /* fork only: the parent's object, inherited through memory */
        mpr_process_t *sib =
            (mpr_process_t *)(intptr_t)mpr_obj_int_value(mpr_obj_item(args, 2));
        say_repr(args, "sibling", sib);
        say(args, "is_alive %d %s\n", mpr_process_is_alive(sib) == MPR_EASSERT,
            mpr_last_error_detail());
    } else if (strcmp(cmd, "write_fd") == 0) {
        int fd = (int)mpr_obj_int_value(mpr_obj_item(args, 2));
        say(args, "write %zd\n", write(fd, "x", 1));
    } else if (strcmp(cmd, "name_bytes") == 0) {
        const unsigned char *n = (const unsigned char *)mpr_process_name(cur);
        for (; *n; n++)
            say(args, "%02x", *n);
        say(args, "\n");
    } else if (strcmp(cmd, "parent_join") == 0) {
        /* parent_process().join(timeout) waits on its sentinel */
        double t0 = mpr_monotonic();
        int rc = mpr_process_join(par, 0.1);
        say(args, "parent_join %d waited %d alive %d\n", rc,
            mpr_monotonic() - t0 >= 0.09, mpr_process_is_alive(par));
    } else if (strcmp(cmd, "exit_msg") == 0) {
        mpr_process_exit_msg("bye");
    } else if (strcmp(cmd, "exit_obj") == 0) {
        mpr_process_exit_obj(
            exit_value((int)mpr_obj_int_value(mpr_obj_item(args, 2))));
    } else if (strcmp(cmd, "execfn") == 0) {
        /* the path the program was exec'd by (fork: the parent's) */
        say(args, "execfn %s\n", (const char *)getauxval(AT_EXECFN));
    } else if (strcmp(cmd, "threads") == 0) {
        say(args, "start %d %d\n", mpr_thread_start(late_thread, args, 0),
            mpr_thread_start(daemon_thread, args, 1));
    }
    return 0;
}

/* A subclass's run(): reads its own args. */
static int my_run(mpr_process_t *self)
{
    mpr_obj_t *args = mpr_process_args(self);

    say(args, "run %s %s\n", mpr_process_type_name(self),
        mpr_process_name(self));
    return 0;
}

/* Spawn and forkserver children re-enter the test program: glibc passes
 * argc/argv to constructors, so this is where they run their target. */
__attribute__((constructor)) static void enter(int argc, char **argv)
{
    mpr_target_register("probe", (void (*)(void))probe);
    mpr_target_register("my_run", (void (*)(void))my_run);
    mpr_main(argc, argv);
}

/* ---- helpers ------------------------------------------------------- */

static char path[64];
static int reuse_path; /* 1: the next mkargs keeps path as it is */

static mpr_obj_t *mkargs(const char *cmd, int n)
{
    int fd;

    if (!reuse_path) {
        strcpy(path, "/tmp/mpr-test-process-XXXXXX");
        fd = mkstemp(path);
        if (fd >= 0)
            close(fd);
    }
    reuse_path = 0;
    return mpr_obj_tuple_steal(3, mpr_obj_str(path), mpr_obj_str(cmd),
                               mpr_obj_int(n));
}

/* The file's text (static buffer), and the file removed. */
static const char *result(void)
{
    static char buf[8192];
    int fd = open(path, O_RDONLY);
    ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;

    buf[n > 0 ? n : 0] = '\0';
    if (fd >= 0)
        close(fd);
    unlink(path);
    return buf;
}

static mpr_process_t *make(const char *cmd, int n, const char *ctx)
{
    mpr_process_t *p = NULL;
    mpr_obj_t *a = mkargs(cmd, n);
    mpr_process_options_t o = {.target = probe, .args = a, .context = ctx};

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    mpr_obj_decref(a);
    return p;
}

static char *repr_of(mpr_process_t *p)
{
    static char buf[512];
    char *r;

    buf[0] = '\0';
    if (mpr_process_repr(p, &r, NULL) == 0) {
        snprintf(buf, sizeof(buf), "%s", r);
        mpr_free(r);
    }
    return buf;
}

static int run_to_end(mpr_process_t *p, int *code)
{
    int rc = mpr_process_start(p);

    if (rc == 0)
        rc = mpr_process_join(p, 20.0);
    if (rc == 0 && mpr_process_exitcode(p, code) != 1)
        rc = -1;
    return rc;
}

/* ---- construction, names, reprs ------------------------------------ */

static void test_process_initial_state_and_repr(void)
{
    mpr_process_t *p = make("info", 0, NULL);
    char want[256];
    pid_t pid = 1;
    int code = 5;

    snprintf(want, sizeof(want), "<Process name='%s' parent=%d initial>",
             mpr_process_name(p), (int)getpid());
    CU_ASSERT_STRING_EQUAL(repr_of(p), want);
    CU_ASSERT_EQUAL(mpr_process_pid(p, &pid), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 0);
    CU_ASSERT_EQUAL(mpr_process_is_alive(p), 0);
    CU_ASSERT_EQUAL(mpr_process_daemon(p), 0);
    CU_ASSERT_EQUAL(mpr_process_sentinel(p), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "process not started");
    size_t n1, n2;
    const unsigned char *k1 = mpr_process_authkey(p, &n1);
    const unsigned char *k2 = mpr_process_authkey(mpr_current_process(), &n2);
    CU_ASSERT_EQUAL(n1, 32);
    CU_ASSERT(n1 == n2 && memcmp(k1, k2, n1) == 0);
    mpr_process_free(p);
    unlink(path);
}

static int number_of(mpr_process_t *p)
{
    const char *dash = strrchr(mpr_process_name(p), '-');

    return dash ? atoi(dash + 1) : -1;
}

static void test_process_every_construction_takes_a_number(void)
{
    mpr_process_t *a, *b, *c;
    mpr_obj_t *bad = mpr_obj_int(5);
    mpr_process_options_t o = {.args = bad};
    mpr_process_options_t sub = {.type_name = "MyProcess"};
    mpr_process_options_t ctx = {.context = "spawn"};

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&a, NULL), 0);
    CU_ASSERT_EQUAL(mpr_process_new(&b, &o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'int' object is not iterable");
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&b, &sub), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&c, &ctx), 0);
    CU_ASSERT_EQUAL(number_of(b), number_of(a) + 2);
    CU_ASSERT_EQUAL(number_of(c), number_of(a) + 3);
    CU_ASSERT_NSTRING_EQUAL(mpr_process_name(a), "Process-", 8);
    CU_ASSERT_NSTRING_EQUAL(mpr_process_name(b), "MyProcess-", 10);
    CU_ASSERT_NSTRING_EQUAL(mpr_process_name(c), "SpawnProcess-", 13);
    CU_ASSERT_STRING_EQUAL(mpr_process_type_name(c), "SpawnProcess");
    mpr_process_free(a);
    mpr_process_free(b);
    mpr_process_free(c);
    mpr_obj_decref(bad);
}

static void test_process_names_explicit_empty_and_set(void)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.name = "worker"};
    mpr_process_options_t e = {.name = ""};

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_STRING_EQUAL(mpr_process_name(p), "worker");
    CU_ASSERT_EQUAL(mpr_process_set_name(p, "other"), 0);
    CU_ASSERT_STRING_EQUAL(mpr_process_name(p), "other");
    mpr_process_free(p);
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &e), 0);
    CU_ASSERT_NSTRING_EQUAL(mpr_process_name(p), "Process-", 8);
    mpr_process_free(p);
    CU_ASSERT_EQUAL(
        mpr_process_new(&p, &(mpr_process_options_t){.context = "bad"}),
        MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot find context for 'bad'");
}

static void test_process_repr_quotes_names_like_python(void)
{
    static const struct {
        const char *name, *repr;
    } cases[] = {
        {"plain", "'plain'"},
        {"it's", "\"it's\""},
        {"a'b\"c", "'a\\'b\"c'"},
        {"tab\there\n", "'tab\\there\\n'"},
        {"\x01", "'\\x01'"},
        {"caf\xc3\xa9", "'caf\xc3\xa9'"},
        {"\xff\xfe", "'\\udcff\\udcfe'"},
        {"bad\xc3", "'bad\\udcc3'"},
    };
    char want[128];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mpr_process_t *p;
        mpr_process_options_t o = {.name = cases[i].name};
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
        snprintf(want, sizeof(want), "<Process name=%s parent=%d initial>",
                 cases[i].repr, (int)getpid());
        CU_ASSERT_STRING_EQUAL(repr_of(p), want);
        mpr_process_free(p);
    }
}

/* A name that is not UTF-8 is shown as os.fsdecode() would read it: each
 * bad byte (overlong, surrogate, past U+10FFFF, cut short) is \udcXX, the
 * valid 2-, 3- and 4-byte characters around it are kept, and quotes,
 * backslashes and control characters are escaped as str.__repr__ does.
 * Expected texts from /usr/bin/python3. */
static void test_process_repr_escapes_non_utf8_names(void)
{
    static const struct {
        const char *name, *repr;
    } cases[] = {
        {"a\xff'b\n\t\r\x01\x7f\xe2\x82\xac\xf0\x9f\x98\x80\\\xc3",
         "\"a\\udcff'b\\n\\t\\r\\x01\\x7f\xe2\x82\xac\xf0\x9f\x98\x80\\\\"
         "\\udcc3\""},
        {"x'y\"\xff", "'x\\'y\"\\udcff'"},
        {"\xed\xa0\x80\xe0\x80\x80\xf0\x80\x80\x80\xf4\x90\x80\x80\xe2(",
         "'\\udced\\udca0\\udc80\\udce0\\udc80\\udc80\\udcf0\\udc80\\udc80"
         "\\udc80\\udcf4\\udc90\\udc80\\udc80\\udce2('"},
    };
    char want[256];

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mpr_process_t *p;
        mpr_process_options_t o = {.name = cases[i].name};
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
        snprintf(want, sizeof(want), "<Process name=%s parent=%d initial>",
                 cases[i].repr, (int)getpid());
        CU_ASSERT_STRING_EQUAL(repr_of(p), want);
        mpr_process_free(p);
    }
}

static void test_process_main_process_repr_and_attributes(void)
{
    mpr_process_t *m = mpr_current_process();
    pid_t pid = 0;
    int code;

    CU_ASSERT_STRING_EQUAL(repr_of(m),
                           "<_MainProcess name='MainProcess' parent=None "
                           "started>");
    CU_ASSERT_PTR_NULL(mpr_parent_process());
    CU_ASSERT_EQUAL(mpr_process_is_alive(m), 1);
    CU_ASSERT_EQUAL(mpr_process_pid(m, &pid), 1);
    CU_ASSERT_EQUAL(pid, getpid());
    CU_ASSERT_EQUAL(mpr_process_exitcode(m, &code), 0);
    CU_ASSERT_EQUAL(mpr_process_close(m), 0);
    CU_ASSERT_EQUAL(mpr_process_join(m, 0), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "can only join a child process");
    CU_ASSERT_EQUAL(mpr_process_sentinel(m), MPR_EVALUE);
}

/* kwargs go through dict(): a pair of the wrong length is ValueError, an
 * unhashable key TypeError, a dict is copied (CPython's messages); more
 * descriptors to pass than the options hold is ValueError. */
static void test_process_kwargs_conversion_errors_and_fd_limit(void)
{
    mpr_process_t *p;
    mpr_obj_t *triple = mpr_obj_list_of_steal(
        1,
        mpr_obj_tuple_steal(3, mpr_obj_int(1), mpr_obj_int(2), mpr_obj_int(3)));
    mpr_obj_t *unhashable = mpr_obj_list_of_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_list(), mpr_obj_int(2)));
    mpr_obj_t *d = mpr_obj_dict();
    mpr_process_options_t o = {.kwargs = triple};
    int fds[MPR_PROCESS_MAX_FDS + 1] = {0};
    char *r;

    CU_ASSERT_EQUAL(mpr_process_new(&p, &o), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "dictionary update sequence element #0 has "
                           "length 3; 2 is required");
    o.kwargs = unhashable;
    CU_ASSERT_EQUAL(mpr_process_new(&p, &o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unhashable type: 'list'");
    mpr_obj_dict_set_steal(d, mpr_obj_str("a"), mpr_obj_int(1));
    o.kwargs = d;
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    mpr_obj_dict_set_steal(d, mpr_obj_str("b"), mpr_obj_int(2));
    CU_ASSERT_EQUAL_FATAL(mpr_obj_repr(mpr_process_kwargs(p), &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, "{'a': 1}"); /* a copy */
    mpr_free(r);
    mpr_process_free(p);
    o.kwargs = NULL;
    o.pass_fds = fds;
    o.n_pass_fds = MPR_PROCESS_MAX_FDS + 1;
    CU_ASSERT_EQUAL(mpr_process_new(&p, &o), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "too many descriptors to pass");
    mpr_obj_decref(triple);
    mpr_obj_decref(unhashable);
    mpr_obj_decref(d);
}

static void test_process_args_are_converted_like_tuple_and_dict(void)
{
    mpr_process_t *p;
    mpr_obj_t *l = mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(2));
    mpr_obj_t *pairs = mpr_obj_list_of_steal(
        1, mpr_obj_tuple_steal(2, mpr_obj_str("k"), mpr_obj_int(3)));
    mpr_obj_t *notpairs = mpr_obj_list_of_steal(1, mpr_obj_int(1));
    mpr_process_options_t o = {.args = l, .kwargs = pairs};
    char *r;

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_obj_type(mpr_process_args(p)), MPR_OBJ_TUPLE);
    CU_ASSERT_EQUAL_FATAL(mpr_obj_repr(mpr_process_args(p), &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, "(1, 2)");
    mpr_free(r);
    CU_ASSERT_EQUAL_FATAL(mpr_obj_repr(mpr_process_kwargs(p), &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, "{'k': 3}");
    mpr_free(r);
    mpr_process_free(p);
    o.kwargs = notpairs;
    CU_ASSERT_EQUAL(mpr_process_new(&p, &o), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot convert dictionary update sequence "
                           "element #0 to a sequence");
    mpr_obj_decref(l);
    mpr_obj_decref(pairs);
    mpr_obj_decref(notpairs);
}

/* ---- lifecycle and errors ------------------------------------------ */

static void test_process_lifecycle_reprs_each_state(void)
{
    mpr_process_t *p = make("sleep", 0, "fork");
    char want[256];
    pid_t pid;
    int code;

    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_process_pid(p, &pid), 1);
    snprintf(want, sizeof(want),
             "<ForkProcess name='%s' pid=%d parent=%d started>",
             mpr_process_name(p), (int)pid, (int)getpid());
    CU_ASSERT_STRING_EQUAL(repr_of(p), want);
    CU_ASSERT_EQUAL(mpr_process_is_alive(p), 1);
    CU_ASSERT(mpr_process_sentinel(p) >= 0);
    CU_ASSERT_EQUAL(mpr_process_terminate(p), 0);
    CU_ASSERT_EQUAL(mpr_process_join(p, MPR_TIMEOUT_NONE), 0);
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
    CU_ASSERT_EQUAL(code, -SIGTERM);
    snprintf(want, sizeof(want),
             "<ForkProcess name='%s' pid=%d parent=%d stopped "
             "exitcode=-SIGTERM>",
             mpr_process_name(p), (int)pid, (int)getpid());
    CU_ASSERT_STRING_EQUAL(repr_of(p), want);
    /* After the end, signals change nothing. */
    CU_ASSERT_EQUAL(mpr_process_kill(p), 0);
    CU_ASSERT_STRING_EQUAL(repr_of(p), want);
    CU_ASSERT_EQUAL(mpr_process_close(p), 0);
    snprintf(want, sizeof(want), "<ForkProcess name='%s' parent=%d closed>",
             mpr_process_name(p), (int)getpid());
    CU_ASSERT_STRING_EQUAL(repr_of(p), want);
    mpr_process_free(p);
    unlink(path);
}

/* Under each start method, a child running cmd exits 0 within 20 s
 * (run_to_end) having reported want. */
static void each_method_reports(const char *cmd, const char *want)
{
    for (size_t i = 0; i < 3; i++) {
        mpr_process_t *p = make(cmd, 0, methods[i]);
        int code = -1;
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_EQUAL(code, 0);
        CU_ASSERT_STRING_EQUAL(result(), want);
        mpr_process_free(p);
    }
    mpr__forkserver_stop();
}

/* In a child, parent_process().join(timeout) returns after the timeout
 * while the parent lives, and is_alive() is True, in every start method. */
static void test_process_parent_join_times_out_while_parent_lives(void)
{
    each_method_reports("parent_join", "parent_join 0 waited 1 alive 1\n");
}

static void test_process_start_twice_is_assertion_error(void)
{
    mpr_process_t *p = make("none", 0, NULL);
    int code;

    CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot start a process twice");
    mpr_process_free(p);
    unlink(path);
}

static void test_process_join_before_start_is_assertion_error(void)
{
    mpr_process_t *p = make("none", 0, NULL);

    CU_ASSERT_EQUAL(mpr_process_join(p, MPR_TIMEOUT_NONE), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "can only join a started process");
    mpr_process_free(p);
    unlink(path);
}

static void test_process_daemon_after_start_is_assertion_error(void)
{
    mpr_process_t *p = make("none", 0, NULL);
    int code;

    CU_ASSERT_EQUAL(mpr_process_set_daemon(p, 1), 0);
    CU_ASSERT_EQUAL(mpr_process_daemon(p), 1);
    CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
    CU_ASSERT_EQUAL(mpr_process_set_daemon(p, 0), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "process has already started");
    CU_ASSERT_TRUE(strstr(repr_of(p), "stopped exitcode=0 daemon>") != NULL);
    mpr_process_free(p);
    unlink(path);
}

static void test_process_signal_before_start_is_attribute_error(void)
{
    mpr_process_t *p = make("none", 0, NULL);

    CU_ASSERT_EQUAL(mpr_process_terminate(p), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'NoneType' object has no attribute 'terminate'");
    CU_ASSERT_EQUAL(mpr_process_kill(p), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'NoneType' object has no attribute 'kill'");
    mpr_process_free(p);
    unlink(path);
}

static void test_process_close_rules(void)
{
    mpr_process_t *p = make("sleep", 0, NULL);
    pid_t pid;
    int code;

    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_process_close(p), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "Cannot close a process while it is still running."
                           " You should first call join() or terminate().");
    mpr_process_kill(p);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    CU_ASSERT_EQUAL(mpr_process_close(p), 0);
    CU_ASSERT_EQUAL(mpr_process_close(p), 0);
    CU_ASSERT_EQUAL(mpr_process_pid(p, &pid), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "process object is closed");
    CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_sentinel(p), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_start(p), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_join(p, 0), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_is_alive(p), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_terminate(p), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_kill(p), MPR_EVALUE);
    CU_ASSERT_EQUAL(mpr_process_set_daemon(p, 1), 0);
    CU_ASSERT_TRUE(strstr(repr_of(p), " closed daemon>") != NULL);
    mpr_process_free(p);
    unlink(path);
    /* close() before start is allowed. */
    p = make("none", 0, NULL);
    CU_ASSERT_EQUAL(mpr_process_close(p), 0);
    CU_ASSERT_TRUE(strstr(repr_of(p), " closed>") != NULL);
    mpr_process_free(p);
    unlink(path);
}

static void test_process_run_in_caller_then_after_start(void)
{
    mpr_process_t *p = make("info", 0, NULL);
    int code;

    CU_ASSERT_EQUAL(mpr_process_run(p), 0);
    CU_ASSERT_TRUE(strstr(result(), "name MainProcess\n") != NULL);
    CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
    CU_ASSERT_EQUAL(mpr_process_run(p), MPR_EATTR);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "'Process' object has no attribute '_target'");
    mpr_process_free(p);
    unlink(path);
}

/* ---- exit codes ---------------------------------------------------- */

static int exit_code_of(const char *cmd, int n, const char *ctx)
{
    mpr_process_t *p = make(cmd, n, ctx);
    int code = 12345;

    if (run_to_end(p, &code) < 0)
        code = 12345;
    mpr_process_free(p);
    unlink(path);
    return code;
}

static void test_process_exit_codes(void)
{
    for (size_t m = 0; m < 3; m++) {
        CU_ASSERT_EQUAL(exit_code_of("none", 0, methods[m]), 0);
        CU_ASSERT_EQUAL(exit_code_of("exit", 7, methods[m]), 7);
        CU_ASSERT_EQUAL(exit_code_of("exit", 256, methods[m]), 0);
        CU_ASSERT_EQUAL(exit_code_of("exit", -1, methods[m]), 255);
        CU_ASSERT_EQUAL(exit_code_of("segv", 0, methods[m]), -SIGSEGV);
        CU_ASSERT_EQUAL(exit_code_of("signal", SIGUSR1, methods[m]), -SIGUSR1);
    }
    mpr__forkserver_stop();
}

static void test_process_failing_target_exits_1_with_report(void)
{
    char tmpl[] = "/tmp/mpr-test-stderr-XXXXXX", buf[512] = "", want[256];
    int fd = mkstemp(tmpl), saved = dup(2), code = 0;
    mpr_process_t *p = make("fail", 0, NULL);
    ssize_t n;

    CU_ASSERT_FATAL(fd >= 0 && saved >= 0);
    fflush(stderr);
    dup2(fd, 2);
    CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
    dup2(saved, 2);
    close(saved);
    CU_ASSERT_EQUAL(code, 1);
    n = pread(fd, buf, sizeof(buf) - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    snprintf(want, sizeof(want),
             "Process %s:\nTraceback (most recent call last):\n"
             "ValueError: boom\n",
             mpr_process_name(p));
    CU_ASSERT_STRING_EQUAL(buf, want);
    close(fd);
    unlink(tmpl);
    mpr_process_free(p);
    unlink(path);
}

static void test_process_signal_names_in_repr(void)
{
    static const struct {
        int sig;
        const char *text;
    } cases[] = {
        {SIGKILL, "exitcode=-SIGKILL>"}, {SIGUSR1, "exitcode=-SIGUSR1>"},
        {SIGIO, "exitcode=-SIGPOLL>"},   {SIGABRT, "exitcode=-SIGABRT>"},
        {40, "exitcode=-40>"},           {64, "exitcode=-SIGRTMAX>"}};

    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mpr_process_t *p;
        pid_t pid;
        /* valgrind keeps SIGRTMAX for itself: the child would not die */
        if (cases[i].sig == SIGRTMAX && mprtest_under_valgrind())
            continue;
        p = make("sleep", 0, NULL);
        CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
        mpr_process_pid(p, &pid);
        kill(pid, cases[i].sig);
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        CU_ASSERT_TRUE(strstr(repr_of(p), cases[i].text) != NULL);
        mpr_process_free(p);
        unlink(path);
    }
}

static void test_process_join_timeout_then_terminate(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p = make("sleep", 0, methods[m]);
        double t0;
        int code;
        CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
        t0 = mpr_monotonic();
        CU_ASSERT_EQUAL(mpr_process_join(p, 0.1), 0);
        CU_ASSERT(mpr_monotonic() - t0 >= 0.09);
        CU_ASSERT_EQUAL(mpr_process_join(p, -1), 0);
        CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 0);
        CU_ASSERT_EQUAL(mpr_process_is_alive(p), 1);
        CU_ASSERT_EQUAL(mpr_process_terminate(p), 0);
        CU_ASSERT_EQUAL(mpr_process_join(p, MPR_TIMEOUT_NONE), 0);
        CU_ASSERT_EQUAL(mpr_process_is_alive(p), 0);
        CU_ASSERT_EQUAL(mpr_process_exitcode(p, &code), 1);
        CU_ASSERT_EQUAL(code, -SIGTERM);
        mpr_process_free(p);
        unlink(path);
    }
    mpr__forkserver_stop();
}

static void test_process_active_children_lists_and_reaps(void)
{
    mpr_process_t *p = make("sleep", 0, NULL), **list = NULL;

    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    CU_ASSERT_EQUAL(mpr_active_children(&list), 1);
    CU_ASSERT_PTR_EQUAL(list[0], p);
    mpr_free(list);
    mpr_process_kill(p);
    mpr_sleep(0.3 / mpr_time_scale());
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
    CU_ASSERT_TRUE(strstr(repr_of(p), "stopped exitcode=-SIGKILL>") != NULL);
    mpr_process_free(p);
    unlink(path);
}

static void test_process_sentinel_readable_after_end(void)
{
    mpr_process_t *p = make("sleep", 0, NULL);
    int fd;
    struct timespec ts = {0, 100000000};

    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    fd = mpr_process_sentinel(p);
    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT_EQUAL(fcntl(fd, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    mpr_process_terminate(p);
    nanosleep(&ts, NULL);
    char c;
    CU_ASSERT_EQUAL(read(fd, &c, 1), 0); /* EOF: the child is gone */
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    mpr_process_free(p);
    unlink(path);
}

/* ---- in the child -------------------------------------------------- */

static void test_process_child_sees_itself_and_parent(void)
{
    char want[256];

    global_value = 2;
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p = make("info", 0, methods[m]);
        int code;
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_EQUAL(code, 0);
        const char *r = result();
        snprintf(want, sizeof(want), "name %s\n", mpr_process_name(p));
        CU_ASSERT_TRUE(strstr(r, want) != NULL);
        CU_ASSERT_TRUE(strstr(r, "parent_pid_ok 1\n") != NULL);
        CU_ASSERT_TRUE(strstr(r, "parent_alive 1\n") != NULL);
        CU_ASSERT_TRUE(strstr(r, "alive_self 1\n") != NULL);
        CU_ASSERT_TRUE(strstr(r, "nargs 3 nkw 0\n") != NULL);
        CU_ASSERT_TRUE(strstr(r, "stdin 0\n") != NULL);
        snprintf(want, sizeof(want), "method %s\n", methods[m]);
        CU_ASSERT_TRUE(strstr(r, want) != NULL);
        /* fork copies the parent's memory; spawn and forkserver start
         * from the program's initial state. */
        CU_ASSERT_TRUE(strstr(r, m == 0 ? "global 2\n" : "global 1\n") != NULL);
        snprintf(want, sizeof(want), "self <%s name='%s' parent=%d started>\n",
                 mpr_process_type_name(p), mpr_process_name(p), (int)getpid());
        CU_ASSERT_TRUE(strstr(r, want) != NULL);
        CU_ASSERT_TRUE(strstr(r, "parent <_ParentProcess name='MainProcess' "
                                 "parent=None unknown>\n") != NULL);
        mpr_process_free(p);
    }
    global_value = 1;
    mpr__forkserver_stop();
}

static void test_process_nested_names(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p = make("grandchild", 0, methods[m]);
        char want[128];
        int code;
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        const char *r = result();
        /* The grandchild is a plain Process: "Process-N:2". */
        snprintf(want, sizeof(want), "grandchild Process-%d:2\n", number_of(p));
        CU_ASSERT_TRUE(strstr(r, want) != NULL);
        snprintf(want, sizeof(want),
                 "parent <_ParentProcess name='%s' "
                 "parent=None unknown>\n",
                 mpr_process_name(p));
        CU_ASSERT_TRUE(strstr(r, want) != NULL);
        mpr_process_free(p);
    }
    mpr__forkserver_stop();
}

static void test_process_daemonic_child_cannot_start_children(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p = make("start_child", 0, methods[m]);
        int code;
        mpr_process_set_daemon(p, 1);
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        const char *r = result();
        CU_ASSERT_TRUE(strstr(r, "daemon_of_new 1\n") != NULL);
        CU_ASSERT_TRUE(strstr(r, "start 1 daemonic processes are not "
                                 "allowed to have children\n") != NULL);
        mpr_process_free(p);
    }
    mpr__forkserver_stop();
}

static void test_process_subclass_run_override(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p;
        mpr_obj_t *a = mkargs("x", 0);
        mpr_process_options_t o = {.type_name = "MyProcess",
                                   .run = my_run,
                                   .args = a,
                                   .context = methods[m]};
        char want[128];
        int code;
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        snprintf(want, sizeof(want), "run MyProcess %s\n", mpr_process_name(p));
        CU_ASSERT_STRING_EQUAL(result(), want);
        mpr_process_free(p);
        mpr_obj_decref(a);
    }
    mpr__forkserver_stop();
}

static int unregistered(mpr_obj_t *a, mpr_obj_t *k)
{
    (void)a, (void)k;
    return 0;
}

static void test_process_spawn_unregistered_target_is_pickling_error(void)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = unregistered, .context = "spawn"};

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(mpr_process_start(p), MPR_EPICKLE);
    CU_ASSERT_TRUE(strstr(repr_of(p), " initial>") != NULL);
    mpr_process_free(p);
}

/* ---- start methods, exit handler, scale ---------------------------- */

static void test_process_start_method_contexts(void)
{
    const char *m = NULL;

    CU_ASSERT_EQUAL(mpr_set_start_method("spawn", 1), 0);
    CU_ASSERT_STRING_EQUAL(mpr_get_start_method(), "spawn");
    CU_ASSERT_EQUAL(mpr_set_start_method("spawn", 0), MPR_ERUNTIME);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "context has already been set");
    CU_ASSERT_EQUAL(mpr_set_start_method("bad", 1), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot find context for 'bad'");
    CU_ASSERT_EQUAL(mpr_set_start_method(NULL, 1), 0);
    CU_ASSERT_PTR_NULL(mpr_get_start_method_allow_none());
    CU_ASSERT_EQUAL(mpr_get_context("forkserver", &m), 0);
    CU_ASSERT_STRING_EQUAL(m, "forkserver");
    CU_ASSERT_PTR_NULL(mpr_get_start_method_allow_none());
    CU_ASSERT_EQUAL(mpr_get_context(NULL, &m), 0);
    CU_ASSERT_PTR_NOT_NULL(mpr_get_start_method_allow_none());
    CU_ASSERT_EQUAL(mpr_set_start_method(NULL, 1), 0);
    size_t n;
    const char *const *all = mpr_get_all_start_methods(&n);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT_STRING_EQUAL(all[2], "forkserver");
    CU_ASSERT_EQUAL(mpr_cpu_count(), (int)sysconf(_SC_NPROCESSORS_ONLN));
}

/* contexts as objects: get_context(m) is the same concrete object each
 * time, its get_context() is itself, its set_start_method always raises;
 * the default context's get_context() resolves to a concrete one */
static void test_process_context_objects(void)
{
    mpr_context_t *mp = mpr_default_context(), *fork, *spawn, *c;

    CU_ASSERT_EQUAL(mpr_set_start_method(NULL, 1), 0);
    CU_ASSERT_STRING_EQUAL(mpr_context_type_name(mp), "DefaultContext");
    CU_ASSERT_PTR_NULL(mpr_context_method(mp));
    CU_ASSERT_PTR_NULL(mpr_context_get_start_method(mp, 1));
    CU_ASSERT_EQUAL_FATAL(mpr_context_get_context(mp, "fork", &fork), 0);
    CU_ASSERT_EQUAL_FATAL(mpr_context_get_context(mp, "spawn", &spawn), 0);
    CU_ASSERT_PTR_NULL(mpr_context_get_start_method(mp, 1)); /* not fixed */
    CU_ASSERT_PTR_NOT_EQUAL(fork, spawn);
    CU_ASSERT_EQUAL(mpr_context_get_context(mp, "fork", &c), 0);
    CU_ASSERT_PTR_EQUAL(c, fork);
    CU_ASSERT_EQUAL(mpr_context_get_context(spawn, NULL, &c), 0);
    CU_ASSERT_PTR_EQUAL(c, spawn);
    CU_ASSERT_EQUAL(mpr_context_get_context(spawn, "fork", &c), 0);
    CU_ASSERT_PTR_EQUAL(c, fork);
    CU_ASSERT_STRING_EQUAL(mpr_context_type_name(spawn), "SpawnContext");
    CU_ASSERT_STRING_EQUAL(mpr_context_method(spawn), "spawn");
    CU_ASSERT_STRING_EQUAL(mpr_context_get_start_method(spawn, 1), "spawn");
    CU_ASSERT_EQUAL(mpr_context_get_context(fork, "thread", &c), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot find context for 'thread'");
    CU_ASSERT_PTR_NULL(c);
    CU_ASSERT_EQUAL(mpr_context_set_start_method(fork, "fork", 1), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot set start method of concrete context");
    CU_ASSERT_EQUAL(mpr_context_set_start_method(spawn, NULL, 0), MPR_EVALUE);
    CU_ASSERT_PTR_NULL(mpr_get_start_method_allow_none()); /* unchanged */
    CU_ASSERT_EQUAL(mpr_context_set_start_method(mp, "spawn", 1), 0);
    CU_ASSERT_EQUAL(mpr_context_get_context(mp, NULL, &c), 0);
    CU_ASSERT_PTR_EQUAL(c, spawn);
    CU_ASSERT_EQUAL(mpr_context_set_start_method(mp, "fork", 0), MPR_ERUNTIME);
    CU_ASSERT_STRING_EQUAL(mpr_context_get_start_method(mp, 0), "spawn");
    CU_ASSERT_EQUAL(mpr_set_start_method(NULL, 1), 0);
}

/* Runs as a "main program" in a forked harness child: a daemon that
 * never ends and a non-daemon that writes, then exit(). */
static int exit_handler_program(void *arg)
{
    mpr_process_t *d, *n;
    char keep[64];

    strcpy(keep, path); /* the parent's file, for n */
    d = make("sleep", 0, arg);
    unlink(path);
    strcpy(path, keep);
    reuse_path = 1;
    n = make("info", 0, arg);
    mpr_process_set_daemon(d, 1);
    if (mpr_process_start(d) < 0 || mpr_process_start(n) < 0)
        return 3;
    exit(0); /* the exit handler terminates d and joins n */
}

static void test_process_exit_handler_terminates_daemons_joins_others(void)
{
    for (size_t m = 0; m < 3; m++) {
        double t0 = mpr_monotonic();
        mpr_obj_decref(mkargs("", 0)); /* the file the program reports to */
        CU_ASSERT_EQUAL(
            mprtest_run_child(exit_handler_program, (void *)methods[m], 20.0),
            0);
        CU_ASSERT(mpr_monotonic() - t0 < 10.0);
        /* n ran to its end: the exit handler joined it. */
        CU_ASSERT_TRUE(strstr(result(), "alive_self 1\n") != NULL);
    }
}

static void test_process_thousand_children_leave_nothing(void)
{
    for (int i = 0; i < 1000; i++) {
        mpr_process_t *p;
        int code = -1;
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, NULL), 0);
        CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        CU_ASSERT_EQUAL_FATAL(mpr_process_exitcode(p, &code), 1);
        CU_ASSERT_EQUAL_FATAL(code, 0);
        mpr_process_free(p);
    }
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
}

static void test_process_children_of_free_objects_are_still_joined(void)
{
    mpr_process_t *p = make("exit", 3, NULL), **list;

    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    mpr_process_free(p); /* the library keeps it until it is reaped */
    int n = mpr_active_children(&list);
    if (n == 1) {
        mpr_process_join(list[0], MPR_TIMEOUT_NONE);
        mpr_free(list);
    } else if (n == 0) {
        mpr_free(list);
    }
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
    unlink(path);
}

static void test_process_sibling_from_child_is_unknown(void)
{
    mpr_process_t *sib = make("sleep", 0, NULL), *p;
    char want[256];
    pid_t pid;

    CU_ASSERT_EQUAL_FATAL(mpr_process_start(sib), 0);
    unlink(path); /* sib reports nothing */
    mpr_process_pid(sib, &pid);
    mpr_obj_t *a = mkargs("sibling", 0);
    mpr_obj_t *a2 =
        mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(a, 0)),
                            mpr_obj_str("sibling"), mpr_obj_int((intptr_t)sib));
    mpr_process_options_t o = {.target = probe, .args = a2, .context = "fork"};
    int code;
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
    CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
    const char *r = result();
    snprintf(want, sizeof(want),
             "sibling <Process name='%s' pid=%d "
             "parent=%d unknown>\n",
             mpr_process_name(sib), (int)pid, (int)getpid());
    CU_ASSERT_TRUE(strstr(r, want) != NULL);
    CU_ASSERT_TRUE(strstr(r, "is_alive 1 can only test a child process\n") !=
                   NULL);
    mpr_process_kill(sib);
    mpr_process_join(sib, MPR_TIMEOUT_NONE);
    mpr_process_free(sib);
    mpr_process_free(p);
    mpr_obj_decref(a);
    mpr_obj_decref(a2);
}

static void test_process_pass_fds_reach_every_method(void)
{
    for (size_t m = 0; m < 3; m++) {
        int fds[2], code;
        char c = 0;
        mpr_process_t *p;
        CU_ASSERT_FATAL(pipe2(fds, O_CLOEXEC) == 0);
        mpr_obj_t *a = mkargs("write_fd", fds[1]);
        mpr_process_options_t o = {.target = probe,
                                   .args = a,
                                   .context = methods[m],
                                   .pass_fds = &fds[1],
                                   .n_pass_fds = 1};
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_STRING_EQUAL(result(), "write 1\n");
        CU_ASSERT_EQUAL(read(fds[0], &c, 1), 1);
        CU_ASSERT_EQUAL(c, 'x');
        close(fds[0]);
        close(fds[1]);
        mpr_process_free(p);
        mpr_obj_decref(a);
    }
    mpr__forkserver_stop();
}

static void test_process_name_not_utf8_reaches_the_child(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p;
        mpr_obj_t *a = mkargs("name_bytes", 0);
        mpr_process_options_t o = {.target = probe,
                                   .args = a,
                                   .context = methods[m],
                                   .name = "\xff-x"};
        int code;
        CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, &o), 0);
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_EQUAL(code, 0);
        CU_ASSERT_STRING_EQUAL(result(), "ff2d78\n");
        mpr_process_free(p);
        mpr_obj_decref(a);
    }
    mpr__forkserver_stop();
}

static void test_process_exit_msg_writes_stderr_and_exits_1(void)
{
    char tmpl[] = "/tmp/mpr-test-stderr-XXXXXX", buf[64] = "";
    int fd = mkstemp(tmpl), saved = dup(2), code = 0;

    CU_ASSERT_FATAL(fd >= 0 && saved >= 0);
    for (size_t m = 0; m < 3; m++) {
        fflush(stderr);
        dup2(fd, 2);
        code = exit_code_of("exit_msg", 0, methods[m]);
        dup2(saved, 2);
        CU_ASSERT_EQUAL(code, 1);
    }
    ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
    buf[n > 0 ? n : 0] = '\0';
    CU_ASSERT_STRING_EQUAL(buf, "bye\nbye\nbye\n");
    close(saved);
    close(fd);
    unlink(tmpl);
    mpr__forkserver_stop();
}

static void test_process_exit_obj_reads_the_code_as_bootstrap(void)
{
    /* None, True, False, 8, 2**40, 'msg', [1, 2] */
    static const int want[] = {0, 1, 0, 8, 1, 1, 1};
    char tmpl[] = "/tmp/mpr-test-stderr-XXXXXX", buf[128] = "";
    int fd = mkstemp(tmpl), saved = dup(2), code = 0;

    CU_ASSERT_FATAL(fd >= 0 && saved >= 0);
    for (size_t m = 0; m < 3; m++)
        for (int n = 0; n < 7; n++) {
            fflush(stderr);
            dup2(fd, 2);
            code = exit_code_of("exit_obj", n, methods[m]);
            dup2(saved, 2);
            CU_ASSERT_EQUAL(code, want[n]);
        }
    ssize_t r = pread(fd, buf, sizeof(buf) - 1, 0);
    buf[r > 0 ? r : 0] = '\0';
    CU_ASSERT_STRING_EQUAL(buf, "msg\n[1, 2]\nmsg\n[1, 2]\nmsg\n[1, 2]\n");
    close(saved);
    close(fd);
    unlink(tmpl);
    mpr__forkserver_stop();
}

static void test_process_child_waits_for_non_daemon_threads(void)
{
    /* the daemon thread would report after 30 s: run_to_end gives up
     * after 20 */
    each_method_reports("threads", "start 0 0\nlate\n");
}

static void test_process_set_executable_is_what_spawn_runs(void)
{
    char link[] = "/tmp/mpr-test-exe-XXXXXX", target[PATH_MAX], want[600];
    static char big[PATH_MAX + 1];
    char *self = realpath("/proc/self/exe", target);
    int code = -1;

    CU_ASSERT_FATAL(self != NULL && mkdtemp(link) != NULL);
    rmdir(link); /* its unique name for the link */
    CU_ASSERT_FATAL(symlink(self, link) == 0);
    snprintf(want, sizeof(want), "execfn %s\n", link);
    CU_ASSERT_EQUAL(mpr_set_executable(link), 0);
    /* spawn runs it; the forkserver, started now, runs it too and its
     * children are its forks */
    mpr__forkserver_stop();
    for (size_t m = 1; m < 3; m++) {
        mpr_process_t *p = make("execfn", 0, methods[m]);
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_EQUAL(code, 0);
        CU_ASSERT_STRING_EQUAL(result(), want);
        mpr_process_free(p);
    }
    mpr__forkserver_stop();
    /* a path that cannot run: start() fails with the exec's error */
    unlink(link);
    mpr_process_t *p = make("none", 0, "spawn");
    CU_ASSERT_EQUAL(mpr_process_start(p), -ENOENT);
    CU_ASSERT_PTR_NOT_NULL(strstr(repr_of(p), " initial>"));
    mpr_process_free(p);
    unlink(path);
    /* too long for a path: refused, the setting kept */
    memset(big, 'x', PATH_MAX);
    big[PATH_MAX] = '\0';
    CU_ASSERT_EQUAL(mpr_set_executable(big), -ENAMETOOLONG);
    p = make("none", 0, "spawn");
    CU_ASSERT_EQUAL(mpr_process_start(p), -ENOENT);
    mpr_process_free(p);
    unlink(path);
    /* NULL: this program again */
    CU_ASSERT_EQUAL(mpr_set_executable(NULL), 0);
    CU_ASSERT_EQUAL(exit_code_of("none", 0, "spawn"), 0);
    mpr__forkserver_stop();
}

static void test_process_forkserver_restarts_after_it_dies(void)
{
    pid_t server;

    CU_ASSERT_EQUAL(exit_code_of("exit", 4, "forkserver"), 4);
    server = mpr__forkserver_pid();
    CU_ASSERT_FATAL(server > 0);
    kill(server, SIGKILL);
    /* As CPython's test_forkserver_sigkill, give it time to die; the next
     * start notices, reaps it and starts another. */
    nanosleep(&(struct timespec){0, 200000000}, NULL);
    CU_ASSERT_EQUAL(exit_code_of("exit", 5, "forkserver"), 5);
    CU_ASSERT(mpr__forkserver_pid() > 0 && mpr__forkserver_pid() != server);
    mpr__forkserver_stop();
    CU_ASSERT_EQUAL(mpr__forkserver_pid(), -1);
}

static void test_process_spawn_while_bootstrapping_is_runtime_error(void)
{
    mpr_process_t *p;
    int code;

    /* What a spawn child that starts processes before mpr_main() sees. */
    mpr__bootstrapping = 1;
    for (size_t m = 1; m < 3; m++) {
        p = make("none", 0, methods[m]);
        CU_ASSERT_EQUAL(mpr_process_start(p), MPR_ERUNTIME);
        CU_ASSERT_NSTRING_EQUAL(mpr_last_error_detail(),
                                "\n        An attempt has been made to start "
                                "a new process before the\n",
                                67);
        CU_ASSERT_TRUE(strstr(repr_of(p), " initial>") != NULL);
        mpr_process_free(p);
        unlink(path);
    }
    /* fork needs no bootstrapping, as in CPython */
    CU_ASSERT_EQUAL(exit_code_of("none", 0, "fork"), 0);
    mpr__bootstrapping = 0;
    CU_ASSERT_EQUAL(exit_code_of("none", 0, "spawn"), 0);
    (void)code;
}

static pid_t failing_fork(void)
{
    errno = EAGAIN;
    return -1;
}

static int failing_pipe2(int fds[2], int flags)
{
    (void)fds, (void)flags;
    errno = EMFILE;
    return -1;
}

static void test_process_failed_fork_or_pipe_leaves_object_initial(void)
{
    for (size_t m = 0; m < 3; m++) {
        mpr_process_t *p = make("none", 0, methods[m]);
        int code;
        mpr__sys.fork = failing_fork;
        CU_ASSERT_EQUAL(mpr_process_start(p), -EAGAIN);
        mpr__sys_reset();
        CU_ASSERT_TRUE(strstr(repr_of(p), " initial>") != NULL);
        mpr__sys.pipe2 = failing_pipe2;
        CU_ASSERT_EQUAL(mpr_process_start(p), -EMFILE);
        mpr__sys_reset();
        CU_ASSERT_TRUE(strstr(repr_of(p), " initial>") != NULL);
        CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
        /* and it can still start */
        CU_ASSERT_EQUAL(run_to_end(p, &code), 0);
        CU_ASSERT_EQUAL(code, 0);
        mpr_process_free(p);
        unlink(path);
    }
    mpr__forkserver_stop();
}

static void *start_many(void *arg)
{
    intptr_t bad = 0;

    (void)arg;
    for (int i = 0; i < 50; i++) {
        mpr_process_t *p;
        int code = -1;
        if (mpr_process_new(&p, NULL) < 0 || mpr_process_start(p) < 0) {
            bad++;
            continue;
        }
        mpr_process_join(p, MPR_TIMEOUT_NONE);
        bad += mpr_process_exitcode(p, &code) != 1 || code != 0;
        mpr_process_free(p);
    }
    return (void *)bad;
}

static void test_process_threads_start_children_together(void)
{
    pthread_t t[4];
    void *bad;
    mpr_process_t *p;
    int first, last;

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, NULL), 0);
    first = number_of(p);
    mpr_process_free(p);
    for (int i = 0; i < 4; i++)
        CU_ASSERT_EQUAL_FATAL(pthread_create(&t[i], NULL, start_many, NULL), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], &bad);
        CU_ASSERT_PTR_NULL(bad);
    }
    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, NULL), 0);
    last = number_of(p);
    mpr_process_free(p);
    /* 200 constructions, each with its own number */
    CU_ASSERT_EQUAL(last - first, 201);
    CU_ASSERT_EQUAL(mpr_active_children(NULL), 0);
}

static void test_process_args_from_any_iterable(void)
{
    static const struct {
        const char *what, *repr;
    } want[] = {{"dict", "('a', 'b')"},
                {"str", "('\xc3\xa9', 'x')"},
                {"bytes", "(1, 255)"},
                {"float", NULL}};
    mpr_obj_t *d = mpr_obj_dict();

    mpr_obj_dict_set_steal(d, mpr_obj_str("a"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(d, mpr_obj_str("b"), mpr_obj_int(2));
    mpr_obj_t *in[] = {d, mpr_obj_str("\xc3\xa9x"),
                       mpr_obj_bytes("\x01\xff", 2), mpr_obj_float(1.5)};
    for (size_t i = 0; i < 4; i++) {
        mpr_process_t *p = NULL;
        mpr_process_options_t o = {.args = in[i]};
        char *r;
        int rc = mpr_process_new(&p, &o);
        if (want[i].repr == NULL) {
            CU_ASSERT_EQUAL(rc, MPR_ETYPE);
            CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                                   "'float' object is not iterable");
            continue;
        }
        CU_ASSERT_EQUAL_FATAL(rc, 0);
        CU_ASSERT_EQUAL_FATAL(mpr_obj_repr(mpr_process_args(p), &r, NULL), 0);
        CU_ASSERT_STRING_EQUAL(r, want[i].repr);
        mpr_free(r);
        /* kwargs=dict(d) copies */
        mpr_process_free(p);
    }
    for (size_t i = 0; i < 4; i++)
        mpr_obj_decref(in[i]);
}

static void test_process_authkey_set_and_inherited(void)
{
    mpr_process_t *p;
    size_t n;
    const unsigned char *k;

    CU_ASSERT_EQUAL_FATAL(mpr_process_new(&p, NULL), 0);
    CU_ASSERT_EQUAL(mpr_process_set_authkey(p, "abc", 3), 0);
    k = mpr_process_authkey(p, &n);
    CU_ASSERT(n == 3 && memcmp(k, "abc", 3) == 0);
    mpr_process_free(p);
}

static void test_process_target_registry_rejects_a_second_function(void)
{
    CU_ASSERT_EQUAL(mpr_target_register("probe", (void (*)(void))probe), 0);
    CU_ASSERT_EQUAL(mpr_target_register("probe", (void (*)(void))my_run),
                    MPR_EVALUE);
    CU_ASSERT_PTR_EQUAL(mpr__target_lookup("probe"), (void (*)(void))probe);
    CU_ASSERT_STRING_EQUAL(mpr__target_name((void (*)(void))my_run), "my_run");
    CU_ASSERT_PTR_NULL(mpr__target_lookup("nothing"));
}

static char order[16];

static void note(void *arg)
{
    strncat(order, arg, sizeof(order) - strlen(order) - 1);
}

static void test_process_finalizers_run_by_priority(void)
{
    order[0] = '\0';
    long a = mpr__finalize_register(0, note, "a");
    long b = mpr__finalize_register(10, note, "b");
    long c = mpr__finalize_register(-5, note, "c");
    long d = mpr__finalize_register(10, note, "d");
    long e = mpr__finalize_register(3, note, "e");
    CU_ASSERT(a > 0 && b > a && c > b && d > c && e > d);
    mpr__finalize_cancel(e);
    mpr__finalize_run(a); /* early, once */
    mpr__finalize_run(a);
    CU_ASSERT_STRING_EQUAL(order, "a");
    mpr__finalize_run_all(0); /* >= 0, highest first, later first */
    CU_ASSERT_STRING_EQUAL(order, "adb");
    mpr__finalize_run_all(INT_MIN);
    CU_ASSERT_STRING_EQUAL(order, "adbc");
}

/* ---- a spawned child reading a bad description -------------------- */

static int desc_fd, desc_err;

static int child_reads_description(void *arg)
{
    (void)arg;
    dup2(desc_err, 2);
    close(desc_err);
    mpr__spawn_child_main(desc_fd, 0);
}

/* Runs a child reading data (len bytes) as its description; returns its
 * exit code and what it wrote to stderr in err. */
static int run_description(const void *data, size_t len, char *err,
                           size_t errsize)
{
    int d[2], e[2], code;
    ssize_t n;
    pid_t pid;

    if (pipe2(d, O_CLOEXEC) < 0 || pipe2(e, O_CLOEXEC) < 0)
        return -1000;
    if (len > 0 && write(d[1], data, len) != (ssize_t)len)
        return -1001;
    close(d[1]);
    desc_fd = d[0];
    desc_err = e[1];
    pid = mprtest_fork(child_reads_description, NULL);
    close(d[0]);
    close(e[1]);
    code = mprtest_wait(pid, 10);
    n = read(e[0], err, errsize - 1);
    err[n > 0 ? n : 0] = '\0';
    close(e[0]);
    return code;
}

/* A description with its length header in front. */
static int run_pickled_description(const mpr_obj_t *d, char *err,
                                   size_t errsize)
{
    char *pk = NULL, *buf;
    size_t n = 0;
    int code = -1002;

    if (mpr_pickle_dumps(d, 4, &pk, &n) == 0 && (buf = malloc(n + 4))) {
        buf[0] = (char)(n >> 24), buf[1] = (char)(n >> 16);
        buf[2] = (char)(n >> 8), buf[3] = (char)n;
        memcpy(buf + 4, pk, n);
        code = run_description(buf, n + 4, err, errsize);
        free(buf);
    }
    mpr_free(pk);
    return code;
}

/* The child of a spawn reads its description from the parent; when the
 * parent died before sending it all, or the program is not the one that
 * made it (a target it does not register, a field missing), the child
 * says so on stderr and exits with 1 instead of running anything. */
/* set_forkserver_preload: a NULL name is the TypeError of a non-str and
 * changes nothing; a module that does not load is skipped, as the
 * forkserver ignores an ImportError, and the server it starts serves. */
static void test_process_forkserver_preload_list(void)
{
    const char *bad[] = {"x", NULL};
    const char *missing[] = {"/nonexistent/mpr-no-such-module.so"};
    mpr_context_t *ctx;

    mpr__forkserver_stop();
    CU_ASSERT_EQUAL(mpr_set_forkserver_preload(bad, 2), MPR_ETYPE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "module_names must be a list of strings");
    CU_ASSERT_EQUAL_FATAL(
        mpr_context_get_context(mpr_default_context(), "spawn", &ctx), 0);
    CU_ASSERT_EQUAL(mpr_context_set_forkserver_preload(ctx, missing, 1), 0);
    CU_ASSERT_EQUAL(exit_code_of("exit", 6, "forkserver"), 6);
    mpr__forkserver_stop();
    CU_ASSERT_EQUAL(mpr_set_forkserver_preload(NULL, 0), 0);
}

static void test_process_spawn_child_refuses_bad_descriptions(void)
{
    static const char why[] =
        "libmpref: could not read the process description\n";
    char err[512];
    mpr_obj_t *d, *one = mpr_obj_int(1);

    CU_ASSERT_EQUAL(run_description("", 0, err, sizeof(err)), 1);
    CU_ASSERT_STRING_EQUAL(err, why);
    CU_ASSERT_EQUAL(run_description("\0\0\0\x64"
                                    "abc",
                                    7, err, sizeof(err)),
                    1);
    CU_ASSERT_STRING_EQUAL(err, why);
    CU_ASSERT_EQUAL(run_pickled_description(one, err, sizeof(err)), 1);
    CU_ASSERT_STRING_EQUAL(err, why);
    d = mpr_obj_dict();
    mpr_obj_dict_set_steal(d, mpr_obj_str("name"), mpr_obj_bytes("n", 1));
    mpr_obj_dict_set_steal(d, mpr_obj_str("type"), mpr_obj_bytes("P", 1));
    mpr_obj_dict_set_steal(d, mpr_obj_str("parent_name"),
                           mpr_obj_bytes("M", 1));
    mpr_obj_dict_set_steal(d, mpr_obj_str("args"), mpr_obj_tuple(0));
    mpr_obj_dict_set_steal(d, mpr_obj_str("kwargs"), mpr_obj_dict());
    mpr_obj_dict_set_steal(d, mpr_obj_str("start_method"),
                           mpr_obj_str("spawn"));
    /* no authkey */
    CU_ASSERT_EQUAL(run_pickled_description(d, err, sizeof(err)), 1);
    CU_ASSERT_STRING_EQUAL(err, why);
    mpr_obj_dict_set_steal(d, mpr_obj_str("authkey"), mpr_obj_bytes("k", 1));
    mpr_obj_dict_set_steal(d, mpr_obj_str("target"), mpr_obj_str("nosuch"));
    CU_ASSERT_EQUAL(run_pickled_description(d, err, sizeof(err)), 1);
    CU_ASSERT_STRING_EQUAL(err,
                           "libmpref: this program has no target registered "
                           "as 'nosuch'\n"
                           "libmpref: could not read the process "
                           "description\n");
    mpr_obj_decref(d);
    mpr_obj_decref(one);
}

int mprtest_register(CU_pSuite s)
{
#define ADD(fn, d) MPRTEST_ADD(s, fn, d)
    ADD(test_process_forkserver_preload_list,
        "set_forkserver_preload: a NULL name is TypeError; a module that "
        "does not load is skipped");
    ADD(test_process_initial_state_and_repr,
        "a new process is initial: no pid, no exitcode, not alive");
    ADD(test_process_every_construction_takes_a_number,
        "names count every construction, failed ones and subclasses too");
    ADD(test_process_names_explicit_empty_and_set,
        "an explicit name is kept, an empty one gives the default");
    ADD(test_process_repr_quotes_names_like_python,
        "repr quotes and escapes names as Python's repr(str) does");
    ADD(test_process_repr_escapes_non_utf8_names,
        "non-UTF-8 names: \\udcXX per bad byte, valid characters kept");
    ADD(test_process_kwargs_conversion_errors_and_fd_limit,
        "kwargs pairs of the wrong length, unhashable keys, dict copies; "
        "too many fds");
    ADD(test_process_parent_join_times_out_while_parent_lives,
        "parent_process().join(timeout) times out while the parent lives");
    ADD(test_process_spawn_child_refuses_bad_descriptions,
        "a spawn child given a cut or foreign description exits 1 and says "
        "why");
    ADD(test_process_main_process_repr_and_attributes,
        "the main process is _MainProcess, started, no parent");
    ADD(test_process_args_are_converted_like_tuple_and_dict,
        "args go through tuple() and kwargs through dict()");
    ADD(test_process_lifecycle_reprs_each_state,
        "repr in the started, stopped by signal and closed states");
    ADD(test_process_start_twice_is_assertion_error,
        "start twice raises AssertionError");
    ADD(test_process_join_before_start_is_assertion_error,
        "join before start raises AssertionError");
    ADD(test_process_daemon_after_start_is_assertion_error,
        "daemon set after start raises AssertionError");
    ADD(test_process_signal_before_start_is_attribute_error,
        "terminate/kill before start raise AttributeError");
    ADD(test_process_close_rules,
        "close while running is ValueError, then everything but name");
    ADD(test_process_run_in_caller_then_after_start,
        "run() runs in the caller; after start it has no target");
    ADD(test_process_exit_codes,
        "exit codes 0, N, N & 0xff, -SIGSEGV, -SIGUSR1 in every method");
    ADD(test_process_failing_target_exits_1_with_report,
        "a failing target exits 1 and reports on stderr");
    ADD(test_process_signal_names_in_repr,
        "signal exit codes print with CPython's names, plain numbers");
    ADD(test_process_join_timeout_then_terminate,
        "join with a timeout returns, terminate ends the child");
    ADD(test_process_active_children_lists_and_reaps,
        "active_children lists running children and reaps ended ones");
    ADD(test_process_sentinel_readable_after_end,
        "the sentinel is close-on-exec and reads EOF after the end");
    ADD(test_process_child_sees_itself_and_parent,
        "a child sees its name, its parent, /dev/null stdin, its method");
    ADD(test_process_nested_names, "a child's children are named Process-N:M");
    ADD(test_process_daemonic_child_cannot_start_children,
        "a daemonic child cannot start children");
    ADD(test_process_subclass_run_override,
        "a subclass's run override runs in the child, any method");
    ADD(test_process_spawn_unregistered_target_is_pickling_error,
        "spawn of an unregistered target fails, the object stays initial");
    ADD(test_process_start_method_contexts,
        "set_start_method/get_context follow CPython's rules");
    ADD(test_process_context_objects,
        "contexts as objects: get_context(m) is one object, its "
        "get_context() is itself, set_start_method raises");
    ADD(test_process_exit_handler_terminates_daemons_joins_others,
        "at exit daemons are terminated and others joined");
    ADD(test_process_thousand_children_leave_nothing,
        "1000 children started and joined leave nothing behind");
    ADD(test_process_children_of_free_objects_are_still_joined,
        "a freed object's child is still reaped");
    ADD(test_process_sibling_from_child_is_unknown,
        "a sibling seen from a child is unknown and cannot be tested");
    ADD(test_process_pass_fds_reach_every_method,
        "pass_fds reach the child under every method");
    ADD(test_process_name_not_utf8_reaches_the_child,
        "a name that is not UTF-8 reaches the child byte for byte");
    ADD(test_process_exit_msg_writes_stderr_and_exits_1,
        "sys.exit(msg) writes msg to stderr and exits 1");
    ADD(test_process_exit_obj_reads_the_code_as_bootstrap,
        "sys.exit(obj): None 0, an int or bool itself, else str on stderr, 1");
    ADD(test_process_child_waits_for_non_daemon_threads,
        "a child waits for its non-daemon threads, not its daemon ones");
    ADD(test_process_set_executable_is_what_spawn_runs,
        "set_executable names the program spawn and the forkserver run");
    ADD(test_process_forkserver_restarts_after_it_dies,
        "a dead forkserver is replaced at the next start");
    ADD(test_process_spawn_while_bootstrapping_is_runtime_error,
        "spawn before mpr_main in a spawned child is RuntimeError");
    ADD(test_process_failed_fork_or_pipe_leaves_object_initial,
        "a failed fork or pipe leaves the object initial, nothing leaked");
    ADD(test_process_threads_start_children_together,
        "threads start children at once; numbers stay unique");
    ADD(test_process_args_from_any_iterable,
        "args from a dict, str or bytes iterate; a float is TypeError");
    ADD(test_process_authkey_set_and_inherited, "authkey can be set");
    ADD(test_process_target_registry_rejects_a_second_function,
        "a target name maps to one function");
    ADD(test_process_finalizers_run_by_priority,
        "finalizers run by priority, later first among equals, once");
#undef ADD
    return 0;
}
