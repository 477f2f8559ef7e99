/** A table to print: a header row and body rows of cells (text), with per-column alignment. */
export interface TextTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** `'left'` or `'right'` per column; default: the first column left, the others right. */
  readonly align?: readonly ('left' | 'right')[];
}

/** Columns are padded by this (the terminal's display width is what matters, not `length`). */
function width(s: string): number {
  // Box-drawing and arrows are one column wide; combining marks do not occur in our cells.
  return [...s].length;
}

function pad(s: string, w: number, align: 'left' | 'right'): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return align === 'left' ? s + fill : fill + s;
}

/** Renders `table` as aligned plain text with a rule under the header (for terminals and logs). */
export function formatTable(table: TextTable): string {
  const all = [table.header, ...table.rows];
  const widths = table.header.map((_, c) => Math.max(...all.map((r) => width(r[c] ?? ''))));
  const align = (c: number) => table.align?.[c] ?? (c === 0 ? 'left' : 'right');
  const line = (r: readonly string[]) => r.map((cell, c) => pad(cell ?? '', widths[c], align(c))).join('  ').trimEnd();
  return [line(table.header), widths.map((w) => '─'.repeat(w)).join('  '), ...table.rows.map(line)].join('\n');
}

/**
 * Renders `table` as a GitHub-flavoured Markdown table (for the README and issue notes). Leading
 * spaces become no-break spaces, which Markdown keeps, so tree indentation survives.
 */
export function formatMarkdownTable(table: TextTable): string {
  const align = (c: number) => table.align?.[c] ?? (c === 0 ? 'left' : 'right');
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/^ +/, (lead) => '\u00a0'.repeat(lead.length));
  const line = (r: readonly string[]) => `| ${r.map((c) => esc(c ?? '')).join(' | ')} |`;
  const rule = `|${table.header.map((_, c) => (align(c) === 'left' ? ' :--- ' : ' ---: ')).join('|')}|`;
  return [line(table.header), rule, ...table.rows.map(line)].join('\n');
}
