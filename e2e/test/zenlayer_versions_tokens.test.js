'use strict';
// Zenlayer SDN API versions (X-ZC-Version 2023-08-30 / 2026-04-01) and the
// SDKs' bearer-token mode end to end: the real connectplane binary, the demo
// seed (one token, one tagged port), requests from e2e/lib/zenlayer_client.js.

const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');

const { startServer, makeWorkspace, demoSeed, waitFor } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const DEMO_TOKEN = 'zl-demo-token-0000000000000000000000000001';
const PORT_A = 'port-sin1-demo-01';
const PORT_Z = 'port-hkg1-demo-01';

let server;
let workspace;
let v2023;
let v2026;
let token2026;

function createBody(vlan, extra = {}) {
  return {
    endpointA: { portId: PORT_A, vlanId: vlan },
    endpointZ: { portId: PORT_Z, vlanId: vlan },
    ...extra,
  };
}

function assertError(res, httpStatus, code) {
  assert.equal(res.status, httpStatus, `expected HTTP ${httpStatus}, got ${res.status}: ${res.text}`);
  assert.equal(res.body.code, code, res.text);
  assert.match(res.body.requestId, /^T[0-9A-F-]{36}$/);
}

async function statusOf(client, id) {
  const res = await client.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  return res.dataSet[0] ? res.dataSet[0].privateConnectStatus : undefined;
}

function getJson(path) {
  const url = new URL(path, server.endpoint);
  return new Promise((resolve, reject) => {
    http.get(url, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

test.before(async () => {
  workspace = makeWorkspace(demoSeed());
  server = await startServer({ workspace, jobSeconds: ['0'] });
  v2023 = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  v2026 = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO, version: '2026-04-01' });
  token2026 = new ZenlayerClient({ endpoint: server.endpoint, token: DEMO_TOKEN, version: '2026-04-01' });
});

test.after(async () => {
  if (server) await server.stop();
  if (workspace) workspace.cleanup();
});

test('2026-04-01: tags stored and returned, orderNumber, source, tag filters', async () => {
  const created = await v2026.ok('CreatePrivateConnect', createBody(3001, {
    tags: { tags: [{ key: 'env', value: 'e2e' }, { key: 'owner', value: 'versions' }] },
    marketingOptions: { discountCode: 'E2E', usePocVoucher: false },
  }));
  const id = created.privateConnectId;
  assert.equal(created.orderNumber, `ORD${id}`);
  await waitFor(async () => (await statusOf(v2026, id)) === 'RUNNING', { timeoutMs: 15000, what: `${id} RUNNING` });

  const byTag = await v2026.ok('DescribePrivateConnects', { tags: [{ key: 'env', value: 'e2e' }] });
  assert.deepEqual(byTag.dataSet.map((c) => c.privateConnectId), [id]);
  assert.equal(byTag.totalCount, 1);
  assert.equal(byTag.dataSet[0].source, 'API');
  assert.deepEqual(byTag.dataSet[0].tags, { tags: [{ key: 'env', value: 'e2e' }, { key: 'owner', value: 'versions' }] });
  assert.equal((await v2026.ok('DescribePrivateConnects', { tagKeys: ['owner', 'missing'] })).totalCount, 0);
  assert.equal((await v2026.ok('DescribePrivateConnects', { resourceGroupId: 'nope' })).totalCount, 0);

  // The same connect through 2023-08-30: no tags, no source.
  const old = await v2023.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  assert.equal(old.dataSet[0].tags, undefined);
  assert.equal(old.dataSet[0].source, undefined);

  const ports = await v2026.ok('DescribePorts', { tagKeys: ['env'] });
  assert.deepEqual(ports.dataSet.map((p) => p.portId), [PORT_A]);
  assert.deepEqual(ports.dataSet[0].tags, { tags: [{ key: 'env', value: 'demo' }] });
});

test('2023-08-30: marketingOptions and cloudBandwidthMbps accepted; 2026 members refused', async () => {
  const created = await v2023.ok('CreatePrivateConnect', {
    endpointA: { portId: PORT_A, vlanId: 3002, cloudBandwidthMbps: 10 },
    endpointZ: { portId: PORT_Z, vlanId: 3002 },
    marketingOptions: { discountCode: 'X', usePocVoucher: true },
  });
  assert.equal(created.orderNumber, undefined);
  assertError(await v2023.call('CreatePrivateConnect', createBody(3003, { tags: { tags: [] } })), 400, 'INVALID_PARAMETER');
  assertError(await v2023.call('DescribePorts', { tagKeys: ['env'] }), 400, 'INVALID_PARAMETER');
  assertError(await v2023.call('CreatePrivateConnect', createBody(3003, { marketingOptions: { usePocVoucher: 'yes' } })),
    400, 'INVALID_PARAMETER');
});

test('the version header: missing means 2023-08-30, unknown is INVALID_VERSION', async () => {
  const created = await v2023.call('CreatePrivateConnect', createBody(3004), { version: null });
  assert.equal(created.status, 200, created.text);
  assert.equal(created.body.response.orderNumber, undefined);
  assertError(await v2023.call('DescribePorts', {}, { version: '2099-01-01' }), 400, 'INVALID_VERSION');
});

test('token mode: Bearer without signature headers, unknown tokens refused, never logged', async () => {
  const ports = await token2026.ok('DescribePorts', {});
  assert.ok(ports.totalCount >= 2);
  const created = await token2026.ok('CreatePrivateConnect', createBody(3005));
  assert.match(created.privateConnectId, /^\d+$/);
  // The Go SDK's informational headers are accepted too.
  const withSdkHeaders = await token2026.call('DescribePorts', {}, {
    headers: { 'x-zc-sdk-version': '0.2.45', 'x-zc-sdk-lang': 'go', 'x-zc-request-client': 'e2e; versions-1.0' },
  });
  assert.equal(withSdkHeaders.status, 200, withSdkHeaders.text);
  const signedWithSdkHeaders = await v2023.call('DescribePorts', {}, {
    headers: { 'x-zc-sdk-version': '0.2.45', 'x-zc-sdk-lang': 'go', 'x-zc-request-client': 'e2e' },
  });
  assert.equal(signedWithSdkHeaders.status, 200, signedWithSdkHeaders.text);

  const unknown = new ZenlayerClient({ endpoint: server.endpoint, token: 'zl-not-a-token' });
  assertError(await unknown.call('DescribePorts', {}), 401, 'AUTH_FAILED');
  assertError(await token2026.call('DescribePorts', {}, { authorization: 'Bearer ' }), 401, 'AUTH_FAILED');

  const state = await getJson('/_connectplane/state');
  assert.equal(state.status, 200, state.text.slice(0, 300));
  assert.ok(!state.text.includes(DEMO_TOKEN), 'the admin export never shows a token');
  assert.ok(!state.text.includes('token_sha256'), 'nor its hash');
  assert.ok(!server.stderr().includes(DEMO_TOKEN), 'the log never shows a token');
  assert.ok(!server.stderr().includes('zl-not-a-token'), 'nor a refused one');
});

test('removed draft action names answer INVALID_ACTION', async () => {
  for (const action of ['TerminatePrivateConnect', 'RecoverPrivateConnect']) {
    assertError(await v2023.call(action, { privateConnectId: '1' }), 400, 'INVALID_ACTION');
  }
});

test('a resumed terraform destroy (Delete, then Destroy) succeeds at every point', async () => {
  const { privateConnectId: id } = await v2023.ok('CreatePrivateConnect', createBody(3006));
  await waitFor(async () => (await statusOf(v2023, id)) === 'RUNNING', { timeoutMs: 15000, what: `${id} RUNNING` });
  await v2023.ok('DeletePrivateConnect', { privateConnectId: id });
  await waitFor(async () => (await statusOf(v2023, id)) === 'RECYCLED', { timeoutMs: 15000, what: `${id} RECYCLED` });
  // Re-run: Delete answers the code Terraform treats as "already terminated".
  assertError(await v2023.call('DeletePrivateConnect', { privateConnectId: id }), 404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  await v2023.ok('DestroyPrivateConnect', { privateConnectId: id });
  await waitFor(async () => (await statusOf(v2023, id)) === undefined, { timeoutMs: 15000, what: `${id} gone` });
  assertError(await v2023.call('DeletePrivateConnect', { privateConnectId: id }), 404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  assertError(await v2023.call('DestroyPrivateConnect', { privateConnectId: id }), 404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
});
