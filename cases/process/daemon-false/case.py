# run_background_processes_no_daemons.py: the same program with
# background_process.daemon = False, as the document asks.
# edits: joined the document's snippets into one file; restored the lost
# indentation; daemon = True changed to False (the document's variant).
import multiprocessing
import time

def foo():
    name = multiprocessing.current_process().name
    print ("Starting %s \n" %name)
    if name == 'background_process':
        for i in range(0,5):
            print('---> %d \n' %i)
            time.sleep(1)
    else:
        for i in range(5,10):
            print('---> %d \n' %i)
            time.sleep(1)
    print ("Exiting %s \n" %name)

if __name__ == '__main__':
    background_process = multiprocessing.Process\
    (name='background_process',\
    target=foo)
    background_process.daemon = False

    NO_background_process = multiprocessing.Process\
    (name='NO_background_process',\
    target=foo)

    NO_background_process.daemon = False

    background_process.start()
    NO_background_process.start()
