/**
 * Generated regions of Markdown files: the text between
 *
 *   <!-- generated: prune-options -->
 *   ...
 *   <!-- /generated -->
 *
 * is owned by a generator (here: a plugin's option table, rendered from its schema), and
 * `npm run docs:sync` rewrites it; `--check` and test/docs report a stale one.
 */

const START = /^<!--\s*generated:\s*([\w-]+)\s*-->$/;
const END = /^<!--\s*\/generated\s*-->$/;

/**
 * `text` with every generated region replaced by its content from `regions`.
 * @throws Error naming the file and line of a region with an unknown id or no end marker.
 */
export function syncRegions(file: string, text: string, regions: ReadonlyMap<string, string>): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const start = START.exec(lines[i].trim());
    out.push(lines[i]);
    if (!start) continue;
    const content = regions.get(start[1]);
    if (content === undefined) throw new Error(`${file}:${i + 1}: no generator for region '${start[1]}' (known: ${[...regions.keys()].join(', ')})`);
    const end = lines.findIndex((l, j) => j > i && END.test(l.trim()));
    if (end < 0) throw new Error(`${file}:${i + 1}: region '${start[1]}' has no <!-- /generated --> line`);
    out.push(content, lines[end]);
    i = end;
  }
  return out.join('\n');
}

/** The ids of the generated regions in `text`, in order. */
export function regionIds(text: string): string[] {
  return text
    .split('\n')
    .map((l) => START.exec(l.trim())?.[1])
    .filter((id): id is string => id !== undefined);
}
