# edits: Python 2 print statements become print() calls.
import os
import time
import random
from multiprocessing import Process, Pool, Queue

def run_proc(name):
    print('Run child process %s (%s)...' % (name, os.getpid()))

def create_child_pro():
    # 創建子進程時,只需要傳入一個執行函數和函數的參數,創建一個Process實例,用start()方法啟動
    # join()方法可以等待子進程結束后再繼續往下運行,通常用于進程間的同步。
    print('Parent process %s.' % os.getpid())
    p = Process(target=run_proc, args=('test',))
    print('Process will start.')
    p.start()
    p.join()
    print('Process end.')
if __name__ == '__main__':
    create_child_pro()
    # create_child_pro_pool()
    # pros_communication()


    # create_pro_pool()
