'use strict';
// The official SDK against connectplane running in its container image
// (scripts/test-container.sh starts it, on the demo seed with read-gated
// timing for kafka.enable_connector and kafka.disable_connector: reads:3).
// Not under test/: it needs a server this file does not start.
//
//   CONNECTPLANE_E2E_URL          the container's endpoint, e.g. http://127.0.0.1:18080
//   CONNECTPLANE_E2E_ADMIN_TOKEN  the admin token the container generated (/data/admin-token)
//   CONNECTPLANE_E2E_PHASE        before-restart: enable Smart Connect on the demo instance
//                                 (left enabled) and enable then disable it on the second one;
//                                 after-restart: the same container restarted on the same
//                                 /data volume still has both, and disables the first;
//                                 replicas: two containers on one PostgreSQL database
//                                 (CONNECTPLANE_E2E_URL and CONNECTPLANE_E2E_URL2, one shared
//                                 token): a change through one is seen through the other.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { waitFor } = require('../lib/server');
const { kafka, kafkaClient, waitForTask, requests, DEMO } = require('../lib/client');

const endpoint = process.env.CONNECTPLANE_E2E_URL;
const adminToken = process.env.CONNECTPLANE_E2E_ADMIN_TOKEN;
const phase = process.env.CONNECTPLANE_E2E_PHASE;
const secondEndpoint = process.env.CONNECTPLANE_E2E_URL2;
if (!endpoint || !adminToken || !['before-restart', 'after-restart', 'replicas'].includes(phase) ||
    (phase === 'replicas' && !secondEndpoint)) {
  throw new Error('set CONNECTPLANE_E2E_URL, CONNECTPLANE_E2E_ADMIN_TOKEN and ' +
    'CONNECTPLANE_E2E_PHASE=before-restart|after-restart|replicas (replicas: CONNECTPLANE_E2E_URL2 too)');
}
const client = kafkaClient(endpoint);

async function runningInstance(instanceId) {
  return waitFor(async () => {
    const shown = await client.showInstance(requests.show(instanceId));
    return shown.status === 'RUNNING' ? shown : null;
  }, { what: `instance ${instanceId} RUNNING`, timeoutMs: 20000 });
}

async function enable(instanceId, nodes) {
  const enabled = await client.createConnector(requests.enable(instanceId,
    new kafka.CreateConnectorReq().withSpecification('100MB').withNodeCnt(nodes)));
  assert.equal(enabled.httpStatusCode, 200);
  assert.match(enabled.connector_id, /^[0-9a-f-]{36}$/);
  // Read-gated timing: the first reads after the 200 see the job in progress.
  const during = await client.showInstance(requests.show(instanceId));
  assert.equal(during.status, 'EXTENDING');
  assert.equal((await waitForTask(client, instanceId, enabled.job_id, { timeoutMs: 20000 })).status,
    'SUCCESS');
  const after = await runningInstance(instanceId);
  assert.equal(after.connector_enable, true);
  assert.equal(after.connector_id, enabled.connector_id);
  assert.equal(after.connector_node_num, nodes);
}

async function disable(instanceId) {
  const disabled = await client.deleteConnector(requests.disable(instanceId));
  assert.equal(disabled.httpStatusCode, 200);
  const during = await client.showInstance(requests.show(instanceId));
  assert.equal(during.status, 'CONNECTOR_DELETING');
  assert.equal((await waitForTask(client, instanceId, disabled.job_id, { timeoutMs: 20000 })).status,
    'SUCCESS');
  const after = await runningInstance(instanceId);
  assert.equal(after.connector_enable, false);
  assert.equal(after.connector_id, '');
}

async function taskNames(instanceId) {
  const history = await client.listBackgroundTasks(requests.tasks(instanceId));
  assert.ok(history.tasks.every((task) => task.status === 'SUCCESS'));
  return history.tasks.map((task) => task.name);
}

test('/healthz answers 200 on the published port', async () => {
  const answer = await fetch(`${endpoint}/healthz`);
  assert.equal(answer.status, 200);
  assert.deepEqual(await answer.json(), { status: 'ok' });
});

test('the admin API needs the generated token, even from loopback', async () => {
  const refused = await fetch(`${endpoint}/_connectplane/state`);
  assert.equal(refused.status, 401);
  const served = await fetch(`${endpoint}/_connectplane/state`,
    { headers: { authorization: `Bearer ${adminToken}` } });
  assert.equal(served.status, 200);
});

if (phase === 'replicas') {
  test('replicas: the second one serves the admin API with the same token', async () => {
    const served = await fetch(`${secondEndpoint}/_connectplane/state`,
      { headers: { authorization: `Bearer ${adminToken}` } });
    assert.equal(served.status, 200);
  });

  test('replicas: enabled through one, seen and disabled through the other', async () => {
    const other = kafkaClient(secondEndpoint);
    const enabled = await client.createConnector(requests.enable(DEMO.instance,
      new kafka.CreateConnectorReq().withNodeCnt(2)));
    assert.equal((await waitForTask(other, DEMO.instance, enabled.job_id, { timeoutMs: 20000 })).status,
      'SUCCESS');
    const seen = await waitFor(async () => {
      const shown = await other.showInstance(requests.show(DEMO.instance));
      return shown.status === 'RUNNING' ? shown : null;
    }, { what: 'instance RUNNING through the second replica', timeoutMs: 20000 });
    assert.equal(seen.connector_enable, true);
    assert.equal(seen.connector_id, enabled.connector_id);

    const disabled = await other.deleteConnector(requests.disable(DEMO.instance));
    assert.equal((await waitForTask(client, DEMO.instance, disabled.job_id, { timeoutMs: 20000 })).status,
      'SUCCESS');
    const after = await runningInstance(DEMO.instance);
    assert.equal(after.connector_enable, false);
  });
} else if (phase === 'before-restart') {
  test('enable Smart Connect on the demo instance (kept for the restart)', async () => {
    const before = await client.showInstance(requests.show(DEMO.instance));
    assert.equal(before.connector_enable, false);
    await enable(DEMO.instance, 2);
  });

  test('enable and disable Smart Connect on the second instance', async () => {
    await enable(DEMO.instance2, 3);
    await disable(DEMO.instance2);
    assert.deepEqual(await taskNames(DEMO.instance2), ['deleteConnector', 'createConnector']);
  });
} else {
  test('after the restart: the connector and the task history are still there', async () => {
    const shown = await runningInstance(DEMO.instance);
    assert.equal(shown.connector_enable, true);
    assert.equal(shown.connector_node_num, 2);
    assert.deepEqual(await taskNames(DEMO.instance), ['createConnector']);
    const second = await runningInstance(DEMO.instance2);
    assert.equal(second.connector_enable, false);
    assert.deepEqual(await taskNames(DEMO.instance2), ['deleteConnector', 'createConnector']);
  });

  test('after the restart: disable Smart Connect on the demo instance', async () => {
    await disable(DEMO.instance);
    assert.deepEqual(await taskNames(DEMO.instance), ['deleteConnector', 'createConnector']);
  });
}
