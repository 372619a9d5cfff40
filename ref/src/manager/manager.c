/*
 * manager.c - SyncManager and its proxies (CPython 3.11's
 * multiprocessing.managers.BaseManager/SyncManager and BaseProxy): start
 * binds the listener in the parent and hands it to the server process
 * (pass_fds), so the address is known at once and connections wait in the
 * backlog until the server accepts; shutdown as _finalize_manager.
 * Per-process state only.
 */
#include "mpr/manager.h"
#include "manager/manager_internal.h"
#include "base/finalize.h"
#include "process/target.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

MPR_TARGET(mpr__mgr_serve)

static unsigned char *dup_key(const void *key, size_t len)
{
    unsigned char *k = mpr__sys.malloc(len ? len : 1);

    if (k != NULL && len > 0)
        memcpy(k, key, len);
    return k;
}

/* ---- Manager ---------------------------------------------------------- */

int mpr_manager_new(mpr_manager_t **out, const mpr_manager_options_t *opts)
{
    mpr_manager_options_t none = {0};
    const void *key;
    size_t keylen;
    mpr_manager_t *m;

    mpr__finalize_init(); /* managers imports util: atexit order as CPython */
    if (opts == NULL)
        opts = &none;
    if (opts->port < 0 || opts->port > 65535)
        return mpr__error(MPR_EOVERFLOW, "bind(): port must be 0-65535.");
    if (opts->host != NULL && strlen(opts->host) >= sizeof(m->addr.host))
        return mpr__error(MPR_EVALUE, "host name too long");
    if (opts->path != NULL && strlen(opts->path) >= sizeof(m->addr.path))
        return mpr__error(MPR_EVALUE, "AF_UNIX path too long");
    key = opts->authkey;
    keylen = opts->authkey_len;
    if (key == NULL)
        key = mpr_process_authkey(mpr_current_process(), &keylen);
    if ((m = mpr__sys.calloc(1, sizeof(*m))) == NULL ||
        (m->key = dup_key(key, keylen)) == NULL) {
        free(m);
        return MPR__ERR(ENOMEM);
    }
    m->keylen = keylen;
    m->addr.family = opts->host && !opts->path ? AF_INET : AF_UNIX;
    if (opts->path != NULL)
        strcpy(m->addr.path, opts->path);
    else if (opts->host != NULL)
        strcpy(m->addr.host, opts->host);
    m->addr.port = opts->port;
    *out = m;
    return 0;
}

/* prefix + 8 characters of tempfile's alphabet into buf. */
static void random_name(char *buf, size_t size, const char *prefix)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
    unsigned char r[8];
    size_t n = strlen(prefix);

    if (getentropy(r, sizeof(r)) < 0) /* cannot fail for 8 bytes on Linux */
        memset(r, 0, sizeof(r));
    snprintf(buf, size, "%s", prefix);
    for (size_t i = 0; i < sizeof(r) && n + i + 1 < size; i++) {
        buf[n + i] = alphabet[r[i] % 37];
        buf[n + i + 1] = '\0';
    }
}

/* posixpath.normpath of the absolute path in buf, in place: no ".",
 * "..", repeated or trailing slash (two leading slashes stay, as POSIX
 * leaves their meaning open). */
static void normpath(char *buf)
{
    size_t lead = buf[0] == '/' && buf[1] == '/' && buf[2] != '/' ? 2 : 1;
    char *out = buf + lead, *in = buf + lead;

    while (*in != '\0') {
        char *seg = in;
        size_t n;
        while (*in != '\0' && *in != '/')
            in++;
        n = (size_t)(in - seg);
        if (*in == '/')
            in++;
        if (n == 0 || (n == 1 && seg[0] == '.'))
            continue;
        if (n == 2 && seg[0] == '.' && seg[1] == '.') {
            /* back to the previous slash, never above the root */
            while (out > buf + lead && *--out != '/')
                ;
            continue;
        }
        if (out > buf + lead)
            *out++ = '/';
        memmove(out, seg, n);
        out += n;
    }
    *out = '\0';
}

/* tempfile.gettempdir(), which util.get_temp_dir() creates its pymp-
 * folder in: the first of $TMPDIR, $TEMP, $TMP, /tmp, /var/tmp, /usr/tmp
 * and the current folder that is a folder this process can write to,
 * made absolute and normalised.  (tempfile proves it can write by
 * creating a file; access() asks the same question of the kernel.)
 * Returns 0, or -1 when the name does not fit in size. */
static int temp_dir(char *buf, size_t size)
{
    const char *cand[7] = {getenv("TMPDIR"),
                           getenv("TEMP"),
                           getenv("TMP"),
                           "/tmp",
                           "/var/tmp",
                           "/usr/tmp",
                           "."};
    char cwd[4096];
    struct stat st;

    for (size_t i = 0; i < sizeof(cand) / sizeof(cand[0]); i++) {
        const char *d = cand[i];
        int n;
        if (d == NULL || d[0] == '\0')
            continue;
        if (d[0] == '/')
            n = snprintf(buf, size, "%s", d);
        else if (getcwd(cwd, sizeof(cwd)) != NULL)
            n = snprintf(buf, size, "%s/%s", cwd, d);
        else
            continue;
        if (n < 0 || (size_t)n >= size)
            return -1;
        normpath(buf);
        if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode) &&
            access(buf, W_OK | X_OK) == 0)
            return 0;
    }
    /* tempfile raises FileNotFoundError; mkdir below reports ENOENT */
    snprintf(buf, size, "/tmp");
    return 0;
}

/* Listener(address, backlog=16): binds and listens; fills the address. */
static int listen_on(mpr_manager_t *m)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct sockaddr_in in;
    struct addrinfo *res = NULL;
    socklen_t len = sizeof(in);
    int fd, one = 1, rc;

    if (m->addr.family == AF_UNIX) {
        /* tempfile.mkdtemp(prefix='pymp-') and mktemp(prefix='listener-'):
         * 8 characters of tempfile's alphabet each, in tempfile's folder
         * ($TMPDIR first); or the path given */
        char prefix[sizeof(m->dir)];
        /* the socket path must fit: "<dir>/pymp-XXXXXXXX/listener-XXXXXXXX" */
        if (m->addr.path[0] == '\0' &&
            (temp_dir(prefix, sizeof(prefix)) < 0 ||
             strlen(prefix) + 33 > sizeof(m->addr.path)))
            return mpr__error(MPR__ERR(ENAMETOOLONG), "AF_UNIX path too long");
        if (m->addr.path[0] == '\0')
            strcat(prefix, strcmp(prefix, "/") == 0 ? "pymp-" : "/pymp-");
        for (int tries = 0; m->addr.path[0] == '\0'; tries++) {
            random_name(m->dir, sizeof(m->dir), prefix);
            if (mpr__sys.mkdir(m->dir, 0700) == 0) {
                snprintf(m->addr.path, sizeof(m->addr.path), "%s/", m->dir);
                random_name(m->addr.path + strlen(m->addr.path),
                            sizeof(m->addr.path) - strlen(m->addr.path),
                            "listener-");
                break;
            }
            if (errno != EEXIST || tries == 100) {
                m->dir[0] = '\0';
                return mpr__oserror();
            }
        }
        memcpy(un.sun_path, m->addr.path, sizeof(m->addr.path));
        if ((fd = mpr__sys.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
            return mpr__oserror();
        rc = mpr__sys.bind(fd, (struct sockaddr *)&un, sizeof(un));
        m->bound_path = rc == 0 && m->dir[0] == '\0';
    } else {
        if ((rc = mpr__maddr_resolve(&m->addr, &res)) != 0)
            return mpr__error(MPR__ERR(ENOENT), "[Errno %d] %s", rc,
                              gai_strerror(rc));
        if ((fd = mpr__sys.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) <
            0) {
            freeaddrinfo(res);
            return mpr__oserror();
        }
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
        rc = mpr__sys.bind(fd, res->ai_addr, res->ai_addrlen);
        freeaddrinfo(res);
    }
    if (rc < 0 || mpr__sys.listen(fd, 16) < 0 ||
        (m->addr.family == AF_INET &&
         getsockname(fd, (struct sockaddr *)&in, &len) < 0)) {
        rc = mpr__oserror();
        mpr__sys.close(fd);
        return rc;
    }
    if (m->addr.family == AF_INET) {
        inet_ntop(AF_INET, &in.sin_addr, m->addr.host, sizeof(m->addr.host));
        m->addr.port = ntohs(in.sin_port);
    }
    return fd;
}

static void remove_socket(mpr_manager_t *m)
{
    if (m->bound_path) { /* the Listener's finalizer unlinks its path */
        unlink(m->addr.path);
        m->bound_path = 0;
    }
    if (m->dir[0] == '\0')
        return;
    unlink(m->addr.path);
    rmdir(m->dir);
    m->dir[0] = '\0';
}

static void finalize(void *arg)
{
    mpr_manager_t *m = arg;

    m->fin = 0; /* the exit handler runs it once and forgets it */
    mpr_manager_shutdown(m);
}

int mpr_manager_start(mpr_manager_t *m)
{
    mpr_process_options_t o = {.target = mpr__mgr_serve};
    mpr_obj_t *args = NULL;
    char name[64];
    const char *dflt, *dash;
    int fd, rc;

    if (m->state == MPR__MGR_STARTED)
        return mpr__error(MPR_EASSERT, "Already started server");
    if (m->state == MPR__MGR_SHUTDOWN)
        return mpr__error(MPR_EASSERT, "Manager has shut down");
    if ((fd = listen_on(m)) < 0) {
        remove_socket(m);
        return fd;
    }
    args = mpr_obj_tuple_steal(2, mpr_obj_int(fd),
                               mpr_obj_bytes(m->key, m->keylen));
    o.args = args;
    o.pass_fds = &fd;
    o.n_pass_fds = 1;
    if (args == NULL)
        rc = mpr_last_error();
    else if ((rc = mpr_process_new(&m->process, &o)) == 0) {
        /* start() renames it type(self).__name__ + '-' + identity. */
        dflt = mpr_process_name(m->process);
        dash = strchr(dflt, '-');
        snprintf(name, sizeof(name), "SyncManager%s", dash ? dash : "");
        if ((rc = mpr_process_set_name(m->process, name)) == 0)
            rc = mpr_process_start(m->process);
    }
    mpr_obj_decref(args);
    /* The server has its own copy; ours would keep it alive. */
    mpr__sys.close(fd);
    if (rc < 0) {
        mpr_process_free(m->process);
        m->process = NULL;
        remove_socket(m);
        return rc;
    }
    m->state = MPR__MGR_STARTED;
    /* BaseManager.start's Finalize(self, _finalize_manager, exitpriority=0):
     * a program that never shuts the manager down still ends (the exit
     * handler would otherwise join the server for ever). */
    m->fin = mpr__finalize_register(0, finalize, m);
    return 0;
}

int mpr_manager_connect(mpr_manager_t *m)
{
    mpr_conn_t *c;
    int rc;

    if ((rc = mpr__mgr_client(&m->addr, m->key, m->keylen, &c)) < 0)
        return rc;
    rc = mpr__mgr_dispatch(c, NULL, "dummy", NULL, NULL, NULL);
    mpr_conn_free(c);
    if (rc == 0)
        m->state = MPR__MGR_STARTED;
    return rc;
}

int mpr_manager_shutdown(mpr_manager_t *m)
{
    mpr_conn_t *c;

    if (m->state != MPR__MGR_STARTED || m->process == NULL)
        return 0;
    if (m->fin > 0) {
        mpr__finalize_cancel(m->fin);
        m->fin = 0;
    }
    if (mpr_process_is_alive(m->process) == 1 &&
        mpr__mgr_client(&m->addr, m->key, m->keylen, &c) == 0) {
        mpr__mgr_dispatch(c, NULL, "shutdown", NULL, NULL, NULL);
        mpr_conn_free(c);
    }
    mpr_process_join(m->process, 1.0);
    if (mpr_process_is_alive(m->process) == 1) {
        mpr_process_terminate(m->process);
        mpr_process_join(m->process, 0.1);
        if (mpr_process_is_alive(m->process) == 1) {
            mpr_process_kill(m->process);
            mpr_process_join(m->process, MPR_TIMEOUT_NONE);
        }
    }
    remove_socket(m);
    m->state = MPR__MGR_SHUTDOWN;
    return 0;
}

int mpr_manager_enter(mpr_manager_t *m)
{
    int rc;

    if (m->state == MPR__MGR_INITIAL && (rc = mpr_manager_start(m)) < 0)
        return rc;
    /* BaseManager.__enter__ refuses a manager that is not serving: `with`
     * on one already shut down raises ProcessError. */
    if (m->state == MPR__MGR_SHUTDOWN)
        return mpr__error(MPR_EASSERT, "Manager has shut down");
    return 0;
}

int mpr_manager_exit(mpr_manager_t *m)
{
    return mpr_manager_shutdown(m);
}

void mpr_manager_free(mpr_manager_t *m)
{
    if (m == NULL)
        return;
    mpr_manager_shutdown(m);
    mpr__mgr_forget_connection(&m->addr);
    mpr_process_free(m->process);
    free(m->key);
    free(m);
}

int mpr_manager_address(const mpr_manager_t *m, mpr_obj_t **out)
{
    return (*out = mpr__maddr_obj(&m->addr)) ? 0 : mpr_last_error();
}

mpr_process_t *mpr_manager_process(const mpr_manager_t *m)
{
    return m->process;
}

mpr_obj_t *mpr_manager_action(mpr_target_t fn, const mpr_obj_t *args)
{
    const char *name = mpr__target_name((void (*)(void))fn);

    if (name == NULL) {
        mpr__error(MPR_EVALUE, "the action is not registered (MPR_TARGET)");
        return NULL;
    }
    return mpr_obj_tuple_steal(3, mpr_obj_str("mpr.target"), mpr_obj_str(name),
                               args ? mpr_obj_incref((mpr_obj_t *)args)
                                    : mpr_obj_tuple(0));
}

mpr_obj_t *mpr_manager_func(mpr_pool_func_t fn)
{
    const char *name = mpr__target_name((void (*)(void))fn);

    if (name == NULL) {
        mpr__error(MPR_EVALUE, "the function is not registered (MPR_TARGET)");
        return NULL;
    }
    return mpr_obj_tuple_steal(3, mpr_obj_str("mpr.target"), mpr_obj_str(name),
                               mpr_obj_tuple(0));
}
