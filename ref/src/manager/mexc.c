/*
 * mexc.c - the exception of a manager's ('#ERROR', exc) reply, as CPython
 * 3.11's Server.serve_client sends it and its dispatch() raises it: the
 * exception instance, pickled by its class (module and name) and args.
 * A C server sends a libmpref error that way, its class from
 * mpr_err_pytype (builtins, a module's, or __main__ for a class of the
 * program's own) and its args from the message; a C client reads the
 * class and args back into a code and CPython's str() of the exception,
 * whichever side wrote them.  Nothing is imported or called: the
 * pickle's class and REDUCE reach the hooks below (pickle/handles.h),
 * which only record names.  No shared state.
 */
#include "base/internal.h"
#include "manager/manager_internal.h"
#include "pickle/handles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the server: a code as ('#ERROR', exc) ----------------------------- */

/* This thread's mpr__mexc_key. */
static _Thread_local mpr_obj_t *last_key;

void mpr__mexc_key(const mpr_obj_t *key)
{
    mpr_obj_decref(last_key);
    last_key = mpr_obj_incref((mpr_obj_t *)key);
}

/* KeyError's message is repr(key): its args are the key again, the one
 * mpr__mexc_key kept when its repr is the message, else when the message
 * is the repr of a plain str or int; NULL otherwise. */
static mpr_obj_t *key_of(const char *repr)
{
    size_t n = strlen(repr);
    char *end, *r = NULL;
    long long v;
    int same;

    if (last_key != NULL && mpr_obj_repr(last_key, &r, NULL) == 0) {
        same = strcmp(r, repr) == 0;
        mpr_free(r);
        if (same)
            return mpr_obj_incref(last_key);
    }
    if (n >= 2 && repr[0] == '\'' && repr[n - 1] == '\'' &&
        strcspn(repr + 1, "'\\") == n - 2)
        return mpr_obj_strn(repr + 1, n - 2);
    errno = 0;
    v = strtoll(repr, &end, 10);
    if (n > 0 && *end == '\0' && errno == 0 && (repr[0] != '0' || n == 1))
        return mpr_obj_int(v);
    return NULL;
}

/* The args CPython's exception of this class and message has: (errno,
 * strerror) for an OSError "[Errno N] text", (key,) for a KeyError, ()
 * for an empty message, else (message,). */
static mpr_obj_t *exc_args(int code, const char *pytype, const char *msg)
{
    mpr_obj_t *key;
    int e, off = 0;

    if (*msg == '\0')
        return mpr_obj_tuple(0);
    if (code < 0 && code > -1000 && strcmp(pytype, "MemoryError") != 0 &&
        sscanf(msg, "[Errno %d] %n", &e, &off) == 1 && off > 0)
        return mpr_obj_tuple_steal(2, mpr_obj_int(e), mpr_obj_str(msg + off));
    if (code == MPR_EKEY && (key = key_of(msg)) != NULL)
        return mpr_obj_tuple_steal(1, key);
    return mpr_obj_tuple_steal(1, mpr_obj_str(msg));
}

mpr_obj_t *mpr__mexc_error_msg(int code)
{
    const char *pytype = mpr_err_pytype(code), *dot = strrchr(pytype, '.');
    char *msg = mpr__strdup(mpr_last_error_detail());
    mpr_obj_t *mod, *name, *exc;

    if (msg == NULL)
        return NULL;
    if (code <= MPR_EUSER_FIRST) /* a class of the program's own */
        mod = mpr_obj_str("__main__"), name = mpr_obj_str(pytype);
    else if (dot != NULL)
        mod = mpr_obj_strn(pytype, (size_t)(dot - pytype)),
        name = mpr_obj_str(dot + 1);
    else
        mod = mpr_obj_str("builtins"), name = mpr_obj_str(pytype);
    exc = mpr_obj_tuple_steal(3, mod, name, exc_args(code, pytype, msg));
    free(msg);
    return mpr_obj_tuple_steal(2, mpr_obj_str("#ERROR"), exc);
}

/* as_call: the exception of an '#ERROR' reply, ctx, is its class's call. */
static int as_call(void *ctx, const mpr_obj_t *o, const mpr_obj_t **mod,
                   const mpr_obj_t **name, const mpr_obj_t **args)
{
    if (o != ctx)
        return 0;
    *mod = mpr_obj_item(o, 0);
    *name = mpr_obj_item(o, 1);
    *args = mpr_obj_item(o, 2);
    return 1;
}

int mpr__mgr_send(mpr_conn_t *c, const mpr_obj_t *msg)
{
    mpr__pickle_handles_t hooks = {.as_call = as_call};
    char *buf = NULL;
    size_t len = 0;
    int rc;

    if (mpr_obj_type(msg) == MPR_OBJ_TUPLE && mpr_obj_len(msg) == 2 &&
        mpr_obj_type(mpr_obj_item(msg, 0)) == MPR_OBJ_STR &&
        strcmp(mpr_obj_str_utf8(mpr_obj_item(msg, 0), NULL), "#ERROR") == 0)
        hooks.ctx = mpr_obj_item(msg, 1);
    if ((rc = mpr__pickle_dumps_handles(msg, 4, &hooks, &buf, &len)) < 0)
        return rc;
    rc = mpr_conn_send_bytes(c, buf, len, 0, MPR_SIZE_NONE);
    mpr_free(buf);
    return rc;
}

/* ---- the client: ('#ERROR', exc) as a code ----------------------------- */

/* What the unpickler made for classes (module, name) and their calls
 * (module, name, args): known by identity, so no value of the reply's
 * data can pass for one. */
typedef struct {
    mpr_obj_t *made; /* a list, or NULL */
} reader_t;

static int made_here(const reader_t *r, const mpr_obj_t *o, size_t len)
{
    for (size_t i = 0; r->made != NULL && i < mpr_obj_len(r->made); i++)
        if (mpr_obj_item(r->made, i) == o)
            return mpr_obj_len(o) == len;
    return 0;
}

static int keep(reader_t *r, mpr_obj_t *o, mpr_obj_t **out)
{
    int rc;

    if (o == NULL)
        return mpr_last_error();
    if (r->made == NULL && (r->made = mpr_obj_list()) == NULL) {
        mpr_obj_decref(o);
        return mpr_last_error();
    }
    if ((rc = mpr_obj_list_append(r->made, o)) < 0) {
        mpr_obj_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* A dotted Python name: what a class's module and name can be. */
static int is_name(const char *s)
{
    return *s != '\0' && strspn(s, "abcdefghijklmnopqrstuvwxyz"
                                   "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                   "0123456789_.") == strlen(s);
}

static int find_class(void *ctx, const char *mod, const char *name,
                      mpr_obj_t **out)
{
    if (!is_name(mod) || !is_name(name) || strlen(mod) + strlen(name) > 200)
        return mpr__error(MPR_EUNPICKLE, "libmpref: no class named %.40s.%.40s",
                          mod, name);
    return keep(
        ctx, mpr_obj_tuple_steal(2, mpr_obj_str(mod), mpr_obj_str(name)), out);
}

static int call(void *ctx, const mpr_obj_t *fn, const mpr_obj_t *args,
                mpr_obj_t **out)
{
    reader_t *r = ctx;

    if (!made_here(r, fn, 2))
        return mpr__error(MPR_EUNPICKLE, "opcode REDUCE is forbidden: "
                                         "libmpref unpickles data only");
    if (mpr_obj_type(args) != MPR_OBJ_TUPLE)
        return mpr__error(MPR_EUNPICKLE, "libmpref: REDUCE of a class needs "
                                         "an args tuple");
    for (size_t i = 0; i < mpr_obj_len(args); i++)
        if (made_here(r, mpr_obj_item(args, i), 2) ||
            made_here(r, mpr_obj_item(args, i), 3))
            return mpr__error(MPR_EUNPICKLE, "libmpref: an exception's args "
                                             "hold data only");
    return keep(r,
                mpr_obj_tuple_steal(3, mpr_obj_incref(mpr_obj_item(fn, 0)),
                                    mpr_obj_incref(mpr_obj_item(fn, 1)),
                                    mpr_obj_incref((mpr_obj_t *)args)),
                out);
}

/* BUILD of an exception: its __dict__ (__notes__, attributes of its own)
 * does not change its class or str(), so it is dropped. */
static int build(void *ctx, const mpr_obj_t *obj, const mpr_obj_t *state)
{
    (void)state;
    if (!made_here(ctx, obj, 3))
        return mpr__error(MPR_EUNPICKLE, "opcode BUILD is forbidden: "
                                         "libmpref unpickles data only");
    return 0;
}

/* str(exc) as BaseException.__str__, KeyError.__str__ and
 * OSError.__str__ give it.  A new string, or NULL. */
static char *exc_str(const char *pytype, int os, const mpr_obj_t *args)
{
    size_t n = mpr_obj_len(args);
    const mpr_obj_t *a0 = n > 0 ? mpr_obj_item(args, 0) : NULL;
    char *r = NULL, *f = NULL, *s = NULL;

    if (n == 0)
        return mpr__strdup("");
    if (os && n >= 2 && n <= 5 && mpr_obj_type(a0) == MPR_OBJ_INT) {
        const mpr_obj_t *a1 = mpr_obj_item(args, 1);
        if (mpr_obj_repr(a1, &r, NULL) < 0)
            return NULL;
        if (n >= 3 && !mpr_obj_is_none(mpr_obj_item(args, 2)) &&
            mpr_obj_repr(mpr_obj_item(args, 2), &f, NULL) < 0) {
            mpr_free(r);
            return NULL;
        }
        if (mpr__asprintf(
                &s, "[Errno %lld] %s%s%s", (long long)mpr_obj_int_value(a0),
                mpr_obj_type(a1) == MPR_OBJ_STR ? mpr_obj_str_utf8(a1, NULL)
                                                : r,
                f ? ": " : "", f ? f : "") < 0)
            s = NULL;
        mpr_free(r);
        mpr_free(f);
        return s;
    }
    if (n == 1 && mpr_obj_type(a0) == MPR_OBJ_STR &&
        strcmp(pytype, "KeyError") != 0)
        return mpr__strdup(mpr_obj_str_utf8(a0, NULL));
    if (mpr_obj_repr(n == 1 ? a0 : args, &r, NULL) < 0)
        return NULL;
    s = mpr__strdup(r);
    mpr_free(r);
    return s;
}

/* dispatch()'s `raise convert_to_error(kind, result)` for '#ERROR': the
 * exception's class as a code, str(exc) as its message.  A class this
 * program has no code for (not registered with mpr_exception_register:
 * a C client cannot catch it by class anyway) is RemoteError "Class:
 * message", never registered here: a server's names must not fill the
 * program's table. */
static int raise_exc(const reader_t *r, const mpr_obj_t *exc)
{
    const char *mod, *name;
    char pytype[256], *msg;
    const mpr_obj_t *args;
    mpr_obj_t *none = NULL;
    int code = 0, os, rc;

    if (!made_here(r, exc, 3) && !made_here(r, exc, 2))
        return mpr__error(MPR_ETYPE, "exceptions must derive from "
                                     "BaseException");
    mod = mpr_obj_str_utf8(mpr_obj_item(exc, 0), NULL);
    name = mpr_obj_str_utf8(mpr_obj_item(exc, 1), NULL);
    /* raise cls: the class called with no args */
    args = mpr_obj_len(exc) == 3 ? mpr_obj_item(exc, 2)
                                 : (none = mpr_obj_tuple(0));
    if (args == NULL)
        return mpr_last_error();
    /* as a traceback names it: builtins and __main__ classes bare */
    if (strcmp(mod, "builtins") == 0 || strcmp(mod, "__main__") == 0 ||
        strcmp(mod, "__mp_main__") == 0)
        snprintf(pytype, sizeof(pytype), "%s", name);
    else
        snprintf(pytype, sizeof(pytype), "%s.%s", mod, name);
    /* OSError and its errno subclasses: (errno, strerror[, filename]) */
    code = mpr__err_code_named(pytype, "");
    os = strcmp(mod, "builtins") == 0 &&
         (strcmp(name, "OSError") == 0 || (code < 0 && code > -1000));
    if ((msg = exc_str(pytype, os, args)) == NULL) {
        mpr_obj_decref(none);
        return mpr_last_error() < 0 ? mpr_last_error() : MPR__ERR(ENOMEM);
    }
    if (os && mpr_obj_len(args) >= 2 && mpr_obj_len(args) <= 5 &&
        mpr_obj_type(mpr_obj_item(args, 0)) == MPR_OBJ_INT &&
        mpr_obj_int_value(mpr_obj_item(args, 0)) > 0 &&
        mpr_obj_int_value(mpr_obj_item(args, 0)) < 1000)
        code = -(int)mpr_obj_int_value(mpr_obj_item(args, 0));
    else if (strcmp(pytype, "MemoryError") == 0)
        code = MPR__ERR(ENOMEM); /* what libmpref's failed allocations give */
    else
        code = mpr__err_code_named(pytype, msg);
    if (code == 0)
        rc = mpr__error(MPR_EREMOTE, "%s: %s", pytype, msg);
    else
        rc = mpr__error(code, "%s", msg);
    free(msg);
    mpr_obj_decref(none);
    return rc;
}

int mpr__mgr_recv(mpr_conn_t *c, mpr_obj_t **out)
{
    reader_t r = {NULL};
    mpr__pickle_handles_t hooks = {
        .find_class = find_class, .call = call, .build = build, .ctx = &r};
    mpr_obj_t *reply = NULL;
    char *buf = NULL;
    size_t len = 0;
    int rc;

    *out = NULL;
    if ((rc = mpr_conn_recv_bytes(c, MPR_SIZE_NONE, &buf, &len)) < 0)
        return rc;
    rc = mpr__pickle_loads_handles(buf, len, &hooks, &reply);
    mpr_free(buf);
    if (rc == 0 && mpr_obj_type(reply) == MPR_OBJ_TUPLE &&
        mpr_obj_len(reply) == 2 &&
        mpr_obj_type(mpr_obj_item(reply, 0)) == MPR_OBJ_STR &&
        strcmp(mpr_obj_str_utf8(mpr_obj_item(reply, 0), NULL), "#ERROR") == 0)
        rc = raise_exc(&r, mpr_obj_item(reply, 1));
    else if (rc == 0 && r.made != NULL)
        rc = mpr__error(
            MPR_EUNPICKLE,
            "libmpref unpickles data only: the "
            "reply holds an object of class %s.%s",
            mpr_obj_str_utf8(mpr_obj_item(mpr_obj_item(r.made, 0), 0), NULL),
            mpr_obj_str_utf8(mpr_obj_item(mpr_obj_item(r.made, 0), 1), NULL));
    if (rc == 0)
        *out = reply;
    else
        mpr_obj_decref(reply);
    mpr_obj_decref(r.made);
    return rc;
}
