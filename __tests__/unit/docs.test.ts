import * as fs from "fs";
import * as path from "path";
import { generatedDocs } from "../../lib/docs";
import { synthAll } from "../helpers/synth";

const repo = path.join(__dirname, "..", "..");
const docs = generatedDocs(synthAll().stacks);

test.each(Object.keys(docs))("%s is current (npm run docs regenerates it)", (file) => {
  const committed = fs.existsSync(path.join(repo, file)) ? fs.readFileSync(path.join(repo, file), "utf8") : "(missing)";
  expect(committed).toBe(docs[file]);
});

test("the production runbook reproduces seed 000 §5.2 with this project's paths", () => {
  const rb = docs["docs/runbooks/production.md"];
  expect(rb).toContain('terraform plan -var-file="environments/production/terraform.tfvars" -target=module.cache -out=tfplan-cache');
  expect(rb).toContain('terraform plan -var-file="environments/production/terraform.tfvars" -target=module.compute -out=tfplan-ecs');
  expect(rb).toContain("aws elasticache describe-replication-groups --replication-group-id eduautismo-ia-production-redis");
  expect(rb).toContain("curl -v https://${ALB_DNS}/health");
});

test("dev's runbook checks health over plain HTTP (no certificate there)", () => {
  expect(docs["docs/runbooks/dev.md"]).toContain("curl -v http://${ALB_DNS}/health");
});

test("module docs show the value every workspace passes", () => {
  expect(docs["docs/modules/cache.md"]).toMatch(/\| `redis_node_type` \| `string` \| required \| `\$\{var\.redis_node_type\}` \|/);
  expect(docs["docs/modules/cdn.md"]).toContain("Present in: production.");
});
