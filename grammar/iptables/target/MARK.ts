/** -j MARK --set-xmark/--set-mark/--and-mark/--or-mark/--xor-mark, normalised to xmark. */
import type { Target } from "../../../compiler/ir/ipt.js";
import { defineTarget } from "../extension.js";
import { xmarkOptions, type XmarkState } from "./xmark.js";

export const markTarget = defineTarget<XmarkState>({
	name: "MARK",
	options: xmarkOptions<XmarkState>(),
	init: () => ({}),
	finish: (s, cx): Target | undefined => {
		if (s.xmark === undefined) {
			cx.error("missing_argument", "MARK needs --set-xmark, --set-mark, --and-mark, --or-mark or --xor-mark", cx.nameWord);
			return undefined;
		}
		return { kind: "mark", value: s.xmark.value, mask: s.xmark.mask };
	},
});
