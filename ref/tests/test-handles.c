/*
 * test-handles.c - handle values (obj.h's MPR_OBJ_HANDLE): primitives in
 * a Process's args reach the child under fork, spawn and forkserver with
 * no start-method code in the caller, as CPython 3.11 pickles them with
 * the spawning Popen set; outside a child's args they refuse to pickle
 * with CPython's errors (assert_spawning); a kind nobody registered is a
 * clean error, never a crash; a peer's pickle cannot make a process
 * rebuild anything.
 */
#include "mpr/barrier.h"
#include "mpr/condition.h"
#include "mpr/connection.h"
#include "mpr/context.h"
#include "mpr/event.h"
#include "mpr/lock.h"
#include "mpr/main.h"
#include "mpr/obj.h"
#include "mpr/pickle.h"
#include "mpr/process.h"
#include "mpr/queue.h"
#include "mpr/sharedctypes.h"
#include "mpr/timeout.h"
#include "conn/conn_internal.h"
#include "mprtest.h"
#include "pickle/handles.h"
#include "process/process_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *mprtest_suite_name = "handles";

static const char *const methods[] = {"fork", "spawn", "forkserver"};

/*
 * The child: takes the lock (the parent holds it until it sees "ready"),
 * reports through each primitive of its args and kwargs, a Connection
 * nested in a list among them.  Returns a negative code when a handle is
 * missing, so the exit code shows it.
 */
static int child(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    mpr_lock_t *lock =
        mpr_obj_handle_ptr(mpr_obj_item(args, 0), MPR_HANDLE_SEMLOCK);
    mpr_queue_t *q =
        mpr_obj_handle_ptr(mpr_obj_item(args, 1), MPR_HANDLE_QUEUE);
    mpr_obj_t *nested = mpr_obj_item(args, 2), *v = NULL, *msg;
    mpr_conn_t *c =
        mpr_obj_handle_ptr(mpr_obj_item(nested, 0), MPR_HANDLE_CONN);
    mpr_squeue_t *sq = NULL;
    mpr_event_t *ev = NULL;
    int rc;

    if (mpr_obj_dict_get_str(kwargs, "value", &v) != 1)
        return MPR_EKEY;
    mpr_value_t *val = mpr_obj_handle_ptr(v, MPR_HANDLE_VALUE);
    if (mpr_obj_dict_get_str(kwargs, "squeue", &v) == 1)
        sq = mpr_obj_handle_ptr(v, MPR_HANDLE_SQUEUE);
    if (mpr_obj_dict_get_str(kwargs, "event", &v) == 1)
        ev = mpr_obj_handle_ptr(v, MPR_HANDLE_EVENT);
    if (!lock || !q || !c || !val || !sq || !ev ||
        mpr_obj_handle_ptr(mpr_obj_item(nested, 1), MPR_HANDLE_CONN) != c)
        return MPR_ETYPE;
    if ((msg = mpr_obj_str("ready")) == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(c, msg);
    if (rc == 0 && (rc = mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE)) == 1)
        rc = mpr_lock_release(lock);
    if (rc == 0)
        rc = mpr_queue_put(q, msg, 1, MPR_TIMEOUT_NONE);
    if (rc == 0)
        rc = mpr_squeue_put(sq, msg);
    if (rc == 0)
        rc = mpr_value_set_int64(val, 42);
    if (rc == 0)
        rc = mpr_event_set(ev);
    mpr_obj_decref(msg);
    return rc;
}

__attribute__((constructor)) static void enter(int argc, char **argv)
{
    mpr_target_register("child", (void (*)(void))child);
    mpr_main(argc, argv);
}

static int refused(const mpr_obj_t *h, int code, const char *detail)
{
    mpr_obj_t *t = mpr_obj_tuple(1, h);
    int ok = mprtest_dumps_refused(t, code, detail);

    mpr_obj_decref(t);
    return ok;
}

#define INHERIT                                                                \
    " objects should only be shared between processes through "                \
    "inheritance"

static void test_handles_refuse_to_pickle_outside_a_childs_args(void)
{
    mpr_lock_t *lock;
    mpr_rlock_t *rlock;
    mpr_bsem_t *bsem;
    mpr_cond_t *cond;
    mpr_event_t *ev;
    mpr_queue_t *q, *jq;
    mpr_squeue_t *sq;
    mpr_value_t *val, *raw;
    mpr_array_t *arr, *carr, *rawarr;
    mpr_conn_t *a, *b;
    mpr_obj_t *h, *three = mpr_obj_int(3);

    CU_ASSERT_FATAL(
        mpr_lock_new(&lock) == 0 && mpr_rlock_new(&rlock) == 0 &&
        mpr_bsem_new(&bsem, 1) == 0 && mpr_cond_new(&cond, NULL) == 0 &&
        mpr_event_new(&ev) == 0 && mpr_queue_new(&q, 0) == 0 &&
        mpr_jqueue_new(&jq, 0) == 0 && mpr_squeue_new(&sq) == 0 &&
        mpr_value_new(&val, "i", NULL, NULL) == 0 &&
        mpr_rawvalue_new(&raw, "i", NULL) == 0 &&
        mpr_array_new(&arr, "i", three, NULL) == 0 &&
        mpr_array_new(&carr, "c", three, NULL) == 0 &&
        mpr_rawarray_new(&rawarr, "i", three) == 0 && mpr_pipe(&a, &b, 1) == 0);
    struct {
        mpr_handle_kind_t kind;
        void *ptr;
        int code;
        const char *detail;
    } cases[] = {
        {MPR_HANDLE_SEMLOCK, lock, MPR_ERUNTIME, "Lock" INHERIT},
        {MPR_HANDLE_SEMLOCK, rlock, MPR_ERUNTIME, "RLock" INHERIT},
        {MPR_HANDLE_SEMLOCK, bsem, MPR_ERUNTIME, "BoundedSemaphore" INHERIT},
        {MPR_HANDLE_COND, cond, MPR_ERUNTIME, "Condition" INHERIT},
        {MPR_HANDLE_EVENT, ev, MPR_ERUNTIME, "Condition" INHERIT},
        {MPR_HANDLE_QUEUE, q, MPR_ERUNTIME, "Queue" INHERIT},
        {MPR_HANDLE_QUEUE, jq, MPR_ERUNTIME, "JoinableQueue" INHERIT},
        {MPR_HANDLE_SQUEUE, sq, MPR_ERUNTIME, "SimpleQueue" INHERIT},
        {MPR_HANDLE_VALUE, val, MPR_ERUNTIME, "Synchronized" INHERIT},
        {MPR_HANDLE_VALUE, raw, MPR_ETYPE, "cannot pickle 'mmap.mmap' object"},
        {MPR_HANDLE_ARRAY, arr, MPR_ERUNTIME, "SynchronizedArray" INHERIT},
        {MPR_HANDLE_ARRAY, carr, MPR_ERUNTIME, "SynchronizedString" INHERIT},
        {MPR_HANDLE_ARRAY, rawarr, MPR_EPICKLE,
         "Can't pickle <class 'multiprocessing.sharedctypes.c_int_Array_3'>: "
         "attribute lookup c_int_Array_3 on multiprocessing.sharedctypes "
         "failed"},
        {MPR_HANDLE_CONN, a, MPR_ENOTIMPL,
         "libmpref pickles a Connection only into a Process's args"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        CU_ASSERT_FATAL((h = mpr_obj_handle(cases[i].kind, cases[i].ptr)) !=
                        NULL);
        CU_ASSERT(refused(h, cases[i].code, cases[i].detail));
        mpr_obj_decref(h);
    }
    /* The Queue.put of a Lock (issue 15): pickled at once, refused. */
    CU_ASSERT_FATAL((h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock)) != NULL);
    CU_ASSERT_EQUAL(mpr_squeue_put(sq, h), MPR_ERUNTIME);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "Lock" INHERIT);
    mpr_obj_decref(h);
    mpr_obj_decref(three);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_array_free(rawarr);
    mpr_array_free(carr);
    mpr_array_free(arr);
    mpr_value_free(raw);
    mpr_value_free(val);
    mpr_squeue_free(sq);
    mpr_queue_free(jq);
    mpr_queue_free(q);
    mpr_event_free(ev);
    mpr_cond_free(cond);
    mpr_bsem_free(bsem);
    mpr_rlock_free(rlock);
    mpr_lock_free(lock);
}

/* A Lock passed under spawn but outside a child's args: through a Pipe
 * while the spawn context is the default, refused as CPython refuses. */
static void test_handles_lock_sent_under_spawn_is_runtime_error(void)
{
    mpr_lock_t *lock;
    mpr_conn_t *a, *b;
    mpr_obj_t *h;

    CU_ASSERT_FATAL(mpr_lock_new(&lock) == 0 && mpr_pipe(&a, &b, 1) == 0);
    CU_ASSERT_EQUAL(mpr_set_start_method("spawn", 1), 0);
    CU_ASSERT_FATAL((h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock)) != NULL);
    CU_ASSERT_EQUAL(mpr_conn_send(a, h), MPR_ERUNTIME);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "Lock" INHERIT);
    CU_ASSERT_EQUAL(mpr_conn_poll(b, 0), 0); /* nothing was written */
    mpr_obj_decref(h);
    mpr_set_start_method(NULL, 1);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_lock_free(lock);
}

static void test_handles_unknown_kind_is_a_clean_error(void)
{
    static const char desc[] = "\x80\x04"
                               "cmpr.handle\nNoSuchKind\nX\x01\x00\x00\x00z"
                               "\x85R.";
    static const char lock_desc[] = "\x80\x04"
                                    "cmpr.handle\nSemLock\nX\x01\x00\x00\x00z"
                                    "\x85R.";
    mpr__pickle_handles_t hooks = {0};
    mpr_obj_t *o = (mpr_obj_t *)1;
    int dummy;

    CU_ASSERT_PTR_NULL(mpr_obj_handle((mpr_handle_kind_t)99, &dummy));
    CU_ASSERT_EQUAL(mpr_last_error(), MPR_EVALUE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(), "unknown handle kind 99");
    CU_ASSERT_PTR_NULL(mpr_obj_handle((mpr_handle_kind_t)0, &dummy));
    CU_ASSERT_PTR_NULL(mpr_obj_handle(MPR_HANDLE_SEMLOCK, NULL));
    /* A description naming a kind this program has not registered. */
    CU_ASSERT_EQUAL(
        mpr__pickle_loads_handles(desc, sizeof(desc) - 1, &hooks, &o),
        MPR_EUNPICKLE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "unknown handle kind 'NoSuchKind'");
    CU_ASSERT_PTR_NULL(o);
    /* A peer's pickle (a Queue, a manager) never rebuilds a handle. */
    CU_ASSERT_EQUAL(mpr_pickle_loads(lock_desc, sizeof(lock_desc) - 1, &o),
                    MPR_EUNPICKLE);
    CU_ASSERT_STRING_EQUAL(mpr_last_error_detail(),
                           "global 'mpr.handle.SemLock' is forbidden");
    /* A REDUCE of anything but a handle stays refused with hooks too. */
    CU_ASSERT_EQUAL(mpr__pickle_loads_handles("\x80\x04)\x85R.", 6, &hooks, &o),
                    MPR_EUNPICKLE);
}

/* Tokens made while pickling stay alive to the end: the memo goes by
 * address, and a token freed at once had its address reused by the next
 * one, which then pickled as a GET of the first. */
static int fresh_token(void *ctx, const mpr_obj_t *h, mpr_obj_t **tok)
{
    char name[16];

    (void)h;
    /* a str of one size each time: malloc hands a freed one's block
     * straight back */
    snprintf(name, sizeof(name), "tok%d", (*(int *)ctx)++);
    *tok = mpr_obj_str(name);
    return *tok != NULL ? 0 : mpr_last_error();
}

static int echo_token(void *ctx, int kind, const mpr_obj_t *tok,
                      mpr_obj_t **out)
{
    (void)ctx, (void)kind;
    *out = mpr_obj_incref((mpr_obj_t *)tok);
    return 0;
}

static void test_handles_tokens_outlive_the_pickle_memo(void)
{
    enum { N = 64 }; /* past malloc's per-thread cache, so calloc reuses */
    int dummy, n = 0;
    mpr__pickle_handles_t hooks = {
        .reduce = fresh_token, .rebuild = echo_token, .ctx = &n};
    mpr_obj_t *h = mpr_obj_handle(MPR_HANDLE_SEMLOCK, &dummy);
    mpr_obj_t *t = mpr_obj_tuple_new(N), *back = NULL;
    char *pk = NULL, want[16];
    size_t len;

    CU_ASSERT_FATAL(h != NULL && t != NULL);
    for (size_t i = 0; i < N; i++)
        mpr_obj_tuple_set_steal(t, i, mpr_obj_incref(h));
    CU_ASSERT_EQUAL_FATAL(mpr__pickle_dumps_handles(t, 4, &hooks, &pk, &len),
                          0);
    CU_ASSERT_EQUAL_FATAL(mpr__pickle_loads_handles(pk, len, &hooks, &back), 0);
    for (size_t i = 0; i < N; i++) {
        snprintf(want, sizeof(want), "tok%zu", i);
        CU_ASSERT_STRING_EQUAL(mpr_obj_str_utf8(mpr_obj_item(back, i), NULL),
                               want);
    }
    mpr_free(pk);
    mpr_obj_decref(back);
    mpr_obj_decref(t);
    mpr_obj_decref(h);
}

static void test_handles_are_values_with_identity(void)
{
    mpr_lock_t *lock, *other;
    mpr_obj_t *h1, *h2, *h3;
    int64_t x1, x2;
    char *r;

    CU_ASSERT_FATAL(mpr_lock_new(&lock) == 0 && mpr_lock_new(&other) == 0);
    h1 = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock);
    h2 = mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock);
    h3 = mpr_obj_handle(MPR_HANDLE_SEMLOCK, other);
    CU_ASSERT_FATAL(h1 && h2 && h3);
    CU_ASSERT_EQUAL(mpr_obj_type(h1), MPR_OBJ_HANDLE);
    CU_ASSERT_STRING_EQUAL(mpr_obj_type_name(h1), "Lock");
    CU_ASSERT_EQUAL(mpr_obj_handle_kind(h1), MPR_HANDLE_SEMLOCK);
    CU_ASSERT_PTR_EQUAL(mpr_obj_handle_ptr(h1, MPR_HANDLE_SEMLOCK), lock);
    CU_ASSERT_PTR_NULL(mpr_obj_handle_ptr(h1, MPR_HANDLE_QUEUE));
    CU_ASSERT_EQUAL(mpr_obj_eq(h1, h2), 1);
    CU_ASSERT_EQUAL(mpr_obj_eq(h1, h3), 0);
    CU_ASSERT(mpr_obj_hash(h1, &x1) == 0 && mpr_obj_hash(h2, &x2) == 0 &&
              x1 == x2);
    CU_ASSERT_EQUAL(mpr_obj_truth(h1), 1);
    CU_ASSERT_EQUAL(mpr_obj_repr(h1, &r, NULL), 0);
    CU_ASSERT_STRING_EQUAL(r, "<Lock(owner=None)>");
    mpr_free(r);
    mpr_obj_decref(h1);
    mpr_obj_decref(h2);
    mpr_obj_decref(h3);
    mpr_lock_free(other);
    mpr_lock_free(lock);
}

/* One child per method, its primitives given only as values. */
static void run_child(const char *method)
{
    mpr_lock_t *lock;
    mpr_queue_t *q;
    mpr_squeue_t *sq;
    mpr_value_t *val;
    mpr_event_t *ev;
    mpr_conn_t *a, *b;
    mpr_process_t *p;
    mpr_obj_t *args, *kwargs, *got = NULL;
    int64_t x = 0;
    int code = -1;

    CU_ASSERT_FATAL(mpr_lock_new(&lock) == 0 && mpr_queue_new(&q, 0) == 0 &&
                    mpr_squeue_new(&sq) == 0 &&
                    mpr_value_new(&val, "i", NULL, NULL) == 0 &&
                    mpr_event_new(&ev) == 0 && mpr_pipe(&a, &b, 1) == 0);
    mpr_obj_t *hb = mpr_obj_handle(MPR_HANDLE_CONN, b);
    args = mpr_obj_tuple_steal(
        3, mpr_obj_handle(MPR_HANDLE_SEMLOCK, lock),
        mpr_obj_handle(MPR_HANDLE_QUEUE, q),
        mpr_obj_list_of(2, hb, hb)); /* one Connection, twice */
    mpr_obj_decref(hb);
    kwargs = mpr_obj_dict();
    CU_ASSERT_FATAL(args && kwargs);
    CU_ASSERT(mpr_obj_dict_set_steal(kwargs, mpr_obj_str("value"),
                                     mpr_obj_handle(MPR_HANDLE_VALUE, val)) ==
              0);
    CU_ASSERT(mpr_obj_dict_set_steal(kwargs, mpr_obj_str("squeue"),
                                     mpr_obj_handle(MPR_HANDLE_SQUEUE, sq)) ==
              0);
    CU_ASSERT(mpr_obj_dict_set_steal(kwargs, mpr_obj_str("event"),
                                     mpr_obj_handle(MPR_HANDLE_EVENT, ev)) ==
              0);
    mpr_process_options_t o = {
        .target = child, .args = args, .kwargs = kwargs, .context = method};
    CU_ASSERT_FATAL(mpr_lock_acquire(lock, 1, MPR_TIMEOUT_NONE) == 1);
    CU_ASSERT_FATAL(mpr_process_new(&p, &o) == 0);
    mpr_obj_decref(args);
    mpr_obj_decref(kwargs);
    CU_ASSERT_EQUAL_FATAL(mpr_process_start(p), 0);
    /* The child's end is closed here at once: it got its own. */
    mpr_conn_close(b);
    CU_ASSERT(mpr_conn_recv(a, &got) == 0);
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_lock_release(lock), 0);
    CU_ASSERT(mpr_queue_get(q, &got, 1, 10.0) == 0);
    mpr_obj_decref(got);
    CU_ASSERT(mpr_squeue_get(sq, &got) == 0);
    mpr_obj_decref(got);
    CU_ASSERT_EQUAL(mpr_event_wait(ev, 10.0), 1);
    CU_ASSERT_EQUAL(mpr_process_join(p, 10.0), 0);
    CU_ASSERT(mpr_process_exitcode(p, &code) == 1 && code == 0);
    CU_ASSERT(mpr_value_get_int64(val, &x) == 0 && x == 42);
    if (code != 0)
        printf("# %s: exit code %d\n", method, code);
    mpr_process_free(p);
    mpr_conn_free(a);
    mpr_conn_free(b);
    mpr_event_free(ev);
    mpr_value_free(val);
    mpr_squeue_free(sq);
    mpr_queue_free(q);
    mpr_lock_free(lock);
}

static void test_handles_reach_the_child_under_every_method(void)
{
    for (size_t m = 0; m < 3; m++)
        run_child(methods[m]);
    mpr__forkserver_stop();
    mpr__conn_sharer_stop(); /* a Queue's pipe went through it */
}

int mprtest_register(CU_pSuite s)
{
    MPRTEST_ADD(s, test_handles_are_values_with_identity,
                "a handle value: type name, repr, identity equality, hash");
    MPRTEST_ADD(s, test_handles_refuse_to_pickle_outside_a_childs_args,
                "outside a child's args each kind refuses with CPython's "
                "error");
    MPRTEST_ADD(s, test_handles_lock_sent_under_spawn_is_runtime_error,
                "a Lock sent through a Pipe under spawn is RuntimeError");
    MPRTEST_ADD(s, test_handles_unknown_kind_is_a_clean_error,
                "an unknown kind is a clean error; loads never rebuilds");
    MPRTEST_ADD(s, test_handles_tokens_outlive_the_pickle_memo,
                "each handle's token pickles whole, none as a stale memo "
                "entry");
    MPRTEST_ADD(s, test_handles_reach_the_child_under_every_method,
                "handles in args and kwargs reach fork, spawn and forkserver "
                "children");
    return 0;
}
