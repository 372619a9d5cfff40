# edits: the document shows only "import multiprocessing as mp" and
# "mp.set_start_method('spawn')"; added a __main__ guard, a child that reports the method it
# was started with, and a second set_start_method() call to show the method is then fixed
import multiprocessing as mp


def child():
    print('child:', mp.get_start_method())


if __name__ == '__main__':
    print('before:', mp.get_start_method(allow_none=True))
    mp.set_start_method('spawn')
    print('after:', mp.get_start_method())
    p = mp.Process(target=child)
    p.start()
    p.join()
    print('exitcode:', p.exitcode)
    try:
        mp.set_start_method('spawn')
    except RuntimeError as e:
        print('again:', type(e).__name__, e)
