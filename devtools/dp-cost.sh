#!/usr/bin/env bash
# The datapath's cost in instructions per packet, exact: vnetx-dpcost (one
# thread playing the device, app/test/vnetx_dpcost.c) under valgrind's
# callgrind, collecting only inside the burst function.  The same binary and
# arguments give the same count on any load; compare builds, not machines.
# Usage: devtools/dp-cost.sh [-b BUILD_DIR] [-e EXE] [-r RING] [-n BURST] [-i ITERS]
# Prints a markdown table: path, direction, instructions/packet.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build exe= ring=256 burst=32 iters=2000
while getopts "b:e:r:n:i:" o; do
    case $o in
        b) build=$OPTARG ;;
        e) exe=$OPTARG ;;
        r) ring=$OPTARG ;;
        n) burst=$OPTARG ;;
        i) iters=$OPTARG ;;
        *) sed -n 's/^# Usage: //p' "$0" >&2; exit 2 ;;
    esac
done
exe=${exe:-$build/app/test/vnetx-dpcost}
command -v valgrind >/dev/null || { echo "dp-cost: valgrind missing (apt-get install valgrind)" >&2; exit 1; }
[ -x "$exe" ] || { echo "dp-cost: $exe missing (ninja -C $build)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "| layout | mergeable | in-order | direction | function | instructions/packet |"
echo "|---|---|---|---|---|---|"
for layout in split packed; do
    for mrg in 0 1; do
        for io in 0 1; do
            for dir in rx tx; do
                [ "$dir" = tx ] && [ "$mrg" = 1 ] && continue # tx does not depend on it
                if [ "$dir" = rx ]; then fn=vnetx_recv_$layout${mrg/1/_mrg}; fn=${fn%0}; else fn=vnetx_xmit_$layout; fi
                f=$out/$layout-$mrg-$io-$dir
                valgrind --tool=callgrind --callgrind-out-file="$f" --collect-atstart=no \
                    --toggle-collect="$fn" "$exe" --no-huge -m 256 --no-pci --no-shconf -l 0 \
                    --log-level '*:crit' --file-prefix "dpcost$$" -- "$dir" "$layout" "$mrg" "$io" \
                    "$ring" "$burst" "$iters" >"$f.log" 2>&1 || { echo "dp-cost: $fn failed: $(tail -3 "$f.log")" >&2; exit 1; }
                pk=$(awk '/ packets$/ {print $1}' "$f.log")
                ir=$(awk '/^summary:/ {print $2}' "$f")
                echo "| $layout | $mrg | $io | $dir | \`$fn\` | $(awk -v i="$ir" -v p="$pk" 'BEGIN {printf "%.1f", i / p}') |"
            done
        done
    done
done
