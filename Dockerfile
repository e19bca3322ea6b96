# syntax=docker/dockerfile:1
# Build: docker build -t barrage .     Run: docker run -p 8080:8080 barrage
# Inside the container 127.0.0.1 is the container itself, and by default Barrage only sends load to
# loopback. To load a service on the host, allow it by name:
#   docker run -p 8080:8080 --add-host=host.docker.internal:host-gateway \
#     -e BARRAGE_TARGETS_ALLOW='localhost,127.0.0.0/8,::1,host.docker.internal' barrage
# then aim tests at http://host.docker.internal:PORT/ (see barrage.targets.allow in the README).

FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q dependency:go-offline
COPY src/ src/
# Extracted (lib/*.jar beside barrage.jar), the form the JVM's AOT cache needs: it cannot cache
# classes read from jars nested in a jar.
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && cp target/barrage-*.jar /barrage.jar \
 && java -Djarmode=tools -jar /barrage.jar extract --layers --destination /layers

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 barrage \
 && useradd --system --uid 10001 --gid barrage --no-create-home --shell /usr/sbin/nologin barrage
WORKDIR /app
# Least-changing layers first so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
# Hazelcast's documented flags (a cluster node, barrage.cluster.enabled=true, needs them; harmless
# otherwise). The training run below and the service use the same ones, so the AOT cache fits.
ENV BARRAGE_MODULE_FLAGS="--add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
--add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.nio=ALL-UNNAMED \
--add-opens java.base/sun.nio.ch=ALL-UNNAMED --add-opens java.management/sun.management=ALL-UNNAMED \
--add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED"
# Spring's build-time (AOT) processing: the bean definitions the build wrote as code are used instead
# of being found by reflection at start-up. It fixes at build time which beans exist, so settings that
# add or remove Spring beans are read then, not at start-up; management.server.port is refused
# with a message (README, "Run it"). Run with -e BARRAGE_SPRING_AOT= (empty) to start without it.
ENV BARRAGE_SPRING_AOT=-Dspring.aot.enabled=true
# The AOT cache (JDK 25): one training run that starts the service, lets its start-up warm-up run
# the engine against its own loopback responder (nothing leaves the build), and stops it, recording
# the classes it loaded and linked and the profiles of the methods it ran hot. With both, the service
# answers in about 0.3x the time of the plain jar on one core and is ready (warmed up) in about 0.45x
# (docs/performance.md). The cache belongs to this image's JVM and jars: it is made here, in the
# image that runs it, with the same jar and flags as the ENTRYPOINT.
COPY --chmod=755 docker/aot-training.sh /usr/local/bin/aot-training.sh
RUN aot-training.sh barrage.aot barrage.jar $BARRAGE_MODULE_FLAGS $BARRAGE_SPRING_AOT && test -s barrage.aot
USER 10001:10001
EXPOSE 8080
# The heap holds histograms, snapshots and small per-connection buffers, never bodies, so 75% of the
# container's memory is ample for it and leaves room for stacks, metaspace and code. Glibc keeps
# memory the JVM has freed (the JIT's arenas above all) unless asked to give it back: trimming it
# every second takes 20-25 MB off the footprint outside the heap; a young generation of a fifth of
# the heap rather than a third takes 8-10 MB off it, at the same speed. JIT thresholds ten times
# HotSpot's leave start-up's run-once code to the interpreter: healthy sooner and a lower peak, while
# the engine's per-request methods still reach C2 during the warm-up (docs/performance.md).
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:NewRatio=4 -XX:+ExitOnOutOfMemoryError -XX:TrimNativeHeapInterval=1000 -XX:CompileThresholdScaling=10"
EXPOSE 5701
# sh -c only to expand the flags; exec hands PID 1 to the JVM, so SIGTERM reaches it.
ENTRYPOINT ["sh", "-c", "exec java -XX:AOTCache=barrage.aot $BARRAGE_MODULE_FLAGS $BARRAGE_SPRING_AOT -jar barrage.jar \"$@\"", "barrage"]
