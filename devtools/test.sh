#!/usr/bin/env bash
# The whole vnetx test suite: set-up, build, every registered meson test
# (unit and integration suites of build/app/test/vnetx-test).
# The last line is the per-case total: "N passed, N failed[, N skipped]".
# Usage: devtools/test.sh [BUILD_DIR] [meson test args...]
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
[ $# -gt 0 ] && shift

"$top/devtools/setup.sh" "$build" || { echo "0 passed, 1 failed"; exit 1; }
if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" >/dev/null || { echo "meson setup failed"; echo "0 passed, 1 failed"; exit 1; }
fi
ninja -C "$build" >/dev/null || { ninja -C "$build"; echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

meson test -C "$build" --no-rebuild --print-errorlogs "$@"
rc=$?

# Sum the per-case result lines of every suite from meson's test log.
python3 - "$build/meson-logs/testlog.json" "$rc" <<'PY'
import json, re, sys
passed = failed = skipped = 0
rc = int(sys.argv[2])
for line in open(sys.argv[1]):
    t = json.loads(line)
    out = t.get("stdout") or ""
    m = re.findall(r"^(\d+) passed, (\d+) failed(?:, (\d+) skipped)?\s*$", out, re.M)
    if m:
        p, f, s = m[-1]
        passed += int(p); failed += int(f); skipped += int(s or 0)
        if t.get("result") == "SKIP":
            print(f"SKIPPED suite {t['name']}: see its log", file=sys.stderr)
    elif t.get("result") not in ("OK", "SKIP"):
        failed += 1   # crashed or timed out before printing its summary
        print(f"suite {t['name']} ended {t.get('result')} without a summary", file=sys.stderr)
if rc != 0 and failed == 0:
    failed = 1
print(f"{passed} passed, {failed} failed" + (f", {skipped} skipped" if skipped else ""))
PY
exit $rc
