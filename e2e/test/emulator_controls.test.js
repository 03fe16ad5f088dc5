'use strict';
// The emulator knobs a test suite uses, through the admin API, observed with
// the unmodified SDK: injected API faults, injected job failures, run-time
// timing, idempotency keys and reset.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafkaClient, expectSdkError, requests, DEMO } = require('../lib/client');
const { signedRequest } = require('../lib/raw_signer');

let server;
let client;
const admin = async (method, route, body) => {
  const response = await fetch(`${server.endpoint}/_connectplane/${route}`, {
    method,
    headers: method === 'GET' ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
};
before(async () => {
  server = await startServer({ jobSeconds: ['0'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

test('an injected API fault fails the next call with the chosen status and code', async () => {
  const added = await admin('POST', 'faults', { kind: 'api', dialect: 'dms',
    operation: 'CreateConnector', count: 1, http_status: 503, error_code: 'DMS.00500000' });
  assert.equal(added.status, 201);
  await expectSdkError(client.createConnector(requests.enable(DEMO.instance)),
    { status: 503, code: 'DMS.00500000' });
  const shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.status, 'RUNNING');  // the faulted call changed nothing
  assert.equal((await admin('GET', 'faults')).body.faults.length, 0);  // count consumed
});

test('an injected job failure ends the job FAILED and the instance back to RUNNING', async () => {
  await admin('POST', 'faults', { kind: 'job', job_type: 'kafka.enable_connector', count: 1 });
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  const task = await waitFor(async () => {
    const answer = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
    return answer.tasks[0].status !== 'EXECUTING' ? answer.tasks[0] : null;
  }, { what: 'failed job' });
  assert.equal(task.status, 'FAILED');
  const shown = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(shown.status, 'RUNNING');
  assert.equal(shown.connector_enable, false);
});

test('timing switched at run time to "after N reads"', async () => {
  const set = await admin('PUT', 'timing', { job_type: 'kafka.enable_connector', mode: 'reads', reads: 3 });
  assert.equal(set.status, 200);
  await client.createConnector(requests.enable(DEMO.instance2));
  const statuses = [];
  for (let read = 0; read < 4; read += 1) {
    statuses.push((await client.showInstance(requests.show(DEMO.instance2))).status);
    if (read === 2) {
      await waitFor(async () => (await admin('GET', 'ready')).body.pending_jobs === 0,
        { what: 'runner to complete the job' });
    }
  }
  assert.deepEqual(statuses, ['EXTENDING', 'EXTENDING', 'EXTENDING', 'RUNNING']);
  await admin('PUT', 'timing', { mode: 'instant' });
});

test('an idempotency key makes a retried enable return the first answer, no second job', async () => {
  const target = `/v2/${DEMO.project}/kafka/instances/${DEMO.instance2}/delete-connector`;
  const send = () => signedRequest(server.endpoint, { method: 'POST', target, ak: DEMO.ak, sk: DEMO.sk,
    project: DEMO.project, headers: { 'X-Client-Token': 'retry-1' } });
  const first = await send();
  assert.equal(first.status, 200);
  const second = await send();
  assert.equal(second.status, 200);
  assert.equal(second.body.job_id, first.body.job_id);
  const history = await client.listBackgroundTasks(requests.tasks(DEMO.instance2));
  assert.equal(history.tasks.filter((task) => task.name === 'deleteConnector').length, 1);
});

test('reset returns every tenant to the seed', async () => {
  const reset = await admin('POST', 'reset', {});
  assert.equal(reset.status, 200);
  const shown = await client.showInstance(requests.show(DEMO.instance2));
  assert.equal(shown.connector_enable, false);
  assert.equal((await client.listBackgroundTasks(requests.tasks(DEMO.instance2))).task_count, '0');
  const state = await admin('GET', 'state');
  assert.ok(!JSON.stringify(state.body).includes(DEMO.sk), 'secrets never in the dump');
});
