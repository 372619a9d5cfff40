/*
 * obj_convert.c - tuple(o) and dict(o), the conversions Process() and
 * Pool apply to a caller's args and kwargs.  No state.
 */
#include "mpr/obj.h"
#include "base/internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <stddef.h>

static int nomem(void)
{
    return mpr__error(MPR__ERR(ENOMEM), NULL);
}

/* tuple(o): tuples, lists, dicts (their keys), str (characters) and bytes
 * (ints) iterate; the other types raise. */
int mpr__obj_to_tuple(const mpr_obj_t *o, mpr_obj_t **out)
{
    mpr_obj_t *t = NULL;
    size_t n = mpr_obj_len(o);

    switch (mpr_obj_type(o)) {
    case MPR_OBJ_TUPLE:
        *out = mpr_obj_incref((mpr_obj_t *)o);
        return 0;
    case MPR_OBJ_LIST:
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0; t != NULL && i < n; i++)
            mpr_obj_tuple_set_steal(t, i, mpr_obj_incref(mpr_obj_item(o, i)));
        break;
    case MPR_OBJ_DICT: {
        size_t pos = 0, i = 0;
        mpr_obj_t *k;
        t = mpr_obj_tuple_new(n);
        while (t != NULL && mpr_obj_dict_next(o, &pos, &k, NULL))
            mpr_obj_tuple_set_steal(t, i++, mpr_obj_incref(k));
        break;
    }
    case MPR_OBJ_BYTES: {
        const unsigned char *b = mpr_obj_bytes_data(o, &n);
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0; t != NULL && i < n; i++)
            if (mpr_obj_tuple_set_steal(t, i, mpr_obj_int(b[i])) < 0) {
                mpr_obj_decref(t);
                t = NULL;
            }
        break;
    }
    case MPR_OBJ_STR: {
        size_t len;
        const char *s = mpr_obj_str_utf8(o, &len);
        t = mpr_obj_tuple_new(n);
        for (size_t i = 0, at = 0; t != NULL && i < n; i++) {
            size_t w = 1;
            while (at + w < len && ((unsigned char)s[at + w] & 0xc0) == 0x80)
                w++;
            if (mpr_obj_tuple_set_steal(t, i, mpr_obj_strn(s + at, w)) < 0) {
                mpr_obj_decref(t);
                t = NULL;
            }
            at += w;
        }
        break;
    }
    default:
        return mpr__error(MPR_ETYPE, "'%s' object is not iterable",
                          mpr_obj_type_name(o));
    }
    if (t == NULL)
        return nomem();
    *out = t;
    return 0;
}

/* dict(o): a dict is copied; a sequence must hold pairs. */
int mpr__obj_to_dict(const mpr_obj_t *o, mpr_obj_t **out)
{
    mpr_obj_t *d = mpr_obj_dict(), *k, *v, *items = NULL;
    size_t pos = 0;
    int rc = 0;

    if (d == NULL)
        return nomem();
    if (mpr_obj_type(o) == MPR_OBJ_DICT) {
        while (rc == 0 && mpr_obj_dict_next(o, &pos, &k, &v))
            rc = mpr_obj_dict_set(d, k, v);
    } else if ((rc = mpr__obj_to_tuple(o, &items)) == 0) {
        for (size_t i = 0; rc == 0 && i < mpr_obj_len(items); i++) {
            mpr_obj_t *e = mpr_obj_item(items, i);
            mpr_obj_type_t t = mpr_obj_type(e);
            if (t != MPR_OBJ_TUPLE && t != MPR_OBJ_LIST)
                rc = mpr__error(MPR_ETYPE,
                                "cannot convert dictionary update "
                                "sequence element #%zu to a sequence",
                                i);
            else if (mpr_obj_len(e) != 2)
                rc = mpr__error(MPR_EVALUE,
                                "dictionary update sequence "
                                "element #%zu has length %zu; 2 is required",
                                i, mpr_obj_len(e));
            else
                rc =
                    mpr_obj_dict_set(d, mpr_obj_item(e, 0), mpr_obj_item(e, 1));
        }
        mpr_obj_decref(items);
    }
    if (rc < 0) {
        mpr_obj_decref(d);
        return rc;
    }
    *out = d;
    return 0;
}
