'use strict';
// huaweicloud_dms_kafka_topic of terraform-provider-huaweicloud v1.97.1+21
// (a0345b8d, huaweicloud/services/kafka/resource_huaweicloud_dms_kafka_topic.go),
// replayed call by call and signed by the golangsdk signer
// (lib/huaweicloud_connect_replay.js): create (POST, then the PENDING -> SUCCESS
// poll over the topic list), read twice with no diff, import
// ("<instance_id>/<name>"), update of each updatable argument, delete (POST
// topics/delete, success per topic), and the refresh that drops it.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { DEMO, OTHER } = require('../lib/client');
const { Clock, ProviderHttpError, stateDiff } = require('../lib/terraform_provider_replay');
const { HuaweicloudProvider } = require('../lib/huaweicloud_provider_replay');
const { HuaweicloudConnect } = require('../lib/huaweicloud_connect_replay');

let server;
before(async () => { server = await startServer({ jobSeconds: ['0'] }); });
after(async () => { await server.stop(); server.cleanup(); });

const clock = new Clock({ timeScale: 0.002, timeoutMs: 20000 });
const huaweicloud = (who = DEMO) => new HuaweicloudConnect(new HuaweicloudProvider({ endpoint: server.endpoint,
  ak: who.ak, sk: who.sk, projectId: who.project, region: 'eu-de', clock }));
const withoutRaw = ({ raw, ...state }) => state;  // eslint-disable-line no-unused-vars

test('huaweicloud_dms_kafka_topic: create, read twice, import, update, delete', async () => {
  const hw = huaweicloud();
  const config = { instance_id: DEMO.instance, name: 'e2e-orders', partitions: 3, replicas: 1, aging_time: 48,
    sync_replication: false, sync_flushing: false, description: 'from e2e' };
  const topic = await hw.createTopic(config);
  const ids = { project_id: DEMO.project, instance_id: DEMO.instance };
  assert.deepEqual(hw.client.callsSince(0, ids), [
    'POST /v2/{project_id}/instances/{instance_id}/topics',
    'GET /v2/{project_id}/instances/{instance_id}/topics?limit=200&offset=0 (x2)']);
  // buildCreateTopicBodyParams: the two booleans always, zero numbers and "" left out.
  assert.deepEqual(hw.client.calls[0].body, { id: 'e2e-orders', partition: 3, replication: 1, retention_time: 48,
    sync_message_flush: false, sync_replication: false, topic_desc: 'from e2e' });
  // resourceTopicRead's state, from the members it reads.
  assert.deepEqual(withoutRaw(topic), { id: 'e2e-orders', instance_id: DEMO.instance, region: 'eu-de',
    name: 'e2e-orders', partitions: 3, replicas: 1, aging_time: 48, sync_replication: false, sync_flushing: false,
    configs: topic.configs, description: 'from e2e', policies_only: topic.policies_only, type: 'common topic',
    created_at: topic.created_at });
  assert.deepEqual(topic.absent, []);  // every member resourceTopicRead reads is in the answer
  assert.equal(typeof topic.raw.created_at, 'number');
  assert.match(topic.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  assert.equal(typeof topic.raw.policiesOnly, 'boolean');
  assert.equal(topic.raw.topic_type, 0);
  assert.ok(Array.isArray(topic.raw.topic_other_configs), JSON.stringify(topic.raw));

  assert.deepEqual(stateDiff(topic, await hw.readTopic('e2e-orders', DEMO.instance)), []);
  assert.deepEqual(stateDiff(topic, await hw.readTopic('e2e-orders', DEMO.instance)), []);
  assert.deepEqual(stateDiff(topic, await hw.importTopic(`${DEMO.instance}/e2e-orders`)), []);

  // Update: PUT topics with the id and each changed argument.
  const mark = hw.client.calls.length;
  const updated = await hw.updateTopic(topic, { partitions: 6, aging_time: 72, description: 'grown' });
  assert.deepEqual(hw.client.calls[mark].body,
    { topics: [{ id: 'e2e-orders', new_partition_numbers: 6, retention_time: 72, topic_desc: 'grown' }] });
  assert.equal(updated.partitions, 6);
  assert.equal(updated.aging_time, 72);
  assert.equal(updated.description, 'grown');
  assert.deepEqual(stateDiff(updated, await hw.readTopic('e2e-orders', DEMO.instance)), []);
  const flags = await hw.updateTopic(updated, { sync_replication: true, sync_flushing: true });
  assert.equal(flags.sync_replication, true);
  assert.equal(flags.sync_flushing, true);

  // Another project cannot list this instance's topics.
  await assert.rejects(huaweicloud(OTHER).readTopic('e2e-orders', DEMO.instance),
    (err) => err instanceof ProviderHttpError && err.status === 404 && err.errorCode === 'DMS.00404022');

  await hw.deleteTopic(DEMO.instance, 'e2e-orders');
  assert.equal(await hw.readTopic('e2e-orders', DEMO.instance), null);
});

test('bad topic arguments get the DMS error and create nothing', async () => {
  const hw = huaweicloud();
  await assert.rejects(hw.createTopic({ instance_id: DEMO.instance, name: 'e2e-bad', partitions: 201 }),
    (err) => err instanceof ProviderHttpError && err.status === 400 && err.errorCode === 'DMS.00400102');
  assert.equal(await hw.readTopic('e2e-bad', DEMO.instance), null);
});
