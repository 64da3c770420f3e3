package io.sigkit.transport;

import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a request over a direct-tcpip channel ({@link PayloadConnection#forward}) gave.
 *
 * @param status how it ended
 * @param received the bytes received (at most the cap)
 * @param reasonCode the server's reason code when it refused to open the channel, else -1
 * @param detail the server's or the transport's message when it did not answer; empty when it did
 * @param elapsed from the channel request to the end
 */
public record ForwardResult(Status status, byte[] received, int reasonCode, String detail, Duration elapsed) {
    public ForwardResult {
        received = received.clone();
    }

    @Override
    public byte[] received() {
        return received.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ForwardResult f && status == f.status && Arrays.equals(received, f.received)
                && reasonCode == f.reasonCode && detail.equals(f.detail) && elapsed.equals(f.elapsed);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, Arrays.hashCode(received), reasonCode, detail, elapsed);
    }

    @Override
    public String toString() {
        return "ForwardResult[" + status + ", " + received.length + " bytes, reason " + reasonCode + ", " + detail + "]";
    }

    /** How an exchange ended. */
    public enum Status {
        /** The answer arrived whole: the other side closed the connection. */
        ANSWERED,
        /** More than the cap arrived: the rest was not read. */
        CAPPED,
        /** The channel did not open, or the answer did not end, before the deadline. */
        TIMED_OUT,
        /** The SSH server tried the address and could not connect (SSH_OPEN_CONNECT_FAILED): nothing listens there. */
        CONNECT_FAILED,
        /** The SSH server refused the channel for another reason: forwarding disabled or not permitted. */
        REFUSED,
        /** The channel broke while the kit wrote or read. */
        BROKEN
    }
}
