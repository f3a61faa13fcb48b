/**
 * The deployed image tag's one home (D135): each product's images.json, read by synth, written by
 * `npm run image -- set`, and the only way the runbooks deploy a tag.
 */
import * as fs from "fs";
import * as path from "path";
import { ConfigError, EDUAUTISMO, PRODUCTS, workspaceLabel } from "../../environments";
import { imageProblems, imagesFilePath } from "../../environments/deployed-images";
import { imageCommand, tfvarsPath } from "../../tools/image";
import { PLACEHOLDER_IMAGE_TAG } from "../../modules/compute/config";
import { synthesize } from "../../platform";
import { REPO } from "../helpers/operator";
import { inputs, tempDir } from "../helpers/synth";

const tfvarsTag = (outdir: string, ws: string) =>
  /^app_image_tag = "([^"]*)"$/m.exec(
    fs.readFileSync(path.join(outdir, "stacks", ws, "environments", ws, "terraform.tfvars"), "utf8"),
  )?.[1];

describe("synthesis reads the deployed tag from the images file", () => {
  test("a synth writes each workspace's recorded tag into its tfvars, and the placeholder where none is recorded", () => {
    const outdir = tempDir("images-synth");
    // Two workspaces suffice: one with a recorded tag, one without.
    const { dev, production } = inputs();
    synthesize({ outdir, inputs: { dev, production }, images: { production: "3.0.0" } });
    expect(tfvarsTag(outdir, "production")).toBe("3.0.0");
    expect(tfvarsTag(outdir, "dev")).toBe(PLACEHOLDER_IMAGE_TAG);
  });

  test("an environment file that sets compute.imageTag itself is refused: two homes is how a synth reverts a deploy", () => {
    const env = inputs();
    env.production = { ...env.production, compute: { ...env.production.compute, imageTag: "3.0.0" } };
    const outdir = tempDir("images-two-homes");
    expect(() => synthesize({ outdir, inputs: env })).toThrow(ConfigError);
    expect(() => synthesize({ outdir, inputs: env })).toThrow(
      "production.compute.imageTag: the deployed image tag lives in environments/eduautismo/images.json, not in the environment file; remove it here and run: npm run image -- set production 3.0.0",
    );
    expect(fs.readdirSync(outdir)).toEqual([]); // nothing written
  });

  test("a bad tag or an unknown workspace in the images file stops synthesis, naming the file", () => {
    expect(imageProblems(EDUAUTISMO, { prod: "1.0.0", dev: "bad tag", staging: 3 })).toEqual([
      'environments/eduautismo/images.json: "prod" is not a workspace of EduAutismo IA (workspaces: dev, staging, production)',
      'environments/eduautismo/images.json: dev: "bad tag" is not a Docker image tag',
      "environments/eduautismo/images.json: staging: 3 is not a Docker image tag",
    ]);
    expect(() => synthesize({ outdir: tempDir("images-bad"), images: { dev: "-x" } })).toThrow(
      'environments/eduautismo/images.json: dev: "-x" is not a Docker image tag',
    );
  });

  test.each(PRODUCTS.map((p) => [p.id, p] as const))(
    "%s keeps its images file next to its environment files, naming only its workspaces",
    (_id, product) => {
      const file = path.join(REPO, imagesFilePath(product));
      expect(path.dirname(imagesFilePath(product))).toBe(product.sourceDir);
      expect(imageProblems(product, JSON.parse(fs.readFileSync(file, "utf8")))).toEqual([]);
    },
  );
});

describe("npm run image -- set records the tag in the images file and the synthesized tfvars", () => {
  /** A repository with EduAutismo's images file and dev's synthesized tfvars. */
  function repo(): string {
    const dir = tempDir("image-repo");
    fs.mkdirSync(path.join(dir, EDUAUTISMO.sourceDir), { recursive: true });
    fs.writeFileSync(
      path.join(dir, imagesFilePath(EDUAUTISMO)),
      '{\n  "dev": "initial",\n  "production": "2.0.0"\n}\n',
    );
    const tfvars = path.join(dir, tfvarsPath(EDUAUTISMO, "dev"));
    fs.mkdirSync(path.dirname(tfvars), { recursive: true });
    fs.writeFileSync(tfvars, '# Deployed image tag\napp_image_tag = "initial"\n\napp_cpu = 512\n');
    return dir;
  }
  const run = (dir: string, ...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = imageCommand(
      dir,
      args,
      (s) => out.push(s),
      (s) => err.push(s),
    );
    return { code, out: out.join("\n"), err: err.join("\n") };
  };

  test("set writes the workspace's tag to the file and to app_image_tag in its tfvars, and says to commit the file", () => {
    const dir = repo();
    const r = run(dir, "set", "dev", "3.0.0");
    expect(r.code).toBe(0);
    expect(JSON.parse(fs.readFileSync(path.join(dir, "environments/eduautismo/images.json"), "utf8"))).toEqual({
      dev: "3.0.0",
      production: "2.0.0",
    });
    expect(fs.readFileSync(path.join(dir, tfvarsPath(EDUAUTISMO, "dev")), "utf8")).toBe(
      '# Deployed image tag\napp_image_tag = "3.0.0"\n\napp_cpu = 512\n',
    );
    expect(r.out).toContain('git commit -m "deploy(dev): image 3.0.0" :/environments/eduautismo/images.json');
  });

  test("set refuses the placeholder (it scales every service to zero), a bad tag and an unknown workspace, changing nothing", () => {
    const dir = repo();
    const before = fs.readFileSync(path.join(dir, "environments/eduautismo/images.json"), "utf8");
    expect(run(dir, "set", "production", PLACEHOLDER_IMAGE_TAG)).toMatchObject({
      code: 1,
      err: expect.stringContaining("environment_running = false"),
    });
    expect(run(dir, "set", "production", "bad tag")).toMatchObject({
      code: 1,
      err: expect.stringContaining('"bad tag" is not a Docker image tag'),
    });
    expect(run(dir, "set", "qa", "1.0.0")).toMatchObject({
      code: 2,
      err: expect.stringContaining("usage: npm run image -- set <dev|staging|production|atena/prod"),
    });
    expect(fs.readFileSync(path.join(dir, "environments/eduautismo/images.json"), "utf8")).toBe(before);
  });
});

describe("the runbooks deploy a tag only through its home", () => {
  const runbooks = PRODUCTS.flatMap((p) =>
    Object.keys(p.environments).map((ws) => ({
      product: p,
      ws,
      file: path.join("docs", "runbooks", p.outDir, `${ws}.md`),
    })),
  );

  test.each(runbooks.map((r) => [r.file, r] as const))(
    "%s never sets app_image_tag by a -var or a tfvars edit, and records every pushed image with npm run image",
    (_f, { product, ws, file }) => {
      const text = fs.readFileSync(path.join(REPO, file), "utf8");
      const code = [...text.matchAll(/^```\w*\n([\s\S]*?)^```$/gm)].map((m) => m[1]).join("\n");
      expect(code).not.toMatch(/-var[ =]app_image_tag/);
      expect(code).not.toMatch(/^app_image_tag\s*=/m);
      const label = workspaceLabel(product, ws);
      if (/docker push/.test(text)) {
        expect(text).toContain(`npm run image -- set ${label} `);
        expect(text).toContain(`:/${imagesFilePath(product)}`);
      }
    },
  );
});
