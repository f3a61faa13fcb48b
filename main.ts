/**
 * `npm run synth` (or `cdktf synth`) writes one Terraform directory per workspace of every product:
 * EduAutismo's to cdktf.out/stacks/<workspace>/, any other product's to cdktf.out/<product>/stacks/<workspace>/
 * (`npm run synth -- <product>` for one). Every environment is validated first; a bad value stops here
 * with its product, file, path and rule, before anything is written. On success it prints one line per product:
 * its workspaces and where they went.
 */
import * as path from "path";
import { ConfigError } from "./environments";
import { synthesizeProducts } from "./platform";

try {
  // cdktf's CLI passes no arguments; words after `npm run synth --` that are not flags name products.
  const written = synthesizeProducts(process.argv.slice(2).filter((a) => !a.startsWith("-")));
  const absolute = path.resolve(process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const relative = path.relative(process.cwd(), absolute);
  const outdir = relative.startsWith("..") ? absolute : relative || ".";
  for (const { product, platforms } of written) {
    const workspaces = platforms.map((p) => p.root.workspace).join(", ");
    const dir = path.join(outdir, product.outDir, "stacks");
    console.log(`synth: ${product.id} ${workspaces} + bootstrap → ${dir}/`);
  }
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
