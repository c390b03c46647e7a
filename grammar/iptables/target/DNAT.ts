/** -j DNAT --to-destination a[-b][:p[-q][/base]] [--random] [--persistent]; nat PREROUTING/OUTPUT. */
import { addrNatTarget } from "./nat.js";

export const dnat = addrNatTarget("DNAT", "to-destination", ["PREROUTING", "OUTPUT"]);
