package io.sigkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** Runs {@code sigkit} in-process through picocli's {@code execute()}, with stdout and stderr captured. */
final class SigkitTestCase {
    private SigkitTestCase() {
    }

    /** One execution: its exit code and what it printed. */
    record Execution(int exitCode, String out, String err) {
        /** stderr's non-empty lines. */
        List<String> errLines() {
            return err.lines().filter(l -> !l.isBlank()).toList();
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout:\n" + out + "\n--- stderr:\n" + err;
        }
    }

    static Execution sigkit(String... args) {
        CommandLine cl = Sigkit.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Execution(code, out.toString(), err.toString());
    }

    /** The failure is reported as exactly one line on stderr, without a stack trace. */
    static void assertOneLineError(Execution e) {
        assertThat(e.errLines()).as("%s", e).hasSize(1);
        assertThat(e.err).as("%s", e).doesNotContain("\tat ").doesNotContain("Exception:");
    }

    /** Writes a file and returns it. */
    static Path write(Path dir, String name, String content) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    /** A fresh ed25519 key pair without passphrase, made by ssh-keygen (openssh-client). */
    static Path newKey(Path dir, String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "sigkit-test", "-f",
                key.toString()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("ssh-keygen: %s", output).isZero();
        return key;
    }

    /** A loopback TCP port nothing listens on (bound and released). */
    static int closedPort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
