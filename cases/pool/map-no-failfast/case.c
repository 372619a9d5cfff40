/*
 * pool/map-no-failfast: map() over two tasks that each raise a ValueError
 * of 1 MiB (the second after 1 s) raises ValueError; close() and join()
 * after it still finish and wait for the slower task: more than 0.9 s
 * pass in all.  `with` is mpr_pool_enter ... mpr_pool_terminate.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MIB (1024 * 1024)

/* time.monotonic() */
static double monotonic(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* raise_large_valuerror(wait) */
static int raise_large_valuerror(mpr_obj_t *args, mpr_obj_t *kwargs,
                                 mpr_obj_t **result)
{
    char *x;
    int rc;

    (void)kwargs;
    (void)result;
    mpr_sleep((double)mpr_obj_int_value(mpr_obj_item(args, 0)));
    if ((x = malloc(MIB + 1)) == NULL)
        return mpr_target_error(MPR_ENOMEMORY, "%s", "");
    memset(x, 'x', MIB); /* "x" * 1024**2 */
    x[MIB] = '\0';
    rc = mpr_target_error(MPR_EVALUE, "%s", x);
    free(x);
    return rc;
}
MPR_TARGET(raise_large_valuerror)

/* print('map:', type(e).__name__, len(str(e)), set(str(e))) */
static void print_error(int rc)
{
    const char *msg = mpr_last_error_detail();
    size_t len = strlen(msg);
    char seen[256] = {0};
    int first = 1;

    printf("map: %s %zu {", mpr_err_pytype(rc), len);
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)msg[i];
        if (seen[c])
            continue;
        seen[c] = 1;
        printf("%s'%c'", first ? "" : ", ", c);
        first = 0;
    }
    printf("}\n");
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 2};
    mpr_obj_t *items, *out = NULL;
    mpr_pool_t *pool, *p;
    double t_start;
    int rc, map_rc;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    t_start = monotonic();
    items = mpr_obj_list_of_steal(2, mpr_obj_int(0), mpr_obj_int(1));
    if (items == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_new(&pool, &o)) < 0 ||
        (rc = mpr_pool_enter(pool, &p)) < 0)
        return case_fail(rc);
    map_rc =
        mpr_pool_map(p, raise_large_valuerror, items, MPR_CHUNKSIZE_NONE, &out);
    if (map_rc < 0)
        print_error(map_rc); /* printed here, where the detail is fresh */
    /* finally: */
    mpr_sleep(0.5);
    mpr_pool_close(p);
    if ((rc = mpr_pool_join(p)) < 0)
        return case_fail(rc);
    mpr_pool_terminate(p); /* __exit__ */
    if (map_rc == 0) {
        mpr_obj_decref(out);
        printf("map: no error\n");
    }
    printf("waited for the slow task: %s\n",
           case_bool(monotonic() - t_start > 0.9));
    if ((rc = mpr_active_children(NULL)) < 0)
        return case_fail(rc);
    printf("workers left: %d\n", rc);
    mpr_pool_free(pool);
    mpr_obj_decref(items);
    return 0;
}
