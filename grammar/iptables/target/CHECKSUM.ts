/** -j CHECKSUM --checksum-fill (mangle): fills in a partial checksum (old DHCP clients on virtio). */
import { defineTarget } from "../extension.js";

interface S {
	fill: boolean;
}

export const checksum = defineTarget<S>({
	name: "CHECKSUM",
	options: [{ name: "checksum-fill", arity: 0, apply: (s) => void (s.fill = true) }],
	init: () => ({ fill: false }),
	finish: (s, cx) => {
		if (!s.fill) {
			cx.error("missing_argument", "CHECKSUM needs --checksum-fill", cx.nameWord);
			return undefined;
		}
		if (cx.table !== "mangle") {
			cx.error("target_not_allowed_here", `CHECKSUM is only valid in the mangle table, not ${cx.table}`, cx.nameWord);
			return undefined;
		}
		return { kind: "checksum-fill" };
	},
});
