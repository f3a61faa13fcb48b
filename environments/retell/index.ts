/**
 * Retell AI MVP (seed 003): an API and a web app on ECS behind one ALB routed by host name
 * (`api.<domain>`, `app.<domain>`), PostgreSQL, Redis and two S3 buckets. Workspaces are the guide's:
 * `staging` (a development tier: the guide's cheaper staging, D112) and `production`.
 * Output: cdktf.out/retell/stacks/<ws> (`npm run synth -- retell`). Docs: docs/products/retell.md.
 */
import type { Product } from "../product-spec";
import { RETELL_DEFAULTS, RETELL_SHORT_NAME } from "./product";
import IMAGES from "./images.json";
import { production } from "./production";
import { staging } from "./staging";

export const RETELL: Product = {
  id: "retell",
  title: "Retell AI MVP",
  guides: ["003"],
  shortName: RETELL_SHORT_NAME,
  outDir: "retell",
  sourceDir: "environments/retell",
  defaults: RETELL_DEFAULTS,
  environments: { staging, production },
  images: IMAGES,
  // One state bucket for both workspaces (seed 003 has none; the platform's bootstrap, environments/bootstrap.ts).
  productionWorkspace: "production",
  // Placeholder account: production's (environments/retell/production.ts), which keeps its state there.
  bootstrap: {
    accountId: "555555555555",
    bucket: "retell-terraform-state",
    region: "us-east-1",
    noncurrentVersionDays: 90,
    lockTable: false,
  },
};
