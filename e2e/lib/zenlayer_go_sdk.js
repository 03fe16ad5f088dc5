'use strict';
// Sends Zenlayer SDN calls the way the official Go SDK does, for replaying the
// Terraform provider (terraform-provider-zenlayercloud 0.2.28 pins
// github.com/zenlayer/zenlayercloud-sdk-go v0.2.40). Node built-ins only.
//
// What is reproduced, from zenlayercloud-sdk-go v0.2.40 (tag a0d9d84a):
// - common/client.go ApiCall: headers x-zc-version, x-zc-service, x-zc-action,
//   x-zc-sdk-version "0.2.40", x-zc-sdk-lang "go", Host, x-zc-request-client
//   (the provider sets "Terraform-latest", connectivity/client.go), Content-Type
//   "application/json"; then either Authorization "Bearer <token>"
//   (TokenCredential) or x-zc-signature-method + x-zc-timestamp + the
//   ZC2-HMAC-SHA256 Authorization (signRequest: canonical URI "/", signed
//   headers content-type;host, hex HMAC keyed with the password).
// - The header map is copied with Header[k] = v (no canonicalisation), so the
//   names go out exactly as spelled there. net/http writes Host, User-Agent
//   (Go-http-client/1.1), Content-Length, then the header map sorted by name,
//   then the transport's Accept-Encoding: gzip. POST to /api/v2/sdn.
// - The body is encoding/json.Marshal of the request struct: fields in struct
//   order, `omitempty` drops "", 0, false, nil pointers and empty slices, but
//   never a struct value (CreatePrivateConnectRequest.endpointA/Z are always
//   sent); strings escaped as Go does (<, >, & and U+2028/9 as \u00XX/\u20XX).
// - Answers are decoded like encoding/json.Unmarshal into the response structs
//   (common/response.go ParseFromHttpResponse): HTTP 200 -> the typed struct,
//   with Go zero values for absent members and a JSON_PARSE_FAILED error for a
//   member of the wrong JSON type (e.g. a string where the struct has an int);
//   other statuses -> ZenlayerCloudSdkError{code, message, requestId}.
//
//   const sdk = new GoSdkClient({ endpoint, accessKeyId, accessKeyPassword });  // signed
//   const sdk = new GoSdkClient({ endpoint, token });                           // Bearer
//   const { response, wire } = await sdk.call('DescribePorts', { portIds: ['p1'] });
//   // throws GoSdkError {code, message, requestId, httpStatus, wire} like the SDK's error

const crypto = require('node:crypto');
const zlib = require('node:zlib');
const { RawConnection } = require('./raw_connection');

const SDK_VERSION = '0.2.40';
const SDK_LANG = 'go';
const API_VERSION = '2023-08-30';
const SERVICE = 'sdn';
const PATH = `/api/v2/${SERVICE}`;
const CONTENT_TYPE = 'application/json';
const ALGORITHM = 'ZC2-HMAC-SHA256';
const GO_USER_AGENT = 'Go-http-client/1.1';
// connectivity.ReqClient in terraform-provider-zenlayercloud 0.2.28.
const TERRAFORM_REQUEST_CLIENT = 'Terraform-latest';

// --- Go types, as the request/response structs of sdn20230830/models.go v0.2.40 declare them ---

const T = {
  string: { kind: 'string' },
  int: { kind: 'int' },
  int64: { kind: 'int' },
  float64: { kind: 'float' },
  bool: { kind: 'bool' },
  ptr: (elem) => ({ kind: 'ptr', elem }),
  slice: (elem) => ({ kind: 'slice', elem }),
  // fields: [[jsonName, type]] in struct order; all of them carry omitempty in the SDK.
  struct: (name, fields) => ({ kind: 'struct', name, fields }),
};

const MarketingInfo = T.struct('MarketingInfo', [['discountCode', T.string], ['usePocVoucher', T.bool]]);
const DatacenterInfo = T.struct('DatacenterInfo', [
  ['dcId', T.string], ['dcName', T.string], ['dcAddress', T.string], ['cityName', T.string],
  ['countryName', T.string], ['areaName', T.string], ['longitude', T.float64],
  ['latitude', T.float64], ['isPortAvailable', T.ptr(T.bool)], ['availableBandwidth', T.int],
]);
const PortInfo = T.struct('PortInfo', [
  ['portId', T.string], ['portName', T.string], ['portRemarks', T.string], ['portType', T.string],
  ['connectionStatus', T.string], ['portStatus', T.string], ['dcId', T.string], ['dcName', T.string],
  ['cityName', T.string], ['areaName', T.string], ['loaStatus', T.string],
  ['loaDownloadUrl', T.string], ['businessEntityName', T.string], ['createdTime', T.string],
  ['expiredTime', T.string], ['portChargeType', T.string], ['period', T.int],
]);
const CreateEndpointParam = T.struct('CreateEndpointParam', [
  ['subnetId', T.string], ['portId', T.string], ['vlanId', T.int], ['cloudAccountId', T.string],
  ['cloudRegionId', T.string], ['dcId', T.string], ['cloudType', T.string],
  ['endpointName', T.string], ['haType', T.string], ['cloudBandwidthMbps', T.int],
]);
const PrivateConnectEndpoint = T.struct('PrivateConnectEndpoint', [
  ['endpointId', T.string], ['endpointName', T.string], ['cloudRegionId', T.string],
  ['cloudAccountId', T.string], ['endpointType', T.string], ['dataCenter', T.ptr(DatacenterInfo)],
  ['vlanId', T.int], ['connectivityStatus', T.string],
]);
const PrivateConnect = T.struct('PrivateConnect', [
  ['privateConnectId', T.string], ['privateConnectName', T.string],
  ['connectivityStatus', T.string], ['endpointA', PrivateConnectEndpoint],
  ['endpointZ', PrivateConnectEndpoint], ['privateConnectStatus', T.string],
  ['bandwidthMbps', T.int64], ['resourceGroupId', T.string], ['resourceGroupName', T.string],
  ['createTime', T.string], ['expiredTime', T.string], ['recycledTime', T.string],
]);
const HAType = T.struct('HAType', [['haType', T.string], ['isUsed', T.bool]]);
const CloudRegion = T.struct('CloudRegion', [
  ['cloudRegionId', T.string], ['dataCenter', T.ptr(DatacenterInfo)],
  ['products', T.slice(T.string)], ['haTypes', T.slice(T.ptr(HAType))],
]);
const RequestIdOnly = [['requestId', T.string]];
const cloudRegionsParams = (name) => T.struct(name, [
  ['requestId', T.string], ['cloudRegions', T.slice(T.ptr(CloudRegion))]]);

// The response wrapper: `Response *XxxResponseParams` for the Describe/Create
// calls, an anonymous struct value for the others (a missing "response" then
// decodes to zero values instead of a nil pointer).
function wrapper(name, params, byValue = false) {
  return T.struct(name, [['requestId', T.string], ['response', byValue ? params : T.ptr(params)]]);
}

/** Action -> request struct and response struct, sdn20230830 v0.2.40. */
const ACTIONS = {
  CreatePort: {
    request: T.struct('CreatePortRequest', [
      ['dcId', T.string], ['portName', T.string], ['portRemarks', T.string], ['portType', T.string],
      ['businessEntityName', T.string], ['marketingOptions', T.ptr(MarketingInfo)]]),
    response: wrapper('CreatePortResponse', T.struct('CreatePortResponseParams', [
      ['requestId', T.string], ['portId', T.string]])),
  },
  ModifyPortAttribute: {
    request: T.struct('ModifyPortAttributeRequest', [
      ['portId', T.string], ['portName', T.string], ['portRemarks', T.string],
      ['businessEntityName', T.string]]),
    response: wrapper('ModifyPortAttributeResponse', T.struct('anon', RequestIdOnly), true),
  },
  TerminatePort: {
    request: T.struct('TerminatePortRequest', [['portId', T.string]]),
    response: wrapper('TerminatePortResponse', T.struct('anon', RequestIdOnly), true),
  },
  DestroyPort: {
    request: T.struct('DestroyPortRequest', [['portId', T.string]]),
    response: wrapper('DestroyPortResponse', T.struct('anon', RequestIdOnly), true),
  },
  DescribePorts: {
    request: T.struct('DescribePortsRequest', [
      ['portIds', T.slice(T.string)], ['dcId', T.string], ['portName', T.string],
      ['portRemarks', T.string], ['cityName', T.string], ['pageNum', T.int], ['pageSize', T.int]]),
    response: wrapper('DescribePortsResponse', T.struct('DescribePortsResponseParams', [
      ['requestId', T.string], ['totalCount', T.int], ['dataSet', T.slice(T.ptr(PortInfo))]])),
  },
  DescribeDatacenters: {
    request: T.struct('DescribeDatacentersRequest', [
      ['dcIds', T.slice(T.string)], ['isPortAvailable', T.bool]]),
    response: wrapper('DescribeDatacentersResponse', T.struct('DescribeDatacentersResponseParams', [
      ['requestId', T.string], ['dcSet', T.slice(T.ptr(DatacenterInfo))]])),
  },
  CreatePrivateConnect: {
    request: T.struct('CreatePrivateConnectRequest', [
      ['privateConnectName', T.string], ['endpointA', CreateEndpointParam],
      ['endpointZ', CreateEndpointParam], ['bandwidthMbps', T.int], ['resourceGroupId', T.string],
      ['marketingOptions', T.ptr(MarketingInfo)]]),
    response: wrapper('CreatePrivateConnectResponse', T.struct('CreatePrivateConnectResponseParams', [
      ['requestId', T.string], ['privateConnectId', T.string]])),
  },
  DescribePrivateConnects: {
    request: T.struct('DescribePrivateConnectsRequest', [
      ['privateConnectIds', T.slice(T.string)], ['privateConnectName', T.string],
      ['connectivityStatus', T.string], ['privateConnectStatus', T.string],
      ['endpointTypes', T.slice(T.string)], ['resourceGroupId', T.string], ['pageNum', T.int],
      ['pageSize', T.int]]),
    response: wrapper('DescribePrivateConnectsResponse',
      T.struct('DescribePrivateConnectsResponseParams', [
        ['requestId', T.string], ['totalCount', T.int],
        ['dataSet', T.slice(T.ptr(PrivateConnect))]])),
  },
  ModifyPrivateConnectsAttribute: {
    request: T.struct('ModifyPrivateConnectsAttributeRequest', [
      ['privateConnectIds', T.slice(T.string)], ['privateConnectName', T.string]]),
    response: wrapper('ModifyPrivateConnectsAttributeResponse', T.struct('anon', RequestIdOnly), true),
  },
  ModifyPrivateConnectBandwidth: {
    request: T.struct('ModifyPrivateConnectBandwidthRequest', [
      ['privateConnectId', T.string], ['bandwidthMbps', T.int]]),
    response: wrapper('ModifyPrivateConnectBandwidthResponse', T.struct('anon', RequestIdOnly), true),
  },
  DeletePrivateConnect: {
    request: T.struct('DeletePrivateConnectRequest', [['privateConnectId', T.string]]),
    response: wrapper('DeletePrivateConnectResponse', T.struct('anon', RequestIdOnly), true),
  },
  DestroyPrivateConnect: {
    request: T.struct('DestroyPrivateConnectRequest', [['privateConnectId', T.string]]),
    response: wrapper('DestroyPrivateConnectResponse', T.struct('anon', RequestIdOnly), true),
  },
  DescribeAWSRegions: {
    request: T.struct('DescribeAWSRegionsRequest', [['product', T.string]]),
    response: wrapper('DescribeAWSRegionsResponse', cloudRegionsParams('DescribeAWSRegionsResponseParams')),
  },
  DescribeGoogleRegions: {
    request: T.struct('DescribeGoogleRegionsRequest', [['pairingKey', T.string], ['product', T.string]]),
    response: wrapper('DescribeGoogleRegionsResponse',
      cloudRegionsParams('DescribeGoogleRegionsResponseParams')),
  },
  DescribeTencentRegions: {
    request: T.struct('DescribeTencentRegionsRequest', [['product', T.string]]),
    response: wrapper('DescribeTencentRegionsResponse',
      cloudRegionsParams('DescribeTencentRegionsResponseParams')),
  },
};

// --- encoding/json.Marshal ---

/** A Go string literal as encoding/json writes it (HTML-safe; Go >= 1.22 writes \b and \f short). */
function goQuote(s) {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\b') out += '\\b';
    else if (ch === '\f') out += '\\f';
    else if (cp < 0x20 || ch === '<' || ch === '>' || ch === '&' || cp === 0x2028 || cp === 0x2029) {
      out += `\\u${cp.toString(16).padStart(4, '0')}`;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      out += '\ufffd';  // a lone surrogate is invalid UTF-8 in Go: replaced
    } else {
      out += ch;
    }
  }
  return `${out}"`;
}

function isEmpty(type, value) {
  if (value === undefined || value === null) return true;
  switch (type.kind) {
    case 'string': return value === '';
    case 'int': case 'float': return value === 0;
    case 'bool': return value === false;
    case 'slice': return value.length === 0;
    case 'ptr': return false;
    case 'struct': return false;  // omitempty never drops a struct value
    default: throw new Error(`unknown kind ${type.kind}`);
  }
}

function marshalValue(type, value, where) {
  switch (type.kind) {
    case 'string':
      if (typeof value !== 'string') throw new TypeError(`${where}: Go string needs a JS string`);
      return goQuote(value);
    case 'int':
      if (!Number.isSafeInteger(value)) throw new TypeError(`${where}: Go int needs a JS integer`);
      return String(value);
    case 'float':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`${where}: float64`);
      return String(value);
    case 'bool':
      if (typeof value !== 'boolean') throw new TypeError(`${where}: Go bool needs a JS boolean`);
      return value ? 'true' : 'false';
    case 'ptr':
      return value === null || value === undefined ? 'null' : marshalValue(type.elem, value, where);
    case 'slice':
      if (value === null || value === undefined) return 'null';
      return `[${value.map((item, i) => marshalValue(type.elem, item, `${where}[${i}]`)).join(',')}]`;
    case 'struct': {
      const known = new Set(type.fields.map(([name]) => name));
      for (const key of Object.keys(value || {})) {
        if (!known.has(key)) throw new TypeError(`${where}: ${type.name} has no field ${key}`);
      }
      const parts = [];
      for (const [name, fieldType] of type.fields) {
        const v = value ? value[name] : undefined;
        if (isEmpty(fieldType, v)) continue;
        parts.push(`${goQuote(name)}:${marshalValue(fieldType, v, `${where}.${name}`)}`);
      }
      return `{${parts.join(',')}}`;
    }
    default:
      throw new Error(`unknown kind ${type.kind}`);
  }
}

/** json.Marshal(request) for `action`; params use the JSON member names. */
function marshalRequest(action, params = {}) {
  const spec = ACTIONS[action];
  if (!spec) throw new Error(`no Go SDK model for ${action}`);
  return marshalValue(spec.request, params, action);
}

// --- encoding/json.Unmarshal into the response structs ---

/** Parses JSON keeping each number's literal text (Go decides int vs float on it). */
function parseJsonWithLiterals(text) {
  let pos = 0;
  const fail = (msg) => { throw new SyntaxError(`${msg} at offset ${pos}`); };
  const ws = () => { while (pos < text.length && ' \t\r\n'.includes(text[pos])) pos += 1; };
  function value() {
    ws();
    const c = text[pos];
    if (c === '{') {
      pos += 1;
      const members = [];
      ws();
      if (text[pos] === '}') { pos += 1; return { t: 'object', members }; }
      for (;;) {
        ws();
        if (text[pos] !== '"') fail('expected a member name');
        const key = str();
        ws();
        if (text[pos] !== ':') fail('expected :');
        pos += 1;
        members.push([key, value()]);
        ws();
        if (text[pos] === ',') { pos += 1; continue; }
        if (text[pos] === '}') { pos += 1; return { t: 'object', members }; }
        fail('expected , or }');
      }
    }
    if (c === '[') {
      pos += 1;
      const items = [];
      ws();
      if (text[pos] === ']') { pos += 1; return { t: 'array', items }; }
      for (;;) {
        items.push(value());
        ws();
        if (text[pos] === ',') { pos += 1; continue; }
        if (text[pos] === ']') { pos += 1; return { t: 'array', items }; }
        fail('expected , or ]');
      }
    }
    if (c === '"') return { t: 'string', v: str() };
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(pos));
    if (m && m[0] !== '' && m[0] !== '-') { pos += m[0].length; return { t: 'number', raw: m[0] }; }
    for (const [word, node] of [['true', { t: 'bool', v: true }], ['false', { t: 'bool', v: false }],
      ['null', { t: 'null' }]]) {
      if (text.startsWith(word, pos)) { pos += word.length; return node; }
    }
    return fail('unexpected character');
  }
  function str() {
    const start = pos;
    pos += 1;
    while (pos < text.length && text[pos] !== '"') pos += text[pos] === '\\' ? 2 : 1;
    if (pos >= text.length) fail('unterminated string');
    pos += 1;
    return JSON.parse(text.slice(start, pos));
  }
  const root = value();
  ws();
  if (pos !== text.length) fail('trailing data');
  return root;
}

function zeroValue(type) {
  switch (type.kind) {
    case 'string': return '';
    case 'int': case 'float': return 0;
    case 'bool': return false;
    case 'ptr': case 'slice': return null;
    case 'struct': return Object.fromEntries(type.fields.map(([name, t]) => [name, zeroValue(t)]));
    default: throw new Error(`unknown kind ${type.kind}`);
  }
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// Decodes `node` into a Go value of `type`; type mismatches go to errors[] and
// leave the zero value, as encoding/json does (it keeps going, returns the first).
function decode(type, node, where, errors) {
  if (node.t === 'null') {
    return zeroValue(type);  // null leaves a value type untouched and a pointer/slice nil
  }
  const mismatch = () => {
    errors.push(`json: cannot unmarshal ${node.t}${node.raw ? ` ${node.raw}` : ''} into Go value `
      + `of type ${goTypeName(type)} (${where})`);
    return zeroValue(type);
  };
  switch (type.kind) {
    case 'string':
      return node.t === 'string' ? node.v : mismatch();
    case 'bool':
      return node.t === 'bool' ? node.v : mismatch();
    case 'float':
      return node.t === 'number' ? Number(node.raw) : mismatch();
    case 'int': {
      if (node.t !== 'number' || !/^-?\d+$/.test(node.raw)) return mismatch();
      const big = BigInt(node.raw);
      if (big < INT64_MIN || big > INT64_MAX) return mismatch();
      return Number(big);
    }
    case 'ptr':
      return decode(type.elem, node, where, errors);
    case 'slice':
      if (node.t !== 'array') return mismatch();
      return node.items.map((item, i) => decode(type.elem, item, `${where}[${i}]`, errors));
    case 'struct': {
      if (node.t !== 'object') return mismatch();
      const out = zeroValue(type);
      for (const [key, child] of node.members) {
        // encoding/json: an exact name match first, else a case-insensitive one; unknown keys ignored.
        let field = type.fields.find(([name]) => name === key);
        if (!field) field = type.fields.find(([name]) => name.toLowerCase() === key.toLowerCase());
        if (!field) continue;
        out[field[0]] = decode(field[1], child, `${where}.${field[0]}`, errors);
      }
      return out;
    }
    default:
      throw new Error(`unknown kind ${type.kind}`);
  }
}

function goTypeName(type) {
  switch (type.kind) {
    case 'int': return 'int';
    case 'float': return 'float64';
    case 'ptr': return `*${goTypeName(type.elem)}`;
    case 'slice': return `[]${goTypeName(type.elem)}`;
    case 'struct': return `sdn.${type.name}`;
    default: return type.kind;
  }
}

/** The SDK's *common.ZenlayerCloudSdkError, plus what went over the wire. */
class GoSdkError extends Error {
  constructor(code, message, requestId, { httpStatus, wire } = {}) {
    super(`[ZenlayerCloudSdkError] Code=${code}, Message=${message}${requestId ? `, RequestId=${requestId}` : ''}`);
    this.code = code;
    this.sdkMessage = message;
    this.requestId = requestId;
    this.httpStatus = httpStatus;
    this.wire = wire;
  }
}

/**
 * ParseFromHttpResponse + json.Unmarshal: returns the typed response or throws GoSdkError.
 * Exported for unit checks of the decoder.
 */
function decodeAnswer(action, httpStatus, bodyText, wire) {
  if (httpStatus !== 200) {
    let root;
    try { root = parseJsonWithLiterals(bodyText); } catch (err) {
      throw new GoSdkError('JSON_PARSE_FAILED', `Fail to parse json body: ${bodyText}, error: ${err.message}`, '',
        { httpStatus, wire });
    }
    const errors = [];
    const parsed = decode(T.struct('ErrorResponse', [['requestId', T.string], ['code', T.string],
      ['message', T.string]]), root, 'ErrorResponse', errors);
    if (errors.length) {
      throw new GoSdkError('JSON_PARSE_FAILED', `Fail to parse json body: ${bodyText}, error: ${errors[0]}`, '',
        { httpStatus, wire });
    }
    throw new GoSdkError(parsed.code, parsed.message, parsed.requestId, { httpStatus, wire });
  }
  let root;
  try { root = parseJsonWithLiterals(bodyText); } catch (err) {
    throw new GoSdkError('JSON_PARSE_FAILED', `Fail to parse json body: ${bodyText}, error: ${err.message}`, '',
      { httpStatus, wire });
  }
  const errors = [];
  const typed = decode(ACTIONS[action].response, root, `${action}Response`, errors);
  if (errors.length) {
    const err = new GoSdkError('JSON_PARSE_FAILED', `Fail to parse json body: ${bodyText}, error: ${errors[0]}`,
      '', { httpStatus, wire });
    err.typeErrors = errors;
    throw err;
  }
  return typed;
}

function sha256Hex(data) {
  return crypto.createHash('sha256').update(data, 'utf8').digest('hex');
}

/** common/client.go signRequest, returning the Authorization value. */
function goSignature({ accessKeyId, accessKeyPassword, host, body, timestamp }) {
  const canonicalHeaders = `content-type:${CONTENT_TYPE}\nhost:${host}\n`;
  const signedHeaders = 'content-type;host';
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha256Hex(body)].join('\n');
  const stringToSign = `${ALGORITHM}\n${timestamp}\n${sha256Hex(canonicalRequest)}`;
  const signature = crypto.createHmac('sha256', Buffer.from(accessKeyPassword, 'utf8'))
    .update(stringToSign, 'utf8').digest('hex');
  return `${ALGORITHM} Credential=${accessKeyId}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

class GoSdkClient {
  /**
   * endpoint: 'http://127.0.0.1:PORT' (the provider's scheme://domain);
   * either accessKeyId + accessKeyPassword (sdn.NewClient) or token (sdn.NewClientWithTokenAndConfig).
   * requestClient: WithRequestClient value, default the provider's "Terraform-latest"; null = unset.
   */
  constructor({ endpoint, accessKeyId, accessKeyPassword, token,
    requestClient = TERRAFORM_REQUEST_CLIENT, now = () => Date.now() }) {
    const url = new URL(endpoint);
    if (url.protocol !== 'http:') throw new Error('only scheme HTTP is replayed');
    this.domain = url.host;
    this.connection = new RawConnection(Number(url.port), url.hostname);
    if (token !== undefined) {
      if (!token) throw new Error('CREDENTIAL_VALUE_MISSING: Token is missing');
      this.token = token;
    } else {
      if (!accessKeyId || !accessKeyPassword) {
        throw new Error('CREDENTIAL_VALUE_MISSING: SecretKeyId or SecretKeyPassword is missing');
      }
      this.accessKeyId = accessKeyId;
      this.accessKeyPassword = accessKeyPassword;
    }
    this.requestClient = requestClient;
    this.now = now;
    this.calls = [];  // every exchange: {action, request (Go-marshalled body), status, answer text}
  }

  get mode() { return this.token !== undefined ? 'token' : 'signed'; }

  /** The header map ApiCall builds (names exactly as the SDK spells them). */
  headerMap(action, body) {
    const headers = {
      'x-zc-version': API_VERSION,
      'x-zc-service': SERVICE,
      'x-zc-action': action,
      'x-zc-sdk-version': SDK_VERSION,
      'x-zc-sdk-lang': SDK_LANG,
      Host: this.domain,
    };
    if (this.requestClient) headers['x-zc-request-client'] = this.requestClient;
    headers['Content-Type'] = CONTENT_TYPE;
    if (this.token !== undefined) {
      headers.Authorization = `Bearer ${this.token}`;
    } else {
      headers['x-zc-signature-method'] = ALGORITHM;
      const timestamp = String(Math.floor(this.now() / 1000));
      headers['x-zc-timestamp'] = timestamp;
      headers.Authorization = goSignature({ accessKeyId: this.accessKeyId,
        accessKeyPassword: this.accessKeyPassword, host: this.domain, body, timestamp });
    }
    return headers;
  }

  /** The request as net/http writes it: [name, value] pairs in wire order. */
  wireHeaders(action, body) {
    const map = this.headerMap(action, body);
    const pairs = [['Host', this.domain], ['User-Agent', GO_USER_AGENT],
      ['Content-Length', String(Buffer.byteLength(body, 'utf8'))]];
    // Header.writeSubset sorts by name (byte order) and skips Host.
    for (const name of Object.keys(map).filter((n) => n !== 'Host').sort()) pairs.push([name, map[name]]);
    pairs.push(['Accept-Encoding', 'gzip']);
    return pairs;
  }

  /**
   * One SDK call. Resolves { response: typed struct (Go zero values filled in),
   * raw: the answer JSON (parsed), wire: {headers, body, status, answer} };
   * rejects with GoSdkError as the SDK returns it.
   */
  async call(action, params = {}) {
    const body = marshalRequest(action, params);
    const headers = this.wireHeaders(action, body);
    let answer;
    try {
      answer = await this.connection.exchange({ method: 'POST', target: PATH, headers,
        body: Buffer.from(body, 'utf8') }, { timeoutMs: 30000 });
    } catch (err) {
      throw new GoSdkError('NETWORK_ERROR', `Fail to get response because ${err.message}`, '');
    }
    let bodyBuffer = answer.body;
    if ((answer.header('content-encoding') || '').toLowerCase() === 'gzip') {
      bodyBuffer = zlib.gunzipSync(bodyBuffer);  // net/http's transparent gzip
    }
    const text = bodyBuffer.toString('utf8');
    const wire = { headers, body, status: answer.status, answer: text };
    this.calls.push({ action, body, status: answer.status, answer: text });
    const typed = decodeAnswer(action, answer.status, text, wire);
    let raw;
    try { raw = JSON.parse(text); } catch (_) { raw = undefined; }
    return { response: typed, raw, wire };
  }

  close() { this.connection.close(); }
}

module.exports = {
  GoSdkClient, GoSdkError, ACTIONS, marshalRequest, decodeAnswer, goQuote, goSignature,
  SDK_VERSION, API_VERSION, TERRAFORM_REQUEST_CLIENT, GO_USER_AGENT,
};
