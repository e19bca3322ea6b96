package dev.barrage.fuzz;

import dev.barrage.fuzz.Json.Obj;
import dev.barrage.fuzz.Json.Raw;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates malformed (and now and then valid) test definitions for POST /tests from a few valid
 * bases. Every case is a pure function of its own random, so a seed and a case index reproduce it.
 */
final class DefinitionMutator {

    /** One generated input: the body bytes, the Content-Type to send (null: none), and what was done. */
    record Case(byte[] body, String contentType, String recipe) {
    }

    private static final int HUGE = 300 * 1024;

    private final String url;
    private final String host;

    /** @param targetPort a loopback port where a harmless target listens */
    DefinitionMutator(int targetPort) {
        this.host = "127.0.0.1:" + targetPort;
        this.url = "http://" + host + "/fuzz";
    }

    Case generate(SplittableRandom random) {
        List<String> recipe = new ArrayList<>();
        int roll = random.nextInt(100);
        if (roll < 5) {
            String special = pick(random, specialBodies(random));
            recipe.add("special body");
            return new Case(special.getBytes(StandardCharsets.UTF_8), "application/json", String.join(", ", recipe));
        }
        if (roll < 9) {
            List<String> extremes = validExtremes();
            int index = random.nextInt(extremes.size());
            return new Case(extremes.get(index).getBytes(StandardCharsets.UTF_8), "application/json",
                    "valid extreme " + index);
        }
        int baseIndex = random.nextInt(8);
        Obj root = base(baseIndex);
        recipe.add("base " + baseIndex);
        int mutations = roll < 10 ? 0 : 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            recipe.add(mutateTree(root, random));
        }
        byte[] body = Json.write(root).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(100) < 18) {
            TextMutation text = mutateText(body, random);
            body = text.body();
            recipe.add(text.what());
        }
        String contentType = "application/json";
        if (random.nextInt(100) < 3) {
            contentType = pick(random, List.of("text/plain", "application/json;charset=utf-16",
                    "application/json;charset=bogus-charset", "application/xml", "", "application/problem+json",
                    "application/json-patch+json", "*/*", "application/x-www-form-urlencoded", "multipart/form-data"));
            recipe.add("content type '" + contentType + "'");
            if (contentType.isEmpty()) {
                contentType = null;
            }
        }
        return new Case(body, contentType, String.join(", ", recipe));
    }

    // --- valid bases ------------------------------------------------------------------------------

    Obj base(int index) {
        return switch (index) {
            case 0 -> new Obj()
                    .put("name", "fuzz closed")
                    .put("request", new Obj().put("method", "GET").put("url", url)
                            .put("headers", new Obj().put("Accept", "text/plain").put("X-Fuzz", "1"))
                            .put("timeout", "1s").put("keepAlive", true).put("insecureTls", false))
                    .put("workload", new Obj().put("model", "closed").put("concurrency", 1).put("duration", "1s")
                            .put("rampUp", "0s"))
                    .put("expectedStatus", Json.array(200, 399))
                    .put("thresholds", Json.array("p99 < 250ms", "error_rate < 0.01"))
                    .put("priority", "LOW");
            case 1 -> new Obj()
                    .put("name", "fuzz open")
                    .put("request", new Obj().put("method", "POST").put("url", url)
                            .put("headers", new Obj().put("Content-Type", "application/json"))
                            .put("body", "{\"item\": 1}"))
                    .put("workload", new Obj().put("model", "open").put("rate", 5).put("duration", "1s")
                            .put("maxConcurrency", 2))
                    .put("thresholds", Json.array("rps >= 1"));
            case 2 -> new Obj()
                    .put("request", new Obj().put("url", url))
                    .put("workload", new Obj().put("model", "closed").put("stages", Json.array(
                            new Obj().put("duration", "500ms").put("target", 2),
                            new Obj().put("duration", "500ms").put("target", 0))));
            case 3 -> new Obj()
                    .put("request", new Obj().put("url", url).put("method", "PUT").put("body", "x"))
                    .put("workload", new Obj().put("model", "open").put("maxConcurrency", 2).put("stages", Json.array(
                            new Obj().put("duration", "1s").put("target", 10.5))))
                    .put("priority", "HIGH");
            case 4 -> new Obj()
                    .put("name", "fuzz thresholds")
                    .put("request", new Obj().put("url", url).put("method", "HEAD").put("keepAlive", false))
                    .put("workload", new Obj().put("concurrency", 2).put("duration", "PT1S"))
                    .put("expectedStatus", Json.array(100, 599))
                    .put("thresholds", Json.array("p50 < 1s", "p90 <= 1.5s", "p95 > 1us", "p99 >= 0ms",
                            "p999 < 2m", "max < 1h", "mean < 250ms", "error_rate <= 1", "rps > 0.5"));
            case 6 -> new Obj()
                    .put("name", "fuzz scenarios")
                    .put("variables", new Obj().put("base", url.substring(0, url.lastIndexOf('/'))))
                    .put("data", new Obj().put("csv", "user,n\nu1,1\n\"u,2\",2\n").put("order", "sequence"))
                    .put("scenarios", Json.array(
                            new Obj().put("name", "a").put("weight", 3).put("steps", Json.array(
                                    new Obj().put("name", "first")
                                            .put("request", new Obj().put("url", "{{base}}/a?u={{data.user}}&r={{$randomInt(1,9)}}")
                                                    .put("headers", new Obj().put("X-Id", "{{$uuid}}")))
                                            .put("checks", Json.array(new Obj().put("status", Json.array(200, 299)),
                                                    new Obj().put("bodyContains", "ok")))
                                            .put("capture", Json.array(new Obj().put("regex", "(o)k").put("as", "letter"))),
                                    new Obj().put("think", "10ms"),
                                    new Obj().put("name", "second")
                                            .put("request", new Obj().put("method", "POST").put("url", "{{base}}/b")
                                                    .put("body", "{\"l\":\"{{letter}}\",\"s\":\"{{$randomString(4)}}\"}"))
                                            .put("checks", Json.array(new Obj().put("maxDuration", "1s"))))),
                            new Obj().put("name", "b").put("steps", Json.array(
                                    new Obj().put("request", new Obj().put("url", "{{base}}/c?vu={{$vu}}&i={{$iteration}}"))
                                            .put("checks", Json.array(new Obj().put("header", "Content-Length").put("equals", "2")))))))
                    .put("workload", new Obj().put("model", "open").put("rate", 5).put("duration", "1s").put("maxConcurrency", 2))
                    .put("thresholds", Json.array("checks >= 0.5", "p95{step=\"first\"} < 1s", "error_rate{scenario=\"b\"} < 0.5"));
            case 7 -> new Obj()
                    .put("name", "fuzz templated request")
                    .put("data", new Obj().put("rows", Json.array(new Obj().put("id", 1), new Obj().put("id", "two"))))
                    .put("request", new Obj().put("url", url + "?id={{data.id}}&t={{$timestamp}}")
                            .put("headers", new Obj().put("X-Key", "{{$uuid}}")))
                    .put("workload", new Obj().put("concurrency", 1).put("duration", "1s"))
                    .put("thresholds", Json.array("p99{step=\"request\"} < 1s"));
            default -> new Obj()
                    .put("request", new Obj().put("url", url))
                    .put("workload", new Obj().put("concurrency", 1).put("duration", "1s"));
        };
    }

    /**
     * Valid definitions at the edges of what is allowed (with this test's limits: 2s, 2 users, 50/s):
     * each either starts a short run, queues, or meets a full queue; none may fail the engine.
     */
    List<String> validExtremes() {
        String r = "{\"url\": \"" + url + "\"}";
        return List.of(
                "{\"request\": {\"url\": \"" + url + "\", \"method\": \"OPTIONS\", \"headers\": {\"X-Uni\": \"é ☃ \uD83D\uDE00\", "
                        + "\"Host\": \"\", \"Expect\": \"100-continue\"}, \"body\": \"" + "☃".repeat(1000)
                        + "\", \"timeout\": \"1ms\", \"keepAlive\": false}, \"workload\": {\"concurrency\": 2, \"duration\": \"1s\"}}",
                "{\"request\": " + r + ", \"workload\": {\"model\": \"open\", \"rate\": 1e-310, \"duration\": \"1s\"}}",
                "{\"request\": " + r + ", \"workload\": {\"model\": \"open\", \"rate\": 50, \"rampUp\": \"1s\", \"duration\": \"1s\", \"maxConcurrency\": 1}}",
                "{\"request\": " + r + ", \"workload\": {\"model\": \"open\", \"rate\": 0.5, \"duration\": \"2s\"}}",
                "{\"request\": " + r + ", \"workload\": {\"model\": \"open\", \"stages\": [{\"duration\": \"1ms\", \"target\": 50}, "
                        + "{\"duration\": \"1999ms\", \"target\": 1e-300}]}}",
                "{\"request\": " + r + ", \"workload\": {\"model\": \"open\", \"stages\": [{\"duration\": \"1s\", \"target\": 4.9e-324}]}}",
                "{\"request\": " + r + ", \"workload\": {\"stages\": [{\"duration\": \"1s\", \"target\": 2}, {\"duration\": \"1s\", \"target\": 0}], "
                        + "\"rampUp\": \"0s\"}}",
                "{\"request\": " + r + ", \"workload\": {\"concurrency\": 2, \"rampUp\": \"1s\", \"duration\": \"1s\"}, \"expectedStatus\": [100, 100]}",
                "{\"request\": {\"url\": \"http://localhost:" + host.substring(host.indexOf(':') + 1) + "/?q=a%20b#frag\", \"method\": \"patch\", "
                        + "\"body\": \"\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}, \"expectedStatus\": [599, 599], "
                        + "\"thresholds\": [\"p50 < 1us\", \"rps >= 1e300\", \"error_rate > -1\", \"max <= 5m\"]}",
                "{\"request\": {\"url\": \"http://[::1]:9/\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}}",
                "{\"request\": {\"url\": \"HTTP://" + host + "\", \"timeout\": \"5m\"}, \"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}, "
                        + "\"name\": \"" + "☃".repeat(200) + "\", \"priority\": \"HIGH\"}",
                "{\"name\": \"\", \"request\": {\"url\": \"https://" + host + "/\", \"insecureTls\": true, \"timeout\": \"200ms\"}, "
                        + "\"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}}",
                "{\"request\": {\"url\": \"" + url + "\", \"method\": \"POST\", \"body\": \"" + "B".repeat(1_048_576) + "\"}, "
                        + "\"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}}",
                "{\"request\": {\"url\": \"" + url + "\", \"headers\": {" + manyHeaders() + "}}, "
                        + "\"workload\": {\"concurrency\": 1, \"duration\": \"1s\"}, \"priority\": \"LOW\"}");
    }

    private static String manyHeaders() {
        StringBuilder headers = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            headers.append(i == 0 ? "" : ", ").append("\"X-H").append(i).append("\": \"").append("h".repeat(8192)).append('"');
        }
        return headers.toString();
    }

    // --- tree mutations ---------------------------------------------------------------------------

    private record Slot(Object container, int index, String path) {

        Object get() {
            return container instanceof Obj obj ? obj.values.get(index) : ((List<?>) container).get(index);
        }

        @SuppressWarnings("unchecked")
        void set(Object value) {
            if (container instanceof Obj obj) {
                obj.values.set(index, value);
            } else {
                ((List<Object>) container).set(index, value);
            }
        }

        void delete() {
            if (container instanceof Obj obj) {
                obj.remove(index);
            } else {
                ((List<?>) container).remove(index);
            }
        }

        String key() {
            return container instanceof Obj obj ? obj.keys.get(index) : null;
        }
    }

    private static List<Slot> slots(Object root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, "", slots);
        return slots;
    }

    private static void collect(Object node, String path, List<Slot> slots) {
        if (node instanceof Obj obj) {
            for (int i = 0; i < obj.keys.size(); i++) {
                String child = path.isEmpty() ? obj.keys.get(i) : path + "." + obj.keys.get(i);
                slots.add(new Slot(obj, i, child));
                collect(obj.values.get(i), child, slots);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                String child = path + "[" + i + "]";
                slots.add(new Slot(list, i, child));
                collect(list.get(i), child, slots);
            }
        }
    }

    private static List<Obj> objects(Object root) {
        List<Obj> objects = new ArrayList<>();
        if (root instanceof Obj obj) {
            objects.add(obj);
        }
        for (Slot slot : slots(root)) {
            if (slot.get() instanceof Obj obj) {
                objects.add(obj);
            }
        }
        return objects;
    }

    private String mutateTree(Obj root, SplittableRandom random) {
        List<Slot> slots = slots(root);
        Slot slot = slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
        int kind = random.nextInt(17);
        if (slot == null && kind < 4) {
            kind = 4;
        }
        switch (kind) {
            case 0 -> {
                slot.delete();
                return "delete " + slot.path();
            }
            case 1 -> {
                slot.set(null);
                return "null " + slot.path();
            }
            case 2, 3 -> {
                Object value = wrongValue(random);
                slot.set(value);
                return "set " + slot.path() + " = " + shorten(Json.write(value));
            }
            case 4 -> {
                List<Obj> objects = objects(root);
                Obj target = objects.get(random.nextInt(objects.size()));
                String key = pick(random, unknownKeys());
                target.add(key, wrongValue(random));
                return "unknown field " + shorten(key);
            }
            case 5 -> {
                return setPath(root, random, pick(random, List.of("request.timeout", "workload.duration",
                        "workload.rampUp", "workload.stages.duration")), weirdDuration(random), "duration");
            }
            case 6 -> {
                return setPath(root, random, pick(random, List.of("workload.model", "priority", "request.method")),
                        pick(random, unknownEnums()), "enum");
            }
            case 7 -> {
                return setPath(root, random, pick(random, List.of("workload.concurrency", "workload.rate",
                        "workload.maxConcurrency", "workload.stages.target", "expectedStatus.0")),
                        pick(random, hugeNumbers()), "number");
            }
            case 8 -> {
                return setPath(root, random, "request.url", pick(random, brokenUrls()), "url");
            }
            case 9 -> {
                List<Slot> strings = slots.stream().filter(s -> s.get() instanceof String).toList();
                if (strings.isEmpty()) {
                    return "no string to enlarge";
                }
                Slot text = strings.get(random.nextInt(strings.size()));
                text.set(hugeString(random));
                return "300kB string in " + text.path();
            }
            case 10 -> {
                // at most 3 fields, so the body stays under Tomcat's 2 MB swallow limit (see the dedicated test)
                int count = 0;
                for (Slot s : slots) {
                    if (s.get() instanceof String && count < 3) {
                        s.set(hugeString(random));
                        count++;
                    }
                }
                return "300kB strings in the first " + count + " string fields";
            }
            case 11 -> {
                return headers(root, random);
            }
            case 12 -> {
                root.put("thresholds", thresholds(random));
                return "thresholds = " + shorten(Json.write(root.get("thresholds")));
            }
            case 13 -> {
                return stages(root, random);
            }
            case 14 -> {
                Object value = pick(random, List.of(Json.array(), Json.array(200), Json.array(399, 200),
                        Json.array(0, 999), Json.array("200", 300), Json.array(200.5, 300), Json.array(null, null),
                        Json.array(200, 300, 400), Json.array(Json.array(200), Json.array(300)),
                        Json.array(new Raw("99999999999999999999"), 300), "200-399", 200, new Obj().put("from", 200),
                        Json.array(-1, -1), Json.array(100, 100), Json.array(599, 599)));
                root.put("expectedStatus", value);
                return "expectedStatus = " + Json.write(value);
            }
            case 15 -> {
                Object nest = deepNest(random);
                if (slot == null || random.nextBoolean()) {
                    root.add(pick(random, List.of("request", "workload", "extra", "thresholds")), nest);
                    return "deep nesting appended at the top";
                }
                slot.set(nest);
                return "deep nesting at " + slot.path();
            }
            default -> {
                // a duplicate key: same key again, with a copy or a different value
                List<Obj> objects = objects(root);
                Obj target = objects.get(random.nextInt(objects.size()));
                if (target.keys.isEmpty()) {
                    target.add("request", null);
                    target.add("request", null);
                    return "duplicate empty keys";
                }
                int at = random.nextInt(target.keys.size());
                Object value = random.nextBoolean() ? Json.copy(target.values.get(at)) : wrongValue(random);
                target.add(target.keys.get(at), value);
                return "duplicate key " + target.keys.get(at);
            }
        }
    }

    /** Sets a dotted path (".stages." picks or makes a stage, ".0" an array element), creating objects on the way. */
    @SuppressWarnings("unchecked")
    private static String setPath(Obj root, SplittableRandom random, String path, Object value, String what) {
        String[] parts = path.split("\\.");
        Object node = root;
        for (int i = 0; i < parts.length - 1; i++) {
            String part = parts[i];
            if (!(node instanceof Obj obj)) {
                return what + ": " + path + " unreachable";
            }
            Object next = obj.get(part);
            if (part.equals("stages")) {
                if (!(next instanceof List<?>) || ((List<?>) next).isEmpty()
                        || !(((List<?>) next).getFirst() instanceof Obj)) {
                    next = Json.array(new Obj().put("duration", "1s").put("target", 1));
                    obj.put(part, next);
                }
                List<Object> stages = (List<Object>) next;
                Object stage = stages.get(random.nextInt(stages.size()));
                if (!(stage instanceof Obj)) {
                    return what + ": " + path + " unreachable";
                }
                node = stage;
                continue;
            }
            if (!(next instanceof Obj) && !(next instanceof List<?>)) {
                next = new Obj();
                obj.put(part, next);
            }
            node = next;
        }
        String last = parts[parts.length - 1];
        if (node instanceof Obj obj) {
            obj.put(last, value);
        } else if (node instanceof List<?> list && last.chars().allMatch(Character::isDigit)) {
            int index = Integer.parseInt(last);
            if (index < list.size()) {
                ((List<Object>) list).set(index, value);
            } else {
                ((List<Object>) list).add(value);
            }
        } else {
            return what + ": " + path + " unreachable";
        }
        return what + " " + path + " = " + shorten(Json.write(value));
    }

    private String headers(Obj root, SplittableRandom random) {
        Object request = root.get("request");
        if (!(request instanceof Obj req)) {
            return "headers: no request object";
        }
        int kind = random.nextInt(9);
        Obj headers = new Obj();
        String what;
        switch (kind) {
            case 0 -> {
                for (int i = 0; i < 101 + random.nextInt(2000); i++) {
                    headers.add("X-H" + i, "v" + i);
                }
                what = "over 100 headers";
            }
            case 1 -> {
                for (int i = 0; i < 100; i++) {
                    headers.add("X-Long-" + i, "v".repeat(8192));
                }
                what = "100 headers of 8192 characters";
            }
            case 2 -> {
                headers.add("X-Too-Long", "v".repeat(8193 + random.nextInt(HUGE)));
                what = "a header value over 8192 characters";
            }
            case 3 -> {
                String name = pick(random, List.of("Bad Header", "X:Y", "", " ", "é", "X-A\r\nInjected", "X\u0000",
                        "(paren)", "X-" + "n".repeat(HUGE), "\uD83D\uDE00", "X-A\t"));
                headers.add(name, "v");
                what = "header name " + shorten(name);
            }
            case 4 -> {
                Object value = pick(random, List.of("a\r\nX-Injected: 1", "a\nb", "a\rb", "\u0000", "é ünicode ✓",
                        "", " ", "\t", "\uD83D\uDE00", "\uD800"));
                headers.add("X-Value", value);
                what = "header value " + shorten(Json.write(value));
            }
            case 5 -> {
                String name = pick(random, List.of("Content-Length", "content-length", "Transfer-Encoding",
                        "Connection", "CONNECTION", "Host", "host", "User-Agent", "Accept", "Expect", "Upgrade"));
                headers.add(name, pick(random, List.of("5", "0", "-1", "chunked", "close", "", "keep-alive",
                        "100-continue", "h2c", "127.0.0.1")));
                what = "transport header " + name;
            }
            case 6 -> {
                headers.add("X-Value", wrongValue(random));
                what = "header value of a wrong type";
            }
            case 7 -> {
                req.put("headers", wrongValue(random));
                return "headers = wrong type";
            }
            default -> {
                headers.add("X-Dup", "1");
                headers.add("x-dup", "2");
                headers.add("X-Dup", "3");
                what = "duplicate header names";
            }
        }
        req.put("headers", headers);
        return what;
    }

    private Object thresholds(SplittableRandom random) {
        int kind = random.nextInt(5);
        List<Object> garbage = List.of("p99 <", "< 250ms", "p99 < -5ms", "rps >= NaN", "rps >= Infinity",
                "error_rate < 1e999", "error_rate < 0x1p-3", "p99<250ms", "P99 < 250MS", "max >= 99999999h",
                "max >= 99999999999999999999h", "p99 < PT3000000H", "p99 < PT9223372036854775807S",
                "mean < P99999999999D", "p99 < PT-1S", "p99 == 1s", "p99 =< 1s", "p99 < 1s extra", "p100 < 1s",
                "rps", "", " ", "\u0000", "p99 < 1ns", "p99 < 1 s", "error_rate < 1e308", "rps > -1e308",
                "rps > 4.9e-324", "p99 < 0.0000000001ms", "p99 < µs", "p99 ≤ 1s", "p99 < 1s\r\n", "p99 < " + "9".repeat(190) + "s",
                "x".repeat(201), "p99 < 250ms".repeat(20));
        return switch (kind) {
            case 0 -> Json.array(pick(random, garbage));
            case 1 -> {
                List<Object> many = new ArrayList<>();
                for (int i = 0; i < 51 + random.nextInt(100); i++) {
                    many.add("p99 < " + (i + 1) + "ms");
                }
                yield many;
            }
            case 2 -> Json.array(pick(random, garbage), null, 42, true, Json.array("p99 < 1s"), new Obj());
            case 3 -> pick(random, List.of("p99 < 250ms", 42, true, new Obj().put("p99", "250ms")));
            default -> {
                List<Object> some = new ArrayList<>();
                for (int i = 0; i < 1 + random.nextInt(5); i++) {
                    some.add(pick(random, garbage));
                }
                yield some;
            }
        };
    }

    private String stages(Obj root, SplittableRandom random) {
        Object workload = root.get("workload");
        if (!(workload instanceof Obj work)) {
            return "stages: no workload object";
        }
        int kind = random.nextInt(7);
        Object stages = switch (kind) {
            case 0 -> Json.array();
            case 1 -> {
                List<Object> many = new ArrayList<>();
                for (int i = 0; i < 101 + random.nextInt(50); i++) {
                    many.add(new Obj().put("duration", "10ms").put("target", 1));
                }
                yield many;
            }
            case 2 -> Json.array(new Obj().put("duration", "1s").put("target", pick(random, hugeNumbers())));
            case 3 -> Json.array(new Obj().put("duration", weirdDuration(random)).put("target", 1));
            case 4 -> Json.array(new Obj().put("target", 1), new Obj().put("duration", "1s"), null, new Obj());
            case 5 -> Json.array(new Obj().put("duration", "1s").put("target", 1).put("extra", true));
            default -> Json.array(new Obj().put("duration", "1h").put("target", 1),
                    new Obj().put("duration", "1h").put("target", 0), new Obj().put("duration", "1ms").put("target", 0));
        };
        work.put("stages", stages);
        if (random.nextBoolean()) {
            work.remove(work.keys.indexOf("stages"));
            work.keys.addFirst("stages");
            work.values.addFirst(stages);
        }
        return "stages = " + shorten(Json.write(stages));
    }

    private static Object deepNest(SplittableRandom random) {
        int depth = pick(random, List.of(10, 200, 999, 1001, 1500, 5000, 20000));
        boolean arrays = random.nextBoolean();
        String open = arrays ? "[" : "{\"a\":";
        String close = arrays ? "]" : "}";
        return new Raw(open.repeat(depth) + "1" + close.repeat(depth));
    }

    // --- text mutations ---------------------------------------------------------------------------

    private record TextMutation(byte[] body, String what) {
    }

    private static TextMutation mutateText(byte[] body, SplittableRandom random) {
        int kind = random.nextInt(9);
        switch (kind) {
            case 0, 1 -> {
                int at = random.nextInt(Math.max(1, body.length));
                return new TextMutation(java.util.Arrays.copyOf(body, at), "truncated at byte " + at);
            }
            case 2, 3 -> {
                byte[] flipped = body.clone();
                int flips = 1 + random.nextInt(6);
                StringBuilder where = new StringBuilder();
                for (int i = 0; i < flips && flipped.length > 0; i++) {
                    int at = random.nextInt(flipped.length);
                    flipped[at] = random.nextBoolean() ? (byte) random.nextInt(256) : (byte) (flipped[at] ^ (1 << random.nextInt(8)));
                    where.append(at).append(' ');
                }
                return new TextMutation(flipped, "bytes flipped at " + where.toString().strip());
            }
            case 4 -> {
                String suffix = pick(random, List.of(" xyz", "}", "{}", "\u0000", "]", ",", " // comment", "\n\n\n", "null"));
                return new TextMutation(concat(body, suffix.getBytes(StandardCharsets.UTF_8)),
                        "trailing " + Json.write(suffix));
            }
            case 5 -> {
                return new TextMutation(concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, body), "UTF-8 BOM");
            }
            case 6 -> {
                String text = new String(body, StandardCharsets.UTF_8);
                int at = text.indexOf(',');
                String commented = at < 0 ? text : text.substring(0, at + 1) + "/* comment */" + text.substring(at + 1);
                return new TextMutation(commented.getBytes(StandardCharsets.UTF_8), "comment inserted");
            }
            case 7 -> {
                String text = new String(body, StandardCharsets.UTF_8).replace('"', '\'');
                return new TextMutation(text.getBytes(StandardCharsets.UTF_8), "single quotes");
            }
            default -> {
                if (body.length > 900_000) { // twice that would pass Tomcat's 2 MB swallow limit
                    return new TextMutation(java.util.Arrays.copyOf(body, body.length / 2), "truncated at half");
                }
                byte[] latin = new String(body, StandardCharsets.UTF_8).replace("fuzz", "füzz ☃")
                        .getBytes(StandardCharsets.UTF_16LE);
                return new TextMutation(latin, "UTF-16LE without BOM");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    // --- value pools ------------------------------------------------------------------------------

    private List<String> specialBodies(SplittableRandom random) {
        String valid = Json.write(base(5));
        return List.of("", " ", "\n", "null", "[]", "[" + valid + "]", "[" + valid + "," + valid + "]", "\"string\"",
                "42", "-1", "1e308", "true", "false", "{}", "{", "}", "{\"request\":", "NaN", valid + valid,
                valid + "\n" + valid, " ".repeat(2 * 1024 * 1024), "[".repeat(100_000), "{\"a\":".repeat(50_000),
                "\u0000", "\uFEFF", "{\"request\": null, \"workload\": null}", "{\"\": \"\"}",
                "{\"request\": {}, \"workload\": {}}", "0".repeat(5000), "\"" + "s".repeat(HUGE) + "\"",
                new String(randomBytes(random, 64), StandardCharsets.ISO_8859_1));
    }

    private static byte[] randomBytes(SplittableRandom random, int count) {
        byte[] bytes = new byte[count];
        random.nextBytes(bytes);
        return bytes;
    }

    private static List<String> unknownKeys() {
        return List.of("extra", "Request", "workLoad", "__proto__", "constructor", "$ref", "", "a".repeat(1000),
                "\u0000", "name\u0000", "url", "duration", "id", "status", "summary", "definition", "@class", "ü");
    }

    private Object wrongValue(SplittableRandom random) {
        List<Object> pool = List.of("", " ", "text", "true", "1", "-1", "1.5", "null", "[]", "{}", 0, -1, 1, 1.5,
                -0.5, true, false, Json.array(), new Obj(), Json.array(1, 2), new Obj().put("a", 1),
                Json.array("5s"), new Obj().put("url", url), new Raw("1e308"), new Raw("-1e308"),
                new Raw("99999999999999999999"), new Raw("-99999999999999999999"), new Raw("1e400"), new Raw("-0"),
                new Raw("0.0000000000000000000001"), new Raw("4.9e-324"), "NaN", "Infinity", "-Infinity",
                new Raw("2147483648"), new Raw("9223372036854775808"), "1e3", "0x10", "٣", "\u0000", "\uD800",
                new Raw("1" + "0".repeat(1200)), new Raw("0." + "1".repeat(1200)), new Raw("1E-400"),
                new Raw("0x10"), new Raw("NaN"), new Raw("Infinity"), new Raw("+1"), new Raw("01"), new Raw(".5"),
                new Raw("1."), new Raw("'single'"), new Raw("undefined"), new Raw("\"unterminated"));
        return Json.copy(pick(random, pool));
    }

    private static Object weirdDuration(SplittableRandom random) {
        return pick(random, List.of("-5s", "0s", "0ms", "999999h", "PT-1S", "5 parsecs", "", " ", "1", "ms", "1.5.5s",
                "1e3s", "PT9223372036854775807S", "PT3000000H", "P1D", "P99999999999D", "PT0.0000001S",
                "0.0001ms", "1us", "1µs", "999us", "9223372036854775807ns", "9223372036854775807s",
                "99999999999999999999h", "1h1m", "1 s", " 5s ", "5S", "5sec", "∞s", "NaN s", "0x10s",
                "00000000000000000000001s", "1." + "0".repeat(1000) + "s", "9".repeat(400) + "s", "PT", "P",
                "pt1s", "PT1.5S", "PT1S ", "-PT1S", "PT+1S", "1,5s", "1.s", ".5s", "1h ", "61m", "3600s", "3600.000000001s",
                "59m60s", "1d", "1w", 5, 1.5, true, Json.array("5s"), new Obj().put("seconds", 5),
                new Raw("1e308"), "\u0000s", "5s\u0000", new Raw("null")));
    }

    private static List<Object> unknownEnums() {
        return List.of("CLOSED", "Closed", "closed ", "half-open", "", "urgent", "HIGH ", "high", "High", "get",
                "TRACE", "CONNECT", "G ET", "GET\r\n", "ＧＥＴ", "x".repeat(HUGE), 0, 1, true, Json.array("GET"),
                new Obj(), "OPEN", "open\u0000", "ΝORMAL", "NORMAL\n", "get ", "Patch", "options");
    }

    private static List<Object> hugeNumbers() {
        return List.of(new Raw("1e308"), new Raw("-1e308"), new Raw("99999999999999999999"), -1, 0, "NaN",
                "Infinity", "-Infinity", new Raw("1e-320"), new Raw("4.9e-324"), new Raw("1e-300"),
                new Raw("2147483647"), new Raw("2147483648"), new Raw("-2147483649"), 10_000, 10_001, 100_000,
                100_001, 50, 51, 2, 3, 1.5, 0.5, new Raw("1e400"), new Raw("1" + "0".repeat(1200)), "2", "1.5",
                new Raw("0.0000001"), new Raw("1000000"), new Raw("1000000.0000001"), new Raw("-0.0"));
    }

    private List<Object> brokenUrls() {
        return List.of("127.0.0.1/", host + "/fuzz", "http://", "https://", "http:///x", "ftp://" + host + "/",
                "http://[::1", "http://[::1]:9/", "http://127.0.0.1:99999/", "http://127.0.0.1:0/", "http://127.0.0.1:-1/",
                "http://user:pw@" + host + "/", "http://exa mple.com/", "http://ünïcödé.example/",
                "http://xn--nxasmq6b.example/", url + " path with spaces", url + "/%zz", url + "?q=\r\nX-Injected: 1",
                "https://" + host + "/", "HTTP://" + host + "/", "http://localhost:9/", "http://0x7f000001:9/",
                "http://2130706433:9/", "http://127.1:9/", "http://[::ffff:127.0.0.1]:9/", "javascript:alert(1)",
                "//" + host + "/", "http:127.0.0.1", url + "/a".repeat(5000), "mailto:x@y", "file:///etc/passwd",
                "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", url + "#fragment", "http://.../",
                "http://-/", "http://a..b/", "http://%31%32%37.0.0.1/", "http://127.0.0.1:9999999999999999999/",
                "http://[fe80::1%25eth0]/", "http://0/", "http://0.0.0.0:9/", "http://255.255.255.255/", "",
                " ", "\u0000", "http://127.0.0.1:9/\u0000", "http://\uD83D\uDE00.example/", url + "?" + "q".repeat(HUGE),
                "http://" + "a".repeat(300) + ".example/", "http://127.0.0.1:" + "9".repeat(20) + "/");
    }

    private static String hugeString(SplittableRandom random) {
        StringBuilder text = new StringBuilder(HUGE);
        String alphabet = "abcXYZ019 -_./:%\"\\\n\r\t\u0000éü☃\uD83D\uDE00µ";
        while (text.length() < HUGE) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    private static <T> T pick(SplittableRandom random, List<T> items) {
        return items.get(random.nextInt(items.size()));
    }

    static String shorten(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n").replace("\u0000", "\\0");
        return flat.length() <= 160 ? flat : flat.substring(0, 120) + "…(" + flat.length() + " chars)…"
                + flat.substring(flat.length() - 30);
    }

    /** A fresh random derived from (seed, index): the case's whole identity. */
    static SplittableRandom randomFor(long seed, int index) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (index + 1)));
    }
}
