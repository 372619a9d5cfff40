# not a document example: start(), join() and is_alive() may only be called by the
# process that created the Process object
import multiprocessing as mp


def idle():
    pass


def meddle(other):
    for label, fn in (('is_alive()', other.is_alive), ('join()', other.join),
                      ('start()', other.start)):
        try:
            fn()
        except AssertionError as e:
            print(label, type(e).__name__, e)


if __name__ == '__main__':
    started = mp.Process(target=idle)
    started.start()
    fresh = mp.Process(target=idle)
    for obj in (started, fresh):
        p = mp.Process(target=meddle, args=(obj,))
        p.start()
        p.join()
    started.join()
    print('creator:', started.is_alive(), started.exitcode, fresh.is_alive())
