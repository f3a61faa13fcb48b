/**
 * KMS key policies, one key per purpose (docs/decisions.md D12). Each policy lets the account
 * administer the key and grants use only to the services of that purpose.
 */
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { range, type PresenceTable } from "../../lib/core/rules";
import type { Construct } from "constructs";
import { policyDocument, type PolicyStatement } from "../../lib/constructs/iam";
import { named, present } from "../../lib/core/module-stack";
import type { SecurityPart } from "./context";

export const KMS_PURPOSES = ["data", "logs", "audit", "alarms"] as const;
export type KmsPurpose = (typeof KMS_PURPOSES)[number];

/** Services that may use the data key on behalf of account principals (`kms:ViaService`). */
export const DATA_KEY_SERVICES = ["s3", "rds", "elasticache", "secretsmanager", "ecr"] as const;

const ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];
const USE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

export interface KeyContext {
  readonly account: string;
  readonly region: string;
  readonly name: string;
  /** Services besides DATA_KEY_SERVICES that may use the data key (`ssm` for SecureString parameters, D104). @default none */
  readonly extraDataServices?: readonly string[];
}

export function keyPolicy(purpose: KmsPurpose, ctx: KeyContext): PolicyStatement[] {
  const root = `arn:aws:iam::${ctx.account}:root`;
  const admin: PolicyStatement = {
    Sid: "AccountAdministersKey",
    Effect: "Allow",
    Principal: { AWS: root },
    Action: ADMIN_ACTIONS,
    Resource: "*",
  };
  const via = (services: readonly string[]): PolicyStatement => ({
    Sid: "AccountUsesKeyThroughServices",
    Effect: "Allow",
    Principal: { AWS: root },
    Action: [...USE_ACTIONS, "kms:CreateGrant"],
    Resource: "*",
    Condition: {
      StringEquals: {
        "kms:ViaService": services.map((s) => `${s}.${ctx.region}.amazonaws.com`),
        "kms:CallerAccount": ctx.account,
      },
    },
  });
  switch (purpose) {
    case "data":
      return [admin, via([...DATA_KEY_SERVICES, ...(ctx.extraDataServices ?? [])])];
    case "logs":
      return [
        admin,
        {
          Sid: "CloudWatchLogsUsesKey",
          Effect: "Allow",
          Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
          Resource: "*",
          Condition: {
            ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${ctx.region}:${ctx.account}:log-group:*` },
          },
        },
      ];
    case "audit":
      return [
        admin,
        {
          Sid: "CloudTrailEncryptsLogs",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ctx.account}:trail/*` },
            StringEquals: {
              "aws:SourceArn": `arn:aws:cloudtrail:${ctx.region}:${ctx.account}:trail/${ctx.name}-trail`,
            },
          },
        },
        {
          Sid: "CloudTrailDescribesKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
        },
        {
          Sid: "AccountReadsTrail",
          Effect: "Allow",
          Principal: { AWS: root },
          Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
          Resource: "*",
          Condition: {
            StringEquals: { "kms:CallerAccount": ctx.account },
            StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ctx.account}:trail/*` },
          },
        },
      ];
    case "alarms":
      return [
        admin,
        {
          Sid: "CloudWatchAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": ctx.account } },
        },
        via(["sns"]),
      ];
  }
}

/**
 * A logs key of a module's own, for a log group the security module's keys cannot serve (another
 * region, or a module that deploys before security), created when `count` (HCL or a token) is 1.
 */
export function logsKey(
  scope: Construct,
  logicalId: string,
  props: {
    readonly description: string;
    readonly context: KeyContext;
    readonly deletionWindowInDays: number;
    /** The module's presence table, which says when `aws_kms_key.<logicalId>` exists (D211). */
    readonly presence: PresenceTable;
    readonly preventDestroy?: boolean;
  },
): KmsKey {
  return present(
    named(
      new KmsKey(scope, `${logicalId}_key`, {
        description: props.description,
        enableKeyRotation: true,
        deletionWindowInDays: props.deletionWindowInDays,
        policy: policyDocument(keyPolicy("logs", props.context)),
        ...(props.preventDestroy === undefined ? {} : { lifecycle: { preventDestroy: props.preventDestroy } }),
      }),
      logicalId,
    ),
    props.presence,
  );
}

/**
 * The module's keys, one per purpose (`aws_kms_key.<purpose>`, alias `alias/<name>-<purpose>`), with input
 * `kms_deletion_window_days` and outputs `<purpose>_kms_key_arn`. `dataKeyServices`: services besides DATA_KEY_SERVICES that may use the data key.
 */
export function securityKeys(part: SecurityPart, dataKeyServices: readonly string[]): Record<KmsPurpose, KmsKey> {
  const { scope, name, region, account } = part;
  const window = part.input("kms_deletion_window_days", part.settings.kmsDeletionWindowDays, {
    type: "number",
    description: "Days before a scheduled KMS key deletion happens (7–30).",
    validations: [
      {
        condition: range("kms_deletion_window_days", { min: 7, max: 30 }),
        errorMessage: "kms_deletion_window_days must be 7–30.",
      },
    ],
  });
  const keys = {} as Record<KmsPurpose, KmsKey>;
  for (const purpose of KMS_PURPOSES) {
    const extraDataServices =
      purpose === "data" && dataKeyServices.length ? { extraDataServices: dataKeyServices } : {};
    keys[purpose] = named(
      new KmsKey(scope, `${purpose}_key`, {
        description: `${purpose} encryption key of ${name}`,
        enableKeyRotation: true,
        deletionWindowInDays: window.numberValue,
        policy: policyDocument(keyPolicy(purpose, { account, region, name, ...extraDataServices })),
        lifecycle: { preventDestroy: part.preventDestroy },
      }),
      purpose,
    );
    named(
      new KmsAlias(scope, `${purpose}_alias`, { name: `alias/${name}-${purpose}`, targetKeyId: keys[purpose].keyId }),
      purpose,
    );
  }
  for (const purpose of KMS_PURPOSES)
    part.output(
      `${purpose}_kms_key_arn`,
      keys[purpose].arn,
      `ARN of the ${purpose} KMS key (alias/<name>-${purpose}).`,
    );
  return keys;
}
