'use strict';
// terraform-provider-huaweicloud a0345b8d (v1.97.1+21, 2026-08-21): the Smart
// Connect, Smart Connect task and topic resources, transcribed from
// huaweicloud/services/kafka/ (file and function named per method) and replayed
// through a HuaweicloudProvider's golangsdk-signed client. Each create/read
// returns the Terraform state the provider's Read writes; a read of a deleted
// object returns null (CheckDeletedDiag drops it from the state).
const { waitForState, retryContextWithWaitForState, removeNil, ignoreEmpty, is404,
  formatTimeStampRFC3339, absentMembers } = require('./terraform_provider_replay');
const { JSON_HEADERS, splitComma } = require('./huaweicloud_provider_replay');

const ACTION_URL = {  // resource_huaweicloud_dms_kafka_smart_connect_task_action.go actionURL
  pause: 'instances/{instance_id}/connector/tasks/{task_id}/pause',
  resume: 'instances/{instance_id}/connector/tasks/{task_id}/resume',
  restart: 'kafka/instances/{instance_id}/connector/tasks/{task_id}/restart',
  start: 'kafka/instances/{instance_id}/connector/tasks/{task_id}/restart',
};
const ACTION_WAIT = {  // createSmartConnectTaskAction's pending/target per action
  start: [['WAITING'], ['RUNNING']], pause: [['RUNNING'], ['PAUSED']],
  resume: [['PAUSED'], ['RUNNING']], restart: [['PAUSED', 'RESTARTING'], ['RUNNING']],
};
// The answer members each Read reads (utils.PathSearch); `state.absent` (not enumerable, so
// never part of a state comparison) lists those an answer lacked.
const READ_MEMBERS = {
  kafkav2Task: 'task_name topics topics_regex source_type sink_type source_task sink_task create_time status',
  kafkav2Source: `current_cluster_name cluster_name instance_id bootstrap_servers security_protocol user_name
    sasl_mechanism direction sync_consumer_offsets_enabled replication_factor task_num rename_topic_enabled
    provenance_header_enabled consumer_strategy compression_type topics_mapping`,
  sinkTask: 'task_name destination_type obs_destination_descriptor create_time status',
  sinkDescriptor: `topics topics_regex consumer_strategy destination_file_type obs_bucket_name obs_path
    partition_format record_delimiter deliver_time_interval`,
  topic: `name partition replication retention_time sync_replication sync_message_flush topic_other_configs
    topic_desc policiesOnly topic_type created_at`,
};
const members = (key) => READ_MEMBERS[key].split(/\s+/);
function withAbsent(state, absent) {
  Object.defineProperty(state, 'absent', { value: absent, enumerable: false });
  return state;
}

const joinSet = (list) => (list || []).join(',');  // changeListToStringWithCommasSplit

class HuaweicloudConnect {
  constructor(provider) {
    Object.assign(this, { client: provider.client, clock: provider.clock, base: provider.base,
      region: provider.region, provider });
  }

  async #readOrNull(target) {
    try { return await this.client.request('GET', target); } catch (err) {
      if (is404(err)) return null;
      throw err;
    }
  }

  // ---- huaweicloud_dms_kafka_smart_connect (resource_huaweicloud_dms_kafka_smart_connect.go) ----

  async createSmartConnect({ instance_id: instanceId, storage_spec_code: specCode, bandwidth, node_count: nodes }) {
    const body = removeNil({ spec_code: ignoreEmpty(specCode), specification: ignoreEmpty(bandwidth),
      node_cnt: ignoreEmpty(nodes) });
    const created = await retryContextWithWaitForState(this.clock, {
      what: 'enable smart connect', waitRefresh: this.provider.instanceState(instanceId), waitTarget: ['RUNNING'],
      delay: 1, pollInterval: 10,
      call: () => this.client.request('POST', `${this.base}/instances/${instanceId}/connector`, { body }),
    });
    if (!created.connector_id) throw new Error('connector ID is not found in API response');
    await waitForState(this.clock, { what: 'smart connect EXTENDING -> RUNNING', pending: ['EXTENDING'],
      target: ['RUNNING'], delay: 5, pollInterval: 5, refresh: this.provider.instanceState(instanceId) });
    return this.readSmartConnect(created.connector_id, instanceId);
  }

  /** Read: the instance's connector_id must equal the resource id. */
  async readSmartConnect(id, instanceId) {
    const instance = await this.#readOrNull(`${this.base}/instances/${instanceId}`);
    if (!instance || instance.connector_id !== id) return null;
    return { id, region: this.region, instance_id: instanceId };
  }

  /** Importer: "<instance_id>/<id>". */
  importSmartConnect(importId) {
    const [instanceId, id] = importId.split('/');
    return this.readSmartConnect(id, instanceId);
  }

  async deleteSmartConnect(instanceId) {
    await retryContextWithWaitForState(this.clock, {
      what: 'disable smart connect', waitRefresh: this.provider.instanceState(instanceId), waitTarget: ['RUNNING'],
      delay: 1, pollInterval: 10,
      call: () => this.client.request('POST', `${this.base}/kafka/instances/${instanceId}/delete-connector`,
        { body: { instance_id: instanceId } }),
    });
    await waitForState(this.clock, { what: 'smart connect CONNECTOR_DELETING -> RUNNING',
      pending: ['CONNECTOR_DELETING'], target: ['RUNNING'], delay: 5, pollInterval: 5,
      refresh: this.provider.instanceState(instanceId) });
  }

  // ---- huaweicloud_dms_kafkav2_smart_connect_task (resource_huaweicloud_dms_kafkav2_smart_connect_task.go) ----

  static kafkav2TaskBody(config) {
    const source = config.source_task && {
      current_cluster_name: ignoreEmpty(config.source_task.current_instance_alias),
      cluster_name: ignoreEmpty(config.source_task.peer_instance_alias),
      instance_id: ignoreEmpty(config.source_task.peer_instance_id),
      bootstrap_servers: ignoreEmpty(joinSet(config.source_task.peer_instance_address)),
      ...Object.fromEntries(['security_protocol', 'user_name', 'password', 'sasl_mechanism', 'direction',
        'sync_consumer_offsets_enabled', 'replication_factor', 'task_num', 'rename_topic_enabled',
        'provenance_header_enabled', 'consumer_strategy', 'compression_type']
        .map((key) => [key, ignoreEmpty(config.source_task[key])])),
      topics_mapping: ignoreEmpty(joinSet(config.source_task.topics_mapping)),
    };
    const sink = config.destination_task && Object.fromEntries(['consumer_strategy', 'access_key', 'secret_key',
      'agency_name', 'obs_bucket_name', 'partition_format', 'deliver_time_interval', 'obs_path',
      'record_delimiter', 'destination_file_type', 'store_keys']
      .map((key) => [key, ignoreEmpty(config.destination_task[key])]));
    return removeNil({
      task_name: config.task_name, topics: ignoreEmpty(joinSet(config.topics)),
      topics_regex: ignoreEmpty(config.topics_regex), start_later: ignoreEmpty(config.start_later),
      source_type: ignoreEmpty(config.source_type), sink_type: ignoreEmpty(config.destination_type),
      source_task: ignoreEmpty(source && removeNil(source)), sink_task: ignoreEmpty(sink && removeNil(sink)),
    });
  }

  taskPath(instanceId, taskId) { return `${this.base}/instances/${instanceId}/connector/tasks/${taskId}`; }

  /** kafkav2SmartConnectTaskStateRefreshFunc */
  taskState(instanceId, taskId) {
    return async () => {
      const body = await this.client.request('GET', this.taskPath(instanceId, taskId));
      return [body, body.status || ''];
    };
  }

  async createKafkav2Task(config) {
    const created = await this.client.request('POST', `${this.base}/instances/${config.instance_id}/connector/tasks`,
      { body: HuaweicloudConnect.kafkav2TaskBody(config) });
    if (!created.id) throw new Error('id is nil');
    await waitForState(this.clock, { what: `task ${created.id}`, pending: ['CREATING'], target: ['RUNNING', 'WAITING'],
      delay: 1, pollInterval: 5, refresh: this.taskState(config.instance_id, created.id) });
    return this.readKafkav2Task(created.id, config.instance_id, config);
  }

  /** resourceDmsKafkav2SmartConnectTaskRead; `config` supplies what Read copies from the state (passwords). */
  async readKafkav2Task(id, instanceId, config = {}) {
    const body = await this.#readOrNull(this.taskPath(instanceId, id));
    if (!body) return null;
    const pick = (raw, key, dflt = null) => (raw && raw[key] !== undefined && raw[key] !== null ? raw[key] : dflt);
    const isEmpty = (raw) => raw && typeof raw === 'object' && Object.keys(raw).length === 0;
    const src = body.source_task;
    const sink = body.sink_task;
    const absent = absentMembers(body, members('kafkav2Task'));
    if (src && Object.keys(src).length > 0) {
      absent.push(...absentMembers(src, members('kafkav2Source')).map((m) => `source_task.${m}`));
    }
    return withAbsent({
      id, instance_id: instanceId, region: this.region, task_name: pick(body, 'task_name'),
      topics: splitComma(pick(body, 'topics', '')), topics_regex: pick(body, 'topics_regex'),
      source_type: pick(body, 'source_type'), destination_type: pick(body, 'sink_type'),
      source_task: isEmpty(src) ? null : [{
        current_instance_alias: pick(src, 'current_cluster_name'), peer_instance_alias: pick(src, 'cluster_name'),
        peer_instance_id: pick(src, 'instance_id'), peer_instance_address: pick(src, 'bootstrap_servers', '').split(','),
        security_protocol: pick(src, 'security_protocol'), user_name: pick(src, 'user_name'),
        password: (config.source_task && config.source_task.password) || '',
        sasl_mechanism: pick(src, 'sasl_mechanism'), direction: pick(src, 'direction'),
        sync_consumer_offsets_enabled: pick(src, 'sync_consumer_offsets_enabled', false),
        replication_factor: pick(src, 'replication_factor', 0), task_num: pick(src, 'task_num', 0),
        rename_topic_enabled: pick(src, 'rename_topic_enabled', false),
        provenance_header_enabled: pick(src, 'provenance_header_enabled', false),
        consumer_strategy: pick(src, 'consumer_strategy'), compression_type: pick(src, 'compression_type'),
        topics_mapping: splitComma(pick(src, 'topics_mapping', '')),
      }],
      destination_task: isEmpty(sink) ? null : [{
        access_key: (config.destination_task && config.destination_task.access_key) || '',
        secret_key: (config.destination_task && config.destination_task.secret_key) || '',
        ...Object.fromEntries(['agency_name', 'consumer_strategy', 'destination_file_type', 'obs_bucket_name',
          'obs_path', 'partition_format', 'record_delimiter', 'timezone', 'schema_generator_class',
          'partitioner_class', 'key_converter', 'value_converter', 'kv_delimiter'].map((k) => [k, pick(sink, k)])),
        deliver_time_interval: pick(sink, 'deliver_time_interval', 0), store_keys: pick(sink, 'store_keys', false),
        obs_part_size: pick(sink, 'obs_part_size', 0), flush_size: pick(sink, 'flush_size', 0),
      }],
      created_at: formatTimeStampRFC3339(Math.trunc(pick(body, 'create_time', 0) / 1000)),
      status: pick(body, 'status'), raw: body,
    }, absent);
  }

  /** Importer: "<instance_id>/<task_id>"; Read with no configuration. */
  importKafkav2Task(importId) {
    const [instanceId, id] = importId.split('/');
    return this.readKafkav2Task(id, instanceId);
  }

  async deleteKafkav2Task(instanceId, id) {
    await this.client.request('DELETE', this.taskPath(instanceId, id), { okCodes: [204] });
  }

  // ---- huaweicloud_dms_kafka_smart_connect_task_action ----

  /** createSmartConnectTaskAction (Create, and Update when `action` changes). Read and Delete call nothing. */
  async taskAction({ instance_id: instanceId, task_id: taskId, action }) {
    const path = `${this.base}/${ACTION_URL[action]}`.replace('{instance_id}', instanceId).replace('{task_id}', taskId);
    await this.client.request('PUT', path, { okCodes: [204] });
    const [pending, target] = ACTION_WAIT[action];
    await waitForState(this.clock, { what: `task action ${action}`, pending, target, delay: 5, pollInterval: 5,
      refresh: this.taskState(instanceId, taskId) });
    return { id: `${instanceId}/${taskId}`, instance_id: instanceId, task_id: taskId, action };
  }

  // ---- huaweicloud_dms_kafka_smart_connect_task: the legacy sink-task API ----

  sinkTaskPath(connectorId, taskId = '') {
    return `${this.base}/connectors/${connectorId}/sink-tasks${taskId ? `/${taskId}` : ''}`;
  }

  async createSinkTask(config) {
    const body = removeNil({ source_type: config.source_type, task_name: config.task_name,
      destination_type: config.destination_type,
      obs_destination_descriptor: Object.fromEntries(['consumer_strategy', 'destination_file_type', 'access_key',
        'secret_key', 'obs_bucket_name', 'obs_path', 'partition_format', 'record_delimiter',
        'deliver_time_interval', 'topics', 'topics_regex'].map((key) => [key,
        config[key] === undefined ? (key === 'deliver_time_interval' ? 0 : '') : config[key]])) });
    const created = await this.client.request('POST', this.sinkTaskPath(config.connector_id), { body });
    if (!created.task_id) throw new Error('the task id is nil');
    await waitForState(this.clock, { what: `sink task ${created.task_id}`, pending: ['CREATING'], target: ['RUNNING'],
      delay: 1, pollInterval: 5, refresh: async () => {
        const task = await this.client.request('GET', this.sinkTaskPath(config.connector_id, created.task_id));
        return [task, task.status || ''];
      } });
    return this.readSinkTask(created.task_id, config.connector_id);
  }

  async readSinkTask(id, connectorId) {
    const body = await this.#readOrNull(this.sinkTaskPath(connectorId, id));
    if (!body) return null;
    const d = body.obs_destination_descriptor || {};
    const at = (key) => (d[key] === undefined ? null : d[key]);
    const absent = [...absentMembers(body, members('sinkTask')),
      ...absentMembers(d, members('sinkDescriptor')).map((m) => `obs_destination_descriptor.${m}`)];
    return withAbsent({ id, region: this.region, connector_id: connectorId, task_name: body.task_name,
      destination_type: body.destination_type, topics: at('topics'), topics_regex: at('topics_regex'),
      consumer_strategy: at('consumer_strategy'), destination_file_type: at('destination_file_type'),
      obs_bucket_name: at('obs_bucket_name'), obs_path: at('obs_path'), partition_format: at('partition_format'),
      record_delimiter: at('record_delimiter'), deliver_time_interval: at('deliver_time_interval'),
      created_at: formatTimeStampRFC3339(Math.trunc((body.create_time || 0) / 1000)), status: body.status },
    absent);
  }

  importSinkTask(importId) {
    const [connectorId, id] = importId.split('/');
    return this.readSinkTask(id, connectorId);
  }

  deleteSinkTask(connectorId, id) {
    return this.client.request('DELETE', this.sinkTaskPath(connectorId, id), { okCodes: [204] });
  }

  /** data huaweicloud_dms_kafka_smart_connect_tasks: one GET, filtered client-side. */
  async sinkTasksDataSource({ connector_id: connectorId, task_id: taskId, task_name: taskName,
    destination_type: destinationType, status }) {
    const body = await this.client.request('GET', this.sinkTaskPath(connectorId));
    const tasks = (body.tasks || []).filter((task) => (!taskId || task.task_id === taskId) &&
      (!taskName || task.task_name === taskName) && (!destinationType || task.destination_type === destinationType) &&
      (!status || task.status === status));
    return { region: this.region, tasks: tasks.length === 0 ? null : tasks.map((task) => ({ id: task.task_id,
      task_name: task.task_name, destination_type: task.destination_type,
      created_at: formatTimeStampRFC3339(Math.trunc((task.create_time || 0) / 1000)), status: task.status,
      topics: task.topics })) };
  }

  // ---- huaweicloud_dms_kafka_topic (resource_huaweicloud_dms_kafka_topic.go) ----

  /** listTopics: limit 200, offset pages until a short page. */
  async listTopics(instanceId) {
    const all = [];
    for (let offset = 0; ;) {
      const page = await this.client.request('GET',
        `${this.base}/instances/${instanceId}/topics?limit=200&offset=${offset}`, { moreHeaders: JSON_HEADERS });
      const topics = page.topics || [];
      all.push(...topics);
      if (topics.length < 200) break;
      offset += topics.length;
    }
    return all;
  }

  async createTopic(config) {
    const body = removeNil({ id: config.name, partition: config.partitions || 0,
      replication: ignoreEmpty(config.replicas), retention_time: ignoreEmpty(config.aging_time),
      sync_replication: Boolean(config.sync_replication), sync_message_flush: Boolean(config.sync_flushing),
      topic_desc: ignoreEmpty(config.description),
      topic_other_configs: config.configs && config.configs.length ? config.configs : undefined });
    const created = await this.client.request('POST', `${this.base}/instances/${config.instance_id}/topics`,
      { body, moreHeaders: JSON_HEADERS });
    if (!created.name) throw new Error('unable to find the topic name from the API response');
    await waitForState(this.clock, { what: `topic ${created.name}`, pending: ['PENDING'], target: ['SUCCESS'],
      delay: 1, pollInterval: 10, refresh: async () => {
        const topic = (await this.listTopics(config.instance_id)).find((t) => t.name === created.name);
        return topic ? [topic, 'SUCCESS'] : [{}, 'PENDING'];
      } });
    return this.readTopic(created.name, config.instance_id);
  }

  async readTopic(name, instanceId) {
    const topic = (await this.listTopics(instanceId)).find((t) => t.name === name);
    if (!topic) return null;
    const at = (key) => (topic[key] === undefined ? null : topic[key]);
    const configs = topic.topic_other_configs || [];
    return withAbsent({ id: name, instance_id: instanceId, region: this.region, name: at('name'),
      partitions: at('partition'),
      replicas: at('replication'), aging_time: at('retention_time'), sync_replication: at('sync_replication'),
      sync_flushing: at('sync_message_flush'),
      configs: configs.length ? configs.map((c) => ({ name: c.name, value: c.value })) : null,
      description: at('topic_desc'), policies_only: at('policiesOnly'),
      type: topic.topic_type === 1 ? 'system topic' : 'common topic',
      created_at: formatTimeStampRFC3339(Math.trunc((topic.created_at || 0) / 1000)), raw: topic },
    absentMembers(topic, members('topic')));
  }

  importTopic(importId) {
    const [instanceId, name] = importId.split('/');
    return this.readTopic(name, instanceId);
  }

  /** buildUpdateTopicBodyParams: the id plus each changed argument. */
  async updateTopic(state, change) {
    const params = { id: state.name };
    if ('partitions' in change) params.new_partition_numbers = change.partitions;
    if ('aging_time' in change) params.retention_time = change.aging_time;
    if ('sync_replication' in change) params.sync_replication = change.sync_replication;
    if ('sync_flushing' in change) params.sync_message_flush = change.sync_flushing;
    if ('description' in change) params.topic_desc = change.description;
    await this.client.request('PUT', `${this.base}/instances/${state.instance_id}/topics`,
      { body: removeNil({ topics: [params] }), moreHeaders: JSON_HEADERS, okCodes: [204] });
    return this.readTopic(state.name, state.instance_id);
  }

  async deleteTopic(instanceId, name) {
    const answer = await this.client.request('POST', `${this.base}/instances/${instanceId}/topics/delete`,
      { body: { topics: [name] }, moreHeaders: JSON_HEADERS });
    const result = (answer.topics || []).find((t) => t.id === name);
    if (!result || result.success !== true) throw new Error(`error deleting topic (${name}): ${JSON.stringify(answer)}`);
  }
}

module.exports = { HuaweicloudConnect };
