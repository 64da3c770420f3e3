package io.sigkit.cli;

import io.sigkit.run.LinkControl;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Cuts and restores the payload's link with two local shell commands ({@code --link-down-command},
 * {@code --link-up-command}), e.g. a switch port or {@code ip link set ... down}: each must exit 0 within 30 s.
 */
final class ShellLinkControl implements LinkControl {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final String downCommand;
    private final String upCommand;

    ShellLinkControl(String downCommand, String upCommand) {
        this.downCommand = Objects.requireNonNull(downCommand, "downCommand");
        this.upCommand = Objects.requireNonNull(upCommand, "upCommand");
    }

    @Override
    public void down() throws IOException, InterruptedException {
        run("--link-down-command", downCommand);
    }

    @Override
    public void up() throws IOException, InterruptedException {
        run("--link-up-command", upCommand);
    }

    private static void run(String option, String command) throws IOException, InterruptedException {
        Path log = Files.createTempFile("sigkit-link-", ".log");
        try {
            Process p = new ProcessBuilder("/bin/sh", "-c", command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(option + " '" + command + "' did not finish within " + TIMEOUT.toSeconds() + " s");
            }
            if (p.exitValue() != 0) {
                String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).strip();
                if (text.length() > 300) {
                    text = "…" + text.substring(text.length() - 300);
                }
                throw new IOException(option + " '" + command + "' exited " + p.exitValue()
                        + (text.isEmpty() ? "" : ": " + ExitCodes.oneLine(text)));
            }
        } finally {
            Files.deleteIfExists(log);
        }
    }
}
