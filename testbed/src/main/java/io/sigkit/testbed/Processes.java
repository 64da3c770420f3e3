package io.sigkit.testbed;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs host commands (the sandbox script) with a bound on time and on captured output. */
final class Processes {

    /** Output beyond this many bytes per stream is read and dropped, so a flood can neither block nor exhaust memory. */
    static final int OUTPUT_CAP = 8 * 1024 * 1024;

    private static final Duration DRAIN_GRACE = Duration.ofSeconds(2);

    private Processes() {
    }

    /** Runs {@code command} to its end or until {@code timeout}; {@code what} names it in errors. */
    static CommandResult run(List<String> command, Duration timeout, String what) {
        Process process = start(new ProcessBuilder(command), what);
        Drain out = Drain.of(process.getInputStream(), what + " stdout");
        Drain err = Drain.of(process.getErrorStream(), what + " stderr");
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
                throw new TestbedException(what + ": no result within " + timeout.toSeconds() + " s (killed); stderr: "
                        + abbreviate(err.text(DRAIN_GRACE)));
            }
            return new CommandResult(process.exitValue(), out.text(DRAIN_GRACE), err.text(DRAIN_GRACE));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new TestbedException(what + ": interrupted", e);
        }
    }

    /** Starts a process with stdin at EOF. */
    static Process start(ProcessBuilder builder, String what) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        try {
            return builder.start();
        } catch (IOException e) {
            throw new TestbedException(what + ": cannot start " + builder.command().get(0) + ": " + e.getMessage(), e);
        }
    }

    static String abbreviate(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 4000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 4000);
    }

    /** Reads a stream to its end on a daemon thread, keeping at most {@link #OUTPUT_CAP} bytes. */
    static final class Drain {
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile boolean truncated;

        private Drain(InputStream in, String name) {
            thread = new Thread(() -> pump(in), "sigkit-testbed " + name);
            thread.setDaemon(true);
        }

        static Drain of(InputStream in, String name) {
            Drain drain = new Drain(in, name);
            drain.thread.start();
            return drain;
        }

        private void pump(InputStream in) {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    synchronized (buffer) {
                        int room = OUTPUT_CAP - buffer.size();
                        if (room > 0) {
                            buffer.write(chunk, 0, Math.min(n, room));
                        }
                        if (n > room) {
                            truncated = true;
                        }
                    }
                }
            } catch (IOException e) {
                // The process ended and its pipe was closed under us: what was read so far is the output.
            }
        }

        /** The text read so far, after waiting up to {@code grace} for the stream's end. */
        String text(Duration grace) {
            try {
                thread.join(grace.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (buffer) {
                String text = buffer.toString(StandardCharsets.UTF_8);
                return truncated ? text + "\n[output truncated at " + OUTPUT_CAP + " bytes]" : text;
            }
        }
    }

}
