package io.sigkit.transport;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One command the kit ran on the payload, as kept in a connection's transcript.
 *
 * @param session index of the SSH session it ran on
 * @param command the command line exactly as sent
 * @param exitStatus the exit status, or null if none arrived
 * @param toExit time from the exec request to the exit status, or null if none arrived
 * @param toClose time from the exec request to the channel's close, or null if it timed out
 * @param timedOut whether the kit stopped waiting at the call's timeout
 * @param startedAt when the call started (wall clock)
 * @param purpose the caller's label, e.g. {@code SIG-CONF-001 configure} or {@code file write}; empty if none
 */
public record TranscriptEntry(
        int session,
        String command,
        Integer exitStatus,
        Duration toExit,
        Duration toClose,
        boolean timedOut,
        Instant startedAt,
        String purpose) {

    /** Validates the parts. */
    public TranscriptEntry {
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(purpose, "purpose");
    }
}
