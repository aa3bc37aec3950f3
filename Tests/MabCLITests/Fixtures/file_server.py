"""Serves a directory over HTTP on 127.0.0.1 (stdlib only): ADD URL tests.

Usage: file_server.py PORT DIR. Sends Last-Modified from each file's mtime, as any static
file server does; paths outside DIR are not served (http.server guards that).
"""
import functools
import http.server
import sys

port, directory = int(sys.argv[1]), sys.argv[2]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=directory)
http.server.ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()
