package io.sigkit.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * What one command run over SSH did: exit status, output and the two times the bus would see.
 *
 * @param session index of the SSH session it ran on (1 for the first, incremented by each reconnect)
 * @param command the command line exactly as sent
 * @param exitStatus the exit status, or null if none arrived (timed out, or ended by a signal)
 * @param exitSignal the name of the signal that ended it (e.g. {@code KILL}), or null
 * @param stdout standard output as UTF-8, at most the connection's output cap
 * @param stderr standard error as UTF-8, at most the connection's output cap
 * @param stdoutTruncated whether stdout was longer than the cap (the rest was read and discarded)
 * @param stderrTruncated whether stderr was longer than the cap (the rest was read and discarded)
 * @param toExit time from the exec request to the exit status (or signal), or null if none arrived
 * @param toClose time from the exec request to the channel's close, or null if it timed out
 * @param timedOut whether the kit stopped waiting at the call's timeout and closed the channel
 */
public record ExecResult(
        int session,
        String command,
        Integer exitStatus,
        String exitSignal,
        String stdout,
        String stderr,
        boolean stdoutTruncated,
        boolean stderrTruncated,
        Duration toExit,
        Duration toClose,
        boolean timedOut) {

    /** Validates the parts. */
    public ExecResult {
        if (session < 1) {
            throw new IllegalArgumentException("session index must be at least 1, was " + session);
        }
        Objects.requireNonNull(command, "command");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
        if (timedOut && toClose != null) {
            throw new IllegalArgumentException("a timed-out call has no close time");
        }
        if (!timedOut && toClose == null) {
            throw new IllegalArgumentException("a call that did not time out has a close time");
        }
    }

    /**
     * Whether the command exited with status 0 (and did not time out).
     *
     * @return true on exit status 0
     */
    public boolean succeeded() {
        return !timedOut && exitStatus != null && exitStatus == 0;
    }

    /**
     * The last {@code maxChars} characters of stderr, trimmed, for diagnostics.
     *
     * @param maxChars how many characters at most
     * @return the tail
     */
    public String stderrTail(int maxChars) {
        String s = stderr.strip();
        return s.length() <= maxChars ? s : "…" + s.substring(s.length() - maxChars);
    }
}
