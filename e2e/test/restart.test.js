'use strict';
// An acknowledged enable survives kill -9: after a restart on the same database
// (SQLite file or PostgreSQL database) the job finishes exactly once.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafkaClient, requests, DEMO } = require('../lib/client');

test('job accepted before SIGKILL completes after restart', async () => {
  let server = await startServer({ jobSeconds: ['3'] });
  const dir = server.dir;
  try {
    const enabled = await kafkaClient(server.endpoint).createConnector(requests.enable(DEMO.instance));
    await server.kill();  // SIGKILL right after the 200: the 3 s job is still pending

    server = await startServer({ dir, jobSeconds: ['3'] });  // same database, same seed (idempotent)
    const client = kafkaClient(server.endpoint);
    const shown = await client.showInstance(requests.show(DEMO.instance));
    assert.ok(['EXTENDING', 'RUNNING'].includes(shown.status), shown.status);
    const task = await waitFor(async () => {
      const answer = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
      assert.notEqual(answer.tasks[0].status, 'FAILED');
      return answer.tasks[0].status === 'SUCCESS' ? answer.tasks[0] : null;
    }, { what: 'job after restart', timeoutMs: 15000 });
    assert.equal(task.id, enabled.job_id);
    const after = await client.showInstance(requests.show(DEMO.instance));
    assert.equal(after.status, 'RUNNING');
    assert.equal(after.connector_enable, true);
    assert.equal(after.connector_id, enabled.connector_id);
    const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance));
    assert.equal(history.task_count, '1');

    // A clean restart with the same seed keeps what the job changed.
    await server.stop();
    server = await startServer({ dir, jobSeconds: ['3'] });
    const again = await kafkaClient(server.endpoint).showInstance(requests.show(DEMO.instance));
    assert.equal(again.status, 'RUNNING');
    assert.equal(again.connector_enable, true);
    assert.equal(again.connector_id, enabled.connector_id);
  } finally {
    await server.stop();
    server.cleanup();
  }
});
