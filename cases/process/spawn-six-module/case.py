# spawning_processes_namespace.py of the document; the target lives in the
# helper module myFunc.py next to this file.
# edits: restored the lost indentation.
import multiprocessing
from myFunc import myFunc

if __name__ == '__main__':
    for i in range(6):
        process = multiprocessing.Process(target=myFunc, args=(i,))
        process.start()
        process.join()
