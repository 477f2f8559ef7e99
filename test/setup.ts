// Mocha root setup (loaded before every test file through .mocharc.json).
// Tests run against the packages' TypeScript sources: mocha passes `--conditions=source` to node,
// so `@collabopt/*` resolve to `src/` and each module exists once, whether a test imports it by
// package name or by path.
import * as tf from '@tensorflow/tfjs';

// The cpu backend prints an "install tfjs-node" banner on its first write; the backend choice is
// collabopt's (core/src/backend), so swallow that one message. (tfjs's IS_TEST flag would also
// silence it, but it turns on a per-kernel leak check that misfires on the wasm backend.)
const warn = console.warn;
console.warn = () => {};
try {
  tf.tensor(0).dispose();
} finally {
  console.warn = warn;
}
