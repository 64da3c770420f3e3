package io.sigkit.junit;

import io.sigkit.probe.IncompleteOutputException;
import io.sigkit.probe.ProcessListing;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.text.SafeText;
import io.sigkit.transport.TransportException;
import io.sigkit.transport.PayloadConnection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waits for what a payload does asynchronously: a file appearing or going, payload_exec of a window starting or
 * exiting. Each wait polls the payload over the connection, is bounded by the timeout given, and on timeout throws
 * Awaitility's {@link ConditionTimeoutException} with the wait's name, e.g. {@code Condition with alias 'payload_exec
 * of window 2100042000 to exit on ssh://sigapi@127.0.0.1:2201' didn't complete within 10 seconds}.
 *
 * <pre>{@code
 * SignalResult start = bus.startWindow(window);
 * PayloadAwait.untilFileExists(payload, "/var/lib/payload/done-" + window.id(), Duration.ofSeconds(30));
 * PayloadAwait.untilNoProcess(payload, window.id(), Duration.ofSeconds(70));
 * }</pre>
 */
public final class PayloadAwait {

    /** How often the payload is asked. */
    static final Duration POLL_INTERVAL = Duration.ofMillis(250);
    private static final Duration MAX_CALL = Duration.ofSeconds(10);

    private PayloadAwait() {
    }

    /**
     * Waits until something (file, directory, link) exists at {@code path}.
     *
     * @param payload the connection to the payload
     * @param path the absolute path on the payload
     * @param timeout how long to wait at most
     * @throws ConditionTimeoutException naming the path and the payload when it does not appear in time
     */
    public static void untilFileExists(PayloadConnection payload, String path, Duration timeout) {
        await(payload, "file " + path + " to appear on " + payload.settings().target(), timeout)
                .until(() -> payload.files().exists(path));
    }

    /**
     * Waits until nothing exists at {@code path} any more (e.g. an uplinked file consumed by payload_exec).
     *
     * @param payload the connection to the payload
     * @param path the absolute path on the payload
     * @param timeout how long to wait at most
     * @throws ConditionTimeoutException naming the path and the payload when it is still there in time
     */
    public static void untilFileGone(PayloadConnection payload, String path, Duration timeout) {
        await(payload, "file " + path + " to be gone from " + payload.settings().target(), timeout)
                .until(() -> !payload.files().exists(path));
    }

    /**
     * Waits until a payload_exec process of window {@code windowId} runs, and returns those processes.
     *
     * @param payload the connection to the payload
     * @param windowId the window
     * @param timeout how long to wait at most
     * @return the window's payload_exec processes (at least one)
     * @throws ConditionTimeoutException naming the window and the payload when none runs in time
     */
    public static List<RemoteProcess> untilProcessRunning(PayloadConnection payload, long windowId, Duration timeout) {
        AtomicReference<List<RemoteProcess>> seen = new AtomicReference<>(List.of());
        await(payload, "payload_exec of window " + Long.toUnsignedString(windowId) + " to run on "
                + payload.settings().target(), timeout).until(() -> {
                    seen.set(payloadExecProcesses(payload, windowId, callTimeout(timeout)));
                    return !seen.get().isEmpty();
                });
        return seen.get();
    }

    /**
     * Waits until no payload_exec process of window {@code windowId} runs (e.g. it finished by the window end).
     *
     * @param payload the connection to the payload
     * @param windowId the window
     * @param timeout how long to wait at most
     * @throws ConditionTimeoutException naming the window and the payload when one still runs in time
     */
    public static void untilNoProcess(PayloadConnection payload, long windowId, Duration timeout) {
        await(payload, "payload_exec of window " + Long.toUnsignedString(windowId) + " to exit on "
                + payload.settings().target(), timeout)
                .until(() -> payloadExecProcesses(payload, windowId, callTimeout(timeout)).isEmpty());
    }

    /** The payload_exec processes of a window, listed from {@code /proc} on the payload. */
    static List<RemoteProcess> payloadExecProcesses(PayloadConnection payload, long windowId, Duration timeout) {
        return payloadExecProcesses(payload, List.of(windowId), timeout);
    }

    /** The payload_exec processes of any of the windows, listed from {@code /proc} on the payload in one call. */
    static List<RemoteProcess> payloadExecProcesses(PayloadConnection payload, Collection<Long> windowIds,
                                                    Duration timeout) {
        List<RemoteProcess> all;
        try {
            all = ProcessListing.list(payload, timeout, "list payload_exec processes");
        } catch (IncompleteOutputException | TransportException e) {
            throw new IllegalStateException("sigkit: cannot list the processes of " + payload.settings().target() + ": "
                    + SafeText.escapeLine(e.getMessage()), e);
        }
        List<RemoteProcess> matching = new ArrayList<>();
        for (RemoteProcess p : all) {
            if (!p.zombie() && windowIds.stream().anyMatch(p::isPayloadExecFor)) {
                matching.add(p);
            }
        }
        return matching;
    }

    private static ConditionFactory await(PayloadConnection payload, String alias, Duration timeout) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        }
        return Awaitility.await(alias)
                .atMost(timeout)
                .pollDelay(Duration.ZERO)
                .pollInterval(POLL_INTERVAL)
                .pollInSameThread();
    }

    private static Duration callTimeout(Duration timeout) {
        return timeout.compareTo(MAX_CALL) < 0 ? timeout : MAX_CALL;
    }
}
