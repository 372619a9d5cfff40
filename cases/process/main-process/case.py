# The document's interactive lines
#   >>> import multiprocessing
#   >>> multiprocessing.current_process().name
#   'MainProcess'
# and its claim that the main process is multiprocessing.process._MainProcess
# while a child is a Process, as a script.
# edits: the REPL echo becomes print(repr(...)); added the type checks and a
# child that reports its own current_process(), which the claim is about.
import multiprocessing

def child():
    p = multiprocessing.current_process()
    print(repr(p.name), type(p))

if __name__ == '__main__':
    print(repr(multiprocessing.current_process().name))
    print(type(multiprocessing.current_process()))
    c = multiprocessing.Process(target=child)
    c.start()
    c.join()
