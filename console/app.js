'use strict';
// connectplane web console: reads the admin API (/_connectplane/...) once a
// second and renders tenants, Kafka instances with Smart Connect, private
// connects, jobs with progress, the audit trail, and the emulator controls.
// No framework, no external resources. With --admin-token, open the console as
// /_connectplane/console/#token=TOKEN (kept in sessionStorage, never sent in URLs).
(function () {
  const API = '/_connectplane/';
  const POLL_MS = 1000;
  const NEVER_DUE = 4000000000000000;

  const hashToken = new URLSearchParams(location.hash.slice(1)).get('token');
  if (hashToken) {
    sessionStorage.setItem('connectplane-admin-token', hashToken);
    history.replaceState(null, '', location.pathname);
  }
  const token = sessionStorage.getItem('connectplane-admin-token');

  async function api(method, route, body) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + route, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
    const text = await response.text();
    let parsed = null;
    try { parsed = text ? JSON.parse(text) : null; } catch (_) { parsed = { raw: text }; }
    if (!response.ok) {
      const message = parsed && parsed.error ? `${parsed.error.code}: ${parsed.error.message}` : response.statusText;
      throw new Error(`${method} ${route}: ${response.status} ${message}`);
    }
    return parsed;
  }

  // ---- tiny DOM helpers (textContent only: no HTML injection) ----
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null) continue;
      if (key === 'class') node.className = value;
      else if (key.startsWith('data-') || key.startsWith('aria-') || key === 'title' || key === 'role') node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  function fillBody(tableId, rows, columns) {
    const tbody = document.querySelector(`#${tableId} tbody`);
    const fresh = rows.length ? rows : [el('tr', {}, el('td', { class: 'empty', colSpan: columns }, 'none'))];
    tbody.replaceChildren(...fresh);
  }
  function statusClass(status) {
    if (['RUNNING', 'SUCCEEDED', 'ACTIVE'].includes(status)) return 'status ok';
    if (['FAILED', 'CREATEFAILED', 'ERROR', 'RECYCLED'].includes(status)) return 'status bad';
    return 'status busy';
  }
  function badge(status) { return el('span', { class: statusClass(status) }, status || '—'); }
  function shortId(id) { return el('span', { class: 'id', title: id }, id && id.length > 13 ? `${id.slice(0, 8)}…` : id); }
  function time(ms) {
    const value = Number(ms);
    if (!value) return '';
    return new Date(value).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  }
  const setMessage = (text) => { document.getElementById('message').textContent = text; };

  // ---- rendering ----
  let jobTypes = new Set();

  function renderTenants(tables) {
    const tenants = new Map();
    const tenant = (id, cloud) => {
      if (!tenants.has(id)) tenants.set(id, { id, cloud, keys: [], resources: 0, jobs: 0, pending: 0 });
      return tenants.get(id);
    };
    for (const c of tables.huawei_credentials || []) tenant(c.project_id, 'Huawei DMS').keys.push(c.access_key);
    for (const c of tables.zenlayer_credentials || []) tenant(c.account_id, 'Zenlayer SDN').keys.push(c.access_key_id);
    for (const i of tables.kafka_instances || []) tenant(i.project_id, 'Huawei DMS').resources += 1;
    for (const p of tables.zenlayer_private_connects || []) tenant(p.account_id, 'Zenlayer SDN').resources += 1;
    for (const j of tables.jobs || []) {
      const t = tenants.get(j.project_id);
      if (!t) continue;
      t.jobs += 1;
      if (j.status === 'PENDING') t.pending += 1;
    }
    const rows = [...tenants.values()].sort((a, b) => a.id.localeCompare(b.id)).map((t) =>
      el('tr', { 'data-tenant': t.id },
        el('td', {}, el('code', {}, t.id)), el('td', {}, t.cloud),
        el('td', {}, t.keys.map((k) => el('code', {}, k, ' '))),
        el('td', {}, t.resources), el('td', {}, `${t.jobs} (${t.pending})`),
        el('td', {}, el('button', { type: 'button', onclick: () => reset(t.id) }, 'Reset tenant'))));
    fillBody('tenants', rows, 6);
  }

  function renderInstances(tables) {
    const instances = [...(tables.kafka_instances || [])].sort((a, b) => a.instance_id.localeCompare(b.instance_id));
    const rows = instances.map((i) => {
      const enabled = i.connector_enabled === '1' || i.connector_enabled === 'true';
      return el('tr', { 'data-instance-id': i.instance_id, 'data-status': i.status, 'data-connector': enabled ? 'enabled' : 'disabled' },
        el('td', {}, el('code', {}, i.instance_id)), el('td', {}, i.name), el('td', {}, shortId(i.project_id)),
        el('td', {}, badge(i.status)),
        el('td', {}, el('span', { class: enabled ? 'status ok' : 'status' }, enabled ? 'enabled' : 'disabled')),
        el('td', {}, enabled ? [shortId(i.connector_id), ` ${i.connector_node_num} nodes ${i.connector_specification || ''}`] : ''),
        el('td', {}, time(i.updated_at_ms)));
    });
    fillBody('instances', rows, 7);
  }

  function renderConnects(tables) {
    const connects = [...(tables.zenlayer_private_connects || [])].sort((a, b) => Number(b.created_at_ms) - Number(a.created_at_ms));
    const rows = connects.map((p) => el('tr', { 'data-private-connect-id': p.private_connect_id, 'data-status': p.status },
      el('td', {}, el('code', {}, p.private_connect_id)), el('td', {}, p.name), el('td', {}, p.account_id),
      el('td', {}, badge(p.status)), el('td', {}, `${p.bandwidth_mbps} Mbps`),
      el('td', {}, `${p.a_port_id} / VLAN ${p.a_vlan_id}`), el('td', {}, `${p.z_port_id} / VLAN ${p.z_vlan_id}`)));
    fillBody('connects', rows, 7);
  }

  function progressOf(job, nowMs) {
    if (job.status !== 'PENDING') return { percent: 100, label: job.status === 'SUCCEEDED' ? 'done' : 'ended' };
    const created = Number(job.created_at_ms);
    const due = Number(job.due_at_ms);
    if (due >= NEVER_DUE) return { percent: 0, label: `waiting for ${job.reads_remaining} more read(s)` };
    if (due <= created) return { percent: 99, label: 'running' };
    const percent = Math.max(0, Math.min(99, Math.floor(((nowMs - created) * 100) / (due - created))));
    const left = Math.max(0, Math.ceil((due - nowMs) / 1000));
    return { percent, label: `${percent}% · ~${left}s left` };
  }

  function renderJobs(tables, nowMs) {
    const jobs = [...(tables.jobs || [])].sort((a, b) => Number(b.created_at_ms) - Number(a.created_at_ms) || a.job_id.localeCompare(b.job_id));
    for (const j of jobs) jobTypes.add(j.job_type);
    const rows = jobs.slice(0, 200).map((j) => {
      const progress = progressOf(j, nowMs);
      return el('tr', { 'data-job-id': j.job_id, 'data-status': j.status, 'data-progress': progress.percent },
        el('td', {}, el('code', {}, j.job_id)), el('td', {}, j.job_type), el('td', {}, shortId(j.project_id)),
        el('td', {}, shortId(j.resource_id)), el('td', {}, badge(j.status)),
        el('td', {},
          el('span', { class: 'progress', role: 'progressbar', 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': progress.percent },
            el('span', { style: `width:${progress.percent}%` })),
          el('span', { class: 'progress-label' }, progress.label)),
        el('td', {}, time(j.created_at_ms)), el('td', {}, j.error || ''));
    });
    fillBody('jobs', rows, 8);
    const list = document.getElementById('job-types');
    list.replaceChildren(...[...jobTypes].sort().map((type) => el('option', { value: type })));
  }

  let auditMarker = null;
  let olderAudit = [];
  function auditRow(a) {
    return el('tr', { 'data-audit-id': a.id, 'data-resource-id': a.resource_id, 'data-to-status': a.to_status },
      el('td', {}, time(a.time_ms)), el('td', {}, el('code', {}, a.actor)),
      el('td', {}, `${a.resource_type} `, shortId(a.resource_id)), el('td', {}, a.action),
      el('td', {}, `${a.from_status || '∅'} → ${a.to_status || '∅'}`),
      el('td', {}, a.job_id ? shortId(a.job_id) : ''), el('td', {}, a.request_id ? shortId(a.request_id) : ''));
  }
  function renderAudit(page) {
    if (auditMarker === null) auditMarker = page.next_marker;
    const rows = page.entries.concat(olderAudit).map(auditRow);
    fillBody('audit', rows, 7);
    document.getElementById('audit-more').hidden = !auditMarker;
  }

  function renderControls(state) {
    document.getElementById('timing-current').textContent = JSON.stringify(state.timing, null, 1);
    const faults = state.faults || [];
    const items = faults.map((f) => el('li', { 'data-fault-id': f.id },
      `${JSON.stringify(f)} `, el('button', { type: 'button', onclick: () => act(() => api('DELETE', `faults/${encodeURIComponent(f.id)}`), 'fault removed') }, 'remove')));
    document.getElementById('faults').replaceChildren(...(items.length ? items : [el('li', {}, 'no faults')]));
  }

  async function refresh() {
    const live = document.getElementById('live');
    try {
      const [state, audit] = await Promise.all([api('GET', 'state'), api('GET', 'audit?limit=50')]);
      const nowMs = state.now_ms || Date.now();
      renderTenants(state.tables);
      renderInstances(state.tables);
      renderConnects(state.tables);
      renderJobs(state.tables, nowMs);
      renderAudit(audit);
      renderControls(state);
      live.dataset.state = 'live';
      live.textContent = `live · ${new Date(nowMs).toISOString().slice(11, 19)}Z`;
    } catch (error) {
      live.dataset.state = 'error';
      live.textContent = `error: ${error.message}`;
    }
  }

  // ---- controls ----
  async function act(fn, done) {
    try {
      await fn();
      setMessage(done);
    } catch (error) {
      setMessage(error.message);
    }
    await refresh();
  }
  function reset(tenant) {
    if (!confirm(tenant ? `Reset tenant ${tenant}?` : 'Reset everything?')) return;
    auditMarker = null;
    olderAudit = [];
    act(() => api('POST', 'reset', tenant ? { tenant } : {}), tenant ? `tenant ${tenant} reset` : 'reset done');
  }
  document.getElementById('reset-all').addEventListener('click', () => reset(null));
  document.getElementById('faults-clear').addEventListener('click', () => act(() => api('DELETE', 'faults'), 'faults cleared'));
  document.getElementById('timing-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const body = { mode: form.get('mode') };
    if (form.get('job_type')) body.job_type = form.get('job_type');
    if (body.mode === 'seconds') body.seconds = Number(form.get('seconds'));
    if (body.mode === 'reads') body.reads = Number(form.get('reads'));
    act(() => api('PUT', 'timing', body), 'timing applied');
  });
  document.getElementById('fault-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = new FormData(event.target);
    const kind = form.get('kind');
    const body = { kind, count: Number(form.get('count')) };
    if (kind === 'api') {
      body.dialect = form.get('dialect');
      body.operation = form.get('operation');
      body.http_status = Number(form.get('http_status'));
      if (form.get('error_code')) body.error_code = form.get('error_code');
      body.latency_ms = Number(form.get('latency_ms'));
    } else {
      body.job_type = form.get('job_type');
    }
    act(() => api('POST', 'faults', body), 'fault added');
  });
  document.getElementById('audit-more').addEventListener('click', async () => {
    if (!auditMarker) return;
    try {
      const page = await api('GET', `audit?limit=50&marker=${encodeURIComponent(auditMarker)}`);
      olderAudit = olderAudit.concat(page.entries);
      auditMarker = page.next_marker;
    } catch (error) {
      setMessage(error.message);
    }
    await refresh();
  });

  refresh();
  setInterval(refresh, POLL_MS);
})();
