"""Minimal Huawei SDK-HMAC-SHA256 client for integration tests (stdlib only).

Written from the documented signing algorithm (docs/reference), independent of
the server code: canonical request = method, path segments percent-encoded with
a trailing '/', sorted re-encoded query, signed headers, body hash; signature =
HMAC-SHA256(SK, "SDK-HMAC-SHA256\\n<date>\\n<sha256(canonical request)>").
"""
import hashlib
import hmac
import http.client
import json
import subprocess
import tempfile
import time
import os
import re
from urllib.parse import quote, unquote

DEMO_AK = "HPUAEXAMPLEAK0000001"
DEMO_SK = "ExampleSecretKey0000000000000000000000000"
DEMO_PROJECT = "0123456789abcdef0123456789abcdef"


def _encode(text):
    return quote(text, safe="-_.~")


def _canonical(method, target, headers, body, signed):
    path, _, query = target.partition("?")
    uri = "/".join(_encode(segment) for segment in path.split("/"))
    if not uri.endswith("/"):
        uri += "/"
    pairs = sorted((unquote(k), unquote(v)) for k, _, v in
                   (part.partition("=") for part in query.split("&") if part))
    canonical_query = "&".join(f"{_encode(k)}={_encode(v)}" for k, v in pairs)
    lower = {k.lower(): v for k, v in headers.items()}
    canonical_headers = "".join(f"{name}:{lower[name].strip()}\n" for name in signed)
    return "\n".join([method, uri, canonical_query, canonical_headers, ";".join(signed),
                      hashlib.sha256(body.encode()).hexdigest()])


class Client:
    """One keep-alive connection; not thread-safe (use one per thread)."""

    def __init__(self, port, ak=DEMO_AK, sk=DEMO_SK, project=DEMO_PROJECT, timeout=10):
        self.port, self.ak, self.sk, self.project = port, ak, sk, project
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)

    def call(self, method, target, body="", extra_headers=None):
        date = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
        headers = {"Content-Type": "application/json", "X-Project-Id": self.project,
                   "X-Sdk-Date": date, "host": f"127.0.0.1:{self.port}"}
        signed = ["content-type", "host", "x-project-id", "x-sdk-date"]
        string_to_sign = "\n".join(["SDK-HMAC-SHA256", date, hashlib.sha256(
            _canonical(method, target, headers, body, signed).encode()).hexdigest()])
        signature = hmac.new(self.sk.encode(), string_to_sign.encode(), hashlib.sha256).hexdigest()
        headers["Authorization"] = (f"SDK-HMAC-SHA256 Access={self.ak}, "
                                    f"SignedHeaders={';'.join(signed)}, Signature={signature}")
        headers.update(extra_headers or {})
        self.connection.request(method, target, body=body.encode() if body else None,
                                headers=headers)
        response = self.connection.getresponse()
        data = response.read().decode()
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = data
        return response.status, parsed

    def close(self):
        self.connection.close()


class Server:
    """The real binary on port 0 with a seed, in a temp dir that survives restarts."""

    def __init__(self, binary, seed, job_seconds=("0",), directory=None, extra_args=()):
        self.binary, self.seed, self.job_seconds = binary, seed, job_seconds
        self.extra_args = list(extra_args)
        self.dir = directory or tempfile.mkdtemp(prefix="connectplane-it-")
        with open(os.path.join(self.dir, "seed.json"), "w") as out:
            json.dump(seed, out)
        self.process = None
        self.port = None

    def start(self):
        args = [self.binary, "serve", "--listen", "127.0.0.1:0",
                "--db", "sqlite:" + os.path.join(self.dir, "state.db"),
                "--seed", os.path.join(self.dir, "seed.json"), "--log-level", "warn"]
        for value in self.job_seconds:
            args += ["--job-seconds", value]
        args += self.extra_args
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        line = self.process.stdout.readline()  # blocks until the banner (or exit)
        match = re.search(r"listening on http://127\.0\.0\.1:(\d+)", line)
        if not match:
            raise RuntimeError(f"server did not start: {line!r}")
        self.port = int(match.group(1))
        return self

    def kill(self):
        self.process.kill()
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=20)

    def admin(self, method, route, body=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        # The admin API refuses calls that change state unless they declare JSON.
        headers = {} if method == "GET" else {"Content-Type": "application/json"}
        connection.request(method, "/_connectplane/" + route,
                           body=json.dumps(body) if body is not None else None, headers=headers)
        response = connection.getresponse()
        data = json.loads(response.read().decode())
        connection.close()
        return response.status, data


def wait_for(predicate, timeout=30.0, interval=0.05, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(interval)
