/*
 * process/pid-before-after-start: pid and ident are None before start,
 * the child's pid after it (also after join); the main process's pid is
 * os.getpid().
 */
#include <mpr.h>

#include <stdio.h>
#include <unistd.h>

static int f(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)args, (void)kwargs;
    printf("child os.getpid(): %d\n", (int)getpid());
    return 0;
}
MPR_TARGET(f)

/* pid as Python prints it (into one of two static buffers) */
static const char *pid_str(int have, pid_t pid)
{
    static char bufs[2][16];
    static int next;
    char *b = bufs[next++ % 2];

    if (have != 1)
        return "None";
    snprintf(b, 16, "%d", (int)pid);
    return b;
}

int main(int argc, char **argv)
{
    mpr_process_t *p;
    mpr_process_options_t o = {.target = f};
    pid_t pid, ident, m;
    int hp, hi;

    if (mpr_main(argc, argv) < 0 || mpr_process_new(&p, &o) < 0)
        return 1;
    hp = mpr_process_pid(p, &pid);
    hi = mpr_process_ident(p, &ident);
    printf("before start: %s %s\n", pid_str(hp, pid), pid_str(hi, ident));
    if (mpr_process_start(p) < 0)
        return 1;
    hp = mpr_process_pid(p, &pid);
    mpr_process_join(p, MPR_TIMEOUT_NONE);
    hi = mpr_process_ident(p, &ident);
    printf("after start: %s ident %s int\n", pid_str(hp, pid),
           pid_str(hi, ident));
    hp = mpr_process_pid(p, &pid);
    printf("after join: %s\n", pid_str(hp, pid));
    mpr_process_pid(mpr_current_process(), &m);
    printf("main pid: %d %d\n", (int)getpid(), (int)m);
    mpr_process_free(p);
    return 0;
}
