#!/usr/bin/env python3
"""Connection exhaustion of `sosik serve` (issue 9, defect 4): how many of 48 normal page requests
succeed while 300 clients hold idle live-reload event streams, and while 300 slowloris clients
trickle their request heads (reconnecting when dropped).

    cargo build --bin sosik && tests/bench/serve_exhaustion.py target/debug/sosik

Prints one line per scenario: `<scenario>: N of 48 normal requests answered 200`.
"""
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ATTACKERS = 300
NORMAL = 48
HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(HERE, "..", "fixtures", "serve", "site")


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def start(binary, root, port):
    proc = subprocess.Popen(
        [binary, "serve", "--root", root, "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if normal_get(port, timeout=5):
                return proc
        except OSError:
            pass
        time.sleep(0.2)
    proc.kill()
    sys.exit("the server did not come up")


def normal_get(port, timeout=10.0):
    """One page request, as a browser's: True when answered 200."""
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        s.settimeout(timeout)
        s.sendall(f"GET /news/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        s.close()
        return data.startswith(b"HTTP/1.1 200")
    except OSError:
        return False


def normal_requests(port, spread):
    """NORMAL requests spread over `spread` seconds, a few at a time; how many got a 200."""
    ok = 0
    lock = threading.Lock()

    def one():
        nonlocal ok
        if normal_get(port):
            with lock:
                ok += 1

    threads = []
    for _ in range(NORMAL):
        t = threading.Thread(target=one)
        t.start()
        threads.append(t)
        time.sleep(spread / NORMAL)
    for t in threads:
        t.join()
    return ok


def idle_event_streams(port):
    conns = []
    for _ in range(ATTACKERS):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.sendall(f"GET /__sosik/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode())
            conns.append(s)
        except OSError:
            pass
    time.sleep(1)
    ok = normal_requests(port, 6)
    for s in conns:
        s.close()
    return ok


def slowloris(port):
    stop = threading.Event()
    head = f"GET /news/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n".encode()

    def connect():
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=5)
            s.setblocking(False)
            s.send(head)
            return s
        except OSError:
            return None

    def attack():
        conns = [connect() for _ in range(ATTACKERS)]
        while not stop.is_set():
            for i, s in enumerate(conns):
                try:
                    if s is None:
                        raise OSError
                    s.send(b"X")
                except OSError:
                    if s is not None:
                        s.close()
                    conns[i] = connect()
            time.sleep(0.5)
        for s in conns:
            if s is not None:
                s.close()

    t = threading.Thread(target=attack)
    t.start()
    time.sleep(2)
    # Over more than one 10 s head deadline, so that dropped attackers have come back.
    ok = normal_requests(port, 24)
    stop.set()
    t.join()
    return ok


def main():
    binary = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else "target/debug/sosik")
    with tempfile.TemporaryDirectory() as tmp:
        root = os.path.join(tmp, "site")
        shutil.copytree(FIXTURE, root)
        for name, scenario in [("300 idle event streams", idle_event_streams), ("300 slowloris clients", slowloris)]:
            port = free_port()
            proc = start(binary, root, port)
            try:
                print(f"{name}: {scenario(port)} of {NORMAL} normal requests answered 200", flush=True)
            finally:
                proc.terminate()
                proc.wait()


if __name__ == "__main__":
    main()
