package io.sigkit.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What an instance leaves on the host: its processes, namespaces, mounts, links and state directory. */
final class HostTraces {

    static final Path STATE_ROOT = Path.of("/run/sigkit-testbed");
    private static final List<String> NAMESPACES = List.of("mnt", "pid", "net", "uts", "ipc");

    private HostTraces() {
    }

    /** The namespaces of a running instance (its init's, and its bus side's with --netns), as "net:[4026...]". */
    static Set<String> namespacesOf(RunningPayload payload) throws IOException {
        Set<String> namespaces = new LinkedHashSet<>();
        for (String role : List.of("init", "holder")) {
            Optional<Long> pid = pidOf(payload.name(), role);
            if (pid.isPresent()) {
                for (String ns : NAMESPACES) {
                    Path link = Path.of("/proc", pid.get().toString(), "ns", ns);
                    String target = Files.readSymbolicLink(link).toString();
                    if (!target.equals(Files.readSymbolicLink(Path.of("/proc/self/ns", ns)).toString())) {
                        namespaces.add(target);
                    }
                }
            }
        }
        return namespaces;
    }

    /** A pid recorded in the instance's state directory (roles: keeper, unshare, init, holder, relay, watch). */
    static Optional<Long> pidOf(String name, String role) throws IOException {
        Path pids = STATE_ROOT.resolve(name).resolve("pids");
        if (!Files.exists(pids)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(pids, StandardCharsets.UTF_8)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && fields[0].equals(role)) {
                return Optional.of(Long.parseLong(fields[1]));
            }
        }
        return Optional.empty();
    }

    /** Everything of the instance still on the host; empty when it left nothing. */
    static List<String> leftovers(String name, Set<String> namespaces) throws IOException {
        List<String> found = new ArrayList<>();
        if (Files.exists(STATE_ROOT.resolve(name))) {
            found.add("state directory " + STATE_ROOT.resolve(name));
        }
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path proc : procs) {
                if (isZombie(proc)) {
                    continue;
                }
                if (environ(proc).contains("SIGKIT_TESTBED_INSTANCE=" + name)) {
                    found.add("process " + proc.getFileName() + " " + cmdline(proc));
                }
                for (String ns : NAMESPACES) {
                    try {
                        String target = Files.readSymbolicLink(proc.resolve("ns").resolve(ns)).toString();
                        if (namespaces.contains(target)) {
                            found.add("process " + proc.getFileName() + " in namespace " + target);
                        }
                    } catch (IOException e) {
                        // the process ended meanwhile
                    }
                }
            }
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"), StandardCharsets.UTF_8)) {
            if (line.contains(STATE_ROOT + "/" + name + "/") || namespaces.stream().anyMatch(line::contains)) {
                found.add("mount " + line);
            }
        }
        return found;
    }

    /** Names of the host's network links. */
    static Set<String> hostLinks() throws IOException {
        Set<String> links = new LinkedHashSet<>();
        try (DirectoryStream<Path> net = Files.newDirectoryStream(Path.of("/sys/class/net"))) {
            for (Path link : net) {
                links.add(link.getFileName().toString());
            }
        }
        return links;
    }

    private static boolean isZombie(Path proc) {
        try {
            String stat = Files.readString(proc.resolve("stat"), StandardCharsets.UTF_8);
            String afterName = stat.substring(stat.lastIndexOf(')') + 2);
            return afterName.startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static List<String> environ(Path proc) {
        try {
            return List.of(new String(Files.readAllBytes(proc.resolve("environ")), StandardCharsets.UTF_8)
                    .split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "?";
        }
    }
}
