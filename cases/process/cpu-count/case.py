# not a document example: the document shows (as an image) importing the package and
# calling cpu_count() to learn how many cores there are
import multiprocessing
import os

if __name__ == '__main__':
    n = multiprocessing.cpu_count()
    print(n)
    print(n == os.cpu_count())
