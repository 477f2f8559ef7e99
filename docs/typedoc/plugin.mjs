// @ts-check
/**
 * collabopt's TypeDoc plugin (loaded by typedoc.json's "plugin" option). It does four small
 * things TypeDoc's options cannot:
 *
 * 1. Names each entry module after its package: `core/src/node.ts` → `@collabopt/core`.
 * 2. Titles each Markdown document (projectDocuments) with its first `# heading`, so the guides
 *    need no YAML front matter (which GitHub would render as a table).
 * 3. Collapses constants (and functions' return types) tagged `@jsonSchema` — plugin option
 *    schemas: TypeDoc would expand their `as const` literal types member by member and then ask
 *    for a doc comment on every nested `type`/`properties` key. They are documented as values;
 *    docs/recipes-reference.md documents their fields.
 * 4. Requires a `@group` tag (the concept: Session, Hooks, Pruning, ...) on every top-level export
 *    of the packages listed in `packagesRequiringDocumentation` and warns about any without one —
 *    an error under `treatWarningsAsErrors`, so a new export cannot land ungrouped.
 */
import { Application, Converter, ReflectionKind, ReflectionType, UnknownType } from 'typedoc';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

const JSON_SCHEMA_TAG = '@jsonSchema';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.on(Application.EVENT_BOOTSTRAP_END, () => {
    const tags = app.options.getValue('modifierTags');
    if (!tags.includes(JSON_SCHEMA_TAG)) app.options.setValue('modifierTags', [...tags, JSON_SCHEMA_TAG]);
  });

  app.converter.on(Converter.EVENT_CREATE_DOCUMENT, (_context, doc) => {
    if (doc.frontmatter['title'] !== undefined) return;
    const text = doc.content.map((part) => part.text).join('');
    const heading = /^#\s+(.+)$/m.exec(text);
    if (heading) doc.name = heading[1].replace(/`/g, '').trim();
  });

  app.converter.on(
    Converter.EVENT_RESOLVE_BEGIN,
    (context) => {
      const project = context.project;
      const required = app.options.getValue('packagesRequiringDocumentation');
      for (const module of project.children ?? []) {
        if (!module.kindOf(ReflectionKind.Module)) continue;
        const packageName = packageOf(module.name);
        if (packageName) module.name = packageName;
        if (!required.includes(module.name)) continue;
        for (const child of module.children ?? []) {
          if (child.kindOf(ReflectionKind.Reference)) continue;
          if (!hasGroup(child)) {
            app.logger.warn(`${module.name}: export '${child.name}' has no @group tag; add one naming its concept (see docs/README.md)`);
          }
        }
      }
      // Constants (`@jsonSchema` on the variable) and functions returning a schema (on the signature).
      const holders = [
        ...project.getReflectionsByKind(ReflectionKind.Variable),
        ...project.getReflectionsByKind(ReflectionKind.CallSignature),
      ];
      for (const holder of holders) {
        const comment = holder.comment;
        if (!comment?.hasModifier(JSON_SCHEMA_TAG)) continue;
        comment.removeModifier(JSON_SCHEMA_TAG);
        if ('type' in holder && holder.type) {
          for (const declaration of literalDeclarations(holder.type)) project.removeReflection(declaration);
          holder.type = new UnknownType('JSON Schema');
        }
      }
    },
    100,
  );
}

/**
 * The package name of an entry module named after its path (`core/src/node` → the `name` of
 * `core/package.json`), or null.
 * @param {string} moduleName
 */
function packageOf(moduleName) {
  const dir = moduleName.split('/')[0];
  try {
    return JSON.parse(readFileSync(join(REPO_ROOT, dir, 'package.json'), 'utf8')).name ?? null;
  } catch {
    return null;
  }
}

/**
 * Whether a declaration (or one of its signatures) carries a `@group` tag, as TypeDoc's
 * GroupPlugin reads them.
 * @param {import('typedoc').Reflection} reflection
 */
function hasGroup(reflection) {
  /** @param {import('typedoc').Comment | undefined} comment */
  const tagged = (comment) => comment?.blockTags.some((t) => t.tag === '@group') ?? false;
  if (!reflection.isDeclaration()) return false;
  if (tagged(reflection.comment)) return true;
  if (reflection.getNonIndexSignatures().some((s) => tagged(s.comment))) return true;
  if (reflection.type instanceof ReflectionType) {
    const declaration = reflection.type.declaration;
    return tagged(declaration.comment) || declaration.getNonIndexSignatures().some((s) => tagged(s.comment));
  }
  return false;
}

/**
 * The object-literal declarations inside a type (`{...}`, `Readonly<{...}>`, unions of them), whose
 * reflections must go when the type is collapsed.
 * @param {import('typedoc').SomeType} type
 * @returns {import('typedoc').DeclarationReflection[]}
 */
function literalDeclarations(type) {
  if (type instanceof ReflectionType) return [type.declaration];
  /** @type {any} */
  const t = type;
  const inner = [...(t.typeArguments ?? []), ...(t.types ?? []), ...(t.elementType ? [t.elementType] : [])];
  return inner.flatMap(literalDeclarations);
}
