package io.sigkit.probe;

import io.sigkit.transport.ExecRequest;
import io.sigkit.transport.ExecResult;
import io.sigkit.transport.PayloadConnection;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A POSIX sh script of the kit's whose output cannot be forged by the payload: it reads a fresh nonce from its stdin
 * (never on its command line, where any process could read it), prints every fact as a section introduced by a
 * marker holding the nonce, each capped in bytes, then an end marker, and hex-encodes the whole (see {@link Sections}).
 *
 * <p>Written for bash, dash and busybox ash with the tools busybox also provides ({@code head -c}, {@code od},
 * {@code tr}). Payload-controlled bytes (file names, process arguments, output) reach the kit only as section content,
 * NUL bytes and line breaks included, and never become code: sections hold kit-written shell code only. Code that
 * starts a background process must redirect its stdout and stderr, or the encoder waits for it.
 *
 * <pre>{@code
 * RemoteScript s = RemoteScript.builder().section("uname", "uname -srm", 200).build();
 * RemoteScript.Output out = s.run(connection, Duration.ofSeconds(30), "probe");
 * String uname = out.require().first("uname");
 * }</pre>
 */
public final class RemoteScript {
    /** Exit status of a script that did not receive its nonce (e.g. a login script read stdin first). */
    public static final int NO_NONCE = 97;

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Cap of a script's whole output before encoding, in bytes: hex-encoded it stays under the exec cap (1 MiB). */
    public static final int TOTAL_CAP = 480 * 1024;

    /**
     * What every script starts with: the nonce is read and checked, {@code $S} is the byte 0x01, and
     * {@code sigkit_s NAME} starts a section. Everything after it runs in one group whose stdout is hex-encoded.
     */
    static final String PREAMBLE = "IFS= read -r N || N=''\n"
            + "case \"$N\" in *[!0-9a-f]*|'') echo 'sigkit: the script did not receive its nonce on stdin' >&2; exit "
            + NO_NONCE + " ;; esac\n"
            + "S=$(printf '\\001')\n"
            + "sigkit_s() { printf '\\n@@sigkit:%s:%s\\n' \"$N\" \"$1\"; }\n"
            + "{\n";

    private final String text;
    private final Map<String, Integer> caps;

    private RemoteScript(String text, Map<String, Integer> caps) {
        this.text = text;
        this.caps = Map.copyOf(caps);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The script's text (without its nonce). */
    public String text() {
        return text;
    }

    /** A fresh 128-bit nonce, hex. */
    public static String newNonce() {
        byte[] b = new byte[16];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** Runs the script once over the connection with a fresh nonce. */
    public Output run(PayloadConnection connection, Duration timeout, String purpose) {
        String nonce = newNonce();
        ExecResult exec = connection.exec(ExecRequest.of(text).withStdin((nonce + "\n").getBytes(StandardCharsets.US_ASCII))
                .withTimeout(timeout).withPurpose(purpose));
        return new Output(purpose, nonce, exec, Sections.parse(exec.stdout(), nonce, caps));
    }

    /** Parses output produced elsewhere (tests: a local shell) with the nonce that was fed to it. */
    public Sections parse(String stdout, String nonce) {
        return Sections.parse(stdout, nonce, caps);
    }

    /**
     * What one run of a script gave.
     *
     * @param purpose what the script was for, for messages
     * @param nonce the call's nonce (records inside sections are separated with it)
     * @param exec the SSH exec
     * @param sections its parsed sections
     */
    public record Output(String purpose, String nonce, ExecResult exec, Sections sections) {
        /**
         * The sections, when the output is whole and untampered and no section was cut.
         *
         * @throws IncompleteOutputException naming what went wrong (the check that needed it is then ERROR)
         */
        public Sections require() {
            String problem = problem();
            if (problem != null) {
                throw new IncompleteOutputException(purpose + ": " + problem);
            }
            return sections;
        }

        /** Like {@link #require()}, but a cut section is allowed (its value is shown cut). */
        public Sections requireWhole() {
            if (!sections.cutSections().isEmpty()) {
                return requireComplete();
            }
            return require();
        }

        /** The sections when the output is complete and untampered (cut sections allowed). */
        public Sections requireComplete() {
            String problem = completeness();
            if (problem != null) {
                throw new IncompleteOutputException(purpose + ": " + problem);
            }
            return sections;
        }

        /** Why the output cannot be relied on, or null. */
        public String problem() {
            String c = completeness();
            if (c != null) {
                return c;
            }
            if (!sections.cutSections().isEmpty()) {
                return "the kit's cap was hit in " + String.join(", ", sections.cutSections())
                        + " (the rest was not read)";
            }
            return null;
        }

        private String completeness() {
            if (exec.timedOut()) {
                return "no complete answer within the kit's timeout";
            }
            if (exec.exitStatus() != null && exec.exitStatus() == NO_NONCE) {
                return "the script did not receive its nonce on stdin (does a login script of the signaling user"
                        + " read stdin?)";
            }
            if (exec.stdoutTruncated()) {
                return "the output passed the kit's cap of the SSH exec and was cut";
            }
            if (sections.tampered()) {
                return "output that imitates the kit's own was seen (" + String.join("; ", sections.problems())
                        + "): the payload's output is not trusted";
            }
            if (!sections.complete()) {
                return "the script ended early (exit status " + exec.exitStatus()
                        + (exec.exitSignal() == null ? "" : ", signal " + exec.exitSignal()) + ")";
            }
            return null;
        }
    }

    /** Builds a script: kit-written shell code only, never payload data. */
    public static final class Builder {
        private final StringBuilder text = new StringBuilder(PREAMBLE);
        private final Map<String, Integer> caps = new LinkedHashMap<>();
        private final java.util.Set<String> names = new java.util.HashSet<>();

        /** Plain kit shell code (variable assignments, launches) whose output is not a section. */
        public Builder code(String code) {
            text.append(code).append('\n');
            return this;
        }

        /** A section holding the stdout of {@code code} (kit-written), bounded only by {@link #TOTAL_CAP}. */
        public Builder section(String name, String code) {
            name(name);
            text.append("sigkit_s ").append(name).append("\n{ ").append(code).append("\n}\n");
            return this;
        }

        /** A section holding the stdout of {@code code} (kit-written), cut at {@code cap} bytes (one more process). */
        public Builder section(String name, String code, int cap) {
            name(name);
            caps.put(name, cap);
            text.append("sigkit_s ").append(name).append("\n{ ").append(code).append("\n} | head -c ").append(cap + 1L)
                    .append('\n');
            return this;
        }

        private void name(String name) {
            if (!name.matches("[a-z0-9][a-z0-9._-]*")) {
                throw new IllegalArgumentException("bad section name '" + name + "'");
            }
            if (names.contains(name)) {
                throw new IllegalArgumentException("section '" + name + "' twice");
            }
            names.add(name);
        }

        public RemoteScript build() {
            return new RemoteScript(text + "sigkit_s " + Sections.END + "\n} | head -c " + TOTAL_CAP
                    + " | { printf '\\n%s:begin\\n' \"$N\"; od -An -tx1 -v | tr -d ' \\n'; printf '\\n%s:end\\n' \"$N\"; }\n",
                    caps);
        }
    }
}
