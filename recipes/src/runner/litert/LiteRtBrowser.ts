/**
 * LiteRT.js (LiteRT 2.x, XNNPACK on wasm) in a headless Chromium driven by playwright-core.
 *
 * LiteRT.js runs only in a browser (in Node it stops at `document is not defined`), so one
 * Chromium is started with a fresh user-data directory and pointed at a page on a loopback HTTP
 * server that serves LiteRT.js and its wasm from `node_modules` — nothing is fetched from the
 * network, and Chromium's own background traffic is switched off (the flags below). Everything
 * started here is taken down by {@link LiteRtBrowser.close}, on a failed start, and at process
 * exit: the browser process and its user-data directory.
 */
import { randomUUID } from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { LiteRtUnavailableError } from '../../errors/LiteRtUnavailableError';
import type { TfliteTensorSpec } from '../loadTflite';
import { LITERT_CORE_PREFIX, LITERT_PAGE, LITERT_WASM_UTILS_PREFIX } from './litertPage';

/** Options of {@link LiteRtBrowser.start}. */
export interface LiteRtStartOptions {
  /** Chromium to run; default `$COLLABOPT_CHROMIUM`, else the first of {@link CHROMIUM_CANDIDATES} that exists. */
  readonly executablePath?: string;
  /** Milliseconds for Chromium to start and LiteRT's wasm to load; default 60 000. */
  readonly timeoutMs?: number;
}

/** Where Chromium is looked for when neither the option nor `COLLABOPT_CHROMIUM` names one (Debian's package first). */
export const CHROMIUM_CANDIDATES: readonly string[] = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/**
 * Flags for a headless Chromium on a machine without network (and as root, hence no sandbox):
 * without the background-networking ones Chromium keeps trying Google's hosts.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-extensions',
];

/** A .tflite file compiled by LiteRT. */
export interface LiteRtModel {
  readonly inputs: readonly TfliteTensorSpec[];
  readonly outputs: readonly TfliteTensorSpec[];
  /**
   * Runs `rows` samples one invocation each (batch-1 files run as deployed). `inputs[k]` holds
   * the rows of model input k back to back (int8 inputs as their integer levels); returns the
   * rows of each output back to back, and the milliseconds spent inside the invocations.
   */
  run(inputs: readonly ArrayLike<number>[], rows: number): Promise<{ outputs: Float32Array[]; ms: number }>;
  /** Frees the compiled model in the page. */
  dispose(): Promise<void>;
}

type Playwright = typeof import('playwright-core');

function requireOptional<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(name) as T;
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    throw new LiteRtUnavailableError(err.code === 'MODULE_NOT_FOUND' ? `${name.replace(/\/package\.json$/, '')} is not installed` : `${name} failed to load (${err.message.split('\n')[0]})`);
  }
}

/** Directory of an installed package (its package.json's folder). */
function packageDir(name: string): string {
  requireOptional(`${name}/package.json`);
  return path.dirname(require.resolve(`${name}/package.json`));
}

/**
 * The Chromium to start, or why there is none.
 * @returns the path, or `{ missing }` naming what was looked for.
 */
export function findChromium(explicit?: string): string | { missing: string } {
  const wanted = explicit ?? process.env.COLLABOPT_CHROMIUM;
  if (wanted) return fs.existsSync(wanted) ? wanted : { missing: `Chromium not found at ${wanted}` };
  const found = CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
  return found ?? { missing: `no Chromium found (looked for ${CHROMIUM_CANDIDATES.join(', ')}; install Debian's chromium or set COLLABOPT_CHROMIUM)` };
}

const CONTENT_TYPES: Readonly<Record<string, string>> = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.map': 'application/json' };

/** One Chromium page running LiteRT.js; start with {@link LiteRtBrowser.start}. */
export class LiteRtBrowser {
  private closed = false;
  private crashed: string | null = null;
  private readonly onExit = () => this.removeUserDataDir();

  private constructor(
    private readonly server: http.Server,
    private readonly blobs: Map<string, Buffer>,
    /** The fresh Chromium profile directory; removed by `close` and at process exit. */
    readonly userDataDir: string,
    private context: BrowserContext | null,
    private page: Page | null,
  ) {
    process.once('exit', this.onExit);
  }

  /** The LiteRT.js version serving the runs (from its package.json). */
  static version(): string {
    return (requireOptional<{ version: string }>('@litertjs/core/package.json')).version;
  }

  /**
   * Starts the server and Chromium and waits until LiteRT's wasm is loaded.
   * @throws LiteRtUnavailableError when a package or Chromium is missing, or the start fails or
   *   exceeds `timeoutMs` (everything started is taken down first).
   */
  static async start(options: LiteRtStartOptions = {}): Promise<LiteRtBrowser> {
    const timeoutMs = options.timeoutMs ?? 60_000;
    const playwright = requireOptional<Playwright>('playwright-core');
    const roots = { [LITERT_CORE_PREFIX]: packageDir('@litertjs/core'), [LITERT_WASM_UTILS_PREFIX]: packageDir('@litertjs/wasm-utils') };
    const chromium = findChromium(options.executablePath);
    if (typeof chromium !== 'string') throw new LiteRtUnavailableError(chromium.missing);

    const blobs = new Map<string, Buffer>();
    const server = http.createServer((req, res) => serve(req, res, roots, blobs));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'collabopt-litert-'));
    const browser = new LiteRtBrowser(server, blobs, userDataDir, null, null);
    const deadline = Date.now() + timeoutMs;
    const left = () => Math.max(1, deadline - Date.now());
    const errors: string[] = [];
    try {
      const context = await playwright.chromium.launchPersistentContext(userDataDir, {
        executablePath: chromium,
        headless: true,
        args: [...CHROMIUM_ARGS],
        timeout: left(),
        // The process-exit handler below does the cleanup; playwright's own SIGINT handling
        // would close the browser under a run that is still writing its last stage.
        handleSIGINT: false,
      });
      browser.context = context;
      const page = context.pages()[0] ?? (await context.newPage());
      browser.page = page;
      page.on('pageerror', (e) => errors.push(e.message));
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('crash', () => {
        browser.crashed = 'the LiteRT page crashed';
      });
      const { port } = server.address() as AddressInfo;
      await page.goto(`http://127.0.0.1:${port}/`, { timeout: left() });
      await withTimeout(page.evaluate(() => (window as unknown as { collabopt: { ready: Promise<void> } }).collabopt.ready), left(), 'loading LiteRT\'s wasm');
      return browser;
    } catch (e) {
      await browser.close();
      // A launch that timed out leaves the Chromium it started to playwright, which kills it
      // without waiting; until it is gone it keeps writing into the profile directory.
      await waitForProfileUsers(userDataDir, 5000);
      browser.removeUserDataDir();
      const why = e instanceof LiteRtUnavailableError ? e.reason : (e as Error).message.split('\n')[0];
      throw new LiteRtUnavailableError(`Chromium (${chromium}) did not start LiteRT within ${timeoutMs} ms: ${why}${errors.length ? ` (page: ${errors.slice(-2).join('; ')})` : ''}`);
    }
  }

  /** Whether the browser can still run models (not closed, page not crashed). */
  get usable(): boolean {
    return !this.closed && this.crashed === null;
  }

  /**
   * Compiles `bytes` in LiteRT (wasm, one thread).
   * @throws Error with LiteRT's message for a file it rejects.
   */
  async load(bytes: Uint8Array): Promise<LiteRtModel> {
    const page = this.livePage();
    const id = this.put(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    const specs = await page.evaluate((i) => (window as unknown as { collabopt: CollaboptPage }).collabopt.load(i), id).catch((e: Error) => {
      this.blobs.delete(id);
      const message = pageMessage(e);
      // LiteRT.js 2.5's Tensor has float32, int32 and uint8 only.
      const hint = /Element type INT8 is not supported/.test(message) ? ' (LiteRT.js has no int8 input or output tensors: export with inputOutputType \'float32\', or run the file in TFLite 2.9)' : '';
      throw new Error(`LiteRT rejected the file: ${message}${hint}`);
    });
    return {
      inputs: specs.inputs,
      outputs: specs.outputs,
      run: async (inputs, rows) => {
        if (inputs.length !== specs.inputs.length) throw new Error(`the LiteRT model has ${specs.inputs.length} input(s), got ${inputs.length}`);
        const sizes = specs.inputs.map((t) => t.shape.reduce((a, b) => a * b, 1));
        inputs.forEach((x, k) => {
          if (x.length !== sizes[k] * rows) throw new Error(`LiteRT input '${specs.inputs[k].name}' takes ${sizes[k]} values per row, got ${x.length} for ${rows} rows`);
        });
        const packed = new Float32Array(sizes.reduce((a, b) => a + b, 0) * rows);
        let at = 0;
        for (const x of inputs) {
          packed.set(x, at);
          at += x.length;
        }
        const inId = this.put(Buffer.from(packed.buffer));
        const outId = randomUUID();
        try {
          const { ms } = await this.livePage().evaluate(
            ([m, i, r, o]) => (window as unknown as { collabopt: CollaboptPage }).collabopt.run(m, i, r, o),
            [id, inId, rows, outId] as [string, string, number, string],
          );
          const body = this.blobs.get(outId);
          if (!body) throw new Error('LiteRT returned no outputs');
          const flat = new Float32Array(body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength));
          let offset = 0;
          const outputs = specs.outputs.map((t) => {
            const n = t.shape.reduce((a, b) => a * b, 1) * rows;
            const o = flat.subarray(offset, offset + n);
            offset += n;
            return o;
          });
          return { outputs, ms };
        } catch (e) {
          throw new Error(`LiteRT run failed: ${pageMessage(e as Error)}`);
        } finally {
          this.blobs.delete(inId);
          this.blobs.delete(outId);
        }
      },
      dispose: async () => {
        if (this.usable) await this.livePage().evaluate((i) => (window as unknown as { collabopt: CollaboptPage }).collabopt.dispose(i), id);
      },
    };
  }

  /** Closes Chromium and the server and removes the user-data directory; safe to call twice. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    process.removeListener('exit', this.onExit);
    try {
      await this.context?.close();
    } catch {
      // Already gone (crashed or killed): nothing left to close.
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.blobs.clear();
    this.removeUserDataDir();
  }

  private livePage(): Page {
    if (this.closed) throw new Error('the LiteRT browser is closed');
    if (this.crashed !== null || !this.page) throw new Error(this.crashed ?? 'the LiteRT page is not open');
    return this.page;
  }

  private put(body: Buffer): string {
    const id = randomUUID();
    this.blobs.set(id, body);
    return id;
  }

  private removeUserDataDir(): void {
    fs.rmSync(this.userDataDir, { recursive: true, force: true });
  }
}

interface CollaboptPage {
  ready: Promise<void>;
  load(id: string): Promise<{ inputs: TfliteTensorSpec[]; outputs: TfliteTensorSpec[] }>;
  run(id: string, inId: string, rows: number, outId: string): Promise<{ ms: number }>;
  dispose(id: string): void;
}

/** The page's own error message out of playwright's wrapping. */
function pageMessage(e: Error): string {
  return e.message.replace(/^page\.evaluate: (Error: )?/, '').split('\n')[0];
}

/** Waits (up to `ms`) until no process has `dir` on its command line (Linux /proc; elsewhere returns at once). */
async function waitForProfileUsers(dir: string, ms: number): Promise<void> {
  const users = () => {
    try {
      return fs.readdirSync('/proc').some((p) => {
        try {
          return /^\d+$/.test(p) && fs.readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(dir);
        } catch {
          return false;
        }
      });
    } catch {
      return false;
    }
  };
  for (const end = Date.now() + ms; users() && Date.now() < end; ) await new Promise((r) => setTimeout(r, 50));
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The loopback server: the page, LiteRT's files, and blobs in both directions. */
function serve(req: http.IncomingMessage, res: http.ServerResponse, roots: Readonly<Record<string, string>>, blobs: Map<string, Buffer>): void {
  const url = (req.url ?? '/').split('?')[0];
  const send = (status: number, type: string, body: Buffer | string) => {
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
    res.end(body);
  };
  if (url === '/') return send(200, 'text/html; charset=utf-8', LITERT_PAGE);
  if (url.startsWith('/blob/')) {
    const id = url.slice('/blob/'.length);
    if (req.method === 'POST') {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        blobs.set(id, Buffer.concat(chunks));
        send(204, 'text/plain', '');
      });
      return;
    }
    const body = blobs.get(id);
    // A blob is read once: inputs and models are not kept in Node after the page took them.
    blobs.delete(id);
    return body ? send(200, 'application/octet-stream', body) : send(404, 'text/plain', `no blob ${id}`);
  }
  for (const [prefix, root] of Object.entries(roots)) {
    if (!url.startsWith(prefix)) continue;
    const file = path.resolve(root, decodeURIComponent(url.slice(prefix.length)));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) break;
    res.writeHead(200, { 'content-type': CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });
    fs.createReadStream(file).pipe(res);
    return;
  }
  send(404, 'text/plain', `not found: ${url}`);
}
