/** compute — what the module takes (ComputeProps): the root's values, other modules' outputs, the settings and the knob tokens. */
import type { KnobSet, KnobSpec, KnobTokens } from "../../lib/core/knobs";
import type { ComputeSettings, IMAGE_KNOBS } from "./config";
import type { DatadogNames } from "./roles";

/** The cache's outputs the containers get (REDIS_* variables, the AUTH secret). */
export interface RedisInputs {
  readonly url: string;
  readonly host: string;
  readonly port: unknown;
  /** The AUTH secret's ARN; omit when AUTH is off. */
  readonly authSecretArn?: string;
}

export interface BucketRef {
  readonly name: string;
  readonly arn: string;
}

export interface ComputeProps {
  /** Name prefix: cluster `<name>`, services `<name>-<service>`. */
  readonly name: string;
  readonly region: string;
  readonly accountId: string;
  readonly vpcId: string;
  readonly privateSubnetIds: string[];
  readonly publicSubnetIds: string[];
  readonly appSecurityGroupId: string;
  readonly albSecurityGroupId: string;
  readonly dataKmsKeyArn: string;
  readonly logsKmsKeyArn: string;
  readonly logsBucketName: string;
  readonly albLogPrefix: string;
  /**
   * The application's buckets by key (`mlModels`): module inputs `<key_snake>_bucket_name`/`_arn`, container
   * variable `<KEY_SNAKE>_BUCKET`, and task-role access (`read` or `read-write`).
   */
  readonly buckets: Readonly<Record<string, BucketRef & { readonly access: "read" | "read-write" }>>;
  /** CloudWatch namespace root the app publishes its own metrics under (`<namespace>/*`). */
  readonly metricNamespace: string;
  /** Application secret ARNs by name (security module). */
  readonly secretArns: unknown;
  /** Database: the app user's and the master's secrets (db-bootstrap image: the engine major's postgres client). Omit without a database: no DB_* variables, no db-bootstrap task. */
  readonly db?: {
    readonly appSecretArn: string;
    readonly masterSecretArn: string;
    readonly bootstrapImage: string;
    readonly address: string;
    readonly port: unknown;
    readonly name: string;
  };
  /** Cache connection; omit when the cache is disabled (no REDIS_* variables). */
  readonly redis?: RedisInputs;
  /** Associate the security module's web ACL. @default false */
  readonly enableWaf?: boolean;
  readonly webAclArn?: string;
  /** Root variables of the compute knobs (./config.ts, knobs section): the image tag and each service's size and scaling, by service name. */
  readonly knobs: {
    readonly image: KnobTokens<typeof IMAGE_KNOBS.knobs>;
    readonly services: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
    /** Each task's size knobs (`<task>_cpu`, `<task>_memory`), by task name. @default none */
    readonly tasks?: Readonly<Record<string, KnobTokens<Record<string, KnobSpec>>>>;
  };
  /**
   * A product's app settings that are knobs: each is a module input and the container variable of its
   * name in upper case (`bncc_cache_ttl` → `BNCC_CACHE_TTL`). @default none
   */
  readonly appSettings?: { readonly set: KnobSet; readonly tokens: KnobTokens<Record<string, KnobSpec>> };
  /**
   * The environment's `compute` section without its knob fields (./config.ts documents each setting and its
   * default): services, tasks, images, certificate, sidecars. The module reads what it needs, so a new setting is
   * a change of this folder only; sizes, scaling and the image tag reach it as knob tokens (`knobs`).
   */
  readonly settings: ComputeSettings;
  readonly environmentName: string;
  /** Whether the environment runs (false scales every service to zero). @default true */
  readonly running?: unknown;
  /**
   * Only CloudFront reaches the ALB (network.albIngress "cloudfront"): the HTTPS listener answers 403 unless
   * the request carries CloudFront's secret origin header. Needs a certificate. @default false
   */
  readonly originVerify?: boolean;
  /**
   * Path of the environment's SSM parameters (`/<project>/<workspace>/`), when `compute.parameterStore` is set:
   * the module creates the operators' placeholders and lets the execution role read the path (D104). @default none
   */
  readonly parameterPath?: string;
  /** ARNs of the parameters other modules write (DATABASE_URL, MIGRATIONS_DATABASE_URL, REDIS_URL), by name: task definitions wait for them. @default none */
  readonly writtenParameterArns?: Readonly<Record<string, string>>;
  /**
   * Working hours (the environment's `schedule`, D210): each service scales to zero at `stop` and back to its
   * scalable target's bounds at `start` (./schedule.ts). @default none
   */
  readonly schedule?: { readonly stop: string; readonly start: string; readonly timezone: string };
  /** Names for the Datadog sidecar (compute.datadog.enabled): its API key secret and the DD_SERVICE prefix. */
  readonly datadog?: DatadogNames;
}
