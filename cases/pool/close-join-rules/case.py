# Not a listing of the document: a small program for the claims in the
# comments of its create_pro_pool(): "對Pool對象調用join()方法會等待所有子進程執行
# 完畢,調用join()之前必須先調用close(),調用close()之后就不能繼續添加新的Process了"
# (join() waits for every worker to finish; close() must come before
# join(); after close() no new work can be added).
from multiprocessing import Pool, active_children

def f(x):
    return x*x

if __name__ == '__main__':
    p = Pool(2)
    try:
        p.join()
    except ValueError as e:
        print('join() before close():', type(e).__name__, e)
    print(p.map(f, [1, 2, 3]))
    p.close()
    try:
        p.map(f, [4])
    except ValueError as e:
        print('map() after close():', type(e).__name__, e)
    try:
        p.apply_async(f, (5,))
    except ValueError as e:
        print('apply_async() after close():', type(e).__name__, e)
    p.join()
    print('worker processes after join():', len(active_children()))
