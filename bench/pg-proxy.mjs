// A tiny PostgreSQL wire-protocol proxy that records every statement a client runs: each simple
// Query ('Q'), and each extended-protocol execution, counted at its Bind ('B') with its parameters
// (text format; binary ones are kept as Buffers) and its text from the Parse ('P') that prepared it.
// A named (prepared) statement is parsed once per connection and then only bound, so counting
// Parse messages would miss its later runs. It counts from outside the API, so nothing the API
// does (ORM, session lookup, BEGIN/COMMIT) can hide. Server→client bytes are piped through
// untouched. Only for benches: no TLS (the client must not ask for SSL).
//
//   const proxy = await startPgProxy({ host, port });  proxy.port → point the client here
//   proxy.statements → [{ conn, write, sync, sql, params, name }] (name '' = unnamed; `write` numbers the
//   client's writes as they arrived, so statements sent together in one write, pipelined, share it;
//   `sync` counts the Syncs ('S') before it, so statements in one extended-protocol batch (one
//   transaction, ended by its Sync) share it);
//   proxy.clear(); await proxy.close()
import net from 'node:net';

export async function startPgProxy({ host, port }) {
  const statements = [];
  const sockets = new Set();
  let connCount = 0;
  const server = net.createServer((client) => {
    const conn = ++connCount;
    const upstream = net.connect({ host, port });
    sockets.add(client);
    sockets.add(upstream);
    upstream.pipe(client);
    let buffer = Buffer.alloc(0);
    let started = false;
    const parsed = new Map(); // statement name ('' = the unnamed one) → its text, per connection
    let write = 0;
    let sync = 0;
    client.on('data', (chunk) => {
      upstream.write(chunk);
      write += 1;
      buffer = buffer.length ? Buffer.concat([buffer, chunk]) : chunk;
      for (;;) {
        if (!started) {
          if (buffer.length < 8) return;
          const len = buffer.readInt32BE(0);
          if (buffer.length < len) return;
          const code = buffer.readInt32BE(4);
          buffer = buffer.subarray(len);
          if (code !== 80877103 && code !== 80877104) started = true; // SSL/GSS requests come before the startup packet
          continue;
        }
        if (buffer.length < 5) return;
        const type = String.fromCharCode(buffer[0]);
        const len = buffer.readInt32BE(1);
        if (buffer.length < len + 1) return;
        const body = buffer.subarray(5, len + 1);
        buffer = buffer.subarray(len + 1);
        if (type === 'Q') {
          // A simple query is a transaction of its own unless inside BEGIN … COMMIT.
          statements.push({ conn, write, sync, sql: body.toString('utf8', 0, body.indexOf(0)), params: [], name: null });
          sync += 1;
        } else if (type === 'S') {
          sync += 1;
        } else if (type === 'P') {
          const nameEnd = body.indexOf(0);
          const sqlEnd = body.indexOf(0, nameEnd + 1);
          parsed.set(body.toString('utf8', 0, nameEnd), body.toString('utf8', nameEnd + 1, sqlEnd));
        } else if (type === 'B') {
          let at = body.indexOf(0) + 1; // portal
          const nameEnd = body.indexOf(0, at);
          const name = body.toString('utf8', at, nameEnd);
          at = nameEnd + 1;
          const run = { conn, write, sync, sql: parsed.get(name) ?? `(unknown statement ${name})`, params: [], name };
          statements.push(run);
          const nFormats = body.readInt16BE(at);
          const formats = [];
          at += 2;
          for (let i = 0; i < nFormats; i++, at += 2) formats.push(body.readInt16BE(at));
          const nParams = body.readInt16BE(at);
          at += 2;
          for (let i = 0; i < nParams; i++) {
            const plen = body.readInt32BE(at);
            at += 4;
            if (plen < 0) run.params.push(null);
            else {
              const binary = (formats.length === 1 ? formats[0] : formats[i]) === 1;
              run.params.push(binary ? Buffer.from(body.subarray(at, at + plen)) : body.toString('utf8', at, at + plen));
              at += plen;
            }
          }
        }
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end);
    upstream.on('close', end);
    client.on('error', end);
    upstream.on('error', end);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    statements,
    clear: () => statements.splice(0),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
