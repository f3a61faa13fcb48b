/**
 * Runbook lines of the compute area, derived from a synthesized workspace, for the runbook generator
 * (lib/docs.ts): the first deploy (seed 000 §5.1, docs/decisions.md D56) and the ECS Exec toolbox
 * steps of seed 000 §8.1 and §8.4 (D55). Every line is a command an operator types inside
 * `cdktf.out/stacks/<ws>`, or a comment.
 */
import { planFile } from "./rollout";
import type { Json, SynthesizedStack } from "./synthesized";

/** The modules applied before any compute resource, in order (those the workspace has). */
export const DATA_MODULES = ["network", "security", "storage", "cache", "database"] as const;
/** The one-off compute resources of first-deploy step 2, in this order (those the workspace has). */
export const ONE_OFF_TARGETS = ["aws_ecr_repository.app", "aws_ecs_cluster.this", "aws_ecs_task_definition.db_bootstrap", "aws_ecs_task_definition.migrations"] as const;
/** Plan file of first-deploy step 2. */
export const ONE_OFF_PLAN = "tfplan-one-off";

const has = (tf: Json | undefined, address: string) => {
  const [type, name] = address.split(".");
  return Boolean(tf?.resource?.[type]?.[name]);
};

function facts(stack: SynthesizedStack) {
  const ws = stack.workspace;
  const compute: Json = stack.modules.compute ?? {};
  const cluster = `eduautismo-ia-${ws}`;
  const region = String([stack.root.provider?.aws ?? []].flat().find((p: Json) => !p.alias)?.region ?? "us-east-1");
  const tls = stack.root.variable?.redis_transit_encryption_enabled?.default === true;
  const arch = compute.resource?.aws_ecs_task_definition?.app?.runtime_platform?.cpu_architecture === "ARM64" ? "linux/arm64" : "linux/amd64";
  const secrets: string[] = stack.root.module?.security?.secret_names ?? [];
  return { ws, compute, cluster, region, tls, arch, secrets, varFile: `-var-file="environments/${ws}/terraform.tfvars"` };
}

const plan = (varFile: string, targets: string[], out: string) => `terraform plan ${varFile} ${targets.map((t) => `-target=${t}`).join(" ")} -out=${out}`;

/** Starts a one-off task, waits until it stops and prints each container's exit code. */
function oneOffTask(output: string, cluster: string): string[] {
  return [
    `TASK=$(eval "$(terraform output -raw ${output})")`,
    `aws ecs wait tasks-stopped --cluster ${cluster} --tasks "$TASK"`,
    `aws ecs describe-tasks --cluster ${cluster} --tasks "$TASK" --query 'tasks[0].containers[].[name,exitCode]' --output text   # expect exit code 0`,
  ];
}

/** Seed 000 §5.1 as it must run the first time: values and image before any task starts (D56). */
export function firstDeployLines(stack: SynthesizedStack): string[] {
  const f = facts(stack);
  const outputs = Object.keys(stack.root.output ?? {});
  const data = DATA_MODULES.filter((m) => stack.root.module?.[m]);
  const oneOff = ONE_OFF_TARGETS.filter((t) => has(f.compute, t)).map((t) => `module.compute.${t}`);
  const rest = ["compute", "monitoring", "cdn"].filter((m) => stack.root.module?.[m]);
  const lines = [
    `cd cdktf.out/stacks/${f.ws}`,
    "terraform init",
    `terraform workspace select ${f.ws} || terraform workspace new ${f.ws}`,
    "terraform validate",
    `# 1. Data modules, in order`,
    ...data.flatMap((m) => [plan(f.varFile, [`module.${m}`], planFile(m)), `terraform apply ${planFile(m)}`]),
    `# 2. Registry, cluster and one-off task definitions (no service yet)`,
    plan(f.varFile, oneOff, ONE_OFF_PLAN),
    `terraform apply ${ONE_OFF_PLAN}`,
    `# 3. A value in each application secret (typed without echo; tasks cannot start without them)`,
    ...f.secrets.map((s) => `read -rs VALUE && aws secretsmanager put-secret-value --secret-id "$(terraform output -json app_secret_arns | jq -r '."${s}"')" --secret-string "$VALUE"`),
    "unset VALUE",
    `# 4. The first image, from the application repository (tags are immutable: use a new tag per build)`,
    `REPO=$(terraform output -json ecr_repository_urls | jq -r '.app')`,
    `aws ecr get-login-password --region ${f.region} | docker login --username AWS --password-stdin "\${REPO%%/*}"`,
    `docker build --platform ${f.arch} -t "$REPO:<TAG>" <APP_DIR>`,
    `docker push "$REPO:<TAG>"`,
    `# 5. Set app_image_tag = "<TAG>" in environments/${f.ws}/terraform.tfvars (permanent: compute.imageTag in environments/${f.ws}.ts, then npm run synth)`,
    `# 6. Register the one-off task definitions again, now with that image`,
    plan(f.varFile, oneOff, ONE_OFF_PLAN),
    `terraform apply ${ONE_OFF_PLAN}`,
    `# 7. Database bootstrap, then migrations`,
    ...(outputs.includes("db_bootstrap_run_task_command") ? oneOffTask("db_bootstrap_run_task_command", f.cluster) : []),
    ...(outputs.includes("migrations_run_task_command") ? oneOffTask("migrations_run_task_command", f.cluster) : []),
    `# 8. Services (they start now that the tag is real), monitoring${rest.includes("cdn") ? ", CDN" : ""}`,
    ...rest.flatMap((m) => [plan(f.varFile, [`module.${m}`], planFile(m)), `terraform apply ${planFile(m)}`]),
    `aws ecs wait services-stable --cluster ${f.cluster} --services ${f.cluster}-app`,
    `aws ecs describe-services --cluster ${f.cluster} --services ${f.cluster}-app --query 'services[0].[desiredCount,runningCount]' --output text   # expect two equal numbers above 0`,
    `terraform plan ${f.varFile}   # expect no changes and no "Check block assertion failed" warning`,
  ];
  return lines;
}

/** The toolbox start and the redis-cli command of seed 000 §8.1 / §8.4, or [] without the toolbox. */
function toolboxSession(stack: SynthesizedStack, redisArgs: [args: string, comment?: string][]): string[] {
  const f = facts(stack);
  if (!stack.root.output?.ecs_toolbox_run_task_command) return [];
  const cli = `redis-cli${f.tls ? " --tls" : ""} -h $(terraform output -raw redis_endpoint)`;
  return [
    `TASK=$(eval "$(terraform output -raw ecs_toolbox_run_task_command)")`,
    `aws ecs wait tasks-running --cluster ${f.cluster} --tasks "$TASK"`,
    ...redisArgs.map(([a, c]) => `aws ecs execute-command --cluster ${f.cluster} --task "$TASK" --container toolbox --interactive --command "${cli} ${a}"${c ? `   # ${c}` : ""}`),
    `aws ecs stop-task --cluster ${f.cluster} --task "$TASK"   # or let it stop itself within the hour`,
  ];
}

/** Seed 000 §8.1 step 4 (test Redis from inside the VPC); needs the Session Manager plugin locally. */
export function ecsExecLines(stack: SynthesizedStack): string[] {
  if (!stack.root.output?.redis_endpoint) return [];
  return toolboxSession(stack, [["ping", "expect PONG"]]);
}

/** Seed 000 §8.4 diagnosis: memory and big keys, through the toolbox. */
export function redisMemoryLines(stack: SynthesizedStack): string[] {
  if (!stack.root.output?.redis_endpoint) return [];
  return toolboxSession(stack, [["info memory"], ["--bigkeys"]]);
}
