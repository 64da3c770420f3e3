package io.sigkit.testcontainers;

import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.sigkit.junit.PayloadUnderTest;
import io.sigkit.run.LinkControl;
import io.sigkit.run.RunOptions;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SshTarget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.images.builder.Transferable;
import org.testcontainers.utility.DockerImageName;

/**
 * A container of a payload team's own image, ready to be certified by sigkit: the image is the payload's software as
 * on the flight model (an SSH server, sudo, the signaling user, {@code /signaling}, {@code /usr/bin/payload_exec}),
 * and this class adds only what the lab brings, never what is being certified:
 * <ul>
 *   <li>a key generated for the bus, appended to the signaling user's {@code authorized_keys};</li>
 *   <li>the container's host keys, read back from the container for strict host-key checking (no trust on first
 *       use);</li>
 *   <li>recording stand-ins for the clock and power commands (the container shares the host's clock: a clock set is
 *       recorded, never done; {@code shutdown}, {@code halt} and {@code poweroff} stop the container), so that
 *       SIG-TIME-002 and SIG-END-001 can run;</li>
 *   <li>the SSH server started when the image's command does not start it.</li>
 * </ul>
 * Works with Docker Engine and with Podman through its Docker API (on Podman the container's network is
 * {@code slirp4netns}: nothing on the host changes). The SSH port is published on 127.0.0.1 only when the engine is
 * local. An image present locally is never pulled.
 *
 * <pre>{@code
 * try (SignalingPayloadContainer payload = new SignalingPayloadContainer("localhost/our-payload:dev")) {
 *     payload.start();
 *     RunResult result = Certification.run(payload.runOptions().allowClockSet(true).allowDestructive(true).build());
 * }
 * }</pre>
 */
public class SignalingPayloadContainer extends GenericContainer<SignalingPayloadContainer>
        implements PayloadUnderTest {

    /** The SSH port inside the container. */
    public static final int SSH_PORT = 22;

    /** The signaling user unless {@link #withSignalingUser(String)} says otherwise. */
    public static final String DEFAULT_SIGNALING_USER = "sigapi";

    static final String LAB = "/opt/sigkit-lab";
    static final String CALLS_LOG = "/var/log/sigkit-testbed-calls.log";
    private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
    private static final int MAX_LAB_FILE = 64 * 1024;

    private String signalingUser = DEFAULT_SIGNALING_USER;
    private Path payloadExec;
    private boolean linkControl;
    private Path workDir;
    private Path identity;
    private Path knownHosts;
    private boolean localEngine;
    private ContainerLinkControl link;
    private volatile String labSaid;

    /** A container of {@code image}, e.g. {@code localhost/our-payload:dev}. */
    public SignalingPayloadContainer(String image) {
        this(DockerImageName.parse(image));
    }

    /** A container of {@code image}. */
    public SignalingPayloadContainer(DockerImageName image) {
        super(image);
        withExposedPorts(SSH_PORT);
        withImagePullPolicy(SignalingPayloadContainer::absentLocally);
        waitingFor(new SshBannerWaitStrategy(SSH_PORT).withStartupTimeout(Duration.ofSeconds(60)));
        withLogConsumer(frame -> {
            String line = frame.getUtf8StringWithoutLineEnding();
            if (line != null && line.startsWith("sigkit-lab: ")) {
                labSaid = line.replaceAll("[\\x00-\\x1f\\x7f]", "?");
            }
        });
    }

    /**
     * Starts the container; when it stops during start-up, the failure says what the lab's init said (e.g. that the
     * image has no signaling user).
     */
    @Override
    public void start() {
        labSaid = null;
        try {
            super.start();
        } catch (RuntimeException e) {
            String said = labSaid;
            if (said != null && !said.startsWith("sigkit-lab: ready")) {
                throw new ContainerLaunchException("sigkit: the payload container did not start: " + said, e);
            }
            throw e;
        }
    }

    /**
     * Tests a local build of payload_exec against the image: installed as {@code /usr/bin/payload_exec} (root:root
     * 0755) before the SSH server starts.
     */
    public SignalingPayloadContainer withPayloadExec(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("payload_exec " + file + " is not a readable file");
        }
        this.payloadExec = file;
        return self();
    }

    /** The user the bus logs in as (default {@value #DEFAULT_SIGNALING_USER}); the image must have it. */
    public SignalingPayloadContainer withSignalingUser(String user) {
        Objects.requireNonNull(user, "user");
        if (!USER.matcher(user).matches()) {
            throw new IllegalArgumentException("signaling user '" + user + "' is not a valid user name");
        }
        this.signalingUser = user;
        return self();
    }

    /**
     * Lets the certification cut and restore the container's network link (SIG-START-006): its interfaces are set
     * down and up from the host, inside the container's own network namespace. Needs a local engine and root.
     */
    public SignalingPayloadContainer withLinkControl() {
        this.linkControl = true;
        return self();
    }

    /** The signaling user. */
    public String signalingUser() {
        return signalingUser;
    }

    @Override
    protected void configure() {
        super.configure();
        localEngine = "unix".equalsIgnoreCase(
                DockerClientFactory.instance().getTransportConfig().getDockerHost().getScheme());
        boolean podman = Engines.isPodman(DockerClientFactory.instance().client());
        List<String> original = originalCommand();
        try {
            workDir = Files.createTempDirectory("sigkit-container-");
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            identity = workDir.resolve("bus_key");
            try (OutputStream out = Files.newOutputStream(identity)) {
                OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(pair, "sigkit-bus", null, out);
            }
            knownHosts = workDir.resolve("known_hosts");
            withCopyToContainer(Transferable.of(PublicKeyEntry.toString(pair.getPublic()) + " sigkit-bus\n", 0644),
                    LAB + "/authorized_key");
        } catch (IOException e) {
            throw new UncheckedIOException("sigkit: cannot prepare the bus's key", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("sigkit: cannot generate the bus's key", e);
        }
        withCopyToContainer(Transferable.of(resource("lab/init"), 0755), LAB + "/init");
        withCopyToContainer(Transferable.of(resource("lab/standin"), 0755), LAB + "/standin");
        if (payloadExec != null) {
            try {
                withCopyToContainer(Transferable.of(Files.readAllBytes(payloadExec), 0755), LAB + "/payload_exec");
            } catch (IOException e) {
                throw new UncheckedIOException("sigkit: cannot read payload_exec " + payloadExec, e);
            }
        }
        withEnv("SIGKIT_SIGNALING_USER", signalingUser);
        if (podman) {
            // Podman's Docker API ignores containers.conf's netns: slirp4netns changes nothing on the host. Its own
            // port handler delivers the published port through the container's tap0, so that a link cut stops SSH
            // (Podman's default, rootlessport, dials 127.0.0.1 inside the container, past any cut).
            withNetworkMode("slirp4netns:port_handler=slirp4netns");
        }
        withCreateContainerCmdModifier(cmd -> lab(cmd, original));
    }

    private void lab(CreateContainerCmd cmd, List<String> original) {
        cmd.withEntrypoint(LAB + "/init");
        cmd.withCmd(original);
        if (localEngine && cmd.getHostConfig() != null) {
            cmd.getHostConfig().withPortBindings(
                    new PortBinding(Ports.Binding.bindIp("127.0.0.1"), ExposedPort.tcp(SSH_PORT)));
        }
    }

    /** The image's entrypoint followed by this container's command (or the image's). */
    private List<String> originalCommand() {
        ContainerConfig config = DockerClientFactory.instance().client()
                .inspectImageCmd(getDockerImageName()).exec().getConfig();
        List<String> command = new ArrayList<>();
        if (config != null && config.getEntrypoint() != null) {
            command.addAll(Arrays.asList(config.getEntrypoint()));
        }
        String[] own = getCommandParts();
        if (own != null && own.length > 0) {
            command.addAll(Arrays.asList(own));
        } else if (config != null && config.getCmd() != null) {
            command.addAll(Arrays.asList(config.getCmd()));
        }
        return command;
    }

    @Override
    protected void containerIsStarted(InspectContainerResponse containerInfo) {
        super.containerIsStarted(containerInfo);
        String keys = new String(readFromContainer(LAB + "/host_keys.pub"), StandardCharsets.UTF_8);
        List<String> lines = HostKeys.knownHostsLines(keys, host(), getMappedPort(SSH_PORT));
        if (lines.isEmpty()) {
            throw new ContainerLaunchException("sigkit: the container's SSH server has no host key the kit can read"
                    + " (" + LAB + "/host_keys.pub is empty)");
        }
        try {
            Files.write(knownHosts, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("sigkit: cannot write " + knownHosts, e);
        }
        if (linkControl) {
            Long pid = containerInfo.getState() == null ? null : containerInfo.getState().getPidLong();
            link = new ContainerLinkControl(pid == null ? 0 : pid);
        }
    }

    @Override
    public void stop() {
        try {
            super.stop();
        } finally {
            deleteWorkDir();
        }
    }

    /** The host the SSH port is reached at: 127.0.0.1 with a local engine (the port is published there only). */
    public String host() {
        return localEngine ? "127.0.0.1" : getHost();
    }

    /** The bus's login, {@code ssh://USER@HOST:PORT}. */
    public SshTarget target() {
        return new SshTarget(signalingUser, host(), getMappedPort(SSH_PORT));
    }

    /** The bus's private key (OpenSSH format), removed when the container stops. */
    public Path identity() {
        requireStarted();
        return identity;
    }

    /** A known_hosts file holding exactly the container's host keys, removed when the container stops. */
    public Path knownHosts() {
        requireStarted();
        return knownHosts;
    }

    /** How the bus reaches the started container: its key, the container's host keys, strict checking. */
    @Override
    public ConnectionSettings connectionSettings() {
        requireStarted();
        return ConnectionSettings.builder(target())
                .identity(identity)
                .knownHosts(knownHosts)
                .hostKeyPolicy(HostKeyPolicy.STRICT)
                .build();
    }

    /** The link control of {@link #withLinkControl()}, once started. */
    public Optional<LinkControl> linkControl() {
        return Optional.ofNullable(link);
    }

    /**
     * The options of a certification of this container: {@link #connectionSettings()}, the link control when
     * enabled, and a shutdown bound fitting a container (15 s); tiers and the rest are the caller's.
     */
    @Override
    public RunOptions.Builder runOptions() {
        RunOptions.Builder b = RunOptions.builder(connectionSettings()).shutdownBound(Duration.ofSeconds(15));
        linkControl().ifPresent(b::linkControl);
        return b;
    }

    /**
     * The clock and power calls the stand-ins recorded (one line each: time, tab, the command as typed), e.g.
     * {@code 2026-11-30T09:00:00.000Z	shutdown -h now}; readable after the container stopped itself.
     */
    public List<String> recordedCalls() {
        String log = new String(readFromContainer(CALLS_LOG), StandardCharsets.UTF_8);
        return log.lines().filter(l -> !l.isBlank()).toList();
    }

    private byte[] readFromContainer(String path) {
        return copyFileFromContainer(path, SignalingPayloadContainer::readCapped);
    }

    private static byte[] readCapped(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) > 0) {
            if (out.size() + n > MAX_LAB_FILE) {
                throw new IOException("more than " + MAX_LAB_FILE + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }

    private void requireStarted() {
        if (getContainerId() == null || knownHosts == null) {
            throw new IllegalStateException("sigkit: start the SignalingPayloadContainer first");
        }
    }

    private void deleteWorkDir() {
        Path dir = workDir;
        workDir = null;
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            logger().warn("sigkit: could not remove {}: {}", dir, e.getMessage());
        }
    }

    private static boolean absentLocally(DockerImageName name) {
        try {
            DockerClientFactory.lazyClient().inspectImageCmd(name.asCanonicalNameString()).exec();
            return false;
        } catch (NotFoundException e) {
            return true;
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = SignalingPayloadContainer.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("sigkit-testcontainers: resource " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}
