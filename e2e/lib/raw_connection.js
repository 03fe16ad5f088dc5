'use strict';
// One keep-alive HTTP/1.1 connection that writes requests exactly as given
// (request line, header names, order and casing, body bytes; node:net only, so
// nothing is added or normalized) and reads Content-Length framed answers. For
// replaying recorded wire traffic. Callers must serialize: one request at a time.
const net = require('node:net');

class RawConnection {
  constructor(port, host = '127.0.0.1') {
    this.port = port;
    this.host = host;
    this.socket = null;
    this.buffer = Buffer.alloc(0);
    this.waiter = null;
    this.closed = true;
  }

  async connect() {
    await new Promise((resolve, reject) => {
      const socket = net.connect({ port: this.port, host: this.host }, resolve);
      socket.once('error', reject);
      this.buffer = Buffer.alloc(0);
      // Events of an earlier, replaced socket are ignored.
      socket.on('data', (chunk) => {
        if (socket !== this.socket) return;
        this.buffer = Buffer.concat([this.buffer, chunk]);
        this.wake();
      });
      socket.on('close', () => {
        if (socket !== this.socket) return;
        this.closed = true;
        this.wake();
      });
      this.socket = socket;
    });
    this.socket.removeAllListeners('error');
    this.socket.on('error', () => { /* surfaces as close */ });
    this.closed = false;
  }

  wake() {
    if (this.waiter) this.waiter();
  }

  // Resolves once `ready()` returns non-null (with that value) or rejects when
  // the peer closes first.
  async until(ready, timeoutMs) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = ready();
      if (value !== null) return value;
      if (this.closed) throw new Error('connection closed before a complete answer');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete answer within ${timeoutMs} ms`);
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => { clearTimeout(timer); resolve(); };
      });
      this.waiter = null;
    }
  }

  /**
   * Sends `${method} ${target} ${version}`, the [name, value] header pairs and
   * the body bytes; resolves with {status, statusLine, headers: [[name, value]],
   * header(name), body: Buffer}. Reconnects first if the server closed the
   * previous connection (reported as `reconnected`).
   */
  async exchange({ method, target, version = 'HTTP/1.1', headers, body = Buffer.alloc(0) },
    { timeoutMs = 10000 } = {}) {
    let reconnected = false;
    if (this.closed) {
      reconnected = this.socket !== null;
      await this.connect();
    }
    const head = [`${method} ${target} ${version}`, ...headers.map(([name, value]) => `${name}: ${value}`)]
      .join('\r\n') + '\r\n\r\n';
    this.socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));

    const headEnd = await this.until(() => {
      const at = this.buffer.indexOf('\r\n\r\n');
      return at < 0 ? null : at;
    }, timeoutMs);
    const lines = this.buffer.subarray(0, headEnd).toString('latin1').split('\r\n');
    const responseHeaders = lines.slice(1).map((line) => {
      const colon = line.indexOf(':');
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    });
    const header = (name) => {
      const found = responseHeaders.find(([key]) => key.toLowerCase() === name.toLowerCase());
      return found ? found[1] : undefined;
    };
    if (header('transfer-encoding')) throw new Error('chunked answers are not supported');
    const length = Number(header('content-length') || 0);
    const start = headEnd + 4;
    await this.until(() => (this.buffer.length >= start + length ? true : null), timeoutMs);
    const responseBody = Buffer.from(this.buffer.subarray(start, start + length));
    this.buffer = this.buffer.subarray(start + length);
    if ((header('connection') || '').toLowerCase() === 'close') this.close();
    return { status: Number(lines[0].split(' ')[1]), statusLine: lines[0], headers: responseHeaders,
      header, body: responseBody, reconnected };
  }

  close() {
    if (this.socket) this.socket.destroy();
    this.closed = true;
  }
}

module.exports = { RawConnection };
