"""A fault-injecting HTTP proxy on 127.0.0.1 in front of moto, for retry tests.

usage: fault_proxy.py PORT UPSTREAM FAILURE_RATE

Forwards every request to UPSTREAM (a loopback URL). A share FAILURE_RATE of the requests, spread
evenly and deterministically (with 0.5, every second request), is answered instead, without
forwarding, in turn by a throttling error in the protocol of the service the request is signed for
(EC2: RequestLimitExceeded; query services: Throttling; S3: SlowDown; JSON services:
ThrottlingException), a 500 and a 503. GET /__faults answers the number of faults injected so far.
"""
import http.server
import json
import re
import sys
import threading
import urllib.error
import urllib.request

port, upstream, rate = int(sys.argv[1]), sys.argv[2].rstrip("/"), float(sys.argv[3])
assert upstream.startswith("http://127.0.0.1:"), "loopback only"
lock = threading.Lock()
faults = {"count": 0, "requests": 0}


def throttle(service):
    if service == "ec2":
        body = ('<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>RequestLimitExceeded</Code>'
                "<Message>Request limit exceeded.</Message></Error></Errors><RequestID>fault-proxy</RequestID></Response>")
        return 503, "text/xml", body
    if service in ("rds", "iam", "sns", "sts", "elasticloadbalancing", "autoscaling", "cloudformation"):
        body = ('<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>'
                "<RequestId>fault-proxy</RequestId></ErrorResponse>")
        return 400, "text/xml", body
    if service == "s3":
        return 503, "application/xml", "<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>"
    return 400, "application/x-amz-json-1.1", json.dumps({"__type": "ThrottlingException", "message": "Rate exceeded"})


class Proxy(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_one(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.path == "/__faults":
            return self.reply(200, "application/json", json.dumps(faults))
        with lock:
            faults["requests"] += 1
            k = faults["requests"]
            inject = int(k * rate) > int((k - 1) * rate)
            if inject:
                faults["count"] += 1
            kind = faults["count"] % 3
        if inject:
            match = re.search(r"Credential=[^/]+/[^/]+/[^/]+/([^/]+)/", self.headers.get("Authorization", ""))
            service = match.group(1) if match else ""
            if kind == 1:
                return self.reply(*throttle(service))
            return self.reply(500 if kind == 2 else 503, "text/plain", "")
        request = urllib.request.Request(upstream + self.path, data=body if body or self.command in ("POST", "PUT") else None,
                                         method=self.command)
        for name, value in self.headers.items():
            if name.lower() not in ("host", "content-length", "connection"):
                request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, headers, data = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, data = error.code, error.headers, error.read()
        self.send_response(status)
        for name, value in headers.items():
            if name.lower() not in ("content-length", "connection", "transfer-encoding", "server", "date"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def reply(self, status, content_type, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_PATCH = handle_one


http.server.ThreadingHTTPServer(("127.0.0.1", port), Proxy).serve_forever()
