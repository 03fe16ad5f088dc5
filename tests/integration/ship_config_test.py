"""Black-box tests of the binary's shipping features: --version and the
connectplane_build_info metric, --db sqlite::memory:, the configuration
layers (flag > CONNECTPLANE_<FLAG> environment > --config file > default,
--print-config) and HTTPS (--tls-cert/--tls-key) with a test CA made by the
openssl CLI at test time. Standard library only.

Usage: ship_config_test.py --binary build/src/main/connectplane
"""
import argparse
import os
import re
import select
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

BINARY = None
SOURCE_DIR = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEMO_SEED = os.path.join(SOURCE_DIR, "examples", "demo-seed.json")
DEMO_INSTANCE = "a1b2c3d4-0000-1111-2222-333344445555"
LISTENING = re.compile(rb"connectplane listening on (https?)://127\.0\.0\.1:(\d+)")


def clean_env(extra=None):
    """The environment without CONNECTPLANE_* variables, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONNECTPLANE_")}
    env.update(extra or {})
    return env


class Server:
    """A connectplane serve process; waits for its "listening on" line."""

    def __init__(self, args, cwd, env=None, timeout=60):
        self.proc = subprocess.Popen([BINARY, "serve", "--listen", "127.0.0.1:0"] + args,
                                     cwd=cwd, env=clean_env(env), stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        deadline = time.monotonic() + timeout
        seen = b""
        while True:
            match = LISTENING.search(seen)
            if match:
                self.scheme = match.group(1).decode()
                self.port = int(match.group(2))
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0 or self.proc.poll() is not None:
                self.stop()
                raise AssertionError(f"server did not start: {seen!r} {self.proc.stderr.read()!r}")
            ready, _, _ = select.select([self.proc.stdout], [], [], remaining)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096)
                if not chunk and self.proc.poll() is not None:
                    continue
                seen += chunk

    def get(self, path, context=None):
        url = f"{self.scheme}://127.0.0.1:{self.port}{path}"
        with urllib.request.urlopen(url, timeout=10, context=context) as response:
            return response.status, response.read().decode()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def run_binary(args, env=None, cwd=None):
    return subprocess.run([BINARY] + args, env=clean_env(env), cwd=cwd, capture_output=True,
                          text=True, timeout=60)


class TempDirTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="cp-ship-config-")

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, "w") as f:
            f.write(text)
        return path


class VersionTest(TempDirTest):
    def test_version_names_version_commit_and_build_type(self):
        result = run_binary(["--version"])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertRegex(result.stdout.strip(),
                         r"^connectplane \d+\.\d+\.\d+ \(commit ([0-9a-f]{7,40}|unknown|\S+), \w+\)$")

    def test_build_info_metric_matches_version(self):
        version = run_binary(["--version"]).stdout.strip()
        match = re.match(r"connectplane (\S+) \(commit (\S+), (\S+)\)", version)
        server = Server(["--db", "sqlite::memory:"], cwd=self.dir)
        try:
            status, text = server.get("/metrics")
        finally:
            server.stop()
        self.assertEqual(status, 200)
        self.assertIn('connectplane_build_info{version="%s",commit="%s",build_type="%s"} 1\n'
                      % match.groups(), text)


class MemoryDatabaseTest(TempDirTest):
    def test_in_memory_store_serves_writes_no_file_and_forgets_on_restart(self):
        server = Server(["--db", "sqlite::memory:", "--seed", DEMO_SEED], cwd=self.dir)
        try:
            self.assertEqual(server.get("/healthz")[0], 200)
            self.assertIn(DEMO_INSTANCE, server.get("/_connectplane/state")[1])
        finally:
            server.stop()
        server = Server(["--db", "sqlite::memory:"], cwd=self.dir)
        try:
            self.assertNotIn(DEMO_INSTANCE, server.get("/_connectplane/state")[1])
        finally:
            server.stop()
        self.assertEqual(os.listdir(self.dir), [])


class ConfigLayersTest(TempDirTest):
    def print_config(self, args, env=None):
        result = run_binary(["serve"] + args + ["--print-config"], env=env, cwd=self.dir)
        self.assertEqual(result.returncode, 0, result.stderr)
        return result.stdout

    def test_flag_beats_environment_beats_file_beats_default(self):
        config = self.write("connectplane.toml",
                            '# test config\nlog-level = "warn"\nthreads = 3\n'
                            '[serve]\njob_seconds = ["create=5", "delete=7"]  # a comment\n'
                            '[admin]\nunrelated = 1\n')
        env = {"CONNECTPLANE_LOG_LEVEL": "error", "CONNECTPLANE_THREADS": "5"}
        flag = ["--config", config, "--log-level", "debug"]
        out = self.print_config(flag, env)
        self.assertIn('log-level = "debug"  # flag\n', out)
        self.assertIn("threads = 5  # environment CONNECTPLANE_THREADS\n", out)
        self.assertIn('job-seconds = ["create=5", "delete=7"]  # config file\n', out)
        self.assertIn('sync = "full"  # default\n', out)
        out = self.print_config(["--config", config], env)
        self.assertIn('log-level = "error"  # environment CONNECTPLANE_LOG_LEVEL\n', out)
        out = self.print_config(["--config", config])
        self.assertIn('log-level = "warn"  # config file\n', out)
        self.assertIn("threads = 3  # config file\n", out)
        out = self.print_config([])
        self.assertIn('log-level = "info"  # default\n', out)
        # The file may also be named by the environment.
        out = self.print_config([], {"CONNECTPLANE_CONFIG": config})
        self.assertIn('log-level = "warn"  # config file\n', out)

    def test_print_config_redacts_secrets_and_is_a_valid_config_file(self):
        env = {"CONNECTPLANE_ADMIN_TOKEN": "s3cret-token#1",
               "CONNECTPLANE_DB": "postgresql://user:pgpass@127.0.0.1:1/db"}
        out = self.print_config(["--admin-allowed-host", "a.example,b.example"], env)
        self.assertNotIn("s3cret", out)
        self.assertNotIn("pgpass", out)
        self.assertIn('admin-token = "<redacted>"  # environment CONNECTPLANE_ADMIN_TOKEN\n', out)
        self.assertIn('admin-allowed-host = ["a.example", "b.example"]  # flag\n', out)
        # Fed back as a config file, it gives the same configuration.
        saved = self.write("saved.toml", self.print_config(["--threads", "4"]))
        again = self.print_config(["--config", saved])
        self.assertIn("threads = 4  # config file\n", again)

    def test_server_takes_its_settings_from_file_and_environment(self):
        config = self.write("c.toml", 'db = "sqlite::memory:"\nseed = "%s"\n' % DEMO_SEED)
        server = Server(["--config", config], cwd=self.dir,
                        env={"CONNECTPLANE_ADMIN_TOKEN": "tok-123"})
        try:
            # The token came from the environment: admin calls without it are refused.
            with self.assertRaises(urllib.error.HTTPError) as refused:
                server.get("/_connectplane/state")
            self.assertEqual(refused.exception.code, 401)
            request = urllib.request.Request(
                f"http://127.0.0.1:{server.port}/_connectplane/state",
                headers={"Authorization": "Bearer tok-123"})
            with urllib.request.urlopen(request, timeout=10) as response:
                self.assertIn(DEMO_INSTANCE, response.read().decode())
        finally:
            server.stop()
        self.assertEqual(sorted(os.listdir(self.dir)), ["c.toml"])

    def test_bad_layers_fail_with_a_message_naming_them(self):
        cases = [
            (["--config", self.write("u.toml", "no-such-flag = 1\n")], {},
             "unknown key 'no-such-flag'"),
            (["--config", self.write("s.toml", 'listen = "unterminated\n')], {}, "line 1"),
            (["--config", os.path.join(self.dir, "missing.toml")], {}, "cannot read config file"),
            ([], {"CONNECTPLANE_THREADS": "many"}, "CONNECTPLANE_THREADS"),
            ([], {"CONNECTPLANE_SYNC": "sometimes"}, "CONNECTPLANE_SYNC"),
        ]
        for args, env, message in cases:
            result = run_binary(["serve", "--db", "sqlite::memory:"] + args, env=env,
                                cwd=self.dir)
            self.assertEqual(result.returncode, 1, (args, env, result.stderr))
            self.assertIn(message, result.stderr, (args, env))
            self.assertNotIn("listening", result.stdout)


def openssl(*args, cwd):
    subprocess.run(["openssl"] + list(args), cwd=cwd, check=True, capture_output=True)


def make_test_ca(directory):
    """A throwaway CA and a server certificate for 127.0.0.1/localhost signed by it."""
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
            "ca.pem", "-days", "2", "-subj", "/CN=connectplane test CA", cwd=directory)
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out",
            "server.csr", "-subj", "/CN=localhost", cwd=directory)
    with open(os.path.join(directory, "server.ext"), "w") as f:
        f.write("subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "server.ext",
            cwd=directory)
    return tuple(os.path.join(directory, name) for name in ("ca.pem", "server.pem", "server.key"))


class TlsTest(TempDirTest):
    def setUp(self):
        super().setUp()
        self.ca, self.cert, self.key = make_test_ca(self.dir)

    def start(self, extra=()):
        return Server(["--db", "sqlite::memory:", "--tls-cert", self.cert, "--tls-key", self.key]
                      + list(extra), cwd=self.dir)

    def tls_socket(self, server):
        context = ssl.create_default_context(cafile=self.ca)
        raw = socket.create_connection(("127.0.0.1", server.port), timeout=10)
        return context.wrap_socket(raw, server_hostname="localhost")

    def read_all(self, sock, timeout=10):
        sock.settimeout(timeout)
        data = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    return data
                data += chunk
        except (ConnectionResetError, ssl.SSLError):
            return data

    def test_serves_https_with_the_test_ca_and_nothing_to_plain_http(self):
        server = self.start()
        try:
            self.assertEqual(server.scheme, "https")
            status, body = server.get("/healthz", ssl.create_default_context(cafile=self.ca))
            self.assertEqual(status, 200)
            # A client that does not trust the CA refuses the server.
            with self.assertRaises(urllib.error.URLError):
                server.get("/healthz", ssl.create_default_context())
            # Plain HTTP on the TLS port: no HTTP answer, the connection is closed.
            plain = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            plain.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = self.read_all(plain)
            plain.close()
            self.assertNotIn(b"HTTP/", answer)
            self.assertNotIn(b"ok", answer)
        finally:
            server.stop()

    def test_transport_protections_apply_over_tls(self):
        server = self.start(["--unauthenticated-timeout-seconds", "1"])
        try:
            # Framing checks: Content-Length with Transfer-Encoding is refused.
            sock = self.tls_socket(server)
            sock.sendall(b"POST /healthz HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
                         b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
            self.assertTrue(self.read_all(sock).startswith(b"HTTP/1.1 400 "))
            sock.close()
            # Header size limit.
            sock = self.tls_socket(server)
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20000 +
                         b"\r\n\r\n")
            self.assertTrue(self.read_all(sock).startswith(b"HTTP/1.1 431 "))
            sock.close()
            # A connection that never completes the handshake is closed in time.
            idle = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            started = time.monotonic()
            self.assertEqual(self.read_all(idle, timeout=8), b"")
            self.assertLess(time.monotonic() - started, 6)
            idle.close()
            # Keep-alive works over TLS: two requests on one connection.
            sock = self.tls_socket(server)
            for _ in range(2):
                sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                sock.settimeout(10)
                self.assertTrue(sock.recv(65536).startswith(b"HTTP/1.1 200 "))
            sock.close()
        finally:
            server.stop()

    def test_bad_certificate_or_key_fails_before_listening(self):
        not_pem = self.write("not.pem", "hello\n")
        other_key = os.path.join(self.dir, "ca.key")
        cases = [
            (["--tls-cert", os.path.join(self.dir, "missing.pem"), "--tls-key", self.key],
             "cannot read TLS certificate"),
            (["--tls-cert", not_pem, "--tls-key", self.key], "not a PEM certificate"),
            (["--tls-cert", self.cert, "--tls-key", not_pem], "not an unencrypted PEM private key"),
            (["--tls-cert", self.cert, "--tls-key", other_key], "does not belong"),
            (["--tls-cert", self.cert], "--tls-key"),
        ]
        for args, message in cases:
            result = run_binary(["serve", "--listen", "127.0.0.1:0", "--db", "sqlite::memory:"]
                                + args, cwd=self.dir)
            self.assertEqual(result.returncode, 1, (args, result.stderr))
            self.assertIn(message, result.stderr, args)
            self.assertNotIn("listening", result.stdout)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--binary", required=True)
    known, rest = parser.parse_known_args()
    BINARY = os.path.abspath(known.binary)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)
