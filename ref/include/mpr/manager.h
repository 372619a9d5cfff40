/*
 * manager.h - Manager: a server process holding mpr_obj_t values and
 * threading-style objects, and proxies that reach them through a socket,
 * with the observable behaviour of CPython 3.11's multiprocessing.managers
 * SyncManager (Manager()).
 *
 * Wire protocol (CPython's, see manager_server.c): each message is a
 * Connection message (4-byte big-endian length, pickle protocol 4).  A
 * connection first runs the HMAC-MD5 challenge-response of CPython 3.11.2
 * in both directions (server challenges first), then sends one request
 * (ident, method, args, kwds); ident None calls a server function
 * ("create", "accept_connection", "incref", "decref", "shutdown").  After
 * "accept_connection" the connection carries (ident, method, args, kwds)
 * requests for objects, answered ('#RETURN', result) or ('#ERROR', exc).
 * exc is pickled as CPython pickles an exception instance (its class by
 * module and name, its args): a C server sends an error as the class
 * mpr_err_pytype names (builtins.ValueError, _queue.Empty, __main__.Name
 * for a class of the program's own, mpr_exception_register) with args
 * CPython's would have ((errno, strerror) for an OSError, (key,) for a
 * KeyError, (message,) or ()); a C client reads any server's exc back as
 * that class's code and CPython's str() of it (a class it has not
 * registered: RemoteError "Name: message").  So a CPython client of a C
 * server and a C client of a CPython one create objects, call methods,
 * get RemoteError and get a method's exception with its class, as
 * between two CPythons; a C client still cannot read a '#RETURN' that
 * pickles an object of a class (MPR_EUNPICKLE).
 *
 * Return values follow the conventions of <mpr.h>.  A manager and its proxies
 * are owned by the process that made them; a proxy goes to a child either
 * inherited (fork: the child opens its own connection on first use and takes
 * its own server reference, as CPython's _after_fork does) or as a reduced
 * value (mpr_proxy_reduce in the parent, mpr_proxy_rebuild in the child).  One
 * proxy must not be used by two threads at once (CPython gives each thread
 * its own connection).
 */
#ifndef MPR_MANAGER_H
#define MPR_MANAGER_H

#include "common.h"
#include "obj.h"
#include "pool.h"
#include "process.h"
#include "timeout.h"

#include <stddef.h>

typedef struct mpr_manager_s mpr_manager_t;
typedef struct mpr_proxy_s mpr_proxy_t;

/*
 * Options of mpr_manager_new, SyncManager(address=None, authkey=None).
 * zero-initialise; fields may be added.
 */
typedef struct {
    const char *host;    /* address=(host, port): NULL is address=None, a
                            Unix socket in a new /tmp/pymp-XXXXXX folder;
                            "" is every address (INADDR_ANY, read back as
                            '0.0.0.0' once started) */
    int port;            /* TCP port; 0 lets the system choose one */
    const void *authkey; /* authkey=None: current_process().authkey */
    size_t authkey_len;  /* bytes in authkey */
    const char *path;    /* address=path: a Unix socket (start() binds it,
                            connect() reaches the server another manager
                            started there); takes precedence over host */
} mpr_manager_options_t;

/*
 * SyncManager(address, authkey): a manager in state INITIAL.
 * Returns: 0 and the manager in *out (free with mpr_manager_free).
 * Errors: MPR_EOVERFLOW "bind(): port must be 0-65535." (CPython raises
 * it at start); MPR_EVALUE for a host name longer than 255 bytes, and
 * "AF_UNIX path too long" for a path of 108 bytes or more (CPython's
 * OSError at start or connect); -ENOMEM.
 */
MPR_EXTERN int mpr_manager_new(mpr_manager_t **out,
                               const mpr_manager_options_t *opts);

/*
 * start(): binds the address, starts the server process (named
 * "SyncManager-N", N the process counter's next number, as CPython's
 * start() renames its Process) and waits until it serves.
 * Errors: "Already started server" and "Manager has shut down" (CPython's
 * ProcessError; error.h has no ProcessError code, so they are MPR_EASSERT
 * here); OS errors from socket/bind (-EADDRINUSE...) and from start.
 */
MPR_EXTERN int mpr_manager_start(mpr_manager_t *m);

/*
 * connect(): checks that a server runs at the address with this authkey,
 * for a manager made in another process (address and authkey given).
 * Errors: MPR_EAUTH "digest sent was rejected" for a wrong authkey;
 * -ECONNREFUSED, -ENOENT... when nothing listens there.
 */
MPR_EXTERN int mpr_manager_connect(mpr_manager_t *m);

/*
 * shutdown(): asks the server to stop, joins it (1 s, then terminate, as
 * CPython's _finalize_manager) and removes the Unix socket and its folder.
 * A no-op when not started here or already shut down.  start() registers
 * it with the exit handler (util.Finalize, priority 0), as CPython does,
 * so a program that never calls it still ends.  Proxies then fail with
 * an OS error (-ECONNREFUSED, -ENOENT, -EPIPE...).
 */
MPR_EXTERN int mpr_manager_shutdown(mpr_manager_t *m);

/* with manager: __enter__ starts an INITIAL manager; __exit__ is shutdown.
 * Errors of enter: those of start; "Manager has shut down" (CPython's
 * ProcessError, MPR_EASSERT here) for a manager already shut down. */
MPR_EXTERN int mpr_manager_enter(mpr_manager_t *m);
MPR_EXTERN int mpr_manager_exit(mpr_manager_t *m);

/* Shuts the manager down if it runs (for its owner) and frees it.  NULL is
 * a no-op. */
MPR_EXTERN void mpr_manager_free(mpr_manager_t *m);

/*
 * address: a new reference to a str (the Unix socket path) or a tuple
 * ('127.0.0.1', port) as CPython gives it once started (the requested
 * (host, port) before).  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_manager_address(const mpr_manager_t *m, mpr_obj_t **out);

/* The server process (borrowed; NULL before start or when connected). */
MPR_EXTERN mpr_process_t *mpr_manager_process(const mpr_manager_t *m);

/* ---- creating shared objects (SyncManager's registered typeids) ------- */

/*
 * m.dict(init) / m.list(init) / m.Namespace(**attrs): a new object in the
 * server and a proxy to it in *out (free with mpr_proxy_free).  init NULL
 * is empty; a dict init is copied, a list or tuple init for list() is
 * copied; for dict() a list of pairs is taken as dict(pairs).  attrs is a
 * dict of str keys or NULL.
 * Errors: MPR_EASSERT "server not yet started" (CPython's assert in
 * _create); MPR_EREMOTE (RemoteError) for an init of the wrong type, its
 * text holding CPython's "TypeError: 'int' object is not iterable"; OS
 * errors reaching the server.
 */
MPR_EXTERN int mpr_manager_dict(mpr_manager_t *m, const mpr_obj_t *init,
                                mpr_proxy_t **out);
MPR_EXTERN int mpr_manager_list(mpr_manager_t *m, const mpr_obj_t *init,
                                mpr_proxy_t **out);
MPR_EXTERN int mpr_manager_namespace(mpr_manager_t *m, const mpr_obj_t *attrs,
                                     mpr_proxy_t **out);

/*
 * m.Value(typecode, value): the server's managers.Value, which keeps value
 * as given (no conversion to the typecode; repr "Value('i', 5)").
 * Errors: as mpr_manager_dict.
 */
MPR_EXTERN int mpr_manager_value(mpr_manager_t *m, const char *typecode,
                                 const mpr_obj_t *value, mpr_proxy_t **out);

/*
 * m.Lock() / m.Event() / m.Queue(maxsize): threading.Lock, threading.Event
 * and queue.Queue living in the server (so their errors are those of the
 * threading versions: "release unlocked lock" is RuntimeError, an empty
 * get is _queue.Empty).
 */
MPR_EXTERN int mpr_manager_lock(mpr_manager_t *m, mpr_proxy_t **out);
MPR_EXTERN int mpr_manager_event(mpr_manager_t *m, mpr_proxy_t **out);
MPR_EXTERN int mpr_manager_queue(mpr_manager_t *m, int maxsize,
                                 mpr_proxy_t **out);

/*
 * getattr(manager, typeid)(*args, **kwds) for any typeid SyncManager
 * registers that libmpref holds: "dict", "list", "Namespace", "Value",
 * "Array", "Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition"
 * (its own RLock only), "Event", "Barrier" (an action from mpr_manager_action),
 * "Queue", "JoinableQueue" (queue.Queue too: task_done() and join()),
 * "Pool" (see below); or any
 * typeid given to mpr_manager_register.  args a tuple (NULL: ()), kwds a
 * dict (NULL: {}), both borrowed.  Arguments are checked as CPython's
 * callable checks them, with its TypeError ("Queue.__init__() takes from
 * 1 to 2 positional arguments but 3 were given").
 * Errors: MPR_EATTR "'SyncManager' object has no attribute 'X'" for
 * the others; MPR_EASSERT "server not yet started"; the constructor's
 * error in the server comes back as RemoteError (MPR_EREMOTE), as in
 * CPython ("Semaphore(-1)": "ValueError: semaphore initial value must be
 * >= 0" in its text).
 */
MPR_EXTERN int mpr_manager_create(mpr_manager_t *m, const char *typeid,
                                  const mpr_obj_t *args, const mpr_obj_t *kwds,
                                  mpr_proxy_t **out);

/*
 * The action of a manager Barrier (m.Barrier(parties, action=...): the
 * kwarg "action" of mpr_manager_create): fn, registered with MPR_TARGET,
 * runs in the server process as fn(args, NULL) when the last party
 * arrives and before any is released, as CPython's server runs the
 * callable it unpickled.  A proxy among args reaches it reduced
 * (mpr_proxy_reduce) and is rebuilt there.  An error fn returns breaks
 * the barrier: the last party's wait() gets it, the others
 * BrokenBarrierError.
 * Returns: a new reference, or NULL (MPR_EVALUE when fn is not
 * registered, -ENOMEM).  args borrowed (NULL: ()).
 */
MPR_EXTERN mpr_obj_t *mpr_manager_action(mpr_target_t fn,
                                         const mpr_obj_t *args);

/*
 * A pool function for a manager's Pool (m.Pool(...), a PoolProxy): the
 * server runs libmpref's Pool (pool.h) and finds fn by the name it was
 * registered under (MPR_TARGET), so the value is ("mpr.target", name,
 * ()), the form of mpr_manager_action.  The PoolProxy's methods are
 * CPython's, called through the proxy with CPython's arguments, func
 * being this value: apply(func, args=(), kwds={}), map and
 * starmap(func, iterable, chunksize=None) (iterable a list or tuple),
 * close(), join(), terminate() with mpr_proxy_callmethod; apply_async,
 * map_async, starmap_async (their callback= and error_callback= values
 * of mpr_manager_action: the server calls the target with its args and
 * then the result, or the exception as (code, message), in the pool's
 * result handler, before the result is ready) with
 * mpr_proxy_callmethod_proxy, giving an AutoProxy[AsyncResult] (get,
 * wait, ready, successful); imap and imap_unordered(func, iterable,
 * chunksize=1) likewise, giving an IteratorProxy whose "__next__"
 * returns the results, then MPR_ESTOPITERATION.  Pool(processes=None,
 * initializer=None, initargs=(), maxtasksperchild=None, context=None)
 * takes an initializer value of this form too, and a start method's
 * name as context.  A task's exception comes back with its class and
 * message; "Pool not running" is MPR_EVALUE; Pool(0) is a RemoteError
 * whose text ends "ValueError: Number of processes must be at least 1".
 * A function value must have no bound arguments.  The server drops a
 * pool (terminating it, as at exit) once no proxy to it or to one of its
 * results is left.  PoolProxy's __enter__ returns the proxy and its
 * __exit__ calls terminate(): C callers call terminate themselves.
 * Returns: a new reference, or NULL (MPR_EVALUE when fn is not
 * registered, -ENOMEM).
 */
MPR_EXTERN mpr_obj_t *mpr_manager_func(mpr_pool_func_t fn);

/* ---- registering types (BaseManager.register) ------------------------- */

/*
 * A method of a registered type.  It runs in the server process, on the
 * thread serving the caller, under the server's one lock (so the methods
 * of one server's objects run one at a time; a method must not block).
 * self is what the factory made; args a tuple and kwds a dict or NULL,
 * both borrowed and unchecked (the method checks its own arguments).
 * Returns: 0 and a new reference in *out (leaving it NULL returns None),
 * or a negative MPR_E code with its message (as mpr_target_error
 * records it), which the caller gets back as that error
 * (MPR_ESTOPITERATION from __next__ ends an iteration, as a generator's
 * StopIteration ends CPython's IteratorProxy).
 */
typedef int (*mpr_manager_method_fn)(void *self, const mpr_obj_t *args,
                                     const mpr_obj_t *kwds, mpr_obj_t **out);

typedef struct {
    const char *name; /* the method's name */
    mpr_manager_method_fn fn;
} mpr_manager_method_t;

/*
 * What BaseManager.register(typeid, callable, proxytype, exposed) takes,
 * for a type written in C.  zero-initialise; fields may be added.
 */
typedef struct {
    /* callable(*args, **kwds): makes the object (args a tuple, kwds a dict
     * or NULL; borrowed).  Returns 0 and the object in *self, or an error
     * code.  NULL: this program only creates proxies of the type, which
     * another server holds (CPython's callable=None). */
    int (*factory)(const mpr_obj_t *args, const mpr_obj_t *kwds, void **self);
    void (*free)(void *self); /* when the server drops it; NULL: nothing */
    const mpr_manager_method_t *methods; /* every method, {NULL} ends it */
    const char *const *exposed; /* the names a proxy may call, NULL ends
                                   them; NULL: the public ones (names not
                                   starting with '_'), as public_methods() */
    const char *proxytype;      /* the proxy class's name; NULL: AutoProxy's
                                   "AutoProxy[typeid]" */
    const char *pyname;         /* the class name the server's repr shows,
                                   "<pyname object at 0x...>"; NULL: typeid */
} mpr_manager_type_t;

/*
 * Registers typeid for every manager of this program, server and client
 * side: mpr_manager_create(m, typeid, args, kwds) then creates the object
 * in the server and returns a proxy whose mpr_proxy_callmethod reaches
 * the exposed methods; any other name fails as in CPython (RemoteError,
 * MPR_EREMOTE, its text "AttributeError: method 'name' of <class
 * 'pyname'> object is not in exposed={...}" and then the fallback's
 * "KeyError: 'name'").  The wire is
 * CPython's: a CPython client that registers the same typeid (callable
 * None) creates and calls these objects too, and an error a method
 * returns reaches it as that exception (a class of the program's own as
 * its __main__'s class of that name).  A later registration of the same typeid
 * replaces the earlier one, SyncManager's own types included.  The
 * server process must have the registration: register before start()
 * under fork, before mpr_main() under spawn, and from a constructor
 * (__attribute__((constructor)), as MPR_TARGET does) under forkserver,
 * whose children never run main().  type is copied; its strings, method
 * table and exposed list must stay valid (static data).
 * Errors: MPR_EVALUE when an exposed name is not one of the methods;
 * -ENOMEM.
 */
MPR_EXTERN int mpr_manager_register(const char *typeid,
                                    const mpr_manager_type_t *type);

/* ---- proxies ------------------------------------------------------------ */

/* Drops this process's server reference (when it holds one) and frees
 * the proxy.  NULL is a no-op. */
MPR_EXTERN void mpr_proxy_free(mpr_proxy_t *p);

/*
 * proxy._callmethod(method, args, kwds): calls a method of the object in
 * the server.  args is a tuple (NULL: ()), kwds a dict (NULL: {}).
 * Returns: 0 and the result in *out (new reference; out may be NULL).
 * Errors: the server's error with its class and message (MPR_EKEY "'k'",
 * MPR_EINDEX "list index out of range", MPR_EATTR, MPR_ERUNTIME...);
 * MPR_EREMOTE for a method the object does not expose ("method 'x' of
 * <class 'dict'> object is not in exposed=..." as CPython's RemoteError
 * text); OS errors when the server is gone (-EPIPE, -ECONNRESET,
 * -ECONNREFUSED, MPR_EEOF).
 */
MPR_EXTERN int mpr_proxy_callmethod(mpr_proxy_t *p, const char *method,
                                    const mpr_obj_t *args,
                                    const mpr_obj_t *kwds, mpr_obj_t **out);

/*
 * iter(proxy) for a DictProxy: the server makes an iterator over the dict
 * (SyncManager's 'Iterator' typeid, DictProxy's method_to_typeid) and *out
 * is an IteratorProxy to it (free with mpr_proxy_free); its "__next__"
 * (mpr_proxy_callmethod) gives the keys in order, then MPR_ESTOPITERATION;
 * after the dict changed size, MPR_ERUNTIME "dictionary changed size
 * during iteration", every time.  A ListProxy has no __iter__ (CPython
 * iterates it by __getitem__ until IndexError): MPR_EREMOTE, as for any
 * name not exposed.  The '#PROXY' reply of a C server carries the token as
 * (typeid, ident) where CPython pickles a Token, so a CPython client of a
 * C server cannot iterate a dict this way.
 * Errors: those of mpr_proxy_callmethod.
 */
MPR_EXTERN int mpr_proxy_iter(mpr_proxy_t *p, mpr_proxy_t **out);

/*
 * proxy._callmethod(method, args, kwds) for a method the server answers
 * with a new object of its own (method_to_typeid: a DictProxy's
 * "__iter__"; a PoolProxy's "apply_async", "map_async", "starmap_async"
 * (typeid 'AsyncResult') and "imap", "imap_unordered" ('Iterator')):
 * *out is a proxy to that object (free with mpr_proxy_free), which holds
 * its own server reference.
 * Errors: those of mpr_proxy_callmethod; MPR_ETYPE when the method
 * returned a plain value.
 */
MPR_EXTERN int mpr_proxy_callmethod_proxy(mpr_proxy_t *p, const char *method,
                                          const mpr_obj_t *args,
                                          const mpr_obj_t *kwds,
                                          mpr_proxy_t **out);

/* The proxy class name: "DictProxy", "ListProxy", "NamespaceProxy",
 * "ValueProxy", "ArrayProxy", "AcquirerProxy" (Lock, RLock, Semaphore,
 * BoundedSemaphore), "ConditionProxy", "EventProxy", "BarrierProxy",
 * "AutoProxy[Queue]", "AutoProxy[JoinableQueue]", "PoolProxy",
 * "AutoProxy[AsyncResult]", "IteratorProxy"; for a registered type its
 * proxytype or "AutoProxy[typeid]".  Static. */
MPR_EXTERN const char *mpr_proxy_type_name(const mpr_proxy_t *p);

/* hasattr(proxy, name) for a method of the object: 1 when the proxy's
 * type exposes name (an AutoProxy's methods are exactly the exposed
 * names: with exposed=None the public ones), else 0. */
MPR_EXTERN int mpr_proxy_has_method(const mpr_proxy_t *p, const char *name);

/* repr(proxy): "<DictProxy object, typeid 'dict' at 0x7f...>".  Buffer
 * freed with mpr_free.  Errors: -ENOMEM. */
MPR_EXTERN int mpr_proxy_repr(const mpr_proxy_t *p, char **out, size_t *len);

/* str(proxy): repr() of the object in the server ("{'a': 1}",
 * "Namespace(x=1)"); when that call fails (the server is gone), CPython's
 * "<DictProxy object, typeid 'dict' at 0x...; '__str__()' failed>".
 * Errors: -ENOMEM. */
MPR_EXTERN int mpr_proxy_str(mpr_proxy_t *p, char **out, size_t *len);

/*
 * Shorthands for _callmethod with the method CPython's proxy calls, each
 * result a new reference in *out:
 *   getitem d[k] / l[i]; setitem d[k] = v; delitem del d[k]; len len(p)
 *   (result returned, >= 0); contains k in p (1 or 0).
 */
MPR_EXTERN int mpr_proxy_getitem(mpr_proxy_t *p, const mpr_obj_t *key,
                                 mpr_obj_t **out);
MPR_EXTERN int mpr_proxy_setitem(mpr_proxy_t *p, const mpr_obj_t *key,
                                 const mpr_obj_t *value);
MPR_EXTERN int mpr_proxy_delitem(mpr_proxy_t *p, const mpr_obj_t *key);
MPR_EXTERN int mpr_proxy_len(mpr_proxy_t *p);
MPR_EXTERN int mpr_proxy_contains(mpr_proxy_t *p, const mpr_obj_t *key);

/*
 * Namespace attributes: getattr(ns, name), setattr, delattr.  Names that
 * start with '_' stay on the local proxy, as CPython's NamespaceProxy
 * keeps them.  Errors: MPR_EATTR "'Namespace' object has no attribute
 * 'x'" (a local name: "'NamespaceProxy' object has no attribute '_x'").
 */
MPR_EXTERN int mpr_proxy_getattr(mpr_proxy_t *p, const char *name,
                                 mpr_obj_t **out);
MPR_EXTERN int mpr_proxy_setattr(mpr_proxy_t *p, const char *name,
                                 const mpr_obj_t *value);
MPR_EXTERN int mpr_proxy_delattr(mpr_proxy_t *p, const char *name);

/*
 * A predicate of mpr_proxy_wait_for: > 0 true, 0 false, < 0 an error
 * (which mpr_proxy_wait_for returns).
 */
typedef int (*mpr_predicate_t)(void *arg);

/*
 * ConditionProxy.wait_for(predicate, timeout) on a Condition proxy the
 * caller holds: predicate(arg) first, then, while it is false, wait() on
 * the server's Condition and predicate(arg) again, until the timeout
 * (MPR_TIMEOUT_NONE: None) has passed.  The predicate runs here, in the
 * caller, as CPython's ConditionProxy runs it.
 * Returns: the predicate's last result (> 0 true, 0 when the time ran
 * out).  Errors: the predicate's; wait()'s (MPR_ERUNTIME "cannot wait on
 * un-acquired lock"; OS errors when the server is gone).
 */
MPR_EXTERN int mpr_proxy_wait_for(mpr_proxy_t *p, mpr_predicate_t predicate,
                                  void *arg, double timeout);

/*
 * A proxy as a plain value for a spawn or forkserver child's args
 * (CPython's RebuildProxy reduction): (typeid, address, ident, authkey).
 * Returns: 0 and a new reference in *out.  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_proxy_reduce(const mpr_proxy_t *p, mpr_obj_t **out);

/*
 * RebuildProxy in the child: a proxy to the object a reduced value names;
 * takes a server reference (incref) as CPython's does.
 * Errors: MPR_ETYPE when the value is not a reduced proxy; MPR_EREMOTE
 * (RemoteError, "KeyError: 'ident'" in its text) when the server no
 * longer has the object; OS errors reaching the server.
 */
MPR_EXTERN int mpr_proxy_rebuild(mpr_proxy_t **out, const mpr_obj_t *reduced);

#endif /* MPR_MANAGER_H */
