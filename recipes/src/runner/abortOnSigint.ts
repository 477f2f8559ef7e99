/** What {@link abortOnSigint} installed. */
export interface SigintAbort {
  /** Aborted on the first Ctrl-C. */
  readonly signal: AbortSignal;
  /** Removes the handler (Ctrl-C gets its default behaviour back). */
  dispose(): void;
}

/**
 * Turns Ctrl-C (SIGINT) into an aborted signal for the runner, which stops after the current
 * batch, discards the unfinished stage and never starts another write — so an atomic write in
 * progress completes, finished stages stay intact, and the command exits with 130. A second
 * Ctrl-C exits at once (130): writes are atomic (temp file + rename), so even then no target file
 * is half-written; at most a temp file is left beside it.
 *
 * @param notify receives one line per Ctrl-C, saying what happens next.
 */
export function abortOnSigint(notify: (line: string) => void): SigintAbort {
  const controller = new AbortController();
  const handler = () => {
    if (!controller.signal.aborted) {
      notify('interrupt: stopping after the current batch; finished stages are kept (Ctrl-C again to quit at once)');
      controller.abort();
    } else {
      notify('interrupt: quitting now; finished stages are intact');
      process.exit(130);
    }
  };
  process.on('SIGINT', handler);
  return { signal: controller.signal, dispose: () => void process.off('SIGINT', handler) };
}
