package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.run.LinkControl;
import io.sigkit.run.RunOptions;
import io.sigkit.testbed.PayloadImages;
import io.sigkit.testbed.PayloadSpec;
import io.sigkit.testcontainers.SignalingPayloadContainer;
import io.sigkit.testbed.RunningPayload;
import io.sigkit.testbed.Testbed;
import io.sigkit.testbed.TestbedException;
import io.sigkit.testbed.Variants;
import io.sigkit.text.SafeJson;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.HostKeyPolicy;
import io.sigkit.transport.SshTarget;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sigkit demo}: starts the testbed's reference payload on this machine, certifies it as {@code certify} would,
 * writes the reports, says where they are, and stops the payload (also on Ctrl-C).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Certifies a reference payload started on this machine: the kit end to end, in one command.",
        description = {"",
            "Needs Linux and root: the payload is a real OpenSSH server with a bash login shell, /signaling "
                + "and the testbed's reference payload_exec, isolated in Linux namespaces and reachable only at "
                + "127.0.0.1, on a network link of its own (so SIG-START-006 is checked too). Both opt-in tiers "
                + "run (the clock set and the shutdown are recorded by the throwaway payload, never done to this "
                + "machine). Missing apt packages the testbed needs are installed first (and the command says so)."
                + " The payload is stopped at the end, also on Ctrl-C. Reports go to the directory sigkit-demo-report unless "
                + "--report-dir says otherwise.",
            ""})
final class DemoCommand implements Callable<Integer> {

    static final Path DEFAULT_REPORT_DIR = Path.of("sigkit-demo-report");

    @Spec
    CommandSpec spec;

    @Option(names = "--variant", paramLabel = "NAME", order = 20,
            description = "Certify one of the testbed's deliberately broken payloads instead (see testbed/README.md),"
                    + " to see what a failure looks like, e.g. configure-exit-1.")
    String variant;

    @Option(names = "--window-seconds", paramLabel = "S", defaultValue = "3", order = 21,
            description = "Length of the test windows (default: ${DEFAULT-VALUE}).")
    BigDecimal windowSeconds;

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3", order = 22,
            description = "How many times configure is timed (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--no-link", order = 23,
            description = "Do not give the payload a link of its own (SIG-START-006 is then NOT_VERIFIED; a few"
                    + " seconds faster).")
    boolean noLink;

    @Option(names = "--engine", paramLabel = "docker|podman", order = 24,
            description = "Run the payload as a container of the reference image (or of the --variant's image),"
                    + " built here from Debian packages (cached), with this engine: what 'sigkit certify --image'"
                    + " does. Image builds need Podman; missing apt packages are installed first.")
    String engine;

    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (output.reportDir == null) {
            output.reportDir = DEFAULT_REPORT_DIR;
        }
        output.prepareReportDir();
        if (repeat < 1 || repeat > 100) {
            throw CliError.usage("--repeat must be 1 to 100, was " + repeat);
        }
        Say say = new Say(output.format == OutputFormat.JSON ? err : out, output.format == OutputFormat.JSON);
        if (engine != null) {
            return onContainer(say, out, err);
        }
        PayloadSpec payloadSpec = payloadSpec();
        TestbedPackages.ensure(say::line);

        say.line("starting " + (variant == null ? "the reference payload" : "the broken variant '" + variant + "'")
                + " (OpenSSH, bash login shell, user " + payloadSpec.user() + ") on 127.0.0.1");
        RunningPayload payload;
        try {
            payload = Testbed.start(payloadSpec);
        } catch (TestbedException e) {
            throw new CliError(ExitCodes.INTERNAL, "could not start the demo payload: " + e.getMessage());
        }
        try {
            say.line("payload " + payload.name() + " is up at " + payload.target() + " (key " + payload.identity()
                    + ", known_hosts " + payload.knownHosts() + ")");
            say.line("this is what 'sigkit certify --target " + payload.target() + " --identity " + payload.identity()
                    + " --known-hosts " + payload.knownHosts() + " --window-seconds " + windowSeconds.toPlainString()
                    + " --allow-clock-set --allow-destructive --report-dir " + output.reportDir + "' does");
            RunOptions options = runOptions(payload);
            int code = new CertificationRunner(out, err, output, CertificationRunner.stdoutIsTerminal()).run(options);
            return code;
        } finally {
            try {
                payload.close();
                say.line("stopped payload " + payload.name() + "; nothing of it is left on this host");
            } catch (TestbedException e) {
                say.line("stopping payload " + payload.name() + " failed: " + e.getMessage());
            }
        }
    }

    /** The demo on a container of the reference (or variant) image, as certify --image runs it. */
    private int onContainer(Say say, PrintWriter out, PrintWriter err) {
        ContainerEngine.Kind kind = ContainerEngine.kind(engine).orElseThrow();
        if (noLink) {
            throw CliError.usage("--no-link does not apply with --engine: the container's link is cut from the host");
        }
        TestbedPackages.ensureContainerTools(say::line);
        String image;
        try {
            image = variant == null ? PayloadImages.reference(say::line) : PayloadImages.variant(variant, say::line);
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        } catch (TestbedException e) {
            throw new CliError(ExitCodes.INTERNAL, "could not build the demo image: " + e.getMessage());
        }
        String does = "this is what 'sigkit certify --image " + image + " --engine "
                + kind.name().toLowerCase(java.util.Locale.ROOT) + " --window-seconds " + windowSeconds.toPlainString()
                + " --allow-clock-set --allow-destructive --report-dir " + output.reportDir + "' does";
        return new ImageRun(System::getenv, say::line).run(
                new ImageRun.Request(image, null, SignalingPayloadContainer.DEFAULT_SIGNALING_USER, kind),
                settings -> {
                    say.line(does); // once, in the JVM that certifies
                    return RunOptions.builder(settings)
                            .windowLength(CertifyCommand.windowLength(windowSeconds))
                            .repetitions(repeat)
                            .allowClockSet(true)
                            .allowDestructive(true);
                },
                options -> new CertificationRunner(out, err, output, CertificationRunner.stdoutIsTerminal()).run(options),
                spec.root().commandLine().getParseResult().originalArgs());
    }

    private PayloadSpec payloadSpec() {
        PayloadSpec s;
        if (variant == null) {
            s = PayloadSpec.reference();
        } else {
            try {
                s = Variants.named(variant).spec();
            } catch (IllegalArgumentException e) {
                throw CliError.usage(e.getMessage());
            }
        }
        s = s.withHaltOnShutdown();
        return noLink ? s : s.withNetns();
    }

    private RunOptions runOptions(RunningPayload payload) {
        ConnectionSettings settings = ConnectionSettings.builder(SshTarget.parse(payload.target()))
                .identity(payload.identity())
                .knownHosts(payload.knownHosts())
                .hostKeyPolicy(HostKeyPolicy.STRICT)
                .build();
        RunOptions.Builder b = RunOptions.builder(settings)
                .windowLength(CertifyCommand.windowLength(windowSeconds))
                .repetitions(repeat)
                // a throwaway payload: both opt-in tiers run, so every REQUIRED requirement can be shown to pass
                .allowClockSet(true)
                .allowDestructive(true)
                .shutdownBound(Duration.ofSeconds(15));
        if (payload.spec().netns()) {
            b.linkControl(LinkControl.of(payload::linkDown, payload::linkUp));
        }
        return b.build();
    }

    /** The demo's own messages: "sigkit demo: ..." lines, or JSON lines on stderr with --format json. */
    private static final class Say {
        private static final JsonMapper JSON = JsonMapper.builder(SafeJson.factory()).build();

        private final PrintWriter to;
        private final boolean json;

        Say(PrintWriter to, boolean json) {
            this.to = to;
            this.json = json;
        }

        synchronized void line(String message) {
            if (json) {
                ObjectNode e = JsonNodeFactory.instance.objectNode();
                e.put("event", "demo");
                e.put("time", Instant.now().toString());
                e.put("message", message);
                try {
                    to.println(JSON.writeValueAsString(e));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException("cannot write a demo event", ex);
                }
            } else {
                to.println("sigkit demo: " + ExitCodes.oneLine(message));
            }
            to.flush();
        }
    }
}
