/** xt_comment: always true. */
import type { MatchFn } from "../types.js";

export function compileComment(): MatchFn {
	return () => true;
}
