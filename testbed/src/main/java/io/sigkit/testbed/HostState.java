package io.sigkit.testbed;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What a container run must leave unchanged on this host, taken before and compared after: IPv4 and IPv6 forwarding,
 * the firewall ruleset (nft, else iptables-save), the clock (wall time against the monotonic clock), and the
 * containers and container processes (Podman containers, build containers included; {@code conmon} and
 * {@code podman system service} processes).
 *
 * <pre>{@code
 * HostState before = HostState.take();
 * ... run containers ...
 * assertThat(before.changesSince()).isEmpty();
 * }</pre>
 *
 * @param ipForward      {@code net.ipv4.ip_forward} and {@code net.ipv6.conf.all.forwarding}
 * @param firewall       the ruleset as the first available tool lists it
 * @param containers     every Podman container ID (build containers too), empty without podman
 * @param engineProcesses PIDs and command lines of conmon and podman service processes
 * @param wallMillis     System.currentTimeMillis() when taken
 * @param monotonicNanos System.nanoTime() when taken
 */
public record HostState(String ipForward, String firewall, Set<String> containers, Set<String> engineProcesses,
        long wallMillis, long monotonicNanos) {

    /** Bound on the clock's drift against the monotonic clock between two snapshots. */
    public static final long CLOCK_TOLERANCE_MILLIS = 2000;

    public HostState {
        containers = Set.copyOf(containers);
        engineProcesses = Set.copyOf(engineProcesses);
    }

    /** Takes the snapshot now. */
    public static HostState take() {
        String forward = read("/proc/sys/net/ipv4/ip_forward") + "/" + read("/proc/sys/net/ipv6/conf/all/forwarding");
        String firewall = run("nft", "list", "ruleset");
        if (firewall == null) {
            firewall = run("iptables-save");
        }
        String ps = run("podman", "ps", "-a", "--external", "--format", "{{.ID}}");
        Set<String> containers = new TreeSet<>(ps == null ? List.of() : ps.lines().filter(l -> !l.isBlank()).toList());
        return new HostState(forward, firewall == null ? "(no firewall tool)" : stripCounters(firewall), containers,
                currentEngineProcesses(), System.currentTimeMillis(), System.nanoTime());
    }

    /** What changed since this snapshot, one line each; empty when nothing did. */
    public List<String> changesSince() {
        HostState now = take();
        List<String> changes = new ArrayList<>();
        if (!now.ipForward.equals(ipForward)) {
            changes.add("ip_forward (ipv4/ipv6) was " + ipForward + ", is " + now.ipForward);
        }
        if (!now.firewall.equals(firewall)) {
            changes.add("the firewall ruleset changed:\n--- before\n" + firewall + "\n--- after\n" + now.firewall);
        }
        Set<String> newContainers = new TreeSet<>(now.containers);
        newContainers.removeAll(containers);
        if (!newContainers.isEmpty()) {
            changes.add("containers left: " + newContainers);
        }
        Set<String> newProcesses = new TreeSet<>(now.engineProcesses);
        newProcesses.removeAll(engineProcesses);
        if (!newProcesses.isEmpty()) {
            changes.add("engine processes left: " + newProcesses);
        }
        long wall = now.wallMillis - wallMillis;
        long monotonic = TimeUnit.NANOSECONDS.toMillis(now.monotonicNanos - monotonicNanos);
        if (Math.abs(wall - monotonic) > CLOCK_TOLERANCE_MILLIS) {
            changes.add("the clock moved " + (wall - monotonic) + " ms against the monotonic clock");
        }
        return changes;
    }

    /** conmon and podman service processes now: "PID command line". */
    public static Set<String> currentEngineProcesses() {
        Set<String> found = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
                String cmdline = readCmdline(p.resolve("cmdline"));
                if (cmdline.startsWith("/usr/bin/conmon") || cmdline.startsWith("conmon ")
                        || cmdline.matches("(\\S*/)?podman system service.*")) {
                    found.add(p.getFileName() + " " + (cmdline.length() > 120 ? cmdline.substring(0, 120) : cmdline));
                }
            }
        } catch (IOException e) {
            throw new TestbedException("cannot list /proc: " + e.getMessage(), e);
        }
        return found;
    }

    private static String readCmdline(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            return new String(b, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        } catch (IOException e) {
            return ""; // the process ended
        }
    }

    /** nft prints packet and byte counters, which change with traffic alone. */
    private static String stripCounters(String ruleset) {
        return ruleset.replaceAll("counter packets \\d+ bytes \\d+", "counter")
                .replaceAll("\\[\\d+:\\d+]", "[0:0]");
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(file)).strip();
        } catch (IOException e) {
            return "?";
        }
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readNBytes(1 << 20);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
