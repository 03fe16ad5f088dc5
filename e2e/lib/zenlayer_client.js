'use strict';
// A minimal Zenlayer Cloud API 2.0 client for the e2e tests, written from the
// documented ZC2-HMAC-SHA256 algorithm (docs/reference/zenlayer-sdn-api.md
// section 1.3), independently of the server's C++ signer. Node built-ins only.
//
//   const zc = new ZenlayerClient({ endpoint, accessKeyId, accessKeyPassword });
//   const tc = new ZenlayerClient({ endpoint, token });  // the SDKs' token mode:
//     Authorization: Bearer <token> and no x-zc-timestamp / x-zc-signature-method
//   new ZenlayerClient({ ..., version: '2026-04-01' })    // X-ZC-Version, default 2023-08-30
//   const res = await zc.call('DescribePrivateConnects', { pageSize: 10 });
//   res.status, res.headers, res.body (parsed JSON, or the raw text when not JSON)
//
// Options of call(action, params, opts) let a test break one thing at a time:
//   rawBody       send these exact bytes instead of JSON.stringify(params)
//   timestamp     X-ZC-Timestamp (Unix seconds), default now
//   omitAction    send no X-ZC-Action header
//   signature     replace the computed signature
//   password      sign with this password instead of the client's
//   authorization replace the whole Authorization header value (null = omit)
//   path          request path, default /api/v2/sdn
//   method        default POST
//   headers       extra headers (unsigned), e.g. { 'idempotency-key': 'k1' }
//   version       X-ZC-Version for this call (null = omit the header)

const crypto = require('node:crypto');
const http = require('node:http');

const ALGORITHM = 'ZC2-HMAC-SHA256';
const SIGNED_HEADERS = 'content-type;host';
const CONTENT_TYPE = 'application/json';
const SDN_VERSION = '2023-08-30';

function sha256Hex(data) {
  return crypto.createHash('sha256').update(data, 'utf8').digest('hex');
}

/** Step 1-7 of the documented algorithm; returns every intermediate value. */
function sign({ password, timestamp, contentType, host, body }) {
  const hashedPayload = sha256Hex(body);
  const canonicalHeaders = `content-type:${contentType}\nhost:${host}\n`;
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, SIGNED_HEADERS, hashedPayload].join('\n');
  const hashedCanonicalRequest = sha256Hex(canonicalRequest);
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${hashedCanonicalRequest}`;
  const signature = crypto.createHmac('sha256', Buffer.from(password, 'utf8'))
    .update(stringToSign, 'utf8').digest('hex');
  return { hashedPayload, canonicalRequest, hashedCanonicalRequest, stringToSign, signature };
}

function authorizationHeader(accessKeyId, signature) {
  return `${ALGORITHM} Credential=${accessKeyId}, SignedHeaders=${SIGNED_HEADERS}, Signature=${signature}`;
}

class ZenlayerClient {
  constructor({ endpoint, accessKeyId, accessKeyPassword, token, version }) {
    this.url = new URL(endpoint);
    this.accessKeyId = accessKeyId;
    this.accessKeyPassword = accessKeyPassword;
    this.token = token;
    this.version = version || SDN_VERSION;
  }

  /** Sends one action; resolves with { status, headers, body, text }. */
  call(action, params = {}, opts = {}) {
    const body = opts.rawBody !== undefined ? opts.rawBody : JSON.stringify(params);
    const host = this.url.host;  // hostname:port, exactly what goes in the Host header
    const timestamp = String(opts.timestamp !== undefined ? opts.timestamp : Math.floor(Date.now() / 1000));
    // Token mode signs nothing.
    const signed = this.token !== undefined ? null : sign({
      password: opts.password !== undefined ? opts.password : this.accessKeyPassword,
      timestamp,
      contentType: CONTENT_TYPE,
      host,
      body,
    });
    // Lower-case names, as the official SDKs send them.
    const headers = {
      'content-type': CONTENT_TYPE,
      host,
      'x-zc-service': 'sdn',
      'content-length': Buffer.byteLength(body, 'utf8'),
    };
    const version = opts.version !== undefined ? opts.version : this.version;
    if (version !== null) headers['x-zc-version'] = version;
    if (this.token === undefined) {
      headers['x-zc-timestamp'] = timestamp;
      headers['x-zc-signature-method'] = ALGORITHM;
    }
    if (!opts.omitAction) headers['x-zc-action'] = action;
    Object.assign(headers, opts.headers || {});
    let authorization;
    if (opts.authorization !== undefined) {
      authorization = opts.authorization;
    } else if (this.token !== undefined) {
      authorization = `Bearer ${this.token}`;
    } else {
      authorization = authorizationHeader(this.accessKeyId, opts.signature || signed.signature);
    }
    if (authorization !== null) headers.authorization = authorization;

    return new Promise((resolve, reject) => {
      const req = http.request({
        hostname: this.url.hostname,
        port: this.url.port,
        path: opts.path || '/api/v2/sdn',
        method: opts.method || 'POST',
        headers,
      }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed = text;
          try { parsed = JSON.parse(text); } catch (_) { /* keep the raw text */ }
          resolve({ status: res.statusCode, headers: res.headers, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  /** Calls and insists on HTTP 200; returns body.response. */
  async ok(action, params = {}) {
    const res = await this.call(action, params);
    if (res.status !== 200) {
      throw new Error(`${action} -> HTTP ${res.status}: ${res.text}`);
    }
    return res.body.response;
  }
}

module.exports = { ZenlayerClient, sign, authorizationHeader, sha256Hex, ALGORITHM };
