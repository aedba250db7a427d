# busdrill — the two commands a new user needs are `make run` and `make test`.
GO       ?= go
BIN      := bin/busdrill
VERSION  := $(shell git describe --tags --always --dirty 2>/dev/null || echo devel)
LDFLAGS  := -X github.com/busdrill/busdrill/internal/version.Version=$(VERSION)
# FUZZTIME is how long `make fuzz` spends on each fuzz target.
FUZZTIME ?= 15s
# BENCHTIME is passed to -benchtime for `make bench`.
BENCHTIME ?= 1s

.PHONY: all build run test unit check swarm-check lint bench soak fuzz pgo clean

all: build

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/busdrill

# run: the main job: the built-in reference scenario in the simulator.
run: build
	./$(BIN) run

# test: formatting, vet, go mod tidy, staticcheck, the whole test suite,
# the scenario library's expectations, and the swarm self-check of the
# model (the same as CI).
test: lint unit check swarm-check

# unit: every Go test, and the checks of the scripts that have logic of
# their own (the fuzz runner's deadline-race classifier).
unit:
	$(GO) test -count=1 ./...
	./scripts/fuzz-race_test.sh

# check: run every scenario of the library; fails if an expectation fails.
check: build
	./$(BIN) check scenarios/

# STATICCHECK is the pinned staticcheck, fetched and run by go run.
STATICCHECK ?= honnef.co/go/tools/cmd/staticcheck@v0.8.2

# swarm-check: a check of the model itself. Every library scenario runs for
# seeds 1-24, then for seeds 1001-1012 with its faults switched on and off,
# moved and resized and its rate scaled (--vary default), each at a quarter
# of its rates (--quick: the same timeline, a quarter of the orders, so the
# whole takes well under a minute on two cores); every run's invariants are
# checked and every fourth seed is run twice and must give a byte-identical
# results.json. The expectations are reported, not judged (they are written
# for the full rates: see 'busdrill swarm --help').
swarm-check: build
	./$(BIN) swarm scenarios/ --seeds 24 --quick --invariants-only --replay-every 4 --quiet --out results/self-check
	./$(BIN) swarm scenarios/ --seed-range 1001:1012 --vary default --quick --invariants-only --replay-every 4 --quiet --out results/self-check-vary

lint:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi
	$(GO) vet ./...
	$(GO) mod tidy -diff
	$(GO) run $(STATICCHECK) ./...

# bench: every benchmark, on one core, with allocation counts; busdrill
# serve through aws-sdk-go-v2 on loopback on both cores (sustained
# PutEvents entries/s with fan-out and SQS delivery, API latency p50/p99,
# and the same load against moto where it is installed); then the
# million-order run of the simulator (wall time, orders/s, engine events/s,
# peak RSS, cost per engine event against the bare scheduler); then the
# soak (see soak).
bench:
	$(GO) test -run '^$$' -bench . -skip '^BenchmarkServe' -benchmem -cpu 1 -benchtime $(BENCHTIME) ./...
	$(GO) test -run '^$$' -bench '^BenchmarkServe$$' -cpu 2 -benchtime 6000x ./serve
	$(GO) test -run '^$$' -bench '^BenchmarkServeVsMoto$$' -cpu 2 -benchtime 1x ./serve
	./scripts/bench-million.sh
	./scripts/bench-soak.sh

# soak: the million-order scenario for 5 minutes and for 8 hours of
# traffic (48 M orders): peak RSS of both and wall time per order.
soak:
	./scripts/bench-soak.sh

# fuzz: each fuzz target for FUZZTIME (go test fuzzes one target at a time).
fuzz:
	./scripts/fuzz.sh $(FUZZTIME)

# pgo: regenerate the profile Go uses to optimise bin/busdrill (the
# compiler picks up cmd/busdrill/default.pgo by itself). Rerun after large
# changes to the simulator's hot paths.
pgo:
	$(GO) test -run '^$$' -bench '^BenchmarkMillionRun$$' -benchtime 5x -cpu 2 -cpuprofile cmd/busdrill/default.pgo ./sim/world

clean:
	rm -rf bin results/*/
