/** The compute area's runbook lines (first deploy, seed 000 §8.1 and §8.4) for the runbook generator. */
import { ecsExecLines, firstDeployLines, ONE_OFF_PLAN, redisMemoryLines } from "../../lib/compute-runbook";
import { inputs, synthAll } from "../helpers/synth";

const { stacks } = synthAll();
const prod = () => firstDeployLines(stacks.production);
const index = (lines: string[], fragment: string) => {
  const i = lines.findIndex((l) => l.includes(fragment));
  if (i < 0) throw new Error(`no line contains ${fragment}`);
  return i;
};

describe("first deploy", () => {
  test("applies the data modules in order before anything of compute", () => {
    const lines = prod();
    const order = ["network", "security", "storage", "cache", "database"].map((m) => index(lines, `-target=module.${m} `));
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(order[order.length - 1]).toBeLessThan(index(lines, "module.compute.aws_ecr_repository.app"));
  });

  test("step 2 targets exactly the registry, the cluster and the one-off task definitions", () => {
    expect(prod()).toContain(
      'terraform plan -var-file="environments/production/terraform.tfvars" -target=module.compute.aws_ecr_repository.app -target=module.compute.aws_ecs_cluster.this -target=module.compute.aws_ecs_task_definition.migrations -out=tfplan-one-off',
    );
  });

  test("step 2 includes the db-bootstrap task definition when the workspace has one", () => {
    const s = structuredClone(stacks.staging);
    s.modules.compute.resource.aws_ecs_task_definition.db_bootstrap = { family: "x" };
    s.root.output.db_bootstrap_run_task_command = { value: "${module.compute.db_bootstrap_run_task_command}" };
    const lines = firstDeployLines(s);
    expect(lines.find((l) => l.endsWith(`-out=${ONE_OFF_PLAN}`))).toContain("-target=module.compute.aws_ecs_task_definition.db_bootstrap -target=module.compute.aws_ecs_task_definition.migrations");
    expect(index(lines, "db_bootstrap_run_task_command")).toBeLessThan(index(lines, "migrations_run_task_command"));
  });

  test("puts a value in each app secret, read without echo, before the image and the services", () => {
    const lines = prod();
    for (const s of ["openai-api-key", "jwt-secret-key"]) {
      expect(lines).toContain(`read -rs VALUE && aws secretsmanager put-secret-value --secret-id "$(terraform output -json app_secret_arns | jq -r '."${s}"')" --secret-string "$VALUE"`);
      expect(index(lines, `"${s}"`)).toBeLessThan(index(lines, "docker push"));
    }
  });

  test("pushes the image, sets app_image_tag, registers the one-off task definitions again, runs migrations, then applies compute", () => {
    const lines = prod();
    const steps = ["docker push", "app_image_tag", `terraform apply ${ONE_OFF_PLAN}`, "migrations_run_task_command", "-target=module.compute -out=tfplan-ecs"].map((f, i) =>
      i === 2 ? lines.lastIndexOf(`terraform apply ${ONE_OFF_PLAN}`) : index(lines, f),
    );
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
  });

  test("each one-off task is awaited and its exit code shown", () => {
    const lines = prod();
    const at = index(lines, 'TASK=$(eval "$(terraform output -raw migrations_run_task_command)")');
    expect(lines.slice(at + 1, at + 3)).toEqual([
      'aws ecs wait tasks-stopped --cluster eduautismo-ia-production --tasks "$TASK"',
      "aws ecs describe-tasks --cluster eduautismo-ia-production --tasks \"$TASK\" --query 'tasks[0].containers[].[name,exitCode]' --output text   # expect exit code 0",
    ]);
  });

  test("ends with compute, monitoring and (production) the CDN, then a full plan without the placeholder warning", () => {
    const lines = prod();
    expect(index(lines, "-target=module.compute ")).toBeLessThan(index(lines, "-target=module.monitoring "));
    expect(index(lines, "-target=module.monitoring ")).toBeLessThan(index(lines, "-target=module.cdn "));
    expect(lines[lines.length - 1]).toContain("Check block assertion failed");
    expect(lines).toContain("aws ecs describe-services --cluster eduautismo-ia-production --services eduautismo-ia-production-app --query 'services[0].[desiredCount,runningCount]' --output text   # expect two equal numbers above 0");
    expect(firstDeployLines(stacks.dev).join("\n")).not.toContain("module.cdn");
  });

  test("logs in to ECR in the workspace's region and builds for the tasks' architecture", () => {
    expect(prod()).toContain('aws ecr get-login-password --region us-east-1 | docker login --username AWS --password-stdin "${REPO%%/*}"');
    expect(prod()).toContain('docker build --platform linux/amd64 -t "$REPO:<TAG>" <APP_DIR>');
  });
});

describe("seed 000 §8.1 and §8.4 through the toolbox", () => {
  test("§8.1 starts the toolbox, waits for it, pings Redis over TLS in production, and stops it", () => {
    expect(ecsExecLines(stacks.production)).toEqual([
      'TASK=$(eval "$(terraform output -raw ecs_toolbox_run_task_command)")',
      'aws ecs wait tasks-running --cluster eduautismo-ia-production --tasks "$TASK"',
      'aws ecs execute-command --cluster eduautismo-ia-production --task "$TASK" --container toolbox --interactive --command "redis-cli --tls -h $(terraform output -raw redis_endpoint) ping"   # expect PONG',
      'aws ecs stop-task --cluster eduautismo-ia-production --task "$TASK"   # or let it stop itself within the hour',
    ]);
  });

  test("without TLS the redis-cli line has no --tls", () => {
    const dev = stacks.dev.root.variable.redis_transit_encryption_enabled.default;
    const line = ecsExecLines(stacks.dev).find((l) => l.includes("redis-cli")) as string;
    expect(line.includes("--tls")).toBe(dev === true);
  });

  test("§8.4 reads memory and big keys through the same toolbox", () => {
    const lines = redisMemoryLines(stacks.production);
    expect(lines.filter((l) => l.includes("execute-command")).map((l) => l.replace(/.*redis_endpoint\) /, "").replace(/"$/, ""))).toEqual(["info memory", "--bigkeys"]);
  });

  test("without the toolbox or without a cache there is nothing to print", () => {
    const all = inputs();
    all.staging.compute = { ...all.staging.compute, toolbox: { enabled: false } };
    all.production.cache = { ...all.production.cache, enabled: false };
    const s = synthAll(all).stacks;
    expect(ecsExecLines(s.staging)).toEqual([]);
    expect(ecsExecLines(s.production)).toEqual([]);
    expect(redisMemoryLines(s.production)).toEqual([]);
  });
});
