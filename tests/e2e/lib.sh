# Shared helpers for end-to-end tests. Each test is a bash script that
# sources this file, runs the real ./doorway, and exits 0 (pass), 77 (skip)
# or anything else (fail, with a reason on stderr).
set -euo pipefail
: "${DOORWAY:?set DOORWAY to the doorway binary}"
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TMP=$(mktemp -d /tmp/doorway-e2e.XXXXXX)
chmod 755 "$TMP"
trap 'rm -rf "$TMP"' EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

# expect_grep PATTERN FILE [what]: FILE must contain a line matching PATTERN (ERE)
expect_grep() {
	grep -Eq -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "${3:-expected /$1/ in $2}"; }
}
expect_no_grep() {
	! grep -Eq -- "$1" "$2" || { echo "--- $2:" >&2; cat "$2" >&2; fail "${3:-did not expect /$1/ in $2}"; }
}

# lab_file NAME <<EOF ... writes a scenario into $TMP/NAME
lab_file() { cat > "$TMP/$1"; }

# wait_for CMD...: retry for up to 5 s (50 x 0.1 s); the condition, not time, decides
wait_for() {
	for _ in $(seq 50); do "$@" && return 0; sleep 0.1; done
	return 1
}

# A throwaway unprivileged user for tests that must prove doorway runs without root.
nonroot_user() {
	[[ $(id -u) -eq 0 ]] || { id -un; return; }
	id doorway-test >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin doorway-test
	echo doorway-test
}
# as_nonroot CMD...: run CMD as that user (or as ourselves when not root)
as_nonroot() {
	if [[ $(id -u) -eq 0 ]]; then
		local u; u=$(nonroot_user)
		setpriv --reuid="$(id -u "$u")" --regid="$(id -g "$u")" --clear-groups -- "$@"
	else
		"$@"
	fi
}

# pcapng_gen ARGS...: tests/tools/pcapng-gen ($PCAPNG_GEN when make e2e
# built it, otherwise compiled here once)
pcapng_gen() {
	if [[ -z ${PCAPNG_GEN:-} ]]; then
		PCAPNG_GEN=$TMP/pcapng-gen
		${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -I"$ROOT/src" "$ROOT/src/util.c" "$ROOT/src/pcapfile.c" \
			"$ROOT/src/pcapng-write.c" "$ROOT/tests/tools/pcapng-gen.c" -o "$PCAPNG_GEN" ||
			fail "compile tests/tools/pcapng-gen.c"
	fi
	"$PCAPNG_GEN" "$@"
}
