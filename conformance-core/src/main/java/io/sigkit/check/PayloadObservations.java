package io.sigkit.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.timing.ClockOffset;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.ServerIdentity;
import io.sigkit.transport.TransportException;
import java.time.Duration;

/**
 * What the checks observe on the payload, and the few actions whose effect they judge: the seam between the checks and
 * the SSH session. {@link LiveObservations} performs them on the payload; tests give canned answers, so that every
 * branch of a check can be proven without a payload.
 */
interface PayloadObservations {

    /** Who answered the connection: server version, host key, handshake, authentication (SIG-ENV-002/003). */
    ServerIdentity serverIdentity();

    /** {@code true} run as the signaling user (SIG-ENV-003). */
    ExecResult login();

    /**
     * The facts probe, generated from the probes documents (one exec).
     *
     * @throws io.sigkit.probe.IncompleteOutputException when its output timed out, was cut or holds forged lines
     */
    PayloadFacts facts();

    /** The payload's clock against the kit's, from {@code samples} round trips (SIG-TIME-001/002). */
    ClockOffset measureClock(int samples);

    /** Whether a path exists on the payload (SIG-CFG-002: the config is where it was written). */
    boolean exists(String path);

    /** Sets the payload's clock to its own time with {@code date} or {@code timedatectl}, as the bus would (SIG-TIME-002). */
    SignalResult setClock(String tool, boolean viaSudo, Duration timeout);

    /** Issues the shutdown command (SIG-END-001); may lose the connection while it runs. */
    SignalResult shutdown(String command, Duration timeout);

    /**
     * Logs in afresh and runs {@code true}: returns when the payload answered.
     *
     * @throws TransportException when it does not answer (SIG-END-001 waits for this)
     */
    void answer();
}
