/*
 * connection_listener.c - multiprocessing.connection.Listener and Client
 * over sockets (CPython 3.11's SocketListener and SocketClient): AF_INET
 * addresses (host, port) and AF_UNIX paths, the optional authkey
 * handshake, and Connections over the accepted and connected sockets.
 *
 * Every socket is blocking, whatever else the program does, as CPython's
 * setblocking(True) makes them whatever socket.setdefaulttimeout() says
 * (TestTimeouts.test_timeout); close-on-exec, as every descriptor here.
 */
#include "mpr/connection.h"
#include "base/internal.h"
#include "base/io.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

struct mpr_listener_s {
    int fd;        /* the listening socket; -1 once closed */
    int family;    /* AF_INET or AF_UNIX */
    char host[64]; /* AF_INET: the bound address, numeric */
    int port;
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)]; /* AF_UNIX */
    char dir[sizeof(((struct sockaddr_un *)0)->sun_path)];  /* made here */
    unsigned char *key; /* authkey; NULL: None */
    size_t keylen;
};

/* An address as Python's address_type() reads it, and its parts:
 * ('host', port) is AF_INET, a str AF_UNIX; family (NULL: the address's,
 * else AF_UNIX) wins, and a socket of that family then refuses the other
 * kind of address with socket's TypeError.  what: "bind" or "connect". */
static int parse_address(const mpr_obj_t *address, const char *family,
                         const char *what, int *out, const char **host,
                         int64_t *port, const char **path)
{
    int fam = 0;
    char *r = NULL;

    if (address != NULL && mpr_obj_type(address) == MPR_OBJ_TUPLE &&
        mpr_obj_len(address) == 2 &&
        mpr_obj_type(mpr_obj_item(address, 0)) == MPR_OBJ_STR &&
        mpr_obj_type(mpr_obj_item(address, 1)) == MPR_OBJ_INT) {
        fam = AF_INET;
        *host = mpr_obj_str_utf8(mpr_obj_item(address, 0), NULL);
        *port = mpr_obj_int_value(mpr_obj_item(address, 1));
    } else if (address != NULL && mpr_obj_type(address) == MPR_OBJ_STR) {
        fam = AF_UNIX;
        *path = mpr_obj_str_utf8(address, NULL);
    } else if (address != NULL) {
        int rc = mpr_obj_repr(address, &r, NULL);
        if (rc < 0)
            return rc;
        rc = mpr__error(MPR_ETYPE, "address type of %s unrecognized", r);
        mpr_free(r);
        return rc;
    }
    if (family != NULL) {
        int want = strcmp(family, "AF_INET") == 0   ? AF_INET
                   : strcmp(family, "AF_UNIX") == 0 ? AF_UNIX
                                                    : 0;
        if (want == 0 && address == NULL)
            return mpr__error(MPR_EVALUE, "unrecognized family");
        if (want == 0)
            return mpr__error(MPR_EVALUE, "Family %s is not recognized.",
                              family);
        if (fam == AF_INET && want == AF_UNIX)
            return mpr__error(MPR_ETYPE, "a bytes-like object is required, "
                                         "not 'tuple'");
        if (fam == AF_UNIX && want == AF_INET)
            return mpr__error(MPR_ETYPE,
                              "%s(): AF_INET address must be tuple, not str",
                              what);
        fam = want;
    }
    /* default_family: 'AF_UNIX' where it exists */
    *out = fam != 0 ? fam : AF_UNIX;
    return 0;
}

static int resolve(const char *host, int64_t port, int passive,
                   struct addrinfo **res)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    char service[16];
    int rc;

    if (port < 0 || port > 65535)
        return mpr__error(MPR_EOVERFLOW, "%s(): port must be 0-65535.",
                          passive ? "bind" : "connect");
    snprintf(service, sizeof service, "%d", (int)port);
    if (host[0] == '\0') /* '': INADDR_ANY, as socket's setipaddr */
        hints.ai_flags = AI_PASSIVE;
    rc = getaddrinfo(host[0] ? host : NULL, service, &hints, res);
    if (rc != 0)
        return mpr__error(MPR__ERR(rc == EAI_SYSTEM ? errno : ENOENT),
                          "[Errno %d] %s", rc, gai_strerror(rc));
    return 0;
}

/* arbitrary_address('AF_UNIX'): a new private folder in $TMPDIR (or
 * /tmp) and a socket name in it, both removed by close() */
static int unix_arbitrary(mpr_listener_t *l)
{
    const char *tmp = getenv("TMPDIR");
    char name[32];
    uint64_t r;

    if (tmp == NULL || tmp[0] != '/')
        tmp = "/tmp";
    if ((size_t)snprintf(l->dir, sizeof l->dir, "%s/pymp-XXXXXX", tmp) >=
            sizeof l->dir ||
        mkdtemp(l->dir) == NULL) {
        int rc = errno == 0 ? MPR__ERR(ENAMETOOLONG) : mpr__oserror();
        l->dir[0] = '\0';
        return mpr__error(rc, "AF_UNIX path too long");
    }
    if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
        r = (uint64_t)getpid();
    snprintf(name, sizeof name, "/listener-%08x", (unsigned)r);
    if (strlen(l->dir) + strlen(name) >= sizeof l->path)
        return mpr__error(MPR__ERR(ENAMETOOLONG), "AF_UNIX path too long");
    strcpy(l->path, l->dir); /* fits: checked above */
    strcat(l->path, name);
    return 0;
}

static int copy_key(mpr_listener_t *l, const void *key, size_t len)
{
    if (key == NULL)
        return 0;
    if ((l->key = mpr__sys.malloc(len ? len : 1)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    memcpy(l->key, key, len);
    l->keylen = len;
    return 0;
}

int mpr_listener_new(mpr_listener_t **out, const mpr_listener_options_t *o)
{
    mpr_listener_options_t none = {0};
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct sockaddr_in in;
    socklen_t inlen = sizeof in;
    struct addrinfo *res = NULL;
    const char *host = "localhost", *path = NULL;
    int64_t port = 0;
    mpr_listener_t *l;
    int rc, one = 1;

    *out = NULL;
    if (o == NULL)
        o = &none;
    if ((l = mpr__sys.calloc(1, sizeof(*l))) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    l->fd = -1;
    if ((rc = parse_address(o->address, o->family, "bind", &l->family, &host,
                            &port, &path)) < 0 ||
        (rc = copy_key(l, o->authkey, o->authkey_len)) < 0)
        goto fail;
    if (l->family == AF_UNIX) {
        if (path == NULL && (rc = unix_arbitrary(l)) < 0)
            goto fail;
        if (path != NULL) {
            if (strlen(path) >= sizeof l->path) {
                rc = mpr__error(MPR_EOVERFLOW, "AF_UNIX path too long");
                goto fail;
            }
            strcpy(l->path, path);
        }
        memcpy(un.sun_path, l->path, sizeof l->path);
    } else if ((rc = resolve(host, port, 1, &res)) < 0) {
        goto fail;
    }
    if ((l->fd = mpr__sys.socket(l->family, SOCK_STREAM | SOCK_CLOEXEC, 0)) <
        0) {
        rc = mpr__oserror();
        goto fail;
    }
    setsockopt(l->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    rc = l->family == AF_UNIX
             ? mpr__sys.bind(l->fd, (struct sockaddr *)&un, sizeof un)
             : mpr__sys.bind(l->fd, res->ai_addr, res->ai_addrlen);
    if (rc < 0 || mpr__sys.listen(l->fd, o->backlog > 0 ? o->backlog : 1) < 0 ||
        (l->family == AF_INET &&
         getsockname(l->fd, (struct sockaddr *)&in, &inlen) < 0)) {
        rc = mpr__oserror();
        if (l->family == AF_UNIX && l->dir[0] == '\0')
            l->path[0] = '\0'; /* not ours to unlink: bind failed */
        goto fail;
    }
    if (l->family == AF_INET) {
        inet_ntop(AF_INET, &in.sin_addr, l->host, sizeof l->host);
        l->port = ntohs(in.sin_port);
    }
    if (res != NULL)
        freeaddrinfo(res);
    *out = l;
    return 0;
fail:
    if (res != NULL)
        freeaddrinfo(res);
    mpr_listener_free(l);
    return rc;
}

int mpr_listener_address(const mpr_listener_t *l, mpr_obj_t **out)
{
    *out = l->family == AF_INET ? mpr_obj_tuple_steal(2, mpr_obj_str(l->host),
                                                      mpr_obj_int(l->port))
                                : mpr_obj_str(l->path);
    return *out != NULL ? 0 : mpr_last_error();
}

int mpr_listener_accept(mpr_listener_t *l, mpr_conn_t **out)
{
    mpr_conn_t *c;
    int fd, rc;

    *out = NULL;
    if (l->fd < 0)
        return mpr__error(MPR__ERR(EINVAL), "listener is closed");
    do /* PEP 475 */
        fd = mpr__sys.accept4(l->fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0)
        return mpr__oserror();
    if ((rc = mpr_conn_new(&c, fd, 1, 1)) < 0) {
        mpr__sys.close(fd);
        return rc;
    }
    if (l->key != NULL &&
        ((rc = mpr_conn_deliver_challenge(c, l->key, l->keylen)) < 0 ||
         (rc = mpr_conn_answer_challenge(c, l->key, l->keylen)) < 0)) {
        mpr_conn_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

int mpr_listener_close(mpr_listener_t *l)
{
    int rc = 0;

    if (l->fd >= 0 && mpr__sys.close(l->fd) < 0)
        rc = mpr__oserror();
    l->fd = -1;
    /* SocketListener's Finalize(os.unlink, address) */
    if (l->family == AF_UNIX && l->path[0] != '\0')
        unlink(l->path);
    l->path[0] = '\0';
    if (l->dir[0] != '\0')
        rmdir(l->dir);
    l->dir[0] = '\0';
    return rc;
}

void mpr_listener_free(mpr_listener_t *l)
{
    if (l == NULL)
        return;
    mpr_listener_close(l);
    free(l->key);
    free(l);
}

int mpr_client(mpr_conn_t **out, const mpr_obj_t *address, const char *family,
               const void *authkey, size_t authkey_len)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct addrinfo *res = NULL;
    const char *host = NULL, *path = NULL;
    int64_t port = 0;
    mpr_conn_t *c;
    int fam, fd, rc;

    *out = NULL;
    if (address == NULL)
        return mpr__error(MPR_ETYPE, "address type of None unrecognized");
    if ((rc = parse_address(address, family, "connect", &fam, &host, &port,
                            &path)) < 0)
        return rc;
    if (fam == AF_UNIX) {
        if (strlen(path) >= sizeof un.sun_path)
            return mpr__error(MPR_EOVERFLOW, "AF_UNIX path too long");
        strcpy(un.sun_path, path);
    } else if ((rc = resolve(host, port, 0, &res)) < 0) {
        return rc;
    }
    if ((fd = mpr__sys.socket(fam, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
        rc = mpr__oserror();
        if (res != NULL)
            freeaddrinfo(res);
        return rc;
    }
    rc = fam == AF_UNIX ? mpr__connect(fd, (struct sockaddr *)&un, sizeof un)
                        : mpr__connect(fd, res->ai_addr, res->ai_addrlen);
    if (res != NULL)
        freeaddrinfo(res);
    if (rc < 0) {
        errno = -rc;
        rc = mpr__oserror();
        mpr__sys.close(fd);
        return rc;
    }
    if ((rc = mpr_conn_new(&c, fd, 1, 1)) < 0) {
        mpr__sys.close(fd);
        return rc;
    }
    if (authkey != NULL &&
        ((rc = mpr_conn_answer_challenge(c, authkey, authkey_len)) < 0 ||
         (rc = mpr_conn_deliver_challenge(c, authkey, authkey_len)) < 0)) {
        mpr_conn_free(c);
        return rc;
    }
    *out = c;
    return 0;
}
