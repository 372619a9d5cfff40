# edits: restored the lost indentation.
from multiprocessing import Pool

def f(x):
    return x+10

if __name__ == '__main__':
    p=Pool(processes=5)
    print(p.map(f, [1, 2, 3,5,6,7,8,9,10]))
