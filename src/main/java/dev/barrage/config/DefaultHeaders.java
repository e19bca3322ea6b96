package dev.barrage.config;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * Adds the default headers once, at the last moment the answer's headers can change: when its
 * body is opened, when it is flushed, on sendError and sendRedirect (after which Tomcat takes no
 * more headers), or when the request leaves the filter (the filter calls {@link #write()}).
 *
 * <p>Thread-safety: confined to the thread serving the request, like the response it wraps.
 */
final class DefaultHeaders extends HttpServletResponseWrapper {

    private final boolean secure;
    private boolean written;

    DefaultHeaders(HttpServletResponse response, boolean secure) {
        super(response);
        this.secure = secure;
    }

    void write() {
        if (written) {
            return;
        }
        written = true;
        HttpServletResponse response = (HttpServletResponse) getResponse();
        setIfAbsent(response, "X-Content-Type-Options", "nosniff");
        setIfAbsent(response, "X-XSS-Protection", "0");
        if (!response.containsHeader("Cache-Control") && !response.containsHeader("Expires")
                && !response.containsHeader("Pragma") && response.getStatus() != HttpServletResponse.SC_NOT_MODIFIED) {
            response.setHeader("Cache-Control", "no-cache, no-store, max-age=0, must-revalidate");
            response.setHeader("Pragma", "no-cache");
            response.setHeader("Expires", "0");
        }
        if (secure) {
            setIfAbsent(response, "Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
        }
        setIfAbsent(response, "X-Frame-Options", "DENY");
    }

    private static void setIfAbsent(HttpServletResponse response, String name, String value) {
        if (!response.containsHeader(name)) {
            response.setHeader(name, value);
        }
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
        write();
        return super.getOutputStream();
    }

    @Override
    public PrintWriter getWriter() throws IOException {
        write();
        return super.getWriter();
    }

    @Override
    public void flushBuffer() throws IOException {
        write();
        super.flushBuffer();
    }

    @Override
    public void sendError(int status) throws IOException {
        write();
        super.sendError(status);
    }

    @Override
    public void sendError(int status, String message) throws IOException {
        write();
        super.sendError(status, message);
    }

    @Override
    public void sendRedirect(String location) throws IOException {
        write();
        super.sendRedirect(location);
    }

    @Override
    public void sendRedirect(String location, int status) throws IOException {
        write();
        super.sendRedirect(location, status);
    }

    @Override
    public void sendRedirect(String location, boolean clearBuffer) throws IOException {
        write();
        super.sendRedirect(location, clearBuffer);
    }

    @Override
    public void sendRedirect(String location, int status, boolean clearBuffer) throws IOException {
        write();
        super.sendRedirect(location, status, clearBuffer);
    }
}
