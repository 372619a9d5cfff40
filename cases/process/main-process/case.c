/*
 * process/main-process: current_process() is a _MainProcess named
 * MainProcess in the parent, a Process in a child.  type(p) prints as
 * Python's class repr: the class lives in multiprocessing.process
 * (_MainProcess) or multiprocessing.context (Process).
 */
#include <mpr.h>

#include <stdio.h>
#include <string.h>

static const char *module_of(const char *type)
{
    return type[0] == '_' ? "multiprocessing.process"
                          : "multiprocessing.context";
}

/* print(repr(s), ...) for a str */
static void print_str_repr(const char *s, const char *end)
{
    mpr_obj_t *o = mpr_obj_str(s);
    char *r = NULL;

    if (o != NULL && mpr_obj_repr(o, &r, NULL) == 0)
        printf("%s%s", r, end);
    mpr_free(r);
    mpr_obj_decref(o);
}

static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_process_t *p = mpr_current_process();

    (void)args, (void)kwargs;
    print_str_repr(mpr_process_name(p), " ");
    printf("<class '%s.%s'>\n", module_of(mpr_process_type_name(p)),
           mpr_process_type_name(p));
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    mpr_process_t *c, *m;
    mpr_process_options_t o = {.target = child};

    if (mpr_main(argc, argv) < 0)
        return 1;
    m = mpr_current_process();
    print_str_repr(mpr_process_name(m), "\n");
    printf("<class '%s.%s'>\n", module_of(mpr_process_type_name(m)),
           mpr_process_type_name(m));
    if (mpr_process_new(&c, &o) < 0 || mpr_process_start(c) < 0 ||
        mpr_process_join(c, MPR_TIMEOUT_NONE) < 0)
        return 1;
    mpr_process_free(c);
    return 0;
}
