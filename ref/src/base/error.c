/*
 * error.c - the error table's functions, and the one place where errno
 * becomes a libmpref code (STYLE.md C.7).
 *
 * The per-thread last error: the code of the last failing call and, when
 * that call set one, CPython's exact message for it, of any length (a
 * worker's exception may carry a 1 MiB message, as CPython's
 * test_map_no_failfast raises).
 */
#include "mpr/error.h"
#include "base/internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A message up to this long stays in the thread's own buffer; a longer
 * one goes to the heap (long_detail). */
#define DETAIL_MAX 1024

static _Thread_local int last_code;
static _Thread_local char last_detail[DETAIL_MAX];
static _Thread_local char *long_detail; /* NULL: last_detail holds it */
static _Thread_local int last_has_detail;
static _Thread_local char os_message[128];

/* Frees a thread's long message when the thread ends; the main thread's
 * stays reachable through its thread-local pointer until exit. */
static pthread_key_t long_key;
static pthread_once_t long_once = PTHREAD_ONCE_INIT;

static void make_long_key(void)
{
    pthread_key_create(&long_key, free);
}

typedef struct {
    int code;
    const char *name;
    const char *pytype;
    const char *message;
} table_row_t;

static const table_row_t table[] = {
#define XX(name, value, pytype, msg) {value, "MPR_" #name, pytype, msg},
    MPR_ERRNO_MAP(XX)
#undef XX
};

/* The program's own exception classes (mpr_exception_register): row i
 * has code MPR_EUSER_FIRST - i.  Written before main, read after. */
static table_row_t user_rows[MPR_EUSER_MAX];
static size_t n_user_rows;
static pthread_mutex_t user_lock = PTHREAD_MUTEX_INITIALIZER;

static const table_row_t *find_row(int code)
{
    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
        if (table[i].code == code)
            return &table[i];
    if (code <= MPR_EUSER_FIRST && code > MPR_EUSER_FIRST - MPR_EUSER_MAX) {
        size_t i = (size_t)(MPR_EUSER_FIRST - code);
        const table_row_t *row = NULL;

        pthread_mutex_lock(&user_lock);
        if (i < n_user_rows)
            row = &user_rows[i];
        pthread_mutex_unlock(&user_lock);
        return row;
    }
    return NULL;
}

int mpr_exception_register(const char *name)
{
    char *copy;
    int code;

    pthread_mutex_lock(&user_lock);
    for (size_t i = 0; i < n_user_rows; i++)
        if (strcmp(user_rows[i].pytype, name) == 0) {
            pthread_mutex_unlock(&user_lock);
            return user_rows[i].code;
        }
    if (n_user_rows == MPR_EUSER_MAX) {
        pthread_mutex_unlock(&user_lock);
        return mpr__error(MPR_EOVERFLOW, "too many exception classes");
    }
    if ((copy = mpr__strdup(name)) == NULL) {
        pthread_mutex_unlock(&user_lock);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    code = MPR_EUSER_FIRST - (int)n_user_rows;
    user_rows[n_user_rows++] = (table_row_t){code, copy, copy, ""};
    pthread_mutex_unlock(&user_lock);
    return code;
}

/* CPython's errno -> OSError subclass map (Objects/exceptions.c), plus
 * ENOMEM as MemoryError, which is what a failed allocation raises. */
static const char *os_pytype(int e)
{
    switch (e) {
    case EAGAIN: /* == EWOULDBLOCK on Linux */
    case EALREADY:
    case EINPROGRESS:
        return "BlockingIOError";
    case ECHILD:
        return "ChildProcessError";
    case EPIPE:
    case ESHUTDOWN:
        return "BrokenPipeError";
    case ECONNABORTED:
        return "ConnectionAbortedError";
    case ECONNREFUSED:
        return "ConnectionRefusedError";
    case ECONNRESET:
        return "ConnectionResetError";
    case EEXIST:
        return "FileExistsError";
    case ENOENT:
        return "FileNotFoundError";
    case EISDIR:
        return "IsADirectoryError";
    case ENOTDIR:
        return "NotADirectoryError";
    case EINTR:
        return "InterruptedError";
    case EACCES:
    case EPERM:
        return "PermissionError";
    case ESRCH:
        return "ProcessLookupError";
    case ETIMEDOUT:
        return "TimeoutError";
    case ENOMEM:
        return "MemoryError";
    default:
        return "OSError";
    }
}

/* Linux errno values are far below 1000; -1000 and lower is ours. */
static int is_os_code(int code)
{
    return code < 0 && code > -1000;
}

/*
 * The code of the exception class pytype (as mpr_err_pytype names it),
 * for an exception a peer sent by class name: a library code (of the
 * rows sharing a class, OSError's, the one whose canonical message is
 * msg, else the first), then a class of the program's own, then -e for
 * the errno whose OSError subclass pytype is (the first: EAGAIN for
 * BlockingIOError).  0 when none is.
 */
int mpr__err_code_named(const char *pytype, const char *msg)
{
    const table_row_t *first = NULL;

    for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].pytype, pytype) != 0)
            continue;
        if (strcmp(table[i].message, msg) == 0)
            return table[i].code;
        if (first == NULL)
            first = &table[i];
    }
    if (first != NULL)
        return first->code;
    pthread_mutex_lock(&user_lock);
    for (size_t i = 0; i < n_user_rows; i++)
        if (strcmp(user_rows[i].pytype, pytype) == 0) {
            pthread_mutex_unlock(&user_lock);
            return user_rows[i].code;
        }
    pthread_mutex_unlock(&user_lock);
    for (int e = 1; e < 1000; e++)
        if (strcmp(os_pytype(e), pytype) == 0)
            return -e;
    return 0;
}

const char *mpr_strerror(int code)
{
    const table_row_t *row;

    if (code == 0)
        return "";
    if ((row = find_row(code)) != NULL)
        return row->message;
    if (is_os_code(code)) {
        /* str(OSError(e, strerror(e))) is "[Errno e] text". */
        snprintf(os_message, sizeof(os_message), "[Errno %d] %s", -code,
                 strerror(-code));
        return os_message;
    }
    snprintf(os_message, sizeof(os_message), "unknown error %d", code);
    return os_message;
}

const char *mpr_err_name(int code)
{
    const table_row_t *row = find_row(code);
    const char *name;

    if (row != NULL)
        return row->name;
    if (is_os_code(code) && (name = strerrorname_np(-code)) != NULL)
        return name;
    return "UNKNOWN";
}

const char *mpr_err_pytype(int code)
{
    const table_row_t *row;

    if (code == 0)
        return "";
    if ((row = find_row(code)) != NULL)
        return row->pytype;
    if (is_os_code(code))
        return os_pytype(-code);
    return "SystemError";
}

const char *mpr_last_error_detail(void)
{
    if (last_has_detail)
        return long_detail != NULL ? long_detail : last_detail;
    return mpr_strerror(last_code);
}

int mpr_last_error(void)
{
    return last_code;
}

int mpr_err_format(int code, char *buf, size_t size)
{
    const char *msg =
        code == last_code ? mpr_last_error_detail() : mpr_strerror(code);

    if (msg[0] == '\0')
        return snprintf(buf, size, "%s", mpr_err_pytype(code));
    return snprintf(buf, size, "%s: %s", mpr_err_pytype(code), msg);
}

/* Replaces the thread's long message with p (NULL: none). */
static void set_long(char *p)
{
    char *old = long_detail;

    pthread_once(&long_once, make_long_key);
    long_detail = p;
    pthread_setspecific(long_key, p);
    free(old);
}

int mpr__verror(int code, const char *fmt, va_list ap)
{
    char buf[DETAIL_MAX], *p;
    va_list again;
    int n;

    /* Formatted into a buffer of its own first: an argument may be the
     * current message itself (mpr_last_error_detail()). */
    if (fmt != NULL) {
        va_copy(again, ap);
        n = vsnprintf(buf, sizeof(buf), fmt, ap);
        if (n >= (int)sizeof(buf) &&
            (p = mpr__sys.malloc((size_t)n + 1)) != NULL) {
            vsnprintf(p, (size_t)n + 1, fmt, again);
            set_long(p);
        } else {
            /* best effort when memory ran out: the first 1023 bytes */
            memcpy(last_detail, buf, sizeof(buf));
            if (long_detail != NULL)
                set_long(NULL);
        }
        va_end(again);
    }
    last_code = code;
    last_has_detail = fmt != NULL;
    return code;
}

int mpr__error(int code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    code = mpr__verror(code, fmt, ap);
    va_end(ap);
    return code;
}

int mpr__oserror(void)
{
    return mpr__error(MPR__ERR(errno), NULL);
}
