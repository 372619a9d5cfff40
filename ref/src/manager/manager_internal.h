/*
 * manager_internal.h - what manager.c (client side), manager_proxy.c
 * (proxies), manager_server.c (the server process), registry.c and the
 * mobj_*.c files (the objects it holds) share (the handshake is
 * conn/connection_auth.c's).  Hidden symbols.
 */
#ifndef MPR_MANAGER_INTERNAL_H
#define MPR_MANAGER_INTERNAL_H

#include "mpr/connection.h"
#include "mpr/manager.h"
#include "base/internal.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A manager's address: a Unix socket path or a numeric IPv4 (host, port). */
typedef struct {
    int family;     /* AF_UNIX or AF_INET */
    char path[108]; /* AF_UNIX: the socket path */
    char host[256]; /* AF_INET: as given, numeric once bound */
    int port;       /* AF_INET */
} mpr__maddr_t;

/* The manager and proxy objects (manager.c, manager_proxy.c). */
enum { MPR__MGR_INITIAL, MPR__MGR_STARTED, MPR__MGR_SHUTDOWN };

struct mpr_manager_s {
    int state;          /* State.INITIAL/STARTED/SHUTDOWN */
    mpr__maddr_t addr;  /* requested, then bound address */
    unsigned char *key; /* authkey */
    size_t keylen;
    mpr_process_t *process; /* the server; NULL unless started here */
    char dir[90];           /* AF_UNIX: the $TMPDIR/pymp-XXXXXXXX folder */
    int bound_path;         /* AF_UNIX: start() bound the path given */
    long fin;               /* util.Finalize handle of the shutdown, 0 */
};

struct mpr_proxy_s {
    const struct mpr__mtype_s *type; /* the registered type */
    char ident[24];                  /* the object's id in the server */
    mpr__maddr_t addr;               /* the server */
    unsigned char *key;              /* authkey */
    size_t keylen;
    pid_t ref_pid;    /* the process holding a server reference */
    mpr_obj_t *local; /* NamespaceProxy's '_' attributes */
};

/* Closes the calling thread's connection to a, shared by the proxies of
 * that server (manager_proxy.c), if it has one. */
void mpr__mgr_forget_connection(const mpr__maddr_t *a);

/* address as CPython shows it: a str, or a (host, port) tuple. */
mpr_obj_t *mpr__maddr_obj(const mpr__maddr_t *a);

/* The reverse (a str path or a (str, int) pair).  Errors: MPR_ETYPE. */
int mpr__maddr_parse(const mpr_obj_t *o, mpr__maddr_t *a);

/* getaddrinfo of a's (host, port), IPv4, as CPython's socket module
 * resolves it for bind and connect alike: host '' is INADDR_ANY (all
 * addresses).  Returns 0 or getaddrinfo's code; freeaddrinfo(*res). */
struct addrinfo;
int mpr__maddr_resolve(const mpr__maddr_t *a, struct addrinfo **res);

/* A connected, close-on-exec stream socket to a (Client's SocketClient).
 * Returns: the descriptor.  Errors: OS errors. */
int mpr__maddr_connect(const mpr__maddr_t *a);

/* Client(address, authkey): connect, answer_challenge, deliver_challenge.
 * Errors: MPR_EAUTH "digest sent was rejected"/"digest received was
 * wrong"; OS errors; MPR_EEOF when the server closes. */
int mpr__mgr_client(const mpr__maddr_t *a, const void *key, size_t keylen,
                    mpr_conn_t **out);

/* managers.dispatch(c, ident, method, args, kwds); ident NULL is None.
 * Returns 0 and the result ('#RETURN'), or 1 and the payload (exposed,
 * (typeid, ident)) of a '#PROXY' reply.  Errors: the server's error ('#ERROR'),
 * MPR_EREMOTE ('#TRACEBACK'), or those of send/recv. */
int mpr__mgr_dispatch(mpr_conn_t *c, const char *ident, const char *method,
                      const mpr_obj_t *args, const mpr_obj_t *kwds,
                      mpr_obj_t **out);

/* ('#ERROR', exc) for code and this thread's message: exc as CPython's
 * server pickles the exception (its class, from mpr_err_pytype, and its
 * args), for mpr__mgr_send.  NULL when out of memory.  (mexc.c) */
mpr_obj_t *mpr__mexc_error_msg(int code);

/* The key of the KeyError a method is about to return (its message is
 * repr(key)), kept for this thread's next mpr__mexc_error_msg, whose
 * KeyError then carries the key itself; NULL forgets it (the server
 * does after each reply).  (mexc.c) */
void mpr__mexc_key(const mpr_obj_t *key);

/* conn.send(msg) of a server's reply: an '#ERROR' reply's exception
 * pickled as CPython pickles an exception instance.  Errors: those of
 * mpr_conn_send. */
int mpr__mgr_send(mpr_conn_t *c, const mpr_obj_t *msg);

/* conn.recv() of a reply in the client: the exception of an '#ERROR'
 * reply (from CPython's server or a C one) is returned as its code, with
 * str() of the exception as the message; any other class in a reply is
 * refused.  Errors: the exception's code (MPR_EREMOTE "Name: message"
 * for a class this program has no code for: one of the server's own it
 * has not registered with mpr_exception_register); MPR_ETYPE "exceptions must
 * derive from BaseException" for an '#ERROR' payload that is no exception, as
 * CPython's raise gives; MPR_EUNPICKLE; those of mpr_conn_recv. */
int mpr__mgr_recv(mpr_conn_t *c, mpr_obj_t **out);

/* The server process's target: args (listen_fd, authkey, address). */
int mpr__mgr_serve(mpr_obj_t *args, mpr_obj_t *kwargs);

/* ---- objects held by the server ----------------------------------------
 *
 * registry.c keeps one table per type (mpr__mtype_t: constructor, exposed
 * methods with their arity, repr, free) and finds it by typeid; mobj.c is
 * what every type's methods share (the server's one lock and condition,
 * argument checks); each type lives in a file named after the Python
 * module it mirrors: mobj_builtins_dict.c, mobj_builtins_list.c,
 * mobj_managers.c (Namespace, Value), mobj_threading.c, mobj_queue.c,
 * mobj_array.c, mobj_pool.c (Pool and its results, over pool/).  Calls and the
 * registry's lookups: registry.c -> mobj_*.c
 * -> mobj.c, never back.
 */

typedef struct mpr__mobj_s mpr__mobj_t;
typedef struct mpr__mtype_s mpr__mtype_t;

/* Every object starts with this header; its type's own state follows
 * (type->size bytes in all, zeroed before init runs).  Server process
 * memory only. */
struct mpr__mobj_s {
    const mpr__mtype_t *type;
};

/* How CPython checks a callable's arguments, which decides the words of
 * its TypeError (each checked against /usr/bin/python3 3.11). */
enum {
    MPR__MARGS_OWN,     /* the function checks them itself */
    MPR__MARGS_NOARGS,  /* METH_NOARGS: "dict.keys() takes no arguments
                           (1 given)" */
    MPR__MARGS_O,       /* METH_O: "list.append() takes exactly one
                           argument (0 given)" */
    MPR__MARGS_CLINIC,  /* _PyArg_CheckPositional: "get expected at least
                           1 argument, got 0" */
    MPR__MARGS_UNPACK,  /* a slot wrapper's PyArg_UnpackTuple(args, "",..):
                           " expected 2 arguments, got 1" (the space is
                           CPython's) */
    MPR__MARGS_WRAPPER, /* a slot wrapper's check_num_args: "expected 1
                           argument, got 0" */
    MPR__MARGS_PYTHON,  /* a def: "Queue.put() missing 1 required
                           positional argument: 'item'" */
};

/* Flags of an arity. */
enum {
    MPR__MARGS_KW = 1u << 0,     /* keywords pass unchecked (**kwds) */
    MPR__MARGS_NOSELF = 1u << 1, /* PYTHON: a function, not a method (its
                                    counts do not include self) */
};

typedef struct {
    unsigned char style;    /* MPR__MARGS_* */
    unsigned char min, max; /* positional arguments, self excluded; for
                               PYTHON, min required of params */
    unsigned char flags;    /* MPR__MARGS_KW, MPR__MARGS_NOSELF */
    const char *name;       /* the name the message uses; NULL: the
                               method's for CLINIC, "<pyname>.<method>"
                               otherwise */
    const char *params;     /* PYTHON: the parameters after self,
                               space-separated ("item block timeout") */
} mpr__marity_t;

#define MPR__NOARGS                                                            \
    {                                                                          \
        MPR__MARGS_NOARGS, 0, 0, 0, NULL, NULL                                 \
    }
#define MPR__ONEARG                                                            \
    {                                                                          \
        MPR__MARGS_O, 1, 1, 0, NULL, NULL                                      \
    }
#define MPR__CLINIC(lo, hi)                                                    \
    {                                                                          \
        MPR__MARGS_CLINIC, lo, hi, 0, NULL, NULL                               \
    }
#define MPR__UNPACK(n)                                                         \
    {                                                                          \
        MPR__MARGS_UNPACK, n, n, 0, NULL, NULL                                 \
    }
#define MPR__WRAPPER(n)                                                        \
    {                                                                          \
        MPR__MARGS_WRAPPER, n, n, 0, NULL, NULL                                \
    }
#define MPR__PYDEF(req, params)                                                \
    {                                                                          \
        MPR__MARGS_PYTHON, req, 0, 0, NULL, params                             \
    }
#define MPR__OWNARGS                                                           \
    {                                                                          \
        MPR__MARGS_OWN, 0, 0, 0, NULL, NULL                                    \
    }

/* A method: called with the server lock held and its arguments already
 * checked against its arity; args a tuple, kw a dict or NULL; client the
 * thread serving the caller (an RLock's owner). */
typedef int (*mpr__mmeth_fn)(mpr__mobj_t *o, const mpr_obj_t *args,
                             const mpr_obj_t *kw, unsigned long client,
                             mpr_obj_t **out);
typedef struct {
    const char *name; /* exposed name */
    mpr__mmeth_fn fn;
    mpr__marity_t args; /* checked by the registry before fn runs */
} mpr__mmeth_t;

/* A type the server can create (BaseManager.register's callable,
 * exposed and the proxy type, in C). */
struct mpr__mtype_s {
    const char *typeid;    /* "dict": the registered name */
    const char *proxytype; /* "DictProxy": the proxy class CPython uses */
    const char *pyname;    /* the Python class messages name: "dict" */
    const char *pyclass;   /* its qualified name, as <class '...'> shows
                              it: "_thread.lock"; NULL: pyname */
    size_t size;           /* bytes of an object, header included */
    /* The constructor (under the server lock, arguments checked against
     * init_args); on failure free still runs.  NULL: nothing to set. */
    int (*init)(mpr__mobj_t *o, const mpr_obj_t *args, const mpr_obj_t *kw);
    mpr__marity_t init_args;
    void (*free)(mpr__mobj_t *o); /* releases the state (not o); NULL */
    /* repr(obj) as a new str, under the server lock. */
    int (*repr)(const mpr__mobj_t *o, mpr_obj_t **out);
    const mpr__mmeth_t *methods; /* exposed, NULL-terminated */
    /* Runs methods[i] instead of its fn (a registered C type's methods
     * share one trampoline); NULL: fn. */
    int (*call)(mpr__mobj_t *o, size_t i, const mpr_obj_t *args,
                const mpr_obj_t *kw, mpr_obj_t **out);
    /* method_to_typeid {'__iter__': typeid}: the server answers __iter__
     * with a new object of that type over this one, and a '#PROXY' reply
     * (DictProxy's 'Iterator'); NULL: none. */
    const struct mpr__mtype_s *iter_type;
    /* For such a type: sets o up over src (under the server lock); the
     * server keeps src alive until o is freed. */
    int (*init_over)(mpr__mobj_t *o, mpr__mobj_t *src);
    /* method_to_typeid beyond __iter__ (BasePoolProxy's apply_async,
     * map_async, starmap_async: 'AsyncResult'; imap, imap_unordered:
     * 'Iterator'): runs methods[i] instead of its fn (under the server
     * lock, arguments checked) when that method's result becomes a new
     * object of the server, answered with a '#PROXY' reply; the server
     * keeps o alive until *made is freed.  Returns 0 and the new object
     * in *made (its type's tables set), 1 when methods[i] returns a
     * plain value (its fn then runs), or an error.  NULL: none. */
    int (*make)(mpr__mobj_t *o, size_t i, const mpr_obj_t *args,
                const mpr_obj_t *kw, mpr__mobj_t **made);
};

/* The types of SyncManager's registry, each in its module's file. */
extern const mpr__mtype_t mpr__mtype_dict, mpr__mtype_list;
extern const mpr__mtype_t mpr__mtype_namespace, mpr__mtype_value;
extern const mpr__mtype_t mpr__mtype_lock, mpr__mtype_rlock,
    mpr__mtype_semaphore, mpr__mtype_bsemaphore, mpr__mtype_event,
    mpr__mtype_condition, mpr__mtype_barrier;
extern const mpr__mtype_t mpr__mtype_queue, mpr__mtype_jqueue;
extern const mpr__mtype_t mpr__mtype_array;
extern const mpr__mtype_t mpr__mtype_iterator;
extern const mpr__mtype_t mpr__mtype_pool, mpr__mtype_asyncresult;

/* ---- mobj.c: what the types' methods share ----------------------------- */

/* Checks args (a tuple) and kw (a dict or NULL) against an arity, for
 * the callable named by type and method.  Errors: MPR_ETYPE with
 * CPython's message. */
int mpr__margs_check(const mpr__marity_t *ar, const mpr__mtype_t *type,
                     const char *method, const mpr_obj_t *args,
                     const mpr_obj_t *kw);

/* Positional argument i or keyword name (borrowed), or NULL. */
const mpr_obj_t *mpr__marg(const mpr_obj_t *args, const mpr_obj_t *kw, size_t i,
                           const char *name);

/* The server's one lock and the condition every blocking method waits on
 * (broadcast after every call). */
void mpr__mobj_lock(void);
void mpr__mobj_unlock(void);
void mpr__mobj_broadcast(void);

/* Waits on the server's condition until woken or the deadline (timeout
 * < 0: none).  Returns 0 when woken, 1 when the time is up. */
int mpr__mobj_wait(double timeout, const struct timespec *start);

/* Waits until ready(o, client) or timeout seconds (< 0: for ever).
 * Returns 1 when ready, 0 when the time ran out.  Server lock held. */
typedef int (*mpr__mready_fn)(const mpr__mobj_t *o, unsigned long client);
int mpr__mwait_until(mpr__mobj_t *o, unsigned long client, mpr__mready_fn ready,
                     double timeout);

/* A timeout argument: None (or absent) is -1, no limit. */
int mpr__mtimeout_arg(const mpr_obj_t *t, double *out);

/* A sequence index i (an int or bool, checked by the caller) normalised
 * against n items as Python does (negative counts from the end).
 * Errors: MPR_EINDEX with msg ("list index out of range"). */
int mpr__mindex(const mpr_obj_t *i, size_t n, const char *msg, size_t *out);

/* str s as a new str object in *out; returns 0 or the error. */
int mpr__mstr_out(const char *s, mpr_obj_t **out);

/* ARG(i, "name") and RET(new value) inside a method.  None and the bools
 * are static singletons that cannot fail: RET_NONE and RET_BOOL return
 * them without RET's NULL check. */
#define ARG(i, name) mpr__marg(a, kw, (i), (name))
#define RET(expr)    return (*out = (expr)) ? 0 : mpr_last_error()
#define RET_NONE()   return (*out = mpr_obj_none()), 0
#define RET_BOOL(v)  return (*out = mpr_obj_bool(v)), 0

/* ---- mobj_builtins_dict.c, mobj_builtins_list.c ------------------------ */

/* An object that holds one value: dict, list, a Namespace's __dict__. */
typedef struct {
    mpr__mobj_t head;
    mpr_obj_t *v;
} mpr__mbox_t;

/* Frees a box's value (the free of dict, list and Namespace); its repr
 * is the value's (that of dict and list). */
void mpr__mbox_free(mpr__mobj_t *o);
int mpr__mbox_repr(const mpr__mobj_t *o, mpr_obj_t **out);

/* dict(src) for a dict or a list/tuple of pairs; list(src) for a list or
 * tuple.  New references, or NULL with the error recorded. */
mpr_obj_t *mpr__mdict_copy(const mpr_obj_t *src);
int mpr__mdict_update(mpr_obj_t *d, const mpr_obj_t *src);
mpr_obj_t *mpr__mlist_copy(const mpr_obj_t *src);

/* ---- registry.c -------------------------------------------------------- */

/* The type registered as typeid (the latest registration), or NULL. */
const mpr__mtype_t *mpr__mtype_find(const char *typeid);

/* Adds t (kept, never freed) in front of the types registered so far.
 * Errors: -ENOMEM. */
int mpr__mtype_add(const mpr__mtype_t *t);

/* Creates typeid(*args, **kwds) (Server.create's callable).  Errors:
 * MPR_EKEY for an unknown typeid; the constructor's errors. */
int mpr__mobj_create(const char *typeid, const mpr_obj_t *args,
                     const mpr_obj_t *kwds, mpr__mobj_t **out);
void mpr__mobj_free(mpr__mobj_t *o);

/* The tuple of method names the object exposes (new reference). */
mpr_obj_t *mpr__mobj_exposed(const mpr__mobj_t *o);

/* getattr(obj, method)(*args, **kwds) run by the thread serving client
 * `client` (RLock owner).  Call without the server lock held.  Errors:
 * MPR_EATTR "no method 'x'" when the object exposes no such method (the
 * caller then tries the __str__/__repr__ fallbacks); MPR_ETYPE for
 * arguments its arity refuses; the method's errors. */
int mpr__mobj_call(mpr__mobj_t *o, const char *method, const mpr_obj_t *args,
                   const mpr_obj_t *kwds, unsigned long client,
                   mpr_obj_t **out);

/* mpr__mobj_call for the server's requests: a method of the type's make
 * hook leaves a new object in *made (NULL otherwise, and for the other
 * methods), which the caller registers and answers as '#PROXY'. */
int mpr__mobj_call_made(mpr__mobj_t *o, const char *method,
                        const mpr_obj_t *args, const mpr_obj_t *kwds,
                        unsigned long client, mpr_obj_t **out,
                        mpr__mobj_t **made);

/* repr(obj) in a new str. */
int mpr__mobj_repr(mpr__mobj_t *o, mpr_obj_t **out);

#endif /* MPR_MANAGER_INTERNAL_H */
