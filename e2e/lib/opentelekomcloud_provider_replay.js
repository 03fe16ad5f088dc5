'use strict';
// The DMS Kafka call sequences of terraform-provider-opentelekomcloud v1.36.23+3
// (commit 88f1cf1e, 2024-10-24) with gophertelekomcloud 30e33075 (the version
// it pins), transcribed and replayed through GoProviderClient with the
// gophertelekomcloud scoped signer (Host and X-Sdk-Date signed, X-Project-Id
// added after signing). The client's base URL is the catalog's dmsv2 endpoint,
// http://HOST/v2/{project_id}, which the provider reads from GET /v3/auth/catalog.
//
// Transcribed from (paths in opentelekomcloud/terraform-provider-opentelekomcloud):
//   opentelekomcloud/services/dms/data_source_opentelekomcloud_flavor_v2.go  dataSourceFlavorsRead
//   .../resource_opentelekomcloud_dms_dedicated_instance_v2.go  resourceDmsKafkaInstance{Create,Read,Update,Delete},
//       KafkaInstanceStateRefreshFunc, handleMultiOperationsError
//   .../resource_opentelekomcloud_dms_smart_connect_v2.go  resourceDmsSmartConnectV2{Create,Read,Delete}
//   .../resource_opentelekomcloud_dms_smart_connect_task_v2.go  resourceDmsV2SmartConnectTask{Create,Read,Delete,ImportState},
//       build{Source,Sink}TaskRequestBody, DMSv2SmartConnectTaskStateRefreshFunc
// and gophertelekomcloud openstack/dms/v2/{instances/lifecycle,smart_connect,products}/*.go,
// openstack/common/tags (URLs, OkCodes, struct tags: omitempty members and *bool pointers).
const { GoProviderClient, waitForState, retryContextWithWaitForState, omitEmpty, is404,
  instanceStateOr404Deleted, absentMembers } =
  require('./terraform_provider_replay');
const { decodeGo, OTC_INSTANCE_TYPES, OTC_TASK_TYPES } = require('./go_types');
const { filterAndFlattenFlavors } = require('./huaweicloud_provider_replay');  // the same two functions

const USER_AGENT = 'terraform-provider-opentelekomcloud golangsdk/2.0.0';
// The answer members resourceDmsKafkaInstanceRead reads (v.<Field> of lifecycle.Instance).
const INSTANCE_READ_MEMBERS = `product_id name description engine engine_version specification total_storage_space
  partition_num vpc_id security_group_id subnet_id enable_publicip available_zones broker_num maintain_begin
  maintain_end retention_policy connector_enable storage_spec_code used_storage_space connect_address port status
  resource_spec_code user_id user_name type access_user cross_vpc_info public_connect_address disk_encrypted
  disk_encrypted_key connector_node_num storage_resource_id storage_type created_at cert_replaced node_num
  pod_connect_address public_bandwidth ssl_enable ssl_two_way_enable`.split(/\s+/);
const STD_HEADERS = { 'Content-Type': 'application/json' };  // openstack.StdRequestOpts (tags.Get)

class OpentelekomcloudProvider {
  constructor({ endpoint, ak, sk, projectId, region, clock }) {
    this.client = new GoProviderClient({ sdk: 'gophertelekomcloud', endpoint, ak, sk, projectId,
      userAgent: USER_AGENT });
    Object.assign(this, { projectId, region, clock });
    this.base = `/v2/${projectId}`;
  }

  async getInstance(id) {
    return decodeGo(await this.client.request('GET', `${this.base}/instances/${id}`), OTC_INSTANCE_TYPES,
      'lifecycle.Instance');
  }

  /** KafkaInstanceStateRefreshFunc / instancesV2StateRefreshFunc: 404 is DELETED. */
  instanceState(id) {
    return instanceStateOr404Deleted(() => this.getInstance(id));
  }

  /** data opentelekomcloud_dms_flavor_v2: products.List (engine kafka), then filterFlavors/flattenFlavors. */
  async flavorsDataSource(filters = {}) {
    const query = filters.flavor_id ? `?product_id=${filters.flavor_id}` : '';
    const raw = await this.client.request('GET', `/v2/kafka/products${query}`);
    return { region: this.region, ...filterAndFlattenFlavors(raw, filters) };
  }

  // ---- opentelekomcloud_dms_dedicated_instance_v2 ----

  async createDedicatedInstance(config) {
    // lifecycle.CreateOpts: required members always, ssl_enable a *bool (always sent), the rest omitempty.
    const body = {
      ...omitEmpty({ description: config.description, access_user: config.access_user, password: config.password,
        maintain_begin: config.maintain_begin, maintain_end: config.maintain_end, arch_type: config.arch_type,
        kafka_security_protocol: config.security_protocol, sasl_enabled_mechanisms: config.enabled_mechanisms,
        retention_policy: config.retention_policy, ipv6_enable: config.ipv6_enable,
        tags: config.tags && Object.entries(config.tags).map(([key, value]) => ({ key, value })) }),
      name: config.name, engine: 'kafka', engine_version: config.engine_version, broker_num: config.broker_num,
      storage_space: config.storage_space, vpc_id: config.vpc_id, security_group_id: config.security_group_id,
      subnet_id: config.network_id, available_zones: config.available_zones || null, product_id: config.flavor_id,
      ssl_enable: Boolean(config.ssl_enable), storage_spec_code: config.storage_spec_code,
    };
    // lifecycle.Create: the engine goes before the project in the path.
    const created = await this.client.request('POST', `/v2/kafka/${this.projectId}/instances`, { body, okCodes: [200] });
    await waitForState(this.clock, { what: 'instance CREATING -> RUNNING', pending: ['CREATING'], target: ['RUNNING'],
      delay: 300, pollInterval: 15, refresh: this.instanceState(created.instance_id) });
    return this.readDedicatedInstance(created.instance_id);
  }

  /** Returns the state, or null when gone; `lastReadAbsent` lists the read members the answer lacked. */
  async readDedicatedInstance(id) {
    let raw;
    try { raw = await this.client.request('GET', `${this.base}/instances/${id}`); } catch (err) {
      if (is404(err)) return null;
      throw err;
    }
    const v = decodeGo(raw, OTC_INSTANCE_TYPES, 'lifecycle.Instance');
    this.lastReadAbsent = absentMembers(raw, INSTANCE_READ_MEMBERS);
    const crossVpc = v.cross_vpc_info ? Object.keys(JSON.parse(v.cross_vpc_info)).sort() : null;
    const state = {
      id, region: this.region, flavor_id: v.product_id, name: v.name, description: v.description, engine: v.engine,
      engine_version: v.engine_version, bandwidth: v.specification, storage_space: v.total_storage_space,
      partition_num: Number.parseInt(v.partition_num, 10) || 0, vpc_id: v.vpc_id,
      security_group_id: v.security_group_id, network_id: v.subnet_id, ipv6_enable: v.enable_publicip,
      available_zones: v.available_zones, broker_num: v.broker_num,
      maintain_begin: v.maintain_begin.replace(/:00$/, ''), maintain_end: v.maintain_end.replace(/:00$/, ''),
      retention_policy: v.retention_policy, dumping: v.connector_enable, storage_spec_code: v.storage_spec_code,
      used_storage_space: v.used_storage_space, connect_address: v.connect_address, port: v.port, status: v.status,
      resource_spec_code: v.resource_spec_code, user_id: v.user_id, user_name: v.user_name, type: v.type,
      access_user: v.access_user, enable_publicip: v.enable_publicip, cross_vpc_listeners: crossVpc,
      public_ip_address: v.public_connect_address, disk_encrypted_enable: v.disk_encrypted,
      disk_encrypted_key: v.disk_encrypted_key, connector_node_num: v.connector_node_num,
      storage_resource_id: v.storage_resource_id, storage_type: v.storage_type, created_at: v.created_at,
      cert_replaced: v.cert_replaced, node_num: v.node_num, pod_connect_address: v.pod_connect_address,
      public_bandwidth: v.public_bandwidth, ssl_enable: v.ssl_enable, ssl_two_way_enable: v.ssl_two_way_enable,
    };
    try {  // tags.Get (kafka): failure only logs
      const tags = await this.client.request('GET', `${this.base}/kafka/${id}/tags`,
        { moreHeaders: STD_HEADERS, okCodes: [202, 200] });
      state.tags = Object.fromEntries((tags.tags || []).map((tag) => [tag.key, tag.value]));
    } catch (err) { state.tags_warning = err.message; }
    return state;
  }

  async updateDedicatedInstance(id, state, change) {
    const next = { ...state, ...change };
    const body = {
      ...omitEmpty({ maintain_begin: next.maintain_begin, maintain_end: next.maintain_end,
        security_group_id: next.security_group_id, retention_policy: next.retention_policy,
        name: change.name !== undefined && change.name !== state.name ? next.name : '' }),
      description: next.description || '',
    };
    await retryContextWithWaitForState(this.clock, { what: 'update', waitRefresh: this.instanceState(id),
      waitTarget: ['RUNNING'], delay: 1, pollInterval: 10,
      call: () => this.client.request('PUT', `${this.base}/instances/${id}`, { body, okCodes: [204] }) });
    return this.readDedicatedInstance(id);
  }

  async deleteDedicatedInstance(id) {
    await retryContextWithWaitForState(this.clock, { what: 'delete', waitRefresh: this.instanceState(id),
      waitTarget: ['RUNNING'], delay: 1, pollInterval: 10,
      call: () => this.client.request('DELETE', `${this.base}/instances/${id}`, { okCodes: [204] }) });
    await waitForState(this.clock, { what: 'instance deleted', pending: ['DELETING', 'RUNNING', 'ERROR'],
      target: ['DELETED'], delay: 120, pollInterval: 15, refresh: this.instanceState(id) });
  }

  // ---- opentelekomcloud_dms_smart_connect_v2 (no importer) ----

  async createSmartConnect({ instance_id: instanceId, storage_spec_code: specCode, bandwidth, node_count: nodes }) {
    // strconv.Itoa(node_count): "0" when unset; EnableOpts members are omitempty strings.
    const body = omitEmpty({ specification: bandwidth, node_cnt: String(nodes || 0), spec_code: specCode });
    const enabled = await this.client.request('POST', `${this.base}/instances/${instanceId}/connector`,
      { body, okCodes: [200] });
    // Delay 10 s, MinTimeout 3 s (no PollInterval: backoff).
    await waitForState(this.clock, { what: 'smart connect EXTENDING -> RUNNING', pending: ['EXTENDING'],
      target: ['RUNNING'], delay: 10, minTimeout: 3, refresh: this.instanceState(instanceId) });
    return this.readSmartConnect(enabled.connector_id, instanceId);
  }

  async readSmartConnect(id, instanceId) {
    let instance;
    try { instance = await this.getInstance(instanceId); } catch (err) {
      if (is404(err)) return null;
      throw err;
    }
    return { id, region: this.region, instance_id: instance.instance_id };
  }

  async deleteSmartConnect(instanceId) {
    // smart_connect.Disable: an empty struct body, "{}".
    await this.client.request('POST', `${this.base}/kafka/instances/${instanceId}/delete-connector`,
      { body: {}, okCodes: [200] });
    await waitForState(this.clock, { what: 'smart connect CONNECTOR_DELETING -> RUNNING',
      pending: ['CONNECTOR_DELETING'], target: ['RUNNING'], delay: 5, pollInterval: 5,
      refresh: this.instanceState(instanceId) });
  }

  // ---- opentelekomcloud_dms_smart_connect_task_v2 ----

  static taskBody(config) {
    const s = config.source_task;
    const k = config.destination_task;
    const source = s && { ...omitEmpty({ current_cluster_name: s.current_instance_alias, cluster_name: s.peer_instance_alias,
      instance_id: s.peer_instance_id, bootstrap_servers: (s.peer_instance_address || []).join(','),
      security_protocol: s.security_protocol, user_name: s.user_name, password: s.password,
      sasl_mechanism: s.sasl_mechanism, direction: s.direction, replication_factor: s.replication_factor,
      task_num: s.task_num, consumer_strategy: s.consumer_strategy, compression_type: s.compression_type,
      topics_mapping: (s.topics_mapping || []).join(',') }),
    sync_consumer_offsets_enabled: Boolean(s.sync_consumer_offsets_enabled),
    rename_topic_enabled: Boolean(s.rename_topic_enabled),
    provenance_header_enabled: Boolean(s.provenance_header_enabled) };
    const sink = k && { ...omitEmpty({ consumer_strategy: k.consumer_strategy, access_key: k.access_key,
      secret_key: k.secret_key, obs_bucket_name: k.obs_bucket_name, partition_format: k.partition_format,
      deliver_time_interval: k.deliver_time_interval, obs_path: k.obs_path, record_delimiter: k.record_delimiter,
      destination_file_type: k.destination_file_type }), store_keys: Boolean(k.store_keys) };
    return { ...omitEmpty({ task_name: config.task_name, topics_regex: config.topics_regex,
      source_type: config.source_type, sink_type: config.destination_type, topics: (config.topics || []).join(','),
      source_task: source, sink_task: sink }), start_later: Boolean(config.start_later) };
  }

  taskPath(instanceId, taskId) { return `${this.base}/instances/${instanceId}/connector/tasks/${taskId}`; }

  async createTask(config) {
    const created = await this.client.request('POST', `${this.base}/instances/${config.instance_id}/connector/tasks`,
      { body: OpentelekomcloudProvider.taskBody(config), okCodes: [200] });
    await waitForState(this.clock, { what: `task ${created.id}`, pending: ['CREATING'], target: ['RUNNING', 'WAITING'],
      delay: 1, pollInterval: 5, refresh: async () => {
        const task = decodeGo(await this.client.request('GET', this.taskPath(config.instance_id, created.id)),
          OTC_TASK_TYPES, 'TaskDetails');
        return [task, task.status];
      } });
    return this.readTask(created.id, config.instance_id, config);
  }

  /** Read dereferences *SourceTask and *SinkTask: a null or missing side is a Go nil-pointer panic. */
  async readTask(id, instanceId, config = {}) {
    let raw;
    try { raw = await this.client.request('GET', this.taskPath(instanceId, id)); } catch (err) {
      if (is404(err)) return null;
      throw err;
    }
    for (const side of ['source_task', 'sink_task']) {
      if (raw[side] === null || raw[side] === undefined) throw new Error(`provider panic: nil ${side}`);
    }
    const task = decodeGo(raw, OTC_TASK_TYPES, 'TaskDetails');
    const zeroSource = decodeGo({}, OTC_TASK_TYPES.source_task, 'zero');
    const zeroSink = decodeGo({}, OTC_TASK_TYPES.sink_task, 'zero');
    const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);
    const s = task.source_task;
    const k = task.sink_task;
    const split = (text) => (text ? text.split(',') : []);
    return {
      id, instance_id: instanceId, region: this.region, task_name: task.task_name, topics: split(task.topics),
      topics_regex: task.topics_regex, source_type: task.source_type, destination_type: task.sink_type,
      source_task: same(s, zeroSource) ? null : [{ current_instance_alias: s.current_cluster_name,
        peer_instance_alias: s.cluster_name, peer_instance_id: s.instance_id,
        peer_instance_address: s.bootstrap_servers.split(','), security_protocol: s.security_protocol,
        user_name: s.user_name, password: (config.source_task && config.source_task.password) || '',
        sasl_mechanism: s.sasl_mechanism, direction: s.direction,
        sync_consumer_offsets_enabled: s.sync_consumer_offsets_enabled, replication_factor: s.replication_factor,
        task_num: s.task_num, rename_topic_enabled: s.rename_topic_enabled,
        provenance_header_enabled: s.provenance_header_enabled, consumer_strategy: s.consumer_strategy,
        compression_type: s.compression_type, topics_mapping: split(s.topics_mapping) }],
      destination_task: same(k, zeroSink) ? null : [{
        access_key: (config.destination_task && config.destination_task.access_key) || '',
        secret_key: (config.destination_task && config.destination_task.secret_key) || '',
        consumer_strategy: k.consumer_strategy, destination_file_type: k.destination_file_type,
        obs_bucket_name: k.obs_bucket_name, obs_path: k.obs_path, partition_format: k.partition_format,
        record_delimiter: k.record_delimiter, deliver_time_interval: k.deliver_time_interval, store_keys: k.store_keys }],
      created_at: String(task.create_time), status: task.status, raw,
    };
  }

  importTask(importId) {
    const [instanceId, id] = importId.split('/');
    return this.readTask(id, instanceId);
  }

  deleteTask(instanceId, id) {
    return this.client.request('DELETE', this.taskPath(instanceId, id), { okCodes: [204] });
  }
}

module.exports = { OpentelekomcloudProvider, INSTANCE_READ_MEMBERS };
