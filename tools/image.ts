/**
 * `npm run image -- set <ws|product/ws> <tag>` and `npm run image -- show [ws|product/ws]`: the deployed image
 * tag's one home, `<sourceDir>/images.json` (environments/deployed-images.ts, D135). `set` writes the file and,
 * when the workspace is synthesized, the `app_image_tag` line of its tfvars (what the next synth writes), so
 * the plan that follows deploys the tag; the operator then commits the file, or the next synth on any
 * other checkout (a pipeline runner, a colleague) plans the old tag again.
 */
import * as fs from "fs";
import * as path from "path";
import { PRODUCTS, workspaceLabel, type Product } from "../environments";
import { deployedTag, imageProblems, imagesFilePath, imagesFileText } from "../environments/deployed-images";
import { IMAGE_TAG_RE, PLACEHOLDER_IMAGE_TAG } from "../modules/compute/config";
import { workspaceDir } from "./product-runbook";

/** The tfvars file of a workspace directory, from the repository root. */
export function tfvarsPath(product: Product, ws: string): string {
  return `${workspaceDir(product, ws)}/environments/${ws}/terraform.tfvars`;
}

/** The tfvars text with its `app_image_tag` line set to `tag` (the line synth writes; added when missing). */
export function withTfvarsImageTag(text: string, tag: string): string {
  const line = `app_image_tag = ${JSON.stringify(tag)}`;
  return /^app_image_tag\s*=.*$/m.test(text)
    ? text.replace(/^app_image_tag\s*=.*$/m, line)
    : `${text.replace(/\n?$/, "\n")}${line}\n`;
}

/**
 * The runbook lines that deploy `tag` to a workspace: record it in its one home (which also sets the synthesized
 * tfvars), then commit that file. Every runbook's first deploy and rollback-by-image use these lines.
 */
export function recordImageLines(product: Product, ws: string, tag: string): string[] {
  const label = workspaceLabel(product, ws);
  const file = imagesFilePath(product);
  return [
    `npm run image -- set ${label} ${tag}   # writes ${file} and app_image_tag in this directory's tfvars`,
    `git commit -m "deploy(${label}): image ${tag}" :/${file}   # push it to main (pull request): every synth elsewhere plans this tag`,
  ];
}

interface Target {
  readonly product: Product;
  readonly ws: string;
  readonly label: string;
}

const TARGETS: Target[] = PRODUCTS.flatMap((product) =>
  Object.keys(product.environments).map((ws) => ({ product, ws, label: workspaceLabel(product, ws) })),
);
const USAGE = `usage: npm run image -- set <${TARGETS.map((t) => t.label).join("|")}> <tag>\n       npm run image -- show [workspace]`;

function readImages(repo: string, product: Product): Record<string, string> {
  const file = path.join(repo, imagesFilePath(product));
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, "utf8")) as Record<string, string>) : {};
}

/** Runs the command in the repository `repo`; returns the exit code, writing to `out`/`err`. */
export function imageCommand(
  repo: string,
  args: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
): number {
  const [verb, label, tag, ...rest] = args;
  const target = TARGETS.find((t) => t.label === label);
  if (verb === "show" && tag === undefined) {
    for (const t of TARGETS.filter((x) => label === undefined || x === target))
      out(`${t.label} ${deployedTag(readImages(repo, t.product), t.ws)}`);
    if (label !== undefined && !target) return usage(err);
    return 0;
  }
  if (verb !== "set" || !target || tag === undefined || rest.length > 0) return usage(err);
  const { product, ws } = target;
  if (!new RegExp(IMAGE_TAG_RE).test(tag)) {
    err(`"${tag}" is not a Docker image tag (up to 128 of A-Z a-z 0-9 _ . -, not starting with . or -)`);
    return 1;
  }
  if (tag === PLACEHOLDER_IMAGE_TAG) {
    err(
      `"${PLACEHOLDER_IMAGE_TAG}" is the placeholder of a workspace never deployed: it scales every service to zero. To stop ${label}, set environment_running = false instead (docs/operations.md)`,
    );
    return 1;
  }
  const images = readImages(repo, product);
  const before = deployedTag(images, ws);
  const next = { ...images, [ws]: tag };
  const problems = imageProblems(product, next);
  if (problems.length > 0) {
    err(problems.join("\n"));
    return 1;
  }
  const file = imagesFilePath(product);
  fs.writeFileSync(path.join(repo, file), imagesFileText(product, next));
  out(`${file}: ${label} ${before} -> ${tag}`);
  const tfvars = tfvarsPath(product, ws);
  if (fs.existsSync(path.join(repo, tfvars))) {
    fs.writeFileSync(
      path.join(repo, tfvars),
      withTfvarsImageTag(fs.readFileSync(path.join(repo, tfvars), "utf8"), tag),
    );
    out(`${tfvars}: app_image_tag = "${tag}"`);
  } else out(`${tfvars} is not synthesized yet: npm run synth writes it`);
  out(
    `Commit it, or the next synth elsewhere plans ${before} again: git commit -m "deploy(${label}): image ${tag}" :/${file}`,
  );
  return 0;
}

function usage(err: (s: string) => void): number {
  err(USAGE);
  return 2;
}
