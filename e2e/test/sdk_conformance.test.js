'use strict';
// What the official SDKs send and read, through the unmodified Node SDK's own
// request and response classes: the background-task time filter, the
// camelCase member of ShowConnectorResourceInfo, the SDKs' names of the two
// restart operations (fault rules match on them), the ListInstances offset
// rule, instance-name uniqueness and the closed list of product ids.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafka, kafkaClient, expectSdkError, waitForTask, requests, DEMO } = require('../lib/client');

let server;
let client;
before(async () => {
  server = await startServer({ jobSeconds: ['0'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

const addFault = async (rule) => {
  const response = await fetch(`${server.endpoint}/_connectplane/faults`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(rule),
  });
  assert.equal(response.status, 201, await response.text());
};

// YYYYMMDDHHmmss in UTC, as the SDK's begin_time/end_time.
const compact = (date) => date.toISOString().replace(/[-:T]/g, '').slice(0, 14);

test('listBackgroundTasks filters by begin_time and end_time', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  await waitForTask(client, DEMO.instance, enabled.job_id);
  const list = (begin, end) => client.listBackgroundTasks(new kafka.ListBackgroundTasksRequest()
    .withInstanceId(DEMO.instance).withStart(1).withLimit(10).withBeginTime(begin).withEndTime(end));
  const all = await list('20000101000000', '20991231235959');
  assert.equal(all.task_count, '1');
  assert.equal(all.tasks[0].id, enabled.job_id);
  const created = new Date(all.tasks[0].created_at);
  const around = await list(compact(created), compact(created));
  assert.deepEqual(around.tasks.map((task) => task.id), [enabled.job_id]);
  const later = await list(compact(new Date(created.getTime() + 60000)), '20991231235959');
  assert.equal(later.task_count, '0');
  await expectSdkError(list('2026', '20991231235959'), { status: 400, code: 'DMS.00400062' });
});

test('showConnectorResourceInfo: soldOut, typed', async () => {
  const info = await client.showConnectorResourceInfo(
    new kafka.ShowConnectorResourceInfoRequest().withInstanceId(DEMO.instance));
  assert.equal(info.httpStatusCode, 200);
  assert.equal(info.soldOut, false);
});

test('fault rules name the restart operations as the SDK does', async () => {
  const task = await client.createConnectorTask(requests.createObsTask(DEMO.instance, 'restart-names'));
  const show = () => client.showConnectorTask(new kafka.ShowConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(task.id));
  const running = async () => {
    for (const deadline = Date.now() + 10000; Date.now() < deadline;) {
      if ((await show()).status === 'RUNNING') return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.fail('task did not reach RUNNING');
  };
  await running();
  const restartSmart = () => client.restartSmartConnectorTask(new kafka.RestartSmartConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(task.id));
  const restart = () => client.restartConnectorTask(new kafka.RestartConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(task.id));
  for (const [operation, call, otherCall] of [['RestartSmartConnectorTask', restartSmart, restart],
    ['RestartConnectorTask', restart, restartSmart]]) {
    await addFault({ kind: 'api', dialect: 'dms', operation, count: 1, http_status: 503,
      error_code: 'DMS.00500000' });
    // The other operation is not matched by this rule...
    assert.equal((await otherCall()).httpStatusCode, 204);
    await running();
    // ...this one is.
    await expectSdkError(call(), { status: 503, code: 'DMS.00500000' });
  }
});

const VPC = '11111111-2222-3333-4444-555555555555';
const instanceBody = (name, productId = 'c6.2u4g.cluster') => new kafka.CreateInstanceByEngineReq()
  .withName(name).withEngine('kafka').withEngineVersion('3.x').withBrokerNum(3).withStorageSpace(300)
  .withVpcId(VPC).withSubnetId(VPC).withSecurityGroupId(VPC).withAvailableZones(['eu-de-01'])
  .withProductId(productId).withStorageSpecCode('dms.physical.storage.ultra.v2');
const createInstance = (body) => client.createPostPaidKafkaInstance(
  new kafka.CreatePostPaidKafkaInstanceRequest().withBody(body));

test('instance names are unique in a project; product ids are the Kafka flavors', async () => {
  const created = await createInstance(instanceBody('unique-kafka'));
  assert.ok(created.instance_id);
  await expectSdkError(createInstance(instanceBody('unique-kafka')), { status: 400, code: 'DMS.00400060' });
  await expectSdkError(createInstance(instanceBody('made-up-flavor', 'c9.99u99g.cluster')),
    { status: 400, code: 'DMS.00400009' });
  const listed = await client.listInstances(new kafka.ListInstancesRequest().withEngine('kafka')
    .withName('made-up-flavor'));
  assert.equal(listed.instance_num, 0);
});

test('listInstances refuses an offset at or past the end with DMS.40050010', async () => {
  const list = (offset) => client.listInstances(new kafka.ListInstancesRequest().withEngine('kafka')
    .withOffset(String(offset)));
  const all = await list(0);
  assert.ok(all.instance_num > 0);
  assert.equal((await list(all.instance_num - 1)).instances.length, 1);
  await expectSdkError(list(all.instance_num), { status: 400, code: 'DMS.40050010' });
});

// The Smart Connect operations the SDK offers beyond create/show/delete, by
// its own method names.
test('modifyConnectorTask, validateConnectorConnectivity, showBackgroundTaskProgress', async () => {
  const created = await client.createConnectorTask(requests.createObsTask(DEMO.instance, 'modify-me'));
  const show = () => client.showConnectorTask(new kafka.ShowConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(created.id));
  for (const deadline = Date.now() + 10000; (await show()).status !== 'RUNNING';) {
    assert.ok(Date.now() < deadline, 'task did not reach RUNNING');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const modified = await client.modifyConnectorTask(new kafka.ModifyConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(created.id)
    .withBody(new kafka.SmartConnectTaskEntity().withTopicsRegex('orders-.*')
      .withSinkTask(new kafka.SmartConnectTaskRespSinkConfig().withDeliverTimeInterval(600))));
  assert.equal(modified.httpStatusCode, 200);
  assert.equal(modified.topics_regex, 'orders-.*');
  assert.equal(modified.topics, '');
  assert.equal(modified.sink_task.deliver_time_interval, 600);
  assert.equal(modified.sink_task.obs_bucket_name, 'bucket');
  assert.equal((await show()).topics_regex, 'orders-.*');
  await expectSdkError(client.modifyConnectorTask(new kafka.ModifyConnectorTaskRequest()
    .withInstanceId(DEMO.instance).withTaskId(created.id)
    .withBody(new kafka.SmartConnectTaskEntity().withSinkType('NONE'))), { status: 400, code: 'DMS.00400062' });

  const validate = (entity) => client.validateConnectorConnectivity(
    new kafka.ValidateConnectorConnectivityRequest().withInstanceId(DEMO.instance).withBody(entity));
  const reachable = await validate(new kafka.SmartConnectValidateEntity('KAFKA_REPLICATOR_SOURCE')
    .withTask(new kafka.SmartConnectTaskRespSourceConfig().withInstanceId(DEMO.instance2)
      .withSecurityProtocol('SASL_SSL').withUserName('peer').withSaslMechanism('PLAIN')));
  assert.equal(reachable.httpStatusCode, 204);
  await expectSdkError(validate(new kafka.SmartConnectValidateEntity('KAFKA_REPLICATOR_SOURCE')
    .withTask(new kafka.SmartConnectTaskRespSourceConfig()
      .withInstanceId('ffffffff-0000-1111-2222-333344445555'))), { status: 400, code: 'DMS.00400062' });

  const history = await client.listBackgroundTasks(new kafka.ListBackgroundTasksRequest()
    .withInstanceId(DEMO.instance).withStart(1).withLimit(1));
  const progress = await client.showBackgroundTaskProgress(new kafka.ShowBackgroundTaskProgressRequest()
    .withInstanceId(DEMO.instance).withTaskId(history.tasks[0].id));
  assert.equal(progress.httpStatusCode, 200);
  assert.equal(progress.progress_percentage, 100);
  assert.equal(progress.remain_time, 0);
  assert.deepEqual(progress.step_list.map((step) => [step.name, step.statue]),
    [['pre_check', 'COMPLETED'], [history.tasks[0].name, 'COMPLETED']]);
  assert.equal(typeof progress.step_list[1].end_time, 'number');
});
