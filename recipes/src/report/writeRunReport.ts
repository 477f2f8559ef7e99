import * as path from 'node:path';
import { writeFileAtomic } from '@collabopt/core';
import { renderReportHtml } from './renderReportHtml';
import type { RunReport } from './RunReport';

/** Where {@link writeRunReport} wrote. */
export interface WrittenReport {
  readonly html: string;
  readonly json: string;
}

/**
 * Writes `<name>.json` (every number) and `<name>.html` (self-contained, opens offline) into
 * `dir`, each atomically (temp file + rename): an interrupted write leaves the previous report or
 * none, never half a file.
 * @param name file name without extension; default `report`.
 */
export async function writeRunReport(dir: string, report: RunReport, name = 'report'): Promise<WrittenReport> {
  const json = path.join(dir, `${name}.json`);
  const html = path.join(dir, `${name}.html`);
  await writeFileAtomic(json, JSON.stringify(report, null, 1));
  await writeFileAtomic(html, await renderReportHtml(report));
  return { html, json };
}
