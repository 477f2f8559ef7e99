/**
 * How the tfjs exporter stores float32 weights, as the tfjs converter's `--quantize_*` options do:
 *
 * - `'none'`: float32, bit for bit;
 * - `'uint8'` / `'uint16'`: affine `q · scale + min` per tensor, 1 or 2 bytes per weight;
 * - `'float16'`: IEEE half precision (round to nearest even), 2 bytes per weight.
 *
 * A stock `tf.loadLayersModel` dequantizes every form to float32 at load time.
 * @group Export: tfjs
 */
export type TfjsQuantization = 'none' | 'uint8' | 'uint16' | 'float16';

/**
 * Every {@link TfjsQuantization}, in the order the options schema lists them.
 * @group Export: tfjs
 */
export const TFJS_QUANTIZATIONS: readonly TfjsQuantization[] = Object.freeze(['none', 'uint8', 'uint16', 'float16']);
