/** NOTRACK / CT --notrack -> notrack. */
import type * as nft from "../ir/nft.js";

export function lowerNotrack(): nft.Stmt[] {
	return [{ kind: "notrack" }];
}
