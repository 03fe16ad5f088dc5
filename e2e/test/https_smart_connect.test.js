'use strict';
// HTTPS: the unmodified SDK enables and disables Smart Connect against a server
// started with --tls-cert/--tls-key, its certificate issued by a throwaway test
// CA (lib/server.js). The SDK trusts the CA either through its axios httpsAgent
// option or through Node's NODE_EXTRA_CA_CERTS, as a user would; without the
// CA it refuses the server.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFile } = require('node:child_process');
const path = require('node:path');
const { startServer, testCertificateAuthority } = require('../lib/server');
const { kafka, kafkaClient, waitForTask, requests, DEMO } = require('../lib/client');

let server;
let client;
before(async () => {
  server = await startServer({ tls: true, jobSeconds: ['kafka.enable_connector=reads:2',
    'kafka.disable_connector=reads:2'] });
  client = kafkaClient(server.endpoint);
});
after(async () => { await server.stop(); server.cleanup(); });

test('the server answers over HTTPS only', () => {
  assert.match(server.endpoint, /^https:\/\/127\.0\.0\.1:\d+$/);
});

test('enable and disable Smart Connect over HTTPS with the SDK', async () => {
  const enabled = await client.createConnector(requests.enable(DEMO.instance,
    new kafka.CreateConnectorReq().withSpecification('100MB').withNodeCnt(2)));
  assert.equal(enabled.httpStatusCode, 200);
  assert.equal((await waitForTask(client, DEMO.instance, enabled.job_id)).status, 'SUCCESS');
  const on = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(on.status, 'RUNNING');
  assert.equal(on.connector_enable, true);
  assert.equal(on.connector_id, enabled.connector_id);

  const disabled = await client.deleteConnector(requests.disable(DEMO.instance));
  assert.equal(disabled.httpStatusCode, 200);
  assert.equal((await waitForTask(client, DEMO.instance, disabled.job_id)).status, 'SUCCESS');
  const off = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(off.connector_enable, false);
  assert.equal(off.connector_id, '');
});

// Runs a one-off SDK call in a fresh Node process (NODE_EXTRA_CA_CERTS is read
// at start-up); resolves with its stdout, rejects with its stderr.
function showInstanceInChild(env) {
  const script = `
    const core = require('@huaweicloud/huaweicloud-sdk-core');
    const kafka = require('@huaweicloud/huaweicloud-sdk-kafka');
    const client = kafka.KafkaClient.newBuilder()
      .withCredential(new core.BasicCredentials().withAk('${DEMO.ak}').withSk('${DEMO.sk}')
        .withProjectId('${DEMO.project}'))
      .withEndpoint('${server.endpoint}').build();
    client.showInstance(new kafka.ShowInstanceRequest().withInstanceId('${DEMO.instance}'))
      .then((answer) => { console.log(answer.status); })
      .catch((error) => { console.error(error.errorMsg || error.message); process.exit(1); });`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', script], {
      cwd: path.resolve(__dirname, '..'), timeout: 30000,
      env: { ...process.env, ...env },
    }, (error, stdout, stderr) => (error ? reject(new Error(stderr || error.message)) : resolve(stdout)));
  });
}

test('NODE_EXTRA_CA_CERTS makes the SDK trust the test CA without code changes', async () => {
  const { caPath } = testCertificateAuthority();
  assert.equal((await showInstanceInChild({ NODE_EXTRA_CA_CERTS: caPath })).trim(), 'RUNNING');
});

test('without the CA the SDK refuses the server certificate', async () => {
  const env = { NODE_EXTRA_CA_CERTS: '' };
  await assert.rejects(showInstanceInChild(env), /certificate/i);
});
