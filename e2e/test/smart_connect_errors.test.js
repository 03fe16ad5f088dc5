'use strict';
// Every error case of enable/disable surfaces as the SDK's exception with the
// DMS status and error_code, and leaves the instance unchanged.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafka, kafkaClient, expectSdkError, waitForTask, requests, DEMO, OTHER } = require('../lib/client');
const { signedRequest } = require('../lib/raw_signer');

let server;
let client;
before(async () => {
  server = await startServer({ jobSeconds: ['kafka.enable_connector=reads:3',
    'kafka.disable_connector=reads:3'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

async function snapshot(instanceId = DEMO.instance) {
  const shown = await client.showInstance(requests.show(instanceId));
  const tasks = await client.listBackgroundTasks(requests.tasks(instanceId));
  return { status: shown.status, connector_enable: shown.connector_enable,
    connector_id: shown.connector_id, tasks: tasks.task_count };
}

const raw = (options) => signedRequest(server.endpoint, { ak: DEMO.ak, sk: DEMO.sk,
  project: DEMO.project, ...options });
const connectorPath = `/v2/${DEMO.project}/instances/${DEMO.instance}/connector`;

test('bad node_cnt, specification and spec_code are 400 DMS.00400062 / DMS.00400125', async () => {
  const before = await snapshot();
  for (const nodeCnt of [1, 17, 'abc', 2.5, true, '']) {
    await expectSdkError(client.createConnector(requests.enable(DEMO.instance,
      new kafka.CreateConnectorReq().withNodeCnt(nodeCnt))), { status: 400, code: 'DMS.00400062' });
  }
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance,
    new kafka.CreateConnectorReq().withSpecification('999MB'))), { status: 400, code: 'DMS.00400062' });
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance,
    new kafka.CreateConnectorReq().withSpecCode('NOT A FLAVOR'))), { status: 400, code: 'DMS.00400125' });
  assert.deepEqual(await snapshot(), before);
});

test('malformed JSON, unknown fields and empty bodies (raw signed requests)', async () => {
  const before = await snapshot();
  const cases = [
    ['{"node_cnt":', 'DMS.00400005'],
    ['[1,2]', 'DMS.00400005'],
    ['{"node_cnt":2,"surprise":true}', 'DMS.00400062'],
    ['', 'DMS.00400004'],
  ];
  for (const [body, code] of cases) {
    const answer = await raw({ method: 'POST', target: connectorPath, body });
    assert.equal(answer.status, 400, body);
    assert.equal(answer.body.error_code, code, body);
    assert.ok(answer.headers['x-request-id']);
  }
  assert.deepEqual(await snapshot(), before);
});

test('unknown, malformed and other-tenant instance ids', async () => {
  await expectSdkError(client.showInstance(requests.show('ffffffff-0000-1111-2222-333344445555')),
    { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.createConnector(requests.enable('ffffffff-0000-1111-2222-333344445555')),
    { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.showInstance(requests.show('not-a-uuid')),
    { status: 400, code: 'DMS.00400030' });
  // Tenant B's instance, asked with tenant A's credentials: indistinguishable from missing.
  await expectSdkError(client.showInstance(requests.show(OTHER.instance)), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.deleteConnector(requests.disable(OTHER.instance)),
    { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.showBackgroundTask(requests.task(DEMO.instance, 'no-such-task')),
    { status: 404, code: 'DMS.00404022' });
});

test('state errors: disable while off, busy while transitioning, enable while on', async () => {
  await expectSdkError(client.deleteConnector(requests.disable(DEMO.instance)),
    { status: 400, code: 'DMS.00400062' });
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  // EXTENDING until three reads: every change meanwhile is "busy".
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance)),
    { status: 400, code: 'DMS.00400026' });
  await expectSdkError(client.deleteConnector(requests.disable(DEMO.instance)),
    { status: 400, code: 'DMS.00400026' });
  await waitFor(async () => (await client.showInstance(requests.show(DEMO.instance))).status === 'RUNNING',
    { what: 'enable to finish' });
  const shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.connector_id, enabled.connector_id);
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance)),
    { status: 400, code: 'DMS.00400062' });
  const tasks = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
  assert.equal(tasks.task_count, '1');  // rejected calls created no jobs
});

test('unknown API path is 404 APIGW.0101', async () => {
  const answer = await raw({ method: 'GET', target: `/v2/${DEMO.project}/instances/${DEMO.instance}/nothing` });
  assert.equal(answer.status, 404);
  assert.equal(answer.body.error_code, 'APIGW.0101');
});

test('non-UUID and unknown instance ids on enable and disable change nothing', async () => {
  const before = await snapshot();
  for (const badId of ['not-a-uuid', 'a1b2c3d4-0000-1111-2222-33334444555', 'A1B2C3D4_0000']) {
    await expectSdkError(client.createConnector(requests.enable(badId)), { status: 400, code: 'DMS.00400030' });
    await expectSdkError(client.deleteConnector(requests.disable(badId)), { status: 400, code: 'DMS.00400030' });
  }
  const unknown = 'ffffffff-0000-1111-2222-333344445555';
  await expectSdkError(client.deleteConnector(requests.disable(unknown)), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.listBackgroundTasks(requests.tasks(unknown)), { status: 404, code: 'DMS.00404022' });
  // Tenant B's instance with tenant A's credentials: same answer as a missing one.
  const missing = await expectSdkError(client.createConnector(requests.enable(unknown)),
    { status: 404, code: 'DMS.00404022' });
  const foreign = await expectSdkError(client.createConnector(requests.enable(OTHER.instance)),
    { status: 404, code: 'DMS.00404022' });
  assert.equal(foreign.errorMsg, missing.errorMsg);
  assert.deepEqual(await snapshot(), before);
  const own = kafkaClient(server.endpoint, OTHER);
  const other = await own.showInstance(requests.show(OTHER.instance));
  assert.equal(other.status, 'RUNNING');
  assert.equal(other.connector_enable, false);
});

test('busy while CONNECTOR_DELETING: enable and disable are 400 DMS.00400026, nothing changes', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance2));
  assert.equal((await waitForTask(client, DEMO.instance2, enabled.job_id)).status, 'SUCCESS');
  await waitFor(async () => (await client.showInstance(requests.show(DEMO.instance2))).status === 'RUNNING',
    { what: 'instance2 RUNNING after enable' });
  const disabled = await client.deleteConnector(requests.disable(DEMO.instance2));
  // No read has happened since the disable, so the read-gated job is still pending.
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance2)),
    { status: 400, code: 'DMS.00400026' });
  await expectSdkError(client.deleteConnector(requests.disable(DEMO.instance2)),
    { status: 400, code: 'DMS.00400026' });
  const during = await snapshot(DEMO.instance2);  // reads 1 and 2 of 3
  assert.deepEqual(during, { status: 'CONNECTOR_DELETING', connector_enable: true,
    connector_id: enabled.connector_id, tasks: '2' });
  assert.equal((await waitForTask(client, DEMO.instance2, disabled.job_id)).status, 'SUCCESS');
  await waitFor(async () => (await client.showInstance(requests.show(DEMO.instance2))).status === 'RUNNING',
    { what: 'instance2 RUNNING after disable' });
  const after = await client.showInstance(requests.show(DEMO.instance2));
  assert.equal(after.connector_enable, false);
  assert.equal(after.connector_id, '');
  assert.equal((await snapshot(DEMO.instance2)).tasks, '2');  // the rejected calls made no jobs
});

test('rejected enable on an enabled instance keeps its connector', async () => {
  // DEMO.instance was enabled by the state-errors test above.
  const before = await snapshot();
  assert.equal(before.connector_enable, true);
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance,
    new kafka.CreateConnectorReq().withSpecification('300MB').withNodeCnt(4))),
  { status: 400, code: 'DMS.00400062' });
  assert.deepEqual(await snapshot(), before);
  assert.equal((await client.showInstance(requests.show(DEMO.instance))).connector_node_num, 2);
});

test('error answers are {error_code, error_msg, request_id} with a matching X-Request-Id header', async () => {
  const answer = await raw({ method: 'POST', target: connectorPath, body: '{"node_cnt":"abc"}' });
  assert.equal(answer.status, 400);
  assert.match(answer.headers['content-type'], /application\/json/);
  assert.deepEqual(Object.keys(answer.body).sort(), ['error_code', 'error_msg', 'request_id']);
  assert.equal(answer.body.error_code, 'DMS.00400062');
  assert.equal(typeof answer.body.error_msg, 'string');
  assert.ok(answer.body.error_msg.length > 0);
  assert.equal(answer.body.request_id, answer.headers['x-request-id']);
  // The SDK surfaces the header as requestId.
  const error = await expectSdkError(client.showInstance(requests.show('ffffffff-0000-1111-2222-333344445555')),
    { status: 404, code: 'DMS.00404022' });
  assert.match(error.requestId, /\S/);
});
