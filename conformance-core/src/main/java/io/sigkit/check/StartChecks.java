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

    /** What a reader of a message needs to know about work the kit cannot see. */
    static final String DAEMON_NOTE = "work handed to a process that was already running (a resident daemon) creates no"
            + " new process, and the kit cannot see it";

    static RequirementResult runsForWindow(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-002");
        StartScenario s = ctx.startScenario();
        DiagnosticRun.Status diag = s.diagnosticStatus;
        Duration looked = Duration.between(s.signalledAt, s.afterStartAt);
        r.evidence("command", s.start.command()).evidence("diagnosticRun", diag.describe())
                .evidence("diagnosticWindow", s.diagnostic.window().id())
                .evidence("processesAfterStart", s.afterStart.stream().map(RemoteProcess::commandLine).toList())
                .evidence("seenAfterMillis", looked.toMillis());
        boolean diagnosticFailed = "exited".equals(diag.state()) && !diag.exitedZero();
        if (!s.afterStart.isEmpty()) {
            String what = seenText(s.mainWork, s.afterStart, s.main) + " " + Stats.ms(looked) + " after the start signal";
            RemoteProcess p = s.afterStart.get(0);
            r.evidence("pid", p.pid()).evidence("commandLine", p.commandLine());
            if (diagnosticFailed) {
                // work that was there for a moment while the same start gives up did not run the window
                return r.fail(what + " on " + ctx.targetText() + ", but the same start under the kit's wrapper (window "
                                + s.diagnostic.window().id() + ", configured first) " + diag.describe()
                                + ": payload_exec gives up on the bus's arguments instead of running the window",
                        "payload_exec running for the window, or exiting 0", diag.describe());
            }
            return r.pass(what);
        }
        if (diag.exitedZero()) {
            return r.warning("no process of window " + s.main.id() + " was seen " + Stats.ms(looked) + " after the start"
                            + " signal: " + DAEMON_NOTE)
                    .pass("no new process was running " + Stats.ms(looked) + " after the start signal for window "
                            + s.main.id() + ", and the same start under the kit's wrapper (window " + s.diagnostic.window().id()
                            + ", configured first) " + diag.describe() + ": payload_exec accepted the window (whether its work"
                            + " ran is not visible to the kit: " + DAEMON_NOTE + ")");
        }
        if ("running".equals(diag.state())) {
            return r.notVerified("a start whose work the kit can see",
                    "no new process was running " + Stats.ms(looked) + " after the start signal for window " + s.main.id()
                            + ", and the same start under the kit's wrapper (window " + s.diagnostic.window().id()
                            + ") had not returned when the kit read it after its own end time");
        }
        // whether a start that gives up at once is still caught by the first listing is a race: the cause is the same
        return r.fail("no new process was running " + Stats.ms(looked) + " after the start signal for window "
                        + s.main.id() + " on " + ctx.targetText() + ", and the same start under the kit's wrapper (window "
                        + s.diagnostic.window().id() + ", configured first) " + diag.describe()
                        + (diagnosticFailed ? ": payload_exec gives up on the bus's arguments instead of running the window"
                        : ""),
                "payload_exec running for the window, or exiting 0", diag.describe());
    }

    /**
     * {@code a process with -w 2100000000 (pid 812: …) was running} or, when none names the window, {@code 2 new
     * processes of the signaling user that are not the kit's (…) were running}.
     */
    static String seenText(WindowWork work, List<RemoteProcess> processes, io.sigkit.bus.Window window) {
        if (work.namesWindow(processes)) {
            List<RemoteProcess> named = processes.stream().filter(p -> p.isPayloadExecFor(window.id())).toList();
            return (named.size() == 1 ? "a payload_exec process with -w " + window.id() + " ("
                    : named.size() + " payload_exec processes with -w " + window.id() + " (")
                    + WindowWork.describe(named) + ")"
                    + (processes.size() > named.size() ? " and " + (processes.size() - named.size())
                    + " other new process(es) (" + WindowWork.describe(processes.stream()
                    .filter(p -> !p.isPayloadExecFor(window.id())).toList()) + ")" : "")
                    + (processes.size() == 1 ? " was running" : " were running");
        }
        return (processes.size() == 1 ? "a new process of the signaling user that is not the kit's ("
                : processes.size() + " new processes of the signaling user that are not the kit's (")
                + WindowWork.describe(processes) + (processes.size() == 1 ? ") was running" : ") were running")
                + " (none names payload_exec with -w " + window.id() + ": the work was handed to them)";
    }

    static RequirementResult survivesSessionEnd(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-003");
        StartScenario s = ctx.startScenario();
        Duration sinceStart = Duration.between(s.signalledAt, s.afterReconnectAt);
        r.evidence("sessionClosedAfterMillis", Duration.between(s.signalledAt, s.afterStartAt).toMillis())
                .evidence("lookedAgainAfterMillis", sinceStart.toMillis())
                .evidence("processesAfterReconnect", s.afterReconnect.stream().map(RemoteProcess::commandLine).toList())
                .evidence("diagnosticRun", s.diagnosticStatus.describe());
        if (!s.afterReconnect.isEmpty()) {
            return r.evidence("pid", s.afterReconnect.get(0).pid())
                    .pass(count(s.afterReconnect) + " of window " + s.main.id() + " (" + WindowWork.describe(s.afterReconnect)
                            + ") " + (s.afterReconnect.size() == 1 ? "was" : "were") + " still running " + Stats.s(sinceStart)
                            + " after the start signal, seen from a new SSH session after the one that sent it had closed");
        }
        if (!s.mainWork.anySeen()) {
            return r.notVerified("a start whose work runs in processes it creates",
                    "no process of window " + s.main.id() + " was seen after the start signal (the same start under the"
                            + " kit's wrapper " + s.diagnosticStatus.describe() + "): " + DAEMON_NOTE
                            + ", so whether it survives the end of the SSH session is not known");
        }
        if (StartScenario.lookedTooLate(s.main, s.afterReconnectAt)) {
            Duration left = Duration.between(s.afterReconnectAt, s.main.endTime());
            return r.notVerified("a look at the window's work well before its end time",
                    "the work of window " + s.main.id() + " (pids " + WindowWork.pids(s.mainWork.seen()) + ") had gone"
                            + " when the kit looked again from a new SSH session " + Stats.s(sinceStart) + " after the"
                            + " start signal, " + (left.isNegative() ? Stats.ms(left.negated()) + " after" : "only "
                            + Stats.ms(left) + " before") + " the window's end time: it may have ended with the session"
                            + " or at its end time, and the kit cannot tell which (a slow machine or a short window;"
                            + " a longer --window-seconds makes this check decisive)");
        }
        if (s.controlConfigure != null && !s.controlConfigure.succeeded()) {
            return r.notVerified("a control window that configures as the main window did",
                    "the work of window " + s.main.id() + " had gone " + Stats.s(sinceStart) + " after the start signal,"
                            + " and control window " + s.controlConfigure.windowId() + " (to tell \"died with the"
                            + " session\" from \"finished\") could not be configured: "
                            + (s.controlConfigure.exec().timedOut() ? "it did not exit within the configure budget"
                            : "it exited " + s.controlConfigure.exec().exitStatus() + ", stderr '"
                            + s.controlConfigure.stderrTail(200) + "'"));
        }
        r.evidence("controlWindow", s.control == null ? null : s.control.id())
                .evidence("controlRunningAfterMillis", s.controlLookedAfter == null ? null : s.controlLookedAfter.toMillis());
        String before = count(s.afterStart) + " of window " + s.main.id() + " (pids " + WindowWork.pids(s.mainWork.seen())
                + ") " + (s.afterStart.isEmpty() ? "seen after the start signal" : "running " + Stats.ms(Duration.between(
                s.signalledAt, s.afterStartAt)) + " after the start signal");
        if (!s.controlAlive.isEmpty()) {
            return r.fail(before + " had all gone " + Stats.s(sinceStart) + " after it on " + ctx.targetText()
                            + ", once the SSH session that sent it had closed, while control window " + s.control.id()
                            + ", started the same way in a session that stayed open, still had " + count(s.controlAlive)
                            + " running after as long (" + WindowWork.describe(s.controlAlive)
                            + "): the window's work does not survive the end of the bus's SSH session",
                    "still running, or finished with exit 0", "gone after the session ended");
        }
        if (!s.controlSeen) {
            return r.notVerified("a start whose work runs in processes it creates",
                    before + " had gone " + Stats.s(sinceStart) + " after it, but no process of control window "
                            + s.control.id() + " (started in a session that stayed open) was seen to compare with: the"
                            + " work may not run in the processes the start creates (" + DAEMON_NOTE + ")");
        }
        if (s.afterCapture.isEmpty()) {
            r.warning(shortLived(s));
        }
        return r.pass(before + " had gone after the reconnect, and so had those of control window " + s.control.id()
                + ", started in a session that stayed open, after as long: the window's work simply finished that quickly"
                + " (diagnostic run " + s.diagnosticStatus.describe() + ")");
    }

    /** The warning for a window whose processes were all gone by the kit's second look after the start signal. */
    static String shortLived(StartScenario s) {
        return "the processes of window " + s.main.id() + " had all ended by the kit's second look, "
                + Stats.ms(Duration.between(s.signalledAt, s.afterStartAt)) + " after the start signal: if that was only"
                + " the launcher, the window's work is out of the kit's sight (" + DAEMON_NOTE + ")";
    }

    static String count(List<RemoteProcess> processes) {
        return processes.size() == 1 ? "1 process" : processes.size() + " processes";
    }

    static RequirementResult finishesByEndTime(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-004");
        StartScenario s = ctx.startScenario();
        Instant end = s.main.endTime();
        Duration grace = ctx.options().endGrace();
        Duration after = Duration.between(end, s.afterEndAt);
        r.evidence("endTime", end.getEpochSecond()).evidence("graceMillis", grace.toMillis())
                .evidence("checkedAt", s.afterEndAt.toString()).evidence("diagnosticRun", s.diagnosticStatus.describe())
                .evidence("processesAfterEnd", s.afterEnd.stream().map(RemoteProcess::commandLine).toList());
        s.diagnosticStatus.endedAt().ifPresent(t -> r.evidence("diagnosticEndedBeforeEndMillis",
                Duration.between(t, s.diagnostic.window().endTime()).toMillis()));
        if (!s.afterEnd.isEmpty()) {
            return r.evidence("pid", s.afterEnd.get(0).pid())
                    .fail(count(s.afterEnd) + " of window " + s.main.id() + " (" + WindowWork.describe(s.afterEnd) + ") "
                                    + (s.afterEnd.size() == 1 ? "was" : "were") + " still running " + Stats.s(after)
                                    + " after the window end time -t " + end.getEpochSecond() + " on " + ctx.targetText(),
                            "exited by -t + " + Stats.s(grace), "still running");
        }
        for (DiagnosticRun.Launch l : List.of(s.diagnostic, s.emptyInbox)) {
            DiagnosticRun.Status st = l == s.diagnostic ? s.diagnosticStatus : s.emptyInboxStatus;
            if ("running".equals(st.state()) && s.statusAt.isAfter(l.window().endTime().plus(grace))) {
                return r.fail("the start of window " + l.window().id() + " under the kit's wrapper had not returned "
                                + Stats.s(Duration.between(l.window().endTime(), s.statusAt)) + " after its end time -t "
                                + l.window().endTime().getEpochSecond() + " on " + ctx.targetText(),
                        "exited by -t + " + Stats.s(grace), "still running");
            }
        }
        if (!s.mainWork.anySeen()) {
            return r.notVerified("a start whose work runs in processes it creates",
                    "no process of window " + s.main.id() + " was seen after the start signal, so the end of its work"
                            + " could not be timed (the same start under the kit's wrapper " + s.diagnosticStatus.describe()
                            + "): " + DAEMON_NOTE);
        }
        List<RemoteProcess> seen = s.mainWork.seen();
        if (s.afterCapture.isEmpty()) {
            r.warning(shortLived(s));
        }
        return r.pass("the " + count(seen) + " of window " + s.main.id() + " seen since the start signal (pids "
                + WindowWork.pids(seen) + ") had all exited when the kit looked " + Stats.s(after) + " after -t "
                + end.getEpochSecond() + " (grace " + Stats.s(grace) + ")");
    }

    static RequirementResult copesWithEmptyInbox(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-005");
        StartScenario s = ctx.startScenario();
        DiagnosticRun.Status st = s.emptyInboxStatus;
        DiagnosticRun.Launch e = s.emptyInbox;
        DiagnosticRun.Launch u = s.diagnostic;
        String subject = "window " + e.window().id() + " (user '" + e.window().taskingUser() + "', nothing uplinked, no "
                + e.window().inboxPath() + ")";
        r.evidence("window", e.window().id()).evidence("taskingUser", e.window().taskingUser())
                .evidence("inbox", e.window().inboxPath() + " (absent)").evidence("outcome", st.describe())
                .evidence("stderrTail", st.stderrTail())
                .evidence("processesAtStart", e.atStart().stream().map(RemoteProcess::commandLine).toList())
                .evidence("processesLater", s.emptyInboxMid.stream().map(RemoteProcess::commandLine).toList())
                .evidence("uplinkWindow", u.window().id())
                .evidence("uplinkWindowProcessesAtStart", u.atStart().stream().map(RemoteProcess::commandLine).toList())
                .evidence("uplinkWindowProcessesLater", s.diagnosticMid.stream().map(RemoteProcess::commandLine).toList());
        if (st.duration() != null) {
            r.timing(Measurement.onPayload("start with no inbox", st.duration()));
        }
        if ("exited".equals(st.state()) && !st.exitedZero() || "missing".equals(st.state())) {
            return r.fail("the start of " + subject + " " + st.describe() + " on " + ctx.targetText(),
                    "runs without crashing", st.describe());
        }
        Duration eLater = s.emptyInboxMidAfter;
        Duration uLater = s.diagnosticMidAfter;
        String uplinked = "window " + u.window().id() + ", with a file uplinked and configured the same way,";
        if (e.atStart().isEmpty()) {
            if (!u.atStart().isEmpty()) {
                return r.fail("no process of " + subject + " was running right after its start (the kit listed twice,"
                                + " 0.3 s apart; the start itself " + st.describe() + ") on " + ctx.targetText()
                                + ", while " + uplinked + " had " + count(u.atStart()) + " running at the same point ("
                                + WindowWork.describe(u.atStart()) + "): the window's work dies without an inbox",
                        "the window's work running as it does with an uplinked file", "no work running");
            }
            return r.notVerified("a start whose work runs in processes it creates",
                    "no process of " + subject + " nor of " + uplinked + " was seen after its start (the start "
                            + st.describe() + "): " + DAEMON_NOTE);
        }
        if (!s.emptyInboxMid.isEmpty()) {
            return r.pass(count(s.emptyInboxMid) + " of " + subject + " (" + WindowWork.describe(s.emptyInboxMid) + ") "
                    + (s.emptyInboxMid.size() == 1 ? "was" : "were") + " still running " + Stats.s(eLater)
                    + " after its start, without an inbox (its start " + st.describe() + ")");
        }
        if (!s.diagnosticMid.isEmpty()) {
            return r.fail("the " + count(e.atStart()) + " of " + subject + " (pids " + WindowWork.pids(e.atStart())
                            + ") had all gone " + Stats.s(eLater) + " after its start on " + ctx.targetText() + ", while "
                            + uplinked + " still had " + count(s.diagnosticMid) + " running " + Stats.s(uLater)
                            + " after its start (" + WindowWork.describe(s.diagnosticMid)
                            + "): the window's work ends early without an inbox",
                    "the window's work running as it does with an uplinked file", "gone early");
        }
        return r.pass("the work of " + subject + " (pids " + WindowWork.pids(e.atStart()) + ") had ended "
                + Stats.s(eLater) + " after its start, and so had that of " + uplinked + " " + Stats.s(uLater)
                + " after its start: the empty inbox made no difference the kit could see (its start " + st.describe() + ")");
    }

    static RequirementResult survivesLinkDrop(CheckContext ctx) {
        RequirementResult.Builder r = ctx.result("SIG-START-006");
        if (ctx.options().linkControl() == null) {
            return r.notVerified("a link-down hook (the testbed's --netns payloads provide one)",
                    "no way to cut the payload's network link was given");
        }
        LinkScenario l = ctx.linkScenario();
        r.evidence("window", l.window.id()).evidence("linkDownMillis", l.linkDownFor.toMillis())
                .evidence("cutAfterStartMillis", l.cutAfterStart == null ? null : l.cutAfterStart.toMillis())
                .evidence("reconnected", l.reconnected).evidence("outcome", l.status.describe())
                .evidence("stderrTail", l.status.stderrTail())
                .evidence("atStart", l.launch.atStart().stream().map(RemoteProcess::commandLine).toList())
                .evidence("afterRestore", l.afterRestore.stream().map(RemoteProcess::commandLine).toList())
                .evidence("workEndedAfterStartMillis", l.workEndedAfter == null ? null : l.workEndedAfter.toMillis())
                .evidence("controlWindow", l.control == null ? null : l.control.id())
                .evidence("controlWorkEndedAfterStartMillis", l.controlEndedAfter == null ? null : l.controlEndedAfter.toMillis());
        if (!l.cut) {
            return r.notVerified("a start whose work runs in processes it creates",
                    "no process of window " + l.window.id() + " was seen after its start (the start " + l.status.describe()
                            + "), so the link was not cut: " + DAEMON_NOTE);
        }
        String cut = "its link was cut " + Stats.s(l.cutAfterStart) + " after its start and stayed down "
                + Stats.s(l.linkDownFor) + ", until after -t " + l.window.endTime().getEpochSecond();
        if (!l.afterRestore.isEmpty()) {
            return r.pass(count(l.afterRestore) + " of window " + l.window.id() + " (" + WindowWork.describe(l.afterRestore)
                    + ") " + (l.afterRestore.size() == 1 ? "was" : "were") + " still running when " + cut
                    + (l.reconnected ? " (the kit's session did not survive the cut)" : ""));
        }
        Duration ended = l.workEndedAfter;
        String work = "the work of window " + l.window.id() + " (pids " + WindowWork.pids(l.launch.atStart()) + ")";
        if (ended.compareTo(l.cutAfterStart) <= 0) {
            return r.notVerified("a window whose work lasts longer than " + Stats.s(l.cutAfterStart),
                    work + " had ended " + Stats.s(ended) + " after its start, before the link was cut, so the cut could"
                            + " not affect it");
        }
        if (ended.compareTo(l.windowSpan.minus(LinkScenario.RAN_TO_END)) >= 0) {
            return r.pass(work + " ran until " + Stats.s(l.windowSpan.minus(ended)) + " before -t although " + cut);
        }
        if (l.control == null || !l.controlSeen) {
            return r.notVerified("a start whose work runs in processes it creates",
                    work + " ended " + Stats.s(ended.minus(l.cutAfterStart)) + " after the link went down, but no process"
                            + " of the control window started with the link up was seen to compare with: the work may not"
                            + " run in the processes the start creates (" + DAEMON_NOTE + ")");
        }
        if (l.controlEndedAfter == null || l.controlEndedAfter.minus(ended).compareTo(LinkScenario.EARLIER) > 0) {
            String control = l.controlEndedAfter == null ? "was still running at its end time"
                    : "worked " + Stats.s(l.controlEndedAfter) + " after its start";
            return r.fail(work + " ended " + Stats.s(ended.minus(l.cutAfterStart)) + " after the link went down ("
                            + Stats.s(ended) + " after its start, " + Stats.s(l.windowSpan.minus(ended)) + " before -t) on "
                            + ctx.targetText() + ", while the same start with the link up (control window " + l.control.id()
                            + ") " + control + ": the window's work stops when the network goes down",
                    "the work going on as it does with the link up", "ended " + Stats.s(ended) + " after its start");
        }
        return r.pass(work + " ended " + Stats.s(ended) + " after its start with the link down, and the same start with the"
                + " link up (control window " + l.control.id() + ") worked " + Stats.s(l.controlEndedAfter)
                + ": the window's work simply finished that quickly (" + cut + ")");
    }
}
