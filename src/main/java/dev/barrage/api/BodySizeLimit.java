package dev.barrage.api;

import dev.barrage.runs.RunLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over {@code barrage.limits.max-definition-size} (2 MB by default) with 413
 * before they are parsed: anything larger is a mistake or abuse and must not be read into memory.
 * Bodies without a Content-Length are counted as they are read.
 */
@Component
class BodySizeLimit extends OncePerRequestFilter {

    private final long maxBytes;

    BodySizeLimit(ObjectProvider<RunLimits> limits) {
        this.maxBytes = limits.getIfAvailable(() -> RunLimits.DEFAULTS).maxDefinitionBytes();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBytes) {
            response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("""
                    {"type":"https://barrage.dev/problems/payload-too-large","title":"Request body too large",\
                    "status":413,"detail":"The body has %d bytes; a test definition may have at most %d (barrage.limits.max-definition-size).",\
                    "instance":"%s"}""".formatted(request.getContentLengthLong(), maxBytes, request.getRequestURI().replace('"', ' ')));
            return;
        }
        chain.doFilter(request.getContentLengthLong() < 0 ? new Counted(request, maxBytes) : request, response);
    }

    /** Thrown while reading a body without Content-Length once it passes the limit; answered with 413. */
    static final class TooLargeException extends IOException {

        TooLargeException(long maxBytes) {
            super("The body has more than " + maxBytes + " bytes; a test definition may have at most " + maxBytes
                    + " (barrage.limits.max-definition-size).");
        }
    }

    private static final class Counted extends HttpServletRequestWrapper {

        private final long maxBytes;
        private ServletInputStream counted;

        Counted(HttpServletRequest request, long maxBytes) {
            super(request);
            this.maxBytes = maxBytes;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (counted == null) {
                ServletInputStream in = super.getInputStream();
                counted = new ServletInputStream() {
                    private long read;

                    @Override
                    public int read() throws IOException {
                        int b = in.read();
                        if (b >= 0 && ++read > maxBytes) {
                            throw new TooLargeException(maxBytes);
                        }
                        return b;
                    }

                    @Override
                    public int read(byte[] buffer, int offset, int length) throws IOException {
                        int n = in.read(buffer, offset, length);
                        if (n > 0 && (read += n) > maxBytes) {
                            throw new TooLargeException(maxBytes);
                        }
                        return n;
                    }

                    @Override
                    public boolean isFinished() {
                        return in.isFinished();
                    }

                    @Override
                    public boolean isReady() {
                        return in.isReady();
                    }

                    @Override
                    public void setReadListener(ReadListener listener) {
                        in.setReadListener(listener);
                    }
                };
            }
            return counted;
        }
    }
}
