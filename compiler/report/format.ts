import type { Diagnostic } from "../ir/diagnostics.js";

/** Source texts by file name, to show the offending line under a diagnostic. */
export type Sources = ReadonlyMap<string, string>;

/**
 * `file:line:col: error[code]: message`, then the source line and a caret under the span, then the
 * hint. The same format compilers use, so editors and CI annotate it.
 */
export function formatDiagnostic(d: Diagnostic, sources: Sources): string {
	const where = d.span ? `${d.span.file}:${d.span.line}:${d.span.col}: ` : "";
	const lines = [`${where}${d.severity}[${d.code}]: ${d.message}`];
	if (d.span) {
		const text = sources.get(d.span.file);
		const line = text === undefined ? undefined : lineAt(text, d.span.line);
		if (line !== undefined) {
			const gutter = String(d.span.line);
			const shown = printable(line);
			lines.push(`${" ".repeat(gutter.length)} |`);
			lines.push(`${gutter} | ${shown}`);
			const caretLen = Math.max(1, Math.min(d.span.length, shown.length - d.span.col + 1));
			lines.push(`${" ".repeat(gutter.length)} | ${" ".repeat(Math.max(0, d.span.col - 1))}${"^".repeat(caretLen)}`);
		}
	}
	if (d.hint) lines.push(`  = help: ${d.hint}`);
	return lines.join("\n");
}

export function formatDiagnostics(ds: readonly Diagnostic[], sources: Sources): string {
	return ds.map((d) => formatDiagnostic(d, sources)).join("\n\n");
}

/** Counts like `2 errors, 1 warning`. */
export function summarize(ds: readonly Diagnostic[]): string {
	const n = { error: 0, warning: 0, note: 0 };
	for (const d of ds) n[d.severity]++;
	const parts: string[] = [];
	if (n.error) parts.push(`${n.error} error${n.error === 1 ? "" : "s"}`);
	if (n.warning) parts.push(`${n.warning} warning${n.warning === 1 ? "" : "s"}`);
	if (n.note) parts.push(`${n.note} note${n.note === 1 ? "" : "s"}`);
	return parts.join(", ") || "no problems";
}

function lineAt(text: string, lineNo: number): string | undefined {
	let start = 0;
	for (let i = 1; i < lineNo; i++) {
		const nl = text.indexOf("\n", start);
		if (nl < 0) return undefined;
		start = nl + 1;
	}
	const end = text.indexOf("\n", start);
	return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, "");
}

/** Control characters would corrupt the terminal; show them escaped. */
function printable(s: string): string {
	// eslint-disable-next-line no-control-regex
	return s.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`).replace(/\t/g, " ");
}
