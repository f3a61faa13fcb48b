/**
 * What an example value in the checked-in environment data looks like (D145): one declaration, read by the
 * synthesized roots (a Terraform `check` block per placeholder, a plan warning), by the first-deploy section
 * of each runbook (the list to replace) and by the tests. The data stays example data so CI can plan it;
 * an operator replaces each listed value before the first apply.
 *
 * Each shape is an RE2-compatible pattern (no backreferences), so Terraform's `regexall` reads the same
 * pattern the synthesis matched.
 */

export interface PlaceholderShape {
  /** What the value is, for the warning: "AWS account id". */
  readonly what: string;
  /** RE2 and JavaScript pattern; a string containing a match is a placeholder. */
  readonly pattern: string;
}

/** The first shape a value matches names it (a certificate ARN also holds an example account id). */
export const PLACEHOLDER_SHAPES: readonly PlaceholderShape[] = [
  // ACM certificate ids of the examples: arn:aws:acm:<region>:<account>:certificate/00000000-0000-0000-0000-0000000000NN.
  { what: "ACM certificate (all-zero id)", pattern: "certificate/00000000-0000-0000-0000-[0-9a-f]{12}" },
  // GitHub repositories the guides do not name: the owner is example-org.
  { what: "GitHub repository of the example-org owner", pattern: "^example-org/" },
  // 12 times one digit: 111111111111 … 999999999999, alone or inside an ARN or a bucket name.
  {
    what: "AWS account id (12 times one digit)",
    pattern: `\\b(?:${[..."0123456789"].map((d) => `${d}{12}`).join("|")})\\b`,
  },
];

export interface Placeholder {
  /** Field path in the environment config: `compute.certificateArn`, `security.deploy.githubRepository`. */
  readonly path: string;
  readonly value: string;
  readonly what: string;
}

/** The shape a string matches, or undefined. */
export function placeholderShape(value: string): PlaceholderShape | undefined {
  return PLACEHOLDER_SHAPES.find((s) => new RegExp(s.pattern).test(value));
}

/** Every string of a config (any depth, arrays by index) that matches a placeholder shape, with its field path. */
export function placeholdersOf(config: unknown, prefix = ""): Placeholder[] {
  if (typeof config === "string") {
    const shape = placeholderShape(config);
    return shape ? [{ path: prefix, value: config, what: shape.what }] : [];
  }
  if (Array.isArray(config)) return config.flatMap((v, i) => placeholdersOf(v, `${prefix}[${i}]`));
  if (config && typeof config === "object") {
    return Object.entries(config).flatMap(([k, v]) => placeholdersOf(v, prefix ? `${prefix}.${k}` : k));
  }
  return [];
}

/** The runbook lines listing a workspace's placeholders (none: no lines). */
export function placeholderRunbookLines(placeholders: readonly Placeholder[], sourceFile: string): string[] {
  if (placeholders.length === 0) return [];
  return [
    "",
    `Before the first apply, replace the example values of \`${sourceFile}\` (each is also a \`Check block assertion failed\``,
    "warning of every plan until it is replaced; the providers refuse credentials of any account but `accountId`):",
    ...placeholders.map((p) => `- \`${p.path}\` = \`${p.value}\` (${p.what})`),
  ];
}

/** The check block of one placeholder: `placeholder_<path>`, lowercase, non-alphanumerics as `_`. */
export function placeholderCheckName(p: Placeholder): string {
  return `placeholder_${p.path.replace(/[^A-Za-z0-9]+/g, "_").replace(/_+$/, "")}`;
}

/** The plan warning of one placeholder. */
export function placeholderWarning(p: Placeholder, label: string, sourceFile: string): string {
  return `${label}.${p.path} = "${p.value}" is an example value (${p.what}): replace it in ${sourceFile} and run npm run synth before the first apply.`;
}

/**
 * A Terraform `check` block per placeholder (a warning on every plan, never an error): the value sits in
 * `local.placeholders` and the assertion is the shape's pattern, so the warning names the value and stops
 * once the value no longer has the shape.
 */
export function addPlaceholderChecks(
  stack: { addOverride(path: string, value: unknown): void },
  placeholders: readonly Placeholder[],
  label: string,
  sourceFile: string,
): void {
  if (placeholders.length === 0) return;
  stack.addOverride("locals.placeholders", Object.fromEntries(placeholders.map((p) => [p.path, p.value])));
  for (const p of placeholders) {
    const shape = placeholderShape(p.value) as PlaceholderShape;
    stack.addOverride(`check.${placeholderCheckName(p)}`, {
      assert: [
        {
          condition: `\${length(regexall(${JSON.stringify(shape.pattern)}, local.placeholders[${JSON.stringify(p.path)}])) == 0}`,
          error_message: placeholderWarning(p, label, sourceFile),
        },
      ],
    });
  }
}
