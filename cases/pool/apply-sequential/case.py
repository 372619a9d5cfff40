# edits: added the imports and the square() function from the first example of the
# document; the fragment has no __main__ guard and is kept without one
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


start_time = int(time.time())
print(f'Start Time....{start_time}')

pool = mp.Pool()
result = [pool.apply(square, args=(n,)) for n in range(5)]
print(result)


end_time = int(time.time())
print(f'End Time......{end_time}')
print(f'Execute Time......{end_time - start_time}')
