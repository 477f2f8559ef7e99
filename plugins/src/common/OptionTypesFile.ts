/**
 * How a technique's option types are generated from its option schemas: the declarations a
 * generated `<Name>Options.ts` holds. The generator is the docs tooling (`npm run docs:sync`,
 * docs/tools/optionTypeSource.ts); a technique states these beside its schemas, in its
 * {@link Technique}, so that the generated types follow it without a separate list.
 */

/**
 * A JSON Schema object as plain data.
 * @group Plugins
 */
export type OptionSchema = Readonly<Record<string, unknown>>;

/**
 * An interface generated from an object schema's `properties`.
 * @group Plugins
 */
export interface InterfaceDeclaration {
  /** Tags an interface declaration. */
  readonly kind: 'interface';
  /** The interface's name, e.g. `'PruneOptions'`. */
  readonly name: string;
  /** The TSDoc of the interface (its tags included), without comment markers. */
  readonly doc: string;
  /** An object schema, or just its properties. */
  readonly properties: Readonly<Record<string, OptionSchema>>;
  /** The properties that are not optional (the schema's `required`). */
  readonly required?: readonly string[];
  /** An interface this one extends: the properties it declares are left out here. */
  readonly extends?: {
    /** The extended interface's name. */
    readonly name: string;
    /** The properties it declares. */
    readonly properties: Readonly<Record<string, OptionSchema>>;
  };
  /**
   * Options with a `default` are not optional: the type of the options after validation, which
   * fills the defaults in.
   */
  readonly defaultsFilled?: boolean;
  /** Types a member accepts besides its schema's (code objects the schema cannot describe). */
  readonly alsoAccepts?: Readonly<Record<string, string>>;
}

/**
 * A type alias generated from any schema (a union of schedules).
 * @group Plugins
 */
export interface AliasDeclaration {
  /** Tags an alias declaration. */
  readonly kind: 'alias';
  /** The alias's name, e.g. `'PruneScheduleConfig'`. */
  readonly name: string;
  /** The TSDoc of the alias (its tags included), without comment markers. */
  readonly doc: string;
  /** The schema whose type it names (a `oneOf`/`anyOf` becomes a union). */
  readonly schema: OptionSchema;
}

/**
 * One generated file of option declarations.
 * @group Plugins
 */
export interface OptionTypesFile {
  /** Path relative to the repository root. */
  readonly path: string;
  /** The schema module it is generated from, for the header. */
  readonly source: string;
  /** Import lines the declarations need. */
  readonly imports: readonly string[];
  /**
   * Schema fragments written as a type name, by the identity of the fragment or of its
   * `anyOf`/`oneOf`/`enum` array (which survive spreading it into a documented property): core's
   * `Selector`, `StepSpec`, another declaration.
   */
  readonly named: ReadonlyMap<object, string>;
  /** The declarations, in the order the file holds them. */
  readonly declarations: readonly (InterfaceDeclaration | AliasDeclaration)[];
}
