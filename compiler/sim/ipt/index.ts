export { iptSide, IPT_SIDE, type IptSide } from "./side.js";
export { iptBoundaryValues, iptHostHints } from "./boundary.js";
