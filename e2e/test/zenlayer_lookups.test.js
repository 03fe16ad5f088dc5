'use strict';
// Zenlayer SDN lookups and emulated traffic/price queries end to end: the real
// connectplane binary with the demo seed (ports, private connects and the
// "cloud_regions" catalog), requests signed by e2e/lib/zenlayer_client.js.

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, makeWorkspace, demoSeed } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const OTHER = { accessKeyId: 'ZLOTHERKEY000002', accessKeyPassword: 'ZenlayerOtherPassword00000000002' };
const OTHER_CONNECT_ID = '700000000000000001';
const OTHER_PORT = 'port-lax1-other-01';
const PORT_A = 'port-sin1-demo-01';
const PORT_Z = 'port-hkg1-demo-01';

let server;
let workspace;
let zc;
let other;

function iso(ms) {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function assertError(res, httpStatus, code) {
  assert.equal(res.status, httpStatus, `expected HTTP ${httpStatus}, got ${res.status}: ${res.text}`);
  assert.equal(res.body.code, code, res.text);
  assert.equal(typeof res.body.message, 'string');
  assert.equal(res.body.response, undefined);
}

test.before(async () => {
  workspace = makeWorkspace(demoSeed());
  server = await startServer({ workspace, jobSeconds: ['0'] });
  zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  other = new ZenlayerClient({ endpoint: server.endpoint, ...OTHER });
});

test.after(async () => {
  if (server) await server.stop();
  if (workspace) workspace.cleanup();
});

test('available ports: the account\'s RUNNING ports, as PortInfo', async () => {
  const all = await zc.ok('DescribePrivateConnectAvailablePorts', {});
  assert.equal(all.totalCount, 3);
  assert.deepEqual(all.dataSet.map((port) => port.portId).sort(),
    ['port-fra1-demo-01', PORT_Z, PORT_A].sort());
  for (const port of all.dataSet) assert.equal(port.portStatus, 'RUNNING');
  const sin = await zc.ok('DescribePrivateConnectAvailablePorts', { dcId: 'SIN1', pageSize: 10 });
  assert.equal(sin.totalCount, 1);
  // The data center catalog's name wins over what the seeded port carries.
  assert.equal(sin.dataSet[0].dcName, 'AP-Singapore1');
  const foreign = await zc.ok('DescribePrivateConnectAvailablePorts', { portIds: [OTHER_PORT] });
  assert.equal(foreign.totalCount, 0);
});

test('usable VLANs follow the account\'s private connects', async () => {
  const before = await zc.ok('DescribePortUsableVlan', { portId: PORT_A });
  assert.equal(before.start, 1);
  assert.equal(before.end, 4096);
  assert.deepEqual(before.inuseVlanList, []);
  const created = await zc.ok('CreatePrivateConnect', {
    endpointA: { portId: PORT_A, vlanId: 321 }, endpointZ: { portId: PORT_Z, vlanId: 654 }, bandwidthMbps: 50,
  });
  assert.match(created.privateConnectId, /^\d+$/);
  const after = await zc.ok('DescribePortUsableVlan', { portId: PORT_A, dcId: 'SIN1' });
  assert.deepEqual(after.inuseVlanList, [321]);
  assert.deepEqual((await zc.ok('DescribePortUsableVlan', { dcId: 'HKG1' })).inuseVlanList, [654]);
  assertError(await zc.call('DescribePortUsableVlan', {}), 400,
    'SELF_SERVICE_PORT_VLAN_PORT_AND_DC_NEED_AT_LEAST_ONE');
  const foreign = await zc.call('DescribePortUsableVlan', { portId: OTHER_PORT });
  const unknown = await zc.call('DescribePortUsableVlan', { portId: 'port-nope' });
  assertError(foreign, 404, 'INVALID_PORT_NOT_FOUND');
  assertError(unknown, 404, 'INVALID_PORT_NOT_FOUND');
  // The other account's VLAN 100 in LAX1 is not revealed.
  assert.deepEqual((await zc.ok('DescribePortUsableVlan', { dcId: 'LAX1' })).inuseVlanList, []);
  assert.deepEqual((await other.ok('DescribePortUsableVlan', { dcId: 'LAX1' })).inuseVlanList, [100]);
});

test('cloud regions: what the Terraform data source reads, per cloud and product', async () => {
  const aws = await zc.ok('DescribeAWSRegions', {});
  const ids = aws.cloudRegions.map((region) => region.cloudRegionId);
  assert.ok(ids.includes('ap-southeast-1') && ids.includes('us-west-1'), ids.join());
  const singapore = aws.cloudRegions.find((region) => region.cloudRegionId === 'ap-southeast-1');
  assert.equal(singapore.dataCenter.dcId, 'SIN1');
  assert.equal(singapore.dataCenter.dcName, 'Singapore 1');
  assert.deepEqual(singapore.products, ['PrivateConnect', 'CloudRouter']);
  const routers = await zc.ok('DescribeAWSRegions', { product: 'CloudRouter' });
  for (const region of routers.cloudRegions) assert.ok(region.products.includes('CloudRouter'));
  assert.ok(routers.cloudRegions.length < aws.cloudRegions.length);
  const google = await zc.ok('DescribeGoogleRegions', { pairingKey: 'x/asia-southeast1/1' });
  assert.ok(google.cloudRegions.some((region) => region.cloudRegionId === 'asia-southeast1'));
  const tencent = await zc.ok('DescribeTencentRegions', { product: 'PrivateConnect' });
  assert.ok(tencent.cloudRegions.some((region) => region.cloudRegionId === 'ap-singapore'));
  assertError(await zc.call('DescribeAWSRegions', { product: 'Internet' }), 400, 'INVALID_PARAMETER');
});

test('traffic: TrafficData every 5 minutes within the window, errors for bad windows', async () => {
  const now = Date.now();
  const res = await zc.ok('DescribePrivateConnectTraffic', {
    privateConnectId: (await zc.ok('DescribePrivateConnects', {})).dataSet[0].privateConnectId,
    startTime: iso(now - 3600 * 1000),
  });
  assert.ok(res.dataList.length >= 11 && res.dataList.length <= 13, `${res.dataList.length} samples`);
  for (const sample of res.dataList) {
    assert.match(sample.time, /^\d{4}-\d\d-\d\dT\d\d:[0-5][05]:00Z$/);
    assert.ok(sample.internetRX >= 0 && sample.internetRX <= 50e6, String(sample.internetRX));
    assert.ok(Number.isInteger(sample.internetTX));
  }
  assert.equal(res.unit, 'bps');
  for (const key of ['in95', 'inAvg', 'inMax', 'inMin', 'inTotal', 'out95', 'outAvg', 'outMax', 'outMin']) {
    assert.equal(typeof res[key], 'number', key);
  }
  const port = await zc.ok('DescribePortTraffic', {
    portId: PORT_A, startTime: iso(now - 1800 * 1000), endTime: iso(now),
  });
  assert.ok(port.dataList.length >= 5);
  assertError(await zc.call('DescribePortTraffic', {
    portId: PORT_A, startTime: iso(now - 26 * 3600 * 1000), endTime: iso(now),
  }), 403, 'INVALID_START_TIME');
  assertError(await zc.call('DescribePrivateConnectTraffic', {
    privateConnectId: OTHER_CONNECT_ID, startTime: iso(now - 3600 * 1000),
  }), 404, 'INVALID_PRIVATE_CONNECT_NOT_FOUND');
  assertError(await zc.call('DescribePortTraffic', {
    portId: PORT_A, startTime: 'yesterday', endTime: iso(now),
  }), 400, 'INVALID_PARAMETER');
});

test('prices: the documented emulated rate table', async () => {
  const inquiry = await zc.ok('InquiryCreatePrivateConnectPrice', {
    endpointA: { portId: PORT_A, vlanId: 500 }, endpointZ: { portId: PORT_Z, vlanId: 500 }, bandwidthMbps: 100,
  });
  assert.deepEqual(inquiry.privateConnectPrice, { unitPrice: 300, discountUnitPrice: 300, chargeUnit: 'MONTH' });
  const bandwidth = await zc.ok('QueryPrivateConnectBandwidthPrice', {
    sourceDcId: 'SIN1', destinationDcId: 'SIN1', bandwidthMbps: 10,
  });
  assert.equal(bandwidth.price.unitPrice, 10);
  assert.equal(bandwidth.stock, 100);
  const port = await zc.ok('QueryDataCenterPortPrice', { dcId: 'FRA1', portType: '10G' });
  assert.equal(port.price.unitPrice, 800);
  const ports = await zc.ok('QueryDataCenterPortPrices', {
    dcIds: ['SIN1', 'HKG1'], portType: '1G', buildCrossConnectWithAssisted: true,
  });
  assert.deepEqual(ports.prices.map((price) => price.dcId), ['SIN1', 'HKG1']);
  assert.equal(ports.prices[0].crossConnectOneTimeConstructionPrice.originalPrice, 500);
  const connect = await zc.ok('QueryPrivateConnectPrice', {
    bandwidthMbps: 100, endpointA: { dcId: 'SIN1', portType: '10G' }, endpointZ: { dcId: 'FRA1' },
  });
  assert.equal(connect.price.unitPrice, 300);
  assert.equal(connect.endpointAPrice.price.unitPrice, 800);
  assert.equal(connect.endpointZPrice, undefined);
  const table = await zc.ok('DescribeDataCenterPortPrice', { dcId: 'HKG1' });
  assert.deepEqual(table.portPriceSet.map((price) => price.portType), ['1G', '10G', '40G', '100G']);
  // NYC1 holds only the other account's port, but is in the catalog.
  assert.equal((await zc.ok('DescribeDataCenterPortPrice', { dcId: 'NYC1' })).portPriceSet.length, 4);
  assertError(await zc.call('DescribeDataCenterPortPrice', { dcId: 'ZZZ9' }), 404, 'INVALID_DC_NOT_FOUND');
  assertError(await zc.call('InquiryCreatePrivateConnectPrice', {
    endpointA: { portId: PORT_A }, endpointZ: { portId: OTHER_PORT },
  }), 404, 'INVALID_PORT_NOT_FOUND');
});
