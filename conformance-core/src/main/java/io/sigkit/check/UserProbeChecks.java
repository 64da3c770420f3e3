package io.sigkit.check;

import io.sigkit.catalog.Level;
import io.sigkit.catalog.Requirement;
import io.sigkit.catalog.Tier;
import io.sigkit.probe.FactsDocument;
import io.sigkit.probe.PathFacts;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.ProbeDocument;
import io.sigkit.probe.SudoAnswer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The checks of users' probes files ({@code --probes FILE}, {@code sigkit.probes}): each path or sudo probe is a
 * requirement of the user's own, under the user's ID, decided from the same facts probe as the catalog's checks (its
 * sections are generated from the user's probes too). They read facts only, so they change nothing on the payload.
 */
public final class UserProbeChecks {
    /** The catalog requirement whose pass the users' checks need: the kit logged in and ran a command. */
    static final String PREREQUISITE = "SIG-ENV-003";

    private UserProbeChecks() {
    }

    /** The probes documents of a run: the catalog's, then the users'. */
    public static List<ProbeDocument> documents(CheckOptions options) {
        List<ProbeDocument> all = new ArrayList<>();
        all.add(ProbeDocument.catalog());
        all.addAll(options.probes());
        return all;
    }

    /** The requirement of a path probe of a user's file. */
    static Requirement requirement(ProbeDocument document, ProbeDocument.PathProbe p) {
        return requirement(document, p.requirement(), p.level(), p.title() != null ? p.title()
                : p.path() + " is " + (p.kind() == ProbeDocument.Kind.ANY ? "present" : "a " + p.kind().word())
                + " as the probes file declares", "path probe '" + p.id() + "' of " + document.source());
    }

    /** The requirement of a sudo probe of a user's file. */
    static Requirement requirement(ProbeDocument document, ProbeDocument.SudoProbe p) {
        return requirement(document, p.requirement(), p.level(), p.title() != null ? p.title()
                : "sudo " + (p.expectAllowed() ? "allows" : "refuses") + " `" + p.line() + "` with no password and no TTY",
                "sudo probe '" + p.id() + "' of " + document.source());
    }

    private static Requirement requirement(ProbeDocument document, String id, String level, String title, String how) {
        return new Requirement(id, level == null ? Level.RECOMMENDED : Level.valueOf(level), title,
                "user probes (" + document.source() + ")", null, how + ", from the kit's facts probe",
                "facts.v1 record of the probe", Tier.READ_ONLY, Set.of(Requirement.USER_TAG),
                List.of("This requirement was declared in " + document.source() + ", not by the Signaling API: see the"
                        + " probe's expectations there."), false);
    }

    /**
     * Evaluates every user probe of the run, in order.
     *
     * @param results the results of the catalog's checks, by ID (null when not run)
     */
    public static List<RequirementResult> evaluate(CheckContext ctx, Function<String, RequirementResult> results) {
        List<RequirementResult> all = new ArrayList<>();
        for (ProbeDocument d : ctx.options().probes()) {
            for (ProbeDocument.PathProbe p : d.paths()) {
                Requirement req = requirement(d, p);
                all.add(decide(ctx, req, results, () -> path(ctx, RequirementResult.of(req), p)));
            }
            for (ProbeDocument.SudoProbe p : d.sudo()) {
                Requirement req = requirement(d, p);
                all.add(decide(ctx, req, results, () -> sudo(ctx, RequirementResult.of(req), p)));
            }
        }
        return all;
    }

    private static RequirementResult decide(CheckContext ctx, Requirement req, Function<String, RequirementResult> results,
                                            java.util.function.Supplier<RequirementResult> body) {
        CheckOptions o = ctx.options();
        boolean included = o.include().isEmpty() || o.include().contains(req.id()) || o.include().contains(Requirement.USER_TAG);
        boolean excluded = o.exclude().contains(req.id()) || o.exclude().contains(Requirement.USER_TAG);
        if (!included || excluded) {
            return RequirementResult.of(req).notVerified(o.include().isEmpty() ? "removing it from --exclude"
                    : "--include " + req.id(), "not selected for this run");
        }
        if (ctx.connectFailure().isPresent()) {
            return RequirementResult.of(req).skipped(PREREQUISITE, "the kit could not log in: "
                    + ctx.connectFailure().get().getMessage());
        }
        RequirementResult login = results.apply(PREREQUISITE);
        if (login != null && login.outcome() != Outcome.PASS) {
            return RequirementResult.of(req).skipped(login.outcome() == Outcome.SKIPPED ? login.blockedBy() : PREREQUISITE,
                    PREREQUISITE + " is " + login.outcome());
        }
        try {
            return body.get();
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return RequirementResult.of(req).error("the kit could not evaluate " + req.id() + " on " + ctx.targetText()
                    + ": " + message);
        }
    }

    static RequirementResult path(CheckContext ctx, RequirementResult.Builder r, ProbeDocument.PathProbe p) {
        PayloadFacts f = ctx.facts();
        PathFacts facts = f.path(p.id());
        String user = f.user();
        r.evidence("facts", FactsDocument.evidence(FactsDocument.of(facts)));
        Optional<PathFacts.Stat> stat = p.followLinks() ? facts.targetStat() : facts.entryStat();
        if (stat.isEmpty()) {
            return r.fail(p.path() + " does not exist on " + ctx.targetText() + " as seen by '" + user + "'"
                    + (facts.statError().isEmpty() ? "" : ": " + facts.statError()), "a " + p.kind().word() + " at " + p.path(),
                    "missing");
        }
        PathFacts.Stat s = stat.get();
        String seen = s.type() + " " + s.modeOctal() + " " + s.owner() + ":" + s.group();
        List<String> problems = new ArrayList<>();
        List<String> expected = new ArrayList<>();
        if (p.kind() == ProbeDocument.Kind.FILE) {
            expected.add("a regular file");
            if (!s.isRegularFile()) {
                problems.add("it is a " + s.type() + ", not a regular file");
            }
        } else if (p.kind() == ProbeDocument.Kind.DIRECTORY) {
            expected.add("a directory");
            if (!s.isDirectory()) {
                problems.add("it is a " + s.type() + ", not a directory");
            }
        }
        if (p.owner() != null) {
            expected.add("owner " + p.owner());
            if (!p.owner().equals(s.owner())) {
                problems.add("it is owned by '" + s.owner() + "', not '" + p.owner() + "'");
            }
        }
        if (p.group() != null) {
            expected.add("group " + p.group());
            if (!p.group().equals(s.group())) {
                problems.add("its group is '" + s.group() + "', not '" + p.group() + "'");
            }
        }
        if (p.modeForbids() >= 0) {
            expected.add("mode bits " + octal(p.modeForbids()) + " clear");
            if ((s.mode() & p.modeForbids()) != 0) {
                problems.add("its mode " + s.modeOctal() + " has bits " + octal(s.mode() & p.modeForbids()) + " set, which "
                        + octal(p.modeForbids()) + " forbids");
            }
        }
        if (p.modeRequires() >= 0) {
            expected.add("mode bits " + octal(p.modeRequires()) + " set");
            if ((s.mode() & p.modeRequires()) != p.modeRequires()) {
                problems.add("its mode " + s.modeOctal() + " lacks bits " + octal(p.modeRequires() & ~s.mode()));
            }
        }
        for (ProbeDocument.Access a : p.access()) {
            expected.add(a.word() + " by " + user);
            boolean ok = switch (a) {
                case READ -> facts.access().read();
                case WRITE -> facts.access().write();
                case EXECUTE -> facts.access().execute();
                case CREATE_ENTRY -> facts.createEntry() != null && facts.createEntry().result() == PathFacts.CreateResult.OK;
            };
            if (!ok) {
                problems.add("'" + user + "' cannot " + a.word().replace("create-entry", "create an entry in it")
                        + (a == ProbeDocument.Access.CREATE_ENTRY && facts.createEntry() != null
                        ? " (" + facts.createEntry().line() + ")" : a == ProbeDocument.Access.CREATE_ENTRY ? "" : " it")
                        + " (test " + (a == ProbeDocument.Access.CREATE_ENTRY ? "create, read back, remove" : "-"
                        + a.word().charAt(0)) + ")");
            }
        }
        if (p.shebang() && facts.shebang() != null && facts.shebang().present()) {
            PathFacts.Shebang sb = facts.shebang();
            expected.add("a #! line without \\r naming an executable interpreter");
            if (sb.hasCarriageReturn()) {
                problems.add("its #! line ends in a carriage return ('" + sb.line() + "')");
            } else if (sb.interpreterCheck() != PathFacts.InterpreterCheck.YES) {
                problems.add("its interpreter '" + sb.interpreter() + "' does not exist or is not executable by '" + user + "'");
            } else if (sb.envTarget() != null && sb.envTarget().resolved().isBlank()) {
                problems.add("'" + sb.envTarget().name() + "' of its #!/usr/bin/env line is not on the PATH of '" + user + "'");
            }
        }
        if (!problems.isEmpty()) {
            return r.fail(p.path() + " on " + ctx.targetText() + " (" + seen + "): " + String.join("; ", problems),
                    String.join(", ", expected), seen);
        }
        return r.pass(p.path() + " is " + seen + (expected.isEmpty() ? "" : " (" + String.join(", ", expected) + ")")
                + ", as the probes file declares");
    }

    static RequirementResult sudo(CheckContext ctx, RequirementResult.Builder r, ProbeDocument.SudoProbe p) {
        PayloadFacts f = ctx.facts();
        SudoAnswer a = f.sudo(p.id());
        r.evidence("facts", List.of(FactsDocument.evidence(FactsDocument.of(a))));
        String user = f.user();
        boolean allowed = f.isRoot() || f.sudoPresent() && a.allowed();
        String seen = f.isRoot() ? "root (uid 0)" : !f.sudoPresent() ? "no sudo"
                : a.allowed() ? "allowed: " + a.output() : "refused: " + a.output().replace('\n', ' ');
        if (allowed == p.expectAllowed()) {
            return r.pass("sudo -n -l " + p.line() + " as '" + user + "' on " + ctx.targetText() + ": " + seen
                    + ", as the probes file declares");
        }
        return r.fail("sudo -n -l " + p.line() + " as '" + user + "' on " + ctx.targetText() + ": " + seen
                        + (p.expectAllowed() ? ", but the probes file needs it allowed with no password and no TTY"
                        : ", but the probes file needs it refused"),
                p.expectAllowed() ? "allowed" : "refused", allowed ? "allowed" : "refused");
    }

    private static String octal(int mode) {
        return String.format(Locale.ROOT, "%04o", mode);
    }
}
