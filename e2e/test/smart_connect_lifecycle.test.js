'use strict';
// Enable and disable Smart Connect with the unmodified SDK, polled the way the
// Terraform providers poll (instance status, then the background task).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafka, kafkaClient, waitForTask, requests, DEMO } = require('../lib/client');

let server;
let client;
before(async () => {
  // Read-gated timing makes the transitional status observable deterministically:
  // each job becomes due on the third read of its instance (show instance, show
  // or list tasks), so the first two reads after the 200 see it in progress.
  server = await startServer({ jobSeconds: ['kafka.enable_connector=reads:3',
    'kafka.disable_connector=reads:3'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

async function pollTask(instanceId, taskId) {
  return waitFor(async () => {
    const answer = await client.showBackgroundTask(requests.task(instanceId, taskId));
    assert.equal(answer.task_count, '1');
    const status = answer.tasks[0].status;
    return status === 'EXECUTING' ? null : answer.tasks[0];
  }, { what: `task ${taskId}` });
}

test('enable Smart Connect: EXTENDING, task SUCCESS, instance RUNNING with the connector', async () => {
  const before = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(before.status, 'RUNNING');
  assert.equal(before.connector_enable, false);

  const enabled = await client.createConnector(requests.enable(DEMO.instance,
    new kafka.CreateConnectorReq().withSpecification('100MB').withNodeCnt(2)));
  assert.equal(enabled.httpStatusCode, 200);
  assert.match(enabled.job_id, /^[0-9a-f-]{36}$/);
  assert.match(enabled.connector_id, /^[0-9a-f-]{36}$/);

  const executing = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
  assert.equal(executing.httpStatusCode, 200);
  assert.equal(executing.task_count, '1');
  assert.equal(executing.tasks.length, 1);
  const entry = executing.tasks[0];
  assert.deepEqual(Object.keys(entry).sort(),
    ['created_at', 'id', 'name', 'params', 'status', 'updated_at', 'user_id', 'user_name']);
  for (const [key, value] of Object.entries(entry)) assert.equal(typeof value, 'string', key);
  assert.equal(entry.id, enabled.job_id);
  assert.equal(entry.status, 'EXECUTING');
  assert.equal(entry.name, 'createConnector');
  assert.equal(entry.user_id, 'd3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0');

  const during = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(during.status, 'EXTENDING');
  assert.equal(during.connector_enable, false);

  const task = await pollTask(DEMO.instance, enabled.job_id);
  assert.equal(task.status, 'SUCCESS');
  assert.equal(task.name, 'createConnector');
  assert.equal(task.user_name, 'demo');

  const after = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(after.status, 'RUNNING');
  assert.equal(after.connector_enable, true);
  assert.equal(after.connector_id, enabled.connector_id);
  assert.equal(after.connector_node_num, 2);
});

test('disable Smart Connect: CONNECTOR_DELETING, task SUCCESS, connector gone', async () => {
  const disabled = await client.deleteConnector(requests.disable(DEMO.instance));
  assert.equal(disabled.httpStatusCode, 200);
  assert.match(disabled.job_id, /^[0-9a-f-]{36}$/);
  const during = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(during.status, 'CONNECTOR_DELETING');
  const task = await pollTask(DEMO.instance, disabled.job_id);
  assert.equal(task.status, 'SUCCESS');
  assert.equal(task.name, 'deleteConnector');
  const after = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(after.status, 'RUNNING');
  assert.equal(after.connector_enable, false);
  assert.equal(after.connector_id, '');
});

test('node_cnt as a numeric string, spec_code, and the task history', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance2,
    new kafka.CreateConnectorReq().withNodeCnt('3').withSpecCode('connector.4u8g.cluster')));
  await pollTask(DEMO.instance2, enabled.job_id);
  const shown = await client.showInstance(requests.show(DEMO.instance2));
  assert.equal(shown.connector_node_num, 3);
  assert.equal(shown.connector_enable, true);

  const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
  assert.equal(history.task_count, '2');
  assert.deepEqual(history.tasks.map((task) => task.name), ['deleteConnector', 'createConnector']);
  for (const task of history.tasks) {
    assert.equal(typeof task.params, 'string');
    assert.match(task.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  }
});

test('list instances with the SDK fields and types', async () => {
  const listed = await client.listInstances(new kafka.ListInstancesRequest()
    .withEngine('kafka').withOffset('0').withLimit('10'));
  assert.equal(listed.instance_num, 2);  // only this tenant's instances
  const ids = listed.instances.map((instance) => instance.instance_id).sort();
  assert.deepEqual(ids, [DEMO.instance, DEMO.instance2].sort());
  const instance = listed.instances.find((entry) => entry.instance_id === DEMO.instance2);
  assert.equal(typeof instance.partition_num, 'string');
  assert.equal(typeof instance.created_at, 'string');
  assert.equal(typeof instance.storage_space, 'number');
  assert.equal(instance.connector_enable, true);
  const byName = await client.listInstances(new kafka.ListInstancesRequest()
    .withEngine('kafka').withName('demo-kafka').withExactMatchName('true'));
  assert.equal(byName.instance_num, 1);
});

test('enable without node_cnt defaults to 2 nodes; disable and enable again get a new connector', async () => {
  // DEMO.instance2 was enabled with 3 nodes above.
  const disabled = await client.deleteConnector(requests.disable(DEMO.instance2));
  assert.equal((await waitForTask(client, DEMO.instance2, disabled.job_id)).status, 'SUCCESS');
  await waitFor(async () => (await client.showInstance(requests.show(DEMO.instance2))).status === 'RUNNING',
    { what: 'instance2 RUNNING' });

  const enabled = await client.createConnector(requests.enable(DEMO.instance2, new kafka.CreateConnectorReq()));
  assert.match(enabled.connector_id, /^[0-9a-f-]{36}$/);
  assert.equal((await waitForTask(client, DEMO.instance2, enabled.job_id)).status, 'SUCCESS');
  const shown = await waitFor(async () => {
    const answer = await client.showInstance(requests.show(DEMO.instance2));
    return answer.status === 'RUNNING' ? answer : null;
  }, { what: 'instance2 RUNNING after re-enable' });
  assert.equal(shown.connector_enable, true);
  assert.equal(shown.connector_node_num, 2);
  assert.equal(shown.connector_id, enabled.connector_id);

  const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance2));
  assert.equal(history.task_count, '3');
  assert.deepEqual(history.tasks.map((task) => task.name),
    ['createConnector', 'deleteConnector', 'createConnector']);
  assert.equal(history.tasks[0].id, enabled.job_id);
  assert.ok(history.tasks.every((task) => task.status === 'SUCCESS'));
});
