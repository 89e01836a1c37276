# clausal - build, test, demo.  See README.md.
#
#   make                      bin/clausal-index, bin/clausal-search, bin/clausal-reuse, bin/clausal-diff, bin/clausal-serve
#   make test-web             the page in headless Chromium (skips without it)
#   make test                 unit tests + end-to-end tests on data/
#   make SANITIZE=address,undefined test
#   make valgrind             end-to-end tests under valgrind
#   make demo                 install missing packages, build, index data/, search
#
# C and C++ flags are kept apart; Xapian's come from pkg-config.

CC      ?= cc
CXX     ?= c++
PKG_CONFIG ?= pkg-config

WARN     = -Wall -Wextra -Wshadow -Wstrict-prototypes -Wno-unused-parameter
OPT     ?= -O2 -g
CFLAGS_BASE   = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN)
CXXFLAGS_BASE = -std=c++11 $(OPT) -Wall -Wextra -Wno-unused-parameter
ifeq ($(WERROR),1)
CFLAGS_BASE   += -Werror
CXXFLAGS_BASE += -Werror
endif
ifneq ($(SANITIZE),)
SANFLAGS = -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
endif

XAPIAN_CFLAGS := $(shell $(PKG_CONFIG) --cflags xapian-core 2>/dev/null)
XAPIAN_LIBS   := $(shell $(PKG_CONFIG) --libs xapian-core 2>/dev/null || echo -lxapian)
LIBS = $(XAPIAN_LIBS) -lstemmer -lutf8proc -ljansson -lz -lzstd -lm -lpthread

ALL_CFLAGS   = $(CFLAGS_BASE) $(SANFLAGS) $(CFLAGS)
ALL_CXXFLAGS = $(CXXFLAGS_BASE) $(XAPIAN_CFLAGS) $(SANFLAGS) $(CXXFLAGS)
ALL_LDFLAGS  = $(SANFLAGS) $(LDFLAGS)

# Separate object trees per sanitizer setting so switching needs no clean.
comma := ,
BUILD = build/$(if $(SANITIZE),san-$(subst $(comma),-,$(SANITIZE)),default)

# FUZZ=1 (set by `make fuzz`): clang with libFuzzer's instrumentation.
# Undefined behaviour stops a run as a crash does; otherwise UBSan only
# prints it and the fuzzer goes on.
FUZZ_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
ifeq ($(FUZZ),1)
CC = clang
CXX = clang++
SANFLAGS = -fsanitize=fuzzer-no-link $(FUZZ_SAN)
BUILD = build/fuzz
endif

COMMON_SRC  = base/status.c base/util.c base/strmap.c core/analysis.c core/record.c core/index.c core/jsonout.c core/smart.c core/wdiff.c core/country.c core/wsim.c
SEGMENT_SRC = indexer/segment.c indexer/seg_repair.c indexer/seg_meta.c indexer/seg_block.c \
              indexer/seg_leads.c indexer/seg_refs.c indexer/seg_classify.c \
              indexer/seg_fmt_speech.c indexer/seg_fmt_gares.c indexer/seg_fmt_sc.c \
              indexer/seg_fmt_mail.c indexer/seg_fmt_pdf.c indexer/seg_fmt_prose.c
INDEXER_SRC = $(SEGMENT_SRC) indexer/walk.c indexer/ingest.c indexer/build.c
COMPARE_SRC = compare/compare.c compare/load.c compare/report.c
SEARCHER_SRC = searcher/like.c searcher/qparse.c searcher/qcompile.c searcher/qcheck.c searcher/qmatch.c searcher/highlight.c searcher/kwic.c searcher/colloc.c searcher/search.c searcher/feedback.c searcher/batch.c searcher/evalm.c
REUSE_SRC   = reuse/reuse.c
SHIM_SRC    = shim/xsh.cc
SERVE_SRC   = serve/pool.c serve/api.c serve/web.c
ASSETS      = $(sort $(wildcard web/assets/*))

COMMON_OBJ  = $(COMMON_SRC:%.c=$(BUILD)/%.o)
INDEXER_OBJ = $(INDEXER_SRC:%.c=$(BUILD)/%.o)
SEARCHER_OBJ = $(SEARCHER_SRC:%.c=$(BUILD)/%.o)
COMPARE_OBJ = $(COMPARE_SRC:%.c=$(BUILD)/%.o)
REUSE_OBJ   = $(REUSE_SRC:%.c=$(BUILD)/%.o)
SHIM_OBJ    = $(SHIM_SRC:%.cc=$(BUILD)/%.o)
SERVE_OBJ   = $(SERVE_SRC:%.c=$(BUILD)/%.o) $(BUILD)/serve/assets.o
MHD_LIBS   := $(shell $(PKG_CONFIG) --libs libmicrohttpd 2>/dev/null || echo -lmicrohttpd)

# Sanitized builds keep their programs apart so a plain build never runs them.
BINDIR = $(if $(SANITIZE),$(BUILD)/bin,bin)
BINS = $(BINDIR)/clausal-index $(BINDIR)/clausal-search $(BINDIR)/clausal-eval $(BINDIR)/clausal-reuse \
       $(BINDIR)/clausal-diff $(BINDIR)/clausal-serve

UNIT_TESTS = test_util test_analysis test_record test_shim test_index test_walk test_segment test_ingest test_qparse test_highlight test_eval test_smart test_phrases test_build test_search test_wdiff test_kwic test_wsim test_like test_compare test_feedback
UNIT_BINS  = $(UNIT_TESTS:%=$(BUILD)/tests/%)

.PHONY: all test unit e2e clean demo valgrind corpus-check fuzz fuzz-bins bench eval test-web rank
all: $(BINS)

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/%.o: %.cc
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_CXXFLAGS) -MMD -MP -c $< -o $@

# Every module once, in one library: programs and tests link it, and the
# linker takes from an archive only the members that a program uses.
LIB = $(BUILD)/libclausal.a
$(LIB): $(COMMON_OBJ) $(INDEXER_OBJ) $(SEARCHER_OBJ) $(REUSE_OBJ) $(COMPARE_OBJ) $(SHIM_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BINDIR)/clausal-index: $(BUILD)/indexer/main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

$(BINDIR)/clausal-search: $(BUILD)/searcher/main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

$(BINDIR)/clausal-reuse: $(BUILD)/reuse/main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

$(BINDIR)/clausal-diff: $(BUILD)/diff/main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

$(BINDIR)/clausal-eval: $(BUILD)/searcher/eval_main.o $(LIB)
	@mkdir -p $(BINDIR)
	$(CC) $(ALL_LDFLAGS) $^ -ljansson -lm -o $@

# The page's files become C arrays (tools/embed.c, built for this machine
# without sanitizers): the server opens no file but the index.
$(BUILD)/tools/embed: tools/embed.c
	@mkdir -p $(dir $@)
	$(CC) -O2 $< -o $@

$(BUILD)/serve/assets.c: $(BUILD)/tools/embed $(ASSETS)
	@mkdir -p $(dir $@)
	$(BUILD)/tools/embed $@ $(ASSETS)

$(BUILD)/serve/assets.o: $(BUILD)/serve/assets.c serve/assets.h
	$(CC) $(ALL_CFLAGS) -Iserve -c $< -o $@

$(BINDIR)/clausal-serve: $(BUILD)/serve/main.o $(SERVE_OBJ) $(LIB)
	@mkdir -p $(BINDIR)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) $(MHD_LIBS) -o $@

$(BUILD)/tests/%: $(BUILD)/tests/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

# Fuzz targets (tests/fuzz/fuzz_*.c).  `make test` runs each over its seed
# corpus and kept regressions through driver.c; `make fuzz` runs libFuzzer
# (clang) with ASan+UBSan for FUZZ_SECONDS per target through
# tests/fuzz/fuzz.sh, which fails if one finds anything, prints the stack
# and keeps the input in build/fuzz/artifacts/.
FUZZ_TARGETS = analysis qparse segment wdiff
FUZZ_RUNS = $(FUZZ_TARGETS:%=$(BUILD)/tests/fuzz-run-%)
FUZZ_SECONDS ?= 60

$(BUILD)/tests/fuzz-run-%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/tests/fuzz/driver.o $(LIB)
	@mkdir -p $(dir $@)
	$(CXX) $(ALL_LDFLAGS) $^ $(LIBS) -o $@

fuzz:
	@$(MAKE) -s FUZZ=1 fuzz-bins
	@sh tests/fuzz/fuzz.sh build/fuzz $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-bins: $(FUZZ_TARGETS:%=build/fuzz/fuzz-%)

build/fuzz/fuzz-%: $(BUILD)/tests/fuzz/fuzz_%.o $(LIB)
	$(CXX) -fsanitize=fuzzer $(FUZZ_SAN) $^ $(LIBS) -o $@

unit: $(UNIT_BINS) $(FUZZ_RUNS)

test: $(BINS) $(UNIT_BINS) $(FUZZ_RUNS)
	@CLAUSAL_BIN=$(BINDIR) CLAUSAL_FUZZ_FLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" \
	    sh tests/run.sh $(UNIT_BINS) $(FUZZ_RUNS)

e2e: $(BINS)
	@CLAUSAL_BIN=$(BINDIR) CLAUSAL_FUZZ_FLAGS="-fsanitize=fuzzer $(FUZZ_SAN)" sh tests/run.sh

# valgrind: the end-to-end tests that do not depend on timing (e2e_robust
# kills processes at measured moments, which valgrind's slowdown defeats).
VG_LOG = build/valgrind
valgrind: $(BINS)
	@rm -rf $(VG_LOG) && mkdir -p $(VG_LOG)
	@CLAUSAL_BIN=$(BINDIR) CLAUSAL_VGLOG=$(VG_LOG) CLAUSAL_E2E="tests/e2e_basic.sh tests/e2e_query.sh tests/e2e_diff.sh" \
	    CLAUSAL_WRAP="valgrind -q --child-silent-after-fork=yes --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite --suppressions=$(CURDIR)/tests/valgrind.supp --log-file=$(CURDIR)/$(VG_LOG)/vg.%p.log" \
	    sh tests/run.sh

# The page in headless Chromium (Debian's chromium, chromium-driver and
# python3-selenium); prints a skip line without them.
test-web: $(BINS)
	@CLAUSAL_BIN=$(BINDIR) CLAUSAL_E2E="tests/e2e_web.sh" sh tests/run.sh

corpus-check: $(BINS)
	@python3 tests/corpus_check.py --bin $(BINDIR)

eval: $(BINS)
	@sh bench/cranfield.sh

rank: $(BINS)
	@sh bench/rank.sh

demo:
	@sh tests/demo.sh

# bench/run [--growth] [CORPUS]: clausal against FTS5, Lucene and ripgrep (BENCHMARKS.md)
bench:
	@sh bench/run $(BENCH_ARGS)

clean:
	rm -rf build bin

-include $(shell find build -name '*.d' 2>/dev/null)
