/**
 * The page the LiteRT Chromium runs: it loads LiteRT.js and its wasm from the loopback server
 * (no CDN: the machine may be offline) and exposes `window.collabopt` to the Node side.
 *
 * Bulk data never crosses `page.evaluate` (which serializes to JSON): the page fetches model
 * bytes and input rows from the server as binary blobs and posts the outputs back the same way;
 * only ids and tensor descriptions travel through `evaluate`.
 */

/** URL prefixes the server maps onto the installed packages. */
export const LITERT_CORE_PREFIX = '/litert/core/';
export const LITERT_WASM_UTILS_PREFIX = '/litert/wasm-utils/';

const script = String.raw`
import { loadLiteRt, loadAndCompile, Tensor } from '${LITERT_CORE_PREFIX}dist/index.js';

const models = new Map();
const arrays = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int32: Int32Array };
const spec = (d) => ({ name: d.name, dtype: d.dtype, shape: Array.from(d.shape) });
const blob = async (id) => {
  const res = await fetch('/blob/' + id);
  if (!res.ok) throw new Error('blob ' + id + ': HTTP ' + res.status);
  return res.arrayBuffer();
};

window.collabopt = {
  ready: (async () => {
    // The single-threaded, non-JSPI build: one thread is what the latency column promises, and
    // it needs no cross-origin isolation.
    await loadLiteRt('${LITERT_CORE_PREFIX}wasm/');
  })(),
  async load(id) {
    const model = await loadAndCompile(new Uint8Array(await blob(id)), { accelerator: 'wasm', cpuOptions: { numThreads: 1 } });
    models.set(id, model);
    return { inputs: model.getInputDetails().map(spec), outputs: model.getOutputDetails().map(spec) };
  },
  dispose(id) {
    models.get(id)?.delete();
    models.delete(id);
  },
  // Rows of every input are concatenated (float32, converted to the input's type here); the
  // outputs go back the same way, float32, under outId.
  async run(id, inId, rows, outId) {
    const model = models.get(id);
    if (!model) throw new Error('no model ' + id);
    const ins = model.getInputDetails();
    const outs = model.getOutputDetails();
    const data = new Float32Array(await blob(inId));
    const inSizes = ins.map((d) => d.shape.reduce((a, b) => a * b, 1));
    const outSizes = outs.map((d) => d.shape.reduce((a, b) => a * b, 1));
    const inTotal = inSizes.reduce((a, b) => a + b, 0) * rows;
    if (data.length !== inTotal) throw new Error('expected ' + inTotal + ' input values for ' + rows + ' rows, got ' + data.length);
    const typed = ins.map((d, k) => {
      const Array_ = arrays[d.dtype];
      if (!Array_) throw new Error('input ' + d.name + ' has type ' + d.dtype);
      const offset = inSizes.slice(0, k).reduce((a, b) => a + b, 0) * rows;
      return Array_.from(data.subarray(offset, offset + inSizes[k] * rows));
    });
    const result = outSizes.map((n) => new Float32Array(n * rows));
    let ms = 0;
    for (let r = 0; r < rows; r++) {
      const tensors = ins.map((d, k) => new Tensor(typed[k].slice(r * inSizes[k], (r + 1) * inSizes[k]), Array.from(d.shape)));
      const start = performance.now();
      const out = await model.run(tensors);
      ms += performance.now() - start;
      tensors.forEach((t) => t.delete());
      out.forEach((t, k) => {
        result[k].set(t.toTypedArray(), r * outSizes[k]);
        t.delete();
      });
    }
    const body = new Float32Array(result.reduce((a, o) => a + o.length, 0));
    let at = 0;
    for (const o of result) { body.set(o, at); at += o.length; }
    const res = await fetch('/blob/' + outId, { method: 'POST', body });
    if (!res.ok) throw new Error('posting outputs: HTTP ' + res.status);
    return { ms };
  },
};
`;

/** The HTML of the page; the import map resolves LiteRT.js's one bare import. */
export const LITERT_PAGE = `<!doctype html>
<meta charset="utf-8">
<title>collabopt LiteRT runner</title>
<script type="importmap">{"imports":{"@litertjs/wasm-utils":"${LITERT_WASM_UTILS_PREFIX}dist/bundle.js"}}</script>
<script type="module">${script}</script>
`;
