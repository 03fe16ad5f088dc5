'use strict';
// The machinery the huaweicloud and opentelekomcloud Terraform providers share,
// rebuilt so their DMS call sequences can be replayed without Go or Terraform:
//   - GoProviderClient: one request as the providers' Go SDKs send it. Headers
//     are those ProviderClient.doRequest puts in the Go header map before
//     signing (Content-Type only with a JSON body, Accept, User-Agent, then the
//     call's MoreHeaders), signed by lib/provider_signers.js, then X-Project-Id
//     added after signing. Bodies are encoded as Go's json.Encoder encodes the
//     map[string]interface{} golangsdk.BuildRequestBody / utils.RemoveNil give it:
//     keys sorted, no HTML escaping, a trailing newline. A status outside the
//     call's OkCodes (or the SDK's per-method defaults) is a ProviderHttpError.
//       golangsdk (huaweicloud, vendored chnsz/golangsdk v0.0.0-20260806124942):
//         provider_client.go doRequest, jsonMarshal, defaultOkCodes
//       gophertelekomcloud 30e33075 (opentelekomcloud): provider_client.go
//         Request, defaultOkCodes; internal/extract/json.go JsonMarshal
//   - waitForState: terraform-plugin-sdk v2 helper/retry StateChangeConf.
//     WaitForStateContext: Delay, then refresh; a refresh error ends the wait; a
//     nil result counts against NotFoundChecks (20); a target state ends it; a
//     state outside a non-empty Pending list is an unexpected-state error; then
//     PollInterval, or MinTimeout doubling up to 10 s when no PollInterval is set.
//   - retryContextWithWaitForState: huaweicloud/common/common.go (the OTC provider
//     has the same helper): call; on the busy code DMS.00400026 wait for the
//     instance to reach the target, then call again.
// Time: each provider duration is multiplied by `timeScale`, so a replay polls in
// the provider's rhythm, only faster; every wait has a real deadline (timeoutMs)
// standing in for the schema timeouts (15-50 minutes).
const assert = require('node:assert/strict');
const { signGolangsdk, signGophertelekomcloud, send } = require('./provider_signers');

const SOURCES = {
  huaweicloud: {
    repo: 'huaweicloud/terraform-provider-huaweicloud',
    version: 'v1.97.1+21 commits (a0345b8d, 2026-08-21)',
    sdk: 'chnsz/golangsdk v0.0.0-20260806124942-eb803422874d (vendored)',
  },
  opentelekomcloud: {
    repo: 'opentelekomcloud/terraform-provider-opentelekomcloud',
    version: 'v1.36.23+3 commits (88f1cf1e, 2024-10-24)',
    sdk: 'opentelekomcloud/gophertelekomcloud v0.9.4-0.20241022142145-30e3307593c0',
  },
};

/**
 * Go's encoding/json over maps: sorted keys, SetEscapeHTML(false), Encode's newline.
 * (Go also writes U+2028/U+2029 as \u escapes; no replayed body carries them.)
 */
function goJson(value) {
  const sortDeep = (v) => {
    if (Array.isArray(v)) return v.map(sortDeep);
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.keys(v).sort().map((key) => [key, sortDeep(v[key])]));
    }
    return v;
  };
  return JSON.stringify(sortDeep(value)) + '\n';
}

/** utils.RemoveNil (huaweicloud/utils/utils.go): drops nil members, recursively; keeps "" and false. */
function removeNil(value) {
  if (Array.isArray(value)) return value.map(removeNil);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, removeNil(v)]));
  }
  return value;
}

/** utils.ValueIgnoreEmpty: the Go zero value ("", 0, false, empty list/map) becomes nil. */
function ignoreEmpty(value) {
  if (value === '' || value === 0 || value === false || value === null || value === undefined) return undefined;
  if (Array.isArray(value) && value.length === 0) return undefined;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return undefined;
  return value;
}

/** golangsdk.BuildRequestBody's omitempty: zero-valued members of an omitempty tag are left out. */
function omitEmpty(body, { keep = [] } = {}) {
  return Object.fromEntries(Object.entries(body).filter(([key, v]) => keep.includes(key) ||
    ignoreEmpty(v) !== undefined));
}

class ProviderHttpError extends Error {
  constructor(method, target, status, body) {
    super(`${method} ${target}: unexpected status ${status}: ${JSON.stringify(body)}`);
    Object.assign(this, { method, target, status, body });
  }
  get errorCode() { return this.body && this.body.error_code; }
}

const DEFAULT_OK = {
  golangsdk: { GET: [200], POST: [200, 201, 202], PUT: [200, 201, 202], DELETE: [200, 202, 204] },
  gophertelekomcloud: { GET: [200], POST: [201, 202], PUT: [201, 202], DELETE: [202, 204] },
};

class GoProviderClient {
  /**
   * sdk: 'golangsdk' | 'gophertelekomcloud'. endpoint: the connectplane base URL.
   * Every call is appended to `calls` as {method, target, body}, so a test can
   * assert the sequence the provider made.
   */
  constructor({ sdk, endpoint, ak, sk, projectId, userAgent }) {
    Object.assign(this, { sdk, endpoint, ak, sk, projectId, userAgent, calls: [] });
    this.host = new URL(endpoint).host;
  }

  async request(method, target, { body, moreHeaders = {}, okCodes } = {}) {
    const text = body === undefined ? '' : goJson(body);
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    headers.Accept = 'application/json';
    headers['User-Agent'] = this.userAgent;
    for (const [name, value] of Object.entries(moreHeaders)) {
      const existing = Object.keys(headers).find((key) => key.toLowerCase() === name.toLowerCase());
      if (existing) delete headers[existing];
      if (value !== '') headers[name] = value;
    }
    const signed = this.sdk === 'golangsdk'
      ? signGolangsdk({ method, target, headers, body: text, ak: this.ak, sk: this.sk })
      : signGophertelekomcloud({ method, target, headers, body: text, ak: this.ak, sk: this.sk,
        host: this.host });
    // Both SDKs set X-Project-Id after signing (AK/SK with a project, no domain).
    signed['X-Project-Id'] = this.projectId;
    this.calls.push({ method, target, body: body === undefined ? undefined : JSON.parse(text) });
    const answer = await send(this.endpoint, { method, target, headers: signed, body: text });
    const ok = okCodes || DEFAULT_OK[this.sdk][method];
    if (!ok.includes(answer.status)) throw new ProviderHttpError(method, target, answer.status, answer.body);
    return answer.body;
  }

  /**
   * The calls since `mark` (an earlier calls.length) as "METHOD target" lines,
   * with `ids` (name -> value) written back as {name}; consecutive repeats
   * (a polling loop) are folded into one line ending in " (xN)".
   */
  callsSince(mark, ids = {}) {
    const lines = this.calls.slice(mark).map((call) => {
      let line = `${call.method} ${call.target}`;
      for (const [name, value] of Object.entries(ids)) line = line.split(value).join(`{${name}}`);
      return line;
    });
    const folded = [];
    for (const line of lines) {
      const last = folded[folded.length - 1];
      if (last && last.line === line) last.count += 1;
      else folded.push({ line, count: 1 });
    }
    return folded.map(({ line, count }) => (count > 1 ? `${line} (x${count})` : line));
  }
}

const is404 = (err) => err instanceof ProviderHttpError && err.status === 404;

// The refresh function both providers' instance waits use: the instance and its
// status, or ({}, "DELETED") once reading it answers 404.
function instanceStateOr404Deleted(readInstance) {
  return async () => {
    try {
      const instance = await readInstance();
      return [instance, instance.status];
    } catch (err) {
      if (is404(err)) return [{}, 'DELETED'];
      throw err;
    }
  };
}

const sleep = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

class Clock {
  constructor({ timeScale = 0.002, timeoutMs = 20000 } = {}) {
    Object.assign(this, { timeScale, timeoutMs });
  }
  pause(seconds) { return sleep(seconds * 1000 * this.timeScale); }
}

/**
 * StateChangeConf.WaitForStateContext. refresh() returns [result, state];
 * durations in provider seconds. Returns the result that reached a target.
 */
async function waitForState(clock, { refresh, pending = [], target, delay = 0, pollInterval = 0,
  minTimeout = 0, notFoundChecks = 20, what }) {
  const deadline = Date.now() + clock.timeoutMs;
  await clock.pause(delay);
  let notFound = 0;
  let wait = minTimeout || 0.1;
  for (;;) {
    const [result, state] = await refresh();
    if (result === null || result === undefined) {
      notFound += 1;
      if (notFound > notFoundChecks) throw new Error(`${what}: couldn't find resource (${notFound} retries)`);
    } else {
      notFound = 0;
      if (target.includes(state)) return result;
      if (pending.length > 0 && !pending.includes(state)) {
        throw new Error(`${what}: unexpected state '${state}', wanted target '${target.join(', ')}'`);
      }
    }
    if (Date.now() > deadline) throw new Error(`${what}: timeout while waiting for ${target.join(', ')} (last ${state})`);
    if (pollInterval > 0) {
      await clock.pause(pollInterval);
    } else {
      await clock.pause(wait);
      wait = Math.min(wait * 2, 10);
    }
  }
}

/** common.RetryContextWithWaitForState with handleMultiOperationsError's retryable codes. */
async function retryContextWithWaitForState(clock, { call, waitRefresh, waitTarget, delay, pollInterval, what }) {
  const deadline = Date.now() + clock.timeoutMs;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      const busy = err instanceof ProviderHttpError && err.status === 400 &&
        ['DMS.00400026', 'CBC.99003651'].includes(err.errorCode);
      if (!busy || Date.now() > deadline) throw err;
      await waitForState(clock, { refresh: waitRefresh, target: waitTarget, delay, pollInterval, what });
      await clock.pause(pollInterval);
    }
  }
}

/** utils.FormatTimeStampRFC3339(ms/1000, false): local time zone, here UTC. */
function formatTimeStampRFC3339(seconds) {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The members of `members` the answer does not carry (Go decodes them as zero values). */
function absentMembers(body, members) {
  return members.filter((member) => body[member] === undefined || body[member] === null);
}

/**
 * Terraform's plan after a refresh: the attributes whose refreshed value differs
 * from the state. An empty list is "No changes".
 */
function stateDiff(before, after) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((key) => {
    try { assert.deepStrictEqual(after[key], before[key]); return false; } catch { return true; }
  }).sort();
}

module.exports = { SOURCES, GoProviderClient, ProviderHttpError, Clock, waitForState,
  retryContextWithWaitForState, goJson, removeNil, ignoreEmpty, omitEmpty, is404,
  instanceStateOr404Deleted, stateDiff, absentMembers,
  formatTimeStampRFC3339 };
