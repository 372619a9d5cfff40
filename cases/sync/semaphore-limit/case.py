# Not a listing of the document: a small program for its description of
# the Semaphore primitive (同步进程): it shares a common resource, e.g. a
# fixed number of simultaneous connections. Five processes use a resource
# guarded by Semaphore(2); a shared counter records how many hold it at once.
import multiprocessing
import time

def worker(semaphore, lock, inside, most, i):
    with semaphore:
        with lock:
            inside.value += 1
            most.value = max(most.value, inside.value)
        time.sleep(5)
        with lock:
            inside.value -= 1

if __name__ == '__main__':
    semaphore = multiprocessing.Semaphore(2)
    lock = multiprocessing.Lock()
    inside = multiprocessing.Value('i', 0, lock=False)
    most = multiprocessing.Value('i', 0, lock=False)
    workers = [multiprocessing.Process(target=worker,
                                       args=(semaphore, lock, inside, most, i))
               for i in range(5)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print('most holders at once:', most.value)
    print('holders at the end:', inside.value)
    print('semaphore value at the end:', semaphore.get_value())
