/** -j SNAT --to-source a[-b][:p[-q]] [--random] [--random-fully] [--persistent]; nat POSTROUTING/INPUT. */
import { addrNatTarget } from "./nat.js";

export const snat = addrNatTarget("SNAT", "to-source", ["POSTROUTING", "INPUT"]);
