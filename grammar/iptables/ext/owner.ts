/**
 * -m owner --uid-owner/--gid-owner id[-id], --socket-exists, --suppl-groups (after --gid-owner).
 * Only numeric ids and "root" are accepted: names depend on the host's passwd/group files.
 */
import type { Neg, OwnerMatch, PortRange } from "../../../compiler/ir/ipt.js";
import { defineMatch, type ExtContext } from "../extension.js";
import { parseUint } from "../values.js";
import type { Word } from "../words.js";

type S = { -readonly [K in keyof OwnerMatch]?: OwnerMatch[K] };

const MAX_ID = 0xfffffffe;

function parseIds(cx: ExtContext, w: Word, what: "user" | "group"): PortRange | undefined {
	const one = (t: string): number | undefined => (t === "root" ? 0 : parseUint(t, MAX_ID));
	const parts = w.text.split("-");
	if (parts.length > 2) {
		cx.error("invalid_value", `invalid ${what} id range "${w.text}"`, w);
		return undefined;
	}
	const lo = one(parts[0]!);
	const hi = parts.length === 2 ? one(parts[1]!) : lo;
	if (lo === undefined || hi === undefined || lo > hi) {
		const isName = /^[A-Za-z_]/.test(w.text);
		cx.error(
			"invalid_value",
			isName ? `${what} name "${w.text}" cannot be resolved` : `invalid ${what} id "${w.text}"`,
			w,
			isName ? `use the numeric ${what === "user" ? "uid" : "gid"} (ipt2nft does not read /etc/${what === "user" ? "passwd" : "group"})` : undefined,
		);
		return undefined;
	}
	return { lo, hi };
}

export const owner = defineMatch<S>({
	name: "owner",
	options: [
		{
			name: "uid-owner",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = parseIds(cx, v.args[0]!, "user");
				if (r) s.uid = { value: r, neg: v.neg } satisfies Neg<PortRange>;
			},
		},
		{
			name: "gid-owner",
			arity: 1,
			negatable: true,
			apply: (s, v, cx) => {
				const r = parseIds(cx, v.args[0]!, "group");
				if (r) s.gid = { value: r, neg: v.neg };
			},
		},
		{
			name: "socket-exists",
			arity: 0,
			negatable: true,
			apply: (s, v) => {
				s.socketExists = { value: true, neg: v.neg };
			},
		},
		{
			name: "suppl-groups",
			arity: 0,
			apply: (s, v, cx) => {
				if (s.gid === undefined) return cx.error("conflicting_options", "--suppl-groups needs --gid-owner before it", v.word);
				s.suppGroups = true;
			},
		},
	],
	init: () => ({}),
	finish: (s, cx) => {
		if (s.uid === undefined && s.gid === undefined && s.socketExists === undefined) {
			cx.error("missing_argument", "-m owner needs --uid-owner, --gid-owner or --socket-exists", cx.nameWord);
			return undefined;
		}
		// Only locally generated packets have an owning socket.
		if (cx.builtin !== undefined && cx.builtin !== "OUTPUT" && cx.builtin !== "POSTROUTING") {
			cx.error("conflicting_options", `-m owner is only valid in OUTPUT and POSTROUTING, not ${cx.builtin}`, cx.nameWord);
			return undefined;
		}
		return { kind: "owner", ...s };
	},
});
