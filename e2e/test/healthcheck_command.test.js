'use strict';
// `connectplane healthcheck`: the container image's HEALTHCHECK probe (no curl
// in the image). Exit 0 on a 200 from /healthz, 1 with the reason otherwise.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const { startServer, binaryPath } = require('../lib/server');

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); server.cleanup(); });

function healthcheck(args, env = {}) {
  const environment = { ...process.env, ...env };
  if (!('CONNECTPLANE_LISTEN' in env)) delete environment.CONNECTPLANE_LISTEN;
  return spawnSync(binaryPath(), ['healthcheck', ...args],
    { env: environment, encoding: 'utf8', timeout: 20000 });
}

test('a serving server: exit 0 and the status line', () => {
  const probe = healthcheck(['--listen', `127.0.0.1:${server.port}`]);
  assert.equal(probe.status, 0, probe.stderr);
  assert.match(probe.stdout, new RegExp(`http://127\\.0\\.0\\.1:${server.port}/healthz: HTTP/1\\.1 200 OK`));
});

test('the wildcard address of --listen 0.0.0.0:PORT is probed on loopback', () => {
  const probe = healthcheck(['--listen', `0.0.0.0:${server.port}`]);
  assert.equal(probe.status, 0, probe.stderr);
});

test('the address comes from CONNECTPLANE_LISTEN, as in the container image', () => {
  const probe = healthcheck([], { CONNECTPLANE_LISTEN: `0.0.0.0:${server.port}` });
  assert.equal(probe.status, 0, probe.stderr);
});

test('nothing listening: exit 1 naming the address and the cause', async () => {
  const stopped = await startServer();
  const { port } = stopped;
  await stopped.stop();
  stopped.cleanup();
  const probe = healthcheck(['--listen', `127.0.0.1:${port}`, '--timeout-seconds', '2']);
  assert.equal(probe.status, 1);
  assert.match(probe.stderr, new RegExp(`127\\.0\\.0\\.1:${port}/healthz: Connection refused`));
});

test('a bad --listen value: exit 1 with a message', () => {
  const probe = healthcheck(['--listen', 'no-port']);
  assert.equal(probe.status, 1);
  assert.match(probe.stderr, /--listen must be HOST:PORT/);
});
