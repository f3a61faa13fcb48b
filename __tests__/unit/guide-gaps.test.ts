/**
 * The guides' last gaps that are built (issue 25 items 1, 3, 11, 13, 14): rules and invariants over every product's
 * typed config and the run's shared synthesis (no workspace is synthesized here).
 */
import { ConfigError, loadEnvironments, PRODUCTS, workspaceLabel, type EnvironmentConfig } from "../../environments";
import { EDUAUTISMO } from "../../environments/eduautismo";
import { withDefaults } from "../../environments/product-spec";
import {
  appMetricTargetProblems,
  FARGATE_EPHEMERAL_GIB,
  ScratchSchema,
  TMP_PATH,
  type PublishedAppMetric,
} from "../../modules/compute/config";
import { albAlarms, p95Threshold, serviceAlarms } from "../../modules/monitoring/alarms-alb";
import { type Alarm, type AlarmSpec } from "../../modules/monitoring/alarms";
import { dashboardWidgets } from "../../modules/monitoring/dashboard";
import { APP_GROUP_DESCRIPTION } from "../../modules/network/security-groups";
import { containerDefs, resourcesOf, synthProduct, type Json, synthAll, type SynthesizedStack } from "../helpers/synth";
import { type Mutable, problems } from "../helpers/config";
import { synthWorkspace } from "../helpers/workspace-fixture";
import { AITECHNE } from "../../environments/aitechne";

/** Every checked-in workspace of every product: its typed config and its synthesized directory (shared run). */
const WORKSPACES = PRODUCTS.flatMap((product) => {
  const { stacks } = synthProduct(product);
  return loadEnvironments(product.environments, product).map((env) => ({
    label: workspaceLabel(product, env.workspace),
    product,
    env,
    stack: stacks[env.workspace],
  }));
});
const hasLoadBalancer = (env: EnvironmentConfig) => env.compute.services.some((s) => s.kind === "web");

describe("S3 access logs expire with the workspace's log groups (seed 000 §4: 7 / 30 / 90 days)", () => {
  test.each(WORKSPACES.map((w) => [w.label, w]))(
    "%s: the logs bucket keeps objects as long as the ECS log group",
    (_, w) => {
      const root = w.stack.root.module;
      expect(root.storage.log_retention_days).toBe(root.compute.log_retention_days);
    },
  );
});

describe("the tier security groups exist where they are used and say what they admit", () => {
  test.each(WORKSPACES.map((w) => [w.label, w]))("%s: a load balancer group only with a load balancer", (_, w) => {
    const groups = resourcesOf(w.stack.modules.network, "aws_security_group");
    const albs = resourcesOf(w.stack.modules.compute, "aws_lb");
    expect("alb" in groups).toBe(Object.keys(albs).length > 0);
    expect("alb_security_group_id" in (w.stack.root.output ?? {})).toBe(hasLoadBalancer(w.env));
  });

  test.each(WORKSPACES.map((w) => [w.label, w]))("%s: the tasks' group describes its inbound rules", (_, w) => {
    const network = w.stack.modules.network;
    const app = resourcesOf(network, "aws_security_group").app;
    const inbound = Object.values(resourcesOf(network, "aws_vpc_security_group_ingress_rule")).filter(
      (r: Json) => r.security_group_id === "${aws_security_group.app.id}",
    );
    if (inbound.length === 0) expect(app.description).toMatch(/no inbound/);
    else expect(app.description).toBe(APP_GROUP_DESCRIPTION.behindLoadBalancer);
  });
});

/** The alarms a monitoring part makes, captured instead of created. */
function captured(make: (alarm: Alarm) => void): AlarmSpec[] {
  const specs: AlarmSpec[] = [];
  make((spec) => {
    specs.push(spec);
    return undefined as never;
  });
  return specs;
}

/** The widget whose metrics draw TargetResponseTime p95 with these dimensions. */
function p95Widget(widgets: Json[], dimension: string, value: string): Json {
  const found = widgets.find((w) =>
    (w.properties.metrics as unknown[][]).some(
      (m) => m[1] === "TargetResponseTime" && m.includes(dimension) && m.includes(value),
    ),
  );
  if (!found) throw new Error(`no p95 widget on ${dimension} ${value}`);
  return found;
}

describe("each p95 latency widget shows its alarm's threshold (seed 003: API p95 > 1 s)", () => {
  const alb = { arnSuffix: "lb", targetGroupArnSuffix: "tg" };
  const refs = { region: "r", clusterName: "c", appNamespace: "ns", albArnSuffix: "lb", targetGroupArnSuffix: "tg" };
  const withLb = WORKSPACES.filter((w) => hasLoadBalancer(w.env));

  test.each(withLb.map((w) => [w.label, w]))("%s: the load balancer's p95 line is the alarm's threshold", (_, w) => {
    const t = w.env.monitoring.thresholds;
    const alarm = captured((a) => albAlarms(a, t, alb)).find((s) => s.suffix === "alb-p95-latency");
    const widgets = dashboardWidgets(refs, { albP95LatencyMs: t.albP95LatencyMs }) as Json[];
    const widget = p95Widget(widgets, "LoadBalancer", "lb");
    expect(widget.properties.annotations.horizontal[0].value).toBe(alarm?.threshold);
    expect(widget.properties.title).toContain(p95Threshold(t.albP95LatencyMs).words);
  });

  const serviceLatency = withLb.flatMap((w) =>
    Object.entries(w.env.monitoring.serviceAlarms)
      .filter(([, a]) => a.p95LatencyMs !== undefined)
      .map(([service, a]) => [`${w.label} ${service}`, service, a.p95LatencyMs as number] as const),
  );
  test("Retell's API has its own p95 alarm (the widget below follows it)", () => {
    expect(serviceLatency.some(([label]) => label.startsWith("retell/"))).toBe(true);
  });
  test.each(serviceLatency)("%s: its target group's p95 widget carries its alarm's threshold", (_, service, ms) => {
    const alarms = [{ service, p95LatencyMs: ms }];
    const map = { [service]: "tg-of-service" };
    const alarm = captured((a) =>
      serviceAlarms(a, alarms, { clusterName: "c", targetGroupArnSuffixes: map, albArnSuffix: "lb" }),
    ).find((s) => s.suffix === `${service}-p95-latency`);
    const widgets = dashboardWidgets(
      { ...refs, targetGroupArnSuffixes: map },
      { albP95LatencyMs: 500, serviceAlarms: alarms },
    );
    const widget = (widgets as Json[]).find((w) => w.properties.title.startsWith(`${service} response time p95`)) ?? {};
    expect(widget.properties.annotations.horizontal[0].value).toBe(alarm?.threshold);
    expect(widget.properties.title).toContain(p95Threshold(ms).words);
    expect(JSON.stringify(widget.properties.metrics)).toContain("TargetGroup");
  });
});

describe("tasks' scratch volume (seed 004: the processor writes documents on a read-only root)", () => {
  const tasks = WORKSPACES.flatMap((w) =>
    w.env.compute.tasks.filter((t) => t.scratch).map((t) => [`${w.label} ${t.name}`, w, t] as const),
  );
  test("AI Techne's processor has one", () => {
    expect(tasks.some(([label]) => label.startsWith("aitechne/") && label.endsWith(" processor"))).toBe(true);
  });

  test.each(tasks)("%s: its container may write at the scratch path, on a volume of the task", (_, w, t) => {
    const td = resourcesOf(w.stack.modules.compute, "aws_ecs_task_definition")[t.name.replace(/-/g, "_")];
    // The mount of the scratch path, read-write, on a volume of the task.
    const [app] = containerDefs(w.stack.modules.compute, t.name.replace(/-/g, "_"));
    const mount = (app.mountPoints as Json[]).find((m) => m.containerPath === t.scratch?.path);
    expect(mount?.readOnly).toBe(false);
    expect(td.volume.map((v: Json) => v.name)).toContain(mount?.sourceVolume);
    const size = td.ephemeral_storage?.size_in_gib ?? FARGATE_EPHEMERAL_GIB.included;
    expect(size === FARGATE_EPHEMERAL_GIB.included || size >= FARGATE_EPHEMERAL_GIB.min).toBe(true);
    expect(size).toBeLessThanOrEqual(FARGATE_EPHEMERAL_GIB.max);
  });

  test("a size is the task's ephemeral storage (one workspace built with 50 GiB)", () => {
    const stack = synthWorkspace(
      "prod",
      (env) => (env.compute.tasks[0].scratch = { path: "/scratch", sizeGib: 50 }),
      AITECHNE,
    );
    const td = resourcesOf(stack.modules.compute, "aws_ecs_task_definition").processor;
    expect(td.ephemeral_storage).toEqual({ size_in_gib: 50 });
  });

  test.each([[TMP_PATH], [`${TMP_PATH}/docs`], ["/proc/x"], ["scratch"], ["/a/../etc"], ["/"]])(
    "refuses the path %s (not absolute, already writable, kernel's, or escaping)",
    (path) => {
      expect(ScratchSchema.safeParse({ path }).success).toBe(false);
    },
  );

  test.each([[FARGATE_EPHEMERAL_GIB.included], [FARGATE_EPHEMERAL_GIB.max + 1], [30.5]])(
    "refuses an ephemeral storage of %s GiB (Fargate takes 21–200 whole GiB)",
    (sizeGib) => {
      const r = ScratchSchema.safeParse({ path: "/scratch", sizeGib });
      expect(r.success).toBe(false);
    },
  );
});

describe("scaling on an app metric (seed 001: auto-scaling on custom metrics)", () => {
  const published: PublishedAppMetric[] = [
    { namespace: "api", metric: "requests" },
    { namespace: "disciplines", metric: "per_subject", dimensions: { subject: "$.subject" } },
  ];
  const compute = (target: object, containerInsights = true) =>
    ({ containerInsights, services: [{ appMetricTarget: target }] }) as Mutable;
  const target = (namespace: string, metric: string) => ({ namespace, metric, perTaskPerMinute: 100 });

  test("a published metric without dimensions, with Container Insights, passes", () => {
    expect(appMetricTargetProblems("ws", compute(target("api", "requests")), published)).toEqual([]);
  });

  test("a metric the app does not publish is refused with the field path and the choices", () => {
    expect(appMetricTargetProblems("ws", compute(target("api", "p99")), published)).toEqual([
      expect.stringMatching(/^ws\.compute\.services\[0\]\.appMetricTarget: .*no metric api\/p99.*api\/requests/),
    ]);
  });

  test("a metric published only with dimensions is refused (no series without them)", () => {
    expect(appMetricTargetProblems("ws", compute(target("disciplines", "per_subject")), published)).toEqual([
      expect.stringMatching(/only with dimensions \(subject\)/),
    ]);
  });

  test("without Container Insights there is no running-task count to divide by: refused", () => {
    expect(appMetricTargetProblems("ws", compute(target("api", "requests"), false), published)).toEqual([
      expect.stringMatching(/needs compute\.containerInsights = true/),
    ]);
  });

  test("a product environment naming an unpublished metric fails loading, before anything is written", () => {
    const input = structuredClone(withDefaults(EDUAUTISMO.defaults, EDUAUTISMO.environments.production)) as Mutable;
    input.compute.services[0].appMetricTarget = target("api", "not_published");
    const load = () => loadEnvironments({ production: input }, EDUAUTISMO);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(/production\.compute\.services\[0\]\.appMetricTarget: the app publishes no metric/);
  });

  const scaled = WORKSPACES.flatMap((w) =>
    w.env.compute.services
      .filter((s) => s.appMetricTarget)
      .map((s) => [`${w.label} ${s.name}`, w, s.name.replace(/-/g, "_")] as const),
  );
  test("EduAutismo's production scales on one (seed 001)", () => {
    expect(scaled.some(([label]) => label === "production app")).toBe(true);
  });
  test.each(scaled)("%s: the policy reads a metric the product publishes, per running task", (_, w, id) => {
    const policy = resourcesOf(w.stack.modules.compute, "aws_appautoscaling_policy")[`${id}_app_metric`];
    const metrics = policy.target_tracking_scaling_policy_configuration.customized_metric_specification.metrics;
    const events = metrics.find((m: Json) => m.id === "events").metric_stat.metric;
    const root = w.env.monitoring.appMetrics.namespace;
    const filters = w.product.appMetrics?.(w.env)?.filters ?? [];
    expect(filters.some((f) => `${root}/${f.namespace}` === events.namespace && f.metric === events.metric_name)).toBe(
      true,
    );
    expect(metrics.find((m: Json) => m.return_data).expression).toMatch(/\/ tasks$/);
  });
});

// Formerly seed-fidelity.test.ts: merged here, since every test file costs jest 0.3–0.6 CPU-s of its own (docs/testing.md, Speed).
describe("seed fidelity: statements of seeds 000/001 followed to the letter", () => {
  /**
   * Statements of seeds 000/001 that the platform follows to the letter, checked on the synthesized
   * output (what Terraform would receive). Deliberate differences live in docs/decisions.md instead.
   */
  /** A module input as Terraform receives it: the root's module block, a knob read by name from its tfvars value. */
  function moduleInput(stack: SynthesizedStack, module: string, name: string): unknown {
    const v = stack.root.module?.[module]?.[name];
    const knob = typeof v === "string" ? /^\$\{var\.(\w+)\}$/.exec(v)?.[1] : undefined;
    return knob ? stack.root.variable?.[knob]?.default : v;
  }

  const { stacks } = synthAll();

  describe("log retention per environment (seed 000 §4.1 dev 7 days, §4.2 staging 30 days, §4.3 production 90 days)", () => {
    test.each([
      ["dev", 7],
      ["staging", 30],
      ["production", 90],
    ])("%s keeps the RDS log groups and the application's ECS logs %i days", (ws, days) => {
      expect(moduleInput(stacks[ws], "database", "log_retention_days")).toBe(days);
      expect(moduleInput(stacks[ws], "compute", "log_retention_days")).toBe(days);
    });

    test.each([
      ["dev", 7],
      ["production", 90],
    ])("%s keeps the Redis slow log %i days", (ws, days) => {
      expect(moduleInput(stacks[ws], "cache", "slow_log_retention_days")).toBe(days);
    });

    test.each([
      ["staging", 30],
      ["production", 90],
    ])("%s keeps the WAF log group %i days", (ws, days) => {
      expect(moduleInput(stacks[ws], "security", "waf_log_retention_days")).toBe(days);
    });

    test.each([
      ["staging", 30],
      ["production", 90],
    ])("%s keeps the CloudWatch copy of CloudTrail %i days", (ws, days) => {
      expect(moduleInput(stacks[ws], "security", "cloudtrail_log_retention_days")).toBe(days);
    });
  });

  describe('TLS 1.3 (seed 001, Segurança: "Criptografia in transit (TLS 1.3)")', () => {
    test("every HTTPS listener offers TLS 1.3 (and 1.2) by default", () => {
      for (const ws of ["staging", "production"]) {
        expect(stacks[ws].modules.compute.resource.aws_lb_listener.https.ssl_policy).toBe("${var.tls_policy}");
        expect(moduleInput(stacks[ws], "compute", "tls_policy")).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
      }
    });

    test("a workspace without CloudFront can make its ALB TLS 1.3-only", () => {
      expect(problems("staging", (e) => (e.compute.tlsPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"))).toEqual([]);
    });

    test("TLS 1.3-only is refused behind CloudFront", () => {
      expect(problems("production", (e) => (e.compute.tlsPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06"))).toContain(
        "production.compute.tlsPolicy: TLS 1.3-only cannot be the ALB's policy behind CloudFront: CloudFront's origin protocol setting offers TLSv1.2 at most; keep ELBSecurityPolicy-TLS13-1-2-2021-06",
      );
    });
  });
});
