#!/usr/bin/env python3
"""A tiny registry token server for mab's tests (loopback only, stdlib + openssl CLI).

Issues RS256 JWTs the way distribution's token auth expects them: header with the
signing certificate in x5c, claims iss/sub/aud/exp/nbf/iat/jti/access. Authenticated
users (HTTP Basic) get every action they ask for; anonymous requests get none.
Usage: token_server.py PORT KEY.pem CERT.pem USER PASSWORD ISSUER
"""
import base64
import json
import signal
import subprocess
import sys
import time
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlparse

PORT, KEY, CERT, USER, PASSWORD, ISSUER = sys.argv[1:7]


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def cert_der() -> bytes:
    pem = open(CERT).read()
    body = "".join(line for line in pem.splitlines() if "-----" not in line)
    return base64.b64decode(body)


X5C = base64.b64encode(cert_der()).decode()


def sign(payload: bytes) -> bytes:
    return subprocess.run(["openssl", "dgst", "-sha256", "-sign", KEY], input=payload,
                          capture_output=True, check=True).stdout


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_GET(self):
        url = urlparse(self.path)
        if url.path != "/token":
            self.send_error(404)
            return
        query = parse_qs(url.query)
        user = None
        header = self.headers.get("Authorization", "")
        if header.startswith("Basic "):
            raw = base64.b64decode(header[6:]).decode()
            name, _, password = raw.partition(":")
            if name != USER or password != PASSWORD:
                self.send_response(401)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"errors":[{"code":"UNAUTHORIZED","message":"invalid username or password"}]}')
                return
            user = name
        access = []
        for scope_param in query.get("scope", []):
            for scope in scope_param.split(" "):
                parts = scope.split(":")
                if len(parts) < 3:
                    continue
                actions = parts[-1].split(",") if user else []
                access.append({"type": parts[0], "name": ":".join(parts[1:-1]), "actions": actions})
        now = int(time.time())
        claims = {"iss": ISSUER, "sub": user or "", "aud": query.get("service", [""])[0], "exp": now + 300,
                  "nbf": now - 10, "iat": now, "jti": str(uuid.uuid4()), "access": access}
        head = {"typ": "JWT", "alg": "RS256", "x5c": [X5C]}
        signing_input = (b64(json.dumps(head).encode()) + "." + b64(json.dumps(claims).encode())).encode()
        token = signing_input.decode() + "." + b64(sign(signing_input))
        body = json.dumps({"token": token, "access_token": token, "expires_in": 300}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# The test runner may start us with SIGTERM ignored; take the default back.
signal.signal(signal.SIGTERM, signal.SIG_DFL)
HTTPServer(("127.0.0.1", int(PORT)), Handler).serve_forever()
