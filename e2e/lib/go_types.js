'use strict';
// json.Unmarshal into the Go structs the providers' SDKs decode DMS answers
// into: a member of the wrong JSON type fails the whole call (as it fails the
// provider), a missing or null member becomes the Go zero value. Type codes:
// 's' string, 'i' integer, 'f' float64, 'b' bool, 'S' []string, 'o' any
// object, a nested spec for a struct, [spec] for a slice of structs.
// Structs, from:
//   INSTANCE_TYPES  chnsz/golangsdk openstack/dms/v2/kafka/instances/results.go Instance
//                   (vendored in terraform-provider-huaweicloud a0345b8d)
//   OTC_INSTANCE_TYPES  gophertelekomcloud 30e33075 openstack/dms/v2/instances/lifecycle/List.go Instance
//   PRODUCT_TYPES   golangsdk openstack/dms/v2/products/results.go ListResp/Product (the same
//                   members as gophertelekomcloud products/List.go GetResp/EngineProduct)
//   OTC_TASK_TYPES  gophertelekomcloud smart_connect/GetTask.go TaskDetails (+ CreateTask.go configs)

const ZERO = { s: '', i: 0, f: 0, b: false, S: null, o: null };

function decodeGo(body, spec, what) {
  if (body === null || body === undefined) return decodeGo({}, spec, what);
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new TypeError(`json: cannot unmarshal ${JSON.stringify(body)} into ${what}`);
  }
  const out = {};
  for (const [key, type] of Object.entries(spec)) {
    out[key] = decodeValue(body[key], type, `${what}.${key}`);
  }
  return out;
}

function decodeValue(value, type, what) {
  const fail = () => { throw new TypeError(`json: cannot unmarshal ${JSON.stringify(value)} into Go ${what} (${JSON.stringify(type)})`); };
  if (value === undefined || value === null) {
    if (typeof type === 'string') return ZERO[type];
    return Array.isArray(type) ? null : decodeGo({}, type, what);
  }
  if (Array.isArray(type)) {
    if (!Array.isArray(value)) fail();
    return value.map((entry, i) => decodeGo(entry, type[0], `${what}[${i}]`));
  }
  if (typeof type === 'object') return decodeGo(value, type, what);
  switch (type) {
    case 's': if (typeof value !== 'string') fail(); return value;
    case 'i': if (!Number.isInteger(value)) fail(); return value;
    case 'f': if (typeof value !== 'number') fail(); return value;
    case 'b': if (typeof value !== 'boolean') fail(); return value;
    case 'S': if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) fail(); return value;
    case 'o': if (typeof value !== 'object') fail(); return value;
    default: throw new Error(`unknown type ${type}`);
  }
}

function specOf(text) {
  return Object.fromEntries(text.trim().split(/\s+/).map((pair) => pair.split(':')));
}

const PORT_PROTOCOLS = specOf(['private_plain', 'private_sasl_ssl', 'private_sasl_plaintext', 'public_plain',
  'public_sasl_ssl', 'public_sasl_plaintext'].map((k) => `${k}_enable:b ${k}_address:s ${k}_domain_name:s`).join(' '));

const INSTANCE_TYPES = {
  ...specOf(`name:s description:s engine:s engine_version:s specification:s storage_space:i partition_num:s
    broker_num:i node_num:i used_storage_space:i connect_address:s port:i status:s instance_id:s
    resource_spec_code:s charging_mode:i vpc_id:s vpc_name:s created_at:s user_id:s user_name:s order_id:s
    maintain_begin:s maintain_end:s enable_publicip:b management_connect_address:s ssl_enable:b
    kafka_security_protocol:s sasl_enabled_mechanisms:S enterprise_project_id:s is_logical_volume:b
    extend_times:i enable_auto_topic:b type:s product_id:s security_group_id:s security_group_name:s
    subnet_id:s subnet_name:s available_zones:S total_storage_space:i public_connect_address:s
    storage_resource_id:s storage_spec_code:s service_type:s storage_type:s retention_policy:s
    kafka_public_status:s public_bandwidth:i kafka_manager_user:s enable_log_collection:b cross_vpc_info:s
    ipv6_enable:b ipv6_connect_addresses:S connector_enable:b connector_id:s connector_node_num:i
    rest_enable:b rest_connect_address:s message_query_inst_enable:b vpc_client_plain:b support_features:s
    task:o trace_enable:b pod_connect_address:s disk_encrypted:b disk_encrypted_key:s
    kafka_private_connect_address:s ces_version:s access_user:s cert_replaced:b ssl_two_way_enable:b`),
  tags: [{ key: 's', value: 's' }],
  port_protocols: PORT_PROTOCOLS,
};

// gophertelekomcloud lifecycle.Instance (instances/lifecycle/List.go).
const OTC_INSTANCE_TYPES = {
  ...specOf(`name:s engine:s engine_version:s description:s specification:s storage_space:i partition_num:s
    used_storage_space:i connect_address:s port:i status:s instance_id:s resource_spec_code:s charging_mode:i
    vpc_id:s vpc_name:s created_at:s subnet_name:s subnet_cidr:s user_id:s user_name:s access_user:s
    maintain_begin:s maintain_end:s enable_publicip:b ssl_enable:b broker_ssl_enable:b
    kafka_security_protocol:s sasl_enabled_mechanisms:S ssl_two_way_enable:b cert_replaced:b type:s
    product_id:s security_group_id:s security_group_name:s subnet_id:s available_zones:S
    available_zone_names:S total_storage_space:i public_connect_address:s storage_resource_id:s
    storage_spec_code:s service_type:s storage_type:s retention_policy:s kafka_public_status:s
    public_bandwidth:i kafka_manager_enabled:b new_auth_cert:b cross_vpc_info:s connector_enable:b
    connector_node_num:i rest_connect_address:s pod_connect_address:s disk_encrypted:b disk_encrypted_key:s
    kafka_private_connect_address:s ces_version:s public_access_enabled:s node_num:i enable_acl:b
    new_spec_billing_enabled:b broker_num:i dr_enable:b`),
  tags: [{ key: 's', value: 's' }],
};

const PRODUCT_TYPES = {
  list: { engine: 's', versions: 'S', products: 'o' },
  product: {
    ...specOf('type:s product_id:s ecs_flavor_id:s billing_code:s arch_types:S charging_mode:S'),
    ios: [specOf('io_spec:s type:s available_zones:S unavailable_zones:S')],
    support_features: [{ name: 's', properties: specOf('max_task:s min_task:s max_node:s min_node:s') }],
    properties: specOf(`max_partition_per_broker:s max_broker:s max_storage_per_node:s max_consumer_per_broker:s
      min_broker:s max_bandwidth_per_broker:s min_storage_per_node:s max_tps_per_broker:s product_alias:s`),
  },
};

const OTC_SOURCE = specOf(`redis_address:s redis_type:s dcs_instance_id:s redis_password:s sync_mode:s
  full_sync_wait_ms:i full_sync_max_retry:i ratelimit:i current_cluster_name:s cluster_name:s user_name:s
  password:s sasl_mechanism:s instance_id:s bootstrap_servers:s security_protocol:s direction:s
  sync_consumer_offsets_enabled:b replication_factor:i task_num:i rename_topic_enabled:b
  provenance_header_enabled:b consumer_strategy:s compression_type:s topics_mapping:s`);
const OTC_SINK = specOf(`redis_address:s redis_type:s dcs_instance_id:s redis_password:s consumer_strategy:s
  destination_file_type:s deliver_time_interval:i access_key:s secret_key:s obs_bucket_name:s obs_path:s
  partition_format:s record_delimiter:s store_keys:b`);
const OTC_TASK_TYPES = { ...specOf('task_name:s topics:s topics_regex:s source_type:s sink_type:s id:s status:s create_time:i'),
  source_task: OTC_SOURCE, sink_task: OTC_SINK };

module.exports = { decodeGo, specOf, INSTANCE_TYPES, OTC_INSTANCE_TYPES, PRODUCT_TYPES, OTC_TASK_TYPES };
