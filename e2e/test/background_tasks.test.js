'use strict';
// Background task records with the unmodified SDK: deleteBackgroundTask
// (DELETE /v2/{project_id}/instances/{instance_id}/tasks/{task_id}, 204)
// removes a finished task from the list; a running one stays.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafkaClient, expectSdkError, waitForTask, requests, DEMO } = require('../lib/client');

let server;
let client;
before(async () => {
  // Enabling takes two reads of the instance, so the task is seen running first.
  server = await startServer({ jobSeconds: ['0', 'kafka.enable_connector=reads:2'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

test('deleteBackgroundTask refuses a running task and removes a finished one', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  await expectSdkError(client.deleteBackgroundTask(requests.deleteTask(DEMO.instance, enabled.job_id)),
    { status: 400, code: 'DMS.00400017' });
  const finished = await waitForTask(client, DEMO.instance, enabled.job_id);
  assert.equal(finished.status, 'SUCCESS');

  const deleted = await client.deleteBackgroundTask(requests.deleteTask(DEMO.instance, enabled.job_id));
  assert.equal(deleted.httpStatusCode, 204);
  await expectSdkError(client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id)),
    { status: 404, code: 'DMS.00404022' });
  const listed = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
  assert.equal(listed.task_count, '0');
  await expectSdkError(client.deleteBackgroundTask(requests.deleteTask(DEMO.instance, enabled.job_id)),
    { status: 404, code: 'DMS.00404022' });
  // The instance keeps what the task did.
  const shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.connector_enable, true);
});
