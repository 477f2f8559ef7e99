// Preload (`node -r`) for the runner tests: makes `require('tfjs-tflite-node')` fail as it does
// where the package is not installed, without touching node_modules.
const Module = require('node:module');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (request === 'tfjs-tflite-node') {
    const error = new Error(`Cannot find module '${request}'`);
    error.code = 'MODULE_NOT_FOUND';
    throw error;
  }
  return resolve.call(this, request, ...rest);
};
