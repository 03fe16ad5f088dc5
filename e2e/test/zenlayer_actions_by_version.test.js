'use strict';
// Every Zenlayer SDN action added next to the private connects (ports, data
// centers, lookups, cloud regions, traffic, prices) through the real binary in
// both API versions (X-ZC-Version 2023-08-30 and 2026-04-01): a port's whole
// life with a private connect on it, what each version adds to the answers,
// and a malformed body on each action, which gets Zenlayer's error envelope
// and changes nothing.

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, makeWorkspace, demoSeed, waitFor } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const PORT_Z = 'port-hkg1-demo-01';
const VERSIONS = ['2023-08-30', '2026-04-01'];

// The actions this file covers, each with a body its parser refuses (a member
// no model has).
const NEW_ACTIONS = [
  'CreatePort', 'ModifyPortAttribute', 'TerminatePort', 'RenewPort', 'DestroyPort',
  'DescribeDatacenters', 'DescribePrivateConnectAvailablePorts', 'DescribePortUsableVlan',
  'DescribeAWSRegions', 'DescribeGoogleRegions', 'DescribeTencentRegions',
  'DescribePrivateConnectTraffic', 'DescribePortTraffic', 'InquiryCreatePrivateConnectPrice',
  'QueryPrivateConnectBandwidthPrice', 'QueryPrivateConnectPrice', 'QueryDataCenterPortPrice',
  'QueryDataCenterPortPrices', 'DescribeDataCenterPortPrice',
];

let server;
let workspace;

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function assertError(res, httpStatus, code) {
  assert.equal(res.status, httpStatus, `expected HTTP ${httpStatus}, got ${res.status}: ${res.text}`);
  assert.equal(res.body.code, code, res.text);
  assert.equal(typeof res.body.message, 'string');
  assert.match(res.body.requestId, /^T[0-9A-F-]{36}$/);
  assert.equal(res.body.response, undefined);
}

async function portStatus(zc, portId) {
  const res = await zc.ok('DescribePorts', { portIds: [portId] });
  return res.dataSet[0] ? res.dataSet[0].portStatus : undefined;
}

async function connectStatus(zc, id) {
  const res = await zc.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  return res.dataSet[0] ? res.dataSet[0].privateConnectStatus : undefined;
}

test.before(async () => {
  workspace = makeWorkspace(demoSeed());
  server = await startServer({ workspace, jobSeconds: ['0'] });
});

test.after(async () => {
  if (server) await server.stop();
  if (workspace) workspace.cleanup();
});

for (const [index, version] of VERSIONS.entries()) {
  const is2026 = version === '2026-04-01';

  test(`${version}: a port's life, with a private connect, lookups, traffic and prices`, async () => {
    const zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO, version });

    const dcs = await zc.ok('DescribeDatacenters', { dcIds: ['SIN1'] });
    assert.equal(dcs.dcSet.length, 1);
    assert.equal(dcs.dcSet[0].dcId, 'SIN1');
    assert.equal(typeof dcs.dcSet[0].dcName, 'string');

    const portBody = { dcId: 'SIN1', portName: `by-version-${index}`, portType: '10G', businessEntityName: 'E2E' };
    if (is2026) portBody.tags = { tags: [{ key: 'suite', value: 'by-version' }] };
    const created = await zc.ok('CreatePort', portBody);
    const portId = created.portId;
    assert.match(portId, /^\d+$/);
    assert.equal(created.orderNumber, is2026 ? `ORD${portId}` : undefined);
    await waitFor(async () => (await portStatus(zc, portId)) === 'RUNNING', { what: 'port RUNNING' });

    await zc.ok('ModifyPortAttribute', { portId, portName: `renamed-${index}` });
    const described = (await zc.ok('DescribePorts', { portIds: [portId] })).dataSet[0];
    assert.equal(described.portName, `renamed-${index}`);
    assert.equal(described.connectionStatus, 'ACTIVE');
    if (is2026) {
      assert.deepEqual(described.tags, { tags: [{ key: 'suite', value: 'by-version' }] });
      assert.equal(described.isCreateBusinessAllowed, true);  // RUNNING
    } else {
      assert.equal(described.tags, undefined);
      assert.equal(described.isCreateBusinessAllowed, undefined);
    }
    // 2026-04-01's DescribePortsRequest has no portRemarks: refused as not supported.
    const byRemarks = await zc.call('DescribePorts', { portRemarks: 'x' });
    if (is2026) {
      assertError(byRemarks, 400, 'INVALID_PARAMETER');
      assert.match(byRemarks.body.message, /portRemarks/);
    } else {
      assert.equal(byRemarks.status, 200, byRemarks.text);
    }

    const available = await zc.ok('DescribePrivateConnectAvailablePorts', { portIds: [portId] });
    assert.equal(available.totalCount, 1);

    const vlan = 3000 + index;
    const connect = await zc.ok('CreatePrivateConnect', {
      privateConnectName: `by-version-${index}`, bandwidthMbps: 20,
      endpointA: { portId, vlanId: vlan }, endpointZ: { portId: PORT_Z, vlanId: vlan },
    });
    const connectId = connect.privateConnectId;
    await waitFor(async () => (await connectStatus(zc, connectId)) === 'RUNNING', { what: 'connect RUNNING' });
    const shown = (await zc.ok('DescribePrivateConnects', { privateConnectIds: [connectId] })).dataSet[0];
    // PORT endpoints have no shared channel (set for public cloud endpoints only).
    assert.equal(shown.endpointA.sharedChannelId, is2026 ? '' : undefined);

    const vlans = await zc.ok('DescribePortUsableVlan', { portId });
    assert.equal(vlans.start, 1);
    assert.equal(vlans.end, 4096);
    assert.deepEqual(vlans.inuseVlanList, [vlan]);

    for (const action of ['DescribeAWSRegions', 'DescribeTencentRegions']) {
      assert.ok((await zc.ok(action, {})).cloudRegions.length > 0, action);
    }
    assert.ok((await zc.ok('DescribeGoogleRegions', { pairingKey: 'k/asia-southeast1/1' })).cloudRegions.length > 0);

    const now = Date.now();
    const traffic = await zc.ok('DescribePrivateConnectTraffic', {
      privateConnectId: connectId, startTime: iso(now - 3600e3), endTime: iso(now),
    });
    assert.ok(Array.isArray(traffic.dataList));
    assert.equal(traffic.unit, 'bps');
    const portTraffic = await zc.ok('DescribePortTraffic', { portId, startTime: iso(now - 3600e3), endTime: iso(now) });
    assert.ok(Array.isArray(portTraffic.dataList));

    const inquiry = await zc.ok('InquiryCreatePrivateConnectPrice', {
      endpointA: { portId }, endpointZ: { portId: PORT_Z }, bandwidthMbps: 10,
    });
    assert.equal(typeof inquiry.privateConnectPrice.unitPrice, 'number');
    assert.equal((await zc.ok('QueryPrivateConnectBandwidthPrice', {
      sourceDcId: 'SIN1', destinationDcId: 'HKG1', bandwidthMbps: 10,
    })).price.unitPrice, 30);
    assert.equal((await zc.ok('QueryDataCenterPortPrice', { dcId: 'SIN1', portType: '10G' })).price.unitPrice, 800);
    assert.equal((await zc.ok('QueryDataCenterPortPrices', { dcIds: ['SIN1'], portType: '1G' })).prices.length, 1);
    assert.equal((await zc.ok('DescribeDataCenterPortPrice', { dcId: 'SIN1' })).portPriceSet.length, 4);
    assert.equal((await zc.ok('QueryPrivateConnectPrice', {
      bandwidthMbps: 5, endpointA: { dcId: 'SIN1' }, endpointZ: { dcId: 'HKG1' },
    })).price.unitPrice, 15);

    // A port in use cannot be terminated; once its connect is gone it can.
    assertError(await zc.call('TerminatePort', { portId }), 409, 'OPERATION_DENIED_PORT_IN_USE');
    await zc.ok('DeletePrivateConnect', { privateConnectId: connectId });
    await waitFor(async () => (await connectStatus(zc, connectId)) === 'RECYCLED', { what: 'connect RECYCLED' });
    await zc.ok('DestroyPrivateConnect', { privateConnectId: connectId });
    await waitFor(async () => (await connectStatus(zc, connectId)) === undefined, { what: 'connect gone' });

    // Terminate, Renew and Destroy are jobs; with instant jobs finished by the
    // runner the transitional status (DELETING, RECOVERING, DESTROYING) may
    // still show right after the call, so each is polled to its end.
    await zc.ok('TerminatePort', { portId });
    assert.ok(['DELETING', 'RECYCLED'].includes(await portStatus(zc, portId)));
    assertError(await zc.call('TerminatePort', { portId }), 409, 'OPERATION_DENIED_INSTANCE_RECYCLED');
    await waitFor(async () => (await portStatus(zc, portId)) === 'RECYCLED', { what: 'port RECYCLED' });
    await zc.ok('RenewPort', { portId });
    await waitFor(async () => (await portStatus(zc, portId)) === 'RUNNING', { what: 'port RUNNING again' });
    await zc.ok('TerminatePort', { portId });
    await waitFor(async () => (await portStatus(zc, portId)) === 'RECYCLED', { what: 'port RECYCLED again' });
    await zc.ok('DestroyPort', { portId });
    await waitFor(async () => (await portStatus(zc, portId)) === undefined, { what: 'port gone' });
    assertError(await zc.call('DestroyPort', { portId }), 404, 'INVALID_PORT_NOT_FOUND');
  });

  test(`${version}: a malformed body on each new action is refused and changes nothing`, async () => {
    const zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO, version });
    const before = await zc.ok('DescribePorts', {});
    for (const action of NEW_ACTIONS) {
      assertError(await zc.call(action, { noSuchMember: 1 }), 400, 'INVALID_PARAMETER');
      assertError(await zc.call(action, {}, { rawBody: '{"portId": ' }), 400, 'INVALID_PARAMETER');
    }
    const after = await zc.ok('DescribePorts', {});
    assert.equal(after.totalCount, before.totalCount);
    assert.deepEqual(after.dataSet, before.dataSet);
  });
}

test('an unknown X-ZC-Version is refused on the new actions too', async () => {
  const zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO, version: '2099-01-01' });
  for (const action of ['DescribeDatacenters', 'CreatePort', 'DescribeAWSRegions']) {
    assertError(await zc.call(action, {}), 400, 'INVALID_VERSION');
  }
});
