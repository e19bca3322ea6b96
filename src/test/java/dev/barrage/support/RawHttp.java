package dev.barrage.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 request written byte for byte to a port on the loopback address, for what HTTP
 * client libraries will not send as written ({@code //tests}, {@code /./tests},
 * {@code /a/../tests}, {@code /%74ests}, an unknown method). {@code Host} and
 * {@code Connection: close} are added; the answer is read until the server closes (at most 10 s).
 */
public final class RawHttp {

    /**
     * @param headers each header's value by its lower-case name (repeated headers joined by ", ")
     * @param body    the body, de-chunked, as UTF-8
     */
    public record Answer(int status, Map<String, String> headers, String body) {

        /** The header's value, or null. */
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private RawHttp() {
    }

    /**
     * Sends {@code method target HTTP/1.1} with {@code headerLines} (each {@code "Name: value"}) to
     * 127.0.0.1:{@code port}, without a body.
     */
    public static Answer send(int port, String method, String target, String... headerLines) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        for (String line : headerLines) {
            request.append(line).append("\r\n");
        }
        request.append("Host: 127.0.0.1\r\nConnection: close\r\n\r\n");
        return sendRaw(port, request.toString());
    }

    /**
     * Writes {@code request} exactly as given (ISO-8859-1) to 127.0.0.1:{@code port} and reads the
     * answer until the server closes the connection: the request should say {@code Connection: close}.
     */
    public static Answer sendRaw(int port, String request) throws IOException {
        String answer = exchange(port, request);
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new AssertionError("no complete answer to " + request.lines().findFirst().orElse("") + ": " + answer);
        }
        String[] lines = answer.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.merge(lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    lines[i].substring(colon + 1).strip(), (a, b) -> a + ", " + b);
        }
        String body = answer.substring(end + 4);
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            body = dechunk(body);
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String exchange(int port, String request) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    answer.write(buffer, 0, n);
                }
            } catch (SocketTimeoutException | SocketException closed) {
                // what arrived is the answer
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static String dechunk(String body) {
        StringBuilder plain = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = body.indexOf("\r\n", at);
            int size = Integer.parseInt(body.substring(at, lineEnd).strip(), 16);
            if (size == 0) {
                return plain.toString();
            }
            plain.append(body, lineEnd + 2, lineEnd + 2 + size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
