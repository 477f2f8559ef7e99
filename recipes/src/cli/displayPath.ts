import * as path from 'node:path';

/** `file` relative to `cwd` when it is inside it (`out/pcqat/report.html`), else absolute. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' ? '.' : relative.startsWith('..') || path.isAbsolute(relative) ? path.resolve(file) : relative;
}
