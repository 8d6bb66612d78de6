// The rule the API reference keeps (run by scripts/docs.mjs on TypeDoc's JSON output): every
// symbol a public entry point exports carries an `@example`. TypeDoc itself only checks that a
// comment exists.

// TypeDoc's ReflectionKind values of the symbols an entry point exports.
const MODULE = 2;
const EXPORTED_KINDS = new Map([
  [8, 'enum'],
  [32, 'constant'],
  [64, 'function'],
  [128, 'class'],
  [256, 'interface'],
  [2097152, 'type'],
]);

function hasExample(reflection) {
  const comment = reflection.comment ?? reflection.signatures?.[0]?.comment;
  return comment?.blockTags?.some((tag) => tag.tag === '@example') === true;
}

/** `module: Name (kind, file)` for each exported symbol of the JSON project with no `@example`. */
export function missingExamples(project) {
  const missing = [];
  const visit = (reflection, module) => {
    if (reflection.kind === MODULE) module = reflection.name;
    const kind = EXPORTED_KINDS.get(reflection.kind);
    if (kind !== undefined && module !== undefined && !hasExample(reflection)) {
      missing.push(`${module}: ${reflection.name} (${kind}, ${reflection.sources?.[0]?.fileName ?? '?'})`);
    }
    // Members of a class or interface are documented by their own comments, not examples.
    if (kind === undefined || kind === 'function') for (const child of reflection.children ?? []) visit(child, module);
  };
  visit(project, undefined);
  return missing;
}
