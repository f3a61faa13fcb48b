/**
 * What the compute module's parts share: the module's settings, its inputs as typed tokens, and the
 * module's own `input`/`output`/`knobInputs` (protected on ModuleStack, handed to the parts as functions).
 */
import {
  call,
  ref,
  TerraformStack,
  Token,
  type IResolvable,
  type TerraformOutput,
  type TerraformVariable,
} from "cdktf";
import type { Construct } from "constructs";
import type { KnobSet, KnobSpec, KnobTokens } from "../../lib/core/knobs";
import { jsonDocument, type InputSpec } from "../../lib/core/module-stack";
import type { ComputeSettings } from "./config";

/** The module's declaration functions, bound to it. */
export interface ModuleApi {
  readonly scope: Construct;
  readonly input: (name: string, value: unknown, spec: InputSpec) => TerraformVariable;
  readonly output: (name: string, value: unknown, description: string, sensitive?: boolean) => TerraformOutput;
  readonly knobInputs: <S extends Record<string, KnobSpec>>(set: KnobSet<S>, tokens: KnobTokens<S>) => KnobTokens<S>;
}

/** A knob set's tokens whose variable names are built at synthesis (`<service>_cpu`). */
export type DynamicKnobTokens = KnobTokens<Record<string, KnobSpec>>;

/** A bucket of the application inside the module: its variables' tokens and the task role's access. */
export interface BucketVars {
  readonly name: string;
  readonly arn: string;
  readonly access: "read" | "read-write";
}

/** The database's inputs inside the module. */
export interface DbVars {
  readonly appSecretArn: string;
  readonly masterSecretArn: string;
  readonly bootstrapImage: string;
  readonly address: string;
  readonly port: number;
  readonly name: string;
}

/** The cache's inputs inside the module. */
export interface RedisVars {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** Absent when AUTH is off. */
  readonly authSecretArn?: string;
}

/** Every module variable the parts use, as a token of its type (`var.<name>`). */
export interface ComputeVars {
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly appSecurityGroupId: string;
  readonly albSecurityGroupId: string;
  readonly dataKey: string;
  readonly logsKey: string;
  readonly logsBucketName: string;
  readonly albLogPrefix: string;
  readonly albAccessLogs: boolean | IResolvable;
  readonly albDeletionProtection: boolean | IResolvable;
  readonly tlsPolicy: string;
  readonly certificateArn: string;
  readonly logRetentionDays: number;
  readonly containerInsights: boolean | IResolvable;
  readonly keepImages: number;
  /** By bucket key (`mlModels`). */
  readonly buckets: Readonly<Record<string, BucketVars>>;
  /** `var.secret_arns`: application secret ARNs by name. */
  readonly secretArns: TerraformVariable;
  readonly db?: DbVars;
  readonly redis?: RedisVars;
  readonly running: boolean | IResolvable;
  /** Present with `compute.parameterStore`: the path and the ARNs other modules' parameters have, by name. */
  readonly parameters?: { readonly path: string; readonly written: Readonly<Record<string, string>> };
  readonly toolboxImage?: string;
  readonly enableWaf: boolean | IResolvable;
  readonly webAclArn: string;
  /** `var.app_image_tag`. */
  readonly imageTag: string;
  /** Each service's and task's size (and scaling) knobs, by its name. */
  readonly services: Readonly<Record<string, DynamicKnobTokens>>;
  readonly tasks: Readonly<Record<string, DynamicKnobTokens>>;
  /** The working-hours schedule's inputs (D210, ./schedule.ts), when the environment has one. */
  readonly schedule?: { readonly stop: string; readonly start: string; readonly timezone: string };
  /** The product's app settings that are knobs, by variable name. @default none */
  readonly appSettings?: DynamicKnobTokens;
}

/** What each part of the module gets. */
export interface ComputeContext {
  readonly api: ModuleApi;
  readonly scope: Construct;
  readonly settings: ComputeSettings;
  readonly vars: ComputeVars;
  /** DD_ENV and ENVIRONMENT: the workspace. */
  readonly environmentName: string;
  /** CloudWatch namespace root the app publishes its own metrics under (`<namespace>/*`). */
  readonly metricNamespace: string;
}

/**
 * An HCL object expression of tokens (`({ "app" = aws_ecs_service.app.name })`): what a module output that maps
 * names to attributes holds. cdktf writes a plain object as JSON; this keeps it one Terraform expression.
 */
export function hclObject(entries: Readonly<Record<string, unknown>>): string {
  return Token.asString(call("", [entries]));
}

/** A task definition's container definitions: `jsonencode(local.<id>_container_definitions)` (D213). */
export const containerDefinitions = (scope: Construct, id: string, containers: readonly object[]): string =>
  jsonDocument(scope, `${id}_container_definitions`, containers);

/**
 * An entry of a map variable as a token, `var.<map>.<key>`, where the key is an HCL identifier that may hold dashes
 * (`var.secret_arns.jwt-secret`). cdktf's propertyAccess writes such a key as `["jwt-secret"]`, whose quotes inside
 * a JSON policy document (policyDocument is JSON text with the tokens in it) break every reader of that JSON.
 */
export function mapEntry(map: TerraformVariable, key: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) throw new Error(`compute: ${key} is not an HCL identifier`);
  return Token.asString(ref(["var", map.friendlyUniqueId, key].join("."), TerraformStack.of(map)));
}
