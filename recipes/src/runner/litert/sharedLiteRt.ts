/**
 * The process's one LiteRT browser: started on first use (a Chromium start and LiteRT's wasm
 * load take seconds, so every file of a run shares it), closed after a short idle time so a
 * script or test process that never calls {@link closeLiteRt} still exits, or kept open for a
 * command's whole run with {@link keepLiteRtOpen}.
 */
import { LiteRtUnavailableError } from '../../errors/LiteRtUnavailableError';
import { LiteRtBrowser } from './LiteRtBrowser';

/** Milliseconds without a run after which the shared browser closes (unless kept open). */
export const LITERT_IDLE_MS = 3000;

let starting: Promise<LiteRtBrowser> | null = null;
let failure: string | null = null;
let active = 0;
let kept = false;
let idle: NodeJS.Timeout | null = null;

async function browser(): Promise<LiteRtBrowser> {
  if (failure !== null) throw new LiteRtUnavailableError(failure);
  if (starting) {
    const b = await starting.catch(() => null);
    if (b?.usable) return b;
    // Crashed or closed since: start a new one.
    starting = null;
  }
  starting = LiteRtBrowser.start();
  try {
    return await starting;
  } catch (e) {
    starting = null;
    // A missing package or Chromium, or a start that timed out, will not fix itself within
    // this process; each retry would cost the whole timeout again.
    if (e instanceof LiteRtUnavailableError) failure = e.reason;
    throw e;
  }
}

function scheduleIdleClose(): void {
  if (idle) clearTimeout(idle);
  idle = null;
  if (kept || active > 0) return;
  idle = setTimeout(() => void closeLiteRt(), LITERT_IDLE_MS);
}

/**
 * Runs `fn` with the shared browser (starting it if needed).
 * @throws LiteRtUnavailableError when it cannot be started; whatever `fn` throws.
 */
export async function withLiteRt<T>(fn: (browser: LiteRtBrowser) => Promise<T>): Promise<T> {
  active++;
  if (idle) clearTimeout(idle);
  try {
    return await fn(await browser());
  } finally {
    active--;
    scheduleIdleClose();
  }
}

/**
 * Why LiteRT cannot be used here, or `null` when it can (the browser is then started and shared).
 * The first call may take seconds; a failure is remembered for the process.
 */
export async function liteRtUnavailableReason(): Promise<string | null> {
  try {
    await withLiteRt(async () => undefined);
    return null;
  } catch (e) {
    if (e instanceof LiteRtUnavailableError) return e.reason;
    throw e;
  }
}

/** Keeps the shared browser open between runs until {@link closeLiteRt} (a command's whole run). */
export function keepLiteRtOpen(): void {
  kept = true;
  if (idle) clearTimeout(idle);
  idle = null;
}

/** Closes the shared browser, if one is running, and ends {@link keepLiteRtOpen}. */
export async function closeLiteRt(): Promise<void> {
  kept = false;
  if (idle) clearTimeout(idle);
  idle = null;
  const pending = starting;
  starting = null;
  const b = await pending?.catch(() => null);
  await b?.close();
}
