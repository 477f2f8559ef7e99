import * as path from 'node:path';

/** `file` relative to `cwd` when it is inside it (`out/pcqat/report.html`), else absolute. */
export function displayPath(cwd: string, file: string): string {
  const relative = path.relative(cwd, file);
  // Outside means the relative path climbs: `..` or `../x`, not a name like `..hidden`.
  const outside = relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative);
  return relative === '' ? '.' : outside ? path.resolve(file) : relative;
}
