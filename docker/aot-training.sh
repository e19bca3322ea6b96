#!/bin/sh
# Makes the JVM's AOT cache (JDK 25) for Barrage by one training run that goes through the service's
# start-up warm-up: the cache then holds the classes start-up loads and links, and the profiles of
# the engine's hot methods under load, so that a service started with it is ready sooner
# (docs/performance.md, "The AOT cache trained through the warm-up").
#
#   docker/aot-training.sh CACHE JAR [JVM FLAG...]
#   sh docker/aot-training.sh app/barrage.aot app/barrage-0.1.0-SNAPSHOT.jar -Dspring.aot.enabled=true
#
# JAR must be the extracted application (java -Djarmode=tools -jar barrage.jar extract), started
# later from the same path with the same JVM flags (-Dspring.aot.enabled=true among them if the
# training used it) and -XX:AOTCache=CACHE. The run binds an
# ephemeral port on 127.0.0.1 only, sends nothing beyond the JVM (the warm-up's target is its own
# loopback responder), and is stopped with SIGTERM once the log says how the warm-up ended; the JVM
# writes the cache as it exits. JAVA names the java binary (default: java on the PATH).
set -eu
[ $# -ge 2 ] || { echo "usage: $0 CACHE JAR [JVM FLAG...]" >&2; exit 2; }
cache=$1
jar=$2
shift 2
log=$(mktemp)
"${JAVA:-java}" -XX:AOTCacheOutput="$cache" "$@" -jar "$jar" \
    --server.port=0 --server.address=127.0.0.1 --barrage.warmup.enabled=true >"$log" 2>&1 &
pid=$!
waited=0
until grep -q "Warm-up " "$log"; do
    if ! kill -0 "$pid" 2>/dev/null; then
        cat "$log" >&2
        echo "$0: the training run ended before its warm-up did" >&2
        exit 1
    fi
    if [ "$waited" -ge 300 ]; then
        kill "$pid"
        cat "$log" >&2
        echo "$0: no end of the warm-up within 300 s" >&2
        exit 1
    fi
    sleep 1
    waited=$((waited + 1))
done
grep "Warm-up " "$log"
kill -TERM "$pid"
wait "$pid" || true # 143: ended by the SIGTERM, as asked
if [ ! -s "$cache" ]; then
    cat "$log" >&2
    echo "$0: the JVM wrote no AOT cache at $cache" >&2
    exit 1
fi
rm -f "$log"
echo "$0: wrote $cache ($(wc -c <"$cache") bytes) after ${waited} s"
