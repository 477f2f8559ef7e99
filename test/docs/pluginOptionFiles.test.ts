/**
 * The files derived from the plugins' option schemas — the generated option types and the README
 * option tables — are what the schemas say now (`npm run docs:sync` rewrites them, `--check`
 * fails on a stale one), and the generators write what they promise.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { selectorSchema } from '@collabopt/core';
import { REPO_ROOT } from '../../docs/tools/codeBlocks';
import { regionIds, syncRegions } from '../../docs/tools/generatedRegions';
import { optionTable } from '../../docs/tools/optionTable';
import { optionTableFiles, optionTableRegions, pluginOptionFiles } from '../../docs/tools/pluginOptionFiles';
import { optionTypeSource } from '../../docs/tools/optionTypeSource';

const SYNC = 'run `npm run docs:sync`';

describe('files derived from the plugin option schemas', () => {
  for (const file of pluginOptionFiles()) {
    it(`${file.path} is up to date (else ${SYNC})`, () => {
      const committed = fs.readFileSync(path.join(REPO_ROOT, file.path), 'utf8');
      expect(committed === file.text, `${file.path} is stale; ${SYNC}`).to.equal(true);
    });
  }

  it('every option table is in a README card, once', () => {
    const ids = optionTableFiles().flatMap((f) => regionIds(fs.readFileSync(path.join(REPO_ROOT, f), 'utf8')));
    expect([...ids].sort()).to.deep.equal([...optionTableRegions().keys()].sort());
  });

  it('npm run docs:sync -- --check exits 0, and 1 naming the file when a table is stale', function () {
    this.timeout(120_000);
    const run = () =>
      spawnSync(process.execPath, ['--conditions=source', '-r', 'ts-node/register', path.join(REPO_ROOT, 'docs', 'tools', 'syncCodeBlocks.ts'), '--check'], {
        cwd: REPO_ROOT,
        encoding: 'utf8',
      });
    const ok = run();
    expect(ok.status, ok.stdout + ok.stderr).to.equal(0);
    const readme = path.join(REPO_ROOT, 'plugins', 'src', 'quantization', 'README.md');
    const committed = fs.readFileSync(readme, 'utf8');
    try {
      fs.writeFileSync(readme, committed.replace('| `weightBits` | integer in [2, 8] | `8` |', '| `weightBits` | integer in [2, 8] | `4` |'));
      const stale = run();
      expect(stale.status).to.equal(1);
      expect(stale.stdout).to.include('stale: plugins/src/quantization/README.md');
    } finally {
      fs.writeFileSync(readme, committed);
    }
  });

  it('rewrites a generated region and refuses unknown or unterminated ones', () => {
    const regions = new Map([['t', '| a |']]);
    expect(syncRegions('x.md', 'intro\n<!-- generated: t -->\n| old |\n| rows |\n<!-- /generated -->\nend', regions)).to.equal('intro\n<!-- generated: t -->\n| a |\n<!-- /generated -->\nend');
    expect(() => syncRegions('x.md', 'a\n<!-- generated: u -->\n<!-- /generated -->', regions)).to.throw(/x\.md:2: no generator for region 'u' \(known: t\)/);
    expect(() => syncRegions('x.md', '<!-- generated: t -->\n| old |', regions)).to.throw(/x\.md:1: region 't' has no <!-- \/generated --> line/);
  });

  it('renders an option table with defaults, nested fields and rule fields', () => {
    const table = optionTable({
      type: 'object',
      properties: {
        bits: { type: 'integer', minimum: 2, default: 8, description: 'Bit width.' },
        shape: { type: 'object', properties: { h: { type: 'integer', description: 'Height.' } }, required: ['h'], description: 'A | shape.' },
        layers: { type: 'array', items: { type: 'object', properties: { select: { type: 'array', description: 'Which.' }, bits: { type: 'integer' } }, required: ['select'] }, description: 'Rules.' },
      },
    });
    expect(table.split('\n')).to.deep.equal([
      '| option | type | default | description |',
      '|---|---|---|---|',
      '| `bits` | integer ≥ 2 | `8` | Bit width. |',
      '| `shape` | object | — | A \\| shape. |',
      '| `shape.h` (required) | integer | — | Height. |',
      '| `layers` | array of object | — | Rules. |',
      '| `layers[].select` (required) | array of any | — | Which. |',
    ]);
  });

  it('generates interfaces whose TSDoc carries the description and default, with named fragments and filled defaults', () => {
    const properties = {
      bits: { type: 'integer', default: 8, description: 'Bit width.' },
      mode: { enum: ['a', 'b'], description: 'Mode.' },
      size: { type: 'array', items: { type: 'integer' }, minItems: 2, maxItems: 2, description: 'Size.' },
      include: { type: 'array', items: selectorSchema, description: 'Targets.' },
    };
    const text = optionTypeSource({
      path: 'x.ts',
      source: 'xOptionsSchema.ts',
      imports: ["import type { Selector } from '@collabopt/core';"],
      named: new Map([[selectorSchema, 'Selector']]),
      declarations: [
        { kind: 'interface', name: 'XOptions', doc: 'Options of x.\n@group X', properties, required: ['mode'] },
        { kind: 'interface', name: 'XResolved', doc: 'Resolved.', properties: { bits: properties.bits }, defaultsFilled: true },
      ],
    });
    expect(text).to.equal(
      [
        '// Generated from xOptionsSchema.ts by `npm run docs:sync`; do not edit: change the schema and run it again.',
        "import type { Selector } from '@collabopt/core';",
        '',
        '/**',
        ' * Options of x.',
        ' * @group X',
        ' */',
        'export interface XOptions {',
        '  /**',
        '   * Bit width.',
        '   * @defaultValue `8`',
        '   */',
        '  readonly bits?: number;',
        '  /** Mode. */',
        "  readonly mode: 'a' | 'b';",
        '  /** Size. */',
        '  readonly size?: readonly [number, number];',
        '  /** Targets. */',
        '  readonly include?: readonly Selector[];',
        '}',
        '',
        '/** Resolved. */',
        'export interface XResolved {',
        '  /**',
        '   * Bit width.',
        '   * @defaultValue `8`',
        '   */',
        '  readonly bits: number;',
        '}',
        '',
      ].join('\n'),
    );
  });
});
