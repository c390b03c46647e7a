/** Entry point of the simulator's own nft grammar (never the compiler's nft IR). */
import type { Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { NftRuleset } from "./ast.js";
import { NftParser } from "./parser.js";

const parser = new NftParser();

export function parseNft(text: string, file: string): { ast: NftRuleset; diagnostics: Diagnostic[] } {
	return parser.parse(text, file);
}

export type * from "./ast.js";
