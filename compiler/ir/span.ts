/** A position in an input file. Lines and columns are 1-based; `length` counts characters. */
export interface Span {
	readonly file: string;
	readonly line: number;
	readonly col: number;
	readonly length: number;
}

export function span(file: string, line: number, col: number, length: number): Span {
	return { file, line, col, length };
}

/** `file:line:col`, the form editors and terminals turn into links. */
export function formatSpan(s: Span): string {
	return `${s.file}:${s.line}:${s.col}`;
}

/** Thrown only for internal bugs; user input never throws. */
export function assertNever(x: never, what = "value"): never {
	throw new Error(`internal error: unexpected ${what}: ${JSON.stringify(x)}`);
}
