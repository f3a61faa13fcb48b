/** Terraform validation blocks several modules share. */
import type { VariableValidation } from "./module-stack";
import { oneOf } from "./rules";

/** Retention values CloudWatch Logs accepts (days). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** The variable must be a CloudWatch Logs retention value. */
export function retentionValidation(variable: string): VariableValidation {
  return {
    condition: oneOf(variable, LOG_RETENTION_DAYS),
    errorMessage: `${variable} must be a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, …).`,
  };
}
