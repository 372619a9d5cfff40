# Not a listing of the document: its spawning example with the
# "if __name__ == '__main__':" guard removed, for the claim of its
# "还有更多..." section: the child imports the script that holds the target
# function, and creating the Process objects inside the guarded block is
# what prevents an endless recursion of process creation. The parent also
# prints each child's exit code.
import multiprocessing

def myFunc(i):
    print ('calling myFunc from process n°: %s' %i)
    for j in range (0,i):
        print('output from myFunc is :%s' %j)

for i in range(6):
    process = multiprocessing.Process(target=myFunc, args=(i,))
    process.start()
    process.join()
    print('exit code:', process.exitcode)
