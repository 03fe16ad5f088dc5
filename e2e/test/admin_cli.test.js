'use strict';
// `connectplane admin ...` against a real server: every verb, the answer on
// stdout, exit 1 with the server's error on an HTTP error, exit 2 when the
// server cannot be reached, the token from the environment.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, binaryPath } = require('../lib/server');

let server;
let tokenServer;
const TOKEN = 'cli-test-token-0001';

function admin(args, { env = {}, endpoint = server.endpoint } = {}) {
  const result = spawnSync(binaryPath(), ['admin', ...args], {
    encoding: 'utf8',
    timeout: 30000,
    env: { ...process.env, CONNECTPLANE_ADMIN_TOKEN: '', CONNECTPLANE_SERVER: endpoint, ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function adminJson(args, options) {
  const result = admin(args, options);
  assert.equal(result.code, 0, `admin ${args.join(' ')}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

before(async () => {
  server = await startServer({ jobSeconds: ['0'] });
  tokenServer = await startServer({ jobSeconds: ['0'], args: ['--admin-token', TOKEN] });
});
after(async () => {
  for (const s of [server, tokenServer]) {
    await s.stop();
    s.cleanup();
  }
});

test('health, ready and state print the answers', () => {
  assert.deepEqual(adminJson(['health']), { status: 'ok' });
  assert.equal(adminJson(['ready']).ready, true);
  const state = adminJson(['state']);
  assert.ok(Array.isArray(state.tables.kafka_instances));
});

test('seed FILE applies a seed; reset goes back to the start-up seed', () => {
  const file = path.join(server.dir, 'extra-seed.json');
  fs.writeFileSync(file, JSON.stringify({ huawei: { kafka_instances: [{
    project_id: '0123456789abcdef0123456789abcdef',
    instance_id: 'd4e5f6a7-0000-1111-2222-333344445555',
    name: 'cli-seeded' }] } }));
  assert.equal(adminJson(['seed', file]).instances_created, 1);
  const names = () => adminJson(['state']).tables.kafka_instances.map((row) => row.name);
  assert.ok(names().includes('cli-seeded'));
  adminJson(['reset']);
  assert.ok(!names().includes('cli-seeded'));
  adminJson(['reset', '--tenant', '0123456789abcdef0123456789abcdef']);

  const missing = admin(['seed', path.join(server.dir, 'no-such-file.json')]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /cannot read .*no-such-file\.json/);
  const bad = path.join(server.dir, 'bad-seed.json');
  fs.writeFileSync(bad, '{"huawei": {"kafka_instances": [{"name": "x"}]}}');
  const refused = admin(['seed', bad]);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /HTTP 400 InvalidArgument: .*project_id/);
});

test('export prints a seed document; --include-secrets --output FILE writes one that seed takes back', () => {
  const exported = adminJson(['export']);
  assert.match(exported.description, /secrets omitted/);
  assert.ok(exported.huawei.kafka_instances.length > 0);
  assert.ok(!JSON.stringify(exported).includes('ExampleSecretKey'));

  const file = path.join(server.dir, 'snapshot.json');
  const written = admin(['export', '--include-secrets', '--output', file]);
  assert.equal(written.code, 0, written.stderr);
  assert.equal(written.stdout, '');
  const snapshot = JSON.parse(fs.readFileSync(file, 'utf8'));
  const demo = snapshot.huawei.credentials.find((entry) => entry.access_key === 'HPUAEXAMPLEAK0000001');
  assert.equal(demo.secret_key, 'ExampleSecretKey0000000000000000000000000');
  assert.equal(adminJson(['seed', file]).instances_existing, snapshot.huawei.kafka_instances.length);

  const unwritable = admin(['export', '--output', path.join(server.dir, 'no-such-dir', 'x.json')]);
  assert.equal(unwritable.code, 2);
  assert.match(unwritable.stderr, /cannot write .*no-such-dir/);
  const refused = admin(['export'], { endpoint: tokenServer.endpoint });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /HTTP 401/);
  assert.ok(adminJson(['export'], { endpoint: tokenServer.endpoint,
    env: { CONNECTPLANE_ADMIN_TOKEN: TOKEN } }).huawei);
});

test('faults add, list, delete and clear; an unknown id exits 1 with the error', () => {
  const added = adminJson(['faults', 'add',
    '{"kind":"job","job_type":"zenlayer.create_private_connect","count":1}']);
  assert.ok(added.id);
  const listed = adminJson(['faults', 'list']);
  assert.deepEqual(listed.faults.map((rule) => rule.id), [added.id]);
  assert.deepEqual(adminJson(['faults', 'delete', added.id]), { deleted: added.id });
  const gone = admin(['faults', 'delete', added.id]);
  assert.equal(gone.code, 1);
  assert.match(gone.stderr, /DELETE \/_connectplane\/faults\/.*: HTTP 404 NotFound: no fault with that id/);
  adminJson(['faults', 'add', '{"kind":"api","dialect":"dms","operation":"ShowInstance","count":1,"http_status":503}']);
  assert.deepEqual(adminJson(['faults', 'clear']), { cleared: true });
  assert.deepEqual(adminJson(['faults', 'list']).faults, []);
});

test('timing shows and sets job timing', () => {
  const set = adminJson(['timing', 'set', '{"job_type":"zenlayer.create_port","mode":"seconds","seconds":7}']);
  assert.deepEqual(set.types['zenlayer.create_port'], { mode: 'seconds', seconds: 7 });
  assert.deepEqual(adminJson(['timing']), set);
  assert.deepEqual(adminJson(['timing', 'show']), set);
  const refused = admin(['timing', 'set', '{"mode":"sometimes"}']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /HTTP 400/);
});

test('seed-ids seeds and unseeds the id generator', () => {
  assert.deepEqual(adminJson(['seed-ids', '5']), { seed: 5 });
  assert.deepEqual(adminJson(['seed-ids', 'none']), { seed: null });
  assert.equal(admin(['seed-ids', 'five']).code, 1);
});

test('the token comes from the environment or the flag; without it the call exits 1', () => {
  const endpoint = tokenServer.endpoint;
  assert.deepEqual(adminJson(['health'], { endpoint, env: { CONNECTPLANE_ADMIN_TOKEN: TOKEN } }),
    { status: 'ok' });
  assert.deepEqual(adminJson(['--admin-token', TOKEN, 'health'], { endpoint }), { status: 'ok' });
  const refused = admin(['health'], { endpoint });
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /HTTP 401/);
});

test('--server overrides the environment; an unreachable server exits 2', () => {
  assert.deepEqual(adminJson(['--server', server.endpoint, 'health'], { endpoint: 'http://127.0.0.1:1' }),
    { status: 'ok' });
  const unreachable = admin(['health'], { endpoint: 'http://127.0.0.1:1' });
  assert.equal(unreachable.code, 2);
  assert.match(unreachable.stderr, /cannot connect to 127\.0\.0\.1:1/);
  const malformed = admin(['--server', 'nowhere', 'health']);
  assert.equal(malformed.code, 2);
});
