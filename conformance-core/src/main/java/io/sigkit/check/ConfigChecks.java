package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.bus.SignalResult;
import io.sigkit.bus.Window;
import io.sigkit.schemas.ValidationReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** SIG-CFG: window configs as the bus writes them, and how configure treats them. */
final class ConfigChecks {
    private ConfigChecks() {
    }

    /** The placement checks, before any configure. */
    static List<CheckDefinition> placement() {
        return List.of(
                check("SIG-CFG-001", ConfigChecks::schema, "SIG-FS-004"),
                check("SIG-CFG-002", ConfigChecks::location, "SIG-FS-004"));
    }

    /** The checks of how configure treats configs, after SIG-CONF-001/002. */
    static List<CheckDefinition> behaviour() {
        return List.of(
                check("SIG-CFG-003", ConfigChecks::unknownKeys, "SIG-CONF-001"),
                check("SIG-CFG-004", ConfigChecks::missingConfig, "SIG-CONF-001"),
                check("SIG-CFG-005", ConfigChecks::malformedConfig, "SIG-CONF-001"));
    }

    static RequirementResult schema(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CFG-001");
        Placement p = ctx.placement();
        List<String> written = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (ValidationReport v : p.validations()) {
            if (!v.valid()) {
                problems.add(v.source() + ": " + v.errors());
            }
        }
        for (var e : p.all().entrySet()) {
            if (e.getKey().equals("malformed") || e.getKey().equals("version-2")) {
                continue;
            }
            if (e.getValue().ok()) {
                written.add(e.getValue().placed().path());
            } else {
                problems.add(e.getValue().window().configPath() + ": " + e.getValue().error());
            }
        }
        r.evidence("configs", written).evidence("schema", "window-config.v1");
        if (!problems.isEmpty()) {
            return r.evidence("problems", problems).fail("window configs the kit wrote on " + ctx.targetText()
                    + " are not valid v1 configs as read back: " + String.join("; ", problems),
                    "valid against window-config.v1 and read back unchanged", String.join("; ", problems));
        }
        return r.pass(written.size() + " window configs validated against window-config.v1 before writing and verified after"
                + " writing (version 1, signal_parameters with tasking_parameters)");
    }

    static RequirementResult location(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CFG-002");
        CheckContext.PlacedOrError main = ctx.placement().get("main");
        String path = main.window().configPath();
        r.evidence("path", path);
        if (!main.ok()) {
            return r.fail("the config for window " + main.window().id() + " could not be placed at " + path + ": " + main.error(),
                    "a file at " + path, main.error());
        }
        boolean exists = ctx.observations().exists(path);
        if (!exists) {
            return r.fail("the config written to " + path + " is not there any more", "a file at " + path, "missing");
        }
        return r.evidence("sha256", main.placed().sha256())
                .pass("the config for window " + main.window().id() + " is at " + path + " (" + main.placed().bytes() + " bytes)");
    }

    static RequirementResult unknownKeys(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CFG-003");
        CheckContext.PlacedOrError placed = ctx.placement().get("extra-keys");
        Window w = placed.window();
        if (!placed.ok()) {
            return r.error("the config with extra keys could not be placed: " + placed.error());
        }
        SignalResult s = ctx.configureForOutcome(w);
        ConfigureChecks.evidence(r, s).evidence("config", w.config().toString());
        if (s.exitedZero()) {
            return r.pass("configure exited 0 for window " + w.id() + " whose signal_parameters carry unknown bus keys of every"
                    + " JSON type (number, unicode string, nested object, array, null, boolean)");
        }
        return r.fail("configure for window " + w.id() + " on " + ctx.targetText() + " " + ConfigureChecks.describe(s)
                        + " when signal_parameters carried bus keys it does not know (the spec does not fix them)",
                "exit status 0", ConfigureChecks.describe(s));
    }

    static RequirementResult missingConfig(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CFG-004");
        Window w = ctx.plan().missingConfig(Instant.now().plus(ctx.options().windowLength()));
        SignalResult s = ctx.configureForOutcome(w);
        ConfigureChecks.evidence(r, s).evidence("config", w.configPath() + " (absent)");
        if (s.exec().exitStatus() == null) {
            return r.fail("configure for window " + w.id() + ", which has no config, did not finish: " + ConfigureChecks.describe(s),
                    "a non-zero exit", ConfigureChecks.describe(s));
        }
        if (s.exitedZero()) {
            return r.fail("configure for window " + w.id() + " on " + ctx.targetText() + " exited 0 although " + w.configPath()
                    + " does not exist: the window would run blind instead of being aborted", "a non-zero exit", "exit status 0");
        }
        return r.pass("configure refused window " + w.id() + " with no config: " + ConfigureChecks.describe(s));
    }

    static RequirementResult malformedConfig(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-CFG-005");
        CheckContext.PlacedOrError malformed = ctx.placement().get("malformed");
        CheckContext.PlacedOrError v2 = ctx.placement().get("version-2");
        if (!malformed.ok() || !v2.ok()) {
            return r.error("the malformed configs could not be placed: " + (malformed.ok() ? v2.error() : malformed.error()));
        }
        SignalResult sm = ctx.configureForOutcome(malformed.window());
        SignalResult sv = ctx.configureForOutcome(v2.window());
        r.evidence("malformedJson", ConfigureChecks.describe(sm)).evidence("malformedCommand", sm.command())
                .evidence("version2", ConfigureChecks.describe(sv)).evidence("version2Command", sv.command());
        List<String> accepted = new ArrayList<>();
        if (sm.exitedZero() || sm.exec().exitStatus() == null) {
            accepted.add("malformed JSON (window " + malformed.window().id() + "): " + ConfigureChecks.describe(sm));
        }
        if (sv.exitedZero() || sv.exec().exitStatus() == null) {
            accepted.add("\"version\": 2 (window " + v2.window().id() + "): " + ConfigureChecks.describe(sv));
        }
        if (!accepted.isEmpty()) {
            return r.fail("configure on " + ctx.targetText() + " did not refuse " + String.join(" and ", accepted),
                    "non-zero exits for malformed JSON and for version 2", String.join("; ", accepted));
        }
        return r.pass("configure refused malformed JSON (" + ConfigureChecks.describe(sm) + ") and \"version\": 2 ("
                + ConfigureChecks.describe(sv) + ")");
    }
}
