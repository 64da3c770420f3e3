package io.sigkit.testbed;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A payload running in the testbed, reachable over SSH at {@link #target()} with {@link #identity()}, its host key
 * in {@link #knownHosts()}. {@link #close()} stops it and removes everything it left on the host.
 */
public final class RunningPayload implements AutoCloseable {

    /** Bound on {@link #exec(String...)} and the other calls into the instance. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private static final int EXIT_OWN_ERROR = 125;

    private final String name;
    private final String target;
    private final String user;
    private final LoginShell shell;
    private final SshServerKind server;
    private final int port;
    private final Path identity;
    private final Path knownHosts;
    private final PayloadSpec spec;
    private final Process keeper;
    private final Path script;
    private final AtomicBoolean closed = new AtomicBoolean();

    RunningPayload(String name, String target, String user, LoginShell shell, SshServerKind server, int port,
            Path identity, Path knownHosts, PayloadSpec spec, Process keeper, Path script) {
        this.name = Objects.requireNonNull(name, "name");
        this.target = Objects.requireNonNull(target, "target");
        this.user = Objects.requireNonNull(user, "user");
        this.shell = Objects.requireNonNull(shell, "shell");
        this.server = Objects.requireNonNull(server, "server");
        this.port = port;
        this.identity = Objects.requireNonNull(identity, "identity");
        this.knownHosts = Objects.requireNonNull(knownHosts, "knownHosts");
        this.spec = Objects.requireNonNull(spec, "spec");
        this.keeper = Objects.requireNonNull(keeper, "keeper");
        this.script = Objects.requireNonNull(script, "script");
        String expected = "ssh://" + user + "@" + Testbed.HOST + ":" + port;
        if (!target.equals(expected)) {
            throw new IllegalArgumentException("target " + target + " is not " + expected);
        }
    }

    /** The instance's name (unique on this host while it runs). */
    public String name() {
        return name;
    }

    /** {@code ssh://USER@127.0.0.1:PORT}. */
    public String target() {
        return target;
    }

    /** Always {@code 127.0.0.1}: the only address the payload is exposed on. */
    public String host() {
        return Testbed.HOST;
    }

    /** The loopback port of its SSH server. */
    public int port() {
        return port;
    }

    /** The signaling user. */
    public String user() {
        return user;
    }

    /** The signaling user's login shell. */
    public LoginShell shell() {
        return shell;
    }

    /** The SSH server it runs. */
    public SshServerKind server() {
        return server;
    }

    /** The private key (ed25519, OpenSSH format, made for this instance) that logs in as {@link #user()}. */
    public Path identity() {
        return identity;
    }

    /** A known_hosts file holding this instance's host keys for {@code [127.0.0.1]:PORT}. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** What was asked for. */
    public PayloadSpec spec() {
        return spec;
    }

    /** Whether the instance still runs (false after {@link #close()}, or once its SSH server ended, e.g. halted). */
    public boolean isRunning() {
        return !closed.get() && keeper.isAlive();
    }

    /**
     * Runs {@code command} as root inside the instance (no SSH involved), waiting at most {@link #DEFAULT_TIMEOUT}.
     * Root inside has the instance's reduced capability set (no mount, no clock, no device nodes: testbed README,
     * "Isolation") and runs chrooted into the instance from the host's mount namespace, so its
     * {@code /proc/self/mounts} is empty.
     */
    public CommandResult exec(String... command) {
        return exec(DEFAULT_TIMEOUT, command);
    }

    /** Runs {@code command} as root inside the instance, waiting at most {@code timeout}. */
    public CommandResult exec(Duration timeout, String... command) {
        Objects.requireNonNull(timeout, "timeout");
        if (command.length == 0) {
            throw new IllegalArgumentException("exec on payload " + name + ": no command given");
        }
        List<String> args = new ArrayList<>(List.of("exec", "--name", name, "--"));
        args.addAll(Arrays.asList(command));
        CommandResult result = sandbox(args, timeout, "exec " + String.join(" ", command));
        if (result.exitStatus() == EXIT_OWN_ERROR && result.stderr().startsWith("payload-sandbox: ")) {
            throw new TestbedException("payload " + name + ": cannot exec " + String.join(" ", command) + ": "
                    + result.stderr().strip());
        }
        return result;
    }

    /** Runs a shell script with {@code sh -c} as root inside the instance. */
    public CommandResult execShell(String shellScript) {
        return exec("sh", "-c", shellScript);
    }

    /**
     * Cuts the payload's own link, as the bus may cut Ethernet; needs {@link PayloadSpec#withNetns()} or a variant
     * with {@code --netns}.
     */
    public void linkDown() {
        link("down");
    }

    /** Restores the payload's own link. */
    public void linkUp() {
        link("up");
    }

    private void link(String state) {
        // the sandbox knows whether the instance has a link of its own (withNetns(), or a variant's --netns)
        CommandResult result = sandbox(List.of("link", "--name", name, state), DEFAULT_TIMEOUT, "link " + state);
        if (!result.succeeded()) {
            throw new TestbedException("payload " + name + ": link " + state + " failed: " + result.stderr().strip()
                    + (result.stderr().contains("no link of its own") ? " (PayloadSpec.withNetns())" : ""));
        }
    }

    /**
     * The clock and power commands run inside so far (recorded by stand-ins, never executed), oldest first, e.g.
     * {@code date -s '2001-02-03 04:05:06'} or {@code shutdown -h now}. Read from the host's copy of the log, never
     * through a path inside the instance.
     */
    public List<String> calls() {
        CommandResult result = sandbox(List.of("calls", "--name", name), DEFAULT_TIMEOUT, "calls");
        if (!result.succeeded()) {
            throw new TestbedException("payload " + name + ": cannot read its calls: " + result.stderr().strip());
        }
        return result.stdout().lines().filter(line -> !line.isEmpty()).toList();
    }

    /** Stops the instance: no process, mount, namespace or veth of it is left, nor its state directory. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            CommandResult result = Processes.run(List.of("bash", script.toString(), "down", "--name", name),
                    Testbed.STOP_TIMEOUT, "payload-sandbox down --name " + name);
            if (!keeper.waitFor(10, TimeUnit.SECONDS)) {
                keeper.destroyForcibly();
            }
            if (!result.succeeded()) {
                throw new TestbedException("payload " + name + ": down failed: " + result.stderr().strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            keeper.destroyForcibly();
            throw new TestbedException("payload " + name + ": interrupted while stopping", e);
        } finally {
            Testbed.released(this);
        }
    }

    private CommandResult sandbox(List<String> args, Duration timeout, String what) {
        if (closed.get()) {
            throw new TestbedException("payload " + name + " is closed: cannot " + what);
        }
        List<String> command = new ArrayList<>(List.of("bash", script.toString()));
        command.addAll(args);
        return Processes.run(command, timeout, "payload " + name + ": " + what);
    }

    @Override
    public String toString() {
        return "payload " + name + " " + target + " (" + server.optionValue() + ", " + shell.optionValue() + ")";
    }
}
