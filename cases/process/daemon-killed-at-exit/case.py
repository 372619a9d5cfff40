# not a document example: when the main process exits it terminates its daemonic
# children and waits for the others
import atexit
import multiprocessing as mp
import time


def sleeper(secs):
    print(mp.current_process().name, 'sleeping', secs)
    time.sleep(secs)
    print(mp.current_process().name, 'done')


def report():
    # registered before the first start(): runs after multiprocessing's exit handler
    for p in procs:
        print('at exit:', p.name, 'daemon', p.daemon, 'exitcode', p.exitcode)


if __name__ == '__main__':
    procs = [mp.Process(target=sleeper, args=(50,), daemon=True, name='daemon'),
             mp.Process(target=sleeper, args=(3,), name='worker')]
    atexit.register(report)
    for p in procs:
        p.start()
    print('main: end of script')
