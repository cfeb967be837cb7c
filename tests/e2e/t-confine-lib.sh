# Helpers for the confinement tests (t-confine-*): each runs a lab whose
# program tries an attack on the machine and prints "ESCAPED what" when it
# got through, "BLOCKED what ..." when a wall held; the test fails on any
# ESCAPED line and checks the machine itself. Every lab also carries a
# normal exchange (UDP echo) that must still pass. Sourced, not a test.
source "$(dirname "${BASH_SOURCE[0]}")/t-bad-lib.sh"
LABS=$ROOT/tests/e2e/labs
chmod 755 "$TMP"
mkdir -p "$STATE"; chmod 1777 "$STATE"

# confine_lab NAME: tests/e2e/labs/NAME.lab copied where any user reads it
confine_lab() { cp "$LABS/$1.lab" "$TMP/$1.lab"; chmod 644 "$TMP/$1.lab"; echo "$TMP/$1.lab"; }

# whos: the users to run as: root and an unprivileged user (only the
# latter when the tests are not run by root)
whos() { if [[ $(id -u) -eq 0 ]]; then echo root user; else echo user; fi; }

# as_cmd WHO: the command prefix that runs doorway as WHO (for tmux), with
# the marker, the names in CONFINE_PASS passed on to lab programs, and a
# state folder of WHO's own ($STATE/WHO)
as_cmd() {
	local who=$1 u
	mkdir -p "$STATE/$who"; chmod 777 "$STATE/$who"
	local e="env DOORWAY_E2E_TAG=$TAG DOORWAY_PASS_ENV='DOORWAY_E2E_TAG${CONFINE_PASS:+ $CONFINE_PASS}' XDG_STATE_HOME=$STATE/$who"
	if [[ $who == user && $(id -u) -eq 0 ]]; then
		u=$(nonroot_user)
		echo "setpriv --reuid=$(id -u "$u") --regid=$(id -g "$u") --clear-groups -- $e"
	else
		echo "$e"
	fi
}
# dw_as WHO ARGS...: doorway as WHO, in $TMP
dw_as() {
	local who=$1; shift
	(cd "$TMP" && eval "$(as_cmd "$who")" '"$DOORWAY" "$@"')
}

# confine_check OUT WHAT: no attack got through; the normal exchange passed
confine_check() {
	expect_no_grep '\| ESCAPED' "$1" "$2: an attack got through"
	expect_grep '\| BLOCKED' "$1" "$2: the attack did not run"
	expect_grep 'client +c +recvfrom\(65536\) = 5 "HELLO"' "$1" "$2: the normal exchange did not pass"
}
