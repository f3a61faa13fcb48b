/** AI Techne Academy (seed 004): its Product — environments dev (option A) and prod (option B), output cdktf.out/aitechne/stacks/<ws>. */
import type { Product } from "../product-spec";
import type { EnvironmentInput } from "../schema";
import { dev } from "./dev";
import IMAGES from "./images.json";
import { prod } from "./prod";
import { AITECHNE_DEFAULTS, AITECHNE_POLICY_EXEMPTIONS, AITECHNE_SHORT_NAME } from "./product";

export const AITECHNE: Product = {
  id: "aitechne",
  title: "AI Techne Academy",
  guides: ["004"],
  shortName: AITECHNE_SHORT_NAME,
  outDir: "aitechne",
  sourceDir: "environments/aitechne",
  // The files leave cache and database to the product's defaults (both disabled), which fill their required fields.
  environments: { dev: dev as EnvironmentInput, prod: prod as EnvironmentInput },
  productionWorkspace: "prod",
  // Placeholder account: prod's (environments/aitechne/prod.ts), which keeps its state there.
  bootstrap: {
    accountId: "555555555555",
    bucket: "ai-techne-academy-terraform-state",
    region: "us-east-1",
    noncurrentVersionDays: 90,
    lockTable: false,
  },
  defaults: AITECHNE_DEFAULTS,
  images: IMAGES,
  policyExemptions: AITECHNE_POLICY_EXEMPTIONS,
};
