/**
 * The one runbook generator (docs/runbooks/<outDir>/<ws>.md): the shared frame (title, intro, first deploy, the
 * sections, the outputs) filled by a product's runbook spec (`RunbookSpec`, tools/product-runbook.ts). The
 * frame's own sections (`FRAME`: one-module change, state rollback, stop/start, the cache engine switch) are
 * generated from the synthesized workspace; a spec lists them among the guide's own sections in the guide's order.
 */
import { workspaceLabel, type EnvironmentConfig, type Product } from "../../environments";
import { isStoppable } from "../../environments/schema";
import { databaseStart } from "../../lib/core/schedule";
import {
  GENERATED,
  productFirstDeploy,
  sectionLines,
  valkeySwitchSection,
  workspaceDir,
  type RunbookContext,
  type RunbookPart,
  type RunbookSection,
  type RunbookSpec,
} from "../product-runbook";
import { moduleGraph, moduleSteps, rolloutOrder, STATE_BACKUP, targetClosure } from "../rollout";
import type { Json, SynthesizedStack } from "../synthesized";
import { DATABASE_SECTIONS } from "./database";

/** The prose line before the runbook's `npm run rollout` block, where a first deploy longer than the rollout's ends. */
export const ROLLOUT_POINTER = "The same module order, with what each `-target` also plans:";

/** What every section writer of one workspace gets, read once from its config and synthesized root. */
export function runbookContext(
  product: Product,
  env: EnvironmentConfig,
  stack: SynthesizedStack,
  spec: RunbookSpec,
): RunbookContext {
  const ws = stack.workspace;
  const outputs = Object.keys(stack.root.output ?? {});
  const graph = moduleGraph(stack.root);
  return {
    product,
    ws,
    env,
    stack,
    varFile: `-var-file="environments/${ws}/terraform.tfvars"`,
    sourceFile: `${product.sourceDir}/${ws}.ts`,
    synth: spec.synth ?? `npm run synth -- ${product.id}`,
    graph,
    order: rolloutOrder(graph),
    outputs,
    input: (module, name) => {
      const v = stack.root.module?.[module]?.[name];
      return v === undefined ? undefined : String(v).replace("${var.environment}", ws);
    },
    hasOutput: (name) => outputs.includes(name),
  };
}

/** The frame's title name and intro: where to run, which guide, where a lasting change is made. */
const frameHeading = ({ product, ws }: RunbookContext) => `${product.title}, ${ws}`;
function frameIntro({ product, ws, synth, sourceFile }: RunbookContext): string[] {
  return [
    `Directory: \`${workspaceDir(product, ws)}\` (run \`${synth}\` at the repository root first; it rewrites the configuration`,
    "and keeps `.terraform/` and `terraform.tfstate.d/`). Commands run there with your own `terraform` and AWS CLI configuration.",
    `Guide: seed ${product.guides.join(", ")}. Knobs: \`environments/${ws}/terraform.tfvars\`, rewritten from \`${sourceFile}\` by every synth.`,
  ];
}

/** One module's targeted plan after an edit, with what each `-target` also plans. */
const changeOneModule: RunbookPart = ({ product, ws, sourceFile, synth, graph, order }) => [
  {
    title: "Change one module",
    text: [
      `Edit \`${sourceFile}\`, run \`${synth}\` at the repository root, then plan and apply that module only.`,
      `\`npm run rollout -- ${workspaceLabel(product, ws)} <module>\` prints its plan line and what it also plans; without a module, the whole sequence.`,
      ...order
        .filter((m) => targetClosure(graph, m).length > 0)
        .map((m) => `\`-target=module.${m}\` also plans: ${targetClosure(graph, m).join(", ")}.`),
    ],
    commands: [
      `terraform workspace select ${ws}`,
      `${STATE_BACKUP}   # state-backups/${ws}/<UTC time>-serial<N>.tfstate (the seeds' terraform state pull > terraform.tfstate.backup, kept per workspace)`,
      ...moduleSteps(ws, order.includes("compute") ? "compute" : order[order.length - 1]),
    ],
  },
];

/** `npm run state -- restore`, then a plan. */
const stateRollback: RunbookPart = ({ ws, varFile }) => [
  {
    title: "Roll back the state",
    text: [
      "`npm run state -- restore` checks the backup's lineage, saves the current state, and pushes the backup; then plan",
      "again (Terraform reconciles the resources with it) and apply that plan after review.",
    ],
    commands: [
      "npm run state -- list",
      `npm run state -- restore state-backups/${ws}/<backup>.tfstate`,
      `terraform plan ${varFile}`,
    ],
  },
];

/** `environment_running`, for a stoppable workspace whose root has it. */
const stopStart: RunbookPart = (ctx) => {
  const { env, stack, varFile } = ctx;
  return isStoppable(env) && "environment_running" in (stack.root.variable ?? {})
    ? [
        {
          title: "Stop and start the environment",
          text: [
            "`environment_running = false` scales every service to zero and removes the NAT gateway(s); storage, the database and",
            "the cache stay (a stopped RDS instance restarts by itself after 7 days, an AWS limit).",
            ...("nat_public_ips" in (stack.root.output ?? {})
              ? [
                  "The NAT's Elastic IP is released with it: after each start the private subnets reach the internet from a new",
                  "address (`terraform output nat_public_ips`); re-register it wherever an external service allow-lists this egress.",
                ]
              : []),
          ],
          commands: [
            `terraform plan ${varFile} -var=environment_running=false -out=tfplan-stop`,
            "terraform apply tfplan-stop",
            `terraform plan ${varFile} -out=tfplan-start`,
            "terraform apply tfplan-start",
            ...("nat_public_ips" in (stack.root.output ?? {})
              ? ["terraform output nat_public_ips   # the new egress address"]
              : []),
          ],
        },
        ...workingHours(ctx),
      ]
    : [];
};

/** The working-hours schedule (`schedule`, D210): what it stops, what it leaves running, and when to apply. */
function workingHours({ env, stack, input }: RunbookContext): RunbookSection[] {
  const schedule = env.schedule;
  if (!schedule) return [];
  const name = input("compute", "name") ?? `${env.project}-${env.workspace}`;
  const db =
    env.database.enabled && stack.root.module?.database ? `${name}-${env.database.identifierSuffix}` : undefined;
  return [
    {
      title: "Working hours (the schedule)",
      text: [
        `At \`${schedule.stop}\` every service scales to zero${db ? " and the database stops" : ""}; at \`${schedule.start}\` they`,
        `come back (${schedule.timezone})${db && schedule.databaseLeadMinutes > 0 ? `, the database ${schedule.databaseLeadMinutes} minutes earlier (\`${databaseStart(schedule)}\`, \`databaseLeadMinutes\`) so the services find it available` : ""}. The NAT gateway, the load balancer and the cache have no stop API and keep running;`,
        "for a long pause use the stop plan above, which also disables the scheduled start (D210).",
        "Between stop and start a plan shows each service's scaling bounds going back to their values (applying starts",
        `the services until the next stop)${db ? " and RDS refuses changes to a stopped instance" : ""}: plan and apply in working hours${db ? ", or start the database first" : ""}.`,
        ...(db
          ? [
              "RDS starts an instance stopped for 7 days by itself; the weekly schedule never leaves it stopped that long, and the",
              "scheduled stop stops it again after a long pause.",
            ]
          : []),
      ],
      commands: [
        `aws application-autoscaling describe-scheduled-actions --service-namespace ecs --query 'ScheduledActions[?starts_with(ScheduledActionName, \`${name}-\`)].{name:ScheduledActionName,schedule:Schedule,min:ScalableTargetAction.MinCapacity,max:ScalableTargetAction.MaxCapacity}'`,
        ...(db
          ? [
              `aws scheduler get-schedule --name ${name}-db-start --query '{state:State,expression:ScheduleExpression}'`,
              `aws rds start-db-instance --db-instance-identifier ${db}   # before an apply outside working hours`,
              `aws rds wait db-instance-available --db-instance-identifier ${db}`,
            ]
          : []),
      ],
    },
  ];
}

/** Redis OSS → Valkey, for a workspace whose cache can switch (D99). */
const valkeySwitch: RunbookPart = ({ stack, sourceFile, synth }) => {
  const section = valkeySwitchSection(stack, sourceFile, synth);
  return section ? [section] : [];
};

/** The frame's own sections, for the specs to place; the database's recovery sections are ./database.ts's (D198–D200). */
export const FRAME = { changeOneModule, stateRollback, stopStart, valkeySwitch, ...DATABASE_SECTIONS } as const;

/** The recovery sections, after the guide's: pin the services, revert the parameters, restore, redeploy. */
const recovery: RunbookPart[] = [
  DATABASE_SECTIONS.pinScaling,
  DATABASE_SECTIONS.revertParameters,
  DATABASE_SECTIONS.restoreFromSnapshot,
  DATABASE_SECTIONS.redeploy,
];

/** The frame around a guide's own sections: one-module change, state rollback, stop/start, the guide, recovery, the engine switch. */
export function guideFrame(guide: RunbookPart): RunbookSpec {
  return { sections: [changeOneModule, stateRollback, stopStart, guide, ...recovery, valkeySwitch] };
}

/** The frame without guide sections (a product whose guide has no runbook of its own). */
export const PLATFORM_RUNBOOK: RunbookSpec = {
  sections: [changeOneModule, stateRollback, stopStart, ...recovery, valkeySwitch],
};

/** The first deploy section as markdown: the one source of the runbook's section and of `npm run rollout -- <label>`. */
function firstDeployOf(ctx: RunbookContext, spec: RunbookSpec): RunbookSection {
  return spec.firstDeploy ? spec.firstDeploy(ctx) : productFirstDeploy(ctx.product, ctx.stack);
}

/** The markdown of a workspace's first-deploy section: what `npm run rollout` prints. */
export function firstDeployLines(
  product: Product,
  env: EnvironmentConfig,
  stack: SynthesizedStack,
  spec: RunbookSpec = PLATFORM_RUNBOOK,
): string[] {
  return sectionLines(firstDeployOf(runbookContext(product, env, stack, spec), spec));
}

/** A workspace's runbook: the frame filled by the product's spec. */
export function productRunbookDoc(
  product: Product,
  env: EnvironmentConfig,
  stack: SynthesizedStack,
  spec: RunbookSpec = PLATFORM_RUNBOOK,
): string {
  const ctx = runbookContext(product, env, stack, spec);
  const outputs: Record<string, Json> = stack.root.output ?? {};
  const pointer = spec.rolloutPointer
    ? ["", ROLLOUT_POINTER, "```bash", `npm run rollout -- ${workspaceLabel(product, ctx.ws)}`, "```"]
    : [];
  const lines = [
    GENERATED,
    "",
    `# Runbook — ${(spec.heading ?? frameHeading)(ctx)}`,
    "",
    ...(spec.intro ?? frameIntro)(ctx),
    ...sectionLines(firstDeployOf(ctx, spec)),
    ...pointer,
    ...spec.sections.flatMap((part) => part(ctx)).flatMap(sectionLines),
    "",
    "## Outputs",
    "",
    ...ctx.outputs.map((o) => `- \`${o}\`: ${String(outputs[o].description ?? "")}`),
  ];
  return lines.join("\n") + "\n";
}
