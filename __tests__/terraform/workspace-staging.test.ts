import * as fs from "fs";
import * as path from "path";
import { inputs, synthAll } from "../helpers/synth";
import { terraformOk, workdirFrom } from "../helpers/terraform";
import { workspaceSuite } from "../helpers/workspace-suite";

workspaceSuite("staging", () => {
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
