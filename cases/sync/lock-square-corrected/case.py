# The program the document's Lock section meant (sync/lock-square is the section as
# written): square() from the first example of the document takes the lock the
# fragment passes and holds it around its body; the script gets a __main__ guard so
# that it runs under every start method; each child prints, still holding the lock,
# when it took and released it (time.time()), and flushes, so the order of the
# lines is the order the lock was held in.
import multiprocessing as mp
import random
import time


def square(n, lock):
    with lock:
        taken = time.time()
        rand_int = random.randint(3, 5)
        time.sleep(rand_int)
        print(f'Sleep {rand_int} Seconds......')
        result = n**2
        print(f'{n} squared is {result}')
        print(f'held from {taken:.6f} to {time.time():.6f}', flush=True)
        return result


if __name__ == '__main__':
    lock = mp.Lock()
    process_list = [mp.Process(target=square, args=(n, lock)) for n in range(4)]
    for process in process_list:
        process.start()
    for process in process_list:
        process.join()
