/*
 * shared/array-contracts: Array and RawArray indexing, slicing, slice
 * assignment and its errors, wrap-around, size 0, c_char arrays' value and
 * raw, reprs, lock=False, a child's writes.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

#define NONE MPR_SLICE_NONE

/* print()'s text of an object in a rotating static buffer (steals o): a
 * str prints as its text, anything else as its repr */
static const char *text(mpr_obj_t *o)
{
    static char bufs[12][256];
    static int which;
    char *r = NULL, *out = bufs[which = (which + 1) % 12];

    snprintf(out, sizeof(bufs[0]), "?");
    if (o != NULL && mpr_obj_type(o) == MPR_OBJ_STR)
        snprintf(out, sizeof(bufs[0]), "%s", mpr_obj_str_utf8(o, NULL));
    else if (o != NULL && mpr_obj_repr(o, &r, NULL) == 0)
        snprintf(out, sizeof(bufs[0]), "%s", r);
    mpr_free(r);
    mpr_obj_decref(o);
    return out;
}

static const char *sl(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                      ptrdiff_t step)
{
    mpr_obj_t *o = NULL;

    mpr_array_get_slice(a, start, stop, step, &o);
    return text(o);
}

static const char *item(mpr_array_t *a, ptrdiff_t i)
{
    mpr_obj_t *o = NULL;

    mpr_array_get_item(a, i, &o);
    return text(o);
}

static const char *value_of(mpr_array_t *a)
{
    mpr_obj_t *o = NULL;

    mpr_array_get_value(a, &o);
    return text(o);
}

static const char *raw_of(mpr_array_t *a)
{
    mpr_obj_t *o = NULL;

    mpr_array_get_raw(a, &o);
    return text(o);
}

/* type(a).__name__ */
static const char *type_name(mpr_array_t *a)
{
    if (mpr_array_get_lock(a) != NULL)
        return mpr_array_typecode(a) == 'c' ? "SynchronizedString"
                                            : "SynchronizedArray";
    return mpr_array_obj_type_name(a);
}

static const char *obj_type_name(mpr_array_t *a)
{
    return mpr_array_obj_type_name(a);
}

static void print_error(const char *label, int r)
{
    printf("%s %s %s\n", label, mpr_err_pytype(r), mpr_last_error_detail());
}

/* attempt(label, setitem(...)): the error, or a[:] after it */
static void attempt_set(const char *label, int r, mpr_array_t *a)
{
    if (r < 0)
        print_error(label, r);
    else
        printf("%s %s\n", label, sl(a, NONE, NONE, NONE));
}

static void attempt_get(const char *label, mpr_array_t *a, ptrdiff_t i)
{
    mpr_obj_t *o = NULL;
    int r = mpr_array_get_item(a, i, &o);

    if (r < 0)
        print_error(label, r);
    else
        printf("%s %s\n", label, text(o));
}

static int set_item(mpr_array_t *a, ptrdiff_t i, mpr_obj_t *v)
{
    int r = v == NULL ? mpr_last_error() : mpr_array_set_item(a, i, v);
    mpr_obj_decref(v);
    return r;
}

static int set_slice(mpr_array_t *a, ptrdiff_t start, ptrdiff_t stop,
                     ptrdiff_t step, mpr_obj_t *seq)
{
    int r = seq == NULL ? mpr_last_error()
                        : mpr_array_set_slice(a, start, stop, step, seq);
    mpr_obj_decref(seq);
    return r;
}

static int set_value(mpr_array_t *a, mpr_obj_t *v, int raw)
{
    int r = raw ? mpr_array_set_raw(a, v) : mpr_array_set_value(a, v);
    mpr_obj_decref(v);
    return r;
}

/* Array(code, init, lock=...) / RawArray; steals init; NULL on error with
 * the error printed under label when label is set */
static mpr_array_t *make(const char *label, const char *code, mpr_obj_t *init,
                         const mpr_sync_options_t *o)
{
    mpr_array_t *a = NULL;
    int r = init == NULL ? mpr_last_error() : mpr_array_new(&a, code, init, o);

    mpr_obj_decref(init);
    if (r < 0) {
        if (label != NULL)
            print_error(label, r);
        return NULL;
    }
    return a;
}

static mpr_obj_t *int_list(int n, const int64_t *v)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; i < n; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(v[i]));
    return l;
}

static mpr_obj_t *range(int64_t start, int64_t stop)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int64_t i = start; i < stop; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(i));
    return l;
}

static void print_repr(mpr_array_t *a, int obj)
{
    char *r = NULL;

    if ((obj ? mpr_array_obj_repr(a, &r, NULL) : mpr_array_repr(a, &r, NULL)) ==
        0)
        printf("%s\n", r);
    mpr_free(r);
}

/* child(a, s, r) */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    static const int64_t sevens[2] = {7, 7};
    mpr_array_t *a, *s, *r;
    int64_t x;
    int rc;

    (void)kwargs;
    if ((a = case_arg(args, 0, MPR_HANDLE_ARRAY)) == NULL ||
        (s = case_arg(args, 1, MPR_HANDLE_ARRAY)) == NULL ||
        (r = case_arg(args, 2, MPR_HANDLE_ARRAY)) == NULL)
        return mpr_last_error();
    for (size_t i = 0; i < mpr_array_len(a); i++) {
        mpr_array_get_int64(a, (ptrdiff_t)i, &x);
        mpr_array_set_int64(a, (ptrdiff_t)i, -x);
    }
    if ((rc = set_value(s, mpr_obj_bytes("child", 5), 0)) < 0 ||
        (rc = set_slice(r, NONE, NONE, 2, int_list(2, sevens))) < 0)
        return rc;
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    static const int64_t one[1] = {1}, two0[2] = {0, 0}, seq78[2] = {7, 8},
                         four[4] = {-1, -2, -3, -4},
                         wrap[2] = {4294967301LL, -2147483649LL},
                         bytes3[3] = {127, 128, -129}, d12[2] = {1, 2};
    mpr_sync_options_t raw_opts = {.raw = 1};
    mpr_array_t *a, *z, *s, *e, *c0, *r, *ra, *rs, *t[4];
    mpr_obj_t *o, *l, *args;
    mpr_process_t *p;
    int code, same;

    if (mpr_main(argc, argv) < 0 ||
        (a = make(NULL, "i", range(0, 10), NULL)) == NULL)
        return 1;
    /* list(a) == a[:] */
    l = mpr_obj_list();
    for (size_t i = 0; i < mpr_array_len(a); i++) {
        mpr_array_get_item(a, (ptrdiff_t)i, &o);
        mpr_obj_list_append_steal(l, o);
    }
    mpr_array_get_slice(a, NONE, NONE, NONE, &o);
    same = mpr_obj_eq(l, o);
    mpr_obj_decref(l);
    printf("%zu %s %s\n", mpr_array_len(a), text(o), case_bool(same));
    printf("%s %s %s %s %s %s %s %s %s\n", sl(a, 2, 5, NONE),
           sl(a, NONE, NONE, 2), item(a, -1), item(a, -10),
           sl(a, NONE, NONE, -1), sl(a, 8, 2, -2), sl(a, 7, 3, NONE),
           sl(a, -3, NONE, NONE), sl(a, NONE, 100, NONE));
    attempt_get("a[10]:", a, 10);
    attempt_get("a[-11]:", a, -11);
    attempt_set("a[10] = 1:", set_item(a, 10, mpr_obj_int(1)), a);
    {
        int rr = mpr_array_get_slice(a, NONE, NONE, 0, &o);
        if (rr < 0)
            print_error("a[::0]:", rr);
        else
            printf("a[::0]: %s\n", text(o));
    }
    attempt_set("a[0:2] = [1]:", set_slice(a, 0, 2, NONE, int_list(1, one)), a);
    attempt_set(
        "a[::3] = [0, 0]:", set_slice(a, NONE, NONE, 3, int_list(2, two0)), a);
    attempt_set("a[0] = 'x':", set_item(a, 0, mpr_obj_str("x")), a);
    attempt_set("a[0] = 1.5:", set_item(a, 0, mpr_obj_float(1.5)), a);
    o = mpr_obj_tuple_steal(2, mpr_obj_int(seq78[0]), mpr_obj_int(seq78[1]));
    attempt_set("a[1:3] = (7, 8):", set_slice(a, 1, 3, NONE, o), a);
    attempt_set("a[::3] = [-1, -2, -3, -4]:",
                set_slice(a, NONE, NONE, 3, int_list(4, four)), a);
    attempt_set("a[-1] = 2**31:", set_item(a, -1, mpr_obj_int(2147483648LL)),
                a);
    attempt_set("a[2:4] = [2**32 + 5, -2**31 - 1]:",
                set_slice(a, 2, 4, NONE, int_list(2, wrap)), a);
    o = NULL;
    {
        int rr = mpr_array_get_value(a, &o);
        if (rr < 0)
            print_error("a.value:", rr);
        else
            printf("a.value: %s\n", text(o));
    }
    {
        char *lr = NULL;
        mpr_semlock_repr(mpr_array_get_lock(a), &lr, NULL);
        printf("%s %s %s\n", type_name(a), obj_type_name(a),
               lr != NULL ? lr : "?");
        mpr_free(lr);
    }
    print_repr(a, 0);
    print_repr(a, 1);

    if ((t[0] = make(NULL, "i", mpr_obj_int(3), NULL)) == NULL ||
        (t[1] = make(NULL, "d", mpr_obj_int(2), NULL)) == NULL ||
        (t[2] = make(NULL, "c", mpr_obj_int(3), NULL)) == NULL ||
        (t[3] = make(NULL, "u", mpr_obj_int(2), NULL)) == NULL)
        return 1;
    mpr_array_get_slice(t[3], NONE, NONE, NONE, &o);
    l = mpr_obj_strn("\0\0", 2);
    same = mpr_obj_eq(o, l);
    mpr_obj_decref(o);
    mpr_obj_decref(l);
    printf("zero-filled: %s %s %s %s\n", sl(t[0], NONE, NONE, NONE),
           sl(t[1], NONE, NONE, NONE), sl(t[2], NONE, NONE, NONE),
           case_bool(same));
    for (int i = 0; i < 4; i++)
        mpr_array_free(t[i]);
    if ((z = make(NULL, "i", mpr_obj_int(0), NULL)) == NULL)
        return 1;
    printf("size 0: %zu %s %s\n", mpr_array_len(z), sl(z, NONE, NONE, NONE),
           obj_type_name(z));
    attempt_get("size 0 [0]:", z, 0);
    mpr_array_free(z);
    make("Array('i', -1):", "i", mpr_obj_int(-1), NULL);
    make("Array('i', [1.5]):", "i",
         mpr_obj_list_of_steal(1, mpr_obj_float(1.5)), NULL);
    make("Array('x', 3):", "x", mpr_obj_int(3), NULL);
    if ((t[0] = make("Array('b', [127, 128, -129]):", "b", int_list(3, bytes3),
                     NULL)) == NULL)
        return 1;
    printf("Array('b', [127, 128, -129]): %s\n", sl(t[0], NONE, NONE, NONE));
    mpr_array_free(t[0]);
    if ((t[0] = make(NULL, "d", int_list(2, d12), NULL)) == NULL ||
        (t[1] = make(NULL, "b", mpr_obj_bytes("ab", 2), NULL)) == NULL ||
        (t[2] = make(NULL, "u", mpr_obj_str("h\xc3\xa9"), NULL)) == NULL ||
        (t[3] = make(NULL, "f", mpr_obj_list_of_steal(1, mpr_obj_float(0.1)),
                     NULL)) == NULL)
        return 1;
    printf("%s %s %s %s\n", sl(t[0], NONE, NONE, NONE),
           sl(t[1], NONE, NONE, NONE), sl(t[2], NONE, NONE, NONE),
           sl(t[3], NONE, NONE, NONE));
    for (int i = 0; i < 4; i++)
        mpr_array_free(t[i]);

    if ((s = make(NULL, "c", mpr_obj_bytes("hello", 5), NULL)) == NULL)
        return 1;
    printf("c array: %s %zu %s %s %s %s %s\n", type_name(s), mpr_array_len(s),
           value_of(s), raw_of(s), sl(s, NONE, NONE, NONE), item(s, 1),
           sl(s, -1, NONE, NONE));
    set_value(s, mpr_obj_bytes("hi", 2), 0);
    printf("value = hi: %s %s\n", value_of(s), raw_of(s));
    set_value(s, mpr_obj_bytes("XY", 2), 1);
    printf("raw = XY: %s %s\n", value_of(s), raw_of(s));
    set_slice(s, 3, 5, NONE, mpr_obj_bytes("!?", 2));
    printf("s[3:5] = !?: %s %s\n", value_of(s), raw_of(s));
    attempt_set("s.value = b'toolong':",
                set_value(s, mpr_obj_bytes("toolong", 7), 0), s);
    attempt_set(
        "s.raw = b'toolong':", set_value(s, mpr_obj_bytes("toolong", 7), 1), s);
    attempt_set("s[0] = b'ab':", set_item(s, 0, mpr_obj_bytes("ab", 2)), s);
    attempt_set(
        "s[0:2] = b'a':", set_slice(s, 0, 2, NONE, mpr_obj_bytes("a", 1)), s);
    printf("unchanged: %s\n", raw_of(s));
    if ((e = make(NULL, "c", mpr_obj_int(10), NULL)) == NULL ||
        (c0 = make(NULL, "c", mpr_obj_int(0), NULL)) == NULL)
        return 1;
    printf("c array of 10: %s %s\n", value_of(e), raw_of(e));
    printf("Array('c', 0): %s %s\n", value_of(c0), raw_of(c0));
    mpr_array_free(e);
    mpr_array_free(c0);

    if ((r = make(NULL, "i", range(1, 4), &raw_opts)) == NULL)
        return 1;
    printf("lock=False: %s %s %zu\n", type_name(r), sl(r, NONE, NONE, NONE),
           mpr_array_len(r));
    if (mpr_array_get_lock(r) == NULL)
        print_error("lock=False get_lock():", mpr_last_error());
    o = range(1, 4);
    if (mpr_rawarray_new(&ra, "i", o) < 0)
        return 1;
    mpr_obj_decref(o);
    printf("RawArray: %s %s\n", type_name(ra), sl(ra, NONE, NONE, NONE));
    if (mpr_array_get_lock(ra) == NULL)
        print_error("RawArray get_lock():", mpr_last_error());
    o = mpr_obj_bytes("raw", 3);
    if (mpr_rawarray_new(&rs, "c", o) < 0)
        return 1;
    mpr_obj_decref(o);
    printf("RawArray c: %s %s %s\n", type_name(rs), value_of(rs), raw_of(rs));
    print_repr(s, 0);
    print_repr(rs, 0);

    mpr_array_free(a);
    if ((a = make(NULL, "i", range(-2, 3), NULL)) == NULL)
        return 1;
    args = mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_ARRAY, a),
                               mpr_obj_handle(MPR_HANDLE_ARRAY, s),
                               mpr_obj_handle(MPR_HANDLE_ARRAY, ra));
    {
        mpr_process_options_t po = {.target = child, .args = args};
        if (args == NULL || mpr_process_new(&p, &po) < 0 ||
            mpr_process_start(p) < 0)
            return 1;
    }
    mpr_obj_decref(args);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    if (mpr_process_exitcode(p, &code) != 1)
        code = -999;
    mpr_process_free(p);
    printf("after the child: %s %s %s %s %d\n", sl(a, NONE, NONE, NONE),
           value_of(s), raw_of(s), sl(ra, NONE, NONE, NONE), code);
    mpr_array_free(a);
    mpr_array_free(s);
    mpr_array_free(r);
    mpr_array_free(ra);
    mpr_array_free(rs);
    return 0;
}
