"""A loopback HTTP(S) server for Weft's HTTP tests and benchmark.

Usage: server.py [--host 127.0.0.1] [--cert CERT --key KEY] [--log FILE]
Prints "PORT <n>" on its first output line once it listens; stops when its standard input closes.
Every accepted connection and request is appended to --log ("CONNECT" / "GET /path?query").
"""

import argparse
import base64
import json
import os
import socket
import ssl
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STATE = {"counters": {}, "tokens": 0}
LOCK = threading.Lock()
LOG = None

CLIENT_ID = "weft-client"
CLIENT_SECRET = "client-secret-0451"


def log(line):
    if LOG:
        with LOCK, open(LOG, "a") as f:
            f.write(line + "\n")


def bump(key):
    with LOCK:
        STATE["counters"][key] = STATE["counters"].get(key, 0) + 1
        return STATE["counters"][key]


class Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def get_request(self):
        request = super().get_request()
        log("CONNECT")
        return request


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def base(self):
        scheme = "https" if isinstance(self.connection, ssl.SSLSocket) else "http"
        return f"{scheme}://{self.headers.get('Host')}"

    def send_json(self, value, status=200, headers=None):
        body = json.dumps(value).encode()
        self.send_bytes(body, "application/json", status, headers)

    def send_bytes(self, body, content_type, status=200, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def chunked(self, content_type, chunks):
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        buffer = []
        size = 0
        for chunk in chunks:
            buffer.append(chunk)
            size += len(chunk)
            if size >= 1 << 16:
                data = b"".join(buffer)
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                buffer, size = [], 0
        if buffer:
            data = b"".join(buffer)
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.write(b"0\r\n\r\n")

    def do_GET(self):
        self.handle_any()

    def do_POST(self):
        self.handle_any()

    def do_PUT(self):
        self.handle_any()

    def do_DELETE(self):
        self.handle_any()

    def do_PATCH(self):
        self.handle_any()

    def handle_any(self):
        log(f"{self.command} {self.path}")
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        route = url.path
        try:
            handler = getattr(self, "route_" + route.strip("/").replace("/", "_").replace("-", "_"), None)
            if handler is None:
                self.send_json({"error": "not found", "path": route}, 404)
            else:
                handler(query, body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    # Echo and status

    def route_echo(self, query, body):
        self.send_json({
            "method": self.command,
            "path": self.path,
            "query": query,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": body.decode("utf-8", "replace"),
        })

    def route_status(self, query, body):
        self.send_json({"error": "as asked"}, int(query.get("code", "500")))

    def route_slow(self, query, body):
        time.sleep(float(query.get("seconds", "3")))
        self.send_json({"slow": True})

    def route_xml(self, query, body):
        text = ('<?xml version="1.0"?><findings count="2"><finding id="f1"><severity>high</severity></finding>'
                '<finding id="f2"><severity>low</severity></finding></findings>')
        self.send_bytes(text.encode(), "application/xml")

    # Auth

    def route_auth_basic(self, query, body):
        expected = "Basic " + base64.b64encode(f"{query['user']}:{query['password']}".encode()).decode()
        ok = self.headers.get("Authorization") == expected
        self.send_json({"authenticated": ok, "authorization": self.headers.get("Authorization")}, 200 if ok else 401)

    def route_auth_bearer(self, query, body):
        ok = self.headers.get("Authorization") == "Bearer " + query["token"]
        self.send_json({"authenticated": ok, "authorization": self.headers.get("Authorization")}, 200 if ok else 401)

    def route_auth_key(self, query, body):
        name = query.get("name", "X-API-Key")
        value = self.headers.get(name) if query.get("in", "header") == "header" else query.get(name)
        ok = value == query["key"]
        self.send_json({"authenticated": ok, "seen": value}, 200 if ok else 401)

    def route_oauth_token(self, query, body):
        form = dict(urllib.parse.parse_qsl(body.decode()))
        if form.get("grant_type") != "client_credentials" or form.get("client_id") != CLIENT_ID \
                or form.get("client_secret") != CLIENT_SECRET:
            self.send_json({"error": "invalid_client", "error_description": "bad client"}, 401)
            return
        with LOCK:
            STATE["tokens"] += 1
            number = STATE["tokens"]
        self.send_json({"access_token": f"oauth-token-{number}-abcdef", "token_type": "Bearer",
                        "expires_in": int(query.get("expires", "3600")), "scope": form.get("scope", "")})

    def route_oauth_api(self, query, body):
        auth = self.headers.get("Authorization", "")
        ok = auth.startswith("Bearer oauth-token-")
        self.send_json({"authenticated": ok, "authorization": auth}, 200 if ok else 401)

    def route_oauth_count(self, query, body):
        self.send_json({"tokens": STATE["tokens"]})

    # Retries and redirects

    def route_retry(self, query, body):
        attempt = bump("retry-" + query.get("key", ""))
        if attempt <= int(query.get("fail", "1")):
            headers = {"Retry-After": query["after"]} if "after" in query else {}
            self.send_json({"attempt": attempt}, int(query.get("status", "429")), headers)
        else:
            self.send_json({"attempt": attempt, "at": time.time()})

    def route_redirect(self, query, body):
        remaining = int(query.get("n", "1"))
        if remaining <= 0:
            self.send_json({"redirected": True, "authorization": self.headers.get("Authorization")})
            return
        self.send_bytes(b"", "text/plain", 302, {"Location": f"/redirect?n={remaining - 1}"})

    def route_redirect_to(self, query, body):
        self.send_bytes(b"", "text/plain", int(query.get("status", "302")), {"Location": query["url"]})

    # Pagination: three pages of two items each

    @staticmethod
    def page_items(page):
        return [{"page": page, "n": i} for i in range(2)]

    def route_pages_link(self, query, body):
        page = int(query.get("page", "1"))
        headers = {}
        if page < 3:
            headers["Link"] = f'<{self.base()}/pages/link?page={page + 1}>; rel="next", <{self.base()}/pages/link?page=3>; rel="last"'
        self.send_json({"items": self.page_items(page)}, 200, headers)

    def route_pages_next(self, query, body):
        page = int(query.get("page", "1"))
        following = None
        if page == 1:
            following = f"{self.base()}/pages/next?page=2"
        elif page == 2:
            following = "/pages/next?page=3"
        self.send_json({"items": self.page_items(page), "links": {"next": following}})

    def route_pages_cursor(self, query, body):
        cursor = query.get("cursor", "")
        page = {"": 1, "c2": 2, "c3": 3}[cursor]
        self.send_json({"items": self.page_items(page), "next_cursor": {1: "c2", 2: "c3", 3: None}[page]})

    def route_pages_number(self, query, body):
        page = int(query.get("page", "0"))
        self.send_json({"data": {"items": self.page_items(page) if 1 <= page <= 3 else []}})

    def route_pages_endless(self, query, body):
        page = int(query.get("page", "1"))
        self.send_json({"items": self.page_items(page)}, 200, {"Link": f'</pages/endless?page={page + 1}>; rel="next"'})

    # Large bodies

    @staticmethod
    def record(i, pad):
        return {"id": i, "name": f"item-{i}", "active": i % 3 != 0, "region": ["eu-west-2", "us-east-1"][i % 2],
                "tags": {"Owner": f"team-{i % 7}", "Env": "prod" if i % 5 == 0 else "dev"}, "pad": "x" * pad}

    def route_large(self, query, body):
        count = int(query.get("count", "1000"))
        pad = int(query.get("pad", "0"))
        wrap = query.get("wrap")

        def generate():
            yield (b'{"meta": {"count": %d, "note": "[not the array]"}, "%s": [' % (count, wrap.encode())) if wrap else b"["
            for i in range(count):
                yield (b",\n  " if i else b"\n  ") + json.dumps(self.record(i, pad)).encode()
            yield b"\n]}" if wrap else b"\n]"
        self.chunked("application/json", generate())

    def route_ndjson(self, query, body):
        count = int(query.get("count", "1000"))
        self.chunked("application/x-ndjson", (json.dumps(self.record(i, 0)).encode() + b"\n" for i in range(count)))

    def route_file(self, query, body):
        path = query["path"]
        size = os.path.getsize(path)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        with open(path, "rb") as f:
            while True:
                chunk = f.read(1 << 20)
                if not chunk:
                    break
                self.wfile.write(chunk)


def main():
    global LOG
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--log")
    args = parser.parse_args()
    LOG = args.log
    Server.address_family = socket.AF_INET6 if ":" in args.host else socket.AF_INET
    server = Server((args.host, 0), Handler)
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"PORT {server.server_address[1]}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
