/*
 * pipe/fd-transfer: mpr_conn_send_handle gives a child an open file's
 * descriptor through a duplex Pipe and the child writes to the file
 * through it; the same with a descriptor numbered 256 or above sent to a
 * child whose descriptors 0..255 are all taken; mpr_conn_recv_handle on a
 * byte that carries no descriptor is RuntimeError.
 * The connection reaches the child as CPython's does: inherited under
 * fork, reduced and rebuilt under spawn and forkserver (args[0]).
 */
#include <mpr.h>

#include "support.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static mpr_conn_t *conn, *child_conn;

static int is_fd_assigned(int fd)
{
    struct stat st;

    return fstat(fd, &st) == 0;
}

/* writefd(conn, data, create_dummy_fds) */
static int writefd(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    size_t len;
    const void *data = mpr_obj_bytes_data(mpr_obj_item(args, 1), &len);
    int create_dummy_fds = mpr_obj_truth(mpr_obj_item(args, 2));
    mpr_obj_t *reply;
    int fd, rc;

    (void)kwargs;
    if ((child_conn = case_arg(args, 0, MPR_HANDLE_CONN)) == NULL)
        return mpr_last_error();
    if (create_dummy_fds)
        for (int i = 0; i < 256; i++)
            if (!is_fd_assigned(i))
                dup2(mpr_conn_fileno(child_conn), i);
    if ((fd = mpr_conn_recv_handle(child_conn)) < 0)
        return fd;
    if (write(fd, data, len) != (ssize_t)len)
        return -errno;
    close(fd);
    reply = create_dummy_fds ? mpr_obj_bool(fd >= 256) : mpr_obj_str("done");
    rc = reply ? mpr_conn_send(child_conn, reply) : mpr_last_error();
    mpr_obj_decref(reply);
    return rc;
}
MPR_TARGET(writefd)

/* send_data_without_fd(conn) */
static int send_data_without_fd(mpr_obj_t *args, mpr_obj_t *kwargs)
{
    (void)kwargs;
    if ((child_conn = case_arg(args, 0, MPR_HANDLE_CONN)) == NULL)
        return mpr_last_error();
    return write(mpr_conn_fileno(child_conn), "", 1) == 1 ? 0 : -errno;
}
MPR_TARGET(send_data_without_fd)

static int start(mpr_process_t **p, mpr_target_t fn, mpr_obj_t *args)
{
    mpr_process_options_t o = {.target = fn, .args = args, .daemon = MPR_TRUE};
    int rc;

    if (args == NULL)
        return mpr_last_error();
    if ((rc = mpr_process_new(p, &o)) == 0)
        rc = mpr_process_start(*p);
    mpr_obj_decref(args);
    return rc;
}

/* The whole file as bytes, or NULL. */
static mpr_obj_t *read_file(const char *path)
{
    char buf[64];
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf));

    if (fd >= 0)
        close(fd);
    return n < 0 ? NULL : mpr_obj_bytes(buf, (size_t)n);
}

/* transfer(path, data, large): prints its result after what. */
static int transfer(const char *what, const char *path, const char *data,
                    int large)
{
    mpr_process_t *p;
    mpr_obj_t *reply, *file;
    int fd, newfd, rc, exitcode;
    pid_t pid;

    if ((rc = mpr_pipe(&conn, &child_conn, 1)) < 0 ||
        (rc = start(
             &p, writefd,
             mpr_obj_tuple_steal(3, mpr_obj_handle(MPR_HANDLE_CONN, child_conn),
                                 mpr_obj_bytes(data, strlen(data)),
                                 mpr_obj_bool(large)))) < 0 ||
        (rc = mpr_process_pid(p, &pid)) < 0)
        return rc;
    if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666)) < 0)
        return -errno;
    if (large) {
        /* the lowest free descriptor from 256 on */
        if ((newfd = fcntl(fd, F_DUPFD_CLOEXEC, 256)) < 0)
            return -errno;
        printf("sent descriptor 256 or above: %s\n", case_bool(newfd >= 256));
        rc = mpr_conn_send_handle(conn, newfd, pid);
        close(newfd);
    } else {
        rc = mpr_conn_send_handle(conn, fd, pid);
    }
    close(fd);
    if (rc < 0 || (rc = mpr_conn_recv(conn, &reply)) < 0 ||
        (rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return rc;
    mpr_process_exitcode(p, &exitcode);
    if ((file = read_file(path)) == NULL)
        return -errno;
    case_show(what, 0,
              mpr_obj_tuple_steal(3, reply, file, mpr_obj_int(exitcode)));
    mpr_process_free(p);
    mpr_conn_free(conn);
    mpr_conn_free(child_conn);
    return 0;
}

int main(int argc, char **argv)
{
    char dir[] = "/tmp/fd-transfer-XXXXXX", path[64];
    mpr_process_t *p;
    int rc, exitcode;

    if ((rc = mpr_main(argc, argv)) < 0)
        return case_fail(rc);
    if (mkdtemp(dir) == NULL)
        return case_fail(-errno);
    snprintf(path, sizeof(path), "%s/fd-transfer", dir);
    rc = transfer("fd_transfer:", path, "foo", 0);
    if (rc == 0)
        rc = transfer("large_fd_transfer (child got a descriptor 256 or "
                      "above, file, exitcode):",
                      path, "bar", 1);
    unlink(path);
    rmdir(dir);
    if (rc < 0)
        return case_fail(rc);
    if ((rc = mpr_pipe(&conn, &child_conn, 1)) < 0 ||
        (rc = start(&p, send_data_without_fd,
                    mpr_obj_tuple_steal(
                        1, mpr_obj_handle(MPR_HANDLE_CONN, child_conn)))) < 0)
        return case_fail(rc);
    if ((rc = mpr_conn_recv_handle(conn)) < 0) {
        case_show("missing_fd_transfer:", rc, NULL);
    } else {
        close(rc);
        printf("missing_fd_transfer: no error\n");
    }
    if ((rc = mpr_process_join(p, MPR_TIMEOUT_NONE)) < 0)
        return case_fail(rc);
    mpr_process_exitcode(p, &exitcode);
    printf("exitcode: %d\n", exitcode);
    mpr_process_free(p);
    mpr_conn_free(conn);
    mpr_conn_free(child_conn);
    return 0;
}
