'use strict';
// State snapshots: GET /_connectplane/export on a server whose state was built
// with the official SDK and signed Zenlayer calls, re-imported into fresh
// servers (POST /_connectplane/seed, and --seed FILE), answers the same reads;
// the jobs that were in flight complete on the new servers; an export without
// include_secrets carries no secret.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { startServer, waitFor } = require('../lib/server');
const { kafka, kafkaClient, requests, DEMO, OTHER } = require('../lib/client');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const ZENLAYER = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const ZENLAYER_OTHER_PASSWORD = 'ZenlayerOtherPassword00000000002';
const ZENLAYER_TOKEN = 'zl-demo-token-0000000000000000000000000001';
const PORT_A = 'port-sin1-demo-01';
const PORT_Z = 'port-hkg1-demo-01';
const OBS_SECRET = 'ObsSecretKeyOfTheExportTest0001';

// Plain HTTP: the admin calls use fetch, which does not trust the test CA.
const servers = [];
async function start(options) {
  const server = await startServer({ tls: false, ...options });
  servers.push(server);
  return server;
}
after(async () => {
  for (const server of servers) {
    await server.stop();
    server.cleanup();
  }
});

async function exportText(server, query = '') {
  const response = await fetch(`${server.endpoint}/_connectplane/export${query}`);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('content-type'), 'application/json');
  return response.text();
}

async function seed(server, text) {
  const response = await fetch(`${server.endpoint}/_connectplane/seed`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text,
  });
  const body = await response.json();
  assert.equal(response.status, 200, JSON.stringify(body));
  return body;
}

// An SDK answer without what differs per call.
function plain(answer) {
  const copy = JSON.parse(JSON.stringify(answer));
  delete copy.httpStatusCode;
  for (const key of Object.keys(copy)) {
    if (/request.?id/i.test(key)) delete copy[key];
  }
  return copy;
}

async function connectOf(zc, id) {
  const res = await zc.ok('DescribePrivateConnects', { privateConnectIds: [id] });
  return res.dataSet[0];
}

// The connect's create job waits for 3 reads; the first reads still see CREATING.
async function readUntilRunning(zc, id, readsLeft) {
  for (let read = 1; read < readsLeft; read += 1) {
    assert.equal((await connectOf(zc, id)).privateConnectStatus, 'CREATING', `read ${read}`);
  }
  await waitFor(async () => (await connectOf(zc, id)).privateConnectStatus === 'RUNNING',
    { timeoutMs: 15000, what: `${id} RUNNING` });
  return connectOf(zc, id);
}

function taskListRequest(instanceId) {
  return new kafka.ListConnectorTasksRequest().withInstanceId(instanceId);
}

async function tasksRunning(client, instanceId) {
  return waitFor(async () => {
    const listed = await client.listConnectorTasks(taskListRequest(instanceId));
    return listed.tasks.every((task) => task.status === 'RUNNING') ? listed : null;
  }, { timeoutMs: 30000, what: 'connector tasks RUNNING' });
}

// What clients read on `server`, with the reads that finish its jobs first.
async function reads(server) {
  const client = kafkaClient(server.endpoint);
  const tasks = await tasksRunning(client, DEMO.instance);
  const topics = await client.listInstanceTopics(new kafka.ListInstanceTopicsRequest()
    .withInstanceId(DEMO.instance).withOffset('0').withLimit('200'));
  const tags = await client.showKafkaTags(new kafka.ShowKafkaTagsRequest().withInstanceId(DEMO.instance));
  return {
    instance: plain(await client.showInstance(requests.show(DEMO.instance))),
    instance2: plain(await client.showInstance(requests.show(DEMO.instance2))),
    tasks: plain(tasks),
    topics: plain(topics),
    tags: plain(tags),
  };
}

let source;
let sourceClient;
let sourceZenlayer;
let connectId;
let withSecrets;
let withoutSecrets;

before(async () => {
  // The connect's create job waits for 3 reads (deterministically in flight
  // at export time); the task's create takes 8 s; the rest is instant.
  source = await start({ jobSeconds: ['0', 'zenlayer.create_private_connect=reads:3',
    'kafka.create_connector_task=8'] });
  sourceClient = kafkaClient(source.endpoint);
  sourceZenlayer = new ZenlayerClient({ endpoint: source.endpoint, ...ZENLAYER });

  await sourceClient.createConnector(requests.enable(DEMO.instance));
  await waitFor(async () => {
    const shown = await sourceClient.showInstance(requests.show(DEMO.instance));
    return shown.status === 'RUNNING' && shown.connector_enable === true;
  }, { what: 'Smart Connect enabled' });
  await sourceClient.createInstanceTopic(new kafka.CreateInstanceTopicRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.CreateInstanceTopicReq().withId('export-orders')
      .withPartition(3).withReplication(1).withRetentionTime(48).withTopicDesc('snapshot me')));
  await sourceClient.batchCreateOrDeleteKafkaTag(new kafka.BatchCreateOrDeleteKafkaTagRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.BatchCreateOrDeleteTagReq().withAction('create')
      .withTags([new kafka.TagEntity().withKey('env').withValue('snapshot')])));
  await sourceClient.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.CreateSmartConnectTaskReq()
      .withTaskName('export-dump').withTopics('export-orders').withSourceType('NONE')
      .withSinkType('OBS_SINK').withSinkTask(new kafka.SmartConnectTaskReqSinkConfig()
        .withConsumerStrategy('latest').withDestinationFileType('TEXT').withDeliverTimeInterval(300)
        .withAccessKey('OBSAK').withSecretKey(OBS_SECRET).withObsBucketName('dump-bucket'))));
  const created = await sourceZenlayer.ok('CreatePrivateConnect', {
    privateConnectName: 'export-pc', bandwidthMbps: 20,
    endpointA: { portId: PORT_A, vlanId: 321 }, endpointZ: { portId: PORT_Z, vlanId: 321 },
  });
  connectId = created.privateConnectId;

  withSecrets = await exportText(source, '?include_secrets=true');
  withoutSecrets = await exportText(source);
});

test('the export is a seed document with the in-flight jobs and their remaining timing', () => {
  const document = JSON.parse(withSecrets);
  const jobs = document.jobs_in_flight;
  const connectJob = jobs.find((job) => job.resource_id === connectId);
  assert.ok(connectJob, withSecrets);
  assert.equal(connectJob.job_type, 'zenlayer.create_private_connect');
  assert.equal(connectJob.remaining_reads, 3);
  for (const job of jobs.filter((entry) => entry.remaining_seconds !== undefined)) {
    assert.equal(job.job_type, 'kafka.create_connector_task');
    assert.ok(job.remaining_seconds > 0 && job.remaining_seconds <= 8, JSON.stringify(job));
  }
  const connect = document.zenlayer.private_connects.find((pc) => pc.privateConnectId === connectId);
  assert.equal(connect.privateConnectStatus, 'CREATING');
  const instance = document.huawei.kafka_instances.find((row) => row.instance_id === DEMO.instance);
  assert.equal(instance.connector_enable, true);
  assert.deepEqual(document.huawei.connector_tasks.map((task) => task.task_name), ['export-dump']);
  assert.ok(document.huawei.kafka_instance_items.some((item) => item.kind === 'topic'
    && item.name === 'export-orders'));
  assert.ok(document.huawei.kafka_instance_items.some((item) => item.kind === 'tag'
    && item.name === 'env'));
});

test('without include_secrets no secret key, password, hash or token leaves the server', () => {
  const tokenHash = crypto.createHash('sha256').update(ZENLAYER_TOKEN).digest('hex');
  for (const secret of [DEMO.sk, OTHER.sk, ZENLAYER.accessKeyPassword, ZENLAYER_OTHER_PASSWORD,
    ZENLAYER_TOKEN, tokenHash, 'pbkdf2', OBS_SECRET, 'secret_key', 'access_key_password']) {
    assert.ok(!withoutSecrets.includes(secret), `the export holds ${secret}`);
  }
  // With the flag they are there, except what the server never stores (the task's OBS key).
  assert.ok(withSecrets.includes(DEMO.sk));
  assert.ok(withSecrets.includes(tokenHash));
  assert.ok(!withSecrets.includes(ZENLAYER_TOKEN));
  assert.ok(!withSecrets.includes(OBS_SECRET));
});

test('POST /seed on a fresh server and --seed FILE reproduce the reads; in-flight jobs complete', async () => {
  const document = JSON.parse(withSecrets);
  const posted = await start({ seed: {}, jobSeconds: ['0'] });
  const summary = await seed(posted, withSecrets);
  assert.equal(summary.instances_created, document.huawei.kafka_instances.length);
  assert.equal(summary.connector_tasks_created, 1);
  assert.equal(summary.jobs_created, document.jobs_in_flight.length);
  const fromFile = await start({ seed: document, jobSeconds: ['0'] });

  // The connect is still being created on each new server and completes there.
  const targets = [posted, fromFile];
  const connects = [];
  for (const target of targets) {
    connects.push(await readUntilRunning(new ZenlayerClient({ endpoint: target.endpoint, ...ZENLAYER }),
      connectId, 3));
  }
  const sourceConnect = await readUntilRunning(sourceZenlayer, connectId, 3);
  for (const connect of connects) assert.deepEqual(connect, sourceConnect);

  const expected = await reads(source);
  assert.equal(expected.instance.connector_enable, true);
  assert.ok(expected.topics.topics.some((topic) => topic.name === 'export-orders'));
  assert.deepEqual(expected.tags.tags, [{ key: 'env', value: 'snapshot' }]);
  for (const target of targets) {
    assert.deepEqual(await reads(target), expected);
    // The secrets came along: the other tenant's SK, the Zenlayer bearer token.
    const other = kafkaClient(target.endpoint, { ak: OTHER.ak, sk: OTHER.sk, project: OTHER.project });
    assert.equal((await other.showInstance(requests.show(OTHER.instance))).instance_id, OTHER.instance);
    const bearer = new ZenlayerClient({ endpoint: target.endpoint, token: ZENLAYER_TOKEN,
      version: '2026-04-01' });
    assert.equal((await connectOf(bearer, connectId)).privateConnectStatus, 'RUNNING');
  }

  // Once every job has finished, the three servers hold the same state (the
  // timing settings are each server's own: --job-seconds differ), and two
  // exports of one state are the same bytes.
  const stateOf = async (server) => {
    const document = JSON.parse(await exportText(server, '?include_secrets=true'));
    delete document.job_timing;
    return document;
  };
  const settled = await stateOf(source);
  assert.deepEqual(settled.jobs_in_flight, []);
  for (const target of targets) assert.deepEqual(await stateOf(target), settled);
  assert.equal(await exportText(source), await exportText(source));
});

test('a bad include_secrets value is refused in the admin error shape', async () => {
  const response = await fetch(`${source.endpoint}/_connectplane/export?include_secrets=yes`);
  assert.equal(response.status, 400);
  const body = await response.json();
  assert.equal(body.error.code, 'InvalidArgument');
  assert.match(body.error.message, /include_secrets/);
});
