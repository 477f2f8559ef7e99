// selectBackend: tfjs-node when installed, else wasm with training kernels, else cpu; forced by an
// option or COLLABOPT_BACKEND; always says what it picked.
import { expect } from 'chai';
import * as tf from '@tensorflow/tfjs';
import { selectBackend, BACKEND_ENV_VAR, type BackendSelection } from '../../../core/src/backend/selectBackend';
import { getBackendLoader, setBackendLoader, type BackendLoader } from '../../../core/src/backend/backendLoaders';
import { installNodeBackendLoaders, tfjsNodeBackendLoader, wasmBackendLoader, type RequireLike } from '../../../core/src/backend/node';
import { isTrainingKernelConfig } from '../../../core/src/backend/TrainingKernelConfig';
import { BackendError } from '../../../core/src/backend/BackendError';
import { getNativeKernelProvider } from '../../../core/src/backend/nativeKernelProvider';
import { restoreBackendAfterSuite } from './backendTestUtils';

/** A `require` that knows only the given modules. */
function fakeRequire(modules: Record<string, () => unknown>): RequireLike & { loaded: string[] } {
  const loaded: string[] = [];
  const req = ((id: string) => {
    const factory = modules[id];
    if (factory == null) throw new Error(`Cannot find module '${id}'`);
    loaded.push(id);
    return factory();
  }) as RequireLike & { loaded: string[] };
  req.resolve = (id: string) => {
    if (modules[id] == null) throw new Error(`Cannot find module '${id}'`);
    return `/fake/node_modules/${id}/index.js`;
  };
  req.loaded = loaded;
  return req;
}

describe('selectBackend', () => {
  restoreBackendAfterSuite();
  const selections: BackendSelection[] = [];
  const quiet = { log: false as const, env: {} };
  after(() => selections.forEach((s) => s.releaseTrainingKernels()));
  const keep = (s: BackendSelection) => (selections.push(s), s);

  it('picks wasm with its training kernels when tfjs-node is not installed, and reports why', async () => {
    const lines: string[] = [];
    const selection = keep(await selectBackend({ env: {}, log: (l) => lines.push(l) }));
    expect(selection.backend).to.equal('wasm');
    expect(tf.getBackend()).to.equal('wasm');
    expect(selection.forcedBy).to.equal(null);
    expect(selection.attempts.map((a) => [a.backend, a.ok])).to.deep.equal([['tensorflow', false], ['wasm', true]]);
    expect(selection.attempts[0]!.detail).to.equal('@tensorflow/tfjs-node is not installed');
    expect(selection.attempts[1]!.detail).to.match(/^SIMD (on|off), threads (on|off)$/);
    const native = getNativeKernelProvider();
    const nativeNames = native?.available === true ? [...native.kernels.keys()] : [];
    expect(selection.trainingKernels.map((k) => k.kernelName)).to.have.members([...new Set([
      tf.Conv2DBackpropFilter, tf.DepthwiseConv2dNativeBackpropFilter, tf.DepthwiseConv2dNativeBackpropInput, tf.Conv2DBackpropInput,
      tf.BatchMatMul, ...nativeNames,
    ])]);
    expect(selection.trainingKernels.filter((k) => k.native).map((k) => k.kernelName)).to.have.members(nativeNames);
    const nativeGradients = native?.available === true ? [...(native.gradients?.keys() ?? [])] : [];
    expect(selection.trainingGradients).to.deep.equal([tf.FusedBatchNorm, tf.Conv2D, tf.DepthwiseConv2dNative, ...nativeGradients]);
    for (const k of selection.trainingKernels) expect(isTrainingKernelConfig(tf.getKernel(k.kernelName, 'wasm')), k.kernelName).to.equal(true);
    expect(lines).to.deep.equal([selection.summary]);
    expect(selection.summary).to.match(native?.available === true
      ? /^collabopt: training backend wasm \+ native kernels \(\d+ threads?, (avx2|scalar)\) \(SIMD \w+, threads \w+\), auto; optimizer updates fused \(rmsprop, adam, momentum; COLLABOPT_FUSED_OPTIMIZERS=0 keeps tfjs's\); training kernels: .*Conv2DBackpropFilter \(added, native\).*Identity \(replaced, native\).*; gradients: FusedBatchNorm \(replaced\), Conv2D \(replaced\), DepthwiseConv2dNative \(replaced\), Relu \(replaced\), Relu6 \(replaced\), ClipByValue \(replaced\) — tensorflow skipped: @tensorflow\/tfjs-node is not installed$/
      : /^collabopt: training backend wasm \+ training kernels \(SIMD \w+, threads \w+\), auto; native kernels unavailable: .+; training kernels: .*Conv2DBackpropFilter \(added\).*; gradients: FusedBatchNorm \(replaced\), Conv2D \(replaced\), DepthwiseConv2dNative \(replaced\) — tensorflow skipped: @tensorflow\/tfjs-node is not installed$/);
    expect(selection.nativeKernels?.used).to.equal(native?.available === true);
  });

  it(`is forced by ${BACKEND_ENV_VAR}, and the option wins over the variable`, async () => {
    const byEnv = keep(await selectBackend({ log: false, env: { [BACKEND_ENV_VAR]: ' CPU ' } }));
    expect([byEnv.backend, byEnv.forcedBy, tf.getBackend()]).to.deep.equal(['cpu', 'env', 'cpu']);
    expect(byEnv.attempts.map((a) => a.backend)).to.deep.equal(['cpu']);
    expect(byEnv.trainingKernels.map((k) => `${k.backendName}/${k.kernelName}/${k.mode}`)).to.deep.equal([`cpu/${tf.Conv2DBackpropFilter}/replaced`]);
    expect(byEnv.summary).to.contain(`forced by ${BACKEND_ENV_VAR}=' CPU '`);

    const byOption = keep(await selectBackend({ log: false, backend: 'wasm', env: { [BACKEND_ENV_VAR]: 'cpu' } }));
    expect([byOption.backend, byOption.forcedBy, tf.getBackend()]).to.deep.equal(['wasm', 'option', 'wasm']);
    expect(byOption.summary).to.contain("forced by option backend 'wasm'");

    const autoByEnv = keep(await selectBackend({ log: false, env: { [BACKEND_ENV_VAR]: 'auto' } }));
    expect([autoByEnv.backend, autoByEnv.forcedBy]).to.deep.equal(['wasm', null]);
  });

  it('reads process.env when no env is given', async () => {
    const saved = process.env[BACKEND_ENV_VAR];
    process.env[BACKEND_ENV_VAR] = 'cpu';
    try {
      const selection = keep(await selectBackend({ log: false }));
      expect([selection.backend, selection.forcedBy]).to.deep.equal(['cpu', 'env']);
    } finally {
      if (saved == null) delete process.env[BACKEND_ENV_VAR];
      else process.env[BACKEND_ENV_VAR] = saved;
    }
  });

  it('skips the training kernels when asked to', async () => {
    const selection = keep(await selectBackend({ ...quiet, backend: 'cpu', trainingKernels: false }));
    expect(selection.trainingKernels).to.deep.equal([]);
    expect(selection.summary).to.not.contain('training kernels');
  });

  it('rejects an unknown choice, naming where it came from and what is allowed', async () => {
    let error: unknown;
    try {
      await selectBackend({ log: false, env: { [BACKEND_ENV_VAR]: 'gpu' } });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(BackendError);
    expect((error as Error).message).to.equal(
      `selectBackend: ${BACKEND_ENV_VAR}='gpu' is not a backend collabopt can select; use one of 'auto', 'tensorflow' (or 'tfjs-node'), 'wasm', 'cpu'.`,
    );
    error = undefined;
    try {
      await selectBackend({ log: false, backend: 'webgl' as 'cpu' });
    } catch (e) {
      error = e;
    }
    expect((error as Error).message).to.match(/^selectBackend: option backend 'webgl' is not a backend/);
  });

  it('fails loudly, without switching backends, when a forced tfjs-node is not installed', async () => {
    await tf.setBackend('cpu');
    let error: unknown;
    try {
      await selectBackend({ log: false, backend: 'tfjs-node', env: {} });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(BackendError);
    expect((error as Error).message).to.match(
      /^selectBackend: option backend 'tfjs-node' forces the tensorflow backend, but it cannot be used \(tensorflow: @tensorflow\/tfjs-node is not installed\)\. Install @tensorflow\/tfjs-node/,
    );
    expect(tf.getBackend()).to.equal('cpu');
  });

  describe('with tfjs-node installed (simulated)', () => {
    let previousLoader: BackendLoader | undefined;
    // tfjs prints the failed initialisation (the point of this suite); keep the test log clean.
    const warn = console.warn;
    before(() => {
      console.warn = () => {};
      previousLoader = getBackendLoader('tensorflow');
    });
    after(async () => {
      console.warn = warn;
      setBackendLoader('tensorflow', previousLoader);
      if (tf.findBackendFactory('tensorflow') != null) {
        if (tf.getBackend() === 'tensorflow') await tf.setBackend('cpu');
        tf.removeBackend('tensorflow');
      }
    });

    it('uses it by default and registers no training kernels', async () => {
      // What requiring @tensorflow/tfjs-node does: register a 'tensorflow' backend.
      const req = fakeRequire({
        '@tensorflow/tfjs-node': () => tf.registerBackend('tensorflow', () => new tf.MathBackendCPU(), 0),
      });
      setBackendLoader('tensorflow', tfjsNodeBackendLoader(req));
      const selection = keep(await selectBackend(quiet));
      expect(req.loaded).to.deep.equal(['@tensorflow/tfjs-node']);
      expect([selection.backend, tf.getBackend(), selection.forcedBy]).to.deep.equal(['tensorflow', 'tensorflow', null]);
      expect(selection.trainingKernels).to.deep.equal([]);
      expect(selection.summary).to.equal('collabopt: training backend tensorflow (tfjs-node), auto');
      // A forced wasm still wins over an installed tfjs-node.
      const forced = keep(await selectBackend({ ...quiet, backend: 'wasm' }));
      expect(forced.backend).to.equal('wasm');
    });
  });

  describe('with a tfjs-node that fails to initialise (simulated)', () => {
    let previousLoader: BackendLoader | undefined;
    // tfjs prints the failed initialisation (the point of this suite); keep the test log clean.
    const warn = console.warn;
    before(() => {
      console.warn = () => {};
      previousLoader = getBackendLoader('tensorflow');
      setBackendLoader('tensorflow', () => {
        tf.registerBackend('tensorflow', async () => {
          throw new Error('libtensorflow: illegal instruction');
        });
        return { available: true };
      });
    });
    after(async () => {
      console.warn = warn;
      setBackendLoader('tensorflow', previousLoader);
      if (tf.findBackendFactory('tensorflow') != null) tf.removeBackend('tensorflow');
      await tf.setBackend('cpu');
    });

    it('falls back to wasm in auto mode, recording why', async () => {
      const selection = keep(await selectBackend(quiet));
      expect(selection.backend).to.equal('wasm');
      expect(selection.attempts[0]).to.deep.equal({ backend: 'tensorflow', ok: false, detail: 'initialisation failed (tfjs printed the cause above)' });
    });

    it('throws when forced, and leaves the previous backend active', async () => {
      await tf.setBackend('cpu');
      let error: unknown;
      try {
        await selectBackend({ ...quiet, backend: 'tensorflow' });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(BackendError);
      expect((error as Error).message).to.match(/forces the tensorflow backend, but it cannot be used \(tensorflow: initialisation failed.*\)\. Fix the cause above, or choose another backend/);
      expect(tf.getBackend()).to.equal('cpu');
      expect(tf.tidy(() => tf.add(1, 2).dataSync()[0])).to.equal(3);
    });
  });

  describe('Node loaders', () => {
    it('report tfjs-node as not installed here, and load the wasm package', async () => {
      expect(await tfjsNodeBackendLoader()({})).to.deep.equal({ available: false, reason: '@tensorflow/tfjs-node is not installed' });
      const wasm = await wasmBackendLoader()({});
      expect(wasm.available).to.equal(true);
      expect(tf.findBackendFactory('wasm')).to.not.equal(null);
    });

    it('report a package that is installed but fails to load, with its error', async () => {
      const req = fakeRequire({ '@tensorflow/tfjs-node': () => { throw new Error('libtensorflow.so: cannot open shared object file\n  at ...'); } });
      expect(await tfjsNodeBackendLoader(req)({})).to.deep.equal({
        available: false,
        reason: '@tensorflow/tfjs-node is installed (/fake/node_modules/@tensorflow/tfjs-node/index.js) but failed to load: libtensorflow.so: cannot open shared object file',
      });
    });

    it('hand wasmPaths to setWasmPaths', async () => {
      const paths: string[] = [];
      const req = fakeRequire({ '@tensorflow/tfjs-backend-wasm': () => ({ setWasmPaths: (p: string) => paths.push(p) }) });
      expect((await wasmBackendLoader(req)({ wasmPaths: '/opt/wasm/' })).available).to.equal(true);
      expect(paths).to.deep.equal(['/opt/wasm/']);
    });

    it('report a selection that found its backend package but no backend on this tfjs', async () => {
      const previous = getBackendLoader('tensorflow');
      try {
        // A tfjs-node that registers with another copy of tfjs-core: nothing appears here.
        setBackendLoader('tensorflow', tfjsNodeBackendLoader(fakeRequire({ '@tensorflow/tfjs-node': () => ({}) })));
        const selection = keep(await selectBackend(quiet));
        expect(selection.backend).to.equal('wasm');
        expect(selection.attempts[0]!.detail).to.match(/loaded, but no 'tensorflow' backend is registered with this copy of @tensorflow\/tfjs/);
      } finally {
        setBackendLoader('tensorflow', previous);
      }
    });

    it('are installed by importing the Node module', () => {
      setBackendLoader('tensorflow', undefined);
      setBackendLoader('wasm', undefined);
      installNodeBackendLoaders();
      expect(getBackendLoader('tensorflow')).to.be.a('function');
      expect(getBackendLoader('wasm')).to.be.a('function');
    });
  });
});
