'use strict';
// Request signers of the two Terraform providers' Go SDKs, written from their
// algorithms (node:crypto only), and a plain HTTP sender:
//  - golangsdk (huaweicloud provider), auth/core/signer/signer.go: signs the
//    sorted lower-case keys of Go's header map, which never holds Host; query
//    read as url.Query() ('+' is a space), every value, sorted; the decoded path;
//    X-Project-Id / X-Domain-Id are added after signing.
//  - gophertelekomcloud (opentelekomcloud provider), signer_helper.go: adds Host
//    and X-Sdk-Date to the map, then signs every key with a key derived
//    HMAC("SDK"+SK, yyyymmdd) -> region -> service -> "sdk_request" (the provider
//    passes empty region and service) and the scope in the string to sign;
//    header values have whitespace runs folded; each query key's first value.
const crypto = require('node:crypto');
const http = require('node:http');
const https = require('node:https');

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
function escape(text, keepSlash = false) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) || (keepSlash && ch === '/') ? ch
      : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');
const hmac = (key, data) => crypto.createHmac('sha256', key).update(data).digest();

function sdkDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// Go's url.ParseQuery: key -> every value, first-seen key order.
function goQuery(rawQuery) {
  const values = new Map();
  for (const part of rawQuery.split('&')) {
    if (!part) continue;
    const at = part.indexOf('=');
    const [k, v] = at < 0 ? [part, ''] : [part.slice(0, at), part.slice(at + 1)];
    const key = decodeURIComponent(k.replace(/\+/g, ' '));
    const value = decodeURIComponent(v.replace(/\+/g, ' '));
    if (!values.has(key)) values.set(key, []);
    values.get(key).push(value);
  }
  return values;
}

// Returns the headers to send (the map after signing plus Authorization).
function signGolangsdk({ method, target, headers, body = '', ak, sk, date = new Date() }) {
  const map = { ...headers, 'X-Sdk-Date': sdkDate(date) };
  const [rawPath, rawQuery = ''] = target.split('?');
  const signed = Object.keys(map).map((k) => k.toLowerCase()).sort();
  let uri = decodeURIComponent(rawPath).split('/').map((s) => escape(s)).join('/');
  if (!uri.endsWith('/')) uri += '/';
  const values = goQuery(rawQuery);
  const query = [...values.keys()].sort().flatMap((key) => [...values.get(key)].sort()
    .map((value) => `${escape(key)}=${escape(value)}`)).join('&');
  const lower = Object.fromEntries(Object.entries(map).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = signed.map((name) => `${name}:${String(lower[name]).trim()}\n`).join('');
  const canonical = [method, uri, query, canonicalHeaders, signed.join(';'), sha256(body)].join('\n');
  const stringToSign = ['SDK-HMAC-SHA256', map['X-Sdk-Date'], sha256(canonical)].join('\n');
  const signature = crypto.createHmac('sha256', sk).update(stringToSign).digest('hex');
  return { ...map,
    Authorization: `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${signed.join(';')}, Signature=${signature}` };
}

function signGophertelekomcloud({ method, target, headers, body = '', ak, sk, host, date = new Date(),
  region = '', service = '' }) {
  const map = { ...headers, Host: host, 'X-Sdk-Date': sdkDate(date) };
  const [rawPath, rawQuery = ''] = target.split('?');
  const names = Object.keys(map).sort((a, b) => {
    const [x, y] = [a.toLowerCase(), b.toLowerCase()];
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const signed = names.map((name) => name.toLowerCase());
  let path = decodeURIComponent(rawPath);
  if (!path.startsWith('/')) path = '/' + path;
  if (!path.endsWith('/')) path += '/';
  const values = goQuery(rawQuery);
  const query = [...values.entries()].map(([k, v]) => [escape(k), escape(v[0])])
    .sort((a, b) => (a[0].toLowerCase() < b[0].toLowerCase() ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`).join('&');
  const canonicalHeaders = names.map((name) =>
    `${name.toLowerCase()}:${String(map[name]).replace(/[\t\n\f\r ]+/g, ' ')}\n`).join('');
  const canonical = [method, escape(path, true), query, canonicalHeaders, signed.join(';'),
    sha256(body)].join('\n');
  const day = map['X-Sdk-Date'].slice(0, 8);
  const scope = [day, region, service, 'sdk_request'].join('/');
  const stringToSign = ['SDK-HMAC-SHA256', map['X-Sdk-Date'], scope, sha256(canonical)].join('\n');
  let key = hmac('SDK' + sk, day);
  key = hmac(key, region);
  key = hmac(key, service);
  key = hmac(key, 'sdk_request');
  const signature = crypto.createHmac('sha256', key).update(stringToSign).digest('hex');
  return { ...map,
    Authorization: `SDK-HMAC-SHA256 Credential=${ak}/${scope}, SignedHeaders=${signed.join(';')}, Signature=${signature}` };
}

// Sends a request; returns {status, headers, body (parsed JSON or text)}. An
// https:// endpoint is trusted through the e2e test CA (lib/server.js).
function send(endpoint, { method, target, headers = {}, body = '' }) {
  const url = new URL(endpoint);
  const sent = { ...headers };
  delete sent.Host;
  sent['Content-Length'] = Buffer.byteLength(body);
  const tls = url.protocol === 'https:';
  const transport = tls ? https : http;
  const ca = tls ? require('./server').testCertificateAuthority().ca : undefined;
  return new Promise((resolve, reject) => {
    const request = transport.request({ host: url.hostname, port: url.port, method, path: target,
      headers: sent, ca }, (response) => {
      let data = '';
      response.on('data', (chunk) => { data += chunk; });
      response.on('end', () => {
        let parsed = data;
        try { parsed = JSON.parse(data); } catch { /* keep text */ }
        resolve({ status: response.statusCode, headers: response.headers, body: parsed });
      });
    });
    request.on('error', reject);
    request.end(body);
  });
}

module.exports = { signGolangsdk, signGophertelekomcloud, send, sdkDate };
