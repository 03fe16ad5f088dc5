'use strict';
// The Terraform providers' Kafka instance flows, replayed request by request
// with the paths and bodies their sources build:
//   huaweicloud: data "huaweicloud_dms_kafka_flavors" (GET /v2/{engine}/products),
//     resource "huaweicloud_dms_kafka_instance" create with availability_zones codes
//     (GET /v2/available-zones, POST /v2/{p}/kafka/instances with golangsdk CreateOps,
//     poll until RUNNING, wait for cross_vpc_info), Read (ShowInstance + AZ ids -> codes),
//     delete (DELETE, poll until 404); data "huaweicloud_dms_kafka_instances".
//   opentelekomcloud: data "opentelekomcloud_dms_flavor_v2", resource
//     "opentelekomcloud_dms_dedicated_instance_v2" (POST /v2/kafka/{p}/instances).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer, waitFor } = require('../lib/server');
const { signedRequest } = require('../lib/raw_signer');
const { kafka, kafkaClient, DEMO, OTHER } = require('../lib/client');

let server;
before(async () => {
  // Each create and delete finishes on the second read of its instance, so the
  // providers' pending states are observed.
  server = await startServer({ jobSeconds: ['0', 'kafka.create_instance=reads:2',
    'kafka.delete_instance=reads:2'] });
});
after(async () => { await server.stop(); server.cleanup(); });

function call(method, target, body = '', who = DEMO) {
  return signedRequest(server.endpoint, { method, target, body,
    ak: who.ak, sk: who.sk, project: who.project });
}

const VPC = '11111111-2222-3333-4444-555555555555';
const SUBNET = '21111111-2222-3333-4444-555555555555';
const SECGROUP = '31111111-2222-3333-4444-555555555555';
const CODES = ['eu-de-01', 'eu-de-02', 'eu-de-03'];

// GetAvailableZoneIDByCode / GetAvailableZoneCodeByID: unknown entries are
// dropped, as the provider does.
async function zoneMap() {
  const answer = await call('GET', '/v2/available-zones');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  const byCode = new Map(answer.body.available_zones.map((zone) => [zone.code, zone.id]));
  const byId = new Map(answer.body.available_zones.map((zone) => [zone.id, zone.code]));
  return { byCode, byId, region: answer.body.region_id };
}

async function showInstance(id) {
  return call('GET', `/v2/${DEMO.project}/instances/${id}`);
}

async function waitForStatus(id, pending, target) {
  return waitFor(async () => {
    const answer = await showInstance(id);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    if (answer.body.status === target) return answer.body;
    assert.ok(pending.includes(answer.body.status), `unexpected status ${answer.body.status}`);
    return null;
  }, { what: `instance ${id} ${target}` });
}

async function waitForDeleted(id) {
  return waitFor(async () => {
    const answer = await showInstance(id);
    if (answer.status === 404) return answer;
    assert.equal(answer.status, 200);
    assert.equal(answer.body.status, 'DELETING');
    return null;
  }, { what: `instance ${id} gone` });
}

test('huaweicloud_dms_kafka_flavors: the documented filter finds the flavor in every AZ', async () => {
  const answer = await call('GET', '/v2/kafka/products?product_id=c6.2u4g.cluster');
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.engine, 'kafka');
  assert.ok(answer.body.versions.includes('2.7'));
  assert.equal(answer.body.products.length, 1);
  const flavor = answer.body.products[0];
  assert.equal(flavor.type, 'cluster');
  assert.ok(flavor.charging_mode.includes('hourly'));
  // filterFlavors: io.available_zones must contain every requested code.
  const io = flavor.ios.find((entry) => entry.io_spec === 'dms.physical.storage.ultra.v2');
  for (const code of CODES) assert.ok(io.available_zones.includes(code), code);
  assert.equal(flavor.properties.min_broker, '3');
  assert.equal(flavor.properties.max_partition_per_broker, '250');
  assert.equal(flavor.support_features[0].name, 'connector_obs');
});

test('huaweicloud_dms_kafka_instance: create with AZ codes, poll, read twice, delete', async () => {
  const zones = await zoneMap();
  assert.equal(zones.region, 'eu-de');
  const zoneIds = CODES.map((code) => zones.byCode.get(code)).filter(Boolean);
  assert.equal(zoneIds.length, 3);
  for (const id of zoneIds) assert.match(id, /^[0-9a-f]{32}$/);

  // createKafkaInstanceWithFlavor: golangsdk CreateOps (omitempty members left
  // out), bss_param always present with an empty charging_mode.
  const body = JSON.stringify({
    name: 'kafka_test', engine: 'kafka', engine_version: '2.7', storage_space: 600,
    broker_num: 3, access_user: 'user', password: 'Secret#1234', vpc_id: VPC,
    security_group_id: SECGROUP, subnet_id: SUBNET, available_zones: zoneIds,
    product_id: 'c6.2u4g.cluster', ssl_enable: true,
    storage_spec_code: 'dms.physical.storage.ultra.v2', bss_param: { charging_mode: '' },
  });
  const created = await call('POST', `/v2/${DEMO.project}/kafka/instances`, body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.instance_id;

  // waitForInstanceStatusComplete: CREATING -> RUNNING.
  const first = await showInstance(id);
  assert.equal(first.body.status, 'CREATING');
  await waitForStatus(id, ['CREATING'], 'RUNNING');
  // kafkaInstanceCrossVpcInfoRefreshFunc: BOUND once cross_vpc_info is set.
  const bound = await waitFor(async () => {
    const answer = await showInstance(id);
    return answer.body.cross_vpc_info ? answer.body : null;
  }, { what: 'cross_vpc_info' });
  const listeners = JSON.parse(bound.cross_vpc_info);
  assert.deepEqual(Object.keys(listeners).sort(), bound.connect_address.split(',').sort());

  // resourceDmsKafkaInstanceRead, twice: same answers, AZ ids map back to codes.
  const reads = [];
  for (let round = 0; round < 2; round += 1) {
    const shown = await showInstance(id);
    assert.equal(shown.status, 200);
    const codes = shown.body.available_zones.map((zoneId) => zones.byId.get(zoneId));
    assert.deepEqual(codes, CODES);
    reads.push(shown.body);
  }
  assert.deepEqual(reads[0], reads[1]);
  const instance = reads[0];
  assert.equal(instance.status, 'RUNNING');
  assert.equal(instance.charging_mode, 1, 'postPaid: delete goes through DELETE, not billing');
  assert.equal(instance.product_id, 'c6.2u4g.cluster');
  assert.equal(instance.engine_version, '2.7');
  assert.equal(instance.broker_num, 3);
  assert.equal(instance.total_storage_space, 600);
  assert.equal(instance.storage_spec_code, 'dms.physical.storage.ultra.v2');
  assert.deepEqual(instance.available_zone_names, CODES);
  assert.equal(instance.access_user, 'user');
  assert.equal(instance.ssl_enable, true);
  assert.equal(instance.kafka_security_protocol, 'SASL_SSL');
  assert.deepEqual(instance.sasl_enabled_mechanisms, ['PLAIN']);
  assert.equal(instance.port_protocols.private_sasl_ssl_enable, true);
  assert.equal(instance.port_protocols.private_plain_enable, false);
  assert.equal(instance.partition_num, '750');
  assert.equal(typeof instance.created_at, 'string');
  assert.equal(instance.user_name, 'demo');
  assert.equal(instance.password, undefined);

  // The data source lists it with the same members.
  const listed = await call('GET',
    `/v2/${DEMO.project}/instances?engine=kafka&name=kafka_test&exact_match_name=true`);
  assert.equal(listed.body.instance_num, 1);
  assert.deepEqual(listed.body.instances[0], instance);

  // Another project's credential cannot see it.
  const foreign = await call('GET', `/v2/${OTHER.project}/instances/${id}`, '', OTHER);
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error_code, 'DMS.00404022');

  // Update (golangsdk UpdateOpts; description is a pointer, so "" is sent).
  const updated = await call('PUT', `/v2/${DEMO.project}/instances/${id}`,
    JSON.stringify({ name: 'kafka_test_2', description: '', retention_policy: 'time_base' }));
  assert.equal(updated.status, 204, JSON.stringify(updated.body));
  // Resize broker_num 3 -> 4 (doKafkaInstanceResize), then wait as
  // kafkaResizeStateRefresh and kafkaInstanceBrokerNumberRefreshFunc do.
  const resized = await call('POST', `/v2/${DEMO.project}/kafka/instances/${id}/extend`,
    JSON.stringify({ oper_type: 'horizontal', new_broker_num: 4 }));
  assert.equal(resized.status, 200, JSON.stringify(resized.body));
  assert.match(resized.body.job_id, /^[0-9a-f-]{36}$/);
  const grown = await waitFor(async () => {
    const answer = await showInstance(id);
    assert.ok(['EXTENDING', 'RUNNING'].includes(answer.body.status), answer.body.status);
    return answer.body.status === 'RUNNING' && answer.body.broker_num === 4 ? answer.body : null;
  }, { what: 'resize' });
  assert.equal(Object.keys(JSON.parse(grown.cross_vpc_info)).length, 4);
  assert.equal(grown.total_storage_space, 800);
  assert.equal(grown.name, 'kafka_test_2');
  assert.equal(grown.retention_policy, 'time_base');
  assert.equal(grown.port_protocols.private_sasl_ssl_enable, true);

  // Delete: 204, DELETING, then gone.
  const deleted = await call('DELETE', `/v2/${DEMO.project}/instances/${id}`);
  assert.equal(deleted.status, 204);
  const gone = await waitForDeleted(id);
  assert.equal(gone.body.error_code, 'DMS.00404022');
});

test('huaweicloud_dms_kafka_instances: every seeded instance maps its AZ ids to codes', async () => {
  const zones = await zoneMap();
  const listed = await call('GET', `/v2/${DEMO.project}/instances?engine=kafka`);
  assert.equal(listed.status, 200);
  assert.ok(listed.body.instance_num >= 2);
  for (const instance of listed.body.instances) {
    assert.ok(instance.available_zones.length > 0, instance.name);
    for (const zoneId of instance.available_zones) assert.ok(zones.byId.has(zoneId), zoneId);
    assert.equal(instance.available_zone_names.length, instance.available_zones.length);
    assert.ok(instance.cross_vpc_info, instance.name);
    assert.equal(instance.charging_mode, 1);
    assert.ok(instance.port_protocols, instance.name);
  }
  const demo = listed.body.instances.find((entry) => entry.instance_id === DEMO.instance);
  assert.deepEqual(demo.available_zone_names, ['eu-de-01']);
});

test('opentelekomcloud_dms_flavor_v2 and _dedicated_instance_v2: create, read, delete', async () => {
  const flavors = await call('GET', '/v2/kafka/products');
  assert.equal(flavors.status, 200);
  const flavor = flavors.body.products.find((entry) => entry.product_id === 'c6.4u8g.cluster');
  assert.ok(flavor);
  const zones = await zoneMap();

  // gophertelekomcloud lifecycle.CreateOpts: ssl_enable is a pointer (always sent).
  const body = JSON.stringify({
    name: 'otc-kafka', engine: 'kafka', engine_version: '2.7', broker_num: 3,
    storage_space: 1200, vpc_id: VPC, security_group_id: SECGROUP, subnet_id: SUBNET,
    available_zones: [zones.byCode.get('eu-de-02')], product_id: flavor.product_id,
    ssl_enable: false, storage_spec_code: flavor.ios[0].io_spec,
    tags: [{ key: 'owner', value: 'e2e' }],
  });
  const created = await call('POST', `/v2/kafka/${DEMO.project}/instances`, body);
  assert.equal(created.status, 200, JSON.stringify(created.body));
  const id = created.body.instance_id;
  const running = await waitForStatus(id, ['CREATING'], 'RUNNING');
  assert.deepEqual(running.available_zones, [zones.byCode.get('eu-de-02')]);
  assert.equal(running.partition_num, '1500');
  assert.equal(running.storage_spec_code, flavor.ios[0].io_spec);
  assert.deepEqual(running.tags, [{ key: 'owner', value: 'e2e' }]);
  assert.equal(running.port_protocols.private_plain_enable, true);
  assert.equal(running.kafka_security_protocol, '');

  const deleted = await call('DELETE', `/v2/${DEMO.project}/instances/${id}`);
  assert.equal(deleted.status, 204);
  await waitForDeleted(id);
});

test('create refuses AZs outside the region and flavors outside the catalog, writing nothing', async () => {
  const base = {
    name: 'refused-kafka', engine: 'kafka', engine_version: '2.7', broker_num: 3,
    storage_space: 600, vpc_id: VPC, security_group_id: SECGROUP, subnet_id: SUBNET,
    available_zones: ['eu-de-01'], product_id: 'c6.2u4g.cluster',
    storage_spec_code: 'dms.physical.storage.high.v2',
  };
  for (const [change, code] of [
    [{ available_zones: ['cn-north-4a'] }, 'DMS.00400062'],
    [{ available_zones: ['eu-de-01', 'eu-de-02'] }, 'DMS.00400062'],
    [{ product_id: '00300-30399-0--0' }, 'DMS.00400009'],
    [{ broker_num: 31 }, 'DMS.00400062'],
  ]) {
    const answer = await call('POST', `/v2/${DEMO.project}/kafka/instances`,
      JSON.stringify({ ...base, ...change }));
    assert.equal(answer.status, 400, JSON.stringify(change));
    assert.equal(answer.body.error_code, code, JSON.stringify(answer.body));
  }
  const listed = await call('GET', `/v2/${DEMO.project}/instances?name=refused-kafka`);
  assert.equal(listed.body.instance_num, 0);
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
  const shown = await showInstance(DEMO.instance2);
  assert.equal(shown.body.description, 'updated by the SDK');
  assert.equal(shown.body.retention_policy, 'time_base');
  assert.equal(shown.body.maintain_begin, '22:00:00');
  assert.deepEqual(shown.body.available_zone_names, ['eu-de-02']);
});

test('cross-VPC advertised addresses and a batch restart, as the providers send them', async () => {
  // updateCrossVpcAccess (both providers): every listener, changed or not.
  const before = JSON.parse((await showInstance(DEMO.instance)).body.cross_vpc_info);
  const contents = {};
  for (const ip of Object.keys(before)) contents[ip] = ip;
  const first = Object.keys(before).sort()[0];
  contents[first] = 'kafka-0.example.com';
  const modified = await call('POST', `/v2/${DEMO.project}/instances/${DEMO.instance}/crossvpc/modify`,
    JSON.stringify({ advertised_ip_contents: contents }));
  assert.equal(modified.status, 200, JSON.stringify(modified.body));
  assert.equal(modified.body.success, true);
  assert.equal(modified.body.results.length, Object.keys(before).length);
  assert.ok(modified.body.results.every((result) => result.success));
  const after = JSON.parse((await showInstance(DEMO.instance)).body.cross_vpc_info);
  assert.equal(after[first].advertised_ip, 'kafka-0.example.com');
  assert.equal(after[first].port_id, before[first].port_id);

  // huaweicloud_dms_kafka_instance_batch_action / restart after a static parameter.
  const restarted = await call('POST', `/v2/${DEMO.project}/instances/action`,
    JSON.stringify({ action: 'restart', instances: [DEMO.instance, OTHER.instance] }));
  assert.equal(restarted.status, 200, JSON.stringify(restarted.body));
  assert.deepEqual(restarted.body.results, [
    { result: 'success', instance: DEMO.instance },
    { result: 'failed', instance: OTHER.instance },
  ]);
  await waitForStatus(DEMO.instance, ['RESTARTING'], 'RUNNING');
});
