# not a document example: a spec case for the contracts of cpython-testsuite.md
# section 11 (Barrier: test_barrier, test_wait_return, test_action,
# test_single_thread) and what the suite leaves unchecked: parties, n_waiting
# while parties wait (and the repr's waiters=N/M), wait() returning the
# arrival index, distinct and covering 0..N-1 in every pass (the last to
# arrive gets N-1), the action run exactly once per pass, before any party
# leaves wait() (every party reads the action's count of passes right after
# each wait), Barrier(1) never blocking.
import functools
import multiprocessing as mp
import time


def bump(counter):
    # the action: counts passes
    counter.value += 1


def run_passes(barrier, counter, passes):
    seen = []
    for _ in range(passes):
        i = barrier.wait()
        seen.append((i, counter.value))
    return seen


def party(barrier, counter, results, n, passes):
    results.put((n, run_passes(barrier, counter, passes)))


if __name__ == '__main__':
    one = mp.Barrier(1)
    print('Barrier(1).wait():', one.wait(), one.wait(), one.n_waiting)

    counter = mp.Value('i', 0, lock=False)
    b = mp.Barrier(3, action=functools.partial(bump, counter), timeout=30)
    print('new:', b.parties, b.n_waiting, b.broken, b)
    results = mp.Queue()
    ps = [mp.Process(target=party, args=(b, counter, results, n, 5))
          for n in (1, 2)]
    for p in ps:
        p.start()
    # the first pass: the parent arrives last, once both children wait
    while b.n_waiting < 2:
        time.sleep(0.01)
    print('two waiting:', b.n_waiting, b, 'passes:', counter.value)
    i = b.wait()
    print('the parent arrived last:', i, 'passes:', counter.value)
    seen = {0: [(i, counter.value)] + run_passes(b, counter, 4)}
    for _ in ps:
        n, s = results.get()
        seen[n] = s
    for p in ps:
        p.join()
    for k in range(5):
        print('pass %d: indices %s, passes seen %s' % (
            k + 1, sorted(seen[n][k][0] for n in seen),
            [seen[n][k][1] for n in sorted(seen)]))
    print('children parties got index 2 in pass 1:',
          [seen[n][0][0] == 2 for n in (1, 2)])
    print('after:', b.n_waiting, b.broken, b, 'passes:', counter.value,
          'exit codes:', [p.exitcode for p in ps])
