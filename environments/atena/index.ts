/** Atena (seed 002): one workspace, `prod`, written to `cdktf.out/atena/stacks/prod`. */
import type { Product } from "../product-spec";
import { prod } from "./prod";
import IMAGES from "./images.json";
import { ATENA_DEFAULTS } from "./product";

export const ATENA: Product = {
  id: "atena",
  title: "Atena",
  guides: ["002"],
  shortName: "atena",
  outDir: "atena",
  sourceDir: "environments/atena",
  environments: { prod },
  // Seed 002 step 1: the state bucket; locking is S3-native (use_lockfile), no DynamoDB table (D106).
  productionWorkspace: "prod",
  bootstrap: {
    accountId: "444444444444",
    bucket: "atena-terraform-state-444444444444",
    region: "us-east-1",
    noncurrentVersionDays: 90,
    lockTable: false,
  },
  defaults: ATENA_DEFAULTS,
  images: IMAGES,
};
