/**
 * The state bootstrap (seed 002: S3 + DynamoDB): one bucket holding every workspace's state. Apply
 * it once, with local state, before switching the workspaces to `state: { bucket }`.
 */
import { z } from "zod";

export const BootstrapSchema = z
  .object({
    /** The state bucket; workspaces set `state.bucket` to this name. Required (bucket names are global: the product's own). */
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be a valid S3 bucket name"),
    /**
     * The AWS account that holds the state bucket: the bootstrap's provider accepts only its credentials
     * (`allowed_account_ids`, D145). Workspaces of other accounts that keep their state here are granted their
     * own state objects by the bucket policy (D146). Required.
     */
    accountId: z.string().regex(/^\d{12}$/, "must be the 12-digit AWS account id"),
    /** @default "us-east-1" */
    region: z
      .string()
      .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/)
      .default("us-east-1"),
    /** Days old state versions are kept: the window in which a state rollback is possible. @default 90 */
    noncurrentVersionDays: z.number().int().min(1).default(90),
    /** A DynamoDB lock table, for Terraform older than 1.10 (this project locks with `use_lockfile`). @default false */
    lockTable: z.boolean().default(false),
  })
  .strict();

export type BootstrapConfig = z.output<typeof BootstrapSchema>;

export type BootstrapInput = z.input<typeof BootstrapSchema>;
