/*
 * interop/manager-python-client-c-server: a libmpref manager holding
 * Counter, a type written in C registered twice (as Counter, exposed=None:
 * its public methods; as Secretive, exposed=('value', '_secret')), and a
 * CPython client of it: client.py beside this file, on /usr/bin/python3,
 * given the server's address and authkey.  The client prints what the
 * case prints; a method's error reaches it as the exception CPython's
 * server would send (ValueError, KeyError, the program's CounterError).
 * The types are registered from a constructor, so the server has them
 * under every start method (a forkserver child never runs main).
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define ORACLE "/usr/bin/python3"

/* class CounterError(Exception): pass */
MPR_EXCEPTION(CounterError)

typedef struct {
    int64_t n;
} counter_t;

/* Counter(n=0) */
static int counter_new(const mpr_obj_t *args, const mpr_obj_t *kwds,
                       void **self)
{
    counter_t *c = calloc(1, sizeof(*c));

    (void)kwds;
    if (c == NULL)
        return -ENOMEM;
    if (mpr_obj_len(args) > 0 &&
        mpr_obj_as_int64(mpr_obj_item(args, 0), &c->n) < 0) {
        free(c);
        return mpr_last_error();
    }
    *self = c;
    return 0;
}

static void counter_free(void *self)
{
    free(self);
}

/* increment(by=1) */
static int increment(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
                     mpr_obj_t **out)
{
    counter_t *c = self;
    int64_t by = 1;

    (void)kwds;
    if (mpr_obj_len(args) > 0 &&
        mpr_obj_as_int64(mpr_obj_item(args, 0), &by) < 0)
        return mpr_last_error();
    c->n += by;
    return (*out = mpr_obj_int(c->n)) ? 0 : mpr_last_error();
}

static int value(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
                 mpr_obj_t **out)
{
    (void)args, (void)kwds;
    return (*out = mpr_obj_int(((counter_t *)self)->n)) ? 0 : mpr_last_error();
}

/* fail(kind): ValueError, KeyError(kind) or CounterError */
static int fail(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
                mpr_obj_t **out)
{
    const char *kind = mpr_obj_len(args) == 1
                           ? mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL)
                           : NULL;
    long long n = (long long)((counter_t *)self)->n;

    (void)kwds, (void)out;
    if (kind == NULL)
        return mpr_target_error(MPR_ETYPE, "fail() takes one str argument");
    if (strcmp(kind, "value") == 0)
        return mpr_target_error(MPR_EVALUE, "bad value %lld", n);
    if (strcmp(kind, "key") == 0)
        return mpr_target_error(MPR_EKEY, "'%s'", kind);
    return mpr_target_error(CounterError, "counter at %lld", n);
}

static int secret(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
                  mpr_obj_t **out)
{
    char s[64];

    (void)args, (void)kwds;
    snprintf(s, sizeof(s), "secret %lld", (long long)((counter_t *)self)->n);
    return (*out = mpr_obj_str(s)) ? 0 : mpr_last_error();
}

static const mpr_manager_method_t counter_methods[] = {{"increment", increment},
                                                       {"value", value},
                                                       {"fail", fail},
                                                       {"_secret", secret},
                                                       {NULL, NULL}};

__attribute__((constructor)) static void register_types(void)
{
    static const char *const secretive[] = {"value", "_secret", NULL};
    mpr_manager_type_t t = {.factory = counter_new,
                            .free = counter_free,
                            .methods = counter_methods,
                            .pyname = "__main__.Counter"};

    mpr_manager_register("Counter", &t);
    t.exposed = secretive;
    mpr_manager_register("Secretive", &t);
}

int main(int argc, char **argv)
{
    static const char key[] = "interop";
    mpr_manager_options_t o = {.authkey = key, .authkey_len = sizeof(key) - 1};
    char client_py[PATH_MAX], hex[2 * sizeof(key)];
    mpr_manager_t *m;
    mpr_obj_t *addr;
    int rc, status;
    pid_t pid;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if (CASE_SIBLING("client.py", client_py, sizeof(client_py)) < 0) {
        fprintf(stderr, "client.py not found beside %s\n", __FILE__);
        return 1;
    }
    for (size_t i = 0; i < sizeof(key) - 1; i++)
        snprintf(hex + 2 * i, 3, "%02x", (unsigned char)key[i]);
    /* with MyManager(...) as manager: */
    if ((rc = mpr_manager_new(&m, &o)) < 0 || (rc = mpr_manager_enter(m)) < 0 ||
        (rc = mpr_manager_address(m, &addr)) < 0)
        return case_fail(rc);
    fflush(stdout);
    if ((pid = fork()) < 0)
        return case_fail(-errno);
    if (pid == 0) {
        execl(ORACLE, "python3", client_py, mpr_obj_str_utf8(addr, NULL), hex,
              (char *)NULL);
        _exit(127);
    }
    mpr_obj_decref(addr);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if ((rc = mpr_manager_exit(m)) < 0)
        return case_fail(rc);
    mpr_manager_free(m);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}
