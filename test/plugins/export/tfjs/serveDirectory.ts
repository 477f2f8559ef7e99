// Test helper (not a test file): serves a directory over http on 127.0.0.1, so a *stock*
// `tf.loadLayersModel('http://…/model.json')` loads an export in Node without tfjs-node. tfjs's
// http handler fetches through `env().platform.fetch`, which in Node 20 is the global fetch.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

/** A running server; `close()` ends it and every open connection. */
export interface ServedDirectory {
  readonly url: string;
  /** Paths requested so far, in order (to check which files the loader fetched). */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function serveDirectory(dir: string): Promise<ServedDirectory> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    const name = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname.slice(1));
    requests.push(name);
    const file = path.join(dir, name);
    if (name.includes('/') || name.includes('..') || !fs.existsSync(file)) {
      res.writeHead(404).end();
      return;
    }
    const type = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    res.writeHead(200, { 'content-type': type }).end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        // fetch keeps connections alive; without this, close() would wait for them to time out.
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}
