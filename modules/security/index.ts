/**
 * security — keys, edge protection, secrets, audit trail and the CI/CD deploy role.
 *
 * Owns: four customer-managed KMS keys (one per purpose: data, logs, audit, alarms), the
 * regional WAFv2 web ACL with its `aws-waf-logs-` log group, the application secrets in Secrets
 * Manager (values set by operators, never by Terraform), the multi-region CloudTrail with its
 * dedicated bucket, and the GitHub Actions OIDC deploy role (seed 002). One file per part:
 * kms.ts, web-acl.ts, secrets.ts, audit.ts, github.ts, terraform-role.ts.
 *
 * Depends on: nothing but root values.
 */
import { matches } from "../../lib/core/rules";
import type { Construct } from "constructs";
import { ModuleStack } from "../../lib/core/module-stack";
import { auditTrail } from "./audit";
import type { SecurityConfig } from "./config";
import type { SecurityPart } from "./context";
import { deployRole, type GithubTrust } from "./github";
import { securityKeys } from "./kms";
import { appSecrets } from "./secrets";
import { terraformRoles, type TerraformStateAccess } from "./terraform-role";
import { webAcl } from "./web-acl";

/** What the pipeline's Terraform roles (D97) need besides the `security.deploy.terraformRoles` settings. */
export interface TerraformRolesPlacement {
  /** `<bucketPrefix>-<env>`: the platform's buckets. */
  readonly bucketPrefix: string;
  /** Regions of the platform's resources (primary, DR, us-east-1 for CloudFront's WAF). */
  readonly regions: readonly string[];
  readonly state: TerraformStateAccess;
}

export interface SecurityProps {
  /** Name prefix, e.g. `<project>-production` (may be a root token). */
  readonly name: string;
  /** Path prefix of application secrets, e.g. `<project>/production`. */
  readonly secretPrefix: string;
  readonly region: string;
  /** 12-digit account id (key and trust policies; never looked up at plan time). */
  readonly accountId: string;
  /**
   * The environment's `security` section (./config.ts documents each setting and its default): key deletion
   * window, WAF, secrets, audit trail, deploy role. The module reads what it needs.
   */
  readonly settings: SecurityConfig;
  /** Trail bucket name (the workspace's bucket naming). */
  readonly cloudtrailBucketName: string;
  /** IP-keyed rules (rate per IP, geo, IP reputation) on the regional ACL; false when CloudFront fronts the ALB (D52). @default true */
  readonly wafIpRules?: boolean;
  /** Services besides the defaults that may use the data key, e.g. `ssm` for SecureString parameters (D104). @default none */
  readonly dataKeyServices?: readonly string[];
  /** The ECS cluster's name when it is not `<name>` (compute.clusterNameSuffix), for the deploy role's ECS resources. @default `<name>` */
  readonly clusterNameSuffix?: string;
  /** `prevent_destroy` on the KMS keys and the trail bucket (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
  /** Where the pipeline's Terraform roles reach, when `settings.deploy.terraformRoles` is enabled (D97); absent: no roles. */
  readonly terraformRoles?: TerraformRolesPlacement;
}

export class SecurityModule extends ModuleStack {
  constructor(scope: Construct, workspace: string, props: SecurityProps) {
    super(scope, workspace, "security");
    const part = this.part(props);
    const keys = securityKeys(part, props.dataKeyServices ?? []);
    webAcl(part, keys.logs, props.wafIpRules ?? true);
    const secretPrefix = appSecrets(part, props.secretPrefix, keys.data);
    auditTrail(part, keys, props.cloudtrailBucketName);
    const clusterName = props.clusterNameSuffix ? `${part.name}-${props.clusterNameSuffix}` : undefined;
    const github = deployRole(part, clusterName);
    if (props.terraformRoles) this.terraformRoles(part, props.terraformRoles, secretPrefix, keys.data.arn, github);
  }

  /** The root values every part uses (name, region, account) as module variables, and the declarations. */
  private part(props: SecurityProps): SecurityPart {
    const name = this.input("name", props.name, {
      type: "string",
      description: "Name prefix for every resource.",
    }).stringValue;
    const region = this.input("region", props.region, { type: "string", description: "AWS region." }).stringValue;
    const account = this.input("account_id", props.accountId, {
      type: "string",
      description: "AWS account id (key and trust policies).",
      validations: [
        {
          condition: matches("account_id", "^[0-9]{12}$"),
          errorMessage: "account_id must be the 12-digit AWS account id.",
        },
      ],
    });
    return {
      scope: this,
      input: (n, value, spec) => this.input(n, value, spec),
      output: (n, value, description) => this.output(n, value, description),
      settings: props.settings,
      name,
      region,
      account: account.stringValue,
      preventDestroy: props.preventDestroy ?? false,
    };
  }

  /** The pipeline's Terraform roles (opt-in, D97), with input `bucket_prefix` and their two outputs. */
  private terraformRoles(
    part: SecurityPart,
    placement: TerraformRolesPlacement,
    secretPrefix: string,
    dataKeyArn: string,
    github: GithubTrust,
  ): void {
    const bucketPrefix = this.input("bucket_prefix", placement.bucketPrefix, {
      type: "string",
      description: "Prefix of the platform's bucket names (the Terraform apply role manages `<prefix>-*`).",
    }).stringValue;
    const { name, account } = part;
    const context = { name, secretPrefix, bucketPrefix, account, regions: placement.regions, state: placement.state };
    const tf = terraformRoles(
      this,
      { ...context, dataKeyArns: [dataKeyArn] },
      part.settings.deploy.terraformRoles,
      github,
    );
    this.output(
      "terraform_plan_role_arn",
      tf.plan.arn,
      "Role of the pipeline's Terraform plans (read-only; GitHub Environment variable AWS_TERRAFORM_PLAN_ROLE_ARN).",
    );
    this.output(
      "terraform_apply_role_arn",
      tf.apply.arn,
      "Role of the pipeline's Terraform applies and rollouts (GitHub Environment variable AWS_TERRAFORM_APPLY_ROLE_ARN).",
    );
  }
}
