/**
 * A picture of what a workspace builds (issue 24 item 6, D190): a Mermaid flowchart per workspace — network tiers
 * (public, private and database subnets, NAT), the load balancer, the services and one-off tasks, the data stores
 * (RDS, ElastiCache, S3), the edge (CloudFront and its WAF), the DR region and the monitoring — drawn from the typed
 * platform model: the parsed environment config and the modules the composition builds for it (`builtModules`, the
 * presence rules composition/modules.ts builds by, environments/built-modules.ts). Nothing here reads the synthesized Terraform.
 *
 * `npm run docs` writes one block per product page (docs/products/<id>.md) between the markers below; every node is
 * assigned a Mermaid class named after the module that owns it, so a test can prove every module the workspace's
 * output holds is in its picture (__tests__/unit/docs.test.ts).
 */
import type { EnvironmentConfig } from "../environments";
import { MODULE_NAMES, builtModules, type ModuleName } from "../environments/built-modules";
import type { ProductStacks } from "./product-stacks";

/** Fill colour of each module's nodes (the legend under each diagram names them). */
const MODULE_STYLE: Record<ModuleName, string> = {
  network: "fill:#e8f1fb,stroke:#2f6fb3",
  security: "fill:#fdecea,stroke:#c0392b",
  storage: "fill:#eaf7ea,stroke:#2e8b57",
  cache: "fill:#fff4e0,stroke:#d68910",
  database: "fill:#f3e8fb,stroke:#7d3c98",
  dr: "fill:#eeeeee,stroke:#555555",
  compute: "fill:#e6f7f7,stroke:#148f77",
  cdn: "fill:#fef9e7,stroke:#b7950b",
  monitoring: "fill:#f4f6f7,stroke:#566573",
};

type Shape = "box" | "store" | "round" | "shield";

/** A flowchart being written: its lines and, per module, the ids of the nodes it owns. */
class Flowchart {
  readonly lines: string[] = ["flowchart LR"];
  readonly members = new Map<ModuleName, string[]>();
  private depth = 1;

  node(module: ModuleName | undefined, id: string, text: string, shape: Shape = "box"): string {
    const label = `"${text.replace(/"/g, "'")}"`;
    const body = { box: `[${label}]`, store: `[(${label})]`, round: `([${label}])`, shield: `{{${label}}}` }[shape];
    this.line(`${id}${body}`);
    if (module) this.members.set(module, [...(this.members.get(module) ?? []), id]);
    return id;
  }

  group(id: string, title: string, body: () => void): void {
    this.line(`subgraph ${id}["${title}"]`);
    this.depth++;
    body();
    this.depth--;
    this.line("end");
  }

  edge(from: string, to: string, label?: string, dotted = false): void {
    const arrow = dotted ? "-.->" : "-->";
    this.line(label ? `${from} ${arrow}|${label}| ${to}` : `${from} ${arrow} ${to}`);
  }

  line(text: string): void {
    this.lines.push(`${"  ".repeat(this.depth)}${text}`);
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const size = (cpu: number, memory: number) => `${cpu / 1024} vCPU / ${memory / 1024} GB`;

/** What the network tiers hold, for the edges drawn after them. */
interface Drawn {
  alb?: string;
  nat?: string;
  services: string[];
  webServices: { id: string; hosts: readonly string[] }[];
  privateWork: string[];
  publicWork: string[];
  cache?: string;
  database?: string;
}

/** The VPC and its subnet tiers, with what runs in each. */
function networkTiers(f: Flowchart, env: EnvironmentConfig, has: Set<ModuleName>): Drawn {
  const net = env.network;
  const azs = env.availabilityZones.length;
  const c = env.compute;
  const web = c.services.filter((s) => s.kind === "web");
  const drawn: Drawn = { services: [], webServices: [], privateWork: [], publicWork: [] };
  const vpcTitle =
    net.mode === "default-vpc"
      ? `default VPC of the account (looked up, not created) · ${plural(azs, "AZ")}`
      : `VPC ${net.vpcCidr} · ${plural(azs, "AZ")}`;
  const services = () =>
    c.services.forEach((s, i) => {
      const id = f.node(
        "compute",
        `compute_service_${i}`,
        `ECS service ${s.name} (${s.kind})<br/>${size(s.cpu, s.memory)} · ${s.minCapacity}–${s.maxCapacity} tasks${s.spot || s.spotMix ? " · Spot" : ""}`,
      );
      drawn.services.push(id);
      drawn.privateWork.push(id);
      if (s.kind === "web") drawn.webServices.push({ id, hosts: s.hostHeaders });
    });
  const tasks = (publicIp: boolean) =>
    c.tasks
      .filter((t) => t.assignPublicIp === publicIp)
      .forEach((t) => {
        const id = f.node(
          "compute",
          `compute_task_${t.name.replace(/[^A-Za-z0-9]/g, "_")}`,
          `one-off task ${t.name}<br/>${size(t.cpu, t.memory)}${publicIp ? " · public IP" : ""}`,
          "round",
        );
        (publicIp ? drawn.publicWork : drawn.privateWork).push(id);
      });
  f.group("vpc", vpcTitle, () => {
    const publicCount = net.mode === "default-vpc" ? azs : net.publicSubnets.length;
    f.group("tier_public", `public subnets × ${publicCount}`, () => {
      f.node("network", "network_igw", "internet gateway", "round");
      if (web.length > 0) {
        const https = c.certificateArn ? "HTTPS" : "HTTP";
        const ingress = net.albIngress === "cloudfront" ? " · only CloudFront reaches it" : "";
        drawn.alb = f.node("compute", "compute_alb", `Application Load Balancer (${https})${ingress}`);
      }
      if (net.mode === "dedicated" && net.natMode !== "none") {
        const nats =
          net.natMode === "instance"
            ? `NAT instance ${net.natInstance.instanceType}`
            : net.natMode === "one-per-az"
              ? `NAT gateway × ${azs} (one per AZ)`
              : "NAT gateway × 1";
        drawn.nat = f.node("network", "network_nat", nats);
      }
      tasks(true);
    });
    if (net.mode === "dedicated" && net.privateSubnets.length > 0)
      f.group("tier_private", `private subnets × ${net.privateSubnets.length}`, () => {
        services();
        tasks(false);
        if (net.interfaceEndpoints.length > 0)
          f.node("network", "network_endpoints", `interface endpoints: ${net.interfaceEndpoints.join(", ")}`, "round");
        if (has.has("cache")) drawn.cache = cacheNode(f, env);
        if (has.has("database") && net.databaseSubnets.length === 0) drawn.database = databaseNode(f, env);
      });
    else {
      // Default VPC: the tasks' security group in the default subnets (seed 004 option A).
      services();
      tasks(false);
      if (net.mode === "default-vpc") f.node("network", "network_sg", "tasks' security group (the only thing created)");
    }
    if (has.has("database") && net.mode === "dedicated" && net.databaseSubnets.length > 0)
      f.group("tier_data", `database subnets × ${net.databaseSubnets.length} (no route to the internet)`, () => {
        drawn.database = databaseNode(f, env);
      });
  });
  return drawn;
}

function cacheNode(f: Flowchart, env: EnvironmentConfig): string {
  const k = env.cache;
  const engine = k.engine === "valkey" ? "Valkey" : "Redis OSS";
  const ha = k.automaticFailover ? " · automatic failover" : "";
  return f.node("cache", "cache_group", `ElastiCache ${engine}<br/>${k.numCacheNodes} × ${k.nodeType}${ha}`, "store");
}

function databaseNode(f: Flowchart, env: EnvironmentConfig): string {
  const d = env.database;
  const replicas = d.readReplicas > 0 ? ` + ${plural(d.readReplicas, "read replica")}` : "";
  return f.node(
    "database",
    "database_rds",
    `RDS PostgreSQL ${d.engineVersion}<br/>${d.instanceClass}${d.multiAz ? " Multi-AZ" : ""}${replicas} · ${d.allocatedStorage} GB`,
    "store",
  );
}

/** The regional services outside the VPC: S3, KMS/secrets/trail, the regional WAF, CloudWatch. */
function regionalServices(f: Flowchart, env: EnvironmentConfig): { s3: string; waf?: string; cw: string } {
  const buckets = Object.keys(env.storage.buckets);
  const s3 = f.node("storage", "storage_s3", `S3: ${[...buckets, "logs"].join(", ")}`, "store");
  const sec = env.security;
  const parts = ["KMS keys", `Secrets Manager (${plural(sec.secrets.names.length, "app secret")})`];
  if (sec.audit.enabled) parts.push("CloudTrail");
  f.node("security", "security_keys", parts.join(" · "));
  const waf = sec.waf.enabled ? f.node("security", "security_waf", "regional WAF", "shield") : undefined;
  const m = env.monitoring;
  const emails = m.alarmEmails.length > 0 ? ` → ${plural(m.alarmEmails.length, "e-mail")}` : "";
  const insights = env.compute.containerInsights ? " · Container Insights" : "";
  const cw = f.node("monitoring", "monitoring_cw", `CloudWatch alarms → SNS${emails} · dashboard${insights}`);
  return { s3, waf, cw };
}

/** The Mermaid flowchart of one workspace. */
export function workspaceDiagram(env: EnvironmentConfig): string {
  const has = new Set(builtModules(env));
  const f = new Flowchart();
  const internet = f.node(undefined, "internet", "internet (external APIs)", "round");
  let cf: string | undefined;
  if (has.has("cdn"))
    f.group("edge_global", "edge (global)", () => {
      const aliases = env.cdn.aliases.length > 0 ? `<br/>${env.cdn.aliases.join(", ")}` : "";
      cf = f.node("cdn", "cdn_distribution", `CloudFront ${env.cdn.priceClass}${aliases}`);
      if (env.cdn.waf) f.edge(f.node("cdn", "cdn_waf", "WAF (CloudFront scope)", "shield"), cf, "filters", true);
    });
  let drawn: Drawn = { services: [], webServices: [], privateWork: [], publicWork: [] };
  let regional: ReturnType<typeof regionalServices> | undefined;
  f.group("region", `${env.region} (${env.workspace})`, () => {
    drawn = networkTiers(f, env, has);
    regional = regionalServices(f, env);
  });
  if (has.has("dr"))
    f.group("dr_region", `DR region ${env.dr.region}`, () => {
      f.node("dr", "dr_backups", `replicated RDS backups · ${env.dr.backupRetentionDays} d`, "store");
      if (env.dr.buckets.length > 0) f.node("dr", "dr_buckets", `S3 replicas: ${env.dr.buckets.join(", ")}`, "store");
    });
  edges(f, env, has, { internet, cf, drawn, regional: regional! });
  legend(f);
  return f.lines.join("\n");
}

/** How requests, data and copies flow between the nodes. */
function edges(
  f: Flowchart,
  env: EnvironmentConfig,
  has: Set<ModuleName>,
  n: { internet: string; cf?: string; drawn: Drawn; regional: ReturnType<typeof regionalServices> },
): void {
  const { drawn, regional } = n;
  if (drawn.alb) {
    const users = f.node(undefined, "users", "users", "round");
    if (n.cf) {
      f.edge(users, n.cf, "HTTPS");
      f.edge(n.cf, drawn.alb, "origin");
    } else f.edge(users, drawn.alb);
    if (regional.waf) f.edge(regional.waf, drawn.alb, "filters", true);
    for (const w of drawn.webServices) f.edge(drawn.alb, w.id, w.hosts.length > 0 ? w.hosts.join(", ") : undefined);
  }
  const work = [...drawn.privateWork, ...drawn.publicWork];
  for (const w of work) {
    if (drawn.cache) f.edge(w, drawn.cache);
    if (drawn.database) f.edge(w, drawn.database);
    f.edge(w, regional.s3);
  }
  if (drawn.nat && drawn.privateWork.length > 0) {
    for (const w of drawn.privateWork) f.edge(w, drawn.nat, undefined, true);
    f.edge(drawn.nat, "network_igw", "egress");
  }
  for (const w of drawn.publicWork) f.edge(w, "network_igw", "egress");
  f.edge("network_igw", n.internet);
  if (work.length > 0) f.edge(work[0], regional.cw, "logs, metrics", true);
  if (has.has("dr") && drawn.database) f.edge(drawn.database, "dr_backups", "backup copies", true);
  if (has.has("dr") && env.dr.buckets.length > 0) f.edge(regional.s3, "dr_buckets", "replication", true);
}

/** classDef per module and each node's class: the colours, and what the coverage test reads. */
function legend(f: Flowchart): void {
  for (const m of MODULE_NAMES) {
    const ids = f.members.get(m);
    if (!ids) continue;
    f.line(`classDef ${m} ${MODULE_STYLE[m]}`);
    f.line(`class ${ids.join(",")} ${m}`);
  }
}

/** The modules a diagram assigns nodes to (its `class <ids> <module>` lines). */
export function modulesInDiagram(diagram: string): string[] {
  return [...diagram.matchAll(/^\s*class \S+ ([a-z]+)$/gm)].map((m) => m[1]);
}

export const DIAGRAM_BEGIN = "<!-- diagram:begin (generated by `npm run docs` from the environment files) -->";
export const DIAGRAM_END = "<!-- diagram:end -->";

/** The generated block of a product page: one diagram per workspace, with its modules. */
export function diagramBlock(set: Pick<ProductStacks, "envs" | "label">): string {
  const out = [
    DIAGRAM_BEGIN,
    "Generated from the environment files and the modules the composition builds (tools/diagram.ts, D190); each",
    "colour is one module. GitHub renders the diagrams; elsewhere paste one into https://mermaid.live.",
    "",
  ];
  for (const env of set.envs) {
    out.push(
      `#### \`${set.label(env.workspace)}\`: ${builtModules(env).join(", ")}`,
      "",
      "```mermaid",
      workspaceDiagram(env),
      "```",
      "",
    );
  }
  out.push(DIAGRAM_END);
  return out.join("\n");
}

/** A page with its generated block replaced by `block`; throws when the markers are missing. */
export function pageWithDiagrams(page: string, block: string, file: string): string {
  const start = page.indexOf(DIAGRAM_BEGIN);
  const end = page.indexOf(DIAGRAM_END);
  if (start < 0 || end < start) throw new Error(`${file} needs the markers ${DIAGRAM_BEGIN} … ${DIAGRAM_END}`);
  return page.slice(0, start) + block + page.slice(end + DIAGRAM_END.length);
}

/** The product page of a product: docs/products/<id>.md. */
export const productPage = (id: string) => `docs/products/${id}.md`;

/**
 * Each product page (docs/products/<id>.md) with its generated diagrams. A product without a page yet (a new one) gets
 * a page with its title and the section; a page without the markers gets the section appended.
 */
export function diagramDocs(sets: readonly ProductStacks[], read: (file: string) => string): Record<string, string> {
  const docs: Record<string, string> = {};
  for (const set of sets) {
    const file = productPage(set.product.id);
    let page: string;
    try {
      page = read(file);
    } catch {
      page = `# ${set.product.title}\n`;
    }
    if (!page.includes(DIAGRAM_BEGIN))
      page = `${page.trimEnd()}\n\n## Architecture (generated)\n\n${DIAGRAM_BEGIN}\n${DIAGRAM_END}\n`;
    docs[file] = pageWithDiagrams(page, diagramBlock(set), file);
  }
  return docs;
}
