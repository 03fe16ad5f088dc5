'use strict';
// The DMS Kafka call sequences of terraform-provider-huaweicloud v1.97.1+21
// (commit a0345b8d, 2026-08-21), transcribed function by function so they can
// be replayed against connectplane; requests go through GoProviderClient with
// the golangsdk signer (lib/terraform_provider_replay.js). Each method names the
// Go function it replays; each returns the Terraform state its Read would write.
//
// Transcribed from (paths in huaweicloud/terraform-provider-huaweicloud):
//   huaweicloud/services/kafka/resource_huaweicloud_dms_kafka_instance.go
//     createKafkaInstanceWithFlavor, waitForInstanceStatusComplete, kafkaInstanceCrossVpcInfoRefreshFunc,
//     resourceDmsKafkaInstance{Read,Update,Delete}, doKafkaInstanceResize, kafkaResizeStateRefresh,
//     kafkaInstanceBrokerNumberRefreshFunc, InstanceStateRefreshFunc, GetAvailableZone{IDByCode,CodeByID},
//     setKafkaInstanceCluster, setKafkaInstanceParameters, handleMultiOperationsError
//   .../data_source_huaweicloud_dms_kafka_instances.go  listInstances, buildInstancesQueryParams, flattenInstances
//   .../data_source_huaweicloud_dms_kafka_flavors.go    DataSourceFlavorsRead, filterFlavors, flattenFlavors
//   .../resource_huaweicloud_dms_kafka_smart_connect.go resourceDmsKafkaSmartConnect{Create,Read,Delete,ImportState}
//   .../resource_huaweicloud_dms_kafkav2_smart_connect_task.go  Create/Read/Delete/ImportState, build*RequestBody
//   .../resource_huaweicloud_dms_kafka_smart_connect_task_action.go  createSmartConnectTaskAction
//   .../resource_huaweicloud_dms_kafka_smart_connect_task.go  (legacy sink-tasks) Create/Read/Delete/ImportState
//   .../data_source_huaweicloud_dms_kafka_smart_connect_tasks.go  resourceDmsKafkaSmartConnectTasksRead, filterTasks
//   .../resource_huaweicloud_dms_kafka_topic.go  resourceTopic{Create,Read,Update,Delete,Import}, listTopics
//   vendor/github.com/chnsz/golangsdk/openstack/dms/v2/{kafka/instances,availablezones,products}/*.go,
//   vendor/github.com/chnsz/golangsdk/openstack/common/tags/requests.go (URLs, OkCodes, MoreHeaders, JSON types)
const { GoProviderClient, waitForState, retryContextWithWaitForState,
  omitEmpty, is404, instanceStateOr404Deleted, formatTimeStampRFC3339, absentMembers } =
  require('./terraform_provider_replay');
const { decodeGo, INSTANCE_TYPES, PRODUCT_TYPES } = require('./go_types');

const USER_AGENT = 'terraform-provider-iac golangsdk/2.0.0';  // config.go providerUserAgent + DefaultUserAgent
const JSON_HEADERS = { 'Content-Type': 'application/json' };
const REQUEST_OPTS = { 'Content-Type': 'application/json', 'X-Language': 'en-us' };  // instances.requestOpts

function flattenCrossVpcInfo(text) {
  if (!text) return null;
  const infos = JSON.parse(text);
  return Object.keys(infos).sort().map((ip) => ({ listener_ip: ip, lisenter_ip: ip,
    advertised_ip: infos[ip].advertised_ip, port: infos[ip].port, port_id: infos[ip].port_id }));
}

const PORT_PROTOCOL_KEYS = ['private_plain', 'private_sasl_ssl', 'private_sasl_plaintext', 'public_plain',
  'public_sasl_ssl', 'public_sasl_plaintext'];
function flattenKafkaSecurityConfig(protocols) {
  const out = {};
  for (const key of PORT_PROTOCOL_KEYS) {
    out[`${key}_enable`] = protocols[`${key}_enable`] || false;
    out[`${key}_address`] = protocols[`${key}_address`] || '';
    out[`${key}_domain_name`] = protocols[`${key}_domain_name`] || '';
  }
  return [out];
}

// The answer members resourceDmsKafkaInstanceRead reads (v.<Field> of instances.Instance).
const INSTANCE_READ_MEMBERS = `product_id name description engine_version specification total_storage_space vpc_id
  security_group_id subnet_id ipv6_enable available_zones broker_num maintain_begin maintain_end ssl_enable
  retention_policy connector_enable enable_auto_topic storage_spec_code enterprise_project_id
  management_connect_address access_user cross_vpc_info charging_mode public_connect_address vpc_client_plain
  port_protocols disk_encrypted disk_encrypted_key engine partition_num enable_publicip used_storage_space
  connect_address port status resource_spec_code user_id user_name extend_times ipv6_connect_addresses
  connector_id connector_node_num storage_resource_id storage_type created_at cert_replaced is_logical_volume
  message_query_inst_enable node_num pod_connect_address public_bandwidth ssl_two_way_enable type`.split(/\s+/);

const splitComma = (s) => (s ? s.split(',') : []);  // flattenStringWithCommaSplitToSlice

class HuaweicloudProvider {
  /** region: the provider's region; endpoint: endpoints.dms (= dmsv2). */
  constructor({ endpoint, ak, sk, projectId, region, clock }) {
    this.client = new GoProviderClient({ sdk: 'golangsdk', endpoint, ak, sk, projectId, userAgent: USER_AGENT });
    Object.assign(this, { projectId, region, clock });
    this.base = `/v2/${projectId}`;
  }

  // ---- shared refresh functions -------------------------------------------------

  async getInstance(id) {
    const body = await this.client.request('GET', `${this.base}/instances/${id}`);
    return decodeGo(body, INSTANCE_TYPES, 'instances.Instance');
  }

  /** InstanceStateRefreshFunc: 404 is DELETED. */
  instanceState(id) {
    return instanceStateOr404Deleted(() => this.getInstance(id));
  }

  async availableZones() {
    const body = await this.client.request('GET', '/v2/available-zones');
    return body.available_zones.map((zone) => decodeGo(zone, { id: 's', code: 's', name: 's', port: 's',
      resource_availability: 's', soldOut: 'b', default_az: 'b', remain_time: 'i', ipv6_enable: 'b' }, 'AvailableZone'));
  }

  async zoneIdsByCode(codes) {
    if (codes.length === 0) throw new Error('arguments "azCodes" is required');
    const byCode = new Map((await this.availableZones()).map((zone) => [zone.code, zone.id]));
    return codes.filter((code) => byCode.has(code)).map((code) => byCode.get(code));
  }

  async zoneCodesById(ids) {
    if (ids.length === 0) throw new Error('arguments "azIDs" is required');
    const byId = new Map((await this.availableZones()).map((zone) => [zone.id, zone.code]));
    return ids.filter((id) => byId.has(id)).map((id) => byId.get(id));
  }

  // ---- huaweicloud_dms_kafka_instance ------------------------------------------

  /** createKafkaInstanceWithFlavor + the cross-VPC wait of resourceDmsKafkaInstanceCreate, then Read. */
  async createKafkaInstance(config) {
    const zones = config.available_zones || await this.zoneIdsByCode(config.availability_zones);
    const portProtocol = config.port_protocol && Object.fromEntries(PORT_PROTOCOL_KEYS
      .map((key) => [`${key}_enable`, Boolean(config.port_protocol[`${key}_enable`])]));
    const body = {
      ...omitEmpty({
        description: config.description, access_user: config.access_user, password: config.password,
        ipv6_enable: config.ipv6_enable, broker_num: config.broker_num, arch_type: config.arch_type,
        maintain_begin: config.maintain_begin, maintain_end: config.maintain_end,
        ssl_enable: config.ssl_enable, vpc_client_plain: config.vpc_client_plain,
        kafka_security_protocol: config.security_protocol, sasl_enabled_mechanisms: config.enabled_mechanisms,
        retention_policy: config.retention_policy, connector_enable: config.dumping,
        enable_auto_topic: config.enable_auto_topic, storage_spec_code: config.storage_spec_code,
        enterprise_project_id: config.enterprise_project_id,
        tags: config.tags && Object.entries(config.tags).map(([key, value]) => ({ key, value })),
        port_protocol: portProtocol,
      }),
      name: config.name, engine: 'kafka', engine_version: config.engine_version,
      storage_space: config.storage_space || 0, vpc_id: config.vpc_id,
      security_group_id: config.security_group_id, subnet_id: config.network_id,
      available_zones: zones, product_id: config.flavor_id,
      // BssParam is a non-pointer struct: always sent, charging_mode "" for postPaid.
      bss_param: { charging_mode: '' },
    };
    const created = await this.client.request('POST', `${this.base}/kafka/instances`, { body, okCodes: [200] });
    const id = created.instance_id;
    // waitForInstanceStatusComplete: Delay 300 s, PollInterval 15 s; instanceStatusRefreshFunc.
    await waitForState(this.clock, {
      what: `instance ${id} RUNNING`, pending: ['PENDING'], target: ['COMPLETED'], delay: 300, pollInterval: 15,
      refresh: async () => {
        let instance;
        try { instance = await this.getInstance(id); } catch (err) {
          if (is404(err)) return [null, 'DELETED'];
          throw err;
        }
        if (['ERROR', 'EXTENDEDFAILED', 'FROZEN'].includes(instance.status)) {
          throw new Error(`unexpected status (${instance.status})`);
        }
        return [instance, instance.status === 'RUNNING' ? 'COMPLETED' : 'PENDING'];
      },
    });
    // kafkaInstanceCrossVpcInfoRefreshFunc: Delay 10 s, PollInterval 10 s.
    await waitForState(this.clock, {
      what: `instance ${id} cross-VPC`, pending: ['PENDING'], target: ['BOUND'], delay: 10, pollInterval: 10,
      refresh: async () => {
        const instance = await this.getInstance(id);
        return [instance, instance.cross_vpc_info ? 'BOUND' : 'PENDING'];
      },
    });
    return this.readKafkaInstance(id, config);
  }

  /**
   * resourceDmsKafkaInstanceRead. Returns null when the instance is gone
   * (CheckDeletedDiag removes it from the state), else { state, instance, absent }:
   * absent lists the members the Read reads that the answer lacks (zero values).
   */
  async readKafkaInstance(id, config = {}) {
    let raw;
    try { raw = await this.client.request('GET', `${this.base}/instances/${id}`); } catch (err) {
      if (is404(err)) return null;
      throw err;
    }
    const instance = decodeGo(raw, INSTANCE_TYPES, 'instances.Instance');
    const absent = absentMembers(raw, INSTANCE_READ_MEMBERS);
    const codes = await this.zoneCodesById(instance.available_zones);
    if (instance.public_connect_address) {
      throw new Error('public_connect_address set: the provider would look the EIPs up on VPC (not served)');
    }
    const created = Number.parseInt(instance.created_at, 10);
    const flavorKey = /^\d(\d|-)*\d$/.test(instance.product_id) ? 'product_id' : 'flavor_id';
    const state = {
      region: this.region, [flavorKey]: instance.product_id, name: instance.name,
      description: instance.description, engine_version: instance.engine_version,
      bandwidth: instance.specification, storage_space: instance.total_storage_space,
      vpc_id: instance.vpc_id, security_group_id: instance.security_group_id, network_id: instance.subnet_id,
      ipv6_enable: instance.ipv6_enable, available_zones: instance.available_zones, availability_zones: codes,
      broker_num: instance.broker_num, maintain_begin: instance.maintain_begin, maintain_end: instance.maintain_end,
      ssl_enable: instance.ssl_enable, retention_policy: instance.retention_policy,
      dumping: instance.connector_enable, enable_auto_topic: instance.enable_auto_topic,
      storage_spec_code: instance.storage_spec_code, enterprise_project_id: instance.enterprise_project_id,
      manegement_connect_address: instance.management_connect_address,
      management_connect_address: instance.management_connect_address, access_user: instance.access_user,
      cross_vpc_accesses: flattenCrossVpcInfo(instance.cross_vpc_info),
      charging_mode: instance.charging_mode === 0 ? 'prePaid' : 'postPaid', public_ip_ids: null,
      vpc_client_plain: instance.vpc_client_plain,
      port_protocols: flattenKafkaSecurityConfig(instance.port_protocols),
      port_protocol: flattenKafkaSecurityConfig(instance.port_protocols),
      disk_encrypted_enable: instance.disk_encrypted, disk_encrypted_key: instance.disk_encrypted_key,
      engine: instance.engine, partition_num: Number.parseInt(instance.partition_num, 10) || 0,
      enable_public_ip: instance.enable_publicip, public_ip_address: null,
      used_storage_space: instance.used_storage_space, connect_address: instance.connect_address,
      port: instance.port, status: instance.status, resource_spec_code: instance.resource_spec_code,
      user_id: instance.user_id, user_name: instance.user_name, extend_times: instance.extend_times,
      ipv6_connect_addresses: instance.ipv6_connect_addresses, connector_id: instance.connector_id,
      connector_node_num: instance.connector_node_num, storage_resource_id: instance.storage_resource_id,
      storage_type: instance.storage_type,
      created_at: formatTimeStampRFC3339(Math.trunc((Number.isNaN(created) ? 0 : created) / 1000)),
      cert_replaced: instance.cert_replaced, is_logical_volume: instance.is_logical_volume,
      message_query_inst_enable: instance.message_query_inst_enable, node_num: instance.node_num,
      pod_connect_address: instance.pod_connect_address, public_bandwidth: instance.public_bandwidth,
      ssl_two_way_enable: instance.ssl_two_way_enable, type: instance.type,
    };
    // setKafkaInstanceCluster: failures only log.
    try {
      const cluster = await this.client.request('GET', `${this.base}/instances/${id}/manage/cluster`,
        { moreHeaders: JSON_HEADERS });
      if (cluster.cluster) {
        state.cluster = [{ brokers: (cluster.cluster.brokers || []).map((broker) => ({ health: broker.health,
          host: broker.host, port: broker.port, broker_id: broker.broker_id })) }];
      }
    } catch (err) { state.cluster_warning = err.message; }
    // tags.Get: failure only logs.
    try {
      const tags = await this.client.request('GET', `${this.base}/kafka/${id}/tags`,
        { moreHeaders: REQUEST_OPTS, okCodes: [202, 200] });
      state.tags = Object.fromEntries((tags.tags || []).map((tag) => [tag.key, tag.value]));
    } catch (err) { state.tags_warning = err.message; }
    // setKafkaInstanceParameters: only the configured names are kept.
    try {
      const configs = await this.client.request('GET', `${this.base}/instances/${id}/configs`,
        { moreHeaders: JSON_HEADERS });
      const wanted = (config.parameters || []).map((parameter) => parameter.name);
      const params = wanted.map((name) => configs.kafka_configs.find((entry) => entry.name === name))
        .filter(Boolean).map((entry) => ({ name: entry.name, value: entry.value }));
      if (params.length > 0) state.parameters = params;
    } catch (err) { state.parameters_warning = err.message; }
    return { state, instance, absent };
  }

  /** resourceDmsKafkaInstanceUpdate for name/description/maintain/retention, broker_num and tags. */
  async updateKafkaInstance(id, state, change) {
    const next = { ...state, ...change };
    const changed = (key) => key in change && change[key] !== state[key];
    if (['name', 'description', 'maintain_begin', 'maintain_end', 'security_group_id', 'retention_policy',
      'enterprise_project_id'].some(changed)) {
      const body = {
        ...omitEmpty({ maintain_begin: next.maintain_begin, maintain_end: next.maintain_end,
          security_group_id: next.security_group_id, retention_policy: next.retention_policy,
          enterprise_project_id: next.enterprise_project_id, name: changed('name') ? next.name : '' }),
        description: next.description || '',  // a pointer: always sent
      };
      await retryContextWithWaitForState(this.clock, {
        what: 'update', waitRefresh: this.instanceState(id), waitTarget: ['RUNNING'], delay: 1, pollInterval: 10,
        call: () => this.client.request('PUT', `${this.base}/instances/${id}`, { body, okCodes: [204] }),
      });
    }
    if (changed('broker_num')) {
      const body = { oper_type: 'horizontal', new_broker_num: next.broker_num };
      await retryContextWithWaitForState(this.clock, {
        what: 'resize', waitRefresh: this.instanceState(id), waitTarget: ['RUNNING'], delay: 1, pollInterval: 10,
        call: () => this.client.request('POST', `${this.base}/kafka/instances/${id}/extend`,
          { body, moreHeaders: REQUEST_OPTS }),
      });
      // kafkaResizeStateRefresh: Delay 180 s, PollInterval 15 s.
      await waitForState(this.clock, {
        what: 'resize', pending: ['PENDING', 'EXTENDING'], target: ['RUNNING'], delay: 180, pollInterval: 15,
        refresh: async () => {
          const instance = await this.getInstance(id);
          return [instance, instance.broker_num !== next.broker_num ? 'PENDING' : instance.status];
        },
      });
      // kafkaInstanceBrokerNumberRefreshFunc: BOUND once cross_vpc_info lists every broker.
      await waitForState(this.clock, {
        what: 'broker cross-VPC', pending: ['PENDING'], target: ['BOUND'], delay: 10, pollInterval: 10,
        refresh: async () => {
          const instance = await this.getInstance(id);
          const bound = instance.broker_num === next.broker_num && instance.cross_vpc_info &&
            flattenCrossVpcInfo(instance.cross_vpc_info).length === next.broker_num;
          return [instance, bound ? 'BOUND' : 'PENDING'];
        },
      });
    }
    if ('tags' in change) {
      // utils.UpdateResourceTags: delete every old tag, then create every new one.
      const expand = (map) => Object.keys(map || {}).sort().map((key) => ({ key, value: map[key] }));
      const path = `${this.base}/kafka/${id}/tags/action`;
      if (expand(state.tags).length > 0) {
        await this.client.request('POST', path, { body: { action: 'delete', tags: expand(state.tags) },
          okCodes: [200, 204] });
      }
      if (expand(next.tags).length > 0) {
        await this.client.request('POST', path, { body: { action: 'create', tags: expand(next.tags) },
          okCodes: [200, 204] });
      }
    }
    return this.readKafkaInstance(id);
  }

  /** resourceDmsKafkaInstanceDelete (postPaid): DELETE, then DELETING/RUNNING/ERROR -> DELETED. */
  async deleteKafkaInstance(id) {
    await retryContextWithWaitForState(this.clock, {
      what: 'delete', waitRefresh: this.instanceState(id), waitTarget: ['RUNNING'], delay: 1, pollInterval: 10,
      call: () => this.client.request('DELETE', `${this.base}/instances/${id}`, { okCodes: [204] }),
    });
    await waitForState(this.clock, { what: `instance ${id} deleted`, pending: ['DELETING', 'RUNNING', 'ERROR'],
      target: ['DELETED'], delay: 120, pollInterval: 15, refresh: this.instanceState(id) });
  }

  // ---- data sources --------------------------------------------------------------

  /** data huaweicloud_dms_kafka_instances: listInstances (limit 50, offset pages) + flattenInstances. */
  async kafkaInstancesDataSource({ name, instance_id: instanceId, status, fuzzy_match: fuzzy } = {}) {
    let query = '?limit=50&engine=kafka';
    if (instanceId) query += `&instance_id=${instanceId}`;
    if (name) query += `&name=${name}`;
    if (status) query += `&status=${status}`;
    query += `&exact_match_name=${fuzzy === undefined ? true : !fuzzy}`;
    const all = [];
    for (let offset = 0; ;) {
      const page = await this.client.request('GET', `${this.base}/instances${query}&offset=${offset}`,
        { moreHeaders: { 'Content-Type': 'application/json;charset=UTF-8' } });
      all.push(...page.instances);
      offset += page.instances.length;
      if (offset >= page.instance_num) break;
    }
    const instances = [];
    for (const raw of all) {
      const instance = decodeGo(raw, INSTANCE_TYPES, 'instances[]');
      const partitionNum = Number.parseInt(raw.partition_num === undefined ? '0' : raw.partition_num, 10);
      if (Number.isNaN(partitionNum)) throw new Error(`partition_num ${raw.partition_num}`);
      instances.push({ id: instance.instance_id, name: instance.name, status: instance.status,
        availability_zones: await this.zoneCodesById(instance.available_zones),
        partition_num: partitionNum, charging_mode: ['prePaid', 'postPaid'][instance.charging_mode],
        port_protocol: flattenKafkaSecurityConfig(instance.port_protocols),
        cross_vpc_accesses: flattenCrossVpcInfo(instance.cross_vpc_info), raw });
    }
    return instances;
  }

  /** data huaweicloud_dms_kafka_flavors: GET /v2/kafka/products[?product_id=], then filterFlavors. */
  async kafkaFlavorsDataSource(filters = {}) {
    const query = filters.flavor_id ? `?product_id=${filters.flavor_id}` : '';
    const raw = await this.client.request('GET', `/v2/kafka/products${query}`);
    return { region: this.region, ...filterAndFlattenFlavors(raw, filters) };
  }
}

/**
 * filterFlavors + flattenFlavors of data_source_huaweicloud_dms_kafka_flavors.go; the
 * opentelekomcloud provider's data_source_opentelekomcloud_flavor_v2.go has the same two
 * functions over gophertelekomcloud's EngineProduct (same members). Returns {versions, flavors}.
 */
function filterAndFlattenFlavors(raw, { type, charging_mode: chargingMode, arch_type: archType,
  storage_spec_code: specCode, availability_zones: zones = [] } = {}) {
  const resp = decodeGo(raw, PRODUCT_TYPES.list, 'products.ListResp');
  const flavors = [];
  for (const product of resp.products.map((p) => decodeGo(p, PRODUCT_TYPES.product, 'Product'))) {
    if (type && product.type !== type) continue;
    if (chargingMode && !product.charging_mode.includes(chargingMode === 'postPaid' ? 'hourly' : 'monthly')) continue;
    if (archType && !product.arch_types.includes(archType)) continue;
    const ios = product.ios.filter((io) => (!specCode || io.io_spec === specCode) &&
      zones.every((zone) => io.available_zones.includes(zone)))
      .sort((a, b) => (a.io_spec.toLowerCase() < b.io_spec.toLowerCase() ? -1 : 1));
    if (ios.length === 0) continue;
    const int = (s) => Number.parseInt(s, 10) || 0;  // convertStringNumberIgnoreErr
    const p = product.properties;
    flavors.push({
      id: product.product_id, type: product.type, vm_specification: product.ecs_flavor_id,
      arch_types: product.arch_types,
      charging_modes: product.charging_mode.map((mode) => ({ hourly: 'postPaid', monthly: 'prePaid' }[mode] || mode)),
      ios: ios.map((io) => ({ storage_spec_code: io.io_spec, type: io.type, availability_zones: io.available_zones,
        unavailability_zones: io.unavailable_zones })),
      support_features: product.support_features.map((feature) => ({ name: feature.name, properties: [{
        max_task: int(feature.properties.max_task), min_task: int(feature.properties.min_task),
        max_node: int(feature.properties.max_node), min_node: int(feature.properties.min_node) }] })),
      properties: [{ max_partition_per_broker: int(p.max_partition_per_broker), max_broker: int(p.max_broker),
        max_storage_per_node: int(p.max_storage_per_node), max_consumer_per_broker: int(p.max_consumer_per_broker),
        min_broker: int(p.min_broker), max_bandwidth_per_broker: int(p.max_bandwidth_per_broker),
        min_storage_per_node: int(p.min_storage_per_node), max_tps_per_broker: int(p.max_tps_per_broker),
        flavor_alias: p.product_alias }],
    });
  }
  return { versions: resp.versions, flavors };
}

module.exports = { HuaweicloudProvider, INSTANCE_READ_MEMBERS, filterAndFlattenFlavors, flattenCrossVpcInfo,
  splitComma, USER_AGENT, JSON_HEADERS };
