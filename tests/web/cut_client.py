#!/usr/bin/env python3
"""cut_client.py URL PATH [PID]: GET PATH from the server at URL as a slow
client (a small receive window), reading the first bytes, then (with PID)
killing process PID (SIGTERM) and reading the rest to the end.  Prints the
HTTP status, then "whole" when the chunked body ended with its last chunk
or "cut" when the connection closed without it, then the number of
lines of the body received."""
import os
import signal
import socket
import sys
import time
from urllib.parse import urlsplit


def main():
    url, path = sys.argv[1], sys.argv[2]
    pid = int(sys.argv[3]) if len(sys.argv) > 3 else 0
    u = urlsplit(url)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.settimeout(30)
    s.connect((u.hostname, u.port))
    s.sendall(("GET %s HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" % path).encode())
    data = b""
    while b"\r\n\r\n" not in data or len(data) < 8192:
        got = s.recv(4096)
        if not got:
            break
        data += got
    if pid:
        os.kill(pid, signal.SIGTERM)
        time.sleep(0.5)
    while True:
        got = s.recv(65536)
        if not got:
            break
        data += got
    head, _, body = data.partition(b"\r\n\r\n")
    print(head.split(b"\r\n")[0].split(b" ")[1].decode())
    print("whole" if body.endswith(b"\r\n0\r\n\r\n") else "cut")
    # undo the chunked encoding, as far as it goes
    out, at = b"", 0
    while True:
        eol = body.find(b"\r\n", at)
        if eol < 0:
            break
        n = int(body[at:eol].split(b";")[0] or b"0", 16)
        if n == 0:
            break
        out += body[eol + 2:eol + 2 + n]
        at = eol + 2 + n + 2
    print(out.count(b"\n"))


main()
