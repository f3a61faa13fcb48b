/**
 * EduAutismo's runbook (seeds 000 and 001: docs/runbooks/<ws>.md): seed 000 §5–§8 for one workspace, built from its
 * synthesized root, so every command names this workspace's real modules, outputs, variables and AWS names. A step
 * that needs an output or variable the root does not have is left out (or replaced by a note), so the runbook is
 * right for whatever the configuration holds. A product like the others: its runbook spec (`eduautismoRunbook`) fills
 * the shared frame (tools/runbooks/frame.ts) with the guide's heading, intro, first deploy and one section writer
 * per section of the guide, with the frame's own engine switch among them; what the sections read of the workspace is
 * computed once per workspace (`Seed000Facts`). Conventions the operator tests rely on
 * (__tests__/terraform/operator-*.test.ts): `bash` blocks hold commands typed in the workspace directory, `sh` blocks
 * commands typed inside a container, `hcl` blocks tfvars edits (first line: the file), `text` blocks what Terraform
 * prints.
 */
import { containerNameOf } from "../../modules/compute/config";
import { imagesFilePath } from "../../environments/deployed-images";
import { recordImageLines } from "../image";
import {
  firstDeployNotes,
  oneOffTask,
  registerTaskDefinitions,
  startTask,
  workspaceDir,
  type RunbookContext,
  type RunbookSection,
  type RunbookSpec,
} from "../product-runbook";
import { moduleSteps, readers, STATE_BACKUP, targetClosure } from "../rollout";
import type { Json } from "../synthesized";
import { FRAME } from "./frame";
import { citing } from "./database";

/** What the sections read of one workspace beyond the context: its names, variables and tfvars, read once from the synthesized root. */
interface Seed000Facts extends RunbookContext {
  readonly variables: Json;
  readonly hasVar: (variable: string) => boolean;
  readonly tfvar: (variable: string) => string | undefined;
  readonly compute: Json;
  readonly name: string;
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
  readonly family: string;
  readonly https: boolean;
  readonly cache: boolean;
  readonly redisGroup: string;
  readonly tls: boolean;
  readonly toolbox: boolean;
  readonly plan: (module: string) => string[];
}

function seed000Facts(ctx: RunbookContext): Seed000Facts {
  const { ws, stack, graph, outputs } = ctx;
  const variables = stack.root.variable ?? {};
  const tfvar = (v: string) => new RegExp(`^${v} = (.*)$`, "m").exec(stack.tfvars)?.[1];
  const computeBlock = stack.root.module?.compute ?? {};
  const name = String(computeBlock.name ?? `eduautismo-ia-${ws}`).replace("${var.environment}", ws);
  const compute = stack.modules.compute ?? {};
  return {
    ...ctx,
    variables,
    hasVar: (v) => v in variables,
    tfvar,
    compute,
    name,
    region: String(stack.root.provider?.aws?.[0]?.region ?? "us-east-1"),
    cluster: name,
    service: `${name}-app`,
    family: `${name}-app`,
    https: Boolean(compute.resource?.aws_lb_listener?.https),
    cache: Boolean(graph.cache),
    redisGroup: `${name}-redis`,
    tls: tfvar("redis_transit_encryption_enabled") === "true",
    toolbox: outputs.includes("ecs_toolbox_run_task_command"),
    plan: (m) => moduleSteps(ws, m),
  };
}

/** The facts of the workspace a context describes, computed once however many sections read them. */
const FACTS = new WeakMap<RunbookContext, Seed000Facts>();
function factsOf(ctx: RunbookContext): Seed000Facts {
  const known = FACTS.get(ctx);
  if (known) return known;
  const facts = seed000Facts(ctx);
  FACTS.set(ctx, facts);
  return facts;
}

/** A section writer of the guide, over the workspace's facts. */
const seed000 =
  (section: (f: Seed000Facts) => RunbookSection[]) =>
  (ctx: RunbookContext): RunbookSection[] =>
    section(factsOf(ctx));

/** Starts the ECS Exec toolbox task and opens a shell in it (seed 000 §8.1, §8.4). */
function toolboxShell(cluster: string): string[] {
  return [
    startTask("ecs_toolbox_run_task_command"),
    `aws ecs wait tasks-running --cluster ${cluster} --tasks "$TASK"`,
    `aws ecs execute-command --cluster ${cluster} --task "$TASK" --container toolbox --interactive --command "/bin/sh"`,
  ];
}

/** The next size up of an ElastiCache node type (`cache.t3.micro` → `cache.t3.small`), for §8.4's example. */
export function nextNodeType(nodeType: string): string {
  const sizes = [
    "nano",
    "micro",
    "small",
    "medium",
    "large",
    "xlarge",
    "2xlarge",
    "4xlarge",
    "8xlarge",
    "12xlarge",
    "16xlarge",
    "24xlarge",
  ];
  const m = /^(cache\.[a-z0-9]+)\.([a-z0-9]+)$/.exec(nodeType);
  const i = m ? sizes.indexOf(m[2]) : -1;
  return m && i >= 0 && i < sizes.length - 1 ? `${m[1]}.${sizes[i + 1]}` : nodeType;
}

/** A tfvars edit as the runbooks print it: an `hcl` block whose first line names the file. */
function tfvarsEdit(ws: string, settings: string[]): string[] {
  return ["```hcl", `# environments/${ws}/terraform.tfvars`, ...settings, "```"];
}

/** Where to run: the directory, the modules, where a change that lasts is made. */
function intro({ product, ws, order, synth, sourceFile }: RunbookContext): string[] {
  return [
    `Directory: \`${workspaceDir(product, ws)}\` (run \`${synth}\` at the repository root first; it rewrites the`,
    "configuration and keeps `.terraform/`, `terraform.tfstate.d/` and `state-backups/`). Commands run there with your",
    `own \`terraform\` and CLI configuration. Modules: ${order.join(", ")}.`,
    `Edits to \`environments/${ws}/terraform.tfvars\` are one-off: the next \`${synth}\` rewrites the file from`,
    `\`${sourceFile}\` (and \`app_image_tag\` from \`${imagesFilePath(product)}\`: \`npm run image\`), so make a change you keep there.`,
  ];
}

/**
 * §5.1: the modules compute needs, then (with compute) the first release, the database tasks, the services. The
 * runbook follows it with the pointer to `npm run rollout` (the spec's `rolloutPointer`), which prints this section.
 */
function firstDeploy(f: Seed000Facts): RunbookSection {
  const { product, ws, stack, graph, order, plan, sourceFile } = f;
  const beforeCompute = graph.compute ? order.filter((m) => targetClosure(graph, "compute").includes(m)) : order;
  const afterCompute = graph.compute ? order.filter((m) => m !== "compute" && !beforeCompute.includes(m)) : [];
  return {
    title: "First deploy (seed 000 §5.1)",
    text: [
      "Module by module, in dependency order; the services start only once their secrets have values and their image",
      "exists. Review each plan before applying it.",
      ...firstDeployNotes(stack.root, ws, sourceFile),
      "",
    ],
    commands: [
      `cd ${workspaceDir(product, ws)}`,
      "terraform init",
      `terraform workspace select ${ws} || terraform workspace new ${ws}`,
      "terraform validate",
      ...beforeCompute.flatMap(plan),
    ],
    more: graph.compute ? [...firstRelease(f), ...databaseTasksAndServices(f, afterCompute), ...cdnOriginNotes(f)] : [],
  };
}

/** §5.1 with compute: the parts of compute before any service starts, the secrets' values, the first image. */
function firstRelease(f: Seed000Facts): string[] {
  const { product, ws, stack, varFile, compute, region } = f;
  const lines: string[] = [];
  const baseTargets = [
    ["aws_ecr_repository", "app"],
    ["aws_ecs_cluster", "this"],
  ]
    .filter(([t, n]) => compute.resource?.[t]?.[n])
    .map(([t, n]) => `-target=module.compute.${t}.${n}`)
    .join(" ");
  if (baseTargets) {
    lines.push(
      "",
      "Then the parts of compute the first release needs before any service starts (image repository, cluster):",
      "```bash",
      `terraform plan ${varFile} ${baseTargets} -out=tfplan-compute-base`,
      "terraform apply tfplan-compute-base",
      "```",
    );
  }
  const secretNames: string[] = Object.values<Json>(stack.root.module ?? {}).flatMap((b) =>
    Array.isArray(b.secret_names) ? b.secret_names : [],
  );
  lines.push(
    "",
    "Give every application secret its value (Terraform creates the secrets, never their values). `read -rs` keeps the",
    "value off the screen and out of the shell history:",
    "```bash",
  );
  lines.push("terraform output -json app_secret_arns | jq -r 'keys[]'   # the secrets to fill");
  for (const s of secretNames) {
    lines.push(
      `read -rs VALUE && aws secretsmanager put-secret-value --secret-id "$(terraform output -json app_secret_arns | jq -r '."${s}"')" --secret-string "$VALUE"   # type ${s}`,
    );
  }
  lines.push(
    "unset VALUE",
    "```",
    "",
    "Push the first image (from the application repository), then record its tag: the deployed tag's one home is",
    `\`${imagesFilePath(product)}\`, which every synth writes into the tfvars (a \`-var app_image_tag=\` or an edit of`,
    "`app_image_tag` in the tfvars is undone by the next synth):",
    "```bash",
    "TAG=3.0.0   # the release you deploy",
    "ECR_APP=$(terraform output -json ecr_repository_urls | jq -r .app)",
    `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin "\${ECR_APP%%/*}"`,
    'docker build -t "$ECR_APP:$TAG" .',
    'docker push "$ECR_APP:$TAG"',
    ...recordImageLines(product, ws, "3.0.0"),
    "```",
  );
  return lines;
}

/** §5.1 with compute: the one-off task definitions, the database tasks to a clean exit, then the services. */
function databaseTasksAndServices(f: Seed000Facts, afterCompute: string[]): string[] {
  const { env, varFile, hasOutput: has, compute, cluster, service, plan } = f;
  const lines: string[] = [];
  // Registered after app_image_tag names the pushed image, so the one-off tasks run that image.
  const taskKeys = ["db_bootstrap", "migrations"].filter((k) => compute.resource?.aws_ecs_task_definition?.[k]);
  // The exit code of the task definition's own container, by name (a sidecar may be listed first).
  const oneOff = (output: string, what: string) =>
    oneOffTask(output, cluster, containerNameOf(env.compute, output.replace(/_run_task_command$/, "")), what);
  if (taskKeys.length > 0)
    lines.push(
      "",
      "Register the one-off task definitions with that image:",
      "```bash",
      ...registerTaskDefinitions(varFile, taskKeys),
      "```",
    );
  const tasks = [
    ...(has("db_bootstrap_run_task_command")
      ? oneOff("db_bootstrap_run_task_command", "creates the application's database user")
      : []),
    ...(has("migrations_run_task_command") ? oneOff("migrations_run_task_command", "runs the migrations") : []),
  ];
  lines.push("", "Prepare the database with the one-off tasks, each to a clean exit:", "```bash", ...tasks, "```");
  lines.push(
    "",
    "Then the services and what watches them:",
    "```bash",
    ...["compute", ...afterCompute].flatMap(plan),
    `aws ecs wait services-stable --cluster ${cluster} --services ${service}`,
    "```",
  );
  return lines;
}

/** §5.1 with CloudFront: the origin's DNS record and the ALB's prefix list. */
function cdnOriginNotes(f: Seed000Facts): string[] {
  const { product, ws, stack, region } = f;
  const lines: string[] = [];
  const cdnBlock = stack.root.module?.cdn;
  const originName = cdnBlock?.origin_domain_name;
  if (
    typeof originName === "string" &&
    (cdnBlock.origin_route53_zone_id === undefined || cdnBlock.origin_route53_zone_id === null)
  ) {
    lines.push(
      "",
      `CloudFront reaches the ALB as \`${originName}\` (the ALB certificate covers that name, not the ALB's own). Until`,
      "that name resolves to the ALB, CloudFront answers 502. Create the record in your DNS (no Route 53 zone is configured):",
      "```bash",
      "ALB_DNS=$(terraform output -raw alb_dns_name)",
      `aws route53 change-resource-record-sets --hosted-zone-id <ZONE_ID> --change-batch '{"Changes":[{"Action":"UPSERT","ResourceRecordSet":{"Name":"${originName}","Type":"CNAME","TTL":300,"ResourceRecords":[{"Value":"'"$ALB_DNS"'"}]}}]}'`,
      `dig +short ${originName}   # must print the ALB's name before CloudFront can serve`,
      "```",
    );
  }
  if (stack.root.module?.network?.alb_ingress === "cloudfront") {
    const pl = String(stack.root.module.network.cloudfront_prefix_list_id);
    lines.push(
      "",
      "The ALB admits only CloudFront's origin-facing addresses (a managed prefix list whose id differs per region). Confirm",
      "the id in `" +
        product.sourceDir +
        "/" +
        ws +
        ".ts` (`network.cloudfrontPrefixListId`) before the first network apply:",
      "```bash",
      `aws ec2 describe-managed-prefix-lists --region ${region} --filters Name=prefix-list-name,Values=com.amazonaws.global.cloudfront.origin-facing --query 'PrefixLists[0].PrefixListId' --output text   # expect ${pl}`,
      "```",
    );
  }
  return lines;
}

/** §5.2. */
function cacheRollout(f: Seed000Facts): RunbookSection[] {
  const { product, ws, graph, cluster, service, cache, redisGroup, plan } = f;
  if (!cache) return [];
  return [
    {
      title: "Incremental cache rollout (seed 000 §5.2)",
      text: [
        `\`-target=module.cache\` also plans: ${targetClosure(graph, "cache").join(", ")}. Select the workspace before the backup:`,
        "in `default` there is nothing to back up, and `npm run state -- backup` refuses it (and an empty state). Then every",
        `module that reads the cache's outputs (${readers(graph, "cache").join(", ")}): a new or re-created group has no alarms until monitoring is applied.`,
      ],
      commands: [
        `cd ${workspaceDir(product, ws)}`,
        `terraform workspace select ${ws}`,
        `${STATE_BACKUP}   # state-backups/${ws}/<UTC time>-serial<N>.tfstate`,
        ...plan("cache"),
        `aws elasticache wait replication-group-available --replication-group-id ${redisGroup}`,
        // Every module that reads the cache's outputs follows (compute's REDIS_* settings, monitoring's alarms on its nodes).
        ...readers(graph, "cache").flatMap((m) => [
          ...plan(m),
          ...(m === "compute" ? [`aws ecs wait services-stable --cluster ${cluster} --services ${service}`] : []),
        ]),
      ],
    },
  ];
}

/** §6. */
function postDeployChecks(f: Seed000Facts): RunbookSection[] {
  const { stack, hasOutput: has, graph, name, cluster, https, cache, redisGroup } = f;
  const lines = ["terraform output"];
  for (const o of ["vpc_id", "redis_endpoint", "redis_port", "rds_endpoint", "ecs_cluster_name", "alb_dns_name"])
    if (has(o)) lines.push(`terraform output ${o}`);
  if (cache)
    lines.push(
      `aws elasticache describe-replication-groups --replication-group-id ${redisGroup} --query 'ReplicationGroups[0].Status'   # expect "available"`,
    );
  if (graph.compute)
    lines.push(
      `aws ecs list-tasks --cluster ${cluster} --desired-status RUNNING`,
      `aws logs tail /ecs/${name} --since 15m`,
    );
  if (has("target_group_arns"))
    lines.push(
      `aws elbv2 describe-target-health --target-group-arn "$(terraform output -json target_group_arns | jq -r .app)"   # expect healthy`,
    );
  const cloudfrontOnly = stack.root.module?.network?.alb_ingress === "cloudfront";
  if (has("alb_dns_name") && !cloudfrontOnly) {
    lines.push("ALB_DNS=$(terraform output -raw alb_dns_name)");
    // The certificate names the workspace's domain, not *.elb.amazonaws.com: -k checks the app, not the name.
    lines.push(
      https
        ? "curl -vk https://${ALB_DNS}/health   # expect HTTP 200 (-k: the certificate names your domain, not the ALB's)"
        : "curl -v http://${ALB_DNS}/health   # expect HTTP 200",
    );
  }
  if (has("cloudfront_domain_name")) {
    lines.push(
      "curl -sS -o /dev/null -w '%{http_code}\\n' https://$(terraform output -raw cloudfront_domain_name)/health   # expect 200",
    );
  }
  if (has("alb_dns_name") && cloudfrontOnly) {
    lines.push(
      "curl -sS -o /dev/null -w '%{http_code}\\n' --max-time 10 https://$(terraform output -raw alb_dns_name)/health   # expect 000 (timeout): only CloudFront reaches the ALB",
    );
  }
  return [{ title: "Post-deploy checks (seed 000 §6)", commands: lines }];
}

/** §7.1. */
function appRollback(f: Seed000Facts): RunbookSection[] {
  const { product, ws, graph, cluster, service, family, plan } = f;
  if (!graph.compute) return [];
  return [
    {
      title: "Rollback: application only (seed 000 §7.1)",
      commands: [
        `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].taskDefinition'   # the revision running now`,
        `aws ecs list-task-definitions --family-prefix ${family} --sort DESC --max-items 5`,
        `aws ecs update-service --cluster ${cluster} --service ${service} --task-definition ${family}:<PREVIOUS_REVISION>`,
        `aws ecs wait services-stable --cluster ${cluster} --services ${service}`,
        `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].events[:5]'`,
      ],
      more: [
        "Then record the previous image tag, or the next compute apply (or the pipeline's next run) registers the bad one again:",
        "```bash",
        ...recordImageLines(product, ws, "2.9.0"),
        ...plan("compute").map((l, i) =>
          i === 0 ? `${l}   # expect: the app task definition replaced with the previous image` : l,
        ),
        "```",
      ],
    },
  ];
}

/** §7.2. */
function stateRollback(f: Seed000Facts): RunbookSection[] {
  const { product, ws, varFile } = f;
  return [
    {
      title: "Rollback: Terraform state (seed 000 §7.2)",
      text: [
        "Seed 000's `cp terraform.tfstate.backup terraform.tfstate` changes nothing here: with a workspace selected,",
        `Terraform reads \`terraform.tfstate.d/${ws}/terraform.tfstate\` (or the workspace's S3 object), never \`./terraform.tfstate\`.`,
        "Push the backup instead. `npm run state -- restore` checks the lineage, saves the current state, and pushes the",
        "backup as the next serial (no `-force`). Then plan and review; never `apply -auto-approve`.",
      ],
      commands: [
        `cd ${workspaceDir(product, ws)}`,
        `terraform workspace select ${ws}`,
        "npm run state -- list",
        `npm run state -- restore state-backups/${ws}/<backup>.tfstate`,
        `terraform plan ${varFile} -out=tfplan-rollback   # review what AWS needs to match the restored state`,
        "terraform apply tfplan-rollback",
        "terraform state list",
      ],
      more: [
        "With plain Terraform and a `terraform state pull > terraform.tfstate.backup` copy (Terraform refuses to push an",
        "older serial, and `-force` would also skip the lineage check, so bump the serial instead):",
        "```bash",
        "terraform state pull > terraform.tfstate.before-restore",
        `jq --argjson serial "$(( $(jq .serial terraform.tfstate.before-restore) + 1 ))" '.serial = $serial' terraform.tfstate.backup > terraform.tfstate.restore`,
        "terraform state push terraform.tfstate.restore",
        "```",
        "then the same `terraform plan` as above.",
      ],
    },
  ];
}

/** §7.3. */
function redisRollback(f: Seed000Facts): RunbookSection[] {
  const { product, ws, stack, varFile, graph, cluster, service, cache, sourceFile, synth } = f;
  if (!cache) return [];
  const protectedCache = JSON.stringify(stack.modules.cache ?? {}).includes('"prevent_destroy":true');
  return [
    {
      title: "Rollback: Redis (seed 000 §7.3)",
      text: [
        "`terraform destroy -target=module.cache` would also destroy what depends on the cache (the ECS service, task",
        "definitions, alarms). Instead remove the cache from the configuration and let compute drop its REDIS_* settings first.",
        `1. In \`${sourceFile}\` set \`cache.enabled = false\`` +
          (protectedCache
            ? " and `cache.allowDestroy = true` (the replication group carries `prevent_destroy`; this is the deliberate step that lifts it)."
            : "."),
        "2. Then:",
      ],
      commands: [
        synth,
        `cd ${workspaceDir(product, ws)}`,
        `terraform workspace select ${ws}`,
        "npm run state -- backup",
        `terraform plan ${varFile} -target=module.compute${graph.monitoring ? " -target=module.monitoring" : ""} -out=tfplan-no-redis-app   # compute loses REDIS_*; nothing in module.cache changes`,
        "terraform apply tfplan-no-redis-app",
        `aws ecs wait services-stable --cluster ${cluster} --services ${service}   # the app now runs without Redis`,
        // -target still selects the cache's resources once its module block is gone (proven in workspace-staging.test.ts, seed 000 §7.3),
        // and keeps unrelated drift out of this change.
        `terraform plan ${varFile} -target=module.cache -out=tfplan-no-redis   # review: only module.cache.* is destroyed`,
        "terraform apply tfplan-no-redis",
      ],
      more: [
        "To bring Redis back at once (the AUTH secret has no recovery window, the final snapshot a per-lifetime name, D45):",
        "set `cache.enabled` back to true" +
          (protectedCache ? " (and remove `cache.allowDestroy`)" : "") +
          `, \`${synth}\`, then §5.2 (it also applies ` +
          readers(graph, "cache").join(" and ") +
          ", so the new group is watched).",
      ],
    },
  ];
}

/** §8.1. */
function redisConnection(f: Seed000Facts): RunbookSection[] {
  const { cluster, cache, redisGroup, tls, toolbox, plan } = f;
  if (!cache) return [];
  const fromInside = toolbox
    ? [
        "From inside the VPC, through the toolbox task (the app container's root filesystem is read-only, which ECS Exec",
        "does not support; the toolbox has redis-cli, REDIS_HOST/REDIS_PORT and the AUTH token as REDISCLI_AUTH):",
        "```bash",
        ...toolboxShell(cluster),
        "```",
        "Inside the toolbox shell:",
        "```sh",
        `redis-cli ${tls ? "--tls " : ""}-h "$REDIS_HOST" -p "$REDIS_PORT" ping   # expect PONG`,
        "exit",
        "```",
        "```bash",
        `aws ecs stop-task --cluster ${cluster} --task "$TASK"`,
        "```",
      ]
    : [
        "This configuration has no ECS Exec toolbox task (`ecs_toolbox_run_task_command`), and the app container's read-only",
        "root filesystem rules out ECS Exec there: test connectivity from a task you start for it.",
      ];
  return [
    {
      title: "Redis connection failed (seed 000 §8.1)",
      commands: [
        `aws ec2 describe-security-groups --group-ids "$(terraform output -raw redis_security_group_id)" --query 'SecurityGroups[0].IpPermissions'   # 6379 from the tasks' group:`,
        "terraform output -raw ecs_security_group_id",
        `aws elasticache describe-replication-groups --replication-group-id ${redisGroup} --query 'ReplicationGroups[0].Status'   # expect "available"`,
        "terraform output redis_endpoint",
      ],
      more: [
        ...fromInside,
        "If the rule is missing, do not add it by hand (Terraform would not know it): re-apply the cache module, which owns it.",
        "```bash",
        ...plan("cache"),
        "```",
      ],
    },
  ];
}

/** §8.3. */
function failoverFix(f: Seed000Facts): RunbookSection[] {
  const { ws, variables, hasVar, tfvar, cache, plan, sourceFile } = f;
  const failoverRule = (variables.redis_num_cache_nodes?.validation ?? []).find((v: Json) =>
    /failover/.test(String(v.error_message)),
  );
  if (!cache || !failoverRule || !hasVar("redis_automatic_failover_enabled")) return [];
  // The refused edit and the fix are this workspace's: the fix puts back the values the edit changed, read from its
  // tfvars (never another workspace's node count: a fix must not remove a node or turn failover off).
  const current = {
    nodes: Number(tfvar("redis_num_cache_nodes")),
    failover: tfvar("redis_automatic_failover_enabled") === "true",
  };
  const refused = current.failover
    ? ["redis_num_cache_nodes = 1"]
    : ["redis_num_cache_nodes = 1", "redis_automatic_failover_enabled = true"];
  const fix = refused.map((l) => l.split(" = ")[0]).map((v) => `${v} = ${tfvar(v)}   # this workspace's value`);
  const message = String(failoverRule.error_message).replace(/\$\{var\.redis_num_cache_nodes\}/g, "1");
  return [
    {
      title: "Apply fails: automatic failover needs 2 nodes (seed 000 §8.3)",
      text: [
        "ElastiCache refuses automatic failover with one node (`InvalidParameterCombination`). Here the plan stops first, for",
        "example after this edit:",
        ...tfvarsEdit(ws, refused),
      ],
      commands: [plan("cache")[0]],
      more: [
        "Terraform prints:",
        "```text",
        "Error: Invalid value for variable",
        message,
        "```",
        current.failover
          ? `Fix: keep failover (this workspace requires it) and its ${current.nodes} nodes (\`cache.numCacheNodes\` in \`${sourceFile}\`):`
          : `Fix: this workspace's ${current.nodes} node${current.nodes === 1 ? "" : "s"} without failover (failover needs 2 or more nodes and \`cache.automaticFailover\`):`,
        ...tfvarsEdit(ws, fix),
        "```bash",
        ...plan("cache"),
        "```",
      ],
    },
  ];
}

/** §8.4: prose with its own blocks (`sh` in the toolbox, `hcl` tfvars edits, `bash` plans). */
function redisMemory(f: Seed000Facts): RunbookSection[] {
  const { ws, tfvar, cluster, cache, tls, toolbox, plan, sourceFile } = f;
  if (!cache) return [];
  const nodeType = JSON.parse(tfvar("redis_node_type") ?? '"cache.t3.micro"') as string;
  const redisCli = (args: string) => `redis-cli ${tls ? "--tls " : ""}-h "$REDIS_HOST" -p "$REDIS_PORT" ${args}`;
  const lookFirst = [
    "Look first, through the toolbox task (see §8.1):",
    "```bash",
    ...toolboxShell(cluster),
    "```",
    "Inside the toolbox shell:",
    "```sh",
    redisCli("info memory"),
    redisCli("--bigkeys"),
    "```",
  ];
  const flush = [
    "Option 3, emergency only: empty the cache from the toolbox shell (every request misses until it refills).",
    "```sh",
    redisCli("FLUSHALL"),
    "```",
  ];
  const text = [
    ...(toolbox ? lookFirst : []),
    `Option 1, a bigger node (in place; \`${nodeType}\` → \`${nextNodeType(nodeType)}\` here), now rather than in the next maintenance window:`,
    ...tfvarsEdit(ws, [`redis_node_type = "${nextNodeType(nodeType)}"`, "redis_apply_immediately = true"]),
    "```bash",
    ...plan("cache").map((l, i) => (i === 0 ? `${l}   # expect: ~ node_type, updated in place` : l)),
    "```",
    "Afterwards set it back, so ordinary changes wait for the window again:",
    ...tfvarsEdit(ws, ["redis_apply_immediately = false"]),
    `Keep the new size in \`${sourceFile}\` (\`cache.nodeType\`).`,
    "",
    "Option 2, shorter TTLs. They are knobs of this workspace, passed to the containers as BNCC_CACHE_TTL and NLP_CACHE_TTL;",
    'the seed\'s `BNCC_CACHE_TTL = "1800"` line in tfvars only makes Terraform warn `Value for undeclared variable` and',
    "changes nothing.",
    ...tfvarsEdit(ws, ["bncc_cache_ttl = 1800", "nlp_cache_ttl = 900"]),
    "```bash",
    ...plan("compute").map((l, i) =>
      i === 0 ? `${l}   # expect: a new app task definition, rolled out by the service` : l,
    ),
    "```",
    ...(toolbox ? flush : []),
  ];
  return [{ title: "High Redis memory (seed 000 §8.4)", text }];
}

/** Disaster recovery (seed 000 §4.3). */
function disasterRecovery(f: Seed000Facts): RunbookSection[] {
  const { product, ws, stack, hasOutput: has } = f;
  if (!has("dr_region")) return [];
  const drRegion = String(stack.root.module?.dr?.dr_region);
  return [
    {
      title: `Disaster recovery: restore in ${drRegion} (seed 000 §4.3)`,
      text: [
        `The database's automated backups and the replicated buckets are copied to ${drRegion} (module \`dr\`, docs/decisions.md D75).`,
        "RPO: minutes for the database, seconds to minutes for the buckets; RTO: hours (the stack is rebuilt in the DR region",
        'from this repository, then the data restored into it). The whole procedure is in docs/operations.md, "Disaster recovery".',
      ],
      commands: [
        `cd ${workspaceDir(product, ws)}`,
        "terraform output dr_region",
        'aws rds describe-db-instance-automated-backups --region "$(terraform output -raw dr_region)" --db-instance-automated-backups-arn "$(terraform output -raw dr_backup_replication_arn)" --query \'DBInstanceAutomatedBackups[0].RestoreWindow\'   # the newest restorable time',
        "terraform output -json dr_bucket_names   # the replicas",
      ],
    },
  ];
}

/**
 * EduAutismo's runbook spec (docs/runbooks/<ws>.md): seed 000 §5–§8 in the guide's order, titled by the workspace
 * alone, synthesized with plain `npm run synth`; its first deploy (§5.1) is the guide's, followed by the pointer to
 * `npm run rollout`, and the frame's engine switch (D99) comes before disaster recovery.
 */
const SEED_001_ROLLBACK = "seed 001 rollback plan";

export const eduautismoRunbook: RunbookSpec = {
  heading: ({ ws }) => ws,
  intro,
  synth: "npm run synth",
  firstDeploy: (ctx) => firstDeploy(factsOf(ctx)),
  rolloutPointer: true,
  sections: [
    seed000(cacheRollout),
    seed000(postDeployChecks),
    seed000(appRollback),
    citing(FRAME.pinScaling, SEED_001_ROLLBACK),
    seed000(stateRollback),
    citing(FRAME.revertParameters, SEED_001_ROLLBACK),
    seed000(redisRollback),
    citing(FRAME.restoreFromSnapshot, SEED_001_ROLLBACK),
    citing(FRAME.redeploy, SEED_001_ROLLBACK),
    seed000(redisConnection),
    seed000(failoverFix),
    seed000(redisMemory),
    FRAME.valkeySwitch,
    seed000(disasterRecovery),
  ],
};
