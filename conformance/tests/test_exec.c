/* test_exec.c - the supervisor on small shell commands: exit status, signal
 * names, the output cap, the exact environment, timeouts that kill the whole
 * group, leftover processes, /dev/shm leaks. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "exec.h"

static char *ENV[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                      "ONLY=this", NULL};

static int run_sh(const char *script, double timeout, int leaks,
                  mpc_exec_result_t *r)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    mpc_exec_opts_t o = {argv, ENV, "/", timeout, 0.3, 1, leaks, 0};
    return mpc_exec_run(&o, r);
}

static void test_status_and_output(void)
{
    mpc_exec_result_t r;
    CU_ASSERT_EQUAL(run_sh("echo out; echo err >&2; exit 3", 10, 0, &r), 0);
    CU_ASSERT_EQUAL(r.exit_status, 3);
    CU_ASSERT_STRING_EQUAL(r.out.s, "out\n");
    CU_ASSERT_STRING_EQUAL(r.err.s, "err\n");
    CU_ASSERT_FALSE(r.timed_out);
    CU_ASSERT_FALSE(r.truncated);
    mpc_exec_result_free(&r);
}

static void test_signal(void)
{
    mpc_exec_result_t r;
    run_sh("kill -SEGV $$", 10, 0, &r);
    CU_ASSERT_EQUAL(r.exit_status, -SIGSEGV);
    CU_ASSERT_STRING_EQUAL(mpc_signal_name(-r.exit_status), "SIGSEGV");
    CU_ASSERT_STRING_EQUAL(mpc_signal_name(SIGTERM), "SIGTERM");
    CU_ASSERT_STRING_EQUAL(mpc_signal_name(77), "signal 77");
    mpc_exec_result_free(&r);
}

static void test_environment_stdin_cwd(void)
{
    mpc_exec_result_t r;
    run_sh("env | sort; pwd; cat; echo end", 10, 0, &r);
    CU_ASSERT_STRING_EQUAL(
        r.out.s, "LANG=C.UTF-8\nONLY=this\nPATH=/usr/local/bin:/usr/bin:/bin\n"
                 "PWD=/\n/\nend\n");
    mpc_exec_result_free(&r);
}

static void test_cap(void)
{
    mpc_exec_result_t r;
    /* 3 MiB on stdout: 1 MiB kept, the rest read and dropped, the writer not
     * blocked */
    run_sh("head -c 3145728 /dev/zero | tr '\\0' x; echo done >&2", 20, 0, &r);
    CU_ASSERT_EQUAL(r.out.len, MPC_EXEC_CAP);
    CU_ASSERT_TRUE(r.truncated);
    CU_ASSERT_STRING_EQUAL(r.err.s, "done\n");
    CU_ASSERT_EQUAL(r.exit_status, 0);
    mpc_exec_result_free(&r);
}

static int alive(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char buf[256] = "";
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *rp = strrchr(buf, ')');
    return rp && rp[1] == ' ' && rp[2] != 'Z';
}

static void test_timeout_kills_group(void)
{
    mpc_exec_result_t r;
    double t0 = mpc_now();
    run_sh("sleep 30 & echo $!; sleep 30", 0.5, 1, &r);
    double t = mpc_now() - t0;
    CU_ASSERT_TRUE(r.timed_out);
    CU_ASSERT_TRUE(t < 3);
    int bg = atoi(r.out.s ? r.out.s : "0");
    CU_ASSERT_TRUE(bg > 0);
    CU_ASSERT_FALSE(alive(bg));
    CU_ASSERT_EQUAL(r.leaks.n, 0); /* a timeout is not also a leak */
    mpc_exec_result_free(&r);
}

static void test_leftover_process(void)
{
    mpc_exec_result_t r;
    /* the main shell exits at once, its child keeps the group alive */
    run_sh("sleep 30 >/dev/null 2>&1 & echo $!", 10, 1, &r);
    CU_ASSERT_EQUAL(r.exit_status, 0);
    CU_ASSERT_EQUAL_FATAL(r.leaks.n, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(r.leaks.v[0], "(sleep) still alive"));
    CU_ASSERT_FALSE(alive(atoi(r.out.s)));
    mpc_exec_result_free(&r);
    /* a child that ends within the grace period is no leak */
    run_sh("(sleep 0.1; echo late) & echo early", 10, 1, &r);
    CU_ASSERT_STRING_EQUAL(r.out.s, "early\nlate\n");
    CU_ASSERT_EQUAL(r.leaks.n, 0);
    mpc_exec_result_free(&r);
}

static void test_shm_leak(void)
{
    mpc_exec_result_t r;
    char script[128];
    snprintf(script, sizeof script, "echo x > /dev/shm/mpc-test-exec-%d",
             (int)getpid());
    run_sh(script, 10, 1, &r);
    char want[96];
    snprintf(want, sizeof want, "/dev/shm/mpc-test-exec-%d left behind",
             (int)getpid());
    CU_ASSERT_EQUAL_FATAL(r.leaks.n, 1);
    CU_ASSERT_EQUAL(strncmp(r.leaks.v[0], want, strlen(want)), 0);
    if (!r.shm_isolated) /* no namespace here: the file is in the real /dev/shm
                          */
        unlink(strchr(script, '/'));
    else
        CU_ASSERT_NOT_EQUAL(access(strchr(script, '/'), F_OK), 0);
    mpc_exec_result_free(&r);
}

static void test_not_found(void)
{
    char *argv[] = {"/nonexistent/prog", NULL};
    mpc_exec_opts_t o = {argv, ENV, NULL, 5, 0.1, 0, 0, 0};
    mpc_exec_result_t r;
    CU_ASSERT_EQUAL(mpc_exec_run(&o, &r), -1);
    CU_ASSERT(r.start_error != NULL &&
              strstr(r.start_error, "No such file") != NULL);
    mpc_exec_result_free(&r);
    char *argv2[] = {"no-such-command-here", NULL};
    o.argv = argv2;
    CU_ASSERT_EQUAL(mpc_exec_run(&o, &r), -1);
    CU_ASSERT(r.start_error != NULL &&
              strstr(r.start_error, "command not found") != NULL);
    mpc_exec_result_free(&r);
}

static int count_fds(void)
{
    int n = 0;
    for (int fd = 0; fd < 1024; fd++)
        if (fcntl(fd, F_GETFD) >= 0)
            n++;
    return n;
}

static void test_no_fd_leak(void)
{
    /* the supervisor itself leaks no descriptor, whatever the outcome */
    int before = count_fds();
    mpc_exec_result_t r;
    for (int i = 0; i < 5; i++) {
        run_sh("echo hi; sleep 30 >/dev/null 2>&1 &", 10, 1, &r);
        mpc_exec_result_free(&r);
        run_sh("sleep 30", 0.2, 1, &r);
        mpc_exec_result_free(&r);
    }
    CU_ASSERT_EQUAL(count_fds(), before);
}

int main(void)
{
    mpc_exec_init();
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("exec", NULL, NULL);
    CU_add_test(s, "exit status and streams", test_status_and_output);
    CU_add_test(s, "killed by a signal", test_signal);
    CU_add_test(s, "environment, stdin, cwd", test_environment_stdin_cwd);
    CU_add_test(s, "output cap", test_cap);
    CU_add_test(s, "timeout kills the group", test_timeout_kills_group);
    CU_add_test(s, "leftover processes", test_leftover_process);
    CU_add_test(s, "/dev/shm leak", test_shm_leak);
    CU_add_test(s, "command not found", test_not_found);
    CU_add_test(s, "no descriptor leaked", test_no_fd_leak);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned bad =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned n = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return bad || !n;
}
