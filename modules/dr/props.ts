/** dr — what the module takes (DrProps): the `dr` section, the root's values and other modules' outputs. */
import type { DrConfig } from "./config";

export interface DrBucket {
  /** Terraform name of the source and of its replica, e.g. `ml_models`. */
  readonly key: string;
  /** Source bucket name (storage module output). */
  readonly name: string;
  /** Source bucket ARN (storage module output). */
  readonly arn: string;
}

export interface DrProps {
  /** Name prefix of the role, e.g. `<project>-production`. */
  readonly name: string;
  /** The environment's `dr` section: `region` (of the copies; must differ from `sourceRegion`) and `backupRetentionDays`. */
  readonly settings: DrConfig;
  /** Region of the primary resources. */
  readonly sourceRegion: string;
  /** Account id (key policy, ARNs). */
  readonly accountId: string;
  /** Name of the DR logs bucket. */
  readonly logsBucketName: string;
  /** Identifier of the primary DB instance (database module). */
  readonly dbInstanceIdentifier: string;
  /** The data key of the primary region (security module): S3 decrypts source objects with it. */
  readonly sourceDataKmsKeyArn: string;
  /** Buckets to replicate (storage module outputs), decided at synthesis (one replica bucket each). @default none */
  readonly buckets?: readonly DrBucket[];
  /** Deletion window of the DR key, days. @default 30 */
  readonly kmsDeletionWindowDays?: number;
  /** `prevent_destroy` on the DR key and buckets (decided at synthesis). @default false */
  readonly preventDestroy?: boolean;
}
