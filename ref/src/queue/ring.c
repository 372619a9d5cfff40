/*
 * ring.c - the shared-memory ring of frames under a queue channel
 * (ring.h).  A segment of base/shm.c (a sealed memfd, handed to spawn and
 * forkserver children as a token, like a SemLock's) holds a header and
 * MPR__RING_CAP bytes of frames.
 *
 * Positions are 64-bit byte counts that only grow (they never wrap in
 * practice); a frame lives at position % MPR__RING_CAP and may wrap
 * round the end.  The writer moves the tail only after the frame's bytes
 * are in, and the reader the head only after it has copied them out, so
 * a process that dies in the middle of either leaves the ring as it was
 * before that frame: a half-written frame is never seen.
 *
 * Waits are futex waits on two counters (musl's __wait idea): a side
 * that finds no frame (no room) says so in rwait (wwait), re-checks, and
 * sleeps on data_seq (space_seq); the other side, after moving its
 * position, moves the counter and wakes only when someone said so.  With
 * both sides awake nothing makes a system call.  Every access to the
 * positions and the waiter counts is sequentially consistent: the store
 * of a position and the load of the other side's waiter count are the
 * two halves of a Dekker handshake, and a weaker order could lose a
 * wake-up.
 */
#include "queue/ring.h"
#include "base/internal.h"

#include <errno.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RING_MAGIC 0x4d505252u /* "MPRR" */

/* The header, at offset 0 of the segment; the frames follow at
 * RING_DATA.  Offsets and counters only. */
struct mpr__ring_shared_s {
    _Atomic uint64_t head;      /* bytes taken by readers */
    _Atomic uint64_t tail;      /* bytes published by writers */
    _Atomic uint32_t data_seq;  /* futex: readers wait here for a frame */
    _Atomic uint32_t space_seq; /* futex: writers wait here for room */
    _Atomic uint32_t rwait;     /* processes waiting on data_seq */
    _Atomic uint32_t wwait;     /* processes waiting on space_seq */
    uint32_t magic;             /* RING_MAGIC */
};

/* A cache line of its own for the header. */
#define RING_DATA 64
#define RING_SIZE (RING_DATA + MPR__RING_CAP)

_Static_assert(sizeof(mpr__ring_shared_t) <= RING_DATA, "ring header");
_Static_assert((MPR__RING_CAP & (MPR__RING_CAP - 1)) == 0, "power of two");

static void set_up(mpr__ring_t *r, mpr__shm_t *seg)
{
    r->seg = seg;
    r->sh = seg->base;
    r->data = (unsigned char *)seg->base + RING_DATA;
}

int mpr__ring_new(mpr__ring_t *r)
{
    mpr__shm_t *seg;
    int rc;

    memset(r, 0, sizeof(*r));
    if ((rc = mpr__shm_new(RING_SIZE, &seg)) < 0)
        return rc;
    set_up(r, seg);
    r->sh->magic = RING_MAGIC; /* the rest is zero (a new memfd) */
    return 0;
}

int mpr__ring_attach(mpr__ring_t *r, const char *token)
{
    mpr__shm_t *seg;
    const char *end;
    int rc;

    memset(r, 0, sizeof(*r));
    if ((rc = mpr__shm_attach(token, &end, &seg)) < 0)
        return rc;
    /* Only the size is relied on (every bound below is this process's
     * constant): the magic refuses another segment of ours. */
    if (*end != '\0' || seg->size != RING_SIZE ||
        ((mpr__ring_shared_t *)seg->base)->magic != RING_MAGIC) {
        mpr__shm_unref(seg);
        return mpr__error(MPR_EVALUE, "bad shared handle");
    }
    set_up(r, seg);
    return 0;
}

void mpr__ring_token(const mpr__ring_t *r, char *buf, size_t size)
{
    mpr__shm_token(r->seg, buf, size);
}

void mpr__ring_fini(mpr__ring_t *r)
{
    mpr__shm_unref(r->seg);
    memset(r, 0, sizeof(*r));
}

/* ---- spinning before sleeping ------------------------------------------- */

/* Checks of the other side's position before a wait goes to sleep. */
#define SPINS 100

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/*
 * Waits a little, awake, for *pos to move from old: when the other side
 * is running, its next frame (its next read) is usually a microsecond
 * away, much less than a futex sleep and wake-up cost both sides.  Only
 * on a machine with more than one CPU, where the other side can run
 * meanwhile.  Returns 1 if it moved.
 */
static int spin_for(_Atomic uint64_t *pos, uint64_t old)
{
    static _Atomic int ncpu; /* 0: not asked yet (a race asks twice) */
    int n = atomic_load_explicit(&ncpu, memory_order_relaxed);

    if (n == 0) {
        n = sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
        atomic_store_explicit(&ncpu, n, memory_order_relaxed);
    }
    if (n == 1)
        return 0;
    for (int i = 0; i < SPINS; i++) {
        if (atomic_load_explicit(pos, memory_order_relaxed) != old)
            return 1;
        cpu_relax();
    }
    return 0;
}

/* ---- copying, round the end ---------------------------------------------- */

static void copy_in(mpr__ring_t *r, uint64_t pos, const void *src, size_t n)
{
    size_t off = (size_t)(pos & (MPR__RING_CAP - 1));
    size_t first = MPR__RING_CAP - off < n ? MPR__RING_CAP - off : n;

    memcpy(r->data + off, src, first);
    memcpy(r->data, (const char *)src + first, n - first);
}

static void copy_out(const mpr__ring_t *r, uint64_t pos, void *dst, size_t n)
{
    size_t off = (size_t)(pos & (MPR__RING_CAP - 1));
    size_t first = MPR__RING_CAP - off < n ? MPR__RING_CAP - off : n;

    memcpy(dst, r->data + off, first);
    memcpy((char *)dst + first, r->data, n - first);
}

/* ---- the writer ---------------------------------------------------------- */

static int fits(const mpr__ring_t *r, uint64_t tail, size_t need)
{
    return MPR__RING_CAP - (tail - atomic_load(&r->sh->head)) >= need;
}

int mpr__ring_room(const mpr__ring_t *r, size_t len)
{
    return fits(r, atomic_load(&r->sh->tail), 4 + len);
}

void mpr__ring_write(mpr__ring_t *r, uint32_t word, const void *buf, size_t len)
{
    mpr__ring_shared_t *sh = r->sh;
    uint64_t tail = atomic_load(&sh->tail);
    size_t need = 4 + len;

    while (!fits(r, tail, need)) {
        uint32_t seq;

        atomic_fetch_add(&sh->wwait, 1);
        seq = atomic_load(&sh->space_seq);
        /* EINTR and a moved counter are wake-ups: the loop re-checks. */
        if (!fits(r, tail, need))
            mpr__futex_wait(&sh->space_seq, seq, NULL);
        atomic_fetch_sub(&sh->wwait, 1);
    }
    copy_in(r, tail, &word, 4);
    if (len > 0)
        copy_in(r, tail + 4, buf, len);
    atomic_store(&sh->tail, tail + need);
    if (atomic_load(&sh->rwait) != 0) {
        atomic_fetch_add(&sh->data_seq, 1);
        mpr__futex_wake(&sh->data_seq, INT_MAX);
    }
}

/* ---- the reader ---------------------------------------------------------- */

/* Frees the room up to head and wakes the writers that wait for it. */
static void advance(mpr__ring_t *r, uint64_t head)
{
    mpr__ring_shared_t *sh = r->sh;

    atomic_store(&sh->head, head);
    if (atomic_load(&sh->wwait) != 0) {
        atomic_fetch_add(&sh->space_seq, 1);
        mpr__futex_wake(&sh->space_seq, INT_MAX);
    }
}

int mpr__ring_wait(mpr__ring_t *r, const mpr_deadline_t *d, uint32_t *word)
{
    mpr__ring_shared_t *sh = r->sh;
    uint64_t head = atomic_load(&sh->head);

    for (;;) {
        struct timespec rel, *relp = NULL;
        uint32_t seq;

        if (atomic_load(&sh->tail) != head) {
            copy_out(r, head, word, 4);
            return 1;
        }
        if (d != NULL && !d->infinite) {
            if (!mpr_deadline_remaining(d, &rel))
                return 0;
            relp = &rel;
        }
        if (spin_for(&sh->tail, head))
            continue;
        atomic_fetch_add(&sh->rwait, 1);
        seq = atomic_load(&sh->data_seq);
        /* A timeout, EINTR or a moved counter: the loop re-checks. */
        if (atomic_load(&sh->tail) == head)
            mpr__futex_wait(&sh->data_seq, seq, relp);
        atomic_fetch_sub(&sh->rwait, 1);
    }
}

int mpr__ring_read(mpr__ring_t *r, uint32_t word, char **out, size_t *len)
{
    uint64_t head = atomic_load(&r->sh->head);
    char *buf;

    /* The word comes from shared memory: a frame longer than a writer of
     * ours ever puts in the ring, or than what is published, is refused
     * rather than copied past the ring. */
    if (word > MPR__RING_INLINE_MAX ||
        atomic_load(&r->sh->tail) - head < 4 + (uint64_t)word)
        return mpr__error(MPR_EVALUE, "bad frame in a queue's ring");
    if ((buf = mpr__sys.malloc((size_t)word + 1)) == NULL)
        return mpr__error(MPR__ERR(ENOMEM), NULL);
    copy_out(r, head + 4, buf, word);
    buf[word] = '\0';
    advance(r, head + 4 + word);
    *out = buf;
    *len = word;
    return 0;
}

void mpr__ring_skip(mpr__ring_t *r)
{
    advance(r, atomic_load(&r->sh->head) + 4);
}

int mpr__ring_empty(const mpr__ring_t *r)
{
    return atomic_load(&r->sh->tail) == atomic_load(&r->sh->head);
}

void mpr__ring_drain(mpr__ring_t *r)
{
    advance(r, atomic_load(&r->sh->tail));
}

/* ---- waiting without reading --------------------------------------------- */

uint32_t mpr__ring_seq(const mpr__ring_t *r)
{
    return atomic_load(&r->sh->data_seq);
}

int mpr__ring_wait_seq(mpr__ring_t *r, uint32_t seq, double timeout)
{
    mpr__ring_shared_t *sh = r->sh;
    mpr_deadline_t d;
    struct timespec rel;

    if (mpr_deadline_init(&d, 1, timeout) < 0 ||
        !mpr_deadline_remaining(&d, &rel))
        return !mpr__ring_empty(r);
    atomic_fetch_add(&sh->rwait, 1);
    if (mpr__ring_empty(r))
        mpr__futex_wait(&sh->data_seq, seq, d.infinite ? NULL : &rel);
    atomic_fetch_sub(&sh->rwait, 1);
    return !mpr__ring_empty(r);
}

void mpr__ring_kick(mpr__ring_t *r)
{
    atomic_fetch_add(&r->sh->data_seq, 1);
    mpr__futex_wake(&r->sh->data_seq, INT_MAX);
}
