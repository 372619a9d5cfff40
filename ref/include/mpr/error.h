/*
 * error.h - libmpref's error codes and their Python exceptions.
 *
 * Every function that can fail returns an int: 0 (or a non-negative result)
 * on success, a negative code on error.  OS errors are -errno unchanged, so
 * the OSError subclass follows from the errno (EPIPE is BrokenPipeError).
 * Library codes live in -1000..-1099 and come from one table, MPR_ERRNO_MAP:
 * (C name, value, Python exception as a traceback prints it, CPython's
 * canonical message); a program's own exception classes get codes from
 * -1100 down (mpr_exception_register).  A failing call may also set a
 * per-thread detail
 * string holding the exact message CPython would give for that call
 * (mpr_last_error_detail).
 */
#ifndef MPR_ERROR_H
#define MPR_ERROR_H

#include "common.h"

#include <stddef.h>

/* XX(name, value, python exception, canonical message) */
#define MPR_ERRNO_MAP(XX)                                                      \
    XX(EVALUE, -1000, "ValueError", "invalid value")                           \
    XX(EEOF, -1001, "EOFError", "")                                            \
    XX(EEMPTY, -1002, "_queue.Empty", "")                                      \
    XX(EFULL, -1003, "queue.Full", "")                                         \
    XX(EBROKENBARRIER, -1004, "threading.BrokenBarrierError", "")              \
    XX(ETIMEOUT, -1005, "multiprocessing.context.TimeoutError", "")            \
    XX(EASSERT, -1006, "AssertionError", "")                                   \
    XX(ECLOSED, -1007, "OSError", "handle is closed")                          \
    XX(EBADLEN, -1008, "OSError", "bad message length")                        \
    XX(EREADONLY, -1009, "OSError", "connection is read-only")                 \
    XX(EWRITEONLY, -1010, "OSError", "connection is write-only")               \
    XX(EBUFTOOSHORT, -1011, "multiprocessing.context.BufferTooShort", "")      \
    XX(EAUTH, -1012, "multiprocessing.context.AuthenticationError",            \
       "digest sent was rejected")                                             \
    XX(EREMOTE, -1013, "multiprocessing.managers.RemoteError", "")             \
    XX(EUNPICKLE, -1014, "_pickle.UnpicklingError", "")                        \
    XX(EPICKLE, -1015, "_pickle.PicklingError", "")                            \
    XX(ETYPE, -1016, "TypeError", "")                                          \
    XX(EKEY, -1017, "KeyError", "")                                            \
    XX(EINDEX, -1018, "IndexError", "")                                        \
    XX(EOVERFLOW, -1019, "OverflowError", "")                                  \
    XX(ENOTIMPL, -1020, "NotImplementedError", "")                             \
    XX(EATTR, -1021, "AttributeError", "")                                     \
    XX(ERUNTIME, -1022, "RuntimeError", "")                                    \
    XX(ENOMEMORY, -1023, "MemoryError", "")                                    \
    XX(EUNICODE, -1024, "UnicodeDecodeError", "")                              \
    XX(ERECURSION, -1025, "RecursionError",                                    \
       "maximum recursion depth exceeded")                                     \
    XX(EEOFMSG, -1026, "OSError", "got end of file during message")            \
    XX(ESTOPITERATION, -1027, "StopIteration", "")                             \
    XX(EENCODING, -1028, "multiprocessing.pool.MaybeEncodingError", "")

/* clang-format off: the generated enumerators confuse its indentation */
typedef enum {
#define MPR__XX(name, value, pytype, msg) MPR_##name = value,
    MPR_ERRNO_MAP(MPR__XX)
#undef MPR__XX
        MPR_ERRNO_FIRST = -1099, /* lowest value a library code may take */
} mpr_errno_t;
/* clang-format on */

/*
 * Returns the canonical message of an error code, as str(exception) would
 * give it in CPython: the table's text for library codes, "[Errno N] text"
 * for an OS error -N, "" for 0 and "unknown error -N" for a code outside
 * both ranges.  The string is static (OS errors: per-thread, valid until
 * the next call in the same thread).
 */
MPR_EXTERN const char *mpr_strerror(int code);

/*
 * Returns the C name of a code ("MPR_EVALUE", "EPIPE"), or "UNKNOWN".
 * Static string.
 */
MPR_EXTERN const char *mpr_err_name(int code);

/*
 * Returns the Python exception class a code stands for, as the last line of
 * a traceback names it: "ValueError", "_queue.Empty", "BrokenPipeError" for
 * -EPIPE, "OSError" for an errno without a subclass.  "" for 0.  Static.
 */
MPR_EXTERN const char *mpr_err_pytype(int code);

/*
 * Returns the message of the last failing call in this thread: the detail
 * it set (CPython's exact text, e.g. "cannot start a process twice"), or the
 * canonical message of the code it returned when it set none.  Borrowed;
 * valid until the next libmpref call in this thread.
 */
MPR_EXTERN const char *mpr_last_error_detail(void);

/*
 * Returns the code of the last failing call in this thread (0 if none has
 * failed yet).
 *
 * STICKY, like errno and unlike dlerror(): a call that succeeds does not
 * reset it, so it still holds the code of whatever failed last, perhaps
 * long ago.  It is meaningful only right after a call that reported
 * failure (a constructor that returned NULL, a function that returned a
 * negative code); never test it to learn whether a call failed.  The same
 * holds for mpr_last_error_detail().
 */
MPR_EXTERN int mpr_last_error(void);

/* ---- exception classes of the program's own ----------------------------- */

/* Codes of registered exception classes: MPR_EUSER_FIRST, then down. */
#define MPR_EUSER_FIRST (-1100)
#define MPR_EUSER_MAX   100

/*
 * Registers an exception class of the program's own (Python's `class
 * SayWhenError(ValueError): pass`) under name, its __name__, and returns
 * its code: MPR_EUSER_FIRST for the first class registered, one less for
 * each next one, so that every process of one program gives a class the
 * same code when it registers its classes in the same order (as
 * MPR_EXCEPTION does, before main): a code then names the class in a
 * worker's exception as in the parent.  mpr_err_pytype and mpr_err_name
 * give name; the canonical message is "".  Registering a name again
 * returns its code.  The base class is not kept (no except clause in C).
 * Returns: the code (<= MPR_EUSER_FIRST: negative, like every code).
 * Errors (above MPR_EUSER_FIRST): MPR_EOVERFLOW when MPR_EUSER_MAX
 * classes exist; -ENOMEM.
 */
MPR_EXTERN int mpr_exception_register(const char *name);

/* `class name(...): pass` at file scope: a static int name holding the
 * code, registered before main() runs. */
#define MPR_EXCEPTION(name)                                                    \
    static int name;                                                           \
    __attribute__((constructor)) static void mpr__register_exc_##name(void)    \
    {                                                                          \
        name = mpr_exception_register(#name);                                  \
    }

/*
 * Formats code (with this thread's detail when it belongs to the same code)
 * the way CPython's traceback ends: "ValueError: process object is closed",
 * "EOFError" (no colon when the message is empty).  Writes at most size
 * bytes including the NUL.  Returns: the length the full text has, as
 * snprintf does.
 */
MPR_EXTERN int mpr_err_format(int code, char *buf, size_t size);

#endif /* MPR_ERROR_H */
