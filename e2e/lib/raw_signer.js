'use strict';
// An independent SDK-HMAC-SHA256 signer (written from the documented
// algorithm, node:crypto only) for requests the SDK cannot send: malformed
// JSON, stale dates, tampered bodies, and recorded requests of other SDKs
// re-signed over the header list those SDKs signed (authorization()).
const crypto = require('node:crypto');
const http = require('node:http');

const UNRESERVED = /[A-Za-z0-9\-_.~]/;
function encode(text) {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += UNRESERVED.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}
const sha256 = (data) => crypto.createHash('sha256').update(data).digest('hex');

function canonicalRequest(method, target, headers, body, signed) {
  const [rawPath, rawQuery = ''] = target.split('?');
  let uri = rawPath.split('/').map(encode).join('/');
  if (!uri.endsWith('/')) uri += '/';
  const pairs = rawQuery.split('&').filter(Boolean).map((part) => {
    const [k, v = ''] = part.split('=');
    return [decodeURIComponent(k), decodeURIComponent(v)];
  }).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const query = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&');
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const canonicalHeaders = signed.map((name) => `${name}:${String(lower[name] || '').trim()}\n`).join('');
  return [method, uri, query, canonicalHeaders, signed.join(';'), sha256(body)].join('\n');
}

function sdkDate(date) {
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

// The Authorization value for a request signing exactly the lower-case header
// names in `signed` (e.g. the list another SDK signed, parsed from its
// Authorization header); `date` is the request's X-Sdk-Date value.
function authorization({ method, target, headers, body = '', signed, ak, sk, date }) {
  const stringToSign = ['SDK-HMAC-SHA256', date,
    sha256(canonicalRequest(method, target, headers, body, signed))].join('\n');
  const signature = crypto.createHmac('sha256', sk).update(stringToSign).digest('hex');
  return `SDK-HMAC-SHA256 Access=${ak}, SignedHeaders=${signed.join(';')}, Signature=${signature}`;
}

// Sends a signed request; returns {status, headers, body (parsed JSON or text)}.
// `headers` are extra unsigned headers (e.g. X-Client-Token).
function signedRequest(endpoint, { method, target, body = '', ak, sk, project, date = new Date(),
  tamper, headers: extraHeaders = {} } = {}) {
  const url = new URL(endpoint);
  const headers = {
    'Content-Type': 'application/json',
    'X-Project-Id': project,
    'X-Sdk-Date': sdkDate(date),
    host: url.host,
  };
  headers.Authorization = authorization({ method, target, headers, body, ak, sk,
    signed: ['content-type', 'host', 'x-project-id', 'x-sdk-date'], date: headers['X-Sdk-Date'] });
  Object.assign(headers, extraHeaders);
  const sentBody = tamper ? tamper(body) : body;
  headers['Content-Length'] = Buffer.byteLength(sentBody);
  return new Promise((resolve, reject) => {
    const request = http.request({ host: url.hostname, port: url.port, method, path: target, headers },
      (response) => {
        let data = '';
        response.on('data', (chunk) => { data += chunk; });
        response.on('end', () => {
          let parsed = data;
          try { parsed = JSON.parse(data); } catch { /* keep text */ }
          resolve({ status: response.statusCode, headers: response.headers, body: parsed });
        });
      });
    request.on('error', reject);
    request.end(sentBody);
  });
}

module.exports = { signedRequest, canonicalRequest, authorization, sdkDate };
