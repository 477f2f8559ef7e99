/**
 * Code blocks in the Markdown documentation and where their code comes from.
 *
 * The convention (docs/README.md, "Writing documentation"): every TypeScript or JavaScript block
 * in a guide is preceded by a marker comment on the line above its opening fence —
 *
 * - `<!-- include: ../examples/existing-code/fit.ts#session -->`: the block is the file (or the
 *   named region of it) verbatim. Paths are relative to the Markdown file. A region is the text
 *   between `// #region <name>` and `// #endregion` in the source, with its common indentation
 *   removed and the marker lines of nested regions dropped;
 * - `<!-- fragment -->`: an illustrative fragment; it must still parse as TypeScript.
 *
 * `test/docs/codeBlocks.test.ts` enforces it; `npm run docs:sync` rewrites included blocks from
 * their sources after an example changed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository root. */
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

/** Fence languages whose blocks must carry a marker. */
export const CHECKED_LANGUAGES: ReadonlySet<string> = new Set(['ts', 'typescript', 'tsx', 'js', 'javascript', 'mjs', 'cjs']);

/** Where a block's code comes from. */
export type BlockMarker =
  | { readonly kind: 'include'; readonly source: string; readonly region: string | null }
  | { readonly kind: 'fragment' };

/** One fenced code block of a Markdown file. */
export interface CodeBlock {
  /** Absolute path of the Markdown file. */
  readonly file: string;
  /** 1-based line number of the opening fence. */
  readonly line: number;
  /** The fence's info string up to the first space, lower-cased (`ts`, `text`, ...). */
  readonly lang: string;
  /** The block's content, lines joined with `\n`, without the fences. */
  readonly code: string;
  /** The marker on the line above the fence, or null. */
  readonly marker: BlockMarker | null;
  /** 0-based index of the first content line and of the closing fence line. */
  readonly contentStart: number;
  readonly contentEnd: number;
}

const INCLUDE = /^<!--\s*include:\s*(\S+?)(?:#([\w-]+))?\s*-->$/;
const FRAGMENT = /^<!--\s*fragment\s*-->$/;

/** The Markdown files the convention covers: the top-level README and everything under docs/ except the generated API site. */
export function markdownFiles(root: string = REPO_ROOT): string[] {
  const out = [path.join(root, 'README.md')];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full === path.join(root, 'docs', 'api')) continue;
        walk(full);
      } else if (entry.name.endsWith('.md')) {
        out.push(full);
      }
    }
  };
  walk(path.join(root, 'docs'));
  return out.sort();
}

/** Every fenced code block of a Markdown file, with its marker. */
export function parseCodeBlocks(file: string, text: string = fs.readFileSync(file, 'utf8')): CodeBlock[] {
  const lines = text.split('\n');
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)/.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`).test(lines[j])) j++;
    let k = i - 1;
    while (k >= 0 && lines[k].trim() === '') k--;
    const above = k >= 0 ? lines[k].trim() : '';
    let marker: BlockMarker | null = null;
    const inc = INCLUDE.exec(above);
    if (inc) marker = { kind: 'include', source: inc[1], region: inc[2] ?? null };
    else if (FRAGMENT.test(above)) marker = { kind: 'fragment' };
    const indent = open[1].length;
    blocks.push({
      file,
      line: i + 1,
      lang: open[3].toLowerCase(),
      code: lines.slice(i + 1, j).map((l) => l.slice(Math.min(indent, l.length - l.trimStart().length))).join('\n'),
      marker,
      contentStart: i + 1,
      contentEnd: j,
    });
    i = j;
  }
  return blocks;
}

const REGION_START = /^\s*\/\/\s*#region\s+([\w-]+)\s*$/;
const REGION_END = /^\s*\/\/\s*#endregion\b.*$/;

/**
 * The text a block includes: the whole source file, or one region of it, without region marker
 * lines and with the region's common indentation removed.
 * @throws Error naming the file and region when the file or the region does not exist.
 */
export function includedCode(markdownFile: string, source: string, region: string | null): string {
  const file = path.resolve(path.dirname(markdownFile), source);
  if (!fs.existsSync(file)) throw new Error(`${source} (from ${path.relative(REPO_ROOT, markdownFile)}) does not exist`);
  const lines = fs.readFileSync(file, 'utf8').replace(/\n$/, '').split('\n');
  let body: string[];
  if (region === null) {
    body = lines;
  } else {
    const start = lines.findIndex((l) => REGION_START.exec(l)?.[1] === region);
    if (start < 0) throw new Error(`${source} has no '// #region ${region}'`);
    let depth = 0;
    let end = -1;
    for (let i = start + 1; i < lines.length; i++) {
      if (REGION_START.test(lines[i])) depth++;
      else if (REGION_END.test(lines[i])) {
        if (depth === 0) {
          end = i;
          break;
        }
        depth--;
      }
    }
    if (end < 0) throw new Error(`${source}: region '${region}' has no '// #endregion'`);
    body = lines.slice(start + 1, end);
  }
  body = body.filter((l) => !REGION_START.test(l) && !REGION_END.test(l));
  const indent = Math.min(...body.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length));
  return body.map((l) => l.slice(Math.min(indent, l.length))).join('\n');
}

/** Regions defined in a source file, by name. */
export function regionNames(file: string): string[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => REGION_START.exec(l)?.[1])
    .filter((n): n is string => n !== undefined);
}

/**
 * Rewrites every include block of a Markdown text from its source and returns the new text
 * (unchanged when every block is current).
 */
export function syncIncludes(markdownFile: string, text: string): string {
  const lines = text.split('\n');
  const blocks = parseCodeBlocks(markdownFile, text).filter((b) => b.marker?.kind === 'include');
  // Last block first, so earlier line indexes stay valid.
  for (const b of blocks.reverse()) {
    const m = b.marker as Extract<BlockMarker, { kind: 'include' }>;
    const indent = /^\s*/.exec(lines[b.contentStart - 1])![0];
    const code = includedCode(markdownFile, m.source, m.region).split('\n').map((l) => (l === '' ? '' : indent + l));
    lines.splice(b.contentStart, b.contentEnd - b.contentStart, ...code);
  }
  return lines.join('\n');
}
