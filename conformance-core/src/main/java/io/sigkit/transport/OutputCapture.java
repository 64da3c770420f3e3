package io.sigkit.transport;

import java.io.OutputStream;
import java.util.Arrays;

/**
 * Keeps the first {@code cap} bytes written to it and counts (then drops) the rest, so that a flooding command can
 * neither block the channel nor exhaust the kit's memory.
 */
final class OutputCapture extends OutputStream {

    private final int cap;
    private byte[] buffer = new byte[256];
    private int size;
    private long total;

    OutputCapture(int cap) {
        this.cap = cap;
    }

    @Override
    public synchronized void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) {
        total += len;
        int keep = Math.min(len, cap - size);
        if (keep <= 0) {
            return;
        }
        if (size + keep > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(cap, Math.max((long) buffer.length * 2, size + keep)));
        }
        System.arraycopy(b, off, buffer, size, keep);
        size += keep;
    }

    synchronized byte[] bytes() {
        return Arrays.copyOf(buffer, size);
    }

    synchronized boolean truncated() {
        return total > size;
    }

    synchronized long total() {
        return total;
    }
}
