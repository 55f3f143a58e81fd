# The two commands a newcomer needs: `make run` and `make test`.
JOBS ?= $(shell nproc)

.PHONY: all deps build run test bench format clean

all: build

deps:
	@scripts/deps.sh

build: deps
	@cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build build -j $(JOBS)

run: build
	@scripts/run.sh

# The test build runs under AddressSanitizer and UndefinedBehaviorSanitizer with -Werror.
test: deps
	@cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DTZ_SANITIZE=ON -DTZ_WERROR=ON >/dev/null
	@cmake --build build-test -j $(JOBS)
	@cd build-test && ASAN_OPTIONS=detect_leaks=1 ctest --output-on-failure -j $(JOBS)

bench: build
	@bench/run.sh

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf build build-test
