"""Harness for connectplane integration tests on PostgreSQL: a Huawei
SDK-HMAC-SHA256 signing client, connectplane server processes, throwaway
databases. Standard library only.

The signer is a copy of the algorithm in shared/reference/huawei_sign.py
(client side), kept here so the tests do not depend on that tree.
"""
import hashlib
import hmac
import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from urllib.parse import quote, unquote, urlsplit

# ---- Huawei SDK-HMAC-SHA256 (client side) ----

ALGORITHM = "SDK-HMAC-SHA256"


def _enc(text):
    return quote(text, safe="")


def _canonical_uri(raw_path):
    out = "/".join(_enc(segment) for segment in raw_path.split("/"))
    return out if out.endswith("/") else out + "/"


def _canonical_query(raw_query):
    if not raw_query:
        return ""
    pairs = []
    for part in raw_query.split("&"):
        if part:
            key, _, value = part.partition("=")
            pairs.append((unquote(key), unquote(value)))
    pairs.sort()
    return "&".join(_enc(k) + "=" + _enc(v) for k, v in pairs)


def sign_headers(ak, sk, method, target, host, body=b""):
    """Headers (including Authorization) for one request, as the SDK sends them."""
    headers = {
        "host": host,
        "x-sdk-date": datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ"),
    }
    if body:
        headers["content-type"] = "application/json"
    signed = sorted(headers)
    parts = urlsplit(target)
    canonical = "\n".join([
        method.upper(),
        _canonical_uri(parts.path),
        _canonical_query(parts.query),
        "".join(f"{name}:{headers[name].strip()}\n" for name in signed),
        ";".join(signed),
        hashlib.sha256(body).hexdigest(),
    ])
    to_sign = "\n".join([ALGORITHM, headers["x-sdk-date"],
                         hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(sk.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    headers["authorization"] = (f"{ALGORITHM} Access={ak}, SignedHeaders={';'.join(signed)}, "
                                f"Signature={signature}")
    return headers


# ---- Zenlayer ZC2-HMAC-SHA256 (client side) ----

ZC_ALGORITHM = "ZC2-HMAC-SHA256"
ZC_CONTENT_TYPE = "application/json"


def zenlayer_headers(access_key_id, password, action, host, body):
    """Headers (including Authorization) for one Zenlayer SDN call, signed as the
    SDKs sign it (docs/reference/zenlayer-sdn-api.md section 1.3)."""
    timestamp = str(int(time.time()))
    canonical = "\n".join(["POST", "/", "", f"content-type:{ZC_CONTENT_TYPE}\nhost:{host}\n",
                           "content-type;host", hashlib.sha256(body).hexdigest()])
    to_sign = "\n".join([ZC_ALGORITHM, timestamp,
                         hashlib.sha256(canonical.encode()).hexdigest()])
    signature = hmac.new(password.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    return {
        "content-type": ZC_CONTENT_TYPE,
        "host": host,
        "x-zc-version": "2023-08-30",
        "x-zc-service": "sdn",
        "x-zc-action": action,
        "x-zc-timestamp": timestamp,
        "x-zc-signature-method": ZC_ALGORITHM,
        "authorization": (f"{ZC_ALGORITHM} Credential={access_key_id}, "
                          f"SignedHeaders=content-type;host, Signature={signature}"),
    }


# ---- tenant used by every test ----

AK = "HPUAINTEGRATIONAK001"
SK = "IntegrationSecretKey000000000000000000000"
PROJECT = "0123456789abcdef0123456789abcdef"


def instance_id(index):
    return f"a1b2c3d4-0000-1111-2222-{index:012d}"


def write_seed(path, instances):
    seed = {
        "description": "integration test tenant",
        "huawei": {
            "credentials": [{"access_key": AK, "secret_key": SK, "project_id": PROJECT,
                             "user_name": "it", "user_id": "it"}],
            "kafka_instances": [
                {"project_id": PROJECT, "instance_id": instance_id(idx), "name": f"kafka-{idx}",
                 "specification": "100MB"} for idx in range(instances)],
        },
    }
    with open(path, "w") as out:
        json.dump(seed, out)


class Response:
    def __init__(self, status, body):
        self.status = status
        self.body = body
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.body[:200]!r}>"


class Replica:
    """One `connectplane serve` process on a free loopback port."""

    def __init__(self, binary, db, seed, log_dir, name, job_seconds="2", threads=2):
        self.name = name
        self.log_path = os.path.join(log_dir, f"{name}.log")
        self.log = open(self.log_path, "w")
        args = [binary, "serve", "--listen", "127.0.0.1:0", "--db", db, "--seed", seed,
                "--job-seconds", job_seconds, "--threads", str(threads), "--log-level", "info"]
        self.process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on http://([\d.]+):(\d+)", line)
        if not match:
            self.process.kill()
            raise RuntimeError(f"{name} did not start: {line!r}; log {self.log_path}:\n"
                               + open(self.log_path).read()[-3000:])
        self.host, self.port = match.group(1), int(match.group(2))
        self.pid = self.process.pid

    def request(self, method, target, body=None, timeout=15.0, signed=True):
        payload = json.dumps(body).encode() if body is not None else b""
        host = f"{self.host}:{self.port}"
        headers = sign_headers(AK, SK, method, target, host, payload) if signed else {"host": host}
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, target, body=payload or None, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read().decode())
        finally:
            connection.close()

    def zenlayer(self, action, params, access_key_id, password, timeout=15.0, when_ready=None):
        """One signed Zenlayer SDN call (POST /api/v2/sdn). `when_ready`, if
        given, is called once the connection is open, just before sending (so
        that racing requests can leave at the same instant)."""
        payload = json.dumps(params).encode()
        host = f"{self.host}:{self.port}"
        headers = zenlayer_headers(access_key_id, password, action, host, payload)
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            if when_ready is not None:
                connection.connect()
                when_ready()
            connection.request("POST", "/api/v2/sdn", body=payload, headers=headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read().decode())
        finally:
            connection.close()

    # DMS calls used by the tests.
    def enable(self, instance):
        return self.request("POST", f"/v2/{PROJECT}/instances/{instance}/connector",
                            {"specification": "100MB", "node_cnt": 2})

    def disable(self, instance):
        return self.request("POST", f"/v2/{PROJECT}/kafka/instances/{instance}/delete-connector")

    def instance(self, instance):
        return self.request("GET", f"/v2/{PROJECT}/instances/{instance}")

    def task(self, instance, task_id):
        return self.request("GET", f"/v2/{PROJECT}/instances/{instance}/tasks/{task_id}")

    def tasks(self, instance):
        return self.request("GET", f"/v2/{PROJECT}/instances/{instance}/tasks?limit=100")

    def state(self):
        return self.request("GET", "/_connectplane/state", signed=False)

    def kill9(self):
        self.process.kill()  # SIGKILL
        self.process.wait()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()

    def alive(self):
        return self.process.poll() is None


def binary_path():
    binary = os.environ.get("CONNECTPLANE_BIN")
    if not binary:
        root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
        build_dir = os.environ.get("CONNECTPLANE_BUILD_DIR", "build")
        binary = os.path.join(root, build_dir, "src", "main", "connectplane")
    if not os.access(binary, os.X_OK):
        sys.exit(f"connectplane binary not found at {binary} (set CONNECTPLANE_BIN)")
    return binary


def fresh_database(label):
    """Creates an empty database on the test server; returns its URI."""
    dsn = os.environ.get("CONNECTPLANE_TEST_POSTGRES_DSN")
    if not dsn:
        sys.exit("CONNECTPLANE_TEST_POSTGRES_DSN is not set; run under scripts/with-postgres.sh")
    name = f"{label}_{os.getpid()}"
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    subprocess.run([psql, dsn, "-qAt", "-c", f"DROP DATABASE IF EXISTS {name}",
                    "-c", f"CREATE DATABASE {name}"], check=True, stdout=subprocess.DEVNULL)
    base, _, _ = dsn.rpartition("/")
    return f"{base}/{name}"


def psql_value(dsn, sql):
    psql = shutil.which("psql") or "/usr/lib/postgresql/15/bin/psql"
    done = subprocess.run([psql, dsn, "-qAt", "-c", sql], check=True, capture_output=True,
                          text=True)
    return done.stdout.strip()


def wait_until(predicate, timeout, interval=0.2, what="condition"):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(interval)


class Checks:
    """Counts and prints check results; exit status reflects failures."""

    def __init__(self, name):
        self.name = name
        self.failed = 0
        self.passed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
            print(f"  ok   {message}", flush=True)
        else:
            self.failed += 1
            print(f"  FAIL {message}", flush=True)
        return condition

    def finish(self):
        print(f"{self.name}: {self.passed} checks passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 else 1


def temp_dir(label):
    return tempfile.mkdtemp(prefix=f"connectplane-{label}.")
