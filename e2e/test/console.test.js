'use strict';
// The web console in a real browser: playwright-core drives Debian's chromium
// (/usr/bin/chromium, installed by scripts/install-deps.sh --e2e; never a
// downloaded browser). Smart Connect is enabled through the official SDK with
// "seconds" timing, and the console must show the job in progress, then
// SUCCEEDED with the instance RUNNING and its connector enabled. Screenshots go
// to e2e/artifacts/ (gitignored).
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const { startServer } = require('../lib/server');
const { kafkaClient, requests, DEMO } = require('../lib/client');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
const haveChromium = fs.existsSync(CHROMIUM);
const skip = haveChromium ? false
  : `chromium not found at ${CHROMIUM}: run ./scripts/install-deps.sh --e2e (apt package "chromium")`;

let server;
let browser;
let userDataDir;

before(async () => {
  if (!haveChromium) return;
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  // Read-gated timing so the browser sees the job in progress for as long as
  // the test needs (console polls do not count as reads).
  server = await startServer({ jobSeconds: ['0', 'kafka.enable_connector=reads:3'] });
  const { chromium } = require('playwright-core');
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'connectplane-chromium-'));
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1100 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

after(async () => {
  if (browser) await browser.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  if (server) { await server.stop(); server.cleanup(); }
});

test('the console shows a Smart Connect job from in progress to SUCCESS', { skip, timeout: 90000 }, async () => {
  const page = browser.pages()[0] || await browser.newPage();
  const consoleErrors = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  // Whatever the page's Content-Security-Policy blocks is reported here.
  page.on('console', (message) => {
    if (/Content Security Policy|Refused to/.test(message.text())) consoleErrors.push(message.text());
  });
  // Only the server itself may be contacted: no CDN, no external asset.
  const foreign = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(server.endpoint)) foreign.push(request.url());
  });

  const loaded = await page.goto(`${server.endpoint}/_connectplane/console/`);
  assert.equal(loaded.headers()['x-frame-options'], 'DENY');
  assert.match(loaded.headers()['content-security-policy'], /frame-ancestors 'none'/);
  await page.waitForSelector(`#live[data-state="live"]`, { timeout: 15000 });
  await page.waitForSelector(`tr[data-instance-id="${DEMO.instance}"][data-status="RUNNING"][data-connector="disabled"]`,
    { timeout: 15000 });
  await page.waitForSelector(`tr[data-tenant="${DEMO.project}"]`, { timeout: 5000 });

  const client = kafkaClient(server.endpoint);
  const enabled = await client.createConnector(requests.enable(DEMO.instance));
  assert.ok(enabled.job_id);

  // In progress: the job row is PENDING and the instance EXTENDING.
  const jobRow = `tr[data-job-id="${enabled.job_id}"]`;
  await page.waitForSelector(`${jobRow}[data-status="PENDING"]`, { timeout: 15000 });
  await page.waitForSelector(`tr[data-instance-id="${DEMO.instance}"][data-status="EXTENDING"]`, { timeout: 15000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-job-in-progress.png'), fullPage: true });
  const progressText = await page.textContent(`${jobRow} .progress-label`);
  assert.match(progressText, /waiting for 3 more read/);

  // The SDK polls the instance like a client would; the third read completes the job.
  for (let read = 0; read < 3; read += 1) {
    await client.showInstance(requests.show(DEMO.instance));
  }

  // Done: SUCCEEDED, instance RUNNING with the connector enabled, in the audit trail.
  await page.waitForSelector(`${jobRow}[data-status="SUCCEEDED"][data-progress="100"]`, { timeout: 30000 });
  await page.waitForSelector(`tr[data-instance-id="${DEMO.instance}"][data-status="RUNNING"][data-connector="enabled"]`,
    { timeout: 15000 });
  await page.waitForSelector(`tr[data-resource-id="${DEMO.instance}"][data-to-status="RUNNING"]`, { timeout: 15000 });
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-job-succeeded.png'), fullPage: true });

  // The SDK agrees with what the console shows.
  const task = await client.showBackgroundTask(requests.task(DEMO.instance, enabled.job_id));
  assert.equal(task.tasks[0].status, 'SUCCESS');
  const instance = await client.showInstance(requests.show(DEMO.instance));
  assert.equal(instance.status, 'RUNNING');
  assert.equal(instance.connector_enable, true);

  assert.deepEqual(consoleErrors, []);
  assert.deepEqual(foreign, []);
});

test('the console controls change the emulator timing', { skip, timeout: 60000 }, async () => {
  const page = browser.pages()[0] || await browser.newPage();
  await page.goto(`${server.endpoint}/_connectplane/console/`);
  await page.waitForSelector(`#live[data-state="live"]`, { timeout: 15000 });
  await page.fill('#timing-form input[name="job_type"]', 'kafka.disable_connector');
  await page.selectOption('#timing-form select[name="mode"]', 'seconds');
  await page.fill('#timing-form input[name="seconds"]', '7');
  await page.click('#timing-form button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('message').textContent === 'timing applied',
    null, { timeout: 10000 });
  const timing = await (await fetch(`${server.endpoint}/_connectplane/timing`)).json();
  assert.match(JSON.stringify(timing), /kafka\.disable_connector/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'console-controls.png'), fullPage: true });
});

test('metrics and the audit trail are served next to the console', { skip }, async () => {
  const metrics = await fetch(`${server.endpoint}/metrics`);
  assert.equal(metrics.status, 200);
  const text = await metrics.text();
  assert.match(text, /connectplane_http_requests_total\{dialect="dms",operation="CreateConnector",status="200"\} 1/);
  assert.match(text, /connectplane_job_duration_seconds_count\{type="kafka.enable_connector",outcome="succeeded"\} 1/);
  assert.match(text, /connectplane_jobs\{type="kafka.enable_connector",status="SUCCEEDED"\} 1/);
  const audit = await (await fetch(`${server.endpoint}/_connectplane/audit?resource_id=${DEMO.instance}`)).json();
  const transitions = audit.entries.map((e) => `${e.actor} ${e.from_status}->${e.to_status}`).reverse();
  assert.deepEqual(transitions,
    ['admin ->RUNNING', `${DEMO.ak} RUNNING->EXTENDING`, 'job-runner EXTENDING->RUNNING']);
});

// What a hostile-input probe did from a foreign web page: cross-site "simple"
// requests (no preflight) to the admin API, and framing the console. The
// browser sends them; the server must refuse them and change nothing.
test('a page of another origin can neither drive the admin API nor frame the console', { skip, timeout: 60000 }, async () => {
  const admin = async (method, route, body) => {
    const response = await fetch(`${server.endpoint}/_connectplane/${route}`, {
      method, headers: method === 'GET' ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.json();
  };
  assert.ok((await admin('POST', 'faults', { kind: 'job', job_type: 'kafka.delete_instance', count: 1 })).id);
  const faultsBefore = JSON.stringify(await admin('GET', 'faults'));
  const evil = http.createServer((request, response) => {
    response.writeHead(200, { 'Content-Type': 'text/html' });
    response.end(`<!doctype html><iframe id="framed" src="${server.endpoint}/_connectplane/console/"></iframe>`);
  });
  await new Promise((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    const page = await browser.newPage();
    const refusedFraming = new Promise((resolve) => {
      page.on('console', (message) => {
        if (message.text().includes("frame-ancestors 'none'")) resolve(message.text());
      });
      setTimeout(() => resolve('the console was framed: no refusal within 15 s'), 15000);
    });
    await page.goto(`http://127.0.0.1:${evil.address().port}/`);
    // The browser refuses to show the console inside the foreign page.
    assert.match(await refusedFraming, /The request has been blocked/);
    // Cross-site POSTs a page may send without asking (text/plain, a form
    // encoding, no body type): reset everything, inject a fault.
    const sent = await page.evaluate(async (base) => {
      const results = [];
      for (const [route, type, body] of [
        ['reset', 'text/plain', '{}'],
        ['reset', 'application/x-www-form-urlencoded', '{}'],
        ['faults', 'text/plain', '{"kind":"api","http_status":503}'],
      ]) {
        const response = await fetch(`${base}/_connectplane/${route}`,
          { method: 'POST', mode: 'no-cors', headers: { 'Content-Type': type }, body });
        results.push(response.type);
      }
      return results;
    }, server.endpoint);
    assert.deepEqual(sent, ['opaque', 'opaque', 'opaque']);  // the browser did send them
    assert.equal(JSON.stringify(await admin('GET', 'faults')), faultsBefore);
    assert.equal(page.frames().filter((frame) => frame.url().includes('/_connectplane/')).length, 0);
    await page.close();
  } finally {
    evil.closeAllConnections();  // the browser keeps its connection alive
    await new Promise((resolve) => evil.close(resolve));
    await admin('DELETE', 'faults');
  }
});
