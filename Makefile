# doorway — hand-written Makefile. Quiet unless V=1.
#   make            build ./doorway
#   make test       every test: cmocka unit tests, then end-to-end tests
#   make run        install what is missing (asks apt via sudo), build, open the default lesson
#   make bench      benchmarks (ratios against baselines measured in the same run)
#   make asan       ASan+UBSan build in build-asan/
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
WARN    := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter
WERROR  ?= -Werror
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
CORE_LIBS := $(PCAP_LIBS) $(MNL_LIBS)

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

.PHONY: all test unit e2e lessons-check bench asan run install uninstall clean

all: doorway

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

doorway: $(UI_OBJ) $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(UI_OBJ) $(B)/libdoorway.a $(CORE_LIBS) $(CURSES_LIBS)

# Unit tests: one cmocka binary per module. tests/test-ui-*.c may use ui/.
$(B)/tests/test-ui-%: $(B)/tests/test-ui-%.o $(UI_LIB_OBJ) $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(CORE_LIBS) $(CURSES_LIBS)

$(B)/tests/test-%: $(B)/tests/test-%.o $(B)/libdoorway.a
	@$(if $(Q),echo '  LD    $@')
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(B)/libdoorway.a $(CMOCKA_LIBS) $(CORE_LIBS) $(shell sed -n 's|^/\* ldflags: \(.*\) \*/|\1|p' tests/$*.c)

# Helper programs for the end-to-end tests (tests/tools/*.c).
TOOLS := $(patsubst tests/tools/%.c,$(B)/tests/%,$(wildcard tests/tools/*.c))
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

e2e: doorway $(TOOLS)
	@DOORWAY=$(CURDIR)/doorway DECODE_DUMP=$(CURDIR)/$(B)/tests/decode-dump PCAPNG_GEN=$(CURDIR)/$(B)/tests/pcapng-gen tests/e2e/run-all

lessons-check: doorway
	@DOORWAY=$(CURDIR)/doorway tests/e2e/lessons-check

# Installs what the tests need when missing (tools/setup says what, uses sudo
# only when not root), then runs everything in order.
test:
	@tools/setup --test
	@$(MAKE) --no-print-directory all $(TESTS) $(TOOLS)
	@$(MAKE) --no-print-directory unit e2e lessons-check

bench: doorway $(BENCHES)
	@DOORWAY=$(CURDIR)/doorway B=$(B) bench/run-all

asan:
	$(MAKE) B=build-asan CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all' \
		LDFLAGS='-fsanitize=address,undefined' all $(addprefix build-asan/tests/,$(notdir $(TESTS)))

run:
	@tools/setup
	@$(MAKE) --no-print-directory all
	./doorway scenarios/udp-hello.lab

install: doorway
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR)/doorway/scenarios
	install -m 755 doorway $(DESTDIR)$(BINDIR)/doorway
	install -m 644 scenarios/*.lab $(DESTDIR)$(DATADIR)/doorway/scenarios/
	if [ -f doorway.1 ]; then install -d $(DESTDIR)$(MANDIR)/man1 && install -m 644 doorway.1 $(DESTDIR)$(MANDIR)/man1/doorway.1; fi

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/doorway $(DESTDIR)$(MANDIR)/man1/doorway.1
	rm -rf $(DESTDIR)$(DATADIR)/doorway

clean:
	rm -rf build build-asan doorway

-include $(shell find $(B) -name '*.d' 2>/dev/null)
