/*
 * manager_client.c - the client half of CPython 3.11's
 * multiprocessing.managers: addresses (connection.Client's SocketClient),
 * the authenticated Client() and dispatch(), with convert_to_error.
 * No shared state.
 */
#include "base/io.h"
#include "manager/manager_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

mpr_obj_t *mpr__maddr_obj(const mpr__maddr_t *a)
{
    if (a->family == AF_UNIX)
        return mpr_obj_str(a->path);
    return mpr_obj_tuple_steal(2, mpr_obj_str(a->host), mpr_obj_int(a->port));
}

int mpr__maddr_parse(const mpr_obj_t *o, mpr__maddr_t *a)
{
    const char *s;
    size_t n;

    memset(a, 0, sizeof(*a));
    if (mpr_obj_type(o) == MPR_OBJ_STR) {
        s = mpr_obj_str_utf8(o, &n);
        if (n >= sizeof(a->path))
            return mpr__error(MPR_EVALUE, "AF_UNIX path too long");
        a->family = AF_UNIX;
        memcpy(a->path, s, n + 1);
        return 0;
    }
    if (mpr_obj_type(o) == MPR_OBJ_TUPLE && mpr_obj_len(o) == 2 &&
        mpr_obj_type(mpr_obj_item(o, 0)) == MPR_OBJ_STR &&
        mpr_obj_type(mpr_obj_item(o, 1)) == MPR_OBJ_INT) {
        s = mpr_obj_str_utf8(mpr_obj_item(o, 0), &n);
        if (n >= sizeof(a->host))
            return mpr__error(MPR_EVALUE, "host name too long");
        a->family = AF_INET;
        memcpy(a->host, s, n + 1);
        a->port = (int)mpr_obj_int_value(mpr_obj_item(o, 1));
        return 0;
    }
    return mpr__error(MPR_ETYPE, "address type unrecognized");
}

int mpr__maddr_resolve(const mpr__maddr_t *a, struct addrinfo **res)
{
    struct addrinfo hints = {.ai_family = AF_INET, .ai_socktype = SOCK_STREAM};
    char port[16];

    snprintf(port, sizeof(port), "%d", a->port);
    if (a->host[0] == '\0') { /* '': INADDR_ANY, as socket's setipaddr */
        hints.ai_flags = AI_PASSIVE;
        return getaddrinfo(NULL, port, &hints, res);
    }
    return getaddrinfo(a->host, port, &hints, res);
}

int mpr__maddr_connect(const mpr__maddr_t *a)
{
    struct sockaddr_un un = {.sun_family = AF_UNIX};
    struct addrinfo *res = NULL;
    int fd, rc;

    if (a->family == AF_UNIX) {
        memcpy(un.sun_path, a->path, sizeof(a->path));
        if ((fd = mpr__sys.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
            return mpr__oserror();
        rc = mpr__connect(fd, (struct sockaddr *)&un, sizeof(un));
    } else {
        if ((rc = mpr__maddr_resolve(a, &res)) != 0)
            return mpr__error(MPR__ERR(rc == EAI_SYSTEM ? errno : ENOENT),
                              "[Errno %d] %s", rc, gai_strerror(rc));
        if ((fd = mpr__sys.socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) <
            0) {
            freeaddrinfo(res);
            return mpr__oserror();
        }
        rc = mpr__connect(fd, res->ai_addr, res->ai_addrlen);
        freeaddrinfo(res);
    }
    if (rc < 0) {
        errno = -rc;
        rc = mpr__oserror();
        mpr__sys.close(fd);
        return rc;
    }
    return fd;
}

int mpr__mgr_client(const mpr__maddr_t *a, const void *key, size_t keylen,
                    mpr_conn_t **out)
{
    mpr_conn_t *c;
    int fd, rc;

    if ((fd = mpr__maddr_connect(a)) < 0)
        return fd;
    if ((rc = mpr_conn_new(&c, fd, 1, 1)) < 0) {
        mpr__sys.close(fd);
        return rc;
    }
    if ((rc = mpr_conn_answer_challenge(c, key, keylen)) < 0 ||
        (rc = mpr_conn_deliver_challenge(c, key, keylen)) < 0) {
        char msg[256];
        snprintf(msg, sizeof(msg), "%s", mpr_last_error_detail());
        mpr_conn_free(c);
        return mpr__error(rc, "%s", msg);
    }
    *out = c;
    return 0;
}

/* convert_to_error for '#TRACEBACK' and '#UNSERIALIZABLE': RemoteError,
 * whose __str__ is the text between two rules of 75 dashes; a text that
 * is not a str is CPython's TypeError. */
static int remote_error(const char *kind, const mpr_obj_t *text)
{
    static const char rule[] = "-------------------------------------------"
                               "--------------------------------";
    char *r = NULL;
    int rc;

    if (mpr_obj_type(text) != MPR_OBJ_STR) {
        if ((rc = mpr_obj_repr(text, &r, NULL)) < 0)
            return rc;
        rc = mpr__error(MPR_ETYPE,
                        "Result %s (kind '%s') type is <class '%s'>, "
                        "not str",
                        r, kind, mpr_obj_type_name(text));
        mpr_free(r);
        return rc;
    }
    if (strcmp(kind, "#UNSERIALIZABLE") == 0)
        return mpr__error(MPR_EREMOTE, "\n%s\nUnserializable message: %s\n%s",
                          rule, mpr_obj_str_utf8(text, NULL), rule);
    return mpr__error(MPR_EREMOTE, "\n%s\n%s%s", rule,
                      mpr_obj_str_utf8(text, NULL), rule);
}

int mpr__mgr_dispatch(mpr_conn_t *c, const char *ident, const char *method,
                      const mpr_obj_t *args, const mpr_obj_t *kwds,
                      mpr_obj_t **out)
{
    mpr_obj_t *req, *reply = NULL;
    const char *kind;
    int rc;

    req = mpr_obj_tuple_steal(
        4, ident ? mpr_obj_str(ident) : mpr_obj_none(), mpr_obj_str(method),
        args ? mpr_obj_incref((mpr_obj_t *)args) : mpr_obj_tuple(0),
        kwds ? mpr_obj_incref((mpr_obj_t *)kwds) : mpr_obj_dict());
    if (req == NULL)
        return mpr_last_error();
    rc = mpr_conn_send(c, req);
    mpr_obj_decref(req);
    if (rc < 0 || (rc = mpr__mgr_recv(c, &reply)) < 0)
        return rc;
    if (mpr_obj_type(reply) != MPR_OBJ_TUPLE || mpr_obj_len(reply) != 2 ||
        mpr_obj_type(mpr_obj_item(reply, 0)) != MPR_OBJ_STR) {
        mpr_obj_decref(reply);
        return mpr__error(MPR_EREMOTE, "malformed reply");
    }
    kind = mpr_obj_str_utf8(mpr_obj_item(reply, 0), NULL);
    if (strcmp(kind, "#RETURN") == 0) {
        if (out != NULL)
            *out = mpr_obj_incref(mpr_obj_item(reply, 1));
        rc = 0;
    } else if (strcmp(kind, "#PROXY") == 0) {
        /* (exposed, token): the caller makes the proxy */
        if (out != NULL)
            *out = mpr_obj_incref(mpr_obj_item(reply, 1));
        rc = 1;
    } else if (strcmp(kind, "#TRACEBACK") == 0 ||
               strcmp(kind, "#UNSERIALIZABLE") == 0) {
        rc = remote_error(kind, mpr_obj_item(reply, 1));
    } else {
        rc = mpr__error(MPR_EVALUE, "Unrecognized message type '%s'", kind);
    }
    mpr_obj_decref(reply);
    return rc;
}
