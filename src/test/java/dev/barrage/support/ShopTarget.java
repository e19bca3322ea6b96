package dev.barrage.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small shop on 127.0.0.1 and an ephemeral port, strict the way a real one is, for scenario tests:
 * {@code GET /items?page=N}, {@code POST /login} (the accounts it was given), {@code POST /orders}
 * (a token {@code /login} issued, and a fresh UUID as {@code Idempotency-Key}) and
 * {@code GET /orders/{id}}. It counts every request it receives by route, and apart from that every
 * request it had to reject for something a correct client never sends (an unknown token, a reused
 * or malformed idempotency key, an unknown order, a malformed body...), so a test can prove Barrage
 * sent exactly what its summary says, and nothing wrong.
 *
 * <p>A request carrying {@code X-Iteration: n} is also filed under iteration n, so a test can tie
 * each request to the iteration that sent it. A refused login (wrong password or unknown email) is
 * not a rejection but the shop's ordinary answer, counted by email.
 *
 * <p>Thread-safety: requests are answered on virtual threads; every method is safe from any thread.
 */
public final class ShopTarget implements AutoCloseable {

    /** The routes the shop serves, plus {@link #OTHER} for anything else it receives. */
    public enum Route {
        ITEMS("GET /items"), LOGIN("POST /login"), ORDERS("POST /orders"), ORDER_STATUS("GET /orders/{id}"),
        OTHER("anything else");

        private final String shown;

        Route(String shown) {
            this.shown = shown;
        }

        @Override
        public String toString() {
            return shown;
        }
    }

    /** One login the shop granted or refused, with the iteration that asked (null without X-Iteration). */
    public record Login(Long iteration, String email, boolean granted) {
    }

    /** One order, with the email its token was issued to and the iteration that placed it. */
    public record Order(String id, String email, Long iteration) {
    }

    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern ORDER_PATH = Pattern.compile("/orders/([^/]+)");
    private static final Pattern PAGE = Pattern.compile("(?:^|&)page=([0-9]{1,3})(?:&|$)");
    private static final int PAGES = 50;

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final JsonMapper json = JsonMapper.builder().build();
    private final Map<String, String> passwords;
    private final Map<Route, LongAdder> received = new EnumMap<>(Route.class);
    private final Map<Route, ConcurrentLinkedQueue<Long>> iterations = new EnumMap<>(Route.class);
    private final Map<String, LongAdder> rejections = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Login> logins = new ConcurrentLinkedQueue<>();
    private final Map<String, String> emailByToken = new ConcurrentHashMap<>();
    private final Set<String> tokensUsed = ConcurrentHashMap.newKeySet();
    private final LongAdder tokensReused = new LongAdder();
    private final Set<String> idempotencyKeys = ConcurrentHashMap.newKeySet();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final Set<String> ordersQueried = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextOrder = new AtomicLong(1000);

    /** @param passwords the accounts: email to password */
    public ShopTarget(Map<String, String> passwords) throws IOException {
        this.passwords = Map.copyOf(passwords);
        for (Route route : Route.values()) {
            received.put(route, new LongAdder());
            iterations.put(route, new ConcurrentLinkedQueue<>());
        }
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1000);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        }
        Route route = routeOf(exchange.getRequestMethod(), exchange.getRequestURI().getPath());
        received.get(route).increment();
        Long iteration = iteration(exchange);
        if (iteration != null) {
            iterations.get(route).add(iteration);
        }
        Answer answer = switch (route) {
            case ITEMS -> items(exchange.getRequestURI().getRawQuery());
            case LOGIN -> login(body, iteration);
            case ORDERS -> order(exchange, body, iteration);
            case ORDER_STATUS -> orderStatus(exchange.getRequestURI().getPath());
            case OTHER -> reject(404, "unknown route " + exchange.getRequestMethod() + " " + exchange.getRequestURI());
        };
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    private record Answer(int status, String body) {
    }

    private static Route routeOf(String method, String path) {
        return switch (method) {
            case "GET" -> path.equals("/items") ? Route.ITEMS
                    : ORDER_PATH.matcher(path).matches() ? Route.ORDER_STATUS : Route.OTHER;
            case "POST" -> path.equals("/login") ? Route.LOGIN : path.equals("/orders") ? Route.ORDERS : Route.OTHER;
            default -> Route.OTHER;
        };
    }

    private Long iteration(HttpExchange exchange) {
        String value = exchange.getRequestHeaders().getFirst("X-Iteration");
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            reject(400, "malformed X-Iteration " + value);
            return null;
        }
    }

    private Answer items(String query) {
        Matcher page = PAGE.matcher(query == null ? "" : query);
        if (!page.find()) {
            return reject(400, "items without a page");
        }
        int number = Integer.parseInt(page.group(1));
        if (number < 1 || number > PAGES) {
            return reject(400, "page out of 1.." + PAGES);
        }
        return new Answer(200, """
                {"page":%d,"items":[{"sku":"p%d-1","price":3},{"sku":"p%d-2","price":5}]}""".formatted(number, number, number));
    }

    private Answer login(byte[] body, Long iteration) {
        JsonNode credentials;
        try {
            credentials = json.readTree(body);
        } catch (RuntimeException e) {
            return reject(400, "malformed login body");
        }
        String email = text(credentials, "email");
        String password = text(credentials, "password");
        if (email == null || password == null || credentials.size() != 2) {
            return reject(400, "login body is not {email, password}");
        }
        if (!password.equals(passwords.get(email))) {
            logins.add(new Login(iteration, email, false));
            return new Answer(401, "{\"error\":\"wrong email or password\"}");
        }
        String token = "tok-" + UUID.randomUUID();
        emailByToken.put(token, email);
        logins.add(new Login(iteration, email, true));
        return new Answer(200, "{\"token\":\"" + token + "\"}");
    }

    private static String text(JsonNode object, String field) {
        JsonNode value = object.get(field);
        return value != null && value.isString() ? value.asString() : null;
    }

    private Answer order(HttpExchange exchange, byte[] body, Long iteration) {
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String token = authorization != null && authorization.startsWith("Bearer ") ? authorization.substring(7) : null;
        String email = token == null ? null : emailByToken.get(token);
        if (email == null) {
            return reject(401, "bad token");
        }
        String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
        if (key == null || !UUID_TEXT.matcher(key).matches()) {
            return reject(400, "malformed idempotency key");
        }
        if (!idempotencyKeys.add(key.toLowerCase(java.util.Locale.ROOT))) {
            return reject(409, "reused idempotency key");
        }
        if (!"{\"qty\":1}".equals(new String(body, StandardCharsets.UTF_8))) {
            return reject(400, "order body is not {\"qty\":1}");
        }
        if (!tokensUsed.add(token)) {
            tokensReused.increment(); // allowed by the shop, but one login serves one order in these scenarios
        }
        String id = Long.toString(nextOrder.getAndIncrement());
        orders.put(id, new Order(id, email, iteration));
        return new Answer(201, "{\"id\":\"" + id + "\",\"status\":\"NEW\"}");
    }

    private Answer orderStatus(String path) {
        Matcher matcher = ORDER_PATH.matcher(path);
        String id = matcher.matches() ? matcher.group(1) : null;
        if (id == null || !orders.containsKey(id)) {
            return reject(404, "unknown order");
        }
        ordersQueried.add(id);
        return new Answer(200, "{\"id\":\"" + id + "\",\"status\":\"NEW\"}");
    }

    private Answer reject(int status, String reason) {
        rejections.computeIfAbsent(reason, r -> new LongAdder()).increment();
        return new Answer(status, "{\"error\":\"" + reason.replace("\"", "'") + "\"}");
    }

    /** The shop's base URL, {@code http://127.0.0.1:PORT}, without a trailing slash. */
    /**
     * The shop test of API.md ("Scenarios") against the shop at {@code base}: browse (weight 8) and
     * buy (weight 2: login with a data row, order, think, order status), every request step sending
     * {@code X-Iteration: {{$iteration}}}; {@code csv} is the accounts as a JSON string's content.
     */
    public static String definition(String base, String csv, String workload, String thresholds) {
        return """
                {
                  "name": "shop",
                  "variables": { "base": "%s" },
                  "data": { "csv": "%s", "order": "sequence" },
                  "scenarios": [
                    { "name": "browse", "weight": 8, "steps": [
                      { "name": "list items",
                        "request": { "url": "{{base}}/items?page={{$randomInt(1,50)}}",
                                     "headers": { "X-Iteration": "{{$iteration}}" } },
                        "checks": [ { "status": [200, 299] }, { "jsonPath": "$.items", "exists": true } ] } ] },
                    { "name": "buy", "weight": 2, "steps": [
                      { "name": "login",
                        "request": { "method": "POST", "url": "{{base}}/login",
                                     "headers": { "Content-Type": "application/json", "X-Iteration": "{{$iteration}}" },
                                     "body": "{\\"email\\":\\"{{data.email}}\\",\\"password\\":\\"{{data.password}}\\"}" },
                        "capture": [ { "jsonPath": "$.token", "as": "token" } ] },
                      { "name": "order",
                        "request": { "method": "POST", "url": "{{base}}/orders", "body": "{\\"qty\\":1}",
                                     "headers": { "Authorization": "Bearer {{token}}", "Idempotency-Key": "{{$uuid}}",
                                                  "X-Iteration": "{{$iteration}}" } },
                        "capture": [ { "jsonPath": "$.id", "as": "orderId" } ] },
                      { "think": "50ms" },
                      { "name": "order status",
                        "request": { "url": "{{base}}/orders/{{orderId}}", "headers": { "X-Iteration": "{{$iteration}}" } },
                        "checks": [ { "bodyContains": "NEW" }, { "maxDuration": "300ms" } ] } ] }
                  ],
                  "workload": %s,
                  "thresholds": [ %s ]
                }""".formatted(base, csv, workload, thresholds);
    }

    public String base() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Requests received on the route so far, answered or not, rejected or not. */
    public long received(Route route) {
        return received.get(route).sum();
    }

    /** Requests received on all routes. */
    public long receivedInAll() {
        long all = 0;
        for (Route route : Route.values()) {
            all += received(route);
        }
        return all;
    }

    /** Rejected requests by reason: empty when everything received was well-formed and consistent. */
    public Map<String, Long> rejections() {
        Map<String, Long> counts = new TreeMap<>();
        rejections.forEach((reason, count) -> counts.put(reason, count.sum()));
        return counts;
    }

    /** The X-Iteration values received on the route, sorted, duplicates kept. */
    public List<Long> iterations(Route route) {
        List<Long> list = new ArrayList<>(iterations.get(route));
        Collections.sort(list);
        return list;
    }

    /** Every login asked for, granted or refused. */
    public List<Login> logins() {
        return List.copyOf(logins);
    }

    /** Every order placed. */
    public List<Order> orders() {
        return List.copyOf(orders.values());
    }

    /** Orders whose status was never asked for. */
    public long ordersNeverQueried() {
        return orders.size() - ordersQueried.size();
    }

    /** Orders placed with a token that had placed one before. */
    public long tokensReused() {
        return tokensReused.sum();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
