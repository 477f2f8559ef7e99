/**
 * The documentation's code cannot rot: every TypeScript/JavaScript block of README.md and docs/
 * is either an example file (or a region of one) verbatim, or a marked fragment that parses; every
 * example file is run by examples.test.ts; relative links and anchors resolve. The convention is in
 * docs/README.md ("Writing documentation") and docs/tools/codeBlocks.ts.
 */
import { expect } from 'chai';
import * as fs from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { CHECKED_LANGUAGES, includedCode, markdownFiles, parseCodeBlocks, REPO_ROOT, type CodeBlock } from '../../docs/tools/codeBlocks';

const rel = (file: string) => path.relative(REPO_ROOT, file);
const where = (b: CodeBlock) => `${rel(b.file)}:${b.line}`;

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchors(markdown: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    const h = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (h) out.add(h[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return out;
}

/** Syntax errors of a TypeScript fragment (no type checking: fragments lack their context). */
function syntaxErrors(code: string): string[] {
  const file = ts.createSourceFile('fragment.ts', code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics;
  return diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

describe('documentation code blocks and links', () => {
  const files = markdownFiles();
  const blocks = files.flatMap((f) => parseCodeBlocks(f));

  it('finds the guides', () => {
    for (const name of ['README.md', 'docs/README.md', 'docs/guides/existing-code.md', 'docs/guides/authoring-plugins.md']) {
      expect(files.map(rel)).to.include(name);
    }
  });

  it('every ts/js block carries a marker: <!-- include: path#region --> or <!-- fragment -->', () => {
    const unmarked = blocks.filter((b) => CHECKED_LANGUAGES.has(b.lang) && b.marker === null).map(where);
    expect(unmarked, 'blocks without a marker on the line above the fence').to.deep.equal([]);
  });

  it('every included block is its source verbatim (npm run docs:sync rewrites them)', () => {
    const stale: string[] = [];
    for (const b of blocks) {
      if (b.marker?.kind !== 'include') continue;
      let expected: string;
      try {
        expected = includedCode(b.file, b.marker.source, b.marker.region);
      } catch (e) {
        stale.push(`${where(b)}: ${(e as Error).message}`);
        continue;
      }
      if (expected !== b.code) stale.push(`${where(b)}: differs from ${b.marker.source}${b.marker.region ? `#${b.marker.region}` : ''}`);
    }
    expect(stale).to.deep.equal([]);
  });

  it('every fragment parses as TypeScript', () => {
    const broken = blocks
      .filter((b) => b.marker?.kind === 'fragment')
      .flatMap((b) => syntaxErrors(b.code).map((m) => `${where(b)}: ${m}`));
    expect(broken).to.deep.equal([]);
  });

  it('every example file is run by test/docs/examples.test.ts', () => {
    const runner = fs.readFileSync(path.join(__dirname, 'examples.test.ts'), 'utf8');
    const examples: string[] = [];
    const walk = (dir: string) => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts')) examples.push(full);
      }
    };
    walk(path.join(REPO_ROOT, 'docs', 'examples'));
    // Helpers imported by other examples are run through them; the rest must be imported here.
    const imported = (file: string) => runner.includes(`'../../${rel(file).replace(/\.ts$/, '')}'`);
    const importedByExample = (file: string) =>
      examples.some((other) => other !== file && fs.readFileSync(other, 'utf8').includes(`'./${path.basename(file, '.ts')}'`));
    expect(examples.filter((f) => !imported(f) && !importedByExample(f)).map(rel)).to.deep.equal([]);
  });

  it('relative links point at files that exist, and anchors at headings that exist', () => {
    const broken: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8').replace(/(`{3,}|~{3,})[\s\S]*?\1/g, '');
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const target = m[1];
        if (/^[a-z]+:/i.test(target)) continue;
        const [pathPart, anchor] = target.split('#');
        const resolved = pathPart === '' ? file : path.resolve(path.dirname(file), pathPart);
        if (!fs.existsSync(resolved)) {
          broken.push(`${rel(file)}: ${target} (no such file)`);
        } else if (anchor && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${rel(file)}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it("the annotated loop in training-loop.md is SessionHooks.ts's", () => {
    const source = fs.readFileSync(path.join(REPO_ROOT, 'core', 'src', 'hooks', 'SessionHooks.ts'), 'utf8');
    const comment = /```text\n([\s\S]*?)\n \* ```/.exec(source)![1].split('\n').map((l) => l.replace(/^ \* ?/, '')).join('\n');
    const guide = parseCodeBlocks(path.join(REPO_ROOT, 'docs', 'guides', 'training-loop.md'));
    expect(guide.find((b) => b.lang === 'text')?.code).to.equal(comment);
  });
});
