/**
 * The root of one Terraform workspace: `cdktf.out/stacks/<workspace>/`.
 *
 * It holds the provider, the backend, the root variables (knobs written to
 * `environments/<workspace>/terraform.tfvars`), the workspace guard, one `module` block per
 * module and the outputs the runbooks read. After cdktf writes `cdk.tf.json`, it writes each
 * module's `modules/<name>/main.tf.json` and the tfvars file next to it.
 */
import * as fs from "fs";
import * as path from "path";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  LocalBackend,
  S3Backend,
  TerraformHclModule,
  TerraformOutput,
  TerraformStack,
  TerraformVariable,
  type ISynthesisSession,
} from "cdktf";
import type { Construct } from "constructs";
import { validationsOf } from "./app";
import { assertUniqueAddresses, elementsOf } from "./elements";
import {
  knobNames,
  knobValues,
  ruleCondition,
  terraformMessage,
  type KnobSet,
  type KnobSpec,
  type KnobTokens,
  type RuleContext,
} from "./knobs";
import { conditionText, expr, named, type InputSpec, type ModuleStack } from "./module-stack";
import { addPlaceholderChecks, type Placeholder } from "./placeholders";
import { renderTfvars, type TfvarsEntry } from "./tfvars";
import { AWS_PROVIDER_VERSION, TERRAFORM_REQUIRED_VERSION } from "./versions";

export interface S3StateConfig {
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
  readonly workspaceKeyPrefix: string;
  readonly kmsKeyId?: string;
}

export interface WorkspaceStackProps {
  /** Terraform workspace name, also the stack directory name. */
  readonly workspace: string;
  readonly region: string;
  /**
   * The only AWS account this workspace may touch: every aws provider block (aliases too) gets it as
   * `allowed_account_ids`, so credentials for another account fail at plan before anything is read or changed
   * (D145; https://registry.terraform.io/providers/hashicorp/aws/5.100.0/docs#allowed_account_ids).
   */
  readonly accountId: string;
  /** Example values of the environment data: one plan warning (`check`) each. @default none */
  readonly placeholders?: readonly Placeholder[];
  /** Tags on every resource through the provider's default_tags. */
  readonly defaultTags: Record<string, string>;
  /** S3 backend; @default local backend (`terraform.tfstate.d/<workspace>/terraform.tfstate`) */
  readonly state?: S3StateConfig;
  /** Where the values came from, for the tfvars header. */
  readonly sourceFile: string;
}

export class WorkspaceStack extends TerraformStack {
  readonly workspace: string;
  /** Root variable `environment`, guarded against the selected Terraform workspace. */
  readonly environment: TerraformVariable;
  private readonly modules: ModuleStack[] = [];
  private readonly tfvars: TfvarsEntry[] = [];
  private readonly sourceFile: string;
  private readonly defaultTags: Record<string, string>;
  private readonly accountId: string;
  private readonly aliases = new Set<string>();
  /** Each module's JSON, rendered once while preparing (before anything is written). */
  private readonly moduleJson = new Map<ModuleStack, Record<string, unknown>>();

  constructor(scope: Construct, props: WorkspaceStackProps) {
    super(scope, props.workspace);
    this.workspace = props.workspace;
    this.sourceFile = props.sourceFile;
    this.defaultTags = props.defaultTags;
    this.accountId = props.accountId;

    this.addOverride("terraform.required_version", TERRAFORM_REQUIRED_VERSION);
    new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: [props.accountId],
      defaultTags: [{ tags: props.defaultTags }],
    });
    // The provider binding pins `version` only through cdktf.json; pin it here explicitly.
    this.addOverride("terraform.required_providers.aws", { source: "hashicorp/aws", version: AWS_PROVIDER_VERSION });

    if (props.state) {
      const backend = new S3Backend(this, {
        bucket: props.state.bucket,
        key: props.state.key,
        region: props.state.region,
        encrypt: true,
        workspaceKeyPrefix: props.state.workspaceKeyPrefix,
        kmsKeyId: props.state.kmsKeyId,
      });
      // S3-native locking (Terraform >= 1.10); cdktf 0.21's S3Backend has no property for it.
      backend.addOverride("use_lockfile", true);
    } else {
      new LocalBackend(this, { path: "terraform.tfstate" });
    }

    const ws = props.workspace;
    addPlaceholderChecks(this, props.placeholders ?? [], ws, props.sourceFile);
    this.environment = this.knob("environment", ws, {
      type: "string",
      description: "Workspace this configuration belongs to; must match `terraform workspace show`.",
      validations: [
        {
          condition: `var.environment == "${ws}"`,
          errorMessage: `This directory was synthesized for the "${ws}" workspace; environment must be "${ws}". Change ${props.sourceFile} and run npm run synth instead of editing tfvars.`,
        },
        {
          condition: "var.environment == terraform.workspace",
          errorMessage: `Workspace guard: this directory holds the "${ws}" configuration but the selected Terraform workspace is "\${terraform.workspace}". Run: terraform workspace select ${ws} || terraform workspace new ${ws}`,
        },
      ],
    });

    const inner = this.synthesizer;
    this.synthesizer = {
      synthesize: (session) => {
        inner.synthesize(session);
        this.writeModulesAndTfvars(session);
      },
    };
  }

  /**
   * A root variable whose value is written to `environments/<ws>/terraform.tfvars` (and is its
   * default too, so a plan without `-var-file` means the same). Operators edit these in tfvars.
   */
  knob(name: string, value: unknown, spec: Omit<InputSpec, "default">): TerraformVariable {
    this.tfvars.push({ name, value, description: spec.description });
    return new TerraformVariable(this, name, {
      type: spec.type,
      description: spec.description,
      default: value,
      nullable: spec.nullable,
      sensitive: spec.sensitive,
      validation: spec.validations?.map((v) => ({ condition: expr(conditionText(v)), errorMessage: v.errorMessage })),
    });
  }

  /**
   * Declares a knob set's root variables, valued from a config section, each with its rules as
   * `validation` blocks (the synth-time sentences); returns their tokens, typed per knob.
   */
  declareKnobs<S extends Record<string, KnobSpec>>(set: KnobSet<S>, section: object, ctx: RuleContext): KnobTokens<S> {
    const values = knobValues(set, section as Record<string, unknown>);
    const rules = set.rules(ctx);
    const tokens: Record<string, unknown> = {};
    for (const name of knobNames(set)) {
      const spec = set.knobs[name];
      const v = this.knob(name, values[name], {
        type: spec.type,
        description: spec.description,
        validations: rules
          .filter((r) => r.variable === name)
          .map((r) => ({ condition: ruleCondition(r), errorMessage: terraformMessage(r) })),
      });
      tokens[name] = spec.type === "number" ? v.numberValue : spec.type === "bool" ? v.booleanValue : v.stringValue;
    }
    return tokens as KnobTokens<S>;
  }

  /** Adds `module "<name>" { source = "./modules/<name>" ... }` calling the given module stack. */
  use<T extends ModuleStack>(module: T): T {
    if (module.workspace !== this.workspace) {
      throw new Error(
        `module "${module.moduleName}" was built for workspace ${module.workspace}, not ${this.workspace}`,
      );
    }
    const call = new TerraformHclModule(this, module.moduleName, {
      source: `./modules/${module.moduleName}`,
      variables: module.inputs,
      skipAssetCreationFromLocalModules: true,
    });
    if (module.providerAliases.length > 0) {
      const providers: Record<string, string> = { aws: "aws" };
      for (const alias of module.providerAliases) {
        this.awsAlias(alias);
        providers[`aws.${alias}`] = `aws.${alias}`;
      }
      call.addOverride("providers", providers);
    }
    module.attach(call);
    this.modules.push(module);
    return module;
  }

  /**
   * An aliased aws provider for modules that must create resources in a fixed region
   * (`us_east_1` → us-east-1: CloudFront's WAF, certificates and log delivery).
   */
  private awsAlias(alias: string): void {
    if (this.aliases.has(alias)) return;
    const region = alias.replace(/_/g, "-");
    if (!/^[a-z]{2}-[a-z]+-\d$/.test(region))
      throw new Error(`provider alias "${alias}" must name a region with underscores, e.g. us_east_1`);
    new AwsProvider(this, `aws_${alias}`, {
      alias,
      region,
      allowedAccountIds: [this.accountId],
      defaultTags: [{ tags: this.defaultTags }],
    });
    this.aliases.add(alias);
  }

  /** A root output (what `terraform output <name>` prints). */
  output(name: string, value: unknown, description: string, sensitive = false): TerraformOutput {
    return named(
      new TerraformOutput(this, `output_${name}`, { value, description, sensitive: sensitive || undefined }),
      name,
    );
  }

  get moduleNames(): string[] {
    return this.modules.map((m) => m.moduleName);
  }

  /** Runs after every stack has been prepared: refuses duplicate addresses before anything is written. */
  override prepareStack(): void {
    super.prepareStack();
    assertUniqueAddresses(elementsOf(this), `workspace "${this.workspace}" (root)`);
    for (const m of this.modules) this.moduleJson.set(m, m.toModuleJson());
  }

  private writeModulesAndTfvars(session: ISynthesisSession): void {
    const dir = path.join(session.outdir, session.manifest.forStack(this).workingDirectory);
    for (const sub of ["modules", "environments"]) fs.rmSync(path.join(dir, sub), { recursive: true, force: true });
    for (const m of this.modules) {
      for (const message of m.node
        .findAll()
        .filter((n) => n !== m)
        .flatMap(validationsOf)) {
        throw new Error(`module "${m.moduleName}": ${message}`);
      }
      const file = path.join(dir, "modules", m.moduleName, "main.tf.json");
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(file, JSON.stringify(this.moduleJson.get(m) ?? m.toModuleJson(), null, 2) + "\n");
    }
    const tfvars = path.join(dir, "environments", this.workspace, "terraform.tfvars");
    fs.mkdirSync(path.dirname(tfvars), { recursive: true });
    fs.writeFileSync(
      tfvars,
      renderTfvars(this.tfvars, [
        `Knobs of the "${this.workspace}" workspace, generated by \`npm run synth\` from ${this.sourceFile}.`,
        "Edit a value here for a one-off plan; make it permanent in the environment file, or the next synth overwrites it.",
        `Usage: terraform plan -var-file="environments/${this.workspace}/terraform.tfvars"`,
      ]),
    );
  }
}
