package io.sigkit.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * One command to run with {@link PayloadConnection#exec(ExecRequest)}: the command line, its stdin, a timeout and a
 * label for the transcript.
 *
 * <pre>{@code
 * connection.exec(ExecRequest.of(line).withTimeout(Duration.ofSeconds(20)).withPurpose("SIG-CONF-001 configure"));
 * }</pre>
 *
 * @param command the command line, sent verbatim (the server runs it through the user's login shell)
 * @param stdin bytes written to the command's stdin before EOF; empty for EOF at once
 * @param timeout how long to wait for the channel to close, or null for the connection's default
 * @param purpose a label kept in the transcript; empty for none
 */
public record ExecRequest(String command, byte[] stdin, Duration timeout, String purpose) {

    private static final byte[] NONE = new byte[0];

    /** Validates the parts and copies stdin. */
    public ExecRequest {
        Objects.requireNonNull(command, "command");
        if (command.isBlank()) {
            throw new IllegalArgumentException("empty command");
        }
        stdin = stdin == null ? NONE : stdin.clone();
        if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout + " for: " + command);
        }
        purpose = purpose == null ? "" : purpose;
    }

    /**
     * A command with stdin at EOF, the default timeout and no label.
     *
     * @param command the command line
     * @return the request
     */
    public static ExecRequest of(String command) {
        return new ExecRequest(command, NONE, null, "");
    }

    /**
     * This request with the given stdin.
     *
     * @param bytes what to write before EOF
     * @return a new request
     */
    public ExecRequest withStdin(byte[] bytes) {
        return new ExecRequest(command, bytes, timeout, purpose);
    }

    /**
     * This request with the given timeout.
     *
     * @param bound how long to wait for the channel to close
     * @return a new request
     */
    public ExecRequest withTimeout(Duration bound) {
        return new ExecRequest(command, stdin, bound, purpose);
    }

    /**
     * This request with the given transcript label.
     *
     * @param label e.g. {@code SIG-CONF-001 configure}
     * @return a new request
     */
    public ExecRequest withPurpose(String label) {
        return new ExecRequest(command, stdin, timeout, label);
    }

    /**
     * A copy of the stdin bytes.
     *
     * @return the bytes
     */
    @Override
    public byte[] stdin() {
        return stdin.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ExecRequest r && command.equals(r.command) && Arrays.equals(stdin, r.stdin)
                && Objects.equals(timeout, r.timeout) && purpose.equals(r.purpose);
    }

    @Override
    public int hashCode() {
        return Objects.hash(command, Arrays.hashCode(stdin), timeout, purpose);
    }

    @Override
    public String toString() {
        return "ExecRequest[" + command + (stdin.length > 0 ? ", stdin " + stdin.length + " bytes" : "")
                + (timeout != null ? ", timeout " + timeout : "") + (purpose.isEmpty() ? "" : ", " + purpose) + "]";
    }
}
