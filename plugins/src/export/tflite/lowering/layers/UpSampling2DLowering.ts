import type { LayerLowering } from '../LayerLowering';
import { rank4InputProblem } from '../rank4InputProblem';

/**
 * UpSampling2D → RESIZE_NEAREST_NEIGHBOR (`nearest`) or RESIZE_BILINEAR (`bilinear`) to the
 * output size, both without align-corners or half-pixel centers (tfjs's `resizeNearestNeighbor`
 * and `resizeBilinear` defaults, which the layer uses: source = destination / factor). TFLite's
 * int8 resize kernels write onto the input's grid. Nearest copies values, so that is exact;
 * bilinear rounds each interpolated value onto it, and TFLite 2.9 and LiteRT resolve the ties in
 * ways no round-to-nearest rule reproduces (measured: 12–15% of a 2x upsampling's elements), so
 * the quantize plugin refuses bilinear UpSampling2D (float32, float16 and dynamic-range files
 * write it).
 */
export const UpSampling2DLowering: LayerLowering = {
  className: 'UpSampling2D',
  check: (node, config) => {
    const interpolation = String(config['interpolation'] ?? 'nearest');
    if (interpolation !== 'nearest' && interpolation !== 'bilinear') return `interpolation '${interpolation}'; only 'nearest' and 'bilinear' can be exported`;
    return rank4InputProblem(node);
  },
  lower: (ctx, node, [x], config) => {
    const outShape = ctx.outShape(node);
    const size = ctx.int32Constant(`${ctx.nameOf(node)}/size`, [2], [outShape[1], outShape[2]]);
    const out = ctx.sameAs(node, x, outShape);
    ctx.op(node, config['interpolation'] === 'bilinear' ? 'RESIZE_BILINEAR' : 'RESIZE_NEAREST_NEIGHBOR', [x, size], [out]);
    return [out];
  },
};
