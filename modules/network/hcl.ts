/** Loop variable of the network and dr modules' for-expressions (`[for az in … : …]`). */
import { ref } from "cdktf";

/** Loop variable `az` of the module's for-expressions. */
export const AZ = ref("az");
