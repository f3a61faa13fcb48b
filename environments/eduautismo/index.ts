/**
 * EduAutismo IA (seeds 000 and 001): workspaces `dev`, `staging`, `production`. As the first product its
 * output stays `cdktf.out/stacks/<ws>` (outDir ""), so its runbooks and pipelines keep their paths.
 */
import type { Product } from "../product-spec";
import type { Workspace } from "../schema";
import type { EduautismoInput } from "./product";
import { dev } from "./dev";
import IMAGES from "./images.json";
import { EDUAUTISMO_SPEC } from "./product";
import { production } from "./production";
import { staging } from "./staging";

/** EduAutismo's environment files by workspace, in synthesis order. */
export const ENVIRONMENT_INPUTS: Record<Workspace, EduautismoInput> = { dev, staging, production };

/** EduAutismo IA (seeds 000 and 001). */
export const EDUAUTISMO: Product = {
  ...EDUAUTISMO_SPEC,
  title: "EduAutismo IA",
  guides: ["000", "001"],
  outDir: "",
  sourceDir: "environments/eduautismo",
  environments: ENVIRONMENT_INPUTS,
  // The state bootstrap (seed 002: S3 + DynamoDB). Placeholder: the production account (production.ts) holds the
  // state of staging and production (D146).
  bootstrap: {
    accountId: "333333333333",
    bucket: "eduautismo-ia-terraform-state",
    region: "us-east-1",
    noncurrentVersionDays: 90,
    lockTable: false,
  },
  images: IMAGES,
};
