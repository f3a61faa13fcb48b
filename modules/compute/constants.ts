/** Names and values of the compute module that tests, docs, the policy gate and the cdn module read (re-exported by ./index.ts). */
import { PARAMETER_PLACEHOLDER, PLACEHOLDER_IMAGE_TAG } from "./config";

/** Default TLS policy of the HTTPS listener: TLS 1.3 and 1.2 only (`compute.tlsPolicy` chooses). */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
/** Seconds a toolbox task lives before it stops itself (a forgotten task costs at most this). */
export const TOOLBOX_LIFETIME_SECONDS = 3600;
/** Tag that marks the toolbox task definition; the policy gate lets only it have a writable root (ecs-read-only-root). */
export const TOOLBOX_PURPOSE = "ecs-exec-toolbox";
/**
 * `terraform_data.<this>[0]` holds the deployed tag while it is not the placeholder, with prevent_destroy: a plan
 * that brings the placeholder back after a deploy fails with "Instance cannot be destroyed" (D136).
 */
export const DEPLOYED_IMAGE_GUARD = "deployed_image";
/** Warning of the Terraform check while app_image_tag is the placeholder. */
export const PLACEHOLDER_TAG_WARNING =
  `app_image_tag is the placeholder "${PLACEHOLDER_IMAGE_TAG}": every ECS service runs zero tasks. First deploy: put a value in each app secret ` +
  "(terraform output app_secret_arns), push the first image to the ECR repository (terraform output ecr_repository_urls), " +
  "record its tag with npm run image -- set <workspace> <tag> (the product's images.json, which synth writes into terraform.tfvars as app_image_tag), " +
  // eslint-disable-next-line no-restricted-syntax -- operator prose naming the module to apply, not an HCL reference
  "run the db-bootstrap and migrations tasks, then apply module.compute again (docs/runbooks/<workspace>.md, first deploy).";
/** Local that is true once no operator parameter (compute.parameterStore.manual) holds the placeholder any more. */
export const PARAMETERS_REPLACED_LOCAL = "parameters_replaced";
/** Warning of the Terraform check while an operator parameter still holds the placeholder. */
export const PLACEHOLDER_PARAMETERS_WARNING =
  `an SSM parameter of this workspace still holds "${PARAMETER_PLACEHOLDER}": every ECS service runs zero tasks until each is set ` +
  "(aws ssm put-parameter --overwrite, docs/products/<product>.md) and the next plan reads the new values.";
/** Header CloudFront adds to every origin request; the HTTPS listener forwards only requests that carry its secret value. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";
/** Priority of the catch-all rule that forwards verified requests to the first web service (rules are 1–50000). */
export const DEFAULT_SERVICE_RULE_PRIORITY = 50000;
/** AWS's limit on aws_lb_target_group.name_prefix (the provider rejects longer ones). */
export const TARGET_GROUP_NAME_PREFIX_MAX = 6;

/** `name_prefix` of a service's target group: up to 5 characters of the service name and a dash. */
export function targetGroupNamePrefix(service: string): string {
  return `${service.slice(0, TARGET_GROUP_NAME_PREFIX_MAX - 1).replace(/-+$/, "")}-`;
}

/**
 * Tag of a task definition (compute.tasks) whose runner gives it a public IP (`AssignPublicIp: ENABLED` in
 * RunTask): the policy gate's ecs-no-public-ip reads it, since no Terraform resource holds that launch setting (D122).
 */
export const ASSIGN_PUBLIC_IP_TAG = "AssignPublicIp";

/** X-Ray daemon sidecar image (public ECR). */
export const XRAY_IMAGE = "public.ecr.aws/xray/aws-xray-daemon:3.3.14";
