import type { Span } from "./span.js";

export type Severity = "error" | "warning" | "note";

/**
 * The one catalogue of diagnostic codes. Codes are stable API: tests and users match on them,
 * so never rename one; add new ones. Each entry gives the severity and a one-line summary
 * (used by `ipt2nft explain-code` and the docs).
 */
export const CATALOGUE = {
	// input / syntax
	empty_input: { severity: "error", summary: "the input holds no rules, chains or tables" },
	binary_input: { severity: "error", summary: "the input is not text" },
	syntax_error: { severity: "error", summary: "the line does not follow iptables-save / iptables syntax" },
	unterminated_quote: { severity: "error", summary: "a quoted string is not closed on its line" },
	missing_commit: { severity: "error", summary: "a *table section ends without COMMIT" },
	table_reopened: { severity: "warning", summary: "a *table section appears again after COMMIT; like iptables-restore, it replaces the earlier one" },
	rule_outside_table: { severity: "error", summary: "a rule or chain line appears before any *table header" },
	unknown_table: { severity: "error", summary: "the table name is not one of filter, nat, mangle, raw, security" },
	unknown_option: { severity: "error", summary: "an option no loaded match or target accepts" },
	missing_argument: { severity: "error", summary: "an option lacks its value" },
	duplicate_option: { severity: "error", summary: "an option given twice where iptables allows it once" },
	conflicting_options: { severity: "error", summary: "options that cannot be combined" },
	invalid_value: { severity: "error", summary: "a value iptables would refuse" },
	invalid_address: { severity: "error", summary: "not a valid IPv4/IPv6 address or prefix" },
	invalid_port: { severity: "error", summary: "not a valid port or port range" },
	invalid_interface: { severity: "error", summary: "an interface name that is too long or contains forbidden characters" },
	negation_not_allowed: { severity: "error", summary: "`!` used where iptables does not allow it" },
	match_not_loaded: { severity: "error", summary: "an extension option used without `-m NAME` where iptables requires it" },
	protocol_required: { severity: "error", summary: "a match or target that needs `-p tcp|udp|…` first" },
	family_mismatch: { severity: "error", summary: "an option or address of the other IP family" },
	chain_not_declared: { severity: "error", summary: "a rule appended to a chain that was never declared" },
	jump_target_missing: { severity: "error", summary: "`-j`/`-g` to a chain that does not exist" },
	chain_exists: { severity: "error", summary: "`-N` of a chain that already exists" },
	cleanup_of_missing_chain: { severity: "warning", summary: "`-X`/`-F`/`-Z` of a chain that does not exist (yet): on a fresh host the command fails and changes nothing, so the final ruleset is unaffected" },
	chain_in_use: { severity: "error", summary: "`-X` of a chain that is not empty or is still referenced" },
	builtin_chain: { severity: "error", summary: "an operation not allowed on a built-in chain" },
	rule_not_found: { severity: "error", summary: "`-D`/`-R`/`-I` refers to a rule or index that does not exist" },
	policy_on_user_chain: { severity: "error", summary: "a policy given for a user-defined chain" },
	invalid_policy: { severity: "error", summary: "a chain policy other than ACCEPT or DROP" },
	target_not_allowed_here: { severity: "error", summary: "a target used in a table or chain where the kernel refuses it" },
	not_a_command: { severity: "warning", summary: "a script line that is not an iptables command; ignored" },
	unsupported_command: { severity: "error", summary: "an iptables command ipt2nft cannot replay" },
	// extensions
	unsupported_extension: { severity: "error", summary: "a match or target ipt2nft does not translate yet" },
	unsupported_option: { severity: "error", summary: "an option of a supported extension that cannot be translated exactly" },
	unsafe_string: { severity: "error", summary: "a string that cannot be written safely into nft syntax" },
	inexpressible: { severity: "error", summary: "nftables has no construct for what this match or target does" },
	// host state (--ipset, --nfacct)
	host_object_missing: { severity: "error", summary: "a rule names an ipset or nfacct object the given host state lacks; the kernel refuses such a rule" },
	assumed_host_state: { severity: "warning", summary: "the translation assumes host state the input does not show (e.g. an nfacct object without quota); pass the host's state to check it" },
	renamed_object: { severity: "warning", summary: "a named counter or quota whose name nft cannot spell was renamed" },
	// translation notes
	rule_dropped_counters: { severity: "note", summary: "packet/byte counters were not kept (use --counters)" },
	lossy_translation: { severity: "warning", summary: "a translation that differs from iptables in a documented, harmless way" },
	renamed_chain: { severity: "warning", summary: "a chain name nft cannot spell (keyword or character) was renamed" },
	numgen_dispatch_limit: { severity: "note", summary: "statistic load balancing kept as rules: too many per-service verdict maps would make the ruleset slow to load" },
	// nft input (simulator's grammar)
	nft_syntax_error: { severity: "error", summary: "nft text that does not parse" },
	nft_unsupported: { severity: "error", summary: "an nft construct the simulator does not model" },
	nft_undefined: { severity: "error", summary: "a reference to an nft chain, set or map that does not exist" },
	nft_rule_refused: { severity: "error", summary: "a rule nft refuses to load (a NAT port without a transport protocol match before it)" },
	nft_chain_refused: { severity: "error", summary: "a base chain the kernel refuses to register (a nat chain at priority -200 or lower)" },
	// verification
	host_file_invalid: { severity: "error", summary: "the --host file is not a valid host description" },
	// internal
	internal_error: { severity: "error", summary: "a bug in ipt2nft" },
} as const satisfies Record<string, { readonly severity: Severity; readonly summary: string }>;

export type Code = keyof typeof CATALOGUE;

export interface Diagnostic {
	readonly code: Code;
	readonly severity: Severity;
	readonly message: string;
	/** Absent only for whole-input problems (e.g. an empty stdin with no file name). */
	readonly span?: Span;
	/** What was probably meant, e.g. `did you mean --dport?` */
	readonly hint?: string;
}

/** The one constructor: severity always comes from the catalogue, never from the call site. */
export function diagnostic(code: Code, message: string, span?: Span, hint?: string): Diagnostic {
	const d: { -readonly [K in keyof Diagnostic]: Diagnostic[K] } = {
		code,
		severity: CATALOGUE[code].severity,
		message,
	};
	if (span !== undefined) d.span = span;
	if (hint !== undefined) d.hint = hint;
	return d;
}

export function hasErrors(ds: readonly Diagnostic[]): boolean {
	return ds.some((d) => d.severity === "error");
}

/** Edit distance, for `did you mean` hints on options and chain names. */
export function closest(word: string, candidates: Iterable<string>, maxDistance = 2): string | undefined {
	let best: string | undefined;
	let bestD = maxDistance + 1;
	for (const c of candidates) {
		const d = levenshtein(word, c);
		if (d < bestD) {
			best = c;
			bestD = d;
		}
	}
	return best;
}

function levenshtein(a: string, b: string): number {
	const prev = new Array<number>(b.length + 1);
	for (let j = 0; j <= b.length; j++) prev[j] = j;
	for (let i = 1; i <= a.length; i++) {
		let diag = prev[0]!;
		prev[0] = i;
		for (let j = 1; j <= b.length; j++) {
			const tmp = prev[j]!;
			prev[j] = Math.min(prev[j]! + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
			diag = tmp;
		}
	}
	return prev[b.length]!;
}
