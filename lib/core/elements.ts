/** Helpers over a stack's Terraform elements: address listing, duplicate detection, JSON cleanup. */
import {
  TerraformBackend,
  TerraformDataSource,
  TerraformElement,
  TerraformLocal,
  TerraformModule,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformVariable,
} from "cdktf";
import type { Construct } from "constructs";

export function elementsOf(scope: Construct): TerraformElement[] {
  return scope.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c));
}

/** The Terraform block addresses an element produces: `resource.aws_vpc.this`, `variable.name`, … */
export function blockAddresses(element: TerraformElement): string[] {
  // Known element kinds answer without rendering (synthesis speed); others are rendered.
  const id = element.friendlyUniqueId;
  if (element instanceof TerraformResource) return [`resource.${element.terraformResourceType}.${id}`];
  if (element instanceof TerraformDataSource) return [`data.${element.terraformResourceType}.${id}`];
  if (element instanceof TerraformVariable) return [`variable.${id}`];
  if (element instanceof TerraformOutput) return [`output.${id}`];
  if (element instanceof TerraformLocal) return [`locals.${id}`];
  if (element instanceof TerraformModule) return [`module.${id}`];
  if (element instanceof TerraformProvider || element instanceof TerraformBackend) return [];
  return renderedAddresses(element);
}

function renderedAddresses(element: TerraformElement): string[] {
  const fragment = element.toTerraform() as Record<string, Record<string, unknown>>;
  const addresses: string[] = [];
  for (const [kind, body] of Object.entries(fragment)) {
    if (kind === "terraform" || kind === "provider" || kind === "//" || body === null || typeof body !== "object")
      continue;
    if (kind === "resource" || kind === "data") {
      for (const [type, byName] of Object.entries(body)) {
        for (const name of Object.keys(byName as object)) addresses.push(`${kind}.${type}.${name}`);
      }
    } else {
      for (const name of Object.keys(body)) addresses.push(`${kind}.${name}`);
    }
  }
  return addresses;
}

/**
 * cdktf silently deep-merges two elements that end up with the same Terraform address.
 * We refuse instead, naming both constructs.
 */
export function assertUniqueAddresses(elements: TerraformElement[], where: string): void {
  const owner = new Map<string, string>();
  for (const element of elements) {
    for (const address of blockAddresses(element)) {
      const previous = owner.get(address);
      if (previous !== undefined) {
        throw new Error(
          `Duplicate logical id in ${where}: "${address}" is produced by both "${previous}" and "${element.node.path}". ` +
            "Give one of them another construct id (or add a `moved` block if you are renaming).",
        );
      }
      owner.set(address, element.node.path);
    }
  }
}

/** Drops cdktf's `"//"` metadata keys from every block (keeping the JSON readable). */
export function stripComments(tf: Record<string, unknown>, keep: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [kind, body] of Object.entries(tf)) {
    if (kind === "//" || keep.includes(kind)) continue;
    out[kind] =
      kind === "resource" || kind === "data" ? mapValues(body, (byName) => mapValues(byName, dropMeta)) : body;
  }
  return out;
}

function mapValues(obj: unknown, fn: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj as Record<string, unknown>).map(([k, v]) => [k, fn(v)]));
}

function dropMeta(block: unknown): unknown {
  if (block === null || typeof block !== "object" || Array.isArray(block)) return block;
  return Object.fromEntries(Object.entries(block as Record<string, unknown>).filter(([k]) => k !== "//"));
}
