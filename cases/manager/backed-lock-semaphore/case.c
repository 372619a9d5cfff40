/*
 * manager/backed-lock-semaphore: _TestLock and _TestSemaphore on a
 * manager's Lock, RLock, Semaphore and BoundedSemaphore proxies: every
 * acquire and release a round trip to the server's threading objects,
 * their RuntimeError and ValueError coming back with the message, str()
 * the server object's repr.  proxy.get_value does not exist: the server's
 * objects do not expose it (a call is refused).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>

#define B(v) mpr_obj_tuple_steal(1, mpr_obj_bool(v))

/* proxy repr in a static buffer (one at a time) */
static const char *prepr(mpr_proxy_t *p)
{
    static char buf[256];
    char *s;

    if (mpr_proxy_repr(p, &s, NULL) < 0)
        return "<repr failed>";
    snprintf(buf, sizeof(buf), "%s", s);
    mpr_free(s);
    return buf;
}

/* _TestSemaphore._test_semaphore, the value shown after each step */
static void semaphore(const char *label, mpr_proxy_t *sem)
{
    printf("%s: %s %s\n", label, prepr(sem), case_str(sem));
    printf("acquire(): %s", case_call(sem, "acquire", NULL));
    printf(" %s\n", case_str(sem));
    printf("acquire(): %s", case_call(sem, "acquire", NULL));
    printf(" %s\n", case_str(sem));
    printf("acquire(False): %s", case_call(sem, "acquire", B(0)));
    printf(" %s\n", case_str(sem));
    for (int i = 0; i < 2; i++) {
        printf("release(): %s", case_call(sem, "release", NULL));
        printf(" %s\n", case_str(sem));
    }
}

static int run(mpr_manager_t *m)
{
    mpr_proxy_t *lock = NULL, *rlock = NULL, *lock2 = NULL, *sem = NULL,
                *bsem = NULL;
    mpr_obj_t *two = mpr_obj_tuple_steal(1, mpr_obj_int(2));
    int rc;

    if ((rc = mpr_manager_create(m, "Lock", NULL, NULL, &lock)) < 0 ||
        (rc = mpr_manager_create(m, "RLock", NULL, NULL, &rlock)) < 0 ||
        (rc = mpr_manager_create(m, "Lock", NULL, NULL, &lock2)) < 0 ||
        (rc = mpr_manager_create(m, "Semaphore", two, NULL, &sem)) < 0 ||
        (rc = mpr_manager_create(m, "BoundedSemaphore", two, NULL, &bsem)) < 0)
        goto done;

    /* test_lock */
    printf("lock: %s %s\n", prepr(lock), case_str(lock));
    printf("acquire(): %s\n", case_call(lock, "acquire", NULL));
    printf("acquire(False): %s\n", case_call(lock, "acquire", B(0)));
    printf(
        "acquire(timeout=0.1): %s",
        case_call(lock, "acquire",
                  mpr_obj_tuple_steal(2, mpr_obj_bool(1), mpr_obj_float(0.1))));
    printf(" %s\n", case_str(lock));
    printf("release(): %s", case_call(lock, "release", NULL));
    printf(" %s\n", case_str(lock));
    printf("release() unlocked: %s\n", case_call(lock, "release", NULL));

    /* test_rlock */
    printf("rlock: %s %s\n", prepr(rlock), case_str(rlock));
    printf("acquire() x3: %s", case_call(rlock, "acquire", NULL));
    printf(" %s", case_call(rlock, "acquire", NULL));
    printf(" %s\n", case_call(rlock, "acquire", NULL));
    printf("held: %s\n", case_str(rlock));
    printf("release() x3: %s", case_call(rlock, "release", NULL));
    printf(" %s", case_call(rlock, "release", NULL));
    printf(" %s\n", case_call(rlock, "release", NULL));
    printf("free: %s\n", case_str(rlock));
    printf("release() one too many: %s\n", case_call(rlock, "release", NULL));

    /* test_lock_context: __enter__ is acquire(), __exit__ release() */
    printf("in with: %s", case_call(lock2, "acquire", NULL));
    printf(" %s\n", case_str(lock2));
    case_call(lock2, "release", NULL);
    printf("after with: %s\n", case_str(lock2));

    /* test_semaphore */
    semaphore("semaphore", sem);
    for (int i = 0; i < 2; i++) {
        printf("release(): %s", case_call(sem, "release", NULL));
        printf(" %s\n", case_str(sem));
    }

    /* test_bounded_semaphore, and the over-release */
    semaphore("bounded", bsem);
    printf("release() past the bound: %s\n", case_call(bsem, "release", NULL));
    printf("still: %s\n", case_str(bsem));
    printf("proxy has get_value: %s\n",
           case_bool(mpr_proxy_callmethod(sem, "get_value", NULL, NULL, NULL) ==
                     0));
done:
    mpr_obj_decref(two);
    mpr_proxy_free(lock);
    mpr_proxy_free(rlock);
    mpr_proxy_free(lock2);
    mpr_proxy_free(sem);
    mpr_proxy_free(bsem);
    return rc;
}

int main(int argc, char **argv)
{
    return case_main_with_manager(argc, argv, run);
}
