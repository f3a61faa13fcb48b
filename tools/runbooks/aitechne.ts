/**
 * AI Techne Academy's guide commands (seed 004) with each workspace's names: what the SAM stack takes from
 * this workspace (docs/products/aitechne.md), the guide's troubleshooting and alarm checks. The SAM
 * application's own commands (sam build/validate, pytest, quota requests, S3/Step Functions/DynamoDB tests)
 * stay the guide's.
 */
import { recordImageLines } from "../image";
import { startTask, type RunbookPart, type RunbookContext, type RunbookSection } from "../product-runbook";
import { guideFrame } from "./frame";

/** The guide's own sections. */
const aitechneSections: RunbookPart = ({ ws, env, input, hasOutput, product, varFile }) => {
  const cluster = input("compute", "name") ?? `<cluster>`;
  const alarmPrefix = input("monitoring", "alarm_prefix") ?? `<prefix>`;
  const defaultVpc = env.network.mode === "default-vpc";
  const tasks = env.compute.tasks;
  const sections: RunbookSection[] = [];
  if (defaultVpc) {
    sections.push({
      title: "Option A: the default VPC (seed 004, Bloqueio 1)",
      text: [
        "This workspace looks up the account's default VPC and its default subnets at plan time (data sources, D118): every",
        "`terraform plan` here needs AWS credentials for the account. The guide's look-up, to compare with the outputs:",
      ],
      commands: [
        'aws ec2 describe-vpcs --filters "Name=isDefault,Values=true" --query "Vpcs[0].VpcId" --output text',
        "terraform output -raw vpc_id",
        `aws ec2 describe-subnets --filters "Name=vpc-id,Values=$(terraform output -raw vpc_id)" "Name=default-for-az,Values=true" --query "Subnets[].SubnetId" --output text`,
        "terraform output -raw public_subnet_ids",
      ],
    });
  }
  sections.push({
    title: "Deploy a processor image (D135)",
    text: [
      "CI pushes the processor image to this workspace's repository (`terraform output -json ecr_repository_urls`; immutable",
      "tags, no `:latest`, D125). Its tag has one home, the product's `images.json`: record it there, commit it, and apply",
      "compute, so the task definition the SAM stack runs names the image. A later synth anywhere plans the same tag.",
    ],
    commands: [
      'TAG="sha-<commit>"   # the tag CI pushed',
      ...recordImageLines(product, ws, "$TAG"),
      `terraform plan ${varFile} -target=module.compute -out=tfplan-compute`,
      "terraform apply tfplan-compute",
    ],
  });
  sections.push(samDeploySection({ ws, env, hasOutput }));
  sections.push({
    title: "Troubleshooting: the ECS task does not start (seed 004)",
    text: [
      "The guide's checklist: the subnets route to the internet gateway, the tasks' security group sends HTTPS (443), the state",
      "machine's role may `ecs:RunTask` on the family (`<family>` and `<family>:*`: the ARN it gets has no revision) and `iam:PassRole`",
      "the two task roles (`terraform output -raw task_role_arn`, `execution_role_arn`), its overrides name the container",
      "`terraform output -raw processor_container_name`, and the image with the tag `npm run image -- show` prints exists. Start the task by hand",
      "as the state machine does:",
    ],
    commands: [
      ...tasks.map(
        (t) =>
          `aws ecs describe-task-definition --task-definition ${t.family ?? `${cluster}-${t.name}`} --query 'taskDefinition.[family,revision,status]'`,
      ),
      `aws ecs list-tasks --cluster ${cluster}`,
      ...tasks.map((t) => startTask(`${t.name.replace(/-/g, "_")}_run_task_command`)),
      `aws ecs describe-tasks --cluster ${cluster} --tasks "$TASK" --query 'tasks[0].[lastStatus,stoppedReason]'`,
      `aws logs tail /ecs/${cluster} --since 1h`,
    ],
  });
  sections.push({
    title: "Alarms (seed 004, Alarmes Críticos)",
    text: [
      "The guide's `put-metric-alarm` is `module.monitoring` here: the Step Functions failures alarm (with its `StateMachineArn`",
      "dimension, D125) and Bedrock throttling, to the topic `terraform output -raw alarm_topic_arn`. Confirm the e-mail subscription.",
    ],
    commands: [
      `aws cloudwatch describe-alarms --alarm-name-prefix ${alarmPrefix}- --query 'MetricAlarms[].[AlarmName,StateValue]' --output table`,
      "aws sns list-subscriptions-by-topic --topic-arn \"$(terraform output -raw alarm_topic_arn)\" --query 'Subscriptions[].[Endpoint,SubscriptionArn]' --output table",
    ],
  });
  return sections;
};

/** `processor` → `Processor`, `video-processor` → `VideoProcessor`: a task's prefix in the SAM parameter names. */
const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase());
/** `processor_task_definition_arn` → `PROCESSOR_TASK_DEFINITION_ARN`: the shell variable that holds an output. */
const shellVar = (output: string) => output.toUpperCase();

/**
 * The SAM deploy from a fresh checkout (D169): the outputs are read here, in the workspace directory (where
 * `terraform output` works), into shell variables; then, in the SAM application's checkout, `sam build` and
 * `sam deploy --resolve-s3` (a first deploy without `--guided` and without samconfig.toml has no artifacts bucket:
 * SAM then stops with "S3 Bucket not specified"). `sam deploy` without `--template-file` deploys what `sam build`
 * wrote (.aws-sam/build/template.yaml).
 */
function samDeploySection({ ws, env, hasOutput }: Pick<RunbookContext, "ws" | "env" | "hasOutput">): RunbookSection {
  const values: [param: string, output: string][] = [
    ["VpcId", "vpc_id"],
    ["SubnetIds", "public_subnet_ids"],
    ["ECSSecurityGroup", "ecs_security_group_id"],
    ["ClusterArn", "ecs_cluster_arn"],
    ...env.compute.tasks.flatMap((t): [string, string][] => {
      const tf = t.name.replace(/-/g, "_");
      return [
        [`${pascal(t.name)}TaskDefinitionArn`, `${tf}_task_definition_arn`],
        [`${pascal(t.name)}ContainerName`, `${tf}_container_name`],
      ];
    }),
    ["TaskRoleArn", "task_role_arn"],
    ["ExecutionRoleArn", "execution_role_arn"],
  ].filter(([, output]) => hasOutput(output)) as [string, string][];
  const params = [
    `"Environment=${ws}"`,
    ...(env.monitoring.alarmEmails[0] ? [`"NotificationEmail=${env.monitoring.alarmEmails[0]}"`] : []),
    ...values.map(([param, output]) => `"${param}=$${shellVar(output)}"`),
  ];
  const repo = env.security.deploy.githubRepository;
  return {
    title: "The SAM stack (seed 004, Deploy)",
    text: [
      "After this workspace is applied with a processor image (the section above). First read this workspace's outputs here,",
      "where `terraform output` works; then build and deploy the SAM",
      `application from its own checkout${repo ? ` (\`${repo}\`)` : ""}, whose template has been migrated as docs/products/aitechne.md`,
      "(\"Migrating the guide's template\") says: Terraform owns the network, the cluster, the processor's task definition, its roles",
      "and the alarms, and the template takes them as parameters. `--resolve-s3` gives a first deploy its artifacts bucket without",
      "`--guided`; the same lines redeploy. The task definition ARN has no revision: a new image or size needs no `sam deploy` (D167).",
    ],
    commands: [
      ...values.map(([, output]) => `${shellVar(output)}=$(terraform output -raw ${output})`),
      'cd "$SAM_APP_DIR"   # your checkout of the SAM application: infrastructure/template.yaml',
      "sam validate --template-file infrastructure/template.yaml --lint",
      "sam build --template-file infrastructure/template.yaml",
      `sam deploy --stack-name ai-techne-academy-${ws} --resolve-s3 --capabilities CAPABILITY_NAMED_IAM --region ${env.region} --no-fail-on-empty-changeset --parameter-overrides ${params.join(" ")}`,
      "cd -",
    ],
  };
}

/** The guide's runbook: its sections in the shared frame (tools/runbooks/frame.ts). */
export const aitechneRunbook = guideFrame(aitechneSections);
