/**
 * What `translate --verify` borrows from the verifier, handed over at run time: the simulator, the
 * nft parser and the kernel replay are ~80 modules a plain translate never needs, so
 * translate.ts does not import them. cli/verify.ts provides them when it loads; program.ts (every
 * command) loads it, main.ts skips it for a plain `translate`.
 */
import type { verifyTexts } from "../compiler/verify.js";
import type { reportVerify } from "./verify.js";

export interface TranslateVerifier {
	readonly verifyTexts: typeof verifyTexts;
	readonly reportVerify: typeof reportVerify;
}

let provided: TranslateVerifier | undefined;

export function provideVerifier(v: TranslateVerifier): void {
	provided = v;
}

export function translateVerifier(): TranslateVerifier {
	if (provided === undefined) throw new Error("internal error: translate --verify without the verifier loaded");
	return provided;
}
