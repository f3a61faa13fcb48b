/**
 * AI Techne Academy (seed 004) under real Terraform: prod (option B, a dedicated VPC) validates and plans
 * offline; dev (option A, the default VPC) reads two data sources that need AWS, so it is planned by
 * `terraform test` with `override_data` giving them fixed values (the same offline provider settings as
 * every Terraform-layer copy; operators never see the test file).
 */
import * as fs from "fs";
import * as path from "path";
import { AITECHNE } from "../../environments/aitechne";
import { synthProduct } from "../helpers/synth";
import { describeTerraform, initializedWorkdir, plannedChanges, terraform, terraformOk } from "../helpers/terraform";

/** The default VPC and subnets the override gives option A (the subnets unsorted, as AWS may list them). */
const DEFAULT_VPC = "vpc-0a1b2c3d4e5f60718";
const DEFAULT_SUBNETS = ["subnet-0bbbbbbbbbbbbbbbb", "subnet-0aaaaaaaaaaaaaaaa"];

/** A terraform test file that plans the whole root with the default VPC's data sources overridden. */
function optionATest(expectedWarnings: string[]): string {
  return `
override_data {
  target = module.network.data.aws_vpc.default
  values = { id = "${DEFAULT_VPC}", cidr_block = "172.31.0.0/16" }
}
override_data {
  target = module.network.data.aws_subnets.default
  values = { ids = ${JSON.stringify(DEFAULT_SUBNETS)} }
}
run "option_a_plans_on_the_default_vpc" {
  command = plan
  # The example values' plan warnings (D145) fail a terraform test run unless expected.
  expect_failures = [${expectedWarnings.join(", ")}]
  variables {
    app_image_tag = "v1"
  }
  assert {
    condition     = output.vpc_id == "${DEFAULT_VPC}"
    error_message = "vpc_id is not the default VPC: \${output.vpc_id}"
  }
  assert {
    condition     = output.public_subnet_ids == "${[...DEFAULT_SUBNETS].sort().join(",")}"
    error_message = "public_subnet_ids is not the sorted, comma-separated default subnets: \${output.public_subnet_ids}"
  }
  assert {
    condition     = output.private_subnet_ids == ""
    error_message = "the default VPC has no private subnets"
  }
  assert {
    condition     = output.processor_task_definition_family == "ai-techne-academy-processor-dev"
    error_message = "the processor's family is not the guide's"
  }
}
`;
}

describeTerraform("AI Techne Academy under real Terraform", () => {
  const { dir } = synthProduct(AITECHNE);

  test("option B (prod): validate, then a full plan creates the VPC, its public subnets and no NAT or private subnet", () => {
    const work = initializedWorkdir(dir("prod"), "prod");
    expect(terraformOk(work, ["validate", "-json"]).stdout).toContain('"valid": true');
    terraformOk(work, ["plan", "-input=false", "-var-file=environments/prod/terraform.tfvars", "-out=tfplan"]);
    const changes = plannedChanges(work, "tfplan");
    const addresses = changes.map((c) => c.address);
    expect(new Set(changes.flatMap((c) => c.actions))).toEqual(new Set(["create"]));
    expect(addresses).toEqual(expect.arrayContaining(["module.network.aws_vpc.this", "module.network.aws_internet_gateway.this[0]", 'module.network.aws_subnet.public["us-east-1a"]', 'module.network.aws_subnet.public["us-east-1b"]']));
    expect(addresses.filter((a) => /aws_nat_gateway|aws_eip|aws_instance|aws_subnet\.(private|database)|aws_ecs_service|aws_db_instance|aws_elasticache/.test(a))).toEqual([]);
    expect(addresses).toEqual(expect.arrayContaining(["module.compute.aws_ecs_task_definition.processor", "module.monitoring.aws_cloudwatch_metric_alarm.metric_high_failure_rate"]));
  });

  test("option B (prod): plan -target=module.network touches only the network", () => {
    const work = initializedWorkdir(dir("prod"), "prod");
    terraformOk(work, ["plan", "-input=false", "-var-file=environments/prod/terraform.tfvars", "-target=module.network", "-out=tfplan-network"]);
    expect(plannedChanges(work, "tfplan-network").filter((c) => !c.address.startsWith("module.network."))).toEqual([]);
  });

  test("option A (dev): validate, then terraform test plans the root with the default VPC's data sources overridden", () => {
    const work = initializedWorkdir(dir("dev"), "dev");
    expect(terraformOk(work, ["validate", "-json"]).stdout).toContain('"valid": true');
    fs.mkdirSync(path.join(work, "tests"), { recursive: true });
    fs.writeFileSync(path.join(work, "tests", "option_a.tftest.hcl"), optionATest(Object.keys(JSON.parse(fs.readFileSync(path.join(dir("dev"), "cdk.tf.json"), "utf8")).check ?? {}).filter((c) => c.startsWith("placeholder_")).map((c) => `check.${c}`)));
    const r = terraform(work, ["test", "-no-color", "-var-file=environments/dev/terraform.tfvars"]);
    expect(`${r.stdout}\n${r.stderr}`).toContain("1 passed, 0 failed");
  });
});
