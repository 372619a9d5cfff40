/*
 * register.c - mpr_manager_register: C types registered with the
 * manager's registry, as CPython 3.11's BaseManager.register(typeid,
 * callable, proxytype, exposed) does for Python ones.  Each registration
 * becomes one more mpr__mtype_t (registry.c), whose exposed methods share
 * one trampoline that calls the user's function on the factory's object.
 * State: the registrations, kept for the program's life (server side,
 * server-process memory; client side, the proxy type's name).
 */
#include "mpr/manager.h"
#include "manager/manager_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A registered type: the registry's view first. */
typedef struct {
    mpr__mtype_t base;
    mpr_manager_type_t user;
    mpr_manager_method_fn *fns; /* the exposed methods', as base.methods */
    char *typeid, *proxytype, *pyname;
} utype_t;

/* An object of a registered type: what its factory made. */
typedef struct {
    mpr__mobj_t head;
    void *self;
} uobj_t;

#define UTYPE(o) ((const utype_t *)(o)->type)

static int u_init(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw)
{
    const utype_t *t = UTYPE(o);

    /* callable=None: CPython would take args[0] as the object itself,
     * which a C server cannot hold. */
    if (t->user.factory == NULL)
        return mpr__error(MPR_EVALUE,
                          "Without callable, must have one non-keyword "
                          "argument");
    return t->user.factory(a, kw, &((uobj_t *)o)->self);
}

static void u_free(mpr__mobj_t *o)
{
    const utype_t *t = UTYPE(o);

    if (t->user.free != NULL && ((uobj_t *)o)->self != NULL)
        t->user.free(((uobj_t *)o)->self);
}

/* object.__repr__: "<pyname object at 0x...>" */
static int u_repr(const mpr__mobj_t *o, mpr_obj_t **out)
{
    char *s = NULL;
    int rc;

    if (mpr__asprintf(&s, "<%s object at %p>", UTYPE(o)->pyname,
                      ((const uobj_t *)o)->self) < 0)
        return MPR__ERR(ENOMEM);
    rc = mpr__mstr_out(s, out);
    free(s);
    return rc;
}

static int u_call(mpr__mobj_t *o, size_t i, const mpr_obj_t *args,
                  const mpr_obj_t *kw, mpr_obj_t **out)
{
    int rc = UTYPE(o)->fns[i](((uobj_t *)o)->self, args, kw, out);

    if (rc == 0 && *out == NULL)
        *out = mpr_obj_none();
    return rc;
}

/* The user's method called name, or NULL. */
static const mpr_manager_method_t *find_method(const mpr_manager_type_t *t,
                                               const char *name)
{
    for (const mpr_manager_method_t *m = t->methods; m && m->name; m++)
        if (strcmp(m->name, name) == 0)
            return m;
    return NULL;
}

static int cmp_name(const void *x, const void *y)
{
    return strcmp(((const mpr__mmeth_t *)x)->name,
                  ((const mpr__mmeth_t *)y)->name);
}

/* base.methods and fns: the exposed names (public_methods(): the public
 * ones, in dir()'s sorted order, when exposed is NULL). */
static int expose(utype_t *t)
{
    const mpr_manager_type_t *u = &t->user;
    mpr__mmeth_t *m;
    size_t n = 0, k = 0;

    for (const mpr_manager_method_t *p = u->methods; p && p->name; p++)
        n++;
    for (const char *const *e = u->exposed; e && *e; e++)
        n++;
    if ((m = mpr__sys.calloc(n + 1, sizeof(*m))) == NULL ||
        (t->fns = mpr__sys.calloc(n + 1, sizeof(*t->fns))) == NULL) {
        free(m);
        return MPR__ERR(ENOMEM);
    }
    t->base.methods = m;
    if (u->exposed != NULL) {
        for (const char *const *e = u->exposed; *e; e++, k++) {
            if (find_method(u, *e) == NULL)
                return mpr__error(MPR_EVALUE,
                                  "exposed name '%s' is not a method of "
                                  "'%s'",
                                  *e, t->typeid);
            m[k] = (mpr__mmeth_t){*e, NULL, MPR__OWNARGS};
        }
    } else {
        for (const mpr_manager_method_t *p = u->methods; p && p->name; p++)
            if (p->name[0] != '_')
                m[k++] = (mpr__mmeth_t){p->name, NULL, MPR__OWNARGS};
        qsort(m, k, sizeof(*m), cmp_name);
    }
    for (size_t i = 0; i < k; i++)
        t->fns[i] = find_method(u, m[i].name)->fn;
    return 0;
}

static void utype_free(utype_t *t)
{
    free((void *)t->base.methods);
    free(t->fns);
    free(t->typeid);
    free(t->proxytype);
    free(t->pyname);
    free(t);
}

int mpr_manager_register(const char *typeid, const mpr_manager_type_t *type)
{
    utype_t *t = mpr__sys.calloc(1, sizeof(*t));
    int rc;

    if (t == NULL)
        return MPR__ERR(ENOMEM);
    t->user = *type;
    t->typeid = strdup(typeid);
    t->pyname = strdup(type->pyname ? type->pyname : typeid);
    if (type->proxytype != NULL)
        t->proxytype = strdup(type->proxytype);
    else if (mpr__asprintf(&t->proxytype, "AutoProxy[%s]", typeid) < 0)
        t->proxytype = NULL;
    if (t->typeid == NULL || t->pyname == NULL || t->proxytype == NULL) {
        utype_free(t);
        return MPR__ERR(ENOMEM);
    }
    t->base = (mpr__mtype_t){
        .typeid = t->typeid,
        .proxytype = t->proxytype,
        .pyname = t->pyname,
        .size = sizeof(uobj_t),
        .init = u_init,
        .init_args = MPR__OWNARGS,
        .free = u_free,
        .repr = u_repr,
        .call = u_call,
    };
    if ((rc = expose(t)) < 0 || (rc = mpr__mtype_add(&t->base)) < 0) {
        utype_free(t);
        return rc;
    }
    return 0;
}
