import * as fs from "fs";
import * as path from "path";
import { inputs, synthAll } from "../helpers/synth";
import { plannedChanges, terraformOk, workdirFrom } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

workspaceSuite("staging", () => {
  test("the bootstrap stack validates and plans its state bucket", () => {
    const { outdir } = synthAll();
    const dir = workdirFrom(path.join(outdir, "stacks", "bootstrap"));
    terraformOk(dir, ["init", "-input=false"]);
    expect(terraformOk(dir, ["validate", "-json"]).stdout).toContain('"valid": true');
    terraformOk(dir, ["plan", "-input=false", "-out=tfplan-bootstrap"]);
    expect(plannedChanges(dir, "tfplan-bootstrap").map((c) => c.address)).toContain("aws_s3_bucket.state");
  });

  test("the S3 backend configuration is accepted by terraform init -backend=false and validate", () => {
    const all = inputs();
    all.staging.state = { bucket: "eduautismo-ia-terraform-state" };
    const dir = workdirFrom(synthAll(all).stacks.staging.dir);
    // The override file switches the copy to a local backend; remove it to check the real S3 block.
    fs.rmSync(path.join(dir, "zz_test_override.tf.json"));
    terraformOk(dir, ["init", "-input=false", "-backend=false"]);
    expect(terraformOk(dir, ["validate", "-json"]).stdout).toContain('"valid": true');
  });
});
