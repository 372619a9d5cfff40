# Not a listing of the document: a small program for its description of
# the Condition primitive (同步进程): wait() waits for the condition,
# notify_all() tells every waiting process that it holds.
import multiprocessing
import time

def waiter(condition, ready, i):
    with condition:
        while not ready.value:
            condition.wait()
        print('waiter %d: woken, ready = %d' % (i, ready.value))

if __name__ == '__main__':
    condition = multiprocessing.Condition()
    ready = multiprocessing.Value('i', 0)
    waiters = [multiprocessing.Process(target=waiter,
                                       args=(condition, ready, i))
               for i in range(3)]
    for w in waiters:
        w.start()
    time.sleep(1)
    print('waiters still waiting after 1 s:', [w.is_alive() for w in waiters],
          flush=True)
    with condition:
        ready.value = 1
        condition.notify_all()
    for w in waiters:
        w.join()
    print('exit codes:', [w.exitcode for w in waiters])
