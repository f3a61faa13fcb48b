/** Tool versions the synthesized configuration requires. `.terraform-version` must agree (tested). */
export const TERRAFORM_VERSION = "1.11.4";
export const TERRAFORM_REQUIRED_VERSION = `>= ${TERRAFORM_VERSION}, < 2.0.0`;
/**
 * The same range in npm semver syntax, declared as the App's `targetVersions` context. cdktf 0.21
 * ignores it; CDK Terrain (cdktn) checks provider features against it at synthesis and, without it,
 * assumes Terraform >= 1.5.7 and refuses the write-only attributes the database module uses
 * (docs/migration-cdk-terrain.md).
 */
export const TERRAFORM_TARGET_VERSIONS = { terraform: `>=${TERRAFORM_VERSION} <2.0.0` };
/** hashicorp/aws version bound by @cdktf/provider-aws 20.1.0. */
export const AWS_PROVIDER_VERSION = "5.100.0";
