/**
 * The input file: its text, a line-start table (line/column are computed only when a span is made)
 * and the diagnostics collected while reading it.
 */
import { diagnostic, type Code, type Diagnostic } from "../../compiler/ir/diagnostics.js";
import type { Span } from "../../compiler/ir/span.js";
import type { Word } from "./words.js";

export class Source {
	readonly diagnostics: Diagnostic[] = [];
	private readonly lineStarts: Int32Array;
	/** Last line looked up: lookups mostly move forward, so try near it first. */
	private hint = 0;

	constructor(
		readonly file: string,
		readonly text: string,
	) {
		let n = 1;
		for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) n++;
		const starts = new Int32Array(n);
		let k = 1;
		for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts[k++] = i + 1;
		this.lineStarts = starts;
	}

	/** 0-based line index of an offset. */
	lineIndex(offset: number): number {
		const s = this.lineStarts;
		let h = this.hint;
		if (s[h]! <= offset && (h + 1 >= s.length || s[h + 1]! > offset)) return h;
		if (h + 2 < s.length && s[h + 1]! <= offset && s[h + 2]! > offset) {
			this.hint = h + 1;
			return h + 1;
		}
		let lo = 0;
		let hi = s.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (s[mid]! <= offset) lo = mid;
			else hi = mid - 1;
		}
		h = lo;
		this.hint = h;
		return h;
	}

	lineStart(index: number): number {
		return this.lineStarts[index] ?? this.text.length;
	}

	/** End of the line (before its newline / CR). */
	lineEnd(index: number): number {
		let e = index + 1 < this.lineStarts.length ? this.lineStarts[index + 1]! - 1 : this.text.length;
		if (e > 0 && this.text.charCodeAt(e - 1) === 13) e--;
		return e;
	}

	span(offset: number, length: number): Span {
		const li = this.lineIndex(offset);
		return { file: this.file, line: li + 1, col: offset - this.lineStarts[li]! + 1, length };
	}

	wordSpan(w: Word): Span {
		return this.span(w.offset, w.length);
	}

	report(code: Code, message: string, at: Word | Span | undefined, hint?: string): void {
		const s = at === undefined ? undefined : "file" in at ? at : this.wordSpan(at);
		this.diagnostics.push(diagnostic(code, message, s, hint));
	}
}

const interned = new Map<string, string>();

/** One string object per distinct chain / interface name (they repeat on every rule). */
export function intern(s: string): string {
	const hit = interned.get(s);
	if (hit !== undefined) return hit;
	// A slice of the input may stay referenced: the input is kept anyway for Rule.text.
	if (interned.size > 200_000) interned.clear();
	interned.set(s, s);
	return s;
}
