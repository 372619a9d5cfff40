# spec: CPython 3.11 TestNamedResource.test_global_named_resource_spawn
# (gh-90549): a Semaphore made at the top level of a program that starts a
# spawn child (which re-imports the main module, making its own) leaks
# nothing: no resource_tracker warning, stderr stays empty.
import multiprocessing as mp
ctx = mp.get_context('spawn')
global_resource = ctx.Semaphore()
def submain(): pass
if __name__ == '__main__':
    p = ctx.Process(target=submain)
    p.start()
    p.join()
