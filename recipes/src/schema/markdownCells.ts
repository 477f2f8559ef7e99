/** A value as a Markdown table cell: JSON in backticks, or `—` when undefined. */
export function codeCell(value: unknown): string {
  return value === undefined ? '—' : `\`${escapeCell(JSON.stringify(value))}\``;
}

/** Text made safe for one Markdown table cell: pipes escaped, newlines joined. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
