'use strict';
// Clean shutdown: SIGTERM during a burst of Zenlayer CreatePrivateConnect calls.
// Every call gets an answer or a connection close; the process exits 0; after a
// restart on the same database every answered create is there, no create is
// half-applied (each private connect has its job and reaches RUNNING), and the
// SQLite WAL was checkpointed.
const { test } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { startServer, waitFor } = require('../lib/server');
const { ZenlayerClient } = require('../lib/zenlayer_client');

const ZL = { accessKeyId: 'ZLDEMOKEY0000001', accessKeyPassword: 'ZenlayerDemoPassword000000000001' };
const WORKERS = 6;

function createBody(vlan) {
  return {
    privateConnectName: `shutdown-${vlan}`,
    bandwidthMbps: 20,
    endpointA: { portId: 'port-sin1-demo-01', vlanId: vlan },
    endpointZ: { portId: 'port-hkg1-demo-01', vlanId: vlan },
  };
}

async function state(server) {
  const response = await fetch(`${server.endpoint}/_connectplane/state`);
  assert.equal(response.status, 200);
  return (await response.json()).tables;
}

test('SIGTERM during a burst of creates: answered means durable, nothing half-applied, exit 0',
  async () => {
    let server = await startServer({ jobSeconds: ['2'], args: ['--shutdown-grace-seconds', '5'] });
    const dir = server.dir;
    const answered = new Map();  // vlan -> privateConnectId
    const closed = new Set();    // vlans whose request ended with a connection error
    const refused = [];          // non-200 answers (none expected)
    let nextVlan = 1000;
    let stopping = false;
    let exit;
    try {
      const zc = new ZenlayerClient({ endpoint: server.endpoint, ...ZL });
      const worker = async () => {
        // Each worker keeps sending until the server is gone (a few calls
        // after SIGTERM still land on connections accepted before it).
        for (;;) {
          const vlan = nextVlan++;
          try {
            const res = await zc.call('CreatePrivateConnect', createBody(vlan));
            if (res.status === 200) {
              answered.set(vlan, res.body.response.privateConnectId);
            } else {
              refused.push(`${vlan}: ${res.status} ${res.text}`);
            }
          } catch (err) {
            closed.add(vlan);
            if (stopping) return;  // refused or reset: the server is going
          }
        }
      };
      const workers = Array.from({ length: WORKERS }, worker);
      await waitFor(() => answered.size >= 20, { what: '20 answered creates' });
      stopping = true;
      exit = server.stop(15000);
      const { code, signal } = await exit;
      await Promise.all(workers);
      assert.equal(signal, null, `exit by signal ${signal}; stderr:\n${server.stderr()}`);
      assert.equal(code, 0, server.stderr());
      assert.deepEqual(refused, []);
      if (server.dbPath && fs.existsSync(`${server.dbPath}-wal`)) {
        assert.equal(fs.statSync(`${server.dbPath}-wal`).size, 0, 'WAL checkpointed and truncated');
      }

      server = await startServer({ dir, jobSeconds: ['0'] });
      const tables = await state(server);
      const connects = tables.zenlayer_private_connects
        .filter((row) => row.name.startsWith('shutdown-'));
      const byId = new Map(connects.map((row) => [row.private_connect_id, row]));
      for (const [vlan, id] of answered) {
        assert.ok(byId.has(id), `answered create of vlan ${vlan} (${id}) is durable`);
      }
      // A create that got no answer may or may not have been applied, but only whole.
      const answeredIds = new Set(answered.values());
      for (const row of connects) {
        if (!answeredIds.has(row.private_connect_id)) {
          assert.ok(closed.has(Number(row.a_vlan_id)), `unanswered create ${row.a_vlan_id} was sent`);
        }
        const jobs = tables.jobs.filter((job) => job.resource_id === row.private_connect_id);
        assert.equal(jobs.length, 1, `private connect ${row.private_connect_id} has its job`);
      }
      // Leases were released at shutdown and the jobs complete after the restart.
      const zc2 = new ZenlayerClient({ endpoint: server.endpoint, ...ZL });
      // DescribePrivateConnects takes at most 100 ids per call; a fast machine
      // answers more creates than that before SIGTERM lands.
      const ids = connects.map((row) => row.private_connect_id);
      await waitFor(async () => {
        for (let start = 0; start < ids.length; start += 100) {
          const res = await zc2.ok('DescribePrivateConnects',
            { privateConnectIds: ids.slice(start, start + 100), pageSize: 100 });
          if (!res.dataSet.every((connect) => connect.privateConnectStatus === 'RUNNING')) {
            return false;
          }
        }
        return true;
      }, { what: 'every private connect RUNNING after the restart', timeoutMs: 20000 });
    } finally {
      await server.stop();
      server.cleanup();
    }
  });
