'use strict';
// Starts the real connectplane binary on a fresh temp SQLite file and port 0,
// waits (with a deadline) for its "listening on" line, and stops it afterwards.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const DEMO_SEED = path.join(__dirname, '..', '..', 'examples', 'demo-seed.json');

function binaryPath() {
  return process.env.CONNECTPLANE_BIN ||
    path.join(__dirname, '..', '..', 'build', 'src', 'main', 'connectplane');
}

function demoSeed() {
  return JSON.parse(fs.readFileSync(DEMO_SEED, 'utf8'));
}

// options: {seed (object), jobSeconds (array of --job-seconds values), dir (reuse a temp dir), args}
async function startServer(options = {}) {
  const dir = options.dir || fs.mkdtempSync(path.join(os.tmpdir(), 'connectplane-e2e-'));
  const seedFile = path.join(dir, 'seed.json');
  fs.writeFileSync(seedFile, JSON.stringify(options.seed || demoSeed()));
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(dir, 'state.db')}`,
    '--seed', seedFile, '--log-level', process.env.CONNECTPLANE_LOG_LEVEL || 'warn'];
  for (const value of options.jobSeconds || ['0']) args.push('--job-seconds', value);
  args.push(...(options.args || []));
  const child = spawn(binaryPath(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const endpoint = await new Promise((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`server did not start in 10 s: ${stderr}`)), 10000);
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(stdout);
      if (match) { clearTimeout(timer); resolve(match[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  child.removeAllListeners('exit');
  const exited = new Promise((resolve) => child.on('exit', resolve));
  return {
    endpoint,
    dir,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
    cleanup() { fs.rmSync(dir, { recursive: true, force: true }); },
  };
}

// Polls fn() every intervalMs until it returns a truthy value or the deadline passes.
async function waitFor(fn, { timeoutMs = 15000, intervalMs = 100, what = 'condition' } = {}) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

module.exports = { startServer, waitFor, demoSeed };
