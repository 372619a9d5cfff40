/*
 * test-error.c - the error table: every code maps to its Python class and
 * CPython's message; OS errors map to OSError subclasses; the per-thread
 * detail; formatting as a traceback's last line.
 */
#include "mpr/error.h"
#include "base/internal.h"
#include "mprtest.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *mprtest_suite_name = "error";

static void test_error_library_codes_map_to_python_classes(void)
{
    static const struct {
        int code;
        const char *pytype, *msg, *name;
    } rows[] = {
        {MPR_EVALUE, "ValueError", "invalid value", "MPR_EVALUE"},
        {MPR_EEOF, "EOFError", "", "MPR_EEOF"},
        {MPR_EEMPTY, "_queue.Empty", "", "MPR_EEMPTY"},
        {MPR_EFULL, "queue.Full", "", "MPR_EFULL"},
        {MPR_EBROKENBARRIER, "threading.BrokenBarrierError", "",
         "MPR_EBROKENBARRIER"},
        {MPR_ETIMEOUT, "multiprocessing.context.TimeoutError", "",
         "MPR_ETIMEOUT"},
        {MPR_EASSERT, "AssertionError", "", "MPR_EASSERT"},
        {MPR_ECLOSED, "OSError", "handle is closed", "MPR_ECLOSED"},
        {MPR_EBADLEN, "OSError", "bad message length", "MPR_EBADLEN"},
        {MPR_EREADONLY, "OSError", "connection is read-only", "MPR_EREADONLY"},
        {MPR_EWRITEONLY, "OSError", "connection is write-only",
         "MPR_EWRITEONLY"},
        {MPR_EBUFTOOSHORT, "multiprocessing.context.BufferTooShort", "",
         "MPR_EBUFTOOSHORT"},
        {MPR_EAUTH, "multiprocessing.context.AuthenticationError",
         "digest sent was rejected", "MPR_EAUTH"},
        {MPR_EREMOTE, "multiprocessing.managers.RemoteError", "",
         "MPR_EREMOTE"},
        {MPR_EUNPICKLE, "_pickle.UnpicklingError", "", "MPR_EUNPICKLE"},
        {MPR_EPICKLE, "_pickle.PicklingError", "", "MPR_EPICKLE"},
        {MPR_ETYPE, "TypeError", "", "MPR_ETYPE"},
        {MPR_EKEY, "KeyError", "", "MPR_EKEY"},
        {MPR_EINDEX, "IndexError", "", "MPR_EINDEX"},
        {MPR_EOVERFLOW, "OverflowError", "", "MPR_EOVERFLOW"},
        {MPR_ENOTIMPL, "NotImplementedError", "", "MPR_ENOTIMPL"},
        {MPR_EATTR, "AttributeError", "", "MPR_EATTR"},
        {MPR_ERUNTIME, "RuntimeError", "", "MPR_ERUNTIME"},
        {MPR_ENOMEMORY, "MemoryError", "", "MPR_ENOMEMORY"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_STRING_EQUAL(mpr_err_pytype(rows[i].code), rows[i].pytype);
        CU_ASSERT_STRING_EQUAL(mpr_strerror(rows[i].code), rows[i].msg);
        CU_ASSERT_STRING_EQUAL(mpr_err_name(rows[i].code), rows[i].name);
        CU_ASSERT(rows[i].code <= -1000 && rows[i].code >= MPR_ERRNO_FIRST);
    }
}

static void test_error_codes_are_distinct(void)
{
    static const int codes[] = {
#define XX(name, value, pytype, msg) MPR_##name,
        MPR_ERRNO_MAP(XX)
#undef XX
    };
    size_t n = sizeof(codes) / sizeof(codes[0]);

    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            CU_ASSERT(codes[i] != codes[j]);
}

static void test_error_os_errors_map_to_oserror_subclasses(void)
{
    static const struct {
        int e;
        const char *pytype;
    } rows[] = {
        {EPIPE, "BrokenPipeError"},
        {EEXIST, "FileExistsError"},
        {ECONNRESET, "ConnectionResetError"},
        {ETIMEDOUT, "TimeoutError"},
        {ENOMEM, "MemoryError"},
        {EAGAIN, "BlockingIOError"},
        {ECHILD, "ChildProcessError"},
        {ENOENT, "FileNotFoundError"},
        {EINTR, "InterruptedError"},
        {EACCES, "PermissionError"},
        {EPERM, "PermissionError"},
        {ESRCH, "ProcessLookupError"},
        {EINVAL, "OSError"},
        {EBADF, "OSError"},
        {ECONNREFUSED, "ConnectionRefusedError"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR__ERR(rows[i].e)),
                               rows[i].pytype);
    CU_ASSERT_STRING_EQUAL(mpr_strerror(-EPIPE), "[Errno 32] Broken pipe");
    CU_ASSERT_STRING_EQUAL(mpr_strerror(-EINVAL),
                           "[Errno 22] Invalid argument");
    CU_ASSERT_STRING_EQUAL(mpr_err_name(-EPIPE), "EPIPE");
}

/* The rest of CPython's errno map (Objects/exceptions.c), as
 * type(OSError(errno.X, '')).__name__ prints it in /usr/bin/python3; an
 * errno Linux does not name is "UNKNOWN", a positive code is no OS error. */
static void test_error_every_errno_of_cpythons_map(void)
{
    static const struct {
        int e;
        const char *pytype, *name;
    } rows[] = {
        {EALREADY, "BlockingIOError", "EALREADY"},
        {EINPROGRESS, "BlockingIOError", "EINPROGRESS"},
        {ESHUTDOWN, "BrokenPipeError", "ESHUTDOWN"},
        {ECONNABORTED, "ConnectionAbortedError", "ECONNABORTED"},
        {EISDIR, "IsADirectoryError", "EISDIR"},
        {ENOTDIR, "NotADirectoryError", "ENOTDIR"},
    };

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR__ERR(rows[i].e)),
                               rows[i].pytype);
        CU_ASSERT_STRING_EQUAL(mpr_err_name(MPR__ERR(rows[i].e)), rows[i].name);
    }
    CU_ASSERT_STRING_EQUAL(mpr_err_name(-999), "UNKNOWN");
    CU_ASSERT_STRING_EQUAL(mpr_err_name(5), "UNKNOWN");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(5), "SystemError");
}

static void test_error_zero_and_unknown_codes(void)
{
    CU_ASSERT_STRING_EQUAL(mpr_strerror(0), "");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(0), "");
    CU_ASSERT_STRING_EQUAL(mpr_strerror(-1098), "unknown error -1098");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(-1098), "SystemError");
    CU_ASSERT_STRING_EQUAL(mpr_err_name(-5000), "UNKNOWN");
}

static void test_error_detail_holds_cpython_message(void)
{
    char buf[128];

    CU_ASSERT_EQUAL(mpr__error(MPR_EASSERT, "cannot start a process twice"),
                    MPR_EASSERT);
    CU_ASSERT_EQUAL(mpr_last_error(), MPR_EASSERT);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "cannot start a process twice");
    mpr_err_format(MPR_EASSERT, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "AssertionError: cannot start a process twice");
    /* A call that sets no detail falls back to the table's message. */
    mpr__error(MPR_ECLOSED, NULL);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "handle is closed");
    mpr_err_format(MPR_ECLOSED, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "OSError: handle is closed");
}

static void test_error_format_without_message_has_no_colon(void)
{
    char buf[64];

    mpr__error(MPR_EEOF, NULL);
    CU_ASSERT_EQUAL(mpr_err_format(MPR_EEOF, buf, sizeof(buf)), 8);
    CU_ASSERT_STRING_EQUAL(buf, "EOFError");
    mpr_err_format(MPR_EEMPTY, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "_queue.Empty");
    mpr_err_format(-EPIPE, buf, sizeof(buf));
    CU_ASSERT_STRING_EQUAL(buf, "BrokenPipeError: [Errno 32] Broken pipe");
    /* Truncation reports the full length, as snprintf does. */
    CU_ASSERT_EQUAL(mpr_err_format(-EPIPE, buf, 4), 39);
    CU_ASSERT_STRING_EQUAL(buf, "Bro");
}

static void *other_thread(void *arg)
{
    (void)arg;
    mpr__error(MPR_EVALUE, "from another thread");
    return NULL;
}

static void test_error_detail_is_per_thread(void)
{
    pthread_t t;

    mpr__error(MPR_EKEY, "'k'");
    CU_ASSERT_EQUAL(pthread_create(&t, NULL, other_thread, NULL), 0);
    pthread_join(t, NULL);
    CU_ASSERT_EQUAL(mpr_last_error(), MPR_EKEY);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "'k'");
}

/* A thread that ends with a long message: its buffer is freed then (ASan
 * and valgrind would report it otherwise). */
static void *long_in_thread(void *arg)
{
    mpr__error(MPR_EVALUE, "%s", (const char *)arg);
    return strlen(mpr_last_error_detail()) == strlen(arg) ? arg : NULL;
}

static void *failing_malloc(size_t n)
{
    (void)n;
    errno = ENOMEM;
    return NULL;
}

/* Any length is kept (a worker's 1 MiB exception, test_map_no_failfast);
 * a message may be formatted from the current one; only a failed
 * allocation cuts it to 1023 bytes. */
static void test_error_detail_of_any_length(void)
{
    size_t big = 1024 * 1024;
    char *x = malloc(big + 1);
    void *(*saved)(size_t) = mpr__sys.malloc;
    pthread_t t;
    void *ret = NULL;

    if (x == NULL) { /* not _FATAL: the compiler must see x is not NULL */
        CU_FAIL("malloc");
        return;
    }
    memset(x, 'x', big);
    x[big] = '\0';
    CU_ASSERT_EQUAL(mpr__error(MPR_EVALUE, "%s", x), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), x);
    /* from itself, long to longer and long to short */
    mpr__error(MPR_ERUNTIME, "%s!", mpr_last_error_detail());
    CU_ASSERT_EQUAL(strlen(mpr_last_error_detail()), big + 1);
    CU_ASSERT_EQUAL(mpr_last_error_detail()[big], '!');
    mpr__error(MPR_ERUNTIME, "%.3s", mpr_last_error_detail());
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "xxx");
    mpr__error(MPR_EKEY, NULL);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), mpr_strerror(MPR_EKEY));
    CU_ASSERT_EQUAL(pthread_create(&t, NULL, long_in_thread, x), 0);
    pthread_join(t, &ret);
    CU_ASSERT_PTR_EQUAL(ret, x);
    mpr__sys.malloc = failing_malloc;
    mpr__error(MPR_EVALUE, "%s", x);
    mpr__sys.malloc = saved;
    CU_ASSERT_EQUAL(strlen(mpr_last_error_detail()), 1023);
    mpr__error(MPR_EVALUE, "short");
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "short");
    free(x);
}

/* class SayWhenError(ValueError): codes from -1100 down, in order; the
 * same name gives the same code; its name is its type */
static void test_error_program_exception_classes(void)
{
    int a = mpr_exception_register("FirstError");
    int b = mpr_exception_register("SecondError");

    CU_ASSERT(a <= MPR_EUSER_FIRST && a > MPR_EUSER_FIRST - MPR_EUSER_MAX);
    CU_ASSERT_EQUAL(b, a - 1);
    CU_ASSERT_EQUAL(mpr_exception_register("FirstError"), a);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(b), "SecondError");
    CU_ASSERT_STRING_EQUAL(mpr_err_name(b), "SecondError");
    CU_ASSERT_STRING_EQUAL(mpr_strerror(b), "");
    mpr__error(b, "Somebody said when");
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "Somebody said when");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(b - 1), "SystemError"); /* none */
    for (int i = 0; i < MPR_EUSER_MAX; i++) {
        char name[32];
        snprintf(name, sizeof(name), "Error%d", i);
        if (mpr_exception_register(name) > MPR_EUSER_FIRST) /* an error */
            break;
    }
    CU_ASSERT_EQUAL(mpr_exception_register("OneTooMany"), MPR_EOVERFLOW);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "too many exception classes");
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(MPR_EUSER_FIRST - MPR_EUSER_MAX + 1),
                           "Error97");
}

static void test_error_oserror_takes_errno(void)
{
    errno = ECONNRESET;
    CU_ASSERT_EQUAL(mpr__oserror(), -ECONNRESET);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(mpr_last_error()),
                           "ConnectionResetError");
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_error_library_codes_map_to_python_classes,
                "every library code maps to its Python class and message");
    MPRTEST_ADD(s, test_error_codes_are_distinct,
                "library codes are distinct and in -1000..-1099");
    MPRTEST_ADD(s, test_error_os_errors_map_to_oserror_subclasses,
                "-errno maps to the OSError subclass CPython raises");
    MPRTEST_ADD(s, test_error_every_errno_of_cpythons_map,
                "EALREADY..ENOTDIR map to CPython's OSError subclasses");
    MPRTEST_ADD(s, test_error_zero_and_unknown_codes,
                "0 and out-of-range codes have defined texts");
    MPRTEST_ADD(s, test_error_detail_holds_cpython_message,
                "the last error's detail holds CPython's exact message");
    MPRTEST_ADD(s, test_error_format_without_message_has_no_colon,
                "formatting matches a traceback's last line");
    MPRTEST_ADD(s, test_error_detail_is_per_thread,
                "the last error is kept per thread");
    MPRTEST_ADD(s, test_error_detail_of_any_length,
                "a detail of any length is kept, also formatted from itself");
    MPRTEST_ADD(s, test_error_program_exception_classes,
                "a program's own exception classes get codes and names");
    MPRTEST_ADD(s, test_error_oserror_takes_errno,
                "mpr__oserror turns errno into -errno");
    return 0;
}
