#!/usr/bin/env bash
# Build the libFuzzer targets (clang, ASan + UBSan, coverage in the PMD) and
# run each for a bounded time from its seed corpus.  Any crash, sanitizer
# report, leak of a descriptor or an mbuf (the targets abort on those) fails.
# Usage: devtools/fuzz.sh [-s SECONDS] [-b BUILD_DIR] [TARGET...]
#   default: 45 s per target, build-fuzz, every target.
# Prints one line per target (executions, corpus size) and last
# "N passed, N failed".  Crashing inputs are kept in BUILD_DIR/crashes/.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
secs=45
build=$top/build-fuzz
while getopts "s:b:" o; do
    case $o in
        s) secs=$OPTARG ;;
        b) build=$OPTARG ;;
        *) echo "usage: $0 [-s SECONDS] [-b BUILD_DIR] [TARGET...]" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(devargs datapath cvq user_msg vdpa)

command -v clang >/dev/null || { echo "fuzz: clang missing (devtools/setup.sh installs it)"; echo "0 passed, 1 failed"; exit 1; }
mkdir -p "$build"
if [ ! -f "$build/build.ninja" ]; then
    # The driver-SDK headers of the ordinary build (devtools/setup.sh).
    sdk=$top/build/dpdk-sdk/include
    [ -d "$sdk" ] || sdk=
    CC=clang meson setup "$build" "$top" -Dfuzz=true -Db_sanitize=address,undefined \
        -Db_lundef=false -Dtests_integration=false ${sdk:+-Ddpdk_sdk_include="$sdk"} \
        >"$build/setup.log" 2>&1 ||
        { tail -20 "$build/setup.log"; echo "0 passed, 1 failed"; exit 1; }
fi
ninja -C "$build" >"$build/ninja.log" 2>&1 || { tail -30 "$build/ninja.log"; echo "0 passed, 1 failed"; exit 1; }

# Stop at the first report of either sanitizer; no leak check (DPDK's EAL
# keeps memory to the end by design; the targets count mbufs and fds).
export ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:allocator_may_return_null=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
passed=0 failed=0
mkdir -p "$build/crashes"
for t in "${targets[@]}"; do
    exe=$build/app/test/fuzz/vnetx-fuzz-$t
    corpus=$build/corpus/$t
    mkdir -p "$corpus"
    cp -n "$top/app/test/fuzz/corpus/$t/"* "$corpus/" 2>/dev/null
    log=$build/fuzz-$t.log
    "$exe" -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$t-" "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(grep -o "stat::number_of_executed_units: *[0-9]*" "$log" | awk '{print $2}')
    if [ $rc -eq 0 ]; then
        passed=$((passed + 1))
        echo "fuzz $t: ok, ${execs:-?} executions in ${secs} s, corpus $(ls "$corpus" | wc -l) inputs"
    else
        failed=$((failed + 1))
        echo "fuzz $t: FAILED (exit $rc), see $log; input: $(ls -t "$build/crashes/$t-"* 2>/dev/null | head -n1)"
        grep -E "ERROR|SUMMARY|runtime error|abort|Assertion" "$log" | head -5
    fi
done
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
