/**
 * The deployed image tag of every workspace: ONE versioned home per product, `<sourceDir>/images.json`
 * (`environments/<product>/images.json`, EduAutismo's included),
 * mapping workspace → tag. Synthesis writes it into the workspace's tfvars as `app_image_tag` (the
 * compute module's knob, field `compute.imageTag`), so a fresh clone, a pipeline runner and an
 * operator's checkout all plan the tag that was deployed (issue 21 item 3, docs/decisions.md D135).
 * `npm run image -- set <ws|product/ws> <tag>` writes it (scripts/image.ts). A workspace missing from
 * the file runs the placeholder `initial` (no tasks until the first image is pushed, D55/D56).
 */
import { IMAGE_TAG_RE, PLACEHOLDER_IMAGE_TAG } from "../modules/compute/config";
import { workspaceLabel } from "./index";
import type { Product, WorkspaceInput } from "./product-spec";

/** Name of the file in a product's `sourceDir`. */
export const IMAGES_FILE = "images.json";

/** A Docker tag: the rule the `app_image_tag` knob checks (modules/compute/config.ts). */
const IMAGE_TAG_PATTERN = new RegExp(IMAGE_TAG_RE);

/** Workspace → deployed tag, as the file holds it. */
export type DeployedImages = Readonly<Record<string, string>>;

/** `<sourceDir>/images.json` (`environments/<id>/images.json`), from the repository root. */
export function imagesFilePath(product: Pick<Product, "sourceDir">): string {
  return `${product.sourceDir}/${IMAGES_FILE}`;
}

/** What is wrong with a product's images file: not an object of strings, an unknown workspace, a tag Docker refuses. */
export function imageProblems(product: Product, images: unknown): string[] {
  const file = imagesFilePath(product);
  if (typeof images !== "object" || images === null || Array.isArray(images))
    return [`${file}: must be an object of workspace → image tag`];
  const problems: string[] = [];
  const workspaces = Object.keys(product.environments);
  for (const [ws, tag] of Object.entries(images)) {
    if (!workspaces.includes(ws))
      problems.push(`${file}: "${ws}" is not a workspace of ${product.title} (workspaces: ${workspaces.join(", ")})`);
    else if (typeof tag !== "string" || !IMAGE_TAG_PATTERN.test(tag))
      problems.push(`${file}: ${ws}: ${JSON.stringify(tag)} is not a Docker image tag`);
  }
  return problems;
}

/**
 * The environment inputs with each workspace's deployed tag from the images file as `compute.imageTag`.
 * An environment file that sets `compute.imageTag` itself is refused: two homes for one value is how a
 * synth reverts a deploy.
 */
export function withDeployedImages(
  product: Product,
  inputs: Readonly<Record<string, WorkspaceInput>>,
  images: DeployedImages,
): {
  inputs: Record<string, WorkspaceInput>;
  problems: string[];
} {
  const problems = imageProblems(product, images);
  const out: Record<string, WorkspaceInput> = {};
  for (const [ws, input] of Object.entries(inputs)) {
    const own = (input as { compute?: { imageTag?: unknown } }).compute?.imageTag;
    if (own !== undefined) {
      problems.push(
        `${ws}.compute.imageTag: the deployed image tag lives in ${imagesFilePath(product)}, not in the environment file; remove it here and run: npm run image -- set ${workspaceLabel(product, ws)} ${String(own)}`,
      );
    }
    const tag = images[ws];
    out[ws] =
      tag === undefined
        ? input
        : ({ ...input, compute: { ...(input as { compute?: object }).compute, imageTag: tag } } as WorkspaceInput);
  }
  return { inputs: out, problems };
}

/** The tag a workspace deploys according to its images file (the placeholder when absent). */
export function deployedTag(images: DeployedImages, ws: string): string {
  return images[ws] ?? PLACEHOLDER_IMAGE_TAG;
}

/** The file's text for these tags: workspaces in the product's order, two-space JSON, a final newline. */
export function imagesFileText(product: Product, images: DeployedImages): string {
  const ordered: Record<string, string> = {};
  for (const ws of Object.keys(product.environments)) if (images[ws] !== undefined) ordered[ws] = images[ws];
  return `${JSON.stringify(ordered, null, 2)}\n`;
}
