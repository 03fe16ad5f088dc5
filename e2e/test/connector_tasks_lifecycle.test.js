'use strict';
// End to end with the unmodified SDK: create a pay-per-use instance ->
// enable Smart Connect -> create a task -> pause / resume / restart -> delete the
// task -> disable -> delete the instance, each step polled the way the Terraform
// provider polls (instance CREATING -> RUNNING, task CREATING -> RUNNING,
// RUNNING -> PAUSED, PAUSED -> RUNNING, RESTARTING -> RUNNING, deletion until
// 404), plus the error cases.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { kafka, kafkaClient, expectSdkError, requests, DEMO, OTHER } = require('../lib/client');

let server;
let client;
let other;
before(async () => {
  // Read-gated timing: each job completes on the second read of its resource,
  // so the first read after the answer sees the transitional status.
  const gated = ['kafka.create_instance', 'kafka.delete_instance', 'kafka.enable_connector',
    'kafka.disable_connector', 'kafka.create_connector_task', 'kafka.pause_connector_task',
    'kafka.resume_connector_task', 'kafka.restart_connector_task'].map((type) => `${type}=reads:2`);
  server = await startServer({ jobSeconds: gated });
  client = kafkaClient(server.endpoint);
  other = kafkaClient(server.endpoint, OTHER);
});
after(async () => { await server.stop(); server.cleanup(); });

const VPC = '11111111-2222-3333-4444-555555555555';
const SUBNET = '21111111-2222-3333-4444-555555555555';
const SECURITY_GROUP = '31111111-2222-3333-4444-555555555555';

function instanceBody(name) {
  return new kafka.CreateInstanceByEngineReq()
    .withName(name).withEngine('kafka').withEngineVersion('3.x').withBrokerNum(3)
    .withStorageSpace(300).withVpcId(VPC).withSubnetId(SUBNET).withSecurityGroupId(SECURITY_GROUP)
    .withAvailableZones(['eu-de-01']).withProductId('c6.2u4g.cluster')
    .withStorageSpecCode('dms.physical.storage.ultra.v2')
    .withDescription('e2e instance').withEnableAutoTopic(true).withPassword('Secret#123');
}

function obsTaskBody(name) {
  return new kafka.CreateSmartConnectTaskReq()
    .withTaskName(name).withTopics('orders,payments').withSourceType('NONE').withSinkType('OBS_SINK')
    .withSinkTask(new kafka.SmartConnectTaskReqSinkConfig()
      .withConsumerStrategy('latest').withDestinationFileType('TEXT').withDeliverTimeInterval(300)
      .withAccessKey('OBSAK').withSecretKey('OBSSK').withObsBucketName('dump-bucket')
      .withObsPath('kafka/dump').withPartitionFormat('yyyy/MM/dd').withStoreKeys(false));
}

function replicatorTaskBody(name, peer) {
  return new kafka.CreateSmartConnectTaskReq()
    .withTaskName(name).withTopicsRegex('orders-.*').withSourceType('KAFKA_REPLICATOR_SOURCE')
    .withSourceTask(new kafka.SmartConnectTaskReqSourceConfig()
      .withCurrentClusterName('A').withClusterName('B').withInstanceId(peer)
      .withDirection('two-way').withSecurityProtocol('SASL_SSL').withSaslMechanism('PLAIN')
      .withUserName('peer').withPassword('PeerSecret').withReplicationFactor(3).withTaskNum(2)
      .withSyncConsumerOffsetsEnabled(true).withCompressionType('lz4'));
}

const taskRequest = (Cls, instanceId, taskId) => new Cls().withInstanceId(instanceId).withTaskId(taskId);
const showTask = (instanceId, taskId) =>
  client.showConnectorTask(taskRequest(kafka.ShowConnectorTaskRequest, instanceId, taskId));

// Terraform's StateChangeConf: statuses in `pending` keep waiting, `target` ends
// the wait, anything else fails it.
async function waitForStatus(read, { pending, target, what }) {
  return waitFor(async () => {
    const answer = await read();
    if (target.includes(answer.status)) return answer;
    assert.ok(pending.includes(answer.status), `${what}: unexpected status ${answer.status}`);
    return null;
  }, { what, timeoutMs: 15000 });
}

const waitInstance = (instanceId, pending, target) => waitForStatus(
  () => client.showInstance(requests.show(instanceId)), { pending, target, what: `instance ${instanceId}` });
const waitTask = (instanceId, taskId, pending, target) => waitForStatus(
  () => showTask(instanceId, taskId), { pending, target, what: `task ${taskId}` });

// Deletion: polled until the show answers 404 DMS.00404022 (Terraform's CheckDeleted).
async function waitGone(read, what) {
  return waitFor(async () => {
    try {
      await read();
      return null;
    } catch (error) {
      if (error.httpStatusCode === 404 && error.errorCode === 'DMS.00404022') return true;
      throw error;
    }
  }, { what: `${what} gone`, timeoutMs: 15000 });
}

let instanceId;
let taskId;

test('create a pay-per-use instance: CREATING -> RUNNING with the SDK fields', async () => {
  const created = await client.createPostPaidKafkaInstance(
    new kafka.CreatePostPaidKafkaInstanceRequest().withBody(instanceBody('e2e-kafka')));
  assert.equal(created.httpStatusCode, 200);
  assert.match(created.instance_id, /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  instanceId = created.instance_id;

  const first = await client.showInstance(requests.show(instanceId));
  assert.equal(first.status, 'CREATING');
  const running = await waitInstance(instanceId, ['CREATING'], ['RUNNING']);
  assert.equal(running.name, 'e2e-kafka');
  assert.equal(running.engine, 'kafka');
  assert.equal(running.engine_version, '3.x');
  assert.equal(running.broker_num, 3);
  assert.equal(running.storage_space, 300);
  assert.equal(running.product_id, 'c6.2u4g.cluster');
  assert.equal(running.vpc_id, VPC);
  assert.deepEqual(running.available_zones, ['bf84aba586ce4e948da0b97d9a7d62fb']);
  assert.deepEqual(running.available_zone_names, ['eu-de-01']);
  assert.equal(running.description, 'e2e instance');
  assert.equal(running.charging_mode, 1);
  assert.equal(running.connector_enable, false);
  assert.equal(typeof running.partition_num, 'string');
  assert.equal(typeof running.created_at, 'string');
  assert.equal(running.password, undefined, 'the password is never shown');

  const byEngine = await client.createInstanceByEngine(new kafka.CreateInstanceByEngineRequest()
    .withEngine('kafka').withBody(instanceBody('e2e-kafka-2')));
  await waitInstance(byEngine.instance_id, ['CREATING'], ['RUNNING']);

  const listed = await client.listInstances(new kafka.ListInstancesRequest().withEngine('kafka')
    .withName('e2e-kafka').withExactMatchName('true').withIncludeFailure('true'));
  assert.equal(listed.instance_num, 1);
  assert.equal(listed.instances[0].instance_id, instanceId);
  const substring = await client.listInstances(
    new kafka.ListInstancesRequest().withEngine('kafka').withName('e2e-kafka'));
  assert.equal(substring.instance_num, 2);
  const paged = await client.listInstances(new kafka.ListInstancesRequest().withEngine('kafka')
    .withStatus('RUNNING').withOffset('1').withLimit('1'));
  assert.equal(paged.instances.length, 1);
  assert.equal(paged.instance_num, 4);  // the two seeded instances and ours
  const byId = await client.listInstances(
    new kafka.ListInstancesRequest().withEngine('kafka').withInstanceId(instanceId));
  assert.deepEqual(byId.instances.map((entry) => entry.instance_id), [instanceId]);

  await client.deleteInstance(new kafka.DeleteInstanceRequest().withInstanceId(byEngine.instance_id));
  await waitGone(() => client.showInstance(requests.show(byEngine.instance_id)), 'second instance');
});

test('tasks are refused while Smart Connect is not enabled', async () => {
  await expectSdkError(client.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(obsTaskBody('too-early'))), { status: 400, code: 'DMS.00400062' });
  // The list too: "no tasks" would hide that there is no Smart Connect.
  await expectSdkError(client.listConnectorTasks(new kafka.ListConnectorTasksRequest().withInstanceId(instanceId)),
    { status: 400, code: 'DMS.00400062' });
});

test('enable Smart Connect, then create an OBS dump task: CREATING -> RUNNING', async () => {
  const enabled = await client.createConnector(requests.enable(instanceId));
  await waitInstance(instanceId, ['EXTENDING'], ['RUNNING']);
  const shown = await client.showInstance(requests.show(instanceId));
  assert.equal(shown.connector_enable, true);
  assert.equal(shown.connector_id, enabled.connector_id);

  const created = await client.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(obsTaskBody('obs-dump')));
  assert.equal(created.httpStatusCode, 200);
  assert.equal(created.task_name, 'obs-dump');
  assert.equal(created.status, 'CREATING');
  assert.equal(created.topics, 'orders,payments');
  assert.equal(created.source_type, 'NONE');
  assert.equal(created.sink_type, 'OBS_SINK');
  assert.equal(typeof created.create_time, 'number');
  assert.equal(created.sink_task.obs_bucket_name, 'dump-bucket');
  assert.equal(created.sink_task.deliver_time_interval, 300);
  assert.equal(created.sink_task.secret_key, undefined, 'secrets are never shown');
  assert.equal(created.sink_task.access_key, undefined);
  taskId = created.id;

  const running = await waitTask(instanceId, taskId, ['CREATING'], ['RUNNING', 'WAITING']);
  assert.equal(running.status, 'RUNNING');
  assert.equal(running.id, taskId);
});

test('pause -> PAUSED, resume -> RUNNING, restart (both routes) -> RESTARTING -> RUNNING', async () => {
  const paused = await client.pauseConnectorTask(taskRequest(kafka.PauseConnectorTaskRequest, instanceId, taskId));
  assert.equal(paused.httpStatusCode, 204);
  // Terraform: pause waits with pending RUNNING, target PAUSED.
  await waitTask(instanceId, taskId, ['RUNNING'], ['PAUSED']);
  await expectSdkError(client.pauseConnectorTask(taskRequest(kafka.PauseConnectorTaskRequest, instanceId, taskId)),
    { status: 400, code: 'DMS.00400062' });

  const resumed = await client.resumeConnectorTask(taskRequest(kafka.ResumeConnectorTaskRequest, instanceId, taskId));
  assert.equal(resumed.httpStatusCode, 204);
  await waitTask(instanceId, taskId, ['PAUSED'], ['RUNNING']);

  const restarted = await client.restartConnectorTask(
    taskRequest(kafka.RestartConnectorTaskRequest, instanceId, taskId));
  assert.equal(restarted.httpStatusCode, 204);
  assert.equal((await showTask(instanceId, taskId)).status, 'RESTARTING');
  // A second operation while one is in flight is "busy".
  await expectSdkError(client.pauseConnectorTask(taskRequest(kafka.PauseConnectorTaskRequest, instanceId, taskId)),
    { status: 400, code: 'DMS.00400026' });
  await waitTask(instanceId, taskId, ['PAUSED', 'RESTARTING'], ['RUNNING']);

  await client.restartSmartConnectorTask(taskRequest(kafka.RestartSmartConnectorTaskRequest, instanceId, taskId));
  await waitTask(instanceId, taskId, ['PAUSED', 'RESTARTING'], ['RUNNING']);
});

test('a replication task, start_later -> WAITING, list with pagination', async () => {
  const replicator = await client.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(replicatorTaskBody('replicate-ab', DEMO.instance)));
  assert.equal(replicator.source_type, 'KAFKA_REPLICATOR_SOURCE');
  assert.equal(replicator.source_task.direction, 'two-way');
  assert.equal(replicator.source_task.password, undefined);
  assert.deepEqual(replicator.sink_task, {});
  await waitTask(instanceId, replicator.id, ['CREATING'], ['RUNNING']);

  const later = await client.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(obsTaskBody('start-later').withStartLater(true)));
  await waitTask(instanceId, later.id, ['CREATING'], ['WAITING']);
  // Terraform's "start" action: restart a WAITING task, pending WAITING -> RUNNING.
  await client.restartSmartConnectorTask(taskRequest(kafka.RestartSmartConnectorTaskRequest, instanceId, later.id));
  await waitTask(instanceId, later.id, ['WAITING'], ['RUNNING']);

  const page = await client.listConnectorTasks(new kafka.ListConnectorTasksRequest()
    .withInstanceId(instanceId).withOffset(1).withLimit(1));
  assert.equal(page.total_number, 3);
  assert.equal(page.max_tasks, 18);
  assert.equal(page.quota_tasks, 18);
  assert.equal(page.tasks.length, 1);
  assert.equal(page.tasks[0].id, replicator.id);
  const all = await client.listConnectorTasks(new kafka.ListConnectorTasksRequest().withInstanceId(instanceId));
  assert.deepEqual(all.tasks.map((task) => task.task_name), ['obs-dump', 'replicate-ab', 'start-later']);
});

test('task error cases: validation, duplicate name, unknown task, other tenant', async () => {
  const create = (body) => client.createConnectorTask(new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(body));
  const bad = { status: 400, code: 'DMS.00400062' };
  await expectSdkError(create(obsTaskBody('obs-dump')), bad);  // name taken
  await expectSdkError(create(obsTaskBody('x')), bad);  // name too short
  await expectSdkError(create(obsTaskBody('bad-type').withSinkType('S3_SINK')), bad);
  await expectSdkError(create(new kafka.CreateSmartConnectTaskReq().withTaskName('no-config')
    .withTopics('t1').withSinkType('OBS_SINK')), bad);
  const noBucket = obsTaskBody('no-bucket');
  noBucket.sink_task.obs_bucket_name = undefined;
  await expectSdkError(create(noBucket), bad);
  await expectSdkError(create(obsTaskBody('bad-interval').withSinkTask(new kafka.SmartConnectTaskReqSinkConfig()
    .withConsumerStrategy('latest').withDestinationFileType('TEXT').withDeliverTimeInterval(5)
    .withAccessKey('a').withSecretKey('s').withObsBucketName('bucket'))), bad);

  const unknown = '00000000-0000-0000-0000-000000000000';
  await expectSdkError(showTask(instanceId, unknown), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.deleteConnectorTask(taskRequest(kafka.DeleteConnectorTaskRequest, instanceId, unknown)),
    { status: 404, code: 'DMS.00404022' });
  // Another tenant sees neither our instance nor our task.
  const otherProjectClient = other;
  await expectSdkError(otherProjectClient.listConnectorTasks(
    new kafka.ListConnectorTasksRequest().withInstanceId(instanceId)), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(otherProjectClient.pauseConnectorTask(
    taskRequest(kafka.PauseConnectorTaskRequest, instanceId, taskId)), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(otherProjectClient.deleteInstance(new kafka.DeleteInstanceRequest().withInstanceId(instanceId)),
    { status: 404, code: 'DMS.00404022' });
  // Our task id under the other tenant's own instance, which has no Smart
  // Connect: refused like every task call there, saying nothing of our task.
  await expectSdkError(otherProjectClient.showConnectorTask(
    taskRequest(kafka.ShowConnectorTaskRequest, OTHER.instance, taskId)), bad);
});

test('delete a task: 204, then 404', async () => {
  const deleted = await client.deleteConnectorTask(taskRequest(kafka.DeleteConnectorTaskRequest, instanceId, taskId));
  assert.equal(deleted.httpStatusCode, 204);
  await waitGone(() => showTask(instanceId, taskId), 'task');
  const listed = await client.listConnectorTasks(new kafka.ListConnectorTasksRequest().withInstanceId(instanceId));
  assert.equal(listed.total_number, 2);
});

test('disable Smart Connect removes the remaining tasks; delete the instance: DELETING -> 404', async () => {
  await client.deleteConnector(requests.disable(instanceId));
  // The instance cannot be deleted while a Smart Connect job runs.
  await expectSdkError(client.deleteInstance(new kafka.DeleteInstanceRequest().withInstanceId(instanceId)),
    { status: 400, code: 'DMS.00400026' });
  await waitInstance(instanceId, ['CONNECTOR_DELETING'], ['RUNNING']);
  // Without Smart Connect every task call is refused, the list included.
  await expectSdkError(client.listConnectorTasks(
    new kafka.ListConnectorTasksRequest().withInstanceId(instanceId)), { status: 400, code: 'DMS.00400062' });

  const history = await client.listBackgroundTasks(requests.tasks(instanceId));
  assert.deepEqual(history.tasks.map((task) => task.name),
    ['deleteConnector', 'createConnector', 'createInstance']);
  assert.ok(history.tasks.every((task) => task.status === 'SUCCESS'));

  const deleted = await client.deleteInstance(new kafka.DeleteInstanceRequest().withInstanceId(instanceId));
  assert.equal(deleted.httpStatusCode, 204);
  assert.equal((await client.showInstance(requests.show(instanceId))).status, 'DELETING');
  await waitGone(() => client.showInstance(requests.show(instanceId)), 'instance');
  const listedAfter = await client.listInstances(
    new kafka.ListInstancesRequest().withEngine('kafka').withInstanceId(instanceId));
  assert.equal(listedAfter.instance_num, 0);
});

test('instance create errors: missing and invalid fields', async () => {
  const create = (body) => client.createPostPaidKafkaInstance(
    new kafka.CreatePostPaidKafkaInstanceRequest().withBody(body));
  await expectSdkError(create(instanceBody('ok-name').withProductId('!!')), { status: 400, code: 'DMS.00400009' });
  const noVpc = instanceBody('no-vpc');
  noVpc.vpc_id = undefined;
  await expectSdkError(create(noVpc), { status: 400, code: 'DMS.00400062' });
  await expectSdkError(create(instanceBody('1bad')), { status: 400, code: 'DMS.00400062' });
  await expectSdkError(create(instanceBody('big-broker').withBrokerNum(500)), { status: 400, code: 'DMS.00400062' });
  await expectSdkError(client.deleteInstance(new kafka.DeleteInstanceRequest()
    .withInstanceId('ffffffff-0000-1111-2222-333344445555')), { status: 404, code: 'DMS.00404022' });
  const listed = await client.listInstances(new kafka.ListInstancesRequest().withEngine('kafka'));
  assert.equal(listed.instance_num, 2, 'no failed create left an instance behind');
});
