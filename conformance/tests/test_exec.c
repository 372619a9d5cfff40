/* test_exec.c - the supervisor on small shell commands: exit status, signal
 * names, the output cap, the exact environment, timeouts that kill the whole
 * group, leftover processes, /dev/shm leaks. */
#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <CUnit/Basic.h>

#include "exec.h"

static char *ENV[] = {"PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8",
                      "ONLY=this", NULL};

/* 1: the runs ask for namespaces (they get them as root); 0: not.  The
 * suite runs once each way. */
static int ISOLATE = 1;

static int run_sh(const char *script, double timeout, int leaks,
                  mpc_exec_result_t *r)
{
    char *argv[] = {"sh", "-c", (char *)script, NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .cwd = "/",
                         .timeout = timeout,
                         .grace = 0.3,
                         .isolate_shm = ISOLATE,
                         .check_leaks = leaks};
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

/* buffering: tty -- stdout a terminal in raw mode (lines as written, no
 * "\r\n"), stderr still a pipe, and everything written before the last
 * process ends is read: the master's EIO is its end of file. */
static void test_tty_stdout(void)
{
    char *argv[] = {"sh", "-c",
                    "test -t 1 && echo tty; test -t 2 || echo pipe >&2; "
                    "(sleep 0.2; echo late) &",
                    NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .cwd = "/",
                         .timeout = 10,
                         .grace = 2,
                         .isolate_shm = ISOLATE,
                         .tty_stdout = 1};
    mpc_exec_result_t r;
    CU_ASSERT_EQUAL(mpc_exec_run(&o, &r), 0);
    CU_ASSERT_STRING_EQUAL(r.out.s, "tty\nlate\n");
    CU_ASSERT_STRING_EQUAL(r.err.s, "pipe\n");
    CU_ASSERT_EQUAL(r.exit_status, 0);
    CU_ASSERT_PTR_NULL(r.start_error);
    mpc_exec_result_free(&r);
    /* without it, a pipe */
    o.tty_stdout = 0;
    CU_ASSERT_EQUAL(mpc_exec_run(&o, &r), 0);
    CU_ASSERT_STRING_EQUAL(r.out.s, "late\n");
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

/* Is a live (not zombie) process running with the argument arg?  (The
 * pids a case prints are its namespace's, not the runner's.) */
static int alive_arg(const char *arg)
{
    DIR *d = opendir("/proc");
    struct dirent *e;
    int found = 0;
    while (d && !found && (e = readdir(d)) != NULL) {
        char path[300], buf[4096];
        snprintf(path, sizeof path, "/proc/%.32s/cmdline", e->d_name);
        FILE *f = fopen(path, "r");
        if (!f)
            continue;
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = '\0';
        for (size_t i = 0; i < n && !found; i += strlen(buf + i) + 1)
            found = strcmp(buf + i, arg) == 0;
        snprintf(path, sizeof path, "/proc/%.32s/stat", e->d_name);
        f = found ? fopen(path, "r") : NULL;
        if (f) {
            n = fread(buf, 1, sizeof buf - 1, f);
            buf[n] = '\0';
            fclose(f);
            char *rp = strrchr(buf, ')');
            found = rp && rp[1] == ' ' && rp[2] != 'Z';
        }
    }
    if (d)
        closedir(d);
    return found;
}

static void test_timeout_kills_group(void)
{
    mpc_exec_result_t r;
    double t0 = mpc_now();
    run_sh("sleep 30.011 & echo $!; sleep 30", 0.5, 1, &r);
    double t = mpc_now() - t0;
    CU_ASSERT_TRUE(r.timed_out);
    CU_ASSERT_TRUE(t < 3);
    int bg = atoi(r.out.s ? r.out.s : "0");
    CU_ASSERT_TRUE(bg > 0);
    CU_ASSERT_FALSE(alive_arg("30.011"));
    CU_ASSERT_EQUAL(r.leaks.n, 0); /* a timeout is not also a leak */
    mpc_exec_result_free(&r);
}

static void test_leftover_process(void)
{
    mpc_exec_result_t r;
    /* the main shell exits at once, its child keeps the group alive */
    run_sh("sleep 30.012 >/dev/null 2>&1 & echo $!", 10, 1, &r);
    CU_ASSERT_EQUAL(r.exit_status, 0);
    CU_ASSERT_EQUAL_FATAL(r.leaks.n, 1);
    char want[64];
    snprintf(want, sizeof want, "process %d (sleep) still alive",
             atoi(r.out.s));
    CU_ASSERT_STRING_EQUAL(r.leaks.v[0], want); /* the pid the case knows */
    CU_ASSERT_FALSE(alive_arg("30.012"));
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
    mpc_exec_opts_t o = {.argv = argv, .envp = ENV, .timeout = 5, .grace = 0.1};
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

static int run_py(const char *script, const char *arg, mpc_exec_result_t *r)
{
    char *argv[] = {"python3", "-c", (char *)script, (char *)arg, NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .cwd = "/",
                         .timeout = 20,
                         .grace = 0.3,
                         .isolate_shm = ISOLATE,
                         .check_leaks = 1};
    return mpc_exec_run(&o, r);
}

static void test_runner_group(void)
{
    /* A child moves into the process group of its parent's parent: the
     * runner's own group when the case shares the runner's session, and
     * the runner once skipped its own group in the escapee scan (issue 21:
     * the cell read pass, the process lived on). */
    static const char script[] =
        "import os, sys\n"
        "pg = os.getpgid(os.getppid())\n"
        "r, w = os.pipe()\n"
        "if os.fork() == 0:\n"
        "    try:\n"
        "        os.setpgid(0, pg)\n"
        "    except OSError:\n"
        "        pass\n"
        "    os.close(1)\n"
        "    os.close(2)\n"
        "    os.execvp('sleep', ['sleep', sys.argv[1]])\n"
        "os.close(w)\n"
        "os.read(r, 1)\n"
        "print('started')\n";
    mpc_exec_result_t r;
    run_py(script, "30.013", &r);
    CU_ASSERT_STRING_EQUAL(r.out.s, "started\n");
    CU_ASSERT_EQUAL(r.leaks.n, 1);
    CU_ASSERT(r.leaks.n && strstr(r.leaks.v[0], "(sleep)") != NULL);
    CU_ASSERT_FALSE(alive_arg("30.013"));
    mpc_exec_result_free(&r);
}

static void test_fork_loop(void)
{
    /* An escapee that forks and exits in a loop, a new pid (and session)
     * each time: still reported, and killed. */
    static const char script[] = "import os, sys\n"
                                 "if os.fork() == 0:\n"
                                 "    os.setsid()\n"
                                 "    os.close(1)\n"
                                 "    os.close(2)\n"
                                 "    while True:\n"
                                 "        if os.fork() != 0:\n"
                                 "            os._exit(0)\n"
                                 "        try:\n"
                                 "            os.setsid()\n"
                                 "        except OSError:\n"
                                 "            pass\n"
                                 "print('looping')\n";
    mpc_exec_result_t r;
    run_py(script, "fork-loop-4711", &r);
    CU_ASSERT_STRING_EQUAL(r.out.s, "looping\n");
    CU_ASSERT(r.leaks.n >= 1);
    for (size_t i = 0; i < r.leaks.n; i++)
        CU_ASSERT_PTR_NOT_NULL(
            strstr(r.leaks.v[i], "left its process group and was still alive"));
    CU_ASSERT_FALSE(alive_arg("fork-loop-4711"));
    mpc_exec_result_free(&r);
}

static void test_shm_limit(void)
{
    char *argv[] = {"sh", "-c",
                    "head -c 2097152 /dev/zero > /dev/shm/big || echo full",
                    NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .timeout = 10,
                         .grace = 0.1,
                         .isolate_shm = ISOLATE,
                         .check_leaks = 1,
                         .shm_size = 1024 * 1024};
    mpc_exec_result_t r;
    mpc_exec_run(&o, &r);
    if (!r.shm_isolated) { /* no private /dev/shm: no limit either */
        unlink("/dev/shm/big");
        mpc_exec_result_free(&r);
        return;
    }
    CU_ASSERT_STRING_EQUAL(r.out.s, "full\n");
    CU_ASSERT_PTR_NOT_NULL(strstr(r.err.s, "No space left on device"));
    CU_ASSERT_TRUE(r.shm_full);
    CU_ASSERT_EQUAL(r.shm_size, 1024 * 1024);
    mpc_exec_result_free(&r);
    /* half of it is no hit; the default is MPC_EXEC_SHM_SIZE */
    argv[2] = "head -c 524288 /dev/zero > /dev/shm/half";
    mpc_exec_run(&o, &r);
    CU_ASSERT_FALSE(r.shm_full);
    mpc_exec_result_free(&r);
    o.shm_size = 0;
    mpc_exec_run(&o, &r);
    CU_ASSERT_EQUAL(r.shm_size, MPC_EXEC_SHM_SIZE);
    mpc_exec_result_free(&r);
}

static void test_pid_namespace(void)
{
    /* as root the case is PID 2 of its own namespace (not PID 1, which
     * would ignore its own SIGTERM), with its own /proc */
    mpc_exec_result_t r;
    run_sh("echo $$; kill -TERM $$", 10, 1, &r);
    CU_ASSERT_EQUAL(r.exit_status, -SIGTERM);
    if (r.pid_ns)
        CU_ASSERT_STRING_EQUAL(r.out.s, "2\n");
    CU_ASSERT_EQUAL(r.pid_ns, ISOLATE && !mpc_exec_no_namespace());
    mpc_exec_result_free(&r);
}

/* With a PID namespace, a network namespace: an abstract AF_UNIX name the
 * runner holds is free inside (CPython 3.9.2's Listener names repeat across
 * cases, whose pids repeat), and TCP on localhost works (loopback up).
 * Without one, the runner's name is in use. */
static void test_net_namespace(void)
{
    static const char script[] =
        "import socket, sys\n"
        "u = socket.socket(socket.AF_UNIX)\n"
        "try:\n"
        "    u.bind(sys.argv[1].replace('@', '\\0'))\n"
        "    print('abstract: free')\n"
        "except OSError as e:\n"
        "    print('abstract:', e.strerror)\n"
        "u.close()\n"
        "s = socket.create_server(('localhost', 0))\n"
        "c = socket.create_connection(s.getsockname())\n"
        "a, _ = s.accept()\n"
        "c.sendall(b'tcp: ok')\n"
        "print(a.recv(16).decode())\n"
        "for x in (a, c, s):\n"
        "    x.close()\n";
    char name[64];
    snprintf(name, sizeof name, "@mpc-test-net-%d", (int)getpid());
    struct sockaddr_un sa = {.sun_family = AF_UNIX};
    memcpy(sa.sun_path + 1, name + 1, strlen(name) - 1);
    socklen_t len =
        (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
    int held = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    CU_ASSERT_FATAL(held >= 0);
    CU_ASSERT_EQUAL_FATAL(bind(held, (struct sockaddr *)&sa, len), 0);
    char *argv[] = {"python3", "-c", (char *)script, name, NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .cwd = "/",
                         .timeout = 20,
                         .grace = 0.3,
                         .isolate_shm = ISOLATE,
                         .check_leaks = 1};
    mpc_exec_result_t r;
    CU_ASSERT_EQUAL(mpc_exec_run(&o, &r), 0);
    CU_ASSERT_EQUAL(r.exit_status, 0);
    CU_ASSERT_STRING_EQUAL(r.out.s, r.pid_ns ? "abstract: free\ntcp: ok\n"
                                             : "abstract: Address already in "
                                               "use\ntcp: ok\n");
    if (strcmp(r.err.s, "") != 0)
        fprintf(stderr, "stderr: %s\n", r.err.s);
    mpc_exec_result_free(&r);
    close(held);
}

/* The static root_probe (argv[1]): a root of a few folders holds it. */
static const char *ROOT_PROBE;

static char *write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
    return f ? (char *)path : NULL;
}

static int copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_CREAT, 0755);
    char buf[65536];
    ssize_t n = 0;
    while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof buf)) > 0)
        if (write(out, buf, (size_t)n) != n)
            n = -1;
    int ok = in >= 0 && out >= 0 && n == 0;
    if (in >= 0)
        close(in);
    if (out >= 0)
        close(out);
    return ok ? 0 : -1;
}

static void test_root(void)
{
    if (!ROOT_PROBE) {
        CU_FAIL("no root_probe given (argv[1])");
        return;
    }
    /* a root: bin/probe, etc/ with its marker, mnt/ for the overlay, and
     * proc/, dev/, tmp/; a folder of the host bound in it, the cwd */
    char root[] = "/tmp/mpc-test-root-XXXXXX";
    char bound[] = "/tmp/mpc-test-bound-XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(root));
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(bound));
    const char *dirs[] = {"bin", "etc", "mnt", "proc", "dev", "tmp"};
    char path[256], leak[64];
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
    }
    snprintf(path, sizeof path, "%s/bin/probe", root);
    CU_ASSERT_EQUAL(copy_file(ROOT_PROBE, path), 0);
    snprintf(path, sizeof path, "%s/etc/mpconform-test-root", root);
    CU_ASSERT_PTR_NOT_NULL(write_file(path, "the test root\n"));
    snprintf(path, sizeof path, "%s/bound-file", bound);
    CU_ASSERT_PTR_NOT_NULL(write_file(path, "seen from inside\n"));
    snprintf(leak, sizeof leak, "mpc-test-root-%d", (int)getpid());

    char *argv[] = {"/bin/probe", leak, NULL};
    char *binds[] = {bound, NULL};
    mpc_exec_opts_t o = {.argv = argv,
                         .envp = ENV,
                         .cwd = bound,
                         .timeout = 10,
                         .grace = 0.3,
                         .isolate_shm = ISOLATE,
                         .check_leaks = 1,
                         .root = root,
                         .binds = binds};
    mpc_exec_result_t r;
    int rc = mpc_exec_run(&o, &r);
    if (mpc_exec_no_root()) {
        /* not root: said so, nothing run */
        CU_ASSERT_EQUAL(rc, -1);
        CU_ASSERT(r.start_error &&
                  strstr(r.start_error, "needs a mount namespace"));
    } else {
        CU_ASSERT_EQUAL(rc, 0);
        if (r.start_error)
            fprintf(stderr, "start error: %s\n", r.start_error);
        char want[512];
        snprintf(want, sizeof want,
                 "marker: the test root\nbound: seen from inside\n"
                 "pid: %s\nproc: yes\ndev/null: yes\ntmp: yes\nshm: yes\n",
                 r.pid_ns                   ? "2"
                 : strstr(r.out.s, "pid: ") ? ""
                                            : "?");
        if (!r.pid_ns) { /* the host's pid: not checked */
            char *p = strstr(r.out.s, "pid: ");
            CU_ASSERT_PTR_NOT_NULL_FATAL(p);
            size_t k = strcspn(p + 5, "\n");
            memmove(p + 5, p + 5 + k, strlen(p + 5 + k) + 1);
        }
        CU_ASSERT_STRING_EQUAL(r.out.s, want);
        CU_ASSERT_EQUAL(r.exit_status, 0);
        /* the /dev/shm entry it left is found (in its private one, or in
         * the host's, where it is removed) */
        snprintf(want, sizeof want, "/dev/shm/%s left behind", leak);
        CU_ASSERT_EQUAL_FATAL(r.leaks.n, 1);
        CU_ASSERT_EQUAL(strncmp(r.leaks.v[0], want, strlen(want)), 0);
        if (!r.shm_isolated) {
            snprintf(path, sizeof path, "/dev/shm/%s", leak);
            unlink(path);
        }
        /* the root's folder is unchanged: no /tmp file, nothing in mnt/,
         * no mount point made for the bound folder */
        snprintf(path, sizeof path, "%s/tmp/written-inside", root);
        CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/mnt/merged", root);
        CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
        snprintf(path, sizeof path, "%s/tmp/%s", root, bound + 5);
        CU_ASSERT_NOT_EQUAL(access(path, F_OK), 0);
    }
    mpc_exec_result_free(&r);

    /* a root without /mnt cannot hold its overlay: a start error that
     * names the step */
    snprintf(path, sizeof path, "%s/mnt", root);
    rmdir(path);
    rc = mpc_exec_run(&o, &r);
    CU_ASSERT_EQUAL(rc, -1);
    CU_ASSERT(r.start_error && strstr(r.start_error, "cannot enter the root"));
    if (!mpc_exec_no_root())
        CU_ASSERT(r.start_error && strstr(r.start_error, "tmpfs on its /mnt"));
    mpc_exec_result_free(&r);

    const char *files[] = {"bin/probe", "etc/mpconform-test-root"};
    for (size_t i = 0; i < 2; i++) {
        snprintf(path, sizeof path, "%s/%s", root, files[i]);
        unlink(path);
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        snprintf(path, sizeof path, "%s/%s", root, dirs[i]);
        rmdir(path);
    }
    CU_ASSERT_EQUAL(rmdir(root), 0);
    snprintf(path, sizeof path, "%s/bound-file", bound);
    unlink(path);
    CU_ASSERT_EQUAL(rmdir(bound), 0);
}

int main(int argc, char **argv)
{
    ROOT_PROBE = argc > 1 ? argv[1] : NULL;
    mpc_exec_init();
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 1;
    CU_pSuite s = CU_add_suite("exec", NULL, NULL);
    CU_add_test(s, "exit status and streams", test_status_and_output);
    CU_add_test(s, "killed by a signal", test_signal);
    CU_add_test(s, "stdout a terminal", test_tty_stdout);
    CU_add_test(s, "environment, stdin, cwd", test_environment_stdin_cwd);
    CU_add_test(s, "output cap", test_cap);
    CU_add_test(s, "timeout kills the group", test_timeout_kills_group);
    CU_add_test(s, "leftover processes", test_leftover_process);
    CU_add_test(s, "/dev/shm leak", test_shm_leak);
    CU_add_test(s, "command not found", test_not_found);
    CU_add_test(s, "no descriptor leaked", test_no_fd_leak);
    CU_add_test(s, "a process in the runner's group", test_runner_group);
    CU_add_test(s, "an escapee forking in a loop", test_fork_loop);
    CU_add_test(s, "/dev/shm size limit", test_shm_limit);
    CU_add_test(s, "PID namespace", test_pid_namespace);
    CU_add_test(s, "a network namespace", test_net_namespace);
    CU_add_test(s, "inside a root", test_root);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    /* once with namespaces (as root), once as an unprivileged runner */
    CU_basic_run_tests();
    unsigned bad =
        CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    unsigned n = CU_get_number_of_tests_run();
    printf("\n--- again without namespaces\n");
    ISOLATE = 0;
    CU_basic_run_tests();
    bad += CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    n += CU_get_number_of_tests_run();
    CU_cleanup_registry();
    return bad || !n;
}
