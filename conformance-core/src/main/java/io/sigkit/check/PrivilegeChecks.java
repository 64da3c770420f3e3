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

    /** The command path {@code sudo -n -l CMD} printed (first line), or the empty string. */
    static String resolvedPath(String sudoListCommandOutput) {
        String first = sudoListCommandOutput.lines().findFirst().orElse("").strip();
        return first.startsWith("/") ? first.split("\\s+")[0] : "";
    }

    /**
     * Whether {@code sudo -l}'s listing makes {@code requiretty} apply to a command: a matching Defaults entry for the
     * user or host, or a command-specific {@code Defaults!<commands> requiretty} naming it.
     */
    static boolean requiresTty(String listing, String commandPath) {
        boolean inMatching = false;
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("Matching Defaults entries")) {
                inMatching = true;
                continue;
            }
            if (line.isEmpty() || line.endsWith(":")) {
                inMatching = false;
            }
            if (line.startsWith("Defaults!")) {
                String body = line.substring("Defaults!".length());
                boolean names = !commandPath.isEmpty()
                        && java.util.Arrays.stream(body.split("[,\\s]+")).anyMatch(t -> t.equals(commandPath));
                if (names && hasRequiretty(body)) {
                    return true;
                }
            } else if (inMatching && hasRequiretty(line)) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasRequiretty(String options) {
        for (String t : options.split("[,\\s]+")) {
            if (t.equals("requiretty")) {
                return true;
            }
        }
        return false;
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
        // `sudo -n date` speaks for the clock commands only
        String all = (String.join("\n", outputs) + (commands.contains("date") ? "\n" + f.sudoRunDate() : ""))
                .toLowerCase(Locale.ROOT);
        r.evidence("sudoRules", f.sudoList().strip()).evidence("checks", outputs).evidence("allowed", allowed);
        List<String> needTty = new ArrayList<>();
        for (String c : allowed) {
            if (requiresTty(f.sudoList(), resolvedPath(f.sudoAllowsOutput(c)))) {
                needTty.add(c);
            }
        }
        List<String> usable = new ArrayList<>(allowed);
        usable.removeAll(needTty);
        if (all.contains("must have a tty") || f.sudoList().toLowerCase(Locale.ROOT).contains("must have a tty")
                || (!allowed.isEmpty() && usable.isEmpty())) {
            return r.evidence("sudo -n date", f.sudoRunDate().strip()).evidence("requiretty", needTty)
                    .fail("sudo on " + ctx.targetText() + " requires a TTY for '" + user + "'"
                            + (needTty.isEmpty() ? "" : " to run " + String.join(", ", needTty))
                            + " (requiretty): the bus runs its commands without one, so it cannot " + what,
                            "sudo without a TTY", "sorry, you must have a tty");
        }
        if (allowed.isEmpty()) {
            boolean password = all.contains("password is required") || all.contains("a password");
            return r.fail("'" + user + "' may not " + what + " through sudo without a password on " + ctx.targetText()
                            + (password ? " (sudo asks for a password)" : " (no sudo rule allows any of "
                            + String.join(", ", commands) + ")"),
                    "sudo -n allowing one of " + commands, password ? "password required" : "not allowed");
        }
        allowed = usable;
        if (commands.contains("date") && allowed.contains("date") && !f.sudoRunDateSucceeded()) {
            return r.evidence("sudo -n date", f.sudoRunDate().strip())
                    .fail("sudo lists 'date' as allowed for '" + user + "', but 'sudo -n date' failed on " + ctx.targetText()
                            + ": " + f.sudoRunDate().strip(), "sudo -n date exits 0", f.sudoRunDate().strip());
        }
        return r.pass("'" + user + "' may run " + String.join(", ", allowed) + " through sudo with no password and no TTY");
    }
}
