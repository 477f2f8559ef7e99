import { expect } from 'chai';
import { CollabError } from '@collabopt/core';
import { getFileExporter, registerFileExporter, tfjsFileExporter, tfliteFileExporter } from '@collabopt/plugins';

describe('fileExporters: export formats by name', () => {
  it('finds the built-in formats, each with its variant and target keys and default names', () => {
    expect(getFileExporter('tflite')).to.equal(tfliteFileExporter);
    expect(getFileExporter('tfjs')).to.equal(tfjsFileExporter);
    expect(tfliteFileExporter.defaultTarget('int8')).to.equal('model-int8.tflite');
    expect(tfjsFileExporter.defaultTarget('uint8')).to.equal('tfjs-uint8');
    expect([tfliteFileExporter.variantKey, tfliteFileExporter.targetKey]).to.deep.equal(['mode', 'file']);
    expect([tfjsFileExporter.variantKey, tfjsFileExporter.targetKey]).to.deep.equal(['quantization', 'dir']);
  });

  it('says which variants need calibrated ranges and an emulating stage', () => {
    expect(tfliteFileExporter.variants.filter((m) => tfliteFileExporter.needsCalibration(m))).to.deep.equal(['int8']);
    expect(tfliteFileExporter.needsEmulation('float16')).to.equal(null);
    expect(tfliteFileExporter.needsEmulation('int8')).to.match(/int8 needs int8 weights/);
    expect(tfjsFileExporter.variants.some((q) => tfjsFileExporter.needsCalibration(q) || tfjsFileExporter.needsEmulation(q) !== null)).to.equal(false);
  });

  it('rejects an unknown format listing the known ones, and a second exporter for a taken format', () => {
    expect(() => getFileExporter('coreml')).to.throw(CollabError, /unknown export format 'coreml'; known formats: onnx, tfjs, tflite/);
    expect(() => registerFileExporter({ ...tfliteFileExporter })).to.throw(CollabError, /already registered/);
    expect(registerFileExporter(tfliteFileExporter)).to.equal(tfliteFileExporter);
  });
});
