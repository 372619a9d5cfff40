# Not a listing of the document: a small program for the Pool methods its
# 准备就绪 section describes: apply() blocks until the result is ready;
# apply_async() returns a result object; map() is a parallel map();
# map_async() returns a result object and, given a callback, applies it to
# the result when it is ready, unless the call failed.
import multiprocessing

def square(x):
    return x*x

def fail(x):
    raise ValueError('bad input %d' % x)

if __name__ == '__main__':
    with multiprocessing.Pool(processes=4) as pool:
        print('apply:', pool.apply(square, (7,)))
        result = pool.apply_async(square, (8,))
        print('apply_async:', type(result).__name__, result.get())
        print('map:', pool.map(square, range(10)))
        got = []
        result = pool.map_async(square, range(5), callback=got.append)
        print('map_async:', type(result).__name__, result.get())
        print('callback got:', got)
        got = []
        errors = []
        result = pool.map_async(fail, [1], callback=got.append,
                                error_callback=errors.append)
        result.wait()
        print('failed call: callback got', got, 'error_callback got', errors)
        print('successful():', result.successful())
        try:
            result.get()
        except ValueError as e:
            print('get() raises ValueError:', e)
