package io.sigkit.probe;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed, defensive access to the facts gathered by {@link FactsProbe}: a missing or garbled section reads as
 * "unknown", never as an exception. Path and sudo probes come back as records ({@link PathFacts},
 * {@link SudoAnswer}); {@link FactsDocument} writes them all as a facts.v1 document.
 */
public final class PayloadFacts {
    private final Sections sections;
    private final String nonce;
    private final List<ProbeDocument> documents;
    private final Map<String, PathFacts> paths = new java.util.concurrent.ConcurrentHashMap<>();

    private PayloadFacts(Sections sections, String nonce, List<ProbeDocument> documents) {
        this.sections = sections;
        this.nonce = nonce;
        this.documents = List.copyOf(documents);
    }

    /**
     * The facts from the output of the probe generated from the catalog's probes document (see {@link FactsProbe}).
     *
     * @throws IncompleteOutputException when the output timed out, was cut or holds forged lines
     */
    public static PayloadFacts of(RemoteScript.Output output) {
        return of(output, List.of(ProbeDocument.catalog()));
    }

    /**
     * The facts from the output of the probe generated from these probes documents.
     *
     * @throws IncompleteOutputException when the output timed out, was cut or holds forged lines
     */
    public static PayloadFacts of(RemoteScript.Output output, List<ProbeDocument> documents) {
        return new PayloadFacts(output.requireComplete(), output.nonce(), documents);
    }

    /** The probes documents the probe was generated from. */
    public List<ProbeDocument> documents() {
        return documents;
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

    /**
     * What the probe saw of the path probe {@code id} of the probes documents (the catalog's:
     * {@value FactsProbe#PAYLOAD_EXEC_PROBE}, {@code signaling}, {@code inbox}, {@code window-configs}), as typed facts.
     * A probe the output does not hold reads as a path that does not exist.
     */
    public PathFacts path(String id) {
        return paths.computeIfAbsent(id, this::readPath);
    }

    /** Every path probe the output holds, in order. */
    public List<PathFacts> paths() {
        List<PathFacts> all = new ArrayList<>();
        for (String name : sections.names()) {
            if (name.endsWith(".lstat")) {
                all.add(path(name.substring(0, name.length() - ".lstat".length())));
            }
        }
        return all;
    }

    private PathFacts readPath(String id) {
        String path = documents.stream().flatMap(d -> d.path(id).stream()).map(ProbeDocument.PathProbe::path)
                .findFirst().orElse("");
        String stat = sections.first(id + ".stat");
        Optional<PathFacts.Stat> target = PathFacts.Stat.parse(stat);
        PathFacts.Shebang shebang = null;
        if (sections.has(id + ".head") || sections.has(id + ".interpreter-ok")) {
            String ok = sections.first(id + ".interpreter-ok");
            PathFacts.InterpreterCheck check = switch (ok) {
                case "yes" -> PathFacts.InterpreterCheck.YES;
                case "no" -> PathFacts.InterpreterCheck.NO;
                case "none" -> PathFacts.InterpreterCheck.NONE;
                default -> PathFacts.InterpreterCheck.UNKNOWN;
            };
            PathFacts.EnvTarget env = null;
            String envLine = sections.first(id + ".env-target");
            if (!envLine.isEmpty()) {
                String[] parts = envLine.split("\\s+", 2);
                env = new PathFacts.EnvTarget(parts[0], parts.length > 1 ? parts[1] : "");
            }
            shebang = new PathFacts.Shebang(sections.bytes(id + ".head"), sections.first(id + ".interpreter"), check, env);
        }
        PathFacts.Mount mount = null;
        if (sections.has(id + ".df") || sections.has(id + ".mount")) {
            mount = new PathFacts.Mount(sections.first(id + ".mount"), freeKiB(sections.first(id + ".df")));
        }
        PathFacts.CreateEntry create = sections.has(id + ".write")
                ? PathFacts.CreateEntry.parse(sections.first(id + ".write")) : null;
        String sha = sections.first(id + ".sha256");
        return new PathFacts(id, path, PathFacts.Stat.parse(sections.first(id + ".lstat")).orElse(null),
                target.orElse(null), target.isPresent() ? "" : stat, sections.first(id + ".realpath"),
                PathFacts.Access.parse(sections.first(id + ".access")), sha.matches("[0-9a-f]{64}") ? sha : "", shebang,
                mount, create);
    }

    /** Free space in KiB from a line of {@code df -P}, or -1. */
    private static long freeKiB(String dfLine) {
        String[] parts = dfLine.split("\\s+");
        try {
            return parts.length > 3 ? Long.parseLong(parts[3]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** payload_exec's probe. */
    public PathFacts payloadExec() {
        return path(FactsProbe.PAYLOAD_EXEC_PROBE);
    }

    /** payload_exec's SHA-256, or empty. */
    public String payloadExecSha256() {
        return payloadExec().sha256();
    }

    /** {@code present} (with a count on the next line), {@code absent} or {@code not-a-directory}. */
    public String taskingUserInbox() {
        return sections.first("inbox-user");
    }

    public boolean sudoPresent() {
        return !sections.first("sudo-path").isEmpty();
    }

    /** Where sudo is, or empty. */
    public String sudoPath() {
        return sections.first("sudo-path");
    }

    /** The sudo {@code -l} output and its exit line, joined. */
    public String sudoList() {
        return sections.text("sudo-list");
    }

    /**
     * What {@code sudo -n -l} answered for the sudo probe {@code id} of the probes documents (for the catalog: a bare
     * clock or power command name, or a key of {@link SudoCommands#EXACT}, the bus's exact command line). A probe the
     * output does not hold reads as not allowed, with no exit status.
     */
    public SudoAnswer sudo(String id) {
        String section = FactsProbe.SUDO_SECTION + id;
        List<String> command = documents.stream().flatMap(d -> d.sudoProbe(id).stream())
                .map(ProbeDocument.SudoProbe::command).findFirst().orElse(List.of(id));
        int exit = exitOf(section);
        List<String> out = new ArrayList<>();
        for (String line : sections.lines(section)) {
            if (!line.startsWith("exit=")) {
                out.add(line);
            }
        }
        return new SudoAnswer(id, command, exit == 0, sections.has(section) && exit >= 0 ? exit : null,
                String.join("\n", out).strip());
    }

    /** Every sudo probe the output holds, in order. */
    public List<SudoAnswer> sudoAnswers() {
        List<SudoAnswer> all = new ArrayList<>();
        for (String name : sections.names()) {
            if (name.startsWith(FactsProbe.SUDO_SECTION)) {
                all.add(sudo(name.substring(FactsProbe.SUDO_SECTION.length())));
            }
        }
        return all;
    }

    /** Whether sudo allows the sudo probe {@code id} with no password and no TTY (see {@link #sudo(String)}). */
    public boolean sudoAllows(String id) {
        return sudo(id).allowed();
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
