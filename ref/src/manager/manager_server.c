/*
 * manager_server.c - the server process of a manager (CPython 3.11's
 * managers.Server): an accept loop, one thread per connection, which runs
 * the handshake, then one server function (create, incref, decref,
 * number_of_objects, dummy, shutdown, accept_connection); after
 * accept_connection, serve_client's request loop.  A client that fails the
 * handshake, sends garbage or vanishes mid-request ends only its thread.
 * State (this process only): the object table, a list of entries
 * {ident, object, refcount, busy}, under tab_mu.
 */
#include "manager/manager_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

typedef struct entry_s {
    struct entry_s *next;
    char ident[24]; /* '%x' % id(obj) */
    mpr__mobj_t *obj;
    long refs;             /* id_to_refcount */
    long busy;             /* threads inside a call */
    struct entry_s *owner; /* the object obj was made over (an iterator's
                              dict), kept alive by one reference */
} entry_t;

static pthread_mutex_t tab_mu = PTHREAD_MUTEX_INITIALIZER;
static entry_t *table;
static long n_objects;
static const unsigned char *authkey;
static size_t authkey_len;
static int stop_pipe[2] = {-1, -1};
static atomic_int stopping;

static entry_t *lookup(const char *ident)
{
    entry_t *e;

    pthread_mutex_lock(&tab_mu);
    for (e = table; e != NULL && strcmp(e->ident, ident) != 0; e = e->next)
        ;
    if (e != NULL)
        e->busy++;
    pthread_mutex_unlock(&tab_mu);
    return e;
}

/* Drops a busy mark or (refs_delta -1) a reference; frees at zero. */
static void release(entry_t *e, long busy_delta, long refs_delta)
{
    entry_t **pp;
    int dead;

    pthread_mutex_lock(&tab_mu);
    e->busy += busy_delta;
    e->refs += refs_delta;
    dead = e->refs <= 0 && e->busy == 0;
    if (dead) {
        for (pp = &table; *pp != e; pp = &(*pp)->next)
            ;
        *pp = e->next;
        n_objects--;
    }
    pthread_mutex_unlock(&tab_mu);
    if (dead) {
        entry_t *owner = e->owner;
        mpr__mobj_free(e->obj);
        free(e);
        if (owner != NULL)
            release(owner, 0, -1);
    }
}

/* Adds e to the table with one reference (create's). */
static void add_entry(entry_t *e)
{
    snprintf(e->ident, sizeof(e->ident), "%lx",
             (unsigned long)(uintptr_t)e->obj);
    pthread_mutex_lock(&tab_mu);
    e->next = table;
    table = e;
    n_objects++;
    pthread_mutex_unlock(&tab_mu);
}

static mpr_obj_t *traceback(int code);

/* The '#PROXY' reply of a method of method_to_typeid: o, made over src,
 * enters the table, answered ('#PROXY', (exposed, token)).  A C server
 * cannot pickle CPython's Token, so the token is the tuple (typeid,
 * ident).  src is busy (looked up); o is freed on failure. */
static mpr_obj_t *made_result(entry_t *src, mpr__mobj_t *o)
{
    const mpr__mtype_t *t = o->type;
    entry_t *e;
    mpr_obj_t *msg;

    if ((e = mpr__sys.calloc(1, sizeof(*e))) == NULL) {
        mpr__mobj_free(o);
        return NULL;
    }
    e->obj = o;
    e->refs = 1;
    e->owner = src;
    release(src, 0, 1); /* the new object's reference to its source */
    add_entry(e);
    msg = mpr_obj_tuple_steal(
        2, mpr__mobj_exposed(o),
        mpr_obj_tuple_steal(2, mpr_obj_str(t->typeid), mpr_obj_str(e->ident)));
    return msg ? mpr_obj_tuple_steal(2, mpr_obj_str("#PROXY"), msg) : NULL;
}

/* serve_client for __iter__ of a type with an iter_type (a dict): the
 * result becomes a new object of that type over src. */
static mpr_obj_t *proxy_result(entry_t *src)
{
    const mpr__mtype_t *t = src->obj->type->iter_type;
    mpr__mobj_t *o = mpr__sys.calloc(1, t->size);
    int rc;

    if (o == NULL)
        return NULL;
    o->type = t;
    mpr__mobj_lock();
    rc = t->init_over(o, src->obj);
    mpr__mobj_unlock();
    if (rc < 0) {
        mpr__mobj_free(o);
        return traceback(rc);
    }
    return made_result(src, o);
}

/* format_exc() stand-in: the exception line after CPython's heading. */
static mpr_obj_t *traceback(int code)
{
    char line[1024], text[1100];

    mpr_err_format(code, line, sizeof(line));
    snprintf(text, sizeof(text), "Traceback (most recent call last):\n%s\n",
             line);
    return mpr_obj_tuple_steal(2, mpr_obj_str("#TRACEBACK"), mpr_obj_str(text));
}

static mpr_obj_t *result_msg(mpr_obj_t *res)
{
    return mpr_obj_tuple_steal(2, mpr_obj_str("#RETURN"),
                               res ? res : mpr_obj_none());
}

/* Sends msg (stolen); on failure tries '#UNSERIALIZABLE'.  < 0 when the
 * client is gone. */
static int reply(mpr_conn_t *c, mpr_obj_t *msg)
{
    int rc = msg ? mpr__mgr_send(c, msg) : MPR__ERR(ENOMEM);

    mpr_obj_decref(msg);
    if (rc < 0 && rc != -EPIPE && rc != -ECONNRESET) {
        msg = mpr_obj_tuple_steal(2, mpr_obj_str("#UNSERIALIZABLE"),
                                  mpr_obj_str(mpr_last_error_detail()));
        rc = msg ? mpr_conn_send(c, msg) : rc;
        mpr_obj_decref(msg);
    }
    return rc;
}

/* `a, b, args, kwds = request`: NULL when req is a 4-item tuple or
 * list, else the traceback CPython's unpacking raises. */
static mpr_obj_t *unpack4(const mpr_obj_t *req)
{
    if (mpr_obj_type(req) != MPR_OBJ_TUPLE && mpr_obj_type(req) != MPR_OBJ_LIST)
        return traceback(mpr__error(MPR_ETYPE,
                                    "cannot unpack non-iterable %s object",
                                    mpr_obj_type_name(req)));
    if (mpr_obj_len(req) < 4)
        return traceback(mpr__error(MPR_EVALUE,
                                    "not enough values to unpack (expected "
                                    "4, got %zu)",
                                    mpr_obj_len(req)));
    if (mpr_obj_len(req) > 4)
        return traceback(mpr__error(MPR_EVALUE, "too many values to unpack "
                                                "(expected 4)"));
    return NULL;
}

/* The call's `*args, **kwds` (what, e.g. "Server.create()", names the
 * function): NULL when args is a tuple and kwds a dict, else CPython's
 * TypeError. */
static mpr_obj_t *call_args(const mpr_obj_t *req, const char *what)
{
    if (mpr_obj_type(mpr_obj_item(req, 2)) != MPR_OBJ_TUPLE)
        return traceback(mpr__error(MPR_ETYPE,
                                    "%sargument after * must be an iterable, "
                                    "not %s",
                                    what,
                                    mpr_obj_type_name(mpr_obj_item(req, 2))));
    if (mpr_obj_type(mpr_obj_item(req, 3)) != MPR_OBJ_DICT)
        return traceback(mpr__error(MPR_ETYPE,
                                    "%sargument after ** must be a mapping, "
                                    "not %s",
                                    what,
                                    mpr_obj_type_name(mpr_obj_item(req, 3))));
    return NULL;
}

/* An error whose message is repr(o) after prefix; returns the code. */
static int repr_error(int code, const char *fmt, const mpr_obj_t *o)
{
    char *r = NULL;
    int rc = mpr_obj_repr(o, &r, NULL) < 0 ? mpr_last_error()
                                           : mpr__error(code, fmt, r);

    mpr_free(r);
    return rc;
}

/* The set of names o exposes, as CPython shows the set it keeps: "{'a',
 * 'b'}" (in the type's order: a Python set's varies from run to run),
 * "set()" when empty.  NULL when out of memory. */
static char *exposed_set(const mpr__mobj_t *o)
{
    mpr_obj_t *names = mpr__mobj_exposed(o);
    char *r = NULL, *s;

    if (names == NULL)
        return NULL;
    if (mpr_obj_len(names) == 0)
        s = strdup("set()");
    else if (mpr_obj_repr(names, &r, NULL) < 0)
        s = NULL;
    else { /* "('a', 'b')" or "('a',)" to "{'a', 'b'}" */
        size_t n = strlen(r);
        if (n >= 3 && r[n - 2] == ',')
            memmove(r + n - 2, r + n - 1, 2), n--;
        r[0] = '{', r[n - 1] = '}';
        s = strdup(r);
    }
    mpr_free(r);
    mpr_obj_decref(names);
    return s;
}

/* serve_client for a method o does not expose: its AttributeError, then
 * the fallback_mapping lookup's KeyError raised while handling it, as
 * format_exc() shows the two (without CPython's file lines). */
static mpr_obj_t *not_exposed(const mpr__mobj_t *o, const char *method)
{
    char *set = exposed_set(o), *text = NULL;
    mpr_obj_t *msg = NULL;

    if (set != NULL &&
        mpr__asprintf(&text,
                      "Traceback (most recent call last):\n"
                      "AttributeError: method '%s' of <class '%s'> object is "
                      "not in exposed=%s\n\n"
                      "During handling of the above exception, another "
                      "exception occurred:\n\n"
                      "Traceback (most recent call last):\n"
                      "KeyError: '%s'\n",
                      method,
                      o->type->pyclass ? o->type->pyclass : o->type->pyname,
                      set, method) >= 0)
        msg = mpr_obj_tuple_steal(2, mpr_obj_str("#TRACEBACK"),
                                  mpr_obj_str(text));
    free(set);
    free(text);
    return msg;
}

/* One request from serve_client: (ident, method, args, kwds). */
static mpr_obj_t *call(mpr_obj_t *req, unsigned long client)
{
    mpr_obj_t *res = NULL, *args, *kwds, *tb;
    mpr__mobj_t *made = NULL;
    const char *ident, *method;
    entry_t *e;
    int rc;

    if ((tb = unpack4(req)) != NULL)
        return tb;
    /* obj, exposed, gettypeid = id_to_obj[ident] */
    if (mpr_obj_type(mpr_obj_item(req, 0)) != MPR_OBJ_STR)
        return traceback(repr_error(MPR_EKEY, "%s", mpr_obj_item(req, 0)));
    if (mpr_obj_type(mpr_obj_item(req, 1)) != MPR_OBJ_STR)
        return traceback(mpr__error(MPR_ETYPE,
                                    "attribute name must be "
                                    "string, not '%s'",
                                    mpr_obj_type_name(mpr_obj_item(req, 1))));
    if ((tb = call_args(req, "")) != NULL)
        return tb;
    args = mpr_obj_item(req, 2);
    kwds = mpr_obj_item(req, 3);
    ident = mpr_obj_str_utf8(mpr_obj_item(req, 0), NULL);
    method = mpr_obj_str_utf8(mpr_obj_item(req, 1), NULL);
    if ((e = lookup(ident)) == NULL)
        return traceback(mpr__error(MPR_EKEY, "'%s'", ident));
    if (e->obj->type->iter_type != NULL && strcmp(method, "__iter__") == 0 &&
        (rc = mpr__margs_check(
             &(mpr__marity_t){MPR__MARGS_WRAPPER, 0, 0, 0, NULL, NULL},
             e->obj->type, method, args, kwds)) == 0) {
        tb = proxy_result(e);
        release(e, -1, 0);
        return tb;
    }
    rc = mpr__mobj_call_made(e->obj, method, args, kwds, client, &res, &made);
    if (rc == MPR_EATTR &&
        strncmp(mpr_last_error_detail(), "no method '", 11) == 0) {
        /* Not exposed: fallback_mapping (__str__, __repr__) or failure. */
        if (strcmp(method, "__str__") == 0 || strcmp(method, "__repr__") == 0)
            rc = mpr__mobj_repr(e->obj, &res);
        else
            tb = not_exposed(e->obj, method);
        release(e, -1, 0);
        if (tb != NULL)
            return tb;
        return rc < 0 ? traceback(rc) : result_msg(res);
    }
    if (rc == 0 && made != NULL) {
        tb = made_result(e, made);
        release(e, -1, 0);
        return tb;
    }
    release(e, -1, 0);
    return rc < 0 ? mpr__mexc_error_msg(rc) : result_msg(res);
}

/* Server.serve_client: requests until EOF or until the client is gone. */
static void serve_client(mpr_conn_t *c)
{
    unsigned long me = (unsigned long)pthread_self();
    mpr_obj_t *req;
    int rc;

    while (!atomic_load(&stopping)) {
        if ((rc = mpr_conn_recv(c, &req)) == MPR_EEOF)
            return; /* the client closed its end: this thread's work is done */
        if (rc < 0) /* garbage or a cut message: report it if still there */
            rc = reply(c, traceback(rc));
        else {
            rc = reply(c, call(req, me));
            mpr_obj_decref(req);
        }
        mpr__mexc_key(NULL);
        if (rc < 0)
            return;
    }
}

static mpr_obj_t *create(const mpr_obj_t *args, const mpr_obj_t *kwds)
{
    mpr_obj_t *rest;
    mpr__mobj_t *o;
    entry_t *e;
    int rc;

    if (mpr_obj_len(args) < 1 ||
        mpr_obj_type(mpr_obj_item(args, 0)) != MPR_OBJ_STR)
        return traceback(mpr__error(MPR_ETYPE, "create() missing typeid"));
    if ((rest = mpr_obj_tuple_new(mpr_obj_len(args) - 1)) == NULL)
        return NULL;
    for (size_t i = 1; i < mpr_obj_len(args); i++)
        mpr_obj_tuple_set_steal(rest, i - 1,
                                mpr_obj_incref(mpr_obj_item(args, i)));
    rc = mpr__mobj_create(mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL), rest,
                          kwds, &o);
    mpr_obj_decref(rest);
    if (rc < 0)
        return traceback(rc);
    if ((e = mpr__sys.calloc(1, sizeof(*e))) == NULL) {
        mpr__mobj_free(o);
        return NULL;
    }
    e->obj = o;
    e->refs = 1;
    add_entry(e);
    return result_msg(
        mpr_obj_tuple_steal(2, mpr_obj_str(e->ident), mpr__mobj_exposed(o)));
}

/* incref / decref (ident,). */
static mpr_obj_t *refcount(const mpr_obj_t *args, long delta)
{
    entry_t *e;

    if (mpr_obj_len(args) != 1 ||
        mpr_obj_type(mpr_obj_item(args, 0)) != MPR_OBJ_STR)
        return traceback(mpr__error(MPR_ETYPE, "expected (ident,)"));
    if ((e = lookup(mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL))) == NULL)
        return traceback(mpr__error(
            MPR_EKEY, "'%s'", mpr_obj_str_utf8(mpr_obj_item(args, 0), NULL)));
    release(e, -1, delta);
    return result_msg(NULL);
}

/* Server.public */
static int is_public(const char *fn)
{
    static const char *const names[] = {
        "create", "incref",   "decref",           "number_of_objects",
        "dummy",  "shutdown", "accept_connection"};

    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(fn, names[i]) == 0)
            return 1;
    return 0;
}

/* Server._handle_request. */
static void handle_request(mpr_conn_t *c)
{
    mpr_obj_t *req = NULL, *msg;
    const char *fn = "";

    int rc;

    if (mpr_conn_deliver_challenge(c, authkey, authkey_len) < 0 ||
        mpr_conn_answer_challenge(c, authkey, authkey_len) < 0)
        return; /* CPython's traceback would go to a peer that failed
                   authentication (or left): this thread just ends */
    if ((rc = mpr_conn_recv(c, &req)) < 0) {
        if (rc != MPR_EEOF)
            reply(c, traceback(rc));
        return;
    }
    /* ignore, funcname, args, kwds = request
     * assert funcname in self.public, '%r unrecognized' % funcname
     * msg = ('#RETURN', func(c, *args, **kwds)) */
    if ((msg = unpack4(req)) == NULL) {
        const mpr_obj_t *name = mpr_obj_item(req, 1);
        char what[64];
        if (mpr_obj_type(name) != MPR_OBJ_STR ||
            !is_public(mpr_obj_str_utf8(name, NULL))) {
            msg = traceback(repr_error(MPR_EASSERT, "%s unrecognized", name));
        } else {
            snprintf(what, sizeof(what), "Server.%s() ",
                     mpr_obj_str_utf8(name, NULL));
            if ((msg = call_args(req, what)) == NULL)
                fn = mpr_obj_str_utf8(name, NULL);
        }
    }
    if (msg == NULL) {
        if (strcmp(fn, "create") == 0)
            msg = create(mpr_obj_item(req, 2), mpr_obj_item(req, 3));
        else if (strcmp(fn, "incref") == 0 || strcmp(fn, "decref") == 0)
            msg = refcount(mpr_obj_item(req, 2), fn[0] == 'i' ? 1 : -1);
        else if (strcmp(fn, "number_of_objects") == 0)
            msg = result_msg(mpr_obj_int(n_objects));
        else /* dummy, accept_connection, shutdown */
            msg = result_msg(NULL);
    }
    if (reply(c, msg) == 0 && strcmp(fn, "accept_connection") == 0)
        serve_client(c);
    if (strcmp(fn, "shutdown") == 0) {
        atomic_store(&stopping, 1);
        if (mpr__sys.write(stop_pipe[1], "x", 1) < 0) { /* the loop polls it */
        }
    }
    mpr_obj_decref(req);
}

static void *conn_thread(void *arg)
{
    int fd = (int)(intptr_t)arg;
    mpr_conn_t *c;

    if (mpr_conn_new(&c, fd, 1, 1) < 0) {
        mpr__sys.close(fd);
        return NULL;
    }
    handle_request(c);
    mpr_conn_free(c);
    return NULL;
}

int mpr__mgr_serve(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    struct pollfd p[2];
    pthread_attr_t attr;
    int64_t lfd;
    size_t n;

    (void)kwargs;
    if (mpr_obj_len(args) != 2 ||
        mpr_obj_as_int64(mpr_obj_item(args, 0), &lfd) < 0 ||
        mpr_obj_type(mpr_obj_item(args, 1)) != MPR_OBJ_BYTES)
        return mpr_target_error(MPR_ETYPE, "bad server arguments");
    authkey = mpr_obj_bytes_data(mpr_obj_item(args, 1), &n);
    authkey_len = n;
    signal(SIGINT, SIG_IGN); /* as _run_server: ^C is for the parent */
    if (mpr__sys.pipe2(stop_pipe, O_CLOEXEC) < 0)
        return mpr__oserror();
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    p[0] = (struct pollfd){.fd = (int)lfd, .events = POLLIN};
    p[1] = (struct pollfd){.fd = stop_pipe[0], .events = POLLIN};
    while (!atomic_load(&stopping)) {
        pthread_t t;
        int fd;
        if (mpr__sys.poll(p, 2, -1) < 0 || !(p[0].revents & POLLIN))
            continue;
        if ((fd = mpr__sys.accept4((int)lfd, NULL, NULL, SOCK_CLOEXEC)) < 0) {
            /* EINTR, ECONNABORTED: keep serving.  Out of descriptors or
             * memory: the connection stays queued; wait a little rather
             * than spin on a listener that stays readable. */
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS ||
                errno == ENOMEM)
                mpr__sys.nanosleep(&(struct timespec){0, 10000000}, NULL);
            continue;
        }
        if (mpr__sys.pthread_create(&t, &attr, conn_thread,
                                    (void *)(intptr_t)fd) != 0)
            mpr__sys.close(fd);
    }
    pthread_attr_destroy(&attr);
    mpr__sys.close((int)lfd);
    return 0;
}
