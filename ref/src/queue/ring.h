/*
 * ring.h - internal: the shared-memory ring of frames a queue channel
 * carries its messages in (ring.c), with futex waits on both ends.
 *
 * One writer and one reader at a time (the channel's writer and reader
 * Locks serialise them across processes), so the ring is single-producer,
 * single-consumer: the writer copies a frame in and then publishes it by
 * moving the tail; the reader copies it out and then frees the room by
 * moving the head.  A frame is a 32-bit word and its bytes: the word is
 * the length of a message that travels in the ring, or MPR__RING_PIPE
 * for one that travels in the channel's pipe (larger than
 * MPR__RING_INLINE_MAX).  The shared memory holds offsets and counters
 * only, never a pointer.
 */
#ifndef MPR_QUEUE_RING_H
#define MPR_QUEUE_RING_H

#include "base/shm.h"
#include "mpr/timeout.h"

#include <stddef.h>
#include <stdint.h>

/* Bytes of frames the ring holds (a power of two), as much as a pipe. */
#define MPR__RING_CAP 65536u
/* The longest message that travels in the ring; longer ones go through
 * the pipe (a frame may take at most a quarter of the ring, so that a
 * writer waiting for room does not wait for the ring to drain). */
#define MPR__RING_INLINE_MAX (MPR__RING_CAP / 4 - 4)
/* The frame word of a message whose bytes follow in the pipe. */
#define MPR__RING_PIPE 0xffffffffu

typedef struct mpr__ring_shared_s mpr__ring_shared_t;

/* The ring as this process maps it. */
typedef struct {
    mpr__shm_t *seg;        /* the segment (one reference) */
    mpr__ring_shared_t *sh; /* its header */
    unsigned char *data;    /* its MPR__RING_CAP bytes of frames */
} mpr__ring_t;

/* Makes a new, empty ring.  Returns 0.  Errors: -errno, -ENOMEM. */
int mpr__ring_new(mpr__ring_t *r);

/* Maps the ring of a token made by mpr__ring_token (mpr__shm_attach's
 * rules), checked to be a ring.  Errors: MPR_EVALUE "bad shared handle",
 * -errno. */
int mpr__ring_attach(mpr__ring_t *r, const char *token);

/* Writes the token of r into buf (96 bytes are enough). */
void mpr__ring_token(const mpr__ring_t *r, char *buf, size_t size);

/* Unmaps (r zeroed; a zeroed r is a no-op). */
void mpr__ring_fini(mpr__ring_t *r);

/* ---- the writer (holding the writer lock) ---- */

/* 1 if a frame of len bytes (len <= MPR__RING_INLINE_MAX) fits now. */
int mpr__ring_room(const mpr__ring_t *r, size_t len);

/* Publishes the frame (word, then len bytes of buf), waiting for room
 * first if needed (a futex wait, as a write to a full pipe waits). */
void mpr__ring_write(mpr__ring_t *r, uint32_t word, const void *buf,
                     size_t len);

/* ---- the reader (holding the reader lock) ---- */

/*
 * Waits until a frame is there or the deadline passes (d NULL: no
 * deadline).  Returns: 1 with its word in *word, 0 at the deadline.
 */
int mpr__ring_wait(mpr__ring_t *r, const mpr_deadline_t *d, uint32_t *word);

/* Takes the frame waited for (word <= MPR__RING_INLINE_MAX) into a new
 * buffer (NUL-terminated; free()).  Errors: -ENOMEM (the frame stays);
 * MPR_EVALUE for a frame the ring cannot hold (a corrupted segment). */
int mpr__ring_read(mpr__ring_t *r, uint32_t word, char **out, size_t *len);

/* Drops the frame waited for (a MPR__RING_PIPE word, once its message is
 * read from the pipe). */
void mpr__ring_skip(mpr__ring_t *r);

/* 1 if no frame is there. */
int mpr__ring_empty(const mpr__ring_t *r);

/* Drops every frame, without the reader lock (Pool's terminate, when the
 * readers are gone), and wakes the writers waiting for room. */
void mpr__ring_drain(mpr__ring_t *r);

/* ---- waiting without reading (Pool's result handler) ---- */

/* The wake-up count: what mpr__ring_wait_seq waits to change. */
uint32_t mpr__ring_seq(const mpr__ring_t *r);

/* Waits at most timeout seconds for a frame, or until the count moved
 * from seq (a frame published, or mpr__ring_kick).  Returns: 1 if a
 * frame is there, else 0. */
int mpr__ring_wait_seq(mpr__ring_t *r, uint32_t seq, double timeout);

/* Moves the count and wakes every waiter (needs no lock). */
void mpr__ring_kick(mpr__ring_t *r);

#endif /* MPR_QUEUE_RING_H */
