/** -m dst (IPv6 Destination Options header): ip6t_hbh's twin, see hbh.ts. */
import { optsHeaderMatch } from "./hbh.js";

export const dst = optsHeaderMatch("dst");
