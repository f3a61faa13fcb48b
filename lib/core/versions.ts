/** Tool versions the synthesized configuration requires. `.terraform-version` must agree (tested). */
export const TERRAFORM_VERSION = "1.11.4";
export const TERRAFORM_REQUIRED_VERSION = `>= ${TERRAFORM_VERSION}, < 2.0.0`;
/** hashicorp/aws version bound by @cdktf/provider-aws 20.1.0. */
export const AWS_PROVIDER_VERSION = "5.100.0";
