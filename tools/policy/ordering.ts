/**
 * Creation-order rules: resources that AWS accepts only after another resource exists, where nothing in
 * their arguments makes Terraform wait for it. Terraform orders by references and `depends_on`; these
 * rules read the synthesized JSON structurally (no evaluation) and say which ordering edge is missing.
 * Each rule cites the AWS page the requirement comes from; the policy gate runs them (structure-checks.ts).
 */
import { stackParts, type Json, type SynthesizedStack } from "../synthesized";
import type { Finding } from "./check";
import type { PolicyCheckId } from "../../lib/core/policy-checks";

export interface OrderingViolation {
  readonly rule: string;
  /** `module.<m>.<type>.<name>` */
  readonly address: string;
  readonly message: string;
}

export interface OrderingRule {
  readonly id: PolicyCheckId;
  readonly title: string;
  readonly sources: readonly string[];
  /** One finding per resource the rule looks at; `problem` names the missing edge. */
  check(stack: SynthesizedStack): Finding[];
}

type Resource = { module: string; type: string; name: string; body: Json };

function resourcesOf(stack: SynthesizedStack, type: string): Resource[] {
  return stackParts(stack)
    .filter((p) => p.module)
    .flatMap(({ module, tf }) =>
      Object.entries<Json>(tf.resource?.[type] ?? {}).map(([name, body]) => ({ module, type, name, body })),
    );
}

/** `type.name` of every resource of `type` in a module. */
function namesOf(tf: Json, type: string): string[] {
  return Object.keys(tf.resource?.[type] ?? {}).map((n) => `${type}.${n}`);
}

const refPattern = (target: string) => new RegExp(`(^|[^\\w.])${target.replace(/\./g, "\\.")}(\\.|\\[|$|[^\\w])`);

/** Whether `body` waits for `target` (`type.name`): an explicit depends_on entry or a reference in its arguments. */
export function waitsFor(body: Json, target: string): boolean {
  if ((body.depends_on ?? []).some((d: string) => d === target || d.startsWith(`${target}[`))) return true;
  const { depends_on: _d, lifecycle: _l, ...args } = body;
  return refPattern(target).test(JSON.stringify(args).replace(/\\"/g, '"'));
}

const finding = (r: Resource, problem?: string): Finding => ({
  address: `module.${r.module}.${r.type}.${r.name}`,
  problem,
});

/** The module output a root module input `var.<v>` of module `m` comes from (`module.<src>.<output>`), if it is one. */
function wiredOutput(stack: SynthesizedStack, m: string, v: string): { module: string; output: string } | undefined {
  const value = stack.root.module?.[m]?.[v];
  const match = typeof value === "string" ? /^\$\{module\.(\w+)\.(\w+)\}$/.exec(value) : null;
  return match ? { module: match[1], output: match[2] } : undefined;
}

export const ORDERING_RULES: readonly OrderingRule[] = [
  {
    id: "order-ecs-service-capacity-providers",
    title: "An ECS service waits for its cluster's capacity-provider association",
    sources: ["https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html"],
    check(stack) {
      return resourcesOf(stack, "aws_ecs_service").flatMap((r) => {
        const associations = namesOf(stack.modules[r.module], "aws_ecs_cluster_capacity_providers");
        if (associations.length === 0) return [];
        if (associations.some((a) => waitsFor(r.body, a))) return [finding(r)];
        return [
          finding(
            r,
            `uses a capacity provider strategy but does not depend on ${associations.join(" or ")}: on create the cluster may not accept FARGATE yet, on destroy the association may go first`,
          ),
        ];
      });
    },
  },
  {
    id: "order-instance-boot-egress",
    title: "An instance whose boot script downloads packages waits for its subnet's route to the internet",
    sources: [
      "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html",
      "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
    ],
    check(stack) {
      return resourcesOf(stack, "aws_instance").flatMap((r) => {
        const script = typeof r.body.user_data === "string" ? r.body.user_data : "";
        if (!/\b(dnf|yum|apt-get|curl|wget)\b/.test(script)) return [];
        const tf = stack.modules[r.module];
        const needed = [
          namesOf(tf, "aws_route").filter((n) =>
            JSON.stringify(tf.resource.aws_route[n.split(".")[1]]).includes("aws_internet_gateway"),
          ),
          namesOf(tf, "aws_route_table_association"),
        ];
        const missing = needed.filter((group) => group.length > 0 && !group.some((n) => waitsFor(r.body, n)));
        return [
          finding(
            r,
            missing.length === 0
              ? undefined
              : `boot script downloads packages but the instance does not wait for ${missing.map((g) => g.join(" or ")).join(" and ")}`,
          ),
        ];
      });
    },
  },
  {
    id: "order-replication-after-versioning",
    title: "S3 replication waits for versioning on both the source and the destination bucket",
    sources: ["https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication-requirements.html"],
    check(stack) {
      return resourcesOf(stack, "aws_s3_bucket_replication_configuration").flatMap((r) => {
        const tf = stack.modules[r.module];
        const problems: string[] = [];
        const local = namesOf(tf, "aws_s3_bucket_versioning");
        if (local.length > 0 && !local.some((n) => waitsFor(r.body, n)))
          problems.push("the destination bucket's versioning");
        const inModule =
          typeof r.body.bucket === "string" ? /^\$\{aws_s3_bucket\.(\w+)\.(id|bucket)\}$/.exec(r.body.bucket) : null;
        if (inModule) {
          const own = Object.entries<Json>(tf.resource?.aws_s3_bucket_versioning ?? {}).filter(([, v]) =>
            waitsFor(v, `aws_s3_bucket.${inModule[1]}`),
          );
          if (!own.some(([n]) => waitsFor(r.body, `aws_s3_bucket_versioning.${n}`)))
            problems.push(`the source bucket's versioning (aws_s3_bucket.${inModule[1]})`);
        }
        const source = typeof r.body.bucket === "string" ? /^\$\{var\.(\w+)\}$/.exec(r.body.bucket) : null;
        if (source) {
          const from = wiredOutput(stack, r.module, source[1]);
          const output = from ? stack.modules[from.module]?.output?.[from.output] : undefined;
          const versionings = from ? namesOf(stack.modules[from.module] ?? {}, "aws_s3_bucket_versioning") : [];
          if (!output || !versionings.some((n) => waitsFor(output, n)))
            problems.push(
              `the source bucket's versioning (var.${source[1]}${from ? ` = module.${from.module}.${from.output}` : ""})`,
            );
        }
        return [
          finding(
            r,
            problems.length === 0
              ? undefined
              : `does not wait for ${problems.join(" and ")}: S3 refuses a replication rule until both buckets are versioned`,
          ),
        ];
      });
    },
  },
];

/** Every ordering violation of a synthesized workspace. */
export function orderingViolations(stack: SynthesizedStack): OrderingViolation[] {
  return ORDERING_RULES.flatMap((rule) =>
    rule.check(stack).flatMap((f) => (f.problem ? [{ rule: rule.id, address: f.address, message: f.problem }] : [])),
  );
}
