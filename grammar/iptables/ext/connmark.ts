/** -m connmark --mark value[/mask]: the mark match, on the conntrack mark. */
import { valueMaskMatch } from "./mark.js";

export const connmarkMatch = valueMaskMatch("connmark");
