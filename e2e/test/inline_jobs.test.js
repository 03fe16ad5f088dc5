'use strict';
// --instant-jobs inline, seen through the unmodified SDK: the answer to an
// enable/disable is sent with the job already finished, so a test suite can
// read the final state without polling; an injected job failure is final too.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafka, kafkaClient, requests, DEMO } = require('../lib/client');

let server;
let client;
before(async () => {
  server = await startServer({ jobSeconds: ['0'], args: ['--instant-jobs', 'inline'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

test('enable and disable are finished when the SDK call returns', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  let shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.status, 'RUNNING');
  assert.equal(shown.connector_enable, true);
  assert.equal(shown.connector_id, enabled.connector_id);
  const task = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
  assert.equal(task.tasks[0].status, 'SUCCESS');

  const disabled = await client.deleteConnector(requests.disable(DEMO.instance));
  shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.status, 'RUNNING');
  assert.equal(shown.connector_enable, false);
  const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
  const deleted = history.tasks.find((entry) => entry.id === disabled.job_id);
  assert.equal(deleted.status, 'SUCCESS');
});

test('an injected job failure is FAILED in the same answer, the instance unchanged', async () => {
  const added = await fetch(`${server.endpoint}/_connectplane/faults`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ kind: 'job', job_type: 'kafka.enable_connector', count: 1 }),
  });
  assert.equal(added.status, 201);
  const enabled = await client.createConnector(requests.enable(DEMO.instance2));
  const task = await client.showBackgroundTask(requests.task(DEMO.instance2, enabled.job_id));
  assert.equal(task.tasks[0].status, 'FAILED');
  const shown = await client.showInstance(requests.show(DEMO.instance2));
  assert.equal(shown.status, 'RUNNING');
  assert.equal(shown.connector_enable, false);
});

test('a created Smart Connect task is RUNNING in the create answer itself', async () => {
  await client.createConnector(requests.enable(DEMO.instance2));
  const created = await client.createConnectorTask(requests.createObsTask(DEMO.instance2, 'inline-task'));
  assert.equal(created.status, 'RUNNING');
  const shown = await client.showConnectorTask(new kafka.ShowConnectorTaskRequest()
    .withInstanceId(DEMO.instance2).withTaskId(created.id));
  assert.equal(shown.status, 'RUNNING');
});
