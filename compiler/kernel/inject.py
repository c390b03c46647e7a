#!/usr/bin/python3
"""ipt2nft kernel replay driver (run as root with Debian's python3-scapy: /usr/bin/python3).

Reads one JSON batch on stdin, prints one JSON document on stdout. For every side (a host
namespace with the rules under test and a peer namespace holding the far ends of its veths)
it replays every scenario packet by packet and reports what the kernel did with it.

Sending: frames built with scapy go out of the peer end of the packet's input interface
(AF_PACKET), or out of a raw IP socket in the host namespace for locally generated packets.
Observing: an nft observer table in the host namespace (loaded by the caller after the rules)
NFLOGs the packet at input (priority INT_MAX, then drops it so the host stack never answers),
at postrouting (INT_MAX: forwarded or sent, after all NAT) and at output (INT_MIN: what the
host itself sends back - REJECT's ICMP errors and TCP resets, TTL-exceeded errors). One
process opens sockets in every namespace with setns(2) and then works from the original one.

Every packet carries a marker that survives NAT and forwarding: the IPv4 ID or the IPv6 flow
label; ICMP errors quote it in their inner header. A reset has no marker: it is attributed to
the packet being replayed when its destination port is the packet's source port.
"""
import ctypes
import json
import os
import select
import socket
import struct
import sys
import time

from scapy.config import conf

conf.verb = 0
from scapy.layers.inet import ICMP, IP, TCP, UDP, IPerror  # noqa: E402
from scapy.layers.inet6 import IPv6, IPerror6, ICMPv6Unknown  # noqa: E402
from scapy.layers.l2 import GRE, Ether  # noqa: E402
from scapy.layers.sctp import SCTP, SCTPChunkInit  # noqa: E402
from scapy.packet import Raw  # noqa: E402

CLONE_NEWNET = 0x40000000
NETLINK_NETFILTER = 12
NFNL_SUBSYS_CTNETLINK = 1
NFNL_SUBSYS_ULOG = 4
NFULNL_MSG_PACKET = 0
NFULNL_MSG_CONFIG = 1
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2

G_INPUT, G_OUTPUT, G_POST = "input", "output", "postrouting"

libc = ctypes.CDLL("libc.so.6", use_errno=True)


class NetnsError(Exception):
	pass


def setns_path(path):
	fd = os.open(path, os.O_RDONLY)
	try:
		if libc.setns(fd, CLONE_NEWNET) != 0:
			err = ctypes.get_errno()
			raise NetnsError(f"setns({path}): {os.strerror(err)}")
	finally:
		os.close(fd)


class InNetns:
	"""Runs the with-block in a named network namespace, then returns to the original one."""

	def __init__(self, name):
		self.name = name

	def __enter__(self):
		self.home = os.open("/proc/self/ns/net", os.O_RDONLY)
		setns_path(f"/var/run/netns/{self.name}")
		return self

	def __exit__(self, *exc):
		if libc.setns(self.home, CLONE_NEWNET) != 0:
			raise NetnsError("cannot return to the original network namespace")
		os.close(self.home)
		return False


# ------------------------------------------------------------------------------------------
# NFLOG over nfnetlink


def nla(t, payload):
	ln = 4 + len(payload)
	return struct.pack("=HH", ln, t) + payload + b"\0" * ((4 - ln % 4) % 4)


def nfnl_msg(msg_type, family, res_id, attrs, seq):
	body = struct.pack("=BBH", family, 0, socket.htons(res_id)) + b"".join(attrs)
	hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_ULOG << 8) | msg_type, NLM_F_REQUEST | NLM_F_ACK, seq, 0)
	return hdr + body


class Nflog:
	"""Bound to the observer's groups in one host namespace."""

	def __init__(self, groups):
		self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
		self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
		self.sock.bind((0, 0))
		self.groups = groups  # group number -> observer name
		seq = 1
		for g in groups:
			self.config(g, [nla(1, struct.pack("=B", 1))], seq)  # NFULA_CFG_CMD: BIND
			seq += 1
			# NFULA_CFG_MODE: copy the whole packet; NFULA_CFG_QTHRESH 1: send each at once.
			self.config(g, [nla(2, struct.pack(">IBB", 0xFFFF, 2, 0)), nla(5, struct.pack(">I", 1)), nla(3, struct.pack(">I", 1))], seq)
			seq += 1

	def config(self, group, attrs, seq):
		self.sock.send(nfnl_msg(NFULNL_MSG_CONFIG, 0, group, attrs, seq))
		data = self.sock.recv(65536)
		ln, typ = struct.unpack_from("=IH", data, 0)
		if typ == NLMSG_ERROR:
			(err,) = struct.unpack_from("=i", data, 16)
			if err != 0:
				raise NetnsError(f"nflog config for group {group}: {os.strerror(-err)}")

	def read(self):
		"""Every message waiting now (non-blocking)."""
		out = []
		while True:
			try:
				data = self.sock.recv(1 << 20, socket.MSG_DONTWAIT)
			except BlockingIOError:
				return out
			off = 0
			while off + 16 <= len(data):
				ln, typ = struct.unpack_from("=IH", data, off)
				if ln < 16:
					break
				if typ == (NFNL_SUBSYS_ULOG << 8) | NFULNL_MSG_PACKET:
					out.append(self.parse(data[off + 16 : off + ln]))
				off += (ln + 3) & ~3

	def parse(self, body):
		family, _v, res_id = struct.unpack_from("=BBH", body, 0)
		group = socket.ntohs(res_id)
		ev = {"group": self.groups.get(group, str(group)), "family": family, "mark": 0, "indev": 0, "outdev": 0, "payload": b""}
		off = 4
		while off + 4 <= len(body):
			ln, t = struct.unpack_from("=HH", body, off)
			if ln < 4:
				break
			val = body[off + 4 : off + ln]
			t &= 0x3FFF
			if t == 2:
				ev["mark"] = struct.unpack(">I", val[:4])[0]
			elif t == 4:
				ev["indev"] = struct.unpack(">I", val[:4])[0]
			elif t == 5:
				ev["outdev"] = struct.unpack(">I", val[:4])[0]
			elif t == 9:
				ev["payload"] = bytes(val)
			off += (ln + 3) & ~3
		return ev


# ------------------------------------------------------------------------------------------
# Crafting

TCP_OPTS = {2: ("MSS", 1460), 4: ("SAckOK", b""), 8: ("Timestamp", (1, 0)), 3: ("WScale", 7)}


def l4(p):
	proto = p["proto"]
	fam = p["fam"]
	if proto == 6:
		opts = [TCP_OPTS[k] for k in p.get("tcpOptions", []) if k in TCP_OPTS]
		return TCP(sport=p["sport"], dport=p["dport"], flags=p["tcpFlags"], seq=p.get("seq", 1000), ack=p.get("ack", 0), window=64240, options=opts)
	if proto == 17:
		return UDP(sport=p["sport"], dport=p["dport"])
	if proto == 1 and fam == 4:
		return ICMP(type=p["icmpType"], code=p["icmpCode"], id=p.get("icmpId", 1), seq=1)
	if proto == 58 and fam == 6:
		t = p["icmpType"]
		if t in (128, 129):
			# Echo: identifier and sequence as the first 4 bytes of the body (conntrack's id).
			return ICMPv6Unknown(type=t, code=p["icmpCode"], msgbody=struct.pack(">HH", p.get("icmpId", 1), 1))
		return ICMPv6Unknown(type=t, code=p["icmpCode"], msgbody=b"\0\0\0\0")
	if proto == 132:
		return SCTP(sport=p["sport"], dport=p["dport"], tag=0) / SCTPChunkInit(init_tag=1, a_rwnd=65535, n_out_streams=1, n_in_streams=1, init_tsn=1)
	if proto == 47:
		return GRE(proto=0x0800 if fam == 4 else 0x86DD)
	return Raw(b"")


def ones_sum(data):
	if len(data) % 2:
		data += b"\0"
	s = sum(struct.unpack(f">{len(data) // 2}H", data))
	while s >> 16:
		s = (s & 0xFFFF) + (s >> 16)
	return s


GENERIC_SKIP = (6, 17, 1, 58, 132, 47)


def fix_generic_checksum(pkt, p):
	"""For protocols without a header the driver builds, make the payload's one's-complement sum
	come out right: REJECT verifies it (nf_ip_checksum, nf_ip6_checksum) before answering, and
	with a payload that fails it the kernel drops silently instead of rejecting."""
	if p["proto"] in GENERIC_SKIP:
		return pkt
	ip = pkt[IP] if p["fam"] == 4 else pkt[IPv6]
	payload = bytearray(bytes(ip.payload))
	if len(payload) < 4:
		payload += b"\0" * (4 - len(payload))
	payload[0:2] = b"\0\0"
	if p["fam"] == 4:
		pseudo = socket.inet_aton(p["saddr"]) + socket.inet_aton(p["daddr"]) + struct.pack(">BBH", 0, p["proto"], len(payload))
	else:
		pseudo = socket.inet_pton(socket.AF_INET6, p["saddr"]) + socket.inet_pton(socket.AF_INET6, p["daddr"]) + struct.pack(">IxxxB", len(payload), p["proto"])
	# IPv4's nf_ip_checksum adds a pseudo-header only for TCP/UDP; IPv6's always does.
	s = ones_sum(bytes(payload) if p["fam"] == 4 else pseudo + bytes(payload))
	payload[0:2] = struct.pack(">H", (~s) & 0xFFFF)
	ip.remove_payload()
	if p["fam"] == 4:
		ip.len = None
	else:
		ip.plen = None
	return ip / Raw(bytes(payload))


def build_ip(p, marker):
	tos = ((p.get("dscp", 0) & 0x3F) << 2) | (p.get("ecn", 0) & 3)
	mb = b"ipt2nftK" + struct.pack(">I", marker)
	if p["fam"] == 4:
		pkt = IP(src=p["saddr"], dst=p["daddr"], ttl=p["ttl"], tos=tos, id=marker & 0xFFFF, flags=0, proto=p["proto"]) / l4(p)
	else:
		pkt = IPv6(src=p["saddr"], dst=p["daddr"], hlim=p["ttl"], tc=tos, fl=marker & 0xFFFFF, nh=p["proto"]) / l4(p)
	body = bytes(pkt)
	want = p.get("length", 0)
	pad = max(0, want - len(body))
	if pad > 0:
		payload = (mb * (pad // len(mb) + 1))[:pad]
		pkt = pkt / Raw(payload)
	return fix_generic_checksum(pkt, p)


# ------------------------------------------------------------------------------------------
# One side: host namespace + peer namespace


class Side:
	def __init__(self, cfg):
		self.name = cfg["name"]
		self.ports = {}  # model iface -> AF_PACKET socket in the peer namespace
		self.host_macs = cfg["hostMacs"]
		groups = {int(g): n for n, g in cfg["groups"].items()}
		with InNetns(cfg["peerNs"]):
			for iface, peer in cfg["ports"].items():
				s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
				s.bind((peer, 0))
				self.ports[iface] = s
		with InNetns(cfg["hostNs"]):
			self.nflog = Nflog(groups)
			self.ctnl = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, NETLINK_NETFILTER)
			self.ctnl.bind((0, 0))
			self.raw4 = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
			self.raw4.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
			self.raw6 = socket.socket(socket.AF_INET6, socket.SOCK_RAW, socket.IPPROTO_RAW)
			self.ifnames = {}
			for idx, name in socket.if_nameindex():
				self.ifnames[idx] = name

	def flush_conntrack(self):
		"""Every scenario starts without connections (the simulator runs each on its own)."""
		for fam in (socket.AF_INET, socket.AF_INET6):
			body = struct.pack("=BBH", fam, 0, 0)
			# IPCTNL_MSG_CT_DELETE without a tuple flushes the family's table.
			hdr = struct.pack("=IHHII", 16 + len(body), (NFNL_SUBSYS_CTNETLINK << 8) | 2, NLM_F_REQUEST | NLM_F_ACK, 1, 0)
			self.ctnl.send(hdr + body)
			data = self.ctnl.recv(65536)
			_ln, typ = struct.unpack_from("=IH", data, 0)
			if typ == NLMSG_ERROR:
				(err,) = struct.unpack_from("=i", data, 16)
				# ENOENT: the family has no table yet (no rule asked for conntrack).
				if err not in (0, -2):
					raise NetnsError(f"conntrack flush: {os.strerror(-err)}")

	def send(self, p, marker):
		"""Returns an error text when the kernel refused the send (e.g. EPERM from an output drop)."""
		pkt = build_ip(p, marker)
		try:
			if p.get("iif") is None:
				sock = self.raw4 if p["fam"] == 4 else self.raw6
				sock.setsockopt(socket.SOL_SOCKET, socket.SO_MARK, struct.pack("=I", p.get("mark", 0) & 0xFFFFFFFF))
				dst = (p["daddr"], 0) if p["fam"] == 4 else (p["daddr"], 0, 0, 0)
				sock.sendto(bytes(pkt), dst)
			else:
				iif = p["iif"]
				if p.get("l2dst") == "broadcast":
					dmac = "ff:ff:ff:ff:ff:ff"
				else:
					dmac = self.host_macs[iif]
				frame = Ether(src=p.get("srcMac") or "02:aa:00:00:00:01", dst=dmac, type=0x0800 if p["fam"] == 4 else 0x86DD) / pkt
				self.ports[iif].send(bytes(frame))
		except OSError as e:
			return os.strerror(e.errno) if e.errno else str(e)
		return None

	def collect(self, settle):
		"""Events until `settle` seconds pass without one."""
		events = []
		deadline = time.monotonic() + settle
		while True:
			left = deadline - time.monotonic()
			if left <= 0:
				break
			r, _, _ = select.select([self.nflog.sock], [], [], left)
			if r:
				got = self.nflog.read()
				if got:
					events.extend(got)
					deadline = time.monotonic() + settle
		return events


def parse_l3(ev):
	data = ev["payload"]
	if not data:
		return None
	v = data[0] >> 4
	try:
		return IP(data) if v == 4 else IPv6(data) if v == 6 else None
	except Exception:  # noqa: BLE001 - a packet scapy cannot parse is simply not ours
		return None


def marker_of(pkt):
	if pkt is None:
		return None
	if IP in pkt and pkt[IP].version == 4:
		return pkt[IP].id
	if IPv6 in pkt:
		return pkt[IPv6].fl
	return None


def l4_ports(pkt):
	for layer in (TCP, UDP, SCTP):
		if layer in pkt:
			x = pkt[layer]
			if isinstance(x.underlayer, (IPerror, IPerror6)):
				return None
			return x.sport, x.dport
	return 0, 0


def header(pkt):
	ip = pkt[IP] if pkt.version == 4 else pkt[IPv6]
	ports = l4_ports(pkt) or (0, 0)
	h = {
		"saddr": ip.src,
		"daddr": ip.dst,
		"sport": ports[0],
		"dport": ports[1],
		"ttl": ip.ttl if pkt.version == 4 else ip.hlim,
		"dscp": (ip.tos if pkt.version == 4 else ip.tc) >> 2,
	}
	if TCP in pkt:
		h["tcpFlags"] = int(pkt[TCP].flags)
		h["seq"] = pkt[TCP].seq
		h["ack"] = pkt[TCP].ack
	return h


def inner_marker(pkt):
	if IPerror in pkt:
		return pkt[IPerror].id
	if IPerror6 in pkt:
		return pkt[IPerror6].fl
	return None


def classify(side, events, p, marker):
	"""The kernel's fate for the packet with this marker, from the observer's events."""
	mark_mask = 0xFFFF if p["fam"] == 4 else 0xFFFFF
	mine = marker & mark_mask
	seen = {"delivered": None, "out": None, "reject": None, "expired": None}
	late = 0
	for ev in events:
		pkt = parse_l3(ev)
		if pkt is None:
			continue
		m = marker_of(pkt)
		g = ev["group"]
		if g == G_INPUT and m == mine:
			seen["delivered"] = (ev, pkt)
		elif g == G_POST and m == mine:
			if side.ifnames.get(ev["outdev"]) != "lo":
				seen["out"] = (ev, pkt)
		elif g == G_OUTPUT and m != mine:
			if pkt.version == 4 and ICMP in pkt:
				t, c = pkt[ICMP].type, pkt[ICMP].code
				im = inner_marker(pkt)
				if im == mine and t == 3:
					seen["reject"] = f"icmp:{t}/{c}"
				elif im == mine and t == 11:
					seen["expired"] = True
				elif im is not None and im != mine and t in (3, 11):
					late += 1
			elif pkt.version == 6 and pkt[IPv6].nh == 58:
				raw = bytes(pkt[IPv6].payload)
				t, c = raw[0], raw[1]
				if t in (1, 3, 4) and len(raw) >= 48:
					inner = IPv6(raw[8:])
					im = inner.fl
					if im == mine and t == 1:
						seen["reject"] = f"icmp:{t}/{c}"
					elif im == mine and t == 3:
						seen["expired"] = True
			elif TCP in pkt and int(pkt[TCP].flags) & 0x04 and p["proto"] == 6 and pkt[TCP].dport == p["sport"]:
				seen["reject"] = "tcp-reset"
	res = {"late": late}
	if seen["out"] and (p.get("iif") is None or not seen["delivered"]):
		# A locally generated broadcast leaves and is also looped back: it was sent.
		ev, pkt = seen["out"]
		res.update({"fate": "sent" if p.get("iif") is None else "forwarded", "oif": side.ifnames.get(ev["outdev"], str(ev["outdev"])), "mark": ev["mark"]}, **header(pkt))
	elif seen["delivered"]:
		ev, pkt = seen["delivered"]
		res.update({"fate": "delivered", "iif": side.ifnames.get(ev["indev"], str(ev["indev"])), "mark": ev["mark"]}, **header(pkt))
	elif seen["reject"]:
		res.update({"fate": "rejected", "with": seen["reject"]})
	elif seen["expired"]:
		res.update({"fate": "expired"})
	else:
		res.update({"fate": "silent"})
	return res


ECHO_REPLY = {(4, 8): 0, (4, 13): 14, (6, 128): 129}


def run_scenario(side, scn, settle, counter):
	side.flush_conntrack()
	out = []
	p = dict(scn["pkt"])

	def one(pkt, role):
		counter[0] += 1
		marker = counter[0]
		err = side.send(pkt, marker)
		events = side.collect(settle)
		res = classify(side, events, pkt, marker)
		res["role"] = role
		if err:
			res["sendError"] = err
		out.append(res)
		return res

	if scn["kind"] == "packet":
		one(p, "packet")
		return out
	p["seq"] = 1000
	p["icmpId"] = scn["id"] & 0xFFFF or 1
	first = one(p, "first")
	if first["fate"] not in ("delivered", "forwarded", "sent"):
		return out
	# The reply: from where the first packet went, to where it came from, as it left the host.
	r = {
		"fam": p["fam"],
		"proto": p["proto"],
		"saddr": first["daddr"],
		"daddr": first["saddr"],
		"sport": first["dport"],
		"dport": first["sport"],
		"tcpFlags": 0x12 if p["tcpFlags"] & 0x02 else 0x10,
		"tcpOptions": [],
		"seq": 5000,
		"ack": 1001,
		"icmpType": ECHO_REPLY.get((p["fam"], p["icmpType"]), p["icmpType"]),
		"icmpCode": p["icmpCode"],
		"icmpId": p["icmpId"],
		"length": p.get("length", 0),
		"ttl": 64,
		"dscp": first.get("dscp", 0),
		"ecn": p.get("ecn", 0),
		"mark": 0,
		"iif": None if first["fate"] == "delivered" else first["oif"],
		"srcMac": "02:aa:00:00:00:01",
	}
	one(r, "reply")
	f = dict(p)
	f["tcpFlags"] = 0x10
	f["tcpOptions"] = []
	f["seq"] = 1001
	f["ack"] = 5001
	one(f, "follow-up")
	return out


def main():
	# Die with the caller: a killed verify must not leave a driver sending into its namespaces.
	libc.prctl(1, 9)  # PR_SET_PDEATHSIG, SIGKILL
	req = json.load(sys.stdin)
	settle = float(req.get("settleMs", 5)) / 1000.0
	result = {"sides": {}, "late": 0}
	counter = [0]
	for cfg in req["sides"]:
		side = Side(cfg)
		# Drain what the namespaces said before the first packet (MLD, DAD...).
		side.collect(0.02)
		outs = []
		for scn in req["scenarios"]:
			obs = run_scenario(side, scn, settle, counter)
			for o in obs:
				result["late"] += o.pop("late", 0)
			outs.append({"id": scn["id"], "packets": obs})
		result["sides"][cfg["name"]] = outs
	json.dump(result, sys.stdout)


if __name__ == "__main__":
	try:
		main()
	except NetnsError as e:
		print(f"inject.py: {e}", file=sys.stderr)
		sys.exit(2)
