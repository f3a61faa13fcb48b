/**
 * The reference check (lib/tools/references.ts): its tokenizer's tricky cases, the module checks on small
 * fixtures, and every synthesized workspace directory (no undeclared reference, no bad module call).
 */
import * as fs from "fs";
import * as path from "path";
import {
  checkDirectory,
  expressionReferences,
  formatFinding,
  templateReferences,
  tokenize,
  type Finding,
} from "../../lib/tools/references";
import { problems } from "../helpers/config";
import { inputs, synthAll, tempDir, type Json } from "../helpers/synth";

const refs = (template: string) => templateReferences(template).map((r) => r.text);

/** Writes Terraform JSON files (path → content) into a fresh directory. */
function fixture(files: Record<string, Json>): string {
  const dir = tempDir("refcheck");
  for (const [file, json] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), JSON.stringify(json));
  }
  return dir;
}
const lines = (findings: Finding[]) => findings.map(formatFinding);
const check = (files: Record<string, Json>) => lines(checkDirectory(fixture(files), { label: "stack" }));

describe("tokenizer: what is a reference", () => {
  test("finds var, local, module, data and resource references in an interpolation", () => {
    expect(refs("${var.a}-${local.b}-${module.c.d}-${data.aws_e.f.id}-${aws_g.h.arn}")).toEqual([
      "var.a",
      "local.b",
      "module.c.d",
      "data.aws_e.f",
      "aws_g.h",
    ]);
  });

  test("terraform_data.<name> is a resource, terraform.workspace is not a reference", () => {
    expect(refs("${terraform.workspace}/${terraform_data.token.output}")).toEqual(["terraform_data.token"]);
  });

  test("each, count, self and path are not references", () => {
    expect(refs("${each.key}${each.value.id}${count.index}${self.id}${path.module}")).toEqual([]);
  });

  test("function names, including provider-defined ones, are not references", () => {
    expect(refs("${max(length(var.a), 1)}${provider::aws::arn_parse(var.b).region}")).toEqual(["var.a", "var.b"]);
  });

  test("attribute names after a dot are not references", () => {
    expect(refs("${aws_lb.this.dns_name}${var.x.y.z}")).toEqual(["aws_lb.this", "var.x"]);
  });

  test("object keys, bare or quoted, are not references", () => {
    expect(refs('${jsonencode({ name = var.n, "image" = "x", tags = { env = local.e } })}')).toEqual([
      "var.n",
      "local.e",
    ]);
  });

  test("string literals inside an expression are not references", () => {
    expect(refs('${var.x == "a.b" ? 1 : 0}')).toEqual(["var.x"]);
  });

  test("escaped quotes do not end a string literal early", () => {
    expect(refs('${var.a == "say \\"aws_x.y\\"" ? var.b : var.c}')).toEqual(["var.a", "var.b", "var.c"]);
  });

  test("a template nested in a string literal is scanned", () => {
    expect(refs('${join(",", ["${local.p}-x", "y"])}')).toEqual(["local.p"]);
  });

  test("a for expression's iterators are local names", () => {
    expect(refs("${[for s in var.x : s.id]}${{ for k, v in var.m : k => v.arn if v.on }}")).toEqual(["var.x", "var.m"]);
  });

  test("a for expression's iterator is local to its brackets only", () => {
    expect(refs("${concat([for s in var.x : s.id], s.other)}")).toEqual(["var.x", "s.other"]);
  });

  test("a for expression's iterator is local inside a string nested in its body", () => {
    expect(refs('${[for s in var.x : "${s.name}-${local.suffix}"]}')).toEqual(["var.x", "local.suffix"]);
  });

  test("$${ and %%{ are escapes, not interpolations", () => {
    expect(refs("$${var.literal} %%{ if var.no } $$${var.also_literal} ${var.real}")).toEqual(["var.real"]);
  });

  test("a template for directive's iterator is a local name", () => {
    expect(refs("%{ for n in var.names }${n.id},%{ endfor }")).toEqual(["var.names"]);
  });

  test("a heredoc inside an expression is scanned as a template", () => {
    expect(refs("${trimspace(<<-EOT\n  name: ${var.h}\n  $${var.escaped}\n  EOT\n)}")).toEqual(["var.h"]);
  });

  test("splats and index steps keep the root: a module output read through an index", () => {
    expect(
      refs('${aws_subnet.private[*].id}${aws_nat_gateway.this.0.id}${module.net[0].vpc_id}${module.m["k"].out}'),
    ).toEqual(["aws_subnet.private", "aws_nat_gateway.this", "module.net.vpc_id", "module.m.out"]);
  });

  test("a bare expression (depends_on) is read without ${}", () => {
    expect(expressionReferences("aws_lb_listener.http").map((r) => r.text)).toEqual(["aws_lb_listener.http"]);
  });

  test("operators are single tokens and numbers keep their decimals", () => {
    expect(tokenize('var.a >= 1.5 && !var.b ? "x" : null').map((t) => t.text)).toEqual([
      "var",
      ".",
      "a",
      ">=",
      "1.5",
      "&&",
      "!",
      "var",
      ".",
      "b",
      "?",
      '"x"',
      ":",
      "null",
    ]);
  });

  test("an unterminated interpolation is an error, not silence", () => {
    expect(() => templateReferences("${var.a")).toThrow("unterminated interpolation");
  });
});

describe("module checks", () => {
  test("an undeclared variable is reported with file, JSON path and module", () => {
    const findings = check({
      "cdk.tf.json": { module: { app: { source: "./modules/app" } } },
      "modules/app/main.tf.json": { resource: { aws_s3_bucket: { b: { bucket: "${var.name}" } } } },
    });
    expect(findings).toEqual([
      'stack/modules/app/main.tf.json: resource.aws_s3_bucket.b.bucket: var.name is not declared in module "app"',
    ]);
  });

  test("undeclared locals, resources and data sources are reported in the root module", () => {
    const findings = check({
      "cdk.tf.json": { output: { o: { value: "${local.l}${aws_x.y.id}${data.aws_z.w.id}" } } },
    });
    expect(findings).toEqual([
      "stack/cdk.tf.json: output.o.value: local.l is not declared in the root module",
      "stack/cdk.tf.json: output.o.value: aws_x.y is not declared in the root module",
      "stack/cdk.tf.json: output.o.value: data.aws_z.w is not declared in the root module",
    ]);
  });

  test("a data source declared inside a check block is declared", () => {
    expect(
      check({
        "cdk.tf.json": {
          check: {
            c: {
              data: { aws_z: { w: {} } },
              assert: [{ condition: "${data.aws_z.w.id != null}", error_message: "x" }],
            },
          },
        },
      }),
    ).toEqual([]);
  });

  test("a module output the called module does not declare is reported", () => {
    const findings = check({
      "cdk.tf.json": {
        module: { net: { source: "./modules/net" } },
        output: { id: { value: "${module.net.vpc_id}" }, sg: { value: "${module.net.sg_id}" } },
      },
      "modules/net/main.tf.json": { output: { vpc_id: { value: "x" } } },
    });
    expect(findings).toEqual([
      'stack/cdk.tf.json: output.sg.value: module.net.sg_id: output "sg_id" is not declared in module "net" (./modules/net)',
    ]);
  });

  test("a reference to an undeclared module call is reported", () => {
    expect(check({ "cdk.tf.json": { output: { id: { value: "${module.net.vpc_id}" } } } })).toEqual([
      "stack/cdk.tf.json: output.id.value: module.net is not declared in the root module",
    ]);
  });

  test("a module call passing a variable the module does not declare is reported", () => {
    const findings = check({
      "cdk.tf.json": {
        module: {
          app: {
            "//": { metadata: {} },
            source: "./modules/app",
            name: "a",
            colour: "red",
            depends_on: [],
            providers: { aws: "aws" },
          },
        },
      },
      "modules/app/main.tf.json": { variable: { name: { type: "string" } } },
    });
    expect(findings).toEqual([
      'stack/cdk.tf.json: module.app.colour: module "app" (./modules/app) declares no variable "colour"',
    ]);
  });

  test("a module call missing a required variable is reported; a variable with a default, even null, is optional", () => {
    const findings = check({
      "cdk.tf.json": { module: { app: { source: "./modules/app" } } },
      "modules/app/main.tf.json": {
        variable: {
          name: { type: "string" },
          tag: { type: "string", default: null },
          size: { type: "number", default: 1 },
        },
      },
    });
    expect(findings).toEqual([
      'stack/cdk.tf.json: module.app: required variable "name" of module "app" (./modules/app, no default) is not passed',
    ]);
  });

  test("a depends_on entry naming an undeclared resource is reported", () => {
    const findings = check({ "cdk.tf.json": { resource: { aws_a: { x: { depends_on: ["aws_b.y"] } } } } });
    expect(findings).toEqual([
      "stack/cdk.tf.json: resource.aws_a.x.depends_on[0]: aws_b.y is not declared in the root module",
    ]);
  });

  test("a dynamic block's iterator, by label or by iterator, is a local name in its content", () => {
    const findings = check({
      "cdk.tf.json": {
        variable: { rules: { type: "list(any)" } },
        resource: {
          aws_sg: {
            s: {
              dynamic: {
                ingress: { for_each: "${var.rules}", content: { port: "${ingress.value.port}" } },
                egress: [
                  {
                    for_each: "${var.rules}",
                    iterator: "rule",
                    content: { port: "${rule.value.port}", cidr: "${egress.value}" },
                  },
                ],
              },
            },
          },
        },
      },
    });
    expect(findings).toEqual([
      "stack/cdk.tf.json: resource.aws_sg.s.dynamic.egress[0].content.cidr: egress.value is not declared in the root module",
    ]);
  });

  test("an expression the tokenizer cannot read is reported where it is", () => {
    expect(check({ "cdk.tf.json": { output: { o: { value: "${var.a" } } } })).toEqual([
      "stack/cdk.tf.json: output.o.value: cannot read the expression: unterminated interpolation starting at 0",
    ]);
  });

  test("literal fields (descriptions, variable defaults, source) are not read as templates", () => {
    const findings = check({
      "cdk.tf.json": {
        variable: { v: { type: "string", default: "${var.nope}", description: "${var.nope}" } },
        output: { o: { value: "${var.v}", description: "${local.nope}" } },
      },
    });
    expect(findings).toEqual([]);
  });
});

describe("synthesized workspaces", () => {
  const { outdir } = synthAll();
  const stackDir = (ws: string) => path.join(outdir, "stacks", ws);

  test.each(["dev", "staging", "production", "bootstrap"])(
    "%s: every reference is declared and every module call matches its module",
    (ws) => {
      expect(fs.existsSync(path.join(stackDir(ws), "cdk.tf.json"))).toBe(true);
      expect(lines(checkDirectory(stackDir(ws), { label: `cdktf.out/stacks/${ws}` }))).toEqual([]);
    },
  );
});

describe("a compute config without a service named app", () => {
  // The bug this check was written for: with no service named app, module compute read var.app_image_tag
  // (every container's image, local.serving, the first-deploy check) but nobody declared it.
  const all = inputs();
  all.dev.compute.services[0].name = "api";
  const { outdir, stacks } = synthAll(all);
  const dev = stacks.dev;

  test("synthesizes Terraform whose every reference is declared", () => {
    expect(lines(checkDirectory(path.join(outdir, "stacks", "dev"), { label: "cdktf.out/stacks/dev" }))).toEqual([]);
  });

  test("app_image_tag stays a root knob, with its rule, passed to module compute", () => {
    expect(dev.root.variable.app_image_tag.validation).toHaveLength(1);
    expect(dev.tfvars).toMatch(/\napp_image_tag = "[^"]+"\n/); // the recorded tag (environments/eduautismo/images.json) or the placeholder
    expect(dev.root.module.compute.app_image_tag).toBe("${var.app_image_tag}");
    expect(dev.modules.compute.variable.app_image_tag.type).toBe("string");
  });

  test("the service's size and scaling knobs are its own (api_*), and no app_* size knob is left behind", () => {
    for (const knob of ["desired_count", "min_capacity", "max_capacity", "cpu", "memory"]) {
      expect(dev.root.variable[`app_${knob}`]).toBeUndefined();
      expect(dev.modules.compute.variable[`app_${knob}`]).toBeUndefined();
      expect(dev.root.module.compute[`api_${knob}`]).toBe(`\${var.api_${knob}}`);
    }
  });

  test("a bad compute.imageTag still fails with the rule Terraform checks on app_image_tag", () => {
    expect(
      problems("dev", (env) => {
        env.compute.services[0].name = "api";
        env.compute.imageTag = "bad tag";
      }),
    ).toContain('dev.compute.imageTag: "bad tag" is not a Docker image tag');
  });

  test("the check reports the undeclared var.app_image_tag when the declaration is missing (the output before the fix)", () => {
    const dir = tempDir("refcheck-no-app");
    fs.cpSync(path.join(outdir, "stacks", "dev"), dir, { recursive: true });
    const edit = (file: string, change: (json: Json) => void) => {
      const json = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
      change(json);
      fs.writeFileSync(path.join(dir, file), JSON.stringify(json, null, 2));
    };
    edit("cdk.tf.json", (root) => {
      delete root.variable.app_image_tag;
      delete root.module.compute.app_image_tag;
    });
    edit("modules/compute/main.tf.json", (compute) => delete compute.variable.app_image_tag);
    expect(lines(checkDirectory(dir, { label: "cdktf.out/stacks/dev" }))).toEqual([
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: check.first_deploy_image.assert[0].condition: var.app_image_tag is not declared in module "compute"',
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: locals.serving: var.app_image_tag is not declared in module "compute"',
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: resource.aws_ecs_task_definition.api.container_definitions: var.app_image_tag is not declared in module "compute"',
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: resource.aws_ecs_task_definition.migrations.container_definitions: var.app_image_tag is not declared in module "compute"',
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: resource.terraform_data.deployed_image.count: var.app_image_tag is not declared in module "compute"',
      'cdktf.out/stacks/dev/modules/compute/main.tf.json: resource.terraform_data.deployed_image.input: var.app_image_tag is not declared in module "compute"',
    ]);
  });
});
