# edits: added the missing import of Pool (the document's first listing
# shows only these functions; its later listings import it with
# "from multiprocessing import Process, Pool, Queue").
from multiprocessing import Pool

def f(x):
    return x*x

def create_pro_pool():
    # 對Pool對象調用join()方法會等待所有子進程執行完畢,調用join()之前必須先調用close(),調用close()之后就不能繼續添加新的Process了。
    # 由于Pool的默認大小是CPU的核數,如果你不幸擁有8核CPU,你要提交至少9個子進程才能看到上面的等待效果。

    p = Pool()
    for i in range(5):
        print(p.map(f, [1, 2, 3]))

    p.close()
    p.join()

if __name__ == '__main__':
    # create_child_pro()
    # create_child_pro_pool()
    # pros_communication()


    create_pro_pool()
