'use strict';
// AK/SK authentication and tenant isolation, as the SDK experiences them.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { kafkaClient, expectSdkError, requests, DEMO, OTHER } = require('../lib/client');
const { signedRequest } = require('../lib/raw_signer');

let server;
before(async () => { server = await startServer(); });
after(async () => { await server.stop(); server.cleanup(); });

test('wrong secret key and unknown AK are 401 APIGW.0301', async () => {
  await expectSdkError(kafkaClient(server.endpoint, { sk: 'wrong-secret' })
    .showInstance(requests.show(DEMO.instance)), { status: 401, code: 'APIGW.0301' });
  await expectSdkError(kafkaClient(server.endpoint, { ak: 'UNKNOWNAK000000000000' })
    .showInstance(requests.show(DEMO.instance)), { status: 401, code: 'APIGW.0301' });
});

test('X-Sdk-Date outside 15 minutes is refused, inside is accepted', async () => {
  const target = `/v2/${DEMO.project}/instances/${DEMO.instance}`;
  const base = { method: 'GET', target, ak: DEMO.ak, sk: DEMO.sk, project: DEMO.project };
  for (const minutes of [-20, 20]) {
    const answer = await signedRequest(server.endpoint,
      { ...base, date: new Date(Date.now() + minutes * 60000) });
    assert.equal(answer.status, 401);
    assert.equal(answer.body.error_code, 'APIGW.0301');
    assert.match(answer.body.error_msg, /expired|skew|date/i);
  }
  const fresh = await signedRequest(server.endpoint, { ...base, date: new Date(Date.now() - 5 * 60000) });
  assert.equal(fresh.status, 200);
});

test('a tampered body fails the signature and changes nothing', async () => {
  const target = `/v2/${DEMO.project}/instances/${DEMO.instance}/connector`;
  const answer = await signedRequest(server.endpoint, { method: 'POST', target, body: '{"node_cnt":2}',
    ak: DEMO.ak, sk: DEMO.sk, project: DEMO.project, tamper: () => '{"node_cnt":3}' });
  assert.equal(answer.status, 401);
  const shown = await kafkaClient(server.endpoint).showInstance(requests.show(DEMO.instance));
  assert.equal(shown.status, 'RUNNING');
  assert.equal(shown.connector_enable, false);
});

test("tenant A's credential on tenant B's project path is 403 and leaks nothing", async () => {
  const crossed = kafkaClient(server.endpoint, { project: OTHER.project });
  const existing = await expectSdkError(crossed.showInstance(requests.show(OTHER.instance)),
    { status: 403, code: 'APIGW.0306' });
  const missing = await expectSdkError(crossed.showInstance(requests.show('ffffffff-0000-1111-2222-333344445555')),
    { status: 403, code: 'APIGW.0306' });
  assert.equal(existing.errorMsg, missing.errorMsg);
  // Tenant B with its own credential sees its instance.
  const own = await kafkaClient(server.endpoint, OTHER).showInstance(requests.show(OTHER.instance));
  assert.equal(own.name, 'other-tenant-kafka');
});

test('a request without or with a garbled Authorization header is 401 APIGW.0301', async () => {
  const url = `${server.endpoint}/v2/${DEMO.project}/instances/${DEMO.instance}`;
  for (const authorization of [undefined, 'SDK-HMAC-SHA256 Access=HPUAEXAMPLEAK0000001', 'Basic Zm9vOmJhcg==']) {
    const headers = { 'Content-Type': 'application/json', 'X-Project-Id': DEMO.project };
    if (authorization) headers.Authorization = authorization;
    const response = await fetch(url, { headers });
    assert.equal(response.status, 401, String(authorization));
    const body = await response.json();
    assert.equal(body.error_code, 'APIGW.0301');
    assert.equal(body.request_id, response.headers.get('x-request-id'));
  }
});

test('the raw signer and the SDK agree: a raw signed GET is accepted', async () => {
  const answer = await signedRequest(server.endpoint, { method: 'GET',
    target: `/v2/${DEMO.project}/instances?engine=kafka&name=demo-kafka&exact_match_name=true&offset=0&limit=10`,
    ak: DEMO.ak, sk: DEMO.sk, project: DEMO.project });
  assert.equal(answer.status, 200, JSON.stringify(answer.body));
  assert.equal(answer.body.instance_num, 1);
  const viaSdk = await kafkaClient(server.endpoint).showInstance(requests.show(DEMO.instance));
  assert.equal(answer.body.instances[0].instance_id, viaSdk.instance_id);
});
