package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.RemoteProcess;
import io.sigkit.timing.Stats;
import io.sigkit.transport.ExecResult;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** SIG-START: the window start signal. */
final class StartChecks {
    private StartChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                // the bus starts only a window whose configure exited 0 (SIG-CONF-001)
                check("SIG-START-001", StartChecks::returnsPromptly, "SIG-FS-002", "SIG-CONF-001"),
                check("SIG-START-002", StartChecks::runsForWindow, "SIG-FS-002", "SIG-CFG-002", "SIG-CONF-001"),
                check("SIG-START-003", StartChecks::survivesSessionEnd, "SIG-START-002"),
                check("SIG-START-004", StartChecks::finishesByEndTime, "SIG-START-002"),
                check("SIG-START-005", StartChecks::copesWithEmptyInbox, "SIG-FS-002", "SIG-CFG-002", "SIG-CONF-001"),
                check("SIG-START-006", StartChecks::survivesLinkDrop, "SIG-START-002"));
    }

    static RequirementResult returnsPromptly(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-001");
        StartScenario s = ctx.startScenario();
        ExecResult e = s.start.exec();
        Duration budget = ctx.options().startReturnBudget();
        PayloadFacts f = ctx.facts();
        r.evidence("command", s.start.command()).evidence("loginShell", s.loginShell)
                .evidence("shellExecutable", f.shellExecutable()).evidence("timedOut", e.timedOut());
        if (e.toExit() != null) {
            r.timing(Measurement.atKit("start signal to exit status", e.toExit()));
        }
        if (e.toClose() != null) {
            r.timing(Measurement.atKit("start signal to channel close", e.toClose()));
        }
        boolean late = e.timedOut() || e.toClose() == null || e.toClose().compareTo(budget) > 0;
        if (!late) {
            return r.pass("the start signal's SSH exec completed in " + Stats.ms(e.toClose()) + " (budget " + Stats.s(budget)
                    + ") through login shell " + s.loginShell);
        }
        String seen = e.toClose() != null ? "completed only after " + Stats.s(e.toClose())
                : "had not completed after " + Stats.s(budget.plusSeconds(1))
                + (e.toExit() != null ? " (its exit status came after " + Stats.s(e.toExit()) + ", but the channel stayed open)" : "");
        String why = f.loginShellIsPlainPosixSh()
                ? ": the signaling user's login shell " + s.loginShell + " is a POSIX sh, where '&>' is not a redirection —"
                + " the bus's command becomes a background job that keeps the session's stdout/stderr open, so the bus's"
                + " SSH call does not return until payload_exec exits (and payload_exec dies of SIGPIPE on its first write"
                + " once the bus hangs up). Set the login shell to bash (chsh -s /bin/bash " + f.user() + ")"
                : ": payload_exec (or something it started) keeps the session open through login shell " + s.loginShell;
        return r.fail("the start signal for window " + s.main.id() + " on " + ctx.targetText() + " " + seen + why,
                "completes within " + Stats.s(budget), seen);
    }

    static RequirementResult runsForWindow(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-002");
        StartScenario s = ctx.startScenario();
        r.evidence("command", s.start.command()).evidence("diagnosticRun", s.diagnosticStatus.describe());
        boolean diagnosticFailed = "exited".equals(s.diagnosticStatus.state()) && !s.diagnosticStatus.exitedZero();
        if (!s.afterStart.isEmpty() && diagnosticFailed) {
            // a process that was there for a moment and then gave up did not run the window
            RemoteProcess p = s.afterStart.get(0);
            return r.evidence("pid", p.pid()).evidence("commandLine", p.commandLine())
                    .fail("payload_exec for window " + s.main.id() + " was running (pid " + p.pid() + ") "
                                    + Stats.ms(Duration.between(s.signalledAt, s.afterStartAt)) + " after the start signal on "
                                    + ctx.targetText() + ", but the same start under the kit's wrapper (window "
                                    + s.diagnostic.id() + ") " + s.diagnosticStatus.describe()
                                    + ": payload_exec gives up on the bus's arguments instead of running the window",
                            "payload_exec running for the window, or exiting 0", s.diagnosticStatus.describe());
        }
        if (!s.afterStart.isEmpty()) {
            RemoteProcess p = s.afterStart.get(0);
            return r.evidence("pid", p.pid()).evidence("commandLine", p.commandLine())
                    .evidence("seenAfterMillis", Duration.between(s.signalledAt, s.afterStartAt).toMillis())
                    .pass("payload_exec for window " + s.main.id() + " was running (pid " + p.pid() + ": " + p.commandLine()
                            + ") " + Stats.ms(Duration.between(s.signalledAt, s.afterStartAt)) + " after the start signal");
        }
        if (s.diagnosticStatus.exitedZero()) {
            return r.pass("payload_exec for window " + s.main.id() + " had already finished when the kit looked, and its"
                    + " diagnostic run (window " + s.diagnostic.id() + ") " + s.diagnosticStatus.describe());
        }
        return r.fail("no payload_exec for window " + s.main.id() + " was running "
                        + Stats.ms(Duration.between(s.signalledAt, s.afterStartAt)) + " after the start signal on " + ctx.targetText()
                        + ", and its diagnostic run (window " + s.diagnostic.id() + ") " + s.diagnosticStatus.describe(),
                "payload_exec running for the window, or exiting 0", s.diagnosticStatus.describe());
    }

    static RequirementResult survivesSessionEnd(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-003");
        StartScenario s = ctx.startScenario();
        Duration sinceStart = Duration.between(s.signalledAt, s.afterReconnectAt);
        r.evidence("sessionClosedAfterMillis", Duration.between(s.signalledAt, s.afterStartAt).toMillis())
                .evidence("lookedAgainAfterMillis", sinceStart.toMillis())
                .evidence("diagnosticRun", s.diagnosticStatus.describe());
        if (!s.afterReconnect.isEmpty()) {
            RemoteProcess p = s.afterReconnect.get(0);
            return r.evidence("pid", p.pid()).pass("payload_exec for window " + s.main.id() + " (pid " + p.pid()
                    + ") was still running in a new SSH session after the one that started it had closed");
        }
        r.evidence("controlWindow", s.control == null ? null : s.control.id())
                .evidence("controlRunningAfterMillis", s.controlLookedAfter == null ? null : s.controlLookedAfter.toMillis());
        if (s.controlAlive) {
            String before = s.afterStart.isEmpty() ? "was not seen before the SSH session closed (the kit looked "
                    + Stats.ms(Duration.between(s.signalledAt, s.afterStartAt)) + " after the start signal)"
                    : "was running (pid " + s.afterStart.get(0).pid() + ") before the SSH session closed";
            return r.fail("payload_exec for window " + s.main.id() + " " + before + " and was gone " + Stats.s(sinceStart)
                            + " after the start signal on "
                            + ctx.targetText() + ", while the same start for control window " + s.control.id()
                            + ", whose session stayed open, was still running after as long"
                            + ": the window's work does not survive the end of the bus's SSH session",
                    "still running, or finished with exit 0", "gone after the session ended");
        }
        return r.pass("payload_exec for window " + s.main.id() + " was gone after the reconnect, and so was control window "
                + s.control.id() + " started in a session that stayed open: the window's work simply finished that quickly"
                + " (diagnostic run " + s.diagnosticStatus.describe() + ")");
    }

    static RequirementResult finishesByEndTime(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-004");
        StartScenario s = ctx.startScenario();
        Instant end = s.main.endTime();
        Duration grace = ctx.options().endGrace();
        r.evidence("endTime", end.getEpochSecond()).evidence("graceMillis", grace.toMillis())
                .evidence("checkedAt", s.afterEndAt.toString()).evidence("diagnosticRun", s.diagnosticStatus.describe());
        s.diagnosticStatus.endedAt().ifPresent(t -> r.evidence("diagnosticEndedBeforeEndMillis", Duration.between(t, end).toMillis()));
        if (!s.afterEnd.isEmpty()) {
            RemoteProcess p = s.afterEnd.get(0);
            return r.evidence("pid", p.pid()).fail("payload_exec for window " + s.main.id() + " (pid " + p.pid() + ") was still"
                            + " running " + Stats.s(Duration.between(end, s.afterEndAt)) + " after the window end time -t "
                            + end.getEpochSecond() + " on " + ctx.targetText() + " (the kit ended it)",
                    "exited by -t + " + Stats.s(grace), "still running");
        }
        if ("running".equals(s.diagnosticStatus.state())) {
            return r.fail("the diagnostic run of window " + s.diagnostic.id() + " (same -t) was still running "
                            + Stats.s(Duration.between(end, s.afterEndAt)) + " after its end time on " + ctx.targetText(),
                    "exited by -t + " + Stats.s(grace), "still running");
        }
        return r.pass("payload_exec for window " + s.main.id() + " had exited by its end time + " + Stats.s(grace)
                + "; the diagnostic run " + s.diagnosticStatus.describe()
                + s.diagnosticStatus.endedAt().map(t -> ", " + Stats.s(Duration.between(t, end)) + " before -t").orElse(""));
    }

    static RequirementResult copesWithEmptyInbox(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-005");
        StartScenario s = ctx.startScenario();
        DiagnosticRun.Status st = s.emptyInboxStatus;
        r.evidence("window", s.emptyInbox.id()).evidence("taskingUser", s.emptyInbox.taskingUser())
                .evidence("inbox", s.emptyInbox.inboxPath() + " (absent)").evidence("outcome", st.describe())
                .evidence("stderrTail", st.stderrTail());
        if (st.duration() != null) {
            r.timing(Measurement.onPayload("run with no inbox", st.duration()));
        }
        if (st.exitedZero() || "running".equals(st.state())) {
            return r.pass("the window for user '" + s.emptyInbox.taskingUser() + "', who has no inbox directory, "
                    + st.describe() + " without crashing");
        }
        return r.fail("payload_exec for window " + s.emptyInbox.id() + " (user '" + s.emptyInbox.taskingUser()
                        + "', nothing uplinked, no " + s.emptyInbox.inboxPath() + ") " + st.describe() + " on " + ctx.targetText(),
                "runs without crashing", st.describe());
    }

    static RequirementResult survivesLinkDrop(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-006");
        if (ctx.options().linkControl() == null) {
            return r.notVerified("a link-down hook (the testbed's --netns payloads provide one)",
                    "no way to cut the payload's network link was given");
        }
        LinkScenario l = ctx.linkScenario();
        r.evidence("window", l.window.id()).evidence("linkDownMillis", l.linkDownFor.toMillis())
                .evidence("reconnected", l.reconnected).evidence("outcome", l.status.describe())
                .evidence("stderrTail", l.status.stderrTail())
                .evidence("beforeCut", l.beforeCut.stream().map(RemoteProcess::commandLine).toList())
                .evidence("afterRestore", l.afterRestore.stream().map(RemoteProcess::commandLine).toList())
                .evidence("controlWindow", l.control == null ? null : l.control.id());
        String cut = "its link was cut for " + Stats.s(l.linkDownFor) + " and restored";
        if (!l.beforeCut.isEmpty() && !l.afterRestore.isEmpty()) {
            return r.pass("payload_exec for window " + l.window.id() + " (pid " + l.afterRestore.get(0).pid()
                    + ") was still running after " + cut + (l.reconnected ? " (the kit's session did not survive the cut)" : ""));
        }
        if (!l.beforeCut.isEmpty() && l.controlAlive) {
            return r.fail("payload_exec for window " + l.window.id() + " (pid " + l.beforeCut.get(0).pid() + ") was gone "
                            + Stats.s(l.lookedAfter) + " after its start, once " + cut + " on " + ctx.targetText()
                            + ", while the same start for control window " + l.control.id() + ", with the link up, was still"
                            + " running after as long: the window's work stops when the network goes down",
                    "still running after the link returns", "gone (" + l.status.describe() + ")");
        }
        if ("exited".equals(l.status.state()) && !l.status.exitedZero()) {
            return r.fail("payload_exec for window " + l.window.id() + " " + l.status.describe() + " after " + cut
                            + " on " + ctx.targetText() + ": its work does not continue without the network",
                    "exit status 0", l.status.describe());
        }
        if (l.beforeCut.isEmpty()) {
            return r.notVerified("a window that works longer than " + Stats.s(l.linkDownFor.plusMillis(300))
                            + " (--window-seconds, or tasking parameters that make payload_exec work longer)",
                    "payload_exec for window " + l.window.id() + " had already finished before the link was cut ("
                            + l.status.describe() + "), so the cut could not affect it");
        }
        return r.pass("payload_exec for window " + l.window.id() + " was gone after " + cut + ", and so was control window "
                + l.control.id() + " started with the link up: the window's work simply finished that quickly");
    }
}
