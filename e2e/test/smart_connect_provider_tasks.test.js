'use strict';
// The Terraform providers' exact Smart Connect call sequences, replayed as raw
// signed requests with the bodies the providers build:
//  - huaweicloud_dms_kafka_smart_connect + huaweicloud_dms_kafkav2_smart_connect_task
//    as the acceptance test's kafkaToKafka configuration and the documented
//    replication example send them (no instance aliases);
//  - opentelekomcloud_dms_smart_connect_v2 without node_count ("node_cnt":"0");
//  - huaweicloud_dms_kafka_smart_connect_task (the legacy dump-task API):
//    create -> poll -> read twice -> data source list -> delete -> read 404.
// Each Terraform wait is a StateChangeConf: pending statuses keep polling,
// target statuses end it, anything else fails.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { signedRequest } = require('../lib/raw_signer');
const { DEMO, OTHER } = require('../lib/client');

let server;
before(async () => {
  // Read-gated: each job completes on the second read of its resource, so the
  // provider's first poll sees the transitional status.
  const gated = ['kafka.enable_connector', 'kafka.disable_connector',
    'kafka.create_connector_task'].map((type) => `${type}=reads:2`);
  server = await startServer({ jobSeconds: gated });
});
after(async () => { await server.stop(); server.cleanup(); });

const call = (method, target, body = '', who = DEMO) => signedRequest(server.endpoint, {
  method, target, body: typeof body === 'string' ? body : JSON.stringify(body),
  ak: who.ak, sk: who.sk, project: who.project });
const base = `/v2/${DEMO.project}`;
const instancePath = (id) => `${base}/instances/${id}`;

async function waitStatus(read, { pending, target, what }) {
  return waitFor(async () => {
    const answer = await read();
    assert.equal(answer.status, 200, `${what}: ${JSON.stringify(answer.body)}`);
    if (target.includes(answer.body.status)) return answer.body;
    assert.ok(pending.includes(answer.body.status), `${what}: unexpected status ${answer.body.status}`);
    return null;
  }, { what, timeoutMs: 15000 });
}

// huaweicloud_dms_kafka_smart_connect: POST connector, wait EXTENDING -> RUNNING.
async function enableSmartConnect(instanceId, body) {
  const enabled = await call('POST', `${instancePath(instanceId)}/connector`, body);
  assert.equal(enabled.status, 200, JSON.stringify(enabled.body));
  assert.match(enabled.body.connector_id, /^[0-9a-f-]{36}$/);
  await waitStatus(() => call('GET', instancePath(instanceId)),
    { pending: ['EXTENDING'], target: ['RUNNING'], what: `instance ${instanceId}` });
  return enabled.body.connector_id;
}

async function disableSmartConnect(instanceId, body) {
  const disabled = await call('POST', `${base}/kafka/instances/${instanceId}/delete-connector`, body);
  assert.equal(disabled.status, 200, JSON.stringify(disabled.body));
  await waitStatus(() => call('GET', instancePath(instanceId)),
    { pending: ['CONNECTOR_DELETING'], target: ['RUNNING'], what: `instance ${instanceId}` });
}

// The provider's delete, then the Read that follows a refresh: 404 DMS.00404022.
async function deleteAndExpectGone(path) {
  const deleted = await call('DELETE', path);
  assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
  const gone = await call('GET', path);
  assert.equal(gone.status, 404);
  assert.equal(gone.body.error_code, 'DMS.00404022');
}

test('huaweicloud kafkav2 replication task without instance aliases: create, poll, read, delete', async () => {
  // testDmsKafkav2SmartConnectTask_kafkaToKafka: smart connect on both instances.
  const smartConnect = { spec_code: 'dms.physical.storage.high.v2', specification: '100MB', node_cnt: 2 };
  await enableSmartConnect(DEMO.instance, smartConnect);
  await enableSmartConnect(DEMO.instance2, { ...smartConnect, specification: '300MB' });
  const tasks = `${instancePath(DEMO.instance)}/connector/tasks`;

  // buildCreateKafkav2SmartConnectTaskBodyParams: empty values and false are left out.
  const created = await call('POST', tasks, {
    task_name: 'kafka-to-kafka', topics: 'topic-test', source_type: 'KAFKA_REPLICATOR_SOURCE',
    source_task: {
      instance_id: DEMO.instance2, direction: 'push', sync_consumer_offsets_enabled: true,
      replication_factor: 3, task_num: 2, rename_topic_enabled: true, provenance_header_enabled: true,
      consumer_strategy: 'latest', compression_type: 'snappy',
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const taskId = created.body.id;
  assert.ok(taskId);
  await waitStatus(() => call('GET', `${tasks}/${taskId}`),
    { pending: ['CREATING'], target: ['RUNNING', 'WAITING'], what: `task ${taskId}` });

  // resourceDmsKafkav2SmartConnectTaskRead, twice (apply, then refresh /
  // ImportStateVerify): the same answer, with the acceptance test's values.
  const first = await call('GET', `${tasks}/${taskId}`);
  const second = await call('GET', `${tasks}/${taskId}`);
  assert.deepEqual(second.body, first.body);
  const read = first.body;
  assert.equal(read.task_name, 'kafka-to-kafka');
  assert.equal(read.source_type, 'KAFKA_REPLICATOR_SOURCE');
  assert.equal(read.sink_type, 'NONE');
  assert.equal(read.topics, 'topic-test');
  assert.equal(typeof read.create_time, 'number');
  assert.deepEqual(read.sink_task, {});  // flattenSinkTaskResponse: {} -> no block
  const source = read.source_task;
  assert.equal(source.instance_id, DEMO.instance2);
  assert.equal(source.direction, 'push');
  assert.equal(source.replication_factor, 3);
  assert.equal(source.task_num, 2);
  assert.equal(source.rename_topic_enabled, true);
  assert.equal(source.provenance_header_enabled, true);
  assert.equal(source.sync_consumer_offsets_enabled, true);
  assert.equal(source.consumer_strategy, 'latest');
  assert.equal(source.compression_type, 'snappy');
  // Computed members the request left out: the API reference's values.
  assert.equal(source.security_protocol, 'PLAINTEXT');
  assert.equal(source.sasl_mechanism, 'PLAIN');
  assert.equal(source.current_cluster_name, undefined);
  assert.equal(source.cluster_name, undefined);
  assert.equal(source.password, undefined);

  // The documented example: topics_mapping, false and "none" as written.
  const documented = await call('POST', tasks, {
    task_name: 'documented-example', topics: 'topic-test', source_type: 'KAFKA_REPLICATOR_SOURCE',
    source_task: {
      instance_id: DEMO.instance2, direction: 'push', replication_factor: 3, task_num: 2,
      consumer_strategy: 'latest', compression_type: 'none', topics_mapping: 'topic-test:topic-test-mapping',
    },
  });
  assert.equal(documented.status, 200, JSON.stringify(documented.body));
  const documentedRead = await waitStatus(() => call('GET', `${tasks}/${documented.body.id}`),
    { pending: ['CREATING'], target: ['RUNNING', 'WAITING'], what: 'documented task' });
  assert.equal(documentedRead.source_task.topics_mapping, 'topic-test:topic-test-mapping');
  assert.equal(documentedRead.source_task.provenance_header_enabled, false);

  await deleteAndExpectGone(`${tasks}/${taskId}`);
  await deleteAndExpectGone(`${tasks}/${documented.body.id}`);
  // buildDeleteKafkaSmartConnectBodyParams sends the instance id.
  await disableSmartConnect(DEMO.instance, { instance_id: DEMO.instance });
  await disableSmartConnect(DEMO.instance2, { instance_id: DEMO.instance2 });
});

test('opentelekomcloud task example (gophertelekomcloud body) without aliases', async () => {
  await enableSmartConnect(DEMO.instance, { node_cnt: '2', spec_code: 'dms.physical.storage.ultra.v2',
    specification: '100MB' });
  const tasks = `${instancePath(DEMO.instance)}/connector/tasks`;
  // CreateTaskOpts: start_later and the three booleans are pointers, always sent.
  const created = await call('POST', tasks, {
    task_name: 'otc-replication', start_later: false, topics: 'topic-test',
    source_type: 'KAFKA_REPLICATOR_SOURCE',
    source_task: {
      instance_id: DEMO.instance2, direction: 'push', sync_consumer_offsets_enabled: false,
      replication_factor: 3, task_num: 2, rename_topic_enabled: false, provenance_header_enabled: false,
      consumer_strategy: 'latest', compression_type: 'none', topics_mapping: 'topic-test:topic-test-mapping',
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const read = await waitStatus(() => call('GET', `${tasks}/${created.body.id}`),
    { pending: ['CREATING'], target: ['RUNNING', 'WAITING'], what: 'OTC task' });
  // The provider's Read dereferences both sides: objects, never null.
  assert.equal(typeof read.source_task, 'object');
  assert.notEqual(read.source_task, null);
  assert.deepEqual(read.sink_task, {});
  assert.equal(read.source_task.user_name, undefined);
  await deleteAndExpectGone(`${tasks}/${created.body.id}`);
  await disableSmartConnect(DEMO.instance, '{}');
});

test('opentelekomcloud smart connect without node_count sends "0" and gets the default 2 nodes', async () => {
  // resourceDmsSmartConnectV2Create: strconv.Itoa(0) for the unset node_count;
  // EnableOpts leaves out the empty bandwidth.
  await enableSmartConnect(DEMO.instance2,
    { node_cnt: '0', spec_code: 'dms.physical.storage.ultra.v2' });
  const shown = await call('GET', instancePath(DEMO.instance2));
  assert.equal(shown.body.connector_enable, true);
  assert.equal(shown.body.connector_node_num, 2);
  // Disable.go sends {} and the provider waits CONNECTOR_DELETING -> RUNNING.
  await disableSmartConnect(DEMO.instance2, '{}');
  // "1" is still refused: below the minimum, not "unset".
  const refused = await call('POST', `${instancePath(DEMO.instance2)}/connector`, { node_cnt: '1' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error_code, 'DMS.00400062');
});

test('huaweicloud legacy smart connect task: create, poll, read twice, list, delete', async () => {
  const connectorId = await enableSmartConnect(DEMO.instance,
    { spec_code: 'dms.physical.storage.ultra.v2', specification: '100MB', node_cnt: 2 });
  const sinkTasks = `${base}/connectors/${connectorId}/sink-tasks`;
  // buildCreateKafkaSmartConnectTaskBodyParams for the resource's documented
  // example: utils.RemoveNil keeps empty strings (topics_regex "").
  const created = await call('POST', sinkTasks, {
    source_type: 'BLOB', task_name: 'task_test', destination_type: 'OBS',
    obs_destination_descriptor: {
      consumer_strategy: 'latest', destination_file_type: 'TEXT', access_key: 'OBSAK',
      secret_key: 'OBSSK', obs_bucket_name: 'bucket-test', obs_path: 'path-test',
      partition_format: 'yyyy/MM/dd/HH/mm', record_delimiter: '\n', deliver_time_interval: 300,
      topics: 'topic-test', topics_regex: '',
    },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  assert.deepEqual(Object.keys(created.body), ['task_id']);
  const taskId = created.body.task_id;
  const taskPath = `${sinkTasks}/${taskId}`;
  // smartConnectTaskStateRefreshFunc: CREATING -> RUNNING.
  await waitStatus(() => call('GET', taskPath),
    { pending: ['CREATING'], target: ['RUNNING'], what: `sink task ${taskId}` });

  const first = await call('GET', taskPath);
  const second = await call('GET', taskPath);
  assert.equal(first.status, 200);
  assert.deepEqual(second.body, first.body);
  const read = first.body;
  assert.equal(read.task_name, 'task_test');
  assert.equal(read.destination_type, 'OBS');
  assert.equal(read.status, 'RUNNING');
  assert.equal(typeof read.create_time, 'number');
  const descriptor = read.obs_destination_descriptor;
  assert.equal(descriptor.topics, 'topic-test');
  assert.equal(descriptor.topics_regex, '');
  assert.equal(descriptor.consumer_strategy, 'latest');
  assert.equal(descriptor.destination_file_type, 'TEXT');
  assert.equal(descriptor.obs_bucket_name, 'bucket-test');
  assert.equal(descriptor.obs_path, 'path-test');
  assert.equal(descriptor.partition_format, 'yyyy/MM/dd/HH/mm');
  assert.equal(descriptor.record_delimiter, '\n');
  assert.equal(descriptor.deliver_time_interval, 300);
  assert.equal(descriptor.access_key, undefined);
  assert.equal(descriptor.secret_key, undefined);

  // data source huaweicloud_dms_kafka_smart_connect_tasks: one list, filtered
  // client-side by task_id / task_name / destination_type / status.
  const listed = await call('GET', sinkTasks);
  assert.equal(listed.status, 200);
  assert.equal(listed.body.total_number, 1);
  assert.deepEqual(listed.body.tasks, [{ task_id: taskId, task_name: 'task_test',
    destination_type: 'OBS', create_time: read.create_time, status: 'RUNNING', topics: 'topic-test' }]);

  // Another project's credential on its own path: the connector is unknown there.
  const foreign = await call('GET', `/v2/${OTHER.project}/connectors/${connectorId}/sink-tasks`, '', OTHER);
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error_code, 'DMS.00404022');

  await deleteAndExpectGone(taskPath);
  const empty = await call('GET', sinkTasks);
  assert.deepEqual(empty.body.tasks, []);
  await disableSmartConnect(DEMO.instance, { instance_id: DEMO.instance });
  const retired = await call('GET', sinkTasks);
  assert.equal(retired.status, 404);
});

test('opentelekomcloud API reference: Redis replication task (source and sink together)', async () => {
  await enableSmartConnect(DEMO.instance2, { node_cnt: 2 });
  const tasks = `${instancePath(DEMO.instance2)}/connector/tasks`;
  const created = await call('POST', tasks, {
    task_name: 'smart-connect-3', start_later: false, source_type: 'REDIS_REPLICATOR_SOURCE',
    source_task: {
      redis_address: '192.168.99.249:6379,192.168.120.127:6379,192.168.116.219:6379',
      redis_type: 'cluster', redis_password: 'RedisSecret', sync_mode: 'RDB_ONLY',
      full_sync_max_retry: 10, full_sync_wait_ms: 10000, ratelimit: 10,
    },
    topics: 'topic-sc-3', sink_type: 'REDIS_REPLICATOR_SINK',
    sink_task: { redis_address: '192.168.119.51:6379', redis_type: 'standalone', redis_password: 'RedisSecret' },
  });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const read = await waitStatus(() => call('GET', `${tasks}/${created.body.id}`),
    { pending: ['CREATING'], target: ['RUNNING'], what: 'Redis task' });
  assert.equal(read.source_type, 'REDIS_REPLICATOR_SOURCE');
  assert.equal(read.sink_type, 'REDIS_REPLICATOR_SINK');
  assert.equal(read.sink_task.target_db, -1);
  assert.equal(read.source_task.redis_password, undefined);
  assert.equal(JSON.stringify(read).includes('RedisSecret'), false);
  // Not a dump task: the legacy API does not list it.
  const connectorId = (await call('GET', instancePath(DEMO.instance2))).body.connector_id;
  const legacy = await call('GET', `${base}/connectors/${connectorId}/sink-tasks`);
  assert.deepEqual(legacy.body.tasks, []);
  await deleteAndExpectGone(`${tasks}/${created.body.id}`);
  await disableSmartConnect(DEMO.instance2, '{}');
});
