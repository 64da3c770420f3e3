package io.sigkit.check;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of checks: exactly one per catalog requirement, in the order a run executes them (reads first, then
 * the bus-equivalent writes and signals, then the reversible tier; the destructive tier last, after cleanup).
 */
public final class Checks {
    private Checks() {
    }

    /** Every check of the default profile, in execution order. */
    public static List<CheckDefinition> inExecutionOrder() {
        return inExecutionOrder(io.sigkit.catalog.RequirementCatalog.DEFAULT_PROFILE);
    }

    /**
     * Every check of a catalog profile, in execution order: the default profile's, with the profile's own (read-only)
     * checks before the destructive one ({@code delivery}: SIG-DLV).
     *
     * @throws IllegalArgumentException naming an unknown profile
     */
    public static List<CheckDefinition> inExecutionOrder(String profile) {
        io.sigkit.catalog.RequirementCatalog.load().requireProfile(profile);
        List<CheckDefinition> all = new ArrayList<>();
        all.addAll(EnvironmentChecks.all());
        all.addAll(FilesystemChecks.all());
        all.addAll(PrivilegeChecks.all());
        all.addAll(TimeChecks.offset());
        all.addAll(FilesystemChecks.uplink());
        all.addAll(ConfigChecks.placement());
        all.addAll(ConfigureChecks.all());
        all.addAll(ConfigChecks.behaviour());
        all.addAll(StartChecks.all());
        all.addAll(TimeChecks.setting());
        if (profile.equals("delivery")) {
            all.addAll(DeliveryChecks.all());
        }
        all.addAll(EndChecks.all());
        return List.copyOf(all);
    }

    /** The ID of the first check that writes to the payload: kit-made leftovers are removed before it. */
    public static final String FIRST_WRITING_CHECK = "SIG-FS-005";

    /**
     * The checks that rest on the start scenario ({@link CheckContext#startScenario()}): the run starts it as soon as
     * the prerequisites of one of them are decided and none blocks it, so that its windows run while the checks before
     * them go on.
     */
    public static final List<String> START_SCENARIO = List.of("SIG-START-001", "SIG-START-002", "SIG-START-003",
            "SIG-START-004", "SIG-START-005");

    /** The ID of the check that must run after cleanup (it shuts the payload down). */
    public static final String AFTER_CLEANUP = "SIG-END-001";

    /** Evaluates one check in the context, recording its result; exceptions become ERROR results. */
    public static RequirementResult evaluate(CheckDefinition check, CheckContext context) {
        RequirementResult result;
        try {
            result = check.body().evaluate(context);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = context.result(check.id()).error("interrupted while evaluating " + check.id());
        } catch (Exception e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            result = context.result(check.id()).evidence("exception", e.getClass().getName())
                    .error("the kit could not evaluate " + check.id() + " on " + context.targetText() + ": " + message);
        }
        if (!result.id().equals(check.id())) {
            throw new IllegalStateException("check " + check.id() + " returned a result for " + result.id());
        }
        context.record(result);
        return result;
    }

    /**
     * The SKIPPED result of a check whose prerequisite failed, was ERROR or was itself skipped (naming the root cause),
     * or empty when every prerequisite that ran passed.
     *
     * @param results the results so far, by ID (null for one not decided yet)
     */
    public static java.util.Optional<RequirementResult> blocked(CheckDefinition check, io.sigkit.catalog.Requirement requirement,
                                                                java.util.function.Function<String, RequirementResult> results) {
        for (String prerequisite : check.prerequisites()) {
            RequirementResult p = results.apply(prerequisite);
            if (p != null && (p.outcome() == Outcome.FAIL || p.outcome() == Outcome.ERROR || p.outcome() == Outcome.SKIPPED)) {
                String root = p.outcome() == Outcome.SKIPPED ? p.blockedBy() : p.id();
                return java.util.Optional.of(RequirementResult.of(requirement).skipped(root,
                        p.outcome() == Outcome.SKIPPED ? prerequisite + " could not run" : prerequisite + " is " + p.outcome()));
            }
        }
        return java.util.Optional.empty();
    }

    /** Records a result decided without running the check (skipped, not verified). */
    public static void record(CheckContext context, RequirementResult result) {
        context.record(result);
    }
}
