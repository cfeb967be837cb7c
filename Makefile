# doorway — hand-written Makefile. Quiet unless V=1.
#   make            build $(B)/doorway (B=build by default; ./doorway is a
#                   symlink to build/doorway, made only for the default B)
#   make test       every test: cmocka unit tests, then end-to-end tests
#   make run        install what is missing (asks apt via sudo), build, open the default lesson
#   make bench      benchmarks (ratios against baselines measured in the same run)
#   make asan       ASan+UBSan build in build-asan/ (build-asan/doorway)
#   make WERROR=-Werror   warnings as errors (make test and CI do this)
#   make install    PREFIX=/usr/local DESTDIR=

VERSION    := 0.1.0
PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(PREFIX)/share/man
PKG_CONFIG ?= pkg-config
CC         ?= cc
CFLAGS     ?= -O2 -g
LDFLAGS    ?=
B          ?= build

# Required flags live apart from CFLAGS so "make CFLAGS=..." cannot drop them.
# Warnings are errors only when asked (make test, CI): a release built with
# a newer compiler warns rather than fails.
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
WERROR  ?=
PCAP_CFLAGS := $(shell $(PKG_CONFIG) --cflags libpcap 2>/dev/null || pcap-config --cflags 2>/dev/null)
PCAP_LIBS   := $(shell $(PKG_CONFIG) --libs libpcap 2>/dev/null || pcap-config --libs 2>/dev/null || echo -lpcap)
MNL_CFLAGS  := $(shell $(PKG_CONFIG) --cflags libmnl 2>/dev/null)
MNL_LIBS    := $(shell $(PKG_CONFIG) --libs libmnl 2>/dev/null || echo -lmnl)
CURSES_CFLAGS := $(shell $(PKG_CONFIG) --cflags ncursesw 2>/dev/null)
CURSES_LIBS   := $(shell $(PKG_CONFIG) --libs ncursesw 2>/dev/null || echo -lncursesw -ltinfo)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

DW_CFLAGS := -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) -MMD -MP -Isrc -Iui \
	-DDOORWAY_VERSION='"$(VERSION)"' -DDOORWAY_DATADIR='"$(DATADIR)/doorway"' \
	$(PCAP_CFLAGS) $(MNL_CFLAGS)
CORE_LIBS := $(PCAP_LIBS) $(MNL_LIBS) -lm

ifeq ($(V),1)
Q :=
else
Q := @
endif

CORE_SRC := $(sort $(wildcard src/*.c))
UI_SRC   := $(sort $(wildcard ui/*.c))
TEST_SRC := $(sort $(wildcard tests/test-*.c))
BENCH_SRC := $(sort $(wildcard bench/bench-*.c))
CORE_OBJ := $(CORE_SRC:%.c=$(B)/%.o)
UI_OBJ   := $(UI_SRC:%.c=$(B)/%.o)
TESTS    := $(TEST_SRC:tests/%.c=$(B)/tests/%)
BENCHES  := $(BENCH_SRC:bench/%.c=$(B)/bench/%)

.PHONY: all programs test unit e2e lessons-check bench asan run install uninstall clean

# Every binary is inside $(B). For the default B, ./doorway is a symlink to
# build/doorway (a convenience: "make B=build-clang" leaves it alone).
all: $(B)/doorway
ifeq ($(B),build)
all: doorway
doorway: $(B)/doorway FORCE
	@[ "$$(readlink doorway)" = $(B)/doorway ] || ln -sfn $(B)/doorway doorway
endif

# The lessons' C programs (c-tcp.lab runs them): built in $(B)/programs; for
# the default B, scenarios/programs/NAME is a symlink to it, so a lesson
# names them beside itself (exec programs/tcpserver).
PROGRAMS := $(patsubst scenarios/programs/%.c,%,$(wildcard scenarios/programs/*.c))
all: programs
programs: $(PROGRAMS:%=$(B)/programs/%)
$(B)/programs/%: scenarios/programs/%.c $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC    $@')
	$(Q)$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(WARN) $(WERROR) $(LDFLAGS) -o $@ $<
ifeq ($(B),build)
programs: $(PROGRAMS:%=scenarios/programs/%)
scenarios/programs/%: $(B)/programs/% FORCE
	@[ "$$(readlink $@)" = ../../$(B)/programs/$* ] || ln -sfn ../../$(B)/programs/$* $@
endif

# Rebuild everything when the compiler or flags change.
$(B)/.flags: FORCE
	@mkdir -p $(B)
	@echo '$(CC) $(CFLAGS) $(DW_CFLAGS) $(LDFLAGS)' | cmp -s - $@ || echo '$(CC) $(CFLAGS) $(DW_CFLAGS) $(LDFLAGS)' > $@
FORCE:

$(B)/%.o: %.c $(B)/.flags
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  CC    $<')
	$(Q)$(CC) $(CFLAGS) $(DW_CFLAGS) $(if $(filter ui/%,$<),$(CURSES_CFLAGS)) $(if $(filter tests/%,$<),$(CMOCKA_CFLAGS)) -c $< -o $@

# The core is a library without curses: a curses call in src/ fails to link in tests.
$(B)/libdoorway.a: $(CORE_OBJ)
	@$(if $(Q),echo '  AR    $@')
	$(Q)rm -f $@ && ar rcs $@ $^

UI_LIB_OBJ := $(filter-out $(B)/ui/main.o,$(UI_OBJ))

$(B)/doorway: $(UI_OBJ) $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(UI_OBJ) $(B)/libdoorway.a $(CORE_LIBS) $(CURSES_LIBS)

# Unit tests: one cmocka binary per module. tests/test-ui-*.c may use ui/.
# tests/unit-args.c in each: --help, and no unknown argument.
$(B)/tests/test-ui-%: $(B)/tests/test-ui-%.o $(B)/tests/unit-args.o $(UI_LIB_OBJ) $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CORE_LIBS) $(CURSES_LIBS)

# A test that needs more libraries than the core's: TEST_LIBS_<name> := ...
$(B)/tests/test-%: $(B)/tests/test-%.o $(B)/tests/unit-args.o $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/tests/unit-args.o $(B)/libdoorway.a $(CMOCKA_LIBS) $(TEST_LIBS_$*) $(CORE_LIBS)

# Helper programs for the end-to-end tests (tests/tools/*.c).
TOOLS := $(patsubst tests/tools/%.c,$(B)/tests/%,$(wildcard tests/tools/*.c))
# their objects are kept, so a second make links nothing again
.SECONDARY: $(TEST_SRC:%.c=$(B)/%.o) $(B)/tests/unit-args.o $(BENCH_SRC:%.c=$(B)/%.o) $(patsubst %.c,$(B)/%.o,$(wildcard tests/tools/*.c))
$(B)/tests/%: $(B)/tests/tools/%.o $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libdoorway.a $(CORE_LIBS)

$(B)/bench/%: $(B)/bench/%.o $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libdoorway.a $(CORE_LIBS)

unit: $(TESTS)
	@fail=0; for t in $(TESTS); do \
		echo "== $$t"; (cd tests && ../$$t) || fail=1; \
	done; exit $$fail

# t-programs-help runs every program built here with --help and --bogus
e2e: $(B)/doorway $(TOOLS) $(TESTS) $(BENCHES) $(BENCH_TOOLS)
	@DOORWAY=$(CURDIR)/$(B)/doorway UI_SCENE_TEST=$(CURDIR)/$(B)/tests/test-ui-scene DECODE_DUMP=$(CURDIR)/$(B)/tests/decode-dump PCAPNG_GEN=$(CURDIR)/$(B)/tests/pcapng-gen tests/e2e/run-all

lessons-check: $(B)/doorway
	@DOORWAY=$(CURDIR)/$(B)/doorway tests/e2e/lessons-check

# Installs what the tests need when missing (tools/setup says what, uses sudo
# only when not root), then runs everything in order, warnings as errors.
test:
	@tools/setup --test
	@$(MAKE) --no-print-directory WERROR=-Werror all $(TESTS) $(TOOLS)
	@$(MAKE) --no-print-directory WERROR=-Werror unit e2e lessons-check
	@$(MAKE) --no-print-directory WERROR=-Werror check-asan
	@$(MAKE) --no-print-directory WERROR=-Werror fuzz-short

# lab programs of the benchmarks (udpflood, fileread)
BENCH_TOOLS := $(patsubst bench/tools/%.c,$(B)/bench/%,$(wildcard bench/tools/*.c))
$(B)/bench/%: bench/tools/%.c tests/prog.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(CFLAGS) -std=c11 -D_GNU_SOURCE $(WARN) -o $@ $<

bench: $(B)/doorway $(BENCHES) $(BENCH_TOOLS) $(B)/tests/test-ui-render
	@DOORWAY=$(CURDIR)/$(B)/doorway B=$(B) bench/run-all

# build-asan/doorway, its unit tests and the e2e helpers (./doorway is left alone)
asan:
	@$(MAKE) --no-print-directory B=build-asan $(ASAN_FLAGS) all \
		$(addprefix build-asan/tests/,$(notdir $(TESTS))) $(TOOLS:$(B)/%=build-asan/%)

run:
	@tools/setup
	@$(MAKE) --no-print-directory all
	$(B)/doorway scenarios/udp-hello.lab

install: $(B)/doorway programs
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/doorway/scenarios
	install -m 755 $(B)/doorway $(DESTDIR)$(BINDIR)/doorway
	install -m 644 scenarios/*.lab scenarios/course $(DESTDIR)$(DATADIR)/doorway/scenarios/
	install -d $(DESTDIR)$(DATADIR)/doorway/scenarios/programs
	install -m 644 scenarios/programs/*.py scenarios/programs/*.c $(DESTDIR)$(DATADIR)/doorway/scenarios/programs/
	install -m 755 $(PROGRAMS:%=$(B)/programs/%) $(DESTDIR)$(DATADIR)/doorway/scenarios/programs/
	if [ -f doorway.1 ]; then install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 doorway.1 $(DESTDIR)$(MANDIR)/man1/doorway.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/doorway $(DESTDIR)$(MANDIR)/man1/doorway.1
	rm -rf $(DESTDIR)$(DATADIR)/doorway

clean:
	rm -rf $(B) build build-asan doorway $(PROGRAMS:%=scenarios/programs/%)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# ---- hardening (fuzz, sanitizers) ----
#   make fuzz [FUZZ_SECONDS=600] [FUZZ="scenario decode"]
#                   libFuzzer (clang), each harness in turn for FUZZ_SECONDS;
#                   crashes land in build-fuzz/crashes/<harness>/
#   make fuzz-short the same for 60 s each (CI)
#   make check-asan unit and end-to-end tests on an ASan+UBSan build
#                   (build-asan/doorway; ./doorway is left alone)
# Harnesses: tests/fuzz/fuzz-<name>.c; seeds: tests/fuzz/mkseeds (from the
# lessons and capture fixtures) plus tests/fuzz/corpus/<name>/; inputs that
# once crashed: tests/fuzz/regress/<name>/, replayed by tests/test-regress.c.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 600
FUZZ_B       := build-fuzz
FUZZ         ?= $(patsubst tests/fuzz/fuzz-%.c,%,$(wildcard tests/fuzz/fuzz-*.c))
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS  := -O1 -g $(FUZZ_SAN) -std=c11 -D_GNU_SOURCE $(WARN) -MMD -MP -Isrc -Itests/fuzz \
	-DDOORWAY_VERSION='"$(VERSION)"' -DDOORWAY_DATADIR='"$(DATADIR)/doorway"' $(PCAP_CFLAGS) $(MNL_CFLAGS)
FUZZ_OBJ     := $(CORE_SRC:%.c=$(FUZZ_B)/%.o) $(FUZZ_B)/tests/fuzz/common.o
# libFuzzer options per harness: the longest input worth trying
FUZZ_OPTS_scenario := -max_len=16384 -dict=tests/fuzz/scenario.dict
FUZZ_OPTS_decode   := -max_len=4096
FUZZ_OPTS_pcapfile := -max_len=65536
FUZZ_OPTS_trace    := -max_len=65536
FUZZ_OPTS_record   := -max_len=131072 -dict=tests/fuzz/record.dict
FUZZ_OPTS_json     := -max_len=4096
ASAN_FLAGS := CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
	LDFLAGS='-fsanitize=address,undefined'

.PHONY: fuzz fuzz-one fuzz-short fuzz-build fuzz-clean check-asan

$(FUZZ_B)/%.o: %.c
	@mkdir -p $(dir $@)
	@$(if $(Q),echo '  FUZZCC $<')
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_B)/fuzz-%: $(FUZZ_B)/tests/fuzz/fuzz-%.o $(FUZZ_OBJ)
	@$(if $(Q),echo '  FUZZLD $@')
	$(Q)$(FUZZ_CC) $(FUZZ_SAN) -fsanitize=fuzzer -o $@ $^ $(CORE_LIBS)

.PRECIOUS: $(FUZZ_B)/%.o
fuzz-build: $(FUZZ:%=$(FUZZ_B)/fuzz-%)

# One harness at a time (the machine is shared). Prints the executions each
# harness reached; fails when any found a crash, a leak or a broken invariant.
fuzz: fuzz-build
	@rm -rf $(FUZZ_B)/seeds && tests/fuzz/mkseeds $(FUZZ_B)/seeds
	@fail=0; for h in $(FUZZ); do \
		$(MAKE) --no-print-directory fuzz-one FUZZ_H=$$h || fail=1; \
	done; exit $$fail

# fuzz-one FUZZ_H=name: replay the saved crash inputs, then fuzz for
# FUZZ_SECONDS, or until FUZZ_RUNS executions when that is given
# (make fuzz FUZZ_RUNS=10000000: the hardening goal).
FUZZ_LIMIT = $(if $(FUZZ_RUNS),-runs=$(FUZZ_RUNS),-max_total_time=$(FUZZ_SECONDS))
fuzz-one:
	@h=$(FUZZ_H); log=$(FUZZ_B)/fuzz-$$h.log; mkdir -p $(FUZZ_B)/corpus/$$h $(FUZZ_B)/crashes/$$h; \
	if ls tests/fuzz/regress/$$h/* >/dev/null 2>&1 && \
	   ! $(FUZZ_B)/fuzz-$$h $(FUZZ_OPTS_$(FUZZ_H)) tests/fuzz/regress/$$h/* >$$log 2>&1; then \
		echo "FAILED  fuzz-$$h: an input saved in tests/fuzz/regress/$$h fails again"; tail -n 30 $$log; exit 1; \
	fi; \
	$(FUZZ_B)/fuzz-$$h $(FUZZ_LIMIT) $(FUZZ_SEED) -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_B)/crashes/$$h/ $(FUZZ_OPTS_$(FUZZ_H)) \
		$(FUZZ_B)/corpus/$$h $(FUZZ_B)/seeds/$$h >$$log 2>&1; rc=$$?; \
	execs=$$(sed -n 's/^stat::number_of_executed_units: *//p' $$log); \
	if [ $$rc -eq 0 ]; then \
		echo "ok      fuzz-$$h: $${execs:-?} executions in $$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' $$log | tail -n 1) s, corpus of $$(ls $(FUZZ_B)/corpus/$$h | wc -l) inputs"; \
	else \
		echo "FAILED  fuzz-$$h after $${execs:-?} executions (log: $$log)"; \
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant failed|Test unit written|.*-minimize_crash)' $$log | head -n 8; \
		echo "        minimize: $(FUZZ_B)/fuzz-$$h -minimize_crash=1 -runs=100000 CRASH_FILE, then save the"; \
		echo "        result in tests/fuzz/regress/$$h/ (tests/test-regress.c replays it)"; \
		exit 1; \
	fi

# CI: a fixed seed, so a run explores the same inputs every time
FUZZ_SHORT_SECONDS ?= 30
fuzz-short:
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=$(FUZZ_SHORT_SECONDS) FUZZ_SEED=-seed=1

fuzz-clean:
	rm -rf $(FUZZ_B)
clean: fuzz-clean

# Unit tests, then end-to-end tests, against the ASan+UBSan build. A lab
# process is a fork of doorway, so the agents run under ASan too. Every
# sanitizer report, from any process (agents and tests that ran as another
# user included), is written to build-asan/san/ and fails the target.
ASAN_LOGS := $(CURDIR)/build-asan/san
check-asan:
	@tools/setup --test
	@$(MAKE) --no-print-directory B=build-asan $(ASAN_FLAGS) build-asan/doorway \
		$(addprefix build-asan/tests/,$(notdir $(TESTS))) $(TOOLS:$(B)/%=build-asan/%)
	@rm -rf $(ASAN_LOGS) && mkdir -p $(ASAN_LOGS) && chmod 1777 $(ASAN_LOGS); \
	export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$(ASAN_LOGS)/asan \
	       UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$(ASAN_LOGS)/ubsan \
	       DOORWAY_SCENARIOS=$(CURDIR)/scenarios; \
	fail=0; for t in $(addprefix build-asan/tests/,$(notdir $(TESTS))); do \
		echo "== $$t"; (cd tests && ../$$t) || fail=1; \
	done; \
	DOORWAY=$(CURDIR)/build-asan/doorway DECODE_DUMP=$(CURDIR)/build-asan/tests/decode-dump \
		UI_SCENE_TEST=$(CURDIR)/build-asan/tests/test-ui-scene PCAPNG_GEN=$(CURDIR)/build-asan/tests/pcapng-gen tests/e2e/run-all || fail=1; \
	if ls $(ASAN_LOGS)/* >/dev/null 2>&1; then \
		echo "FAILED  sanitizer reports in $(ASAN_LOGS):"; head -n 60 $(ASAN_LOGS)/*; fail=1; \
	else \
		echo "check-asan: no sanitizer report"; \
	fi; exit $$fail

-include $(shell find $(FUZZ_B) -name '*.d' 2>/dev/null)
