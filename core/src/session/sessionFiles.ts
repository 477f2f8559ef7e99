import type * as tf from '@tensorflow/tfjs';
import { StateError } from '../errors/StateError';
import type { JsonValue } from '../invariants/Invariant';
import { getSessionStore } from '../io/SessionStore';
import { modelFromFiles, modelToFiles } from '../io/modelArtifacts';
import { OptimizationState } from '../state/OptimizationState';
import { modelWeights } from '../weights/modelWeights';
import type { TargetWeight } from '../weights/TargetWeight';

/** Files of a saved session, next to the tfjs model files. */
const STATE_JSON = 'collabopt-state.json';
const LATENTS_BIN = 'collabopt-latents.bin';

/**
 * Serialised session (the `collabopt-state.json` file).
 * @internal
 */
export interface SavedSession {
  readonly format: 'collabopt-session';
  readonly version: 1;
  readonly stage: string;
  readonly step: number;
  readonly epoch: number;
  readonly finished: boolean;
  readonly plugins: string[];
  readonly pluginStates: Record<string, JsonValue>;
  readonly state: ReturnType<OptimizationState['toJSON']>;
  /** Latent values for resuming, in LATENTS_BIN (float32, in this order). */
  readonly latents: { id: string; size: number }[];
}

/**
 * Writes the model (tfjs format) with the session file and the latents of `latents` into `dir`,
 * atomically (through the session store).
 * @internal
 */
export async function writeSessionFiles(
  dir: string,
  model: tf.LayersModel,
  session: Omit<SavedSession, 'format' | 'version' | 'latents'>,
  latents: readonly TargetWeight[],
): Promise<void> {
  const files = await modelToFiles(model);
  const saved: SavedSession = {
    format: 'collabopt-session',
    version: 1,
    ...session,
    latents: latents.map((w) => ({ id: w.id, size: w.size })),
  };
  files.set(STATE_JSON, new TextEncoder().encode(JSON.stringify(saved)));
  if (latents.length > 0) {
    const total = latents.reduce((n, w) => n + w.size, 0);
    const buf = new Float32Array(total);
    let o = 0;
    for (const w of latents) {
      buf.set(w.latent!.dataSync() as Float32Array, o);
      o += w.size;
    }
    files.set(LATENTS_BIN, new Uint8Array(buf.buffer));
  }
  await getSessionStore().write(dir, files);
}

/**
 * Reads the model and the session file of `dir`.
 * @param stateOptional a plain tfjs model (no session file) reads with `saved` undefined instead of failing.
 * @internal
 */
export async function readSessionFiles(dir: string, stateOptional = false): Promise<{ model: tf.LayersModel; saved: SavedSession; files: Map<string, Uint8Array> }> {
  const files = await getSessionStore().read(dir, ['model.json'], [STATE_JSON, LATENTS_BIN]);
  const model = await modelFromFiles(files, dir);
  const bytes = files.get(STATE_JSON);
  if (!bytes) {
    if (stateOptional) return { model, saved: undefined as unknown as SavedSession, files };
    throw new StateError(`${dir} has no ${STATE_JSON}: it is a plain tfjs model, not a saved collabopt session`);
  }
  let saved: SavedSession;
  try {
    saved = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    throw new StateError(`${dir}/${STATE_JSON} is not valid JSON: ${(e as Error).message}`);
  }
  if (saved?.format !== 'collabopt-session' || saved.version !== 1 || !Array.isArray(saved.plugins) || !Array.isArray(saved.latents)) {
    throw new StateError(`${dir}/${STATE_JSON} is not a collabopt session file (format 'collabopt-session', version 1)`);
  }
  return { model, saved, files };
}

/**
 * The optimization state of a session file, checked against the model's weight shapes.
 * @internal
 */
export function decodeSavedState(saved: SavedSession, model: tf.LayersModel, dir: string): OptimizationState {
  const shapes = new Map([...modelWeights(model)].map(([id, w]) => [id, w.shape]));
  try {
    return OptimizationState.fromJSON(saved.state, shapes);
  } catch (e) {
    throw new StateError(`${dir}/${STATE_JSON}: ${(e as Error).message}`);
  }
}

/**
 * The saved latents by weight id (views into one buffer).
 * @internal
 */
export function decodeSavedLatents(saved: SavedSession, files: ReadonlyMap<string, Uint8Array>, dir: string): Map<string, Float32Array> {
  const latents = new Map<string, Float32Array>();
  if (saved.latents.length > 0) {
    const bytes = files.get(LATENTS_BIN);
    const total = saved.latents.reduce((n, l) => n + l.size, 0);
    if (!bytes || bytes.byteLength !== total * 4) {
      throw new StateError(`${dir}/${LATENTS_BIN} is missing or has ${bytes?.byteLength ?? 0} bytes, expected ${total * 4}`);
    }
    const all = new Float32Array(bytes.slice().buffer);
    let o = 0;
    for (const l of saved.latents) {
      latents.set(l.id, all.subarray(o, o + l.size));
      o += l.size;
    }
  }
  return latents;
}
