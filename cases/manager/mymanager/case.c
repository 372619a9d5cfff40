/*
 * manager/mymanager: the registrations of _TestMyManager (Foo: FooBar with
 * its public methods; Bar: FooBar with exposed=('f', '_h'); baz: a
 * generator of i*i for i < 10 behind an IteratorProxy) used through a
 * manager after start(), inside with, and inside with on a started
 * manager; then the server's exit code.  The C types are registered from
 * a constructor, so the server has them under every start method (a
 * forkserver child never runs main, as a spawned CPython server
 * re-imports the main module).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* FooBar(): an object with no state of its own. */
static int foobar_new(const mpr_obj_t *args, const mpr_obj_t *kwds, void **self)
{
    (void)args, (void)kwds;
    return (*self = malloc(1)) ? 0 : mpr_target_error(MPR_EVALUE, "no memory");
}

static int f(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds;
    return (*out = mpr_obj_str("f()")) ? 0 : mpr_last_error();
}

/* raise ValueError */
static int g(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds, (void)out;
    return mpr_target_error(MPR_EVALUE, "%s", "");
}

static int h(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds;
    return (*out = mpr_obj_str("_h()")) ? 0 : mpr_last_error();
}

/* baz(): the generator (i*i for i in range(10)), its next i the state */
static int baz_new(const mpr_obj_t *args, const mpr_obj_t *kwds, void **self)
{
    (void)args, (void)kwds;
    return (*self = calloc(1, sizeof(int)))
               ? 0
               : mpr_target_error(MPR_EVALUE, "no memory");
}

static int baz_next(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
                    mpr_obj_t **out)
{
    int *i = self;

    (void)args, (void)kwds;
    if (*i >= 10)
        return mpr_target_error(MPR_ESTOPITERATION, "%s", "");
    (*i)++;
    return (*out = mpr_obj_int((*i - 1) * (*i - 1))) ? 0 : mpr_last_error();
}

static const mpr_manager_method_t foobar_methods[] = {
    {"f", f}, {"g", g}, {"_h", h}, {NULL, NULL}};
static const mpr_manager_method_t baz_methods[] = {{"__next__", baz_next},
                                                   {NULL, NULL}};

__attribute__((constructor)) static void register_types(void)
{
    static const char *const bar_exposed[] = {"f", "_h", NULL};
    static const char *const iterator_exposed[] = {"__next__", NULL};
    mpr_manager_type_t t = {.factory = foobar_new,
                            .free = free,
                            .methods = foobar_methods,
                            .pyname = "__main__.FooBar"};
    mpr_manager_type_t it = {.factory = baz_new,
                             .free = free,
                             .methods = baz_methods,
                             .exposed = iterator_exposed,
                             .proxytype = "IteratorProxy",
                             .pyname = "generator"};

    mpr_manager_register("Foo", &t);
    t.exposed = bar_exposed;
    mpr_manager_register("Bar", &t);
    mpr_manager_register("baz", &it);
}

/* attempt(what, fn, *args): print(what, repr(result)) or the class of the
 * error */
static void attempt(const char *what, mpr_proxy_t *p, const char *name)
{
    mpr_obj_t *out = NULL;
    char *s;
    int rc = mpr_proxy_callmethod(p, name, NULL, NULL, &out);

    if (rc < 0) { /* type(e).__name__, without the module */
        const char *cls = strrchr(mpr_err_pytype(rc), '.');
        printf("%s: %s\n", what, cls ? cls + 1 : mpr_err_pytype(rc));
    } else if (mpr_obj_repr(out, &s, NULL) == 0) {
        printf("%s: %s\n", what, s);
        mpr_free(s);
    }
    mpr_obj_decref(out);
}

/* [name for name in ('f', 'g', '_h') if hasattr(proxy, name)] */
static void methods(const char *what, mpr_proxy_t *p)
{
    static const char *const names[] = {"f", "g", "_h"};
    int n = 0;

    printf("%s: [", what);
    for (int i = 0; i < 3; i++)
        if (mpr_proxy_has_method(p, names[i]))
            printf("%s'%s'", n++ ? ", " : "", names[i]);
    printf("]\n");
}

static int common(mpr_manager_t *manager)
{
    mpr_proxy_t *foo = NULL, *bar = NULL, *baz = NULL;
    mpr_obj_t *v = NULL;
    int rc, n = 0;

    if ((rc = mpr_manager_create(manager, "Foo", NULL, NULL, &foo)) < 0 ||
        (rc = mpr_manager_create(manager, "Bar", NULL, NULL, &bar)) < 0 ||
        (rc = mpr_manager_create(manager, "baz", NULL, NULL, &baz)) < 0)
        goto done;
    printf("proxies: %s %s %s\n", mpr_proxy_type_name(foo),
           mpr_proxy_type_name(bar), mpr_proxy_type_name(baz));
    methods("foo methods", foo);
    methods("bar methods", bar);
    /* foo.f() is foo._callmethod('f'): AutoProxy's methods call it */
    attempt("foo.f()", foo, "f");
    attempt("foo.g()", foo, "g");
    attempt("foo._callmethod('f')", foo, "f");
    attempt("foo._callmethod('_h')", foo, "_h");
    attempt("bar.f()", bar, "f");
    attempt("bar._h()", bar, "_h");
    attempt("bar._callmethod('f')", bar, "f");
    attempt("bar._callmethod('_h')", bar, "_h");
    /* list(baz): __next__ until StopIteration */
    printf("list(baz): [");
    while ((rc = mpr_proxy_callmethod(baz, "__next__", NULL, NULL, &v)) == 0) {
        printf("%s%lld", n++ ? ", " : "", (long long)mpr_obj_int_value(v));
        mpr_obj_decref(v);
    }
    printf("]\n");
    rc = rc == MPR_ESTOPITERATION ? 0 : rc;
done:
    mpr_proxy_free(foo);
    mpr_proxy_free(bar);
    mpr_proxy_free(baz);
    return rc;
}

static int exitcode(mpr_manager_t *m)
{
    int code = -1;

    mpr_process_exitcode(mpr_manager_process(m), &code);
    return code;
}

int main(int argc, char **argv)
{
    mpr_manager_t *manager = NULL;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    /* test_mymanager: start() ... shutdown() */
    if ((rc = mpr_manager_new(&manager, NULL)) < 0 ||
        (rc = mpr_manager_start(manager)) < 0 || (rc = common(manager)) < 0 ||
        (rc = mpr_manager_shutdown(manager)) < 0)
        goto fail;
    printf("start/shutdown: exitcode %d\n", exitcode(manager));
    mpr_manager_free(manager);
    /* test_mymanager_context: with on a manager not yet started */
    if ((rc = mpr_manager_new(&manager, NULL)) < 0 ||
        (rc = mpr_manager_enter(manager)) < 0 || (rc = common(manager)) < 0 ||
        (rc = mpr_manager_exit(manager)) < 0)
        goto fail;
    printf("with: exitcode %d\n", exitcode(manager));
    mpr_manager_free(manager);
    /* test_mymanager_context_prestarted: with on a started manager */
    if ((rc = mpr_manager_new(&manager, NULL)) < 0 ||
        (rc = mpr_manager_start(manager)) < 0 ||
        (rc = mpr_manager_enter(manager)) < 0 || (rc = common(manager)) < 0 ||
        (rc = mpr_manager_exit(manager)) < 0)
        goto fail;
    printf("start, with: exitcode %d\n", exitcode(manager));
    mpr_manager_free(manager);
    return 0;
fail:
    mpr_manager_free(manager);
    return case_fail(rc);
}
