import type { WeightStats } from '../weightStats';
import type { OnnxMode } from './OnnxExportOptions';

/**
 * One kernel of an ONNX export as read back from the written bytes.
 * @group Export: ONNX
 */
export interface OnnxWeightReport extends WeightStats {
  /** Weight id in the session, e.g. `conv1/kernel`. */
  readonly weightId: string;
  /** Name of the layer that owns it. */
  readonly layer: string;
  /** Its tfjs class name. */
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
  /** Why something was written differently than asked, or not verified. */
  readonly notes: readonly string[];
}

/**
 * What an ONNX export wrote.
 * @group Export: ONNX
 */
export interface OnnxExportReport {
  /** What the file computes with: `float32` or `int8` (QDQ). */
  readonly mode: OnnxMode;
  /** Default-domain opset the file imports. */
  readonly opset: number;
  /** Size of the file in bytes. */
  readonly bytes: number;
  /** Node count by operator type, sorted by type. */
  readonly operators: readonly {
    /** ONNX operator type, e.g. `QLinearConv` or `Conv`. */
    readonly opType: string;
    /** How many nodes of this type. */
    readonly count: number;
  }[];
  /** Inputs and outputs (float32, NHWC as in tfjs; dimension 0 is the free `batch`). */
  readonly inputs: readonly {
    /** Name in the file. */
    readonly name: string;
    /** Shape in the file (the batch dimension is free in ONNX: `-1`/null there). */
    readonly shape: readonly (number | string)[];
  }[];
  /** The graph outputs. */
  readonly outputs: readonly {
    /** Name in the file. */
    readonly name: string;
    /** Shape in the file (the batch dimension is free in ONNX: `-1`/null there). */
    readonly shape: readonly (number | string)[];
  }[];
  /** One entry per weight tensor. */
  readonly weights: readonly OnnxWeightReport[];
  /** BatchNormalization layers folded into the convolution or dense before them (`bn → conv`). */
  readonly foldedBatchNorms: readonly string[];
  /** Standalone BatchNormalization layers written as their own ops (nothing to fold into). */
  readonly expandedBatchNorms: readonly string[];
  /** Activations fused into the op before them. */
  readonly fusedActivations: readonly string[];
  /** Layers that have no op in the file (Dropout, linear activations). */
  readonly removedLayers: readonly string[];
  /** Why something was written differently than asked, or not verified. */
  readonly notes: readonly string[];
}
