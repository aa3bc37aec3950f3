#!/usr/bin/env python3
"""A loopback HTTP proxy in front of a test registry that injects faults.

Usage: fault_proxy.py PORT UPSTREAM_PORT MODE COUNT
MODE: status500 | status429 | cut  — the first COUNT requests fail that way, then all pass;
      dieafter — the first COUNT requests pass, then every connection is cut (a registry
      that stops mid-upload); corrupt — blob downloads have their last byte flipped.
"""
import http.client
import signal
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, UPSTREAM, MODE, COUNT = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4])
lock = threading.Lock()
seen = 0


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        global seen
        with lock:
            seen += 1
            n = seen
        length = int(self.headers.get("Content-Length", "0") or 0)
        body = self.rfile.read(length) if length else b""
        failing = MODE != "corrupt" and ((MODE != "dieafter" and n <= COUNT) or (MODE == "dieafter" and n > COUNT))
        if failing and MODE in ("cut", "dieafter"):
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if failing:
            status = 500 if MODE == "status500" else 429
            payload = b'{"errors":[{"code":"UNAVAILABLE","message":"injected fault"}]}' if status == 500 else b""
            self.send_response(status)
            if status == 429:
                self.send_header("Retry-After", "0")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(payload)
            return
        conn = http.client.HTTPConnection("127.0.0.1", UPSTREAM, timeout=60)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "connection")}
        headers["Host"] = f"127.0.0.1:{PORT}"
        conn.request(self.command, self.path, body=body, headers=headers)
        resp = conn.getresponse()
        data = resp.read()
        if MODE == "corrupt" and self.command == "GET" and "/blobs/" in self.path and data:
            data = data[:-1] + bytes([data[-1] ^ 0xFF])
        self.send_response(resp.status)
        for k, v in resp.getheaders():
            if k.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)
        conn.close()

    do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


signal.signal(signal.SIGTERM, signal.SIG_DFL)
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
