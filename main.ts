/**
 * `npm run synth` (or `cdktf synth`) writes one Terraform directory per workspace of every product:
 * EduAutismo's to cdktf.out/stacks/<workspace>/, any other product's to cdktf.out/<product>/stacks/<workspace>/
 * (`npm run synth -- <product>` for one). Every environment is validated first; a bad value stops here
 * with its path and rule, before anything is written.
 */
import { ConfigError } from "./environments";
import { synthesizeProducts } from "./platform";

try {
  // cdktf's CLI passes no arguments; words after `npm run synth --` that are not flags name products.
  synthesizeProducts(process.argv.slice(2).filter((a) => !a.startsWith("-")));
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
