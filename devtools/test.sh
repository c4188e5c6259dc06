#!/usr/bin/env bash
# The whole vnetx test suite:
#  1. set-up, build, every registered meson test (unit and integration
#     suites of build/app/test/vnetx-test, OVS-DPDK, testpmd, the kernel rig);
#  2. the same PMD and test app built with AddressSanitizer and
#     UndefinedBehaviorSanitizer (BUILD-asan): meson suite 'sanitize' (every
#     unit suite, the integration suites that fit in time, testpmd with the
#     sanitized PMD preloaded); any sanitizer report fails;
#  3. the libFuzzer targets (BUILD-fuzz, clang), each for
#     VNETX_FUZZ_SECONDS (default 45) from its seed corpus.
# VNETX_TEST_STAGES (default "main sanitize fuzz") picks stages.
# The last line is the per-case total: "N passed, N failed[, N skipped]".
# Usage: devtools/test.sh [BUILD_DIR] [meson test args for stage 1...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath -m "${1:-$top/build}")   # absolute: the other builds name paths in it
[ $# -gt 0 ] && shift
stages=" ${VNETX_TEST_STAGES:-main sanitize fuzz} "
rc=0
logs=()

"$top/devtools/setup.sh" "$build" || { echo "0 passed, 1 failed"; exit 1; }
fuzz_out=$build/fuzz.out
rm -f "$fuzz_out"
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" >/dev/null || { echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
ninja -C "$build" >/dev/null || { ninja -C "$build"; echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

if [[ $stages == *" main "* ]]; then
    echo "== stage 1: every test"
    meson test -C "$build" --no-rebuild --print-errorlogs "$@" || rc=1
    logs+=("$build/meson-logs/testlog.json")
fi

if [[ $stages == *" sanitize "* ]]; then
    echo "== stage 2: ASan + UBSan build, suite 'sanitize'"
    asan=$build-asan
    if [ ! -f "$asan/build.ninja" ]; then
        meson setup "$asan" "$top" -Db_sanitize=address,undefined -Db_lundef=false \
            -Ddpdk_sdk_include="$build/dpdk-sdk/include" >"$build/asan-setup.log" 2>&1 ||
            { tail -20 "$build/asan-setup.log"; echo "0 passed, 1 failed"; exit 1; }
    fi
    if ninja -C "$asan" >"$build/asan-ninja.log" 2>&1; then
        # Any report ends the process with an error: the suite fails.
        ASAN_OPTIONS=abort_on_error=1:detect_leaks=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
            meson test -C "$asan" --no-rebuild --print-errorlogs --suite sanitize \
            --timeout-multiplier 3 || rc=1
        logs+=("$asan/meson-logs/testlog.json")
    else
        tail -30 "$build/asan-ninja.log"
        echo "sanitizer build failed"
        rc=1
    fi
fi

if [[ $stages == *" fuzz "* ]]; then
    echo "== stage 3: fuzz targets, ${VNETX_FUZZ_SECONDS:-45} s each"
    "$top/devtools/fuzz.sh" -s "${VNETX_FUZZ_SECONDS:-45}" -b "$build-fuzz" | tee "$fuzz_out"
    [ "${PIPESTATUS[0]}" = 0 ] || rc=1
fi

# Sum the per-case result lines of every suite from meson's test logs, and
# the fuzz targets' own line.
python3 - "$rc" "$fuzz_out" "${logs[@]}" <<'PY'
import json, os, re, sys
rc = int(sys.argv[1])
passed = failed = skipped = 0
line = re.compile(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", re.M)
for log in sys.argv[3:]:
    for l in open(log):
        t = json.loads(l)
        out = t.get("stdout") or ""
        m = line.findall(out)
        if m:
            p, f, s = m[-1]
            passed += int(p); failed += int(f); skipped += int(s or 0)
            if t.get("result") == "SKIP":
                print(f"SKIPPED suite {t['name']}: see its log", file=sys.stderr)
        elif t.get("result") not in ("OK", "SKIP"):
            failed += 1   # crashed or timed out before printing its summary
            print(f"suite {t['name']} ({log}) ended {t.get('result')} without a summary", file=sys.stderr)
if os.path.exists(sys.argv[2]):
    m = line.findall(open(sys.argv[2]).read())
    if m:
        passed += int(m[-1][0]); failed += int(m[-1][1])
    else:
        failed += 1
if rc != 0 and failed == 0:
    failed = 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $rc
