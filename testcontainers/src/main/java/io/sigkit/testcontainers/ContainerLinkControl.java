package io.sigkit.testcontainers;

import io.sigkit.run.LinkControl;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts and restores a container's network link as the bus may cut Ethernet: every interface but {@code lo} of the
 * container's own network namespace is set down (open sessions stall, new connections fail, the payload keeps running)
 * and up again, with the routes it had. Runs {@code nsenter --net=/proc/PID/ns/net ip ...} on the host: needs a local
 * engine, root, and the host's iproute2; refuses a namespace that is the host's own.
 */
final class ContainerLinkControl implements LinkControl {

    private static final Pattern LINK = Pattern.compile("^\\d+: ([A-Za-z0-9_.-]{1,15})(@[A-Za-z0-9_.-]+)?:");
    private static final long STEP_SECONDS = 10;

    private final long pid;
    private List<String> routes = List.of();

    ContainerLinkControl(long pid) {
        this.pid = pid;
    }

    @Override
    public synchronized void down() throws IOException, InterruptedException {
        Path netns = netns();
        routes = ip(netns, "-4", "route", "show").lines().filter(l -> !l.isBlank()).toList();
        for (String dev : interfaces(netns)) {
            ip(netns, "link", "set", "dev", dev, "down");
        }
    }

    @Override
    public synchronized void up() throws IOException, InterruptedException {
        Path netns = netns();
        for (String dev : interfaces(netns)) {
            ip(netns, "link", "set", "dev", dev, "up");
        }
        // Setting a link down drops its routes (the default route too); put back those that are missing.
        List<String> now = ip(netns, "-4", "route", "show").lines().toList();
        for (String route : routes) {
            if (!now.contains(route)) {
                List<String> args = new ArrayList<>(List.of("-4", "route", "replace"));
                args.addAll(List.of(route.strip().split("\\s+")));
                ip(netns, args.toArray(String[]::new));
            }
        }
    }

    private Path netns() throws IOException {
        if (pid <= 1) {
            throw new IOException("sigkit: the container's process ID is unknown: cannot cut its link");
        }
        Path netns = Path.of("/proc", Long.toString(pid), "ns", "net");
        String theirs;
        String ours;
        try {
            theirs = Files.readSymbolicLink(netns).toString();
            ours = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
        } catch (IOException e) {
            throw new IOException("sigkit: cannot see the container's network namespace " + netns + " (link control"
                    + " needs a local engine and root): " + e.getMessage(), e);
        }
        if (theirs.equals(ours)) {
            throw new IOException("sigkit: the container shares this host's network namespace: its link cannot be cut"
                    + " without cutting the host's");
        }
        return netns;
    }

    private List<String> interfaces(Path netns) throws IOException, InterruptedException {
        List<String> devs = new ArrayList<>();
        for (String line : ip(netns, "-o", "link", "show").lines().toList()) {
            Matcher m = LINK.matcher(line);
            if (m.find() && !m.group(1).equals("lo")) {
                devs.add(m.group(1));
            }
        }
        return devs;
    }

    private static String ip(Path netns, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("nsenter", "--net=" + netns, "ip"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        byte[] out;
        try {
            if (!p.waitFor(STEP_SECONDS, TimeUnit.SECONDS)) {
                throw new IOException("sigkit: '" + String.join(" ", cmd) + "' did not finish in " + STEP_SECONDS + " s");
            }
            out = p.getInputStream().readNBytes(64 * 1024);
        } finally {
            p.destroyForcibly();
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException("sigkit: '" + String.join(" ", cmd) + "' failed (exit " + p.exitValue() + "): "
                    + text.strip());
        }
        return text;
    }
}
