/**
 * VPC flow logs to CloudWatch Logs. The flow log group gets a key of its own: the security module's keys
 * would make network depend on security, and DESIGN.md §3 deploys network first (docs/decisions.md, D9).
 */
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Fn, propertyAccess } from "cdktf";
import type { Construct } from "constructs";
import { jsonDocument, named, present } from "../../lib/core/module-stack";
import { NETWORK_PRESENCE } from "./config";
import { logsKey } from "../security/kms";
import type { NetworkVars } from "./inputs";
import { at } from "./subnets";

/** Flow logs, their key, log group and role, all counted on `enable_flow_logs`; returns the log group. */
export function flowLogs(scope: Construct, vars: NetworkVars, vpc: Vpc, preventDestroy: boolean): CloudwatchLogGroup {
  const key = logsKey(scope, "flow_logs", {
    description: `VPC flow logs key of ${vars.name}`,
    context: { account: vars.accountId, region: vars.region, name: vars.name },
    deletionWindowInDays: vars.kmsDeletionWindowDays,
    presence: NETWORK_PRESENCE,
    preventDestroy,
  });
  const group = present(
    named(
      new CloudwatchLogGroup(scope, "flow_logs_group", {
        name: `/vpc/${vars.name}/flow-logs`,
        retentionInDays: vars.flowLogRetentionDays,
        kmsKeyId: at(key, 0, "arn"),
      }),
      "flow_logs",
    ),
    NETWORK_PRESENCE,
  );
  const role = present(
    named(
      new IamRole(scope, "flow_logs_role", {
        name: `${vars.name}-vpc-flow-logs`,
        description: "Lets VPC Flow Logs write to its CloudWatch log group",
        assumeRolePolicy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
      }),
      "flow_logs",
    ),
    NETWORK_PRESENCE,
  );
  present(
    named(
      new IamRolePolicy(scope, "flow_logs_policy", {
        name: "write-flow-logs",
        role: at(role, 0, "id"),
        policy: jsonDocument(scope, "flow_logs_write_policy", {
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
              // Every group's ARN (a splat): the local is evaluated in every workspace, also where the group has count 0.
              Resource: Fn.formatlist("%s:*", [propertyAccess(group, ["*", "arn"])]),
            },
          ],
        }),
      }),
      "flow_logs",
    ),
    NETWORK_PRESENCE,
  );
  present(
    named(
      new FlowLog(scope, "flow_log", {
        vpcId: vpc.id,
        trafficType: vars.flowLogTrafficType,
        logDestinationType: "cloud-watch-logs",
        logDestination: at(group, 0, "arn"),
        iamRoleArn: at(role, 0, "arn"),
        maxAggregationInterval: 60,
        tags: { Name: `${vars.name}-flow-logs` },
      }),
      "this",
    ),
    NETWORK_PRESENCE,
  );
  return group;
}
