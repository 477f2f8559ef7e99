import * as tf from '@tensorflow/tfjs';
import type { Int8GridData } from '@collabopt/core';

/**
 * The `int8-grid` data of one projected weight whose scales stay on the backend between training
 * steps: every projection hands over its scales tensor, and the numbers are read back only when
 * someone reads `data.scales` (the invariant check, export, saving state) — once per value.
 *
 * Why: the projection runs after every optimizer step on every quantized kernel, and reading the
 * scales back each time was one synchronous read-back per kernel per step for data that is read
 * about once per epoch. `data` is one object for the weight's whole session, so re-establishing
 * it each step costs nothing; `settle()` brings the scales to JavaScript and releases the tensor
 * (at the end of a fit and at finish), so no tensor outlives a fit or the session.
 * @internal The quantize plugin's projection.
 */
export class ProjectedGridScales {
  /** The invariant's data; `scales` reads the latest projection's scales. */
  readonly data: Int8GridData;
  private tensor: tf.Tensor | null = null;
  private values: Float32Array | null = null;
  private final = false;
  private disposed = false;

  constructor(
    private readonly weightId: string,
    channels: number | null,
    bits: number,
  ) {
    const read = () => this.read();
    this.data = {
      get scales() {
        return read();
      },
      channels,
      bits,
    };
  }

  /**
   * Takes the scales of a new projection (kept outside any tidy until read or replaced). With
   * `eager` (a projection outside the training step), or after {@link ProjectedGridScales.finalize},
   * they are read back at once instead.
   */
  set(scales: tf.Tensor, eager: boolean): void {
    this.release();
    this.values = null;
    if (eager || this.final) this.values = Float32Array.from(scales.dataSync());
    else this.tensor = tf.keep(scales);
  }

  /** Reads the scales back (if not yet) and releases the tensor; `data` stays valid. */
  settle(): void {
    if (this.tensor) this.read();
    this.release();
  }

  /** {@link ProjectedGridScales.settle}, and later projections are read back at once (the session finished). */
  finalize(): void {
    this.settle();
    this.final = true;
  }

  /** Releases the tensor without reading it (the session is disposed); reading `data.scales` then throws. */
  dispose(): void {
    this.release();
    this.disposed = this.values === null;
  }

  private read(): Float32Array {
    if (!this.values) {
      if (!this.tensor || this.disposed) throw new Error(`quantize: the int8-grid scales of '${this.weightId}' were released with their session`);
      this.values = Float32Array.from(this.tensor.dataSync());
    }
    return this.values;
  }

  private release(): void {
    this.tensor?.dispose();
    this.tensor = null;
  }
}
