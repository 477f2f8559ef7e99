import type { WeightStats } from '../weightStats';
import type { OnnxMode } from './OnnxExportOptions';

/**
 * One kernel of an ONNX export as read back from the written bytes.
 * @group Export: ONNX
 */
export interface OnnxWeightReport extends WeightStats {
  /** Weight id in the session, e.g. `conv1/kernel`. */
  readonly weightId: string;
  readonly layer: string;
  readonly className: string;
  /** Initializer name in the file. */
  readonly initializer: string;
  /** Stored element type: `float32` or `int8`. */
  readonly dtype: string;
  /** Shape of the initializer (ONNX layout: `[out, in, h, w]` for convolutions). */
  readonly shape: readonly number[];
  /** Number of scales of its DequantizeLinear (1 per tensor, else per output channel); 0 for float. */
  readonly scales: number;
  /** The BatchNormalization folded into it, or null. */
  readonly foldedBatchNorm: string | null;
  /** The session's claims checked on the values read back from the file. */
  readonly verified: readonly string[];
  readonly notes: readonly string[];
}

/**
 * What an ONNX export wrote.
 * @group Export: ONNX
 */
export interface OnnxExportReport {
  readonly mode: OnnxMode;
  /** Default-domain opset the file imports. */
  readonly opset: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Node count by operator type, sorted by type. */
  readonly operators: readonly { readonly opType: string; readonly count: number }[];
  /** Inputs and outputs (float32, NHWC as in tfjs; dimension 0 is the free `batch`). */
  readonly inputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
  readonly outputs: readonly { readonly name: string; readonly shape: readonly (number | string)[] }[];
  readonly weights: readonly OnnxWeightReport[];
  readonly foldedBatchNorms: readonly string[];
  readonly expandedBatchNorms: readonly string[];
  readonly fusedActivations: readonly string[];
  readonly removedLayers: readonly string[];
  readonly notes: readonly string[];
}
