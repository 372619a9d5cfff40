# not a document example: Pool(4) has four worker processes, so four tasks of one map()
# run at the same time (each waits for the other three at a barrier)
from multiprocessing import Pool, Manager
import os


def meet(args):
    barrier, name = args
    index = barrier.wait(timeout=20)
    return name, index, os.getpid()


if __name__ == '__main__':
    with Manager() as m:
        barrier = m.Barrier(4)
        with Pool(4) as p:
            results = p.map(meet, [(barrier, n) for n in 'ABCD'])
        print([name for name, _, _ in results])
        print(sorted(index for _, index, _ in results))
        print(len({pid for _, _, pid in results}), os.getpid() not in {pid for _, _, pid in results})
