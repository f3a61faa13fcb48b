/**
 * The only cdktf App: `npm run synth` (or `cdktf synth`) writes one Terraform directory per
 * workspace to cdktf.out/stacks/<workspace>/. Every environment is validated first; a bad value
 * stops here with its path and rule, before anything is written.
 */
import { ConfigError, loadEnvironments } from "./environments";
import { PlatformApp } from "./lib/app";
import { buildPlatform } from "./platform";

function main(): void {
  let environments;
  try {
    environments = loadEnvironments();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  }
  const app = new PlatformApp();
  for (const env of environments) buildPlatform(app, env);
  app.synth();
}

main();
