# edits: joined the document's snippets into one file; restored the lost
# indentation (start() and join() inside the for loop).
import multiprocessing

class MyProcess(multiprocessing.Process):

    def run(self):
        print ('called run method by %s' %self.name)
        return

if __name__ == '__main__':
    for i in range(10):
        process = MyProcess()
        process.start()
        process.join()
