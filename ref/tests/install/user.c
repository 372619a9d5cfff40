/*
 * user.c - a user's program built against an installed libmpref the way
 * README.md says: #include <mpr.h> and $(pkg-config --cflags --libs mpref).
 * A Lock, a Value and a pickle round trip through the shared library.
 */
#include <mpr.h>

#include <stdio.h>

int main(int argc, char **argv)
{
    mpr_lock_t *lock = NULL;
    mpr_value_t *v = NULL;
    mpr_obj_t *back = NULL;
    mpr_obj_t *o = NULL;
    char *buf = NULL;
    size_t len = 0;
    int64_t n = 0;
    int r;

    if ((r = mpr_main(argc, argv)) < 0)
        return 1;
    if ((r = mpr_lock_new(&lock)) < 0 ||
        (r = mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)) != 1)
        goto fail;
    if ((r = mpr_value_new(&v, "i", NULL, NULL)) < 0 ||
        (r = mpr_value_set_int64(v, 42)) < 0 ||
        (r = mpr_value_get_int64(v, &n)) < 0)
        goto fail;
    if ((o = mpr_obj_int(n)) == NULL) {
        r = mpr_last_error();
        goto fail;
    }
    if ((r = mpr_pickle_dumps(o, 4, &buf, &len)) < 0 ||
        (r = mpr_pickle_loads(buf, len, &back)) < 0)
        goto fail;
    printf("%s %s %zu\n", mpr_get_start_method(), mpr_obj_type_name(back), len);
    r = 0;
fail:
    if (r < 0)
        fprintf(stderr, "user: %s: %s\n", mpr_err_pytype(r),
                mpr_last_error_detail());
    mpr_free(buf);
    mpr_obj_decref(back);
    mpr_obj_decref(o);
    mpr_value_free(v);
    if (lock)
        mpr_lock_release(lock);
    mpr_lock_free(lock);
    return r < 0;
}
