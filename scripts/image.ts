/**
 * `npm run image -- set <ws|product/ws> <tag>`: records the image tag a workspace deploys in its product's
 * images.json (and the synthesized tfvars); `npm run image -- show [ws]` prints the recorded tags. See tools/image.ts.
 */
import { imageCommand } from "../tools/image";
import { REPO_ROOT } from "../tools/repo-root";

try {
  process.exitCode = imageCommand(
    REPO_ROOT,
    process.argv.slice(2),
    (s) => console.log(s),
    (s) => console.error(s),
  );
} catch (e) {
  console.error((e as Error).message);
  process.exitCode = 1;
}
