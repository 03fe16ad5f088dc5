'use strict';
// An acknowledged enable survives kill -9: after a restart on the same SQLite
// file the job finishes exactly once.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafkaClient, requests, DEMO } = require('../lib/client');

test('job accepted before SIGKILL completes after restart', async () => {
  let server = await startServer({ jobSeconds: ['2'] });
  const dir = server.dir;
  try {
    const enabled = await kafkaClient(server.endpoint).createConnector(requests.enable(DEMO.instance));
    await server.kill();  // immediately after the 200: the job is still pending

    server = await startServer({ dir, jobSeconds: ['2'] });  // same file, same seed (idempotent)
    const client = kafkaClient(server.endpoint);
    const shown = await client.showInstance(requests.show(DEMO.instance));
    assert.ok(['EXTENDING', 'RUNNING'].includes(shown.status));
    const task = await waitFor(async () => {
      const answer = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
      return answer.tasks[0].status === 'SUCCESS' ? answer.tasks[0] : null;
    }, { what: 'job after restart' });
    assert.equal(task.id, enabled.job_id);
    const after = await client.showInstance(requests.show(DEMO.instance));
    assert.equal(after.status, 'RUNNING');
    assert.equal(after.connector_enable, true);
    assert.equal(after.connector_id, enabled.connector_id);
    const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
    assert.equal(history.task_count, '1');
  } finally {
    await server.stop();
    server.cleanup();
  }
});
