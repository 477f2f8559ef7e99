/** Where Debian's `dataset-fashion-mnist` package installs Fashion-MNIST. */
const DEBIAN_DIR = '/usr/share/datasets/fashion-mnist';

/**
 * Where Fashion-MNIST comes from: Debian's `dataset-fashion-mnist` package installs the four
 * gzipped IDX files (the same layout as MNIST) into /usr/share/datasets/fashion-mnist. There is no
 * npm package that ships the data, and collabopt downloads nothing at run time.
 */
export const fashionMnist = Object.freeze({
  /**
   * The directory recipes read `"dataset": "fashion-mnist"` from when they give no `dir`: the
   * environment variable `COLLABOPT_FASHION_MNIST_DIR` when set (an install elsewhere, e.g. on a
   * machine without apt), else the Debian package's directory.
   */
  get dir(): string {
    return process.env.COLLABOPT_FASHION_MNIST_DIR || DEBIAN_DIR;
  },
  /** The Debian package that installs the files. */
  debianPackage: 'dataset-fashion-mnist',
  /** The error message when `dir` lacks files: what is missing, and the ways to get it. */
  notInstalled(missing: readonly string[]): string {
    return (
      `Fashion-MNIST is not installed: ${this.dir} lacks ${missing.join(', ')}; install the Debian package dataset-fashion-mnist ` +
      `(apt-get install dataset-fashion-mnist), or point "dir" in the recipe (or the environment variable COLLABOPT_FASHION_MNIST_DIR) ` +
      'at a directory with the four IDX files'
    );
  },
});
