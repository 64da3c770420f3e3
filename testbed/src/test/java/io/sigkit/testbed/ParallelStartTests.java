package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.RequiresTestbed;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Several payloads started at once get their own names and ports and all answer. */
@RequiresTestbed
class ParallelStartTests {

    @Test
    void parallel_starts_do_not_collide() throws Exception {
        List<PayloadSpec> specs = List.of(
                PayloadSpec.reference(),
                PayloadSpec.reference().withShell(LoginShell.DASH),
                PayloadSpec.reference().withServer(SshServerKind.DROPBEAR),
                PayloadSpec.reference().withNetns(),
                PayloadSpec.reference().withShell(LoginShell.ASH).withoutSftp(),
                PayloadSpec.reference().withUser("signal"));
        ExecutorService pool = Executors.newFixedThreadPool(specs.size());
        List<RunningPayload> started = new ArrayList<>();
        try {
            // WHEN they are all started at once
            List<Future<RunningPayload>> futures = new ArrayList<>();
            for (PayloadSpec spec : specs) {
                futures.add(pool.submit(() -> Testbed.start(spec)));
            }
            for (Future<RunningPayload> future : futures) {
                started.add(future.get(90, TimeUnit.SECONDS));
            }

            // THEN each has its own name and port, and each answers with the asked user over SSH
            assertThat(started).extracting(RunningPayload::name).doesNotHaveDuplicates();
            assertThat(started).extracting(RunningPayload::port).doesNotHaveDuplicates();
            for (int i = 0; i < specs.size(); i++) {
                RunningPayload payload = started.get(i);
                CommandResult who = OpenSsh.ssh(payload, "id -un; hostname");
                assertThat(who.exitStatus()).as("%s: %s", payload, who.stderr()).isZero();
                assertThat(who.stdout().lines().toList()).containsExactly(specs.get(i).user(), payload.name());
            }
        } finally {
            for (RunningPayload payload : started) {
                payload.close();
            }
            pool.shutdownNow();
        }
    }
}
