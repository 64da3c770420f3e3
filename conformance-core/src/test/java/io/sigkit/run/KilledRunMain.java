package io.sigkit.run;

import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A certification in a JVM of its own, for {@link HostileRunsTests}: it prints each step on stdout (flushed) so that
 * the test can SIGKILL it at a known point. Args: target identity knownHosts leaseSeconds.
 */
public final class KilledRunMain {
    private KilledRunMain() {
    }

    public static void main(String[] args) {
        ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(args[0]))
                .identity(Path.of(args[1])).knownHosts(Path.of(args[2])).build();
        RunOptions options = RunOptions.builder(settings).windowLength(Duration.ofSeconds(8))
                .lease(Duration.ofSeconds(Long.parseLong(args[3]))).build();
        Certification.run(options, new ProgressListener() {
            @Override
            public void step(String description) {
                System.out.println("step " + description);
                System.out.flush();
            }
        });
        System.out.println("finished");
    }
}
