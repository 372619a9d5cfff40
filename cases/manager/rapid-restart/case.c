/*
 * manager/rapid-restart: a manager class registering get_queue (the
 * server's one queue) on ('127.0.0.1', 0) with a random authkey; a child
 * connect()s and puts 'hello world', the parent gets it; then a manager
 * started again at once on the same address, twice: the first server's
 * port (its connections in TIME_WAIT) and a port bound and closed as
 * get_server() and listener.close() leave it.  libmpref's manager speaks
 * pickle only; the case's xmlrpclib serializer shows in none of its
 * lines (strings only cross the wire).  The C type is registered from a
 * constructor, so the server and the putter have it under every start
 * method.
 */
#include <mpr.h>

#include "support.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

/* _queue: the server process's one queue (get_queue returns it) */
static mpr_obj_t *items;

static int get_queue(const mpr_obj_t *args, const mpr_obj_t *kwds, void **self)
{
    (void)args, (void)kwds;
    if (items == NULL && (items = mpr_obj_list()) == NULL)
        return mpr_last_error();
    *self = items;
    return 0;
}

static int put(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
               mpr_obj_t **out)
{
    (void)kwds, (void)out;
    if (mpr_obj_len(args) != 1)
        return mpr_target_error(MPR_ETYPE, "put() takes one argument");
    return mpr_obj_list_append(self, mpr_obj_item(args, 0));
}

/* get(): the first item; the case only gets after the put (no blocking:
 * a registered method must not block) */
static int get(void *self, const mpr_obj_t *args, const mpr_obj_t *kwds,
               mpr_obj_t **out)
{
    (void)args, (void)kwds;
    if (mpr_obj_len(self) == 0)
        return mpr_target_error(MPR_EEMPTY, "%s", "");
    return mpr_obj_list_pop(self, 0, out);
}

static const mpr_manager_method_t queue_methods[] = {
    {"get", get}, {"put", put}, {NULL, NULL}};

__attribute__((constructor)) static void register_types(void)
{
    mpr_manager_type_t t = {.factory = get_queue,
                            .methods = queue_methods,
                            .pyname = "queue.Queue"};

    mpr_manager_register("get_queue", &t);
}

/* QueueManager(address, authkey) */
static int manager_at(mpr_manager_t **m, const char *host, int port,
                      const mpr_obj_t *authkey)
{
    size_t n = 0;
    const unsigned char *key = mpr_obj_bytes_data(authkey, &n);
    mpr_manager_options_t o = {
        .host = host, .port = port, .authkey = key, .authkey_len = n};

    return mpr_manager_new(m, &o);
}

/* putter(address, authkey): connect() and put 'hello world' */
static int putter(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    const mpr_obj_t *addr = mpr_obj_item(args, 0);
    mpr_manager_t *m = NULL;
    mpr_proxy_t *queue = NULL;
    mpr_obj_t *item = mpr_obj_tuple_steal(1, mpr_obj_str("hello world"));
    int rc;

    (void)kwargs;
    if ((rc = manager_at(&m, mpr_obj_str_utf8(mpr_obj_item(addr, 0), NULL),
                         (int)mpr_obj_int_value(mpr_obj_item(addr, 1)),
                         mpr_obj_item(args, 1))) == 0 &&
        (rc = mpr_manager_connect(m)) == 0 &&
        (rc = mpr_manager_create(m, "get_queue", NULL, NULL, &queue)) == 0)
        rc = mpr_proxy_callmethod(queue, "put", item, NULL, NULL);
    mpr_obj_decref(item);
    mpr_proxy_free(queue);
    mpr_manager_free(m);
    return rc;
}
MPR_TARGET(putter)

/* the child, then queue.get() in the parent; the address in *addr */
static int use(mpr_manager_t *m, const mpr_obj_t *authkey, int print_exit,
               mpr_obj_t **addr)
{
    mpr_process_t *p = NULL;
    mpr_proxy_t *queue = NULL;
    mpr_obj_t *got = NULL;
    int rc, code = -1;

    if ((rc = mpr_manager_address(m, addr)) < 0 ||
        (rc = case_start(&p, putter, mpr_obj_tuple(2, *addr, authkey))) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        goto done;
    mpr_process_exitcode(p, &code);
    if (print_exit)
        printf("putter exitcode: %d\n", code);
    if ((rc = mpr_manager_create(m, "get_queue", NULL, NULL, &queue)) < 0 ||
        (rc = mpr_proxy_callmethod(queue, "get", NULL, NULL, &got)) < 0)
        goto done;
    printf("queue.get(): %s\n", mpr_obj_str_utf8(got, NULL));
done:
    mpr_obj_decref(got);
    mpr_proxy_free(queue);
    mpr_process_free(p);
    return rc;
}

/* get_server().address, then srvr.listener.close(): a port bound (with
 * SO_REUSEADDR, as CPython's Listener) and closed */
static int closed_port(void)
{
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t len = sizeof(a);
    int fd, one = 1, port = -1;

    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if ((fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (bind(fd, (struct sockaddr *)&a, sizeof(a)) == 0 &&
        listen(fd, 16) == 0 &&
        getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

int main(int argc, char **argv)
{
    unsigned char key[32];
    mpr_manager_t *m = NULL;
    mpr_obj_t *authkey, *addr = NULL, *again = NULL;
    int rc, ports[2];

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if (getrandom(key, sizeof(key), 0) != (ssize_t)sizeof(key) ||
        (ports[1] = closed_port()) < 0)
        return case_fail(-1);
    authkey = mpr_obj_bytes(key, sizeof(key));
    if ((rc = manager_at(&m, "127.0.0.1", 0, authkey)) < 0 ||
        (rc = mpr_manager_start(m)) < 0 || (rc = use(m, authkey, 1, &addr)) < 0)
        goto fail;
    mpr_manager_free(m); /* shutdown() */
    m = NULL;
    ports[0] = (int)mpr_obj_int_value(mpr_obj_item(addr, 1));
    /* the same address at once, twice: the first server's port, whose
     * connections are in TIME_WAIT, then the one bound and closed */
    for (int i = 0; i < 2; i++) {
        if ((rc = manager_at(&m, "127.0.0.1", ports[i], authkey)) < 0 ||
            (rc = mpr_manager_start(m)) < 0)
            goto fail;
        mpr_obj_decref(again);
        if ((rc = mpr_manager_address(m, &again)) < 0)
            goto fail;
        printf(
            "restarted on the same address: %s\n",
            case_bool(mpr_obj_int_value(mpr_obj_item(again, 1)) == ports[i]));
        mpr_obj_decref(again);
        again = NULL;
        if ((rc = use(m, authkey, 0, &again)) < 0)
            goto fail;
        mpr_manager_free(m);
        m = NULL;
    }
    mpr_obj_decref(again);
    mpr_obj_decref(addr);
    mpr_obj_decref(authkey);
    return 0;
fail:
    mpr_manager_free(m);
    mpr_obj_decref(again);
    mpr_obj_decref(addr);
    mpr_obj_decref(authkey);
    return case_fail(rc);
}
