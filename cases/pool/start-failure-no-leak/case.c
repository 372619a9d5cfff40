/*
 * pool/start-failure-no-leak: when the 4th of 5 workers fails to start,
 * Pool() raises that OSError and terminates and joins the 3 workers it
 * had started, so none is left alive.  As in CPython's test, the workers'
 * Process class is a fake that fails on its 4th start() (the pool's
 * process hooks; the pool still makes each worker object, which the fake
 * never starts).
 */
#include <mpr.h>

#include "support.h"

#include <stdio.h>
#include <string.h>

/* OSError("Manually induced OSError"): an OSError with no errno */
MPR_EXCEPTION(OSError)

/* FailingForkProcess: one per worker the pool makes */
typedef struct {
    mpr_process_t *w;
    const char *state; /* NULL: None */
} fake_t;

static fake_t forked_processes[16];
static size_t n_forked;
static int will_fail_in = 3;

static fake_t *fake_of(mpr_process_t *w)
{
    for (size_t i = 0; i < n_forked; i++)
        if (forked_processes[i].w == w)
            return &forked_processes[i];
    return NULL;
}

/* __init__ */
static void fake_create(mpr_process_t *w, void *arg)
{
    (void)arg;
    if (n_forked < sizeof(forked_processes) / sizeof(forked_processes[0]))
        forked_processes[n_forked++] = (fake_t){w, NULL};
}

static int fake_start(mpr_process_t *w, void *arg)
{
    fake_t *f = fake_of(w);

    (void)arg;
    if (will_fail_in <= 0)
        return mpr_target_error(OSError, "Manually induced OSError");
    will_fail_in -= 1;
    if (f != NULL)
        f->state = "started";
    return 0;
}

static int fake_terminate(mpr_process_t *w, void *arg)
{
    fake_t *f = fake_of(w);

    (void)arg;
    if (f != NULL)
        f->state = "stopping";
    return 0;
}

static int fake_join(mpr_process_t *w, void *arg)
{
    fake_t *f = fake_of(w);

    (void)arg;
    if (f != NULL && f->state != NULL && strcmp(f->state, "stopping") == 0)
        f->state = "stopped";
    return 0;
}

static int is_alive(const fake_t *f)
{
    return f->state != NULL && (strcmp(f->state, "started") == 0 ||
                                strcmp(f->state, "stopping") == 0);
}

int main(int argc, char **argv)
{
    static const mpr_pool_process_class_t failing_fork_process = {
        .create = fake_create,
        .start = fake_start,
        .terminate = fake_terminate,
        .join = fake_join};
    mpr_pool_options_t o = {.processes = 5, .process = &failing_fork_process};
    mpr_obj_t *states;
    mpr_pool_t *p;
    int rc, any = 0;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if ((rc = mpr_pool_new(&p, &o)) < 0) {
        case_show("Pool(5):", rc, NULL);
    } else {
        mpr_pool_close(p);
        mpr_pool_join(p);
        mpr_pool_free(p);
    }
    printf("processes created: %zu\n", n_forked);
    if ((states = mpr_obj_list()) == NULL)
        return case_fail(mpr_last_error());
    for (size_t i = 0; i < n_forked; i++) {
        const char *s = forked_processes[i].state;
        if ((rc = mpr_obj_list_append_steal(states, s ? mpr_obj_str(s)
                                                      : mpr_obj_none())) < 0)
            return case_fail(rc);
        any |= is_alive(&forked_processes[i]);
    }
    case_show("states:", 0, states);
    printf("any alive: %s\n", case_bool(any));
    return 0;
}
