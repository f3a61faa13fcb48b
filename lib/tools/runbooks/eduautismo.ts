/**
 * EduAutismo's runbook (seeds 000 and 001: docs/runbooks/<ws>.md): seed 000 §5–§8 for one workspace, built from its
 * synthesized root, so every command names this workspace's real modules, outputs, variables and AWS names. A step
 * that needs an output or variable the root does not have is left out (or replaced by a note), so the runbook is
 * right for whatever the configuration holds. One function per section of the guide; what the sections read of the
 * workspace is computed once (`Seed000Facts`). Conventions the operator tests rely on
 * (__tests__/terraform/operator-*.test.ts): `bash` blocks hold commands typed in the workspace directory, `sh` blocks
 * commands typed inside a container, `hcl` blocks tfvars edits (first line: the file), `text` blocks what Terraform
 * prints.
 */
import { containerNameOf } from "../../../modules/compute/config";
import type { EnvironmentConfig, Product } from "../../../environments";
import { imagesFilePath } from "../../../environments/deployed-images";
import { recordImageLines } from "../image";
import {
  firstDeployNotes,
  GENERATED,
  oneOffTask,
  registerTaskDefinitions,
  startTask,
  valkeySwitchSection,
  workspaceDir,
} from "../product-runbook";
import { moduleGraph, moduleSteps, readers, rolloutOrder, STATE_BACKUP, targetClosure } from "../rollout";
import type { Json, SynthesizedStack } from "../synthesized";

/** What the sections read of one workspace: its names, outputs, variables and tfvars, read once from the synthesized root. */
interface Seed000Facts {
  readonly product: Product;
  readonly ws: string;
  readonly env: EnvironmentConfig;
  readonly stack: SynthesizedStack;
  readonly varFile: string;
  readonly outputs: string[];
  readonly has: (output: string) => boolean;
  readonly variables: Json;
  readonly hasVar: (variable: string) => boolean;
  readonly tfvar: (variable: string) => string | undefined;
  readonly graph: ReturnType<typeof moduleGraph>;
  readonly order: string[];
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

function seed000Facts(product: Product, env: EnvironmentConfig, stack: SynthesizedStack): Seed000Facts {
  const ws = stack.workspace;
  const outputs = Object.keys(stack.root.output ?? {});
  const variables = stack.root.variable ?? {};
  const tfvar = (v: string) => new RegExp(`^${v} = (.*)$`, "m").exec(stack.tfvars)?.[1];
  const graph = moduleGraph(stack.root);
  const computeBlock = stack.root.module?.compute ?? {};
  const name = String(computeBlock.name ?? `eduautismo-ia-${ws}`).replace("${var.environment}", ws);
  const compute = stack.modules.compute ?? {};
  return {
    product,
    ws,
    env,
    stack,
    varFile: `-var-file="environments/${ws}/terraform.tfvars"`,
    outputs,
    has: (o) => outputs.includes(o),
    variables,
    hasVar: (v) => v in variables,
    tfvar,
    graph,
    order: rolloutOrder(graph),
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

/** The prose line before the runbook's `npm run rollout` block, where the first-deploy section's commands end. */
const ROLLOUT_POINTER = "The same module order, with what each `-target` also plans:";

/** The title and where to run: the directory, the modules, where a change that lasts is made. */
function header(f: Seed000Facts): string[] {
  const { product, ws, order } = f;
  return [
    GENERATED,
    "",
    `# Runbook — ${ws}`,
    "",
    `Directory: \`${workspaceDir(product, ws)}\` (run \`npm run synth\` at the repository root first; it rewrites the`,
    "configuration and keeps `.terraform/`, `terraform.tfstate.d/` and `state-backups/`). Commands run there with your",
    `own \`terraform\` and CLI configuration. Modules: ${order.join(", ")}.`,
    "Edits to `environments/" + ws + "/terraform.tfvars` are one-off: the next `npm run synth` rewrites the file from",
    "`" +
      product.sourceDir +
      "/" +
      ws +
      ".ts` (and `app_image_tag` from `" +
      imagesFilePath(product) +
      "`: `npm run image`), so make a change you keep there.",
  ];
}

/** §5.1: the modules compute needs, then (with compute) the first release, the database tasks, the services. */
function firstDeploy(f: Seed000Facts): string[] {
  const { product, ws, stack, graph, order, plan } = f;
  const beforeCompute = graph.compute ? order.filter((m) => targetClosure(graph, "compute").includes(m)) : order;
  const afterCompute = graph.compute ? order.filter((m) => m !== "compute" && !beforeCompute.includes(m)) : [];
  const lines = [
    "",
    "## First deploy (seed 000 §5.1)",
    "Module by module, in dependency order; the services start only once their secrets have values and their image",
    "exists. Review each plan before applying it.",
    ...firstDeployNotes(stack.root, ws, `${product.sourceDir}/${ws}.ts`),
    "",
    "```bash",
    `cd ${workspaceDir(product, ws)}`,
    "terraform init",
    `terraform workspace select ${ws} || terraform workspace new ${ws}`,
    "terraform validate",
    ...beforeCompute.flatMap(plan),
    "```",
  ];
  if (graph.compute) lines.push(...firstRelease(f), ...databaseTasksAndServices(f, afterCompute), ...cdnOriginNotes(f));
  lines.push("", ROLLOUT_POINTER, "```bash", `npm run rollout -- ${ws}`, "```");
  return lines;
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
  const { env, varFile, has, compute, cluster, service, plan } = f;
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
function cacheRollout(f: Seed000Facts): string[] {
  const { product, ws, graph, cluster, service, cache, redisGroup, plan } = f;
  const lines: string[] = [];
  if (cache) {
    lines.push(
      "",
      "## Incremental cache rollout (seed 000 §5.2)",
      `\`-target=module.cache\` also plans: ${targetClosure(graph, "cache").join(", ")}. Select the workspace before the backup:`,
      "in `default` there is nothing to back up, and `npm run state -- backup` refuses it (and an empty state). Then every",
      `module that reads the cache's outputs (${readers(graph, "cache").join(", ")}): a new or re-created group has no alarms until monitoring is applied.`,
      "```bash",
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
      "```",
    );
  }
  return lines;
}

/** §6. */
function postDeployChecks(f: Seed000Facts): string[] {
  const { stack, has, graph, name, cluster, https, cache, redisGroup } = f;
  const lines: string[] = [];
  lines.push("", "## Post-deploy checks (seed 000 §6)", "```bash", "terraform output");
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
  lines.push("```");
  return lines;
}

/** §7.1. */
function appRollback(f: Seed000Facts): string[] {
  const { product, ws, graph, cluster, service, family, plan } = f;
  const lines: string[] = [];
  if (graph.compute) {
    lines.push(
      "",
      "## Rollback: application only (seed 000 §7.1)",
      "```bash",
      `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].taskDefinition'   # the revision running now`,
      `aws ecs list-task-definitions --family-prefix ${family} --sort DESC --max-items 5`,
      `aws ecs update-service --cluster ${cluster} --service ${service} --task-definition ${family}:<PREVIOUS_REVISION>`,
      `aws ecs wait services-stable --cluster ${cluster} --services ${service}`,
      `aws ecs describe-services --cluster ${cluster} --services ${service} --query 'services[0].events[:5]'`,
      "```",
      "Then record the previous image tag, or the next compute apply (or the pipeline's next run) registers the bad one again:",
      "```bash",
      ...recordImageLines(product, ws, "2.9.0"),
      ...plan("compute").map((l, i) =>
        i === 0 ? `${l}   # expect: the app task definition replaced with the previous image` : l,
      ),
      "```",
    );
  }
  return lines;
}

/** §7.2. */
function stateRollback(f: Seed000Facts): string[] {
  const { product, ws, varFile } = f;
  const lines: string[] = [];
  lines.push(
    "",
    "## Rollback: Terraform state (seed 000 §7.2)",
    "Seed 000's `cp terraform.tfstate.backup terraform.tfstate` changes nothing here: with a workspace selected,",
    `Terraform reads \`terraform.tfstate.d/${ws}/terraform.tfstate\` (or the workspace's S3 object), never \`./terraform.tfstate\`.`,
    "Push the backup instead. `npm run state -- restore` checks the lineage, saves the current state, and pushes the",
    "backup as the next serial (no `-force`). Then plan and review; never `apply -auto-approve`.",
    "```bash",
    `cd ${workspaceDir(product, ws)}`,
    `terraform workspace select ${ws}`,
    "npm run state -- list",
    `npm run state -- restore state-backups/${ws}/<backup>.tfstate`,
    `terraform plan ${varFile} -out=tfplan-rollback   # review what AWS needs to match the restored state`,
    "terraform apply tfplan-rollback",
    "terraform state list",
    "```",
    "With plain Terraform and a `terraform state pull > terraform.tfstate.backup` copy (Terraform refuses to push an",
    "older serial, and `-force` would also skip the lineage check, so bump the serial instead):",
    "```bash",
    "terraform state pull > terraform.tfstate.before-restore",
    `jq --argjson serial "$(( $(jq .serial terraform.tfstate.before-restore) + 1 ))" '.serial = $serial' terraform.tfstate.backup > terraform.tfstate.restore`,
    "terraform state push terraform.tfstate.restore",
    "```",
    "then the same `terraform plan` as above.",
  );
  return lines;
}

/** §7.3. */
function redisRollback(f: Seed000Facts): string[] {
  const { product, ws, stack, varFile, graph, cluster, service, cache } = f;
  const lines: string[] = [];
  if (cache) {
    const protectedCache = JSON.stringify(stack.modules.cache ?? {}).includes('"prevent_destroy":true');
    lines.push(
      "",
      "## Rollback: Redis (seed 000 §7.3)",
      "`terraform destroy -target=module.cache` would also destroy what depends on the cache (the ECS service, task",
      "definitions, alarms). Instead remove the cache from the configuration and let compute drop its REDIS_* settings first.",
      `1. In \`${product.sourceDir}/${ws}.ts\` set \`cache.enabled = false\`` +
        (protectedCache
          ? " and `cache.allowDestroy = true` (the replication group carries `prevent_destroy`; this is the deliberate step that lifts it)."
          : "."),
      "2. Then:",
      "```bash",
      "npm run synth",
      `cd ${workspaceDir(product, ws)}`,
      `terraform workspace select ${ws}`,
      "npm run state -- backup",
      `terraform plan ${varFile} -target=module.compute${graph.monitoring ? " -target=module.monitoring" : ""} -out=tfplan-no-redis-app   # compute loses REDIS_*; nothing in module.cache changes`,
      "terraform apply tfplan-no-redis-app",
      `aws ecs wait services-stable --cluster ${cluster} --services ${service}   # the app now runs without Redis`,
      // -target still selects the cache's resources once its module block is gone (proven in redis-rollback.test.ts),
      // and keeps unrelated drift out of this change.
      `terraform plan ${varFile} -target=module.cache -out=tfplan-no-redis   # review: only module.cache.* is destroyed`,
      "terraform apply tfplan-no-redis",
      "```",
      "To bring Redis back at once (the AUTH secret has no recovery window, the final snapshot a per-lifetime name, D45):",
      "set `cache.enabled` back to true" +
        (protectedCache ? " (and remove `cache.allowDestroy`)" : "") +
        ", `npm run synth`, then §5.2 (it also applies " +
        readers(graph, "cache").join(" and ") +
        ", so the new group is watched).",
    );
  }
  return lines;
}

/** §8.1. */
function redisConnection(f: Seed000Facts): string[] {
  const { cluster, cache, redisGroup, tls, toolbox, plan } = f;
  const lines: string[] = [];
  if (cache) {
    lines.push(
      "",
      "## Redis connection failed (seed 000 §8.1)",
      "```bash",
      `aws ec2 describe-security-groups --group-ids "$(terraform output -raw redis_security_group_id)" --query 'SecurityGroups[0].IpPermissions'   # 6379 from the tasks' group:`,
      "terraform output -raw ecs_security_group_id",
      `aws elasticache describe-replication-groups --replication-group-id ${redisGroup} --query 'ReplicationGroups[0].Status'   # expect "available"`,
      "terraform output redis_endpoint",
      "```",
    );
    if (toolbox) {
      lines.push(
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
      );
    } else {
      lines.push(
        "This configuration has no ECS Exec toolbox task (`ecs_toolbox_run_task_command`), and the app container's read-only",
        "root filesystem rules out ECS Exec there: test connectivity from a task you start for it.",
      );
    }
    lines.push(
      "If the rule is missing, do not add it by hand (Terraform would not know it): re-apply the cache module, which owns it.",
      "```bash",
      ...plan("cache"),
      "```",
    );
  }
  return lines;
}

/** §8.3. */
function failoverFix(f: Seed000Facts): string[] {
  const { product, ws, variables, hasVar, tfvar, cache, plan } = f;
  const lines: string[] = [];
  const failoverRule = (variables.redis_num_cache_nodes?.validation ?? []).find((v: Json) =>
    /failover/.test(String(v.error_message)),
  );
  if (cache && failoverRule && hasVar("redis_automatic_failover_enabled")) {
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
    lines.push(
      "",
      "## Apply fails: automatic failover needs 2 nodes (seed 000 §8.3)",
      "ElastiCache refuses automatic failover with one node (`InvalidParameterCombination`). Here the plan stops first, for",
      "example after this edit:",
      ...tfvarsEdit(ws, refused),
      "```bash",
      plan("cache")[0],
      "```",
      "Terraform prints:",
      "```text",
      "Error: Invalid value for variable",
      message,
      "```",
      current.failover
        ? `Fix: keep failover (this workspace requires it) and its ${current.nodes} nodes (\`cache.numCacheNodes\` in \`${product.sourceDir}/${ws}.ts\`):`
        : `Fix: this workspace's ${current.nodes} node${current.nodes === 1 ? "" : "s"} without failover (failover needs 2 or more nodes and \`cache.automaticFailover\`):`,
      ...tfvarsEdit(ws, fix),
      "```bash",
      ...plan("cache"),
      "```",
    );
  }
  return lines;
}

/** §8.4. */
function redisMemory(f: Seed000Facts): string[] {
  const { product, ws, tfvar, cluster, cache, tls, toolbox, plan } = f;
  const lines: string[] = [];
  if (cache) {
    const nodeType = JSON.parse(tfvar("redis_node_type") ?? '"cache.t3.micro"') as string;
    lines.push("", "## High Redis memory (seed 000 §8.4)");
    if (toolbox) {
      lines.push(
        "Look first, through the toolbox task (see §8.1):",
        "```bash",
        ...toolboxShell(cluster),
        "```",
        "Inside the toolbox shell:",
        "```sh",
        `redis-cli ${tls ? "--tls " : ""}-h "$REDIS_HOST" -p "$REDIS_PORT" info memory`,
        `redis-cli ${tls ? "--tls " : ""}-h "$REDIS_HOST" -p "$REDIS_PORT" --bigkeys`,
        "```",
      );
    }
    lines.push(
      `Option 1, a bigger node (in place; \`${nodeType}\` → \`${nextNodeType(nodeType)}\` here), now rather than in the next maintenance window:`,
      ...tfvarsEdit(ws, [`redis_node_type = "${nextNodeType(nodeType)}"`, "redis_apply_immediately = true"]),
      "```bash",
      ...plan("cache").map((l, i) => (i === 0 ? `${l}   # expect: ~ node_type, updated in place` : l)),
      "```",
      "Afterwards set it back, so ordinary changes wait for the window again:",
      ...tfvarsEdit(ws, ["redis_apply_immediately = false"]),
      `Keep the new size in \`${product.sourceDir}/${ws}.ts\` (\`cache.nodeType\`).`,
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
    );
    if (toolbox) {
      lines.push(
        "Option 3, emergency only: empty the cache from the toolbox shell (every request misses until it refills).",
        "```sh",
        `redis-cli ${tls ? "--tls " : ""}-h "$REDIS_HOST" -p "$REDIS_PORT" FLUSHALL`,
        "```",
      );
    }
  }
  return lines;
}

/** Cache engine switch (D99). */
function valkeySwitch(f: Seed000Facts): string[] {
  const { product, ws, stack } = f;
  const lines: string[] = [];
  const valkey = valkeySwitchSection(stack, `${product.sourceDir}/${ws}.ts`, "npm run synth");
  if (valkey)
    lines.push("", `## ${valkey.title}`, ...(valkey.text ?? []), "```bash", ...(valkey.commands ?? []), "```");
  return lines;
}

/** Disaster recovery (seed 000 §4.3). */
function disasterRecovery(f: Seed000Facts): string[] {
  const { product, ws, stack, has } = f;
  const lines: string[] = [];
  if (has("dr_region")) {
    const drRegion = String(stack.root.module?.dr?.dr_region);
    lines.push(
      "",
      "## Disaster recovery: restore in " + drRegion + " (seed 000 §4.3)",
      `The database's automated backups and the replicated buckets are copied to ${drRegion} (module \`dr\`, docs/decisions.md D75).`,
      "RPO: minutes for the database, seconds to minutes for the buckets; RTO: hours (the stack is rebuilt in the DR region",
      'from this repository, then the data restored into it). The whole procedure is in docs/operations.md, "Disaster recovery".',
      "```bash",
      `cd ${workspaceDir(product, ws)}`,
      "terraform output dr_region",
      'aws rds describe-db-instance-automated-backups --region "$(terraform output -raw dr_region)" --db-instance-automated-backups-arn "$(terraform output -raw dr_backup_replication_arn)" --query \'DBInstanceAutomatedBackups[0].RestoreWindow\'   # the newest restorable time',
      "terraform output -json dr_bucket_names   # the replicas",
      "```",
    );
  }
  return lines;
}

/** The root outputs with their descriptions. */
function outputList(f: Seed000Facts): string[] {
  const { stack, outputs } = f;
  return ["", "## Outputs", "", ...outputs.map((o) => `- \`${o}\`: ${String(stack.root.output[o].description ?? "")}`)];
}

/** The sections of EduAutismo's runbook, in the guide's order. */
const SECTIONS: readonly ((f: Seed000Facts) => string[])[] = [
  header,
  firstDeploy,
  cacheRollout,
  postDeployChecks,
  appRollback,
  stateRollback,
  redisRollback,
  redisConnection,
  failoverFix,
  redisMemory,
  valkeySwitch,
  disasterRecovery,
  outputList,
];

/** `docs/runbooks/<ws>.md` of EduAutismo: seed 000 §5–§8 with this workspace's names. */
export function eduautismoRunbookDoc(product: Product, env: EnvironmentConfig, stack: SynthesizedStack): string {
  const f = seed000Facts(product, env, stack);
  return SECTIONS.flatMap((section) => section(f)).join("\n") + "\n";
}

/**
 * The runbook's first deploy (seed 000 §5.1) as markdown lines, cut from the runbook itself: the one source of
 * the runbook's section and of `npm run rollout -- <ws>` (lib/tools/rollout.ts prints its commands).
 */
export function eduautismoFirstDeploy(product: Product, env: EnvironmentConfig, stack: SynthesizedStack): string[] {
  const doc = eduautismoRunbookDoc(product, env, stack).split("\n");
  const start = doc.indexOf("## First deploy (seed 000 §5.1)");
  const end = doc.indexOf(ROLLOUT_POINTER, start);
  return ["", ...doc.slice(start, end).join("\n").trimEnd().split("\n")];
}
