# edits: added the imports and the square() function from the first example of the document
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


if __name__ == '__main__':
    start_time = int(time.time())
    print(f'Start Time....{start_time}')

    pool = mp.Pool()
    result_apply = [pool.apply_async(square, args=(n,)) for n in range(5)]
    print(result_apply)
    # for result in result_list:
    #     print(result.get())

    end_time = int(time.time())
    print(f'End Time......{end_time}')
    print(f'Execute Time......{end_time - start_time}')
