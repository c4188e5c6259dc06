#!/usr/bin/env bash
# Integration: dpdk-testpmd as the application, loading the PMD with -d, as
# a user runs it.  In a sanitizer build (second argument "sanitized") the
# sanitizer runtimes are preloaded into testpmd, so the PMD's own
# instrumentation reports inside an uninstrumented application; any report
# fails the case.
#  mac_addrs: a port with cq=1 and no backend takes 63 more MAC addresses,
#             refuses the 64th, and testpmd quits cleanly (a 1-entry
#             mac_addrs array under max_mac_addrs 64 crashed it at close);
#  traffic:   against net_vhost in another testpmd, txonly then rxonly,
#             sender's TX-packets = receiver's RX-packets exactly.
# Usage: testpmd_app.sh PMD.so [sanitized]
set -uo pipefail
so=${1:?usage: testpmd_app.sh librte_net_vnetx.so [sanitized]}
mode=${2:-}
top=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=devtools/testpmd-lib.sh
. "$top/devtools/testpmd-lib.sh"

passed=0 failed=0
ok() { echo "  [PASS] testpmd_app/$1"; passed=$((passed + 1)); }
ko() { echo "  [FAIL] testpmd_app/$1: $2"; failed=$((failed + 1)); }
run=$(mktemp -d /var/tmp/vnetx-tpa.XXXXXX)
trap 'tp_cleanup; [ -n "${VNETX_KEEP:-}" ] || rm -rf "$run"' EXIT

# The frontend's environment: the sanitizer runtimes first, when asked.
fe_env=()
if [ "$mode" = sanitized ]; then
    asan=$(gcc -print-file-name=libasan.so) ubsan=$(gcc -print-file-name=libubsan.so)
    # First in the list (ASan insists), then stdbuf's own preload.
    fe_env=(env "LD_PRELOAD=$asan:$ubsan\${LD_PRELOAD:+:\$LD_PRELOAD}"
            "ASAN_OPTIONS=abort_on_error=1:detect_leaks=0:log_path=$run/asan"
            "UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$run/ubsan")
fi
# A sanitizer's report (files under $run, or in the log).
reports() {
    cat "$run"/asan.* "$run"/ubsan.* 2>/dev/null | head -20
    grep -hE "ERROR: AddressSanitizer|runtime error:" "$@" 2>/dev/null | head -5
}
# verdict CASE TESTPMD BAD: the case fails with BAD, or if testpmd TESTPMD
# (quit already) did not exit 0, or if a sanitizer reported anything.
verdict() {
    local r
    r=$(reports "$run/$2.log")
    if [ -n "$3" ]; then ko "$1" "$3"
    elif [ "${TP_RC[$2]}" != 0 ]; then ko "$1" "testpmd exited with status ${TP_RC[$2]}: $(tail -3 "$run/$2.log")"
    elif [ -n "$r" ]; then ko "$1" "sanitizer: $r"
    else ok "$1"; fi
}
# tp_start runs $TESTPMD as one word: the environment goes in a wrapper.
cat >"$run/testpmd-fe" <<EOS
#!/bin/sh
exec ${fe_env[*]} dpdk-testpmd "\$@"
EOS
chmod +x "$run/testpmd-fe"

# ---- mac_addrs
sock=$run/mac.sock
TESTPMD=$run/testpmd-fe tp_start mac "$run/mac.log" -d "$so" --in-memory --no-pci --file-prefix vnxtpa$$ \
    -l 0,1 --vdev "net_vnetx0,path=$sock,server=1,cq=1" -- -i
if tp_ready mac 60; then
    bad=
    for i in $(seq 1 63); do
        tp_cmd mac "$(printf 'mac_addr add 0 02:00:00:00:01:%02x' "$i")" || { bad="$TP_ERR"; break; }
        grep -qi "error\|fail" <<<"$TP_OUT" && { bad="address $i refused: $TP_OUT"; break; }
    done
    if [ -z "$bad" ]; then
        tp_cmd mac "mac_addr add 0 02:00:00:00:02:00"
        grep -qiE "error|fail|no space" <<<"$TP_OUT" || bad="the 64th address was accepted: $TP_OUT"
    fi
    tp_quit mac 30
    verdict mac_addrs mac "$bad"
else
    ko mac_addrs "$TP_ERR"
fi

# ---- traffic both ways against net_vhost
sock=$run/vhost.sock
tp_start be "$run/be.log" --lcores 0@0,1@1 --in-memory --no-pci --file-prefix vnxtpabe$$ \
    --vdev "net_vhost0,iface=$sock" -- -i --forward-mode=rxonly --txd=1024 --rxd=1024
if ! tp_ready be 60; then
    ko traffic "backend: $TP_ERR"
else
    TESTPMD=$run/testpmd-fe tp_start fe "$run/fe.log" -d "$so" --lcores 0@1,1@0 --in-memory \
        --single-file-segments --no-pci --file-prefix vnxtpafe$$ --vdev "net_vnetx0,path=$sock" \
        -- -i --forward-mode=txonly --txd=1024 --rxd=1024
    bad=
    tp_ready fe 60 && tp_link_up fe 30 || bad="frontend: $TP_ERR"
    count() { awk -v k="$2" '$0 ~ k":" {for (i = 1; i <= NF; i++) if ($i == k":") {print $(i + 1); exit}}' <<<"$1"; }
    for dir in tx rx; do
        [ -n "$bad" ] && break
        if [ $dir = tx ]; then snd=fe rcv=be; else snd=be rcv=fe; fi
        tp_cmd $snd "stop" >/dev/null; tp_cmd $rcv "stop" >/dev/null
        tp_cmd $snd "set fwd txonly"; tp_cmd $rcv "set fwd rxonly"
        tp_cmd $rcv "clear port stats all"; tp_cmd $snd "clear port stats all"
        tp_cmd $rcv "start"; tp_cmd $snd "start"
        sleep 2
        tp_cmd $snd "stop"
        sleep 1
        tp_cmd $rcv "stop"
        tp_cmd $snd "show port stats 0"; sent=$(count "$TP_OUT" TX-packets)
        tp_cmd $rcv "show port stats 0"; got=$(count "$TP_OUT" RX-packets)
        echo "traffic $dir: sent ${sent:-?}, received ${got:-?}"
        if [ -z "$sent" ] || [ "$sent" -eq 0 ] || [ "$sent" != "$got" ]; then
            bad="$dir: sent ${sent:-?} != received ${got:-?}"
        fi
    done
    tp_quit fe 30
    tp_quit be 30
    verdict traffic fe "$bad"
fi
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
