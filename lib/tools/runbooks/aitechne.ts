/**
 * AI Techne Academy's guide commands (seed 004) with each workspace's names: what the SAM stack takes from
 * this workspace (docs/products/aitechne.md), the guide's troubleshooting and alarm checks. The SAM
 * application's own commands (sam build/validate, pytest, quota requests, S3/Step Functions/DynamoDB tests)
 * stay the guide's.
 */
import { recordImageLines } from "../image";
import { startTask, type GuideRunbook, type RunbookSection } from "../product-runbook";

export const aitechneRunbook: GuideRunbook = ({ ws, env, input, hasOutput, product, varFile }) => {
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
  const params = [
    `"Environment=${ws}"`,
    ...(env.monitoring.alarmEmails[0] ? [`"NotificationEmail=${env.monitoring.alarmEmails[0]}"`] : []),
    '"VpcId=$(terraform output -raw vpc_id)"',
    '"SubnetIds=$(terraform output -raw public_subnet_ids)"',
    '"ECSSecurityGroup=$(terraform output -raw ecs_security_group_id)"',
    ...(hasOutput("ecs_cluster_arn") ? ['"ClusterArn=$(terraform output -raw ecs_cluster_arn)"'] : []),
    ...tasks.filter((t) => t.name === "processor").map(() => '"ProcessorTaskDefinitionArn=$(terraform output -raw processor_task_definition_arn)"'),
  ];
  sections.push({
    title: "The SAM stack's parameters (seed 004, Deploy)",
    text: [
      "After this workspace is applied and the processor image is pushed (the repository's tags are immutable: no `:latest`, D125)",
      "and its tag recorded (`npm run image`: the product's `images.json`, D135) and applied, deploy the SAM application with this workspace's outputs. `sam deploy` takes",
      "`Key=Value` pairs; the subnets are one comma-separated string for a `List<AWS::EC2::Subnet::Id>` parameter (D120).",
      "The task definition (and so the image) is this workspace's: the template's `ProcessorImage` parameter is no longer needed.",
      "Parameter names are the template's (docs/products/aitechne.md); the SAM stack itself is not part of this repository.",
    ],
    commands: [
      ...recordImageLines(product, ws, "<tag>"),
      `terraform plan ${varFile} -target=module.compute -out=tfplan-compute`,
      "terraform apply tfplan-compute",
      "terraform output -raw vpc_id",
      "terraform output -raw public_subnet_ids",
      "terraform output -raw ecs_security_group_id",
      ...(hasOutput("ecs_cluster_arn") ? ["terraform output -raw ecs_cluster_arn"] : []),
      ...tasks.map((t) => `terraform output -raw ${t.name.replace(/-/g, "_")}_task_definition_arn`),
      "terraform output -json ecr_repository_urls",
      `sam deploy --template-file infrastructure/template.yaml --stack-name ai-techne-academy-${ws} --capabilities CAPABILITY_NAMED_IAM --region ${env.region} --parameter-overrides ${params.join(" ")}`,
    ],
  });
  sections.push({
    title: "Troubleshooting: the ECS task does not start (seed 004)",
    text: [
      "The guide's checklist: the subnets route to the internet gateway, the tasks' security group sends HTTPS (443), the state",
      "machine's role may `ecs:RunTask` and `iam:PassRole` the two task roles (`terraform output -raw task_role_arn`,",
      "`execution_role_arn`), and the image with the tag `npm run image -- show` prints exists. Start the task by hand as the state machine does:",
    ],
    commands: [
      ...tasks.map((t) => `aws ecs describe-task-definition --task-definition ${t.family ?? `${cluster}-${t.name}`} --query 'taskDefinition.[family,revision,status]'`),
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
      'aws sns list-subscriptions-by-topic --topic-arn "$(terraform output -raw alarm_topic_arn)" --query \'Subscriptions[].[Endpoint,SubscriptionArn]\' --output table',
    ],
  });
  return sections;
};
