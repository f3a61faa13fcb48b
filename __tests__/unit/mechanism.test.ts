import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";
import { PlatformApp } from "../../lib/core/app";
import { ModuleStack, named } from "../../lib/core/module-stack";
import { WorkspaceStack } from "../../lib/core/workspace-stack";
import { tempDir } from "../helpers/synth";

/** A throwaway module: one queue, one output, one input. */
class QueueModule extends ModuleStack {
  readonly queue: SqsQueue;
  constructor(scope: Construct, ws: string, name: string, queueName: unknown = "q") {
    super(scope, ws, name);
    const v = this.input("queue_name", queueName, { type: "string", description: "Queue name." });
    this.queue = new SqsQueue(this, "this", { name: v.stringValue });
    this.output("queue_url", this.queue.url, "Queue URL.");
  }
}

function fixture() {
  const app = new PlatformApp({ outdir: tempDir("mechanism") });
  const root = new WorkspaceStack(app, {
    workspace: "dev",
    region: "us-east-1",
    accountId: "123456789012",
    defaultTags: {},
    sourceFile: "test",
  });
  return { app, root };
}

test("a resource's Terraform name is its construct id, with no hash suffix", () => {
  const { root, app } = fixture();
  const m = root.use(new QueueModule(app, "dev", "queues"));
  expect(Object.keys((m.toModuleJson() as any).resource.aws_sqs_queue)).toEqual(["this"]); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test("nested constructs join their ids with underscores, never a hash", () => {
  const { root, app } = fixture();
  const m = root.use(new QueueModule(app, "dev", "queues"));
  new SqsQueue(new Construct(m, "workers"), "dlq", { name: "dlq" });
  expect(Object.keys((m.toModuleJson() as any).resource.aws_sqs_queue).sort()).toEqual(["this", "workers_dlq"]); // eslint-disable-line @typescript-eslint/no-explicit-any
});

test("two constructs with the same Terraform address fail synthesis naming both", () => {
  const { root, app } = fixture();
  const m = root.use(new QueueModule(app, "dev", "queues"));
  named(new SqsQueue(m, "second", { name: "other" }), "this");
  expect(() => app.synth()).toThrow(
    'Duplicate logical id in module "queues": "resource.aws_sqs_queue.this" is produced by both "dev-module-queues/this" and "dev-module-queues/second"',
  );
});

test("a token passed from one module stack into another fails synthesis naming both", () => {
  const { root, app } = fixture();
  const a = root.use(new QueueModule(app, "dev", "a"));
  root.use(new QueueModule(app, "dev", "b", a.queue.url));
  expect(() => app.synth()).toThrow(/Cross-stack reference: .* belongs to stack "dev-module-a" but is used in "dev"/);
});

test("a module resource used directly by another module's resource fails synthesis naming both", () => {
  const { root, app } = fixture();
  const a = root.use(new QueueModule(app, "dev", "a"));
  const b = root.use(new QueueModule(app, "dev", "b"));
  new SqsQueue(b, "copy", { name: a.queue.name });
  expect(() => app.synth()).toThrow(/belongs to stack "dev-module-a" but is used in "dev-module-b"/);
});

test("modules pass values through outputs wired in the root", () => {
  const { root, app } = fixture();
  const a = root.use(new QueueModule(app, "dev", "a"));
  root.use(new QueueModule(app, "dev", "b", a.ref("queue_url")));
  app.synth();
  expect(root.toTerraform()).toMatchObject({
    module: { b: { queue_name: "${module.a.queue_url}", source: "./modules/b" } },
  });
});

test("reading an output a module does not declare fails with the list it has", () => {
  const { root, app } = fixture();
  const a = root.use(new QueueModule(app, "dev", "a"));
  expect(() => a.ref("queue_arn")).toThrow('module "a" has no output "queue_arn" (it has: queue_url)');
});

test("a module built for one workspace cannot be used by another", () => {
  const { app } = fixture();
  const prod = new WorkspaceStack(app, {
    workspace: "production",
    region: "us-east-1",
    accountId: "123456789012",
    defaultTags: {},
    sourceFile: "test",
  });
  expect(() => prod.use(new QueueModule(app, "dev", "a"))).toThrow(
    'module "a" was built for workspace dev, not production',
  );
});

test("a rename recorded with moved() becomes a moved block of the module", () => {
  const { root, app } = fixture();
  const m = root.use(new QueueModule(app, "dev", "queues"));
  m.moved("aws_sqs_queue.main", "aws_sqs_queue.this");
  expect((m.toModuleJson() as any).moved).toEqual([{ from: "aws_sqs_queue.main", to: "aws_sqs_queue.this" }]); // eslint-disable-line @typescript-eslint/no-explicit-any
});
