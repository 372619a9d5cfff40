/*
 * manager_internal.h - what manager.c (client side, proxies),
 * manager_server.c (the server process), manager_objects.c (the objects
 * it holds) and manager_auth.c (the handshake) share.  Hidden symbols.
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
    char dir[64];           /* AF_UNIX: the /tmp/pymp-XXXXXX folder */
    int bound_path;         /* AF_UNIX: start() bound the path given */
    long fin;               /* util.Finalize handle of the shutdown, 0 */
};

struct mpr_proxy_s {
    int kind;           /* MPR__M_* */
    char ident[24];     /* the object's id in the server */
    mpr__maddr_t addr;  /* the server */
    unsigned char *key; /* authkey */
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

/* A connected, close-on-exec stream socket to a (Client's SocketClient).
 * Returns: the descriptor.  Errors: OS errors. */
int mpr__maddr_connect(const mpr__maddr_t *a);

/* Client(address, authkey): connect, answer_challenge, deliver_challenge.
 * Errors: MPR_EAUTH "digest sent was rejected"/"digest received was
 * wrong"; OS errors; MPR_EEOF when the server closes. */
int mpr__mgr_client(const mpr__maddr_t *a, const void *key, size_t keylen,
                    mpr_conn_t **out);

/* managers.dispatch(c, ident, method, args, kwds); ident NULL is None.
 * Errors: the server's error ('#ERROR'), MPR_EREMOTE ('#TRACEBACK'), or
 * those of send/recv. */
int mpr__mgr_dispatch(mpr_conn_t *c, const char *ident, const char *method,
                      const mpr_obj_t *args, const mpr_obj_t *kwds,
                      mpr_obj_t **out);

/* HMAC-MD5 (hmac.new(key, msg, 'md5').digest()). */
void mpr__hmac_md5(const void *key, size_t keylen, const void *msg,
                   size_t msglen, unsigned char out[16]);

/* connection.deliver_challenge / answer_challenge (CPython 3.11.2). */
int mpr__deliver_challenge(mpr_conn_t *c, const void *key, size_t keylen);
int mpr__answer_challenge(mpr_conn_t *c, const void *key, size_t keylen);

/* The server process's target: args (listen_fd, authkey, address). */
int mpr__mgr_serve(mpr_obj_t *args, mpr_obj_t *kwargs);

/* ---- objects held by the server (manager_objects.c) ------------------- */

typedef struct mpr__mobj_s mpr__mobj_t;

/* The kinds of object, in the order of manager_objects.c's type table. */
enum {
    MPR__M_DICT,
    MPR__M_LIST,
    MPR__M_NAMESPACE,
    MPR__M_VALUE,
    MPR__M_LOCK,
    MPR__M_RLOCK,
    MPR__M_SEMAPHORE,
    MPR__M_BSEMAPHORE,
    MPR__M_EVENT,
    MPR__M_QUEUE,
    MPR__M_CONDITION,
    MPR__M_BARRIER,
    MPR__M_ARRAY,
};

struct mpr__mobj_s {
    int kind;            /* MPR__M_* */
    mpr_obj_t *v;        /* dict, list, Namespace __dict__, Value's value,
                            Queue's items (a list) */
    mpr_obj_t *typecode; /* Value: the typecode as given */
    int64_t count;       /* Lock/Event: 1 locked/set; RLock: recursion;
                            Semaphore: value */
    int64_t limit;       /* BoundedSemaphore: initial value; Queue:
                            maxsize (<= 0: unbounded) */
    unsigned long owner; /* RLock, Condition's RLock: the owning client
                            thread, 0 if none */
    int state;           /* Barrier: 0 filling, 1 draining, -1 resetting,
                            -2 broken (threading.Barrier._state) */
    void *waiters;       /* Condition: its waiters, oldest first (nodes on
                            the waiting threads' stacks) */
};

/* A method: called with the server lock held; args a tuple, kw a dict. */
typedef int (*mpr__mmeth_fn)(mpr__mobj_t *o, const mpr_obj_t *args,
                             const mpr_obj_t *kw, unsigned long client,
                             mpr_obj_t **out);
typedef struct {
    const char *name;
    mpr__mmeth_fn fn;
} mpr__mmeth_t;

/* Positional argument i or keyword name (borrowed), or NULL. */
const mpr_obj_t *mpr__marg(const mpr_obj_t *args, const mpr_obj_t *kw, size_t i,
                           const char *name);

/* Wakes every thread waiting on the server's condition. */
void mpr__mobj_broadcast(void);

/* Waits on the server's condition until woken or the deadline (timeout
 * < 0: none).  Returns 0 when woken, 1 when the time is up. */
int mpr__mobj_wait(double timeout, const struct timespec *start);

/* ARG(i, "name") and RET(new value) inside a method.  None and the bools
 * are static singletons that cannot fail: RET_NONE and RET_BOOL return
 * them without RET's NULL check. */
#define ARG(i, name) mpr__marg(a, kw, (i), (name))
#define RET(expr)    return (*out = (expr)) ? 0 : mpr_last_error()
#define RET_NONE()   return (*out = mpr_obj_none()), 0
#define RET_BOOL(v)  return (*out = mpr_obj_bool(v)), 0

/* KeyError(k) (str() is repr(k)).  Returns MPR_EKEY. */
int mpr__mkey_error(const mpr_obj_t *k);

/* dict(src) for a dict or a list/tuple of pairs; list(src) for a list or
 * tuple.  New references, or NULL with the error recorded. */
mpr_obj_t *mpr__mdict_copy(const mpr_obj_t *src);
int mpr__mdict_update(mpr_obj_t *d, const mpr_obj_t *src);
mpr_obj_t *mpr__mlist_copy(const mpr_obj_t *src);

/* Method tables (NULL-terminated) of dict and list. */
extern const mpr__mmeth_t mpr__mdict_methods[];
extern const mpr__mmeth_t mpr__mlist_methods[];

/* manager_sync.c: constructors, method tables and reprs of Lock, RLock,
 * Semaphore, BoundedSemaphore, Event and Queue. */
int mpr__msync_init(mpr__mobj_t *o, const mpr_obj_t *args, const mpr_obj_t *kw);
const mpr__mmeth_t *mpr__msync_methods(int kind);
int mpr__msync_repr(const mpr__mobj_t *o, mpr_obj_t **out);

/* manager_sync.c helpers: wait until ready(o) or timeout seconds (< 0:
 * for ever), 1 when ready; a timeout argument (None: -1); RLock-style
 * acquire and release (Condition's lock). */
typedef int (*mpr__mready_fn)(const mpr__mobj_t *o, unsigned long client);
int mpr__mwait_until(mpr__mobj_t *o, unsigned long client, mpr__mready_fn ready,
                     double timeout);
int mpr__mtimeout_arg(const mpr_obj_t *t, double *out);
int mpr__mlock_acquire(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out);
int mpr__mlock_release(mpr__mobj_t *o, const mpr_obj_t *a, const mpr_obj_t *kw,
                       unsigned long c, mpr_obj_t **out);

/* manager_sync2.c: the same for Condition, Barrier and Array. */
int mpr__msync2_init(mpr__mobj_t *o, const mpr_obj_t *args,
                     const mpr_obj_t *kw);
const mpr__mmeth_t *mpr__msync2_methods(int kind);
int mpr__msync2_repr(const mpr__mobj_t *o, mpr_obj_t **out);

/* The server's one lock and the condition every blocking method waits on
 * (broadcast whenever any object changes). */
void mpr__mobj_lock(void);
void mpr__mobj_unlock(void);

/* SyncManager's registry: creates typeid(*args, **kwds).  Errors:
 * MPR_EKEY for an unknown typeid; the constructor's errors. */
int mpr__mobj_create(const char *typeid, const mpr_obj_t *args,
                     const mpr_obj_t *kwds, mpr__mobj_t **out);
void mpr__mobj_free(mpr__mobj_t *o);

/* The tuple of method names the object exposes (new reference). */
mpr_obj_t *mpr__mobj_exposed(const mpr__mobj_t *o);

/* getattr(obj, method)(*args, **kwds) run by the thread serving client
 * `client` (RLock owner).  Call without the server lock held.  Errors:
 * MPR_EATTR when the object has no such method (the caller then tries
 * __str__/__repr__ fallbacks); the method's errors. */
int mpr__mobj_call(mpr__mobj_t *o, const char *method, const mpr_obj_t *args,
                   const mpr_obj_t *kwds, unsigned long client,
                   mpr_obj_t **out);

/* repr(obj) in a new str. */
int mpr__mobj_repr(mpr__mobj_t *o, mpr_obj_t **out);

#endif /* MPR_MANAGER_INTERNAL_H */
