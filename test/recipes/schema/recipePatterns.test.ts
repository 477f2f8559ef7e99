import { expect } from 'chai';
import { exportFilePattern, recipePatterns } from '../../../recipes/src/schema/recipePatterns';

const accepts = (pattern: string, values: string[]) => values.filter((v) => new RegExp(pattern).test(v));

describe('recipePatterns', () => {
  it('safeName: letters, digits, ".", "_" and "-", starting with a letter or digit (it names directories)', () => {
    const good = ['prune-pqat', 'qat', 'v1.2_final', '0abc'];
    const bad = ['', '-x', '.hidden', 'a/b', 'a\\b', 'a b', '..', 'é'];
    expect(accepts(recipePatterns.safeName.pattern, [...good, ...bad])).to.deep.equal(good);
  });

  it('schemaReference: any path or URL ending in recipe.schema.json', () => {
    const good = ['../schema/recipe.schema.json', 'recipe.schema.json', 'https://x.org/recipe.schema.json', 'C:\\s\\recipe.schema.json'];
    const bad = ['schema.json', 'myrecipe.schema.json', 'recipe.schema.json.bak', 'recipe_schema_json'];
    expect(accepts(recipePatterns.schemaReference.pattern, [...good, ...bad])).to.deep.equal(good);
  });

  it('exportDir: one directory name, not "." or ".." and without separators', () => {
    const good = ['exports', 'a.b', '...'];
    const bad = ['.', '..', 'a/b', 'a\\b', ''];
    expect(accepts(recipePatterns.exportDir.pattern, [...good, ...bad])).to.deep.equal(good);
  });

  it('exportFilePattern: a file name (not just the extension) ending in the extension (escaped), without directories', () => {
    const p = exportFilePattern('.tflite');
    expect(p.phrase).to.equal('a file name ending in ".tflite", without directories');
    const good = ['model.tflite', 'a.b.tflite'];
    const bad = ['.tflite', 'model.tflitex', 'modelxtflite', 'dir/model.tflite', 'model.onnx', '..'];
    expect(accepts(p.pattern, [...good, ...bad])).to.deep.equal(good);
    expect(new RegExp(exportFilePattern('.a+b').pattern).test('x.a+b')).to.equal(true);
    expect(new RegExp(exportFilePattern('.a+b').pattern).test('x.aab')).to.equal(false);
  });

  it('every phrase is frozen with its pattern, so messages and schema cannot drift apart', () => {
    expect(Object.isFrozen(recipePatterns)).to.equal(true);
    for (const p of Object.values(recipePatterns)) expect(Object.isFrozen(p)).to.equal(true);
  });
});
