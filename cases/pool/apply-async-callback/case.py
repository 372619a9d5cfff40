# edits: added the imports and the square() function from the first example of the
# document, and a callback() (the document uses one without showing it) that prints the
# result it receives; the fragment has no __main__ guard and is kept without one
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


def callback(result):
    print(f'callback {result}')


pool = mp.Pool()
result_apply = [pool.apply_async(square, args=(n,), callback=callback) for n in range(5)]
print(result_apply)
pool.close()
pool.join()
