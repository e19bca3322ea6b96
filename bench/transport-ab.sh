#!/usr/bin/env bash
# The engine alone (no Spring, no REST), old build against new, alternating, against one nginx:
# less noise than a whole-service comparison, for changes on the request path.
#
#   OLD_CLASSES=/tmp/old/target/classes NEW_CLASSES=target/classes bench/transport-ab.sh
#   ROUNDS=3 HARNESS=EngineBench bench/transport-ab.sh
#
#   HARNESS=TransportBench (default): 100 virtual threads, each a TransportSession looping on
#            GET /fast; 12 s warm-up, then 4 samples of 3 s req/s per JVM.
#   HARNESS=EngineBench: LoadEngine closed model, 100 users, 6 runs of 4 s, the last 4 counted.
# nginx (one worker, return 200) on CPU 0 at 127.0.0.1:8099, the JVM under test on CPU 1.
# OLD_CLASSES and NEW_CLASSES are target/classes directories of the two builds (build the old one
# from a git worktree: git worktree add /tmp/old <commit> && (cd /tmp/old && ./mvnw -q package -DskipTests)).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
OLD_CLASSES=${OLD_CLASSES:?set OLD_CLASSES to the old build\'s target/classes}
NEW_CLASSES=${NEW_CLASSES:-$ROOT/target/classes}
ROUNDS=${ROUNDS:-3}
HARNESS=${HARNESS:-TransportBench}
JAVA_HOME=${JAVA_HOME_25:-/usr/lib/jvm/temurin-25-jdk-amd64}
HDR=$(find "$HOME/.m2" -name 'HdrHistogram-2.2.2.jar' | head -1)
[ -n "$HDR" ] || { echo "HdrHistogram 2.2.2 not in ~/.m2: run ./mvnw package once" >&2; exit 1; }
TMP=$(mktemp -d)
trap '[ -f "$TMP/nginx.pid" ] && kill "$(cat "$TMP/nginx.pid")" 2>/dev/null; rm -rf "$TMP"' EXIT

cat > "$TMP/nginx.conf" <<CONF
worker_processes 1;
pid $TMP/nginx.pid;
error_log $TMP/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path $TMP; proxy_temp_path $TMP; fastcgi_temp_path $TMP; uwsgi_temp_path $TMP; scgi_temp_path $TMP;
  server { listen 127.0.0.1:8099; location /fast { return 200 "ok\n"; } }
}
CONF
taskset -c 0 nginx -c "$TMP/nginx.conf" -p "$TMP"
sleep 0.5

"$JAVA_HOME/bin/javac" -cp "$NEW_CLASSES:$HDR" -d "$TMP/harness" "$HERE/harness/$HARNESS.java"
for round in $(seq "$ROUNDS"); do
    for build in old new; do
        classes=$OLD_CLASSES
        [ "$build" = new ] && classes=$NEW_CLASSES
        printf 'round %s %-4s ' "$round" "$build"
        taskset -c 1 "$JAVA_HOME/bin/java" -cp "$TMP/harness:$classes:$HDR" "$HARNESS" 3 "$build" | tr '\n' ' '
        echo
    done
done
