'use strict';
// The call sequences terraform-provider-zenlayercloud 0.2.28 (commit dc56e9b)
// makes for its SDN resources and data sources, transcribed function by
// function from its source so they can be replayed against connectplane
// without Go or Terraform. Each method names the Go function it replays.
// Requests go through lib/zenlayer_go_sdk.js (the pinned Go SDK v0.2.40).
//
// Transcribed from (paths in zenlayer/terraform-provider-zenlayercloud):
//   zenlayercloud/resource_zc_sdn_port.go            resourceZenlayerCloudDcPorts{Create,Read,Update,Delete}
//   zenlayercloud/resource_zc_sdn_private_connect.go resourceZenlayerCloudPrivateConnect{Create,Read,Update,Delete}, parseEndpoint
//   zenlayercloud/data_source_zc_sdn_{datacenters,ports,private_connects,cloud_regions}.go  the Read functions, mappingConnectEndpoint
//   zenlayercloud/service_zenlayer_sdn.go            SdnService (DescribePortById, DeletePortById, ..., *StateRefreshFunc)
//   zenlayercloud/extension_sdn.go                   status names, IsOperating
//   zenlayercloud/common/errors.go                   RetryError's retryable codes
//   zenlayercloud/common/common.go                   DataResourceIdHash
// and from terraform-plugin-sdk v2.19.0 helper/resource (StateChangeConf.WaitForStateContext,
// RetryContext) for the polling rules: Delay, then a first refresh at once, then waits
// starting at MinTimeout and doubling up to 10 s; nil results count against NotFoundChecks;
// a status outside Pending and Target is an UnexpectedStateError; a Refresh error ends the wait.
//
// Time: every provider duration (Delay 10 s, MinTimeout 5 s, RetryContext's 500 ms, the
// 10 s cap) is multiplied by `timeScale`, so a replay polls like the provider, only
// faster; every wait has a deadline (`timeoutMs`, standing in for the 19-20 minute
// schema timeouts), never an open-ended sleep.

const zlib = require('node:zlib');
const { GoSdkError } = require('./zenlayer_go_sdk');

// extension_sdn.go
const STATUS = {
  CREATING: 'CREATING', DELETING: 'DELETING', UPDATING: 'UPDATING', RUNNING: 'RUNNING',
  RECOVERING: 'RECOVERING', RECYCLED: 'RECYCLED', DESTROYING: 'DESTROYING',
};
const OPERATING = [STATUS.CREATING, STATUS.DELETING, STATUS.UPDATING, STATUS.RECOVERING,
  STATUS.DESTROYING];
const isOperating = (status) => OPERATING.includes(status);

// common/errors.go
const SERVICE_NOT_AVAILABLE = 'SERVICE_TEMPORARY_UNAVAILABLE';
const INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR';
const READ_TIMED_OUT = 'REQUEST_TIMED_OUT';
const RESOURCE_NOT_FOUND = 'OPERATION_FAILED_RESOURCE_NOT_FOUND';
const NETWORK_ERROR = 'NETWORK_ERROR';  // zenlayercloud-sdk-go common/error.go

/** A Go panic the provider would hit (nil pointer, makeslice) or a hang (WaitGroup never done). */
class ProviderPanic extends Error {}
/** A diag.Diagnostics error the provider returns to Terraform. */
class ProviderDiagError extends Error {
  constructor(message, cause) { super(message); this.cause = cause; }
}

class RetryableError { constructor(err) { this.err = err; this.retryable = true; } }
class NonRetryableError { constructor(err) { this.err = err; this.retryable = false; } }

/** common.IsExpectError: the code, or its part before the first '.', is listed. */
function isExpectError(err, codes) {
  if (!(err instanceof GoSdkError)) return false;
  if (codes.includes(err.code)) return true;
  return err.code.includes('.') && codes.includes(err.code.split('.')[0]);
}

/** common.RetryError: retryable for SERVICE_TEMPORARY_UNAVAILABLE and the extra codes. */
function retryError(err, ...extra) {
  if (err instanceof GoSdkError && (isExpectError(err, [SERVICE_NOT_AVAILABLE]) ||
      (extra.length > 0 && isExpectError(err, extra)))) {
    return new RetryableError(err);
  }
  return new NonRetryableError(err);
}

/** hashcode.String + DataResourceIdHash (common/common.go). */
function dataResourceIdHash(ids) {
  const joined = ids.map((id) => `${id}-`).join('');
  return String(zlib.crc32(Buffer.from(joined, 'utf8')));
}

// Schema keys per resource: d.Set on any other key fails (the provider ignores that error).
const PORT_SCHEMA = ['name', 'datacenter', 'remarks', 'port_type', 'port_charge_type',
  'business_entity_name', 'force_delete', 'datacenter_name', 'loa_status', 'loa_url',
  'connect_status', 'port_status', 'create_time', 'expired_time'];
const PRIVATE_CONNECT_SCHEMA = ['connect_name', 'connect_bandwidth', 'endpoints', 'force_delete',
  'connectivity_status', 'status', 'resource_group_id', 'resource_group_name', 'create_time',
  'expired_time'];

/** schema.ResourceData, reduced to what the replay needs. */
class ResourceData {
  constructor(schemaKeys, { id = '', state = {}, config = {} } = {}) {
    this.schemaKeys = schemaKeys;
    this.id = id;
    this.state = { ...state };
    this.config = config;
    this.setErrors = [];  // d.Set on keys the schema lacks: the provider drops these errors
  }

  set(key, value) {
    if (!this.schemaKeys.includes(key)) {
      this.setErrors.push(`Invalid address to set: []string{"${key}"}`);
      return;
    }
    this.state[key] = value;
  }

  /** d.Get: config first (during apply), else state, else the schema default. */
  get(key, fallback) {
    if (this.config[key] !== undefined) return this.config[key];
    if (this.state[key] !== undefined) return this.state[key];
    return fallback;
  }
}

class ProviderReplay {
  /**
   * sdk: a GoSdkClient; timeScale: factor on the provider's durations;
   * timeoutMs: deadline of each wait loop.
   */
  constructor({ sdk, timeScale = 0.01, timeoutMs = 30000 }) {
    this.sdk = sdk;
    this.timeScale = timeScale;
    this.timeoutMs = timeoutMs;
    this.trace = [];          // [{fn, action, request, outcome}] in call order
    this.ignoredErrors = [];  // errors the provider's code drops on the floor
  }

  sleep(providerMs) {
    const ms = providerMs * this.timeScale;
    return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
  }

  async call(fn, action, params) {
    const entry = { fn, action, request: params };
    this.trace.push(entry);
    try {
      const { response, raw } = await this.sdk.call(action, params);
      entry.outcome = 'ok';
      entry.raw = raw;
      return response;
    } catch (err) {
      entry.outcome = err.code || err.message;
      throw err;
    }
  }

  // --- helper/resource (terraform-plugin-sdk v2.19.0) ---

  /** StateChangeConf.WaitForStateContext. Returns the last object; throws like the SDK. */
  async waitForState({ pending, target, refresh, delayMs = 0, minTimeoutMs = 0,
    notFoundChecks = 20, what }) {
    const deadline = Date.now() + this.timeoutMs;
    await this.sleep(delayMs);
    let wait = 0;
    let notFoundTick = 0;
    const seen = [];
    for (;;) {
      if (Date.now() > deadline) {
        throw new ProviderDiagError(`timeout while waiting for state to become '${target.join(', ')}' `
          + `(last state: '${seen[seen.length - 1]}', ${what})`);
      }
      await this.sleep(wait);
      wait *= 2;
      if (wait < minTimeoutMs) wait = minTimeoutMs;
      else if (wait > 10000) wait = 10000;
      const [object, state, err] = await refresh();
      if (err) throw err;
      seen.push(object === null ? '<not found>' : state);
      if (object === null) {
        notFoundTick += 1;
        if (notFoundTick > notFoundChecks) {
          throw new ProviderDiagError(`couldn't find resource (${notFoundTick} retries) (${what})`);
        }
        continue;
      }
      notFoundTick = 0;
      if (target.includes(state)) return { object, seen };
      if (!pending.includes(state)) {
        throw new ProviderDiagError(`unexpected state '${state}', wanted target '${target.join(', ')}'. `
          + `last error: %!s(<nil>) (${what})`);
      }
    }
  }

  /** resource.RetryContext: f returns null (done), a RetryableError or a NonRetryableError. */
  async retryContext(f, what) {
    let lastErr;
    try {
      await this.waitForState({
        pending: ['retryableerror'],
        target: ['success'],
        minTimeoutMs: 500,
        what,
        refresh: async () => {
          const result = await f();
          if (result === null) return [42, 'success', null];
          lastErr = result.err;
          if (result.retryable) return [42, 'retryableerror', null];
          return [null, 'quit', result.err];
        },
      });
    } catch (err) {
      if (err instanceof ProviderDiagError && lastErr) throw lastErr;
      throw err;
    }
  }

  // --- service_zenlayer_sdn.go (SdnService) ---

  async DescribePortById(portId) {
    const response = await this.call('SdnService.DescribePortById', 'DescribePorts', { portIds: [portId] });
    if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (DescribePorts)');
    const dataSet = response.response.dataSet || [];
    return dataSet.length < 1 ? null : this.deref(dataSet[0], 'DescribePorts dataSet[0]');
  }

  deref(pointer, what) {
    if (pointer === null) throw new ProviderPanic(`nil pointer dereference: ${what}`);
    return pointer;
  }

  async DeletePortById(portId) {
    try {
      await this.call('SdnService.DeletePortById', 'TerminatePort', { portId });
    } catch (err) {
      if (err instanceof GoSdkError && err.code === 'OPERATION_DENIED_INSTANCE_RECYCLED') return null;
      return err;
    }
    return null;
  }

  async DestroyPort(portId) {
    try {
      await this.call('SdnService.DestroyPort', 'DestroyPort', { portId });
      return null;
    } catch (err) { return err; }
  }

  PortStateRefreshFunc(portId, failStates) {
    return async () => {
      let object;
      try { object = await this.DescribePortById(portId); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return [null, '', err];
      }
      if (object === null) return [null, '', null];
      if (failStates.includes(object.portStatus)) {
        return [object, object.portStatus, new ProviderDiagError(`Failed to reach target status. Last status: ${object.portStatus}.`)];
      }
      return [object, object.portStatus, null];
    };
  }

  async ModifyPort(portId, portName, remarks, businessEntityName) {
    try {
      await this.call('SdnService.ModifyPort', 'ModifyPortAttribute',
        { portId, portName, portRemarks: remarks, businessEntityName });
      return null;
    } catch (err) { return err; }
  }

  /** DescribePortsByFilter / DescribePrivateConnectsByFilter: page 1, then ceil(total/100)-1 more pages. */
  async describeAllPages(fn, action, firstParams, makeParams) {
    const limit = 100;
    const first = await this.call(fn, action, { ...firstParams, pageNum: 1, pageSize: limit });
    if (first.response === null) throw new ProviderPanic(`nil pointer dereference: response.Response (${action})`);
    const items = first.response.dataSet || [];
    if (items.length < 1) return [];
    const num = Math.ceil(first.response.totalCount / limit) - 1;
    if (num === 0) return items;
    if (num < 0) {
      throw new ProviderPanic(`runtime error: makeslice: len out of range (${action} totalCount `
        + `${first.response.totalCount} with ${items.length} items)`);
    }
    const all = [...items];
    for (let value = 0; value < num; value += 1) {
      let page;
      try {
        page = await this.call(fn, action, { ...makeParams(), pageNum: value + 2, pageSize: limit });
      } catch (err) {
        // The goroutine returns without wg.Done(): wg.Wait() never returns.
        throw new ProviderPanic(`hang: page ${value + 2} of ${action} failed (${err.code}) and the WaitGroup never completes`);
      }
      all.push(...(page.response.dataSet || []));
    }
    return all;
  }

  async DescribePortsByFilter(filter) {
    const params = () => {
      const p = {};
      if (filter.portIds && filter.portIds.length > 0) p.portIds = filter.portIds;
      if (filter.dcId !== undefined) p.dcId = filter.dcId;
      return p;
    };
    return this.describeAllPages('SdnService.DescribePortsByFilter', 'DescribePorts', params(), params);
  }

  async DescribeDatacenters() {
    const response = await this.call('SdnService.DescribeDatacenters', 'DescribeDatacenters', {});
    if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (DescribeDatacenters)');
    return response.response.dcSet;
  }

  async DescribePrivateConnectsByFilter(filter) {
    const params = () => (filter.connectIds && filter.connectIds.length > 0
      ? { privateConnectIds: filter.connectIds } : {});
    return this.describeAllPages('SdnService.DescribePrivateConnectsByFilter', 'DescribePrivateConnects',
      params(), params);
  }

  async ModifyPrivateConnectName(connectId, name) {
    try {
      await this.call('SdnService.ModifyPrivateConnectName', 'ModifyPrivateConnectsAttribute',
        { privateConnectIds: [connectId], privateConnectName: name });
      return null;
    } catch (err) { return err; }
  }

  async ModifyPrivateConnectBandwidth(connectId, bandwidth) {
    try {
      await this.call('SdnService.ModifyPrivateConnectBandwidth', 'ModifyPrivateConnectBandwidth',
        { privateConnectId: connectId, bandwidthMbps: bandwidth });
      return null;
    } catch (err) { return err; }
  }

  async DescribePrivateConnectById(connectId) {
    const response = await this.call('SdnService.DescribePrivateConnectById', 'DescribePrivateConnects',
      { privateConnectIds: [connectId] });
    if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (DescribePrivateConnects)');
    const dataSet = response.response.dataSet || [];
    return dataSet.length < 1 ? null : this.deref(dataSet[0], 'DescribePrivateConnects dataSet[0]');
  }

  PrivateConnectStateRefreshFunc(connectId, failStates) {
    return async () => {
      let object;
      try { object = await this.DescribePrivateConnectById(connectId); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return [null, '', err];
      }
      if (object === null) return [null, '', null];
      if (failStates.includes(object.privateConnectStatus)) {
        return [object, object.privateConnectStatus,
          new ProviderDiagError(`Failed to reach target status. Last status: ${object.privateConnectStatus}.`)];
      }
      return [object, object.privateConnectStatus, null];
    };
  }

  async DeletePrivateConnectById(connectId) {
    try {
      await this.call('SdnService.DeletePrivateConnectById', 'DeletePrivateConnect', { privateConnectId: connectId });
    } catch (err) {
      if (err instanceof GoSdkError && err.code === 'INVALID_PRIVATE_CONNECT_NOT_FOUND') return null;
      return err;
    }
    return null;
  }

  async DestroyPrivateConnect(connectId) {
    try {
      await this.call('SdnService.DestroyPrivateConnect', 'DestroyPrivateConnect', { privateConnectId: connectId });
      return null;
    } catch (err) { return err; }
  }

  async DescribeCloudRegions({ cloudType, googlePairingKey, product }) {
    const fn = 'SdnService.DescribeCloudRegions';
    let response;
    if (cloudType === 'GOOGLE') {
      const params = { pairingKey: googlePairingKey };
      if (product !== undefined) params.product = product;
      response = await this.call(fn, 'DescribeGoogleRegions', params);
    } else if (cloudType === 'AWS' || cloudType === 'TENCENT') {
      const params = product !== undefined ? { product } : {};
      response = await this.call(fn, cloudType === 'AWS' ? 'DescribeAWSRegions' : 'DescribeTencentRegions', params);
    } else {
      throw new ProviderDiagError(`cloud type: ${cloudType} is not support`);
    }
    if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (Describe*Regions)');
    return response.response.cloudRegions;
  }

  // --- resource_zc_sdn_port.go ---

  /** resourceZenlayerCloudDcPortsCreate; returns the ResourceData after the final Read. */
  async portCreate(config) {
    const d = new ResourceData(PORT_SCHEMA, { config });
    const request = {
      portName: d.get('name', 'Terraform-Port'),
      dcId: d.get('datacenter'),
      businessEntityName: d.get('business_entity_name'),
      portType: d.get('port_type'),
    };
    if (config.remarks) request.portRemarks = config.remarks;
    let portId = '';
    await this.retryContext(async () => {
      let response;
      try { response = await this.call('resourceZenlayerCloudDcPortsCreate', 'CreatePort', request); } catch (err) {
        return retryError(err);
      }
      if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (CreatePort)');
      if (response.response.portId === '') return new NonRetryableError(new ProviderDiagError('portId is nil'));
      portId = response.response.portId;
      return null;
    }, 'CreatePort');
    d.id = portId;
    const { seen } = await this.waitForState({
      pending: [STATUS.CREATING], target: [STATUS.RUNNING],
      refresh: this.PortStateRefreshFunc(portId, []),
      delayMs: 10000, minTimeoutMs: 5000, notFoundChecks: 3,
      what: `error waiting for port (${portId}) to be created`,
    });
    d.createPollStates = seen;
    await this.portReadInto(d);
    return d;
  }

  /** resourceZenlayerCloudDcPortsRead into d (d.id set, or "" when gone). */
  async portReadInto(d) {
    let portInfo = null;
    await this.retryContext(async () => {
      try { portInfo = await this.DescribePortById(d.id); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return retryError(err);
      }
      if (portInfo !== null && isOperating(portInfo.portStatus)) {
        return new RetryableError(new Error(`waiting for port ${portInfo.portId} operation, current status: ${portInfo.portStatus}`));
      }
      return null;
    }, 'DescribePorts (read)');
    if (portInfo === null) {
      d.id = '';
      return d;
    }
    d.set('name', portInfo.portName);
    d.set('port_type', portInfo.portType);
    d.set('remarks', portInfo.portRemarks);
    d.set('datacenter', portInfo.dcId);
    d.set('datacenter_name', portInfo.dcName);
    d.set('loa_status', portInfo.loaStatus);
    d.set('loa_url', portInfo.loaDownloadUrl);
    d.set('port_charge_type', portInfo.portChargeType);
    d.set('business_entity_name', portInfo.businessEntityName);
    d.set('connect_status', portInfo.connectionStatus);
    d.set('port_status', portInfo.portStatus);
    d.set('create_time', portInfo.createdTime);
    d.set('expired_time', portInfo.expiredTime);
    d.portInfo = portInfo;
    return d;
  }

  /** A refresh (plan) or the importer (ImportStatePassthroughContext + Read): Read by id. */
  async portRead(id, priorState = {}) {
    return this.portReadInto(new ResourceData(PORT_SCHEMA, { id, state: priorState }));
  }

  /** resourceZenlayerCloudDcPortsUpdate: ModifyPortAttribute if name/remarks/business_entity_name changed, then Read. */
  async portUpdate(id, priorState, config) {
    const d = new ResourceData(PORT_SCHEMA, { id, state: priorState, config });
    const changed = ['name', 'remarks', 'business_entity_name']
      .some((key) => (config[key] ?? (key === 'name' ? 'Terraform-Port' : '')) !== (priorState[key] ?? ''));
    if (changed) {
      await this.retryContext(async () => {
        const err = await this.ModifyPort(id, d.get('name', 'Terraform-Port'), config.remarks ?? '',
          d.get('business_entity_name'));
        return err ? retryError(err, INTERNAL_SERVER_ERROR, NETWORK_ERROR) : null;
      }, 'ModifyPortAttribute');
    }
    if (config.force_delete !== undefined) d.state.force_delete = config.force_delete;
    return this.portReadInto(d);
  }

  /**
   * resourceZenlayerCloudDcPortsDelete: TerminatePort, then DescribePorts until
   * RECYCLED (IsOperating statuses - DELETING, DESTROYING, ... - are retried;
   * absence ends the delete), then, with force_delete, DestroyPort (not polled:
   * the provider returns right after it). `deletePollStates` lists the statuses
   * the poll saw (null: gone).
   */
  async portDelete(id, state) {
    const forceDelete = state.force_delete === true;
    await this.retryContext(async () => {
      const err = await this.DeletePortById(id);
      return err ? retryError(err) : null;
    }, 'TerminatePort');
    let notExist = false;
    const deletePollStates = [];
    await this.retryContext(async () => {
      let port;
      try { port = await this.DescribePortById(id); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return retryError(err, INTERNAL_SERVER_ERROR);
      }
      deletePollStates.push(port === null ? null : port.portStatus);
      if (port === null) { notExist = true; return null; }
      if (port.portStatus === STATUS.RECYCLED) return null;
      if (isOperating(port.portStatus)) {
        return new RetryableError(new Error(`waiting for port ${port.portId} recycling, current status: ${port.portStatus}`));
      }
      return new NonRetryableError(new ProviderDiagError(`port status is not recycle, current status ${port.portStatus}`));
    }, 'DescribePorts (delete)');
    if (notExist || !forceDelete) return { destroyCalled: false, notExist, deletePollStates };
    try {
      await this.retryContext(async () => {
        const err = await this.DestroyPort(id);
        if (!err) return null;
        if (!(err instanceof GoSdkError)) return retryError(err);
        if (err.code === 'INVALID_PORT_NOT_FOUND' || err.code === RESOURCE_NOT_FOUND) return null;
        return retryError(err, INTERNAL_SERVER_ERROR);
      }, 'DestroyPort');
    } catch (err) {
      this.ignoredErrors.push({ fn: 'resourceZenlayerCloudDcPortsDelete', err });  // `return nil` regardless
    }
    return { destroyCalled: true, notExist, deletePollStates };
  }

  // --- resource_zc_sdn_private_connect.go ---

  /** parseEndpoint. */
  static parseEndpoint(v) {
    const c = {};
    if (v.endpoint_type === 'PORT') {
      c.portId = v.port_id ?? '';
    } else {
      c.cloudRegionId = v.cloud_region ?? '';
      c.cloudAccountId = v.cloud_account ?? '';
      c.cloudType = v.endpoint_type;
    }
    c.dcId = v.datacenter ?? '';
    c.vlanId = v.vlan_id ?? 0;
    return c;
  }

  /** resourceZenlayerCloudPrivateConnectCreate. */
  async privateConnectCreate(config) {
    const d = new ResourceData(PRIVATE_CONNECT_SCHEMA, { config });
    const endpoints = config.endpoints || [];
    if (endpoints.length !== 2) throw new ProviderDiagError('The size of endpoint must equal to 2.');
    const request = {
      privateConnectName: d.get('connect_name', 'Terraform-Private-Connect'),
      bandwidthMbps: d.get('connect_bandwidth', 1),
      endpointA: ProviderReplay.parseEndpoint(endpoints[0]),
      endpointZ: ProviderReplay.parseEndpoint(endpoints[1]),
    };
    let privateConnectId = '';
    await this.retryContext(async () => {
      let response;
      try {
        response = await this.call('resourceZenlayerCloudPrivateConnectCreate', 'CreatePrivateConnect', request);
      } catch (err) { return retryError(err); }
      if (response.response === null) throw new ProviderPanic('nil pointer dereference: response.Response (CreatePrivateConnect)');
      if (response.response.privateConnectId === '') return new NonRetryableError(new ProviderDiagError('connectId is nil'));
      privateConnectId = response.response.privateConnectId;
      return null;
    }, 'CreatePrivateConnect');
    d.id = privateConnectId;
    const { seen } = await this.waitForState({
      pending: [STATUS.CREATING], target: [STATUS.RUNNING],
      refresh: this.PrivateConnectStateRefreshFunc(privateConnectId, []),
      delayMs: 10000, minTimeoutMs: 5000, notFoundChecks: 3,
      what: `error waiting for connect (${privateConnectId}) to be created`,
    });
    d.createPollStates = seen;
    await this.privateConnectReadInto(d);
    return d;
  }

  /** mappingConnectEndpoint (data_source_zc_sdn_private_connects.go). */
  static mappingConnectEndpoint(endpoint, where) {
    const m = {};
    if (endpoint.endpointType === 'PORT') m.port_id = endpoint.endpointId;
    m.cloud_region = endpoint.cloudRegionId;
    m.cloud_account = endpoint.cloudAccountId;
    m.endpoint_name = endpoint.endpointName;
    m.vlan_id = endpoint.vlanId;
    m.endpoint_type = endpoint.endpointType;
    if (endpoint.dataCenter === null) {
      throw new ProviderPanic(`nil pointer dereference: ${where}.DataCenter.DcId (dataCenter absent or null)`);
    }
    m.datacenter = endpoint.dataCenter.dcId;
    m.connectivity_status = endpoint.connectivityStatus;
    return m;
  }

  /** resourceZenlayerCloudPrivateConnectRead into d. */
  async privateConnectReadInto(d) {
    let connect = null;
    await this.retryContext(async () => {
      try { connect = await this.DescribePrivateConnectById(d.id); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return retryError(err);
      }
      if (connect !== null && isOperating(connect.privateConnectStatus)) {
        return new RetryableError(new Error(`waiting for private connect ${connect.privateConnectId} operation, current status: ${connect.privateConnectStatus}`));
      }
      return null;
    }, 'DescribePrivateConnects (read)');
    if (connect === null) {
      d.id = '';
      return d;
    }
    d.set('connect_name', connect.privateConnectName);
    d.set('connect_bandwidth', connect.bandwidthMbps);
    d.set('connectivity_status', connect.connectivityStatus);
    d.set('connect_status', connect.privateConnectStatus);  // not in the schema ("status" is): dropped
    d.set('resource_group_id', connect.resourceGroupId);
    d.set('resource_group_name', connect.resourceGroupName);
    d.set('create_time', connect.createTime);
    d.set('expired_time', connect.expiredTime);
    d.set('endpoints', [
      ProviderReplay.mappingConnectEndpoint(connect.endpointA, 'connect.EndpointA'),
      ProviderReplay.mappingConnectEndpoint(connect.endpointZ, 'connect.EndpointZ'),
    ]);
    d.connect = connect;
    return d;
  }

  async privateConnectRead(id, priorState = {}) {
    return this.privateConnectReadInto(new ResourceData(PRIVATE_CONNECT_SCHEMA, { id, state: priorState }));
  }

  /** resourceZenlayerCloudPrivateConnectUpdate: rename, then bandwidth, then Read. */
  async privateConnectUpdate(id, priorState, config) {
    const d = new ResourceData(PRIVATE_CONNECT_SCHEMA, { id, state: priorState, config });
    const name = d.get('connect_name', 'Terraform-Private-Connect');
    if (name !== priorState.connect_name) {
      await this.retryContext(async () => {
        const err = await this.ModifyPrivateConnectName(id, name);
        return err ? retryError(err, INTERNAL_SERVER_ERROR, NETWORK_ERROR) : null;
      }, 'ModifyPrivateConnectsAttribute');
    }
    const bandwidth = d.get('connect_bandwidth', 1);
    if (bandwidth !== priorState.connect_bandwidth) {
      await this.retryContext(async () => {
        const err = await this.ModifyPrivateConnectBandwidth(id, bandwidth);
        return err ? retryError(err, INTERNAL_SERVER_ERROR, NETWORK_ERROR) : null;
      }, 'ModifyPrivateConnectBandwidth');
    }
    if (config.force_delete !== undefined) d.state.force_delete = config.force_delete;
    return this.privateConnectReadInto(d);
  }

  /** resourceZenlayerCloudPrivateConnectDelete. */
  async privateConnectDelete(id, state) {
    const forceDelete = state.force_delete === true;
    await this.retryContext(async () => {
      const err = await this.DeletePrivateConnectById(id);
      return err ? retryError(err) : null;
    }, 'DeletePrivateConnect');
    let notExist = false;
    await this.retryContext(async () => {
      let connect;
      try { connect = await this.DescribePrivateConnectById(id); } catch (err) {
        if (err instanceof ProviderPanic) throw err;
        return retryError(err, INTERNAL_SERVER_ERROR);
      }
      if (connect === null) { notExist = true; return null; }
      if (connect.privateConnectStatus === STATUS.RECYCLED) return null;
      if (isOperating(connect.privateConnectStatus)) {
        return new RetryableError(new Error(`waiting for connect ${connect.privateConnectId} recycling, current status: ${connect.privateConnectStatus}`));
      }
      return new NonRetryableError(new ProviderDiagError(`connect status is not recycle, current status ${connect.privateConnectStatus}`));
    }, 'DescribePrivateConnects (delete)');
    if (notExist || !forceDelete) return { destroyCalled: false, notExist };
    try {
      await this.retryContext(async () => {
        const err = await this.DestroyPrivateConnect(id);
        if (!err) return null;
        if (!(err instanceof GoSdkError)) return retryError(err);
        if (err.code === 'INVALID_PRIVATE_CONNECT_NOT_FOUND' || err.code === RESOURCE_NOT_FOUND) return null;
        return retryError(err, INTERNAL_SERVER_ERROR);
      }, 'DestroyPrivateConnect');
    } catch (err) {
      this.ignoredErrors.push({ fn: 'resourceZenlayerCloudPrivateConnectDelete', err });
    }
    return { destroyCalled: true, notExist };
  }

  // --- data sources ---

  /** dataSourceZenlayerCloudSdnDatacentersRead. The RetryContext error is not checked. */
  async datacentersRead({ name_regex: nameRegex } = {}) {
    let datacenters = null;
    try {
      await this.retryContext(async () => {
        try { datacenters = await this.DescribeDatacenters(); } catch (err) {
          if (err instanceof ProviderPanic) throw err;
          return retryError(err, INTERNAL_SERVER_ERROR, READ_TIMED_OUT);
        }
        return null;
      }, 'DescribeDatacenters');
    } catch (err) {
      if (err instanceof ProviderPanic) throw err;
      this.ignoredErrors.push({ fn: 'dataSourceZenlayerCloudSdnDatacentersRead', err });
    }
    const regex = nameRegex ? new RegExp(nameRegex) : null;
    const list = [];
    const ids = [];
    for (const [i, pointer] of (datacenters || []).entries()) {
      const dc = this.deref(pointer, `dcSet[${i}]`);
      if (regex && !regex.test(dc.dcName)) continue;
      list.push({ id: dc.dcId, name: dc.dcName, address: dc.dcAddress, city_name: dc.cityName,
        country_name: dc.countryName, area_name: dc.areaName });
      ids.push(dc.dcId);
    }
    return { id: dataResourceIdHash(ids), datacenters: list, raw: datacenters };
  }

  /** dataSourceZenlayerCloudDcPortsRead. */
  async portsRead({ port_ids: portIds, datacenter } = {}) {
    const ports = await this.DescribePortsByFilter({ portIds, dcId: datacenter });
    const list = [];
    const ids = [];
    for (const [i, pointer] of ports.entries()) {
      const port = this.deref(pointer, `dataSet[${i}]`);
      list.push({ port_id: port.portId, port_name: port.portName, port_type: port.portType,
        remarks: port.portRemarks, datacenter: port.dcId, datacenter_name: port.dcName,
        loa_status: port.loaStatus, loa_url: port.loaDownloadUrl,
        port_charge_type: port.portChargeType, connect_status: port.connectionStatus,
        business_entity_name: port.businessEntityName, port_status: port.portStatus,
        create_time: port.createdTime, expired_time: port.expiredTime });
      ids.push(port.portId);
    }
    return { id: dataResourceIdHash(ids), port_list: list, raw: ports };
  }

  /** dataSourceZenlayerCloudSdnPrivateConnectsRead. */
  async privateConnectsRead({ connect_ids: connectIds } = {}) {
    const connects = await this.DescribePrivateConnectsByFilter({ connectIds });
    const list = [];
    const ids = [];
    for (const [i, pointer] of connects.entries()) {
      const connect = this.deref(pointer, `dataSet[${i}]`);
      list.push({
        connect_id: connect.privateConnectId, connect_name: connect.privateConnectName,
        connect_bandwidth: connect.bandwidthMbps, connectivity_status: connect.connectivityStatus,
        resource_group_id: connect.resourceGroupId, resource_group_name: connect.resourceGroupName,
        connect_status: connect.privateConnectStatus, create_time: connect.createTime,
        expired_time: connect.expiredTime,
        endpoints: [
          ProviderReplay.mappingConnectEndpoint(connect.endpointA, `dataSet[${i}].EndpointA`),
          ProviderReplay.mappingConnectEndpoint(connect.endpointZ, `dataSet[${i}].EndpointZ`),
        ],
      });
      ids.push(connect.privateConnectId);
    }
    return { id: dataResourceIdHash(ids), connect_list: list, raw: connects };
  }

  /** dataSourceZenlayerCloudCloudRegionsRead. */
  async cloudRegionsRead({ cloud_type: cloudType, product, google_pairing_key: pairingKey }) {
    if (cloudType === 'GOOGLE' && !pairingKey) {
      throw new ProviderDiagError('google_paring_key is required for cloud_type `GOOGLE`');
    }
    const regions = await this.DescribeCloudRegions({ cloudType, googlePairingKey: pairingKey, product });
    const list = [];
    const ids = [];
    for (const [i, pointer] of (regions || []).entries()) {
      const region = this.deref(pointer, `cloudRegions[${i}]`);
      const dc = this.deref(region.dataCenter, `cloudRegions[${i}].DataCenter`);
      list.push({ cloud_region: region.cloudRegionId, datacenter: dc.dcId,
        products: region.products, datacenter_name: dc.dcName });
      ids.push(`${region.cloudRegionId}:${dc.dcId}`);
    }
    return { id: dataResourceIdHash(ids), region_list: list, raw: regions };
  }
}

// --- what `terraform plan` would propose after a Read (SDKv2 legacy diff rules) ---

const blank = (v) => v === undefined || v === null || v === '' || v === 0;

/**
 * Arguments whose state differs from the configuration, as [{key, config, state, forceNew}].
 * Unset Optional arguments compare equal to "" / 0 (SDKv2 treats zero values as unset).
 */
function portPlanDiff(config, state) {
  const diffs = [];
  const want = { name: config.name ?? 'Terraform-Port', datacenter: config.datacenter,
    remarks: config.remarks, port_type: config.port_type,
    business_entity_name: config.business_entity_name, force_delete: config.force_delete ?? false };
  const forceNew = ['datacenter', 'port_type'];
  for (const [key, value] of Object.entries(want)) {
    const have = state[key];
    const same = key === 'force_delete' ? (have ?? false) === value
      : (blank(value) && blank(have)) || value === have;
    if (!same) diffs.push({ key, config: value, state: have, forceNew: forceNew.includes(key) });
  }
  return diffs;
}

function privateConnectPlanDiff(config, state) {
  const diffs = [];
  const want = { connect_name: config.connect_name ?? 'Terraform-Private-Connect',
    connect_bandwidth: config.connect_bandwidth ?? 1, force_delete: config.force_delete ?? false };
  for (const [key, value] of Object.entries(want)) {
    const have = key === 'force_delete' ? (state[key] ?? false) : state[key];
    if (have !== value) diffs.push({ key, config: value, state: have, forceNew: false });
  }
  const endpoints = state.endpoints || [];
  (config.endpoints || []).forEach((endpoint, i) => {
    for (const key of ['port_id', 'cloud_region', 'cloud_account', 'vlan_id', 'endpoint_type', 'datacenter']) {
      const value = endpoint[key];
      const have = endpoints[i] ? endpoints[i][key] : undefined;
      if (!((blank(value) && blank(have)) || value === have)) {
        diffs.push({ key: `endpoints.${i}.${key}`, config: value, state: have, forceNew: true });
      }
    }
  });
  return diffs;
}

module.exports = {
  ProviderReplay, ProviderPanic, ProviderDiagError, ResourceData, STATUS, OPERATING, isOperating,
  retryError, dataResourceIdHash, portPlanDiff, privateConnectPlanDiff, PORT_SCHEMA, PRIVATE_CONNECT_SCHEMA,
};
