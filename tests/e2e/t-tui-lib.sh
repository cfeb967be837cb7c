# Helpers for the TUI's end-to-end tests (t-tui-*): the real ./doorway in a
# tmux terminal, driven with send-keys and read with capture-pane. Sourced,
# not a test itself (run-all runs only executable t-* files). Every wait is
# on a screen condition, bounded; never a bare sleep.
source "$(dirname "${BASH_SOURCE[0]}")/t-bad-lib.sh"
command -v tmux >/dev/null || skip "tmux is not installed"
# UTF-8 glyphs need a UTF-8 locale; without one the TUI draws ASCII
TUI_LANG=C.UTF-8
locale -a 2>/dev/null | grep -qix 'c\.utf-\?8' || TUI_LANG=C
tsock=$TMP/tmux.sock
tm() { tmux -S "$tsock" -f /dev/null "$@"; }
trap 'tm kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

# start NAME COLS ROWS CMD: a fresh terminal running CMD (env and all)
# between two stty snapshots; exit status to $TMP/NAME.rc, pid to NAME.pid
start() {
	local name=$1 cols=$2 rows=$3 cmd=$4
	rm -f "$TMP/$name".{rc,pid,before,after}
	tm new-session -d -s "$name" -x "$cols" -y "$rows" "bash --norc --noprofile"
	tm set-option -t "$name" window-size manual >/dev/null
	tm send-keys -t "$name" "cd '$TMP'; stty -g >$name.before; sh -c 'echo \$\$ >$name.pid; exec env LANG=$TUI_LANG LC_ALL=$TUI_LANG DOORWAY_E2E_TAG=$TAG DOORWAY_PASS_ENV=DOORWAY_E2E_TAG XDG_STATE_HOME=$STATE $cmd'; echo \$? >$name.rc; stty -g >$name.after" Enter
}
screen() { tm capture-pane -p -t "$1"; }
flags() { tm display-message -p -t "$1" '#{alternate_on} #{cursor_flag} #{mouse_any_flag}'; }
ended() { [[ -s "$TMP/$1.rc" && -s "$TMP/$1.after" ]]; }
tui_up() { [[ $(flags "$1") == 1* ]]; }
keys() { local n=$1; shift; tm send-keys -t "$n" "$@"; }

# wait_screen NAME ERE [WHAT]: up to 10 s for the screen to match
wait_screen() {
	local i
	for i in $(seq 100); do
		screen "$1" | grep -Eq -- "$2" && return 0
		sleep 0.1
	done
	echo "--- screen of $1:" >&2; screen "$1" >&2
	fail "${3:-$1: the screen never showed /$2/}"
}
# wait_gone NAME ERE [WHAT]: up to 10 s for the screen to stop matching
wait_gone() {
	local i
	for i in $(seq 100); do
		screen "$1" | grep -Eq -- "$2" || return 0
		sleep 0.1
	done
	echo "--- screen of $1:" >&2; screen "$1" >&2
	fail "${3:-$1: the screen still shows /$2/}"
}
# step_no NAME: the step number in the title line ("step 12 of 40")
step_no() { screen "$1" | sed -n '1s/.*step \([0-9]*\) of.*/\1/p'; }
# step NAME: Space, then wait until the step number changed
step() {
	local before; before=$(step_no "$1")
	keys "$1" Space
	local i
	for i in $(seq 100); do
		[[ "$(step_no "$1")" != "$before" ]] && return 0
		sleep 0.1
	done
	screen "$1" >&2
	fail "$1: Space did not move on from step $before"
}
# step_until NAME ERE MAX: step until the screen matches (at most MAX steps)
step_until() {
	local k
	for k in $(seq "$3"); do
		screen "$1" | grep -Eq -- "$2" && return 0
		step "$1"
	done
	screen "$1" | grep -Eq -- "$2" && return 0
	screen "$1" >&2
	fail "$1: /$2/ not seen within $3 steps"
}
# restored NAME: the terminal is as before (no alternate screen, cursor shown, mouse off, same stty)
restored() {
	local f; f=$(flags "$1")
	[[ $f == "0 1 0" ]] || { screen "$1" >&2; fail "$1: terminal left with alternate/cursor/mouse flags '$f' (want '0 1 0')"; }
	cmp -s "$TMP/$1.before" "$TMP/$1.after" || fail "$1: stty modes changed: $(cat "$TMP/$1.before") -> $(cat "$TMP/$1.after")"
}
# no_init NAME: no doorway-init is left of that doorway
no_init_left() { ! pgrep -x doorway-init -P "$(cat "$TMP/$1.pid")" >/dev/null 2>&1; }
# quit NAME: q (and y when it asks), then wait for the end, exit 0, terminal restored, nothing left
quit() {
	keys "$1" q
	local i
	for i in $(seq 30); do
		ended "$1" && break
		screen "$1" | grep -q "Quit and stop its lab" && { keys "$1" y; break; }
		sleep 0.1
	done
	wait_for ended "$1" || { screen "$1" >&2; fail "$1: q did not quit"; }
	[[ $(cat "$TMP/$1.rc") -eq 0 ]] || fail "$1: exit $(cat "$TMP/$1.rc") after q"
	restored "$1"
	no_leftovers "$1"
}
