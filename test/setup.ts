// Mocha root setup (loaded before every test file through .mocharc.json).
// Tests run against the packages' TypeScript sources: mocha passes `--conditions=source` to node,
// so `@collabopt/*` resolve to `src/` and each module exists once, whether a test imports it by
// package name or by path.
import * as tf from '@tensorflow/tfjs';

// Silence tfjs's "install tfjs-node" banner: the backend choice is ours (see core/src/backend).
tf.env().set('IS_TEST', true);
