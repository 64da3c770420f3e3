package io.sigkit.transport;

import java.util.Objects;

/**
 * A failure to connect to a payload or to talk to it over SSH, with a one-line message naming the input.
 *
 * <p>Unchecked, like {@link java.io.UncheckedIOException}: callers decide where to turn it into a result.
 */
public final class TransportException extends RuntimeException {

    /** What went wrong, for callers that react differently to each. */
    public enum Kind {
        /** The TCP connection could not be made (refused, no route, unknown host). */
        UNREACHABLE,
        /** The SSH protocol or key exchange failed (not an SSH server, no common algorithm). */
        HANDSHAKE,
        /** The server's host key is not in the known_hosts file. */
        HOST_KEY_UNKNOWN,
        /** The server's host key differs from the one in the known_hosts file (or is revoked there). */
        HOST_KEY_CHANGED,
        /** The server refused every credential offered, or none was available. */
        AUTH_FAILED,
        /** Connecting or authenticating took longer than its timeout. */
        TIMEOUT,
        /** An established session broke. */
        CONNECTION_LOST,
        /** An identity file or a secret for it could not be read or decrypted. */
        KEY_FILE,
        /** Any other input/output failure, including a remote file operation that failed. */
        IO
    }

    private static final long serialVersionUID = 1L;

    private final Kind kind;

    /**
     * Creates an exception.
     *
     * @param kind what went wrong
     * @param message one line naming the input, what happened and, where possible, what to do
     */
    public TransportException(Kind kind, String message) {
        this(kind, message, null);
    }

    /**
     * Creates an exception with the cause kept for logs.
     *
     * @param kind what went wrong
     * @param message one line naming the input, what happened and, where possible, what to do
     * @param cause the underlying failure, may be null
     */
    public TransportException(Kind kind, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /**
     * What went wrong.
     *
     * @return the kind
     */
    public Kind kind() {
        return kind;
    }

    private static String oneLine(String message) {
        Objects.requireNonNull(message, "message");
        // line breaks only: a bare CR is left for the display to show escaped (io.sigkit.text.SafeText)
        return message.strip().replaceAll("\\s*(?:\\r?\\n)+\\s*", "; ");
    }
}
