/**
 * Where a CLI command writes, and where it is run from. The real one writes to the process's
 * streams; tests pass one that records the lines.
 */
export interface CliIo {
  /** Writes one line (a newline is added) to standard output: results. */
  out(line: string): void;
  /** Writes one line (a newline is added) to standard error: usage errors, failures, progress. */
  err(line: string): void;
  /** Directory that relative paths on the command line are relative to. */
  readonly cwd: string;
}
