package io.sigkit.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Typed, defensive access to the facts gathered by {@link FactsProbe}: a missing or garbled section reads as
 * "unknown", never as an exception.
 */
public final class PayloadFacts {
    private final Sections sections;
    private final String nonce;

    private PayloadFacts(Sections sections, String nonce) {
        this.sections = sections;
        this.nonce = nonce;
    }

    /**
     * The facts from the probe's output (see {@link FactsProbe}).
     *
     * @throws IncompleteOutputException when the output timed out, was cut or holds forged lines
     */
    public static PayloadFacts of(RemoteScript.Output output) {
        return new PayloadFacts(output.requireComplete(), output.nonce());
    }

    /** The payload's clock (whole seconds) when the probe listed other runs, or -1. */
    public long nowSeconds() {
        String v = sections.first("now");
        return v.matches("\\d{1,19}") ? Long.parseLong(v) : -1;
    }

    /**
     * The entries {@code /tmp/sigkit-*} on the payload, with the owner records of earlier or concurrent runs.
     *
     * @throws IncompleteOutputException when the listing was cut or is malformed
     */
    public List<OtherRuns.Entry> otherRuns() {
        if (sections.cut("runs")) {
            throw new IncompleteOutputException("the listing of /tmp/sigkit-* passed the kit's cap");
        }
        long now = nowSeconds();
        if (now < 0) {
            throw new IncompleteOutputException("the payload's clock could not be read for the leftover check");
        }
        return OtherRuns.parse(sections.bytes("runs"), nonce, now);
    }

    public Sections sections() {
        return sections;
    }

    public String unameS() {
        return sections.first("uname-s");
    }

    public String unameSrm() {
        return sections.first("uname-srm");
    }

    /** PRETTY_NAME of {@code /etc/os-release}, its quotes removed (the file is read, never sourced). */
    public String osPrettyName() {
        String v = sections.first("os");
        if (v.length() >= 2 && (v.startsWith("\"") && v.endsWith("\"") || v.startsWith("'") && v.endsWith("'"))) {
            v = v.substring(1, v.length() - 1);
        }
        return v.replace("\\\"", "\"").replace("\\$", "$").replace("\\`", "`").replace("\\\\", "\\");
    }

    public Optional<Integer> uid() {
        try {
            return Optional.of(Integer.parseInt(sections.first("uid")));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    public boolean isRoot() {
        return uid().orElse(-1) == 0;
    }

    public String user() {
        return sections.first("user");
    }

    public String loginShell() {
        return sections.first("login-shell");
    }

    /** The executable of the shell that ran the probe: the login shell, resolved ({@code /usr/bin/dash}). */
    public String shellExecutable() {
        return sections.first("shell-exe");
    }

    /** True when the login shell is a POSIX sh that does not parse {@code &>} as a redirection (dash, posh, plain sh). */
    public boolean loginShellIsPlainPosixSh() {
        String exe = shellExecutable().isEmpty() ? loginShell() : shellExecutable();
        String name = exe.substring(exe.lastIndexOf('/') + 1);
        return name.equals("dash") || name.equals("posh") || name.equals("sh");
    }

    public String sshConnection() {
        return sections.first("ssh-connection");
    }

    public String tty() {
        return sections.first("tty");
    }

    /** A network interface as seen in {@code /sys/class/net}. */
    public record NetInterface(String name, String operState, int flags, List<String> addresses) {
        public NetInterface {
            addresses = List.copyOf(addresses);
        }

        public boolean isLoopback() {
            return (flags & 0x8) != 0 || name.equals("lo");
        }

        /** Administratively up (IFF_UP) and not reported down by the driver. */
        public boolean isUp() {
            return (flags & 0x1) != 0 && !operState.equals("down") && !operState.equals("lowerlayerdown");
        }
    }

    public List<NetInterface> interfaces() {
        List<NetInterface> result = new ArrayList<>();
        for (String line : sections.lines("interfaces")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 0 || parts[0].isEmpty()) {
                continue;
            }
            String state = parts.length > 1 ? parts[1] : "unknown";
            int flags = 0;
            if (parts.length > 2) {
                try {
                    flags = Integer.decode(parts[2]);
                } catch (NumberFormatException e) {
                    flags = 0;
                }
            }
            result.add(new NetInterface(parts[0], state, flags, addressesOf(parts[0])));
        }
        return result;
    }

    private List<String> addressesOf(String name) {
        List<String> addresses = new ArrayList<>();
        for (String line : sections.lines("addresses")) {
            // ip -o addr: "2: eth0    inet 10.0.0.2/24 brd ... scope global eth0"
            String[] parts = line.trim().split("\\s+");
            if (parts.length > 3 && parts[1].equals(name) && (parts[2].equals("inet") || parts[2].equals("inet6"))) {
                addresses.add(parts[3]);
            }
        }
        return addresses;
    }

    /** The interface whose address is the server side of {@code SSH_CONNECTION}, if it can be told. */
    public Optional<String> sessionInterface() {
        String[] parts = sshConnection().split("\\s+");
        if (parts.length < 3) {
            return Optional.empty();
        }
        String serverIp = parts[2];
        for (NetInterface i : interfaces()) {
            for (String a : i.addresses()) {
                if (a.startsWith(serverIp + "/")) {
                    return Optional.of(i.name());
                }
            }
        }
        if (serverIp.startsWith("127.") || serverIp.equals("::1")) {
            return Optional.of("lo");
        }
        return Optional.empty();
    }

    /** {@code stat} of a path: file type, octal mode, owner, group and (for files) size; absent when stat failed. */
    public record Stat(String type, int mode, String owner, String group, long size) {
        static Optional<Stat> parse(String line) {
            String[] parts = line.split("\\|");
            if (parts.length < 4) {
                return Optional.empty();
            }
            try {
                long size = parts.length > 4 ? Long.parseLong(parts[4].trim()) : -1;
                return Optional.of(new Stat(parts[0].trim(), Integer.parseInt(parts[1].trim(), 8), parts[2].trim(),
                        parts[3].trim(), size));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        }

        public boolean isDirectory() {
            return type.equals("directory");
        }

        public boolean isRegularFile() {
            return type.startsWith("regular");
        }

        public boolean isSymlink() {
            return type.equals("symbolic link");
        }

        public boolean worldWritable() {
            return (mode & 0002) != 0;
        }

        public boolean groupWritable() {
            return (mode & 0020) != 0;
        }

        public String modeOctal() {
            return String.format(Locale.ROOT, "%04o", mode);
        }
    }

    /** payload_exec after following links. */
    public Optional<Stat> payloadExec() {
        return Stat.parse(sections.first("pe-stat"));
    }

    /** payload_exec itself (a link shows as one). */
    public Optional<Stat> payloadExecLink() {
        return Stat.parse(sections.first("pe-lstat"));
    }

    /** What stat said when it failed on payload_exec. */
    public String payloadExecStatError() {
        return sections.first("pe-stat");
    }

    public String payloadExecRealPath() {
        return sections.first("pe-realpath");
    }

    public boolean payloadExecExecutable() {
        return sections.first("pe-executable").equals("yes");
    }

    public String payloadExecSha256() {
        String sha = sections.first("pe-sha256");
        return sha.matches("[0-9a-f]{64}") ? sha : "";
    }

    /** The first line of payload_exec as bytes, without its line feed (at most the 512 bytes the probe reads). */
    public byte[] firstLine() {
        byte[] head = sections.bytes("pe-head");
        for (int i = 0; i < head.length; i++) {
            if (head[i] == '\n') {
                return java.util.Arrays.copyOf(head, i);
            }
        }
        return head;
    }

    /** Whether payload_exec's first 512 bytes hold no line feed (the first line is longer than that, or the file is). */
    public boolean firstLineUnterminated() {
        byte[] head = sections.bytes("pe-head");
        for (byte b : head) {
            if (b == '\n') {
                return false;
            }
        }
        return head.length >= 512;
    }

    public boolean hasShebang() {
        byte[] line = firstLine();
        return line.length >= 2 && line[0] == '#' && line[1] == '!';
    }

    /** The shebang line with control characters made visible ({@code \r}). */
    public String shebangLine() {
        StringBuilder sb = new StringBuilder();
        for (byte b : firstLine()) {
            if (b == '\n') {
                break;
            }
            if (b == '\r') {
                sb.append("\\r");
            } else if (b < 0x20 || b == 0x7f) {
                sb.append(String.format(Locale.ROOT, "\\x%02x", b));
            } else {
                sb.append((char) (b & 0xff));
            }
        }
        return sb.toString();
    }

    public boolean shebangHasCarriageReturn() {
        for (byte b : firstLine()) {
            if (b == '\r') {
                return true;
            }
        }
        return false;
    }

    public String interpreter() {
        return sections.first("pe-interpreter");
    }

    /** {@code yes}, {@code no} or {@code none} (no shebang). */
    public String interpreterExecutable() {
        return sections.first("pe-interpreter-ok");
    }

    /** For {@code #!/usr/bin/env NAME}: NAME and where it resolved (empty when it did not). */
    public Optional<String[]> envTarget() {
        String line = sections.first("pe-env-target");
        if (line.isEmpty()) {
            return Optional.empty();
        }
        String[] parts = line.split("\\s+", 2);
        return Optional.of(new String[] {parts[0], parts.length > 1 ? parts[1] : ""});
    }

    public Optional<Stat> directory(String key) {
        return Stat.parse(sections.first("dir-" + key));
    }

    public String directoryStatError(String key) {
        return sections.first("dir-" + key);
    }

    public String mountOptions(String key) {
        return sections.first("mount-" + key);
    }

    /** Free space in KiB from {@code df -P}, or -1. */
    public long freeKiB(String key) {
        String[] parts = sections.first("df-" + key).split("\\s+");
        try {
            return parts.length > 3 ? Long.parseLong(parts[3]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** The create/read/remove probe's line: {@code ok}, {@code denied <error>}, {@code left <path>}, {@code readback ...}. */
    public String writeProbe(String key) {
        return sections.first("write-" + key);
    }

    /** {@code present} (with a count on the next line), {@code absent} or {@code not-a-directory}. */
    public String taskingUserInbox() {
        return sections.first("inbox-user");
    }

    public boolean sudoPresent() {
        return !sections.first("sudo-path").isEmpty();
    }

    /** The sudo {@code -l} output and its exit line, joined. */
    public String sudoList() {
        return sections.text("sudo-list");
    }

    /**
     * Whether {@code sudo -n -l CMD} said the command is allowed with no password and no TTY; {@code command} is a
     * bare name of {@link FactsProbe#CLOCK_COMMANDS}/{@link FactsProbe#POWER_COMMANDS} or a key of
     * {@link SudoCommands#EXACT} (the bus's exact command line).
     */
    public boolean sudoAllows(String command) {
        return exitOf("sudo-allows-" + command) == 0;
    }

    public String sudoAllowsOutput(String command) {
        return sections.text("sudo-allows-" + command);
    }

    /** Output of actually running {@code sudo -n date +%s} (harmless; proves no password and no TTY are needed). */
    public String sudoRunDate() {
        return sections.text("sudo-run-date");
    }

    public boolean sudoRunDateSucceeded() {
        return exitOf("sudo-run-date") == 0;
    }

    public int exitOf(String section) {
        for (String line : sections.lines(section)) {
            if (line.startsWith("exit=")) {
                try {
                    return Integer.parseInt(line.substring(5).trim());
                } catch (NumberFormatException e) {
                    return -1;
                }
            }
        }
        return -1;
    }

    /** The payload's realtime clock in nanoseconds at the probe's start, when {@code date +%s%N} works there. */
    public Optional<Long> clockStartNanos() {
        return nanos(sections.lines("clock-start"));
    }

    private static Optional<Long> nanos(List<String> lines) {
        if (lines.isEmpty()) {
            return Optional.empty();
        }
        String v = lines.get(0).trim();
        return v.matches("\\d{10,}") ? Optional.of(Long.parseLong(v)) : Optional.empty();
    }
}
