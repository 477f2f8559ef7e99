import * as tf from '@tensorflow/tfjs';
import { StateError } from '../errors/StateError';

/**
 * File name of the topology and weight manifest of a saved tfjs Layers model, as
 * `tf.loadLayersModel` expects it.
 * @group Saving and loading
 */
export const MODEL_JSON = 'model.json';
/**
 * File name of the single weights shard {@link modelToFiles} writes.
 * @group Saving and loading
 */
export const WEIGHTS_BIN = 'weights.bin';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Serialises a model to the files of the standard tfjs format (model.json + one weights shard),
 * without tfjs-node: `tf.io.withSaveHandler` hands us the artifacts and we lay them out.
 * The optimizer's state is included when the model is compiled (unless `includeOptimizer: false`),
 * so training can resume exactly.
 * @group Saving and loading
 */
export async function modelToFiles(model: tf.LayersModel, options: { readonly includeOptimizer?: boolean } = {}): Promise<Map<string, Uint8Array>> {
  let captured: tf.io.ModelArtifacts | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      captured = artifacts;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    { includeOptimizer: (options.includeOptimizer ?? true) && model.optimizer != null },
  );
  const a = captured as unknown as tf.io.ModelArtifacts;
  const weightData = a.weightData === undefined ? new ArrayBuffer(0) : concatWeightData(a.weightData);
  const modelJson = {
    format: a.format ?? 'layers-model',
    generatedBy: a.generatedBy,
    convertedBy: a.convertedBy ?? null,
    modelTopology: a.modelTopology,
    ...(a.trainingConfig ? { trainingConfig: a.trainingConfig } : {}),
    weightsManifest: [{ paths: [WEIGHTS_BIN], weights: a.weightSpecs ?? [] }],
    ...(a.userDefinedMetadata ? { userDefinedMetadata: a.userDefinedMetadata } : {}),
  };
  return new Map([
    [MODEL_JSON, encoder.encode(JSON.stringify(modelJson))],
    [WEIGHTS_BIN, new Uint8Array(weightData)],
  ]);
}

/**
 * Rebuilds a model (and its optimizer state, when saved) from the files {@link modelToFiles}
 * wrote, checking that they fit together so a corrupt save fails with a clear error.
 * @group Saving and loading
 */
export async function modelFromFiles(files: ReadonlyMap<string, Uint8Array>, where: string): Promise<tf.LayersModel> {
  const jsonBytes = files.get(MODEL_JSON);
  if (!jsonBytes) throw new StateError(`${where}: ${MODEL_JSON} is missing`);
  let json: {
    modelTopology?: object;
    weightsManifest?: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
    trainingConfig?: tf.io.TrainingConfig;
    format?: string;
    generatedBy?: string;
    convertedBy?: string | null;
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- tfjs's own type for this field
    userDefinedMetadata?: Record<string, {}>;
  };
  try {
    json = JSON.parse(decoder.decode(jsonBytes));
  } catch (e) {
    throw new StateError(`${where}/${MODEL_JSON} is not valid JSON: ${(e as Error).message}`);
  }
  if (!json.modelTopology || !Array.isArray(json.weightsManifest)) {
    throw new StateError(`${where}/${MODEL_JSON} is not a tfjs Layers model (modelTopology and weightsManifest are required)`);
  }
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const p of group.paths) {
      const bytes = files.get(p);
      if (!bytes) throw new StateError(`${where}: weight file '${p}' named in ${MODEL_JSON} is missing`);
      buffers.push(bytes);
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const expected = specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1) * bytesPerElement(s), 0);
  if (total !== expected) {
    throw new StateError(`${where}: weight data has ${total} bytes, but ${MODEL_JSON} describes ${expected} (truncated or mismatched files)`);
  }
  const weightData = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    weightData.set(b, offset);
    offset += b.byteLength;
  }
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: json.modelTopology,
    weightSpecs: specs,
    weightData: weightData.buffer,
    format: json.format,
    generatedBy: json.generatedBy,
    convertedBy: json.convertedBy ?? undefined,
    trainingConfig: json.trainingConfig,
    userDefinedMetadata: json.userDefinedMetadata,
  };
  try {
    return await tf.loadLayersModel({ load: async () => artifacts });
  } catch (e) {
    throw new StateError(`${where}: the saved model cannot be rebuilt: ${(e as Error).message}`);
  }
}

function bytesPerElement(spec: tf.io.WeightsManifestEntry): number {
  if (spec.quantization) {
    const d = spec.quantization.dtype;
    return d === 'uint8' ? 1 : d === 'uint16' || d === 'float16' ? 2 : 4;
  }
  return spec.dtype === 'bool' ? 1 : 4;
}

function concatWeightData(data: ArrayBuffer | ArrayBuffer[]): ArrayBuffer {
  if (!Array.isArray(data)) return data;
  const total = data.reduce((n, b) => n + b.byteLength, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const b of data) {
    out.set(new Uint8Array(b), o);
    o += b.byteLength;
  }
  return out.buffer;
}
