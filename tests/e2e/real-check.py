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

if kind == "udp2":
    check_pair("udp", "bob", "alice", "192.0.2.2", "192.0.2.1", "192.0.2.2")
elif kind == "tcp2":
    check_pair("tcp", "bob", "alice", "192.0.2.2", "192.0.2.1", "192.0.2.2")
elif kind == "udp1":
    check_pair("udp", "bob", "bob", "127.0.0.1", "127.0.0.1", "127.0.0.1")
elif kind == "tcp1":
    check_pair("tcp", "bob", "bob", "127.0.0.1", "127.0.0.1", "127.0.0.1")
else:
    sys.exit("real-check: unknown kind " + kind)
