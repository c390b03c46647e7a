/**
 * Tokens of iptables input. One lexer, two modes:
 * - `save`: iptables-save / `-S` lines (words, quotes, comments, newlines);
 * - `shell`: scripts of commands, which add line continuations, `;`/`&&`/`||`/`|`/`&` and redirections.
 * A token is a whole shell word (quoted pieces included) and carries the blanks before it, so the
 * lexer makes one match per word instead of two (measured ~2x faster on 150k-line inputs); the
 * reader skips the leading blanks when it makes words.
 */
import { createToken, Lexer } from "../chevrotain.js";

/** Blanks, and in shell mode `\`-newline continuations, before a token. */
const SAVE_LEAD = "[ \\t\\r\\f\\v]*";
const SHELL_LEAD = "(?:[ \\t\\r\\f\\v]|\\\\\\r?\\n)*";
const QUOTED = `"(?:[^"\\\\\\n]|\\\\[^\\n])*"|'[^'\\n]*'`;

export const Newline = createToken({ name: "Newline", pattern: new RegExp(`${SAVE_LEAD}\\n`), line_breaks: true });
export const ShellNewline = createToken({ name: "ShellNewline", pattern: new RegExp(`${SHELL_LEAD}\\n`), line_breaks: true, categories: [Newline] });
/** Trailing blanks at the very end of the input. */
export const Blank = createToken({ name: "Blank", pattern: new RegExp(`${SHELL_LEAD}[ \\t\\r\\f\\v]`), group: Lexer.SKIPPED, line_breaks: true });
/** `#` at the start of a word up to the end of the line. */
export const Comment = createToken({ name: "Comment", pattern: new RegExp(`${SAVE_LEAD}#[^\\n]*`) });
export const ShellComment = createToken({ name: "ShellComment", pattern: new RegExp(`${SHELL_LEAD}#[^\\n]*`), categories: [Comment], line_breaks: true });
/** One word in save mode: `;`, `&`, `|`, `<`, `>`, `` ` `` and `$` are ordinary characters there. */
export const Word = createToken({
	name: "Word",
	pattern: new RegExp(`${SAVE_LEAD}(?!#)(?:[^\\s"'\\\\]+|${QUOTED}|\\\\[^\\n])+`),
});
/** One shell word: unquoted runs, "…", '…', `…`, $(…) and backslash escapes. */
export const ShellWord = createToken({
	name: "ShellWord",
	pattern: new RegExp(`${SHELL_LEAD}(?!#)(?:[^\\s"'\\\\;&|<>\`$]+|\\$(?!\\()|${QUOTED}|\`[^\`\\n]*\`|\\$\\([^)\\n]*\\)|\\\\[^\\n])+`),
	categories: [Word],
	line_breaks: true,
});
/** A quote that is not closed on its line (the rest of the line). */
export const Unterminated = createToken({ name: "Unterminated", pattern: new RegExp(`${SAVE_LEAD}["'\`\\\\][^\\n]*`) });
export const ShellUnterminated = createToken({
	name: "ShellUnterminated",
	pattern: new RegExp(`${SHELL_LEAD}["'\`\\\\$][^\\n]*`),
	categories: [Unterminated],
	line_breaks: true,
});
export const Operator = createToken({ name: "Operator", pattern: new RegExp(`${SHELL_LEAD}(?:;;?|&&|\\|\\||\\||&)`), line_breaks: true });
export const Redirect = createToken({ name: "Redirect", pattern: new RegExp(`${SHELL_LEAD}[0-9]*(?:>>|>&|<&|>|<)(?:&?[0-9-]+)?`), line_breaks: true });

export const allTokens = [
	Newline,
	ShellNewline,
	Blank,
	Comment,
	ShellComment,
	Word,
	ShellWord,
	Unterminated,
	ShellUnterminated,
	Operator,
	Redirect,
];

export const iptablesLexer = new Lexer(
	{
		modes: {
			save: [Word, Newline, Comment, Unterminated, Blank],
			shell: [Redirect, ShellWord, ShellNewline, ShellComment, Operator, ShellUnterminated, Blank],
		},
		defaultMode: "save",
	},
	{ positionTracking: "onlyOffset", ensureOptimizations: false, skipValidations: true },
);

/** Length of the blanks (and continuations) a token carries before its text. */
export function leadLength(image: string): number {
	let i = 0;
	for (;;) {
		const c = image.charCodeAt(i);
		if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) i++;
		else if (c === 92 && (image.charCodeAt(i + 1) === 10 || (image.charCodeAt(i + 1) === 13 && image.charCodeAt(i + 2) === 10))) {
			// `\` newline continuation (only in shell tokens; save words never start with `\`+newline).
			i += image.charCodeAt(i + 1) === 10 ? 2 : 3;
		} else return i;
	}
}
