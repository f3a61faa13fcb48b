/**
 * Disaster recovery in a second region (seed 000 §4.3 "Multi-AZ em múltiplas regiões", §11
 * "Configurar backups cross-region (DR)"). Part of EnvironmentSchema; the `dr` module builds it.
 */
import { z } from "zod";

/** Buckets that can be replicated: data that cannot be rebuilt from the repository or the database. */

export const DrSchema = z
  .object({
    /** Copy the database's automated backups and the chosen buckets to `region`. @default false */
    enabled: z.boolean().default(false),
    /**
     * Region of the copies, e.g. `us-east-2`. Required when enabled; must differ from the
     * environment's region. Prefer a region of the same legal area as the data (LGPD: docs/decisions.md, D75).
     */
    region: z
      .string()
      .regex(/^[a-z]{2}-[a-z]+-\d$/, "must be an AWS region code such as us-east-2")
      .optional(),
    /** Days of replicated automated backups kept in the DR region (point-in-time restore window there), 1–35. @default 7 */
    backupRetentionDays: z.number().int().min(1, "keep at least 1 day").max(35, "RDS keeps at most 35 days").default(7),
    /** Keys of `storage.buckets` whose objects (and delete markers) S3 replicates to the DR region. @default [] */
    buckets: z.array(z.string()).default([]),
  })
  .strict();

export type DrConfig = z.output<typeof DrSchema>;

interface DrContext {
  readonly region: string;
  readonly dr: DrConfig;
  readonly database: { readonly backupRetentionDays: number };
  readonly storage: { readonly buckets: Record<string, { readonly versioning: boolean }> };
}

/** Cross-field rules of `dr`, as [path, message] pairs. */
export function drProblems(env: DrContext): [(string | number)[], string][] {
  const dr = env.dr;
  if (!dr.enabled) return [];
  const problems: [(string | number)[], string][] = [];
  if (!dr.region)
    problems.push([["dr", "region"], 'disaster recovery needs the region of the copies, e.g. "us-east-2"']);
  else if (dr.region === env.region)
    problems.push([
      ["dr", "region"],
      `${dr.region} is the environment's own region; the copies must live in another one`,
    ]);
  if (env.database.backupRetentionDays === 0) {
    problems.push([
      ["dr", "enabled"],
      "replicating automated backups needs automated backups on the source (database.backupRetentionDays > 0)",
    ]);
  }
  dr.buckets.forEach((b, i) => {
    if (!(b in env.storage.buckets))
      problems.push([
        ["dr", "buckets", i],
        `"${b}" is not a bucket of storage.buckets (${Object.keys(env.storage.buckets).join(", ")})`,
      ]);
    else if (!env.storage.buckets[b].versioning)
      problems.push([
        ["dr", "buckets", i],
        `S3 replication needs versioning on the source bucket: storage.buckets.${b}.versioning is false`,
      ]);
  });
  return problems;
}
