/*
 * shared/value-array-typecodes: a Value('d') and an Array('i') updated by
 * four processes under their locks; the repr, the ctypes type name, an
 * int that wraps.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

static int add(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    int64_t times = mpr_obj_int_value(mpr_obj_item(args, 2)), x;
    mpr_value_t *n;
    mpr_array_t *a;
    double d;

    (void)kwargs;
    if ((n = case_arg(args, 0, MPR_HANDLE_VALUE)) == NULL ||
        (a = case_arg(args, 1, MPR_HANDLE_ARRAY)) == NULL)
        return mpr_last_error();
    for (int64_t i = 0; i < times; i++) {
        /* with n.get_lock(): n.value += 1 */
        mpr_semlock_acquire(mpr_value_get_lock(n), 1, MPR_TIMEOUT_NONE);
        mpr_value_get_double(n, &d);
        mpr_value_set_double(n, d + 1);
        mpr_semlock_release(mpr_value_get_lock(n));
        /* with a.get_lock(): a[0] -= 1 */
        mpr_semlock_acquire(mpr_array_get_lock(a), 1, MPR_TIMEOUT_NONE);
        mpr_array_get_int64(a, 0, &x);
        mpr_array_set_int64(a, 0, x - 1);
        mpr_semlock_release(mpr_array_get_lock(a));
    }
    return 0;
}
MPR_TARGET(add)

/* print()'s text for an object (steals o). */
static const char *str_of(mpr_obj_t *o, char **buf)
{
    *buf = NULL;
    if (o != NULL)
        mpr_obj_repr(o, buf, NULL);
    mpr_obj_decref(o);
    return *buf != NULL ? *buf : "?";
}

int main(int argc, char **argv)
{
    mpr_process_options_t opts = {.target = add};
    mpr_obj_t *zero, *range, *big, *o1, *o2, *args;
    char *s, *s1, *s2;
    mpr_process_t *ps[4];
    mpr_value_t *num;
    mpr_array_t *arr;

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
    if (mpr_value_repr(num, &s, NULL) < 0)
        return 1;
    printf("%s\n", s);
    mpr_free(s);
    printf("%s %zu\n", mpr_array_obj_type_name(arr), mpr_array_len(arr));
    big = mpr_obj_int(2147483648LL); /* 2**31 */
    mpr_array_set_item(arr, 1, big);
    mpr_obj_decref(big);
    mpr_array_get_item(arr, 1, &o1);
    mpr_array_get_slice(arr, MPR_SLICE_NONE, 3, MPR_SLICE_NONE, &o2);
    printf("%s %s\n", str_of(o1, &s1), str_of(o2, &s2));
    mpr_free(s1);
    mpr_free(s2);
    args = mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_VALUE, num),
                               mpr_obj_handle(MPR_HANDLE_ARRAY, arr),
                               mpr_obj_int(200));
    opts.args = args;
    for (int i = 0; i < 4; i++)
        if (mpr_process_new(&ps[i], &opts) < 0)
            return 1;
    mpr_obj_decref(args);
    for (int i = 0; i < 4; i++)
        if (mpr_process_start(ps[i]) < 0)
            return 1;
    for (int i = 0; i < 4; i++) {
        mpr_process_join(ps[i], MPR_TIMEOUT_NONE);
        mpr_process_free(ps[i]);
    }
    mpr_value_get(num, &o1);
    mpr_array_get_item(arr, 0, &o2);
    printf("%s %s\n", str_of(o1, &s1), str_of(o2, &s2));
    mpr_free(s1);
    mpr_free(s2);
    mpr_value_free(num);
    mpr_array_free(arr);
    return 0;
}
