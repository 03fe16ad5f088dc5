'use strict';
// Zenlayer SDN private connects end to end: the real connectplane binary, the
// demo seed's "zenlayer" section, and requests signed by e2e/lib/zenlayer_client.js
// (written from the documented ZC2-HMAC-SHA256 algorithm, independent of the
// server's signer).

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, makeWorkspace, demoSeed, waitFor } = require('../lib/server');
const { ZenlayerClient, sign } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const OTHER = { accessKeyId: 'ZLOTHERKEY000002', accessKeyPassword: 'ZenlayerOtherPassword00000000002' };
const OTHER_CONNECT_ID = '700000000000000001';  // seeded for the other account
const PORT_A = 'port-sin1-demo-01';
const PORT_Z = 'port-hkg1-demo-01';

let server;
let workspace;
let zc;
let other;

function createBody(vlan, extra = {}) {
  return {
    privateConnectName: `e2e-${vlan}`,
    bandwidthMbps: 20,
    endpointA: { portId: PORT_A, vlanId: vlan },
    endpointZ: { portId: PORT_Z, vlanId: vlan },
    ...extra,
  };
}

async function describe(id, client = zc) {
  const res = await client.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  return res.dataSet[0];
}

async function statusOf(id) {
  const connect = await describe(id);
  return connect ? connect.privateConnectStatus : undefined;
}

function waitStatus(id, status, timeoutMs = 15000) {
  return waitFor(async () => (await statusOf(id)) === status, { timeoutMs, what: `${id} ${status}` });
}

async function createRunning(vlan) {
  const created = await zc.ok('CreatePrivateConnect', createBody(vlan));
  await waitStatus(created.privateConnectId, 'RUNNING');
  return created.privateConnectId;
}

async function createRecycled(vlan) {
  const id = await createRunning(vlan);
  await zc.ok('DeletePrivateConnect', { privateConnectId: id });
  await waitStatus(id, 'RECYCLED');
  return id;
}

/** Asserts the Zenlayer error envelope: flat {requestId, code, message}, X-Request-Id. */
function assertError(res, httpStatus, code) {
  assert.equal(res.status, httpStatus, `expected HTTP ${httpStatus}, got ${res.status}: ${res.text}`);
  assert.equal(res.body.code, code, res.text);
  assert.equal(typeof res.body.message, 'string');
  assert.match(res.body.requestId, /^T[0-9A-F-]{36}$/);
  assert.equal(res.headers['x-request-id'], res.body.requestId);
  assert.equal(res.body.response, undefined);
}

test.before(async () => {
  // Create/destroy take long enough to observe CREATING and DESTROYING; the
  // rest are instant.
  workspace = makeWorkspace(demoSeed());
  server = await startServer({
    workspace,
    jobSeconds: ['0', 'zenlayer.create_private_connect=1', 'zenlayer.destroy_private_connect=2'],
  });
  zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  other = new ZenlayerClient({ endpoint: server.endpoint, ...OTHER });
});

test.after(async () => {
  if (server) await server.stop();
  if (workspace) workspace.cleanup();
});

test('the client signer reproduces the published documentation signature', () => {
  const signed = sign({
    password: 'Gu5t9xGARNpq86cd98joQYCN3',
    timestamp: '1673361177',
    contentType: 'application/json; charset=utf-8',
    host: 'console.zenlayer.com',
    body: '{"pageSize":10,"pageNum":1,"zoneId":"HKG-A"}',
  });
  assert.equal(signed.hashedCanonicalRequest, '29396f9dfa0f03820b931e8aa06e20cda197e73285ebd76aceb83f7dede493ee');
  assert.equal(signed.signature, 'efb356c32e55c781e10dc676da59462c22596d82e91c57803666243379555b2f');
});

test('success envelope carries requestId twice and in X-Request-Id', async () => {
  const res = await zc.call('DescribePorts', {});
  assert.equal(res.status, 200, res.text);
  assert.match(res.body.requestId, /^T[0-9A-F-]{36}$/);
  assert.equal(res.body.response.requestId, res.body.requestId);
  assert.equal(res.headers['x-request-id'], res.body.requestId);
  assert.equal(res.body.response.totalCount, 3);
  const ids = res.body.response.dataSet.map((port) => port.portId).sort();
  assert.deepEqual(ids, ['port-fra1-demo-01', PORT_Z, PORT_A].sort());
});

test('lifecycle: create -> RUNNING -> terminate -> RECYCLED -> destroy -> DESTROYING -> gone', async () => {
  const created = await zc.ok('CreatePrivateConnect', createBody(100));
  const id = created.privateConnectId;
  assert.match(id, /^\d+$/);
  assert.equal(await statusOf(id), 'CREATING');
  await waitStatus(id, 'RUNNING');

  const running = await describe(id);
  assert.equal(running.privateConnectName, 'e2e-100');
  assert.equal(running.connectivityStatus, 'ACTIVE');
  assert.equal(running.bandwidthMbps, 20);
  assert.equal(running.endpointA.endpointId, PORT_A);
  assert.equal(running.endpointA.endpointType, 'PORT');
  assert.equal(running.endpointA.vlanId, 100);
  assert.equal(running.endpointA.dataCenter.dcId, 'SIN1');
  assert.equal(running.endpointZ.dataCenter.dcId, 'HKG1');
  assert.match(running.createTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // Destroy is only for recycled connects.
  assertError(await zc.call('DestroyPrivateConnect', { privateConnectId: id }), 409,
    'INVALID_PRIVATE_CONNECT_STATUS');

  const terminated = await zc.call('DeletePrivateConnect', { privateConnectId: id });
  assert.equal(terminated.status, 200, terminated.text);
  assert.deepEqual(Object.keys(terminated.body.response), ['requestId']);
  await waitStatus(id, 'RECYCLED');
  const recycled = await describe(id);
  assert.equal(recycled.connectivityStatus, 'DOWN');
  assert.match(recycled.recycledTime, /Z$/);

  await zc.ok('DestroyPrivateConnect', { privateConnectId: id });
  assert.equal(await statusOf(id), 'DESTROYING');
  assertError(await zc.call('DestroyPrivateConnect', { privateConnectId: id }), 409,
    'INVALID_PRIVATE_CONNECT_STATUS');

  await waitFor(async () => (await zc.ok('DescribePrivateConnects', { privateConnectIds: [id] })).totalCount === 0,
    { timeoutMs: 15000, what: `${id} gone` });
  const after = await zc.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  assert.deepEqual(after.dataSet, []);
  assertError(await zc.call('DestroyPrivateConnect', { privateConnectId: id }), 404,
    'INVALID_PRIVATE_CONNECT_NOT_FOUND');
});

test('renew, rename and bandwidth change', async () => {
  const id = await createRecycled(101);
  for (const draftName of ['RecoverPrivateConnect', 'TerminatePrivateConnect']) {
    assertError(await zc.call(draftName, { privateConnectId: id }), 400, 'INVALID_ACTION');
  }
  await zc.ok('RenewPrivateConnect', { privateConnectId: id });
  await waitStatus(id, 'RUNNING');

  await zc.ok('ModifyPrivateConnectsAttribute', { privateConnectIds: [id], privateConnectName: 'renamed-101' });
  await zc.ok('ModifyPrivateConnectBandwidth', { privateConnectId: id, bandwidthMbps: 300 });
  await waitStatus(id, 'RUNNING');
  const connect = await describe(id);
  assert.equal(connect.privateConnectName, 'renamed-101');
  assert.equal(connect.bandwidthMbps, 300);

  const byName = await zc.ok('DescribePrivateConnects', { privateConnectName: 'renamed-1', pageSize: 5 });
  assert.equal(byName.totalCount, 1);
});

test('concurrent destroy of one connect: exactly one accepted', async () => {
  const id = await createRecycled(102);
  const answers = await Promise.all(
    Array.from({ length: 10 }, () => zc.call('DestroyPrivateConnect', { privateConnectId: id })));
  const accepted = answers.filter((res) => res.status === 200);
  const refused = answers.filter((res) => res.status === 409 && res.body.code === 'INVALID_PRIVATE_CONNECT_STATUS');
  assert.equal(accepted.length, 1, answers.map((res) => res.text).join('\n'));
  assert.equal(refused.length, 9);
});

test('paging: pageSize/pageNum/totalCount', async () => {
  const all = await zc.ok('DescribePrivateConnects', {});
  const first = await zc.ok('DescribePrivateConnects', { pageSize: 1, pageNum: 1 });
  const second = await zc.ok('DescribePrivateConnects', { pageSize: 1, pageNum: 2 });
  assert.equal(first.totalCount, all.totalCount);
  assert.equal(first.dataSet.length, Math.min(1, all.totalCount));
  if (all.totalCount >= 2) {
    assert.notEqual(first.dataSet[0].privateConnectId, second.dataSet[0].privateConnectId);
  }
  assertError(await zc.call('DescribePrivateConnects', { pageSize: 1001 }), 400, 'INVALID_PARAMETER');
});

test('authentication errors', async () => {
  assertError(await zc.call('DescribePorts', {}, { password: 'wrong-password' }), 401, 'AUTH_FAILED');
  assertError(await zc.call('DescribePorts', {}, { signature: '0'.repeat(64) }), 401, 'AUTH_FAILED');
  assertError(await zc.call('DescribePorts', {}, { authorization: null }), 401, 'AUTH_FAILED');
  const unknownKey = new ZenlayerClient({ endpoint: server.endpoint, accessKeyId: 'NOPE', accessKeyPassword: 'x' });
  assertError(await unknownKey.call('DescribePorts', {}), 401, 'AUTH_FAILED');
  const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
  assertError(await zc.call('DescribePorts', {}, { timestamp: tenMinutesAgo }), 401, 'SIGNATURE_EXPIRED');
  const tenMinutesAhead = Math.floor(Date.now() / 1000) + 600;
  assertError(await zc.call('DescribePorts', {}, { timestamp: tenMinutesAhead }), 401, 'SIGNATURE_EXPIRED');
});

test('dispatch and parameter errors never change state', async () => {
  const before = (await zc.ok('DescribePrivateConnects', {})).totalCount;
  assertError(await zc.call('DescribeEverything', {}), 400, 'INVALID_ACTION');
  assertError(await zc.call('DescribePorts', {}, { omitAction: true }), 400, 'MISSING_ACTION');
  assertError(await zc.call('CreatePrivateConnect', {}, { rawBody: '{"endpointA": {' }), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', createBody('7')), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', createBody(7, { bandwidthMbps: '20' })), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', createBody(7, { colour: 'blue' })), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', { endpointA: { portId: PORT_A, vlanId: 7 } }), 400, 'MISSING_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', createBody(7, { bandwidthMbps: 501 })), 400, 'INVALID_BANDWIDTH_EXCEED_LIMIT');
  assertError(await zc.call('CreatePrivateConnect', createBody(4097)), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('CreatePrivateConnect', createBody(7, { endpointZ: { portId: 'port-nope', vlanId: 7 } })),
    404, 'INVALID_PORT_NOT_FOUND');
  assertError(await zc.call('DeletePrivateConnect', { privateConnectId: 42 }), 400, 'INVALID_PARAMETER');
  assertError(await zc.call('DeletePrivateConnect', {}), 400, 'MISSING_PARAMETER');
  assertError(await zc.call('DeletePrivateConnect', {}, { path: '/api/v2/bmc' }), 404, 'INVALID_SERVICE');
  assert.equal((await zc.ok('DescribePrivateConnects', {})).totalCount, before);
});

test('not found, wrong status and VLAN conflicts', async () => {
  assertError(await zc.call('DestroyPrivateConnect', { privateConnectId: '123456789' }), 404,
    'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  assertError(await zc.call('ModifyPrivateConnectsAttribute', { privateConnectIds: ['123456789'], privateConnectName: 'x' }),
    404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  const id = await createRunning(103);
  assertError(await zc.call('RenewPrivateConnect', { privateConnectId: id }), 409, 'INVALID_PRIVATE_CONNECT_STATUS');
  assertError(await zc.call('CreatePrivateConnect', createBody(103)), 400, 'INVALID_VLAN_CONFLICT');
  await zc.ok('DeletePrivateConnect', { privateConnectId: id });
  await waitStatus(id, 'RECYCLED');
  assertError(await zc.call('ModifyPrivateConnectBandwidth', { privateConnectId: id, bandwidthMbps: 10 }), 409,
    'INVALID_PRIVATE_CONNECT_STATUS');
});

test("another account's ids are not found and never shown", async () => {
  // The other account sees its own seeded connect ...
  const theirs = await describe(OTHER_CONNECT_ID, other);
  assert.equal(theirs.privateConnectStatus, 'RUNNING');
  // ... we do not, and cannot touch it.
  assert.equal(await describe(OTHER_CONNECT_ID), undefined);
  for (const action of ['DeletePrivateConnect', 'DestroyPrivateConnect', 'RenewPrivateConnect']) {
    assertError(await zc.call(action, { privateConnectId: OTHER_CONNECT_ID }), 404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  }
  assertError(await zc.call('CreatePrivateConnect', createBody(8, { endpointZ: { portId: 'port-lax1-other-01', vlanId: 8 } })),
    404, 'INVALID_PORT_NOT_FOUND');
  const ours = await other.ok('DescribePrivateConnects', {});
  assert.deepEqual(ours.dataSet.map((connect) => connect.privateConnectId), [OTHER_CONNECT_ID]);
  assert.equal((await describe(OTHER_CONNECT_ID, other)).privateConnectStatus, 'RUNNING');
});
