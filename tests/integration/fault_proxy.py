"""An HTTP proxy between inlet and a local object-store server (moto): it forwards every
request unchanged and answers with the server's response, and on request it answers a
chosen request itself instead, with an error status (S3's 503 SlowDown, a 500) or by
resetting the connection. It also records which access key signed each request (the
Credential= of a SigV4 Authorization header), which moto itself does not check.

The client (inlet's object_store) and the server are the real ones; only the faults are
made up, the way a flaky network or a throttling store makes them."""
import http.client
import random
import re
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from object_stores import free_port

SLOW_DOWN = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>SlowDown</Code>'
             b'<Message>Please reduce your request rate.</Message></Error>')
# S3's answer to a conditional write while another on the same key is in flight.
CONDITIONAL_CONFLICT = (b'<?xml version="1.0" encoding="UTF-8"?><Error><Code>ConditionalRequestConflict</Code>'
                        b'<Message>A conflicting conditional operation is currently in progress against this '
                        b'resource. Please try again.</Message></Error>')


class Fault:
    """Answer the next `times` requests matching `method` and `path` (a regex on the path
    and query) with `status`; or, for status "reset", reset the connection instead of
    forwarding, and for "reset_after", forward the request and reset the connection instead
    of answering (the store did the write; the client does not know)."""

    def __init__(self, method, path, status, times):
        self.method, self.path, self.status, self.times = method, re.compile(path), status, times

    def matches(self, method, target):
        return self.times > 0 and (self.method in (None, method)) and self.path.search(target) is not None


class FaultProxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.port = free_port()
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self.requests = []  # (method, target, access key id)
        self.injected = []  # (method, target, status)
        self._faults = []
        self._random = None  # (rate, Random, statuses)
        self._lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _body(self):
                if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
                    chunks = []
                    while True:
                        size = int(self.rfile.readline().split(b";")[0], 16)
                        if size == 0:
                            self.rfile.readline()
                            return b"".join(chunks)
                        chunks.append(self.rfile.read(size))
                        self.rfile.readline()
                return self.rfile.read(int(self.headers.get("Content-Length") or 0))

            def _handle(self):
                body = self._body()
                fault = proxy._take_fault(self.command, self.path, self.headers.get("Authorization", ""))
                if fault == "reset":
                    self._reset()
                    return
                if isinstance(fault, int):
                    body = CONDITIONAL_CONFLICT if fault == 409 else SLOW_DOWN
                    self.send_response(fault)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(body)
                    return
                upstream = http.client.HTTPConnection("127.0.0.1", proxy.upstream_port, timeout=120)
                headers = {k: v for k, v in self.headers.items() if k.lower() != "transfer-encoding"}
                headers["Content-Length"] = str(len(body))
                upstream.request(self.command, self.path, body=body, headers=headers)
                response = upstream.getresponse()
                payload = response.read()
                upstream.close()
                if fault == "reset_after":
                    # The server did the work; the client never hears of it.
                    self._reset()
                    return
                self.send_response(response.status, response.reason)
                for k, v in response.getheaders():
                    if k.lower() not in ("transfer-encoding", "content-length", "connection", "server", "date"):
                        self.send_header(k, v)
                # A HEAD's length is the object's, not that of the (empty) payload.
                length = response.getheader("Content-Length") if self.command == "HEAD" else None
                self.send_header("Content-Length", length or str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            def _reset(self):
                # RST instead of FIN: the client sees "connection reset by peer".
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = _handle

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def _take_fault(self, method, target, authorization):
        key = re.search(r"Credential=([^/]+)/", authorization)
        with self._lock:
            self.requests.append((method, target, key.group(1) if key else None))
            for fault in self._faults:
                if fault.matches(method, target):
                    fault.times -= 1
                    self.injected.append((method, target, fault.status))
                    return fault.status
            if self._random is not None:
                rate, rng, statuses = self._random
                if rng.random() < rate:
                    status = rng.choice(statuses)
                    self.injected.append((method, target, status))
                    return status
        return None

    def fail(self, method, path, status=503, times=1):
        """The next `times` matching requests get `status` (or "reset", "reset_after")."""
        with self._lock:
            self._faults.append(Fault(method, path, status, times))

    def fail_randomly(self, rate, seed, statuses=(503, 500, "reset", "reset_after")):
        """Each request, with probability `rate`, gets one of `statuses`."""
        with self._lock:
            self._random = (rate, random.Random(seed), list(statuses))

    def unused_faults(self):
        """The faults set with fail() that no request has met yet."""
        with self._lock:
            return [(f.method, f.path.pattern, f.status) for f in self._faults if f.times > 0]

    def heal(self):
        with self._lock:
            self._faults.clear()
            self._random = None

    def keys_used(self, path_regex=""):
        """The access keys that signed the requests whose path matches."""
        pattern = re.compile(path_regex)
        with self._lock:
            return {key for _, target, key in self.requests if pattern.search(target)}

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
