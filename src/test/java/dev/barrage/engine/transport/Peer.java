package dev.barrage.engine.transport;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLSocket;

/** The server side of one test connection, driven by a {@link ScriptedServer.Script}. */
final class Peer {

    private final int index;
    private final Socket socket;
    private final Socket raw;
    private final InputStream in;
    private final OutputStream out;
    private final Queue<byte[]> requests;
    private final CountDownLatch serverClosed;

    Peer(int index, Socket socket, Socket raw, Queue<byte[]> requests, CountDownLatch serverClosed) {
        this.index = index;
        this.socket = socket;
        this.raw = raw;
        this.requests = requests;
        this.serverClosed = serverClosed;
        try {
            this.in = new BufferedInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 0 for the first connection the server accepted, 1 for the second, ... */
    int index() {
        return index;
    }

    /** Keeps the connection open and silent, reading nothing, until the test closes the server. */
    void holdUntilServerCloses() throws InterruptedException {
        serverClosed.await();
    }

    /**
     * Reads one request: the head up to the blank line plus a Content-Length body. Returns null
     * when the client closed the connection before sending anything.
     */
    byte[] readRequest() throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int matched = 0; // progress through CR LF CR LF
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                if (request.size() == 0) {
                    return null;
                }
                throw new IOException("client closed mid-request");
            }
            request.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        int length = contentLength(text(request.toByteArray()));
        request.write(in.readNBytes(length));
        byte[] bytes = request.toByteArray();
        requests.add(bytes);
        return bytes;
    }

    void send(String ascii) throws IOException {
        send(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends one byte per write so that the client sees the response in the smallest pieces. */
    void trickle(String ascii) throws IOException {
        for (byte b : ascii.getBytes(StandardCharsets.ISO_8859_1)) {
            out.write(b);
            out.flush();
        }
    }

    /** Completes the TLS handshake without reading any application data. */
    void handshake() throws IOException {
        ((SSLSocket) socket).startHandshake();
    }

    void skipUntilClientCloses() throws IOException {
        in.transferTo(OutputStream.nullOutputStream());
    }

    /** Closes the TCP connection under any TLS layer, so the client gets no close_notify. */
    void abort() throws IOException {
        raw.close();
    }

    /** Closes cleanly: close_notify under TLS, then FIN. */
    void close() throws IOException {
        socket.close();
    }

    /** Resets the TCP connection (RST instead of FIN). */
    void reset() throws IOException {
        raw.setSoLinger(true, 0);
        raw.close();
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int contentLength(String head) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
                return Integer.parseInt(line.substring(colon + 1).trim());
            }
        }
        return 0;
    }
}
