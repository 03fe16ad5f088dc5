'use strict';
// Starts the real connectplane binary on a free port, a fresh database and a
// seed file written by the test, and stops it again.
//
//   const srv = await startServer({ seed, jobSeconds: ['0'] });  // seed defaults to the demo seed
//   srv.endpoint  // 'http://127.0.0.1:PORT' (no trailing slash)
//   await srv.stop();   // SIGTERM, then SIGKILL after a deadline
//   await srv.kill();   // SIGKILL (crash simulation)
//   srv.cleanup();      // removes the temp dir (seed + SQLite file) and drops the PostgreSQL database
//   await startServer({ dir: srv.dir });  // restart on the same database and seed
//
// Backend: a SQLite file in the workspace's temp dir by default. With
// CONNECTPLANE_E2E_POSTGRES_DSN set to a libpq URI of a PostgreSQL server
// (e.g. postgresql://postgres@127.0.0.1:5432/connectplane, a role allowed to
// CREATE DATABASE), every workspace gets its own fresh database e2e_<random> on
// that server instead (created with psql through the DSN's own database, which
// must exist); a restart with {dir} reuses it, cleanup() drops it (best effort).
// Tests that only make sense on SQLite use { skip: sqliteOnly('why') }.
//
// CONNECTPLANE_LOG_LEVEL=info (or debug) passes --log-level and copies the
// server's stderr to ours; by default the server logs at "warn" and its stderr
// is only kept (last 64 KiB) for failure messages.
//
// Every process started here is also SIGKILLed when the Node process exits, so a
// failing test never leaves a server behind.
//
// HTTPS: startServer({ tls: true }), or CONNECTPLANE_E2E_TLS=1 for every server,
// serves over TLS with a certificate from a throwaway test CA that the openssl
// CLI creates once per Node process (testCertificateAuthority(); no key is
// committed). srv.endpoint is then 'https://127.0.0.1:PORT' and kafkaClient()
// (lib/client.js) trusts the test CA through the SDK's axios httpsAgent option.

const { execFileSync, spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const E2E_DIR = path.resolve(__dirname, '..');
const DEFAULT_BIN = path.resolve(E2E_DIR, '..', 'build', 'src', 'main', 'connectplane');
const DEMO_SEED = path.resolve(E2E_DIR, '..', 'examples', 'demo-seed.json');
const LISTEN_RE = /^connectplane listening on (https?:\/\/\S+?)\/?$/;

const live = new Set();
process.on('exit', () => {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch (_) { /* already gone */ }
  }
});

// --- HTTPS (startServer({ tls }), CONNECTPLANE_E2E_TLS=1) ---

let testCa;

/**
 * A CA and a server certificate for 127.0.0.1 and localhost signed by it, made
 * with the openssl CLI on first use and removed when the process exits:
 * { caPath, certPath, keyPath, ca (the CA certificate PEM, a Buffer) }.
 */
function testCertificateAuthority() {
  if (testCa) return testCa;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectplane-e2e-ca-'));
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const openssl = (...args) => execFileSync('openssl', args,
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 60000 });
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', '2', '-subj', '/CN=connectplane e2e test CA');
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr',
    '-subj', '/CN=localhost');
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl('x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key',
    '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'server.ext');
  testCa = {
    caPath: path.join(dir, 'ca.pem'),
    certPath: path.join(dir, 'server.pem'),
    keyPath: path.join(dir, 'server.key'),
    ca: fs.readFileSync(path.join(dir, 'ca.pem')),
  };
  return testCa;
}

/** Whether servers started without an explicit { tls } serve HTTPS. */
function tlsByDefault() {
  return process.env.CONNECTPLANE_E2E_TLS === '1';
}

function binaryPath() {
  const bin = process.env.CONNECTPLANE_BIN ? path.resolve(process.env.CONNECTPLANE_BIN) : DEFAULT_BIN;
  if (!fs.existsSync(bin)) {
    throw new Error(`connectplane binary not found at ${bin}; build it or set CONNECTPLANE_BIN`);
  }
  return bin;
}

/** A deep copy of examples/demo-seed.json (tests add to it). */
function demoSeed() {
  return JSON.parse(fs.readFileSync(DEMO_SEED, 'utf8'));
}

// --- PostgreSQL backend (CONNECTPLANE_E2E_POSTGRES_DSN) ---

const POSTGRES_DSN_ENV = 'CONNECTPLANE_E2E_POSTGRES_DSN';
// The workspace file naming its PostgreSQL database; its absence means SQLite.
const POSTGRES_DB_FILE = 'postgres-database';

/** 'postgresql' when CONNECTPLANE_E2E_POSTGRES_DSN is set, else 'sqlite'. */
function backend() {
  return process.env[POSTGRES_DSN_ENV] ? 'postgresql' : 'sqlite';
}

/**
 * For a test's `skip` option: false on SQLite, a reason on PostgreSQL, e.g.
 *   test('...', { skip: sqliteOnly('inspects the SQLite file') }, async () => { ... });
 */
function sqliteOnly(why) {
  return backend() === 'sqlite' ? false : `SQLite only (${why}); this run uses PostgreSQL`;
}

/** The DSN from the environment with its database replaced by `database`. */
function postgresUri(database) {
  const dsn = process.env[POSTGRES_DSN_ENV];
  if (!dsn) {
    throw new Error(`this workspace uses PostgreSQL database ${database}, but ${POSTGRES_DSN_ENV} is not set`);
  }
  if (!/^postgres(ql)?:\/\//.test(dsn)) {
    throw new Error(`${POSTGRES_DSN_ENV} must be a libpq URI (postgresql://USER@HOST:PORT/DBNAME), got ${dsn}`);
  }
  const url = new URL(dsn);
  if (database !== undefined) url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one SQL statement through psql on the DSN's own database; throws with psql's stderr. */
function psql(sql) {
  const candidates = ['psql', '/usr/lib/postgresql/15/bin/psql'];
  for (const candidate of candidates) {
    try {
      execFileSync(candidate, ['-X', '-qAt', '-v', 'ON_ERROR_STOP=1', '-d', postgresUri(), '-c', sql],
        { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30000, encoding: 'utf8' });
      return;
    } catch (err) {
      if (err.code === 'ENOENT' && candidate !== candidates[candidates.length - 1]) continue;
      if (err.code === 'ENOENT') {
        throw new Error('psql not found (apt-get install postgresql-client-15)');
      }
      throw new Error(`psql -c "${sql}" failed: ${(err.stderr || err.message).trim()}`);
    }
  }
}

function workspaceAt(dir) {
  const dbNameFile = path.join(dir, POSTGRES_DB_FILE);
  const pgDatabase = fs.existsSync(dbNameFile) ? fs.readFileSync(dbNameFile, 'utf8').trim() : null;
  const dbPath = pgDatabase ? null : path.join(dir, 'connectplane.db');
  return {
    dir,
    seedPath: path.join(dir, 'seed.json'),
    backend: pgDatabase ? 'postgresql' : 'sqlite',
    /** SQLite file (null on PostgreSQL). */
    dbPath,
    /** PostgreSQL database name (null on SQLite). */
    pgDatabase,
    /** The --db argument. */
    db: () => (pgDatabase ? postgresUri(pgDatabase) : `sqlite:${dbPath}`),
    cleanup() {
      if (pgDatabase && fs.existsSync(dir)) {
        // FORCE: a SIGKILLed server's backends may not have noticed yet.
        try {
          psql(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
        } catch (err) {
          process.stderr.write(`e2e: could not drop database ${pgDatabase}: ${err.message}\n`);
        }
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A fresh temp dir holding seed.json and either the path of a (not yet
 * created) SQLite file or, with CONNECTPLANE_E2E_POSTGRES_DSN, the name of a
 * newly created empty PostgreSQL database.
 */
function makeWorkspace(seed = demoSeed()) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectplane-e2e-'));
  fs.writeFileSync(path.join(dir, 'seed.json'), JSON.stringify(seed, null, 2));
  if (backend() === 'postgresql') {
    const database = `e2e_${crypto.randomBytes(8).toString('hex')}`;
    try {
      psql(`CREATE DATABASE ${database}`);
    } catch (err) {
      fs.rmSync(dir, { recursive: true, force: true });
      throw err;
    }
    fs.writeFileSync(path.join(dir, POSTGRES_DB_FILE), `${database}\n`);
  }
  return workspaceAt(dir);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Polls fn() until it returns a truthy value (returned) or the deadline passes
 * (throws, quoting the last value or error). fn may be async; errors it throws
 * count as "not yet".
 */
async function waitFor(fn, { timeoutMs = 10000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await fn();
      lastError = undefined;
      if (last) return last;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const detail = lastError
        ? `last error: ${lastError.errorCode || ''} ${lastError.message}`
        : `last value: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${detail}`);
    }
    await sleep(intervalMs);
  }
}

function waitForExit(child, timeoutMs) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => { clearTimeout(timer); resolve(true); });
  });
}

/**
 * Starts the server. Options:
 *   seed        seed object for a new temp dir (default: the demo seed)
 *   dir         reuse the temp dir of an earlier server (same database and seed)
 *   workspace   from makeWorkspace(), alternative to dir
 *   jobSeconds  list of --job-seconds values, e.g. ['0'] or ['1', 'kafka.enable_connector=3']
 *   args        extra arguments
 *   readyTimeoutMs  deadline for the listening line (10 s)
 *   tls         serve HTTPS with the test CA's certificate (default: CONNECTPLANE_E2E_TLS=1)
 */
async function startServer({ seed, dir, workspace, jobSeconds = ['0'], args = [],
  readyTimeoutMs = 10000, tls = tlsByDefault() } = {}) {
  const ws = workspace || (dir ? workspaceAt(dir) : makeWorkspace(seed || demoSeed()));
  const logLevel = process.env.CONNECTPLANE_LOG_LEVEL;
  const dbArg = ws.db();
  const argv = ['serve', '--listen', '127.0.0.1:0', '--db', dbArg, '--seed', ws.seedPath,
    '--log-level', logLevel || 'warn'];
  for (const js of jobSeconds) argv.push('--job-seconds', String(js));
  if (tls) {
    const { certPath, keyPath } = testCertificateAuthority();
    argv.push('--tls-cert', certPath, '--tls-key', keyPath);
  }
  argv.push(...args);

  const child = spawn(binaryPath(), argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));

  // Keep the last 64 KiB of stderr for failure messages.
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-65536);
    if (logLevel) process.stderr.write(chunk);
  });

  const endpoint = await new Promise((resolve, reject) => {
    const rl = readline.createInterface({ input: child.stdout });
    let settled = false;
    const finish = (err, value) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      child.removeListener('error', onError);
      if (err) {
        try { child.kill('SIGKILL'); } catch (_) { /* gone */ }
        reject(new Error(`${err.message} (--db ${dbArg})\n--- server stderr ---\n${stderr.slice(-4000)}`));
      } else {
        resolve(value);
      }
    };
    const onExit = (code, signal) => finish(new Error(`connectplane exited before listening (code ${code}, signal ${signal})`));
    const onError = (err) => finish(new Error(`cannot start connectplane: ${err.message}`));
    const timer = setTimeout(
      () => finish(new Error(`connectplane did not print its listening line within ${readyTimeoutMs} ms`)),
      readyTimeoutMs);
    child.once('exit', onExit);
    child.once('error', onError);
    rl.on('line', (line) => {
      const m = LISTEN_RE.exec(line.trim());
      if (m) finish(null, m[1]);
    });
  });
  // Drain stdout so the server never blocks on a full pipe.
  child.stdout.resume();

  let stopped;
  const server = {
    endpoint,
    port: Number(new URL(endpoint).port),
    workspace: ws,
    dir: ws.dir,
    backend: ws.backend,
    dbPath: ws.dbPath,
    pgDatabase: ws.pgDatabase,
    seedPath: ws.seedPath,
    process: child,
    /** Removes the temp dir and drops the PostgreSQL database (call after stop()/kill()). */
    cleanup() { ws.cleanup(); },
    stderr: () => stderr,
    /** SIGTERM; SIGKILL if it has not exited after timeoutMs. Resolves with {code, signal}. */
    async stop(timeoutMs = 5000) {
      if (!stopped) {
        stopped = (async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            if (!(await waitForExit(child, timeoutMs))) {
              child.kill('SIGKILL');
              await waitForExit(child, timeoutMs);
            }
          }
          return { code: child.exitCode, signal: child.signalCode };
        })();
      }
      return stopped;
    },
    /** SIGKILL, no chance to clean up (crash simulation). */
    async kill() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGKILL');
        await waitForExit(child, 5000);
      }
      stopped = stopped || Promise.resolve({ code: child.exitCode, signal: child.signalCode });
      return stopped;
    },
  };
  return server;
}

module.exports = { startServer, makeWorkspace, demoSeed, waitFor, sleep, binaryPath, backend, sqliteOnly,
  testCertificateAuthority };
