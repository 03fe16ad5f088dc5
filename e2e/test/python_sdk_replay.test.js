'use strict';
// The official Python SDK (huaweicloudsdkkafka, PyPI only, so not installable
// here) as a recorded-wire replay: recordings/python-sdk-*-smart-connect.json
// holds what that SDK sent for the Smart Connect flow, recorded by hand with
// tools/record_python_sdk.py. Each request goes out byte for byte on one
// keep-alive connection, as the SDK's session sent it, except Host, X-Sdk-Date
// and Authorization, which are regenerated over the same SignedHeaders list
// the SDK used, and the ids the server generates, which come from earlier
// answers. Each answer must carry every member the SDK deserialized, with the
// recorded status and JSON types, and the values the flow depends on.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { startServer, demoSeed, sleep } = require('../lib/server');
const { authorization, sdkDate } = require('../lib/raw_signer');
const { RawConnection } = require('../lib/raw_connection');

const RECORDING_FILE = path.join(__dirname, '..', 'recordings',
  'python-sdk-3.1.211-smart-connect.json');
const recording = JSON.parse(fs.readFileSync(RECORDING_FILE, 'utf8'));
const SK = demoSeed().huawei.credentials
  .find((credential) => credential.access_key === recording.credentials.ak).secret_key;
const POLL_INTERVAL_MS = 100;
const POLL_DEADLINE_MS = 15000;

// --- the recording's vocabulary ---

function fill(text, values) {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name) => {
    assert.ok(values[name] !== undefined, `no value for {{${name}}}`);
    return values[name];
  });
}

/** Member at a recorded path such as `tasks[0].status`; undefined when absent. */
function at(body, memberPath) {
  let value = body;
  for (const [, key, idx] of memberPath.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = idx !== undefined ? value[Number(idx)] : value[key];
  }
  return value;
}

function jsonKind(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

// The JSON kinds the Python SDK's declared types deserialize faithfully
// (it coerces the rest: str(5), int('5'), and bool('false') is True).
function declaredKinds(declared) {
  if (declared.startsWith('list[')) return ['array'];
  if (declared.startsWith('dict(')) return ['object'];
  return { str: ['string'], int: ['integer'], float: ['integer', 'number'], bool: ['boolean'],
    object: null }[declared] || ['object'];
}

function signedHeadersOf(authorizationValue) {
  const match = /SignedHeaders=([a-z0-9;-]+)/.exec(authorizationValue);
  assert.ok(match, `no SignedHeaders in ${authorizationValue}`);
  return match[1].split(';');
}

function bodyOf(request, values) {
  if (request.body_base64 !== undefined) return Buffer.from(request.body_base64, 'base64');
  return Buffer.from(fill(request.body_utf8, values), 'utf8');
}

/**
 * The step's request with `values` filled in ({{host}}, {{x_sdk_date}} and the
 * bound ids) and Authorization computed over the SDK's SignedHeaders list.
 */
function buildRequest(step, values) {
  const { request } = step;
  const target = fill(request.target, values);
  const body = bodyOf(request, values);
  const headers = request.headers.map(([name, value]) => [name,
    name.toLowerCase() === 'authorization' ? value : fill(value, values)]);
  const unsigned = Object.fromEntries(headers.filter(([name]) => name.toLowerCase() !== 'authorization'));
  const authValue = authorization({ method: request.method, target, headers: unsigned, body,
    signed: signedHeadersOf(step.signature_check.authorization), ak: recording.credentials.ak,
    sk: SK, date: values.x_sdk_date });
  for (const header of headers) {
    if (header[0].toLowerCase() === 'authorization') header[1] = authValue;
  }
  const length = headers.find(([name]) => name.toLowerCase() === 'content-length');
  if (length) assert.equal(Number(length[1]), body.length, `${step.step}: Content-Length`);
  return { method: request.method, target, version: request.http_version, headers, body };
}

// --- checks on an answer, from what the SDK read ---

function parseBody(answer, step) {
  const text = answer.body.toString('utf8');
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch (err) {
    assert.fail(`${step.step}: answer is not JSON (${err.message}): ${text.slice(0, 200)}`);
  }
}

function checkAnswer(step, answer, body, bound) {
  const recorded = step.response;
  const where = `${step.step} (${step.operation})`;
  assert.equal(answer.status, recorded.status, `${where}: status; body ${answer.body}`);
  const recordedType = recorded.headers.find(([name]) => name.toLowerCase() === 'content-type');
  if (recordedType) {
    // The SDK picks its decoder from Content-Type (xml, bson, else JSON).
    assert.equal(answer.header('content-type'), recordedType[1], `${where}: Content-Type`);
  }
  if (step.sdk_raised) {
    const raised = step.sdk_raised;
    // The SDK's exception: status, error_code/error_msg from the body, the
    // request id from the X-Request-Id header, class by status.
    assert.equal(raised.class, answer.status < 500 ? 'ClientRequestException' : 'ServerResponseException');
    assert.equal(raised.status_code, answer.status);
    assert.equal(jsonKind(body), 'object', `${where}: error body`);
    assert.equal(body.error_code, raised.error_code, `${where}: error_code`);
    assert.equal(body.error_msg, raised.error_msg, `${where}: error_msg`);
    assert.match(answer.header('x-request-id') || '', /\S/, `${where}: X-Request-Id`);
    return;
  }
  assert.equal(step.sdk_result.status_code, answer.status);
  for (const [member, declared] of Object.entries(step.sdk_result.read)) {
    const value = at(body, member);
    const recordedValue = at(recorded.body, member);
    assert.notEqual(value, undefined, `${where}: ${member} (${declared}) missing`);
    assert.equal(jsonKind(value), jsonKind(recordedValue),
      `${where}: ${member} is ${JSON.stringify(value)}, recorded ${JSON.stringify(recordedValue)}`);
    const kinds = declaredKinds(declared);
    if (kinds) {
      assert.ok(kinds.includes(jsonKind(value)),
        `${where}: ${member} is ${jsonKind(value)}, the SDK declares ${declared}`);
    }
    if (Array.isArray(recordedValue)) {
      assert.equal(value.length, recordedValue.length, `${where}: ${member} length`);
    }
  }
  for (const [member, expected] of Object.entries(step.expect || {})) {
    const want = typeof expected === 'string' ? fill(expected, bound) : expected;
    assert.deepEqual(at(body, member), want, `${where}: ${member}`);
  }
}

// --- the replay ---

let server;
let connection;
before(async () => {
  server = await startServer({ jobSeconds: recording.server_args.job_seconds });
  connection = new RawConnection(server.port);
});
after(async () => {
  if (connection) connection.close();
  await server.stop();
  server.cleanup();
});

test('the recording says what it replays', () => {
  assert.equal(recording.sdk_version.huaweicloudsdkkafka, '3.1.211');
  assert.match(recording.sdk_commit, /^[0-9a-f]{40}$/);
  assert.ok(recording.steps.length > 0);
  const boundNames = new Set(recording.steps.flatMap((step) => Object.keys(step.bind || {})));
  for (const step of recording.steps) {
    const used = [...JSON.stringify(step.request).matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
    for (const name of used) {
      assert.ok(['host', 'x_sdk_date', 'authorization'].includes(name) || boundNames.has(name),
        `${step.step}: {{${name}}} is bound by no step`);
    }
  }
});

test('the replay signer reproduces every signature the Python SDK computed', () => {
  for (const step of recording.steps) {
    const check = step.signature_check;
    const request = buildRequest(step, { ...recording.recorded_bindings,
      host: check.host, x_sdk_date: check['x-sdk-date'] });
    const sent = request.headers.find(([name]) => name.toLowerCase() === 'authorization')[1];
    assert.equal(sent, check.authorization, step.step);
  }
});

test('the server verifies the User-Agent the Python SDK signs (unlike the Node SDK)', async () => {
  const step = recording.steps[0];
  assert.ok(signedHeadersOf(step.signature_check.authorization).includes('user-agent'));
  const request = buildRequest(step, { host: `127.0.0.1:${server.port}`, x_sdk_date: sdkDate(new Date()) });
  const userAgent = request.headers.find(([name]) => name.toLowerCase() === 'user-agent');
  userAgent[1] += ' tampered';
  const own = new RawConnection(server.port);
  try {
    const answer = await own.exchange(request);
    assert.equal(answer.status, 401, answer.body.toString());
    assert.equal(JSON.parse(answer.body.toString()).error_code, 'APIGW.0301');
  } finally {
    own.close();
  }
});

test('the Python SDK\'s Smart Connect flow, replayed', async (t) => {
  const bound = {};
  const send = (step) => connection.exchange(buildRequest(step, {
    ...bound, host: `127.0.0.1:${server.port}`, x_sdk_date: sdkDate(new Date()) }));
  for (const step of recording.steps) {
    await t.test(`${step.step}: ${step.request.method} ${step.operation}`, async () => {
      let answer = await send(step);
      let body = parseBody(answer, step);
      if (step.poll) {
        const { poll } = step;
        const seen = [at(body, poll.path)];
        // Read-gated job timing: the first read after the answer still shows
        // the transitional status, as it did when recorded.
        assert.equal(seen[0], poll.recorded_attempts[0], `${step.step}: first ${poll.path}`);
        const deadline = Date.now() + POLL_DEADLINE_MS;
        while (!poll.until.includes(at(body, poll.path))) {
          assert.ok(poll.pending.includes(at(body, poll.path)),
            `${step.step}: ${poll.path} went ${seen.join(' -> ')}`);
          assert.ok(Date.now() < deadline, `${step.step}: still ${seen.join(' -> ')} after ${POLL_DEADLINE_MS} ms`);
          await sleep(POLL_INTERVAL_MS);
          answer = await send(step);
          body = parseBody(answer, step);
          seen.push(at(body, poll.path));
        }
      }
      assert.equal(answer.reconnected, false, `${step.step}: the server closed the keep-alive connection`);
      checkAnswer(step, answer, body, bound);
      for (const [name, member] of Object.entries(step.bind || {})) {
        bound[name] = at(body, member);
        assert.match(String(bound[name]), /^[0-9a-f-]{36}$/, `${step.step}: ${member}`);
      }
    });
  }
});
