import type { TopLevelSpec } from 'vega-lite';
import { renderVegaLiteSvg } from './renderVegaLiteSvg';

/** The values of one kernel after one stage of a pipeline. */
export interface DensitySeries {
  /** Stage name, the row label. */
  readonly stage: string;
  readonly values: readonly number[];
}

/**
 * The seed's density-plot figure for one kernel going through a pipeline (baseline → pruned →
 * clustered → quantized): one histogram row per stage over a shared value axis, drawn with
 * vega-lite and rendered to a standalone SVG string (no browser, no canvas).
 *
 * A histogram with fine bins rather than a smoothed density, because what the figure must show
 * is discrete: the spike of pruned zeros and the few spikes of shared cluster values. The count
 * axis is a square-root scale per row, so the zero spike of a 50%-sparse kernel does not flatten
 * the rest.
 */
export async function densityPlotSvg(title: string, series: readonly DensitySeries[]): Promise<string> {
  const values = series.flatMap((s) => s.values.map((value) => ({ stage: s.stage, value })));
  const order = series.map((s) => s.stage);
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title,
    data: { values },
    mark: { type: 'bar', color: '#4c78a8' },
    encoding: {
      x: { field: 'value', type: 'quantitative', bin: { maxbins: 120 }, title: 'weight value' },
      y: { aggregate: 'count', type: 'quantitative', scale: { type: 'sqrt' }, title: 'count (sqrt)' },
      row: { field: 'stage', type: 'nominal', sort: order, title: null, header: { labelAngle: 0, labelAlign: 'left' } },
    },
    resolve: { scale: { y: 'independent' } },
    width: 560,
    height: 70,
  };
  return renderVegaLiteSvg(spec);
}
