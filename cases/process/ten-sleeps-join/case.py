# edits: fixed the document's f-string, "{finish_time - start_time):.3f}", a SyntaxError
# (f-string: unmatched ')'), to "{(finish_time - start_time):.3f}"
import multiprocessing
import time

def sleep(sleep_sec=0.5):
    print(f'Sleeping for {sleep_sec} seconds')
    time.sleep(sleep_sec)
    print('Finished sleeping')

if __name__ == "__main__":
    start_time = time.perf_counter()
    processes = []

    # Creates 10 processes then starts them
    for i in range(10):
        p = multiprocessing.Process(target=sleep, args=(1.0,))
        p.start()
        processes.append(p)

    # Joins all the processes
    for p in processes:
        p.join()

    finish_time = time.perf_counter()

    print(f"Program finished in {(finish_time - start_time):.3f} seconds")
