package dev.barrage.engine.transport;

import java.io.IOException;

/**
 * Where the response parser pulls bytes from: a live connection in production, scripted chunks
 * in tests. Same contract as {@link java.io.InputStream#read(byte[], int, int)}: blocks until at
 * least one byte is available, returns -1 at end of stream.
 * Thread-safety: implementations are confined to the session's thread.
 */
interface ByteSource {

    int read(byte[] buffer, int offset, int length) throws IOException;
}
