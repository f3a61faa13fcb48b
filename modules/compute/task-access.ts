/**
 * What a one-off task (compute.tasks) may reach that another tool created (seed 004: the SAM stack's input and
 * output buckets, its DynamoDB tracking table, the Bedrock model the processor calls), as the inline policy
 * `<task>-access` of the task role, `aws_iam_role_policy.task_access_<task>` (D166). Nothing is created when the
 * task names no resource (IAM refuses a statement without a Resource).
 */
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/constructs/iam";
import { named } from "../../lib/core/module-stack";
import type { TaskAccess, TaskSettings } from "./config";

/** The statements of one task's access: S3 object and list actions, DynamoDB item actions (table and its indexes), Bedrock invocation. */
export function taskAccessStatements(access: TaskAccess): PolicyStatement[] {
  const out: PolicyStatement[] = [];
  const buckets = [...access.s3Read, ...access.s3ReadWrite];
  if (buckets.length > 0) out.push({ Sid: "ListBuckets", Effect: "Allow", Action: "s3:ListBucket", Resource: buckets });
  if (buckets.length > 0)
    out.push({ Sid: "ReadObjects", Effect: "Allow", Action: "s3:GetObject", Resource: buckets.map((b) => `${b}/*`) });
  if (access.s3ReadWrite.length > 0) {
    out.push({
      Sid: "WriteObjects",
      Effect: "Allow",
      Action: ["s3:PutObject", "s3:AbortMultipartUpload"],
      Resource: access.s3ReadWrite.map((b) => `${b}/*`),
    });
  }
  if (access.dynamodbTables.length > 0) {
    out.push({
      Sid: "TableItems",
      Effect: "Allow",
      Action: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query"],
      Resource: access.dynamodbTables.flatMap((t) => [t, `${t}/index/*`]),
    });
  }
  if (access.bedrockModels.length > 0) {
    out.push({
      Sid: "InvokeModels",
      Effect: "Allow",
      Action: ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"],
      Resource: access.bedrockModels,
    });
  }
  return out;
}

/** The task's `<task>-access` policy on the task role, when it names any resource. */
export function taskAccessPolicy(
  scope: Construct,
  o: { readonly task: Pick<TaskSettings, "name" | "access">; readonly id: string; readonly role: string },
): IamRolePolicy | undefined {
  const statements = taskAccessStatements(o.task.access);
  if (statements.length === 0) return undefined;
  return named(
    new IamRolePolicy(scope, `task_access_${o.id}`, {
      name: `${o.task.name}-access`,
      role: o.role,
      policy: policyDocument(statements),
    }),
    `task_access_${o.id}`,
  );
}
