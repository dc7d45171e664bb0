# appt: plain GNU make. make, make check, make demo, make install.
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR = $(PREFIX)/bin
MANDIR = $(PREFIX)/share/man
SHAREDIR = $(PREFIX)/share/appt

CC ?= cc
CFLAGS ?= -O2 -g
override CFLAGS += -Wall -Wextra -std=c11 -D_GNU_SOURCE -Ilib \
	-I/usr/include/iniparser -DAPPT_SHAREDIR=\"$(SHAREDIR)\" \
	$(shell pkg-config --cflags gmime-3.0) \
	$(shell pkg-config --cflags libsodium 2>/dev/null)
# --as-needed: a command links only the libraries it uses (GMime and glib
# cost every command milliseconds at start otherwise).
LDLIBS = -Wl,--as-needed -lcsv -liniparser -lical -lm $(shell pkg-config --libs gmime-3.0) \
	$(shell pkg-config --libs libsodium 2>/dev/null || echo -lsodium)

# Where a build goes: bin/ normally, build/asan/bin for the sanitizers.
BIN ?= bin
OBJ ?= build/obj

CMDS = $(patsubst cmd/%.c,%,$(wildcard cmd/*.c))
LIBSRC = $(wildcard lib/*.c)
LIBOBJ = $(patsubst lib/%.c,$(OBJ)/lib/%.o,$(LIBSRC))
UNITS = $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/*.c))
FUZZ = $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/*.c))

BUILD_DEPS = gcc make libc6-dev libcsv-dev libiniparser-dev libical-dev \
	tzdata msmtp mandoc pkg-config libgmime-3.0-dev libsodium-dev
TEST_DEPS = bats bats-assert bats-support bats-file python3 strace \
	python3-aiosmtpd python3-icalendar calcurse util-linux \
	python3-recurring-ical-events radicale vdirsyncer curl weasyprint \
	poppler-utils hledger procmail $(FUZZ_DEPS) \
	lighttpd chromium chromium-driver python3-selenium nginx-light \
	fcgiwrap
FUZZ_DEPS = clang libclang-rt-14-dev

all: $(addprefix $(BIN)/,$(CMDS))

$(OBJ)/lib/%.o: lib/%.c lib/appt.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c -o $@ $<

$(OBJ)/libappt.a: $(LIBOBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/%: cmd/%.c $(OBJ)/libappt.a lib/appt.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(OBJ)/libappt.a $(LDLIBS)

$(BIN)/unit/%: tests/unit/%.c tests/unit/t.h $(OBJ)/libappt.a lib/appt.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(OBJ)/libappt.a $(LDLIBS)

units: $(addprefix $(BIN)/unit/,$(UNITS))

$(BIN)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(OBJ)/libappt.a lib/appt.h
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(OBJ)/libappt.a $(LDLIBS)

fuzzers: $(addprefix $(BIN)/fuzz/,$(FUZZ))

ASAN = -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	-fno-sanitize-recover=undefined

asan:
	$(MAKE) BIN=build/asan/bin OBJ=build/asan/obj CFLAGS="$(ASAN)" \
	    LDFLAGS="-fsanitize=address,undefined" all units

# libFuzzer harnesses, tests/fuzz/NAME.c with seeds in tests/fuzz/corpus/NAME,
# built with clang into build/fuzz/NAME. make fuzz runs each for
# FUZZ_SECONDS; what it finds goes to build/fuzz/crash/NAME/, new inputs to
# build/fuzz/corpus/NAME/, and its scratch files under build/fuzz/tmp/.
FUZZ_SECONDS ?= 60
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=undefined

fuzz-build:
	$(MAKE) CC=clang BIN=build OBJ=build/fuzz/obj LDFLAGS="$(FUZZ_SAN) \
	    -fsanitize=fuzzer" CFLAGS="-O1 -g -fno-omit-frame-pointer \
	    $(FUZZ_SAN) -fsanitize=fuzzer-no-link" fuzzers

fuzz: deps-fuzz fuzz-build
	@rc=0; for f in $(FUZZ); do \
	    echo "== fuzz $$f for $(FUZZ_SECONDS) s"; \
	    mkdir -p build/fuzz/corpus/$$f build/fuzz/crash/$$f build/fuzz/tmp; \
	    TMPDIR=build/fuzz/tmp build/fuzz/$$f -timeout=10 \
	        -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
	        -artifact_prefix=build/fuzz/crash/$$f/ \
	        build/fuzz/corpus/$$f tests/fuzz/corpus/$$f || rc=1; \
	done; exit $$rc

# Install what is missing: as root through apt-get, else say what to run.
# The package lists above are the only ones; .ci/run calls these targets.
deps-build:
	@sh tests/lib/deps.sh $(BUILD_DEPS)
deps:
	@sh tests/lib/deps.sh $(BUILD_DEPS) $(TEST_DEPS)
deps-fuzz:
	@sh tests/lib/deps.sh $(BUILD_DEPS) $(FUZZ_DEPS)

check: deps
	$(MAKE) lint
	$(MAKE) all units
	$(MAKE) asan
	$(MAKE) fuzz-build
	sh tests/run

demo: deps-build
	$(MAKE) all
	sh examples/demo.sh

serve: deps-build
	@sh tests/lib/deps.sh lighttpd
	$(MAKE) all
	sh examples/serve.sh

bench: all
	sh tests/bench/run

# How often appt-eta's windows hold the arrival, against baselines.
bench-eta: all
	/usr/bin/python3 tests/bench/eta.py

install: all
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(SHAREDIR)/templates \
	    $(DESTDIR)$(SHAREDIR)/web \
	    $(DESTDIR)$(SHAREDIR)/example \
	    $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	    $(DESTDIR)$(MANDIR)/man7
	install -m 0755 $(addprefix $(BIN)/,$(CMDS)) $(DESTDIR)$(BINDIR)
	install -m 0644 share/appt/config.ini $(DESTDIR)$(SHAREDIR)
	install -m 0644 share/appt/windows-zones.txt $(DESTDIR)$(SHAREDIR)
	install -m 0644 share/appt/templates/* $(DESTDIR)$(SHAREDIR)/templates
	install -m 0644 share/appt/web/* $(DESTDIR)$(SHAREDIR)/web
	install -m 0644 share/appt/example/* $(DESTDIR)$(SHAREDIR)/example
	install -m 0644 man/*.1 $(DESTDIR)$(MANDIR)/man1
	install -m 0644 man/*.5 $(DESTDIR)$(MANDIR)/man5
	install -m 0644 man/*.7 $(DESTDIR)$(MANDIR)/man7

lint:
	mandoc -T lint -W warning man/*.[157]

clean:
	rm -rf bin build demo

.PHONY: all units fuzzers asan fuzz-build fuzz deps deps-build deps-fuzz \
	check demo serve bench bench-eta install lint clean
.SECONDARY:
