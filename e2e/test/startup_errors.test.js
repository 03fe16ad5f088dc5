'use strict';
// Start-up refusals, as an operator sees them on stderr: the binary must exit 1
// at once with a message that names the flag or file and the cause. A
// hostile-input probe found messages without the file or cause, a server that
// listened on 0.0.0.0 with its admin API open to the network's browsers, and
// job timings for unknown types accepted and never applied.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');
const { binaryPath, sqliteOnly } = require('../lib/server');

const skip = sqliteOnly('the refusals do not depend on the backend; run once');

// Runs `connectplane serve ARGS` until it exits (at most 20 s); resolves with
// its exit code and stderr, or rejects if it starts listening.
function serveExpectingRefusal(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(binaryPath(), ['serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`still running: ${stderr}`)); }, 20000);
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.includes('listening on')) {
        child.kill('SIGKILL');
        reject(new Error(`started although it should refuse: ${line}`));
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); resolve({ code, stderr }); });
  });
}

function tempDir() {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'connectplane-startup-'));
}

test('a non-loopback --listen without --admin-token is refused, naming the flag', { skip }, async () => {
  const dir = tempDir();
  try {
    for (const listen of ['0.0.0.0:0', '[::]:0']) {
      const { code, stderr } = await serveExpectingRefusal(
        ['--listen', listen, '--db', `sqlite:${path.join(dir, 'db')}`]);
      assert.equal(code, 1);
      assert.match(stderr, /non-loopback address, needs --admin-token TOKEN/);
    }
    assert.equal(fs.existsSync(path.join(dir, 'db')), false, 'refused before opening the database');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('a missing seed file or database directory is named with the cause', { skip }, async () => {
  const dir = tempDir();
  try {
    const missingSeed = path.join(dir, 'no-such-seed.json');
    let refused = await serveExpectingRefusal(
      ['--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(dir, 'db')}`, '--seed', missingSeed]);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`cannot read seed file ${missingSeed}: No such file or directory`),
      refused.stderr);

    const missingDirectory = path.join(dir, 'missing', 'dir');
    refused = await serveExpectingRefusal(
      ['--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(missingDirectory, 'cp.db')}`]);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`cannot open database sqlite:${path.join(missingDirectory, 'cp.db')}`),
      refused.stderr);
    assert.ok(refused.stderr.includes(`directory ${missingDirectory}: No such file or directory`),
      refused.stderr);

    refused = await serveExpectingRefusal(['--listen', '127.0.0.1:0', '--db', `sqlite:${dir}`]);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`(${dir} is a directory)`), refused.stderr);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('job timings for unknown job types are refused with the valid names', { skip }, async () => {
  const dir = tempDir();
  try {
    const seed = path.join(dir, 'seed.json');
    fs.writeFileSync(seed, JSON.stringify({ job_durations_seconds: { 'kafka.enable_conector': 3 } }));
    let refused = await serveExpectingRefusal(
      ['--listen', '127.0.0.1:0', '--db', `sqlite:${path.join(dir, 'db')}`, '--seed', seed]);
    assert.equal(refused.code, 1);
    assert.ok(refused.stderr.includes(`seed file ${seed}: `), refused.stderr);
    assert.match(refused.stderr, /unknown job type 'kafka.enable_conector' \(known: kafka.create_instance, /);

    refused = await serveExpectingRefusal(['--listen', '127.0.0.1:0', '--db',
      `sqlite:${path.join(dir, 'db2')}`, '--job-seconds', 'zenlayer.create=2']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /--job-seconds zenlayer.create=2: unknown job type 'zenlayer.create'/);
    assert.match(refused.stderr, /zenlayer.create_private_connect/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
