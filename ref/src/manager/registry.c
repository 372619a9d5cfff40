/*
 * registry.c - the types a manager's server can create, found by typeid
 * (CPython 3.11 BaseManager._registry, filled as SyncManager registers
 * its typeids, then by mpr_manager_register in register.c), and the four things
 * the server does with an object: create it, call an exposed method (its arity
 * checked first), repr it, free it.  Each type is one mpr__mtype_t table in the
 * file of the Python module it mirrors.  Per-server-process state only.
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* SyncManager's registrations, in CPython's order of register() calls. */
static const mpr__mtype_t *const types[] = {
    &mpr__mtype_queue,      &mpr__mtype_jqueue,      &mpr__mtype_event,
    &mpr__mtype_lock,       &mpr__mtype_rlock,       &mpr__mtype_semaphore,
    &mpr__mtype_bsemaphore, &mpr__mtype_condition,   &mpr__mtype_barrier,
    &mpr__mtype_dict,       &mpr__mtype_list,        &mpr__mtype_namespace,
    &mpr__mtype_value,      &mpr__mtype_array,       &mpr__mtype_iterator,
    &mpr__mtype_pool,       &mpr__mtype_asyncresult,
};

/* mpr_manager_register's types, in order of registration (register.c);
 * they live as long as the program, as a manager class's _registry. */
static pthread_mutex_t added_mu = PTHREAD_MUTEX_INITIALIZER;
static const mpr__mtype_t **added;
static size_t n_added;

int mpr__mtype_add(const mpr__mtype_t *t)
{
    const mpr__mtype_t **grown;
    int rc = 0;

    pthread_mutex_lock(&added_mu);
    grown = mpr__sys.realloc(added, (n_added + 1) * sizeof(*added));
    if (grown == NULL)
        rc = MPR__ERR(ENOMEM);
    else {
        added = grown;
        added[n_added++] = t;
    }
    pthread_mutex_unlock(&added_mu);
    return rc;
}

const mpr__mtype_t *mpr__mtype_find(const char *typeid)
{
    const mpr__mtype_t *t = NULL;

    pthread_mutex_lock(&added_mu);
    for (size_t i = n_added; t == NULL && i > 0; i--)
        if (strcmp(added[i - 1]->typeid, typeid) == 0)
            t = added[i - 1];
    pthread_mutex_unlock(&added_mu);
    for (size_t i = 0; t == NULL && i < sizeof(types) / sizeof(types[0]); i++)
        if (strcmp(types[i]->typeid, typeid) == 0)
            t = types[i];
    return t;
}

int mpr__mobj_create(const char *typeid, const mpr_obj_t *args,
                     const mpr_obj_t *kwds, mpr__mobj_t **out)
{
    const mpr__mtype_t *t = mpr__mtype_find(typeid);
    mpr__mobj_t *o;
    int rc;

    if (t == NULL)
        return mpr__error(MPR_EKEY, "'%s'", typeid);
    if ((rc = mpr__margs_check(&t->init_args, t, "__init__", args, kwds)) < 0)
        return rc;
    if ((o = mpr__sys.calloc(1, t->size)) == NULL)
        return MPR__ERR(ENOMEM);
    o->type = t;
    mpr__mobj_lock();
    rc = t->init ? t->init(o, args, kwds) : 0;
    mpr__mobj_unlock();
    if (rc < 0) {
        mpr__mobj_free(o);
        return rc;
    }
    *out = o;
    return 0;
}

void mpr__mobj_free(mpr__mobj_t *o)
{
    if (o == NULL)
        return;
    if (o->type->free != NULL)
        o->type->free(o);
    free(o);
}

mpr_obj_t *mpr__mobj_exposed(const mpr__mobj_t *o)
{
    const mpr__mmeth_t *m = o->type->methods;
    size_t n = 0;
    mpr_obj_t *t;

    while (m[n].name != NULL)
        n++;
    if ((t = mpr_obj_tuple_new(n)) == NULL)
        return NULL;
    for (size_t i = 0; i < n; i++)
        if (mpr_obj_tuple_set_steal(t, i, mpr_obj_str(m[i].name)) < 0) {
            mpr_obj_decref(t);
            return NULL;
        }
    return t;
}

int mpr__mobj_call(mpr__mobj_t *o, const char *method, const mpr_obj_t *args,
                   const mpr_obj_t *kwds, unsigned long client, mpr_obj_t **out)
{
    return mpr__mobj_call_made(o, method, args, kwds, client, out, NULL);
}

int mpr__mobj_call_made(mpr__mobj_t *o, const char *method,
                        const mpr_obj_t *args, const mpr_obj_t *kwds,
                        unsigned long client, mpr_obj_t **out,
                        mpr__mobj_t **made)
{
    const mpr__mmeth_t *m = o->type->methods;
    int rc;

    if (made != NULL)
        *made = NULL;
    for (; m->name != NULL; m++) {
        size_t i = (size_t)(m - o->type->methods);
        if (strcmp(m->name, method) != 0)
            continue;
        *out = NULL;
        if ((rc = mpr__margs_check(&m->args, o->type, method, args, kwds)) < 0)
            return rc;
        mpr__mobj_lock();
        /* A caller that cannot take a new object (made NULL) runs the
         * plain method, which refuses to make one. */
        rc = made != NULL && o->type->make != NULL
                 ? o->type->make(o, i, args, kwds, made)
                 : 1;
        if (rc == 1)
            rc = o->type->call != NULL ? o->type->call(o, i, args, kwds, out)
                                       : m->fn(o, args, kwds, client, out);
        /* Wake every waiter: any call may have changed what one waits for. */
        mpr__mobj_broadcast();
        mpr__mobj_unlock();
        return rc;
    }
    return mpr__error(MPR_EATTR, "no method '%s'", method);
}

int mpr__mobj_repr(mpr__mobj_t *o, mpr_obj_t **out)
{
    int rc;

    mpr__mobj_lock();
    rc = o->type->repr(o, out);
    mpr__mobj_unlock();
    return rc;
}
