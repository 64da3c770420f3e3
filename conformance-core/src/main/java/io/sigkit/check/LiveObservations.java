package io.sigkit.check;

import io.sigkit.bus.SatelliteBus;
import io.sigkit.bus.SignalResult;
import io.sigkit.probe.FactsProbe;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.probe.RemoteScript;
import io.sigkit.timing.ClockOffset;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import io.sigkit.transport.ServerIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** {@link PayloadObservations} on the payload, over the run's SSH connection and bus. */
final class LiveObservations implements PayloadObservations {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final PayloadConnection connection;
    private final SatelliteBus bus;
    private final ConnectionSettings settings;
    private final String taskingUser;
    private final List<ProbeDocument> probes;

    LiveObservations(PayloadConnection connection, SatelliteBus bus, ConnectionSettings settings, String taskingUser,
                     List<ProbeDocument> probes) {
        this.connection = connection;
        this.bus = bus;
        this.settings = settings;
        this.taskingUser = taskingUser;
        this.probes = List.copyOf(probes);
    }

    @Override
    public ServerIdentity serverIdentity() {
        return connection.serverIdentity();
    }

    @Override
    public ExecResult login() {
        return connection.exec("true", CALL_TIMEOUT);
    }

    @Override
    public PayloadFacts facts() {
        // the probe entries get a token of their own: the run ID must not show in the inbox before the run's scratch
        // directory exists (someone could take its name first)
        RemoteScript.Output out = FactsProbe.script(RemoteScript.newNonce().substring(0, 16), taskingUser, probes)
                .run(connection, CALL_TIMEOUT, "the facts probe");
        return PayloadFacts.of(out, probes);
    }

    @Override
    public ClockOffset measureClock(int samples) {
        List<ClockOffset.Sample> taken = new ArrayList<>();
        Duration resolution = Duration.ofNanos(1);
        for (int i = 0; i < samples; i++) {
            Instant sent = Instant.now();
            ExecResult r = connection.exec("date +%s%N 2>/dev/null | grep -x '[0-9]*' || date +%s", CALL_TIMEOUT);
            Instant received = Instant.now();
            String out = r.stdout().trim();
            if (!out.matches("\\d+")) {
                throw new IllegalStateException("the payload's date printed '" + out + "', not a time");
            }
            Instant payload;
            if (out.length() > 12) {
                long ns = Long.parseLong(out);
                payload = Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L);
            } else {
                payload = Instant.ofEpochSecond(Long.parseLong(out));
                resolution = Duration.ofSeconds(1);
            }
            taken.add(new ClockOffset.Sample(sent, received, payload));
        }
        return ClockOffset.estimate(taken, resolution);
    }

    @Override
    public boolean exists(String path) {
        return connection.files().exists(path);
    }

    @Override
    public SignalResult setClock(String tool, boolean viaSudo, Duration timeout) {
        return bus.setClock(tool, viaSudo, timeout);
    }

    @Override
    public SignalResult shutdown(String command, Duration timeout) {
        return bus.shutdown(command, timeout);
    }

    @Override
    public void answer() {
        try (PayloadConnection probe = PayloadConnection.open(settings)) {
            probe.exec("true", Duration.ofSeconds(5));
        }
    }
}
