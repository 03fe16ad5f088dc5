#!/usr/bin/env python3
"""Records what the official Huawei Cloud Python SDK (huaweicloudsdkkafka) sends
for the Smart Connect flow, for test/python_sdk_replay.test.js. Run by hand,
never in CI (the SDK is on PyPI only):

  PYTHONPATH=/tmp/pysdk/huaweicloud-sdk-core:/tmp/pysdk/huaweicloud-sdk-kafka \\
    /usr/bin/python3 e2e/tools/record_python_sdk.py --bin build/src/main/connectplane \\
      --sdk-commit <commit of the SDK checkout> --out e2e/recordings/python-sdk-<version>-smart-connect.json

It starts connectplane on a fresh SQLite file with the demo seed, puts a
byte-level recording proxy in front of it and drives the flow through the
SDK's own KafkaClient. Each SDK call must produce exactly one HTTP exchange
(retries are off); the recording keeps the request head and body as sent,
with X-Sdk-Date, Authorization and Host turned into placeholders (the
originals go to "signature_check") and server-generated ids into {{name}}
placeholders bound to the answer they came from.
"""

import argparse
import base64
import datetime
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time

DEMO_AK = 'HPUAEXAMPLEAK0000001'
DEMO_SK = 'ExampleSecretKey0000000000000000000000000'
DEMO_PROJECT = '0123456789abcdef0123456789abcdef'
DEMO_INSTANCE = 'a1b2c3d4-0000-1111-2222-333344445555'
UNKNOWN_INSTANCE = 'ffffffff-0000-1111-2222-333344445555'
REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))

# Job timing of the recording server, replayed as is: every job the flow
# starts completes on the second read of its resource, so the first read
# after an answer shows the transitional status.
JOB_SECONDS = ['0'] + ['%s=reads:2' % job_type for job_type in (
    'kafka.enable_connector', 'kafka.disable_connector', 'kafka.create_connector_task',
    'kafka.pause_connector_task', 'kafka.resume_connector_task')]

POLL_INTERVAL_SECONDS = 0.1
POLL_DEADLINE_SECONDS = 15

# Headers whose values the replay regenerates.
REGENERATED = {'host': '{{host}}', 'x-sdk-date': '{{x_sdk_date}}',
               'authorization': '{{authorization}}'}


# --- byte-level recording proxy -------------------------------------------------

class _Reader:
    def __init__(self, sock):
        self.sock = sock
        self.buf = b''

    def head(self):
        """Bytes up to and including the blank line, or None at a clean EOF."""
        while b'\r\n\r\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                if self.buf:
                    raise IOError('connection closed inside a message head')
                return None
            self.buf += chunk
        end = self.buf.index(b'\r\n\r\n') + 4
        head, self.buf = self.buf[:end], self.buf[end:]
        return head

    def exact(self, length):
        while len(self.buf) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise IOError('connection closed inside a message body')
            self.buf += chunk
        data, self.buf = self.buf[:length], self.buf[length:]
        return data


def _parse_head(head):
    lines = head[:-4].decode('latin-1').split('\r\n')
    headers = []
    for line in lines[1:]:
        name, sep, value = line.partition(':')
        if not sep or not value.startswith(' '):
            raise ValueError('unexpected header line %r' % line)
        headers.append([name, value[1:]])
    rebuilt = '\r\n'.join([lines[0]] + ['%s: %s' % (n, v) for n, v in headers]) + '\r\n\r\n'
    if rebuilt.encode('latin-1') != head:
        raise ValueError('head does not round-trip')
    return lines[0], headers


def _body_length(headers):
    for name, value in headers:
        if name.lower() == 'transfer-encoding':
            raise ValueError('chunked bodies are not recorded')
    for name, value in headers:
        if name.lower() == 'content-length':
            return int(value)
    return 0


class RecordingProxy:
    def __init__(self, upstream_port):
        self.upstream_port = upstream_port
        self.exchanges = []
        self.lock = threading.Lock()
        self.listener = socket.socket()
        self.listener.bind(('127.0.0.1', 0))
        self.listener.listen(8)
        self.port = self.listener.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            conn, _ = self.listener.accept()
            self.connections += 1
            threading.Thread(target=self._serve, args=(conn, self.connections), daemon=True).start()

    def _serve(self, conn, connection):
        upstream = socket.create_connection(('127.0.0.1', self.upstream_port))
        client, server = _Reader(conn), _Reader(upstream)
        try:
            while True:
                head = client.head()
                if head is None:
                    return
                request_line, headers = _parse_head(head)
                body = client.exact(_body_length(headers))
                upstream.sendall(head + body)
                response_head = server.head()
                status_line, response_headers = _parse_head(response_head)
                response_body = server.exact(_body_length(response_headers))
                with self.lock:
                    self.exchanges.append({'connection': connection,
                                           'request_line': request_line, 'headers': headers,
                                           'body': body, 'status_line': status_line,
                                           'response_headers': response_headers,
                                           'response_body': response_body})
                conn.sendall(response_head + response_body)
        finally:
            conn.close()
            upstream.close()


# --- what the SDK read -----------------------------------------------------------

def sdk_read(obj, path=''):
    """{wire path: declared type} for every member the SDK deserialized (non-None)."""
    read = {}
    for attr, declared in obj.openapi_types.items():
        value = getattr(obj, attr)
        if value is None:
            continue
        member = '%s.%s' % (path, obj.attribute_map[attr]) if path else obj.attribute_map[attr]
        read[member] = declared
        items = enumerate(value) if isinstance(value, list) else [(None, value)]
        for idx, item in items:
            if hasattr(item, 'openapi_types'):
                read.update(sdk_read(item, member if idx is None else '%s[%d]' % (member, idx)))
            elif idx is not None:
                read['%s[%d]' % (member, idx)] = re.match(r'list\[(.*)\]', declared).group(1)
    return read


def wire_value(body, path):
    value = body
    for key, idx in re.findall(r'([^.\[\]]+)|\[(\d+)\]', path):
        value = value[int(idx)] if idx else value[key]
    return value


def wire_matches(declared, value):
    kinds = {'str': lambda v: isinstance(v, str),
             'int': lambda v: isinstance(v, int) and not isinstance(v, bool),
             'float': lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
             'bool': lambda v: isinstance(v, bool),
             'object': lambda v: True}
    if declared.startswith('list['):
        return isinstance(value, list)
    if declared.startswith('dict('):
        return isinstance(value, dict)
    return kinds.get(declared, lambda v: isinstance(v, dict))(value)


# --- the recording -----------------------------------------------------------------

class Recorder:
    def __init__(self, proxy, sdk_error):
        self.proxy = proxy
        self.sdk_error = sdk_error  # the SDK's exception for an error answer
        self.bound = {}  # placeholder name -> server-generated value
        self.steps = []

    def _template(self, text):
        for name, value in self.bound.items():
            text = text.replace(value, '{{%s}}' % name)
        return text

    def _request(self, exchange):
        method, target, version = exchange['request_line'].split(' ')
        headers = [[name, REGENERATED.get(name.lower(), self._template(value))]
                   for name, value in exchange['headers']]
        body = exchange['body']
        try:
            body_field = {'body_utf8': self._template(body.decode('utf-8'))}
        except UnicodeDecodeError:
            body_field = {'body_base64': base64.b64encode(body).decode('ascii')}
        original = {name.lower(): value for name, value in exchange['headers']}
        return ({'method': method, 'target': self._template(target), 'http_version': version,
                 'headers': headers, **body_field},
                {name: original.get(name) for name in REGENERATED})

    @staticmethod
    def _response(exchange):
        status = int(exchange['status_line'].split(' ')[1])
        text = exchange['response_body'].decode('utf-8')
        return {'status': status, 'headers': exchange['response_headers'],
                'body': json.loads(text) if text else None}

    def _exchange_of(self, before):
        new = self.proxy.exchanges[before:]
        if len(new) != 1:
            raise RuntimeError('expected one HTTP exchange per SDK call, saw %d' % len(new))
        return new[0]

    def call(self, step, operation, invoke, *, expect=None, bind=None, poll=None, note=None):
        """One SDK call (or a poll loop of identical calls) and its exchange."""
        attempts = []
        request = signature = None
        deadline = time.monotonic() + POLL_DEADLINE_SECONDS
        while True:
            before = len(self.proxy.exchanges)
            try:
                result, raised = invoke(), None
            except self.sdk_error as error:  # the SDK's exception is the recorded fact
                result, raised = None, error
            exchange = self._exchange_of(before)
            this_request, this_signature = self._request(exchange)
            if request is None:
                request, signature = this_request, this_signature
            elif this_request != request:
                raise RuntimeError('%s: a poll attempt sent a different request' % step)
            response = self._response(exchange)
            attempts.append((response, result, raised))
            if poll is None or raised is not None:
                break
            status = wire_value(response['body'], poll['path'])
            if status in poll['until']:
                break
            if status not in poll['pending'] or time.monotonic() > deadline:
                raise RuntimeError('%s: %s is %r' % (step, poll['path'], status))
            time.sleep(POLL_INTERVAL_SECONDS)  # a user's poll loop, not a wait for an outcome
        response, result, raised = attempts[-1]
        entry = {'step': step, 'operation': operation}
        if note:
            entry['note'] = note
        entry['connection'] = exchange['connection']
        entry['request'] = request
        entry['signature_check'] = signature
        if poll is not None:
            entry['poll'] = dict(poll, recorded_attempts=[
                wire_value(r['body'], poll['path']) for r, _, _ in attempts])
        entry['response'] = response
        if raised is not None:
            entry['sdk_raised'] = {
                'class': type(raised).__name__, 'status_code': raised.status_code,
                'error_code': raised.error_code, 'error_msg': raised.error_msg,
                'request_id': raised.request_id}
        else:
            read = sdk_read(result)
            mismatches = {path: declared for path, declared in read.items()
                          if not wire_matches(declared, wire_value(response['body'], path))}
            entry['sdk_result'] = {'class': type(result).__name__,
                                   'status_code': result.status_code, 'read': read}
            if mismatches:
                entry['sdk_result']['declared_type_differs_from_wire'] = mismatches
        if expect:
            entry['expect'] = {path: self._template(value) if isinstance(value, str) else value
                               for path, value in expect.items()}
            for path, value in expect.items():
                actual = wire_value(response['body'], path)
                if actual != value:
                    raise RuntimeError('%s: %s is %r, expected %r' % (step, path, actual, value))
        if bind:
            entry['bind'] = bind
            for name, path in bind.items():
                self.bound[name] = wire_value(response['body'], path)
        self.steps.append(entry)
        return result


def run_flow(recorder, client, v2):
    call = recorder.call
    show = v2.ShowInstanceRequest(instance_id=DEMO_INSTANCE)
    call('show_instance_before', 'ShowInstance', lambda: client.show_instance(show),
         expect={'status': 'RUNNING', 'connector_enable': False})
    enable_body = v2.CreateConnectorReq(specification='100MB', node_cnt=2)
    call('create_connector', 'CreateConnector', lambda: client.create_connector(
        v2.CreateConnectorRequest(instance_id=DEMO_INSTANCE, body=enable_body)),
        bind={'enable_job_id': 'job_id', 'connector_id': 'connector_id'})
    call('show_background_task_enable', 'ShowBackgroundTask', lambda: client.show_background_task(
        v2.ShowBackgroundTaskRequest(instance_id=DEMO_INSTANCE,
                                     task_id=recorder.bound['enable_job_id'])),
        poll={'path': 'tasks[0].status', 'pending': ['EXECUTING'], 'until': ['SUCCESS']},
        expect={'task_count': '1', 'tasks[0].id': recorder.bound['enable_job_id'],
                'tasks[0].name': 'createConnector', 'tasks[0].status': 'SUCCESS'})
    call('list_background_tasks', 'ListBackgroundTasks', lambda: client.list_background_tasks(
        v2.ListBackgroundTasksRequest(instance_id=DEMO_INSTANCE, start=1, limit=10)),
        expect={'task_count': '1', 'tasks[0].id': recorder.bound['enable_job_id'],
                'tasks[0].status': 'SUCCESS'})
    call('show_instance_enabled', 'ShowInstance', lambda: client.show_instance(show),
         expect={'status': 'RUNNING', 'connector_enable': True,
                 'connector_id': recorder.bound['connector_id'], 'connector_node_num': 2})

    sink = v2.SmartConnectTaskReqSinkConfig(
        consumer_strategy='latest', destination_file_type='TEXT', deliver_time_interval=300,
        access_key='OBSAK', secret_key='OBSSK', obs_bucket_name='dump-bucket',
        obs_path='kafka/dump', partition_format='yyyy/MM/dd', record_delimiter='\n',
        store_keys=False)
    task_body = v2.CreateSmartConnectTaskReq(
        task_name='orders-to-obs', topics='orders,payments', source_type='NONE',
        sink_type='OBS_SINK', sink_task=sink)
    call('create_connector_task', 'CreateConnectorTask', lambda: client.create_connector_task(
        v2.CreateConnectorTaskRequest(instance_id=DEMO_INSTANCE, body=task_body)),
        bind={'task_id': 'id'}, expect={'task_name': 'orders-to-obs', 'sink_type': 'OBS_SINK'})

    def task_request(cls):
        return cls(instance_id=DEMO_INSTANCE, task_id=recorder.bound['task_id'])

    def show_task(step, pending, until):
        call(step, 'ShowConnectorTask',
             lambda: client.show_connector_task(task_request(v2.ShowConnectorTaskRequest)),
             poll={'path': 'status', 'pending': pending, 'until': [until]},
             expect={'id': recorder.bound['task_id'], 'status': until})

    show_task('show_connector_task_created', ['CREATING'], 'RUNNING')
    call('list_connector_tasks', 'ListConnectorTasks', lambda: client.list_connector_tasks(
        v2.ListConnectorTasksRequest(instance_id=DEMO_INSTANCE, offset=0, limit=10)),
        expect={'total_number': 1, 'tasks[0].id': recorder.bound['task_id'],
                'tasks[0].status': 'RUNNING'})
    call('pause_connector_task', 'PauseConnectorTask',
         lambda: client.pause_connector_task(task_request(v2.PauseConnectorTaskRequest)))
    show_task('show_connector_task_paused', ['PAUSING', 'RUNNING'], 'PAUSED')
    call('resume_connector_task', 'ResumeConnectorTask',
         lambda: client.resume_connector_task(task_request(v2.ResumeConnectorTaskRequest)))
    show_task('show_connector_task_resumed', ['RESUMING', 'PAUSED'], 'RUNNING')
    call('delete_connector_task', 'DeleteConnectorTask',
         lambda: client.delete_connector_task(task_request(v2.DeleteConnectorTaskRequest)))
    call('show_connector_task_deleted', 'ShowConnectorTask',
         lambda: client.show_connector_task(task_request(v2.ShowConnectorTaskRequest)),
         note='deletion check: the task is gone')

    call('delete_connector', 'DeleteConnector', lambda: client.delete_connector(
        v2.DeleteConnectorRequest(instance_id=DEMO_INSTANCE)), bind={'disable_job_id': 'job_id'})
    call('show_background_task_disable', 'ShowBackgroundTask', lambda: client.show_background_task(
        v2.ShowBackgroundTaskRequest(instance_id=DEMO_INSTANCE,
                                     task_id=recorder.bound['disable_job_id'])),
        poll={'path': 'tasks[0].status', 'pending': ['EXECUTING'], 'until': ['SUCCESS']},
        expect={'tasks[0].name': 'deleteConnector', 'tasks[0].status': 'SUCCESS'})
    call('show_instance_disabled', 'ShowInstance', lambda: client.show_instance(show),
         expect={'status': 'RUNNING', 'connector_enable': False})
    call('list_instances', 'ListInstances', lambda: client.list_instances(
        v2.ListInstancesRequest(engine='kafka', offset='0', limit='10')),
        expect={'instance_num': 2})
    call('show_instance_unknown', 'ShowInstance', lambda: client.show_instance(
        v2.ShowInstanceRequest(instance_id=UNKNOWN_INSTANCE)),
        note='error case: unknown instance')


def to_json(value, indent=''):
    """Indented JSON with lists of scalars (headers, attempts) on one line."""
    inner = indent + '  '
    if isinstance(value, dict) and value:
        members = ['%s%s: %s' % (inner, json.dumps(key), to_json(item, inner))
                   for key, item in value.items()]
        return '{\n' + ',\n'.join(members) + '\n' + indent + '}'
    if isinstance(value, list) and value and any(isinstance(item, (dict, list)) for item in value):
        if all(isinstance(item, list) and not any(isinstance(x, (dict, list)) for x in item)
               for item in value):
            items = [inner + json.dumps(item, ensure_ascii=False) for item in value]
        else:
            items = [inner + to_json(item, inner) for item in value]
        return '[\n' + ',\n'.join(items) + '\n' + indent + ']'
    return json.dumps(value, ensure_ascii=False)


def start_server(binary, workdir):
    argv = [binary, 'serve', '--listen', '127.0.0.1:0', '--db',
            'sqlite:' + os.path.join(workdir, 'connectplane.db'),
            '--seed', os.path.join(REPO_ROOT, 'examples', 'demo-seed.json'), '--log-level', 'warn']
    for value in JOB_SECONDS:
        argv += ['--job-seconds', value]
    server = subprocess.Popen(argv, stdout=subprocess.PIPE, text=True)
    line = server.stdout.readline().strip()
    match = re.match(r'^connectplane listening on http://127\.0\.0\.1:(\d+)/?$', line)
    if not match:
        server.kill()
        raise RuntimeError('connectplane did not start: %r' % line)
    return server, int(match.group(1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--bin', default=os.path.join(REPO_ROOT, 'build', 'src', 'main', 'connectplane'))
    parser.add_argument('--sdk-commit', required=True,
                        help='commit of the huaweicloud-sdk-python-v3 checkout on PYTHONPATH')
    parser.add_argument('--out', required=True)
    args = parser.parse_args()

    workdir = tempfile.mkdtemp(prefix='record-python-sdk-')
    # The SDK's User-Agent carries an application id it keeps in
    # $HOME/.huaweicloud; a throwaway HOME keeps the recorder's own out of it.
    os.environ['HOME'] = workdir
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ServiceResponseException
    from huaweicloudsdkcore.http.http_config import HttpConfig
    import huaweicloudsdkcore
    import huaweicloudsdkkafka
    from huaweicloudsdkkafka import v2

    server, server_port = start_server(os.path.abspath(args.bin), workdir)
    try:
        proxy = RecordingProxy(server_port)
        config = HttpConfig.get_default_config()
        config.ignore_ssl_verification = True
        config.retry_times = 0
        client = (v2.KafkaClient.new_builder()
                  .with_http_config(config)
                  .with_credentials(BasicCredentials(DEMO_AK, DEMO_SK, DEMO_PROJECT))
                  .with_endpoints(['http://127.0.0.1:%d' % proxy.port])
                  .build())
        recorder = Recorder(proxy, ServiceResponseException)
        run_flow(recorder, client, v2)
    finally:
        server.terminate()
        server.wait(10)

    def version_of(package):
        setup_py = os.path.join(os.path.dirname(os.path.dirname(package.__file__)), 'setup.py')
        with open(setup_py, encoding='utf-8') as handle:
            return re.search(r'VERSION = "([^"]+)"', handle.read()).group(1)

    recording = {
        'sdk': 'huaweicloud-sdk-python-v3: huaweicloudsdkkafka (v2.KafkaClient) on huaweicloudsdkcore',
        'sdk_version': {'huaweicloudsdkkafka': version_of(huaweicloudsdkkafka),
                        'huaweicloudsdkcore': version_of(huaweicloudsdkcore)},
        'sdk_repository': 'https://github.com/huaweicloud/huaweicloud-sdk-python-v3',
        'sdk_commit': args.sdk_commit,
        'python': sys.version.split()[0],
        'recorded_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
        'recorded_with': 'e2e/tools/record_python_sdk.py',
        'sdk_config': {'ignore_ssl_verification': True, 'retry_times': 0,
                       'ignore_content_type_for_get_request': config.ignore_content_type_for_get_request,
                       'credentials': 'BasicCredentials(ak, sk, project_id)'},
        'server_args': {'job_seconds': JOB_SECONDS, 'seed': 'examples/demo-seed.json'},
        'credentials': {'ak': DEMO_AK, 'project_id': DEMO_PROJECT},
        'placeholders': {
            '{{host}}, {{x_sdk_date}}, {{authorization}}': 'regenerated by the replay; the '
            'recorded values are in each step\'s signature_check',
            '{{name}}': 'a server-generated id bound by an earlier step\'s "bind" (name -> '
            'member of that answer)'},
        'recorded_bindings': recorder.bound,
        'steps': recorder.steps,
    }
    with open(args.out, 'w', encoding='utf-8') as handle:
        handle.write(to_json(recording) + '\n')
    print('recorded %d steps to %s' % (len(recorder.steps), args.out))


if __name__ == '__main__':
    main()
