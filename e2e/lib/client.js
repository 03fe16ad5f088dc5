'use strict';
// The official SDK client, built exactly as a user would, plus an assertion
// helper for its exceptions.
const assert = require('node:assert/strict');
const https = require('node:https');
const path = require('node:path');
const kafka = require('@huaweicloud/huaweicloud-sdk-kafka');
const core = require('@huaweicloud/huaweicloud-sdk-core');

// Importing core configures log4js globally with a stdout appender, and the SDK
// writes a multi-line ERROR dump (Authorization header included) for every
// failed call. Switch that off: tests assert on the thrown exceptions, never on
// stdout. SDK_LOG=1 keeps the SDK's own logging for debugging.
if (!process.env.SDK_LOG) {
  const log4js = require(require.resolve('log4js',
    { paths: [path.dirname(require.resolve('@huaweicloud/huaweicloud-sdk-core'))] }));
  log4js.configure({ appenders: { none: { type: 'stderr' } },
    categories: { default: { appenders: ['none'], level: 'off' } } });
}

const DEMO = {
  ak: 'HPUAEXAMPLEAK0000001',
  sk: 'ExampleSecretKey0000000000000000000000000',
  project: '0123456789abcdef0123456789abcdef',
  instance: 'a1b2c3d4-0000-1111-2222-333344445555',
  instance2: 'b2c3d4e5-0000-1111-2222-333344445555',
};
const OTHER = {
  ak: 'HPUAEXAMPLEAK0000002',
  sk: 'OtherTenantSecretKey00000000000000000000',
  project: 'fedcba9876543210fedcba9876543210',
  instance: 'c3d4e5f6-0000-1111-2222-333344445555',
};

// An https:// endpoint is trusted through the test CA (lib/server.js) unless
// `ca` names other CA certificates (PEM); the SDK hands axiosRequestConfig to
// axios, whose httpsAgent carries the trust.
function kafkaClient(endpoint, { ak = DEMO.ak, sk = DEMO.sk, project = DEMO.project, ca } = {}) {
  const axiosRequestConfig = { timeout: 10000 };
  if (endpoint.startsWith('https:')) {
    // Required here, not at the top: lib/server.js is only needed for HTTPS.
    const trusted = ca || require('./server').testCertificateAuthority().ca;
    axiosRequestConfig.httpsAgent = new https.Agent({ ca: trusted, keepAlive: true });
  }
  return kafka.KafkaClient.newBuilder()
    .withCredential(new core.BasicCredentials().withAk(ak).withSk(sk).withProjectId(project))
    .withEndpoint(endpoint)
    .withOptions({ customUserAgent: 'connectplane-e2e', axiosRequestConfig })
    .build();
}

// Awaits an SDK call expected to fail; checks the exception the SDK raised.
async function expectSdkError(promise, { status, code }) {
  let error;
  try {
    await promise;
  } catch (caught) {
    error = caught;
  }
  assert.ok(error, `expected an error ${status} ${code}, the call succeeded`);
  assert.equal(error.httpStatusCode, status, `status of ${JSON.stringify(error.errorMsg)}`);
  if (code) assert.equal(error.errorCode, code, `error_code (msg: ${error.errorMsg})`);
  assert.ok(error.requestId, 'X-Request-Id surfaces as requestId');
  assert.ok(error.errorMsg);
  assert.equal(error.name, status >= 500 ? 'ServerResponseException' : 'ClientRequestException');
  return error;
}

const requests = {
  show: (instanceId) => new kafka.ShowInstanceRequest().withInstanceId(instanceId),
  enable: (instanceId, body) => new kafka.CreateConnectorRequest().withInstanceId(instanceId)
    .withBody(body || new kafka.CreateConnectorReq().withNodeCnt(2)),
  disable: (instanceId) => new kafka.DeleteConnectorRequest().withInstanceId(instanceId),
  task: (instanceId, taskId) => new kafka.ShowBackgroundTaskRequest().withInstanceId(instanceId)
    .withTaskId(taskId),
  tasks: (instanceId) => new kafka.ListBackgroundTasksRequest().withInstanceId(instanceId)
    .withStart(1).withLimit(10),
  deleteTask: (instanceId, taskId) => new kafka.DeleteBackgroundTaskRequest()
    .withInstanceId(instanceId).withTaskId(taskId),
  // A minimal OBS dump task named `name` on topic "orders".
  createObsTask: (instanceId, name) => new kafka.CreateConnectorTaskRequest()
    .withInstanceId(instanceId).withBody(new kafka.CreateSmartConnectTaskReq()
      .withTaskName(name).withTopics('orders').withSourceType('NONE').withSinkType('OBS_SINK')
      .withSinkTask(new kafka.SmartConnectTaskReqSinkConfig()
        .withConsumerStrategy('latest').withDestinationFileType('TEXT').withDeliverTimeInterval(300)
        .withAccessKey('AK').withSecretKey('SK').withObsBucketName('bucket'))),
};

// Polls showBackgroundTask (with a deadline) until the task leaves EXECUTING;
// returns the finished task entry.
async function waitForTask(client, instanceId, taskId, { timeoutMs = 10000, intervalMs = 100 } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await client.showBackgroundTask(requests.task(instanceId, taskId));
    assert.equal(answer.task_count, '1');
    const task = answer.tasks[0];
    if (task.status !== 'EXECUTING') return task;
    if (Date.now() >= deadline) {
      throw new Error(`task ${taskId} still EXECUTING after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

module.exports = { kafka, core, kafkaClient, expectSdkError, waitForTask, requests, DEMO, OTHER };
