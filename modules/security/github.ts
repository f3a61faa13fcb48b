/**
 * The GitHub Actions deploy role (seed 002): the account's GitHub OIDC provider (created here unless another
 * workspace of the account owns it, D152) and `<name>-github-actions`, trusted by the repository's branches and
 * GitHub Environments, allowed what deploy.ts lists.
 */
import { IamOpenidConnectProvider } from "@cdktf/provider-aws/lib/iam-openid-connect-provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { conditional, Fn, Op, TerraformLocal, Token } from "cdktf";
import { policyDocument } from "../../lib/constructs/iam";
import { jsonDocument, named, present } from "../../lib/core/module-stack";
import { SECURITY_PRESENCE } from "./config";
import { subjectsLocal, type SecurityPart } from "./context";
import { matches } from "../../lib/core/rules";
import { ZERO, firstOf } from "../../lib/core/tokens";
import { deployPolicyStatements } from "./deploy";
import { OIDC_CLAIMS } from "./terraform-role";

/** What the Terraform roles (terraform-role.ts) share with the deploy role: the repository, environments and provider. */
export interface GithubTrust {
  /** `var.github_repository`, `owner/repo`. */
  readonly repository: string;
  /** `var.github_environments`. */
  readonly environments: string[];
  /** `local.github_oidc_provider_arn`: the provider the roles trust. */
  readonly providerArn: string;
}

function githubInputs(part: SecurityPart) {
  const { input } = part;
  const deploy = part.settings.deploy;
  const repository = input("github_repository", deploy.githubRepository, {
    type: "string",
    description: "GitHub repository (owner/repo) allowed to assume the deploy role.",
    validations: [
      {
        condition: matches("github_repository", "^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$"),
        errorMessage: "an OIDC trust needs the GitHub repository as owner/repo",
      },
    ],
  });
  const branches = input("github_branches", deploy.branches, {
    type: "list(string)",
    description: "Branches whose workflows may deploy.",
  }).listValue;
  const environments = input("github_environments", deploy.githubEnvironments, {
    type: "list(string)",
    description: "GitHub deployment environments whose jobs may deploy.",
  });
  environments.addValidation({
    condition: Op.gt(Op.add(Fn.lengthOf(branches), Fn.lengthOf(environments.listValue)), ZERO),
    errorMessage: "the deploy role must be limited to at least one branch or GitHub environment",
  });
  const createProvider = input("create_oidc_provider", deploy.createOidcProvider, {
    type: "bool",
    description: "Create the account-wide GitHub OIDC provider.",
  }).booleanValue;
  return { repository: repository.stringValue, branches, environments: environments.listValue, createProvider };
}

/** The deploy role and what it trusts, with outputs `github_actions_role_arn` and `github_oidc_provider_arn`. */
export function deployRole(part: SecurityPart, clusterName: string | undefined): GithubTrust {
  const { scope, name, account, region } = part;
  const gh = githubInputs(part);
  const provider = present(
    named(
      new IamOpenidConnectProvider(scope, "github_oidc", {
        url: `https://${OIDC_CLAIMS}`,
        clientIdList: ["sts.amazonaws.com"],
      }),
      "github",
    ),
    SECURITY_PRESENCE,
  );
  const providerArn = new TerraformLocal(
    scope,
    "github_oidc_provider_arn",
    conditional(gh.createProvider, firstOf(provider, "arn"), `arn:aws:iam::${account}:oidc-provider/${OIDC_CLAIMS}`),
  ).asString;
  const [branches, environments, repo] = [Token.asString(gh.branches), Token.asString(gh.environments), gh.repository];
  const subjects = subjectsLocal(scope, "github_subjects", { branch: branches, environment: environments }, repo);
  const role = named(
    new IamRole(scope, "github_actions_role", {
      name: `${name}-github-actions`,
      description: "Assumed by GitHub Actions (OIDC) to push images and roll out ECS services",
      maxSessionDuration: 3600,
      assumeRolePolicy: jsonDocument(scope, "github_actions_trust", {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Allow",
            Action: "sts:AssumeRoleWithWebIdentity",
            Principal: { Federated: providerArn },
            Condition: {
              StringEquals: { [`${OIDC_CLAIMS}:aud`]: "sts.amazonaws.com" },
              StringLike: { [`${OIDC_CLAIMS}:sub`]: subjects },
            },
          },
        ],
      }),
    }),
    "github_actions",
  );
  named(
    new IamRolePolicy(scope, "github_actions_policy", {
      name: "deploy",
      role: role.id,
      policy: policyDocument(
        deployPolicyStatements({ name, account, region, ...(clusterName ? { clusterName } : {}) }),
      ),
    }),
    "github_actions",
  );
  part.output(
    "github_actions_role_arn",
    role.arn,
    "Role GitHub Actions assumes (seed 002: terraform output github_actions_role_arn).",
  );
  part.output("github_oidc_provider_arn", providerArn, "GitHub OIDC provider the deploy role trusts.");
  return { repository: gh.repository, environments: gh.environments, providerArn };
}
