/*
 * shared/value-contracts: Value and RawValue typecodes, wrap-around,
 * rounding, conversion errors, the lock= matrix (default RLock, a given
 * Lock, lock=False, RawValue) and a child's writes.
 */
#include <mpr.h>

#include "support.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* print()'s text of an object in a rotating static buffer (steals o) */
static const char *text(mpr_obj_t *o)
{
    static char bufs[8][256];
    static int which;
    char *r = NULL, *out = bufs[which = (which + 1) % 8];

    snprintf(out, sizeof(bufs[0]), "?");
    if (o != NULL && mpr_obj_repr(o, &r, NULL) == 0)
        snprintf(out, sizeof(bufs[0]), "%s", r);
    mpr_free(r);
    mpr_obj_decref(o);
    return out;
}

/* repr of a Value (frees nothing) */
static const char *vrep(mpr_value_t *v)
{
    static char bufs[4][256];
    static int which;
    char *r = NULL, *out = bufs[which = (which + 1) % 4];

    snprintf(out, sizeof(bufs[0]), "?");
    if (mpr_value_repr(v, &r, NULL) == 0)
        snprintf(out, sizeof(bufs[0]), "%s", r);
    mpr_free(r);
    return out;
}

static const char *lrep(mpr_semlock_t *s)
{
    static char bufs[2][64];
    static int which;
    char *r = NULL, *out = bufs[which ^= 1];

    snprintf(out, sizeof(bufs[0]), "?");
    if (s != NULL && mpr_semlock_repr(s, &r, NULL) == 0)
        snprintf(out, sizeof(bufs[0]), "%s", r);
    mpr_free(r);
    return out;
}

/* v.value as print() shows it */
static const char *value_text(mpr_value_t *v)
{
    mpr_obj_t *o = NULL;

    mpr_value_get(v, &o);
    return text(o);
}

static void print_error(const char *label, int r)
{
    printf("%s %s %s\n", label, mpr_err_pytype(r), mpr_last_error_detail());
}

/* Value(code, init) expected to fail; steals init */
static void attempt_new(const char *label, const char *code, mpr_obj_t *init,
                        int raw)
{
    mpr_value_t *v = NULL;
    int r = raw ? mpr_rawvalue_new(&v, code, init)
                : mpr_value_new(&v, code, init, NULL);

    if (r < 0)
        print_error(label, r);
    else
        printf("%s %s\n", label, vrep(v));
    mpr_value_free(v);
    mpr_obj_decref(init);
}

static mpr_value_t *make(const char *code, mpr_obj_t *init,
                         const mpr_sync_options_t *o)
{
    mpr_value_t *v = NULL;

    if (mpr_value_new(&v, code, init, o) < 0)
        v = NULL;
    mpr_obj_decref(init);
    return v;
}

/* child(v, lv, raw, h) */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_value_t *v, *lv, *raw, *h;
    double d = 0;

    (void)kwargs;
    if ((v = case_arg(args, 0, MPR_HANDLE_VALUE)) == NULL ||
        (lv = case_arg(args, 1, MPR_HANDLE_VALUE)) == NULL ||
        (raw = case_arg(args, 2, MPR_HANDLE_VALUE)) == NULL ||
        (h = case_arg(args, 3, MPR_HANDLE_VALUE)) == NULL)
        return mpr_last_error();
    printf("child sees: %s %s %s %s\n", value_text(v), value_text(lv),
           value_text(raw), value_text(h));
    mpr_semlock_acquire(mpr_value_get_lock(lv), 1, MPR_TIMEOUT_NONE);
    printf("child holds: %s\n", lrep(mpr_value_get_lock(lv)));
    mpr_semlock_release(mpr_value_get_lock(lv));
    mpr_value_set_int64(v, 2147483648LL + 5);
    mpr_value_get_double(raw, &d);
    mpr_value_set_double(raw, d * 2);
    mpr_value_set_int64(h, 40000);
    return 0;
}
MPR_TARGET(child)

int main(int argc, char **argv)
{
    static const char *const zero_codes[] = {"i", "c", "u", "d"};
    mpr_sync_options_t raw_opts = {.raw = 1}, lock_opts = {0};
    mpr_value_t *v, *lv, *raw, *rv, *h, *d, *z[4], *x[6];
    mpr_process_t *p;
    mpr_lock_t *lock;
    mpr_obj_t *o, *args;
    int code, r;

    if (mpr_main(argc, argv) < 0)
        return 1;
    for (int i = 0; i < 4; i++)
        if (mpr_value_new(&z[i], zero_codes[i], NULL, NULL) < 0)
            return 1;
    printf("zero values: %s %s %s %s\n", vrep(z[0]), vrep(z[1]), vrep(z[2]),
           vrep(z[3]));
    for (int i = 0; i < 4; i++)
        mpr_value_free(z[i]);

    {
        struct {
            const char *code;
            int n;
            mpr_obj_t *inits[4];
        } table[] = {
            {"b", 3, {mpr_obj_int(127), mpr_obj_int(128), mpr_obj_int(-129)}},
            {"B", 3, {mpr_obj_int(255), mpr_obj_int(256), mpr_obj_int(-1)}},
            {"h",
             3,
             {mpr_obj_int(32767), mpr_obj_int(32768), mpr_obj_int(-32769)}},
            {"H", 3, {mpr_obj_int(65535), mpr_obj_int(65536), mpr_obj_int(-1)}},
            {"i",
             3,
             {mpr_obj_int(2147483647LL), mpr_obj_int(2147483648LL),
              mpr_obj_int(-2147483649LL)}},
            {"I",
             3,
             {mpr_obj_int(4294967295LL), mpr_obj_int(4294967296LL),
              mpr_obj_int(-1)}},
            {"l", 2, {mpr_obj_int(INT64_MAX), mpr_obj_int(INT64_MIN)}},
            {"L", 2, {mpr_obj_int(INT64_MAX), mpr_obj_int(-1)}},
            {"q", 2, {mpr_obj_int(INT64_MIN), mpr_obj_int(5)}},
            {"Q", 2, {mpr_obj_int(-1), mpr_obj_int(5)}},
            {"f",
             4,
             {mpr_obj_float(0.1), mpr_obj_int(16777217), mpr_obj_float(1e39),
              mpr_obj_float(-1e39)}},
            {"d",
             3,
             {mpr_obj_float(0.1), mpr_obj_float(INFINITY), mpr_obj_int(7)}},
            {"c",
             3,
             {mpr_obj_bytes("x", 1), mpr_obj_int(65), mpr_obj_int(255)}},
            {"u",
             2,
             {mpr_obj_str("\xc3\xa9"), mpr_obj_str("\xf0\x9f\x98\x80")}},
        };
        for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
            printf("%s", table[i].code);
            for (int j = 0; j < table[i].n; j++) {
                mpr_value_t *rw = NULL;
                r = mpr_value_new(&rw, table[i].code, table[i].inits[j],
                                  &raw_opts);
                printf(" %s->%s", text(mpr_obj_incref(table[i].inits[j])),
                       r == 0 ? vrep(rw) : mpr_err_pytype(r));
                mpr_value_free(rw);
                mpr_obj_decref(table[i].inits[j]);
            }
            printf("\n");
        }
    }
    x[0] = make("b", mpr_obj_int(200), NULL);
    x[1] = make("I", mpr_obj_int(-2), NULL);
    x[2] = make("f", mpr_obj_float(0.1), NULL);
    x[3] = make("c", mpr_obj_int(66), NULL);
    x[4] = make("d", mpr_obj_int(7), NULL);
    x[5] = make("b", mpr_obj_bool(1), NULL);
    for (int i = 0; i < 6; i++)
        if (x[i] == NULL)
            return 1;
    printf(".value: %s %s %s %s %s %s\n", value_text(x[0]), value_text(x[1]),
           value_text(x[2]), value_text(x[3]), value_text(x[4]),
           value_text(x[5]));
    for (int i = 0; i < 6; i++)
        mpr_value_free(x[i]);

    attempt_new("Value('i', 1.5):", "i", mpr_obj_float(1.5), 0);
    attempt_new("Value('i', '1'):", "i", mpr_obj_str("1"), 0);
    attempt_new("Value('i', None):", "i", mpr_obj_none(), 0);
    attempt_new("Value('d', 'x'):", "d", mpr_obj_str("x"), 0);
    attempt_new("Value('c', 256):", "c", mpr_obj_int(256), 0);
    attempt_new("Value('c', 'x'):", "c", mpr_obj_str("x"), 0);
    attempt_new("Value('u', 'xy'):", "u", mpr_obj_str("xy"), 0);
    attempt_new("Value('u', b'x'):", "u", mpr_obj_bytes("x", 1), 0);
    attempt_new("Value('x', 1):", "x", mpr_obj_int(1), 0);
    attempt_new("Value('ii', 1):", "ii", mpr_obj_int(1), 0);
    attempt_new("RawValue('x', 1):", "x", mpr_obj_int(1), 1);
    if ((d = make("d", mpr_obj_float(1.5), NULL)) == NULL)
        return 1;
    o = mpr_obj_str("x");
    if ((r = mpr_value_set(d, o)) < 0)
        print_error("d.value = 'x':", r);
    mpr_obj_decref(o);
    printf("d.value kept: %s\n", value_text(d));
    mpr_value_free(d);

    if ((v = make("i", mpr_obj_int(7), NULL)) == NULL)
        return 1;
    {
        char *gr = NULL;
        mpr_value_obj_repr(v, &gr, NULL);
        printf("default lock: %s %s %s\n", vrep(v), gr != NULL ? gr : "?",
               lrep(mpr_value_get_lock(v)));
        mpr_free(gr);
    }
    mpr_value_acquire(v, 1, MPR_TIMEOUT_NONE);
    printf("with v: %s\n", lrep(mpr_value_get_lock(v)));
    mpr_value_release(v);
    if (mpr_lock_new(&lock) < 0)
        return 1;
    lock_opts.lock = lock;
    if ((lv = make("i", mpr_obj_int(7), &lock_opts)) == NULL)
        return 1;
    printf("lock=Lock(): %s %s %s\n", vrep(lv),
           case_bool(mpr_value_get_lock(lv) == lock),
           lrep(mpr_value_get_lock(lv)));
    mpr_value_acquire(lv, 1, MPR_TIMEOUT_NONE);
    printf("with lv: %s\n", lrep(lock));
    mpr_value_release(lv);
    if ((raw = make("i", mpr_obj_int(5), &raw_opts)) == NULL)
        return 1;
    printf("lock=False: %s %s %s\n", vrep(raw), mpr_value_obj_type_name(raw),
           value_text(raw));
    if (mpr_value_get_lock(raw) == NULL)
        print_error("lock=False get_lock():", mpr_last_error());
    o = mpr_obj_float(2.5);
    if (mpr_rawvalue_new(&rv, "d", o) < 0)
        return 1;
    mpr_obj_decref(o);
    printf("RawValue: %s %s %s\n", vrep(rv), mpr_value_obj_type_name(rv),
           value_text(rv));
    if (mpr_value_get_lock(rv) == NULL)
        print_error("RawValue get_lock():", mpr_last_error());

    if ((h = make("h", mpr_obj_int(0), NULL)) == NULL)
        return 1;
    args = mpr_obj_tuple_steal(4, mpr_obj_handle(MPR_HANDLE_VALUE, v),
                               mpr_obj_handle(MPR_HANDLE_VALUE, lv),
                               mpr_obj_handle(MPR_HANDLE_VALUE, rv),
                               mpr_obj_handle(MPR_HANDLE_VALUE, h));
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
    printf("after the child: %s %s %s %d\n", value_text(v), value_text(rv),
           value_text(h), code);
    printf("%s %s %s\n", vrep(v), vrep(rv), vrep(h));
    mpr_value_free(v);
    mpr_value_free(lv);
    mpr_value_free(raw);
    mpr_value_free(rv);
    mpr_value_free(h);
    mpr_lock_free(lock);
    return 0;
}
