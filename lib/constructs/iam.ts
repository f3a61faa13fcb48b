/** IAM policy documents as plain objects, serialized once. Values may contain `${...}` expressions. */

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: "*" | Record<string, string | string[]>;
  readonly Action: string | string[];
  readonly Resource?: string | string[];
  readonly Condition?: Record<string, Record<string, string | string[] | boolean>>;
}

export function policyDocument(statements: readonly PolicyStatement[]): string {
  for (const s of statements) {
    const actions = Array.isArray(s.Action) ? s.Action : [s.Action];
    if (s.Effect === "Allow" && actions.some((a) => a === "*" || a.endsWith(":*"))) {
      throw new Error(
        `policy statement ${s.Sid ?? "(no Sid)"} allows a wildcard action (${actions.join(", ")}): list the actions it needs`,
      );
    }
  }
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

/** Trust policy letting one AWS service assume a role. */
export function serviceTrust(service: string, conditions?: PolicyStatement["Condition"]): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(conditions ? { Condition: conditions } : {}),
    },
  ]);
}

/** Denies every request to a bucket that does not use TLS (AWS FSBP S3.5). */
export function denyInsecureTransport(bucketArn: string): PolicyStatement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
