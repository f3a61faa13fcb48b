/**
 * The only cdktf App: `npm run synth` (or `cdktf synth`) writes one Terraform directory per
 * workspace to cdktf.out/stacks/<workspace>/. Every environment is validated first; a bad value
 * stops here with its path and rule, before anything is written.
 */
import { ConfigError } from "./environments";
import { synthesize } from "./platform";

try {
  synthesize();
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  console.error(e.message);
  process.exit(1);
}
