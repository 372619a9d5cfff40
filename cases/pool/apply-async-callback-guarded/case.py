# edits: as pool/apply-async-callback (the imports and square() from the first example
# of the document, a callback() printing its result), and the __main__ guard the
# document left out, so that the program runs under spawn and forkserver
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


if __name__ == '__main__':
    pool = mp.Pool()
    result_apply = [pool.apply_async(square, args=(n,), callback=callback) for n in range(5)]
    print(result_apply)
    pool.close()
    pool.join()
