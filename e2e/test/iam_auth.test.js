'use strict';
// The identity (Keystone v3) calls the huaweicloud and opentelekomcloud
// Terraform providers make before their first DMS call, signed as their Go SDKs
// sign them (e2e/lib/provider_signers.js), then DMS calls with each signature
// form and with the X-Auth-Token a password login returns. Demo seed: domain
// demo-domain, project eu-de (DEMO.project), user demo.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { DEMO, OTHER } = require('../lib/client');
const { signGolangsdk, signGophertelekomcloud, send } = require('../lib/provider_signers');

const DEMO_DOMAIN = { id: 'd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0', name: 'demo-domain' };
const DEMO_PASSWORD = 'DemoIamPassword-0001';

let server;
let host;
before(async () => {
  server = await startServer();
  host = new URL(server.endpoint).host;
});
after(async () => { await server.stop(); server.cleanup(); });

// As the huaweicloud provider sends it: signed without host, X-Project-Id after.
function golangsdkGet(target, { ak = DEMO.ak, sk = DEMO.sk, project = DEMO.project } = {}) {
  const headers = signGolangsdk({ method: 'GET', target, ak, sk,
    headers: { Accept: 'application/json', 'User-Agent': 'huaweicloud-terraform-provider golangsdk' } });
  headers['X-Project-Id'] = project;
  return send(server.endpoint, { method: 'GET', target, headers });
}

// As the opentelekomcloud provider sends it: scoped form, host signed.
function otcGet(target, { ak = DEMO.ak, sk = DEMO.sk } = {}) {
  const headers = signGophertelekomcloud({ method: 'GET', target, ak, sk, host,
    headers: { Accept: 'application/json', 'User-Agent': 'terraform-provider-opentelekomcloud' } });
  return send(server.endpoint, { method: 'GET', target, headers });
}

function login(body) {
  return send(server.endpoint, { method: 'POST', target: '/v3/auth/tokens',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const passwordBody = (password, scope = { project: { name: 'eu-de', domain: { name: DEMO_DOMAIN.name } } }) => ({
  auth: { identity: { methods: ['password'],
    password: { user: { name: 'demo', password, domain: { name: DEMO_DOMAIN.name } } } }, scope } });

test('catalog for both signers: dmsv2 and dms carry /v2/{project_id} on this server', async () => {
  for (const answer of [await golangsdkGet('/v3/auth/catalog'), await otcGet('/v3/auth/catalog')]) {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const byType = Object.fromEntries(answer.body.catalog.map((entry) => [entry.type, entry]));
    for (const type of ['dmsv2', 'dms']) {
      const [endpoint] = byType[type].endpoints;
      assert.equal(endpoint.interface, 'public');
      assert.equal(endpoint.region, 'eu-de');
      assert.equal(endpoint.url, `${server.endpoint}/v2/${DEMO.project}`);
    }
    assert.equal(byType.identity.endpoints[0].url, `${server.endpoint}/v3`);
  }
});

test('projects by region name and the domain, as the provider start-up reads them', async () => {
  for (const answer of [await golangsdkGet('/v3/projects?name=eu-de'), await otcGet('/v3/projects?name=eu-de')]) {
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body.projects.map((p) => [p.id, p.name]), [[DEMO.project, 'eu-de']]);
  }
  const domains = await otcGet('/v3/auth/domains');
  assert.equal(domains.status, 200);
  assert.deepEqual(domains.body.domains.map((d) => [d.id, d.name]), [[DEMO_DOMAIN.id, DEMO_DOMAIN.name]]);
  // The other tenant sees its own domain, never the demo one.
  const other = await golangsdkGet('/v3/auth/domains', OTHER);
  assert.notEqual(other.body.domains[0].id, DEMO_DOMAIN.id);
});

test('DMS calls signed by each provider signer', async () => {
  const target = `/v2/${DEMO.project}/instances`;
  for (const answer of [await golangsdkGet(target), await otcGet(target)]) {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.ok(answer.body.instances.some((i) => i.instance_id === DEMO.instance));
  }
  const wrong = await otcGet(target, { sk: 'wrong-secret-key' });
  assert.equal(wrong.status, 401);
  assert.equal(wrong.body.error_code, 'APIGW.0301');
});

test('password login returns X-Subject-Token; DMS accepts it for that project only', async () => {
  const answer = await login(passwordBody(DEMO_PASSWORD));
  assert.equal(answer.status, 201, JSON.stringify(answer.body));
  const token = answer.headers['x-subject-token'];
  assert.ok(token && token.length >= 40);
  assert.equal(answer.body.token.project.id, DEMO.project);
  assert.equal(answer.body.token.user.name, 'demo');
  assert.ok(Date.parse(answer.body.token.expires_at) > Date.now() + 23 * 3600 * 1000);
  assert.ok(answer.body.token.catalog.some((entry) => entry.type === 'dmsv2'));

  const listed = await send(server.endpoint, { method: 'GET', target: `/v2/${DEMO.project}/instances`,
    headers: { 'X-Auth-Token': token } });
  assert.equal(listed.status, 200);
  assert.ok(listed.body.instances.some((i) => i.instance_id === DEMO.instance));
  const crossed = await send(server.endpoint, { method: 'GET', target: `/v2/${OTHER.project}/instances`,
    headers: { 'X-Auth-Token': token } });
  assert.equal(crossed.status, 403);

  // The token method re-issues a token.
  const again = await login({ auth: { identity: { methods: ['token'], token: { id: token } },
    scope: { project: { id: DEMO.project } } } });
  assert.equal(again.status, 201);
  assert.notEqual(again.headers['x-subject-token'], token);
});

test('bad logins get the Keystone error envelope and no token', async () => {
  const cases = [
    [passwordBody('wrong-password'), 401],
    [passwordBody(DEMO_PASSWORD, { project: { id: OTHER.project } }), 401],
    [passwordBody(DEMO_PASSWORD, { project: { name: 'no-such-project' } }), 401],
    [{ auth: { identity: { methods: ['password'], password: { user: { name: 1 } } } } }, 400],
  ];
  for (const [body, status] of cases) {
    const answer = await login(body);
    assert.equal(answer.status, status, JSON.stringify(body));
    assert.equal(answer.body.error.code, status);
    assert.equal(typeof answer.body.error.message, 'string');
    assert.equal(typeof answer.body.error.title, 'string');
    assert.equal(answer.headers['x-subject-token'], undefined);
  }
  const malformed = await send(server.endpoint, { method: 'POST', target: '/v3/auth/tokens',
    headers: { 'Content-Type': 'application/json' }, body: '{"auth":' });
  assert.equal(malformed.status, 400);
  assert.equal(malformed.body.error.code, 400);
  const unknownToken = await send(server.endpoint, { method: 'GET', target: `/v2/${DEMO.project}/instances`,
    headers: { 'X-Auth-Token': 'not-a-real-token' } });
  assert.equal(unknownToken.status, 401);
});
