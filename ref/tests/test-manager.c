/*
 * test-manager.c - Manager: the HMAC-MD5 handshake, dict/list/Namespace/
 * Value/Lock/Event/Queue proxies with CPython 3.11's results and messages,
 * and a server that survives bad clients (wrong authkey, garbage bytes, a
 * truncated request, a client killed mid-call, 100 concurrent clients)
 * and whose death clients see as an error, not a hang.
 */
#include <mpr.h>
#include "conn/conn_internal.h"
#include "manager/manager_internal.h"
#include "mprtest.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

const char *mprtest_suite_name = "manager";

static mpr_manager_t *mgr;

/* Each test runs its own manager: the leak check after a test kills any
 * child still running. */
#define WITH_MANAGER(name)                                                     \
    static void name(void)                                                     \
    {                                                                          \
        mgr = start(NULL);                                                     \
        CU_ASSERT_FATAL(mgr != NULL);                                          \
        name##_body();                                                         \
        drop_all();                                                            \
        mpr_manager_free(mgr);                                                 \
        mgr = NULL;                                                            \
    }

static mpr_manager_t *start(const mpr_manager_options_t *o)
{
    mpr_manager_t *m = NULL;

    if (mpr_manager_new(&m, o) < 0 || mpr_manager_start(m) < 0) {
        mpr_manager_free(m);
        return NULL;
    }
    return m;
}

/* str(proxy) equals want. */
static int str_is(mpr_proxy_t *p, const char *want)
{
    char *s;
    int ok;

    if (mpr_proxy_str(p, &s, NULL) < 0)
        return 0;
    ok = strcmp(s, want) == 0;
    if (!ok)
        printf("# str: got %s, want %s\n", s, want);
    mpr_free(s);
    return ok;
}

/* repr(o) equals want; drops o. */
static int repr_is(mpr_obj_t *o, const char *want)
{
    char *s;
    int ok;

    if (o == NULL || mpr_obj_repr(o, &s, NULL) < 0)
        return 0;
    ok = strcmp(s, want) == 0;
    if (!ok)
        printf("# repr: got %s, want %s\n", s, want);
    mpr_free(s);
    mpr_obj_decref(o);
    return ok;
}

/* rc is the error (Python class, message). */
static int err_is(int rc, const char *cls, const char *msg)
{
    int ok = rc < 0 && strcmp(mpr_err_pytype(rc), cls) == 0 &&
             strcmp(mpr_last_error_detail(), msg) == 0;

    if (!ok)
        printf("# error: got %d %s '%s', want %s '%s'\n", rc,
               mpr_err_pytype(rc), mpr_last_error_detail(), cls, msg);
    return ok;
}

/* rc is RemoteError whose traceback text holds "Class: message" (an
 * error in the server's constructor, as CPython's _create reports it). */
static int remote_is(int rc, const char *text)
{
    int ok = rc == MPR_EREMOTE && strstr(mpr_last_error_detail(), text);

    if (!ok)
        printf("# remote error: got %d '%s', want '%s'\n", rc,
               mpr_last_error_detail(), text);
    return ok;
}

/* str(proxy) starts with prefix and ends with suffix; quiet: no message
 * when not (for polling). */
static int str_has_(mpr_proxy_t *p, const char *prefix, const char *suffix,
                    int quiet)
{
    char *s;
    size_t n;
    int ok;

    if (mpr_proxy_str(p, &s, &n) < 0)
        return 0;
    ok = strncmp(s, prefix, strlen(prefix)) == 0 && n >= strlen(suffix) &&
         strcmp(s + n - strlen(suffix), suffix) == 0;
    if (!ok && !quiet)
        printf("# str: got %s, want %s...%s\n", s, prefix, suffix);
    mpr_free(s);
    return ok;
}

#define str_has(p, prefix, suffix) str_has_((p), (prefix), (suffix), 0)

/* The Barrier a fork child waits on without arguments. */
static mpr_proxy_t *barrier_default;

/* Temporaries of one test, dropped by drop_all() at its end. */
static mpr_obj_t *tmp[64];
static size_t ntmp;

static mpr_obj_t *T(mpr_obj_t *o)
{
    if (ntmp < sizeof(tmp) / sizeof(tmp[0]))
        tmp[ntmp++] = o;
    return o;
}

static void drop_all(void)
{
    while (ntmp > 0)
        mpr_obj_decref(tmp[--ntmp]);
}

static mpr_obj_t *call(mpr_proxy_t *p, const char *m, mpr_obj_t *args)
{
    mpr_obj_t *out = NULL;

    if (mpr_proxy_callmethod(p, m, args, NULL, &out) < 0)
        out = NULL;
    mpr_obj_decref(args);
    return out;
}

static void test_manager_hmac_md5_rfc2202(void)
{
    unsigned char d[16];
    static const unsigned char want[16] = {0x75, 0x0c, 0x78, 0x3e, 0x6a, 0xb0,
                                           0xb5, 0x03, 0xea, 0xa8, 0x6e, 0x31,
                                           0x0a, 0x5d, 0xb7, 0x38};
    unsigned char key[80];

    mpr__hmac_md5("Jefe", 4, "what do ya want for nothing?", 28, d);
    CU_ASSERT(memcmp(d, want, 16) == 0);
    /* RFC 2202 case 6: an 80-byte key is hashed first. */
    memset(key, 0xaa, sizeof(key));
    mpr__hmac_md5(key, 80,
                  "Test Using Larger Than Block-Size Key - Hash Key First", 54,
                  d);
    CU_ASSERT(memcmp(d,
                     "\x6b\x1a\xb7\xfe\x4b\xd7\xbf\x8f\x0b\x62\xe6\xce"
                     "\x61\xb9\xd0\xcd",
                     16) == 0);
}

/* len(proxy) in a new thread: its result, or the error code. */
static void *len_in_thread(void *arg)
{
    return (void *)(intptr_t)mpr_proxy_len(arg);
}

static int len_in_new_thread(mpr_proxy_t *p)
{
    pthread_t t;
    void *rc = (void *)(intptr_t)-1000;

    if (pthread_create(&t, NULL, len_in_thread, p) != 0)
        return -1000;
    pthread_join(t, &rc);
    return (int)(intptr_t)rc;
}

/* BaseProxy._address_to_local: the proxies of a manager share their
 * thread's connection, a thread's closes when it ends, and after
 * shutdown() a proxy never called fails on the shared connection
 * (BrokenPipeError) while a thread without one finds no socket. */
static void test_manager_proxies_share_the_thread_connection_body(void)
{
    mpr_proxy_t *d, *l;
    int fds;

    CU_ASSERT_FATAL(mpr_manager_dict(mgr, NULL, &d) == 0);
    CU_ASSERT_FATAL(mpr_manager_list(mgr, NULL, &l) == 0);
    fds = mprtest_count_fds();
    CU_ASSERT(mpr_proxy_len(d) == 0);
    CU_ASSERT(mprtest_count_fds() == fds + 1);
    CU_ASSERT(mpr_proxy_len(l) == 0);
    CU_ASSERT(mprtest_count_fds() == fds + 1);
    CU_ASSERT(len_in_new_thread(l) == 0);
    CU_ASSERT(mprtest_count_fds() == fds + 1);
    CU_ASSERT(mpr_manager_shutdown(mgr) == 0);
    CU_ASSERT(
        err_is(mpr_proxy_len(l), "BrokenPipeError", "[Errno 32] Broken pipe"));
    /* (the message stays with that thread) */
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(len_in_new_thread(l)),
                           "FileNotFoundError");
    mpr_proxy_free(d);
    mpr_proxy_free(l);
    CU_ASSERT(mprtest_count_fds() == fds + 1); /* until the manager goes */
}
WITH_MANAGER(test_manager_proxies_share_the_thread_connection)

static void test_manager_dict_methods_and_errors_body(void)
{
    mpr_proxy_t *d;
    mpr_obj_t *init = mpr_obj_dict(), *k = mpr_obj_str("missing"), *v;
    char *r;

    mpr_obj_dict_set_steal(init, mpr_obj_str("a"), mpr_obj_int(1));
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, init, &d) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(d), "DictProxy");
    CU_ASSERT(mpr_proxy_repr(d, &r, NULL) == 0 &&
              strncmp(r, "<DictProxy object, typeid 'dict' at 0x", 38) == 0);
    mpr_free(r);
    v = mpr_obj_str("b");
    CU_ASSERT(mpr_proxy_setitem(d, v, T(mpr_obj_int(2))) == 0);
    CU_ASSERT(mpr_proxy_len(d) == 2);
    CU_ASSERT(mpr_proxy_contains(d, v) == 1);
    CU_ASSERT(mpr_proxy_contains(d, k) == 0);
    CU_ASSERT(str_is(d, "{'a': 1, 'b': 2}"));
    CU_ASSERT(err_is(mpr_proxy_getitem(d, k, &(mpr_obj_t *){NULL}), "KeyError",
                     "'missing'"));
    CU_ASSERT(repr_is(call(d, "keys", NULL), "['a', 'b']"));
    CU_ASSERT(repr_is(call(d, "items", NULL), "[('a', 1), ('b', 2)]"));
    CU_ASSERT(repr_is(call(d, "get", mpr_obj_tuple(2, k, v)), "'b'"));
    CU_ASSERT(repr_is(call(d, "pop", mpr_obj_tuple(1, v)), "2"));
    CU_ASSERT(err_is(mpr_proxy_delitem(d, v), "KeyError", "'b'"));
    CU_ASSERT(repr_is(call(d, "popitem", NULL), "('a', 1)"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(d, "popitem", NULL, NULL, NULL),
                     "KeyError", "'popitem(): dictionary is empty'"));
    CU_ASSERT(err_is(mpr_proxy_setitem(d, init, v), "TypeError",
                     "unhashable type: 'dict'"));
    /* A method the proxy does not expose is RemoteError, as in CPython. */
    CU_ASSERT(mpr_proxy_callmethod(d, "nomethod", NULL, NULL, NULL) ==
              MPR_EREMOTE);
    CU_ASSERT(strstr(mpr_last_error_detail(), "KeyError: 'nomethod'") != NULL);
    mpr_obj_decref(init);
    mpr_obj_decref(k);
    mpr_obj_decref(v);
    mpr_proxy_free(d);
}

static void test_manager_list_methods_and_errors_body(void)
{
    mpr_obj_t *init = mpr_obj_list_of_steal(3, mpr_obj_int(3), mpr_obj_int(1),
                                            mpr_obj_int(2)),
              *ten = mpr_obj_int(10), *got = NULL;
    mpr_proxy_t *l;

    CU_ASSERT_FATAL(mpr_manager_list(mgr, init, &l) == 0);
    CU_ASSERT(call(l, "sort", NULL) != NULL);
    CU_ASSERT(str_is(l, "[1, 2, 3]"));
    CU_ASSERT(call(l, "append", mpr_obj_tuple(1, ten)) != NULL);
    CU_ASSERT(call(l, "insert",
                   mpr_obj_tuple_steal(2, mpr_obj_int(-10),
                                       mpr_obj_str("x"))) != NULL);
    CU_ASSERT(str_is(l, "['x', 1, 2, 3, 10]"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "sort", NULL, NULL, NULL),
                     "TypeError",
                     "'<' not supported between instances of 'int' and "
                     "'str'"));
    CU_ASSERT(call(l, "remove", mpr_obj_tuple_steal(1, mpr_obj_str("x"))) !=
              NULL);
    CU_ASSERT(call(l, "extend",
                   mpr_obj_tuple_steal(
                       1, mpr_obj_list_of_steal(2, mpr_obj_int(1),
                                                mpr_obj_int(4)))) != NULL);
    CU_ASSERT(
        repr_is(call(l, "count", mpr_obj_tuple_steal(1, mpr_obj_int(1))), "2"));
    CU_ASSERT(repr_is(call(l, "index", mpr_obj_tuple(1, ten)), "3"));
    CU_ASSERT(call(l, "reverse", NULL) != NULL);
    CU_ASSERT(str_is(l, "[4, 1, 10, 3, 2, 1]"));
    CU_ASSERT(repr_is(call(l, "pop", NULL), "1"));
    CU_ASSERT(err_is(mpr_proxy_getitem(l, ten, &got), "IndexError",
                     "list index out of range"));
    CU_ASSERT(err_is(mpr_proxy_setitem(l, ten, ten), "IndexError",
                     "list assignment index out of range"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(l, "index", T(mpr_obj_tuple(1, init)), NULL, NULL),
        "ValueError", "[3, 1, 2] is not in list"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         l, "remove", T(mpr_obj_tuple(1, init)), NULL, NULL),
                     "ValueError", "list.remove(x): x not in list"));
    /* Indexing returns a copy: mutating it does not reach the server. */
    CU_ASSERT(call(l, "append", mpr_obj_tuple(1, init)) != NULL);
    got = NULL;
    CU_ASSERT(mpr_proxy_getitem(l, T(mpr_obj_int(-1)), &got) == 0 && got);
    if (got)
        mpr_obj_list_append_steal(got, mpr_obj_int(99));
    mpr_obj_decref(got);
    CU_ASSERT(str_is(l, "[4, 1, 10, 3, 2, [3, 1, 2]]"));
    mpr_obj_decref(init);
    mpr_obj_decref(ten);
    mpr_proxy_free(l);
}

static void test_manager_namespace_value_str_body(void)
{
    mpr_obj_t *attrs = mpr_obj_dict(), *one = mpr_obj_int(1), *got = NULL;
    mpr_proxy_t *ns, *v;

    mpr_obj_dict_set_steal(attrs, mpr_obj_str("x"), mpr_obj_int(1));
    CU_ASSERT_FATAL(mpr_manager_namespace(mgr, attrs, &ns) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(ns), "NamespaceProxy");
    CU_ASSERT(mpr_proxy_setattr(ns, "b", one) == 0);
    CU_ASSERT(mpr_proxy_setattr(ns, "a", one) == 0);
    CU_ASSERT(mpr_proxy_setattr(ns, "_p", one) == 0); /* local only */
    CU_ASSERT(str_is(ns, "Namespace(a=1, b=1, x=1)"));
    CU_ASSERT(mpr_proxy_getattr(ns, "_p", &got) == 0 && repr_is(got, "1"));
    CU_ASSERT(err_is(mpr_proxy_getattr(ns, "missing", &got), "AttributeError",
                     "'Namespace' object has no attribute 'missing'"));
    CU_ASSERT(mpr_proxy_delattr(ns, "a") == 0);
    CU_ASSERT(str_is(ns, "Namespace(b=1, x=1)"));
    CU_ASSERT_FATAL(mpr_manager_value(mgr, "i", one, &v) == 0);
    CU_ASSERT(str_is(v, "Value('i', 1)"));
    CU_ASSERT(call(v, "set", mpr_obj_tuple_steal(1, mpr_obj_float(2.5))) !=
              NULL);
    CU_ASSERT(repr_is(call(v, "get", NULL), "2.5")); /* kept as given */
    mpr_obj_decref(attrs);
    mpr_obj_decref(one);
    mpr_proxy_free(ns);
    mpr_proxy_free(v);
}

static void test_manager_lock_event_queue_are_threading_versions_body(void)
{
    mpr_proxy_t *lk, *ev, *q;
    mpr_obj_t *f = mpr_obj_bool(0), *t = mpr_obj_float(0.05);

    CU_ASSERT_FATAL(mpr_manager_lock(mgr, &lk) == 0);
    CU_ASSERT(repr_is(call(lk, "acquire", NULL), "True"));
    CU_ASSERT(repr_is(call(lk, "acquire", mpr_obj_tuple(1, f)), "False"));
    CU_ASSERT(repr_is(
        call(lk, "acquire",
             mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_float(0.05))),
        "False"));
    CU_ASSERT(call(lk, "release", NULL) != NULL);
    CU_ASSERT(err_is(mpr_proxy_callmethod(lk, "release", NULL, NULL, NULL),
                     "RuntimeError", "release unlocked lock"));
    CU_ASSERT_FATAL(mpr_manager_event(mgr, &ev) == 0);
    {
        char *r = NULL;
        CU_ASSERT(mpr_proxy_str(ev, &r, NULL) == 0 && r &&
                  strncmp(r, "<threading.Event at 0x", 22) == 0 &&
                  strcmp(r + strlen(r) - 8, ": unset>") == 0);
        mpr_free(r);
    }
    CU_ASSERT(repr_is(call(ev, "wait", mpr_obj_tuple(1, t)), "False"));
    CU_ASSERT(call(ev, "set", NULL) != NULL);
    CU_ASSERT(repr_is(call(ev, "is_set", NULL), "True"));
    CU_ASSERT_FATAL(mpr_manager_queue(mgr, 1, &q) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(q), "AutoProxy[Queue]");
    CU_ASSERT(err_is(mpr_proxy_callmethod(q, "get_nowait", NULL, NULL, NULL),
                     "_queue.Empty", ""));
    CU_ASSERT(call(q, "put", mpr_obj_tuple(1, t)) != NULL);
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         q, "put", T(mpr_obj_tuple(3, t, f, t)), NULL, NULL),
                     "queue.Full", ""));
    CU_ASSERT(repr_is(call(q, "get", NULL), "0.05"));
    mpr_obj_decref(f);
    mpr_obj_decref(t);
    mpr_proxy_free(lk);
    mpr_proxy_free(ev);
    mpr_proxy_free(q);
}

/* ---- bad clients ------------------------------------------------------------
 */

static void
test_manager_wrong_authkey_is_rejected_server_keeps_serving_body(void)
{
    mpr_manager_options_t o = {.authkey = "nope", .authkey_len = 4};
    mpr_manager_t *other;
    mpr_obj_t *addr;
    mpr_proxy_t *d;

    CU_ASSERT_FATAL(mpr_manager_address(mgr, &addr) == 0);
    /* a second manager object naming the same server, with another key */
    CU_ASSERT_FATAL(mpr_manager_new(&other, &o) == 0);
    CU_ASSERT(mpr__maddr_parse(addr, &other->addr) == 0);
    CU_ASSERT(err_is(mpr_manager_connect(other),
                     "multiprocessing.context."
                     "AuthenticationError",
                     "digest sent was rejected"));
    mpr_manager_free(other);
    mpr_obj_decref(addr);
    CU_ASSERT(mpr_manager_dict(mgr, NULL, &d) == 0);
    mpr_proxy_free(d);
}

/* A raw connection to the server; sends n bytes and closes. */
static void raw_send(const void *buf, size_t n)
{
    int fd = mpr__maddr_connect(&mgr->addr);

    CU_ASSERT_FATAL(fd >= 0);
    CU_ASSERT(write(fd, buf, n) == (ssize_t)n);
    close(fd);
}

static void test_manager_garbage_and_truncated_requests_are_survived_body(void)
{
    mpr_conn_t *c;
    mpr_proxy_t *d;

    raw_send("\xff\xff\xff\xff garbage", 12);
    raw_send("\x00\x00\x10\x00GET / HTTP/1.0\r\n", 20);
    /* authenticated, then a request cut in the middle */
    CU_ASSERT_FATAL(mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c) ==
                    0);
    CU_ASSERT(write(mpr_conn_fileno(c), "\x00\x00\x00\x64\x80\x04", 6) == 6);
    mpr_conn_free(c);
    /* authenticated, then bytes that are not a pickle: a '#TRACEBACK' */
    CU_ASSERT_FATAL(mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c) ==
                    0);
    CU_ASSERT(mpr_conn_send_bytes(c, "junk", 4, 0, MPR_SIZE_NONE) == 0);
    {
        mpr_obj_t *r = NULL;
        CU_ASSERT(mpr_conn_recv(c, &r) == 0 && r &&
                  mpr_obj_type(r) == MPR_OBJ_TUPLE &&
                  strcmp(mpr_obj_str_utf8(mpr_obj_item(r, 0), NULL),
                         "#TRACEBACK") == 0);
        mpr_obj_decref(r);
    }
    mpr_conn_free(c);
    CU_ASSERT(mpr_manager_dict(mgr, NULL, &d) == 0);
    CU_ASSERT(str_is(d, "{}"));
    mpr_proxy_free(d);
}

static mpr_proxy_t *shared;

/* Blocks in the server (a held lock, or an empty queue's get). */
static int child_block(void *arg)
{
    (void)arg;
    return mpr_proxy_callmethod(shared, "get", NULL, NULL, NULL) == MPR_EEOF
               ? 7
               : 1;
}

static void test_manager_client_killed_mid_call_server_lives_body(void)
{
    mpr_proxy_t *d;
    pid_t pid;

    CU_ASSERT_FATAL(mpr_manager_queue(mgr, 0, &shared) == 0);
    pid = mprtest_fork(child_block, NULL);
    usleep(100000);
    kill(pid, SIGKILL);
    CU_ASSERT(mprtest_wait(pid, 10) == -SIGKILL);
    CU_ASSERT(mpr_manager_dict(mgr, NULL, &d) == 0);
    CU_ASSERT(mpr_proxy_len(d) == 0);
    mpr_proxy_free(d);
    mpr_proxy_free(shared);
}

static int child_append(void *arg)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int((intptr_t)arg));
    int rc = mpr_proxy_callmethod(shared, "append", args, NULL, NULL);

    mpr_obj_decref(args);
    return rc == 0 ? 0 : 1;
}

static void test_manager_hundred_concurrent_clients_body(void)
{
    pid_t pids[100];
    int ok = 0;

    CU_ASSERT_FATAL(mpr_manager_list(mgr, NULL, &shared) == 0);
    for (intptr_t i = 0; i < 100; i++)
        pids[i] = mprtest_fork(child_append, (void *)i);
    for (int i = 0; i < 100; i++)
        ok += pids[i] > 0 && mprtest_wait(pids[i], 30) == 0;
    CU_ASSERT_EQUAL(ok, 100);
    CU_ASSERT_EQUAL(mpr_proxy_len(shared), 100);
    CU_ASSERT(call(shared, "sort", NULL) != NULL);
    CU_ASSERT(repr_is(
        call(shared, "index", mpr_obj_tuple_steal(1, mpr_obj_int(99))), "99"));
    mpr_proxy_free(shared);
}

static void test_manager_server_killed_clients_get_an_error(void)
{
    mpr_manager_t *m = start(NULL);
    pid_t pid;

    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_FATAL(mpr_manager_queue(m, 0, &shared) == 0);
    pid = mprtest_fork(child_block, NULL);
    usleep(100000);
    mpr_process_kill(mpr_manager_process(m));
    CU_ASSERT(mprtest_wait(pid, 10) == 7); /* EOFError, not a hang */
    CU_ASSERT(mpr_proxy_callmethod(shared, "qsize", NULL, NULL, NULL) < 0);
    CU_ASSERT(mpr_manager_shutdown(m) == 0);
    mpr_proxy_free(shared);
    mpr_manager_free(m);
}

static int child_tcp(void *arg)
{
    mpr_proxy_t *p;
    mpr_obj_t *k = mpr_obj_str("child");
    int rc = mpr_proxy_rebuild(&p, arg);

    if (rc == 0)
        rc = mpr_proxy_setitem(p, k, mpr_obj_bool(1));
    mpr_obj_decref(k);
    mpr_proxy_free(p);
    return rc == 0 ? 0 : 1;
}

static void test_manager_tcp_address_and_rebuilt_proxy(void)
{
    mpr_manager_options_t o = {.host = "127.0.0.1"};
    mpr_manager_t *m = start(&o);
    mpr_obj_t *addr, *red;
    mpr_proxy_t *d;

    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT(mpr_manager_address(m, &addr) == 0);
    CU_ASSERT(mpr_obj_type(addr) == MPR_OBJ_TUPLE &&
              strcmp(mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL),
                     "127.0.0.1") == 0 &&
              mpr_obj_int_value(mpr_obj_item(addr, 1)) > 0);
    mpr_obj_decref(addr);
    CU_ASSERT_FATAL(mpr_manager_dict(m, NULL, &d) == 0);
    CU_ASSERT(mpr_proxy_reduce(d, &red) == 0);
    CU_ASSERT(mprtest_run_child(child_tcp, red, 10) == 0);
    CU_ASSERT(str_is(d, "{'child': True}"));
    mpr_obj_decref(red);
    mpr_proxy_free(d);
    CU_ASSERT(mpr_manager_exit(m) == 0);
    CU_ASSERT(err_is(mpr_manager_dict(m, NULL, &d), "AssertionError",
                     "server not yet started"));
    mpr_manager_free(m);
}

static void test_manager_shutdown_names_and_start_twice(void)
{
    mpr_manager_t *m;
    mpr_proxy_t *d;
    mpr_obj_t *addr;

    CU_ASSERT_FATAL(mpr_manager_new(&m, NULL) == 0);
    CU_ASSERT(err_is(mpr_manager_dict(m, NULL, &d), "AssertionError",
                     "server not yet started"));
    CU_ASSERT_FATAL(mpr_manager_enter(m) == 0);
    CU_ASSERT(strncmp(mpr_process_name(mpr_manager_process(m)), "SyncManager-",
                      12) == 0);
    CU_ASSERT(mpr_manager_address(m, &addr) == 0 &&
              strncmp(mpr_obj_str_utf8(addr, NULL), "/tmp/pymp-", 10) == 0);
    CU_ASSERT(err_is(mpr_manager_start(m), "AssertionError",
                     "Already started server"));
    CU_ASSERT_FATAL(mpr_manager_dict(m, NULL, &d) == 0);
    CU_ASSERT(mpr_manager_exit(m) == 0);
    CU_ASSERT(access(mpr_obj_str_utf8(addr, NULL), F_OK) < 0); /* removed */
    CU_ASSERT(mpr_proxy_len(d) < 0); /* the server is gone: an OS error */
    {
        char *r = NULL;
        CU_ASSERT(mpr_proxy_str(d, &r, NULL) == 0 && r &&
                  strncmp(r, "<DictProxy object, typeid 'dict' at 0x", 38) ==
                      0 &&
                  strcmp(r + strlen(r) - 21, "; '__str__()' failed>") == 0);
        mpr_free(r);
    }
    mpr_obj_decref(addr);
    mpr_proxy_free(d);
    mpr_manager_free(m);
}

WITH_MANAGER(test_manager_dict_methods_and_errors)

WITH_MANAGER(test_manager_list_methods_and_errors)

WITH_MANAGER(test_manager_namespace_value_str)

WITH_MANAGER(test_manager_lock_event_queue_are_threading_versions)

WITH_MANAGER(test_manager_wrong_authkey_is_rejected_server_keeps_serving)

WITH_MANAGER(test_manager_garbage_and_truncated_requests_are_survived)

WITH_MANAGER(test_manager_client_killed_mid_call_server_lives)

WITH_MANAGER(test_manager_hundred_concurrent_clients)

static int64_t n_objects(void)
{
    mpr_conn_t *c;
    mpr_obj_t *n = NULL;
    int64_t v = -1;

    if (mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c) == 0) {
        if (mpr__mgr_dispatch(c, NULL, "number_of_objects", NULL, NULL, &n) ==
            0)
            mpr_obj_as_int64(n, &v);
        mpr_conn_free(c);
    }
    mpr_obj_decref(n);
    return v;
}

/* A fork child uses the inherited proxy: its own connection and its own
 * reference (BaseProxy._after_fork), dropped when it frees the proxy. */
static int child_inherited(void *arg)
{
    mpr_obj_t *k = mpr_obj_str("k");
    int rc = mpr_proxy_setitem(shared, k, k);

    (void)arg;
    mpr_obj_decref(k);
    mpr_proxy_free(shared);
    return rc == 0 ? 0 : 1;
}

static void test_manager_refcounts_free_objects_body(void)
{
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, NULL, &shared) == 0);
    CU_ASSERT_EQUAL(n_objects(), 1);
    CU_ASSERT_EQUAL(mprtest_run_child(child_inherited, NULL, 10), 0);
    CU_ASSERT_EQUAL(n_objects(), 1); /* the child's reference is gone */
    CU_ASSERT(str_is(shared, "{'k': 'k'}"));
    mpr_proxy_free(shared);
    CU_ASSERT_EQUAL(n_objects(), 0); /* the last decref frees it */
}
WITH_MANAGER(test_manager_refcounts_free_objects)

/* iter(d): an Iterator object in the server over the dict, which it keeps
 * alive; keys in order, then StopIteration for good; a size change is a
 * sticky RuntimeError; a list has no __iter__ (RemoteError). */
static void test_manager_dict_iter_body(void)
{
    mpr_proxy_t *d, *it, *it2, *l;
    mpr_obj_t *init = T(mpr_obj_dict()), *x = NULL;

    mpr_obj_dict_set_steal(init, mpr_obj_str("a"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(init, mpr_obj_str("b"), mpr_obj_int(2));
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, init, &d) == 0);
    CU_ASSERT(mpr_proxy_has_method(d, "__iter__") == 1);
    CU_ASSERT_FATAL(mpr_proxy_iter(d, &it) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(it), "IteratorProxy");
    CU_ASSERT_EQUAL(n_objects(), 2);
    CU_ASSERT(repr_is(call(it, "__next__", NULL), "'a'"));
    CU_ASSERT(repr_is(call(it, "__next__", NULL), "'b'"));
    CU_ASSERT(mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x) ==
              MPR_ESTOPITERATION);
    CU_ASSERT(mpr_proxy_callmethod(d, "__iter__", NULL, NULL, &x) ==
              MPR_ETYPE); /* a proxy result needs mpr_proxy_iter */
    CU_ASSERT_EQUAL(n_objects(), 2);
    CU_ASSERT_FATAL(mpr_proxy_iter(d, &it2) == 0);
    mpr_proxy_free(d); /* the iterators keep the dict */
    CU_ASSERT_EQUAL(n_objects(), 3);
    CU_ASSERT(mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x) ==
              MPR_ESTOPITERATION);
    CU_ASSERT(repr_is(call(it2, "__next__", NULL), "'a'"));
    mpr_proxy_free(it);
    mpr_proxy_free(it2);
    CU_ASSERT_EQUAL(n_objects(), 0);
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, init, &d) == 0);
    CU_ASSERT_FATAL(mpr_proxy_iter(d, &it) == 0);
    CU_ASSERT(mpr_proxy_delitem(d, T(mpr_obj_str("a"))) == 0);
    for (int i = 0; i < 2; i++)
        CU_ASSERT(err_is(mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x),
                         "RuntimeError",
                         "dictionary changed size during iteration"));
    CU_ASSERT_FATAL(mpr_manager_list(mgr, NULL, &l) == 0);
    CU_ASSERT(mpr_proxy_iter(l, &it2) == MPR_EREMOTE);
    CU_ASSERT(x == NULL);
    mpr_proxy_free(l);
    mpr_proxy_free(it);
    mpr_proxy_free(d);
    CU_ASSERT_EQUAL(n_objects(), 0);
}
WITH_MANAGER(test_manager_dict_iter)

/* A program that never calls shutdown: the exit handler's finalizer
 * stops the server before children are joined (no hang). */
static int child_no_shutdown(void *arg)
{
    mpr_manager_t *m = start(NULL);
    mpr_process_t *server;

    (void)arg;
    if (m == NULL)
        return 2;
    server = mpr_manager_process(m);
    mpr_exit_function();
    return mpr_process_is_alive(server) == 0 ? 0 : 1;
}

static void test_manager_exit_handler_shuts_down(void)
{
    CU_ASSERT_EQUAL(mprtest_run_child(child_no_shutdown, NULL, 20), 0);
}

/* Condition, Barrier and Array through mpr_manager_create. */
static void test_manager_condition_barrier_array_body(void)
{
    mpr_obj_t *args = mpr_obj_tuple_steal(1, mpr_obj_int(1)), *t;
    mpr_proxy_t *c, *b, *a;
    char *s;

    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Condition", NULL, NULL, &c) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(c, "wait", NULL, NULL, NULL),
                     "RuntimeError", "cannot wait on un-acquired lock"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(c, "notify", NULL, NULL, NULL),
                     "RuntimeError", "cannot notify on un-acquired lock"));
    CU_ASSERT(call(c, "acquire", NULL) != NULL);
    t = mpr_obj_tuple_steal(1, mpr_obj_float(0.05));
    CU_ASSERT(repr_is(call(c, "wait", t), "False")); /* nobody notifies */
    CU_ASSERT(
        mpr_proxy_str(c, &s, NULL) == 0 &&
        strncmp(s, "<Condition(<locked _thread.RLock object owner=", 46) == 0 &&
        strcmp(s + strlen(s) - 5, ", 0)>") == 0);
    mpr_free(s);
    CU_ASSERT(call(c, "release", NULL) != NULL);
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Barrier", args, NULL, &b) == 0);
    CU_ASSERT(repr_is(call(b, "wait", NULL), "0")); /* parties=1 */
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("parties"))),
                      "1"));
    CU_ASSERT(call(b, "abort", NULL) != NULL);
    CU_ASSERT(err_is(mpr_proxy_callmethod(b, "wait", NULL, NULL, NULL),
                     "threading.BrokenBarrierError", ""));
    mpr_obj_decref(args);
    args = mpr_obj_tuple_steal(2, mpr_obj_str("b"),
                               mpr_obj_list_of_steal(1, mpr_obj_int(1)));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Array", args, NULL, &a) == 0);
    CU_ASSERT(
        err_is(mpr_proxy_setitem(a, T(mpr_obj_int(0)), T(mpr_obj_int(200))),
               "OverflowError", "signed char is greater than maximum"));
    CU_ASSERT(err_is(
        mpr_proxy_setitem(a, T(mpr_obj_int(0)), T(mpr_obj_float(1.5))),
        "TypeError", "'float' object cannot be interpreted as an integer"));
    CU_ASSERT(err_is(mpr_proxy_getitem(a, T(mpr_obj_int(3)), &t), "IndexError",
                     "array index out of range"));
    CU_ASSERT(str_is(a, "array('b', [1])"));
    CU_ASSERT(mpr_manager_create(mgr, "Nope", NULL, NULL, &a) == MPR_EATTR);
    mpr_obj_decref(args);
    mpr_proxy_free(c);
    mpr_proxy_free(b);
    mpr_proxy_free(a);
}
WITH_MANAGER(test_manager_condition_barrier_array)

/* ---- more dict/list/namespace/value methods ----------------------------- */

static mpr_obj_t *kwargs1(const char *k, mpr_obj_t *v)
{
    mpr_obj_t *d = mpr_obj_dict();

    mpr_obj_dict_set_steal(d, mpr_obj_str(k), v);
    return T(d);
}

static mpr_obj_t *pair(const char *k, int64_t v)
{
    return mpr_obj_tuple_steal(2, mpr_obj_str(k), mpr_obj_int(v));
}

static void test_manager_dict_init_update_setdefault_body(void)
{
    mpr_obj_t *pairs = T(mpr_obj_list_of_steal(
                  2, pair("a", 1),
                  mpr_obj_list_of_steal(2, mpr_obj_str("b"), mpr_obj_int(2)))),
              *kw = T(mpr_obj_dict()), *out = NULL;
    mpr_proxy_t *d, *bad;

    /* dict(pairs): lists and tuples of two */
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, pairs, &d) == 0);
    CU_ASSERT(str_is(d, "{'a': 1, 'b': 2}"));
    CU_ASSERT(remote_is(mpr_manager_dict(mgr, T(mpr_obj_int(5)), &bad),
                        "TypeError: 'int' object is not iterable"));
    CU_ASSERT(
        remote_is(mpr_manager_dict(
                      mgr, T(mpr_obj_list_of_steal(1, mpr_obj_int(1))), &bad),
                  "TypeError: cannot convert dictionary update "
                  "sequence element #0 to a sequence"));
    CU_ASSERT(remote_is(
        mpr_manager_dict(
            mgr,
            T(mpr_obj_list_of_steal(1, mpr_obj_tuple_steal(3, mpr_obj_int(1),
                                                           mpr_obj_int(2),
                                                           mpr_obj_int(3)))),
            &bad),
        "ValueError: dictionary update sequence element #0 "
        "has length 3; 2 is required"));
    /* setdefault: absent key without default stores None; present keeps */
    CU_ASSERT(
        repr_is(call(d, "setdefault", mpr_obj_tuple_steal(1, mpr_obj_str("c"))),
                "None"));
    CU_ASSERT(
        repr_is(call(d, "setdefault",
                     mpr_obj_tuple_steal(2, mpr_obj_str("a"), mpr_obj_int(5))),
                "1"));
    CU_ASSERT(
        repr_is(call(d, "setdefault",
                     mpr_obj_tuple_steal(2, mpr_obj_str("e"), mpr_obj_int(5))),
                "5"));
    CU_ASSERT(repr_is(call(d, "values", NULL), "[1, 2, None, 5]"));
    /* update(pairs, **kw) */
    mpr_obj_dict_set_steal(kw, mpr_obj_str("w"), mpr_obj_int(1));
    CU_ASSERT(
        mpr_proxy_callmethod(
            d, "update",
            T(mpr_obj_tuple_steal(1, mpr_obj_list_of_steal(1, pair("z", 0)))),
            kw, NULL) == 0);
    CU_ASSERT(str_is(d, "{'a': 1, 'b': 2, 'c': None, 'e': 5, 'z': 0, 'w': 1}"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            d, "update", T(mpr_obj_tuple_steal(1, mpr_obj_int(3))), NULL, NULL),
        "TypeError", "'int' object is not iterable"));
    /* copy is a plain dict; get/pop defaults; clear */
    CU_ASSERT(mpr_proxy_callmethod(d, "copy", NULL, NULL, &out) == 0 && out &&
              mpr_obj_type(out) == MPR_OBJ_DICT && mpr_obj_len(out) == 6);
    mpr_obj_decref(out);
    CU_ASSERT(repr_is(call(d, "get", mpr_obj_tuple_steal(1, mpr_obj_str("q"))),
                      "None"));
    CU_ASSERT(
        repr_is(call(d, "pop",
                     mpr_obj_tuple_steal(2, mpr_obj_str("q"), mpr_obj_int(7))),
                "7"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            d, "pop", T(mpr_obj_tuple_steal(1, mpr_obj_str("q"))), NULL, NULL),
        "KeyError", "'q'"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(d, "pop", NULL, NULL, NULL),
                     "TypeError", "pop expected at least 1 argument, got 0"));
    CU_ASSERT(call(d, "clear", NULL) != NULL);
    CU_ASSERT(str_is(d, "{}"));
    CU_ASSERT(mpr_proxy_len(d) == 0);
    mpr_proxy_free(d);
}
WITH_MANAGER(test_manager_dict_init_update_setdefault)

static void test_manager_list_index_sort_and_errors_body(void)
{
    mpr_obj_t *init = T(mpr_obj_list_of_steal(3, mpr_obj_int(1), mpr_obj_int(2),
                                              mpr_obj_int(3))),
              *kw = T(mpr_obj_dict()), *got = NULL;
    mpr_proxy_t *l, *bad;

    CU_ASSERT(remote_is(mpr_manager_list(mgr, T(mpr_obj_int(5)), &bad),
                        "TypeError: 'int' object is not iterable"));
    CU_ASSERT_FATAL(mpr_manager_list(mgr, init, &l) == 0);
    CU_ASSERT(mpr_proxy_delitem(l, T(mpr_obj_int(0))) == 0);
    CU_ASSERT(str_is(l, "[2, 3]"));
    CU_ASSERT(mpr_proxy_delitem(l, T(mpr_obj_int(-1))) == 0);
    CU_ASSERT(str_is(l, "[2]"));
    CU_ASSERT(err_is(mpr_proxy_delitem(l, T(mpr_obj_int(5))), "IndexError",
                     "list assignment index out of range"));
    CU_ASSERT(err_is(mpr_proxy_getitem(l, T(mpr_obj_str("a")), &got),
                     "TypeError",
                     "list indices must be integers or slices, not str"));
    CU_ASSERT(mpr_proxy_contains(l, T(mpr_obj_int(2))) == 1);
    CU_ASSERT(mpr_proxy_contains(l, T(mpr_obj_int(9))) == 0);
    CU_ASSERT(mpr_proxy_setitem(l, T(mpr_obj_bool(0)), T(mpr_obj_int(9))) ==
              0); /* a bool is an index */
    CU_ASSERT(str_is(l, "[9]"));
    /* pop: index, empty list, out of range */
    CU_ASSERT(
        repr_is(call(l, "pop", mpr_obj_tuple_steal(1, mpr_obj_int(0))), "9"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "pop", NULL, NULL, NULL),
                     "IndexError", "pop from empty list"));
    /* argument counts */
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "count", NULL, NULL, NULL),
                     "TypeError",
                     "list.count() takes exactly one argument (0 given)"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            l, "insert", T(mpr_obj_tuple_steal(1, mpr_obj_int(0))), NULL, NULL),
        "TypeError", "insert expected 2 arguments, got 1"));
    /* insert past the end appends; extend takes a tuple */
    CU_ASSERT(call(l, "insert",
                   mpr_obj_tuple_steal(2, mpr_obj_int(100),
                                       mpr_obj_str("b"))) != NULL);
    CU_ASSERT(call(l, "extend",
                   mpr_obj_tuple_steal(
                       1, mpr_obj_tuple_steal(2, mpr_obj_str("ab"),
                                              mpr_obj_str("a")))) != NULL);
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            l, "extend", T(mpr_obj_tuple_steal(1, mpr_obj_int(1))), NULL, NULL),
        "TypeError", "'int' object is not iterable"));
    /* sort: str by code points, reverse=True; keys cannot be sent */
    CU_ASSERT(call(l, "sort", NULL) != NULL);
    CU_ASSERT(str_is(l, "['a', 'ab', 'b']"));
    mpr_obj_dict_set_steal(kw, mpr_obj_str("reverse"), mpr_obj_bool(1));
    CU_ASSERT(mpr_proxy_callmethod(l, "sort", NULL, kw, NULL) == 0);
    CU_ASSERT(str_is(l, "['b', 'ab', 'a']"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            l, "sort", T(mpr_obj_tuple_steal(1, mpr_obj_int(1))), NULL, NULL),
        "TypeError", "sort() takes no positional arguments"));
    mpr_proxy_free(l);
}
WITH_MANAGER(test_manager_list_index_sort_and_errors)

/* sort compares as Python's `<`: numbers across int/bool/float, bytes,
 * tuples and lists item by item, then by length. */
static void test_manager_list_sort_mixed_types_body(void)
{
    mpr_proxy_t *n, *b, *t;

    CU_ASSERT_FATAL(mpr_manager_list(mgr,
                                     T(mpr_obj_list_of_steal(
                                         4, mpr_obj_float(2.5), mpr_obj_int(1),
                                         mpr_obj_bool(1), mpr_obj_float(-0.5))),
                                     &n) == 0);
    CU_ASSERT(call(n, "sort", NULL) != NULL);
    CU_ASSERT(str_is(n, "[-0.5, 1, True, 2.5]")); /* stable: 1 before True */
    CU_ASSERT_FATAL(
        mpr_manager_list(mgr,
                         T(mpr_obj_list_of_steal(3, mpr_obj_bytes("b", 1),
                                                 mpr_obj_bytes("ab", 2),
                                                 mpr_obj_bytes("a", 1))),
                         &b) == 0);
    CU_ASSERT(call(b, "sort", NULL) != NULL);
    CU_ASSERT(str_is(b, "[b'a', b'ab', b'b']"));
    CU_ASSERT_FATAL(
        mpr_manager_list(
            mgr,
            T(mpr_obj_list_of_steal(
                4, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("b")),
                mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a")),
                mpr_obj_tuple_steal(1, mpr_obj_int(1)),
                mpr_obj_tuple_steal(1, mpr_obj_int(0)))),
            &t) == 0);
    CU_ASSERT(call(t, "sort", NULL) != NULL);
    CU_ASSERT(str_is(t, "[(0,), (1,), (1, 'a'), (1, 'b')]"));
    CU_ASSERT(call(t, "append",
                   mpr_obj_tuple_steal(
                       1, mpr_obj_tuple_steal(2, mpr_obj_int(1),
                                              mpr_obj_int(2)))) != NULL);
    CU_ASSERT(err_is(mpr_proxy_callmethod(t, "sort", NULL, NULL, NULL),
                     "TypeError",
                     "'<' not supported between instances of 'int' and "
                     "'str'"));
    mpr_proxy_free(n);
    mpr_proxy_free(b);
    mpr_proxy_free(t);
}
WITH_MANAGER(test_manager_list_sort_mixed_types)

static void test_manager_namespace_value_errors_body(void)
{
    mpr_obj_t *got = NULL, *kw = T(mpr_obj_dict());
    mpr_proxy_t *ns, *v;

    mpr_obj_dict_set_steal(kw, mpr_obj_str("y"), mpr_obj_int(2));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Namespace", NULL, kw, &ns) == 0);
    CU_ASSERT(str_is(ns, "Namespace(y=2)"));
    /* names starting with '_' stay local, with the proxy's class name */
    CU_ASSERT(err_is(mpr_proxy_getattr(ns, "_x", &got), "AttributeError",
                     "'NamespaceProxy' object has no attribute '_x'"));
    CU_ASSERT(err_is(mpr_proxy_delattr(ns, "_x"), "AttributeError",
                     "'NamespaceProxy' object has no attribute '_x'"));
    CU_ASSERT(mpr_proxy_setattr(ns, "_x", kw) == 0);
    CU_ASSERT(mpr_proxy_delattr(ns, "_x") == 0);
    CU_ASSERT(mpr_proxy_getattr(ns, "_x", &got) == MPR_EATTR);
    CU_ASSERT(err_is(mpr_proxy_delattr(ns, "nope"), "AttributeError",
                     "'Namespace' object has no attribute 'nope'"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         ns, "__getattribute__",
                         T(mpr_obj_tuple_steal(1, mpr_obj_int(1))), NULL, NULL),
                     "TypeError", "attribute name must be string, not 'int'"));
    CU_ASSERT(mpr_proxy_getattr(ns, "y", &got) == 0 && repr_is(got, "2"));
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "Value", NULL, NULL, &v),
                        "TypeError: Value.__init__() missing 2 required "
                        "positional arguments: 'typecode' and 'value'"));
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Value",
                           T(mpr_obj_tuple_steal(1, mpr_obj_str("i"))), NULL,
                           &v),
        "TypeError: Value.__init__() missing 1 required "
        "positional argument: 'value'"));
    CU_ASSERT(
        remote_is(mpr_manager_create(mgr, "Value", NULL,
                                     kwargs1("value", mpr_obj_int(1)), &v),
                  "TypeError: Value.__init__() missing 1 required "
                  "positional argument: 'typecode'"));
    CU_ASSERT_FATAL(mpr_manager_value(mgr, "d", T(mpr_obj_str("s")), &v) == 0);
    CU_ASSERT(str_is(v, "Value('d', 's')"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(v, "set", NULL, NULL, NULL),
                     "TypeError",
                     "Value.set() missing 1 required positional argument: "
                     "'value'"));
    mpr_proxy_free(ns);
    mpr_proxy_free(v);
}
WITH_MANAGER(test_manager_namespace_value_errors)

/* Methods called with too few or wrong arguments answer with CPython
 * 3.11's messages (printed by /usr/bin/python3 for dict, list, array and
 * managers.Namespace; the slot wrappers' "expected 2 arguments" really
 * starts with a space). */
static void test_manager_argument_errors_as_cpython_body(void)
{
    static const struct {
        int obj; /* 0 dict, 1 list, 2 Namespace, 3 Array */
        const char *method;
        int nargs; /* 0, 1, or 2 (args of an int 1, then a str "x"); 3
                      is ("x",) */
        const char *msg;
    } cases[] = {
        {0, "__getitem__", 0,
         "dict.__getitem__() takes exactly one argument (0 given)"},
        {0, "__setitem__", 1, " expected 2 arguments, got 1"},
        {0, "__delitem__", 0, "expected 1 argument, got 0"},
        {0, "__contains__", 0,
         "dict.__contains__() takes exactly one argument (0 given)"},
        {0, "get", 0, "get expected at least 1 argument, got 0"},
        {0, "setdefault", 0, "setdefault expected at least 1 argument, got 0"},
        {1, "__getitem__", 0,
         "list.__getitem__() takes exactly one argument (0 given)"},
        {1, "__setitem__", 0, " expected 2 arguments, got 0"},
        {1, "__setitem__", 1, " expected 2 arguments, got 1"},
        {1, "__delitem__", 0, "expected 1 argument, got 0"},
        {1, "__contains__", 0, "expected 1 argument, got 0"},
        {1, "index", 0, "index expected at least 1 argument, got 0"},
        {1, "remove", 0, "list.remove() takes exactly one argument (0 given)"},
        {1, "append", 0, "list.append() takes exactly one argument (0 given)"},
        {1, "extend", 0, "list.extend() takes exactly one argument (0 given)"},
        {1, "pop", 3, "'str' object cannot be interpreted as an integer"},
        {1, "insert", 2, "'str' object cannot be interpreted as an integer"},
        {2, "__getattribute__", 0, "expected 1 argument, got 0"},
        {2, "__getattribute__", 1, "attribute name must be string, not 'int'"},
        {2, "__setattr__", 1, " expected 2 arguments, got 1"},
        {2, "__setattr__", 2, "attribute name must be string, not 'int'"},
        {2, "__delattr__", 0, "expected 1 argument, got 0"},
        {2, "__delattr__", 1, "attribute name must be string, not 'int'"},
        {3, "__getitem__", 0, "expected 1 argument, got 0"},
        {3, "__setitem__", 1, " expected 2 arguments, got 1"},
    };
    mpr_proxy_t *p[4];
    mpr_obj_t *args[4];

    CU_ASSERT_FATAL(mpr_manager_dict(mgr, NULL, &p[0]) == 0);
    CU_ASSERT_FATAL(mpr_manager_list(mgr, NULL, &p[1]) == 0);
    CU_ASSERT_FATAL(mpr_manager_namespace(mgr, NULL, &p[2]) == 0);
    CU_ASSERT_FATAL(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(2, mpr_obj_str("i"), mpr_obj_list())), NULL,
            &p[3]) == 0);
    args[0] = T(mpr_obj_tuple(0));
    args[1] = T(mpr_obj_tuple_steal(1, mpr_obj_int(1)));
    /* (1, "x") for Namespace; ("x", 1) where a str is the bad index */
    args[2] = T(mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("x")));
    args[3] = T(mpr_obj_tuple_steal(1, mpr_obj_str("x")));
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const mpr_obj_t *a = args[cases[i].nargs];
        if (cases[i].nargs == 2 && cases[i].obj == 1)
            a = T(mpr_obj_tuple_steal(2, mpr_obj_str("x"), mpr_obj_int(1)));
        if (!err_is(mpr_proxy_callmethod(p[cases[i].obj], cases[i].method, a,
                                         NULL, NULL),
                    "TypeError", cases[i].msg)) {
            printf("# case %zu: %s\n", i, cases[i].method);
            CU_FAIL("argument error");
        }
    }
    /* SyncManager.Array(typecode, sequence) */
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "Array", NULL, NULL, &p[3]),
                        "TypeError: Array() missing 2 required positional "
                        "arguments: 'typecode' and 'sequence'"));
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Array",
                           T(mpr_obj_tuple_steal(1, mpr_obj_str("i"))), NULL,
                           &p[3]),
        "TypeError: Array() missing 1 required positional "
        "argument: 'sequence'"));
    CU_ASSERT(remote_is(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(2, mpr_obj_str("ab"), mpr_obj_list())), NULL,
            &p[3]),
        "TypeError: array() argument 1 must be a unicode "
        "character, not str"));
    for (int i = 0; i < 4; i++)
        mpr_proxy_free(p[i]);
}
WITH_MANAGER(test_manager_argument_errors_as_cpython)

/* Every type's methods and constructor check their arity through the
 * registry, with the words CPython 3.11 uses for that kind of callable
 * (builtin METH_NOARGS/METH_O/clinic, slot wrapper, Python def): too
 * many arguments, unknown or repeated keywords, missing ones.  Each
 * message was printed by /usr/bin/python3 through a SyncManager. */
static void test_manager_arity_of_every_type_as_cpython_body(void)
{
    static const struct {
        const char *typeid;
        const char *method; /* NULL: the constructor */
        int nargs;          /* that many int 0 arguments */
        int kw;             /* 0 none, 1 {'zz': 1}, 2 {'item': 1} */
        const char *msg;
    } cases[] = {
        {"dict", "__contains__", 2, 0,
         "dict.__contains__() takes exactly one argument (2 given)"},
        {"dict", "__contains__", 1, 1,
         "dict.__contains__() takes no keyword arguments"},
        {"dict", "__delitem__", 2, 0, "expected 1 argument, got 2"},
        {"dict", "__delitem__", 1, 1,
         "wrapper __delitem__() takes no keyword arguments"},
        {"dict", "__len__", 1, 0, "expected 0 arguments, got 1"},
        {"dict", "__setitem__", 3, 0, " expected 2 arguments, got 3"},
        {"dict", "clear", 1, 0, "dict.clear() takes no arguments (1 given)"},
        {"dict", "keys", 0, 1, "dict.keys() takes no keyword arguments"},
        {"dict", "get", 3, 0, "get expected at most 2 arguments, got 3"},
        {"dict", "get", 1, 1, "dict.get() takes no keyword arguments"},
        {"dict", "pop", 3, 0, "pop expected at most 2 arguments, got 3"},
        {"dict", "update", 2, 0, "update expected at most 1 argument, got 2"},
        {"list", "pop", 2, 0, "pop expected at most 1 argument, got 2"},
        {"list", "index", 4, 0, "index expected at most 3 arguments, got 4"},
        {"list", "insert", 3, 0, "insert expected 2 arguments, got 3"},
        {"list", "append", 2, 0,
         "list.append() takes exactly one argument (2 given)"},
        {"list", "reverse", 1, 0,
         "list.reverse() takes no arguments (1 given)"},
        {"list", "sort", 0, 1,
         "'zz' is an invalid keyword argument for sort()"},
        {"list", "__contains__", 1, 1,
         "wrapper __contains__() takes no keyword arguments"},
        {"Namespace", "__delattr__", 2, 0, "expected 1 argument, got 2"},
        {"Value", "get", 1, 0,
         "Value.get() takes 1 positional argument but 2 were given"},
        {"Value", "set", 2, 0,
         "Value.set() takes 2 positional arguments but 3 were given"},
        {"Value", "set", 0, 1,
         "Value.set() got an unexpected keyword argument 'zz'"},
        {"Lock", "release", 1, 0,
         "lock.release() takes no arguments (1 given)"},
        {"RLock", "release", 0, 1,
         "RLock.release() takes no keyword arguments"},
        {"Semaphore", "acquire", 0, 1,
         "Semaphore.acquire() got an unexpected keyword argument 'zz'"},
        {"Semaphore", "release", 2, 0,
         "Semaphore.release() takes from 1 to 2 positional arguments but 3 "
         "were given"},
        {"BoundedSemaphore", "acquire", 0, 1,
         "Semaphore.acquire() got an unexpected keyword argument 'zz'"},
        {"BoundedSemaphore", "release", 2, 0,
         "BoundedSemaphore.release() takes from 1 to 2 positional arguments "
         "but 3 were given"},
        {"Event", "is_set", 1, 0,
         "Event.is_set() takes 1 positional argument but 2 were given"},
        {"Event", "wait", 2, 0,
         "Event.wait() takes from 1 to 2 positional arguments but 3 were "
         "given"},
        {"Event", "clear", 0, 1,
         "Event.clear() got an unexpected keyword argument 'zz'"},
        {"Queue", "get", 3, 0,
         "Queue.get() takes from 1 to 3 positional arguments but 4 were "
         "given"},
        {"Queue", "put", 4, 0,
         "Queue.put() takes from 2 to 4 positional arguments but 5 were "
         "given"},
        {"Queue", "put", 1, 2,
         "Queue.put() got multiple values for argument 'item'"},
        {"Queue", "put_nowait", 0, 0,
         "Queue.put_nowait() missing 1 required positional argument: 'item'"},
        {"Queue", "qsize", 1, 0,
         "Queue.qsize() takes 1 positional argument but 2 were given"},
        {"Condition", "notify_all", 1, 0,
         "Condition.notify_all() takes 1 positional argument but 2 were "
         "given"},
        {"Condition", "release", 1, 0,
         "RLock.release() takes no arguments (1 given)"},
        {"Barrier", "abort", 1, 0,
         "Barrier.abort() takes 1 positional argument but 2 were given"},
        {"Barrier", "wait", 2, 0,
         "Barrier.wait() takes from 1 to 2 positional arguments but 3 were "
         "given"},
        {"Array", "__len__", 1, 0, "expected 0 arguments, got 1"},
        {"Array", "__getitem__", 2, 0, "expected 1 argument, got 2"},
        {"dict", NULL, 2, 0, "dict expected at most 1 argument, got 2"},
        {"list", NULL, 2, 0, "list expected at most 1 argument, got 2"},
        {"list", NULL, 0, 1, "list() takes no keyword arguments"},
        {"Namespace", NULL, 1, 0,
         "Namespace.__init__() takes 1 positional argument but 2 were given"},
        {"Value", NULL, 4, 0,
         "Value.__init__() takes from 3 to 4 positional arguments but 5 "
         "were given"},
        {"Lock", NULL, 1, 0,
         "_thread.allocate_lock() takes no arguments (1 given)"},
        {"Lock", NULL, 0, 1,
         "_thread.allocate_lock() takes no keyword "
         "arguments"},
        {"Event", NULL, 1, 0,
         "Event.__init__() takes 1 positional argument but 2 were given"},
        {"Semaphore", NULL, 2, 0,
         "Semaphore.__init__() takes from 1 to 2 positional arguments but 3 "
         "were given"},
        {"BoundedSemaphore", NULL, 2, 0,
         "BoundedSemaphore.__init__() takes from 1 to 2 positional arguments "
         "but 3 were given"},
        {"Condition", NULL, 2, 0,
         "Condition.__init__() takes from 1 to 2 positional arguments but 3 "
         "were given"},
        {"Barrier", NULL, 4, 0,
         "Barrier.__init__() takes from 2 to 4 positional arguments but 5 "
         "were given"},
        {"Queue", NULL, 2, 0,
         "Queue.__init__() takes from 1 to 2 positional arguments but 3 "
         "were given"},
        {"Queue", NULL, 0, 1,
         "Queue.__init__() got an unexpected keyword argument 'zz'"},
        {"Array", NULL, 4, 0,
         "Array() takes from 2 to 3 positional arguments but 4 were given"},
    };
    mpr_obj_t *kws[3] = {NULL, T(mpr_obj_dict()), T(mpr_obj_dict())};
    mpr_obj_t *two = T(mpr_obj_int(2)), *empty = T(mpr_obj_tuple(0));

    CU_ASSERT_FATAL(
        mpr_obj_dict_set_steal(kws[1], mpr_obj_str("zz"), mpr_obj_int(1)) == 0);
    CU_ASSERT_FATAL(mpr_obj_dict_set_steal(kws[2], mpr_obj_str("item"),
                                           mpr_obj_int(1)) == 0);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        mpr_obj_t *args = mpr_obj_tuple_new((size_t)cases[i].nargs), *ctor;
        mpr_proxy_t *p = NULL;
        char text[300];
        int ok;

        for (int k = 0; k < cases[i].nargs; k++)
            mpr_obj_tuple_set_steal(args, (size_t)k, mpr_obj_int(0));
        if (cases[i].method == NULL) {
            snprintf(text, sizeof(text), "TypeError: %s", cases[i].msg);
            ok = remote_is(mpr_manager_create(mgr, cases[i].typeid, args,
                                              kws[cases[i].kw], &p),
                           text);
        } else {
            /* a valid object of the type first */
            ctor =
                strcmp(cases[i].typeid, "Value") == 0
                    ? mpr_obj_tuple_steal(2, mpr_obj_str("i"), mpr_obj_int(1))
                : strcmp(cases[i].typeid, "Array") == 0
                    ? mpr_obj_tuple_steal(2, mpr_obj_str("i"), mpr_obj_list())
                : strcmp(cases[i].typeid, "Barrier") == 0
                    ? mpr_obj_tuple(1, two)
                    : mpr_obj_incref(empty);
            CU_ASSERT_FATAL(
                mpr_manager_create(mgr, cases[i].typeid, ctor, NULL, &p) == 0);
            mpr_obj_decref(ctor);
            ok = err_is(mpr_proxy_callmethod(p, cases[i].method, args,
                                             kws[cases[i].kw], NULL),
                        "TypeError", cases[i].msg);
        }
        if (!ok) {
            printf("# case %zu: %s.%s\n", i, cases[i].typeid,
                   cases[i].method ? cases[i].method : "__init__");
            CU_FAIL("arity message");
        }
        mpr_proxy_free(p);
        mpr_obj_decref(args);
    }
    /* A name the object does not expose: CPython's two chained errors,
     * the class by its qualified name */
    {
        mpr_proxy_t *p;
        CU_ASSERT_FATAL(mpr_manager_lock(mgr, &p) == 0);
        CU_ASSERT(remote_is(
            mpr_proxy_callmethod(p, "zz", NULL, NULL, NULL),
            "Traceback (most recent call last):\nAttributeError: method "
            "'zz' of <class '_thread.lock'> object is not in "
            "exposed={'acquire', 'release'}\n\nDuring handling of the "
            "above exception, another exception occurred:\n\nTraceback "
            "(most recent call last):\nKeyError: 'zz'\n"));
        mpr_proxy_free(p);
    }
}
WITH_MANAGER(test_manager_arity_of_every_type_as_cpython)

/* Barrier.wait(-1) in a fork child: CPython's wait_for treats a negative
 * timeout as a deadline already past, so the first of two parties breaks
 * the barrier at once.  Exit status 0 when it did. */
static int child_barrier_wait_negative(void *arg)
{
    mpr_obj_t *args =
        arg ? mpr_obj_tuple_steal(1, mpr_obj_int(-1)) : mpr_obj_tuple(0);
    int rc = mpr_proxy_callmethod(arg ? arg : barrier_default, "wait", args,
                                  NULL, NULL);

    mpr_obj_decref(args);
    return rc == MPR_EBROKENBARRIER ? 0 : 1;
}

static int barrier_is_broken(mpr_proxy_t *b)
{
    mpr_obj_t *name = mpr_obj_str("broken"), *args, *v = NULL;
    int rc;

    args = mpr_obj_tuple_steal(1, name);
    rc = mpr_proxy_callmethod(b, "__getattribute__", args, NULL, &v);
    mpr_obj_decref(args);
    rc = rc == 0 && v == mpr_obj_bool(1);
    mpr_obj_decref(v);
    return rc;
}

/* A Barrier action that fails: the last party gets its error. */
static int failing_action(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return mpr__error(MPR_EVALUE, "action failed");
}
MPR_TARGET(failing_action)

static int not_registered(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return 0;
}

static void test_manager_joinable_queue_and_barrier_action_body(void)
{
    mpr_proxy_t *q = NULL, *b = NULL, *b2 = NULL;
    mpr_obj_t *kw = T(mpr_obj_dict()), *kw2 = T(mpr_obj_dict());
    mpr_obj_t *one = T(mpr_obj_tuple_steal(1, mpr_obj_int(1)));

    /* queue.Queue behind a second typeid: task_done() and join() */
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "JoinableQueue", NULL, NULL, &q) ==
                    0);
    CU_ASSERT(strcmp(mpr_proxy_type_name(q), "AutoProxy[JoinableQueue]") == 0);
    CU_ASSERT(call(q, "put", mpr_obj_tuple_steal(1, mpr_obj_int(1))) != NULL);
    CU_ASSERT(repr_is(call(q, "get", NULL), "1"));
    CU_ASSERT(repr_is(call(q, "task_done", NULL), "None"));
    CU_ASSERT(repr_is(call(q, "join", NULL), "None"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(q, "task_done", NULL, NULL, NULL),
                     "ValueError", "task_done() called too many times"));

    /* an action must be a registered target */
    CU_ASSERT(mpr_manager_action(not_registered, NULL) == NULL &&
              mpr_last_error() == MPR_EVALUE);
    /* its error breaks the barrier and reaches the last party */
    mpr_obj_dict_set_steal(kw, mpr_obj_str("action"),
                           mpr_manager_action(failing_action, NULL));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Barrier", one, kw, &b) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(b, "wait", NULL, NULL, NULL),
                     "ValueError", "action failed"));
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("broken"))),
                      "True"));
    /* anything else fails as calling it would */
    mpr_obj_dict_set_steal(kw2, mpr_obj_str("action"), mpr_obj_str("x"));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Barrier", one, kw2, &b2) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(b2, "wait", NULL, NULL, NULL),
                     "TypeError", "'str' object is not callable"));
    mpr_proxy_free(q);
    mpr_proxy_free(b);
    mpr_proxy_free(b2);
}
WITH_MANAGER(test_manager_joinable_queue_and_barrier_action)

static void test_manager_barrier_negative_timeout_breaks_at_once_body(void)
{
    mpr_obj_t *args;
    mpr_proxy_t *b, *one;

    /* Barrier(2).wait(-1) */
    args = T(mpr_obj_tuple_steal(1, mpr_obj_int(2)));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Barrier", args, NULL, &b) == 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_barrier_wait_negative, b, 10), 0);
    CU_ASSERT(barrier_is_broken(b));
    mpr_proxy_free(b);
    /* Barrier(2, None, -1).wait(): the barrier's own timeout */
    args = T(mpr_obj_tuple_steal(3, mpr_obj_int(2), mpr_obj_none(),
                                 mpr_obj_int(-1)));
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Barrier", args, NULL, &barrier_default) == 0);
    CU_ASSERT_EQUAL(mprtest_run_child(child_barrier_wait_negative, NULL, 10),
                    0);
    CU_ASSERT(barrier_is_broken(barrier_default));
    mpr_proxy_free(barrier_default);
    barrier_default = NULL;
    /* Barrier(1).wait(-1): the last party waits for nobody: index 0 */
    args = T(mpr_obj_tuple_steal(1, mpr_obj_int(1)));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Barrier", args, NULL, &one) == 0);
    args = T(mpr_obj_tuple_steal(1, mpr_obj_int(-1)));
    CU_ASSERT(mpr_proxy_callmethod(one, "wait", args, NULL, &args) == 0 &&
              mpr_obj_int_value(T(args)) == 0);
    mpr_proxy_free(one);
}
WITH_MANAGER(test_manager_barrier_negative_timeout_breaks_at_once)

/* BaseManager(address=('', 0)): '' binds every address, the address
 * reads ('0.0.0.0', port) once started, and another manager connects to
 * ('', port) as CPython's socket module takes '' for INADDR_ANY. */
static void test_manager_tcp_empty_host_binds_all_addresses(void)
{
    mpr_manager_options_t o = {.host = "", .authkey = "k", .authkey_len = 1};
    mpr_manager_t *m = start(&o), *other = NULL;
    mpr_obj_t *addr = NULL;
    mpr_proxy_t *d;

    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT(mpr_manager_address(m, &addr) == 0);
    CU_ASSERT(
        mpr_obj_type(addr) == MPR_OBJ_TUPLE &&
        strcmp(mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL), "0.0.0.0") == 0 &&
        mpr_obj_int_value(mpr_obj_item(addr, 1)) > 0);
    CU_ASSERT_FATAL(mpr_manager_dict(m, NULL, &d) == 0);
    CU_ASSERT(mpr_proxy_setitem(d, T(mpr_obj_int(1)), T(mpr_obj_int(2))) == 0);
    CU_ASSERT(str_is(d, "{1: 2}"));
    mpr_proxy_free(d);
    o.port = (int)mpr_obj_int_value(mpr_obj_item(addr, 1));
    CU_ASSERT(mpr_manager_new(&other, &o) == 0);
    CU_ASSERT(mpr_manager_connect(other) == 0);
    mpr_manager_free(other);
    mpr_obj_decref(addr);
    drop_all();
    mpr_manager_free(m);
}

/* ---- a C type registered with the manager (BaseManager.register) ------- */

typedef struct {
    int64_t n;
} counter_t;

static int counter_new(const mpr_obj_t *args, const mpr_obj_t *kwds,
                       void **self)
{
    counter_t *c = calloc(1, sizeof(*c));

    (void)kwds;
    if (c == NULL)
        return -ENOMEM;
    if (mpr_obj_len(args) > 0 &&
        mpr_obj_as_int64(mpr_obj_item(args, 0), &c->n) < 0) {
        free(c);
        return mpr_last_error();
    }
    *self = c;
    return 0;
}

static void counter_free(void *self)
{
    free(self);
}

static int counter_increment(void *self, const mpr_obj_t *args,
                             const mpr_obj_t *kwds, mpr_obj_t **out)
{
    counter_t *c = self;
    int64_t by = 1;

    (void)kwds;
    if (mpr_obj_len(args) > 0 &&
        mpr_obj_as_int64(mpr_obj_item(args, 0), &by) < 0)
        return mpr_last_error();
    c->n += by;
    return (*out = mpr_obj_int(c->n)) ? 0 : mpr_last_error();
}

static int counter_value(void *self, const mpr_obj_t *args,
                         const mpr_obj_t *kwds, mpr_obj_t **out)
{
    (void)args, (void)kwds;
    return (*out = mpr_obj_int(((counter_t *)self)->n)) ? 0 : mpr_last_error();
}

static int counter_boom(void *self, const mpr_obj_t *args,
                        const mpr_obj_t *kwds, mpr_obj_t **out)
{
    (void)args, (void)kwds, (void)out;
    return mpr_target_error(MPR_EVALUE, "boom at %lld",
                            (long long)((counter_t *)self)->n);
}

static int counter_secret(void *self, const mpr_obj_t *args,
                          const mpr_obj_t *kwds, mpr_obj_t **out)
{
    (void)self, (void)args, (void)kwds, (void)out;
    return 0; /* *out left NULL: None */
}

static const mpr_manager_method_t counter_methods[] = {
    {"increment", counter_increment},
    {"value", counter_value},
    {"boom", counter_boom},
    {"_secret", counter_secret},
    {NULL, NULL}};

/* Calls p.method(*args) with one int argument or none (arg < 0). */
static int counter_call(mpr_proxy_t *p, const char *method, int arg,
                        mpr_obj_t **out)
{
    mpr_obj_t *args =
        arg >= 0 ? mpr_obj_tuple_steal(1, mpr_obj_int(arg)) : mpr_obj_tuple(0);
    int rc = mpr_proxy_callmethod(p, method, args, NULL, out);

    mpr_obj_decref(args);
    return rc;
}

/* /usr/bin/python3 -c SCRIPT ADDRESS (m's address in sys.argv[1]; the
 * script in single quotes): its output, or NULL (and the output as a
 * TAP comment) when it failed. */
static const char *python_run(mpr_manager_t *m, const char *script)
{
    static char buf[1024];
    mpr_obj_t *addr = NULL;
    char cmd[2048];
    size_t n = 0;
    FILE *f;

    if (mpr_manager_address(m, &addr) < 0)
        return NULL;
    snprintf(cmd, sizeof(cmd), "/usr/bin/python3 -c '%s' %s 2>&1", script,
             mpr_obj_str_utf8(addr, NULL));
    mpr_obj_decref(addr);
    if ((f = popen(cmd, "r")) == NULL)
        return NULL;
    n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    if (pclose(f) != 0) {
        printf("# python failed: %s\n", buf);
        return NULL;
    }
    return buf;
}

/* A CPython client of the C server: BaseManager.register('Counter') with
 * no callable, connect(), create, call, a hidden name's RemoteError, and
 * a method's ValueError as itself.
 * Returns its output (static) or NULL. */
static const char *python_client(mpr_manager_t *m)
{
    char script[1024];

    snprintf(script, sizeof(script),
             "import sys\n"
             "from multiprocessing.managers import BaseManager, RemoteError\n"
             "class M(BaseManager): pass\n"
             "M.register(\"Counter\")\n"
             "m = M(address=sys.argv[1], authkey=b\"k\"); m.connect()\n"
             "c = m.Counter(10)\n"
             "print(type(c).__name__, sorted(c._exposed_), c.increment(1), "
             "c.value())\n"
             "try: c._callmethod(\"_secret\")\n"
             "except RemoteError as e: print(\"RemoteError\", "
             "\"KeyError: %s_secret%s\" in str(e))\n"
             "try: c.boom()\n"
             "except ValueError as e: print(type(e).__name__, e)\n",
             "'\"'\"'", "'\"'\"'");
    return python_run(m, script);
}

static void test_manager_register_c_type(void)
{
    static const char *const exposed[] = {"value", "_secret", NULL};
    static const char *const bad[] = {"value", "nope", NULL};
    mpr_manager_type_t counter = {.factory = counter_new,
                                  .free = counter_free,
                                  .methods = counter_methods};
    mpr_manager_type_t secretive = counter;
    mpr_manager_options_t o = {.authkey = "k", .authkey_len = 1};
    mpr_manager_t *m;
    mpr_proxy_t *p, *q;
    mpr_obj_t *r = NULL, *args;
    const char *py;

    secretive.exposed = exposed;
    secretive.proxytype = "CounterProxy";
    secretive.pyname = "__main__.Counter";
    CU_ASSERT_FATAL(mpr_manager_register("Counter", &counter) == 0);
    CU_ASSERT_FATAL(mpr_manager_register("Secretive", &secretive) == 0);
    secretive.exposed = bad;
    CU_ASSERT(err_is(mpr_manager_register("Bad", &secretive), "ValueError",
                     "exposed name 'nope' is not a method of 'Bad'"));
    CU_ASSERT_FATAL((m = start(&o)) != NULL);

    /* exposed=None: the public methods; others are RemoteError */
    args = T(mpr_obj_tuple_steal(1, mpr_obj_int(5)));
    CU_ASSERT_FATAL(mpr_manager_create(m, "Counter", args, NULL, &p) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(p), "AutoProxy[Counter]");
    CU_ASSERT(counter_call(p, "increment", 2, &r) == 0 &&
              mpr_obj_int_value(T(r)) == 7);
    CU_ASSERT(counter_call(p, "value", -1, &r) == 0 &&
              mpr_obj_int_value(T(r)) == 7);
    CU_ASSERT(
        err_is(counter_call(p, "boom", -1, NULL), "ValueError", "boom at 7"));
    CU_ASSERT(remote_is(counter_call(p, "_secret", -1, NULL),
                        "AttributeError: method '_secret' of <class "
                        "'Counter'> object is not in exposed={'boom', "
                        "'increment', 'value'}\n\nDuring handling of the "
                        "above exception, another exception occurred:\n\n"
                        "Traceback (most recent call last):\n"
                        "KeyError: '_secret'\n"));
    CU_ASSERT(str_has(p, "<Counter object at 0x", ">"));
    /* exposed= and proxytype= given */
    CU_ASSERT_FATAL(mpr_manager_create(m, "Secretive", NULL, NULL, &q) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(q), "CounterProxy");
    CU_ASSERT(counter_call(q, "_secret", -1, &r) == 0 && mpr_obj_is_none(T(r)));
    CU_ASSERT(remote_is(counter_call(q, "increment", 1, NULL),
                        "AttributeError: method 'increment' of <class "
                        "'__main__.Counter'> object is not in "
                        "exposed={'value', '_secret'}"));
    CU_ASSERT(str_has(q, "<__main__.Counter object at 0x", ">"));
    /* the same server from CPython (not under valgrind, which would
     * follow and check the interpreter too) */
    py = mprtest_under_valgrind() ? NULL : python_client(m);
    CU_ASSERT(mprtest_under_valgrind() ||
              (py != NULL &&
               strcmp(py, "AutoProxy[Counter] ['boom', 'increment', 'value'] "
                          "11 11\nRemoteError True\n"
                          "ValueError boom at 11\n") == 0));
    /* a TAP comment per line: meson reads any other line as a bad one */
    for (const char *l = py; l != NULL && *l;) {
        size_t n = strcspn(l, "\n");
        printf("# python: %.*s\n", (int)n, l);
        l += n + (l[n] == '\n');
    }
    mpr_proxy_free(p);
    mpr_proxy_free(q);
    drop_all();
    mpr_manager_free(m);
}

/* A C client of a CPython server with the same registration: Foo
 * registered here without a factory (callable=None: only proxies), the
 * server a /usr/bin/python3 BaseManager holding FooBar objects; it
 * prints its port and serves until its stdin closes. */
static void test_manager_c_client_of_cpython_server(void)
{
    static const char script[] =
        "import sys\n"
        "from multiprocessing.managers import BaseManager\n"
        "class Own(Exception): pass\n"
        "class FooBar:\n"
        "    def f(self): return 'f()'\n"
        "    def _h(self): return '_h()'\n"
        "    def g(self): raise ValueError('g failed')\n"
        "    def own(self): raise Own('mine', 2)\n"
        "    def gone(self): raise FileNotFoundError(2, 'gone', 'x.txt')\n"
        "    def key(self): return {}[(1, 'a')]\n"
        "class M(BaseManager): pass\n"
        "M.register('Foo', callable=FooBar)\n"
        "m = M(address=('127.0.0.1', 0), authkey=b'k'); m.start()\n"
        "print(m.address[1], flush=True)\n"
        "sys.stdin.read()\n"
        "m.shutdown()\n";
    mpr_manager_type_t foo = {.pyname = "FooBar"}; /* no factory */
    mpr_manager_options_t o = {
        .host = "127.0.0.1", .authkey = "k", .authkey_len = 1};
    int in[2], out[2];
    mpr_manager_t *m = NULL;
    mpr_proxy_t *p = NULL;
    mpr_obj_t *r = NULL;
    char port[32] = "";
    ssize_t n;
    pid_t pid;

    if (mprtest_skip_under_valgrind("runs /usr/bin/python3, which memcheck "
                                    "would follow and check"))
        return;
    CU_ASSERT_FATAL(mpr_manager_register("Foo", &foo) == 0);
    CU_ASSERT_FATAL(pipe2(in, O_CLOEXEC) == 0 && pipe2(out, O_CLOEXEC) == 0);
    if ((pid = fork()) == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        execl("/usr/bin/python3", "python3", "-c", script, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    CU_ASSERT_FATAL(pid > 0);
    n = read(out[0], port, sizeof(port) - 1); /* one short line */
    o.port = n > 0 ? atoi(port) : 0;
    CU_ASSERT(o.port > 0);
    CU_ASSERT(mpr_manager_new(&m, &o) == 0 && mpr_manager_connect(m) == 0);
    CU_ASSERT(mpr_manager_create(m, "Foo", NULL, NULL, &p) == 0);
    if (p != NULL) {
        CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(p), "AutoProxy[Foo]");
        CU_ASSERT(mpr_proxy_callmethod(p, "f", NULL, NULL, &r) == 0 &&
                  strcmp(mpr_obj_str_utf8(r, NULL), "f()") == 0);
        CU_ASSERT(remote_is(mpr_proxy_callmethod(p, "_h", NULL, NULL, NULL),
                            "AttributeError: method '_h' of <class "
                            "'__main__.FooBar'> object is not in "
                            "exposed="));
        /* its exceptions keep their class and str() */
        CU_ASSERT(err_is(mpr_proxy_callmethod(p, "g", NULL, NULL, NULL),
                         "ValueError", "g failed"));
        CU_ASSERT(err_is(mpr_proxy_callmethod(p, "own", NULL, NULL, NULL),
                         "multiprocessing.managers.RemoteError",
                         "Own: ('mine', 2)"));
        CU_ASSERT(mpr_exception_register("Own") <= MPR_EUSER_FIRST);
        CU_ASSERT(err_is(mpr_proxy_callmethod(p, "own", NULL, NULL, NULL),
                         "Own", "('mine', 2)"));
        CU_ASSERT(err_is(mpr_proxy_callmethod(p, "gone", NULL, NULL, NULL),
                         "FileNotFoundError", "[Errno 2] gone: 'x.txt'"));
        CU_ASSERT(mpr_proxy_callmethod(p, "key", NULL, NULL, NULL) ==
                      MPR_EKEY &&
                  err_is(MPR_EKEY, "KeyError", "(1, 'a')"));
    }
    mpr_obj_decref(r);
    mpr_proxy_free(p);
    mpr_manager_free(m);
    close(in[1]); /* the server shuts down */
    close(out[0]);
    CU_ASSERT(mprtest_wait(pid, 20) == 0);
}

/* One server function on its own connection (as CPython's dispatch):
 * the error's class and message must be in the RemoteError text. */
static int server_fn_fails(const char *fn, mpr_obj_t *args, const char *text)
{
    mpr_conn_t *c;
    int rc, ok;

    if (mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c) < 0)
        return 0;
    rc = mpr__mgr_dispatch(c, NULL, fn, args, NULL, NULL);
    ok = remote_is(rc, text);
    mpr_conn_free(c);
    return ok;
}

/* Sends a raw request on a served connection; its reply is a traceback
 * holding text. */
static int request_traceback(mpr_conn_t *c, mpr_obj_t *req, const char *text)
{
    mpr_obj_t *r = NULL;
    int ok =
        mpr_conn_send(c, req) == 0 && mpr_conn_recv(c, &r) == 0 &&
        mpr_obj_type(r) == MPR_OBJ_TUPLE && mpr_obj_len(r) == 2 &&
        strcmp(mpr_obj_str_utf8(mpr_obj_item(r, 0), NULL), "#TRACEBACK") == 0 &&
        strstr(mpr_obj_str_utf8(mpr_obj_item(r, 1), NULL), text);

    if (!ok)
        printf("# no traceback with '%s'\n", text);
    mpr_obj_decref(r);
    return ok;
}

/* Requests that CPython's Server answers with a traceback get one, and
 * the connection goes on serving. */
static void test_manager_server_rejects_bad_requests_body(void)
{
    mpr_obj_t *red = NULL, *out = NULL;
    mpr_proxy_t *d;
    mpr_conn_t *c;
    const char *ident;

    CU_ASSERT(
        server_fn_fails("bogus", NULL, "AssertionError: 'bogus' unrecognized"));
    {
        mpr_conn_t *c1;
        CU_ASSERT_FATAL(
            mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c1) == 0);
        CU_ASSERT(request_traceback(
            c1,
            T(mpr_obj_tuple_steal(4, mpr_obj_none(), mpr_obj_int(7),
                                  mpr_obj_tuple(0), mpr_obj_dict())),
            "AssertionError: 7 unrecognized"));
        mpr_conn_free(c1);
        CU_ASSERT_FATAL(
            mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c1) == 0);
        CU_ASSERT(request_traceback(
            c1,
            T(mpr_obj_tuple_steal(4, mpr_obj_none(), mpr_obj_str("create"),
                                  mpr_obj_int(1), mpr_obj_dict())),
            "TypeError: Server.create() argument after * must be an "
            "iterable, not int"));
        mpr_conn_free(c1);
        CU_ASSERT_FATAL(
            mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c1) == 0);
        CU_ASSERT(request_traceback(
            c1, T(mpr_obj_tuple_steal(2, mpr_obj_none(), mpr_obj_none())),
            "ValueError: not enough values to unpack (expected 4, got 2)"));
        mpr_conn_free(c1);
    }
    CU_ASSERT(server_fn_fails("create", NULL, "create() missing typeid"));
    CU_ASSERT(server_fn_fails("create",
                              T(mpr_obj_tuple_steal(1, mpr_obj_str("Nope"))),
                              "KeyError: 'Nope'"));
    CU_ASSERT(server_fn_fails("incref", NULL, "expected (ident,)"));
    CU_ASSERT(server_fn_fails("decref",
                              T(mpr_obj_tuple_steal(1, mpr_obj_str("zz"))),
                              "KeyError: 'zz'"));
    CU_ASSERT_FATAL(mpr_manager_dict(mgr, NULL, &d) == 0);
    CU_ASSERT_FATAL(mpr_proxy_reduce(d, &red) == 0);
    ident = mpr_obj_str_utf8(mpr_obj_item(red, 2), NULL);
    CU_ASSERT_FATAL(mpr__mgr_client(&mgr->addr, mgr->key, mgr->keylen, &c) ==
                    0);
    CU_ASSERT(
        mpr__mgr_dispatch(c, NULL, "accept_connection", NULL, NULL, NULL) == 0);
    /* ident, methodname, args, kwds = request */
    CU_ASSERT(request_traceback(
        c, T(mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2))),
        "ValueError: not enough values to unpack (expected 4, got 2)"));
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_tuple_steal(5, mpr_obj_int(1), mpr_obj_int(2), mpr_obj_int(3),
                              mpr_obj_int(4), mpr_obj_int(5))),
        "ValueError: too many values to unpack (expected 4)"));
    CU_ASSERT(request_traceback(c, T(mpr_obj_int(5)),
                                "TypeError: cannot unpack non-iterable int "
                                "object"));
    CU_ASSERT(remote_is(mpr__mgr_dispatch(c, "nope", "keys", NULL, NULL, NULL),
                        "KeyError: 'nope'"));
    /* obj = id_to_obj[ident]: a non-str ident is a KeyError too; the
     * request may be a list; *args and **kwds must fit (CPython's text
     * starts with the method's name, "dict.keys() argument after...") */
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_tuple_steal(4, mpr_obj_int(5), mpr_obj_str("keys"),
                              mpr_obj_tuple(0), mpr_obj_dict())),
        "KeyError: 5"));
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_list_of_steal(4, mpr_obj_str("nope"), mpr_obj_str("keys"),
                                mpr_obj_tuple(0), mpr_obj_dict())),
        "KeyError: 'nope'"));
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_tuple_steal(4, mpr_obj_str(ident), mpr_obj_int(1),
                              mpr_obj_tuple(0), mpr_obj_dict())),
        "TypeError: attribute name must be string, not 'int'"));
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_tuple_steal(4, mpr_obj_str(ident), mpr_obj_str("keys"),
                              mpr_obj_int(1), mpr_obj_dict())),
        "argument after * must be an iterable, not int"));
    CU_ASSERT(request_traceback(
        c,
        T(mpr_obj_tuple_steal(4, mpr_obj_str(ident), mpr_obj_str("keys"),
                              mpr_obj_tuple(0), mpr_obj_int(1))),
        "argument after ** must be a mapping, not int"));
    /* __repr__ is not exposed by dict but falls back to repr() */
    CU_ASSERT(mpr__mgr_dispatch(c, ident, "__repr__", NULL, NULL, &out) == 0 &&
              repr_is(out, "'{}'"));
    mpr_conn_free(c);
    mpr_obj_decref(red);
    mpr_proxy_free(d);
}
WITH_MANAGER(test_manager_server_rejects_bad_requests)

/* dispatch() against a fake server whose one reply is written first. */
static int dispatch_with_reply(mpr_obj_t *reply, mpr_obj_t **out)
{
    mpr_conn_t *a, *b;
    int rc;

    if (mpr_pipe(&a, &b, 1) < 0)
        return -1000000;
    rc = mpr_conn_send(b, reply);
    if (rc == 0)
        rc = mpr__mgr_dispatch(a, NULL, "dummy", NULL, NULL, out);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_obj_decref(reply);
    return rc;
}

static mpr_obj_t *msg2(const char *kind, mpr_obj_t *v)
{
    return mpr_obj_tuple_steal(2, mpr_obj_str(kind), v);
}

/* The client side of CPython's convert_to_error: '#ERROR' with no
 * exception in it (the exceptions: test_manager_exceptions_cross_the_wire),
 * '#TRACEBACK' and '#UNSERIALIZABLE' as
 * RemoteError between two rules of 75 dashes, an unknown kind as
 * ValueError, anything else as a malformed reply. */
static void test_manager_client_reads_every_reply_kind(void)
{
    static const char rule[] = "----------------------------------------"
                               "-----------------------------------";
    char want[256];
    mpr_obj_t *out = NULL;

    CU_ASSERT(dispatch_with_reply(msg2("#RETURN", mpr_obj_int(5)), &out) == 0 &&
              repr_is(out, "5"));
    /* an '#ERROR' payload that is no exception: CPython's `raise x` */
    CU_ASSERT(
        err_is(dispatch_with_reply(msg2("#ERROR", mpr_obj_str("x")), NULL),
               "TypeError", "exceptions must derive from BaseException"));
    CU_ASSERT(err_is(dispatch_with_reply(
                         msg2("#ERROR", mpr_obj_tuple_steal(3, mpr_obj_int(5),
                                                            mpr_obj_str("X"),
                                                            mpr_obj_str("m"))),
                         NULL),
                     "TypeError", "exceptions must derive from BaseException"));
    snprintf(want, sizeof(want), "\n%s\nText\n%s", rule, rule);
    CU_ASSERT(err_is(
        dispatch_with_reply(msg2("#TRACEBACK", mpr_obj_str("Text\n")), NULL),
        "multiprocessing.managers.RemoteError", want));
    snprintf(want, sizeof(want), "\n%s\nUnserializable message: Text\n\n%s",
             rule, rule);
    CU_ASSERT(err_is(dispatch_with_reply(
                         msg2("#UNSERIALIZABLE", mpr_obj_str("Text\n")), NULL),
                     "multiprocessing.managers.RemoteError", want));
    CU_ASSERT(
        err_is(dispatch_with_reply(msg2("#TRACEBACK", mpr_obj_int(1)), NULL),
               "TypeError",
               "Result 1 (kind '#TRACEBACK') type is <class 'int'>, "
               "not str"));
    CU_ASSERT(err_is(
        dispatch_with_reply(msg2("#UNSERIALIZABLE", mpr_obj_none()), NULL),
        "TypeError",
        "Result None (kind '#UNSERIALIZABLE') type is <class "
        "'NoneType'>, not str"));
    CU_ASSERT(err_is(dispatch_with_reply(msg2("#WHAT", mpr_obj_none()), NULL),
                     "ValueError", "Unrecognized message type '#WHAT'"));
    CU_ASSERT(err_is(dispatch_with_reply(mpr_obj_int(5), NULL),
                     "multiprocessing.managers.RemoteError",
                     "malformed reply"));
    CU_ASSERT(err_is(
        dispatch_with_reply(
            mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)), NULL),
        "multiprocessing.managers.RemoteError", "malformed reply"));
}

/* A reply as raw pickle bytes, read by dispatch(). */
static int dispatch_with_bytes(const char *buf, size_t n, mpr_obj_t **out)
{
    mpr_conn_t *a, *b;
    int rc;

    if (mpr_pipe(&a, &b, 1) < 0)
        return -1000000;
    rc = mpr_conn_send_bytes(b, buf, n, 0, MPR_SIZE_NONE);
    if (rc == 0)
        rc = mpr__mgr_dispatch(a, NULL, "dummy", NULL, NULL, out);
    mpr_conn_free(a);
    mpr_conn_free(b);
    return rc;
}

#define REPLY(lit) dispatch_with_bytes(lit, sizeof(lit) - 1, NULL)

/* CPython 3.11's ForkingPickler.dumps(('#ERROR', e)), e as named. */
#define ERR_HEAD "\x80\x04\x95"
#define VALUE_ERROR                                                            \
    "\x8c\x08"                                                                 \
    "builtins\x94\x8c\nValueError\x94\x93\x94"
/* ValueError('boom') */
static const char py_value_error[] =
    ERR_HEAD "1\0\0\0\0\0\0\0\x8c\x06#ERROR\x94" VALUE_ERROR "\x8c\x04"
             "boom\x94\x85\x94R\x94\x86\x94.";

/* The server's '#ERROR' reply to a C client and to CPython's: the pickled
 * exception instance CPython's serve_client sends (byte for byte for
 * ValueError('boom')); read back, CPython's exceptions keep their class
 * and str(), errno and all; a class the program has not registered is
 * RemoteError; anything hostile is a clean error. */
static void test_manager_exceptions_cross_the_wire(void)
{
    mpr_conn_t *a, *b;
    mpr_obj_t *msg;
    char *buf = NULL;
    size_t n = 0;
    char *fuzz;
    int rc;

    /* the C server's side: what CPython writes */
    CU_ASSERT_FATAL(mpr_pipe(&a, &b, 1) == 0);
    mpr__error(MPR_EVALUE, "boom");
    CU_ASSERT_FATAL((msg = mpr__mexc_error_msg(MPR_EVALUE)) != NULL);
    CU_ASSERT(mpr__mgr_send(b, msg) == 0);
    mpr_obj_decref(msg);
    CU_ASSERT(mpr_conn_recv_bytes(a, MPR_SIZE_NONE, &buf, &n) == 0 &&
              n == sizeof(py_value_error) - 1 &&
              memcmp(buf, py_value_error, n) == 0);
    mpr_free(buf);
    /* every kind of class, through the C client: library, OS, own, key */
    {
        static const struct {
            int code;
            const char *msg, *cls;
        } round[] = {
            {MPR_EVALUE, "boom", "ValueError"},
            {MPR_EVALUE, "", "ValueError"},
            {MPR_EKEY, "'k'", "KeyError"},
            {MPR_EKEY, "(1, 'a')", "KeyError"}, /* not kept: a str arg */
            {-ECONNREFUSED, "[Errno 111] Connection refused",
             "ConnectionRefusedError"},
            {MPR_EEMPTY, "", "_queue.Empty"},
            {MPR_ETIMEOUT, "t", "multiprocessing.context.TimeoutError"},
            {MPR_ECLOSED, "handle is closed", "OSError"},
            {MPR_ESTOPITERATION, "", "StopIteration"},
        };
        int own = mpr_exception_register("WireError");
        for (size_t i = 0; i < sizeof(round) / sizeof(round[0]) + 1; i++) {
            int code =
                i < sizeof(round) / sizeof(round[0]) ? round[i].code : own;
            const char *m = code == own ? "mine" : round[i].msg;
            mpr__error(code, "%s", m);
            CU_ASSERT_FATAL((msg = mpr__mexc_error_msg(code)) != NULL);
            CU_ASSERT(mpr__mgr_send(b, msg) == 0);
            mpr_obj_decref(msg);
            rc = mpr__mgr_dispatch(a, NULL, "dummy", NULL, NULL, NULL);
            /* a tuple key's repr goes as a str: repr of the str back */
            CU_ASSERT(rc == code);
            CU_ASSERT(
                err_is(rc, code == own ? "WireError" : round[i].cls,
                       code == MPR_EKEY && m[0] == '(' ? "\"(1, 'a')\"" : m));
        }
    }
    /* the key a dict method's KeyError is about goes as itself */
    {
        mpr_obj_t *key =
            mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a"));
        mpr__mexc_key(key);
        mpr__error(MPR_EKEY, "(1, 'a')");
        CU_ASSERT_FATAL((msg = mpr__mexc_error_msg(MPR_EKEY)) != NULL);
        mpr__mexc_key(NULL);
        mpr_obj_decref(key);
        CU_ASSERT(mpr__mgr_send(b, msg) == 0);
        mpr_obj_decref(msg);
        CU_ASSERT(err_is(mpr__mgr_dispatch(a, NULL, "dummy", NULL, NULL, NULL),
                         "KeyError", "(1, 'a')"));
    }
    mpr_conn_free(a);
    mpr_conn_free(b);

    /* CPython's server's side, as its bytes */
    CU_ASSERT(err_is(REPLY(py_value_error), "ValueError", "boom"));
    CU_ASSERT(err_is(
        REPLY(ERR_HEAD ",\0\0\0\0\0\0\0\x8c\x06#ERROR\x94\x8c\x08"
                       "builtins\x94\x8c\x08KeyError\x94\x93\x94\x8c\x01k\x94"
                       "\x85\x94R\x94\x86\x94."),
        "KeyError", "'k'"));
    rc = REPLY(ERR_HEAD "M\0\0\0\0\0\0\0\x8c\x06#ERROR\x94\x8c\x08"
                        "builtins\x94\x8c\x16"
                        "ConnectionRefusedError\x94\x93\x94Ko\x8c\x12"
                        "Connection refused\x94\x86\x94R\x94\x86\x94.");
    CU_ASSERT(rc == -ECONNREFUSED && err_is(rc, "ConnectionRefusedError",
                                            "[Errno 111] Connection refused"));
    /* class MyErr(Exception) of the server's __main__: RemoteError until
     * this program registers the class, then that class */
    CU_ASSERT(err_is(REPLY(ERR_HEAD ")\0\0\0\0\0\0\0\x8c\x06#ERROR\x94\x8c\x08"
                                    "__main__\x94\x8c\x05MyErr\x94\x93\x94"
                                    "\x8c\x01x\x94\x85\x94R\x94\x86\x94."),
                     "multiprocessing.managers.RemoteError", "MyErr: x"));
    CU_ASSERT(mpr_exception_register("MyErr") <= MPR_EUSER_FIRST);
    rc = REPLY(ERR_HEAD ")\0\0\0\0\0\0\0\x8c\x06#ERROR\x94\x8c\x08"
                        "__main__\x94\x8c\x05MyErr\x94\x93\x94\x8c\x01x\x94"
                        "\x85\x94R\x94\x86\x94.");
    CU_ASSERT(rc <= MPR_EUSER_FIRST && err_is(rc, "MyErr", "x"));
    CU_ASSERT(rc == mpr_exception_register("MyErr"));
    /* ValueError(), ValueError('a', 2), one with __notes__ (BUILD) */
    CU_ASSERT(
        err_is(REPLY(ERR_HEAD ")\0\0\0\0\0\0\0\x8c\x06#ERROR\x94" VALUE_ERROR
                              ")R\x94\x86\x94."),
               "ValueError", ""));
    CU_ASSERT(
        err_is(REPLY(ERR_HEAD "0\0\0\0\0\0\0\0\x8c\x06#ERROR\x94" VALUE_ERROR
                              "\x8c\x01"
                              "a\x94K\x02\x86\x94R\x94\x86\x94."),
               "ValueError", "('a', 2)"));
    CU_ASSERT(
        err_is(REPLY(ERR_HEAD "H\0\0\0\0\0\0\0\x8c\x06#ERROR\x94" VALUE_ERROR
                              "\x8c\x01n\x94\x85\x94R\x94}\x94\x8c\t"
                              "__notes__\x94]\x94\x8c\x04note\x94"
                              "asb\x86\x94."),
               "ValueError", "n"));
    /* `raise ValueError`: the class alone */
    CU_ASSERT(
        err_is(REPLY(ERR_HEAD "!\0\0\0\0\0\0\0\x8c\x06#ERROR\x94" VALUE_ERROR
                              "\x86\x94."),
               "ValueError", ""));

    /* hostile or garbled: clean errors, nothing called or kept */
    CU_ASSERT(err_is(REPLY("\x80\x04\x8c\x07#RETURN" VALUE_ERROR "\x86."),
                     "_pickle.UnpicklingError",
                     "libmpref unpickles data only: the reply holds an "
                     "object of class builtins.ValueError"));
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR\x8c\x02os\x8c\x0a"
                    "system\nfoo"
                    "\x93)R\x86.") == MPR_EUNPICKLE);
    CU_ASSERT(REPLY("\x80\x04\x8c\x07#RETURNcmpr.handle\nSemLock\n"
                    "X\x01\0\0\0z\x85R\x86.") ==
              MPR_EUNPICKLE); /* a handle is never rebuilt from a reply */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR\x8c\x02hi)R\x86.") ==
              MPR_EUNPICKLE); /* REDUCE of a str */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR" VALUE_ERROR "K\x01R\x86.") ==
              MPR_EUNPICKLE); /* args not a tuple */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR\x8c\x02hi}b\x86.") ==
              MPR_EUNPICKLE); /* BUILD of a str */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR" VALUE_ERROR "h\x02\x85R\x86.") ==
              MPR_EUNPICKLE); /* args holding a class */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR" VALUE_ERROR "b\x86.") ==
              MPR_EUNPICKLE); /* BUILD of a class: underflow or refused */
    CU_ASSERT(REPLY("\x80\x04\x8c\x06#ERROR\x8c\x02os\x93\x86.") ==
              MPR_EUNPICKLE); /* STACK_GLOBAL short of one */
    CU_ASSERT(err_is(REPLY("\x80\x02X\x06\0\0\0#ERRORcbuiltins\nValueError\n"
                           "X\x01\0\0\0z\x85R\x86."),
                     "ValueError", "z")); /* protocol 2's GLOBAL */
    /* every prefix and every one-byte change of a real reply: an error
     * or a result, never a crash (ASan watches) */
    for (size_t i = 0; i < sizeof(py_value_error) - 1; i++)
        CU_ASSERT(dispatch_with_bytes(py_value_error, i, NULL) < 0);
    fuzz = malloc(sizeof(py_value_error));
    CU_ASSERT_FATAL(fuzz != NULL);
    for (size_t i = 0; i < sizeof(py_value_error) - 1; i++)
        for (int v = 0; v < 256; v += 7) {
            mpr_obj_t *o = NULL;
            memcpy(fuzz, py_value_error, sizeof(py_value_error));
            fuzz[i] = (char)v;
            if (dispatch_with_bytes(fuzz, sizeof(py_value_error) - 1, &o) == 0)
                mpr_obj_decref(o);
        }
    free(fuzz);
}

static mpr_proxy_t *shared2;

/* Waits on the shared Condition; exit 0 when notified in time. */
static int child_cond_wait(void *arg)
{
    mpr_obj_t *t = mpr_obj_tuple_steal(1, mpr_obj_float(10.0)), *r = NULL;
    int ok;

    (void)arg;
    ok = mpr_proxy_callmethod(shared, "acquire", NULL, NULL, NULL) == 0 &&
         mpr_proxy_callmethod(shared, "wait", t, NULL, &r) == 0 &&
         r == mpr_obj_bool(1) &&
         mpr_proxy_callmethod(shared, "release", NULL, NULL, NULL) == 0;
    mpr_obj_decref(t);
    mpr_obj_decref(r);
    return ok ? 0 : 1;
}

/* Waits on the shared 2-party Barrier; exit status is its index. */
static int child_barrier_wait(void *arg)
{
    mpr_obj_t *r = NULL;
    int64_t i = -1;

    (void)arg;
    if (mpr_proxy_callmethod(shared2, "wait", NULL, NULL, &r) == 0)
        mpr_obj_as_int64(r, &i);
    mpr_obj_decref(r);
    return (int)i;
}

/* A Condition and a Barrier in the server shared by two processes: the
 * waiter shows in the repr and is woken by notify; the barrier releases
 * both parties with indexes 0 and 1. */
static void test_manager_condition_and_barrier_across_processes_body(void)
{
    mpr_obj_t *r = NULL;
    pid_t pid;
    int64_t mine = -1;
    int theirs;

    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Condition", NULL, NULL, &shared) ==
                    0);
    pid = mprtest_fork(child_cond_wait, NULL);
    for (int i = 0; i < 200 && !str_has_(shared, "<Condition(", ", 1)>", 1);
         i++)
        usleep(10000);
    CU_ASSERT(str_has(shared, "<Condition(<unlocked _thread.RLock", ", 1)>"));
    CU_ASSERT(call(shared, "acquire", NULL) != NULL);
    CU_ASSERT(call(shared, "notify", NULL) != NULL);
    CU_ASSERT(call(shared, "release", NULL) != NULL);
    CU_ASSERT_EQUAL(mprtest_wait(pid, 20), 0);
    CU_ASSERT(str_has(shared, "<Condition(", ", 0)>"));

    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Barrier",
                           T(mpr_obj_tuple_steal(1, mpr_obj_int(2))), NULL,
                           &shared2) == 0);
    pid = mprtest_fork(child_barrier_wait, NULL);
    for (int i = 0; i < 200 && !str_has_(shared2, "<threading.Barrier at ",
                                         ": waiters=1/2>", 1);
         i++)
        usleep(10000);
    CU_ASSERT(mpr_proxy_callmethod(shared2, "wait", NULL, NULL, &r) == 0 &&
              mpr_obj_as_int64(r, &mine) == 0);
    mpr_obj_decref(r);
    theirs = mprtest_wait(pid, 20);
    CU_ASSERT((mine == 0 && theirs == 1) || (mine == 1 && theirs == 0));
    mpr_proxy_free(shared);
    mpr_proxy_free(shared2);
}
WITH_MANAGER(test_manager_condition_and_barrier_across_processes)

/* Namespace's repr leaves out names starting with '_' (they live in the
 * server when given at creation); a proxy's repr and str give lengths. */
static void test_manager_namespace_repr_hides_private_names_body(void)
{
    mpr_obj_t *attrs = T(mpr_obj_dict());
    mpr_proxy_t *ns;
    char *r;
    size_t n = 0;

    mpr_obj_dict_set_steal(attrs, mpr_obj_str("_h"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(attrs, mpr_obj_str("x"), mpr_obj_int(2));
    CU_ASSERT_FATAL(mpr_manager_namespace(mgr, attrs, &ns) == 0);
    CU_ASSERT(str_is(ns, "Namespace(x=2)"));
    CU_ASSERT(mpr_proxy_str(ns, &r, &n) == 0 && n == strlen(r));
    mpr_free(r);
    CU_ASSERT(mpr_proxy_repr(ns, &r, &n) == 0 && n == strlen(r) &&
              strncmp(r, "<NamespaceProxy object, typeid 'Namespace' at 0x",
                      47) == 0);
    mpr_free(r);
    mpr_proxy_free(ns);
}
WITH_MANAGER(test_manager_namespace_repr_hides_private_names)

/* array.array's range errors per typecode (both of CPython's checks: the
 * argument format's, then the item's own), and sort's type errors naming
 * the pair Python's sort compares first; expected texts from
 * /usr/bin/python3. */
static void test_manager_array_ranges_and_sort_type_errors_body(void)
{
    static const struct {
        const char *code;
        int64_t v;
        const char *msg;
    } rows[] = {
        {"b", -200, "signed char is less than minimum"},
        {"b", -40000, "signed short integer is less than minimum"},
        {"b", 40000, "signed short integer is greater than maximum"},
        {"B", -1, "unsigned byte integer is less than minimum"},
        {"B", 256, "unsigned byte integer is greater than maximum"},
        {"H", -1, "unsigned short is less than minimum"},
        {"H", 70000, "unsigned short is greater than maximum"},
        {"H", INT64_C(2147483648), "signed integer is greater than maximum"},
        {"I", -1, "can't convert negative value to unsigned int"},
        {"I", INT64_C(4294967296), "unsigned int is greater than maximum"},
        {"L", -1, "can't convert negative value to unsigned int"},
        {"Q", -1, "can't convert negative int to unsigned"},
        {"i", INT64_C(2147483648), "signed integer is greater than maximum"},
        {"h", -40000, "signed short integer is less than minimum"},
    };
    mpr_proxy_t *a, *l;
    char want[128];

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(want, sizeof(want), "OverflowError: %s", rows[i].msg);
        CU_ASSERT(remote_is(
            mpr_manager_create(
                mgr, "Array",
                T(mpr_obj_tuple_steal(
                    2, mpr_obj_str(rows[i].code),
                    mpr_obj_list_of_steal(1, mpr_obj_int(rows[i].v)))),
                NULL, &a),
            want));
    }
    CU_ASSERT_FATAL(
        mpr_manager_list(mgr,
                         T(mpr_obj_list_of_steal(2, mpr_obj_str("a"),
                                                 mpr_obj_bytes("a", 1))),
                         &l) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "sort", NULL, NULL, NULL),
                     "TypeError",
                     "'<' not supported between instances of 'bytes' and "
                     "'str'"));
    mpr_proxy_free(l);
    CU_ASSERT_FATAL(
        mpr_manager_list(
            mgr,
            T(mpr_obj_list_of_steal(
                2, mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a")),
                mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_int(2)))),
            &l) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "sort", NULL, NULL, NULL),
                     "TypeError",
                     "'<' not supported between instances of 'int' and "
                     "'str'"));
    mpr_proxy_free(l);
    /* lists compare item by item, then by length; key=None and
     * reverse=False are the defaults */
    CU_ASSERT_FATAL(
        mpr_manager_list(
            mgr,
            T(mpr_obj_list_of_steal(
                3, mpr_obj_list_of_steal(1, mpr_obj_int(2)),
                mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_int(5)),
                mpr_obj_list_of_steal(1, mpr_obj_int(1)))),
            &l) == 0);
    {
        mpr_obj_t *kw = T(mpr_obj_dict());
        mpr_obj_dict_set_steal(kw, mpr_obj_str("key"), mpr_obj_none());
        mpr_obj_dict_set_steal(kw, mpr_obj_str("reverse"), mpr_obj_bool(0));
        CU_ASSERT(mpr_proxy_callmethod(l, "sort", NULL, kw, NULL) == 0);
    }
    CU_ASSERT(str_is(l, "[[1], [1, 5], [2]]"));
    mpr_proxy_free(l);
}
WITH_MANAGER(test_manager_array_ranges_and_sort_type_errors)

/* answer_challenge against a fake server whose messages are written
 * first: a message that is not a challenge is CPython's AssertionError
 * ("message = b'...'"), one past 256 bytes is "bad message length", a
 * reply other than #WELCOME is "digest sent was rejected". */
static void test_manager_answer_challenge_against_bad_servers(void)
{
    char big[300];
    mpr_conn_t *a, *b;

    memset(big, 'x', sizeof(big));
    CU_ASSERT_FATAL(mpr_pipe(&a, &b, 1) == 0);
    CU_ASSERT(mpr_conn_send_bytes(b, "hello", 5, 0, MPR_SIZE_NONE) == 0);
    CU_ASSERT(err_is(mpr_conn_answer_challenge(a, "k", 1), "AssertionError",
                     "message = b'hello'"));
    CU_ASSERT(mpr_conn_send_bytes(b, big, sizeof(big), 0, MPR_SIZE_NONE) == 0);
    CU_ASSERT(mpr_conn_answer_challenge(a, "k", 1) == MPR_EBADLEN);
    mpr_conn_free(a);
    mpr_conn_free(b);
    CU_ASSERT_FATAL(mpr_pipe(&a, &b, 1) == 0);
    CU_ASSERT(mpr_conn_send_bytes(b, "#CHALLENGE#0123456789", 21, 0,
                                  MPR_SIZE_NONE) == 0);
    CU_ASSERT(mpr_conn_send_bytes(b, "#FAILURE#", 9, 0, MPR_SIZE_NONE) == 0);
    CU_ASSERT(err_is(mpr_conn_answer_challenge(a, "k", 1),
                     "multiprocessing.context.AuthenticationError",
                     "digest sent was rejected"));
    mpr_conn_free(a);
    mpr_conn_free(b);
}

/* Unhashable keys are TypeError in every dict method that hashes (pop
 * even with a default, in, setdefault, get), and in dict(pairs); dict()
 * takes keyword arguments after a mapping. */
static void test_manager_dict_unhashable_keys_and_kwargs_body(void)
{
    static const char *methods[] = {"pop", "__contains__", "setdefault", "get"};
    mpr_obj_t *l = T(mpr_obj_list_of_steal(1, mpr_obj_int(1)));
    mpr_obj_t *kw = T(mpr_obj_dict()), *init = T(mpr_obj_dict());
    mpr_proxy_t *d, *bad;

    mpr_obj_dict_set_steal(init, mpr_obj_str("a"), mpr_obj_int(1));
    mpr_obj_dict_set_steal(kw, mpr_obj_str("b"), mpr_obj_int(2));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "dict", T(mpr_obj_tuple(1, init)),
                                       kw, &d) == 0);
    CU_ASSERT(str_is(d, "{'a': 1, 'b': 2}"));
    for (size_t i = 0; i < 4; i++)
        CU_ASSERT(err_is(mpr_proxy_callmethod(
                             d, methods[i], T(mpr_obj_tuple(1, l)), NULL, NULL),
                         "TypeError", "unhashable type: 'list'"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(
                   d, "pop",
                   T(mpr_obj_tuple_steal(2, mpr_obj_incref(l), mpr_obj_int(5))),
                   NULL, NULL),
               "TypeError", "unhashable type: 'list'"));
    CU_ASSERT(remote_is(
        mpr_manager_dict(
            mgr,
            T(mpr_obj_list_of_steal(
                1, mpr_obj_tuple_steal(2, mpr_obj_incref(l), mpr_obj_int(2)))),
            &bad),
        "TypeError: unhashable type: 'list'"));
    CU_ASSERT(str_is(d, "{'a': 1, 'b': 2}"));
    mpr_proxy_free(d);
}
WITH_MANAGER(test_manager_dict_unhashable_keys_and_kwargs)

/* list.index(x, start, stop) as CPython's: bounds are slice indices
 * (negative from the end, clamped), a fourth argument or a non-integer
 * bound is TypeError, a bool is an integer. */
static void test_manager_list_index_bounds_body(void)
{
    mpr_proxy_t *l;
    mpr_obj_t *one = T(mpr_obj_int(1)), *two = T(mpr_obj_int(2));

    CU_ASSERT_FATAL(mpr_manager_list(mgr,
                                     T(mpr_obj_list_of_steal(3, mpr_obj_int(1),
                                                             mpr_obj_int(2),
                                                             mpr_obj_int(1))),
                                     &l) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "index",
                                          T(mpr_obj_tuple_steal(
                                              4, mpr_obj_int(1), mpr_obj_int(1),
                                              mpr_obj_int(2), mpr_obj_int(3))),
                                          NULL, NULL),
                     "TypeError", "index expected at most 3 arguments, got 4"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(
                   l, "index",
                   T(mpr_obj_tuple_steal(2, mpr_obj_int(1), mpr_obj_str("a"))),
                   NULL, NULL),
               "TypeError",
               "slice indices must be integers or have an __index__ "
               "method"));
    CU_ASSERT(repr_is(
        call(l, "index",
             mpr_obj_tuple_steal(2, mpr_obj_incref(one), mpr_obj_int(-100))),
        "0"));
    CU_ASSERT(repr_is(
        call(l, "index",
             mpr_obj_tuple_steal(2, mpr_obj_incref(one), mpr_obj_int(1))),
        "2"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "index",
                                          T(mpr_obj_tuple_steal(
                                              3, mpr_obj_incref(one),
                                              mpr_obj_int(0), mpr_obj_int(-3))),
                                          NULL, NULL),
                     "ValueError", "1 is not in list"));
    CU_ASSERT(repr_is(
        call(l, "index",
             mpr_obj_tuple_steal(2, mpr_obj_incref(two), mpr_obj_bool(1))),
        "1"));
    mpr_proxy_free(l);
}
WITH_MANAGER(test_manager_list_index_bounds)

/* ---- synchronisation objects in the server ------------------------------ */

static void test_manager_lock_rlock_semaphore_rules_body(void)
{
    mpr_proxy_t *lk, *rl, *s, *bs, *bad;
    mpr_obj_t *f = T(mpr_obj_bool(0)), *one = T(mpr_obj_int(1));

    CU_ASSERT_FATAL(mpr_manager_lock(mgr, &lk) == 0);
    CU_ASSERT(str_has(lk, "<unlocked _thread.lock object at 0x", ">"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(lk, "acquire", T(mpr_obj_tuple(2, f, one)), NULL,
                             NULL),
        "ValueError", "can't specify a timeout for a non-blocking call"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(
                   lk, "acquire",
                   T(mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_int(-2))),
                   NULL, NULL),
               "ValueError", "timeout value must be positive"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            lk, "acquire",
            T(mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_str("x"))), NULL,
            NULL),
        "TypeError", "'str' object cannot be interpreted as an integer"));
    CU_ASSERT(repr_is(call(lk, "acquire", NULL), "True"));
    CU_ASSERT(str_has(lk, "<locked _thread.lock object at 0x", ">"));
    /* threading's constructor messages; RLock(*args) ignores them */
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Lock", T(mpr_obj_tuple(1, one)), NULL, &bad),
        "TypeError: _thread.allocate_lock() takes no "
        "arguments (1 given)"));
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "Lock", NULL,
                                           kwargs1("x", mpr_obj_int(1)), &bad),
                        "TypeError: _thread.allocate_lock() takes no keyword "
                        "arguments"));
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Event", T(mpr_obj_tuple(1, one)), NULL, &bad),
        "TypeError: Event.__init__() takes 1 positional "
        "argument but 2 were given"));
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "Event", NULL,
                                           kwargs1("x", mpr_obj_int(1)), &bad),
                        "TypeError: Event.__init__() got an unexpected "
                        "keyword argument 'x'"));
    {
        mpr_obj_t *k1 = T(mpr_obj_dict());
        mpr_obj_dict_set_steal(k1, mpr_obj_int(1), mpr_obj_int(1));
        CU_ASSERT(remote_is(mpr_manager_create(mgr, "Event", NULL, k1, &bad),
                            "TypeError: keywords must be strings"));
    }
    /* RLock: re-entrant for its owner, counted releases */
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "RLock", T(mpr_obj_tuple(1, one)),
                                       NULL, &rl) == 0);
    CU_ASSERT(
        str_has(rl, "<unlocked _thread.RLock object owner=0 count=0 at ", ">"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(rl, "release", NULL, NULL, NULL),
                     "RuntimeError", "cannot release un-acquired lock"));
    CU_ASSERT(repr_is(call(rl, "acquire", NULL), "True"));
    CU_ASSERT(repr_is(call(rl, "acquire", mpr_obj_tuple(1, f)), "True"));
    CU_ASSERT(call(rl, "release", NULL) != NULL);
    CU_ASSERT(call(rl, "release", NULL) != NULL);
    CU_ASSERT(mpr_proxy_callmethod(rl, "release", NULL, NULL, NULL) ==
              MPR_ERUNTIME);
    /* Semaphore */
    CU_ASSERT(
        remote_is(mpr_manager_create(mgr, "Semaphore",
                                     T(mpr_obj_tuple_steal(1, mpr_obj_int(-1))),
                                     NULL, &bad),
                  "ValueError: semaphore initial value must be >= 0"));
    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Semaphore",
                                       T(mpr_obj_tuple(1, one)), NULL,
                                       &s) == 0);
    CU_ASSERT(str_has(s, "<threading.Semaphore at 0x", ": value=1>"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(s, "acquire", T(mpr_obj_tuple(2, f, one)),
                                    NULL, NULL),
               "ValueError", "can't specify timeout for non-blocking acquire"));
    CU_ASSERT(repr_is(call(s, "acquire", NULL), "True"));
    /* a negative timeout is one look, not an error */
    CU_ASSERT(
        repr_is(call(s, "acquire",
                     mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_int(-1))),
                "False"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         s, "release",
                         T(mpr_obj_tuple_steal(1, mpr_obj_int(0))), NULL, NULL),
                     "ValueError", "n must be one or more"));
    CU_ASSERT(mpr_proxy_callmethod(s, "release", NULL,
                                   kwargs1("n", mpr_obj_int(3)), NULL) == 0);
    CU_ASSERT(str_has(s, "<threading.Semaphore at 0x", ": value=3>"));
    /* BoundedSemaphore */
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "BoundedSemaphore",
                           T(mpr_obj_tuple_steal(1, mpr_obj_int(2))), NULL,
                           &bs) == 0);
    CU_ASSERT(repr_is(call(bs, "acquire", NULL), "True"));
    CU_ASSERT(str_has(bs, "<threading.BoundedSemaphore at 0x", ": value=1/2>"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         bs, "release",
                         T(mpr_obj_tuple_steal(1, mpr_obj_int(2))), NULL, NULL),
                     "ValueError", "Semaphore released too many times"));
    CU_ASSERT(call(bs, "release", NULL) != NULL);
    mpr_proxy_free(lk);
    mpr_proxy_free(rl);
    mpr_proxy_free(s);
    mpr_proxy_free(bs);
}
WITH_MANAGER(test_manager_lock_rlock_semaphore_rules)

static void test_manager_event_queue_methods_body(void)
{
    mpr_proxy_t *ev, *q;
    mpr_obj_t *neg = T(mpr_obj_int(-1));
    char *r;

    CU_ASSERT_FATAL(mpr_manager_event(mgr, &ev) == 0);
    CU_ASSERT(call(ev, "set", NULL) != NULL);
    CU_ASSERT(repr_is(call(ev, "wait", NULL), "True"));
    CU_ASSERT(call(ev, "clear", NULL) != NULL);
    CU_ASSERT(repr_is(call(ev, "is_set", NULL), "False"));
    /* a negative timeout is an immediate look */
    CU_ASSERT(repr_is(call(ev, "wait", mpr_obj_tuple(1, neg)), "False"));
    CU_ASSERT_FATAL(mpr_manager_queue(mgr, 2, &q) == 0);
    CU_ASSERT(mpr_proxy_str(q, &r, NULL) == 0 &&
              strncmp(r, "<queue.Queue object at 0x", 25) == 0);
    mpr_free(r);
    CU_ASSERT(repr_is(call(q, "empty", NULL), "True"));
    CU_ASSERT(repr_is(call(q, "full", NULL), "False"));
    CU_ASSERT(call(q, "put_nowait", mpr_obj_tuple_steal(1, mpr_obj_int(1))) !=
              NULL);
    CU_ASSERT(call(q, "put_nowait", mpr_obj_tuple_steal(1, mpr_obj_int(2))) !=
              NULL);
    CU_ASSERT(repr_is(call(q, "qsize", NULL), "2"));
    CU_ASSERT(repr_is(call(q, "full", NULL), "True"));
    CU_ASSERT(repr_is(call(q, "empty", NULL), "False"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(
                         q, "put_nowait",
                         T(mpr_obj_tuple_steal(1, mpr_obj_int(3))), NULL, NULL),
                     "queue.Full", ""));
    CU_ASSERT(err_is(mpr_proxy_callmethod(q, "put_nowait", NULL, NULL, NULL),
                     "TypeError",
                     "Queue.put_nowait() missing 1 required positional "
                     "argument: 'item'"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(q, "put", NULL, NULL, NULL),
                     "TypeError",
                     "Queue.put() missing 1 required positional argument: "
                     "'item'"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(q, "get", NULL,
                                    kwargs1("timeout", mpr_obj_int(-1)), NULL),
               "ValueError", "'timeout' must be a non-negative number"));
    CU_ASSERT(repr_is(call(q, "get_nowait", NULL), "1"));
    CU_ASSERT(repr_is(call(q, "get", NULL), "2"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(q, "get", NULL,
                             kwargs1("timeout", mpr_obj_float(0.01)), NULL),
        "_queue.Empty", ""));
    mpr_proxy_free(ev);
    mpr_proxy_free(q);
}
WITH_MANAGER(test_manager_event_queue_methods)

static void test_manager_condition_barrier_array_more_body(void)
{
    mpr_proxy_t *c, *b, *a, *bad;
    mpr_obj_t *got = NULL;

    CU_ASSERT_FATAL(mpr_manager_create(mgr, "Condition", NULL, NULL, &c) == 0);
    CU_ASSERT(err_is(mpr_proxy_callmethod(c, "notify_all", NULL, NULL, NULL),
                     "RuntimeError", "cannot notify on un-acquired lock"));
    CU_ASSERT(call(c, "acquire", NULL) != NULL);
    CU_ASSERT(call(c, "notify_all", NULL) != NULL);
    CU_ASSERT(call(c, "notify", mpr_obj_tuple_steal(1, mpr_obj_int(2))) !=
              NULL);
    CU_ASSERT(repr_is(call(c, "wait", mpr_obj_tuple_steal(1, mpr_obj_int(-1))),
                      "False"));
    CU_ASSERT(call(c, "release", NULL) != NULL);
    CU_ASSERT(
        remote_is(mpr_manager_create(mgr, "Condition",
                                     T(mpr_obj_tuple_steal(1, mpr_obj_int(1))),
                                     NULL, &bad),
                  "TypeError: a Condition over another lock cannot be "
                  "made through a manager"));
    /* Barrier attributes, reset, wait timing out breaks it */
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Barrier",
                           T(mpr_obj_tuple_steal(1, mpr_obj_int(2))), NULL,
                           &b) == 0);
    CU_ASSERT(str_has(b, "<threading.Barrier at 0x", ": waiters=0/2>"));
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("n_waiting"))),
                      "0"));
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("broken"))),
                      "False"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(b, "__getattribute__",
                             T(mpr_obj_tuple_steal(1, mpr_obj_str("foo"))),
                             NULL, NULL),
        "AttributeError", "'Barrier' object has no attribute 'foo'"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(b, "wait",
                             T(mpr_obj_tuple_steal(1, mpr_obj_float(0.05))),
                             NULL, NULL),
        "threading.BrokenBarrierError", ""));
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("broken"))),
                      "True"));
    CU_ASSERT(str_has(b, "<threading.Barrier at 0x", ": broken>"));
    CU_ASSERT(call(b, "reset", NULL) != NULL);
    CU_ASSERT(repr_is(call(b, "__getattribute__",
                           mpr_obj_tuple_steal(1, mpr_obj_str("broken"))),
                      "False"));
    mpr_proxy_free(b);
    /* threading.Barrier(0) of 3.11 is accepted; no wait() is the last */
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Barrier",
                           T(mpr_obj_tuple_steal(1, mpr_obj_int(0))), NULL,
                           &b) == 0);
    CU_ASSERT(str_has(b, "<threading.Barrier at 0x", ": waiters=0/0>"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(b, "wait",
                             T(mpr_obj_tuple_steal(1, mpr_obj_float(0.05))),
                             NULL, NULL),
        "threading.BrokenBarrierError", ""));
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "Barrier", NULL, NULL, &bad),
                        "TypeError: Barrier.__init__() missing 1 required "
                        "positional argument: 'parties'"));
    /* Array: float codes, negative indices, an empty repr, bad codes */
    CU_ASSERT(remote_is(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(2, mpr_obj_str("z"), mpr_obj_list())), NULL,
            &bad),
        "ValueError: bad typecode (must be b, B, u, h, H, i, "
        "I, l, L, q, Q, f or d)"));
    CU_ASSERT(remote_is(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(2, mpr_obj_str("d"), mpr_obj_int(1))), NULL,
            &bad),
        "TypeError: 'int' object is not iterable"));
    CU_ASSERT_FATAL(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(2, mpr_obj_str("d"), mpr_obj_list())), NULL,
            &a) == 0);
    CU_ASSERT(str_is(a, "array('d')"));
    CU_ASSERT(mpr_proxy_len(a) == 0);
    mpr_proxy_free(a);
    CU_ASSERT_FATAL(
        mpr_manager_create(
            mgr, "Array",
            T(mpr_obj_tuple_steal(
                2, mpr_obj_str("f"),
                mpr_obj_list_of_steal(2, mpr_obj_int(1), mpr_obj_float(0.1)))),
            NULL, &a) == 0);
    CU_ASSERT(mpr_proxy_getitem(a, T(mpr_obj_int(-2)), &got) == 0 &&
              repr_is(got, "1.0"));
    got = NULL;
    /* 'f' stores a C float: 0.1 comes back rounded */
    CU_ASSERT(mpr_proxy_getitem(a, T(mpr_obj_int(-1)), &got) == 0 &&
              repr_is(got, "0.10000000149011612"));
    CU_ASSERT(
        err_is(mpr_proxy_setitem(a, T(mpr_obj_int(0)), T(mpr_obj_str("x"))),
               "TypeError", "must be real number, not str"));
    CU_ASSERT(err_is(mpr_proxy_setitem(a, T(mpr_obj_int(2)), T(mpr_obj_int(1))),
                     "IndexError", "array assignment index out of range"));
    CU_ASSERT(err_is(mpr_proxy_getitem(a, T(mpr_obj_str("x")), &got),
                     "TypeError", "array indices must be integers"));
    mpr_proxy_free(c);
    mpr_proxy_free(b);
    mpr_proxy_free(a);
}
WITH_MANAGER(test_manager_condition_barrier_array_more)

/* ---- manager objects, addresses, reduced proxies ------------------------ */

/* start() binds in this process (manager.h): a TCP port in use is
 * -EADDRINUSE, a host name that does not resolve is the resolver's
 * "[Errno -2] ..." as socket.gaierror prints it; nothing is left
 * running and the manager can be freed. */
static void test_manager_start_bind_errors(void)
{
    mpr_manager_options_t o = {.host = "127.0.0.1"};
    mpr_manager_t *m = start(&o), *m2, *m3;
    mpr_obj_t *addr;

    CU_ASSERT_FATAL(m != NULL);
    CU_ASSERT_FATAL(mpr_manager_address(m, &addr) == 0);
    o.port = (int)mpr_obj_int_value(mpr_obj_item(addr, 1));
    mpr_obj_decref(addr);
    CU_ASSERT_FATAL(mpr_manager_new(&m2, &o) == 0);
    CU_ASSERT(mpr_manager_start(m2) == -EADDRINUSE);
    CU_ASSERT_PTR_NULL(mpr_manager_process(m2));
    mpr_manager_free(m2);
    o.host = "nosuchhost.invalid";
    o.port = 0;
    CU_ASSERT_FATAL(mpr_manager_new(&m3, &o) == 0);
    CU_ASSERT(mpr_manager_start(m3) == -ENOENT);
    CU_ASSERT(strncmp(mpr_last_error_detail(), "[Errno -", 8) == 0);
    mpr_manager_free(m3);
    mpr_manager_free(m);
}

/* connect() to nothing: a closed TCP port is ConnectionRefusedError, an
 * unresolvable host the resolver's error, a missing Unix socket
 * FileNotFoundError. */
static void test_manager_connect_errors(void)
{
    mpr_manager_t *m;
    mpr_obj_t *a;

    CU_ASSERT_FATAL(mpr_manager_new(&m, NULL) == 0);
    a = T(mpr_obj_tuple_steal(2, mpr_obj_str("127.0.0.1"), mpr_obj_int(1)));
    CU_ASSERT(mpr__maddr_parse(a, &m->addr) == 0);
    CU_ASSERT(mpr_manager_connect(m) == -ECONNREFUSED);
    CU_ASSERT_STRING_EQUAL(mpr_err_pytype(-ECONNREFUSED),
                           "ConnectionRefusedError");
    a = T(mpr_obj_tuple_steal(2, mpr_obj_str("nosuchhost.invalid"),
                              mpr_obj_int(1)));
    CU_ASSERT(mpr__maddr_parse(a, &m->addr) == 0);
    CU_ASSERT(mpr_manager_connect(m) < 0);
    CU_ASSERT(strncmp(mpr_last_error_detail(), "[Errno -", 8) == 0);
    a = T(mpr_obj_str("/tmp/pymp-nosuchdir/listener-x"));
    CU_ASSERT(mpr__maddr_parse(a, &m->addr) == 0);
    CU_ASSERT(mpr_manager_connect(m) == -ENOENT);
    mpr_manager_free(m);
    drop_all();
}

static void test_manager_options_connect_and_rebuild_errors(void)
{
    mpr_manager_options_t o = {.port = 70000};
    char host[300];
    mpr_manager_t *m, *other;
    mpr_obj_t *addr, *red, *bad;
    mpr_proxy_t *p;

    CU_ASSERT(err_is(mpr_manager_new(&m, &o), "OverflowError",
                     "bind(): port must be 0-65535."));
    memset(host, 'h', sizeof(host) - 1);
    host[sizeof(host) - 1] = '\0';
    o.port = 0;
    o.host = host;
    CU_ASSERT(mpr_manager_new(&m, &o) == MPR_EVALUE);
    CU_ASSERT_FATAL((m = start(NULL)) != NULL);
    /* connect() from a second manager object with the right key */
    CU_ASSERT_FATAL(mpr_manager_address(m, &addr) == 0);
    CU_ASSERT_FATAL(mpr_manager_new(&other, NULL) == 0);
    CU_ASSERT(mpr__maddr_parse(addr, &other->addr) == 0);
    CU_ASSERT(mpr_manager_connect(other) == 0);
    CU_ASSERT(mpr_manager_process(other) == NULL);
    CU_ASSERT(mpr_manager_enter(other) == 0);    /* connected: STARTED */
    CU_ASSERT(mpr_manager_shutdown(other) == 0); /* not ours: a no-op */
    mpr_manager_free(other);
    /* reduced values that are not proxies */
    CU_ASSERT(mpr_proxy_rebuild(&p, T(mpr_obj_int(1))) == MPR_ETYPE);
    bad = T(mpr_obj_tuple_steal(4, mpr_obj_str("nosuchtype"),
                                mpr_obj_incref(addr), mpr_obj_str("1"),
                                mpr_obj_bytes("k", 1)));
    CU_ASSERT(
        err_is(mpr_proxy_rebuild(&p, bad), "TypeError", "not a reduced proxy"));
    bad = T(mpr_obj_tuple_steal(4, mpr_obj_str("dict"), mpr_obj_int(3),
                                mpr_obj_str("1"), mpr_obj_bytes("k", 1)));
    CU_ASSERT(mpr_proxy_rebuild(&p, bad) == MPR_ETYPE);
    /* a proxy to an object the server no longer has: RemoteError */
    CU_ASSERT_FATAL(mpr_manager_dict(m, NULL, &p) == 0);
    CU_ASSERT(mpr_proxy_reduce(p, &red) == 0);
    mpr_proxy_free(p);
    CU_ASSERT(mpr_proxy_rebuild(&p, red) == MPR_EREMOTE);
    mpr_obj_decref(red);
    mpr_obj_decref(addr);
    /* address parsing */
    {
        mpr__maddr_t a;
        char longp[200];
        memset(longp, 'p', sizeof(longp) - 1);
        longp[sizeof(longp) - 1] = '\0';
        CU_ASSERT(err_is(mpr__maddr_parse(T(mpr_obj_str(longp)), &a),
                         "ValueError", "AF_UNIX path too long"));
        CU_ASSERT(err_is(mpr__maddr_parse(T(mpr_obj_float(1)), &a), "TypeError",
                         "address type unrecognized"));
    }
    CU_ASSERT(mpr_manager_shutdown(m) == 0);
    CU_ASSERT(err_is(mpr_manager_start(m), "AssertionError",
                     "Manager has shut down"));
    /* with manager: on a shut-down manager is ProcessError too */
    CU_ASSERT(err_is(mpr_manager_enter(m), "AssertionError",
                     "Manager has shut down"));
    CU_ASSERT(mpr_manager_exit(m) == 0); /* already shut down: a no-op */
    mpr_manager_free(m);
    drop_all();
}

/* ---- two hosts: network namespaces joined by a veth pair ------------ */

static char ns_a[32], ns_b[32];
static int ns_pipe[2]
                  [2]; /* server -> parent (reduced proxy), parent -> server */

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd) == 0 ? 0 : -1;
}

static int enter_ns(const char *name)
{
    char path[64];
    int fd, rc;

    snprintf(path, sizeof(path), "/run/netns/%s", name);
    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
        return -1;
    rc = setns(fd, CLONE_NEWNET);
    close(fd);
    return rc;
}

/* Host A: a manager on 10.213.0.1; hands the parent a reduced dict proxy,
 * waits for "go", then checks what the clients of host B wrote. */
static int ns_server(void *arg)
{
    mpr_manager_options_t o = {
        .host = "10.213.0.1", .authkey = "k", .authkey_len = 1};
    mpr_obj_t *init = mpr_obj_dict(), *red = NULL;
    mpr_manager_t *m;
    mpr_proxy_t *d = NULL;
    char *buf, go;
    size_t n;
    int ok;

    (void)arg;
    close(ns_pipe[0][0]);
    close(ns_pipe[1][1]);
    if (enter_ns(ns_a) < 0 || (m = start(&o)) == NULL)
        return 2;
    mpr_obj_dict_set_steal(init, mpr_obj_str("c0"), mpr_obj_none());
    mpr_obj_dict_set_steal(init, mpr_obj_str("c1"), mpr_obj_none());
    if (mpr_manager_dict(m, init, &d) < 0 || mpr_proxy_reduce(d, &red) < 0 ||
        mpr_pickle_dumps(red, 4, &buf, &n) < 0)
        return 3;
    ok = write(ns_pipe[0][1], buf, n) == (ssize_t)n;
    close(ns_pipe[0][1]);
    ok = ok && read(ns_pipe[1][0], &go, 1) == 1 &&
         str_is(d, "{'c0': 'from B', 'c1': 'from B'}");
    mpr_free(buf);
    mpr_obj_decref(red);
    mpr_obj_decref(init);
    mpr_proxy_free(d);
    mpr_manager_free(m);
    return ok ? 0 : 4;
}

/* Host B: writes its key through the proxy, over the veth link. */
static int ns_client(void *arg)
{
    mpr_obj_t *red = ((mpr_obj_t **)arg)[0], *key = ((mpr_obj_t **)arg)[1];
    mpr_obj_t *v = mpr_obj_str("from B");
    mpr_proxy_t *p;
    int rc;

    if (enter_ns(ns_b) < 0)
        return 2;
    if ((rc = mpr_proxy_rebuild(&p, red)) == 0)
        rc = mpr_proxy_setitem(p, key, v);
    mpr_obj_decref(v);
    mpr_proxy_free(p);
    return rc == 0 ? 0 : 1;
}

static void test_manager_tcp_between_network_namespaces(void)
{
    char buf[4096];
    mpr_obj_t *red = NULL, *args[2][2];
    pid_t server, c[2];
    ssize_t n;

    snprintf(ns_a, sizeof(ns_a), "mprA%d", (int)getpid());
    snprintf(ns_b, sizeof(ns_b), "mprB%d", (int)getpid());
    if (sh("ip netns add %s 2>/dev/null", ns_a) < 0) {
        printf("# skipped: cannot create network namespaces here "
               "(ip netns add needs CAP_SYS_ADMIN)\n");
        return;
    }
    /* no FATAL from here: whatever fails, the namespaces (and the veth
     * pair inside them) are removed at the end */
    if (!CU_assertImplementation(
            sh("ip netns add %s && ip link add mvA%d type veth peer name mvB%d "
               "&& "
               "ip link set mvA%d netns %s && ip link set mvB%d netns %s && "
               "ip -n %s addr add 10.213.0.1/24 dev mvA%d && "
               "ip -n %s addr add 10.213.0.2/24 dev mvB%d && "
               "ip -n %s link set mvA%d up && ip -n %s link set mvB%d up && "
               "ip -n %s link set lo up",
               ns_b, (int)getpid(), (int)getpid(), (int)getpid(), ns_a,
               (int)getpid(), ns_b, ns_a, (int)getpid(), ns_b, (int)getpid(),
               ns_a, (int)getpid(), ns_b, (int)getpid(), ns_a) == 0,
            __LINE__, "the namespaces and the veth pair are set up", __FILE__,
            "", CU_FALSE) ||
        !CU_assertImplementation(pipe(ns_pipe[0]) == 0 && pipe(ns_pipe[1]) == 0,
                                 __LINE__, "pipe", __FILE__, "", CU_FALSE)) {
        sh("{ ip netns del %s; ip netns del %s; ip link del mvA%d; } "
           "2>/dev/null",
           ns_a, ns_b, (int)getpid());
        return;
    }
    server = mprtest_fork(ns_server, NULL);
    close(ns_pipe[0][1]);
    close(ns_pipe[1][0]);
    /* bounded: a failing host A leaves the pipe open in its server */
    n = poll(&(struct pollfd){.fd = ns_pipe[0][0], .events = POLLIN}, 1,
             20000) == 1
            ? read(ns_pipe[0][0], buf, sizeof(buf))
            : -1;
    close(ns_pipe[0][0]);
    CU_ASSERT(n > 0 && mpr_pickle_loads(buf, (size_t)n, &red) == 0);
    for (int i = 0; i < 2 && red != NULL; i++) {
        args[i][0] = red;
        args[i][1] = mpr_obj_str(i ? "c1" : "c0");
        c[i] = mprtest_fork(ns_client, args[i]);
    }
    for (int i = 0; i < 2 && red != NULL; i++) {
        CU_ASSERT_EQUAL(mprtest_wait(c[i], 20), 0);
        mpr_obj_decref(args[i][1]);
    }
    CU_ASSERT(write(ns_pipe[1][1], "g", 1) == 1);
    close(ns_pipe[1][1]);
    CU_ASSERT_EQUAL(mprtest_wait(server, 20), 0);
    mpr_obj_decref(red);
    sh("{ ip netns del %s; ip netns del %s; ip link del mvA%d; } 2>/dev/null",
       ns_a, ns_b, (int)getpid());
}

/* slice(a, b, c) of ints (NONE: None), a temporary of the test. */
#define NONE INT64_MIN
static mpr_obj_t *SL(int64_t a, int64_t b, int64_t c)
{
    int64_t x[3] = {a, b, c};
    mpr_obj_t *v[3], *s;

    for (int i = 0; i < 3; i++)
        v[i] = x[i] == NONE ? mpr_obj_none() : mpr_obj_int(x[i]);
    s = mpr_obj_slice(v[0], v[1], v[2]);
    for (int i = 0; i < 3; i++)
        mpr_obj_decref(v[i]);
    return T(s);
}

/* The same list calls from a CPython SyncManager client of m (authkey
 * "k"): its ListProxy pickles slices as CPython does.  (Errors are left
 * out: a C server's '#ERROR' reaches CPython as a TypeError, manager.h.) */
static const char *python_list_client(mpr_manager_t *m)
{
    return python_run(m, "import sys\n"
                         "from multiprocessing.managers import SyncManager\n"
                         "m = SyncManager(address=sys.argv[1], "
                         "authkey=b\"k\")\n"
                         "m.connect()\n"
                         "l = m.list(list(range(10)))\n"
                         "print(l[1:3], l[::-3], l[-2:])\n"
                         "l[::2] = \"abcde\"\n"
                         "del l[1::3]\n"
                         "l[2:4] = {\"k\": 1}\n"
                         "l *= 2\n"
                         "print(l, l + [0], len(l * 0))\n");
}

/* Slices in __getitem__/__setitem__/__delitem__ with list_subscript's
 * rules and messages, and +, *, *= (BaseListProxy's __add__, __mul__,
 * __rmul__, __imul__), from C and from a CPython client. */
static void test_manager_list_slices_and_operators(void)
{
    mpr_manager_options_t o = {.authkey = "k", .authkey_len = 1};
    mpr_obj_t *ten = T(mpr_obj_list()), *got = NULL;
    mpr_manager_t *m;
    mpr_proxy_t *l;
    const char *py;

    for (int i = 0; i < 10; i++)
        mpr_obj_list_append_steal(ten, mpr_obj_int(i));
    CU_ASSERT_FATAL((m = start(&o)) != NULL);
    CU_ASSERT_FATAL(mpr_manager_list(m, ten, &l) == 0);
    /* getitem: a new list, clamped bounds, negative steps */
    CU_ASSERT(mpr_proxy_getitem(l, SL(1, 3, NONE), &got) == 0 &&
              repr_is(got, "[1, 2]"));
    CU_ASSERT(mpr_proxy_getitem(l, SL(NONE, NONE, -3), &got) == 0 &&
              repr_is(got, "[9, 6, 3, 0]"));
    CU_ASSERT(mpr_proxy_getitem(l, SL(-100, 100, 4), &got) == 0 &&
              repr_is(got, "[0, 4, 8]"));
    CU_ASSERT(mpr_proxy_getitem(l, SL(5, 2, NONE), &got) == 0 &&
              repr_is(got, "[]"));
    CU_ASSERT(mpr_proxy_getitem(l, SL(INT64_MIN + 1, INT64_MAX, INT64_MIN + 1),
                                &got) == 0 &&
              repr_is(got, "[]"));
    /* bad slices and indices */
    CU_ASSERT(err_is(mpr_proxy_getitem(l, SL(NONE, NONE, 0), &got),
                     "ValueError", "slice step cannot be zero"));
    CU_ASSERT(
        err_is(mpr_proxy_getitem(
                   l, T(mpr_obj_slice(T(mpr_obj_str("a")), NULL, NULL)), &got),
               "TypeError",
               "slice indices must be integers or None or have an "
               "__index__ method"));
    CU_ASSERT(err_is(mpr_proxy_delitem(l, T(mpr_obj_float(1))), "TypeError",
                     "list indices must be integers or slices, not float"));
    /* setitem: step 1 splices any iterable, growing or shrinking */
    CU_ASSERT(mpr_proxy_setitem(l, SL(1, 9, NONE), T(mpr_obj_str("ab"))) == 0);
    CU_ASSERT(str_is(l, "[0, 'a', 'b', 9]"));
    CU_ASSERT(mpr_proxy_setitem(l, SL(3, 1, NONE),
                                T(mpr_obj_tuple_steal(2, mpr_obj_int(7),
                                                      mpr_obj_int(8)))) == 0);
    CU_ASSERT(str_is(l, "[0, 'a', 'b', 7, 8, 9]"));
    CU_ASSERT(err_is(mpr_proxy_setitem(l, SL(0, 1, NONE), T(mpr_obj_int(5))),
                     "TypeError", "can only assign an iterable"));
    /* another step: as many items as it selects */
    CU_ASSERT(mpr_proxy_setitem(l, SL(NONE, NONE, -2),
                                T(mpr_obj_bytes("xyz", 3))) == 0);
    CU_ASSERT(str_is(l, "[0, 122, 'b', 121, 8, 120]"));
    CU_ASSERT(
        err_is(mpr_proxy_setitem(l, SL(NONE, NONE, 2), T(mpr_obj_str(""))),
               "ValueError",
               "attempt to assign sequence of size 0 to extended "
               "slice of size 3"));
    CU_ASSERT(err_is(mpr_proxy_setitem(l, SL(NONE, NONE, 2), mpr_obj_none()),
                     "TypeError", "must assign iterable to extended slice"));
    CU_ASSERT(str_is(l, "[0, 122, 'b', 121, 8, 120]"));
    /* delitem */
    CU_ASSERT(mpr_proxy_delitem(l, SL(NONE, NONE, -2)) == 0);
    CU_ASSERT(str_is(l, "[0, 'b', 8]"));
    CU_ASSERT(mpr_proxy_delitem(l, SL(2, 0, NONE)) == 0); /* nothing */
    CU_ASSERT(mpr_proxy_delitem(l, SL(0, 2, NONE)) == 0);
    CU_ASSERT(str_is(l, "[8]"));
    /* +, *, *= */
    CU_ASSERT(repr_is(call(l, "__add__", mpr_obj_tuple(1, ten)),
                      "[8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9]"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(l, "__add__",
                                    T(mpr_obj_tuple_steal(1, mpr_obj_str("a"))),
                                    NULL, NULL),
               "TypeError",
               "can only concatenate list (not \"str\") to "
               "list"));
    CU_ASSERT(
        repr_is(call(l, "__mul__", mpr_obj_tuple_steal(1, mpr_obj_int(3))),
                "[8, 8, 8]"));
    CU_ASSERT(repr_is(
        call(l, "__rmul__", mpr_obj_tuple_steal(1, mpr_obj_int(-1))), "[]"));
    CU_ASSERT(
        err_is(mpr_proxy_callmethod(l, "__mul__",
                                    T(mpr_obj_tuple_steal(1, mpr_obj_float(2))),
                                    NULL, NULL),
               "TypeError",
               "'float' object cannot be interpreted as an "
               "integer"));
    CU_ASSERT(
        mpr_proxy_callmethod(l, "__mul__",
                             T(mpr_obj_tuple_steal(1, mpr_obj_int(INT64_MAX))),
                             NULL, NULL) == -ENOMEM);
    CU_ASSERT(repr_is(
        call(l, "__imul__", mpr_obj_tuple_steal(1, mpr_obj_int(2))), "[8, 8]"));
    CU_ASSERT(str_is(l, "[8, 8]"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(l, "__imul__", NULL, NULL, NULL),
                     "TypeError", "expected 1 argument, got 0"));
    mpr_proxy_free(l);
    /* the same server from CPython's ListProxy */
    py = mprtest_under_valgrind() ? NULL : python_list_client(m);
    CU_ASSERT(mprtest_under_valgrind() ||
              (py != NULL &&
               strcmp(py, "[1, 2] [9, 6, 3, 0] [8, 9]\n"
                          "['a', 'b', 'k', 'd', 'e', 9, 'a', 'b', 'k', 'd', "
                          "'e', 9] ['a', 'b', 'k', 'd', 'e', 9, 'a', 'b', "
                          "'k', 'd', 'e', 9, 0] 0\n") == 0));
    for (const char *s = py; s != NULL && *s;) {
        size_t n = strcspn(s, "\n");
        printf("# python: %.*s\n", (int)n, s);
        s += n + (s[n] == '\n');
    }
    drop_all();
    mpr_manager_free(m);
}

/* ---- SyncManager's Pool ------------------------------------------------ */

/* Pool functions for a manager's Pool: x * x, its args' product, a
 * ValueError, a sleep of args[0] seconds. */
static int pool_sqr(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    mpr_obj_t *x = NULL;
    int64_t v;

    if (mpr_obj_len(args) > 0)
        x = mpr_obj_item(args, 0);
    else if (kwargs != NULL)
        mpr_obj_dict_get_str(kwargs, "x", &x);
    if (x == NULL || mpr_obj_as_int64(x, &v) < 0)
        return mpr_target_error(MPR_ETYPE, "sqr() missing argument 'x'");
    *result = mpr_obj_int(v * v);
    return 0;
}
MPR_TARGET(pool_sqr)

static int pool_mul(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    *result = mpr_obj_int(mpr_obj_int_value(mpr_obj_item(args, 0)) *
                          mpr_obj_int_value(mpr_obj_item(args, 1)));
    return 0;
}
MPR_TARGET(pool_mul)

static int pool_fail(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)args, (void)kwargs, (void)result;
    return mpr_target_error(MPR_EVALUE, "bad %d", 7);
}
MPR_TARGET(pool_fail)

static int pool_sleep(mpr_obj_t *args, mpr_obj_t *kwargs, mpr_obj_t **result)
{
    (void)kwargs;
    mpr_sleep(mpr_obj_float_value(mpr_obj_item(args, 0)));
    *result = mpr_obj_none();
    return 0;
}
MPR_TARGET(pool_sleep)

static int pool_not_registered(mpr_obj_t *args, mpr_obj_t *kwargs,
                               mpr_obj_t **result)
{
    (void)args, (void)kwargs, (void)result;
    return 0;
}

/* callback(list, value) in the server: list.append(value) */
static int pool_append_cb(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_proxy_t *l;
    mpr_obj_t *t;
    int rc;

    (void)kwargs;
    if ((rc = mpr_proxy_rebuild(&l, mpr_obj_item(args, 0))) < 0)
        return rc;
    t = mpr_obj_tuple_steal(1, mpr_obj_incref(mpr_obj_item(args, 1)));
    rc = mpr_proxy_callmethod(l, "append", t, NULL, NULL);
    mpr_obj_decref(t);
    mpr_proxy_free(l);
    return rc;
}
MPR_TARGET(pool_append_cb)

/* (a, b, ...) of n ints */
static mpr_obj_t *ints(size_t n, const int *v)
{
    mpr_obj_t *t = mpr_obj_tuple_new(n);

    for (size_t i = 0; t != NULL && i < n; i++)
        mpr_obj_tuple_set_steal(t, i, mpr_obj_int(v[i]));
    return t;
}

/* [0, 1, ..., n - 1] */
static mpr_obj_t *range_list(int n)
{
    mpr_obj_t *l = mpr_obj_list();

    for (int i = 0; l != NULL && i < n; i++)
        mpr_obj_list_append_steal(l, mpr_obj_int(i));
    return l;
}

/* p.method(*args) answered with a proxy (NULL on error) */
static mpr_proxy_t *callp(mpr_proxy_t *p, const char *m, mpr_obj_t *args,
                          mpr_obj_t *kw)
{
    mpr_proxy_t *out = NULL;

    if (mpr_proxy_callmethod_proxy(p, m, args, kw, &out) < 0)
        out = NULL;
    mpr_obj_decref(args);
    mpr_obj_decref(kw);
    return out;
}

static void test_manager_pool_methods_body(void)
{
    mpr_obj_t *sqr = T(mpr_manager_func(pool_sqr));
    mpr_obj_t *mul = T(mpr_manager_func(pool_mul));
    mpr_obj_t *kw = T(mpr_obj_dict()), *x = NULL;
    mpr_proxy_t *p, *r, *it;
    char *s = NULL;
    int v;

    CU_ASSERT_FATAL(sqr != NULL && mul != NULL);
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){2})), NULL, &p) == 0);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(p), "PoolProxy");
    CU_ASSERT(mpr_proxy_repr(p, &s, NULL) == 0 &&
              strncmp(s, "<PoolProxy object, typeid 'Pool' at 0x", 38) == 0);
    mpr_free(s);
    CU_ASSERT(str_is(p, "<multiprocessing.pool.Pool state=RUN pool_size=2>"));
    /* apply(sqr, (5,)), apply(sqr, (), {'x': 3}) */
    CU_ASSERT(repr_is(
        call(p, "apply",
             mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), ints(1, (int[]){5}))),
        "25"));
    mpr_obj_dict_set_steal(kw, mpr_obj_str("x"), mpr_obj_int(3));
    CU_ASSERT(
        repr_is(call(p, "apply",
                     mpr_obj_tuple_steal(3, mpr_obj_incref(sqr),
                                         mpr_obj_tuple(0), mpr_obj_incref(kw))),
                "9"));
    CU_ASSERT(repr_is(
        call(p, "map",
             mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(5))),
        "[0, 1, 4, 9, 16]"));
    CU_ASSERT(repr_is(call(p, "starmap",
                           mpr_obj_tuple_steal(
                               3, mpr_obj_incref(mul),
                               mpr_obj_list_of_steal(2, ints(2, (int[]){2, 3}),
                                                     ints(2, (int[]){4, 5})),
                               mpr_obj_int(1))),
                      "[6, 20]"));
    /* apply_async: an AsyncResult in the server, kept with the pool */
    r = callp(p, "apply_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), ints(1, (int[]){7})),
              NULL);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(r), "AutoProxy[AsyncResult]");
    CU_ASSERT(mpr_proxy_has_method(r, "get") &&
              mpr_proxy_has_method(r, "wait"));
    CU_ASSERT(repr_is(call(r, "get", NULL), "49"));
    CU_ASSERT(repr_is(call(r, "ready", NULL), "True"));
    CU_ASSERT(repr_is(call(r, "successful", NULL), "True"));
    CU_ASSERT(
        str_has(r, "<multiprocessing.pool.ApplyResult object at 0x", ">"));
    CU_ASSERT_EQUAL(n_objects(), 2);
    mpr_proxy_free(r);
    r = callp(p, "map_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(3)), NULL);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(str_has(r, "<multiprocessing.pool.MapResult object at 0x", ">"));
    CU_ASSERT(repr_is(call(r, "wait", NULL), "None"));
    CU_ASSERT(repr_is(call(r, "get", NULL), "[0, 1, 4]"));
    mpr_proxy_free(r);
    r = callp(
        p, "starmap_async",
        mpr_obj_tuple_steal(2, mpr_obj_incref(mul),
                            mpr_obj_list_of_steal(1, ints(2, (int[]){6, 7}))),
        NULL);
    CU_ASSERT(r != NULL && repr_is(call(r, "get", NULL), "[42]"));
    mpr_proxy_free(r);
    /* imap: an Iterator whose end is StopIteration */
    it = callp(p, "imap",
               mpr_obj_tuple_steal(3, mpr_obj_incref(sqr), range_list(3),
                                   mpr_obj_int(2)),
               NULL);
    CU_ASSERT_FATAL(it != NULL);
    CU_ASSERT_STRING_EQUAL(mpr_proxy_type_name(it), "IteratorProxy");
    CU_ASSERT(
        str_has(it, "<multiprocessing.pool.IMapIterator object at 0x", ">"));
    CU_ASSERT(repr_is(call(it, "__next__", NULL), "0"));
    CU_ASSERT(repr_is(call(it, "__next__", NULL), "1"));
    CU_ASSERT(repr_is(call(it, "__next__", NULL), "4"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x),
                     "StopIteration", ""));
    mpr_proxy_free(it);
    it =
        callp(p, "imap_unordered",
              mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(4)), NULL);
    CU_ASSERT_FATAL(it != NULL);
    CU_ASSERT(str_has(
        it, "<multiprocessing.pool.IMapUnorderedIterator object at 0x", ">"));
    v = 0;
    for (int i = 0; i < 4; i++) {
        mpr_obj_t *y = call(it, "__next__", NULL);
        v += y != NULL ? (int)mpr_obj_int_value(y) : 100;
        mpr_obj_decref(y);
    }
    CU_ASSERT_EQUAL(v, 0 + 1 + 4 + 9);
    CU_ASSERT(mpr_proxy_callmethod(it, "__next__", NULL, NULL, &x) ==
              MPR_ESTOPITERATION);
    mpr_proxy_free(it);
    /* close() then join(); a closed pool refuses work */
    CU_ASSERT(repr_is(call(p, "close", NULL), "None"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            p, "apply",
            T(mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), ints(1, (int[]){1}))),
            NULL, &x),
        "ValueError", "Pool not running"));
    CU_ASSERT(callp(p, "imap",
                    mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(3)),
                    NULL) == NULL &&
              err_is(mpr_last_error(), "ValueError", "Pool not running"));
    CU_ASSERT(repr_is(call(p, "join", NULL), "None"));
    CU_ASSERT(str_is(p, "<multiprocessing.pool.Pool state=CLOSE pool_size=2>"));
    CU_ASSERT(x == NULL);
    mpr_proxy_free(p);
    CU_ASSERT_EQUAL(n_objects(), 0);
}
WITH_MANAGER(test_manager_pool_methods)

static void test_manager_pool_errors_body(void)
{
    mpr_obj_t *sqr = T(mpr_manager_func(pool_sqr));
    mpr_obj_t *fail = T(mpr_manager_func(pool_fail));
    mpr_obj_t *slp = T(mpr_manager_func(pool_sleep));
    mpr_obj_t *unknown = T(mpr_obj_tuple_steal(
        3, mpr_obj_str("mpr.target"), mpr_obj_str("nosuch"), mpr_obj_tuple(0)));
    mpr_obj_t *kw = T(mpr_obj_dict()), *x = NULL;
    mpr_proxy_t *p = NULL, *q = NULL, *r;

    /* the constructor's errors are RemoteError, as from CPython's server */
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){0})), NULL, &q),
        "ValueError: Number of processes must be at least 1"));
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){-1})), NULL, &q),
        "ValueError: Number of processes must be at least 1"));
    mpr_obj_dict_set_steal(kw, mpr_obj_str("maxtasksperchild"), mpr_obj_int(0));
    CU_ASSERT(remote_is(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){1})), kw, &q),
        "ValueError: maxtasksperchild must be a positive int "
        "or None"));
    CU_ASSERT(remote_is(mpr_manager_create(mgr, "AsyncResult", NULL, NULL, &q),
                        "AssertionError"));
    CU_ASSERT(q == NULL);
    CU_ASSERT(mpr_manager_func(pool_not_registered) == NULL &&
              mpr_last_error() == MPR_EVALUE);
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){1})), NULL, &p) == 0);
    /* CPython's TypeErrors for what cannot be called or unpacked */
    CU_ASSERT(err_is(mpr_proxy_callmethod(p, "apply", NULL, NULL, &x),
                     "TypeError",
                     "Pool.apply() missing 1 required positional argument: "
                     "'func'"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            p, "apply", T(mpr_obj_tuple_steal(1, mpr_obj_none())), NULL, &x),
        "TypeError", "'NoneType' object is not callable"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(p, "apply",
                             T(mpr_obj_tuple_steal(1, mpr_obj_incref(unknown))),
                             NULL, &x),
        "AttributeError",
        "Can't get attribute 'nosuch' on <module '__main__'>"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            p, "apply",
            T(mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), mpr_obj_int(5))),
            NULL, &x),
        "TypeError",
        "__main__.pool_sqr() argument after * must be an "
        "iterable, not int"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            p, "map",
            T(mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), mpr_obj_int(5))),
            NULL, &x),
        "TypeError", "'int' object is not iterable"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(p, "map",
                                          T(mpr_obj_tuple_steal(
                                              3, mpr_obj_incref(sqr),
                                              range_list(2), mpr_obj_str("a"))),
                                          NULL, &x),
                     "TypeError",
                     "'<=' not supported between instances of 'str' and "
                     "'int'"));
    CU_ASSERT(
        callp(p, "imap",
              mpr_obj_tuple_steal(3, mpr_obj_incref(sqr), range_list(2),
                                  mpr_obj_int(0)),
              NULL) == NULL &&
        err_is(mpr_last_error(), "ValueError", "Chunksize must be 1+, not 0"));
    CU_ASSERT(
        callp(p, "apply_async",
              mpr_obj_tuple_steal(5, mpr_obj_incref(sqr), ints(1, (int[]){1}),
                                  mpr_obj_dict(), mpr_obj_int(3),
                                  mpr_obj_none()),
              NULL) == NULL &&
        err_is(mpr_last_error(), "TypeError", "'int' object is not callable"));
    /* a method answered with a proxy, asked for a value, and back */
    CU_ASSERT(mpr_proxy_callmethod(p, "apply_async",
                                   T(mpr_obj_tuple_steal(2, mpr_obj_incref(sqr),
                                                         ints(1, (int[]){1}))),
                                   NULL, &x) == MPR_ETYPE);
    CU_ASSERT(callp(p, "map",
                    mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(2)),
                    NULL) == NULL &&
              mpr_last_error() == MPR_ETYPE);
    /* a task's exception comes back with its class and message */
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(p, "apply",
                             T(mpr_obj_tuple_steal(1, mpr_obj_incref(fail))),
                             NULL, &x),
        "ValueError", "bad 7"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            p, "map",
            T(mpr_obj_tuple_steal(2, mpr_obj_incref(fail), range_list(3))),
            NULL, &x),
        "ValueError", "bad 7"));
    /* get(timeout) and successful() before the result */
    r = callp(p, "apply_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(slp),
                                  mpr_obj_tuple_steal(1, mpr_obj_float(0.5))),
              NULL);
    CU_ASSERT_FATAL(r != NULL);
    CU_ASSERT(mpr_proxy_callmethod(
                  r, "get", T(mpr_obj_tuple_steal(1, mpr_obj_float(0.01))),
                  NULL, &x) == MPR_ETIMEOUT);
    CU_ASSERT(mpr_proxy_callmethod(r, "successful", NULL, NULL, &x) ==
                  MPR_EVALUE &&
              strstr(mpr_last_error_detail(), "ApplyResult object at 0x") &&
              strstr(mpr_last_error_detail(), "> not ready"));
    CU_ASSERT(repr_is(call(r, "ready", NULL), "False"));
    CU_ASSERT(err_is(
        mpr_proxy_callmethod(
            r, "get", T(mpr_obj_tuple_steal(2, mpr_obj_none(), mpr_obj_none())),
            NULL, &x),
        "TypeError",
        "ApplyResult.get() takes from 1 to 2 positional "
        "arguments but 3 were given"));
    CU_ASSERT(err_is(mpr_proxy_callmethod(p, "join", NULL, NULL, &x),
                     "ValueError", "Pool is still running"));
    CU_ASSERT(repr_is(call(r, "get", NULL), "None"));
    mpr_proxy_free(r);
    /* terminate() is idempotent; then everything is "Pool not running" */
    CU_ASSERT(repr_is(call(p, "terminate", NULL), "None"));
    CU_ASSERT(repr_is(call(p, "terminate", NULL), "None"));
    CU_ASSERT(callp(p, "map_async",
                    mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(2)),
                    NULL) == NULL &&
              err_is(mpr_last_error(), "ValueError", "Pool not running"));
    CU_ASSERT(repr_is(call(p, "join", NULL), "None"));
    CU_ASSERT(x == NULL);
    mpr_proxy_free(p);
    CU_ASSERT_EQUAL(n_objects(), 0);
}
WITH_MANAGER(test_manager_pool_errors)

static void test_manager_pool_callbacks_body(void)
{
    mpr_obj_t *sqr = T(mpr_manager_func(pool_sqr));
    mpr_obj_t *fail = T(mpr_manager_func(pool_fail));
    mpr_obj_t *red = NULL, *kw = T(mpr_obj_dict()), *ekw = T(mpr_obj_dict());
    mpr_proxy_t *p, *l, *r;
    char want[64];

    CU_ASSERT_FATAL(mpr_manager_list(mgr, NULL, &l) == 0);
    CU_ASSERT_FATAL(mpr_proxy_reduce(l, &red) == 0);
    mpr_obj_dict_set_steal(
        kw, mpr_obj_str("callback"),
        mpr_manager_action(pool_append_cb,
                           T(mpr_obj_tuple_steal(1, mpr_obj_incref(red)))));
    mpr_obj_dict_set_steal(
        ekw, mpr_obj_str("error_callback"),
        mpr_manager_action(pool_append_cb,
                           T(mpr_obj_tuple_steal(1, mpr_obj_incref(red)))));
    CU_ASSERT_FATAL(
        mpr_manager_create(mgr, "Pool", T(ints(1, (int[]){2})), NULL, &p) == 0);
    /* the callback runs in the server before the result is ready */
    r = callp(p, "map_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), range_list(3)),
              mpr_obj_incref(kw));
    CU_ASSERT(r != NULL && repr_is(call(r, "wait", NULL), "None"));
    CU_ASSERT(str_is(l, "[[0, 1, 4]]"));
    mpr_proxy_free(r);
    r = callp(p, "apply_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(sqr), ints(1, (int[]){4})),
              mpr_obj_incref(kw));
    CU_ASSERT(r != NULL && repr_is(call(r, "get", NULL), "16"));
    CU_ASSERT(str_is(l, "[[0, 1, 4], 16]"));
    mpr_proxy_free(r);
    /* error_callback gets the exception as (code, message); a callback
     * given alone is not called on failure */
    r = callp(p, "apply_async", mpr_obj_tuple_steal(1, mpr_obj_incref(fail)),
              mpr_obj_incref(kw));
    CU_ASSERT(r != NULL &&
              mpr_proxy_callmethod(r, "get", NULL, NULL, NULL) == MPR_EVALUE);
    mpr_proxy_free(r);
    r = callp(p, "starmap_async",
              mpr_obj_tuple_steal(2, mpr_obj_incref(fail),
                                  mpr_obj_list_of_steal(1, mpr_obj_tuple(0))),
              mpr_obj_incref(ekw));
    CU_ASSERT(r != NULL && repr_is(call(r, "wait", NULL), "None"));
    CU_ASSERT(r != NULL && repr_is(call(r, "successful", NULL), "False"));
    snprintf(want, sizeof(want), "[[0, 1, 4], 16, (%d, 'bad 7')]", MPR_EVALUE);
    CU_ASSERT(str_is(l, want));
    mpr_proxy_free(r);
    CU_ASSERT(repr_is(call(p, "terminate", NULL), "None"));
    mpr_proxy_free(p);
    mpr_proxy_free(l);
    mpr_obj_decref(red);
    CU_ASSERT_EQUAL(n_objects(), 0);
}
WITH_MANAGER(test_manager_pool_callbacks)

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_manager_hmac_md5_rfc2202,
                "HMAC-MD5 matches RFC 2202 vectors");
    MPRTEST_ADD(s, test_manager_dict_methods_and_errors,
                "dict proxy methods, str, KeyError/TypeError, RemoteError");
    MPRTEST_ADD(s, test_manager_dict_iter,
                "iter(dict proxy): a server Iterator keeping the dict alive, "
                "StopIteration, sticky RuntimeError");
    MPRTEST_ADD(s, test_manager_list_methods_and_errors,
                "list proxy methods, IndexError/ValueError, copies out");
    MPRTEST_ADD(s, test_manager_namespace_value_str,
                "Namespace attributes and sorted repr; Value keeps its value");
    MPRTEST_ADD(s, test_manager_lock_event_queue_are_threading_versions,
                "Lock/Event/Queue behave as threading/queue objects");
    MPRTEST_ADD(s, test_manager_wrong_authkey_is_rejected_server_keeps_serving,
                "a wrong authkey is rejected and the server keeps serving");
    MPRTEST_ADD(s, test_manager_garbage_and_truncated_requests_are_survived,
                "garbage bytes and a truncated request do not stop the "
                "server");
    MPRTEST_ADD(s, test_manager_client_killed_mid_call_server_lives,
                "a client killed in a blocking call leaves the server up");
    MPRTEST_ADD(s, test_manager_hundred_concurrent_clients,
                "100 concurrent client processes append to one list");
    MPRTEST_ADD(s, test_manager_server_killed_clients_get_an_error,
                "a killed server gives waiting clients EOFError");
    MPRTEST_ADD(s, test_manager_tcp_address_and_rebuilt_proxy,
                "a TCP manager on 127.0.0.1 serves a rebuilt proxy");
    MPRTEST_ADD(s, test_manager_refcounts_free_objects,
                "server references: a fork child takes and drops its own, "
                "the last decref frees the object");
    MPRTEST_ADD(s, test_manager_proxies_share_the_thread_connection,
                "proxies share their thread's connection; after shutdown() "
                "it gives BrokenPipeError, a new thread FileNotFoundError");
    MPRTEST_ADD(s, test_manager_exit_handler_shuts_down,
                "the exit handler shuts down a manager left running");
    MPRTEST_ADD(s, test_manager_condition_barrier_array,
                "Condition, Barrier, Array with threading/array messages");
    MPRTEST_ADD(s, test_manager_tcp_between_network_namespaces,
                "clients in another network namespace reach the manager "
                "over a veth pair");
    MPRTEST_ADD(s, test_manager_shutdown_names_and_start_twice,
                "SyncManager-N name, address, start twice, shutdown");
    MPRTEST_ADD(s, test_manager_dict_init_update_setdefault,
                "dict(pairs) init, update, setdefault, copy, pop/get "
                "defaults, clear, with dict's messages");
    MPRTEST_ADD(s, test_manager_list_index_sort_and_errors,
                "list del/contains/pop/insert/extend/sort(reverse) and "
                "argument errors");
    MPRTEST_ADD(s, test_manager_list_sort_mixed_types,
                "list sort orders numbers, bytes and tuples as Python's <");
    MPRTEST_ADD(s, test_manager_namespace_value_errors,
                "Namespace local '_' names and errors; Value argument "
                "errors");
    MPRTEST_ADD(s, test_manager_argument_errors_as_cpython,
                "too few or wrong arguments give CPython's TypeError "
                "messages");
    MPRTEST_ADD(s, test_manager_server_rejects_bad_requests,
                "unknown functions, bad arguments and malformed requests "
                "get CPython's tracebacks; the connection goes on");
    MPRTEST_ADD(s, test_manager_client_reads_every_reply_kind,
                "the client turns #RETURN/#ERROR/#TRACEBACK/#UNSERIALIZABLE "
                "and unknown or malformed replies into CPython's errors");
    MPRTEST_ADD(s, test_manager_exceptions_cross_the_wire,
                "'#ERROR' carries the pickled exception both ways, as "
                "CPython's: class, args, errno, a class of one's own; "
                "hostile payloads are clean errors");
    MPRTEST_ADD(s, test_manager_condition_and_barrier_across_processes,
                "a server Condition wakes a waiter in another process; a "
                "2-party Barrier releases both");
    MPRTEST_ADD(s, test_manager_namespace_repr_hides_private_names,
                "Namespace repr leaves out '_' names; proxy repr/str lengths");
    MPRTEST_ADD(s, test_manager_array_ranges_and_sort_type_errors,
                "Array range errors per typecode; sort's TypeErrors name "
                "the first pair compared; lists sort item by item");
    MPRTEST_ADD(s, test_manager_answer_challenge_against_bad_servers,
                "answer_challenge: not a challenge, too long, rejected, with "
                "CPython's errors");
    MPRTEST_ADD(s, test_manager_dict_unhashable_keys_and_kwargs,
                "unhashable keys are TypeError in every hashing dict method; "
                "dict(mapping, **kw)");
    MPRTEST_ADD(s, test_manager_list_index_bounds,
                "list.index start/stop as slice indices; too many or "
                "non-integer bounds are TypeError");
    MPRTEST_ADD(s, test_manager_lock_rlock_semaphore_rules,
                "Lock/RLock/Semaphore/BoundedSemaphore argument rules, "
                "counts and reprs");
    MPRTEST_ADD(s, test_manager_event_queue_methods,
                "Event clear/wait, Queue qsize/empty/full/put_nowait and "
                "timeouts");
    MPRTEST_ADD(s, test_manager_condition_barrier_array_more,
                "Condition notify_all, Barrier attributes/timeout/reset, "
                "Array codes and indices");
    MPRTEST_ADD(s, test_manager_start_bind_errors,
                "start: a port in use is EADDRINUSE, an unknown host the "
                "resolver's error");
    MPRTEST_ADD(s, test_manager_connect_errors,
                "connect to a closed port, an unknown host, a missing socket");
    MPRTEST_ADD(s, test_manager_arity_of_every_type_as_cpython,
                "every type's methods and constructor: too many arguments, "
                "bad keywords, missing ones, in CPython's words");
    MPRTEST_ADD(s, test_manager_joinable_queue_and_barrier_action,
                "JoinableQueue task_done()/join(); a Barrier action: "
                "registered targets only, its error breaks the barrier");
    MPRTEST_ADD(s, test_manager_barrier_negative_timeout_breaks_at_once,
                "Barrier.wait(-1) and Barrier(timeout=-1).wait() break the "
                "barrier at once; the last party still passes");
    MPRTEST_ADD(s, test_manager_tcp_empty_host_binds_all_addresses,
                "a TCP manager on host '' binds every address and is "
                "reached at ('', port)");
    MPRTEST_ADD(s, test_manager_register_c_type,
                "a registered C type: public methods exposed by default, "
                "exposed= and proxytype=, hidden names are RemoteError, "
                "from C and from a CPython client");
    MPRTEST_ADD(s, test_manager_c_client_of_cpython_server,
                "a C client of a CPython BaseManager with the same "
                "registration: create, an exposed method, a hidden one's "
                "RemoteError, exceptions with their class and str()");
    MPRTEST_ADD(s, test_manager_list_slices_and_operators,
                "list slices in get/set/del with list's rules and errors, "
                "+, * and *=, from C and from a CPython ListProxy");
    MPRTEST_ADD(s, test_manager_options_connect_and_rebuild_errors,
                "bad options, connect(), rebuild of non-proxies and freed "
                "objects, start and enter after shutdown");
    MPRTEST_ADD(s, test_manager_pool_methods,
                "SyncManager's Pool: apply, map, starmap, AsyncResult and "
                "Iterator proxies, close and join, 'Pool not running'");
    MPRTEST_ADD(s, test_manager_pool_errors,
                "manager Pool: bad sizes, functions, arguments and chunksizes "
                "in CPython's words; task errors, timeouts, terminate");
    MPRTEST_ADD(s, test_manager_pool_callbacks,
                "manager Pool: callback and error_callback run in the server "
                "before the result is ready");
    return 0;
}
