# shellcheck shell=bash
# Latency mode of the benchmark: a 2 x DELAY_MS round trip between the scanners and one XMPP server, without
# sch_netem (not in this kernel). Sourced by bench/run.sh.
#
#   namespace C (scanners)          namespace B (bridge)              namespace S (server)
#   xsc0 198.18.0.1/24 <--veth--> xsb0 [delaybridge.py] xsb1 <--veth--> xss0 198.18.0.2/24
#
# 198.18.0.0/15 is the benchmarking range (RFC 2544); these addresses exist only inside our namespaces, so
# nothing is ever sent outside them. The server is a copy of a testbed Prosody or ejabberd started from the
# testbed's generated config (certificates and cipher settings reused, bound to 198.18.0.2 instead of its
# loopback address). Every namespace name carries our PID, so two runs never share one, and every process in
# namespace S was started by this run: latency_stop_server ends exactly those; latency_down removes the rest.

LAT_CLIENT_ADDR=198.18.0.1
LAT_SERVER_ADDR=198.18.0.2
LAT_NS_C="xsbench-$$-c"
LAT_NS_B="xsbench-$$-b"
LAT_NS_S="xsbench-$$-s"
LAT_BRIDGE_PID=""
LAT_SERVER_PID=""
LAT_UP=0

lat_log() { echo "latency: $*" >&2; }

# latency_up WORKDIR DELAY_MS_EACH_WAY
latency_up() {
  local work=$1 delay=$2 ns
  LAT_UP=1
  for ns in "$LAT_NS_C" "$LAT_NS_B" "$LAT_NS_S"; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
  done
  # The pairs are created directly inside the namespaces: the names never exist in the root namespace.
  ip link add xsc0 netns "$LAT_NS_C" type veth peer name xsb0 netns "$LAT_NS_B"
  ip link add xss0 netns "$LAT_NS_S" type veth peer name xsb1 netns "$LAT_NS_B"
  local pair
  for pair in "$LAT_NS_C:xsc0" "$LAT_NS_B:xsb0" "$LAT_NS_B:xsb1" "$LAT_NS_S:xss0"; do
    ns=${pair%%:*}; local dev=${pair#*:}
    # Offloads off: the bridge must see MTU-sized frames with complete checksums (see delaybridge.py).
    ip netns exec "$ns" ethtool -K "$dev" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
    ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$dev.disable_ipv6=1" >/dev/null 2>&1 || true
    ip -n "$ns" link set "$dev" up
  done
  ip -n "$LAT_NS_B" link set xsb0 promisc on
  ip -n "$LAT_NS_B" link set xsb1 promisc on
  ip -n "$LAT_NS_C" addr add "$LAT_CLIENT_ADDR/24" dev xsc0
  ip -n "$LAT_NS_S" addr add "$LAT_SERVER_ADDR/24" dev xss0

  rm -f "$work/bridge.ready"
  ip netns exec "$LAT_NS_B" python3 "$BENCH_LIB/../../deploy/netlab/delaybridge.py" xsb0 xsb1 "$delay" "$work/bridge.ready" \
    2>"$work/bridge.log" &
  LAT_BRIDGE_PID=$!
  local i
  for i in $(seq 50); do [[ -f "$work/bridge.ready" ]] && break; sleep 0.1; done
  [[ -f "$work/bridge.ready" ]] || { lat_log "bridge did not start: $(cat "$work/bridge.log")"; return 1; }
}

# latency_rtt_ms: the median of 10 ping round trips from C to S, in ms (the first, which waits for ARP, is
# one of them, so the median stays the steady-state value).
latency_rtt_ms() {
  ip netns exec "$LAT_NS_C" ping -n -c 10 -i 0.2 -W 2 "$LAT_SERVER_ADDR" 2>/dev/null \
    | sed -n 's/.* time=\([0-9.]*\) ms.*/\1/p' | sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)]}'
}

# latency_start_prosody WORKDIR TESTBED_SERVER_NAME (modern, legacy, ...): a copy of that testbed Prosody
# bound to 198.18.0.2 in namespace S. Waits until 5222 listens.
latency_start_prosody() {
  local work=$1 name=$2
  local src="$TESTBED_DIR/conf/$name/prosody.cfg.lua" cfg="$work/prosody-$name.cfg.lua"
  [[ -f "$src" ]] || { lat_log "no testbed config $src"; return 1; }
  mkdir -p "$work/data-$name"
  python3 - "$src" "$cfg" "$work" "$name" "$LAT_SERVER_ADDR" <<'EOF'
import re, sys
src, dst, work, name, addr = sys.argv[1:]
text = open(src).read()
repl = {
    "pidfile": f'pidfile = "{work}/prosody-{name}.pid"',
    "data_path": f'data_path = "{work}/data-{name}"',
    "log": f'log = {{ {{ levels = {{ min = "info" }}, to = "file", filename = "{work}/prosody-{name}.log" }} }}',
    "interfaces": f'interfaces = {{ "{addr}" }}',
    "local_interfaces": f'local_interfaces = {{ "{addr}" }}',
    "use_ipv6": "use_ipv6 = false",
}
out = []
for line in text.splitlines():
    m = re.match(r"^(\w+) = ", line)
    out.append(repl[m.group(1)] if m and m.group(1) in repl else line)
open(dst, "w").write("\n".join(out) + "\n")
EOF
  local env=()
  [[ -f "$TESTBED_DIR/conf/$name/openssl.cnf" ]] && env=(env "OPENSSL_CONF=$TESTBED_DIR/conf/$name/openssl.cnf")
  ip netns exec "$LAT_NS_S" "${env[@]}" prosody --config "$cfg" -F >"$work/prosody-$name.out" 2>&1 &
  LAT_SERVER_PID=$!
  local i
  for i in $(seq 100); do
    if ip netns exec "$LAT_NS_S" ss -Hltn "sport = :5222" | grep -q "$LAT_SERVER_ADDR:5222"; then return 0; fi
    kill -0 "$LAT_SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  lat_log "prosody ($name) did not listen on $LAT_SERVER_ADDR:5222"; tail -n 20 "$work/prosody-$name.out" "$work/prosody-$name.log" >&2 2>/dev/null
  return 1
}

# latency_start_ejabberd WORKDIR TESTBED_SERVER_NAME: a copy of that testbed ejabberd in namespace S, started
# as deploy/testbed/lib/testbed.py starts it (erl -s ejabberd, -start_epmd false, no node name: no Erlang
# distribution, so no epmd and no node name that could clash with the testbed's node), from its ejabberd.yml
# with every listener's ip: rebound to 198.18.0.2 (same certfiles, ciphers, protocol_options, dhfile) and its
# own HOME, Mnesia dir, logs and crash dump under WORKDIR. Waits until 5222 listens (Erlang start-up: seconds).
latency_start_ejabberd() {
  local work=$1 name=$2
  local src="$TESTBED_DIR/conf/$name/ejabberd.yml" cfg="$work/ejabberd-$name.yml" home="$work/ejabberd-$name"
  [[ -f "$src" ]] || { lat_log "no testbed config $src"; return 1; }
  local app libs
  app=$(compgen -G "/usr/lib/*/ejabberd-*/ebin/ejabberd.app" | sort | tail -n 1) || true
  [[ -n "$app" ]] || { lat_log "ejabberd is not installed (no /usr/lib/*/ejabberd-*/ebin/ejabberd.app)"; return 1; }
  libs=$(dirname "$(dirname "$(dirname "$app")")")  # ERL_LIBS: the multiarch dir, as testbed.py's ejabberd_libs
  rm -rf "$home"
  mkdir -p "$home/mnesia" "$home/log"
  python3 - "$src" "$cfg" "$LAT_SERVER_ADDR" <<'EOF'
import re, sys
src, dst, addr = sys.argv[1:]
text = open(src).read()
# Only the listeners' bind address changes; "ip:" appears nowhere else in testbed.py's ejabberd.yml.
out, n = re.subn(r'^(\s+ip: )"[^"]*"$', rf'\1"{addr}"', text, flags=re.M)
if n == 0:
    sys.exit(f"latency: no listener ip: in {src}")
open(dst, "w").write(out)
EOF
  local env=(env "HOME=$home" "ERL_LIBS=$libs" "EJABBERD_CONFIG_PATH=$cfg"
             "EJABBERD_LOG_PATH=$home/log/ejabberd.log" "ERL_CRASH_DUMP=$home/log/erl_crash.dump"
             "ERL_CRASH_DUMP_BYTES=0")
  [[ -f "$TESTBED_DIR/conf/$name/openssl.cnf" ]] && env+=("OPENSSL_CONF=$TESTBED_DIR/conf/$name/openssl.cnf")
  (cd "$home" && exec ip netns exec "$LAT_NS_S" "${env[@]}" erl -noinput -noshell +K true -start_epmd false \
    -mnesia dir "\"$home/mnesia\"" -ejabberd log_path "\"$home/log/ejabberd.log\"" -s ejabberd) \
    >"$work/ejabberd-$name.out" 2>&1 &
  LAT_SERVER_PID=$!
  local i
  for i in $(seq 400); do
    if ip netns exec "$LAT_NS_S" ss -Hltn "sport = :5222" | grep -q "$LAT_SERVER_ADDR:5222"; then return 0; fi
    kill -0 "$LAT_SERVER_PID" 2>/dev/null || break
    sleep 0.1
  done
  lat_log "ejabberd ($name) did not listen on $LAT_SERVER_ADDR:5222"
  tail -n 20 "$work/ejabberd-$name.out" "$home/log/ejabberd.log" "$home/log/error.log" >&2 2>/dev/null
  return 1
}

# latency_start_server WORKDIR TESTBED_SERVER_NAME SOFTWARE: the copy for the manifest's software.
latency_start_server() {
  case "$3" in
    prosody) latency_start_prosody "$1" "$2" ;;
    ejabberd) latency_start_ejabberd "$1" "$2" ;;
    *) lat_log "no latency copy for software '$3' ($2)"; return 1 ;;
  esac
}

# The processes in namespace S (ip netns pids reads /proc/*/ns/net): only this run starts any there.
lat_server_ns_pids() {
  ip netns pids "$LAT_NS_S" 2>/dev/null || true
}

# Stops the server copy and everything else running in namespace S: Prosody, or ejabberd's beam.smp with the
# helpers it leaves behind (erl_child_setup and inet_gethost run in sessions of their own, so neither the PID
# nor the process group reaches them; an epmd would too). TERM, up to 5 s, then KILL; fails if any is left.
latency_stop_server() {
  local pids i
  if [[ -n "$LAT_SERVER_PID" ]]; then kill "$LAT_SERVER_PID" 2>/dev/null || true; fi
  for i in $(seq 50); do
    pids=$(lat_server_ns_pids)
    [[ -z "$pids" ]] && break
    # shellcheck disable=SC2086 # one PID per word
    if ((i == 1)); then kill $pids 2>/dev/null || true; fi
    sleep 0.1
  done
  pids=$(lat_server_ns_pids)
  # shellcheck disable=SC2086 # one PID per word
  if [[ -n "$pids" ]]; then kill -9 $pids 2>/dev/null || true; fi
  if [[ -n "$LAT_SERVER_PID" ]]; then
    kill -9 "$LAT_SERVER_PID" 2>/dev/null || true
    wait "$LAT_SERVER_PID" 2>/dev/null || true
    LAT_SERVER_PID=""
  fi
  for i in $(seq 50); do
    pids=$(lat_server_ns_pids)
    [[ -z "$pids" ]] && return 0
    sleep 0.1
  done
  lat_log "processes left in $LAT_NS_S: $pids"
  return 1
}

# latency_exec CMD...: run a command in the scanners' namespace.
latency_exec() { ip netns exec "$LAT_NS_C" "$@"; }

# Idempotent; safe from an EXIT trap after a partial latency_up.
latency_down() {
  ((LAT_UP)) || return 0
  latency_stop_server || true
  if [[ -n "$LAT_BRIDGE_PID" ]]; then
    kill "$LAT_BRIDGE_PID" 2>/dev/null || true
    wait "$LAT_BRIDGE_PID" 2>/dev/null || true
    LAT_BRIDGE_PID=""
  fi
  local ns
  for ns in "$LAT_NS_C" "$LAT_NS_B" "$LAT_NS_S"; do
    ip netns del "$ns" 2>/dev/null || true
  done
  LAT_UP=0
}
