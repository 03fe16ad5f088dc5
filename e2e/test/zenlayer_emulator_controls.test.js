'use strict';
// The emulator knobs on the Zenlayer dialect, through the admin API, as a test
// suite uses them: "after N reads" timing, injected API faults in Zenlayer's
// error shape, idempotency keys, and a reset document that must name its keys
// correctly. The same knobs on the DMS dialect: emulator_controls.test.js.

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, waitFor } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const PORT_A = 'port-sin1-demo-01';
const PORT_Z = 'port-hkg1-demo-01';

let server;
let zc;

async function admin(method, route, body) {
  const response = await fetch(`${server.endpoint}/_connectplane/${route}`, {
    method,
    headers: method === 'GET' ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

function createBody(vlan) {
  return {
    privateConnectName: `controls-${vlan}`,
    bandwidthMbps: 10,
    endpointA: { portId: PORT_A, vlanId: vlan },
    endpointZ: { portId: PORT_Z, vlanId: vlan },
  };
}

async function statusOf(id) {
  const page = await zc.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  return page.dataSet.length ? page.dataSet[0].privateConnectStatus : '<gone>';
}

const noJobPending = () => waitFor(async () => (await admin('GET', 'ready')).body.pending_jobs === 0,
  { what: 'no job pending' });

test.before(async () => {
  server = await startServer({ jobSeconds: ['0'] });
  zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
});
test.after(async () => { await server.stop(); server.cleanup(); });

test('"after N reads" timing holds a private connect in CREATING for N reads', async () => {
  const set = await admin('PUT', 'timing',
    { job_type: 'zenlayer.create_private_connect', mode: 'reads', reads: 3 });
  assert.equal(set.status, 200);
  const created = await zc.ok('CreatePrivateConnect', createBody(301));
  const statuses = [];
  for (let read = 0; read < 3; read += 1) {
    statuses.push(await statusOf(created.privateConnectId));
  }
  // The third read made the job due: the runner completes it.
  await noJobPending();
  statuses.push(await statusOf(created.privateConnectId));
  assert.deepEqual(statuses, ['CREATING', 'CREATING', 'CREATING', 'RUNNING']);
  await admin('PUT', 'timing', { job_type: 'zenlayer.create_private_connect', mode: 'instant' });
});

test('an API fault rule for the Zenlayer dialect fails the next call in Zenlayer\'s shape', async () => {
  const added = await admin('POST', 'faults', { kind: 'api', dialect: 'zenlayer',
    operation: 'CreatePrivateConnect', count: 1, http_status: 503,
    error_code: 'SERVICE_TEMPORARY_UNAVAILABLE', message: 'injected' });
  assert.equal(added.status, 201);
  const before = await zc.ok('DescribePrivateConnects', { pageSize: 1000 });
  const faulted = await zc.call('CreatePrivateConnect', createBody(302));
  assert.equal(faulted.status, 503, faulted.text);
  assert.equal(faulted.body.code, 'SERVICE_TEMPORARY_UNAVAILABLE');
  assert.equal(faulted.body.message, 'injected');
  assert.match(faulted.body.requestId, /^T[0-9A-F-]{36}$/);
  assert.equal(faulted.body.response, undefined);
  // Nothing was created, and the rule is used up.
  assert.equal((await zc.ok('DescribePrivateConnects', { pageSize: 1000 })).totalCount,
    before.totalCount);
  assert.equal((await admin('GET', 'faults')).body.faults.length, 0);
  assert.equal((await zc.call('CreatePrivateConnect', createBody(302))).status, 200);
});

test('an idempotency key replays the first answer and creates one private connect', async () => {
  const headers = { 'idempotency-key': 'zenlayer-controls-key-1' };
  const first = await zc.call('CreatePrivateConnect', createBody(303), { headers });
  const retry = await zc.call('CreatePrivateConnect', createBody(303), { headers });
  assert.equal(first.status, 200, first.text);
  assert.equal(retry.status, 200, retry.text);
  assert.equal(retry.body.response.privateConnectId, first.body.response.privateConnectId);
  const page = await zc.ok('DescribePrivateConnects', { privateConnectName: 'controls-303' });
  assert.equal(page.totalCount, 1);
  // The same key on another request is refused.
  const reused = await zc.call('CreatePrivateConnect', createBody(304), { headers });
  assert.equal(reused.status, 400, reused.text);
  assert.equal(reused.body.code, 'INVALID_PARAMETER');
});

test('a reset document with a misspelt key is refused and resets nothing', async () => {
  const before = await zc.ok('DescribePrivateConnects', { pageSize: 1000 });
  assert.ok(before.totalCount > 0);
  const refused = await admin('POST', 'reset', { tennant: 'anything' });
  assert.equal(refused.status, 400);
  assert.match(refused.body.error.message, /'tennant'/);
  const after = await zc.ok('DescribePrivateConnects', { pageSize: 1000 });
  assert.equal(after.totalCount, before.totalCount);
});
