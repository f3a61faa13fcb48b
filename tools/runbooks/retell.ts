/**
 * Seed 003's own runbook commands (Retell AI: secrets, DNS, deploy, migrations, logs, rollback,
 * troubleshooting) with each workspace's real names. Where the guide's command cannot work as printed
 * (names, immutable image tags, run-task without a network), the working equivalent is printed and
 * docs/decisions.md D114 says why; docs/products/retell.md maps each guide command to its line here.
 */
import { containerNameOf } from "../../modules/compute/config";
import { recordImageLines } from "../image";
import { releaseCommands, type RunbookContext, type RunbookPart, type RunbookSection } from "../product-runbook";
import { guideFrame } from "./frame";

/** The guide's own sections. */
const retellSections: RunbookPart = (ctx) => {
  const { env, ws, product } = ctx;
  const cluster = ctx.input("compute", "name") ?? `${env.project}-${ws}`;
  const services = env.compute.services.map((s) => ({
    name: s.name,
    ecs: `${cluster}-${s.name}`,
    image: s.image,
    web: s.kind === "web",
    hosts: s.hostHeaders,
  }));
  const api = services[0];
  const secret = (name: string) =>
    `read -rs VALUE && aws secretsmanager put-secret-value --secret-id "$(terraform output -json app_secret_arns | jq -r '."${name}"')" --secret-string "$VALUE"   # type ${name}`;
  const sections: RunbookSection[] = [
    {
      title: "Secrets (seed 003 §3)",
      text: [
        `Terraform creates the secrets (\`${env.project}/${ws}/<name>\`, module security); put their values once, after the first deploy's`,
        "security step and before the services run. The guide's `aws secretsmanager create-secret --name prod/<name>` would make",
        "secrets the tasks never read (D114).",
      ],
      commands: ["terraform output -json app_secret_arns | jq -r 'keys[]'", ...env.security.secrets.names.map(secret)],
    },
    deploySection(
      ctx,
      cluster,
      services.map((s) => s.ecs),
    ),
    {
      title: 'Restart the services (seed 003 "Atualizar Serviços ECS")',
      commands: services.map(
        (s) => `aws ecs update-service --cluster ${cluster} --service ${s.ecs} --force-new-deployment`,
      ),
    },
    {
      title: "DNS (seed 003 §5)",
      text: services
        .filter((s) => s.hosts.length > 0)
        .map(
          (s) => `- ${s.hosts.join(", ")} → CNAME to the ALB's name (service ${s.ecs}); the certificate must cover it.`,
        ),
      commands: ["terraform output alb_dns_name"],
    },
    {
      title: 'Logs (seed 003 "Monitoramento")',
      text: [
        `One log group, \`/ecs/${cluster}\`, one stream prefix per service (the guide's \`/ecs/retell-prod/<service>\`).`,
      ],
      commands: services.map((s) => `aws logs tail /ecs/${cluster} --log-stream-name-prefix ${s.name}/ --follow`),
    },
    {
      title: 'Rollback (seed 003 "Rollback Manual")',
      text: [
        "ECS returns to an earlier revision at once; record that revision's image tag too, or the next compute apply (or the",
        "pipeline's next run) brings the newer image back.",
      ],
      commands: [
        `aws ecs list-task-definitions --family-prefix ${api.ecs} --sort DESC`,
        `aws ecs update-service --cluster ${cluster} --service ${api.ecs} --task-definition ${api.ecs}:<PREVIOUS_REVISION>`,
        `aws ecs wait services-stable --cluster ${cluster} --services ${api.ecs}`,
        ...recordImageLines(product, ws, "<PREVIOUS_TAG>"),
      ],
    },
    {
      title: "Troubleshooting (seed 003)",
      commands: [
        `aws ecs describe-services --cluster ${cluster} --services ${api.ecs} --query 'services[0].events[0:5]'`,
        `aws ecs describe-tasks --cluster ${cluster} --tasks "$TASK"`,
        ...services
          .filter((s) => s.web)
          .map(
            (s) =>
              `aws elbv2 describe-target-health --target-group-arn "$(terraform output -json target_group_arns | jq -r '."${s.name}"')"`,
          ),
      ],
    },
  ];
  return sections;
};

/** `ECR_<IMAGE>`: the shell variable that holds an image's repository URL. */
const ecrVar = (image: string) => `ECR_${image.replace(/-/g, "_").toUpperCase()}`;

/** The guide's manual deploy: build and push every image, record the tag, then the release (one-off tasks, services). */
function deploySection(
  { env, ws, varFile, product }: RunbookContext,
  cluster: string,
  services: string[],
): RunbookSection {
  const region = env.region;
  return {
    title: 'Deploy: images, migrations, services (seed 003 "Deploy Manual")',
    text: [
      "Repositories have immutable tags: tag each build with the commit, never `:latest` (D114). Record that tag with `npm run image`",
      "(its one home is the product's `images.json`, which every synth writes into the tfvars; D135) before the plans below. The",
      "migrations task needs the private subnets and the tasks' security group: its output prints the complete `aws ecs run-task`",
      "line (the guide's `--launch-type FARGATE` alone fails). The db-bootstrap task (first deploy only) creates the app's database user.",
    ],
    commands: [
      "TAG=$(git rev-parse --short HEAD)",
      ...env.compute.images.map((i) => `${ecrVar(i)}=$(terraform output -json ecr_repository_urls | jq -r '."${i}"')`),
      `aws ecr get-login-password --region ${region} | docker login --username AWS --password-stdin "\${${ecrVar(env.compute.images[0])}%%/*}"`,
      ...env.compute.images.flatMap((i) => [
        `docker build -t "$${ecrVar(i)}:$TAG" -f apps/${i}/Dockerfile .`,
        `docker push "$${ecrVar(i)}:$TAG"`,
      ]),
      ...recordImageLines(product, ws, "$TAG"),
      ...releaseCommands(
        varFile,
        cluster,
        [
          { key: "db_bootstrap", container: containerNameOf(env.compute, "db_bootstrap"), note: "first deploy only" },
          { key: "migrations", container: containerNameOf(env.compute, "migrations") },
        ],
        "tfplan-compute",
        services,
      ),
    ],
  };
}

/** The guide's runbook: its sections in the shared frame (tools/runbooks/frame.ts). */
export const retellRunbook = guideFrame(retellSections);
