package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** With its own link, a payload can be cut off as the bus cuts Ethernet, and its work keeps running. */
@RequiresTestbed
class NetnsLinkTests {

    @Test
    void link_down_stalls_sessions_and_refuses_new_ones_while_the_payload_keeps_running() throws Exception {
        try (RunningPayload payload = Testbed.start(PayloadSpec.reference().withNetns())) {
            // GIVEN the session arrives over the payload's own link
            CommandResult where = OpenSsh.ssh(payload, "echo $SSH_CONNECTION; ip -o -4 addr show eth0");
            assertThat(where.exitStatus()).as("stderr: %s", where.stderr()).isZero();
            assertThat(where.stdout()).startsWith("10.42.0.1 ").contains("10.42.0.2/24");
            // AND an open session that prints a tick every 200 ms, and work running on the payload
            CommandResult work = payload.execShell(
                    "nohup sh -c 'while sleep 0.2; do date +%s >> /tmp/heartbeat; done' >/dev/null 2>&1 &");
            assertThat(work.exitStatus()).isZero();
            Process session = new ProcessBuilder(OpenSsh.command("ssh", payload, List.of("-T"),
                    "i=0; while [ $i -lt 300 ]; do echo tick $i; i=$((i+1)); sleep 0.2; done"))
                    .redirectErrorStream(true).start();
            List<String> ticks = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(session.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        ticks.add(line);
                    }
                } catch (IOException e) {
                    // the session was killed at the end of the test
                }
            });
            reader.setDaemon(true);
            reader.start();
            try {
                waitUntil(() -> ticks.size() >= 3, Duration.ofSeconds(10), "ticks before the link goes down");

                // WHEN the link goes down
                payload.linkDown();
                Thread.sleep(500);
                int ticksAtCut = ticks.size();
                int beatsAtCut = heartbeats(payload);
                Thread.sleep(1500);

                // THEN the open session stalls, a new connection fails, and the payload's work goes on
                assertThat(ticks.size()).as("ticks received while the link was down").isLessThanOrEqualTo(ticksAtCut + 1);
                CommandResult refused = OpenSsh.ssh(payload, "true", Duration.ofSeconds(20));
                assertThat(refused.exitStatus()).isEqualTo(255);
                assertThat(heartbeats(payload)).as("heartbeats while the link was down").isGreaterThan(beatsAtCut + 3);
                assertThat(session.isAlive()).isTrue();

                // WHEN the link comes back
                payload.linkUp();

                // THEN new connections work and the open session resumes
                assertThat(OpenSsh.ssh(payload, "true").exitStatus()).isZero();
                waitUntil(() -> ticks.size() > ticksAtCut + 3, Duration.ofSeconds(20), "ticks after the link is back");
            } finally {
                session.destroyForcibly();
                session.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    private static int heartbeats(RunningPayload payload) {
        CommandResult count = payload.execShell("wc -l < /tmp/heartbeat");
        return Integer.parseInt(count.stdout().strip());
    }

    private static void waitUntil(BooleanSupplier condition, Duration bound, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + what + " within " + bound.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }
}
