package io.sigkit.check;

import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.RemoteScript;
import io.sigkit.probe.Sections;
import io.sigkit.transport.ExecResult;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Facts as the facts probe would report them, built from section contents without a payload: the sections are
 * framed and hex-encoded exactly as a {@link RemoteScript} prints them and parsed by the real parser.
 */
final class CannedFacts {
    private final Map<String, byte[]> sections = new LinkedHashMap<>();

    static CannedFacts of() {
        return new CannedFacts().put("uid", "1000\n").put("user", "sigapi\n");
    }

    /** A SHA-256 as sha256sum prints it. */
    static final String SHA = "5f".repeat(32);

    /** The sudo listing of a conformant payload: the bus's exact commands, with their arguments. */
    static final String RULES = """
            Matching Defaults entries for sigapi on payload:
                env_reset, mail_badpass, secure_path=/usr/local/sbin\\:/usr/local/bin\\:/usr/sbin\\:/usr/bin\\:/sbin\\:/bin, use_pty

            User sigapi may run the following commands on payload:
                (root) NOPASSWD: /usr/bin/date -s *, /sbin/shutdown -h now
            exit=0""";

    /**
     * The facts of a payload on which every facts-based check passes: Linux, user sigapi (uid 1000, bash), eth0 up,
     * payload_exec a root-owned 0755 Python script, the /signaling directories writable by the user and by no other,
     * sudo allowing the bus's exact clock and shutdown commands with no password.
     */
    static CannedFacts conformant() {
        CannedFacts c = of().put("uname-s", "Linux\n").put("uname-srm", "Linux 6.1.0-13-amd64 x86_64\n")
                .put("os", "\"Debian GNU/Linux 12 (bookworm)\"\n").put("groups", "sigapi\n")
                .put("login-shell", "/bin/bash\n").put("shell-exe", "/usr/bin/bash\n")
                .put("ssh-connection", "192.0.2.1 50412 192.0.2.7 22\n").put("tty", "not a tty\n")
                .put("interfaces", "eth0 up 0x1003\nlo unknown 0x9\n")
                .put("addresses", "1: lo    inet 127.0.0.1/8 scope host lo\n"
                        + "2: eth0    inet 192.0.2.7/24 brd 192.0.2.255 scope global eth0\n")
                .put("payload-exec.lstat", "regular file|755|root|root|2048\n")
                .put("payload-exec.stat", "regular file|755|root|root|2048\n")
                .put("payload-exec.realpath", "/usr/bin/payload_exec\n").put("payload-exec.access", "rx\n")
                .put("payload-exec.sha256", SHA + "\n")
                .put("payload-exec.head", "#!/usr/bin/python3\n\"\"\"payload_exec\"\"\"\nimport sys\n")
                .put("payload-exec.interpreter", "/usr/bin/python3\n").put("payload-exec.interpreter-ok", "yes\n")
                .put("payload-exec.env-target", "");
        directory(c, "signaling", "/signaling", "directory|755|root|root|4096", null);
        directory(c, "inbox", "/signaling/inbox", "directory|775|root|sigapi|4096", "ok");
        directory(c, "window-configs", "/signaling/window_configs", "directory|775|root|sigapi|4096", "ok");
        c.put("inbox-user", "absent\n").put("sudo-path", "/usr/bin/sudo\n").put("sudo-list", RULES + "\n");
        for (String key : List.of("date", "timedatectl", "hwclock", "shutdown", "halt", "poweroff", "exact-date-set",
                "exact-timedatectl-set", "exact-hwclock", "exact-shutdown", "exact-halt", "exact-poweroff")) {
            c.put("sudo-allows-" + key, "exit=1\n");
        }
        return c.put("sudo-allows-exact-date-set", "/usr/bin/date -s @1700000000\nexit=0\n")
                .put("sudo-allows-exact-shutdown", "/sbin/shutdown -h now\nexit=0\n")
                .put("sudo-run-date", "sudo: a password is required\nexit=1\n");
    }

    private static void directory(CannedFacts c, String id, String path, String stat, String write) {
        c.put(id + ".lstat", stat + "\n").put(id + ".stat", stat + "\n").put(id + ".realpath", path + "\n")
                .put(id + ".access", "rwx\n")
                .put(id + ".df", "/dev/sda1 30832548 9123456 20118392 32% /\n").put(id + ".mount", "rw,relatime\n");
        if (write != null) {
            c.put(id + ".write", write + "\n");
        }
    }

    /** Drops a section, as when the probe's output lacks it. */
    CannedFacts remove(String section) {
        sections.remove(section);
        return this;
    }

    CannedFacts put(String section, String text) {
        return put(section, text.getBytes(StandardCharsets.UTF_8));
    }

    CannedFacts put(String section, byte[] bytes) {
        sections.put(section, bytes.clone());
        return this;
    }

    PayloadFacts facts() {
        return facts(List.of(io.sigkit.probe.ProbeDocument.catalog()));
    }

    /** The facts, as the probe generated from these documents reports them. */
    PayloadFacts facts(List<io.sigkit.probe.ProbeDocument> documents) {
        String nonce = RemoteScript.newNonce();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : sections.entrySet()) {
            raw.writeBytes(("\n" + Sections.MARKER + nonce + ":" + e.getKey() + "\n").getBytes(StandardCharsets.US_ASCII));
            raw.writeBytes(e.getValue());
        }
        raw.writeBytes(("\n" + Sections.MARKER + nonce + ":.end\n").getBytes(StandardCharsets.US_ASCII));
        String stdout = "\n" + nonce + ":begin\n" + HexFormat.of().formatHex(raw.toByteArray()) + "\n" + nonce + ":end\n";
        ExecResult exec = new ExecResult(1, "canned facts", 0, null, stdout, "", false, false, Duration.ofMillis(5),
                Duration.ofMillis(5), false);
        return PayloadFacts.of(new RemoteScript.Output("canned facts", nonce, exec, Sections.parse(stdout, nonce, Map.of())),
                documents);
    }
}
