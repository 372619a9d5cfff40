# edits: joined the document's snippets into one file; restored the lost
# indentation (start() and join() inside the for loop, as in the
# "还有更多..." variant of the same example).
import multiprocessing

def myFunc(i):
    print ('calling myFunc from process n°: %s' %i)
    for j in range (0,i):
        print('output from myFunc is :%s' %j)

if __name__ == '__main__':
    for i in range(6):
        process = multiprocessing.Process(target=myFunc, args=(i,))
        process.start()
        process.join()
