# edits: the document's previous program with the two join() calls it says to add right
# after the start() calls
import multiprocessing
import time

def sleep(sleep_sec=0.5):
    print(f'Sleeping for {sleep_sec} seconds')
    time.sleep(sleep_sec)
    print('Finished sleeping')

if __name__ == "__main__":
    start_time = time.perf_counter()

    # Creates two processes
    p1 = multiprocessing.Process(target=sleep)
    p2 = multiprocessing.Process(target=sleep)

    # Starts both processes
    p1.start()
    p2.start()

    p1.join()
    p2.join()

    finish_time = time.perf_counter()

    print(f"Program finished in {(finish_time - start_time):.3f} seconds")
