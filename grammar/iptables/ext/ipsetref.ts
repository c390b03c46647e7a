/** `NAME src,dst` as -m set --match-set and -j SET --add-set/--del-set write it. */
import type { IpsetDir, IpsetRef } from "../../../compiler/ir/ipt.js";
import { Bad } from "../values.js";

/** IPSET_MAXNAMELEN is 32 including the NUL; IPSET_DIM_MAX is 6. */
const NAME_MAX = 31;
const DIM_MAX = 6;

export function parseIpsetRef(name: string, flags: string): IpsetRef | Bad {
	if (name === "" || Buffer.byteLength(name, "utf8") > NAME_MAX) return new Bad("invalid_value", `ipset name must be 1..${NAME_MAX} bytes`);
	const dirs: IpsetDir[] = [];
	for (const f of flags.split(",")) {
		if (f !== "src" && f !== "dst") return new Bad("invalid_value", `invalid ipset direction "${f}"`, "directions are src or dst, comma separated (e.g. src,dst)");
		dirs.push(f);
	}
	if (dirs.length > DIM_MAX) return new Bad("invalid_value", `at most ${DIM_MAX} directions`);
	return { name, dirs };
}
