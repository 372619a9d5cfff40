/*
 * pool/enter-not-running: `with pool:` is mpr_pool_enter, then the body,
 * then mpr_pool_terminate (__exit__); entering a pool that is no longer
 * running (terminated by the first with, or closed) is ValueError 'Pool
 * not running' and runs nothing; join() still works.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* sqr(x) */
static int sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    int64_t x = mpr_obj_int_value(mpr_obj_item(args, 0));

    (void)kwargs;
    *result = mpr_obj_int(x * x);
    return *result ? 0 : mpr_last_error();
}
MPR_TARGET(sqr)

static int print_pool(mpr_pool_t *pool)
{
    char *r;
    int rc = mpr_pool_repr(pool, &r, NULL);

    if (rc == 0) {
        printf("%s\n", r);
        mpr_free(r);
    }
    return rc;
}

/* with pool: print('body ran'), or the ValueError of __enter__ after
 * what. */
static void with_body(mpr_pool_t *pool, const char *what)
{
    mpr_pool_t *as;
    int rc = mpr_pool_enter(pool, &as);

    if (rc < 0) {
        case_show(what, rc, NULL);
        return;
    }
    printf("body ran\n");
    mpr_pool_terminate(as);
}

int main(int argc, char **argv)
{
    mpr_pool_options_t o = {.processes = 1};
    mpr_obj_t *items, *result;
    mpr_pool_t *pool, *p;
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_pool_new(&pool, &o)) < 0)
        return case_fail(rc);
    if ((rc = mpr_pool_enter(pool, &p)) < 0) /* with pool as p: */
        return case_fail(rc);
    printf("as is the pool: %s\n", case_bool(p == pool));
    items = mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_int(2),
                                  mpr_obj_int(3));
    if (items == NULL)
        return case_fail(mpr_last_error());
    if ((rc = mpr_pool_map(p, sqr, items, MPR_CHUNKSIZE_NONE, &result)) < 0 ||
        (rc = case_print_repr(NULL, result)) < 0)
        return case_fail(rc);
    mpr_obj_decref(result);
    mpr_obj_decref(items);
    mpr_pool_terminate(p); /* __exit__ */
    if ((rc = print_pool(pool)) < 0)
        return case_fail(rc);
    with_body(pool, "with a terminated pool:");
    if ((rc = mpr_pool_join(pool)) < 0)
        return case_fail(rc);
    mpr_pool_free(pool);
    if ((rc = mpr_pool_new(&pool, &o)) < 0)
        return case_fail(rc);
    mpr_pool_close(pool);
    with_body(pool, "with a closed pool:");
    if ((rc = print_pool(pool)) < 0 || (rc = mpr_pool_join(pool)) < 0)
        return case_fail(rc);
    mpr_pool_free(pool);
    if ((rc = mpr_active_children(NULL)) < 0)
        return case_fail(rc);
    printf("workers left: %d\n", rc);
    return 0;
}
