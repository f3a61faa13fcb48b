import * as fs from "fs";
import * as path from "path";
import { ConfigError, loadEnvironments } from "../../environments";
import { problems, type Mutable } from "../helpers/config";
import { synthesize } from "../../platform";
import { inputs, tempDir } from "../helpers/synth";

describe("checked-in environments", () => {
  test("all three parse without problems", () => {
    expect(loadEnvironments().map((e) => e.workspace)).toEqual(["dev", "staging", "production"]);
  });

  test("dev and staging span 2 AZs, production 3", () => {
    const byWs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e.availabilityZones.length]));
    expect(byWs).toEqual({ dev: 2, staging: 2, production: 3 });
  });

  test("every environment defaults to us-east-1", () => {
    expect(new Set(loadEnvironments().map((e) => e.region))).toEqual(new Set(["us-east-1"]));
  });

  test("flow logs are on in staging and production, off in dev", () => {
    const flow = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e.network.flowLogs.enabled]));
    expect(flow).toEqual({ dev: false, staging: true, production: true });
  });

  test("production survives the loss of an AZ: one NAT gateway per AZ", () => {
    expect(loadEnvironments().find((e) => e.workspace === "production")?.network.natMode).toBe("one-per-az");
  });
});

describe("config rules fail with the field path and the rule", () => {
  const cases: [string, "dev" | "staging" | "production", (env: Mutable) => void, string][] = [
    [
      "a subnet outside the VPC block",
      "production",
      (e) => (e.network.privateSubnets[2] = "10.1.30.0/24"),
      "production.network.privateSubnets[2]: 10.1.30.0/24 is outside vpcCidr 10.0.0.0/16",
    ],
    [
      "overlapping subnets",
      "dev",
      (e) => (e.network.databaseSubnets[0] = "10.0.10.0/23"),
      "dev.network.databaseSubnets[0]: 10.0.10.0/23 overlaps privateSubnets[0] 10.0.10.0/24",
    ],
    [
      "fewer subnets than AZs",
      "production",
      (e) => e.network.privateSubnets.pop(),
      "production.network.privateSubnets: fewer subnets than availability zones: needs one subnet per availability zone (3: us-east-1a, us-east-1b, us-east-1c), got 2",
    ],
    [
      "more subnets than AZs",
      "dev",
      (e) => e.network.publicSubnets.push("10.0.2.0/24"),
      "dev.network.publicSubnets: more subnets than availability zones: needs one subnet per availability zone (2: us-east-1a, us-east-1b), got 3",
    ],
    [
      "a duplicated AZ",
      "staging",
      (e) => (e.availabilityZones[1] = "us-east-1a"),
      "staging.availabilityZones[1]: us-east-1a is listed twice (also at availabilityZones[0])",
    ],
    [
      "an AZ of another region",
      "dev",
      (e) => (e.availabilityZones[1] = "sa-east-1b"),
      "dev.availabilityZones[1]: sa-east-1b is not an availability zone of region us-east-1",
    ],
    [
      "fewer than 2 AZs",
      "dev",
      (e) => {
        e.availabilityZones = ["us-east-1a"];
        e.network.publicSubnets = ["10.0.0.0/24"];
        e.network.privateSubnets = ["10.0.10.0/24"];
        e.network.databaseSubnets = ["10.0.20.0/24"];
      },
      "dev.availabilityZones: needs at least 2 availability zones (an ALB spans 2)",
    ],
    [
      "NAT one-per-az without public subnets",
      "production",
      (e) => (e.network.publicSubnets = []),
      'production.network.natMode: "one-per-az" needs publicSubnets to hold the NAT gateways, got none (use "none" or add one public subnet per AZ)',
    ],
    [
      "a CIDR with host bits set",
      "dev",
      (e) => (e.network.vpcCidr = "10.0.0.1/16"),
      "dev.network.vpcCidr: 10.0.0.1/16 has host bits set; did you mean 10.0.0.0/16?",
    ],
    [
      "something that is not a CIDR",
      "dev",
      (e) => (e.network.privateSubnets[0] = "10.0.10.0"),
      "dev.network.privateSubnets[0]: 10.0.10.0 is not an IPv4 CIDR block (a.b.c.d/n)",
    ],
    [
      "a VPC block larger than /16",
      "dev",
      (e) => (e.network.vpcCidr = "10.0.0.0/8"),
      "dev.network.vpcCidr: 10.0.0.0/8: a VPC block must be between /16 and /28",
    ],
    [
      "a subnet smaller than /28",
      "dev",
      (e) => (e.network.privateSubnets[0] = "10.0.10.0/29"),
      "dev.network.privateSubnets[0]: 10.0.10.0/29: AWS subnets must be /28 or larger",
    ],
    [
      "a flow log retention CloudWatch does not offer",
      "staging",
      (e) => (e.network.flowLogs.retentionDays = 31),
      "staging.network.flowLogs.retentionDays: 31 is not a CloudWatch Logs retention value (one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)",
    ],
    [
      "a malformed region",
      "dev",
      (e) => (e.region = "brazil"),
      "dev.region: must be an AWS region code such as us-east-1 or sa-east-1",
    ],
    [
      "a state bucket name S3 would refuse",
      "production",
      (e) => (e.state = { bucket: "Eduautismo_State" }),
      "production.state.bucket: must be a valid S3 bucket name",
    ],
  ];

  test.each(cases)("%s", (_name, ws, change, expected) => {
    expect(problems(ws, change)).toContain(expected);
  });

  test("an unknown interface endpoint is rejected with the allowed list", () => {
    const found = problems("production", (e) => e.network.interfaceEndpoints.push("sqs"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^production\.network\.interfaceEndpoints\[4\]: .*"ecr\.api"/);
  });

  test("a misspelt knob is rejected instead of ignored", () => {
    const found = problems("dev", (e) => (e.network.natGateways = "single"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/^dev\.network: .*natGateways/);
  });

  test("a file that declares another workspace is rejected", () => {
    expect(problems("staging", (e) => (e.workspace = "production"))).toEqual([
      'staging.workspace: the file for "staging" declares workspace "production"',
    ]);
  });

  test("problems of every workspace are reported together", () => {
    const all = inputs();
    (all.dev.network as Mutable).vpcCidr = "10.0.0.0/8";
    (all.production.network as Mutable).privateSubnets[2] = "10.1.30.0/24";
    expect(() => loadEnvironments(all)).toThrow(/dev\.network\.vpcCidr[\s\S]*production\.network\.privateSubnets\[2\]/);
  });

  test("an invalid config writes nothing", () => {
    const all = inputs();
    (all.production.network as Mutable).privateSubnets[2] = "10.1.30.0/24";
    const outdir = path.join(tempDir("bad-config"), "cdktf.out");
    expect(() => synthesize({ outdir, inputs: all })).toThrow(ConfigError);
    expect(fs.existsSync(outdir)).toBe(false);
  });
});
