/**
 * Tokens of the nft language (what `nft -f` reads and `nft list ruleset` prints).
 * nft's own scanner lets words carry `/`, `-`, `.` and `:` (chain names like KUBE-SVC-X, ranges
 * 80-90, prefixes 10.0.0.0/8, addresses fe80::1, `:8080`), so a Word here is that broad run and
 * its meaning is decoded later from the datatype of the expression it is compared with.
 * A lone `.`, `:`, `/` (followed by a blank) is punctuation: concatenation, map arrow, mask.
 */
import type { TokenType } from "chevrotain";
import { createToken, Lexer } from "../chevrotain.js";

export const Newline = createToken({ name: "Newline", pattern: /\r?\n/, line_breaks: true });
export const Continuation = createToken({
	name: "Continuation",
	pattern: /\\\r?\n/,
	group: Lexer.SKIPPED,
	line_breaks: true,
});
export const Blank = createToken({ name: "Blank", pattern: /[ \t\r\f\v]+/, group: Lexer.SKIPPED });
export const Comment = createToken({ name: "Comment", pattern: /#[^\n]*/, group: Lexer.SKIPPED });
export const Str = createToken({ name: "Str", pattern: /"[^"\n]*"/ });
export const Unterminated = createToken({ name: "Unterminated", pattern: /"[^\n]*/ });
export const Variable = createToken({ name: "Variable", pattern: /\$[A-Za-z_][A-Za-z0-9_]*/ });
export const LBrace = createToken({ name: "LBrace", pattern: /\{/ });
export const RBrace = createToken({ name: "RBrace", pattern: /\}/ });
export const LParen = createToken({ name: "LParen", pattern: /\(/ });
export const RParen = createToken({ name: "RParen", pattern: /\)/ });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/ });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/ });
export const Semi = createToken({ name: "Semi", pattern: /;/ });
export const Comma = createToken({ name: "Comma", pattern: /,/ });
export const At = createToken({ name: "At", pattern: /@/ });
export const NotEq = createToken({ name: "NotEq", pattern: /!=/ });
export const EqEq = createToken({ name: "EqEq", pattern: /==/ });
export const Le = createToken({ name: "Le", pattern: /<=/ });
export const Ge = createToken({ name: "Ge", pattern: />=/ });
export const Shl = createToken({ name: "Shl", pattern: /<</ });
export const Shr = createToken({ name: "Shr", pattern: />>/ });
export const Lt = createToken({ name: "Lt", pattern: /</ });
export const Gt = createToken({ name: "Gt", pattern: />/ });
export const Amp = createToken({ name: "Amp", pattern: /&/ });
export const Pipe = createToken({ name: "Pipe", pattern: /\|/ });
export const Caret = createToken({ name: "Caret", pattern: /\^/ });
export const Bang = createToken({ name: "Bang", pattern: /!/ });
export const Eq = createToken({ name: "Eq", pattern: /=/ });
export const Dash = createToken({ name: "Dash", pattern: /-/ });
export const Plus = createToken({ name: "Plus", pattern: /\+/ });
export const Dot = createToken({ name: "Dot", pattern: /\.(?![A-Za-z0-9_:.\\*])/ });
export const Colon = createToken({ name: "Colon", pattern: /:(?![A-Za-z0-9_:.\\*])/ });
export const Slash = createToken({ name: "Slash", pattern: /\// });
export const Word = createToken({ name: "Word", pattern: /[A-Za-z0-9_:.\\*][A-Za-z0-9_:.\/\\*-]*/ });

export const allTokens: TokenType[] = [
	Newline,
	Continuation,
	Blank,
	Comment,
	Str,
	Unterminated,
	Variable,
	LBrace,
	RBrace,
	LParen,
	RParen,
	LBracket,
	RBracket,
	Semi,
	Comma,
	At,
	NotEq,
	EqEq,
	Le,
	Ge,
	Shl,
	Shr,
	Lt,
	Gt,
	Amp,
	Pipe,
	Caret,
	Bang,
	Eq,
	Dash,
	Plus,
	Dot,
	Colon,
	Slash,
	Word,
];

/** One lexer for the whole run; offsets only, line/column come lazily from a line table. */
export const nftLexer = new Lexer(allTokens, {
	positionTracking: "onlyOffset",
	ensureOptimizations: false,
	skipValidations: true,
});
