import type { DeploymentNode, DeploymentTree } from '../explore/DeploymentTree';
import type { StageRecord } from '../runner/StageRecord';
import type { StoredStage } from '../runner/StageStore';
import type { TextTable } from './formatTable';
import { int8ColumnHeader, int8ColumnRuntime } from './int8ColumnRuntime';
import { resultCells } from './resultCells';

/** An extra column of {@link treeTable}. */
export interface TreeColumn {
  readonly header: string;
  cell(node: DeploymentNode, record: StageRecord): string;
}

/**
 * Results of a deployment tree as a table with one row per node, drawn as the tree (`├─`, `└─`),
 * and the seed's items as columns — FP32 top-1 (fake INT8 where quantized), INT8 full-integer top-1
 * in LiteRT or TFLite 2.9 (the header names which), compression of the int8 file — plus `extra` columns. (The seed puts
 * the items in rows and the models in columns; a whole tree has too many models for that.)
 * Nodes that were not run are left out.
 */
export function treeTable(tree: DeploymentTree, nodes: ReadonlyMap<string, StoredStage>, extra: readonly TreeColumn[] = []): TextTable {
  const rows: string[][] = [];
  const shown = (n: DeploymentNode) => nodes.has(n.hash);
  const records = [...nodes.values()].map((s) => s.record);
  const column = int8ColumnRuntime(records);
  const visit = (node: DeploymentNode, prefix: string, last: boolean, root: boolean) => {
    const record = nodes.get(node.hash)!.record;
    const cells = resultCells(record, column);
    const label = root ? node.name : `${prefix}${last ? '└─ ' : '├─ '}${node.name}`;
    const leaf = node.leafOf.length > 0 ? ` [${node.leafOf.join(', ')}]` : '';
    rows.push([label + leaf, cells.fp32, cells.int8, cells.compression, ...extra.map((c) => c.cell(node, record))]);
    const children = node.children.filter(shown);
    const childPrefix = root ? '' : prefix + (last ? '   ' : '│  ');
    children.forEach((c, i) => visit(c, childPrefix, i === children.length - 1, false));
  };
  for (const root of tree.roots.filter(shown)) visit(root, '', true, true);
  return {
    header: ['node [recipe]', 'FP32 top-1', int8ColumnHeader('INT8 top-1', records), 'compression (int8 .tflite)', ...extra.map((c) => c.header)],
    rows,
  };
}
