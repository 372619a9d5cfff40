# edits: added the imports and square() from the first example of the document, as
# the document defines it (one parameter); the fragment passes (n, lock), has no
# __main__ guard and is kept as written (sync/lock-square-corrected is the program
# the section meant)
import multiprocessing as mp
import random
import time


def square(n):
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
