/**
 * The packet path: hooks, routing, conntrack and NAT around the evaluators' base chains.
 *
 * Order on each hook (several sides merge: a host running iptables-legacy and nft at once):
 * - every non-nat base chain of every side, ascending priority; equal priorities keep the order
 *   of the `sides` array (pass the iptables side first: the kernel orders ties by registration);
 * - conntrack at -200 on prerouting/output (assigns the ct state; `notrack` before it makes the
 *   packet untracked; a packet looped back through `lo` keeps the entry it already has);
 * - the NAT core at -100 (prerouting/output, destination NAT) and 100 (input/postrouting, source
 *   NAT). As in the kernel (nf_nat_register_fn), nat-type chains of all sides do not hook in on
 *   their own: the NAT core runs them in their priority order, only for a connection's first
 *   packet (ct state new/related and that NAT kind not yet set up), and stops at the first that
 *   binds. Then it translates the packet from the conntrack entry (nf_nat_packet), which is how
 *   follow-ups and replies get translated without running any nat chain.
 * Internal steps (conntrack, NAT core) run before base chains of exactly their priority.
 *
 * `accept` ends only one base chain; drop/reject/queue end the packet. Routing happens after
 * prerouting (so DNAT there changes it: a published docker port is forwarded, not input) and,
 * for local output, before the output hook and again when a route chain or nat OUTPUT changes
 * the destination. Packets sent to a local address leave through `lo` and come back in on it.
 */
import type { Fam } from "../ir/ipt.js";
import { V4_LOOPBACK, V6_LOOPBACK } from "./addr.js";
import type { Chooser } from "./distribution.js";
import { HostTables } from "./host.js";
import type { DupAction, EvalContext, Hook, Host, LogLine, NatAction, SimBaseChain, SimSide, TraceStep } from "./model.js";
import type { DupLine, Fate, PacketOutcome, ScenarioOutcome } from "./outcome.js";
import { CT_STATUS, clonePacket, hasPorts, ZERO_ACCT, type CtAcct, type CtInfo, type CtState, type Packet, type Tuple } from "./packet.js";
import type { Scenario } from "./scenario.js";

type Manip = "dst" | "src";
const MANIP_BIT: Readonly<Record<Manip, number>> = { dst: 1, src: 2 };

type Station =
	| { readonly kind: "chain"; readonly chain: SimBaseChain }
	| { readonly kind: "conntrack" }
	| { readonly kind: "nat"; readonly manip: Manip; readonly chains: readonly SimBaseChain[] };

/** A conntrack entry, shared by the packets of one flow. */
interface Conn {
	orig: Tuple;
	reply: Tuple;
	status: number;
	mark: number;
	/** The security mark (CONNSECMARK); 0: none. */
	secmark: number;
	/** MANIP_BIT flags: which NAT kinds are set up (nf_nat_initialized). */
	natDone: number;
	/** The conntrack zone the entry lives in; lookups only find it from the same zone. */
	zone: number;
	/** Accounting counters before the current packet (conntrack adds each packet at -200). */
	acct: CtAcct;
	/** Connection label bits (ct label set / connlabel --set persist for the flow). */
	labels: bigint;
	/** The entry's own helper (IPS_HELPER): CT --helper template or nft `ct helper set`. */
	ownHelper?: string;
}

/** What conntrack will say about a packet at -200. */
interface CtPlan {
	readonly state: CtState;
	readonly dir: "original" | "reply";
	readonly status: number;
	readonly mark: number;
	readonly expire: number;
	/** The master's helper of an expected connection (single packets only). */
	readonly helper?: string;
	/** The entry's security mark (single packets only). */
	readonly secmark?: number;
	/** Counters as the rules see them, this packet included (single packets only). */
	readonly acct?: CtAcct;
	/** Label bits (single packets only). */
	readonly labels?: bigint;
	/** The master connection's original source address (single packets only). */
	readonly masterSaddr?: bigint;
}

const PRIO_CONNTRACK = -200;
const NAT_PRIO: Readonly<Record<Hook, number | undefined>> = {
	prerouting: -100,
	output: -100,
	input: 100,
	postrouting: 100,
	forward: undefined,
};

/**
 * Rule evaluations per packet (EvalContext.countRules summed over every base chain a packet
 * meets on its way, across hooks): the cost the kernel's linear walk pays, whatever index the
 * evaluators use. A scenario with random branches counts each explored branch's packets.
 */
export class RuleStats {
	/** Packets run (flows count 3; each explored random branch counts again). */
	packets = 0;
	/** Base-chain runs. */
	chainRuns = 0;
	/** Rules examined, summed over all packets. */
	rules = 0;
	/** The most rules one packet met. */
	max = 0;
	get mean(): number {
		return this.packets === 0 ? 0 : this.rules / this.packets;
	}
	toJSON(): { packets: number; chainRuns: number; rules: number; mean: number; max: number } {
		return { packets: this.packets, chainRuns: this.chainRuns, rules: this.rules, mean: this.mean, max: this.max };
	}
}

class Ctx implements EvalContext {
	host: Host;
	countRules?: (n: number) => void;
	/** Rules examined by the current packet. */
	perPacket = 0;
	hook: Hook = "prerouting";
	chooser: Chooser = () => false;
	/** Bumped at every scenario run: stateful matches (recent, dynamic sets) start empty. */
	run = 0;
	steps: TraceStep[] = [];
	logs: LogLine[] = [];
	pendingNat: NatAction | undefined;
	private readonly tables: HostTables;

	constructor(host: Host, tables: HostTables) {
		this.host = host;
		this.tables = tables;
	}
	choose(probability: number): boolean {
		return this.chooser(probability);
	}
	trace(step: TraceStep): void {
		this.steps.push(step);
	}
	log(line: LogLine): void {
		this.logs.push(line);
	}
	dups: DupLine[] = [];
	dup(action: DupAction): void {
		this.dups.push({ ...action, hook: this.hook });
	}
	nat(action: NatAction): void {
		this.pendingNat = action;
	}
	addrType(fam: Fam, addr: bigint, dev?: string): "local" | "broadcast" | "multicast" | "unicast" | "unspec" {
		return this.tables.addrType(fam, addr, dev);
	}
}

type Verdict = { readonly fate: Fate } | undefined;

export class PacketPath {
	readonly tables: HostTables;
	private readonly sides: readonly SimSide[];
	private readonly ctx: Ctx;
	private readonly stationCache = new Map<string, readonly Station[]>();
	// Per-packet state.
	private conn: Conn | undefined;
	private attached = false;
	private plan: CtPlan | undefined;

	private readonly stats: RuleStats | undefined;

	/** `stats`: collect rule evaluations per packet into it (see RuleStats). */
	constructor(sides: readonly SimSide[], host: Host, stats?: RuleStats) {
		this.sides = sides;
		this.tables = new HostTables(host);
		this.ctx = new Ctx(host, this.tables);
		this.stats = stats;
		if (stats) {
			const ctx = this.ctx;
			ctx.countRules = (n) => {
				ctx.perPacket += n;
				stats.chainRuns++;
			};
		}
	}

	/** All stations of a hook for a family, in kernel order. */
	stations(hook: Hook, fam: Fam): readonly Station[] {
		const key = `${hook}/${fam}`;
		const cached = this.stationCache.get(key);
		if (cached) return cached;
		const plain: { prio: number; order: number; st: Station }[] = [];
		const nat: { prio: number; order: number; chain: SimBaseChain }[] = [];
		let order = 0;
		for (const side of this.sides) {
			for (const chain of side.baseChains(hook, fam)) {
				if (chain.type === "nat") nat.push({ prio: chain.priority, order: order++, chain });
				else plain.push({ prio: chain.priority, order: order++, st: { kind: "chain", chain } });
			}
		}
		if (hook === "prerouting" || hook === "output") plain.push({ prio: PRIO_CONNTRACK, order: -1, st: { kind: "conntrack" } });
		const natPrio = NAT_PRIO[hook];
		if (natPrio !== undefined) {
			nat.sort((a, b) => a.prio - b.prio || a.order - b.order);
			const manip: Manip = hook === "prerouting" || hook === "output" ? "dst" : "src";
			plain.push({ prio: natPrio, order: -1, st: { kind: "nat", manip, chains: nat.map((n) => n.chain) } });
		}
		plain.sort((a, b) => a.prio - b.prio || a.order - b.order);
		const out = plain.map((p) => p.st);
		this.stationCache.set(key, out);
		return out;
	}

	/** Runs a scenario; `choose` answers random branches (see explore()). */
	run(scn: Scenario, choose: Chooser): ScenarioOutcome {
		this.ctx.chooser = choose;
		this.ctx.run++;
		this.conn = undefined;
		const first = clonePacket(scn.pkt);
		const s = first.ct;
		if (scn.kind === "packet") {
			const out = this.packet(first, "packet", { state: s.state, dir: s.dir, status: s.status, mark: s.mark, expire: s.expire, ...(s.helper !== undefined ? { helper: s.helper } : {}), ...(s.secmark !== undefined ? { secmark: s.secmark } : {}), ...ctDetails(s) }, undefined);
			return { packets: [out.outcome] };
		}
		const firstOut = this.packet(first, "first", { state: "new", dir: "original", status: 0, mark: 0, expire: s.expire }, undefined);
		const packets: PacketOutcome[] = [firstOut.outcome];
		if (!passes(firstOut.outcome.fate)) return { packets };
		const conn = firstOut.conn;
		if (conn) conn.status |= CT_STATUS.confirmed;
		// The reply: from where the first packet went, to where it came from, as it left the host.
		const sent = firstOut.pkt;
		const reply = clonePacket(sent);
		reply.saddr = sent.daddr;
		reply.daddr = sent.saddr;
		reply.sport = sent.dport;
		reply.dport = sent.sport;
		reply.tcpFlags = sent.tcpFlags & 0x02 ? 0x12 : 0x10;
		reply.tcpOptions = [];
		reply.mark = 0;
		reply.mssClamp = undefined;
		reply.optionsStripped = undefined;
		reply.secmark = undefined;
		reply.icmpType = echoReply(sent.fam, sent.icmpType);
		reply.ttl = 64;
		reply.fragOffset = 0;
		reply.moreFragments = false;
		const f = firstOut.outcome.fate;
		if (f.kind === "delivered") {
			reply.iif = undefined;
			reply.srcMac = undefined;
			reply.uid = 0;
			reply.gid = 0;
		} else {
			reply.iif = f.kind === "forwarded" || f.kind === "sent" ? f.oif : undefined;
			reply.srcMac = 0x02aa00000001n;
			reply.uid = undefined;
			reply.gid = undefined;
		}
		reply.oif = undefined;
		const replyPlan: CtPlan = conn
			? { state: "established", dir: "reply", status: conn.status | CT_STATUS.seenReply, mark: conn.mark, expire: s.expire }
			: { state: "new", dir: "original", status: 0, mark: 0, expire: s.expire };
		const replyOut = this.packet(reply, "reply", replyPlan, conn);
		packets.push(replyOut.outcome);
		// A follow-up in the original direction: the first packet again, as its sender sends it.
		const follow = clonePacket(scn.pkt);
		follow.tcpFlags = 0x10;
		follow.tcpOptions = [];
		const seen = conn !== undefined && (conn.status & CT_STATUS.seenReply) !== 0;
		const followPlan: CtPlan =
			conn && seen
				? { state: "established", dir: "original", status: conn.status, mark: conn.mark, expire: s.expire }
				: { state: "new", dir: "original", status: conn?.status ?? 0, mark: conn?.mark ?? 0, expire: s.expire };
		packets.push(this.packet(follow, "follow-up", followPlan, conn).outcome);
		return { packets };
	}

	/** One packet from its entry point to its fate. */
	private packet(
		pkt: Packet,
		role: PacketOutcome["role"],
		plan: CtPlan,
		conn: Conn | undefined,
	): { outcome: PacketOutcome; pkt: Packet; conn: Conn | undefined } {
		this.conn = conn;
		this.attached = false;
		this.plan = plan;
		this.ctx.steps = [];
		this.ctx.logs = [];
		this.ctx.dups = [];
		const pkttype = pkt.pkttype;
		this.ctx.pendingNat = undefined;
		// Before conntrack has seen it, a packet has no entry (iptables: INVALID).
		pkt.ct = { state: "invalid", status: 0, mark: 0, dir: "original", expire: 0, zone: 0 };
		pkt.oif = undefined;
		this.ctx.perPacket = 0;
		const fate = pkt.iif === undefined ? this.output(pkt) : this.receive(pkt);
		if (this.stats) {
			const st = this.stats;
			st.packets++;
			st.rules += this.ctx.perPacket;
			if (this.ctx.perPacket > st.max) st.max = this.ctx.perPacket;
		}
		if (this.conn) {
			if (pkt.ct.ownHelper !== undefined) this.conn.ownHelper = pkt.ct.ownHelper;
			this.conn.mark = pkt.ct.mark;
			this.conn.secmark = pkt.ct.secmark ?? 0;
			this.conn.labels = pkt.ct.labels ?? 0n;
		}
		const outcome: PacketOutcome = {
			role,
			fate,
			fam: pkt.fam,
			proto: pkt.proto,
			saddr: pkt.saddr,
			daddr: pkt.daddr,
			sport: pkt.sport,
			dport: pkt.dport,
			mark: pkt.mark >>> 0,
			ctMark: pkt.ct.mark >>> 0,
			ctState: pkt.ct.state,
			ttl: pkt.ttl,
			dscp: pkt.dscp,
			...(pkt.mssClamp !== undefined ? { mssClamp: pkt.mssClamp } : {}),
			...(pkt.optionsStripped === true ? { tcpOptions: [...pkt.tcpOptions] } : {}),
			...(pkt.secmark ? { secmark: pkt.secmark >>> 0 } : {}),
			...(pkt.ct.secmark ? { ctSecmark: pkt.ct.secmark >>> 0 } : {}),
			...(pkt.ct.ownHelper !== undefined ? { ctHelper: pkt.ct.ownHelper } : {}),
			...(pkt.ct.labels ? { ctLabels: pkt.ct.labels } : {}),
			...(pkt.pkttype !== pkttype ? { pkttype: pkt.pkttype } : {}),
			logs: this.ctx.logs,
			...(this.ctx.dups.length > 0 ? { dups: this.ctx.dups } : {}),
			trace: this.ctx.steps,
		};
		return { outcome, pkt, conn: this.conn };
	}

	/** A packet arriving on pkt.iif: prerouting, routing, then input or forward + postrouting. */
	private receive(pkt: Packet): Fate {
		const pre = this.hook("prerouting", pkt);
		if (pre) return pre.fate;
		const r = this.tables.routeInput(pkt.fam, pkt.daddr);
		if (r.kind === "none") return { kind: "unroutable", hook: "routing", reason: "no route" };
		if (r.kind === "local") {
			const inp = this.hook("input", pkt);
			return inp ? inp.fate : { kind: "delivered" };
		}
		if (pkt.ttl <= 1) return { kind: "expired" };
		pkt.ttl -= 1;
		pkt.oif = r.dev;
		const fwd = this.hook("forward", pkt);
		if (fwd) return fwd.fate;
		const post = this.hook("postrouting", pkt);
		if (post) return post.fate;
		return { kind: "forwarded", oif: pkt.oif };
	}

	/** A locally generated packet: route, output, postrouting; to a local address via `lo`. */
	private output(pkt: Packet): Fate {
		const oif = this.tables.routeOutput(pkt.fam, pkt.daddr);
		if (oif === undefined) return { kind: "unroutable", hook: "routing", reason: "no route" };
		pkt.oif = oif;
		const out = this.hook("output", pkt);
		if (out) return out.fate;
		if (pkt.oif === undefined) return { kind: "unroutable", hook: "output", reason: "no route after rerouting" };
		const post = this.hook("postrouting", pkt);
		if (post) return post.fate;
		if (pkt.oif !== "lo") return { kind: "sent", oif: pkt.oif };
		// Looped back: in again on lo, with the conntrack entry it already has, which conntrack
		// confirmed when the packet left postrouting (nft `ct helper set` then does nothing).
		if (this.conn && this.attached && pkt.ct.state !== "untracked" && pkt.ct.state !== "invalid") {
			this.conn.status |= CT_STATUS.confirmed;
			pkt.ct.status |= CT_STATUS.confirmed;
		}
		pkt.iif = "lo";
		pkt.oif = undefined;
		pkt.srcMac = 0n;
		pkt.uid = undefined;
		pkt.gid = undefined;
		return this.receive(pkt);
	}

	/** Runs every station of a hook; returns a fate when the packet ends here. */
	private hook(hook: Hook, pkt: Packet): Verdict {
		const ctx = this.ctx;
		ctx.hook = hook;
		for (const st of this.stations(hook, pkt.fam)) {
			switch (st.kind) {
				case "chain": {
					const daddr = pkt.daddr;
					const v = this.runChain(st.chain, pkt, hook);
					if (v) return v;
					if (st.chain.type === "route" && hook === "output" && pkt.daddr !== daddr) this.reroute(pkt);
					break;
				}
				case "conntrack":
					this.attachCt(pkt);
					break;
				case "nat": {
					const daddr = pkt.daddr;
					const v = this.natStep(hook, st.manip, st.chains, pkt);
					if (v) return v;
					if (hook === "output" && pkt.daddr !== daddr) this.reroute(pkt);
					break;
				}
			}
		}
		return undefined;
	}

	private reroute(pkt: Packet): void {
		pkt.oif = this.tables.routeOutput(pkt.fam, pkt.daddr);
	}

	private runChain(chain: SimBaseChain, pkt: Packet, hook: Hook): Verdict {
		this.ctx.pendingNat = undefined;
		const r = chain.run(pkt, this.ctx);
		switch (r.kind) {
			case "accept":
				return undefined;
			case "drop":
				return { fate: { kind: "dropped", hook, chain: chain.label } };
			case "reject":
				return { fate: { kind: "rejected", hook, chain: chain.label, with: r.with } };
			case "queue":
				return { fate: { kind: "queued", hook, chain: chain.label, num: r.num, bypass: r.bypass } };
			case "stolen":
				return { fate: { kind: "stolen", hook, chain: chain.label, by: r.by } };
		}
	}

	/** Conntrack at -200: attach the planned entry unless notrack came first. */
	private attachCt(pkt: Packet): void {
		if (this.attached) return;
		this.attached = true;
		const plan = this.plan!;
		if (pkt.ct.state === "untracked") {
			this.conn = undefined;
			return;
		}
		if (plan.state === "invalid" || plan.state === "untracked") {
			this.conn = undefined;
			// The zone a template gave it (CT --zone / ct zone set) stays.
			pkt.ct = { state: plan.state, status: 0, mark: 0, dir: "original", expire: 0, zone: pkt.ct.zone };
			return;
		}
		if (this.conn && this.conn.zone !== pkt.ct.zone) {
			// nf_conntrack_find_get() looks up (tuple, zone): a packet that carries another zone's
			// template (CT --zone on one direction only) does not find the flow's entry and is
			// treated like the first packet of a new connection in its own zone.
			const state = firstPacketState(pkt);
			this.conn = undefined;
			this.plan = { ...plan, state, dir: "original", status: 0, mark: 0 };
			if (state === "invalid") {
				pkt.ct = { state, status: 0, mark: 0, dir: "original", expire: 0, zone: pkt.ct.zone };
				return;
			}
			this.conn = this.newConn(pkt, this.plan);
			this.account(pkt, "original");
			this.syncCt(pkt, state, "original");
			return;
		}
		if (!this.conn) {
			this.conn = this.newConn(pkt, plan);
		} else {
			this.conn.status = plan.status | (this.conn.status & (CT_STATUS.srcNat | CT_STATUS.dstNat | CT_STATUS.confirmed));
		}
		this.account(pkt, plan.dir);
		this.syncCt(pkt, plan.state, plan.dir);
	}

	/** A conntrack entry for `pkt` as `plan` describes it, in the zone of the packet's template. */
	private newConn(pkt: Packet, plan: CtPlan): Conn {
		const t: Tuple = { saddr: pkt.saddr, daddr: pkt.daddr, proto: pkt.proto, sport: pkt.sport, dport: pkt.dport };
		const inv: Tuple = { saddr: t.daddr, daddr: t.saddr, proto: t.proto, sport: t.dport, dport: t.sport };
		const orig = plan.dir === "original" ? t : inv;
		const reply = plan.dir === "original" ? inv : t;
		const conn: Conn = { orig: { ...orig }, reply: { ...reply }, status: plan.status, mark: plan.mark, secmark: plan.secmark ?? 0, natDone: 0, zone: pkt.ct.zone, acct: priorAcct(plan, pkt), labels: plan.labels ?? 0n };
		// An entry that already saw traffic has its NAT set up (null bindings if nothing bound).
		if (plan.state === "established") conn.natDone = MANIP_BIT.dst | MANIP_BIT.src;
		if (plan.state === "related") conn.status |= CT_STATUS.expected;
		// init_conntrack: a new entry takes the template's helper, unless an expectation made it
		// (then the expectation decides) or the entry already existed (confirmed).
		if (plan.state === "new" && (plan.status & CT_STATUS.confirmed) === 0 && pkt.ct.tmplHelper !== undefined) conn.ownHelper = pkt.ct.tmplHelper;
		return conn;
	}

	/** nf_ct_acct_update: conntrack counts the packet (skb->len) in its direction. */
	private account(pkt: Packet, dir: "original" | "reply"): void {
		const c = this.conn!;
		const len = BigInt(pkt.length);
		const a = c.acct;
		c.acct =
			dir === "original"
				? { ...a, origPackets: a.origPackets + 1n, origBytes: a.origBytes + len }
				: { ...a, replyPackets: a.replyPackets + 1n, replyBytes: a.replyBytes + len };
	}

	private syncCt(pkt: Packet, state: CtState, dir: "original" | "reply"): void {
		const c = this.conn!;
		const master = this.plan!.masterSaddr;
		const helper = this.plan!.helper;
		// The entry keeps the zone of the template the packet carried into conntrack (CT --zone).
		pkt.ct = { state, status: c.status, mark: c.mark, dir, orig: { ...c.orig }, reply: { ...c.reply }, expire: this.plan!.expire, zone: pkt.ct.zone, ...(helper !== undefined ? { helper } : {}), ...(c.secmark !== 0 ? { secmark: c.secmark } : {}), ...(c.ownHelper !== undefined ? { ownHelper: c.ownHelper } : {}), acct: c.acct, ...(c.labels !== 0n ? { labels: c.labels } : {}), ...(master !== undefined ? { masterSaddr: master } : {}) };
	}

	/** The NAT core at one hook: run nat chains for a first packet, then translate (nf_nat_packet). */
	private natStep(hook: Hook, manip: Manip, chains: readonly SimBaseChain[], pkt: Packet): Verdict {
		const conn = this.conn;
		if (!conn || !this.attached || pkt.ct.state === "untracked" || pkt.ct.state === "invalid") return undefined;
		const bit = MANIP_BIT[manip];
		const st = pkt.ct.state;
		if ((st === "new" || st === "related") && (conn.natDone & bit) === 0) {
			for (const chain of chains) {
				this.ctx.pendingNat = undefined;
				const r = chain.run(pkt, this.ctx);
				if (r.kind !== "accept") {
					this.ctx.pendingNat = undefined;
					return this.runChainVerdict(r, hook, chain);
				}
				const action = this.ctx.pendingNat;
				this.ctx.pendingNat = undefined;
				if (action) {
					const failed = this.bind(conn, manip, action, hook, pkt);
					if (failed) return { fate: { kind: "dropped", hook, chain: `${chain.label} (${failed})` } };
					break;
				}
			}
			conn.natDone |= bit;
			pkt.ct.status = conn.status;
			pkt.ct.reply = { ...conn.reply };
		}
		this.translate(conn, manip, pkt);
		return undefined;
	}

	private runChainVerdict(r: Exclude<ReturnType<SimBaseChain["run"]>, { kind: "accept" }>, hook: Hook, chain: SimBaseChain): Verdict {
		switch (r.kind) {
			case "drop":
				return { fate: { kind: "dropped", hook, chain: chain.label } };
			case "reject":
				return { fate: { kind: "rejected", hook, chain: chain.label, with: r.with } };
			case "queue":
				return { fate: { kind: "queued", hook, chain: chain.label, num: r.num, bypass: r.bypass } };
			case "stolen":
				return { fate: { kind: "stolen", hook, chain: chain.label, by: r.by } };
		}
	}

	/**
	 * Sets up a NAT binding (nf_nat_setup_info): the new tuple goes into the entry's reply
	 * direction and the SRC_NAT/DST_NAT bit is set when it differs. Address ranges take their
	 * first address; a port outside a given port range becomes the range's first port (the kernel
	 * hashes or randomises here; both sides are simulated alike). Returns a reason on failure.
	 */
	private bind(conn: Conn, manip: Manip, a: NatAction, hook: Hook, pkt: Packet): string | undefined {
		const ports = hasPorts(pkt.proto);
		const pick = (cur: number, lo: number | undefined, hi: number | undefined): number =>
			!ports || lo === undefined ? cur : cur >= lo && cur <= (hi ?? lo) ? cur : lo;
		if (a.kind === "netmap" && a.manip !== undefined && a.manip !== manip) return `netmap: ${a.manip === "dst" ? "destination" : "source"} NAT where only ${manip === "dst" ? "destination" : "source"} NAT is possible`;
		if (manip === "dst") {
			let daddr = pkt.daddr;
			if (a.kind === "dnat") {
				if (a.addrLo !== undefined) daddr = a.addrLo;
			} else if (a.kind === "netmap") {
				daddr = netmapAddr(pkt.fam, pkt.daddr, a.addrLo, a.addrHi);
			} else if (a.kind === "redirect") {
				const to = hook === "output" ? (pkt.fam === 4 ? V4_LOOPBACK : V6_LOOPBACK) : pkt.iif !== undefined ? this.tables.firstAddr(pkt.iif, pkt.fam) : undefined;
				if (to === undefined) return "redirect: no address on the input interface";
				daddr = to;
			} else {
				return `${a.kind} where only destination NAT is possible`;
			}
			// NETMAP keeps the ports (no port range: NF_NAT_RANGE_PROTO_SPECIFIED is not set).
			const dport = a.kind === "netmap" ? pkt.dport : pick(pkt.dport, a.portLo, a.portHi);
			conn.reply.saddr = daddr;
			conn.reply.sport = dport;
			if (daddr !== conn.orig.daddr || dport !== conn.orig.dport) conn.status |= CT_STATUS.dstNat;
		} else {
			let saddr = pkt.saddr;
			if (a.kind === "snat") {
				if (a.addrLo !== undefined) saddr = a.addrLo;
			} else if (a.kind === "netmap") {
				saddr = netmapAddr(pkt.fam, pkt.saddr, a.addrLo, a.addrHi);
			} else if (a.kind === "masquerade") {
				const to = pkt.oif !== undefined ? this.tables.masqueradeAddr(pkt.oif, pkt.fam, pkt.daddr) : undefined;
				if (to === undefined) return "masquerade: no address on the output interface";
				saddr = to;
			} else {
				return `${a.kind} where only source NAT is possible`;
			}
			const sport = a.kind === "netmap" ? pkt.sport : pick(pkt.sport, a.portLo, a.portHi);
			conn.reply.daddr = saddr;
			conn.reply.dport = sport;
			if (saddr !== conn.orig.saddr || sport !== conn.orig.sport) conn.status |= CT_STATUS.srcNat;
		}
		return undefined;
	}

	/** nf_nat_packet: rewrite toward the inverse of the other direction's tuple. */
	private translate(conn: Conn, manip: Manip, pkt: Packet): void {
		const ports = hasPorts(pkt.proto);
		if (pkt.ct.dir === "original") {
			if (manip === "dst" && conn.status & CT_STATUS.dstNat) {
				pkt.daddr = conn.reply.saddr;
				if (ports) pkt.dport = conn.reply.sport;
			} else if (manip === "src" && conn.status & CT_STATUS.srcNat) {
				pkt.saddr = conn.reply.daddr;
				if (ports) pkt.sport = conn.reply.dport;
			}
		} else {
			if (manip === "dst" && conn.status & CT_STATUS.srcNat) {
				pkt.daddr = conn.orig.saddr;
				if (ports) pkt.dport = conn.orig.sport;
			} else if (manip === "src" && conn.status & CT_STATUS.dstNat) {
				pkt.saddr = conn.orig.daddr;
				if (ports) pkt.sport = conn.orig.dport;
			}
		}
	}
}

/** xt_NETMAP / nft_nat_setup_netmap: network bits from the range, host bits from the packet. */
function netmapAddr(fam: Fam, addr: bigint, lo: bigint, hi: bigint): bigint {
	const ones = fam === 4 ? 0xffffffffn : (1n << 128n) - 1n;
	const netmask = ~(lo ^ hi) & ones;
	return (addr & ~netmask & ones) | (lo & netmask);
}

/** The plan's optional conntrack details of a single packet (counters, labels, master). */
function ctDetails(s: CtInfo): { acct?: CtAcct; labels?: bigint; masterSaddr?: bigint } {
	return { ...(s.acct !== undefined ? { acct: s.acct } : {}), ...(s.labels !== undefined ? { labels: s.labels } : {}), ...(s.masterSaddr !== undefined ? { masterSaddr: s.masterSaddr } : {}) };
}

/** The counters before this packet: the plan's (which include it) minus its own share, not below 0. */
function priorAcct(plan: CtPlan, pkt: Packet): CtAcct {
	const a = plan.acct ?? ZERO_ACCT;
	const sub = (x: bigint, y: bigint): bigint => (x > y ? x - y : 0n);
	const len = BigInt(pkt.length);
	return plan.dir === "original"
		? { ...a, origPackets: sub(a.origPackets, 1n), origBytes: sub(a.origBytes, len) }
		: { ...a, replyPackets: sub(a.replyPackets, 1n), replyBytes: sub(a.replyBytes, len) };
}

function passes(f: Fate): boolean {
	return f.kind === "delivered" || f.kind === "forwarded" || f.kind === "sent";
}

function echoReply(fam: Fam, type: number): number {
	if (fam === 4) return type === 8 ? 0 : type === 13 ? 14 : type;
	return type === 128 ? 129 : type;
}

/**
 * What conntrack makes of a packet that finds no entry: the protocol trackers' `new` checks.
 * TCP: a SYN, or (nf_conntrack_tcp_loose, on by default) a bare ACK picked up mid-stream;
 * SYN/ACK, FIN and RST alone are invalid. ICMP: only queries open a connection (echo, timestamp,
 * info, address mask; ICMPv6 echo and node information); replies and errors without an entry are
 * invalid. Everything else (UDP, other protocols) starts a new connection.
 */
function firstPacketState(pkt: Packet): CtState {
	switch (pkt.proto) {
		case 6: {
			const f = pkt.tcpFlags & 0x17; // fin, syn, rst, ack
			return f === 0x02 || f === 0x10 ? "new" : "invalid";
		}
		case 1:
			return pkt.fam === 4 && [8, 13, 15, 17].includes(pkt.icmpType) ? "new" : "invalid";
		case 58:
			return pkt.fam === 6 && (pkt.icmpType === 128 || pkt.icmpType === 139) ? "new" : "invalid";
		default:
			return "new";
	}
}
