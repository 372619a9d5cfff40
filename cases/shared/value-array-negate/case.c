/*
 * shared/value-array-negate: a child sets a shared Value('d') and negates
 * a shared Array('i'); the parent prints both after join.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_value_t *n;
    mpr_array_t *a;
    int64_t x;
    int r;

    (void)kwargs;
    if ((n = case_arg(args, 0, MPR_HANDLE_VALUE)) == NULL ||
        (a = case_arg(args, 1, MPR_HANDLE_ARRAY)) == NULL)
        return mpr_last_error();
    if ((r = mpr_value_set_double(n, 3.1415927)) < 0)
        return r;
    for (size_t i = 0; i < mpr_array_len(a); i++)
        if ((r = mpr_array_get_int64(a, (ptrdiff_t)i, &x)) < 0 ||
            (r = mpr_array_set_int64(a, (ptrdiff_t)i, -x)) < 0)
            return r;
    return 0;
}
MPR_TARGET(f)

static int print_obj(mpr_obj_t *o)
{
    char *s;

    if (o == NULL || mpr_obj_repr(o, &s, NULL) < 0)
        return -1;
    printf("%s\n", s);
    mpr_free(s);
    mpr_obj_decref(o);
    return 0;
}

int main(int argc, char **argv)
{
    mpr_obj_t *zero, *range, *args, *o;
    mpr_process_options_t opts = {.target = f};
    mpr_value_t *num;
    mpr_array_t *arr;
    mpr_process_t *p;

    if (mpr_main(argc, argv) < 0)
        return 1;
    zero = mpr_obj_float(0.0);
    range = mpr_obj_list();
    for (int i = 0; i < 10; i++)
        mpr_obj_list_append_steal(range, mpr_obj_int(i));
    if (mpr_value_new(&num, "d", zero, NULL) < 0 ||
        mpr_array_new(&arr, "i", range, NULL) < 0)
        return 1;
    mpr_obj_decref(zero);
    mpr_obj_decref(range);
    args = mpr_obj_tuple_steal(2, mpr_obj_handle(MPR_HANDLE_VALUE, num),
                               mpr_obj_handle(MPR_HANDLE_ARRAY, arr));
    opts.args = args;
    if (mpr_process_new(&p, &opts) < 0 || mpr_process_start(p) < 0)
        return 1;
    mpr_obj_decref(args);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_value_get(num, &o) < 0 || print_obj(o) < 0)
        return 1;
    if (mpr_array_get_slice(arr, MPR_SLICE_NONE, MPR_SLICE_NONE, MPR_SLICE_NONE,
                            &o) < 0 ||
        print_obj(o) < 0)
        return 1;
    mpr_process_free(p);
    mpr_value_free(num);
    mpr_array_free(arr);
    return 0;
}
