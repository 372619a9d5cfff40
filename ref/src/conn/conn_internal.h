/*
 * conn_internal.h - what the conn subsystem shares between its files and
 * with the unit tests.  Private to conn/ (and ref/tests).
 */
#ifndef MPR_CONN_INTERNAL_H
#define MPR_CONN_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The header CPython writes for an n-byte payload; returns its length (4,
 * or 12 for the large form).  Not static: the unit test checks the large
 * form, which it cannot send.  (connection.c) */
int mpr__conn_header(uint64_t n, unsigned char out[12]);

/* Stops the descriptor sharer's server thread and closes the listener and
 * every unclaimed duplicate, so that a test leaves no descriptor behind.
 * Not for use while a child may still be rebuilding.  (connection_share.c) */
void mpr__conn_sharer_stop(void);

/* How long (ms) the sharer keeps a connected client that has not sent its
 * key yet (5000); a test shortens or lengthens it.  (connection_share.c) */
extern _Atomic int mpr__conn_sharer_timeout_ms;

/* HMAC-MD5 (hmac.new(key, msg, 'md5').digest()); not static: the unit
 * test checks it against RFC 2202.  (connection_auth.c) */
void mpr__hmac_md5(const void *key, size_t keylen, const void *msg,
                   size_t msglen, unsigned char out[16]);

#endif /* MPR_CONN_INTERNAL_H */
