import { loadEnvironments, WORKSPACES } from "../../environments";
import { NAT_INSTANCE_DEFAULT_AMI } from "../../modules/network/config";
import { estimate } from "../../tools/cost/estimate";
import { HOURS_PER_MONTH, PRICES } from "../../tools/cost/prices";
import { problems } from "../helpers/config";
import { resource, resourcesOf, synthAll, type Json } from "../helpers/synth";

const { stacks } = synthAll();
const net: Json = stacks.production.modules.network;
const ingress = resourcesOf(net, "aws_vpc_security_group_ingress_rule");
const egress = resourcesOf(net, "aws_vpc_security_group_egress_rule");

describe("network module: security defaults", () => {
  test("the VPC resolves DNS names (interface endpoints and RDS need it)", () => {
    expect(resource(net, "aws_vpc", "this")).toMatchObject({ enable_dns_support: true, enable_dns_hostnames: true });
  });

  test("the default security group is managed with no rules", () => {
    const sg = resource(net, "aws_default_security_group", "this");
    expect(sg.ingress).toBeUndefined();
    expect(sg.egress).toBeUndefined();
  });

  test("no subnet hands out public IPs on launch", () => {
    expect(resource(net, "aws_subnet", "public").map_public_ip_on_launch).toBe(false);
    expect(resource(net, "aws_subnet", "private").map_public_ip_on_launch).toBeUndefined();
  });

  test("database subnets have no route to the internet", () => {
    const routes = resourcesOf(net, "aws_route");
    for (const r of Object.values(routes)) expect(r.route_table_id).not.toContain("aws_route_table.database");
  });

  test("the internet reaches only the ALB, and only on 80 and 443", () => {
    const open = Object.entries(ingress).filter(([, r]) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(open.map(([name, r]) => [name, r.from_port, r.to_port, r.security_group_id])).toEqual([
      ["alb_http_from_internet", 80, 80, "${aws_security_group.alb.id}"],
      ["alb_https_from_internet", 443, 443, "${aws_security_group.alb.id}"],
    ]);
  });

  test("the app tier admits only the ALB's security group, on the app port", () => {
    const toApp = Object.values(ingress).filter((r) => r.security_group_id === "${aws_security_group.app.id}");
    expect(toApp).toEqual([
      expect.objectContaining({
        referenced_security_group_id: "${aws_security_group.alb.id}",
        from_port: "${var.app_port}",
        to_port: "${var.app_port}",
        ip_protocol: "tcp",
      }),
    ]);
  });

  test("the ALB may only talk to the app tier", () => {
    const fromAlb = Object.values(egress).filter((r) => r.security_group_id === "${aws_security_group.alb.id}");
    expect(fromAlb).toEqual([
      expect.objectContaining({ referenced_security_group_id: "${aws_security_group.app.id}" }),
    ]);
  });

  test("egress to the world is HTTPS only: the app, and the NAT instance that forwards it", () => {
    const world = Object.values(egress).filter((r) => r.cidr_ipv4 === "0.0.0.0/0");
    expect(world.map((r) => [r.security_group_id, r.ip_protocol, r.from_port, r.to_port])).toEqual([
      ["${aws_security_group.nat_instance.0.id}", "tcp", 443, 443],
      ["${aws_security_group.app.id}", "tcp", 443, 443],
    ]);
  });

  test("interface endpoints admit HTTPS from the VPC only", () => {
    expect(resource(net, "aws_vpc_security_group_ingress_rule", "endpoints_https_from_vpc")).toMatchObject({
      cidr_ipv4: "${aws_vpc.this.cidr_block}",
      from_port: 443,
      to_port: 443,
    });
  });

  test("every security group and rule is described", () => {
    for (const [type, byName] of Object.entries<Json>(net.resource)) {
      if (!/security_group/.test(type) || type === "aws_default_security_group") continue;
      for (const [name, r] of Object.entries<Json>(byName))
        expect([type, name, typeof r.description]).toEqual([type, name, "string"]);
    }
  });

  test("flow logs go to a log group with retention, written by a role only VPC Flow Logs can assume", () => {
    expect(resource(net, "aws_cloudwatch_log_group", "flow_logs").retention_in_days).toBe(
      "${var.flow_log_retention_days}",
    );
    const trust = JSON.parse(resource(net, "aws_iam_role", "flow_logs").assume_role_policy);
    expect(trust.Statement).toEqual([
      { Effect: "Allow", Principal: { Service: "vpc-flow-logs.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    expect(resource(net, "aws_iam_role_policy", "flow_logs").policy).not.toMatch(/"\*"|= "\*"/);
  });

  test("the S3 gateway endpoint serves the private and database route tables", () => {
    const s3 = resource(net, "aws_vpc_endpoint", "s3");
    expect(s3.vpc_endpoint_type).toBe("Gateway");
    expect(s3.route_table_ids).toBe("${concat(values(aws_route_table.private)[*].id, aws_route_table.database[*].id)}");
  });
});

describe("network module: per-AZ resources", () => {
  test("subnets, private route tables and NAT gateways are keyed by AZ name, not by position", () => {
    expect(resource(net, "aws_subnet", "private").for_each).toBe("${local.private_subnets_by_az}");
    expect(resource(net, "aws_route_table", "private").for_each).toBe("${local.private_subnets_by_az}");
    expect(resource(net, "aws_nat_gateway", "this").for_each).toBe("${toset(local.nat_azs)}");
  });

  test("with one-per-az each private route table uses the NAT gateway of its own AZ", () => {
    expect(resource(net, "aws_route", "private_nat").nat_gateway_id).toBe(
      '${aws_nat_gateway.this[(var.nat_mode == "one-per-az") ? each.key : var.azs.0].id}',
    );
  });
});

describe.each(WORKSPACES)("network inputs in %s", (ws) => {
  const call = stacks[ws].root.module.network;

  test("the module name prefix derives from the guarded environment variable", () => {
    expect(call.name).toBe("eduautismo-ia-${var.environment}");
  });

  test("one subnet per AZ in every tier", () => {
    for (const tier of ["public_subnets", "private_subnets", "database_subnets"])
      expect(call[tier]).toHaveLength(call.azs.length);
  });
});

// Formerly nat-instance.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("the NAT instance", () => {
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
});
