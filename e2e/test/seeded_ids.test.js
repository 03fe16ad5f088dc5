'use strict';
// Reproducible ids (--id-seed, POST /_connectplane/seed-ids): two fresh servers
// started with the same seed answer the same sequence of calls with the same
// resource, job and request ids; re-seeding through the admin API restarts the
// sequence; a different seed gives different ids.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafkaClient, requests, DEMO } = require('../lib/client');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const ZL = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };

async function admin(server, method, route, body) {
  const response = await fetch(`${server.endpoint}/_connectplane/${route}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.equal(response.status, 200, `${method} ${route}: ${text}`);
  return JSON.parse(text);
}

// One fixed sequence of calls; returns every id the answers carried.
async function runSequence(server) {
  const zc = new ZenlayerClient({ endpoint: server.endpoint, ...ZL });
  const ids = [];
  for (const vlan of [301, 302]) {
    const res = await zc.call('CreatePrivateConnect', {
      privateConnectName: `seeded-${vlan}`,
      bandwidthMbps: 20,
      endpointA: { portId: 'port-sin1-demo-01', vlanId: vlan },
      endpointZ: { portId: 'port-hkg1-demo-01', vlanId: vlan },
    });
    assert.equal(res.status, 200, res.text);
    ids.push(res.body.requestId, res.body.response.privateConnectId);
  }
  const enabled = await kafkaClient(server.endpoint).createConnector(requests.enable(DEMO.instance));
  ids.push(enabled.job_id, enabled.connector_id);
  return ids;
}

test('the same seed and the same calls give the same ids; the admin call restarts them', async () => {
  const first = await startServer({ args: ['--id-seed', '42'] });
  const second = await startServer({ args: ['--id-seed', '42'] });
  const unseeded = await startServer();
  try {
    assert.deepEqual(await admin(first, 'GET', 'seed-ids'), { seed: 42 });
    assert.deepEqual(await admin(unseeded, 'GET', 'seed-ids'), { seed: null });
    // The GET above drew one request id on `first`: draw one on `second` too.
    await admin(second, 'GET', 'seed-ids');

    const firstIds = await runSequence(first);
    const secondIds = await runSequence(second);
    assert.equal(firstIds.length, 6);
    assert.equal(new Set(firstIds).size, 6, 'ids are distinct');
    assert.deepEqual(secondIds, firstIds);
    const unseededIds = await runSequence(unseeded);
    for (const id of unseededIds) assert.ok(!firstIds.includes(id), id);

    // Reset the state, seed at run time: the sequence restarts on both.
    for (const server of [first, unseeded]) {
      await admin(server, 'POST', 'reset', {});
      assert.deepEqual(await admin(server, 'POST', 'seed-ids', { seed: 7 }), { seed: 7 });
    }
    const reseeded = await runSequence(first);
    assert.deepEqual(await runSequence(unseeded), reseeded);
    assert.notDeepEqual(reseeded, firstIds, 'another seed, other ids');

    await admin(first, 'POST', 'reset', {});
    await admin(first, 'POST', 'seed-ids', { seed: 42 });
    await admin(second, 'POST', 'reset', {});
    await admin(second, 'POST', 'seed-ids', { seed: 42 });
    assert.deepEqual(await runSequence(first), await runSequence(second));

    // null goes back to unpredictable ids; a bad seed is refused.
    assert.deepEqual(await admin(first, 'POST', 'seed-ids', { seed: null }), { seed: null });
    const refused = await fetch(`${first.endpoint}/_connectplane/seed-ids`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"seed": -1}' });
    assert.equal(refused.status, 400);
  } finally {
    for (const server of [first, second, unseeded]) {
      await server.stop();
      server.cleanup();
    }
  }
});
