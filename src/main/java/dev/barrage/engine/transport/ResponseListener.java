package dev.barrage.engine.transport;

/**
 * Sees a response as it is read, for the steps that capture from it or check it: each header of
 * the final response, and its body bytes (after chunked decoding) when it asks for them. The
 * regions are valid only during the call: a listener copies what it keeps. Without a listener the
 * response is parsed and discarded as usual, at no extra cost.
 *
 * <p>Thread-safety: called on the session's thread only, like the session itself.
 */
public interface ResponseListener {

    /** A response head begins; an interim (1xx) response's headers came before, and are to be forgotten. */
    void headStarted(int status);

    /** One header line: the name in {@code buffer[nameStart, nameEnd)}, the trimmed value in {@code [valueStart, valueEnd)}. */
    void header(byte[] buffer, int nameStart, int nameEnd, int valueStart, int valueEnd);

    /** Whether {@link #body} should be called with the body; false keeps the body discarded unseen. */
    boolean wantsBody();

    /** The next bytes of the body, in order. */
    void body(byte[] buffer, int offset, int length);
}
