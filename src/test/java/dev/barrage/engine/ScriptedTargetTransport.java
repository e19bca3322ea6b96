package dev.barrage.engine;

import dev.barrage.engine.transport.ErrorKind;
import dev.barrage.engine.transport.Exchange;
import dev.barrage.engine.transport.ResponseListener;
import dev.barrage.engine.transport.StrayBytesListener;
import dev.barrage.engine.transport.Transport;
import dev.barrage.engine.transport.TransportSession;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A target that answers scenario steps from a per-test script instead of a socket. It parses each
 * request's bytes as a server would (so a framing mistake fails the run instead of passing unseen),
 * keeps what it received, and shows the scripted answer to the step's listener in the order and
 * shape the real {@code ResponseReader} uses: {@code headStarted}, each header as regions of one
 * buffer, then the body in pieces only when the listener wants it.
 *
 * <p>Thread-safety: sessions are confined to their user's thread; the record of requests and the
 * counters are safe to read from the test thread.
 */
final class ScriptedTargetTransport implements Transport {

    record Header(String name, String value) {
    }

    /**
     * One request as the target parsed it.
     *
     * @param session     the session (numbered from 1 per transport) that sent it
     * @param sentAtNanos the fake clock when the session was asked to send it
     */
    record Request(int session, long sentAtNanos, String method, String target, List<Header> headers, String body,
                   boolean head, long timeoutNanos) {

        String path() {
            int query = target.indexOf('?');
            return query < 0 ? target : target.substring(0, query);
        }

        /** The query parameter's value, or null. */
        String query(String name) {
            int query = target.indexOf('?');
            if (query < 0) {
                return null;
            }
            for (String pair : target.substring(query + 1).split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0 && pair.substring(0, equals).equals(name)) {
                    return pair.substring(equals + 1);
                }
            }
            return null;
        }

        /** The first value of the header (any case), or null. */
        String header(String name) {
            List<String> values = headers(name);
            return values.isEmpty() ? null : values.getFirst();
        }

        List<String> headers(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(Header::value).toList();
        }
    }

    /** What the target answers: a status with headers and a body, or a transport failure. */
    record Response(int status, List<Header> headers, String body, ErrorKind error) {

        static Response status(int status) {
            return new Response(status, List.of(), "", null);
        }

        static Response json(int status, String body) {
            return status(status).with("Content-Type", "application/json").withBody(body);
        }

        static Response failure(ErrorKind error) {
            return new Response(0, List.of(), "", error);
        }

        Response with(String name, String value) {
            List<Header> more = new ArrayList<>(headers);
            more.add(new Header(name, value));
            return new Response(status, List.copyOf(more), body, error);
        }

        Response withBody(String text) {
            return new Response(status, headers, text, error);
        }
    }

    @FunctionalInterface
    interface Script {
        Response answer(Request request) throws InterruptedException;
    }

    private final NanoClock clock;
    private final Script script;
    final ConcurrentLinkedQueue<Request> received = new ConcurrentLinkedQueue<>();
    final AtomicInteger sessionsOpened = new AtomicInteger();
    final AtomicInteger sessionsClosed = new AtomicInteger();

    ScriptedTargetTransport(NanoClock clock, Script script) {
        this.clock = clock;
        this.script = script;
    }

    /** The requests received for {@code path}, in the order they arrived. */
    List<Request> receivedOn(String path) {
        return received.stream().filter(r -> r.path().equals(path)).toList();
    }

    @Override
    public TransportSession openSession(StrayBytesListener strayBytes) {
        int session = sessionsOpened.incrementAndGet();
        return new TransportSession() {
            @Override
            public Exchange execute() {
                throw new AssertionError("a scenario step sends its own encoded request");
            }

            @Override
            public Exchange execute(byte[] bytes, int length, long timeoutNanos, boolean head, ResponseListener listener)
                    throws InterruptedException {
                Request request = parse(session, clock.nanoTime(), Arrays.copyOf(bytes, length), head, timeoutNanos);
                received.add(request);
                Response response = script.answer(request);
                if (response.error() != null) {
                    return Exchange.failure(response.error(), length, 0);
                }
                return Exchange.response(response.status(), length, show(response, head, listener));
            }

            @Override
            public void close() {
                sessionsClosed.incrementAndGet();
            }
        };
    }

    /** Parses a whole HTTP/1.1 request, failing on anything a strict server would refuse. */
    private static Request parse(int session, long now, byte[] bytes, boolean head, long timeoutNanos) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        if (headEnd < 0) {
            throw new AssertionError("the request head does not end with an empty line: " + printable(text));
        }
        String[] lines = text.substring(0, headEnd).split("\r\n", -1);
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].equals("HTTP/1.1") || !requestLine[1].startsWith("/")) {
            throw new AssertionError("malformed request line: " + printable(lines[0]));
        }
        List<Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0 || lines[i].indexOf('\n') >= 0 || lines[i].indexOf('\r') >= 0) {
                throw new AssertionError("malformed header line: " + printable(lines[i]));
            }
            String name = lines[i].substring(0, colon);
            String value = new String(lines[i].substring(colon + 1).strip().getBytes(StandardCharsets.ISO_8859_1),
                    StandardCharsets.UTF_8);
            headers.add(new Header(name, value));
        }
        if (headers.stream().filter(h -> h.name().equalsIgnoreCase("host")).count() != 1) {
            throw new AssertionError("a request needs exactly one Host header: " + printable(text));
        }
        int bodyStart = headEnd + 4;
        int bodyLength = bytes.length - bodyStart;
        List<String> lengths = headers.stream().filter(h -> h.name().equalsIgnoreCase("content-length"))
                .map(Header::value).toList();
        int declared = lengths.isEmpty() ? 0 : Integer.parseInt(lengths.getFirst());
        if (lengths.size() > 1 || declared != bodyLength) {
            throw new AssertionError("Content-Length " + lengths + " for a body of " + bodyLength + " bytes");
        }
        String body = new String(bytes, bodyStart, bodyLength, StandardCharsets.UTF_8);
        return new Request(session, now, requestLine[0], requestLine[1], List.copyOf(headers), body, head, timeoutNanos);
    }

    /** Shows the response to the listener as the response reader would; returns the bytes "received". */
    private static long show(Response response, boolean head, ResponseListener listener) {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        headBytes.writeBytes(("HTTP/1.1 " + response.status() + " X\r\n").getBytes(StandardCharsets.US_ASCII));
        int[][] regions = new int[response.headers().size()][];
        for (int i = 0; i < regions.length; i++) {
            Header header = response.headers().get(i);
            int nameStart = headBytes.size();
            headBytes.writeBytes(header.name().getBytes(StandardCharsets.UTF_8));
            int nameEnd = headBytes.size();
            headBytes.writeBytes(": ".getBytes(StandardCharsets.US_ASCII));
            int valueStart = headBytes.size();
            headBytes.writeBytes(header.value().getBytes(StandardCharsets.UTF_8));
            regions[i] = new int[] {nameStart, nameEnd, valueStart, headBytes.size()};
            headBytes.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        boolean hasBody = !head && response.status() != 204 && response.status() != 304;
        headBytes.writeBytes(("Content-Length: " + (hasBody ? body.length : 0) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        byte[] buffer = headBytes.toByteArray();
        if (listener != null) {
            listener.headStarted(response.status());
            for (int[] region : regions) {
                listener.header(buffer, region[0], region[1], region[2], region[3]);
            }
            if (hasBody && body.length > 0 && listener.wantsBody()) {
                // in two reads, each at an offset into a larger buffer, as a socket would deliver it
                int half = body.length / 2;
                if (half > 0) {
                    byte[] first = new byte[half + 7];
                    System.arraycopy(body, 0, first, 3, half);
                    listener.body(first, 3, half);
                }
                byte[] second = new byte[body.length - half + 5];
                System.arraycopy(body, half, second, 5, body.length - half);
                listener.body(second, 5, body.length - half);
            }
        }
        return buffer.length + (hasBody ? body.length : 0);
    }

    private static String printable(String text) {
        return text.replace("\r", "\\r").replace("\n", "\\n");
    }
}
