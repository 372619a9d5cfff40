/*
 * mobj_managers.c - the managers.Namespace and managers.Value a manager's
 * server holds (SyncManager's 'Namespace' and 'Value' typeids, CPython
 * 3.11), with the methods NamespaceProxy and ValueProxy expose and
 * CPython's messages.  Runs under the server lock.  State: Namespace, its
 * __dict__ (mpr__mbox_t); Value, the typecode and the value as given.
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define V(o) (((mpr__mbox_t *)(o))->v)

typedef struct {
    mpr__mobj_t head;
    mpr_obj_t *typecode; /* as given: Value does not convert */
    mpr_obj_t *v;
} value_t;

/* ---- Namespace and Value (managers.Namespace, managers.Value) ------------ */

static int attr_error(const char *type, const mpr_obj_t *name)
{
    return mpr__error(
        MPR_EATTR, "'%s' object has no attribute '%s'", type,
        mpr_obj_type(name) == MPR_OBJ_STR ? mpr_obj_str_utf8(name, NULL) : "?");
}

/* The name argument of __getattribute__/__setattr__/__delattr__ (their
 * count checked by the registry as slot wrappers'). */
static int name_arg(const mpr_obj_t *a)
{
    const mpr_obj_t *name = mpr_obj_item(a, 0);

    if (mpr_obj_type(name) != MPR_OBJ_STR)
        return mpr__error(MPR_ETYPE, "attribute name must be string, not '%s'",
                          mpr_obj_type_name(name));
    return 0;
}

static int ns_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    mpr_obj_t *v;
    int rc;

    (void)c;
    if ((rc = name_arg(a)) < 0)
        return rc;
    if (mpr_obj_dict_get(V(o), ARG(0, NULL), &v) != 1)
        return attr_error("Namespace", ARG(0, NULL));
    RET(mpr_obj_incref(v));
}

static int ns_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = name_arg(a)) < 0)
        return rc;
    if ((rc = mpr_obj_dict_set(V(o), (mpr_obj_t *)ARG(0, NULL),
                               (mpr_obj_t *)ARG(1, NULL))) < 0)
        return rc;
    RET_NONE();
}

static int ns_del(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                  unsigned long c, mpr_obj_t **out)
{
    int rc;

    (void)c;
    if ((rc = name_arg(a)) < 0)
        return rc;
    if (mpr_obj_dict_del(V(o), ARG(0, NULL)) < 0)
        return attr_error("Namespace", ARG(0, NULL));
    RET_NONE();
}

static const mpr__mmeth_t ns_methods[] = {
    {"__getattribute__", ns_get, MPR__WRAPPER(1)},
    {"__setattr__", ns_set, MPR__UNPACK(2)},
    {"__delattr__", ns_del, MPR__WRAPPER(1)},
    {NULL, NULL, MPR__OWNARGS}};

static int v_get(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    (void)a, (void)kw, (void)c;
    RET(mpr_obj_incref(((value_t *)o)->v));
}

static int v_set(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                 unsigned long c, mpr_obj_t **out)
{
    value_t *val = (value_t *)o;

    (void)c;
    mpr_obj_decref(val->v);
    val->v = mpr_obj_incref((mpr_obj_t *)ARG(0, "value"));
    RET_NONE();
}

static const mpr__mmeth_t value_methods[] = {
    {"get", v_get, MPR__PYDEF(0, "")},
    {"set", v_set, MPR__PYDEF(1, "value")},
    {NULL, NULL, MPR__OWNARGS}};

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* repr(Namespace): non-underscore attributes, "name=repr" sorted. */
static int ns_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    size_t n = mpr_obj_len(V(o)), pos = 0, k = 0, len = 12;
    char **parts = mpr__sys.calloc(n + 1, sizeof(*parts)), *buf = NULL;
    mpr_obj_t *key, *val;
    int rc = 0;

    if (parts == NULL)
        return MPR__ERR(ENOMEM);
    while (rc == 0 && mpr_obj_dict_next(V(o), &pos, &key, &val)) {
        const char *s = mpr_obj_str_utf8(key, NULL);
        char *r;
        if (s[0] == '_')
            continue;
        if ((rc = mpr_obj_repr(val, &r, NULL)) < 0)
            break;
        if (mpr__asprintf(&parts[k], "%s=%s", s, r) < 0)
            rc = MPR__ERR(ENOMEM);
        else
            len += strlen(parts[k++]) + 2;
        mpr_free(r);
    }
    qsort(parts, k, sizeof(*parts), cmp_str);
    if (rc == 0 && (buf = mpr__sys.malloc(len)) == NULL)
        rc = MPR__ERR(ENOMEM);
    if (rc == 0) {
        strcpy(buf, "Namespace(");
        for (size_t i = 0; i < k; i++) {
            if (i > 0)
                strcat(buf, ", ");
            strcat(buf, parts[i]);
        }
        strcat(buf, ")");
        if ((*out = mpr_obj_str(buf)) == NULL)
            rc = mpr_last_error();
    }
    for (size_t i = 0; i < k; i++)
        free(parts[i]);
    free(parts);
    free(buf);
    return rc;
}

static int value_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    const value_t *val = (const value_t *)o;
    char *t = NULL, *v = NULL, *s = NULL;
    int rc;

    if ((rc = mpr_obj_repr(val->typecode, &t, NULL)) == 0 &&
        (rc = mpr_obj_repr(val->v, &v, NULL)) == 0) {
        if (mpr__asprintf(&s, "Value(%s, %s)", t, v) < 0)
            rc = MPR__ERR(ENOMEM);
        else if ((*out = mpr_obj_str(s)) == NULL)
            rc = mpr_last_error();
    }
    mpr_free(t);
    mpr_free(v);
    free(s);
    return rc;
}

/* ---- constructors and the types ------------------------------------------
 */

/* Namespace(**kwds) */
static int ns_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    (void)a;
    V(o) = kw ? mpr__mdict_copy(kw) : mpr_obj_dict();
    return V(o) ? 0 : mpr_last_error();
}

/* Value(typecode, value, lock=True) */
static int value_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    value_t *val = (value_t *)o;

    val->typecode = mpr_obj_incref((mpr_obj_t *)ARG(0, "typecode"));
    val->v = mpr_obj_incref((mpr_obj_t *)ARG(1, "value"));
    return 0;
}

static void value_free(mpr__mobj_t *o)
{
    mpr_obj_decref(((value_t *)o)->typecode);
    mpr_obj_decref(((value_t *)o)->v);
}

const mpr__mtype_t mpr__mtype_namespace = {
    .typeid = "Namespace",
    .proxytype = "NamespaceProxy",
    .pyname = "Namespace",
    .pyclass = "multiprocessing.managers.Namespace",
    .size = sizeof(mpr__mbox_t),
    .init = ns_init,
    .init_args = {MPR__MARGS_PYTHON, 0, 0, MPR__MARGS_KW, NULL, ""},
    .free = mpr__mbox_free,
    .repr = ns_repr,
    .methods = ns_methods,
};

const mpr__mtype_t mpr__mtype_value = {
    .typeid = "Value",
    .proxytype = "ValueProxy",
    .pyname = "Value",
    .pyclass = "multiprocessing.managers.Value",
    .size = sizeof(value_t),
    .init = value_init,
    .init_args = MPR__PYDEF(2, "typecode value lock"),
    .free = value_free,
    .repr = value_repr,
    .methods = value_methods,
};
