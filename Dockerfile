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
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q package -DskipTests \
 && java -Djarmode=tools -jar target/barrage-*.jar extract --layers --launcher --destination /layers

FROM eclipse-temurin:25-jre
RUN groupadd --system --gid 10001 barrage \
 && useradd --system --uid 10001 --gid barrage --no-create-home --shell /usr/sbin/nologin barrage
WORKDIR /app
# Least-changing layers first so a code change rebuilds only the last one.
COPY --from=build /layers/dependencies/ ./
COPY --from=build /layers/spring-boot-loader/ ./
COPY --from=build /layers/snapshot-dependencies/ ./
COPY --from=build /layers/application/ ./
USER 10001:10001
EXPOSE 8080
# The heap holds histograms, snapshots and small per-connection buffers, never bodies. A 10,000-user run
# ran at full speed in a 256 MB heap, the whole JVM peaking under 450 MB RSS (docs/performance.md), so
# 75% of the container's memory is ample for the heap and leaves room for stacks, metaspace and code.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
# Hazelcast's documented flags (a cluster node, barrage.cluster.enabled=true, needs them; harmless otherwise)
EXPOSE 5701
ENTRYPOINT ["java", "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED", \
    "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/java.nio=ALL-UNNAMED", \
    "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens", "java.management/sun.management=ALL-UNNAMED", \
    "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED", \
    "org.springframework.boot.loader.launch.JarLauncher"]
