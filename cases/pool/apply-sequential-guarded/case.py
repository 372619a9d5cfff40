# edits: as pool/apply-sequential (the imports and square() from the first example of
# the document), and the __main__ guard the document left out, so that the program
# runs under spawn and forkserver
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
    result = [pool.apply(square, args=(n,)) for n in range(5)]
    print(result)


    end_time = int(time.time())
    print(f'End Time......{end_time}')
    print(f'Execute Time......{end_time - start_time}')
