# spec: OtherTest.test_deliver_challenge_auth_failure (CPython 3.11):
# the server side of the authentication given a bogus digest.
import multiprocessing
import multiprocessing.connection
from multiprocessing import Pipe


class _FakeConnection(object):
    def recv_bytes(self, size):
        return b'something bogus'

    def send_bytes(self, data):
        pass


def attempt(what, fn, *args):
    try:
        print('%s: %r' % (what, fn(*args)))
    except multiprocessing.AuthenticationError as e:
        print('%s: %s %s' % (what, type(e).__name__, e))


if __name__ == '__main__':
    # the suite's own fake connection: every answer is a bogus digest
    attempt('deliver_challenge(fake)',
            multiprocessing.connection.deliver_challenge,
            _FakeConnection(), b'abc')
    # a real Pipe whose other end answers with a bogus digest
    a, b = Pipe()
    b.send_bytes(b'something bogus')
    attempt('deliver_challenge(pipe)',
            multiprocessing.connection.deliver_challenge, a, b'abc')
    msg = b.recv_bytes()
    print('challenge sent:', msg[:len(b'#CHALLENGE#')], len(msg))
    print('then:', b.recv_bytes())
    a.close()
    b.close()
