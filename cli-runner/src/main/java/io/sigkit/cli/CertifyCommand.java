package io.sigkit.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.RequirementCatalog;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.run.RunOptions;
import io.sigkit.testcontainers.SignalingPayloadContainer;
import io.sigkit.transport.ConnectionSettings;
import io.sigkit.transport.SshTarget;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code sigkit certify}: certifies one payload over SSH and says so with evidence. */
@Command(name = "certify", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        header = "Certifies a payload against the Payload Signaling API v1.0, over SSH, as the bus uses it.",
        description = {"",
            "Logs in as the signaling user, checks every requirement of the catalog ('sigkit list'), removes"
                + " everything it created on the payload (also on failure and Ctrl-C), and prints the verdict. It "
                + "never sets the clock or shuts the payload down unless --allow-clock-set / --allow-destructive.",
            ""})
final class CertifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ConnectionOptions connection;

    @Option(names = "--tasking-user", paramLabel = "NAME", defaultValue = RunOptions.DEFAULT_TASKING_USER, order = 20,
            description = "Tasking API user ID the test windows are created by (default: ${DEFAULT-VALUE}).")
    String taskingUser;

    @Option(names = "--tasking-parameters", paramLabel = "FILE", order = 21,
            description = "JSON object file: your tasking parameters, placed in signal_parameters.tasking_parameters"
                    + " of every test window's config.")
    Path taskingParameters;

    @Option(names = "--uplink", paramLabel = "FILE", order = 22,
            description = "File to uplink to the tasking user's inbox for SIG-CONF-003 (default: a small kit-made"
                    + " file); repeatable.")
    List<Path> uplinks = new ArrayList<>();

    @Option(names = "--probes", paramLabel = "FILE", order = 22,
            description = "A probes file (probes.v1, see 'sigkit validate'): each of its filesystem or sudo probes is a"
                    + " check of its own, reported under the file's requirement IDs (repeatable).")
    List<Path> probes = new ArrayList<>();

    @Option(names = "--repeat", paramLabel = "N", defaultValue = "3", order = 23,
            description = "How many times configure is timed for SIG-CONF-002, 1 to 100 (default: ${DEFAULT-VALUE}).")
    int repeat;

    @Option(names = "--window-seconds", paramLabel = "S", defaultValue = "5", order = 24,
            description = "Length of the test windows: the start signal's end time is now + S (default: ${DEFAULT-VALUE}).")
    BigDecimal windowSeconds;

    @Option(names = "--include", paramLabel = "ID|TAG", split = ",", order = 25,
            description = "Run only these requirement IDs or tags (comma-separated or repeated); the rest are"
                    + " NOT_VERIFIED.")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "ID|TAG", split = ",", order = 26,
            description = "Do not run these requirement IDs or tags.")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--strict", order = 27, description = "A failed RECOMMENDED requirement fails the certification"
            + " (a waiver can accept it, as for a REQUIRED one).")
    boolean strict;

    @Option(names = "--waivers", paramLabel = "FILE", order = 27,
            description = "Agreed deviations (JSON or YAML, waivers.v1): a FAIL of a waived requirement becomes WAIVED"
                    + " while the waiver has not expired and, if bound to one, the payload_exec SHA-256 matches; every"
                    + " report lists every waiver and what became of it.")
    Path waivers;

    @Option(names = "--allow-clock-set", order = 28,
            description = "Reversible tier: SIG-TIME-002 sets the payload's clock to its own current time (via sudo).")
    boolean allowClockSet;

    @Option(names = "--allow-destructive", order = 29,
            description = "Destructive tier: SIG-END-001 shuts the payload down. Never on a payload you need up.")
    boolean allowDestructive;

    @Option(names = "--link-down-command", paramLabel = "CMD", order = 30,
            description = "Local shell command that cuts the payload's network link (with --link-up-command):"
                    + " enables SIG-START-006.")
    String linkDownCommand;

    @Option(names = "--link-up-command", paramLabel = "CMD", order = 31,
            description = "Local shell command that restores the payload's network link.")
    String linkUpCommand;

    @Option(names = "--profile", paramLabel = "NAME", defaultValue = RequirementCatalog.DEFAULT_PROFILE, order = 32,
            description = "Catalog profile: default (the Signaling API), or delivery (adds SIG-DLV: the OORT agent a"
                    + " flight model needs, answering on port 2005 and set to start at boot).")
    String profile;

    @Option(names = "--image", paramLabel = "IMAGE", order = 40,
            description = "Certify a container of this image instead of --target: started with Docker or Podman,"
                    + " given the bus's key (its host keys are read from it), clock and power stand-ins and sshd,"
                    + " certified, and removed, also on failure and Ctrl-C. A local image is never pulled.")
    String image;

    @Option(names = "--payload-exec", paramLabel = "FILE", order = 41,
            description = "With --image: install this payload_exec build as /usr/bin/payload_exec in the container.")
    Path payloadExec;

    @Option(names = "--signaling-user", paramLabel = "USER", order = 42,
            description = "With --image: the signaling user of the image (default: "
                    + SignalingPayloadContainer.DEFAULT_SIGNALING_USER + ").")
    String signalingUser;

    @Option(names = "--engine", paramLabel = "docker|podman", order = 43,
            description = "With --image: the container engine (default: DOCKER_HOST, else the first socket that"
                    + " answers; with only the podman command, its API service is started for the run).")
    String engine;

    @Mixin
    OutputOptions output;

    @Mixin
    FleetOptions fleet;

    @Override
    public Integer call() {
        if (fleet.inventory != null) {
            return new FleetRun(spec, fleet, output).run();
        }
        if (fleet.parallel != null) {
            throw CliError.usage("--parallel goes with --inventory");
        }
        CertificationRunner runner = new CertificationRunner(spec.commandLine().getOut(), spec.commandLine().getErr(),
                output, CertificationRunner.stdoutIsTerminal());
        if (image == null) {
            if (payloadExec != null || signalingUser != null || engine != null) {
                throw CliError.usage((payloadExec != null ? "--payload-exec" : signalingUser != null
                        ? "--signaling-user" : "--engine") + " goes with --image");
            }
            return runner.run(runOptions());
        }
        ImageRun.Request request = imageRequest();
        output.prepareReportDir();
        PrintWriter err = spec.commandLine().getErr();
        boolean json = output.format == OutputFormat.JSON;
        return new ImageRun(System::getenv, line -> {
            if (json) {
                ObjectNode e = JsonNodeFactory.instance.objectNode();
                e.put("event", "container");
                e.put("time", Instant.now().toString());
                e.put("message", line);
                err.println(e.toString());
            } else {
                err.println("sigkit certify: " + line);
            }
            err.flush();
        }).run(request, settings -> optionsBuilder(settings), runner::run,
                spec.root().commandLine().getParseResult().originalArgs());
    }

    /** What {@code --image} starts, after checking that no option of a --target run is given with it. */
    ImageRun.Request imageRequest() {
        if (image.isBlank()) {
            throw CliError.usage("--image needs an image name, e.g. localhost/our-payload:dev");
        }
        List<String> conflicting = new ArrayList<>(connection.given());
        if (linkDownCommand != null || linkUpCommand != null) {
            conflicting.add(linkDownCommand != null ? "--link-down-command" : "--link-up-command");
        }
        if (!conflicting.isEmpty()) {
            throw CliError.usage("--image cannot be combined with " + String.join(", ", conflicting)
                    + ": the container brings its own address, bus key and host keys, and sigkit cuts its link itself");
        }
        if (payloadExec != null) {
            Inputs.requireReadableFile(payloadExec, "payload_exec file");
        }
        String user = signalingUser == null ? SignalingPayloadContainer.DEFAULT_SIGNALING_USER : signalingUser;
        if (!user.matches("[a-z_][a-z0-9_-]{0,31}")) {
            throw CliError.usage("--signaling-user '" + user + "' is not a valid user name");
        }
        ContainerEngine.Kind kind = ContainerEngine.kind(engine).orElse(null);
        runOptionsChecked(); // every other flag is checked before a container starts
        return new ImageRun.Request(image, payloadExec == null ? null : payloadExec.toAbsolutePath(), user, kind);
    }

    /** The run's options, after checking every value and file given. */
    RunOptions runOptions() {
        try {
            return optionsBuilder(connection.settings()).build();
        } catch (IllegalArgumentException e) {
            throw CliError.usage(e.getMessage());
        }
    }

    private void runOptionsChecked() {
        optionsBuilder(null);
    }

    /** The options of every certify flag but the connection's; {@code settings} null only checks the flags. */
    RunOptions.Builder optionsBuilder(ConnectionSettings settings) {
        RequirementCatalog catalog = RequirementCatalog.load();
        RunOptions.Builder b = RunOptions.builder(settings == null ? PLACEHOLDER : settings);
        b.taskingUser(taskingUser);
        if (taskingParameters != null) {
            b.taskingParameters(Inputs.jsonObject(taskingParameters, "tasking parameters file"));
        }
        for (Path u : uplinks) {
            Inputs.requireReadableFile(u, "uplink file");
            b.uplink(u);
        }
        if (repeat < 1 || repeat > 100) {
            throw CliError.usage("--repeat must be 1 to 100, was " + repeat);
        }
        b.repetitions(repeat);
        b.windowLength(windowLength(windowSeconds));
        java.util.Set<String> userIds = new java.util.TreeSet<>();
        for (Path p : probes) {
            ProbeDocument d;
            try {
                d = ProbeDocument.readUserFile(p);
            } catch (IllegalArgumentException e) {
                throw CliError.usage(e.getMessage());
            }
            d.paths().forEach(x -> userIds.add(x.requirement()));
            d.sudo().forEach(x -> userIds.add(x.requirement()));
            b.probes(d);
        }
        for (String s : include) {
            String v = s.strip();
            b.include(userIds.contains(v) || v.equals(Requirement.USER_TAG) && !userIds.isEmpty() ? v
                    : selector(catalog, v, "--include"));
        }
        for (String s : exclude) {
            String v = s.strip();
            b.exclude(userIds.contains(v) || v.equals(Requirement.USER_TAG) && !userIds.isEmpty() ? v
                    : selector(catalog, v, "--exclude"));
        }
        b.strict(strict).allowClockSet(allowClockSet).allowDestructive(allowDestructive);
        if (waivers != null) {
            b.waivers(Inputs.waivers(waivers, catalog));
        }
        try {
            b.profile(catalog.requireProfile(profile.strip()));
        } catch (IllegalArgumentException e) {
            throw CliError.usage("--profile: " + e.getMessage());
        }
        if ((linkDownCommand == null) != (linkUpCommand == null)) {
            throw CliError.usage("--link-down-command and --link-up-command go together: give both or neither");
        }
        if (linkDownCommand != null) {
            b.linkControl(new ShellLinkControl(linkDownCommand, linkUpCommand));
        }
        return b;
    }

    /** Stands in for the container's settings while the flags are checked before it starts. */
    private static final ConnectionSettings PLACEHOLDER = ConnectionSettings.builder(
            new SshTarget(SignalingPayloadContainer.DEFAULT_SIGNALING_USER, "127.0.0.1", 22))
            .useAgent(true).build();

    static Duration windowLength(BigDecimal seconds) {
        if (seconds.signum() <= 0 || seconds.compareTo(BigDecimal.valueOf(3600)) > 0) {
            throw CliError.usage("--window-seconds must be more than 0 and at most 3600, was " + seconds.toPlainString());
        }
        return Duration.ofMillis(seconds.movePointRight(3).longValue());
    }

    /** A requirement ID or tag of the catalog, as given to --include or --exclude. */
    static String selector(RequirementCatalog catalog, String value, String option) {
        if (catalog.find(value).isPresent() || catalog.knownTags().contains(value)) {
            return value;
        }
        String upper = value.toUpperCase(java.util.Locale.ROOT);
        if (catalog.find(upper).isPresent()) {
            return upper;
        }
        throw CliError.usage("unknown requirement ID or tag '" + value + "' in " + option + " (IDs look like SIG-CONF-002,"
                + " see 'sigkit list'; tags: " + String.join(", ", catalog.knownTags()) + ")");
    }
}
