# myFunc.py of the document (the target function in its own module).
# edits: restored the lost indentation.
def myFunc(i):
    print ('calling myFunc from process n°: %s' %i)
    for j in range (0,i):
        print('output from myFunc is :%s' %j)
    return
