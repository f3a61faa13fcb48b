/** Terraform validation blocks several modules share. */
import { LOG_RETENTION_DAYS } from "../environments/schema";
import { hclExpression } from "./hcl";
import type { VariableValidation } from "./module-stack";

/** The variable must be a CloudWatch Logs retention value. */
export function retentionValidation(variable: string): VariableValidation {
  return {
    condition: `contains(${hclExpression(LOG_RETENTION_DAYS)}, var.${variable})`,
    errorMessage: `${variable} must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …).`,
  };
}
