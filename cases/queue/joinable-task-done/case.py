# Not a listing of the document: a small program for its claim (还有更多...)
# that JoinableQueue adds task_done(), called by the consumer after each
# get(), and join(), which blocks until every item put has been processed.
# Both sides print with flush=True so that the order of the lines is the
# order of the events even through a pipe. The last step shows that the
# counting is real: one task_done() too many is an error.
import multiprocessing
import time

def consumer(queue):
    while True:
        item = queue.get()
        time.sleep(1)
        print('consumer: item %d processed' % item, flush=True)
        queue.task_done()

if __name__ == '__main__':
    queue = multiprocessing.JoinableQueue()
    process_consumer = multiprocessing.Process(target=consumer,
                                               args=(queue,), daemon=True)
    for item in range(5):
        queue.put(item)
    print('main: 5 items put, starting the consumer', flush=True)
    process_consumer.start()
    queue.join()
    print('main: join() returned', flush=True)
    try:
        queue.task_done()
    except ValueError as e:
        print('ValueError:', e, flush=True)
