/** A word of a command line after shell unquoting, with its place in the file. */
export interface Word {
	/** The unquoted text. */
	readonly text: string;
	/** Offset of the raw word in the whole input. */
	readonly offset: number;
	/** Length of the raw word (quotes included). */
	readonly length: number;
}

/** Removes shell quoting; fast paths for plain words and for one simple "…" or '…' string. */
export function unquote(raw: string): string {
	const q = raw.charCodeAt(0);
	if (q !== 34 && q !== 39 && !HAS_QUOTE.test(raw)) return raw;
	const n = raw.length;
	if ((q === 34 || q === 39) && n >= 2 && raw.charCodeAt(n - 1) === q) {
		const inner = raw.slice(1, n - 1);
		if (q === 39 ? !inner.includes("'") : !SPECIAL_IN_DQ.test(inner)) return inner;
	}
	const parts: string[] = [];
	let i = 0;
	while (i < n) {
		const c = raw[i]!;
		if (c === "'") {
			const j = raw.indexOf("'", i + 1);
			const end = j < 0 ? n : j;
			parts.push(raw.slice(i + 1, end));
			i = end + 1;
		} else if (c === '"') {
			i++;
			let start = i;
			while (i < n && raw[i] !== '"') {
				// Inside "…" a backslash only escapes $ ` " \ (POSIX); elsewhere it is literal.
				if (raw[i] === "\\" && i + 1 < n && '$`"\\'.includes(raw[i + 1]!)) {
					parts.push(raw.slice(start, i));
					start = i + 1;
					i += 2;
				} else i++;
			}
			parts.push(raw.slice(start, i));
			i++;
		} else if (c === "\\") {
			if (i + 1 < n) parts.push(raw[i + 1]!);
			i += 2;
		} else {
			let j = i + 1;
			while (j < n && raw[j] !== "'" && raw[j] !== '"' && raw[j] !== "\\") j++;
			parts.push(raw.slice(i, j));
			i = j;
		}
	}
	return parts.join("");
}

const HAS_QUOTE = /["'\\]/;
const SPECIAL_IN_DQ = /["\\]/;
