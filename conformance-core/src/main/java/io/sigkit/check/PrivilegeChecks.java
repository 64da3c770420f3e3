package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.probe.PayloadFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** SIG-PRIV: the signaling user may set the clock and shut down, without a password or TTY. */
final class PrivilegeChecks {
    static final List<String> CLOCK_COMMANDS = List.of("date", "timedatectl", "hwclock");
    static final List<String> POWER_COMMANDS = List.of("shutdown", "halt", "poweroff");

    private PrivilegeChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-PRIV-001", ctx -> privilege(ctx, "SIG-PRIV-001", "alter the system clock", CLOCK_COMMANDS),
                        "SIG-ENV-003"),
                check("SIG-PRIV-002", ctx -> privilege(ctx, "SIG-PRIV-002", "halt or shut down the payload", POWER_COMMANDS),
                        "SIG-ENV-003"));
    }

    static RequirementResult privilege(CheckContext ctx, String id, String what, List<String> commands) {
        RequirementResult.Builder r = ctx.result(id);
        PayloadFacts f = ctx.facts();
        String user = f.user();
        r.evidence("uid", f.uid().orElse(null));
        if (f.isRoot()) {
            return r.pass("the signaling user '" + user + "' is root (uid 0) and may " + what);
        }
        if (!f.sudoPresent()) {
            return r.evidence("sudo", "not installed")
                    .fail("'" + user + "' is not root and sudo is not installed on " + ctx.targetText() + ": it cannot " + what,
                            "root, or sudo allowing " + commands, "no sudo");
        }
        List<String> allowed = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (String c : commands) {
            if (f.sudoAllows(c)) {
                allowed.add(c);
            }
            outputs.add("sudo -n -l " + c + ": " + f.sudoAllowsOutput(c).replace('\n', ' ').strip());
        }
        String all = (f.sudoList() + "\n" + String.join("\n", outputs) + "\n" + f.sudoRunDate()).toLowerCase(Locale.ROOT);
        r.evidence("sudoRules", f.sudoList().strip()).evidence("checks", outputs).evidence("allowed", allowed);
        if (all.contains("must have a tty") || all.contains("requiretty")) {
            return r.evidence("sudo -n date", f.sudoRunDate().strip())
                    .fail("sudo on " + ctx.targetText() + " requires a TTY for '" + user + "' (requiretty): the bus runs its "
                            + "commands without one, so it cannot " + what, "sudo without a TTY", "sorry, you must have a tty");
        }
        if (allowed.isEmpty()) {
            boolean password = all.contains("password is required") || all.contains("a password");
            return r.fail("'" + user + "' may not " + what + " through sudo without a password on " + ctx.targetText()
                    + (password ? " (sudo asks for a password)" : " (no sudo rule allows " + String.join(", ", commands) + ")"),
                    "sudo -n allowing one of " + commands, password ? "password required" : "not allowed");
        }
        if (commands.contains("date") && allowed.contains("date") && !f.sudoRunDateSucceeded()) {
            return r.evidence("sudo -n date", f.sudoRunDate().strip())
                    .fail("sudo lists 'date' as allowed for '" + user + "', but 'sudo -n date' failed on " + ctx.targetText()
                            + ": " + f.sudoRunDate().strip(), "sudo -n date exits 0", f.sudoRunDate().strip());
        }
        return r.pass("'" + user + "' may run " + String.join(", ", allowed) + " through sudo with no password and no TTY");
    }
}
