'use strict';
// terraform-provider-zenlayercloud 0.2.28 (commit dc56e9b), replayed against the
// real connectplane binary: the exact calls its SDN resources and data sources
// make (lib/zenlayercloud_provider_replay.js, transcribed from the provider's
// Go source), sent byte for byte as its pinned Go SDK v0.2.40 sends them
// (lib/zenlayer_go_sdk.js), and the state the provider would write from the
// answers. Each run starts its own server; the matrix is
//   signed (ZC2-HMAC-SHA256, AK/password) x instant jobs,
//   token  (Authorization: Bearer, the Go SDK's TokenCredential) x instant jobs,
//   signed x 1-second jobs (the create/update/delete polls see the transitional statuses).
// Steps per run: zenlayercloud_sdn_port and zenlayercloud_sdn_private_connect
// create (with the provider's StateChangeConf poll), read twice (same state, no
// plan diff), update of each updatable argument, import (read by id), delete
// with and without force_delete, a re-run delete after a partial destroy, and
// the data sources zenlayercloud_sdn_{datacenters,ports,private_connects,cloud_regions}.

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, makeWorkspace, demoSeed, waitFor } = require('../lib/server');
const { GoSdkClient, goSignature, marshalRequest, SDK_VERSION, GO_USER_AGENT } = require('../lib/zenlayer_go_sdk');
const { sign } = require('../lib/zenlayer_client');
const {
  ProviderReplay, STATUS, portPlanDiff, privateConnectPlanDiff, dataResourceIdHash,
} = require('../lib/zenlayercloud_provider_replay');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const DEMO_ACCOUNT = 'zl-demo-account';
const DEMO_TOKEN = 'zl-demo-bearer-token-0000000000000001';
const PORT_A = { id: 'port-sin1-demo-01', dc: 'SIN1' };
const PORT_Z = { id: 'port-hkg1-demo-01', dc: 'HKG1' };
const CREATE_DC = { dcId: 'FRA1', dcName: 'Frankfurt 1' };
const SEEDED_PORT_IDS = new Set(demoSeed().zenlayer.ports.map((port) => port.portId));
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * The demo seed plus what the provider's calls need: the data center catalog
 * (DescribeDatacenters, CreatePort's dcId; branch zl-ports), cloud access points
 * (Describe*Regions; branch zl-catalog) and a bearer token (branch zl-versions).
 */
function replaySeed() {
  const seed = demoSeed();
  seed.zenlayer.tokens = [{ token: DEMO_TOKEN, account_id: DEMO_ACCOUNT }];
  seed.zenlayer.datacenters = [
    { dcId: 'SIN1', dcName: 'Singapore 1', dcAddress: '1 Example Way, Singapore', cityName: 'Singapore',
      countryName: 'Singapore', areaName: 'Asia Pacific' },
    { dcId: 'HKG1', dcName: 'Hong Kong 1', dcAddress: '2 Example Road, Hong Kong', cityName: 'Hong Kong',
      countryName: 'China', areaName: 'Asia Pacific' },
    { dcId: 'FRA1', dcName: 'Frankfurt 1', dcAddress: '3 Beispielstrasse, Frankfurt', cityName: 'Frankfurt',
      countryName: 'Germany', areaName: 'Europe' },
  ];
  seed.zenlayer.cloud_regions = [
    { cloudType: 'AWS', cloudRegionId: 'ap-southeast-1',
      dataCenter: { dcId: 'SIN1', dcName: 'Singapore 1' }, products: ['PrivateConnect', 'CloudRouter'] },
    { cloudType: 'AWS', cloudRegionId: 'eu-central-1',
      dataCenter: { dcId: 'FRA1', dcName: 'Frankfurt 1' }, products: ['CloudRouter'] },
    { cloudType: 'TENCENT', cloudRegionId: 'ap-hongkong',
      dataCenter: { dcId: 'HKG1', dcName: 'Hong Kong 1' }, products: ['PrivateConnect'] },
    { cloudType: 'GOOGLE', cloudRegionId: 'asia-southeast1',
      dataCenter: { dcId: 'SIN1', dcName: 'Singapore 1' }, products: ['PrivateConnect', 'CloudRouter'] },
  ];
  // Diagnostic aid for a tree that lacks one of these seed sections (the server
  // refuses unknown keys): ZL_REPLAY_OMIT_SEED=tokens,datacenters,cloud_regions.
  for (const key of (process.env.ZL_REPLAY_OMIT_SEED || '').split(',').filter(Boolean)) {
    delete seed.zenlayer[key];
  }
  return seed;
}

// --- assertions on what the provider reads ---

/**
 * Every member in `spec` ({name: [jsonType, required]}) of the raw answer object:
 * present with that JSON type when required, that type (or absent) otherwise.
 * jsonType: 'string' | 'int' | 'object' | 'array' | 'boolean'.
 */
function assertMembers(raw, spec, where) {
  assert.equal(typeof raw, 'object', `${where}: not an object`);
  assert.notEqual(raw, null, `${where}: null`);
  const problems = [];
  for (const [name, [type, required]] of Object.entries(spec)) {
    const value = raw[name];
    if (value === undefined || value === null) {
      if (required) problems.push(`${name} absent (the provider would store the Go zero value)`);
      continue;
    }
    const ok = type === 'int' ? Number.isInteger(value)
      : type === 'array' ? Array.isArray(value)
        : typeof value === type; // eslint-disable-line valid-typeof
    if (!ok) problems.push(`${name} ${JSON.stringify(value)} is not a JSON ${type} (JSON_PARSE_FAILED in the SDK)`);
    else if (required && type === 'string' && value === '') problems.push(`${name} is ""`);
  }
  assert.deepEqual(problems, [], `${where}: ${problems.join('; ')}`);
}

// Members the port resource's Read and the ports data source read (PortInfo).
const PORT_MEMBERS = {
  portId: ['string', true], portName: ['string', true], portType: ['string', true],
  portRemarks: ['string', false], dcId: ['string', true], dcName: ['string', true],
  loaStatus: ['string', true], loaDownloadUrl: ['string', false], portChargeType: ['string', true],
  businessEntityName: ['string', false], connectionStatus: ['string', true],
  portStatus: ['string', true], createdTime: ['string', true], expiredTime: ['string', false],
};
const DATACENTER_MEMBERS = {
  dcId: ['string', true], dcName: ['string', true], dcAddress: ['string', true],
  cityName: ['string', true], countryName: ['string', true], areaName: ['string', true],
};
const CONNECT_MEMBERS = {
  privateConnectId: ['string', true], privateConnectName: ['string', true],
  bandwidthMbps: ['int', true], connectivityStatus: ['string', true],
  privateConnectStatus: ['string', true], resourceGroupId: ['string', true],
  resourceGroupName: ['string', true], createTime: ['string', true], expiredTime: ['string', false],
  endpointA: ['object', true], endpointZ: ['object', true],
};
const ENDPOINT_MEMBERS = {
  endpointId: ['string', true], endpointName: ['string', true], endpointType: ['string', true],
  cloudRegionId: ['string', false], cloudAccountId: ['string', false], vlanId: ['int', true],
  dataCenter: ['object', true], connectivityStatus: ['string', true],
};

// For seeded ports these come from the seed (connectplane fills no default), so
// only their type is checked there; for a port made by CreatePort they are required.
const PORT_MEMBERS_SEED_DEPENDENT = ['loaStatus', 'portChargeType', 'connectionStatus'];

function assertPortAnswer(raw, where, { created = true } = {}) {
  const spec = { ...PORT_MEMBERS };
  if (!created) {
    for (const name of PORT_MEMBERS_SEED_DEPENDENT) spec[name] = [spec[name][0], false];
  }
  assertMembers(raw, spec, where);
  assert.match(raw.createdTime, ISO_UTC, `${where}.createdTime`);
  if (created || raw.portChargeType) {
    assert.ok(['PREPAID', 'POSTPAID'].includes(raw.portChargeType), `${where}.portChargeType ${raw.portChargeType}`);
  }
}

function assertConnectAnswer(raw, where) {
  assertMembers(raw, CONNECT_MEMBERS, where);
  assert.match(raw.createTime, ISO_UTC, `${where}.createTime`);
  for (const side of ['endpointA', 'endpointZ']) {
    assertMembers(raw[side], ENDPOINT_MEMBERS, `${where}.${side}`);
    assertMembers(raw[side].dataCenter, { dcId: ['string', true] }, `${where}.${side}.dataCenter`);
  }
}

/** The DescribePorts/DescribePrivateConnects paging contract the provider's loop needs. */
function assertPageContract(raw, where) {
  const response = raw.response;
  assert.ok(Number.isInteger(response.totalCount), `${where}: totalCount missing (the pager would compute -1 pages and panic)`);
  assert.ok(response.totalCount >= (response.dataSet || []).length, `${where}: totalCount < dataSet length`);
}

function actions(replay, from = 0) {
  return replay.trace.slice(from).map((entry) => entry.action);
}

function rawOf(replay, action, index = -1) {
  const calls = replay.trace.filter((entry) => entry.action === action && entry.outcome === 'ok');
  return calls.at(index).raw;
}

/** Errors the provider's code dropped since `from`, as "fn: code/message". */
function ignoredSince(replay, from) {
  return replay.ignoredErrors.slice(from).map(({ fn, err }) => `${fn}: ${err.code || ''} ${err.message}`);
}

function sdkCallsSince(sdk, from) {
  return sdk.calls.slice(from);
}

// --- unit checks of the Go SDK model (no server) ---

test('Go SDK sender: signature, header set and body encoding', () => {
  // Two independent implementations of the documented algorithm agree.
  const body = marshalRequest('DescribePorts', { portIds: ['p-1'], pageNum: 1, pageSize: 100 });
  assert.equal(body, '{"portIds":["p-1"],"pageNum":1,"pageSize":100}');
  const ours = goSignature({ accessKeyId: 'AK', accessKeyPassword: 'pw', host: 'h:1', body, timestamp: '1700000000' });
  const theirs = sign({ password: 'pw', timestamp: '1700000000', contentType: 'application/json', host: 'h:1', body });
  assert.equal(ours, `ZC2-HMAC-SHA256 Credential=AK, SignedHeaders=content-type;host, Signature=${theirs.signature}`);

  // Struct order, omitempty, struct values always present, Go's HTML escaping.
  assert.equal(marshalRequest('CreatePrivateConnect', {
    privateConnectName: 'a<b>&c', bandwidthMbps: 5,
    endpointA: { portId: 'p', vlanId: 7, dcId: 'SIN1' }, endpointZ: {},
  }), '{"privateConnectName":"a\\u003cb\\u003e\\u0026c","endpointA":{"portId":"p","vlanId":7,"dcId":"SIN1"},'
    + '"endpointZ":{},"bandwidthMbps":5}');
  assert.equal(marshalRequest('ModifyPortAttribute', { portId: 'p', portName: 'n', portRemarks: '', businessEntityName: 'b' }),
    '{"portId":"p","portName":"n","businessEntityName":"b"}');

  const signed = new GoSdkClient({ endpoint: 'http://127.0.0.1:9', ...DEMO, now: () => 1700000000000 });
  assert.deepEqual(signed.wireHeaders('DescribeDatacenters', '{}').map(([name]) => name), [
    'Host', 'User-Agent', 'Content-Length', 'Authorization', 'Content-Type', 'x-zc-action',
    'x-zc-request-client', 'x-zc-sdk-lang', 'x-zc-sdk-version', 'x-zc-service',
    'x-zc-signature-method', 'x-zc-timestamp', 'x-zc-version', 'Accept-Encoding']);
  const token = new GoSdkClient({ endpoint: 'http://127.0.0.1:9', token: DEMO_TOKEN });
  const tokenHeaders = Object.fromEntries(token.wireHeaders('DescribeDatacenters', '{}'));
  assert.equal(tokenHeaders.Authorization, `Bearer ${DEMO_TOKEN}`);
  assert.equal(tokenHeaders['x-zc-timestamp'], undefined);
  assert.equal(tokenHeaders['x-zc-signature-method'], undefined);
  assert.equal(tokenHeaders['x-zc-sdk-version'], SDK_VERSION);
  assert.equal(tokenHeaders['User-Agent'], GO_USER_AGENT);
  assert.equal(tokenHeaders['x-zc-request-client'], 'Terraform-latest');
});

// --- the replay matrix ---

const RUNS = [
  { name: 'signed, instant jobs', credential: 'signed', jobSeconds: ['0'], timeScale: 0.002, expectTransitions: false },
  { name: 'token, instant jobs', credential: 'token', jobSeconds: ['0'], timeScale: 0.002, expectTransitions: false },
  { name: 'signed, 1 s jobs', credential: 'signed', jobSeconds: ['1'], timeScale: 0.02, expectTransitions: true },
];

for (const run of RUNS) {
  test.describe(`provider replay (${run.name})`, () => {
    let server;
    let workspace;
    let sdk;
    let replay;
    const ctx = {};  // ids and states handed from step to step

    test.before(async () => {
      workspace = makeWorkspace(replaySeed());
      server = await startServer({ workspace, jobSeconds: run.jobSeconds });
      sdk = run.credential === 'token'
        ? new GoSdkClient({ endpoint: server.endpoint, token: DEMO_TOKEN })
        : new GoSdkClient({ endpoint: server.endpoint, ...DEMO });
      replay = new ProviderReplay({ sdk, timeScale: run.timeScale, timeoutMs: 30000 });
    });

    test.after(async () => {
      if (sdk) sdk.close();
      if (server) await server.stop();
      if (workspace) workspace.cleanup();
    });

    // Each step's call sequence (action -> outcome) goes to the TAP output as a diagnostic.
    let stepMark = 0;
    test.beforeEach(() => { stepMark = replay ? replay.trace.length : 0; });
    test.afterEach((t) => {
      if (!replay) return;
      const calls = replay.trace.slice(stepMark).map((entry) => {
        const status = entry.raw && entry.raw.response && Array.isArray(entry.raw.response.dataSet)
          && entry.raw.response.dataSet.length === 1
          ? entry.raw.response.dataSet[0].portStatus || entry.raw.response.dataSet[0].privateConnectStatus : undefined;
        return `${entry.action}${entry.outcome === 'ok' ? '' : `!${entry.outcome}`}${status ? `[${status}]` : ''}`;
      });
      t.diagnostic(`calls: ${calls.join(' ') || '(none)'}`);
    });

    const needs = (t, ...keys) => {
      const missing = keys.filter((key) => ctx[key] === undefined);
      if (missing.length) t.skip(`needs ${missing.join(', ')} from an earlier step`);
      return missing.length === 0;
    };

    // ---------------- zenlayercloud_sdn_port ----------------

    const portConfig = {
      name: 'tf-replay-port', datacenter: CREATE_DC.dcId, remarks: 'replayed by e2e',
      port_type: '10G', business_entity_name: 'Replay Corp',
    };

    test.it('port create: CreatePort, DescribePorts poll CREATING -> RUNNING, Read', async () => {
      const mark = replay.trace.length;
      const callMark = sdk.calls.length;
      const d = await replay.portCreate(portConfig);
      const seq = actions(replay, mark);
      assert.equal(seq[0], 'CreatePort');
      assert.ok(seq.slice(1).every((action) => action === 'DescribePorts'), seq.join(','));
      assert.equal(sdkCallsSince(sdk, callMark)[0].body,
        '{"dcId":"FRA1","portName":"tf-replay-port","portRemarks":"replayed by e2e","portType":"10G",'
        + '"businessEntityName":"Replay Corp"}');
      for (const call of sdkCallsSince(sdk, callMark).slice(1)) {
        assert.equal(call.body, `{"portIds":["${d.id}"]}`);
      }
      assertMembers(rawOf(replay, 'CreatePort').response, { portId: ['string', true] }, 'CreatePort.response');
      assert.ok(d.createPollStates.every((s) => s === STATUS.CREATING || s === STATUS.RUNNING),
        `poll saw ${d.createPollStates.join(',')}; the provider's StateChangeConf accepts only CREATING, RUNNING`);
      assert.equal(d.createPollStates.at(-1), STATUS.RUNNING);
      if (run.expectTransitions) assert.ok(d.createPollStates.includes(STATUS.CREATING), d.createPollStates.join(','));
      assertPortAnswer(rawOf(replay, 'DescribePorts').response.dataSet[0], 'DescribePorts.dataSet[0]');
      assert.deepEqual(d.setErrors, []);
      assert.equal(d.state.name, portConfig.name);
      assert.equal(d.state.datacenter, CREATE_DC.dcId);
      assert.equal(d.state.datacenter_name, CREATE_DC.dcName);
      assert.equal(d.state.port_type, portConfig.port_type);
      assert.equal(d.state.remarks, portConfig.remarks);
      assert.equal(d.state.business_entity_name, portConfig.business_entity_name);
      assert.equal(d.state.port_status, STATUS.RUNNING);
      assert.deepEqual(portPlanDiff(portConfig, d.state), []);
      ctx.portId = d.id;
      ctx.portState = d.state;
    });

    test.it('port read twice: same state, no plan diff', async (t) => {
      if (!needs(t, 'portId')) return;
      const first = await replay.portRead(ctx.portId, ctx.portState);
      const second = await replay.portRead(ctx.portId, first.state);
      assert.equal(first.id, ctx.portId);
      assert.deepEqual(second.state, first.state);
      assert.deepEqual(first.state, ctx.portState);
      assert.deepEqual(portPlanDiff(portConfig, second.state), []);
    });

    const portUpdates = [
      ['name', 'tf-replay-port-renamed'],
      ['remarks', 'changed remarks'],
      ['business_entity_name', 'Replay Corp Two'],
    ];
    for (const [key, value] of portUpdates) {
      test.it(`port update ${key}: ModifyPortAttribute with all three attributes, then Read`, async (t) => {
        if (!needs(t, 'portId')) return;
        const config = { ...portConfig, ...ctx.portConfigNow, [key]: value };
        const mark = replay.trace.length;
        const callMark = sdk.calls.length;
        const d = await replay.portUpdate(ctx.portId, ctx.portState, config);
        assert.deepEqual(actions(replay, mark).slice(0, 2), ['ModifyPortAttribute', 'DescribePorts']);
        assert.equal(sdkCallsSince(sdk, callMark)[0].body, marshalRequest('ModifyPortAttribute', {
          portId: ctx.portId, portName: config.name, portRemarks: config.remarks,
          businessEntityName: config.business_entity_name }));
        assert.equal(d.state[key], value);
        assert.deepEqual(portPlanDiff(config, d.state), []);
        ctx.portConfigNow = config;
        ctx.portState = d.state;
      });
    }

    test.it('port update force_delete: no API call but the Read', async (t) => {
      if (!needs(t, 'portId')) return;
      const config = { ...portConfig, ...ctx.portConfigNow, force_delete: true };
      const mark = replay.trace.length;
      const d = await replay.portUpdate(ctx.portId, ctx.portState, config);
      assert.deepEqual(actions(replay, mark), ['DescribePorts']);
      assert.equal(d.state.force_delete, true);
      assert.deepEqual(portPlanDiff(config, d.state), []);
      ctx.portConfigNow = config;
      ctx.portState = d.state;
    });

    test.it('port import: the importer reads by id into the same state', async (t) => {
      if (!needs(t, 'portId')) return;
      const imported = await replay.portRead(ctx.portId, {});
      const { force_delete: _ignored, ...expected } = ctx.portState;
      assert.deepEqual(imported.state, expected);
      // Only force_delete (not read back by the provider) differs from the configuration.
      assert.deepEqual(portPlanDiff(ctx.portConfigNow, imported.state).map((diff) => diff.key), ['force_delete']);
    });

    test.it('port delete with force_delete: TerminatePort, poll until RECYCLED, DestroyPort', async (t) => {
      if (!needs(t, 'portId')) return;
      const mark = replay.trace.length;
      const ignoredMark = replay.ignoredErrors.length;
      const result = await replay.portDelete(ctx.portId, ctx.portState);
      const seq = actions(replay, mark);
      assert.equal(seq[0], 'TerminatePort');
      assert.equal(seq.at(-1), 'DestroyPort', seq.join(','));
      assert.ok(seq.slice(1, -1).every((a) => a === 'DescribePorts'), seq.join(','));
      // TerminatePort is a job: the poll goes through DELETING (IsOperating) to RECYCLED.
      assert.ok(result.deletePollStates.every((s) => s === STATUS.DELETING || s === STATUS.RECYCLED),
        `poll saw ${result.deletePollStates.join(',')}`);
      assert.equal(result.deletePollStates.at(-1), STATUS.RECYCLED);
      if (run.expectTransitions) {
        assert.ok(result.deletePollStates.includes(STATUS.DELETING), result.deletePollStates.join(','));
      }
      assert.equal(result.destroyCalled, true);
      assert.deepEqual(ignoredSince(replay, ignoredMark), [],
        'DestroyPort failed (the provider ignores it; the port would linger)');
      // The next refresh drops it from the state once the destroy has finished.
      await waitFor(async () => (await replay.portRead(ctx.portId, ctx.portState)).id === '',
        { timeoutMs: 20000, what: 'port gone after DestroyPort' });
    });

    test.it('port delete without force_delete, refresh, re-run delete with force_delete', async () => {
      const config = { ...portConfig, name: 'tf-replay-port-2' };
      const created = await replay.portCreate(config);
      ctx.port2 = created.id;
      const first = await replay.portDelete(created.id, created.state);
      assert.equal(first.destroyCalled, false);
      // terraform destroy interrupted here: the state still has the port; the next plan refreshes it.
      const refreshed = await replay.portRead(created.id, created.state);
      assert.equal(refreshed.id, created.id, 'a recycled port stays in the state');
      assert.equal(refreshed.state.port_status, STATUS.RECYCLED);
      const mark = replay.trace.length;
      const ignoredMark = replay.ignoredErrors.length;
      const rerun = await replay.portDelete(created.id, { ...refreshed.state, force_delete: true });
      const terminate = replay.trace[mark];
      assert.equal(terminate.action, 'TerminatePort');
      assert.ok(terminate.outcome === 'ok' || terminate.outcome === 'OPERATION_DENIED_INSTANCE_RECYCLED',
        `TerminatePort of a RECYCLED port answered ${terminate.outcome}; the provider only tolerates `
        + 'OPERATION_DENIED_INSTANCE_RECYCLED');
      assert.equal(rerun.destroyCalled, true);
      assert.deepEqual(ignoredSince(replay, ignoredMark), []);
      await waitFor(async () => (await replay.portRead(created.id, {})).id === '',
        { timeoutMs: 20000, what: 'port gone after the re-run delete' });
      // A third run: the refresh finds nothing and drops it; no delete call follows.
      const again = await replay.portRead(created.id, refreshed.state);
      assert.equal(again.id, '');
    });

    test.it('port re-run delete while DELETING: Terminate is tolerated, the poll waits for RECYCLED', async () => {
      const created = await replay.portCreate({ ...portConfig, name: 'tf-replay-port-4' });
      // terraform destroy killed right after TerminatePort was sent.
      await replay.call('test: partial destroy', 'TerminatePort', { portId: created.id });
      const mark = replay.trace.length;
      const ignoredMark = replay.ignoredErrors.length;
      const rerun = await replay.portDelete(created.id, { ...created.state, force_delete: true });
      const terminate = replay.trace[mark];
      assert.equal(terminate.action, 'TerminatePort');
      assert.ok(terminate.outcome === 'OPERATION_DENIED_INSTANCE_RECYCLED',
        `TerminatePort of a DELETING or RECYCLED port answered ${terminate.outcome}; the provider only `
        + 'tolerates OPERATION_DENIED_INSTANCE_RECYCLED');
      assert.equal(rerun.deletePollStates.at(-1), STATUS.RECYCLED);
      assert.equal(rerun.destroyCalled, true);
      assert.deepEqual(ignoredSince(replay, ignoredMark), []);
      await waitFor(async () => (await replay.portRead(created.id, {})).id === '',
        { timeoutMs: 20000, what: 'port gone after the re-run delete' });
    });

    test.it('port re-run delete while DESTROYING: the refresh waits it out and drops it', async () => {
      const created = await replay.portCreate({ ...portConfig, name: 'tf-replay-port-3' });
      await replay.portDelete(created.id, created.state);
      // terraform destroy killed right after DestroyPort was sent.
      await replay.call('test: partial destroy', 'DestroyPort', { portId: created.id });
      const refreshed = await replay.portRead(created.id, created.state);
      assert.equal(refreshed.id, '', 'the refresh waits while DESTROYING and then finds nothing');
    });

    // ---------------- zenlayercloud_sdn_private_connect ----------------

    const connectConfig = {
      connect_name: 'tf-replay-connect', connect_bandwidth: 20,
      endpoints: [
        { port_id: PORT_A.id, endpoint_type: 'PORT', vlan_id: 301, datacenter: PORT_A.dc },
        { port_id: PORT_Z.id, endpoint_type: 'PORT', vlan_id: 302, datacenter: PORT_Z.dc },
      ],
    };

    test.it('private connect create: CreatePrivateConnect, poll CREATING -> RUNNING, Read', async () => {
      const mark = replay.trace.length;
      const callMark = sdk.calls.length;
      const d = await replay.privateConnectCreate(connectConfig);
      const seq = actions(replay, mark);
      assert.equal(seq[0], 'CreatePrivateConnect');
      assert.ok(seq.slice(1).every((a) => a === 'DescribePrivateConnects'), seq.join(','));
      assert.equal(sdkCallsSince(sdk, callMark)[0].body,
        '{"privateConnectName":"tf-replay-connect",'
        + `"endpointA":{"portId":"${PORT_A.id}","vlanId":301,"dcId":"${PORT_A.dc}"},`
        + `"endpointZ":{"portId":"${PORT_Z.id}","vlanId":302,"dcId":"${PORT_Z.dc}"},"bandwidthMbps":20}`);
      assert.ok(d.createPollStates.every((s) => s === STATUS.CREATING || s === STATUS.RUNNING),
        `poll saw ${d.createPollStates.join(',')}`);
      if (run.expectTransitions) assert.ok(d.createPollStates.includes(STATUS.CREATING), d.createPollStates.join(','));
      assertMembers(rawOf(replay, 'CreatePrivateConnect').response, { privateConnectId: ['string', true] },
        'CreatePrivateConnect.response');
      const raw = rawOf(replay, 'DescribePrivateConnects').response.dataSet[0];
      assertConnectAnswer(raw, 'DescribePrivateConnects.dataSet[0]');
      // The provider sets "connect_status", which its schema lacks ("status"): Terraform never sees it.
      assert.deepEqual(d.setErrors, ['Invalid address to set: []string{"connect_status"}']);
      assert.equal(d.connect.privateConnectStatus, STATUS.RUNNING);
      assert.equal(d.state.connect_name, connectConfig.connect_name);
      assert.equal(d.state.connect_bandwidth, 20);
      assert.equal(d.state.endpoints[0].port_id, PORT_A.id);
      assert.equal(d.state.endpoints[1].port_id, PORT_Z.id);
      assert.equal(d.state.endpoints[0].endpoint_type, 'PORT');
      assert.equal(d.state.endpoints[0].vlan_id, 301);
      assert.equal(d.state.endpoints[1].datacenter, PORT_Z.dc);
      assert.deepEqual(privateConnectPlanDiff(connectConfig, d.state), []);
      ctx.connectId = d.id;
      ctx.connectState = d.state;
    });

    test.it('private connect read twice: same state, no plan diff', async (t) => {
      if (!needs(t, 'connectId')) return;
      const first = await replay.privateConnectRead(ctx.connectId, ctx.connectState);
      const second = await replay.privateConnectRead(ctx.connectId, first.state);
      assert.deepEqual(second.state, first.state);
      assert.deepEqual(first.state, ctx.connectState);
      assert.deepEqual(privateConnectPlanDiff(connectConfig, second.state), []);
    });

    test.it('private connect update connect_name: ModifyPrivateConnectsAttribute, Read', async (t) => {
      if (!needs(t, 'connectId')) return;
      const config = { ...connectConfig, connect_name: 'tf-replay-connect-renamed' };
      const mark = replay.trace.length;
      const callMark = sdk.calls.length;
      const d = await replay.privateConnectUpdate(ctx.connectId, ctx.connectState, config);
      assert.deepEqual(actions(replay, mark)[0], 'ModifyPrivateConnectsAttribute');
      assert.ok(actions(replay, mark).slice(1).every((a) => a === 'DescribePrivateConnects'));
      assert.equal(sdkCallsSince(sdk, callMark)[0].body,
        `{"privateConnectIds":["${ctx.connectId}"],"privateConnectName":"tf-replay-connect-renamed"}`);
      assert.equal(d.state.connect_name, config.connect_name);
      assert.deepEqual(privateConnectPlanDiff(config, d.state), []);
      ctx.connectConfigNow = config;
      ctx.connectState = d.state;
    });

    test.it('private connect update connect_bandwidth: ModifyPrivateConnectBandwidth, Read waits out UPDATING', async (t) => {
      if (!needs(t, 'connectId')) return;
      const config = { ...connectConfig, ...ctx.connectConfigNow, connect_bandwidth: 50 };
      const mark = replay.trace.length;
      const callMark = sdk.calls.length;
      const d = await replay.privateConnectUpdate(ctx.connectId, ctx.connectState, config);
      const seq = actions(replay, mark);
      assert.equal(seq[0], 'ModifyPrivateConnectBandwidth');
      assert.ok(seq.slice(1).every((a) => a === 'DescribePrivateConnects'), seq.join(','));
      assert.equal(sdkCallsSince(sdk, callMark)[0].body,
        `{"privateConnectId":"${ctx.connectId}","bandwidthMbps":50}`);
      const seen = replay.trace.slice(mark + 1).map((entry) => entry.raw.response.dataSet[0].privateConnectStatus);
      assert.ok(seen.every((s) => s === STATUS.UPDATING || s === STATUS.RUNNING), seen.join(','));
      if (run.expectTransitions) assert.ok(seen.includes(STATUS.UPDATING), `read saw ${seen.join(',')}`);
      assert.equal(d.state.connect_bandwidth, 50);
      assert.deepEqual(privateConnectPlanDiff(config, d.state), []);
      ctx.connectConfigNow = config;
      ctx.connectState = d.state;
    });

    test.it('private connect update force_delete: no API call but the Read', async (t) => {
      if (!needs(t, 'connectId')) return;
      const config = { ...connectConfig, ...ctx.connectConfigNow, force_delete: true };
      const mark = replay.trace.length;
      const d = await replay.privateConnectUpdate(ctx.connectId, ctx.connectState, config);
      assert.deepEqual(actions(replay, mark), ['DescribePrivateConnects']);
      assert.deepEqual(privateConnectPlanDiff(config, d.state), []);
      ctx.connectConfigNow = config;
      ctx.connectState = d.state;
    });

    test.it('private connect import: read by id into the same state', async (t) => {
      if (!needs(t, 'connectId')) return;
      const imported = await replay.privateConnectRead(ctx.connectId, {});
      const { force_delete: _ignored, ...expected } = ctx.connectState;
      assert.deepEqual(imported.state, expected);
      assert.deepEqual(privateConnectPlanDiff(ctx.connectConfigNow, imported.state).map((diff) => diff.key),
        ['force_delete']);
    });

    // ---------------- data sources (while the connect exists) ----------------

    test.it('data zenlayercloud_sdn_datacenters: DescribeDatacenters {} and name_regex', async () => {
      const mark = replay.trace.length;
      const callMark = sdk.calls.length;
      const ignoredMark = replay.ignoredErrors.length;
      const all = await replay.datacentersRead({});
      assert.deepEqual(actions(replay, mark), ['DescribeDatacenters']);
      assert.equal(sdkCallsSince(sdk, callMark)[0].body, '{}');
      assert.deepEqual(ignoredSince(replay, ignoredMark), [],
        'DescribeDatacenters failed; the provider would show an empty list without an error');
      const raw = rawOf(replay, 'DescribeDatacenters').response;
      assert.ok(Array.isArray(raw.dcSet), 'dcSet');
      raw.dcSet.forEach((dc, i) => assertMembers(dc, DATACENTER_MEMBERS, `dcSet[${i}]`));
      const ids = all.datacenters.map((dc) => dc.id);
      for (const dcId of ['SIN1', 'HKG1', 'FRA1']) assert.ok(ids.includes(dcId), `${dcId} in ${ids}`);
      assert.equal(all.id, dataResourceIdHash(ids));
      const fra = all.datacenters.find((dc) => dc.id === 'FRA1');
      assert.deepEqual(fra, { id: 'FRA1', name: 'Frankfurt 1', address: '3 Beispielstrasse, Frankfurt',
        city_name: 'Frankfurt', country_name: 'Germany', area_name: 'Europe' });
      const filtered = await replay.datacentersRead({ name_regex: '^Singapore' });
      assert.deepEqual(filtered.datacenters.map((dc) => dc.id), ['SIN1']);
    });

    test.it('data zenlayercloud_sdn_ports: all, by datacenter, by port_ids', async () => {
      const callMark = sdk.calls.length;
      const all = await replay.portsRead({});
      assert.equal(sdkCallsSince(sdk, callMark)[0].body, '{"pageNum":1,"pageSize":100}');
      assertPageContract(rawOf(replay, 'DescribePorts'), 'DescribePorts');
      all.raw.forEach((port, i) => assertPortAnswer(port, `dataSet[${i}]`,
        { created: !SEEDED_PORT_IDS.has(port.portId) }));
      const ids = all.port_list.map((p) => p.port_id);
      assert.ok(ids.includes(PORT_A.id) && ids.includes(PORT_Z.id), ids.join(','));
      assert.ok(!ids.includes('port-lax1-other-01'), 'another account\'s port is listed');
      const byDc = await replay.portsRead({ datacenter: 'SIN1' });
      assert.equal(sdk.calls.at(-1).body, '{"dcId":"SIN1","pageNum":1,"pageSize":100}');
      assert.ok(byDc.port_list.length >= 1 && byDc.port_list.every((p) => p.datacenter === 'SIN1'));
      const byIds = await replay.portsRead({ port_ids: [PORT_Z.id] });
      assert.equal(sdk.calls.at(-1).body, `{"portIds":["${PORT_Z.id}"],"pageNum":1,"pageSize":100}`);
      assert.deepEqual(byIds.port_list.map((p) => p.port_id), [PORT_Z.id]);
      const z = byIds.port_list[0];
      assert.equal(z.datacenter, PORT_Z.dc);
      assert.equal(z.datacenter_name, 'Hong Kong 1');
      assert.equal(z.port_status, STATUS.RUNNING);
    });

    test.it('data zenlayercloud_sdn_private_connects: all and by connect_ids', async (t) => {
      if (!needs(t, 'connectId')) return;
      const callMark = sdk.calls.length;
      const all = await replay.privateConnectsRead({});
      assert.equal(sdkCallsSince(sdk, callMark)[0].body, '{"pageNum":1,"pageSize":100}');
      assertPageContract(rawOf(replay, 'DescribePrivateConnects'), 'DescribePrivateConnects');
      all.raw.forEach((connect, i) => assertConnectAnswer(connect, `dataSet[${i}]`));
      assert.ok(all.connect_list.some((c) => c.connect_id === ctx.connectId));
      const byId = await replay.privateConnectsRead({ connect_ids: [ctx.connectId] });
      assert.equal(sdk.calls.at(-1).body, `{"privateConnectIds":["${ctx.connectId}"],"pageNum":1,"pageSize":100}`);
      assert.equal(byId.connect_list.length, 1);
      const c = byId.connect_list[0];
      assert.equal(c.connect_status, STATUS.RUNNING);
      assert.equal(c.connect_bandwidth, 50);
      assert.deepEqual(c.endpoints.map((e) => [e.port_id, e.vlan_id, e.datacenter, e.endpoint_type]),
        [[PORT_A.id, 301, PORT_A.dc, 'PORT'], [PORT_Z.id, 302, PORT_Z.dc, 'PORT']]);
      assert.equal(byId.id, dataResourceIdHash([ctx.connectId]));
    });

    test.it('data zenlayercloud_sdn_cloud_regions: AWS, TENCENT, GOOGLE (pairing key), product filter', async () => {
      const cases = [
        [{ cloud_type: 'AWS' }, 'DescribeAWSRegions', '{}'],
        [{ cloud_type: 'AWS', product: 'PrivateConnect' }, 'DescribeAWSRegions', '{"product":"PrivateConnect"}'],
        [{ cloud_type: 'TENCENT' }, 'DescribeTencentRegions', '{}'],
        [{ cloud_type: 'GOOGLE', google_pairing_key: 'pk-0000/asia-southeast1/1' }, 'DescribeGoogleRegions',
          '{"pairingKey":"pk-0000/asia-southeast1/1"}'],
      ];
      const results = {};
      for (const [config, action, body] of cases) {
        const mark = replay.trace.length;
        const result = await replay.cloudRegionsRead(config);
        assert.deepEqual(actions(replay, mark), [action]);
        assert.equal(sdk.calls.at(-1).body, body);
        for (const [i, region] of (result.raw || []).entries()) {
          assertMembers(region, { cloudRegionId: ['string', true], dataCenter: ['object', true],
            products: ['array', true] }, `${action}.cloudRegions[${i}]`);
          assertMembers(region.dataCenter, { dcId: ['string', true], dcName: ['string', true] },
            `${action}.cloudRegions[${i}].dataCenter`);
        }
        results[`${action} ${config.product || ''}`] = result.region_list;
      }
      const aws = results['DescribeAWSRegions '];
      assert.deepEqual(aws.map((r) => `${r.cloud_region}:${r.datacenter}`).sort(),
        ['ap-southeast-1:SIN1', 'eu-central-1:FRA1']);
      assert.deepEqual(results['DescribeAWSRegions PrivateConnect'].map((r) => r.cloud_region), ['ap-southeast-1']);
      assert.deepEqual(results['DescribeTencentRegions '].map((r) => [r.cloud_region, r.datacenter, r.datacenter_name]),
        [['ap-hongkong', 'HKG1', 'Hong Kong 1']]);
      assert.deepEqual(results['DescribeGoogleRegions '].map((r) => r.products),
        [['PrivateConnect', 'CloudRouter']]);
    });

    // ---------------- private connect delete paths ----------------

    test.it('private connect delete with force_delete: Delete, poll until RECYCLED, Destroy', async (t) => {
      if (!needs(t, 'connectId')) return;
      const mark = replay.trace.length;
      const ignoredMark = replay.ignoredErrors.length;
      const result = await replay.privateConnectDelete(ctx.connectId, ctx.connectState);
      const seq = actions(replay, mark);
      assert.equal(seq[0], 'DeletePrivateConnect');
      assert.equal(seq.at(-1), 'DestroyPrivateConnect', seq.join(','));
      assert.ok(seq.slice(1, -1).every((a) => a === 'DescribePrivateConnects'), seq.join(','));
      assert.equal(result.destroyCalled, true);
      assert.deepEqual(ignoredSince(replay, ignoredMark), []);
      await waitFor(async () => (await replay.privateConnectRead(ctx.connectId, ctx.connectState)).id === '',
        { timeoutMs: 20000, what: 'connect gone after DestroyPrivateConnect' });
    });

    test.it('private connect delete without force_delete, refresh, re-run delete with force_delete', async () => {
      const config = { ...connectConfig, connect_name: 'tf-replay-connect-2',
        endpoints: connectConfig.endpoints.map((e) => ({ ...e, vlan_id: e.vlan_id + 100 })) };
      const created = await replay.privateConnectCreate(config);
      const first = await replay.privateConnectDelete(created.id, created.state);
      assert.equal(first.destroyCalled, false);
      const refreshed = await replay.privateConnectRead(created.id, created.state);
      assert.equal(refreshed.id, created.id, 'a recycled connect stays in the state');
      assert.equal(refreshed.connect.privateConnectStatus, STATUS.RECYCLED);
      const mark = replay.trace.length;
      let rerunError;
      try {
        await replay.privateConnectDelete(created.id, { ...refreshed.state, force_delete: true });
      } catch (err) { rerunError = err; }
      const deleteCall = replay.trace[mark];
      assert.equal(deleteCall.action, 'DeletePrivateConnect');
      assert.equal(rerunError, undefined,
        `re-run delete failed: DeletePrivateConnect of a RECYCLED connect answered ${deleteCall.outcome} `
        + `(${rerunError && rerunError.message}); the provider only tolerates INVALID_PRIVATE_CONNECT_NOT_FOUND`);
      assert.equal(actions(replay, mark).at(-1), 'DestroyPrivateConnect');
      await waitFor(async () => (await replay.privateConnectRead(created.id, {})).id === '',
        { timeoutMs: 20000, what: 'connect gone after the re-run delete' });
    });

    test.it('private connect re-run delete while DESTROYING: the refresh waits it out and drops it', async () => {
      const config = { ...connectConfig, connect_name: 'tf-replay-connect-3',
        endpoints: connectConfig.endpoints.map((e) => ({ ...e, vlan_id: e.vlan_id + 200 })) };
      const created = await replay.privateConnectCreate(config);
      await replay.privateConnectDelete(created.id, created.state);
      // terraform destroy killed right after DestroyPrivateConnect was sent.
      await replay.call('test: partial destroy', 'DestroyPrivateConnect', { privateConnectId: created.id });
      const refreshed = await replay.privateConnectRead(created.id, created.state);
      assert.equal(refreshed.id, '', 'the refresh waits while DESTROYING and then finds nothing');
    });

    test.it('error codes the provider compares, on ids that are gone', async (t) => {
      if (!needs(t, 'portId', 'connectId')) return;
      // DestroyPort after the port is gone: INVALID_PORT_NOT_FOUND or OPERATION_FAILED_RESOURCE_NOT_FOUND
      // end the provider's Destroy loop (resourceZenlayerCloudDcPortsDelete).
      const destroyPort = await replay.DestroyPort(ctx.portId);
      assert.ok(destroyPort && ['INVALID_PORT_NOT_FOUND', 'OPERATION_FAILED_RESOURCE_NOT_FOUND'].includes(destroyPort.code),
        `DestroyPort of a destroyed port: ${destroyPort && destroyPort.code}`);
      // DeletePrivateConnect / DestroyPrivateConnect of a gone connect: INVALID_PRIVATE_CONNECT_NOT_FOUND.
      assert.equal(await replay.DeletePrivateConnectById(ctx.connectId), null,
        'DeletePrivateConnect of a destroyed connect must answer INVALID_PRIVATE_CONNECT_NOT_FOUND');
      const destroyConnect = await replay.DestroyPrivateConnect(ctx.connectId);
      assert.ok(destroyConnect && ['INVALID_PRIVATE_CONNECT_NOT_FOUND', 'OPERATION_FAILED_RESOURCE_NOT_FOUND']
        .includes(destroyConnect.code), `DestroyPrivateConnect of a destroyed connect: ${destroyConnect && destroyConnect.code}`);
      // The by-id Describe of a gone id is an empty dataSet, not an error (the Read then drops it).
      assert.equal(await replay.DescribePortById(ctx.portId), null);
      assert.equal(await replay.DescribePrivateConnectById(ctx.connectId), null);
    });

    test.it('SERVICE_TEMPORARY_UNAVAILABLE on CreatePrivateConnect and on the Read is retried', async () => {
      const fault = async (operation) => {
        const res = await fetch(`${server.endpoint}/_connectplane/faults`, {
          method: 'POST', headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ kind: 'api', dialect: 'zenlayer', operation, count: 1, http_status: 503,
            error_code: 'SERVICE_TEMPORARY_UNAVAILABLE', message: 'injected by the replay' }),
        });
        assert.equal(res.status, 201, await res.text());
      };
      await fault('CreatePrivateConnect');
      const config = { ...connectConfig, connect_name: 'tf-replay-connect-4',
        endpoints: connectConfig.endpoints.map((e) => ({ ...e, vlan_id: e.vlan_id + 300 })) };
      const mark = replay.trace.length;
      const created = await replay.privateConnectCreate(config);
      assert.deepEqual(replay.trace.slice(mark, mark + 2).map((e) => [e.action, e.outcome]),
        [['CreatePrivateConnect', 'SERVICE_TEMPORARY_UNAVAILABLE'], ['CreatePrivateConnect', 'ok']]);
      await fault('DescribePrivateConnects');
      const readMark = replay.trace.length;
      const read = await replay.privateConnectRead(created.id, created.state);
      assert.deepEqual(replay.trace.slice(readMark).map((e) => e.outcome), ['SERVICE_TEMPORARY_UNAVAILABLE', 'ok']);
      assert.deepEqual(read.state, created.state);
      await replay.privateConnectDelete(created.id, { ...created.state, force_delete: true });
    });

    test.it('every answer decoded as the Go SDK would (no JSON_PARSE_FAILED)', () => {
      const parseFailures = replay.trace.filter((entry) => entry.outcome === 'JSON_PARSE_FAILED');
      assert.deepEqual(parseFailures.map((e) => e.action), []);
    });
  });
}
