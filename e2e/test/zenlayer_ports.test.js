'use strict';
// The Zenlayer SDN port lifecycle through the real binary, as Terraform's
// zenlayercloud_sdn_port drives it: DescribeDatacenters, CreatePort, poll
// DescribePorts until RUNNING, ModifyPortAttribute, TerminatePort (DELETING)
// polled to the recycle bin (a second Terminate answers
// OPERATION_DENIED_INSTANCE_RECYCLED), RenewPort (RECOVERING) polled to
// RUNNING, DestroyPort (DESTROYING) polled to absence. Every change of status
// is a job: with instant jobs finished by the runner a client may still see the
// transitional status right after the call; with `--instant-jobs inline` it
// never does; with timed jobs it always does (polled by deadline, never a
// fixed sleep).

const test = require('node:test');
const assert = require('node:assert/strict');

const { startServer, waitFor } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const DEMO = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const OTHER = { accessKeyId: 'ZLOTHERKEY000002', accessKeyPassword: 'ZenlayerOtherPassword00000000002' };

const CREATE = {
  dcId: 'TYO1',
  portName: 'e2e-tyo1-10g',
  portType: '10G',
  businessEntityName: 'Example Networks Ltd',
  portRemarks: 'made by e2e',
};

async function portOf(zc, portId) {
  const page = await zc.ok('DescribePorts', { portIds: [portId] });
  return page.dataSet.length ? page.dataSet[0] : null;
}

// What the port shows right after a call that starts `transitional`, by job
// mode: 'inline' the job already finished; 'runner' (instant jobs finished by
// the background runner) either; 'timed' still transitional. Then polls, as
// Terraform does, until the final status (null: the port is gone).
async function settles(zc, portId, { transitional, final, mode, deadlineMs }) {
  const statusOf = async () => { const port = await portOf(zc, portId); return port ? port.portStatus : null; };
  const seen = await statusOf();
  const allowed = { inline: [final], runner: [transitional, final], timed: [transitional] }[mode];
  assert.ok(allowed.includes(seen), `right after the call: ${seen}, expected one of ${allowed.join()}`);
  await waitFor(async () => (await statusOf()) === final,
    { timeoutMs: deadlineMs, intervalMs: 100, what: `port ${portId} ${final || 'gone'}` });
}

async function lifecycle(zc, { createDeadlineMs, mode }) {
  const created = await zc.ok('CreatePort', CREATE);
  assert.match(created.portId, /^\d{18}$/);
  const portId = created.portId;

  const running = await waitFor(async () => {
    const port = await portOf(zc, portId);
    return port && port.portStatus === 'RUNNING' ? port : null;
  }, { timeoutMs: createDeadlineMs, intervalMs: 200, what: `port ${portId} RUNNING` });
  assert.equal(running.portName, CREATE.portName);
  assert.equal(running.portType, '10G');
  assert.equal(running.dcId, 'TYO1');
  assert.equal(running.dcName, 'AP-Tokyo1');
  assert.equal(running.cityName, 'Tokyo');
  assert.equal(running.connectionStatus, 'ACTIVE');
  assert.equal(running.loaStatus, 'LOA_UPLOADED');
  assert.equal(running.businessEntityName, CREATE.businessEntityName);
  assert.match(running.createdTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  await zc.ok('ModifyPortAttribute', { portId, portName: 'e2e-renamed', portRemarks: 'changed' });
  const renamed = await zc.ok('DescribePorts', { portName: 'E2E-REN', portRemarks: 'CHANGED' });
  assert.deepEqual(renamed.dataSet.map((port) => port.portId), [portId]);

  const deadlineMs = createDeadlineMs;
  await zc.ok('TerminatePort', { portId });
  // Past Terminate (DELETING or RECYCLED) a second one is "already terminated".
  const again = await zc.call('TerminatePort', { portId });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.body.code, 'OPERATION_DENIED_INSTANCE_RECYCLED', again.text);
  await settles(zc, portId, { transitional: 'DELETING', final: 'RECYCLED', mode, deadlineMs });
  assert.equal((await portOf(zc, portId)).connectionStatus, 'DOWN');

  await zc.ok('RenewPort', { portId });
  await settles(zc, portId, { transitional: 'RECOVERING', final: 'RUNNING', mode, deadlineMs });
  await zc.ok('TerminatePort', { portId });
  await settles(zc, portId, { transitional: 'DELETING', final: 'RECYCLED', mode, deadlineMs });
  await zc.ok('DestroyPort', { portId });
  await settles(zc, portId, { transitional: 'DESTROYING', final: null, mode, deadlineMs });
  const gone = await zc.call('DestroyPort', { portId });
  assert.equal(gone.status, 404, gone.text);
  assert.equal(gone.body.code, 'INVALID_PORT_NOT_FOUND');
}

test.describe('instant jobs', () => {
  let server;
  let zc;
  test.before(async () => {
    server = await startServer({ jobSeconds: ['0'] });
    zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  });
  test.after(async () => { await server.stop(); server.cleanup(); });

  test('DescribeDatacenters lists the seeded catalog', async () => {
    const all = await zc.ok('DescribeDatacenters', {});
    const ids = all.dcSet.map((dc) => dc.dcId);
    assert.ok(ids.includes('SIN1') && ids.includes('TYO1') && ids.includes('SHA12'), ids.join());
    const sin = all.dcSet.find((dc) => dc.dcId === 'SIN1');
    assert.equal(sin.dcName, 'AP-Singapore1');
    assert.equal(sin.countryName, 'Singapore');
    assert.equal(typeof sin.latitude, 'number');
    const available = await zc.ok('DescribeDatacenters', { isPortAvailable: true });
    assert.ok(!available.dcSet.some((dc) => dc.dcId === 'SHA12'));
  });

  test('port lifecycle', async () => { await lifecycle(zc, { createDeadlineMs: 5000, mode: 'runner' }); });

  test('a port in use by a private connect cannot be terminated', async () => {
    const used = await zc.call('TerminatePort', { portId: 'port-sin1-demo-01' });
    assert.equal(used.status, 200, used.text);  // demo-account ports carry no connect yet
    await settles(zc, 'port-sin1-demo-01',
      { transitional: 'DELETING', final: 'RECYCLED', mode: 'runner', deadlineMs: 5000 });
    await zc.ok('RenewPort', { portId: 'port-sin1-demo-01' });
    await settles(zc, 'port-sin1-demo-01',
      { transitional: 'RECOVERING', final: 'RUNNING', mode: 'runner', deadlineMs: 5000 });
    const pc = await zc.ok('CreatePrivateConnect', {
      privateConnectName: 'e2e-port-in-use',
      endpointA: { portId: 'port-sin1-demo-01', vlanId: 901 },
      endpointZ: { portId: 'port-hkg1-demo-01', vlanId: 901 },
    });
    assert.ok(pc.privateConnectId);
    const refused = await zc.call('TerminatePort', { portId: 'port-sin1-demo-01' });
    assert.equal(refused.status, 409, refused.text);
    assert.equal(refused.body.code, 'OPERATION_DENIED_PORT_IN_USE');
  });

  test('unknown data centers and other accounts\' ports', async () => {
    const unknownDc = await zc.call('CreatePort', { ...CREATE, dcId: 'ZZZ9' });
    assert.equal(unknownDc.status, 404, unknownDc.text);
    assert.equal(unknownDc.body.code, 'INVALID_DC_NOT_FOUND');
    const other = new ZenlayerClient({ endpoint: server.endpoint, ...OTHER });
    const foreign = await other.call('TerminatePort', { portId: 'port-fra1-demo-01' });
    assert.equal(foreign.status, 404, foreign.text);
    assert.equal(foreign.body.code, 'INVALID_PORT_NOT_FOUND');
  });
});

test.describe('instant jobs finished inline', () => {
  let server;
  let zc;
  test.before(async () => {
    server = await startServer({ jobSeconds: ['0'], args: ['--instant-jobs', 'inline'] });
    zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  });
  test.after(async () => { await server.stop(); server.cleanup(); });

  test('port lifecycle: each answer is sent with the job already done', async () => {
    await lifecycle(zc, { createDeadlineMs: 5000, mode: 'inline' });
  });
});

test.describe('realistic timing', () => {
  let server;
  let zc;
  test.before(async () => {
    server = await startServer({ jobSeconds: ['0', 'zenlayer.create_port=2', 'zenlayer.terminate_port=2',
      'zenlayer.renew_port=2', 'zenlayer.destroy_port=2'] });
    zc = new ZenlayerClient({ endpoint: server.endpoint, ...DEMO });
  });
  test.after(async () => { await server.stop(); server.cleanup(); });

  test('a port stays CREATING while its job runs, then RUNNING', async () => {
    const created = await zc.ok('CreatePort', CREATE);
    const creating = await portOf(zc, created.portId);
    assert.equal(creating.portStatus, 'CREATING');
    assert.equal(creating.connectionStatus, 'DOWN');
    assert.equal(creating.loaStatus, 'LOA_NOT_UPLOAD');
    const early = await zc.call('TerminatePort', { portId: created.portId });
    assert.equal(early.body.code, 'INVALID_PORT_STATUS', early.text);
    await waitFor(async () => (await portOf(zc, created.portId)).portStatus === 'RUNNING',
      { timeoutMs: 15000, intervalMs: 250, what: 'port RUNNING' });
  });

  test('port lifecycle', async () => { await lifecycle(zc, { createDeadlineMs: 15000, mode: 'timed' }); });

  test('a failed terminate job returns the port to RUNNING', async () => {
    const created = await zc.ok('CreatePort', CREATE);
    const portId = created.portId;
    await waitFor(async () => (await portOf(zc, portId)).portStatus === 'RUNNING',
      { timeoutMs: 15000, intervalMs: 250, what: 'port RUNNING' });
    const fault = await fetch(`${server.endpoint}/_connectplane/faults`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: 'job', job_type: 'zenlayer.terminate_port', count: 1 }),
    });
    assert.equal(fault.status, 201, await fault.text());
    await zc.ok('TerminatePort', { portId });
    assert.equal((await portOf(zc, portId)).portStatus, 'DELETING');
    await waitFor(async () => (await portOf(zc, portId)).portStatus === 'RUNNING',
      { timeoutMs: 15000, intervalMs: 250, what: 'port back to RUNNING' });
  });
});
