/*
 * manager_proxy.c - proxies (CPython 3.11's managers.BaseProxy and the
 * proxy types SyncManager registers): creation through the manager,
 * _callmethod over the calling thread's connection to the server, shared
 * by every proxy of that server (a fork child opens its own and takes its
 * own reference, as BaseProxy._after_fork), str and repr, NamespaceProxy
 * attributes, reduce/rebuild (RebuildProxy).
 * Per-process state: each thread's connections.
 */
#include "mpr/manager.h"
#include "manager/manager_internal.h"
#include "obj/objimpl.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* A server function on a fresh connection (incref, decref, create). */
static int oneshot(const mpr__maddr_t *a, const unsigned char *key,
                   size_t keylen, const char *fn, mpr_obj_t *args,
                   mpr_obj_t *kwds, mpr_obj_t **out)
{
    mpr_conn_t *c;
    int rc;

    if ((rc = mpr__mgr_client(a, key, keylen, &c)) == 0) {
        rc = mpr__mgr_dispatch(c, NULL, fn, args, kwds, out);
        mpr_conn_free(c);
    }
    return rc;
}

static int incref(mpr_proxy_t *p, const char *fn)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_str(p->ident));
    int rc;

    if (args == NULL)
        return mpr_last_error();
    rc = oneshot(&p->addr, p->key, p->keylen, fn, args, NULL, NULL);
    mpr_obj_decref(args);
    return rc;
}

static int proxy_new(const mpr__mtype_t *type, const char *ident,
                     const mpr__maddr_t *a, const void *key, size_t keylen,
                     mpr_proxy_t **out)
{
    mpr_proxy_t *p = mpr__sys.calloc(1, sizeof(*p));

    if (p == NULL || (p->key = mpr__sys.malloc(keylen ? keylen : 1)) == NULL) {
        free(p);
        return MPR__ERR(ENOMEM);
    }
    if (keylen > 0)
        memcpy(p->key, key, keylen);
    p->keylen = keylen;
    p->type = type;
    snprintf(p->ident, sizeof(p->ident), "%s", ident);
    p->addr = *a;
    p->ref_pid = getpid();
    *out = p;
    return 0;
}

/* BaseManager._create: create in the server, then a proxy owning the
 * server's one reference. */
static int create(mpr_manager_t *m, const mpr__mtype_t *type, mpr_obj_t *args,
                  mpr_obj_t *kwds, mpr_proxy_t **out)
{
    mpr_obj_t *full, *res = NULL;
    size_t n = args ? mpr_obj_len(args) : 0;
    int rc;

    if (m->state != MPR__MGR_STARTED)
        return mpr__error(MPR_EASSERT, "server not yet started");
    if ((full = mpr_obj_tuple_new(n + 1)) == NULL)
        return mpr_last_error();
    rc = mpr_obj_tuple_set_steal(full, 0, mpr_obj_str(type->typeid));
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = mpr_obj_tuple_set_steal(full, i + 1,
                                     mpr_obj_incref(mpr_obj_item(args, i)));
    if (rc == 0)
        rc = oneshot(&m->addr, m->key, m->keylen, "create", full, kwds, &res);
    mpr_obj_decref(full);
    if (rc == 0 && (mpr_obj_type(res) != MPR_OBJ_TUPLE ||
                    mpr_obj_type(mpr_obj_item(res, 0)) != MPR_OBJ_STR))
        rc = mpr__error(MPR_EREMOTE, "bad reply to create");
    if (rc == 0)
        rc = proxy_new(type, mpr_obj_str_utf8(mpr_obj_item(res, 0), NULL),
                       &m->addr, m->key, m->keylen, out);
    mpr_obj_decref(res);
    return rc;
}

static int create1(mpr_manager_t *m, const mpr__mtype_t *type, mpr_obj_t *arg,
                   mpr_obj_t *kwds, mpr_proxy_t **out)
{
    mpr_obj_t *args = arg ? mpr_obj_tuple_steal(1, arg) : mpr_obj_tuple(0);
    int rc;

    if (args == NULL) {
        mpr_obj_decref(kwds);
        return mpr_last_error();
    }
    rc = create(m, type, args, kwds, out);
    mpr_obj_decref(args);
    mpr_obj_decref(kwds);
    return rc;
}

int mpr_manager_dict(mpr_manager_t *m, const mpr_obj_t *init, mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_dict,
                   init ? mpr_obj_incref((mpr_obj_t *)init) : NULL, NULL, out);
}

int mpr_manager_list(mpr_manager_t *m, const mpr_obj_t *init, mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_list,
                   init ? mpr_obj_incref((mpr_obj_t *)init) : NULL, NULL, out);
}

int mpr_manager_namespace(mpr_manager_t *m, const mpr_obj_t *attrs,
                          mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_namespace, NULL,
                   attrs ? mpr_obj_incref((mpr_obj_t *)attrs) : NULL, out);
}

int mpr_manager_value(mpr_manager_t *m, const char *typecode,
                      const mpr_obj_t *value, mpr_proxy_t **out)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(2, mpr_obj_str(typecode),
                                          mpr_obj_incref((mpr_obj_t *)value));
    int rc;

    if (args == NULL)
        return mpr_last_error();
    rc = create(m, &mpr__mtype_value, args, NULL, out);
    mpr_obj_decref(args);
    return rc;
}

int mpr_manager_lock(mpr_manager_t *m, mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_lock, NULL, NULL, out);
}

int mpr_manager_event(mpr_manager_t *m, mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_event, NULL, NULL, out);
}

int mpr_manager_queue(mpr_manager_t *m, int maxsize, mpr_proxy_t **out)
{
    return create1(m, &mpr__mtype_queue, mpr_obj_int(maxsize), NULL, out);
}

int mpr_manager_create(mpr_manager_t *m, const char *typeid,
                       const mpr_obj_t *args, const mpr_obj_t *kwds,
                       mpr_proxy_t **out)
{
    const mpr__mtype_t *type = mpr__mtype_find(typeid);
    mpr_obj_t *none = NULL;
    int rc;

    if (type == NULL)
        return mpr__error(MPR_EATTR,
                          "'SyncManager' object has no attribute '%s'", typeid);
    if (args == NULL && (none = mpr_obj_tuple(0)) == NULL)
        return mpr_last_error();
    rc = create(m, type, args ? (mpr_obj_t *)args : none, (mpr_obj_t *)kwds,
                out);
    mpr_obj_decref(none);
    return rc;
}

/* ---- each thread's connections ------------------------------------------ */

/*
 * BaseProxy._address_to_local: the proxies of one server share one
 * connection per thread, opened by the first call and kept, so that after
 * the server has gone every proxy of a thread that had called fails alike
 * (BrokenPipeError, where a new connection would find no socket).  CPython
 * never closes it; here a thread's end closes its own, and
 * mpr__mgr_forget_connection (mpr_manager_free) the calling thread's.  A
 * fork child closes its copies of the forking thread's at once, as
 * ForkAwareLocal forgets them, and opens its own when it calls.
 */
typedef struct tconn_s {
    mpr__maddr_t addr;
    mpr_conn_t *conn;
    struct tconn_s *next;
} tconn_t;

static pthread_key_t tconn_key;
static pthread_once_t tconn_once = PTHREAD_ONCE_INIT;
static int tconn_key_error;

static void tconn_free_list(void *head)
{
    for (tconn_t *t = head, *next; t != NULL; t = next) {
        next = t->next;
        mpr_conn_free(t->conn); /* a fork child's copy: the parent's stays */
        free(t);
    }
}

static void tconn_after_fork_child(void)
{
    tconn_free_list(pthread_getspecific(tconn_key));
    pthread_setspecific(tconn_key, NULL);
}

static void tconn_init(void)
{
    if ((tconn_key_error = pthread_key_create(&tconn_key, tconn_free_list)) ==
        0)
        pthread_atfork(NULL, NULL, tconn_after_fork_child);
}

static int same_addr(const mpr__maddr_t *a, const mpr__maddr_t *b)
{
    if (a->family != b->family)
        return 0;
    if (a->family == AF_UNIX)
        return strcmp(a->path, b->path) == 0;
    return a->port == b->port && strcmp(a->host, b->host) == 0;
}

/* This thread's entry for a, or NULL; with take, unlinked from the list. */
static tconn_t *tconn_find(const mpr__maddr_t *a, int take)
{
    tconn_t *head, **link;

    if (pthread_once(&tconn_once, tconn_init) != 0 || tconn_key_error)
        return NULL;
    head = pthread_getspecific(tconn_key);
    for (link = &head; *link != NULL; link = &(*link)->next)
        if (same_addr(&(*link)->addr, a)) {
            tconn_t *t = *link;
            if (take) {
                *link = t->next;
                t->next = NULL;
                pthread_setspecific(tconn_key, head); /* no allocation */
            }
            return t;
        }
    return NULL;
}

void mpr__mgr_forget_connection(const mpr__maddr_t *a)
{
    tconn_free_list(tconn_find(a, 1));
}

/* Opens this thread's connection to a and lists it (BaseProxy._connect). */
static int tconn_open(const mpr__maddr_t *a, const unsigned char *key,
                      size_t keylen, tconn_t **out)
{
    tconn_t *t;
    mpr_obj_t *args;
    int rc;

    if (tconn_key_error)
        return mpr__error(MPR__ERR(tconn_key_error), NULL);
    if ((t = mpr__sys.calloc(1, sizeof(*t))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    t->addr = *a;
    if ((rc = mpr__mgr_client(a, key, keylen, &t->conn)) < 0) {
        free(t);
        return rc;
    }
    args = mpr_obj_tuple_steal(1, mpr_obj_str("MainThread"));
    rc = args ? mpr__mgr_dispatch(t->conn, NULL, "accept_connection", args,
                                  NULL, NULL)
              : mpr_last_error();
    mpr_obj_decref(args);
    if (rc == 0) {
        t->next = pthread_getspecific(tconn_key);
        if ((rc = pthread_setspecific(tconn_key, t)) != 0)
            rc = mpr__error(MPR__ERR(rc), NULL);
    }
    if (rc < 0) {
        t->next = NULL;
        tconn_free_list(t);
        return rc;
    }
    *out = t;
    return 0;
}

/* ---- proxies ------------------------------------------------------------ */

void mpr_proxy_free(mpr_proxy_t *p)
{
    if (p == NULL)
        return;
    /* BaseProxy._decref: only the process that holds a reference. */
    if (p->ref_pid == getpid())
        incref(p, "decref");
    mpr_obj_decref(p->local);
    free(p->key);
    free(p);
}

/* BaseProxy._connect, after a fork also _after_fork's incref: the
 * thread's connection to p's server (borrowed) in *out. */
static int connect_proxy(mpr_proxy_t *p, mpr_conn_t **out)
{
    tconn_t *t = tconn_find(&p->addr, 0);
    int rc;

    if (p->ref_pid != getpid()) {
        if ((rc = incref(p, "incref")) < 0)
            return rc;
        p->ref_pid = getpid();
    }
    if (t == NULL && (rc = tconn_open(&p->addr, p->key, p->keylen, &t)) < 0)
        return rc;
    *out = t->conn;
    return 0;
}

/* The proxy a '#PROXY' payload (exposed, (typeid, ident)) names, owning
 * the reference the server made it with. */
static int proxy_from(const mpr_proxy_t *p, const mpr_obj_t *payload,
                      mpr_proxy_t **out)
{
    const mpr_obj_t *token = mpr_obj_item(payload, 1);
    const mpr__mtype_t *type;

    if (mpr_obj_type(payload) != MPR_OBJ_TUPLE || mpr_obj_len(payload) != 2 ||
        mpr_obj_type(token) != MPR_OBJ_TUPLE || mpr_obj_len(token) != 2 ||
        mpr_obj_type(mpr_obj_item(token, 0)) != MPR_OBJ_STR ||
        mpr_obj_type(mpr_obj_item(token, 1)) != MPR_OBJ_STR)
        return mpr__error(MPR_EREMOTE, "malformed '#PROXY' reply");
    if ((type = mpr__mtype_find(
             mpr_obj_str_utf8(mpr_obj_item(token, 0), NULL))) == NULL)
        return mpr__error(MPR_EKEY, "'%s'",
                          mpr_obj_str_utf8(mpr_obj_item(token, 0), NULL));
    return proxy_new(type, mpr_obj_str_utf8(mpr_obj_item(token, 1), NULL),
                     &p->addr, p->key, p->keylen, out);
}

int mpr_proxy_callmethod_proxy(mpr_proxy_t *p, const char *method,
                               const mpr_obj_t *args, const mpr_obj_t *kwds,
                               mpr_proxy_t **out)
{
    mpr_obj_t *res = NULL;
    mpr_conn_t *c;
    int rc;

    if ((rc = connect_proxy(p, &c)) < 0 ||
        (rc = mpr__mgr_dispatch(c, p->ident, method, args, kwds, &res)) < 0)
        return rc;
    if (rc == 0) { /* a plain result: not an object of the server */
        mpr_obj_decref(res);
        return mpr__error(MPR_ETYPE, "'%s' of '%s' returned no proxy", method,
                          p->type->typeid);
    }
    rc = proxy_from(p, res, out);
    mpr_obj_decref(res);
    return rc;
}

int mpr_proxy_iter(mpr_proxy_t *p, mpr_proxy_t **out)
{
    return mpr_proxy_callmethod_proxy(p, "__iter__", NULL, NULL, out);
}

int mpr_proxy_callmethod(mpr_proxy_t *p, const char *method,
                         const mpr_obj_t *args, const mpr_obj_t *kwds,
                         mpr_obj_t **out)
{
    mpr_obj_t *res = NULL;
    mpr_conn_t *c;
    int rc;

    if ((rc = connect_proxy(p, &c)) < 0 ||
        (rc = mpr__mgr_dispatch(c, p->ident, method, args, kwds, &res)) < 0)
        return rc;
    if (rc == 1) { /* a '#PROXY' reply: drop the server's new object */
        mpr_proxy_t *made = NULL;
        rc = proxy_from(p, res, &made);
        mpr_obj_decref(res);
        mpr_proxy_free(made);
        return rc < 0 ? rc
                      : mpr__error(MPR_ETYPE,
                                   "'%s' returns a proxy: use "
                                   "mpr_proxy_callmethod_proxy",
                                   method);
    }
    if (out != NULL)
        *out = res;
    else
        mpr_obj_decref(res);
    return 0;
}

const char *mpr_proxy_type_name(const mpr_proxy_t *p)
{
    return p->type->proxytype;
}

int mpr_proxy_has_method(const mpr_proxy_t *p, const char *name)
{
    for (const mpr__mmeth_t *m = p->type->methods; m->name != NULL; m++)
        if (strcmp(m->name, name) == 0)
            return 1;
    return 0;
}

int mpr_proxy_repr(const mpr_proxy_t *p, char **out, size_t *len)
{
    int n = mpr__asprintf(out, "<%s object, typeid '%s' at %p>",
                          p->type->proxytype, p->type->typeid, (const void *)p);

    if (n < 0)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    if (len != NULL)
        *len = (size_t)n;
    return 0;
}

int mpr_proxy_str(mpr_proxy_t *p, char **out, size_t *len)
{
    mpr_obj_t *s;
    const char *text;
    size_t n;
    int rc;

    if ((rc = mpr_proxy_callmethod(p, "__repr__", NULL, NULL, &s)) < 0) {
        /* BaseProxy.__str__: any failure gives repr(self)[:-1] + "; '__str__()'
         * failed>" */
        int k = mpr__asprintf(
            out, "<%s object, typeid '%s' at %p; '__str__()' failed>",
            p->type->proxytype, p->type->typeid, (const void *)p);
        if (k < 0)
            return mpr__error(MPR__ERR(ENOMEM), NULL);
        if (len != NULL)
            *len = (size_t)k;
        return 0;
    }
    if (mpr_obj_type(s) != MPR_OBJ_STR) {
        mpr_obj_decref(s);
        return mpr__error(MPR_ETYPE, "__repr__ returned non-string");
    }
    text = mpr_obj_str_utf8(s, &n);
    if ((*out = mpr__sys.malloc(n + 1)) == NULL) {
        mpr_obj_decref(s);
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    }
    memcpy(*out, text, n + 1);
    if (len != NULL)
        *len = n;
    mpr_obj_decref(s);
    return 0;
}

/* _callmethod(name, (a, b)) with borrowed a, b (NULL ends the list). */
static int call2(mpr_proxy_t *p, const char *name, const mpr_obj_t *x,
                 const mpr_obj_t *y, mpr_obj_t **out)
{
    mpr_obj_t *args = y   ? mpr_obj_tuple(2, x, y)
                      : x ? mpr_obj_tuple(1, x)
                          : mpr_obj_tuple(0);
    int rc;

    if (args == NULL)
        return mpr_last_error();
    rc = mpr_proxy_callmethod(p, name, args, NULL, out);
    mpr_obj_decref(args);
    return rc;
}

int mpr_proxy_getitem(mpr_proxy_t *p, const mpr_obj_t *key, mpr_obj_t **out)
{
    return call2(p, "__getitem__", key, NULL, out);
}

int mpr_proxy_setitem(mpr_proxy_t *p, const mpr_obj_t *key,
                      const mpr_obj_t *value)
{
    return call2(p, "__setitem__", key, value, NULL);
}

int mpr_proxy_delitem(mpr_proxy_t *p, const mpr_obj_t *key)
{
    return call2(p, "__delitem__", key, NULL, NULL);
}

int mpr_proxy_len(mpr_proxy_t *p)
{
    mpr_obj_t *r;
    int64_t n;
    int rc;

    if ((rc = call2(p, "__len__", NULL, NULL, &r)) < 0)
        return rc;
    rc = mpr_obj_as_int64(r, &n);
    mpr_obj_decref(r);
    return rc < 0 ? rc : (int)n;
}

int mpr_proxy_contains(mpr_proxy_t *p, const mpr_obj_t *key)
{
    mpr_obj_t *r;
    int rc;

    if ((rc = call2(p, "__contains__", key, NULL, &r)) < 0)
        return rc;
    rc = mpr_obj_truth(r);
    mpr_obj_decref(r);
    return rc;
}

/* NamespaceProxy.__getattr__/__setattr__/__delattr__. */
static int ns_call(mpr_proxy_t *p, const char *fn, const char *name,
                   const mpr_obj_t *value, mpr_obj_t **out)
{
    mpr_obj_t *k = mpr_obj_str(name);
    int rc;

    if (k == NULL)
        return mpr_last_error();
    if (name[0] == '_') {
        if (p->local == NULL && (p->local = mpr_obj_dict()) == NULL)
            rc = mpr_last_error();
        else if (fn[2] == 's')
            rc = mpr_obj_dict_set(p->local, k, (mpr_obj_t *)value);
        else if (fn[2] == 'd')
            rc = mpr_obj_dict_del(p->local, k) < 0
                     ? mpr__error(MPR_EATTR,
                                  "'NamespaceProxy' object has no attribute "
                                  "'%s'",
                                  name)
                     : 0;
        else if ((rc = mpr_obj_dict_get(p->local, k, out)) == 1)
            rc = (mpr_obj_incref(*out), 0);
        else if (rc == 0)
            rc = mpr__error(MPR_EATTR,
                            "'NamespaceProxy' object has no attribute '%s'",
                            name);
    } else {
        rc = call2(p, fn, k, value, out);
    }
    mpr_obj_decref(k);
    return rc;
}

int mpr_proxy_getattr(mpr_proxy_t *p, const char *name, mpr_obj_t **out)
{
    return ns_call(p, "__getattribute__", name, NULL, out);
}

int mpr_proxy_setattr(mpr_proxy_t *p, const char *name, const mpr_obj_t *value)
{
    return ns_call(p, "__setattr__", name, value, NULL);
}

int mpr_proxy_delattr(mpr_proxy_t *p, const char *name)
{
    return ns_call(p, "__delattr__", name, NULL, NULL);
}

int mpr_proxy_reduce(const mpr_proxy_t *p, mpr_obj_t **out)
{
    *out = mpr_obj_tuple_steal(4, mpr_obj_str(p->type->typeid),
                               mpr__maddr_obj(&p->addr), mpr_obj_str(p->ident),
                               mpr_obj_bytes(p->key, p->keylen));
    return *out ? 0 : mpr_last_error();
}

int mpr_proxy_rebuild(mpr_proxy_t **out, const mpr_obj_t *r)
{
    const mpr__mtype_t *type;
    mpr__maddr_t a;
    mpr_proxy_t *p;
    size_t keylen;
    const unsigned char *key;
    int rc;

    if (mpr_obj_type(r) != MPR_OBJ_TUPLE || mpr_obj_len(r) != 4 ||
        mpr_obj_type(mpr_obj_item(r, 0)) != MPR_OBJ_STR ||
        mpr_obj_type(mpr_obj_item(r, 2)) != MPR_OBJ_STR ||
        mpr_obj_type(mpr_obj_item(r, 3)) != MPR_OBJ_BYTES ||
        mpr__maddr_parse(mpr_obj_item(r, 1), &a) < 0)
        return mpr__error(MPR_ETYPE, "not a reduced proxy");
    if ((type = mpr__mtype_find(mpr_obj_str_utf8(mpr_obj_item(r, 0), NULL))) ==
        NULL)
        return mpr__error(MPR_ETYPE, "not a reduced proxy");
    key = mpr_obj_bytes_data(mpr_obj_item(r, 3), &keylen);
    if ((rc = proxy_new(type, mpr_obj_str_utf8(mpr_obj_item(r, 2), NULL), &a,
                        key, keylen, &p)) < 0)
        return rc;
    if ((rc = incref(p, "incref")) < 0) {
        p->ref_pid = 0;
        mpr_proxy_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

/* ---- as a handle value (obj.h): what obj/ and the process layer use ---- */

static const char *proxy_type_name_h(const void *p)
{
    return mpr_proxy_type_name(p);
}

static int proxy_repr_h(void *p, char **out, size_t *len)
{
    return mpr_proxy_repr(p, out, len);
}

static int proxy_reduce_h(const void *p, mpr_obj_t **tok)
{
    return mpr_proxy_reduce(p, tok);
}

static int proxy_rebuild_h(const mpr_obj_t *tok, void **out)
{
    mpr_proxy_t *p = NULL;
    int rc = mpr_proxy_rebuild(&p, tok);

    *out = p;
    return rc;
}

static void proxy_free_h(void *p)
{
    mpr_proxy_free(p);
}

/* CPython pickles a proxy anywhere (without its authkey outside
 * spawning); libmpref only into a child's args. */
static int proxy_refuse(const void *p)
{
    (void)p;
    return mpr__error(MPR_ENOTIMPL, "libmpref pickles a proxy only into a "
                                    "Process's args");
}

MPR__HANDLE_INIT static void proxy_handle_init(void)
{
    static const mpr__handle_ops_t ops = {
        .name = "Proxy",
        .type_name = proxy_type_name_h,
        .repr = proxy_repr_h,
        .reduce = proxy_reduce_h,
        .rebuild = proxy_rebuild_h,
        .free = proxy_free_h,
        .refuse = proxy_refuse,
    };
    mpr__handle_register(MPR_HANDLE_PROXY, &ops);
}
