/**
 * The restore knobs' rules (D198, D199), read from the database module's knob set: the snapshot a restore may name and
 * the name a final snapshot may take, checked at synth with the field path before anything is written.
 */
import { DATABASE_KNOBS } from "../../modules/database/config";
import { knobProblems } from "../../lib/core/knobs";

const CTX = { label: "dev", strict: false };
/** A valid database section with one knob changed. */
function problems(field: "restoreFromSnapshot" | "finalSnapshotName", value: string): string[] {
  const section = {
    instanceClass: "db.t4g.micro",
    allocatedStorage: 20,
    multiAz: false,
    backupRetentionDays: 7,
    readReplicas: 0,
    applyImmediately: false,
    restoreFromSnapshot: "",
    finalSnapshotName: "",
    [field]: value,
  };
  return knobProblems(DATABASE_KNOBS, section, CTX).map((p) => `${p.field}: ${p.message}`);
}

test.each([
  "",
  "rds:atena-prod-db-2026-12-01-03-05",
  "atena-prod-db-before-restore",
  "arn:aws:rds:us-east-1:444444444444:snapshot:atena-prod-db-redeploy-20261201",
])("a restore may name no snapshot, an automated or manual one, or its ARN: %p", (value) => {
  expect(problems("restoreFromSnapshot", value)).toEqual([]);
});

test.each(["atena_prod_db", "atena--prod", "atena-prod-", "1atena", "rds:", "arn:aws:rds:us-east-1:1:snapshot:x"])(
  "a snapshot RDS would refuse fails at synth with the field and the rule: %p",
  (value) => {
    expect(problems("restoreFromSnapshot", value)).toEqual([
      `restoreFromSnapshot: ${value} is not a DB snapshot of this region: an identifier (a manual one, or rds:<instance>-<date> for an automated one) or its ARN, or empty for none`,
    ]);
  },
);

test("a final snapshot's name is a manual snapshot identifier: an automated one's rds: prefix is refused", () => {
  expect(problems("finalSnapshotName", "atena-prod-db-redeploy-20261201")).toEqual([]);
  expect(problems("finalSnapshotName", "")).toEqual([]);
  expect(problems("finalSnapshotName", "rds:atena-prod-db")).toHaveLength(1);
});
