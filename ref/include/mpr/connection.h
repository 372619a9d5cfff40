/*
 * connection.h - Connection and Pipe, as CPython 3.11's
 * multiprocessing.connection.Connection on Unix, wire-compatible with it:
 * each message is a 4-byte big-endian signed length and the payload (for
 * a payload over 0x7fffffff bytes: -1, then an 8-byte big-endian length);
 * send() payloads are pickle protocol 4, as ForkingPickler.dumps writes
 * them.  A C process and a Python process can talk through one Pipe.
 *
 * Return values follow the conventions of <mpr.h>.  Descriptors are
 * close-on-exec.  EINTR is retried and short reads and writes are completed
 * (PEP 475).  Like the Python interpreter, which ignores SIGPIPE at start-up,
 * the first Connection sets SIGPIPE to SIG_IGN if it still has its default
 * action, so that writing to a closed peer is BrokenPipeError (-EPIPE), not
 * death.
 *
 * A Connection is a handle owned by one process: after fork both copies
 * own the descriptor, and each closes its own (mpr_conn_close/free).
 */
#ifndef MPR_CONNECTION_H
#define MPR_CONNECTION_H

#include "common.h"
#include "obj.h"
#include "timeout.h" /* MPR_TIMEOUT_NONE for poll and wait */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h> /* pid_t */

typedef struct mpr_conn_s mpr_conn_t;

/* Python's None for send_bytes' size and recv_bytes' maxlength. */
#define MPR_SIZE_NONE INT64_MIN

/*
 * Pipe(duplex): a connected pair.  duplex != 0: a socketpair (AF_UNIX,
 * SOCK_STREAM), both ends readable and writable.  duplex == 0: os.pipe(),
 * *a the reader (readable only) and *b the writer (writable only), in
 * CPython's order.
 * Returns: 0.
 * Errors: -EMFILE, -ENFILE, -ENOMEM (OSError).
 * Ownership: free both ends with mpr_conn_free().
 */
MPR_EXTERN int mpr_pipe(mpr_conn_t **a, mpr_conn_t **b, int duplex);

/*
 * Connection(handle, readable=True, writable=True): wraps descriptor fd,
 * which the connection then owns (close() closes it).
 * Errors: MPR_EVALUE "invalid handle" (fd < 0), "at least one of
 * `readable` and `writable` must be True"; -ENOMEM.
 */
MPR_EXTERN int mpr_conn_new(mpr_conn_t **out, int fd, int readable,
                            int writable);

/* Closes the connection if still open and frees it.  NULL is a no-op. */
MPR_EXTERN void mpr_conn_free(mpr_conn_t *c);

/*
 * close(): closes the descriptor; a second close is a no-op.
 * Returns: 0.  Errors: an OS error from close(2) (the handle is closed
 * regardless, as in CPython's try/finally).
 */
MPR_EXTERN int mpr_conn_close(mpr_conn_t *c);

/* fileno(): the descriptor (>= 0).  Errors: MPR_ECLOSED "handle is
 * closed". */
MPR_EXTERN int mpr_conn_fileno(const mpr_conn_t *c);

/*
 * repr(): CPython's default object repr, "<multiprocessing.connection.
 * Connection object at 0x7f...>", with this object's address.  The buffer
 * is freed with mpr_free().  Errors: -ENOMEM.
 */
MPR_EXTERN int mpr_conn_repr(const mpr_conn_t *c, char **out, size_t *len);

/* The closed, readable and writable properties (1 or 0). */
MPR_EXTERN int mpr_conn_closed(const mpr_conn_t *c);
MPR_EXTERN int mpr_conn_readable(const mpr_conn_t *c);
MPR_EXTERN int mpr_conn_writable(const mpr_conn_t *c);

/*
 * send(obj): pickles o with protocol 4 and sends it as one message.
 * Returns: 0.
 * Errors: MPR_ECLOSED "handle is closed", MPR_EREADONLY "connection is
 * read-only" (OSError); MPR_ERECURSION from pickling (nothing is written);
 * -EPIPE (BrokenPipeError) when the peer is gone; other OS errors.
 * Ownership: o is borrowed.
 */
MPR_EXTERN int mpr_conn_send(mpr_conn_t *c, const mpr_obj_t *o);

/*
 * recv(): receives one message and unpickles it (data only; see
 * mpr_pickle_loads).  *out receives a new reference.
 * Errors: MPR_ECLOSED; MPR_EWRITEONLY "connection is write-only";
 * MPR_EEOF (EOFError, empty message) when the peer closed before a
 * message; MPR_EEOFMSG (OSError "got end of file during message") when it
 * closed inside one; any mpr_pickle_loads error (UnpicklingError "invalid
 * load key, 'n'." for bytes that are not a pickle); OS errors.
 */
MPR_EXTERN int mpr_conn_recv(mpr_conn_t *c, mpr_obj_t **out);

/*
 * send_bytes(buf, offset=0, size=None): sends bytes [offset, offset+size)
 * of the len-byte buffer as one message.  size MPR_SIZE_NONE is None (the
 * rest of the buffer).
 * Errors: MPR_ECLOSED, MPR_EREADONLY; MPR_EVALUE "offset is negative",
 * "buffer length < offset", "size is negative", "buffer length < offset
 * + size"; -EPIPE; OS errors.
 */
MPR_EXTERN int mpr_conn_send_bytes(mpr_conn_t *c, const void *buf, size_t len,
                                   int64_t offset, int64_t size);

/*
 * recv_bytes(maxlength=None): receives one message into a new buffer
 * (*out, *len; free it with mpr_free; NUL-terminated for convenience).
 * maxlength MPR_SIZE_NONE is None.
 * Errors: MPR_ECLOSED, MPR_EWRITEONLY; MPR_EVALUE "negative maxlength";
 * MPR_EBADLEN "bad message length" when the message is longer than
 * maxlength -- only its header has been read, and, as in CPython, a duplex
 * connection becomes write-only and a read-only one is closed; MPR_EEOF;
 * MPR_EEOFMSG; OS errors.
 */
MPR_EXTERN int mpr_conn_recv_bytes(mpr_conn_t *c, int64_t maxlength, char **out,
                                   size_t *len);

/*
 * recv_bytes_into(buf, offset=0): receives one message into buf (size
 * bytes) at offset; *nread (may be NULL) receives its length.
 * Errors: MPR_ECLOSED, MPR_EWRITEONLY; MPR_EVALUE "negative offset",
 * "offset too large" (checked before reading); MPR_EBUFTOOSHORT
 * (BufferTooShort) when the message does not fit -- it is consumed, and
 * the detail is repr() of the whole message, as str() of CPython's
 * exception; MPR_EEOF; OS errors.
 */
MPR_EXTERN int mpr_conn_recv_bytes_into(mpr_conn_t *c, void *buf, size_t size,
                                        int64_t offset, size_t *nread);

/*
 * poll(timeout=0.0): whether data (or end of file) is ready to read.
 * timeout MPR_TIMEOUT_NONE blocks; a negative one counts as 0.
 * Returns: 1 or 0.
 * Errors: MPR_ECLOSED, MPR_EWRITEONLY; OS errors.
 */
MPR_EXTERN int mpr_conn_poll(mpr_conn_t *c, double timeout);

/*
 * One object of multiprocessing.connection.wait(object_list): a
 * connection, or (conn NULL) any descriptor such as a process sentinel.
 * wait sets ready.
 */
typedef struct {
    mpr_conn_t *conn; /* or NULL: use fd */
    int fd;           /* a sentinel or other descriptor when conn is NULL */
    int ready;        /* out: 1 if it is ready */
} mpr_wait_item_t;

/*
 * connection.wait(object_list, timeout=None): waits until at least one
 * object is ready to read (data, end of file, a process that ended) or
 * the timeout passes (MPR_TIMEOUT_NONE: no timeout).
 * Returns: the number of ready objects (0 on timeout), each marked.
 * Errors: MPR_ECLOSED for a closed connection in the list ("handle is
 * closed", from its fileno()); OS errors.
 */
MPR_EXTERN int mpr_conn_wait(mpr_wait_item_t *items, size_t n, double timeout);

/* ---- handing a Connection to a spawn or forkserver child --------------- */

/*
 * CPython pickles a Connection passed to a spawn or forkserver child (or
 * sent through a Queue) as reduce_connection: the descriptor is duplicated
 * and served to the child by a background thread (resource_sharer.DupFd).
 * mpr_conn_reduce does the same and returns, in *out (new reference), a
 * plain value to put in the child's args: ('multiprocessing.connection.
 * Connection', address, key, readable, writable).  Each reduced value can
 * be rebuilt once, by any process of the same user.  A fork child needs
 * none of this: it inherits the connection itself.
 * Errors: MPR_ECLOSED; OS errors (socket, thread); -ENOMEM.
 * (connection_share.c)
 */
MPR_EXTERN int mpr_conn_reduce(const mpr_conn_t *c, mpr_obj_t **out);

/*
 * rebuild_connection: in the child, fetches the descriptor a reduced value
 * names and wraps it in a new Connection (*out; free with mpr_conn_free).
 * Errors: MPR_ETYPE when the value is not a reduced Connection;
 * MPR_ERUNTIME when it was already rebuilt; MPR_EEOF (or -EPIPE,
 * -ECONNRESET) when the sharer hung up: the caller runs as another user,
 * or took more than 5 s to name its entry; OS errors (e.g. -ECONNREFUSED
 * when the parent is gone).
 */
MPR_EXTERN int mpr_conn_rebuild(mpr_conn_t **out, const mpr_obj_t *reduced);

/* ---- Listener and Client (sockets) ------------------------------------- */

/*
 * multiprocessing.connection.Listener and Client over sockets: AF_INET
 * addresses are (host, port) tuples, AF_UNIX ones str paths (values, as
 * the Python passes them, so one can go in a child's args).  Sockets are
 * blocking whatever the program does elsewhere, as CPython's
 * setblocking(True) makes them whatever socket.setdefaulttimeout() says.
 * (connection_listener.c)
 */
typedef struct mpr_listener_s mpr_listener_t;

/* Listener(address=None, family=None, backlog=1, authkey=None).
 * zero-initialise; fields may be added. */
typedef struct {
    const mpr_obj_t *address; /* NULL: arbitrary_address(family):
                                 ('localhost', 0), or a new socket path in
                                 a new private $TMPDIR/pymp-XXXXXX folder
                                 (both removed by close()) */
    const char *family;       /* "AF_INET", "AF_UNIX"; NULL: the address's,
                                 else "AF_UNIX" (default_family) */
    int backlog;              /* 0: 1 */
    const void *authkey;      /* NULL: None, no handshake */
    size_t authkey_len;
} mpr_listener_options_t;

/*
 * Binds and listens (SO_REUSEADDR, as on POSIX CPython sets it).
 * Returns: 0 and the listener in *out (free with mpr_listener_free).
 * Errors: MPR_ETYPE "address type of 5 unrecognized" (neither a (str, int)
 * tuple nor a str), "a bytes-like object is required, not 'tuple'" (a
 * tuple for AF_UNIX), "bind(): AF_INET address must be tuple, not str";
 * MPR_EVALUE "unrecognized family" (no address), "Family AF_X is not
 * recognized."; MPR_EOVERFLOW "bind(): port must be 0-65535.", "AF_UNIX
 * path too long"; OS errors (-EADDRINUSE, a host that does not resolve).
 */
MPR_EXTERN int mpr_listener_new(mpr_listener_t **out,
                                const mpr_listener_options_t *opts);

/* address: the bound address, a new reference to ('127.0.0.1', port) or
 * the socket path.  Errors: -ENOMEM. */
MPR_EXTERN int mpr_listener_address(const mpr_listener_t *l, mpr_obj_t **out);

/*
 * accept(): waits for a client (EINTR retried), returns its Connection
 * (readable and writable) in *out, after the handshake when the listener
 * has an authkey (deliver_challenge, then answer_challenge).
 * Errors: -EINVAL, OSError "listener is closed" after close(); the
 * handshake's MPR_EAUTH; OS errors.
 */
MPR_EXTERN int mpr_listener_accept(mpr_listener_t *l, mpr_conn_t **out);

/* close(): closes the socket and removes an AF_UNIX path (and the folder
 * made for an arbitrary one).  Idempotent.  Returns 0 or an OS error. */
MPR_EXTERN int mpr_listener_close(mpr_listener_t *l);

/* Closes (if open) and frees.  NULL is a no-op. */
MPR_EXTERN void mpr_listener_free(mpr_listener_t *l);

/*
 * Client(address, family=None, authkey=None): connects (EINTR: the
 * connection goes on, PEP 475) and returns the Connection in *out, after
 * the handshake when authkey is not NULL (answer_challenge, then
 * deliver_challenge).
 * Errors: as mpr_listener_new for the address ("connect(): AF_INET
 * address must be tuple, not str"), MPR_ETYPE "address type of None
 * unrecognized" for NULL; -ECONNREFUSED, -ENOENT and other OS errors;
 * the handshake's MPR_EAUTH.
 */
MPR_EXTERN int mpr_client(mpr_conn_t **out, const mpr_obj_t *address,
                          const char *family, const void *authkey,
                          size_t authkey_len);

/* ---- passing a descriptor (multiprocessing.reduction) ------------------ */

/*
 * reduction.send_handle(conn, handle, destination_pid): sends descriptor
 * handle to the process at the other end of c, outside the message
 * framing: one byte (1, the number of descriptors) with handle in an
 * SCM_RIGHTS control message, as CPython's sendfds writes it, so either
 * end may be Python.  c must be a duplex Pipe end (a socket).  The sender
 * keeps its own handle open.  destination_pid is unused on Unix.
 * Returns: 0.
 * Errors: MPR_ECLOSED "handle is closed"; -ENOTSOCK (OSError) on a
 * simplex Pipe end; -EBADF when handle is not open; other OS errors.
 * (connection_handle.c)
 */
MPR_EXTERN int mpr_conn_send_handle(mpr_conn_t *c, int handle,
                                    pid_t destination_pid);

/*
 * reduction.recv_handle(conn): receives one descriptor that the peer sent
 * with send_handle (reads one byte of the stream, as CPython's recvfds).
 * The descriptor is inheritable (no FD_CLOEXEC), as CPython's is
 * (os.get_inheritable(fd) is True): set FD_CLOEXEC on it when an exec'd
 * program must not get it.
 * Returns: the new descriptor (>= 0), the caller's to close.
 * Errors: MPR_ECLOSED; MPR_EEOF (EOFError) when the peer closed first;
 * MPR_ERUNTIME "received 0 items of ancdata" when the byte read carried
 * no descriptor (ordinary data: what was read is lost, as in CPython),
 * "Invalid data received" for a malformed control message; MPR_EASSERT
 * "Len is N but msg[0] is B" when the byte does not count the
 * descriptors; -ENOTSOCK on a simplex Pipe end; other OS errors.
 */
MPR_EXTERN int mpr_conn_recv_handle(mpr_conn_t *c);

/*
 * multiprocessing.connection.deliver_challenge(c, authkey): sends
 * b'#CHALLENGE#' and 20 random bytes, reads the answer (at most 256 bytes)
 * and compares it with the HMAC-MD5 of those bytes under the key (CPython
 * 3.11.2's handshake, which its Listener and managers run); sends
 * b'#WELCOME#' or b'#FAILURE#'.
 * Errors: MPR_EAUTH "digest received was wrong" (AuthenticationError) for
 * any other answer; those of send and recv (an answer over 256 bytes is
 * OSError "bad message length").
 */
MPR_EXTERN int mpr_conn_deliver_challenge(mpr_conn_t *c, const void *key,
                                          size_t keylen);

/*
 * answer_challenge(c, authkey): the other side: reads the challenge,
 * sends its digest, reads the verdict.
 * Errors: MPR_EAUTH "digest sent was rejected" when the verdict is not
 * b'#WELCOME#'; MPR_EASSERT "message = b'...'" when the first message is
 * not a challenge; those of send and recv.
 */
MPR_EXTERN int mpr_conn_answer_challenge(mpr_conn_t *c, const void *key,
                                         size_t keylen);

#endif /* MPR_CONNECTION_H */
