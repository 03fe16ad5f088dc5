'use strict';
// The identity (Keystone v3) calls the huaweicloud and opentelekomcloud
// Terraform providers make before their first DMS call, signed as their Go SDKs
// sign them (e2e/lib/provider_signers.js), then DMS calls with each signature
// form and with the X-Auth-Token a password login returns; the user lookup
// (huaweicloud provider with user_name), token validation (OTC provider with a
// token), the dmsv1 catalog entry with the legacy product list behind it, and
// the request stages (fault injection) on identity routes. Demo seed: domain
// demo-domain, project eu-de (DEMO.project), user demo.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { startServer } = require('../lib/server');
const { DEMO, OTHER } = require('../lib/client');
const { signGolangsdk, signGophertelekomcloud, send } = require('../lib/provider_signers');

const DEMO_DOMAIN = { id: 'd0d0d0d0d0d0d0d0d0d0d0d0d0d0d0d0', name: 'demo-domain' };
const DEMO_PASSWORD = 'DemoIamPassword-0001';
const DEMO_USER_ID = 'd3m0d3m0d3m0d3m0d3m0d3m0d3m0d3m0';

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

// As the opentelekomcloud provider sends it: scoped form, host signed (its
// extra headers, e.g. X-Subject-Token, are in the map before signing).
function otcGet(target, { ak = DEMO.ak, sk = DEMO.sk, extra = {} } = {}) {
  const headers = signGophertelekomcloud({ method: 'GET', target, ak, sk, host,
    headers: { Accept: 'application/json', 'User-Agent': 'terraform-provider-opentelekomcloud', ...extra } });
  return send(server.endpoint, { method: 'GET', target, headers });
}

function login(body) {
  return send(server.endpoint, { method: 'POST', target: '/v3/auth/tokens',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

const passwordBody = (password, scope = { project: { name: 'eu-de', domain: { name: DEMO_DOMAIN.name } } }) => ({
  auth: { identity: { methods: ['password'],
    password: { user: { name: 'demo', password, domain: { name: DEMO_DOMAIN.name } } } }, scope } });

test('catalog for both signers: dmsv2 and dms carry /v2/{project_id}, dmsv1 /v1.0/{project_id}', async () => {
  for (const answer of [await golangsdkGet('/v3/auth/catalog'), await otcGet('/v3/auth/catalog')]) {
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    const byType = Object.fromEntries(answer.body.catalog.map((entry) => [entry.type, entry]));
    for (const [type, path] of [['dmsv2', 'v2'], ['dms', 'v2'], ['dmsv1', 'v1.0']]) {
      // One endpoint per interface the OTC provider's endpoint_type may ask for.
      assert.deepEqual(byType[type].endpoints.map((e) => e.interface), ['public', 'internal', 'admin']);
      for (const endpoint of byType[type].endpoints) {
        assert.equal(endpoint.region, 'eu-de');
        assert.equal(endpoint.url, `${server.endpoint}/${path}/${DEMO.project}`);
      }
    }
    assert.equal(byType.identity.endpoints[0].url, `${server.endpoint}/v3`);
  }
  // What gophertelekomcloud's dms/v1 products.Get makes of the dmsv1 URL (the
  // project stripped): the first-generation products with dot-less ids.
  const products = await otcGet('/v1.0/products?engine=kafka');
  assert.equal(products.status, 200, JSON.stringify(products.body));
  const [cluster] = products.body.Hourly.find((v) => v.version === '2.3.0').values;
  assert.equal(cluster.name, 'cluster');
  assert.deepEqual(cluster.detail.map((d) => [d.product_id, d.bandwidth]), [
    ['00300-30308-0--0', '100MB'], ['00300-30310-0--0', '300MB'],
    ['00300-30312-0--0', '600MB'], ['00300-30314-0--0', '1200MB']]);
});

test('a legacy product id creates through the deprecated OTC path with no broker_num', async () => {
  const body = {
    name: 'legacy-e2e', engine: 'kafka', engine_version: '2.3.0', specification: '100MB',
    storage_space: 600, partition_num: 300, vpc_id: '11111111-2222-3333-4444-555555555555',
    security_group_id: '31111111-2222-3333-4444-555555555555',
    subnet_id: '21111111-2222-3333-4444-555555555555', available_zones: ['eu-de-01'],
    product_id: '00300-30308-0--0', storage_spec_code: 'dms.physical.storage.high', ssl_enable: false,
  };
  const post = (payload) => {
    const target = `/v2/${DEMO.project}/instances`;
    const text = JSON.stringify(payload);
    const headers = signGophertelekomcloud({ method: 'POST', target, ak: DEMO.ak, sk: DEMO.sk, host, body: text,
      headers: { 'Content-Type': 'application/json', 'User-Agent': 'terraform-provider-opentelekomcloud' } });
    return send(server.endpoint, { method: 'POST', target, headers, body: text });
  };
  // The current storage class is not one of this product's.
  const refused = await post({ ...body, storage_spec_code: 'dms.physical.storage.high.v2' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error_code, 'DMS.00400062');
  const made = await post(body);
  assert.equal(made.status, 200, JSON.stringify(made.body));
  const shown = await otcGet(`/v2/${DEMO.project}/instances/${made.body.instance_id}`);
  assert.equal(shown.status, 200);
  assert.equal(shown.body.product_id, '00300-30308-0--0');
  assert.equal(shown.body.specification, '100MB');
  assert.equal(shown.body.broker_num, 3);
  assert.equal(shown.body.partition_num, '300');
});

test('user lookup by name with the domain token, as the huaweicloud provider does for user_name', async () => {
  const login_ = await login(passwordBody(DEMO_PASSWORD, { domain: { name: DEMO_DOMAIN.name } }));
  assert.equal(login_.status, 201);
  const token = login_.headers['x-subject-token'];
  const users = await send(server.endpoint, { method: 'GET', target: '/v3/users?name=demo',
    headers: { 'X-Auth-Token': token } });
  assert.equal(users.status, 200, JSON.stringify(users.body));
  assert.deepEqual(users.body.users.map((u) => [u.id, u.name, u.domain_id]), [[DEMO_USER_ID, 'demo', DEMO_DOMAIN.id]]);
  assert.equal(users.body.links.next, null);
  assert.ok(!JSON.stringify(users.body).includes('pbkdf2'));
  // Signed, too; the other tenant's domain does not see the demo user.
  assert.equal((await golangsdkGet('/v3/users?name=demo')).body.users[0].id, DEMO_USER_ID);
  const other = await golangsdkGet('/v3/users?name=demo', OTHER);
  assert.equal(other.status, 200);
  assert.deepEqual(other.body.users, []);
  const anonymous = await send(server.endpoint, { method: 'GET', target: '/v3/users?name=demo' });
  assert.equal(anonymous.status, 401);
  assert.equal(anonymous.body.error.code, 401);
});

test('token validation, as the OTC provider authenticates with a token: X-Subject-Token echoed', async () => {
  const issued = await login(passwordBody(DEMO_PASSWORD));
  const token = issued.headers['x-subject-token'];
  const shown = await send(server.endpoint, { method: 'GET', target: '/v3/auth/tokens',
    headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
  assert.equal(shown.status, 200, JSON.stringify(shown.body));
  assert.equal(shown.headers['x-subject-token'], token);
  assert.equal(shown.body.token.expires_at, issued.body.token.expires_at);
  assert.equal(shown.body.token.project.id, DEMO.project);
  assert.equal(shown.body.token.user.id, DEMO_USER_ID);
  assert.ok(shown.body.token.catalog.some((entry) => entry.type === 'dmsv2'));
  // Another domain's caller, a made-up subject, no subject.
  const foreign = await otcGet('/v3/auth/tokens', { ak: OTHER.ak, sk: OTHER.sk, extra: { 'X-Subject-Token': token } });
  assert.equal(foreign.status, 404);
  assert.equal(foreign.body.error.code, 404);
  assert.equal(foreign.headers['x-subject-token'], undefined);
  const madeUp = await otcGet('/v3/auth/tokens', { extra: { 'X-Subject-Token': 'not-a-token' } });
  assert.equal(madeUp.status, 404);
  const missing = await send(server.endpoint, { method: 'GET', target: '/v3/auth/tokens',
    headers: { 'X-Auth-Token': token } });
  assert.equal(missing.status, 400);
  assert.equal(missing.body.error.title, 'Bad Request');
});

test('identity routes pass the request stages: an injected fault answers in the Keystone envelope', async () => {
  const addFault = (rule) => fetch(`${server.endpoint}/_connectplane/faults`, { method: 'POST',
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ kind: 'api', ...rule }) });
  const added = await addFault({ dialect: 'iam', operation: 'KeystoneShowCatalog', count: 1,
    http_status: 503, error_code: 'IAM.0001', message: 'injected outage' });
  assert.equal(added.status, 201, await added.text());
  const faulted = await otcGet('/v3/auth/catalog');
  assert.equal(faulted.status, 503);
  assert.deepEqual(faulted.body, { error: { code: 503, message: 'injected outage', title: 'Service Unavailable' } });
  assert.ok(faulted.headers['x-request-id']);
  assert.equal((await otcGet('/v3/auth/catalog')).status, 200);
  // Rules must name an identity operation that exists.
  const unknown = await addFault({ dialect: 'iam', operation: 'NoSuchCall', count: 1, http_status: 500 });
  assert.equal(unknown.status, 400);
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
