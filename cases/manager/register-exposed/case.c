/*
 * manager/register-exposed: a class of one's own registered with the
 * manager (BaseManager.register) twice, as Foo (exposed=None: its public
 * methods f and g) and as Bar (exposed=('f', '_h')); each name called
 * through _callmethod.  The C type is registered from a constructor, so
 * the server has it under every start method (a forkserver child never
 * runs main, as a spawned CPython server re-imports the main module).
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

static void foobar_free(void *self)
{
    free(self);
}

static int f(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds;
    return (*out = mpr_obj_str("f()")) ? 0 : mpr_last_error();
}

static int g(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds, (void)out;
    return mpr_target_error(MPR_EVALUE, "g failed");
}

static int h(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
             mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds;
    return (*out = mpr_obj_str("_h()")) ? 0 : mpr_last_error();
}

static const mpr_manager_method_t foobar_methods[] = {
    {"f", f}, {"g", g}, {"_h", h}, {NULL, NULL}};

__attribute__((constructor)) static void register_types(void)
{
    static const char *const bar_exposed[] = {"f", "_h", NULL};
    mpr_manager_type_t t = {.factory = foobar_new,
                            .free = foobar_free,
                            .methods = foobar_methods,
                            .pyname = "__main__.FooBar"};

    mpr_manager_register("Foo", &t);
    t.exposed = bar_exposed;
    mpr_manager_register("Bar", &t);
}

/* print the call's result, or its error; for a RemoteError the exception
 * lines of the server's traceback */
static void call(mpr_proxy_t *p, const char *typeid, const char *name)
{
    mpr_obj_t *out = NULL;
    char what[64], text[2048], *line, *save = NULL;
    int rc = mpr_proxy_callmethod(p, name, NULL, NULL, &out);

    snprintf(what, sizeof(what), "%s._callmethod('%s'):", typeid, name);
    if (rc != MPR_EREMOTE) {
        case_show(what, rc, out);
        return;
    }
    printf("%s RemoteError\n", what);
    snprintf(text, sizeof(text), "%s", mpr_last_error_detail());
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
        if (strncmp(line, "AttributeError", 14) == 0 ||
            strncmp(line, "During", 6) == 0 ||
            strncmp(line, "KeyError", 8) == 0)
            printf("  %s\n", line);
}

static int run(mpr_manager_t *manager)
{
    static const char *const names[] = {"f", "g", "_h"};
    mpr_proxy_t *foo = NULL, *bar = NULL;
    char *s;
    int rc;

    if ((rc = mpr_manager_create(manager, "Foo", NULL, NULL, &foo)) < 0 ||
        (rc = mpr_manager_create(manager, "Bar", NULL, NULL, &bar)) < 0)
        goto done;
    printf("%s %s\n", mpr_proxy_type_name(foo), mpr_proxy_type_name(bar));
    for (int i = 0; i < 3; i++)
        call(foo, "Foo", names[i]);
    for (int i = 0; i < 3; i++)
        call(bar, "Bar", names[i]);
    if ((rc = mpr_proxy_str(foo, &s, NULL)) == 0) {
        printf("str(foo): %s\n", s);
        mpr_free(s);
    }
done:
    mpr_proxy_free(foo);
    mpr_proxy_free(bar);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
