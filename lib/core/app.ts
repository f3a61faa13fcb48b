/** The cdktf App of this project: refuses cross-stack references instead of wiring remote state. */
import { App, type AppConfig, type TerraformStack } from "cdktf";
import type { IConstruct, IValidation } from "constructs";
import { TERRAFORM_TARGET_VERSIONS } from "./versions";

/**
 * A construct's validation messages, without cdktf's Terraform-binary version checks: those run
 * `terraform version` at synthesis (once per `terraform_data` or `moved` block), so synthesis would
 * fail on a machine without Terraform. The root's `required_version` makes Terraform itself refuse
 * an older binary at init.
 */
export function validationsOf(c: IConstruct): string[] {
  // constructs keeps the list in a private field; there is no public accessor that skips running them.
  const all: IValidation[] = Reflect.get(c.node, "_validations") ?? [];
  return all.filter((v) => !("versionCommand" in v)).flatMap((v) => v.validate());
}

export class PlatformApp extends App {
  constructor(config: AppConfig = {}) {
    // targetVersions: the Terraform versions the output is for (read by CDK Terrain, see versions.ts).
    super({ stackTraces: false, ...config, context: { targetVersions: TERRAFORM_TARGET_VERSIONS, ...config.context } });
  }

  /**
   * cdktf resolves a token used outside its own stack by adding a `terraform_remote_state` data
   * source and an output. Modules must talk through module variables and outputs wired in the
   * workspace root instead, so any such reference is a bug: fail synthesis and name both sides.
   */
  override crossStackReference(fromStack: TerraformStack, toStack: TerraformStack, identifier: string): string {
    throw new Error(
      `Cross-stack reference: "${identifier}" belongs to stack "${fromStack.node.id}" but is used in "${toStack.node.id}". ` +
        "Expose it as a module output and pass it through a module variable in the workspace root " +
        "(module.ref(...) / module.refList(...)) — remote-state wiring is never generated.",
    );
  }
}
