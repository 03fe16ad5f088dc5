'use strict';
// Instance tags, Kafka parameters, the cluster views and topics with the
// unmodified Node SDK (its own signer): the instance read's side calls (tags,
// configs, manage/cluster), then a topic lifecycle (create, read twice,
// update, delete). The huaweicloud provider's own sequences, signed by its Go
// signer, are replayed in kafka_topic_provider.test.js and
// kafka_instances_provider.test.js.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafka, kafkaClient, expectSdkError, waitForTask, DEMO, OTHER } = require('../lib/client');

let server;
let client;
before(async () => {
  server = await startServer({ jobSeconds: ['0'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

// The provider's GetTopicByName: list with limit 200, then find the name.
async function findTopic(name) {
  const listed = await client.listInstanceTopics(new kafka.ListInstanceTopicsRequest()
    .withInstanceId(DEMO.instance).withOffset('0').withLimit('200'));
  return (listed.topics || []).find((topic) => topic.name === name);
}

test('the instance read: tags, configs and the cluster', async () => {
  const tagged = await client.batchCreateOrDeleteKafkaTag(new kafka.BatchCreateOrDeleteKafkaTagRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.BatchCreateOrDeleteTagReq().withAction('create')
      .withTags([new kafka.TagEntity().withKey('env').withValue('e2e')])));
  assert.equal(tagged.httpStatusCode, 204);
  const tags = await client.showKafkaTags(new kafka.ShowKafkaTagsRequest().withInstanceId(DEMO.instance));
  assert.deepEqual(tags.tags, [{ key: 'env', value: 'e2e' }]);

  const configs = await client.showInstanceConfigs(new kafka.ShowInstanceConfigsRequest()
    .withInstanceId(DEMO.instance));
  const retention = configs.kafka_configs.find((config) => config.name === 'log.retention.hours');
  assert.deepEqual(retention, { name: 'log.retention.hours', valid_values: '1~168', default_value: '72',
    config_type: 'static', value: '72', value_type: 'integer' });
  const modified = await client.modifyInstanceConfigs(new kafka.ModifyInstanceConfigsRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.ModifyInstanceConfigsReq().withKafkaConfigs([
      new kafka.ModifyInstanceConfig().withName('log.retention.hours').withValue('66')])));
  assert.equal(modified.static_config, 1);
  assert.equal(modified.dynamic_config, 0);
  assert.equal((await waitForTask(client, DEMO.instance, modified.job_id)).status, 'SUCCESS');
  const after = await client.showInstanceConfigs(new kafka.ShowInstanceConfigsRequest()
    .withInstanceId(DEMO.instance));
  assert.equal(after.kafka_configs.find((config) => config.name === 'log.retention.hours').value, '66');

  const cluster = await client.showKafkaCluster(new kafka.ShowKafkaClusterRequest()
    .withInstanceId(DEMO.instance));
  assert.ok(cluster.cluster.brokers.length >= 1);
  for (const broker of cluster.cluster.brokers) {
    assert.equal(broker.health, true);
    assert.ok(broker.host);
    assert.ok(broker.port > 0);
    assert.ok(broker.broker_id !== undefined);
  }
});

test('a topic through the SDK: create, read twice, update, delete', async () => {
  const created = await client.createInstanceTopic(new kafka.CreateInstanceTopicRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.CreateInstanceTopicReq().withId('e2e-orders')
      .withPartition(3).withReplication(1).withRetentionTime(48).withSyncReplication(false)
      .withSyncMessageFlush(false).withTopicDesc('from e2e')));
  assert.equal(created.name, 'e2e-orders');
  for (let read = 0; read < 2; read += 1) {
    const topic = await findTopic('e2e-orders');
    assert.ok(topic, 'the created topic is listed');
    assert.equal(topic.partition, 3);
    assert.equal(topic.replication, 1);
    assert.equal(topic.retention_time, 48);
    assert.equal(topic.topic_desc, 'from e2e');
    assert.equal(typeof topic.created_at, 'number');
  }
  const updated = await client.updateInstanceTopic(new kafka.UpdateInstanceTopicRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.UpdateInstanceTopicReq().withTopics([
      new kafka.UpdateInstanceTopicReqTopics().withId('e2e-orders').withNewPartitionNumbers(6)
        .withRetentionTime(72)])));
  assert.equal(updated.httpStatusCode, 204);
  const topic = await findTopic('e2e-orders');
  assert.equal(topic.partition, 6);
  assert.equal(topic.retention_time, 72);

  const deleted = await client.batchDeleteInstanceTopic(new kafka.BatchDeleteInstanceTopicRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.BatchDeleteInstanceTopicReq()
      .withTopics(['e2e-orders'])));
  assert.deepEqual(deleted.topics, [{ id: 'e2e-orders', success: true }]);
  assert.equal(await findTopic('e2e-orders'), undefined);
});

test('bad input and other projects\' instances', async () => {
  await expectSdkError(client.createInstanceTopic(new kafka.CreateInstanceTopicRequest()
    .withInstanceId(DEMO.instance).withBody(new kafka.CreateInstanceTopicReq().withId('e2e-bad')
      .withPartition(201))), { status: 400, code: 'DMS.00400102' });
  await expectSdkError(client.showKafkaTags(new kafka.ShowKafkaTagsRequest()
    .withInstanceId(OTHER.instance)), { status: 404, code: 'DMS.00404022' });
  await expectSdkError(client.listInstanceTopics(new kafka.ListInstanceTopicsRequest()
    .withInstanceId(OTHER.instance)), { status: 404, code: 'DMS.00404022' });
});
