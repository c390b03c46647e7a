/**
 * Reads input text into commands: a command is the words of one line (save/dump) or one shell
 * command (scripts: lines joined by `\`, split by `;`, `&&`, `||`, `|`; redirections dropped).
 *
 * One reused chevrotain lexer and parser. The text is lexed in chunks of whole lines so memory
 * stays bounded on 100k-rule inputs; offsets are made absolute with the chunk base.
 */
import type { IToken } from "chevrotain";
import { EmbeddedActionsParser } from "../chevrotain.js";
import {
	allTokens,
	Comment,
	iptablesLexer,
	leadLength,
	Newline,
	Operator,
	Redirect,
	Unterminated,
	Word as WordTok,
} from "./tokens.js";
import { unquote, type Word } from "./words.js";

export interface RawCommand {
	readonly words: readonly Word[];
	/** Offset of the first word. */
	readonly start: number;
	/** Offset just after the last word. */
	readonly end: number;
	/** Set when a quote on this command's line is not closed. */
	readonly unterminated?: Word;
	/** The operator that ended the command (`;`, `&&`, …) if any. */
	readonly operator?: string;
}

export interface ReaderSink {
	command(cmd: RawCommand): void;
	lexError(offset: number, length: number, message: string): void;
}

class CommandParser extends EmbeddedActionsParser {
	base = 0;
	sink: ReaderSink | undefined;
	private words: Word[] = [];
	private unterminated: Word | undefined;
	private skipNext = false;

	constructor() {
		super(allTokens, { recoveryEnabled: false, maxLookahead: 1 });
		this.performSelfAnalysis();
	}

	/** Save/dump mode: a line is words, then maybe an unclosed quote or a comment. */
	public readonly saveChunk = this.RULE("saveChunk", () => {
		this.MANY(() => this.SUBRULE(this.saveLine));
	});

	private readonly saveLine = this.RULE("saveLine", () => {
		this.MANY(() => {
			const t = this.CONSUME(WordTok);
			if (!this.RECORDING_PHASE) this.word(t, false);
		});
		this.OPTION(() => {
			const t = this.CONSUME(Unterminated);
			if (!this.RECORDING_PHASE) this.word(t, true);
		});
		this.OPTION2(() => this.CONSUME(Comment));
		this.CONSUME(Newline);
		if (!this.RECORDING_PHASE) this.flush(undefined);
	});

	/** Shell mode: words, redirections and operators that end a command. */
	public readonly shellChunk = this.RULE("shellChunk", () => {
		this.MANY(() => this.SUBRULE(this.shellLine));
	});

	private readonly shellLine = this.RULE("shellLine", () => {
		this.MANY(() => {
			this.OR([
				{
					ALT: () => {
						const t = this.CONSUME(WordTok);
						if (!this.RECORDING_PHASE) this.word(t, false);
					},
				},
				{
					ALT: () => {
						const t = this.CONSUME(Redirect);
						// `> file` takes the next word as its target; `2>&1` is complete.
						if (!this.RECORDING_PHASE) this.skipNext = /[<>]$/.test(t.image);
					},
				},
				{
					ALT: () => {
						const t = this.CONSUME(Operator);
						if (!this.RECORDING_PHASE) this.flush(t.image.trim());
					},
				},
			]);
		});
		this.OPTION(() => {
			const t = this.CONSUME(Unterminated);
			if (!this.RECORDING_PHASE) this.word(t, true);
		});
		this.OPTION2(() => this.CONSUME(Comment));
		this.CONSUME(Newline);
		if (!this.RECORDING_PHASE) this.flush(undefined);
	});

	private word(t: IToken, unterminated: boolean): void {
		if (this.skipNext) {
			this.skipNext = false;
			return;
		}
		const image = t.image;
		const c = image.charCodeAt(0);
		const lead = c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 92 ? leadLength(image) : 0;
		const raw = lead === 0 ? image : image.slice(lead);
		const w: Word = {
			text: unquote(raw),
			offset: this.base + t.startOffset + lead,
			length: raw.length,
		};
		if (unterminated && this.unterminated === undefined) this.unterminated = w;
		this.words.push(w);
	}

	private flush(operator: string | undefined): void {
		this.skipNext = false;
		if (this.words.length === 0) {
			this.unterminated = undefined;
			return;
		}
		const words = this.words;
		const last = words[words.length - 1]!;
		const cmd: { -readonly [K in keyof RawCommand]: RawCommand[K] } = {
			words,
			start: words[0]!.offset,
			end: last.offset + last.length,
		};
		if (this.unterminated !== undefined) cmd.unterminated = this.unterminated;
		if (operator !== undefined) cmd.operator = operator;
		this.words = [];
		this.unterminated = undefined;
		this.sink?.command(cmd);
	}
}

let parser: CommandParser | undefined;

/** Lines per chunk: big enough to amortise per-call costs, small enough to bound token memory. */
const CHUNK_CHARS = 1 << 13;

export function readCommands(text: string, mode: "save" | "shell", sink: ReaderSink): void {
	parser ??= new CommandParser();
	const p = parser;
	p.sink = sink;
	let pos = 0;
	try {
		while (pos < text.length) {
			const end = chunkEnd(text, Math.min(pos + CHUNK_CHARS, text.length), mode);
			let chunk = text.slice(pos, end);
			if (!chunk.endsWith("\n")) chunk += "\n";
			const lexed = iptablesLexer.tokenize(chunk, mode);
			for (const e of lexed.errors) sink.lexError(pos + e.offset, e.length, e.message);
			p.base = pos;
			p.input = lexed.tokens;
			if (mode === "save") p.saveChunk();
			else p.shellChunk();
			for (const e of p.errors) {
				// The grammar accepts every token sequence; an error here is a bug, but report it as a value.
				sink.lexError(pos + e.token.startOffset, e.token.image.length, e.message);
			}
			pos = end;
		}
	} finally {
		p.sink = undefined;
		p.input = [];
	}
}

/** The first line end at or after `from` that does not continue onto the next line. */
function chunkEnd(text: string, from: number, mode: "save" | "shell"): number {
	let i = from;
	for (;;) {
		if (i >= text.length) return text.length;
		const nl = text.indexOf("\n", i);
		if (nl < 0) return text.length;
		if (mode === "shell" && nl > 0 && text[nl - 1] === "\\") {
			i = nl + 1;
			continue;
		}
		return nl + 1;
	}
}
