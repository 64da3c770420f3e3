package io.sigkit.transport;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import io.sigkit.testbed.LoginShell;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.SshServerKind;
import io.sigkit.testbed.Testbed;

/**
 * Measures the cost of one exec on one open session: the kit's wall time per call, and the times to exit status and to
 * channel close, as medians of N calls after a warm-up; also the first open (JVM warm-up included) and the median of
 * five reconnects. Rerunnable; prints one line per target.
 *
 * <p>Targets: {@code openssh} and {@code dropbear} (testbed payloads, bash login shell; need root on Linux) and
 * {@code in-process} (MINA SSHD in this JVM, running {@code /bin/sh -c}). Usage:
 * {@code ExecLatencyBenchmark [N] [target...]}, default {@code 50 openssh dropbear in-process}.
 */
public final class ExecLatencyBenchmark {

    private static final int WARM_UP = 5;
    private static final int RECONNECTS = 5;
    private static final String COMMAND = "true";

    private ExecLatencyBenchmark() {
    }

    /**
     * Runs the benchmark.
     *
     * @param args {@code [N] [target...]}
     * @throws IOException if a temporary directory cannot be made
     */
    public static void main(String[] args) throws IOException {
        PrintStream out = System.out;
        int n = args.length > 0 && args[0].matches("\\d+") ? Integer.parseInt(args[0]) : 50;
        List<String> targets = new ArrayList<>();
        for (String a : args) {
            if (!a.matches("\\d+")) {
                targets.add(a);
            }
        }
        if (targets.isEmpty()) {
            targets.addAll(List.of("openssh", "dropbear", "in-process"));
        }
        out.printf(Locale.ROOT, "exec latency of '%s' on one session, median of %d calls after %d warm-up calls%n",
                COMMAND, n, WARM_UP);
        for (String target : targets) {
            switch (target) {
                case "openssh", "dropbear" -> {
                    if (!Testbed.isAvailable()) {
                        out.printf(Locale.ROOT, "%-10s skipped: %s%n", target, Testbed.unavailableReason());
                        continue;
                    }
                    SshServerKind kind = target.equals("openssh") ? SshServerKind.OPENSSH : SshServerKind.DROPBEAR;
                    try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withServer(kind)
                            .withShell(LoginShell.BASH))) {
                        ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(payload.target()))
                                .identity(payload.identity()).knownHosts(payload.knownHosts()).build();
                        out.println(measure(target, settings, n));
                    }
                }
                case "in-process" -> {
                    Path dir = Files.createTempDirectory("sigkit-bench");
                    try (InProcessServerTestCase server = InProcessServerTestCase.start()) {
                        Path key = ClientKeyTestCase.ed25519(dir);
                        server.authorize(ClientKeyTestCase.publicKey(key));
                        Path knownHosts = ClientKeyTestCase.write(dir.resolve("known_hosts"), server.knownHostsLines());
                        out.println(measure(target, ConnectionSettings.builder(server.target("sigapi")).identity(key)
                                .knownHosts(knownHosts).build(), n));
                    }
                }
                default -> out.printf(Locale.ROOT, "%-10s unknown target (openssh, dropbear or in-process)%n", target);
            }
        }
    }

    private static String measure(String name, ConnectionSettings settings, int n) {
        long openStart = System.nanoTime();
        try (PayloadConnection c = PayloadConnection.open(settings)) {
            Duration open = Duration.ofNanos(System.nanoTime() - openStart);
            for (int i = 0; i < WARM_UP; i++) {
                check(c.exec(COMMAND, Duration.ofSeconds(10)));
            }
            List<Duration> wall = new ArrayList<>();
            List<ExecResult> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                ExecResult r = c.exec(COMMAND, Duration.ofSeconds(10));
                wall.add(Duration.ofNanos(System.nanoTime() - start));
                check(r);
                results.add(r);
            }
            String version = c.serverIdentity().serverVersion();
            List<Duration> reconnects = new ArrayList<>();
            for (int i = 0; i < RECONNECTS; i++) {
                long start = System.nanoTime();
                c.reconnect();
                reconnects.add(Duration.ofNanos(System.nanoTime() - start));
            }
            return String.format(Locale.ROOT,
                    "%-10s %-40s first open %6.1f ms, reconnect p50 %6.1f ms | per exec: wall p50 %5.2f ms p90 %5.2f"
                            + " min %5.2f max %5.2f | to exit p50 %5.2f | to close p50 %5.2f | sessions %d, exec requests %d",
                    name, version, ms(open), ms(percentile(reconnects, 50)), ms(percentile(wall, 50)),
                    ms(percentile(wall, 90)), ms(Collections.min(wall)), ms(Collections.max(wall)),
                    ms(percentile(map(results, ExecResult::toExit), 50)),
                    ms(percentile(map(results, ExecResult::toClose), 50)), c.sessionsOpened(), c.execRequests());
        }
    }

    private static void check(ExecResult r) {
        if (!r.succeeded()) {
            throw new UncheckedIOException(new IOException("benchmark call failed: " + r));
        }
    }

    private static List<Duration> map(List<ExecResult> results, Function<ExecResult, Duration> f) {
        List<Duration> out = new ArrayList<>();
        for (ExecResult r : results) {
            out.add(f.apply(r));
        }
        return out;
    }

    private static Duration percentile(List<Duration> values, int p) {
        List<Duration> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static double ms(Duration d) {
        return d.toNanos() / 1e6;
    }
}
