package io.sigkit.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sigkit.reports.FleetReports;
import io.sigkit.reports.FleetSummary;
import io.sigkit.reports.FleetSummary.Member;
import io.sigkit.reports.FleetSummary.Status;
import io.sigkit.reports.Reports;
import io.sigkit.run.Certification;
import io.sigkit.run.ProgressListener;
import io.sigkit.run.RunOptions;
import io.sigkit.run.RunResult;
import io.sigkit.text.SafeJson;
import io.sigkit.text.SafeText;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * {@code sigkit certify --inventory FILE}: certifies every payload of an inventory from this one JVM, {@code --parallel}
 * at a time, each exactly as {@code sigkit certify} with its settings would (its options go through the same checks,
 * then {@link Certification#run}); one target's failure or unreachability never stops the others. Writes each
 * target's reports to {@code DIR/<name>/} and the fleet's summary to {@code DIR}, shows one line per target as it
 * ends, and exits with the worst target's code.
 */
final class FleetRun {

    /** Options of the fleet itself, not passed on to each target's certification. */
    private static final Set<String> FLEET_ONLY = Set.of("--inventory", "--parallel", "--report-dir", "--format",
            "--progress", "--verbose");

    /** Options that name one payload, which each target names itself. */
    private static final List<String> ONE_PAYLOAD = List.of("--target", "--image", "--payload-exec", "--signaling-user",
            "--engine");

    private static final JsonMapper JSON = JsonMapper.builder(SafeJson.factory()).build();

    private final CommandSpec spec;
    private final FleetOptions fleet;
    private final OutputOptions output;
    private final PrintWriter out;
    private final PrintWriter err;

    FleetRun(CommandSpec spec, FleetOptions fleet, OutputOptions output) {
        this.spec = spec;
        this.fleet = fleet;
        this.output = output;
        this.out = spec.commandLine().getOut();
        this.err = spec.commandLine().getErr();
    }

    /** A target whose options were checked, ready to certify. */
    private record Planned(Inventory.Target target, RunOptions options) {
    }

    int run() {
        ParseResult parsed = spec.commandLine().getParseResult();
        List<String> common = new ArrayList<>();
        Set<String> given = new LinkedHashSet<>();
        for (OptionSpec o : parsed.matchedOptions()) {
            String name = o.longestName();
            if (ONE_PAYLOAD.contains(name)) {
                throw CliError.usage(name + " cannot be combined with --inventory: each target of the inventory names"
                        + " its own payload");
            }
            if (FLEET_ONLY.contains(name)) {
                continue;
            }
            given.add(name);
            if (o.arity().max() == 0) {
                common.add(name);
            } else {
                for (String v : o.originalStringValues()) {
                    common.add(name + "=" + v);
                }
            }
        }
        if (output.reportDir == null) {
            throw CliError.usage("--inventory needs --report-dir DIR: each target's reports go to DIR/NAME and the"
                    + " fleet's summary to DIR");
        }
        if (fleet.parallel != null && (fleet.parallel < 1 || fleet.parallel > FleetOptions.MAX_PARALLEL)) {
            throw CliError.usage("--parallel must be 1 to " + FleetOptions.MAX_PARALLEL + ", was " + fleet.parallel);
        }
        Inventory inventory = Inventory.load(fleet.inventory, given);
        List<Planned> plan = new ArrayList<>();
        for (Inventory.Target t : inventory.targets()) {
            plan.add(new Planned(t, options(inventory, t, common)));
        }
        output.prepareReportDir();
        int parallel = Math.min(plan.size(), fleet.parallel == null ? FleetOptions.MAX_PARALLEL : fleet.parallel);
        return certify(inventory, plan, parallel);
    }

    /** A target's run options: its inventory settings, then the command line's flags, checked as certify checks them. */
    private static RunOptions options(Inventory inventory, Inventory.Target t, List<String> common) {
        List<String> args = new ArrayList<>(t.arguments());
        args.addAll(common);
        CertifyCommand command = new CertifyCommand();
        CommandLine cl = new CommandLine(command);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        String where = "inventory " + inventory.file() + " " + t.pointer() + " (" + t.name() + "): ";
        try {
            cl.parseArgs(args.toArray(String[]::new));
            return command.runOptions();
        } catch (CommandLine.ParameterException e) {
            throw CliError.usage(where + e.getMessage());
        } catch (CliError e) {
            throw new CliError(e.exitCode(), where + e.getMessage());
        }
    }

    private int certify(Inventory inventory, List<Planned> plan, int parallel) {
        boolean json = output.format == OutputFormat.JSON;
        boolean progress = output.progress != OutputOptions.ProgressMode.NONE;
        PrintWriter lines = json ? err : out;
        if (progress && !json) {
            lines.println("sigkit certify: " + plan.size() + " target" + (plan.size() == 1 ? "" : "s") + " of "
                    + SafeText.escapeLine(inventory.file().toString()) + ", " + parallel + " at a time");
            lines.flush();
        }
        AtomicBoolean interrupted = new AtomicBoolean();
        Thread onInterrupt = new Thread(() -> {
            interrupted.set(true);
            err.println("sigkit: interrupted: the fleet ends without a verdict; each run removes what it created on"
                    + " its payload before exiting");
            err.flush();
        }, "sigkit-fleet-interrupted");
        Runtime.getRuntime().addShutdownHook(onInterrupt);
        Instant startedAt = Instant.now();
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel, r -> {
            Thread t = new Thread(r, "sigkit-fleet");
            t.setDaemon(true);
            return t;
        });
        List<Member> members = new ArrayList<>();
        try {
            List<Future<Member>> futures = new ArrayList<>();
            for (Planned p : plan) {
                futures.add(pool.submit(() -> {
                    Member m = certifyOne(p);
                    if (progress) {
                        line(lines, json, done.incrementAndGet(), plan.size(), m);
                    }
                    return m;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                members.add(result(futures.get(i), plan.get(i)));
            }
        } finally {
            pool.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(onInterrupt);
            } catch (IllegalStateException e) {
                // the JVM is shutting down (Ctrl-C): the hook runs
            }
        }
        if (interrupted.get()) {
            return ExitCodes.INTERRUPTED;
        }
        FleetSummary summary = new FleetSummary(inventory.file().toString(), startedAt, Instant.now(), parallel, members);
        List<Path> written;
        try {
            written = FleetReports.writeAll(summary, output.reportDir);
        } catch (RuntimeException e) {
            throw new CliError(ExitCodes.INTERNAL, "the fleet was certified (" + summary.worst().status() + ") but its"
                    + " summary could not be written to " + output.reportDir + ": " + ExitCodes.summary(e));
        }
        Member worst = summary.worst();
        if (json) {
            out.println(FleetReports.json(summary));
        } else {
            out.println("Fleet: " + worst.status() + " (exit " + worst.exitCode() + "): "
                    + java.util.Arrays.stream(Status.values()).filter(s -> summary.count(s) > 0)
                            .map(s -> summary.count(s) + " " + s).collect(Collectors.joining(", "))
                    + " in " + seconds(Duration.between(summary.startedAt(), summary.endedAt())));
            out.println("Reports: " + written.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + ", and one directory per target");
        }
        out.flush();
        return worst.exitCode();
    }

    private static Member result(Future<Member> future, Planned p) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Member.failed(p.target().name(), p.target().login(), ExitCodes.INTERRUPTED, Duration.ZERO,
                    "interrupted before it ended");
        } catch (ExecutionException e) {
            return Member.failed(p.target().name(), p.target().login(), ExitCodes.INTERNAL, Duration.ZERO,
                    "internal error: " + ExitCodes.summary(e.getCause()));
        }
    }

    /** Certifies one target and writes its reports; never throws: whatever happens becomes its member. */
    private Member certifyOne(Planned p) {
        String name = p.target().name();
        String login = p.target().login();
        Instant start = Instant.now();
        RunResult result;
        try {
            result = Certification.run(p.options(), ProgressListener.NONE);
        } catch (RuntimeException e) {
            return Member.failed(name, login, ExitCodes.INTERNAL, Duration.between(start, Instant.now()),
                    "internal error: " + ExitCodes.summary(e));
        }
        Duration took = Duration.between(start, Instant.now());
        if (result.sessionsOpened() == 0) {
            return Member.unreachable(name, login, result, ExitCodes.USAGE, took,
                    CertificationRunner.loginFailure(result) + " (nothing was certified)");
        }
        try {
            // --sign: each target's directory is signed evidence of its own (SHA256SUMS, SHA256SUMS.sig)
            java.util.Optional<EvidenceKey> signing = output.evidenceKey();
            Path dir = output.reportDir.resolve(name);
            Reports.writeAll(result, dir, signing.map(EvidenceKey::signature).orElse(null));
            signing.ifPresent(k -> k.sign(dir));
        } catch (RuntimeException e) {
            return Member.failed(name, login, ExitCodes.INTERNAL, took, "the certification ran (verdict "
                    + result.verdict() + ") but its reports could not be written: " + ExitCodes.summary(e));
        }
        return Member.certified(name, login, result, ExitCodes.of(result.verdict()), took, name);
    }

    /** One line per target as it ends; what came from the payload or the transport is escaped. */
    private synchronized void line(PrintWriter lines, boolean json, int n, int of, Member m) {
        if (json) {
            ObjectNode e = JsonNodeFactory.instance.objectNode();
            e.put("event", "target-finished");
            e.put("time", Instant.now().toString());
            e.put("name", m.name());
            e.put("target", m.target());
            e.put("status", m.status().name());
            e.put("exitCode", m.exitCode());
            e.put("durationMillis", m.duration().toMillis());
            m.failedRequirements().forEach(e.putArray("failed")::add);
            e.put("error", m.error());
            try {
                lines.println(JSON.writeValueAsString(e));
            } catch (JsonProcessingException x) {
                throw new IllegalStateException("a JSON line could not be written", x);
            }
        } else {
            String width = String.valueOf(of);
            String detail = m.error() != null ? ExitCodes.oneLine(m.error())
                    : m.failedRequirements().isEmpty()
                    ? "reports in " + SafeText.escapeLine(output.reportDir.resolve(m.reportDir()).toString())
                    : "failed: " + String.join(", ", m.failedRequirements());
            lines.println(String.format(Locale.ROOT, "[%" + width.length() + "d/%s] %s %s: %s (exit %d) in %s; %s", n,
                    width, m.name(), SafeText.escapeLine(m.target()), m.status(), m.exitCode(), seconds(m.duration()),
                    detail));
        }
        lines.flush();
    }

    private static String seconds(Duration d) {
        return String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }
}
