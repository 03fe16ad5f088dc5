'use strict';
// The Terraform providers' Smart Connect resources, replayed call by call as
// the providers make them and signed as their Go SDKs sign:
//   huaweicloud v1.97.1+21 (a0345b8d; golangsdk signer; lib/huaweicloud_connect_replay.js):
//     huaweicloud_dms_kafka_smart_connect, huaweicloud_dms_kafkav2_smart_connect_task
//     (the acceptance test's kafkaToKafka configuration and the documented example,
//     no instance aliases), huaweicloud_dms_kafka_smart_connect_task_action,
//     huaweicloud_dms_kafka_smart_connect_task (the legacy sink-task API) and data
//     huaweicloud_dms_kafka_smart_connect_tasks;
//   opentelekomcloud v1.36.23+3 (88f1cf1e; gophertelekomcloud scoped signer;
//     lib/opentelekomcloud_provider_replay.js): opentelekomcloud_dms_smart_connect_v2
//     without node_count ("node_cnt":"0") and opentelekomcloud_dms_smart_connect_task_v2.
// Each resource: create with the provider's poll, read twice (no diff), import
// (where the provider has an importer), delete, and the refresh that drops it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { DEMO, OTHER } = require('../lib/client');
const { Clock, ProviderHttpError, stateDiff } = require('../lib/terraform_provider_replay');
const { HuaweicloudProvider } = require('../lib/huaweicloud_provider_replay');
const { HuaweicloudConnect } = require('../lib/huaweicloud_connect_replay');
const { OpentelekomcloudProvider } = require('../lib/opentelekomcloud_provider_replay');

let server;
before(async () => {
  // Read-gated: each job completes on the second read of its resource, so the
  // provider's first poll sees the transitional status.
  const gated = ['kafka.enable_connector', 'kafka.disable_connector',
    'kafka.create_connector_task'].map((type) => `${type}=reads:2`);
  server = await startServer({ jobSeconds: gated });
});
after(async () => { await server.stop(); server.cleanup(); });

const clock = new Clock({ timeScale: 0.002, timeoutMs: 20000 });
function huaweicloud(who = DEMO) {
  const provider = new HuaweicloudProvider({ endpoint: server.endpoint, ak: who.ak, sk: who.sk,
    projectId: who.project, region: 'eu-de', clock });
  return new HuaweicloudConnect(provider);
}
const opentelekomcloud = (who = DEMO) => new OpentelekomcloudProvider({ endpoint: server.endpoint, ak: who.ak,
  sk: who.sk, projectId: who.project, region: 'eu-de', clock });
const shape = (lines) => lines.map((line) => line.replace(/ \(x\d+\)$/, ''));
const withoutRaw = ({ raw, ...state }) => state;  // eslint-disable-line no-unused-vars

test('huaweicloud smart connect, kafkav2 replication task and its actions: create, read, import, delete', async () => {
  const hw = huaweicloud();
  // testDmsKafkav2SmartConnectTask_kafkaToKafka: smart connect on both instances.
  const connect = await hw.createSmartConnect({ instance_id: DEMO.instance,
    storage_spec_code: 'dms.physical.storage.high.v2', bandwidth: '100MB', node_count: 2 });
  const ids = { project_id: DEMO.project, instance_id: DEMO.instance };
  assert.deepEqual(shape(hw.client.callsSince(0, ids)), [
    'POST /v2/{project_id}/instances/{instance_id}/connector',
    'GET /v2/{project_id}/instances/{instance_id}']);
  assert.deepEqual(hw.client.calls[0].body,
    { node_cnt: 2, spec_code: 'dms.physical.storage.high.v2', specification: '100MB' });
  assert.match(connect.id, /^[0-9a-f-]{36}$/);
  assert.deepEqual(connect, { id: connect.id, region: 'eu-de', instance_id: DEMO.instance });
  assert.deepEqual(await hw.readSmartConnect(connect.id, DEMO.instance), connect);
  assert.deepEqual(await hw.importSmartConnect(`${DEMO.instance}/${connect.id}`), connect);
  const peer = await hw.createSmartConnect({ instance_id: DEMO.instance2,
    storage_spec_code: 'dms.physical.storage.high.v2', bandwidth: '300MB', node_count: 2 });

  // buildCreateKafkav2SmartConnectTaskBodyParams: empty values and false are left out.
  const config = { instance_id: DEMO.instance, task_name: 'kafka-to-kafka', topics: ['topic-test'],
    source_type: 'KAFKA_REPLICATOR_SOURCE',
    source_task: { peer_instance_id: DEMO.instance2, direction: 'push', sync_consumer_offsets_enabled: true,
      replication_factor: 3, task_num: 2, rename_topic_enabled: true, provenance_header_enabled: true,
      consumer_strategy: 'latest', compression_type: 'snappy' } };
  const mark = hw.client.calls.length;
  const task = await hw.createKafkav2Task(config);
  const taskIds = { ...ids, task_id: task.id };
  assert.deepEqual(shape(hw.client.callsSince(mark, taskIds)), [
    'POST /v2/{project_id}/instances/{instance_id}/connector/tasks',
    'GET /v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}']);
  assert.deepEqual(hw.client.calls[mark].body, { source_task: { compression_type: 'snappy',
    consumer_strategy: 'latest', direction: 'push', instance_id: DEMO.instance2, provenance_header_enabled: true,
    rename_topic_enabled: true, replication_factor: 3, sync_consumer_offsets_enabled: true, task_num: 2 },
  source_type: 'KAFKA_REPLICATOR_SOURCE', task_name: 'kafka-to-kafka', topics: 'topic-test' });
  // resourceDmsKafkav2SmartConnectTaskRead's state. Every member it reads is in the answer but
  // the two aliases (none given), bootstrap_servers (the peer is given by id), and the unset
  // user_name and topics_mapping, for which the server fills no default: the plugin SDK stores
  // "" and [] for a nil string or list, so the state and the plan are the same either way.
  assert.deepEqual(task.absent.sort(), ['source_task.bootstrap_servers', 'source_task.cluster_name',
    'source_task.current_cluster_name', 'source_task.topics_mapping', 'source_task.user_name']);
  assert.equal(task.task_name, 'kafka-to-kafka');
  assert.deepEqual(task.topics, ['topic-test']);
  assert.equal(task.topics_regex, '');
  assert.equal(task.source_type, 'KAFKA_REPLICATOR_SOURCE');
  assert.equal(task.destination_type, 'NONE');
  assert.equal(task.destination_task, null);  // sink_task {} -> no block
  assert.ok(['RUNNING', 'WAITING'].includes(task.status));
  assert.match(task.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  const [source] = task.source_task;
  assert.equal(source.peer_instance_id, DEMO.instance2);
  assert.equal(source.direction, 'push');
  assert.equal(source.replication_factor, 3);
  assert.equal(source.task_num, 2);
  assert.equal(source.rename_topic_enabled, true);
  assert.equal(source.provenance_header_enabled, true);
  assert.equal(source.sync_consumer_offsets_enabled, true);
  assert.equal(source.consumer_strategy, 'latest');
  assert.equal(source.compression_type, 'snappy');
  assert.equal(source.security_protocol, 'PLAINTEXT');  // computed: the API reference's defaults
  assert.equal(source.sasl_mechanism, 'PLAIN');
  assert.equal(source.current_instance_alias, null);
  assert.equal(source.peer_instance_alias, null);
  assert.deepEqual(source.topics_mapping, []);
  assert.equal(task.raw.source_task.password, undefined);

  // Refresh twice and import ("<instance_id>/<task_id>"): no diff.
  assert.deepEqual(stateDiff(task, await hw.readKafkav2Task(task.id, DEMO.instance, config)), []);
  assert.deepEqual(stateDiff(task, await hw.readKafkav2Task(task.id, DEMO.instance, config)), []);
  assert.deepEqual(stateDiff(withoutRaw(task), withoutRaw(await hw.importKafkav2Task(`${DEMO.instance}/${task.id}`))), []);

  // huaweicloud_dms_kafka_smart_connect_task_action: create with pause, update to resume, then restart.
  for (const [action, path, status] of [
    ['pause', '/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/pause', 'PAUSED'],
    ['resume', '/v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}/resume', 'RUNNING'],
    ['restart', '/v2/{project_id}/kafka/instances/{instance_id}/connector/tasks/{task_id}/restart', 'RUNNING'],
  ]) {
    const actionMark = hw.client.calls.length;
    const state = await hw.taskAction({ instance_id: DEMO.instance, task_id: task.id, action });
    assert.deepEqual(state, { id: `${DEMO.instance}/${task.id}`, instance_id: DEMO.instance, task_id: task.id, action });
    assert.deepEqual(shape(hw.client.callsSince(actionMark, taskIds)), [`PUT ${path}`,
      'GET /v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}']);
    assert.equal((await hw.readKafkav2Task(task.id, DEMO.instance)).status, status);
  }

  // The documented example: topics_mapping, false and "none" as written.
  const documented = await hw.createKafkav2Task({ instance_id: DEMO.instance, task_name: 'documented-example',
    topics: ['topic-test'], source_type: 'KAFKA_REPLICATOR_SOURCE',
    source_task: { peer_instance_id: DEMO.instance2, direction: 'push', replication_factor: 3, task_num: 2,
      consumer_strategy: 'latest', compression_type: 'none', topics_mapping: ['topic-test:topic-test-mapping'],
      provenance_header_enabled: false } });
  assert.deepEqual(documented.source_task[0].topics_mapping, ['topic-test:topic-test-mapping']);
  assert.equal(documented.source_task[0].provenance_header_enabled, false);

  // Another project's credential on its own path: 404, dropped from that state.
  assert.equal(await huaweicloud(OTHER).readKafkav2Task(task.id, DEMO.instance), null);

  // Delete (DELETE 204, no wait), then the refresh drops each; then disable smart connect.
  for (const id of [task.id, documented.id]) {
    await hw.deleteKafkav2Task(DEMO.instance, id);
    assert.equal(await hw.readKafkav2Task(id, DEMO.instance), null);
  }
  const disableMark = hw.client.calls.length;
  await hw.deleteSmartConnect(DEMO.instance);
  assert.deepEqual(shape(hw.client.callsSince(disableMark, ids)), [
    'POST /v2/{project_id}/kafka/instances/{instance_id}/delete-connector',
    'GET /v2/{project_id}/instances/{instance_id}']);
  assert.deepEqual(hw.client.calls[disableMark].body, { instance_id: DEMO.instance });
  assert.equal(await hw.readSmartConnect(connect.id, DEMO.instance), null);
  await hw.deleteSmartConnect(peer.instance_id);
});

test('huaweicloud legacy smart connect task and its data source: create, read twice, import, delete', async () => {
  const hw = huaweicloud();
  const connect = await hw.createSmartConnect({ instance_id: DEMO.instance,
    storage_spec_code: 'dms.physical.storage.ultra.v2', bandwidth: '100MB', node_count: 2 });
  // The resource's documented example; utils.RemoveNil keeps "" (topics_regex).
  const config = { connector_id: connect.id, source_type: 'BLOB', task_name: 'task_test', destination_type: 'OBS',
    consumer_strategy: 'latest', destination_file_type: 'TEXT', access_key: 'OBSAK', secret_key: 'OBSSK',
    obs_bucket_name: 'bucket-test', obs_path: 'path-test', partition_format: 'yyyy/MM/dd/HH/mm',
    record_delimiter: '\n', deliver_time_interval: 300, topics: 'topic-test' };
  const mark = hw.client.calls.length;
  const task = await hw.createSinkTask(config);
  const ids = { project_id: DEMO.project, connector_id: connect.id, task_id: task.id };
  assert.deepEqual(shape(hw.client.callsSince(mark, ids)), [
    'POST /v2/{project_id}/connectors/{connector_id}/sink-tasks',
    'GET /v2/{project_id}/connectors/{connector_id}/sink-tasks/{task_id}']);
  assert.equal(hw.client.calls[mark].body.obs_destination_descriptor.topics_regex, '');
  assert.deepEqual(task.absent, []);  // every member the legacy Read reads is in the answer
  assert.deepEqual(task, { id: task.id, region: 'eu-de', connector_id: connect.id, task_name: 'task_test',
    destination_type: 'OBS', topics: 'topic-test', topics_regex: '', consumer_strategy: 'latest',
    destination_file_type: 'TEXT', obs_bucket_name: 'bucket-test', obs_path: 'path-test',
    partition_format: 'yyyy/MM/dd/HH/mm', record_delimiter: '\n', deliver_time_interval: 300,
    created_at: task.created_at, status: 'RUNNING' });
  assert.match(task.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.deepEqual(stateDiff(task, await hw.readSinkTask(task.id, connect.id)), []);
  assert.deepEqual(stateDiff(task, await hw.readSinkTask(task.id, connect.id)), []);
  assert.deepEqual(stateDiff(task, await hw.importSinkTask(`${connect.id}/${task.id}`)), []);

  // data huaweicloud_dms_kafka_smart_connect_tasks: one list, filtered client-side.
  const data = await hw.sinkTasksDataSource({ connector_id: connect.id, task_name: 'task_test', status: 'RUNNING' });
  assert.deepEqual(data.tasks, [{ id: task.id, task_name: 'task_test', destination_type: 'OBS',
    created_at: task.created_at, status: 'RUNNING', topics: 'topic-test' }]);
  assert.equal((await hw.sinkTasksDataSource({ connector_id: connect.id, destination_type: 'DLI' })).tasks, null);

  // Another project's credential on its own path: the connector is unknown there.
  await assert.rejects(huaweicloud(OTHER).sinkTasksDataSource({ connector_id: connect.id }),
    (err) => err instanceof ProviderHttpError && err.status === 404 && err.errorCode === 'DMS.00404022');

  await hw.deleteSinkTask(connect.id, task.id);
  assert.equal(await hw.readSinkTask(task.id, connect.id), null);
  assert.equal((await hw.sinkTasksDataSource({ connector_id: connect.id })).tasks, null);
  await hw.deleteSmartConnect(DEMO.instance);
  await assert.rejects(hw.sinkTasksDataSource({ connector_id: connect.id }),
    (err) => err instanceof ProviderHttpError && err.status === 404);
});

test('opentelekomcloud smart connect (node_count unset) and task v2: create, read twice, import, delete', async () => {
  const otc = opentelekomcloud();
  // resourceDmsSmartConnectV2Create: strconv.Itoa(0) for the unset node_count.
  const connect = await otc.createSmartConnect({ instance_id: DEMO.instance2,
    storage_spec_code: 'dms.physical.storage.ultra.v2' });
  const ids = { project_id: DEMO.project, instance_id: DEMO.instance2 };
  assert.deepEqual(otc.client.calls[0].body, { node_cnt: '0', spec_code: 'dms.physical.storage.ultra.v2' });
  assert.deepEqual(connect, { id: connect.id, region: 'eu-de', instance_id: DEMO.instance2 });
  assert.deepEqual(await otc.readSmartConnect(connect.id, DEMO.instance2), connect);
  assert.equal((await otc.getInstance(DEMO.instance2)).connector_node_num, 2);

  // CreateTaskOpts: start_later and the *bool members always sent.
  const config = { instance_id: DEMO.instance2, task_name: 'otc-obs-dump', topics: ['topic-test'],
    destination_type: 'OBS_SINK', destination_task: { consumer_strategy: 'latest', destination_file_type: 'TEXT',
      access_key: 'OBSAK', secret_key: 'OBSSK', obs_bucket_name: 'bucket-test', obs_path: 'path-test',
      partition_format: 'yyyy/MM/dd/HH/mm', record_delimiter: ',', deliver_time_interval: 300 } };
  const mark = otc.client.calls.length;
  const task = await otc.createTask(config);
  const taskIds = { ...ids, task_id: task.id };
  assert.deepEqual(shape(otc.client.callsSince(mark, taskIds)), [
    'POST /v2/{project_id}/instances/{instance_id}/connector/tasks',
    'GET /v2/{project_id}/instances/{instance_id}/connector/tasks/{task_id}']);
  const sent = otc.client.calls[mark].body;
  assert.equal(sent.start_later, false);
  assert.equal(sent.sink_task.store_keys, false);
  assert.equal(sent.sink_type, 'OBS_SINK');
  // resourceDmsV2SmartConnectTaskRead's state.
  assert.equal(task.task_name, 'otc-obs-dump');
  assert.deepEqual(task.topics, ['topic-test']);
  assert.equal(task.destination_type, 'OBS_SINK');
  assert.equal(task.source_task, null);  // {} -> the zero struct -> no block
  assert.deepEqual(task.destination_task, [{ access_key: 'OBSAK', secret_key: 'OBSSK', consumer_strategy: 'latest',
    destination_file_type: 'TEXT', obs_bucket_name: 'bucket-test', obs_path: 'path-test',
    partition_format: 'yyyy/MM/dd/HH/mm', record_delimiter: ',', deliver_time_interval: 300, store_keys: false }]);
  assert.equal(task.status, 'RUNNING');
  assert.match(task.created_at, /^\d{13}$/);
  assert.equal(task.raw.sink_task.secret_key, undefined);
  assert.deepEqual(stateDiff(task, await otc.readTask(task.id, DEMO.instance2, config)), []);
  assert.deepEqual(stateDiff(task, await otc.readTask(task.id, DEMO.instance2, config)), []);
  // Import: no configuration, so the keys Read copies from the state are empty (ImportStateVerifyIgnore).
  const imported = withoutRaw(await otc.importTask(`${DEMO.instance2}/${task.id}`));
  assert.deepEqual(stateDiff(withoutRaw(task), imported), ['destination_task']);
  assert.deepEqual({ ...imported.destination_task[0], access_key: 'OBSAK', secret_key: 'OBSSK' },
    task.destination_task[0]);

  await otc.deleteTask(DEMO.instance2, task.id);
  assert.equal(await otc.readTask(task.id, DEMO.instance2), null);
  // Disable.go sends {} and the provider waits CONNECTOR_DELETING -> RUNNING.
  const disableMark = otc.client.calls.length;
  await otc.deleteSmartConnect(DEMO.instance2);
  assert.deepEqual(otc.client.calls[disableMark].body, {});
  assert.equal((await otc.getInstance(DEMO.instance2)).connector_enable, false);
  // "1" is still refused: below the minimum, not "unset".
  await assert.rejects(otc.client.request('POST', `/v2/${DEMO.project}/instances/${DEMO.instance2}/connector`,
    { body: { node_cnt: '1' }, okCodes: [200] }),
  (err) => err instanceof ProviderHttpError && err.status === 400 && err.errorCode === 'DMS.00400062');
});

test('opentelekomcloud replication task without aliases, and the API reference Redis task', async () => {
  const otc = opentelekomcloud();
  const connect = await otc.createSmartConnect({ instance_id: DEMO.instance, node_count: 2 });
  // The resource's documented replication example: no instance aliases.
  const task = await otc.createTask({ instance_id: DEMO.instance, task_name: 'otc-replication', topics: ['topic-test'],
    source_type: 'KAFKA_REPLICATOR_SOURCE', source_task: { peer_instance_id: DEMO.instance2, direction: 'push',
      replication_factor: 3, task_num: 2, consumer_strategy: 'latest', compression_type: 'none',
      topics_mapping: ['topic-test:topic-test-mapping'] } });
  assert.deepEqual(task.raw.sink_task, {});  // Read dereferences both sides: objects, never null
  assert.equal(task.destination_task, null);
  assert.equal(task.source_task[0].peer_instance_id, DEMO.instance2);
  assert.equal(task.source_task[0].sync_consumer_offsets_enabled, false);
  assert.deepEqual(task.source_task[0].topics_mapping, ['topic-test:topic-test-mapping']);
  assert.deepEqual(stateDiff(withoutRaw(task), withoutRaw(await otc.importTask(`${DEMO.instance}/${task.id}`))), []);
  await otc.deleteTask(DEMO.instance, task.id);

  // OTC API reference (creating_a_smart_connect_task.rst): source and sink together.
  const redis = await otc.client.request('POST', `/v2/${DEMO.project}/instances/${DEMO.instance}/connector/tasks`, {
    okCodes: [200],
    body: { task_name: 'smart-connect-3', start_later: false, source_type: 'REDIS_REPLICATOR_SOURCE',
      source_task: { redis_address: '192.168.99.249:6379,192.168.120.127:6379,192.168.116.219:6379',
        redis_type: 'cluster', redis_password: 'RedisSecret', sync_mode: 'RDB_ONLY', full_sync_max_retry: 10,
        full_sync_wait_ms: 10000, ratelimit: 10 },
      topics: 'topic-sc-3', sink_type: 'REDIS_REPLICATOR_SINK',
      sink_task: { redis_address: '192.168.119.51:6379', redis_type: 'standalone', redis_password: 'RedisSecret' } },
  });
  const read = await otc.readTask(redis.id, DEMO.instance);
  assert.equal(read.source_type, 'REDIS_REPLICATOR_SOURCE');
  assert.equal(read.destination_type, 'REDIS_REPLICATOR_SINK');
  assert.equal(read.raw.sink_task.target_db, -1);
  assert.equal(JSON.stringify(read.raw).includes('RedisSecret'), false);
  // Not a dump task: the legacy API does not list it.
  // (gophertelekomcloud's Instance has no connector_id member: the id is the resource's.)
  const legacy = await otc.client.request('GET', `/v2/${DEMO.project}/connectors/${connect.id}/sink-tasks`);
  assert.deepEqual(legacy.tasks, []);
  await otc.deleteTask(DEMO.instance, redis.id);
  await otc.deleteSmartConnect(DEMO.instance);
});

test('a busy instance: the providers\' update waits for RUNNING and calls again (DMS.00400026)', async () => {
  const hw = huaweicloud();
  const { provider } = hw;
  const { state } = await provider.readKafkaInstance(DEMO.instance2);
  // Smart Connect being enabled (the job completes on the second read): the instance is EXTENDING.
  const enabled = await hw.client.request('POST', `/v2/${DEMO.project}/instances/${DEMO.instance2}/connector`,
    { body: { node_cnt: 2 } });
  const mark = hw.client.calls.length;
  // resourceDmsKafkaInstanceUpdate: RetryContextWithWaitForState + handleMultiOperationsError.
  const updated = await provider.updateKafkaInstance(DEMO.instance2, state, { description: 'after busy' });
  const ids = { project_id: DEMO.project, id: DEMO.instance2 };
  assert.deepEqual(shape(hw.client.callsSince(mark, ids)).slice(0, 4), [
    'PUT /v2/{project_id}/instances/{id}',  // 400 DMS.00400026
    'GET /v2/{project_id}/instances/{id}',  // InstanceStateRefreshFunc until RUNNING
    'PUT /v2/{project_id}/instances/{id}',  // 204
    'GET /v2/{project_id}/instances/{id}']);
  assert.equal(updated.state.description, 'after busy');
  assert.equal(updated.state.connector_id, enabled.connector_id);
  assert.equal(updated.state.dumping, true);
  await hw.deleteSmartConnect(DEMO.instance2);
});
