/*
 * internal.h - what libmpref's source files share and users never see:
 * error plumbing, the replaceable system-call table, the exit path of
 * children.  Symbols here are mpr__ and hidden.
 */
#ifndef MPR_INTERNAL_H
#define MPR_INTERNAL_H

#include "mpr/error.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/uio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>

/* An OS error as a libmpref return value (STYLE.md C.2). */
#define MPR__ERR(e) (-(e))

/*
 * Records code and CPython's exact message for it as this thread's last
 * error (fmt may be NULL: the table's canonical message is then used).
 * Returns: code, so a failing path can `return mpr__error(...)`.
 */
int mpr__error(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* mpr__error with a va_list.  A message of any length is kept (longer
 * ones on the heap; cut to 1023 bytes only when that allocation fails). */
int mpr__verror(int code, const char *fmt, va_list ap);

/* Returns -errno for the current errno (recorded as the last error). */
int mpr__oserror(void);

/* The code of an exception class named as mpr_err_pytype names it, for
 * an exception a peer sent (msg picks among OSError's rows); 0 when this
 * program knows no such class.  (error.c) */
int mpr__err_code_named(const char *pytype, const char *msg);

/*
 * The system calls and allocations libmpref makes, behind replaceable
 * pointers (SQLite's aSyscall): unit tests swap one to reach the error path
 * behind it.  Library code calls them as mpr__sys.read(...).  Every call
 * that can fail goes through here; strdup/asprintf go through malloc
 * (mpr__strdup, mpr__asprintf below).  Variadic calls (open, fcntl) and the
 * futex syscall take fixed arguments here.
 */
typedef struct {
    void *(*malloc)(size_t);
    void *(*calloc)(size_t, size_t);
    void *(*realloc)(void *, size_t);
    pid_t (*fork)(void);
    int (*pipe2)(int[2], int);
    int (*socketpair)(int, int, int, int[2]);
    int (*socket)(int, int, int);
    int (*connect)(int, const struct sockaddr *, socklen_t);
    int (*bind)(int, const struct sockaddr *, socklen_t);
    int (*listen)(int, int);
    int (*accept4)(int, struct sockaddr *, socklen_t *, int);
    ssize_t (*sendmsg)(int, const struct msghdr *, int);
    ssize_t (*recvmsg)(int, struct msghdr *, int);
    ssize_t (*read)(int, void *, size_t);
    ssize_t (*write)(int, const void *, size_t);
    ssize_t (*writev)(int, const struct iovec *, int);
    int (*close)(int);
    int (*open)(const char *, int, mode_t);
    int (*mkdir)(const char *, mode_t);
    int (*fcntl)(int, int, long);
    int (*memfd_create)(const char *, unsigned);
    int (*shm_open)(const char *, int, mode_t);
    int (*ftruncate)(int, off_t);
    void *(*mmap)(void *, size_t, int, int, int, off_t);
    int (*munmap)(void *, size_t);
    int (*poll)(void *fds, unsigned long nfds, int timeout);
    int (*nanosleep)(const void *req, void *rem);
    /* FUTEX_WAIT on a shared word: 0, or -1 with errno (EAGAIN, EINTR,
     * ETIMEDOUT). */
    int (*futex_wait)(_Atomic uint32_t *addr, uint32_t expected,
                      const struct timespec *rel);
    int (*pthread_create)(pthread_t *, const pthread_attr_t *,
                          void *(*)(void *), void *);
} mpr__syscalls_t;

extern mpr__syscalls_t mpr__sys;

/* strdup, vasprintf and asprintf through mpr__sys.malloc (NULL / -1 with
 * errno ENOMEM on failure, as the libc ones). */
char *mpr__strdup(const char *s);
int mpr__vasprintf(char **out, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
int mpr__asprintf(char **out, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * pthread_create (through mpr__sys) that returns once the new thread runs
 * fn: no fork can then catch the thread's start half done.  Returns 0 or
 * the error number, as pthread_create.
 */
int mpr__thread_start(pthread_t *t, void *(*fn)(void *), void *arg);

/* Restores every pointer of mpr__sys to the real call (for tests). */
void mpr__sys_reset(void);

/* Forgets the MP_TIME_SCALE read once by mpr_time_scale() (for tests). */
void mpr__time_scale_reset(void);

/*
 * Ends a child the library forked: flushes nothing (the caller decides what
 * to flush, as CPython's children do), writes gcov counters in coverage
 * builds, then _exit(code).  Never returns.
 */
_Noreturn void mpr__child_exit(int code);

/*
 * The name of the current process (multiprocessing.current_process().name)
 * for the layers below process, which cannot ask it: the Lock repr names
 * its owner.  The process layer installs it (process.c); while it is NULL
 * (no Process code linked, so the name was never changed) the name is
 * "MainProcess".  A hook instead of an include keeps sync below process.
 */
extern const char *(*mpr__current_process_name)(void);

#endif /* MPR_INTERNAL_H */
