/**
 * xt_helper: the helper of the connection's master (so it matches expected/related connections,
 * e.g. an FTP data connection). No master or no helper: the match returns its inversion flag,
 * i.e. `! --helper ftp` matches. xt_helper compares only strlen(helper name) bytes, so the rule
 * name "ftpx" matches the "ftp" helper; an empty name matches any helper.
 */
import type { HelperMatch } from "../../../ir/ipt.js";
import type { MatchFn } from "../types.js";

export function compileHelper(m: HelperMatch): MatchFn {
	const { value: name, neg } = m.name;
	return (pkt) => {
		const ct = pkt.ct;
		const h = ct.state === "invalid" || ct.state === "untracked" ? undefined : ct.helper;
		if (h === undefined) return neg;
		return (name === "" || name.startsWith(h)) !== neg;
	};
}
