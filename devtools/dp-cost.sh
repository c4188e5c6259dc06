#!/usr/bin/env bash
# The datapath's cost in instructions per packet, exact: vnetx-dpcost (one
# thread playing the device, app/test/vnetx_dpcost.c) under valgrind's
# callgrind, collecting only inside the burst function.  The same binary and
# arguments give the same count on any load; compare builds, not machines.
# Each configuration (ring layout, mergeable buffers, in-order, direction,
# frame size) is measured on its scalar path and on the vector path the
# path table chooses for it (within EAL's default SIMD bitwidth; -w 512
# passes --force-max-simd-bitwidth), side by side.
# Usage: devtools/dp-cost.sh [-b BUILD_DIR] [-e EXE] [-r RING] [-n BURST] [-i ITERS] [-s "SIZES"] [-w BITS]
# Prints a markdown table: configuration, scalar path and instructions/packet,
# vector path and instructions/packet, vector/scalar.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=$top/build exe= ring=256 burst=32 iters=2000 sizes="64 1518" simd=
while getopts "b:e:r:n:i:s:w:" o; do
    case $o in
        b) build=$OPTARG ;;
        e) exe=$OPTARG ;;
        r) ring=$OPTARG ;;
        n) burst=$OPTARG ;;
        i) iters=$OPTARG ;;
        s) sizes=$OPTARG ;;
        w) simd=$OPTARG ;;
        *) sed -n 's/^# Usage: //p' "$0" >&2; exit 2 ;;
    esac
done
exe=${exe:-$build/app/test/vnetx-dpcost}
command -v valgrind >/dev/null || { echo "dp-cost: valgrind missing (apt-get install valgrind)" >&2; exit 1; }
[ -x "$exe" ] || { echo "dp-cost: $exe missing (ninja -C $build)" >&2; exit 1; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# measure VEC LAYOUT MRG IO DIR SIZE: "<path>|<instructions/packet>", or
# nothing when the path table has no such path.
measure() {
    local f=$out/$1-$2-$3-$4-$5-$6 rc=0
    valgrind --tool=callgrind --callgrind-out-file="$f" --collect-atstart=no \
        --toggle-collect=cost_burst "$exe" --no-huge -m 256 --no-pci --no-shconf -l 0 \
        ${simd:+--force-max-simd-bitwidth=$simd} --log-level '*:crit' --file-prefix "dpcost$$" \
        -- "$5" "$2" "$3" "$4" "$ring" "$burst" "$iters" "$1" "$6" >"$f.log" 2>&1 || rc=$?
    [ $rc -eq 3 ] && return 0
    [ $rc -eq 0 ] || { echo "dp-cost: $* failed: $(tail -3 "$f.log")" >&2; exit 1; }
    local pk ir name
    pk=$(awk '/ packets$/ {print $1}' "$f.log")
    name=$(sed -n 's/^path //p' "$f.log")
    ir=$(awk '/^summary:/ {print $2}' "$f")
    echo "$name|$(awk -v i="$ir" -v p="$pk" 'BEGIN {printf "%.1f", i / p}')"
}
echo "| layout | mergeable | in-order | direction | frame | scalar path | instructions/packet | vector path | instructions/packet | vector/scalar |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for layout in split packed; do
    for mrg in 0 1; do
        for io in 0 1; do
            for dir in rx tx; do
                [ "$dir" = tx ] && [ "$mrg" = 1 ] && continue # tx does not depend on it
                for size in $sizes; do
                    s=$(measure 0 $layout $mrg $io $dir "$size")
                    v=$(measure 1 $layout $mrg $io $dir "$size")
                    if [ -n "$v" ]; then
                        r=$(awk -v a="${v#*|}" -v b="${s#*|}" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')
                        echo "| $layout | $mrg | $io | $dir | $size | ${s%|*} | ${s#*|} | ${v%|*} | ${v#*|} | $r |"
                    else
                        echo "| $layout | $mrg | $io | $dir | $size | ${s%|*} | ${s#*|} | - | - | - |"
                    fi
                done
            done
        done
    done
done
