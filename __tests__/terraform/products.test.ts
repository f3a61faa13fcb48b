/**
 * Every product besides EduAutismo gets its runbook suite under real Terraform (__tests__/helpers/product-suite.ts), run
 * by the product's own file, `product-<id>.test.ts`, which adds the product's tests on the same plans. This file only
 * checks that no product or workspace is left without one (no plan: it reads the files).
 */
import * as fs from "fs";
import * as path from "path";
import { EDUAUTISMO, PRODUCTS } from "../../environments";

const OTHERS = PRODUCTS.filter((p) => p !== EDUAUTISMO);

test("there is a product besides EduAutismo to run", () => {
  expect(OTHERS.length).toBeGreaterThan(0);
});

test.each(OTHERS.map((p) => [p.id, p] as const))(
  "%s: its file runs the runbook suite for every workspace",
  (id, product) => {
    const file = path.join(__dirname, `product-${id}.test.ts`);
    expect({ file, exists: fs.existsSync(file) }).toEqual({ file, exists: true });
    const text = fs.readFileSync(file, "utf8");
    // Either one call per workspace, or one call in a loop over the product's environments.
    const everyWorkspace = /for \(const ws of Object\.keys\(\w+\.environments\)\)\s*productSuite\(/.test(text);
    const missing = Object.keys(product.environments).filter(
      (ws) => !everyWorkspace && !new RegExp(`productSuite\\(\\s*\\w+,\\s*"${ws}"`).test(text),
    );
    expect({ file, missing }).toEqual({ file, missing: [] });
  },
);
