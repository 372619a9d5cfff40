/*
 * shared/getobj-getlock: Value() and Array() with the default lock, with
 * lock=None and with a given Lock have get_lock() and get_obj(); with
 * lock=False, and RawValue/RawArray, neither; a lock that is not a lock
 * raises AttributeError.  The lock= keyword goes as a value
 * (mpr_sync_options_t.lock_value), as the Python passes None, False, a
 * Lock or a str; the default is no options at all.
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

/* Value and Array behind one set of calls, as the Python loops over
 * (mp.Value, mp.RawValue) and (mp.Array, mp.RawArray) */
typedef struct {
    const char *kind;
    int (*make)(void **out, const mpr_obj_t *init,
                const mpr_sync_options_t *opts);
    int (*raw)(void **out, const mpr_obj_t *init);
    mpr_semlock_t *(*get_lock)(void *o);
    /* get_obj(): 0 and type(o.get_obj()).__name__ in *name, or the error */
    int (*get_obj)(void *o, const char **name);
    mpr_handle_kind_t handle; /* for the repr of a successful make */
    void (*free)(void *o);
} kind_t;

static int value_make(void **out, const mpr_obj_t *init,
                      const mpr_sync_options_t *opts)
{
    return mpr_value_new((mpr_value_t **)out, "i", init, opts);
}

static int value_raw(void **out, const mpr_obj_t *init)
{
    return mpr_rawvalue_new((mpr_value_t **)out, "i", init);
}

static mpr_semlock_t *value_get_lock(void *o)
{
    return mpr_value_get_lock(o);
}

static int value_get_obj(void *o, const char **name)
{
    mpr_value_t *obj;
    int rc = mpr_value_get_obj(o, &obj);

    if (rc == 0)
        *name = mpr_value_obj_type_name(obj);
    return rc;
}

static void value_free(void *o)
{
    mpr_value_free(o);
}

static int array_make(void **out, const mpr_obj_t *init,
                      const mpr_sync_options_t *opts)
{
    return mpr_array_new((mpr_array_t **)out, "i", init, opts);
}

static int array_raw(void **out, const mpr_obj_t *init)
{
    return mpr_rawarray_new((mpr_array_t **)out, "i", init);
}

static mpr_semlock_t *array_get_lock(void *o)
{
    return mpr_array_get_lock(o);
}

static int array_get_obj(void *o, const char **name)
{
    mpr_array_t *obj;
    int rc = mpr_array_get_obj(o, &obj);

    if (rc == 0)
        *name = mpr_array_obj_type_name(obj);
    return rc;
}

static void array_free(void *o)
{
    mpr_array_free(o);
}

static const kind_t kinds[] = {
    {"Value", value_make, value_raw, value_get_lock, value_get_obj,
     MPR_HANDLE_VALUE, value_free},
    {"Array", array_make, array_raw, array_get_lock, array_get_obj,
     MPR_HANDLE_ARRAY, array_free},
};

/* 'get_lock %s, get_obj %s' % (hasattr(o, 'get_lock'), hasattr(o,
 * 'get_obj')), in a static buffer */
static const char *attrs(const kind_t *k, void *o)
{
    static char buf[64];
    const char *name;

    snprintf(buf, sizeof buf, "get_lock %s, get_obj %s",
             case_bool(k->get_lock(o) != NULL),
             case_bool(k->get_obj(o, &name) == 0));
    return buf;
}

/* type(lock).__name__ */
static const char *lock_type(mpr_semlock_t *lock)
{
    static char buf[32];
    mpr_obj_t *h = lock ? mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock) : NULL;

    snprintf(buf, sizeof buf, "%s", h ? mpr_obj_type_name(h) : "NoneType");
    mpr_obj_decref(h);
    return buf;
}

/* print(kind, label, attrs(v), type(v.get_lock()).__name__,
 * type(v.get_obj()).__name__) for a v made with opts */
static int with_default_lock(const kind_t *k, const char *label,
                             const mpr_obj_t *init,
                             const mpr_sync_options_t *opts)
{
    void *v;
    const char *obj_name = "?";
    int rc = k->make(&v, init, opts);

    if (rc < 0)
        return rc;
    printf("%s %s %s", k->kind, label, attrs(k, v));
    printf(" %s", lock_type(k->get_lock(v)));
    if ((rc = k->get_obj(v, &obj_name)) < 0) {
        k->free(v);
        return rc;
    }
    printf(" %s\n", obj_name);
    k->free(v);
    return 0;
}

static int rows(const kind_t *k, const mpr_obj_t *init, mpr_lock_t *lock)
{
    mpr_obj_t *none = mpr_obj_none(), *no = mpr_obj_bool(0);
    mpr_obj_t *lock_value = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock);
    mpr_obj_t *bad =
        mpr_obj_str(k->handle == MPR_HANDLE_VALUE ? "navalue" : "notalock");
    mpr_sync_options_t with_none = {.lock_value = none};
    mpr_sync_options_t with_lock = {.lock_value = lock_value};
    mpr_sync_options_t with_false = {.lock_value = no};
    mpr_sync_options_t with_bad = {.lock_value = bad};
    char label[64], *r = NULL;
    void *v = NULL;
    int rc;

    if (!none || !no || !lock_value || !bad) {
        rc = mpr_last_error();
        goto out;
    }
    if ((rc = with_default_lock(k, "default lock:", init, NULL)) < 0 ||
        (rc = with_default_lock(k, "lock=None:", init, &with_none)) < 0)
        goto out;

    if ((rc = k->make(&v, init, &with_lock)) < 0)
        goto out;
    mpr_semlock_t *got = k->get_lock(v);
    mpr_obj_t *got_value = got ? mpr_obj_handle(MPR_HANDLE_SEMLOCK, got) : NULL;
    printf("%s lock=Lock(): %s get_lock() is the Lock %s equal %s\n", k->kind,
           attrs(k, v), case_bool(got == lock),
           case_bool(got_value && mpr_obj_eq(got_value, lock_value) == 1));
    mpr_obj_decref(got_value);
    k->free(v);
    v = NULL;

    if ((rc = k->make(&v, init, &with_false)) < 0)
        goto out;
    printf("%s lock=False: %s\n", k->kind, attrs(k, v));
    k->free(v);
    v = NULL;

    if ((rc = k->raw(&v, init)) < 0)
        goto out;
    printf("Raw%s: %s\n", k->kind, attrs(k, v));
    k->free(v);
    v = NULL;

    /* show(kind + ' lock=%r:' % bad, lambda: make('i', init, lock=bad)) */
    if ((rc = mpr_obj_repr(bad, &r, NULL)) < 0)
        goto out;
    snprintf(label, sizeof label, "%s lock=%s:", k->kind, r);
    rc = k->make(&v, init, &with_bad);
    case_show(label, rc, rc < 0 ? NULL : mpr_obj_handle(k->handle, v));
    rc = 0;
out:
    k->free(v);
    mpr_free(r);
    mpr_obj_decref(bad);
    mpr_obj_decref(lock_value);
    mpr_obj_decref(no);
    mpr_obj_decref(none);
    return rc;
}

int main(int argc, char **argv)
{
    mpr_lock_t *lock;
    mpr_obj_t *inits[2];
    int rc;

    if ((rc = mpr_main(argc, argv)) < 0 || (rc = mpr_lock_new(&lock)) < 0)
        return case_fail(rc);
    inits[0] = mpr_obj_int(5);
    inits[1] = case_range_list(0, 10);
    if (inits[0] == NULL || inits[1] == NULL)
        return case_fail(mpr_last_error());
    for (size_t i = 0; i < 2 && rc >= 0; i++)
        rc = rows(&kinds[i], inits[i], lock);
    mpr_obj_decref(inits[0]);
    mpr_obj_decref(inits[1]);
    mpr_lock_free(lock);
    return rc < 0 ? case_fail(rc) : 0;
}
