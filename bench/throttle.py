#!/usr/bin/env python3
"""A loopback TCP proxy that caps each connection's server-to-client rate, as a CDN does (case 8).

usage: throttle.py TARGET_PORT BYTES_PER_SECOND   -> prints "PORT" of 127.0.0.1:PORT on stdout, then serves
Client-to-server bytes pass unthrottled; every connection gets its own cap (a token schedule: after N bytes it
sleeps until start + N / rate). Two threads per connection, bytes moved with splice(2); ends on SIGTERM.
"""
import os
import socket
import sys
import threading
import time

CHUNK = 256 * 1024


def pump(src, dst, rate):
    start, sent = time.monotonic(), 0
    rfd, wfd = os.pipe()  # splice(2) through a pipe: the bytes never enter Python (little CPU at 400 MB/s)
    try:
        while True:
            want = CHUNK if rate is None else max(1, min(CHUNK, rate // 20))
            n = os.splice(src.fileno(), wfd, want)
            if n == 0:
                break
            left = n
            while left:
                left -= os.splice(rfd, dst.fileno(), left)
            if rate is not None:
                sent += n
                wait = start + sent / rate - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
    except OSError:
        pass
    finally:
        os.close(rfd)
        os.close(wfd)
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()


def main():
    target, rate = int(sys.argv[1]), int(float(sys.argv[2]))
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    print(srv.getsockname()[1], flush=True)
    while True:
        client, _ = srv.accept()
        up = socket.create_connection(("127.0.0.1", target))
        for s in (client, up):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        threading.Thread(target=pump, args=(client, up, None), daemon=True).start()
        threading.Thread(target=pump, args=(up, client, rate), daemon=True).start()


if __name__ == "__main__":
    main()
