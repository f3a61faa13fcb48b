/** Reads a synthesized workspace directory back: root, modules, tfvars, resource addresses. */
import * as fs from "fs";
import * as path from "path";

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface SynthesizedStack {
  readonly workspace: string;
  readonly dir: string;
  readonly root: Json;
  readonly modules: Record<string, Json>;
  readonly tfvars: string;
}

export function readStack(dir: string, workspace: string): SynthesizedStack {
  const root = JSON.parse(fs.readFileSync(path.join(dir, "cdk.tf.json"), "utf8"));
  const modules: Record<string, Json> = {};
  const modulesDir = path.join(dir, "modules");
  for (const name of fs.existsSync(modulesDir) ? fs.readdirSync(modulesDir) : []) {
    modules[name] = JSON.parse(fs.readFileSync(path.join(modulesDir, name, "main.tf.json"), "utf8"));
  }
  const tfvars = fs.readFileSync(path.join(dir, "environments", workspace, "terraform.tfvars"), "utf8");
  return { workspace, dir, root, modules, tfvars };
}

/** The root and every module it calls, as written, with the address prefix of their resources (`""`, `module.<m>.`). */
export function stackParts(stack: SynthesizedStack): { module: string; tf: Json; prefix: string }[] {
  const called = Object.keys(stack.root.module ?? {}).filter((m) => stack.modules[m]);
  return [
    { module: "", tf: stack.root, prefix: "" },
    ...called.map((m) => ({ module: m, tf: stack.modules[m], prefix: `module.${m}.` })),
  ];
}

/** Every resource and data address, `module.<m>.<type>.<name>` or `<type>.<name>` for the root. */
export function addresses(stack: SynthesizedStack): string[] {
  const list: string[] = [];
  const collect = (tf: Json, prefix: string) => {
    for (const kind of ["resource", "data"]) {
      for (const [type, byName] of Object.entries<Json>(tf[kind] ?? {})) {
        for (const name of Object.keys(byName)) list.push(`${prefix}${kind === "data" ? "data." : ""}${type}.${name}`);
      }
    }
  };
  collect(stack.root, "");
  for (const [name, tf] of Object.entries(stack.modules)) collect(tf, `module.${name}.`);
  return list.sort();
}

/** `module.<m>` blocks' `moved` entries: from → to. */
export function movedBlocks(stack: SynthesizedStack): { from: string; to: string }[] {
  const moved: { from: string; to: string }[] = [];
  const collect = (tf: Json, prefix: string) => {
    for (const m of (tf.moved ?? []) as { from: string; to: string }[])
      moved.push({ from: prefix + m.from, to: prefix + m.to });
  };
  collect(stack.root, "");
  for (const [name, tf] of Object.entries(stack.modules)) collect(tf, `module.${name}.`);
  return moved;
}
