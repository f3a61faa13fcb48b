/**
 * AI Techne Academy (seed 004) under real Terraform: each workspace's runbook suite (__tests__/helpers/product-suite.ts:
 * init, validate and the runbook's plans as typed, the full plan, the HA edits; it was products.test.ts); prod (option
 * B, a dedicated VPC) plans offline; dev (option A, the default VPC) reads two data sources that need AWS, so it is
 * planned by `terraform test` with `override_data` giving them fixed values (the same offline provider settings as
 * every Terraform-layer copy; operators never see the test file).
 *
 * Plan budget: the suite's per workspace (dev: its plan lines in one `terraform test`); prod — the option B test reads
 * the suite's full plan (it was planned again, streamed, in a second copy); dev — one more `terraform test` run in the
 * suite's copy (no second `init` or `validate`); the SAM section reads outputs of a hand-made state (no plan).
 */
import * as fs from "fs";
import * as path from "path";
import { AITECHNE } from "../../environments/aitechne";
import { synthProduct } from "../helpers/synth";
import { workspaceDir } from "../../tools/product-runbook";
import { initializedWorkdir } from "../helpers/terraform";
import { bashSync } from "../helpers/operator";
import { type ProductContext, productSuite } from "../helpers/product-suite";
import { changesOf, tempDir } from "../../tools/terraform";

/** The default VPC and subnets the override gives option A (the subnets unsorted, as AWS may list them). */
const DEFAULT_VPC = "vpc-0a1b2c3d4e5f60718";
const DEFAULT_SUBNETS = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"];
/** The processor's family ARN; the override gives the resource revision 7, which the hand-off must not carry. */
const TD_ARN = "arn:aws:ecs:us-east-1:444444444444:task-definition/ai-techne-academy-processor-dev";

/** A terraform test file that plans the whole root with the default VPC's data sources overridden. */
function optionATest(expectedWarnings: string[]): string {
  return `
override_data {
  target = module.network.data.aws_vpc.default
  values = { id = "${DEFAULT_VPC}", cidr_block = "172.31.0.0/16" }
}
override_data {
  target = module.network.data.aws_subnets.default
  values = { ids = ${JSON.stringify(DEFAULT_SUBNETS)} }
}
override_resource {
  target = module.compute.aws_ecs_task_definition.processor
  values = { arn = "${TD_ARN}:7", arn_without_revision = "${TD_ARN}" }
  override_during = plan
}
run "option_a_plans_on_the_default_vpc" {
  command = plan
  # The example values' plan warnings (D145) fail a terraform test run unless expected.
  expect_failures = [${expectedWarnings.join(", ")}]
  variables {
    app_image_tag = "v1"
  }
  assert {
    condition     = output.vpc_id == "${DEFAULT_VPC}"
    error_message = "vpc_id is not the default VPC: \${output.vpc_id}"
  }
  assert {
    condition     = output.public_subnet_ids == "${[...DEFAULT_SUBNETS].sort().join(",")}"
    error_message = "public_subnet_ids is not the sorted, comma-separated default subnets: \${output.public_subnet_ids}"
  }
  assert {
    condition     = output.private_subnet_ids == ""
    error_message = "the default VPC has no private subnets"
  }
  assert {
    condition     = output.processor_task_definition_arn == "${TD_ARN}"
    error_message = "the task definition ARN handed to SAM pins a revision: \${output.processor_task_definition_arn}"
  }
  assert {
    condition     = output.processor_task_definition_family == "ai-techne-academy-processor-dev"
    error_message = "the processor's family is not the guide's"
  }
}
`;
}

/** Prod (option B): the suite's full plan (shown once for the runbook's checks) proves the VPC and what it leaves out. */
function prod(ctx: ProductContext): void {
  test("option B (prod): a full plan creates the VPC, its public subnets and no NAT or private subnet", () => {
    const changes = changesOf(ctx.fullPlan());
    const addresses = changes.map((c) => c.address);
    expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["create"]));
    expect(addresses).toEqual(
      expect.arrayContaining([
        "module.network.aws_vpc.this",
        "module.network.aws_internet_gateway.this[0]",
        'module.network.aws_subnet.public["us-east-1a"]',
        'module.network.aws_subnet.public["us-east-1b"]',
      ]),
    );
    expect(
      addresses.filter((a) =>
        /aws_nat_gateway|aws_eip|aws_instance|aws_subnet\.(private|database)|aws_ecs_service|aws_db_instance|aws_elasticache/.test(
          a,
        ),
      ),
    ).toEqual([]);
    expect(addresses).toEqual(
      expect.arrayContaining([
        "module.compute.aws_ecs_task_definition.processor",
        "module.compute.aws_iam_role_policy.task_access_processor",
        "module.monitoring.aws_cloudwatch_metric_alarm.metric_high_failure_rate",
      ]),
    );
  });
}

/**
 * Dev (option A): `terraform test` in the suite's copy (initialised and validated there as the runbook types it), the
 * runbook's plan lines already run there; the SAM section reads outputs of a hand-made state (no plan).
 */
function dev(ctx: ProductContext): void {
  const { dir } = synthProduct(AITECHNE);

  test("option A (dev): terraform test plans the root with the default VPC's data sources overridden", () => {
    const work = ctx.op().dir;
    fs.mkdirSync(path.join(work, "tests"), { recursive: true });
    fs.writeFileSync(
      path.join(work, "tests", "option_a.tftest.hcl"),
      optionATest(
        Object.keys(JSON.parse(fs.readFileSync(path.join(dir("dev"), "cdk.tf.json"), "utf8")).check ?? {})
          .filter((c) => c.startsWith("placeholder_"))
          .map((c) => `check.${c}`),
      ),
    );
    const r = ctx
      .op()
      .run('terraform test -no-color -filter=tests/option_a.tftest.hcl -var-file="environments/dev/terraform.tfvars"');
    expect(r.text).toContain("1 passed, 0 failed");
  });

  test("the runbook's SAM section, typed in a fresh workspace directory with applied outputs, builds and deploys with every output (a stand-in sam with SAM's documented refusals)", () => {
    const ws = "dev";
    const work = initializedWorkdir(dir(ws), ws);
    // An applied workspace's state as terraform output reads it: the outputs the SAM section reads, no resources needed.
    const applied: Record<string, string> = {
      vpc_id: DEFAULT_VPC,
      public_subnet_ids: [...DEFAULT_SUBNETS].sort().join(","),
      ecs_security_group_id: "sg-0123456789abcdef0",
      ecs_cluster_arn: "arn:aws:ecs:us-east-1:444444444444:cluster/ai-techne-academy-dev",
      processor_task_definition_arn: TD_ARN,
      processor_container_name: "processor",
      task_role_arn: "arn:aws:iam::444444444444:role/ai-techne-academy-dev-ecs-task",
      execution_role_arn: "arn:aws:iam::444444444444:role/ai-techne-academy-dev-ecs-execution",
    };
    const state = {
      version: 4,
      terraform_version: "1.11.4",
      serial: 1,
      lineage: "aitechne-sam-handoff",
      outputs: Object.fromEntries(Object.entries(applied).map(([k, v]) => [k, { value: v, type: "string" }])),
      resources: [],
    };
    fs.mkdirSync(path.join(work, "terraform.tfstate.d", ws), { recursive: true });
    fs.writeFileSync(path.join(work, "terraform.tfstate.d", ws, "terraform.tfstate"), JSON.stringify(state));
    // The SAM application's checkout, and a sam that refuses what SAM refuses: no template where it runs, a deploy
    // before a build, a first deploy without an artifacts bucket ("S3 Bucket not specified ... use --resolve-s3").
    const app = tempDir("sam-app");
    fs.mkdirSync(path.join(app, "infrastructure"));
    fs.writeFileSync(path.join(app, "infrastructure", "template.yaml"), "Transform: AWS::Serverless-2016-10-31\n");
    const bin = tempDir("sam-bin");
    const log = path.join(bin, "sam.log");
    fs.writeFileSync(
      path.join(bin, "sam"),
      [
        "#!/bin/bash",
        'printf "%s\\n" "$(pwd) $*" >> "$SAM_LOG"',
        'case "$1" in',
        '  validate|build) [ -f infrastructure/template.yaml ] || { echo "Template file not found at $(pwd)/infrastructure/template.yaml" >&2; exit 1; } ;;&',
        "  build) mkdir -p .aws-sam/build && cp infrastructure/template.yaml .aws-sam/build/template.yaml ;;",
        '  deploy) [ -f .aws-sam/build/template.yaml ] || { echo "Template file not found (run sam build)" >&2; exit 1; }',
        '    [[ " $* " == *" --resolve-s3 "* || " $* " == *" --s3-bucket "* || " $* " == *" --guided "* ]] || { echo "S3 Bucket not specified, use --s3-bucket to specify a bucket name, or use --resolve-s3" >&2; exit 1; } ;;',
        "esac",
      ].join("\n"),
      { mode: 0o755 },
    );
    const doc = fs.readFileSync(path.join("docs", "runbooks", "aitechne", `${ws}.md`), "utf8");
    const section = doc.split(/^(?=## )/m).find((x) => x.startsWith("## The SAM stack"))!;
    const lines = [...section.matchAll(/^```bash\n([\s\S]*?)^```$/gm)].flatMap((m) => m[1].split("\n")).filter(Boolean);
    expect(workspaceDir(AITECHNE, ws)).toBe(`cdktf.out/aitechne/stacks/${ws}`);
    const r = bashSync(["-euo", "pipefail", "-c", [`terraform workspace select ${ws}`, ...lines].join("\n")], {
      cwd: work,
      env: {
        ...process.env,
        PATH: `${bin}:${process.env.PATH}`,
        SAM_APP_DIR: app,
        SAM_LOG: log,
        TF_IN_AUTOMATION: "1",
      },
      encoding: "utf8",
    });
    expect(r.stderr).not.toMatch(/Template file not found|S3 Bucket not specified|No outputs found|not found/);
    expect(r.status).toBe(0);
    const calls = fs.readFileSync(log, "utf8").trim().split("\n");
    expect(calls.map((c) => c.split(" ")[1])).toEqual(["validate", "build", "deploy"]);
    for (const c of calls) expect(c.startsWith(`${app} `)).toBe(true);
    const deploy = calls[2];
    for (const value of Object.values(applied)) expect(deploy).toContain(`=${value}`);
    expect(deploy).not.toMatch(/task-definition\/[^ ]*:\d+/);
  });
}

productSuite(AITECHNE, "dev", dev);
productSuite(AITECHNE, "prod", prod);
