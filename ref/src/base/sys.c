/*
 * sys.c - the replaceable system-call table (SQLite's aSyscall idea).
 *
 * Production code always goes through mpr__sys; only tests change the
 * pointers, to make the Nth fork, read or mmap fail and check that the
 * caller returns a clean error and leaks nothing.
 */
#include "base/internal.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int sys_poll(void *fds, unsigned long nfds, int timeout)
{
    return poll(fds, (nfds_t)nfds, timeout);
}

static int sys_nanosleep(const void *req, void *rem)
{
    return nanosleep(req, rem);
}

static int sys_open(const char *path, int flags, mode_t mode)
{
    return open(path, flags, mode);
}

static int sys_fcntl(int fd, int cmd, long arg)
{
    return fcntl(fd, cmd, arg);
}

static int sys_shm_open(const char *name, int flags, mode_t mode)
{
    return shm_open(name, flags, mode);
}

static int sys_futex_wait(_Atomic uint32_t *addr, uint32_t expected,
                          const struct timespec *rel)
{
    return (int)syscall(SYS_futex, (uint32_t *)addr, FUTEX_WAIT, expected, rel,
                        NULL, 0);
}

/* One list for both copies: ISO C (and clang) will not initialise a
 * global from another const object, only from constant expressions. */
/* clang-format off */
#define REAL_SYSCALLS                                                          \
    {                                                                          \
        .malloc = malloc,                                                      \
        .calloc = calloc,                                                      \
        .realloc = realloc,                                                    \
        .fork = fork,                                                          \
        .pipe2 = pipe2,                                                        \
        .socketpair = socketpair,                                              \
        .socket = socket,                                                      \
        .connect = connect,                                                    \
        .bind = bind,                                                          \
        .listen = listen,                                                      \
        .accept4 = accept4,                                                    \
        .sendmsg = sendmsg,                                                    \
        .recvmsg = recvmsg,                                                    \
        .read = read,                                                          \
        .write = write,                                                        \
        .writev = writev,                                                      \
        .close = close,                                                        \
        .open = sys_open,                                                      \
        .mkdir = mkdir,                                                        \
        .fcntl = sys_fcntl,                                                    \
        .memfd_create = memfd_create,                                          \
        .shm_open = sys_shm_open,                                              \
        .ftruncate = ftruncate,                                                \
        .mmap = mmap,                                                          \
        .munmap = munmap,                                                      \
        .poll = sys_poll,                                                      \
        .nanosleep = sys_nanosleep,                                            \
        .futex_wait = sys_futex_wait,                                          \
        .pthread_create = pthread_create,                                      \
    }
/* clang-format on */

static const mpr__syscalls_t real_syscalls = REAL_SYSCALLS;

mpr__syscalls_t mpr__sys = REAL_SYSCALLS;

const char *(*mpr__current_process_name)(void);

void mpr__sys_reset(void)
{
    mpr__sys = real_syscalls;
}

char *mpr__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = mpr__sys.malloc(n);

    if (d != NULL)
        memcpy(d, s, n);
    return d;
}

int mpr__vasprintf(char **out, const char *fmt, va_list ap)
{
    va_list again;
    int n;

    va_copy(again, ap);
    n = vsnprintf(NULL, 0, fmt, again);
    va_end(again);
    if (n < 0 || (*out = mpr__sys.malloc((size_t)n + 1)) == NULL) {
        if (n >= 0)
            errno = ENOMEM;
        return -1;
    }
    vsnprintf(*out, (size_t)n + 1, fmt, ap);
    return n;
}

int mpr__asprintf(char **out, const char *fmt, ...)
{
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = mpr__vasprintf(out, fmt, ap);
    va_end(ap);
    return n;
}

#ifdef MPR_COVERAGE
extern void __gcov_dump(void);
#endif

void mpr__child_exit(int code)
{
#ifdef MPR_COVERAGE
    /* gcov writes its counters from an atexit handler, which _exit skips:
     * without this, whatever a forked child executed is missing from the
     * coverage report. */
    __gcov_dump();
#endif
    _exit(code);
}

/* ---- threads that have started ------------------------------------------ */

typedef struct {
    void *(*fn)(void *);
    void *arg;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int running;
} thread_start_t;

static void *trampoline(void *arg)
{
    thread_start_t *s = arg;
    void *(*fn)(void *) = s->fn;
    void *fn_arg = s->arg;

    pthread_mutex_lock(&s->mu);
    s->running = 1;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu); /* s is gone once this returns */
    return fn(fn_arg);
}

/*
 * Why wait: a new thread's start may allocate (the sanitizers' runtime
 * does), and a fork made by another thread meanwhile can leave the
 * allocator locked for good in the child.  Waiting for the thread to run,
 * as CPython's Thread.start() does, ends that window before the caller
 * can fork.
 */
int mpr__thread_start(pthread_t *t, void *(*fn)(void *), void *arg)
{
    thread_start_t s = {.fn = fn, .arg = arg};
    int e;

    pthread_mutex_init(&s.mu, NULL);
    pthread_cond_init(&s.cv, NULL);
    if ((e = mpr__sys.pthread_create(t, NULL, trampoline, &s)) == 0) {
        pthread_mutex_lock(&s.mu);
        while (!s.running)
            pthread_cond_wait(&s.cv, &s.mu);
        pthread_mutex_unlock(&s.mu);
    }
    pthread_cond_destroy(&s.cv);
    pthread_mutex_destroy(&s.mu);
    return e;
}
