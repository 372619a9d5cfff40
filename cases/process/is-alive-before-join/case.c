/*
 * process/is-alive-before-join: once the child has exited, is_alive()
 * polls it and turns False, and exitcode is 0, without join().
 */
#include <mpr.h>

#include <poll.h>
#include <stdio.h>
#include <time.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    return 0;
}
MPR_TARGET(f)

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    int code;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0 ||
        mpr_process_start(p) < 0)
        return 1;
    /* multiprocessing.connection.wait([p.sentinel], 30) */
    struct pollfd pfd = {.fd = mpr_process_sentinel(p), .events = POLLIN};
    int n = poll(&pfd, 1, 30000);
    printf("sentinel ready: %s\n", n == 1 ? "True" : "False");
    /* the sentinel is ready a moment before the child can be reaped */
    struct timespec t0, now, tick = {0, 1000000};
    clock_gettime(CLOCK_MONOTONIC, &t0);
    do {
        if (!mpr_process_is_alive(p))
            break;
        nanosleep(&tick, NULL);
        clock_gettime(CLOCK_MONOTONIC, &now);
    } while (now.tv_sec - t0.tv_sec < 5);
    printf("is_alive() before join(): %s\n",
           mpr_process_is_alive(p) ? "True" : "False");
    if (mpr_process_exitcode(p, &code) == 1)
        printf("exitcode before join(): %d\n", code);
    else
        printf("exitcode before join(): None\n");
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    printf("is_alive() after join(): %s\n",
           mpr_process_is_alive(p) ? "True" : "False");
    mpr_process_free(p);
    return 0;
}
