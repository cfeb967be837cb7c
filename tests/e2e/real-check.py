#!/usr/bin/env python3
# real-check.py KIND FILE: checks doorway --json output of a lesson with
# real programs (tests/e2e/t-real-*). Every door must be in the right house
# with the right address, every call must have its exact arguments and
# result, the order must be the gated one, and the messages mapped.
import json, sys

kind, path = sys.argv[1], sys.argv[2]
lines = [json.loads(l) for l in open(path) if l.startswith("{")]
doors = {l["door"]: l for l in lines if l["event"] == "door"}
events = [l for l in lines if l["event"] not in ("door", "message")]
msgs = [l for l in lines if l["event"] == "message"]
calls = [e for e in events if e["event"] == "call" and "syscall" in e]

def where(proc, text, start=0):
    for i, e in enumerate(events):
        if i >= start and e["event"] == "call" and e["process"] == proc and e.get("text") == text:
            return i
    raise AssertionError("no call %s %s in %s" % (proc, text, [(e["process"], e.get("text")) for e in calls]))

def one(pred, what):
    found = [d for d in doors.values() if pred(d)]
    assert len(found) == 1, (what, found, list(doors.values()))
    return found[0]

def check_pair(proto, server_host, client_host, saddr, caddr, dest):
    """the textbook client/server pair: dest is where the client sends"""
    # every door belongs to a process of the lesson (no house without one)
    for d in doors.values():
        assert d.get("process") in ("server", "client"), ("door without its process", d)
    srv = one(lambda d: d["process"] == "server" and d["proto"] == proto and d["parent"] == -1, "server door")
    cli = one(lambda d: d["process"] == "client", "client door")
    assert srv["host"] == server_host and cli["host"] == client_host, (srv, cli)
    assert srv["local"].endswith(":12000"), srv
    # an unbound UDP door on one host keeps its wildcard address (its
    # packets never leave the host's loopback to show another)
    ok = (caddr, "0.0.0.0") if proto == "udp" and caddr == "127.0.0.1" else (caddr,)
    assert cli["local"].rsplit(":", 1)[0] in ok, cli
    if proto == "tcp":
        assert srv["listening"], srv
        conn = one(lambda d: d["process"] == "server" and d["parent"] == srv["door"], "connection door")
        assert conn["host"] == server_host and conn["local"] == saddr + ":12000", conn
        assert conn["remote"] == cli["local"] and cli["remote"] == dest + ":12000", (conn, cli)
        # gated: the server listens before the client connects
        i_listen = where("server", "listen(1)")
        i_conn = where("client", "connect(%s:12000)" % dest)
        assert i_listen < i_conn, "server listened after the client connected"
        c = events[i_conn]
        assert c["result"] == 0 and c["local"] == cli["local"] and c["door"] == cli["door"], c
        i_send = where("client", 'send("hello from alice")')
        assert events[i_send]["result"] == 16 and events[i_send]["syscall"] == "sendto"
        rx = [e for e in calls if e["process"] == "server" and e["call"] == "recv" and "result" in e]
        assert len(rx) == 1 and rx[0]["result"] == 16 and rx[0]["data"] == "hello from alice", rx
        assert rx[0]["door"] == conn["door"], rx
        crx = [e for e in calls if e["process"] == "client" and e["call"] == "recv" and "result" in e]
        assert crx[0]["result"] == 16 and crx[0]["data"] == "HELLO FROM ALICE", crx
        acc = [e for e in calls if e["call"] == "accept" and "result" in e][0]
        assert acc["new_fd"] == acc["result"] >= 600 and acc["remote"] == cli["local"], acc
        pairs = {(m["from"], m["to"]) for m in msgs}
        assert pairs == {(cli["door"], conn["door"]), (conn["door"], cli["door"])}, msgs
    else:
        i_bind = where("server", "bind(0.0.0.0:12000)")
        i_send = where("client", 'sendto(%s:12000, "hello from alice")' % dest)
        assert i_bind < i_send, "server bound after the client sent"
        assert events[i_send]["result"] == 16
        rx = [e for e in calls if e["process"] == "server" and e["call"] == "recvfrom" and "result" in e]
        port = cli["local"].rsplit(":", 1)[1]
        assert len(rx) == 1 and rx[0]["result"] == 16 and rx[0]["remote"] == caddr + ":" + port, rx
        assert rx[0]["door"] == srv["door"]
        pairs = {(m["from"], m["to"]) for m in msgs}
        assert pairs == {(cli["door"], srv["door"]), (srv["door"], cli["door"])}, msgs
    for m in msgs:
        assert m["bytes"] == 16 and m["recvs"] == 1 and m["packets"] >= 1, m
    ex = [e for e in events if e["event"] == "exit" and e["process"] == "client"]
    assert ex and ex[0]["status"] == 0, ex

def check_servers(forking):
    """one TCP server, clients c1 on alice and c2 on carol"""
    srv = one(lambda d: d["process"] == "server" and d["listening"], "welcoming door")
    assert srv["host"] == "bob" and srv["local"] == "0.0.0.0:12000", srv
    conns = [d for d in doors.values() if d["process"] == "server" and d["parent"] == srv["door"]]
    assert len(conns) == 2, conns
    for name, host, addr in (("c1", "alice", "192.0.2.1"), ("c2", "carol", "192.0.2.3")):
        cli = one(lambda d: d["process"] == name, name + " door")
        assert cli["host"] == host and cli["local"].startswith(addr + ":"), cli
        conn = [c for c in conns if c["remote"] == cli["local"]]
        assert len(conn) == 1 and conn[0]["host"] == "bob" and conn[0]["local"] == "192.0.2.2:12000", (conn, cli)
        sent = "from " + host
        rx = [e for e in calls if e["process"] == "server" and e["call"] == "recv" and e.get("data") == sent]
        assert len(rx) == 1 and rx[0]["door"] == conn[0]["door"] and rx[0]["result"] == len(sent), rx
        crx = [e for e in calls if e["process"] == name and e["call"] == "recv" and "result" in e]
        assert crx and crx[0]["data"] == sent.upper(), crx
        pairs = {(m["from"], m["to"]) for m in msgs}
        assert (cli["door"], conn[0]["door"]) in pairs and (conn[0]["door"], cli["door"]) in pairs, msgs
    assert len(msgs) == 4 and all(m["recvs"] == 1 for m in msgs), msgs
    spawn = [e for e in events if e["event"] == "spawn" and e["process"] == "server"][0]
    served = {e["pid"] for e in calls if e["process"] == "server" and e["call"] in ("recv", "send")}
    if forking:
        # each client served by a child process of its own, in the server's house
        assert len(served) == 2 and spawn["pid"] not in served, (served, spawn)
        shared = [e for e in calls if e["call"] == "close" and "another process" in json.dumps(e)]
        closes = [e for e in calls if e["process"] == "server" and e["call"] == "close"]
        # the parent's and the child's copies: the door closes only at the last
        assert len(closes) >= 4, closes
        for c in conns:
            last = [e for e in closes if e["door"] == c["door"]]
            assert last, c
    else:
        assert served == {spawn["pid"]}, (served, spawn)
    for name in ("c1", "c2"):
        ex = [e for e in events if e["event"] == "exit" and e["process"] == name]
        assert ex and ex[0]["status"] == 0, ex

def check_c():
    """c-tcp: one 52-byte write taken by four 16-byte reads"""
    cli = one(lambda d: d["process"] == "client", "client door")
    srv = one(lambda d: d["process"] == "server" and d["listening"], "welcoming door")
    conn = one(lambda d: d["process"] == "server" and d["parent"] == srv["door"], "connection door")
    assert conn["remote"] == cli["local"] and cli["remote"] == "192.0.2.2:12001", (conn, cli)
    w = [e for e in calls if e["process"] == "client" and e["syscall"] == "write"]
    assert len(w) == 1 and w[0]["result"] == 16 and w[0]["data"] == "hello from alice", w
    r = [e for e in calls if e["process"] == "server" and e["syscall"] == "read" and "result" in e]
    assert len(r) == 1 and r[0]["result"] == 16 and r[0]["text"] == "read(255)", r
    sw = [e for e in calls if e["process"] == "server" and e["syscall"] == "write"]
    assert len(sw) == 1 and sw[0]["result"] == 52, sw
    reads = [e for e in calls if e["process"] == "client" and e["syscall"] == "read" and "result" in e]
    assert [e["result"] for e in reads] == [16, 16, 16, 4, 0], [e["result"] for e in reads]
    assert all(e["text"] == "read(16)" for e in reads), reads
    assert "".join(e.get("data", "") for e in reads) == sw[0]["data"], reads
    m = [m for m in msgs if m["from"] == conn["door"]]
    assert len(m) == 1 and m[0]["bytes"] == 52 and m[0]["recvs"] == 4, m
    assert events[m[0]["first_recv"]] == reads[0] and events[m[0]["last_recv"]] == reads[3]

def check_early():
    """a client declared (and started) before its server: refused, then connected"""
    conns = [e for e in calls if e["process"] == "client" and e["call"] == "connect" and "result" in e]
    assert conns and conns[-1]["result"] == 0, conns
    assert len(conns) >= 2 and all(c["errno"] == "ECONNREFUSED" for c in conns[:-1]), conns
    srv = one(lambda d: d["process"] == "server" and d["listening"], "welcoming door")
    conn = one(lambda d: d["process"] == "server" and d["parent"] == srv["door"], "connection door")
    good = doors[conns[-1]["door"]]
    assert conn["remote"] == good["local"] and good["remote"] == "192.0.2.2:12000", (conn, good)
    # the refused tries are doors of the client's house, not the server's
    for c in conns[:-1]:
        assert doors[c["door"]]["process"] == "client" and doors[c["door"]]["host"] == "alice"
    # the data goes to the connection door, never the welcoming door
    for m in msgs:
        assert srv["door"] not in (m["from"], m["to"]), m
    pairs = {(m["from"], m["to"]) for m in msgs}
    assert pairs == {(good["door"], conn["door"]), (conn["door"], good["door"])}, msgs
    i_listen = [i for i, e in enumerate(events) if e.get("call") == "listen" and "result" in e][0]
    assert events.index(conns[-1]) > i_listen

if kind == "udp2":
    check_pair("udp", "bob", "alice", "192.0.2.2", "192.0.2.1", "192.0.2.2")
elif kind == "tcp2":
    check_pair("tcp", "bob", "alice", "192.0.2.2", "192.0.2.1", "192.0.2.2")
elif kind == "udp1":
    check_pair("udp", "bob", "bob", "127.0.0.1", "127.0.0.1", "127.0.0.1")
elif kind == "tcp1":
    check_pair("tcp", "bob", "bob", "127.0.0.1", "127.0.0.1", "127.0.0.1")
elif kind == "threaded":
    check_servers(False)
elif kind == "forking":
    check_servers(True)
elif kind == "c":
    check_c()
elif kind == "early":
    check_early()
else:
    sys.exit("real-check: unknown kind " + kind)
