import { NAT_INSTANCE_DEFAULT_AMI } from "../../modules/network/config";
import { estimate } from "../../tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../tools/cost/prices";
import { loadEnvironments } from "../../environments";
import { problems } from "../helpers/config";
import { resource, synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const dev: Json = stacks.dev.modules.network;
const nat = resource(dev, "aws_instance", "nat");
const p = PRICES["us-east-1"];
const envs = Object.fromEntries(loadEnvironments().map((e) => [e.workspace, e]));

describe('NAT instance (network.natMode "instance", D100)', () => {
  test("dev routes every private subnet through the instance and creates no NAT gateway", () => {
    expect(stacks.dev.root.module.network.nat_mode).toBe("instance");
    expect(resource(dev, "aws_route", "private_nat_instance")).toMatchObject({
      network_interface_id: "${aws_instance.nat.0.primary_network_interface_id}",
      destination_cidr_block: "0.0.0.0/0",
      for_each: "${(local.nat_instance == 1) ? local.private_subnets_by_az : {}}",
    });
    expect(resource(dev, "aws_route", "private_nat").for_each).toBe(
      '${(contains(["none", "instance"], var.nat_mode) || !var.enable_nat) ? {} : local.private_subnets_by_az}',
    );
  });

  test("exists only while the environment runs and nat_mode is instance", () => {
    expect(dev.locals.nat_instance).toBe('${(var.enable_nat && (var.nat_mode == "instance")) ? 1 : 0}');
    expect(nat.count).toBe("${local.nat_instance}");
  });

  test("forwards (source/destination check off) from the first public subnet", () => {
    expect(nat).toMatchObject({
      source_dest_check: false,
      associate_public_ip_address: true,
      subnet_id: "${aws_subnet.public[var.azs.0].id}",
    });
  });

  test("requires IMDSv2, encrypts its root volume and has no instance profile", () => {
    expect(nat.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
    expect(nat.root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3" });
    expect(nat.iam_instance_profile).toBeUndefined();
  });

  test("takes HTTPS from the VPC only and sends HTTPS only", () => {
    expect(resource(dev, "aws_vpc_security_group_ingress_rule", "nat_instance_https_from_vpc")).toMatchObject({
      cidr_ipv4: "${aws_vpc.this.cidr_block}",
      from_port: 443,
      to_port: 443,
    });
    expect(resource(dev, "aws_vpc_security_group_egress_rule", "nat_instance_https_out")).toMatchObject({
      cidr_ipv4: "0.0.0.0/0",
      from_port: 443,
      to_port: 443,
    });
  });

  test("masquerades the VPC's traffic and keeps forwarding after a reboot", () => {
    expect(nat.user_data).toContain("-s ${var.vpc_cidr} -j MASQUERADE");
    expect(nat.user_data).toContain("net.ipv4.ip_forward = 1");
    expect(nat.user_data).toContain("iptables-save > /etc/sysconfig/iptables");
    expect(nat.user_data_replace_on_change).toBe(true);
  });

  test("boots Amazon Linux 2023 arm64 resolved by EC2 at launch, and ignores the resolved id afterwards", () => {
    expect(stacks.dev.root.module.network.nat_instance_ami).toBe(NAT_INSTANCE_DEFAULT_AMI);
    expect(nat.ami).toBe("${var.nat_instance_ami}");
    expect(nat.lifecycle.ignore_changes).toEqual(["ami"]);
  });

  test("its public IP is the nat_public_ips output", () => {
    expect(dev.output.nat_public_ips.value).toBe(
      "${concat([for az in local.nat_azs : aws_eip.nat[az].public_ip], aws_instance.nat[*].public_ip)}",
    );
  });

  test("the estimate prices the instance, its volume and address, and no NAT processing", () => {
    const lines = estimate(envs.dev, stacks.dev).lines.filter((l) => l.module === "network");
    expect(lines.map((l) => l.item)).toEqual(["NAT instance t4g.nano + 8 GB gp3 + public IPv4"]);
    expect(lines[0].usd).toBeCloseTo(
      (p.ec2Hour["t4g.nano"] + p.publicIpv4Hour) * HOURS_PER_MONTH + 8 * p.ebsGp3GbMonth,
      6,
    );
  });

  test("a stopped environment pays no NAT instance", () => {
    expect(
      estimate(envs.dev, stacks.dev, { running: false }).lines.filter((l) => l.item.startsWith("NAT instance")),
    ).toEqual([]);
  });

  test("refuses natMode instance in a production-like tier", () => {
    expect(problems("staging", (e) => (e.network.natMode = "instance"))).toEqual([
      'staging.network.natMode: "instance" is for a development tier: a production-like environment keeps managed NAT gateways ("single" or "one-per-az"), D100',
    ]);
  });

  test("refuses an image that is neither an AMI id nor an SSM parameter", () => {
    expect(problems("dev", (e) => (e.network.natInstance = { ami: "latest" }))).toEqual([
      "dev.network.natInstance.ami: must be an AMI id like ami-0123456789abcdef0 or resolve:ssm:/<parameter>",
    ]);
  });

  test("refuses an instance type that is not a small Graviton", () => {
    expect(problems("dev", (e) => (e.network.natInstance = { instanceType: "m5.large" }))[0]).toMatch(
      /^dev\.network\.natInstance\.instanceType: /,
    );
  });

  test("refuses unknown natInstance fields", () => {
    expect(problems("dev", (e) => (e.network.natInstance = { size: "nano" }))[0]).toMatch(
      /^dev\.network\.natInstance: /,
    );
  });
});
