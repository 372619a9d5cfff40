# edits: added the imports; square() from the first example of the document, given the
# lock parameter the fragment passes and holding the lock around its body (the section's
# point); the fragment has no __main__ guard and is kept without one
import multiprocessing as mp
import random
import time


def square(n, lock):
    with lock:
        rand_int = random.randint(3, 5)
        time.sleep(rand_int)
        print(f'Sleep {rand_int} Seconds......')
        result = n**2
        print(f'{n} squared is {result}')
        return result


lock = mp.Lock()
process_list = [mp.Process(target=square, args=(n, lock)) for n in range(4)]
for process in process_list:
    process.start()
for process in process_list:
    process.join()

