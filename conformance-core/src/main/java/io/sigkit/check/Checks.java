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

    /** Every check, in execution order. */
    public static List<CheckDefinition> inExecutionOrder() {
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

    /** Records a result decided without running the check (skipped, not verified). */
    public static void record(CheckContext context, RequirementResult result) {
        context.record(result);
    }
}
