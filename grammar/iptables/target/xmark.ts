/** The five ways MARK and CONNMARK spell a mark change, normalised to xmark (x & ~mask) ^ value. */
import type { ValueMask } from "../../../compiler/ir/ipt.js";
import type { OptionDef } from "../extension.js";
import { isBad, parseUint, parseValueMask } from "../values.js";

export interface XmarkState {
	xmark?: ValueMask;
}

const ALL = 0xffffffff;

function only<S extends XmarkState>(name: string, conv: (vm: ValueMask, hasMask: boolean) => ValueMask, allowMask: boolean): OptionDef<S> {
	return {
		name,
		arity: 1,
		apply: (s, v, cx) => {
			const t = v.args[0]!.text;
			if (s.xmark !== undefined) return cx.error("conflicting_options", "only one mark operation per rule", v.word);
			if (!allowMask) {
				const n = parseUint(t, ALL);
				if (n === undefined) return cx.error("invalid_value", `invalid mark "${t}": expected a 32-bit value`, v.args[0]!);
				s.xmark = conv({ value: n, mask: ALL }, false);
				return;
			}
			const vm = parseValueMask(t);
			if (isBad(vm)) return cx.bad(vm, v.args[0]!);
			s.xmark = conv(vm, t.includes("/"));
		},
	};
}

export function xmarkOptions<S extends XmarkState>(): OptionDef<S>[] {
	return [
		only("set-xmark", (vm) => ({ value: vm.value, mask: vm.mask }), true),
		// --set-mark v/m: clear m, then set v; as xmark the bits of v are cleared too so the xor sets them.
		only("set-mark", (vm) => ({ value: vm.value, mask: (vm.mask | vm.value) >>> 0 }), true),
		only("and-mark", (vm) => ({ value: 0, mask: ~vm.value >>> 0 }), false),
		only("or-mark", (vm) => ({ value: vm.value, mask: vm.value }), false),
		only("xor-mark", (vm) => ({ value: vm.value, mask: 0 }), false),
	];
}
