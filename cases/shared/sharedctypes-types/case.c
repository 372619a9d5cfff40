/*
 * shared/sharedctypes-types: Value of a typecode, of c_double and
 * c_longlong (typecodes 'd' and 'q'), and of a Structure Foo built from
 * positional arguments, Array('d', list) and Array('c', 20) with .value,
 * all doubled by a child, without and with a lock; copy() of a Structure
 * is independent of the original.  Each object reaches the child as a
 * token (CPython pickles them for spawn and forkserver; a fork child
 * rebuilds the same mapping).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* class Foo(Structure): _fields_ = [('x', c_int), ('y', c_double),
 * ('z', c_longlong)] */
static const mpr_field_t foo_fields[] = {{"x", "i"}, {"y", "d"}, {"z", "q"}};
static const mpr_struct_type_t Foo = {"Foo", foo_fields, 3};

/* obj *= 2 for an int or float */
static mpr_obj_t *twice(const mpr_obj_t *o)
{
    if (mpr_obj_type(o) == MPR_OBJ_FLOAT)
        return mpr_obj_float(mpr_obj_float_value(o) * 2);
    return mpr_obj_int(mpr_obj_int_value(o) * 2);
}

static int double_value(mpr_value_t *v)
{
    mpr_obj_t *o, *t;
    int r;

    if ((r = mpr_value_get(v, &o)) < 0)
        return r;
    t = twice(o);
    r = t ? mpr_value_set(v, t) : mpr_last_error();
    mpr_obj_decref(o);
    mpr_obj_decref(t);
    return r;
}

static int double_field(mpr_struct_t *s, const char *field)
{
    mpr_obj_t *o, *t;
    int r;

    if ((r = mpr_struct_get(s, field, &o)) < 0)
        return r;
    t = twice(o);
    r = t ? mpr_struct_set(s, field, t) : mpr_last_error();
    mpr_obj_decref(o);
    mpr_obj_decref(t);
    return r;
}

/* string.value *= 2 */
static int double_string(mpr_array_t *a)
{
    mpr_obj_t *o, *t;
    size_t n;
    const unsigned char *d;
    char buf[64];
    int r;

    if ((r = mpr_array_get_value(a, &o)) < 0)
        return r;
    d = mpr_obj_bytes_data(o, &n);
    if (n > sizeof(buf) / 2)
        n = sizeof(buf) / 2;
    memcpy(buf, d, n);
    memcpy(buf + n, d, n);
    t = mpr_obj_bytes(buf, 2 * n);
    r = t ? mpr_array_set_value(a, t) : mpr_last_error();
    mpr_obj_decref(o);
    mpr_obj_decref(t);
    return r;
}

/* double(x, y, z, foo, arr, string) */
static int double_all(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_value_t *v[3] = {NULL, NULL, NULL};
    mpr_struct_t *foo = NULL;
    mpr_array_t *arr = NULL, *string = NULL;
    int r = 0;

    (void)kwargs;
    for (int i = 0; i < 3 && r == 0; i++)
        r = mpr_value_rebuild(&v[i], mpr_obj_item(args, (size_t)i));
    if (r < 0 || (r = mpr_struct_rebuild(&foo, mpr_obj_item(args, 3))) < 0 ||
        (r = mpr_array_rebuild(&arr, mpr_obj_item(args, 4))) < 0 ||
        (r = mpr_array_rebuild(&string, mpr_obj_item(args, 5))) < 0)
        goto out;
    for (int i = 0; i < 3 && r == 0; i++)
        r = double_value(v[i]);
    if (r < 0 || (r = double_field(foo, "x")) < 0 ||
        (r = double_field(foo, "y")) < 0 || (r = double_string(string)) < 0)
        goto out;
    for (size_t i = 0; i < mpr_array_len(arr) && r == 0; i++) {
        double d;
        if ((r = mpr_array_get_double(arr, (ptrdiff_t)i, &d)) == 0)
            r = mpr_array_set_double(arr, (ptrdiff_t)i, d * 2);
    }
out:
    for (int i = 0; i < 3; i++)
        mpr_value_free(v[i]);
    mpr_struct_free(foo);
    mpr_array_free(arr);
    mpr_array_free(string);
    return r;
}
MPR_TARGET(double_all)

/* print(' ' + str(o), end=''), o stolen */
static int print_obj(mpr_obj_t *o)
{
    char *s;
    int r;

    if (o == NULL)
        return mpr_last_error();
    if ((r = mpr_obj_repr(o, &s, NULL)) == 0) {
        printf(" %s", s);
        mpr_free(s);
    }
    mpr_obj_decref(o);
    return r;
}

static int run(int lock)
{
    mpr_sync_options_t raw = {.raw = 1}, *opts = lock ? NULL : &raw;
    mpr_value_t *v[3];
    mpr_struct_t *foo;
    mpr_array_t *arr, *string;
    mpr_process_options_t po = {.target = double_all, .daemon = MPR_TRUE};
    mpr_process_t *p;
    mpr_obj_t *init, *args, *o;
    int r, exitcode;

    if ((init = mpr_obj_int(7)) == NULL ||
        (r = mpr_value_new(&v[0], "i", init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((init = mpr_obj_float(1.0 / 3.0)) == NULL ||
        (r = mpr_value_new(&v[1], "d", init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((init = mpr_obj_int(INT64_C(1) << 33)) == NULL ||
        (r = mpr_value_new(&v[2], "q", init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((init = mpr_obj_tuple_steal(2, mpr_obj_int(3), mpr_obj_int(2))) ==
            NULL ||
        (r = mpr_struct_value_new(&foo, &Foo, init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    /* mp.Array('d', list(range(10))): the ints become doubles */
    if ((init = case_range_list(0, 10)) == NULL ||
        (r = mpr_array_new(&arr, "d", init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((init = mpr_obj_int(20)) == NULL ||
        (r = mpr_array_new(&string, "c", init, opts)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((init = mpr_obj_bytes("hello", 5)) == NULL ||
        (r = mpr_array_set_value(string, init)) < 0)
        return init ? r : mpr_last_error();
    mpr_obj_decref(init);
    if ((args = mpr_obj_tuple_new(6)) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < 6; i++) {
        r = i < 3    ? mpr_value_reduce(v[i], &o)
            : i == 3 ? mpr_struct_reduce(foo, &o)
                     : mpr_array_reduce(i == 4 ? arr : string, &o);
        if (r < 0)
            return r;
        mpr_obj_tuple_set_steal(args, i, o);
    }
    po.args = args;
    if ((r = mpr_process_new(&p, &po)) < 0 || (r = mpr_process_start(p)) < 0 ||
        (r = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return r;
    mpr_obj_decref(args);
    mpr_process_exitcode(p, &exitcode);
    printf("lock=%s:", case_bool(lock));
    for (int i = 0; i < 3; i++)
        if ((r = mpr_value_get(v[i], &o)) < 0 || (r = print_obj(o)) < 0)
            return r;
    if ((r = mpr_struct_get(foo, "x", &o)) < 0 || (r = print_obj(o)) < 0 ||
        (r = mpr_struct_get(foo, "y", &o)) < 0 || (r = print_obj(o)) < 0 ||
        (r = mpr_array_get_slice(arr, MPR_SLICE_NONE, MPR_SLICE_NONE,
                                 MPR_SLICE_NONE, &o)) < 0 ||
        (r = print_obj(o)) < 0 || (r = mpr_array_get_value(string, &o)) < 0 ||
        (r = print_obj(o)) < 0)
        return r;
    printf(" exitcode %d\n", exitcode);
    mpr_process_free(p);
    for (int i = 0; i < 3; i++)
        mpr_value_free(v[i]);
    mpr_struct_free(foo);
    mpr_array_free(arr);
    mpr_array_free(string);
    return 0;
}

int main(int argc, char **argv)
{
    static const char *const xyz[] = {"x", "y", "z"};
    mpr_struct_t *foo, *bar;
    mpr_obj_t *init, *zero, *o;
    int r;

    if ((r = mpr_main(argc, argv)) < 0 || (r = run(0)) < 0 || (r = run(1)) < 0)
        return case_fail(r);
    /* foo = Foo(2, 5.0, 2 ** 33): a raw Foo (here in shared memory) */
    init = mpr_obj_tuple_steal(3, mpr_obj_int(2), mpr_obj_float(5.0),
                               mpr_obj_int(INT64_C(1) << 33));
    if (init == NULL || (r = mpr_struct_rawvalue_new(&foo, &Foo, init)) < 0 ||
        (r = mpr_struct_copy(&bar, foo)) < 0)
        return case_fail(init ? r : mpr_last_error());
    mpr_obj_decref(init);
    if ((zero = mpr_obj_int(0)) == NULL)
        return case_fail(mpr_last_error());
    for (int i = 0; i < 3; i++)
        if ((r = mpr_struct_set(foo, xyz[i], zero)) < 0)
            return case_fail(r);
    mpr_obj_decref(zero);
    printf("copy():");
    for (int i = 0; i < 3; i++)
        if ((r = mpr_struct_get(bar, xyz[i], &o)) < 0 || (r = print_obj(o)) < 0)
            return case_fail(r);
    printf(" original");
    for (int i = 0; i < 3; i++)
        if ((r = mpr_struct_get(foo, xyz[i], &o)) < 0 || (r = print_obj(o)) < 0)
            return case_fail(r);
    printf("\n");
    mpr_struct_free(foo);
    mpr_struct_free(bar);
    return 0;
}
