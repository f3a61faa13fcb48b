/**
 * How the policy gate meets Trivy, the scanner the pull-request workflow runs on each synthesized workspace
 * (.github/workflows/pull-request.yml, job `scan`; D208). The gate's exemptions are the one declaration of what a
 * workspace knowingly fails: the Trivy ids of each exempted check (its `upstream` AVD-AWS-* ids) are that workspace's
 * ignore list, written by `npm run policy -- <ws> --trivyignore` and listed in docs/policy.md. Nothing here is a
 * second list of findings.
 */
import type { PolicyReport } from "./";

/** Trivy's ids among a check's upstream ids (`AVD-AWS-0080`; Trivy also reports them as `AWS-0080`). */
export function trivyIds(upstream: readonly string[]): string[] {
  return upstream.filter((id) => /^AVD-/.test(id));
}

/** One ignored Trivy id of a workspace: the check it mirrors and why that check is exempted there. */
export interface ScannerIgnore {
  readonly id: string;
  readonly check: string;
  readonly reason: string;
}

/** The Trivy ids a workspace's report exempts, each with its check and reason, in check order. */
export function scannerIgnores(report: PolicyReport): ScannerIgnore[] {
  return report.results
    .filter((r) => r.status === "exempted")
    .flatMap((r) => trivyIds(r.check.upstream).map((id) => ({ id, check: r.check.id, reason: r.note ?? "" })));
}

/** A `.trivyignore` file (one id a line, `#` comments) of a workspace's exempted checks. */
export function trivyIgnoreFile(report: PolicyReport, label: string): string {
  const ignores = scannerIgnores(report);
  return [
    `# Trivy ignores of ${label}, from the policy gate's exemptions (npm run policy -- ${label} --trivyignore).`,
    ...(ignores.length ? [] : ["# No exempted check has a Trivy id here: nothing is ignored."]),
    ...ignores.flatMap((i) => [`# ${i.check}: ${i.reason}`, i.id]),
    "",
  ].join("\n");
}

/** docs/policy.md's section on the scanner: how its ids meet the gate's, and each workspace's ignored ids. */
export function scannerDocLines(
  checks: readonly { readonly id: string; readonly upstream: readonly string[] }[],
  reports: Readonly<Record<string, PolicyReport>>,
): string[] {
  const withTrivy = checks.filter((c) => trivyIds(c.upstream).length > 0).length;
  const withCheckov = checks.filter((c) => c.upstream.some((id) => /^CKV2?_/.test(id))).length;
  const lines = [
    "## Trivy in pull requests",
    "",
    "The pull-request workflow (`.github/workflows/pull-request.yml`, job `scan`) also runs Trivy, the scanner teams run on",
    "Terraform, on each synthesized workspace directory with its `environments/<ws>/terraform.tfvars`, and uploads the",
    "findings (SARIF) to the repository's code scanning, one category per workspace (`trivy-<ws>`, `trivy-<product>-<ws>`).",
    "It never fails a pull request: the gate is `npm run policy`, in `npm test` (D208).",
    "",
    `- **Shared ids.** ${withTrivy} of the ${checks.length} checks above name a Trivy id (\`AVD-AWS-*\` in the upstream column;`,
    "  Trivy reports it as `AWS-NNNN` too): Trivy reports the same concern under that id, sometimes with a looser",
    "  threshold (see `tools/policy/checks.ts`). The others are this gate's own: apply-time rules, naming limits,",
    "  knob rules and the cross-module checks Trivy has no counterpart for.",
    `- **Checkov ids** (${withCheckov} checks) stay references: Checkov is not run, because it cannot read this output with`,
    "  its tfvars (its Terraform runner loads `.tf` files only; its `terraform_json` runner scans each `.tf.json` file",
    "  alone, without modules or variable files).",
    "- **Expected findings, ignored.** A workspace's exempted checks fail on purpose; their Trivy ids are that workspace's",
    "  ignore list, written from its exemptions by `npm run policy -- <ws> --trivyignore` in the workflow. The exemption",
    "  (environment file or product) is the one declaration, with its reason; the table below is derived from it. Like",
    "  the exemption, an ignored id holds for the whole workspace.",
    "- **Other findings** are Trivy checks this gate does not adopt. They show in code scanning: one the project agrees",
    "  with becomes a check here, with its id in `upstream`; one it declines is dismissed there with the reason.",
    "",
    "| workspace | ignored Trivy ids (check) |",
    "|---|---|",
  ];
  for (const [label, report] of Object.entries(reports)) {
    const ignores = scannerIgnores(report);
    lines.push(`| ${label} | ${ignores.map((i) => `\`${i.id}\` (${i.check})`).join(", ") || "—"} |`);
  }
  return lines;
}
