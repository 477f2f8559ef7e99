/** Prints a measured number when COLLABOPT_TEST_VERBOSE is set (for issue notes and docs); silent otherwise. */
export function reportMeasure(label: string, value: number | string): void {
  if (process.env['COLLABOPT_TEST_VERBOSE']) console.log(`    [measure] ${label}: ${value}`);
}
