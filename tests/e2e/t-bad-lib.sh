# Helpers for the t-bad-* and t-fault-* tests. Sourced, not a test itself
# (run-all runs only executable t-* files).
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Every lab process gets this marker in its environment (DOORWAY_PASS_ENV
# names the variables of doorway's own that lab programs get; none by
# default), so a marker there finds whatever a run left behind, even with
# other doorways running on the machine.
TAG="doorway-e2e-$$-$RANDOM"
STATE=$TMP/state   # where run folders go unless --record/--no-record

# dw ARGS...: run doorway with the marker and a private XDG_STATE_HOME
dw() { env DOORWAY_E2E_TAG="$TAG" DOORWAY_PASS_ENV=DOORWAY_E2E_TAG XDG_STATE_HOME="$STATE" "$DOORWAY" "$@"; }
# dw_bg ARGS... [>OUT]: the same in the background; DW_PID is doorway's own
# pid (env execs it), for kill and wait
dw_bg() { env DOORWAY_E2E_TAG="$TAG" DOORWAY_PASS_ENV=DOORWAY_E2E_TAG XDG_STATE_HOME="$STATE" "$DOORWAY" "$@" & DW_PID=$!; }

# tagged_pids: processes started by dw (doorway, its init, agents, programs)
tagged_pids() {
	local f
	for f in /proc/[0-9]*/environ; do
		grep -qsz "^DOORWAY_E2E_TAG=$TAG\$" "$f" && { f=${f#/proc/}; echo "${f%/environ}"; }
	done
	return 0
}
no_tagged() { [[ -z "$(tagged_pids)" ]]; }
# no_leftovers WHAT: wait (bounded) until nothing dw started is alive
no_leftovers() {
	wait_for no_tagged && return 0
	local p
	for p in $(tagged_pids); do echo "left: $p $(tr '\0' ' ' </proc/$p/cmdline 2>/dev/null)" >&2; done
	fail "$1: processes left behind"
}
# no_run_folder WHAT: no run folder was created under $STATE
no_run_folder() {
	[[ -z "$(find "$STATE" -mindepth 3 2>/dev/null)" ]] || { find "$STATE" >&2; fail "$1: a run folder was written"; }
}
# run_rc VAR CMD...: run CMD, store its exit status in VAR (set -e safe)
run_rc() { local __v=$1; shift; local __rc=0; "$@" || __rc=$?; printf -v "$__v" %s "$__rc"; }
# json_pid FILE PROCESS: the pid of PROCESS from the spawn event of a --calls --json run
json_pid() {
	python3 -c 'import json,sys
for l in open(sys.argv[1]):
    if l.startswith("{"):
        e = json.loads(l)
        if e.get("event") == "spawn" and e.get("process") == sys.argv[2]:
            print(e["pid"]); break' "$1" "$2"
}
