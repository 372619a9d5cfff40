# not a document example: without the `if __name__ == "__main__":` guard a spawned child
# re-runs the script's top level, tries to start a process itself, and multiprocessing
# complains
import multiprocessing


def task():
    print('task ran')


p = multiprocessing.Process(target=task)
p.start()
p.join()
print('exitcode:', p.exitcode)
