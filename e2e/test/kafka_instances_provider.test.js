'use strict';
// The Terraform providers' Kafka instance resources and data sources, replayed
// call by call as the providers make them and signed as their Go SDKs sign:
//   huaweicloud v1.97.1+21 (a0345b8d; lib/huaweicloud_provider_replay.js, golangsdk signer):
//     data "huaweicloud_dms_kafka_flavors", resource "huaweicloud_dms_kafka_instance"
//     (create with availability_zones codes, poll, cross-VPC wait, read twice with no
//     diff, import, update + resize, delete with the DELETED poll), data
//     "huaweicloud_dms_kafka_instances";
//   opentelekomcloud v1.36.23+3 (88f1cf1e; lib/opentelekomcloud_provider_replay.js,
//     gophertelekomcloud scoped signer): data "opentelekomcloud_dms_flavor_v2", resource
//     "opentelekomcloud_dms_dedicated_instance_v2".
// Each "read" asserts the members the provider's Read decodes (typed as its Go
// struct: lib/go_types.js) and the state it writes; "no diff" compares states.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafka, kafkaClient, DEMO, OTHER } = require('../lib/client');
const { Clock, ProviderHttpError, stateDiff, waitForState } = require('../lib/terraform_provider_replay');
const { HuaweicloudProvider, INSTANCE_READ_MEMBERS } = require('../lib/huaweicloud_provider_replay');
const { OpentelekomcloudProvider } = require('../lib/opentelekomcloud_provider_replay');

let server;
before(async () => {
  // Each create and delete finishes on the second read of its instance, so the
  // providers' pending states are observed.
  server = await startServer({ jobSeconds: ['0', 'kafka.create_instance=reads:2',
    'kafka.delete_instance=reads:2'] });
});
after(async () => { await server.stop(); server.cleanup(); });

const clock = new Clock({ timeScale: 0.002, timeoutMs: 20000 });
const huaweicloud = (who = DEMO) => new HuaweicloudProvider({ endpoint: server.endpoint, ak: who.ak, sk: who.sk,
  projectId: who.project, region: 'eu-de', clock });
const opentelekomcloud = (who = DEMO) => new OpentelekomcloudProvider({ endpoint: server.endpoint, ak: who.ak,
  sk: who.sk, projectId: who.project, region: 'eu-de', clock });
const shape = (lines) => lines.map((line) => line.replace(/ \(x\d+\)$/, ''));

const VPC = '11111111-2222-3333-4444-555555555555';
const SUBNET = '21111111-2222-3333-4444-555555555555';
const SECGROUP = '31111111-2222-3333-4444-555555555555';
const CODES = ['eu-de-01', 'eu-de-02', 'eu-de-03'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
// Read members an instance without public access, pod access or disk encryption may leave out:
// the provider stores Go's zero value "" for each, as it would for the real API's answer.
const MAY_BE_ABSENT = ['public_connect_address', 'pod_connect_address', 'disk_encrypted_key'];

async function expectProviderError(promise, status, code) {
  await assert.rejects(promise, (err) => {
    assert.ok(err instanceof ProviderHttpError, String(err));
    assert.equal(err.status, status, err.message);
    if (code) assert.equal(err.errorCode, code, err.message);
    return true;
  });
}

test('huaweicloud_dms_kafka_flavors: the documented filter finds the flavor in every AZ', async () => {
  const hw = huaweicloud();
  const data = await hw.kafkaFlavorsDataSource({ flavor_id: 'c6.2u4g.cluster', type: 'cluster',
    charging_mode: 'postPaid', storage_spec_code: 'dms.physical.storage.ultra.v2', availability_zones: CODES });
  assert.deepEqual(hw.client.callsSince(0), ['GET /v2/kafka/products?product_id=c6.2u4g.cluster']);
  assert.ok(data.versions.includes('2.7'));
  assert.equal(data.flavors.length, 1);
  const [flavor] = data.flavors;
  assert.equal(flavor.id, 'c6.2u4g.cluster');
  assert.equal(flavor.type, 'cluster');
  assert.ok(flavor.charging_modes.includes('postPaid'));
  assert.ok(flavor.arch_types.length > 0);
  assert.equal(typeof flavor.vm_specification, 'string');
  assert.deepEqual(flavor.ios.map((io) => io.storage_spec_code), ['dms.physical.storage.ultra.v2']);
  for (const code of CODES) assert.ok(flavor.ios[0].availability_zones.includes(code), code);
  assert.equal(flavor.properties[0].min_broker, 3);
  assert.equal(flavor.properties[0].max_partition_per_broker, 250);
  assert.ok(flavor.properties[0].max_broker >= 3);
  assert.ok(flavor.properties[0].max_storage_per_node > 0);
  assert.equal(flavor.support_features[0].name, 'connector_obs');
  // No filter: every flavor answers, each with at least one IO.
  const all = await hw.kafkaFlavorsDataSource();
  assert.ok(all.flavors.length >= 3);
  assert.ok(all.flavors.every((entry) => entry.ios.length > 0));
});

test('huaweicloud_dms_kafka_instance: create, read twice, import, update, delete', async () => {
  const hw = huaweicloud();
  const config = {
    name: 'kafka_test', engine_version: '2.7', flavor_id: 'c6.2u4g.cluster', storage_space: 600, broker_num: 3,
    storage_spec_code: 'dms.physical.storage.ultra.v2', vpc_id: VPC, network_id: SUBNET,
    security_group_id: SECGROUP, availability_zones: CODES, access_user: 'user', password: 'Secret#1234',
    ssl_enable: true, tags: { owner: 'e2e' },
  };
  const created = await hw.createKafkaInstance(config);
  const { state } = created;
  const id = created.instance.instance_id;
  const ids = { project_id: DEMO.project, id };
  // createKafkaInstanceWithFlavor -> waitForInstanceStatusComplete -> cross-VPC wait -> Read.
  assert.deepEqual(shape(hw.client.callsSince(0, ids)), [
    'GET /v2/available-zones',
    'POST /v2/{project_id}/kafka/instances',
    'GET /v2/{project_id}/instances/{id}',
    'GET /v2/available-zones',
    'GET /v2/{project_id}/instances/{id}/manage/cluster',
    'GET /v2/{project_id}/kafka/{id}/tags',
    'GET /v2/{project_id}/instances/{id}/configs',
  ]);
  // The status poll saw CREATING before RUNNING: two status reads, a cross-VPC read, the Read.
  assert.match(hw.client.callsSince(0, ids)[2], /\(x([4-9]|\d\d+)\)$/);
  const createBody = hw.client.calls[1].body;
  assert.deepEqual(createBody.bss_param, { charging_mode: '' });
  assert.equal(createBody.available_zones.length, 3);
  assert.equal(createBody.password, 'Secret#1234');
  assert.deepEqual(createBody.tags, [{ key: 'owner', value: 'e2e' }]);

  // Every member the Read reads is in the answer (or is one of the unused features'), typed as
  // instances.Instance declares it (decodeGo), and every attribute the Read sets from them:
  for (const member of created.absent) assert.ok(MAY_BE_ABSENT.includes(member), member);
  assert.equal(state.cluster_warning, undefined);
  assert.equal(state.tags_warning, undefined);
  assert.equal(state.parameters_warning, undefined);
  assert.equal(state.region, 'eu-de');
  assert.equal(state.flavor_id, 'c6.2u4g.cluster');
  assert.equal(state.product_id, undefined);
  assert.equal(state.name, 'kafka_test');
  assert.equal(state.engine, 'kafka');
  assert.equal(state.engine_version, '2.7');
  assert.equal(state.storage_space, 600);
  assert.equal(state.broker_num, 3);
  assert.equal(state.storage_spec_code, 'dms.physical.storage.ultra.v2');
  assert.deepEqual([state.vpc_id, state.network_id, state.security_group_id], [VPC, SUBNET, SECGROUP]);
  assert.deepEqual(state.availability_zones, CODES);
  assert.deepEqual(state.available_zones, createBody.available_zones);
  assert.equal(state.access_user, 'user');
  assert.equal(state.ssl_enable, true);
  assert.equal(state.charging_mode, 'postPaid');
  assert.equal(state.enterprise_project_id, '0');
  assert.equal(state.partition_num, 750);
  assert.equal(state.status, 'RUNNING');
  assert.equal(state.user_name, 'demo');
  assert.match(state.created_at, ISO);
  assert.ok(state.connect_address.split(',').length === 3, state.connect_address);
  assert.ok(state.port > 0);
  assert.ok(state.bandwidth, 'specification');
  assert.ok(state.resource_spec_code);
  assert.ok(state.maintain_begin && state.maintain_end);
  assert.equal(state.port_protocols[0].private_sasl_ssl_enable, true);
  assert.equal(state.port_protocols[0].private_plain_enable, false);
  assert.deepEqual(state.port_protocol, state.port_protocols);
  assert.equal(state.cross_vpc_accesses.length, 3);
  for (const access of state.cross_vpc_accesses) {
    assert.equal(access.listener_ip, access.advertised_ip);
    assert.ok(access.port > 0 && access.port_id, JSON.stringify(access));
  }
  assert.equal(state.cluster[0].brokers.length, 3);
  for (const broker of state.cluster[0].brokers) {
    assert.equal(broker.health, true);
    assert.ok(broker.host && broker.port > 0 && broker.broker_id !== undefined);
  }
  assert.deepEqual(state.tags, { owner: 'e2e' });
  assert.equal(created.instance.kafka_security_protocol, 'SASL_SSL');
  assert.deepEqual(created.instance.sasl_enabled_mechanisms, ['PLAIN']);

  // Refresh twice: no diff. Import (passthrough id, no configuration): the same state.
  const refreshed = await hw.readKafkaInstance(id, config);
  assert.deepEqual(stateDiff(state, refreshed.state), []);
  assert.deepEqual(stateDiff(state, (await hw.readKafkaInstance(id, config)).state), []);
  assert.deepEqual(stateDiff(state, (await hw.readKafkaInstance(id)).state), []);

  // data "huaweicloud_dms_kafka_instances" by name: the same instance.
  const mark = hw.client.calls.length;
  const listed = await hw.kafkaInstancesDataSource({ name: 'kafka_test' });
  assert.deepEqual(hw.client.callsSince(mark, ids), [
    'GET /v2/{project_id}/instances?limit=50&engine=kafka&name=kafka_test&exact_match_name=true&offset=0',
    'GET /v2/available-zones']);
  assert.equal(listed.length, 1);
  assert.equal(listed[0].id, id);
  assert.deepEqual(listed[0].availability_zones, CODES);
  assert.equal(listed[0].partition_num, 750);
  assert.deepEqual(listed[0].cross_vpc_accesses, state.cross_vpc_accesses);

  // Another project's credential: 404, the resource would leave that state.
  assert.equal(await huaweicloud(OTHER).readKafkaInstance(id), null);

  // Update: name/description/retention_policy (PUT, description always sent), broker_num 3 -> 4.
  const updateMark = hw.client.calls.length;
  const updated = await hw.updateKafkaInstance(id, state, { name: 'kafka_test_2', description: '',
    retention_policy: 'time_base', broker_num: 4, tags: { owner: 'e2e', env: 'test' } });
  const updateTrail = hw.client.callsSince(updateMark, ids);
  assert.deepEqual([...updateTrail.slice(0, 2), ...shape([updateTrail[2]]), ...updateTrail.slice(3, 5)], [
    'PUT /v2/{project_id}/instances/{id}',
    'POST /v2/{project_id}/kafka/instances/{id}/extend',
    'GET /v2/{project_id}/instances/{id}',  // the resize and broker cross-VPC polls
    'POST /v2/{project_id}/kafka/{id}/tags/action (x2)',  // delete the old tags, create the new
    'GET /v2/{project_id}/instances/{id}']);
  const tagCalls = hw.client.calls.filter((call) => call.target.endsWith('/tags/action'));
  assert.deepEqual(tagCalls.map((call) => call.body), [
    { action: 'delete', tags: [{ key: 'owner', value: 'e2e' }] },
    { action: 'create', tags: [{ key: 'env', value: 'test' }, { key: 'owner', value: 'e2e' }] }]);
  assert.deepEqual(updated.state.tags, { env: 'test', owner: 'e2e' });
  assert.deepEqual(hw.client.calls[updateMark].body,
    { description: '', name: 'kafka_test_2', retention_policy: 'time_base', security_group_id: SECGROUP,
      maintain_begin: state.maintain_begin, maintain_end: state.maintain_end,
      enterprise_project_id: '0' });  // the state's value (Read stores the answer's "0")
  assert.deepEqual(hw.client.calls[updateMark + 1].body, { new_broker_num: 4, oper_type: 'horizontal' });
  assert.equal(updated.state.name, 'kafka_test_2');
  assert.equal(updated.state.retention_policy, 'time_base');
  assert.equal(updated.state.broker_num, 4);
  assert.equal(updated.state.storage_space, 800);
  assert.equal(updated.state.cross_vpc_accesses.length, 4);
  assert.equal(updated.state.port_protocols[0].private_sasl_ssl_enable, true);
  assert.deepEqual(stateDiff(updated.state, (await hw.readKafkaInstance(id)).state), []);

  // Delete: DELETE 204, then DELETING ... until 404 (DELETED); a refresh drops it.
  const deleteMark = hw.client.calls.length;
  await hw.deleteKafkaInstance(id);
  const trail = hw.client.callsSince(deleteMark, ids);
  assert.equal(trail[0], 'DELETE /v2/{project_id}/instances/{id}');
  assert.deepEqual(shape(trail.slice(1)), ['GET /v2/{project_id}/instances/{id}']);
  assert.match(trail[1], /\(x\d+\)$/, 'DELETING was seen before the 404');
  assert.equal(await hw.readKafkaInstance(id), null);
});

test('huaweicloud_dms_kafka_instances: every seeded instance maps its AZ ids to codes', async () => {
  const hw = huaweicloud();
  const listed = await hw.kafkaInstancesDataSource();
  assert.ok(listed.length >= 2);
  for (const instance of listed) {
    const absent = INSTANCE_READ_MEMBERS.filter((member) => instance.raw[member] === undefined);
    for (const member of absent) assert.ok(MAY_BE_ABSENT.includes(member), `${instance.name}: ${member}`);
    assert.ok(instance.availability_zones.length > 0, instance.name);
    assert.equal(instance.availability_zones.length, instance.raw.available_zones.length);
    assert.ok(instance.cross_vpc_accesses.length > 0, instance.name);
    assert.equal(instance.charging_mode, 'postPaid');
    assert.ok(instance.port_protocol[0], instance.name);
  }
  const demo = listed.find((entry) => entry.id === DEMO.instance);
  assert.deepEqual(demo.availability_zones, ['eu-de-01']);
  // fuzzy_match = true sends exact_match_name=false.
  const fuzzy = await hw.kafkaInstancesDataSource({ name: 'demo', fuzzy_match: true });
  assert.ok(fuzzy.some((entry) => entry.id === DEMO.instance));
  const lists = hw.client.calls.filter((call) => call.target.startsWith(`/v2/${DEMO.project}/instances?`));
  assert.equal(lists[lists.length - 1].target,
    `/v2/${DEMO.project}/instances?limit=50&engine=kafka&name=demo&exact_match_name=false&offset=0`);
});

test('opentelekomcloud_dms_flavor_v2 and _dedicated_instance_v2: create, read twice, import, update, delete', async () => {
  const otc = opentelekomcloud();
  const flavors = await otc.flavorsDataSource({ type: 'cluster', availability_zones: ['eu-de-02'] });
  const flavor = flavors.flavors.find((entry) => entry.id === 'c6.4u8g.cluster');
  assert.ok(flavor, JSON.stringify(flavors));
  assert.ok(flavor.properties[0].max_broker > 0 && flavor.support_features.length > 0);
  assert.ok(flavor.ios.every((io) => io.availability_zones.includes('eu-de-02')));
  assert.ok(flavors.versions.includes('2.7'));
  const zoneId = (await huaweicloud().zoneIdsByCode(['eu-de-02']))[0];

  const config = { name: 'otc-kafka', engine_version: '2.7', broker_num: 3, storage_space: 1200, vpc_id: VPC,
    security_group_id: SECGROUP, network_id: SUBNET, available_zones: [zoneId], flavor_id: flavor.id,
    storage_spec_code: flavor.ios[0].storage_spec_code, tags: { owner: 'e2e' } };
  const state = await otc.createDedicatedInstance(config);
  const ids = { project_id: DEMO.project, id: state.id };
  assert.deepEqual(shape(otc.client.callsSince(0, ids)), [
    'GET /v2/kafka/products',
    'POST /v2/kafka/{project_id}/instances',
    'GET /v2/{project_id}/instances/{id}',
    'GET /v2/{project_id}/kafka/{id}/tags']);
  // ssl_enable is a *bool: false is sent.
  assert.equal(otc.client.calls[1].body.ssl_enable, false);
  assert.equal(state.tags_warning, undefined);
  assert.deepEqual(state.tags, { owner: 'e2e' });
  for (const member of otc.lastReadAbsent) assert.ok(MAY_BE_ABSENT.includes(member), member);
  assert.equal(state.name, 'otc-kafka');
  assert.equal(state.flavor_id, 'c6.4u8g.cluster');
  assert.equal(state.engine, 'kafka');
  assert.equal(state.status, 'RUNNING');
  assert.deepEqual(state.available_zones, [zoneId]);
  assert.equal(state.partition_num, 1500);
  assert.equal(state.storage_space, 1200);
  assert.equal(state.broker_num, 3);
  assert.equal(state.ssl_enable, false);
  assert.equal(state.storage_spec_code, flavor.ios[0].storage_spec_code);
  assert.equal(state.cross_vpc_listeners.length, 3);
  assert.match(state.maintain_begin, /^\d{2}:\d{2}$/);
  assert.match(state.created_at, /^\d+$/);
  assert.ok(state.connect_address && state.port > 0 && state.user_name && state.bandwidth);

  assert.deepEqual(stateDiff(state, await otc.readDedicatedInstance(state.id)), []);
  assert.deepEqual(stateDiff(state, await otc.readDedicatedInstance(state.id)), []);  // import: passthrough

  const updated = await otc.updateDedicatedInstance(state.id, state, { name: 'otc-kafka-2', description: 'by otc' });
  assert.equal(updated.name, 'otc-kafka-2');
  assert.equal(updated.description, 'by otc');
  assert.deepEqual(stateDiff(updated, await otc.readDedicatedInstance(state.id)), []);

  await otc.deleteDedicatedInstance(state.id);
  assert.equal(await otc.readDedicatedInstance(state.id), null);
});

test('create refuses AZs outside the region and flavors outside the catalog, writing nothing', async () => {
  const hw = huaweicloud();
  const base = {
    name: 'refused-kafka', engine: 'kafka', engine_version: '2.7', broker_num: 3,
    storage_space: 600, vpc_id: VPC, security_group_id: SECGROUP, subnet_id: SUBNET,
    available_zones: ['eu-de-01'], product_id: 'c6.2u4g.cluster',
    storage_spec_code: 'dms.physical.storage.high.v2', bss_param: { charging_mode: '' },
  };
  for (const [change, code] of [
    [{ available_zones: ['cn-north-4a'] }, 'DMS.00400062'],
    [{ available_zones: ['eu-de-01', 'eu-de-02'] }, 'DMS.00400062'],
    [{ product_id: '00300-30399-0--0' }, 'DMS.00400009'],
    [{ broker_num: 31 }, 'DMS.00400062'],
  ]) {
    await expectProviderError(hw.client.request('POST', `/v2/${DEMO.project}/kafka/instances`,
      { body: { ...base, ...change }, okCodes: [200] }), 400, code);
  }
  assert.deepEqual(await hw.kafkaInstancesDataSource({ name: 'refused-kafka' }), []);
});

test('the Node SDK reads zones and flavors and updates an instance', async () => {
  const client = kafkaClient(server.endpoint);
  const zones = await client.listAvailableZones(new kafka.ListAvailableZonesRequest());
  assert.equal(zones.httpStatusCode, 200);
  assert.equal(zones.region_id, 'eu-de');
  assert.deepEqual(zones.available_zones.map((zone) => zone.code), CODES);
  assert.equal(zones.available_zones[0].soldOut, false);

  const products = await client.listEngineProducts(new kafka.ListEngineProductsRequest()
    .withEngine('kafka').withProductId('c6.8u16g.cluster'));
  assert.equal(products.products.length, 1);
  assert.equal(products.products[0].properties.max_tps_per_broker, '150000');

  const updated = await client.updateInstance(new kafka.UpdateInstanceRequest()
    .withInstanceId(DEMO.instance2)
    .withBody(new kafka.UpdateInstanceReq().withDescription('updated by the SDK')
      .withRetentionPolicy('time_base').withMaintainBegin('22:00:00').withMaintainEnd('02:00:00')));
  assert.equal(updated.httpStatusCode, 204);
  const shown = await huaweicloud().getInstance(DEMO.instance2);
  assert.equal(shown.description, 'updated by the SDK');
  assert.equal(shown.retention_policy, 'time_base');
  assert.equal(shown.maintain_begin, '22:00:00');
});

test('cross-VPC advertised addresses and a batch restart, as the providers send them', async () => {
  const hw = huaweicloud();
  // UpdateCrossVpcAccess (both providers): every listener, changed or not.
  const before = (await hw.readKafkaInstance(DEMO.instance)).state.cross_vpc_accesses;
  const contents = Object.fromEntries(before.map((access) => [access.listener_ip, access.listener_ip]));
  contents[before[0].listener_ip] = 'kafka-0.example.com';
  const modified = await hw.client.request('POST', `/v2/${DEMO.project}/instances/${DEMO.instance}/crossvpc/modify`,
    { body: { advertised_ip_contents: contents } });
  assert.equal(modified.success, true);
  assert.equal(modified.results.length, before.length);
  assert.ok(modified.results.every((result) => result.success));
  const afterState = (await hw.readKafkaInstance(DEMO.instance)).state.cross_vpc_accesses;
  assert.equal(afterState[0].advertised_ip, 'kafka-0.example.com');
  assert.equal(afterState[0].port_id, before[0].port_id);

  // huaweicloud_dms_kafka_instance_batch_action / restart after a static parameter.
  const restarted = await hw.client.request('POST', `/v2/${DEMO.project}/instances/action`,
    { body: { action: 'restart', instances: [DEMO.instance, OTHER.instance] } });
  assert.deepEqual(restarted.results, [
    { result: 'success', instance: DEMO.instance },
    { result: 'failed', instance: OTHER.instance },
  ]);
  await waitForState(clock, { what: 'restart', pending: ['RESTARTING'], target: ['RUNNING'], delay: 1,
    pollInterval: 5, refresh: hw.instanceState(DEMO.instance) });
});
