package io.sigkit.check;

import static io.sigkit.check.CheckDefinition.check;

import io.sigkit.probe.FactsDocument;
import io.sigkit.probe.PayloadFacts;
import io.sigkit.probe.SudoAnswer;
import io.sigkit.probe.SudoCommands;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * SIG-PRIV: the signaling user may set the clock and shut down, without a password or TTY.
 *
 * <p>Decided from {@code sudo -n -l} asked about the exact command lines the bus and the kit's tiers run
 * ({@link SudoCommands#EXACT}): a rule restricted to arguments ({@code /usr/bin/date -s *}) allows those and not the
 * bare command name, and a rule for other arguments ({@code /usr/bin/date +%s}) allows the name and not those. The
 * rule line of the {@code sudo -n -l} listing that allows the command is reported, and its tag tells whether sudo
 * asks for a password ({@code sudo -n -l CMD} succeeds for a {@code PASSWD:} rule too).
 */
final class PrivilegeChecks {
    /** A privileged command line the bus or the kit runs: its probe key and its text. */
    record Command(String key, String line) {
        static Command of(String key) {
            String line = SudoCommands.EXACT.get(key);
            if (line == null) {
                throw new IllegalArgumentException("no exact sudo command " + key);
            }
            return new Command(key, line);
        }
    }

    /** The clock: the bus sets it with {@code date -s @N} or {@code timedatectl set-time}; hwclock last. */
    static final List<Command> CLOCK = List.of(Command.of("exact-date-set"), Command.of("exact-timedatectl-set"),
            Command.of("exact-hwclock"));
    /** The power: the bus's (and SIG-END-001's) {@code shutdown -h now}, or halt, or poweroff. */
    static final List<Command> POWER = List.of(Command.of("exact-shutdown"), Command.of("exact-halt"),
            Command.of("exact-poweroff"));

    private static final Set<String> TAGS = Set.of("NOPASSWD", "PASSWD", "SETENV", "NOSETENV", "EXEC", "NOEXEC",
            "LOG_INPUT", "NOLOG_INPUT", "LOG_OUTPUT", "NOLOG_OUTPUT", "MAIL", "NOMAIL", "FOLLOW", "NOFOLLOW",
            "INTERCEPT", "NOINTERCEPT");

    private PrivilegeChecks() {
    }

    static List<CheckDefinition> all() {
        return List.of(
                check("SIG-PRIV-001", ctx -> privilege(ctx, "SIG-PRIV-001", "alter the system clock", CLOCK),
                        "SIG-ENV-003"),
                check("SIG-PRIV-002", ctx -> privilege(ctx, "SIG-PRIV-002", "halt or shut down the payload", POWER),
                        "SIG-ENV-003"));
    }

    static RequirementResult privilege(CheckContext ctx, String id, String what, List<Command> commands) {
        return privilege(ctx.result(id), ctx.facts(), ctx.targetText(), what, commands);
    }

    /** The decision from the facts alone (unit tests give canned facts). */
    static RequirementResult privilege(RequirementResult.Builder r, PayloadFacts f, String target, String what,
                                       List<Command> commands) {
        String user = f.user();
        r.evidence("uid", f.uid().orElse(null));
        if (f.isRoot()) {
            return r.pass("the signaling user '" + user + "' is root (uid 0) and may " + what);
        }
        List<String> lines = commands.stream().map(Command::line).toList();
        if (!f.sudoPresent()) {
            return r.evidence("sudo", "not installed")
                    .fail("'" + user + "' is not root and sudo is not installed on " + target + ": it cannot " + what,
                            "root, or sudo allowing one of " + lines, "no sudo");
        }
        String listing = f.sudoList();
        r.evidence("sudoRules", listing.strip());
        List<String> asked = new ArrayList<>();
        List<String> usable = new ArrayList<>();
        List<String> needTty = new ArrayList<>();
        List<String> needPassword = new ArrayList<>();
        List<String> usableRules = new ArrayList<>();
        boolean passwordSaid = false;
        boolean ttySaid = listing.toLowerCase(Locale.ROOT).contains("must have a tty");
        List<Object> answers = new ArrayList<>();
        for (Command c : commands) {
            SudoAnswer answer = f.sudo(c.key());
            answers.add(FactsDocument.evidence(FactsDocument.of(answer)));
            String out = answer.transcript();
            String lower = answer.output().toLowerCase(Locale.ROOT);
            passwordSaid |= lower.contains("password is required");
            ttySaid |= lower.contains("must have a tty");
            if (!answer.allowed()) {
                asked.add("sudo -n -l " + c.line() + ": not allowed (" + oneLine(out) + ")");
                continue;
            }
            String resolved = resolvedCommand(out);
            Optional<Rule> rule = matchingRule(listing, resolved);
            asked.add("sudo -n -l " + c.line() + ": allowed as `" + resolved + "`"
                    + rule.map(x -> " by the rule '" + x.line() + "'").orElse(" (no rule line of the listing recognised)"));
            String path = resolved.isEmpty() ? "" : resolved.split("\\s+")[0];
            if (requiresTty(listing, path)) {
                needTty.add(c.line());
            } else if (rule.isPresent() && rule.get().password() && !authenticateOff(listing)) {
                needPassword.add(c.line() + " (rule '" + rule.get().line() + "')");
            } else {
                usable.add(c.line());
                usableRules.add(rule.map(Rule::line).orElse("?"));
            }
        }
        r.evidence("asked", asked).evidence("allowed", usable).evidence("facts", answers);
        if (!f.sudoRunDate().isBlank()) {
            r.evidence("sudo -n date +%s", oneLine(f.sudoRunDate()));
        }
        if (!usable.isEmpty()) {
            Command first = commands.stream().filter(c -> usable.get(0).equals(c.line())).findFirst().orElseThrow();
            if (first.key().equals("exact-hwclock")) {
                r.warning("only `" + first.line() + "` is allowed: the bus and the kit's clock tier set the clock with `"
                        + SudoCommands.EXACT.get("exact-date-set") + "` or `" + SudoCommands.EXACT.get("exact-timedatectl-set")
                        + "`, which sudo refuses");
            }
            r.evidence("matchingRules", usableRules);
            return r.pass("sudo -n -l on " + target + " allows '" + user + "' to run " + quoted(usable)
                    + " with no password and no TTY (rule: " + String.join("; ", usableRules) + ")");
        }
        if (!needTty.isEmpty() || ttySaid) {
            return r.evidence("requiretty", needTty)
                    .fail("sudo on " + target + " requires a TTY for '" + user + "'"
                                    + (needTty.isEmpty() ? "" : " to run " + quoted(needTty))
                                    + " (requiretty): the bus runs its commands without one, so it cannot " + what,
                            "sudo without a TTY", "sorry, you must have a tty");
        }
        if (!needPassword.isEmpty()) {
            return r.fail("sudo on " + target + " allows '" + user + "' to run " + String.join(", ", needPassword)
                            + " only with a password, which the bus cannot give: it cannot " + what,
                    "a NOPASSWD rule for one of " + lines, "PASSWD rule");
        }
        if (passwordSaid) {
            return r.fail("'" + user + "' may not " + what + " through sudo on " + target
                            + ": sudo -n asks for a password for " + quoted(lines),
                    "sudo -n allowing one of " + lines, "password required");
        }
        List<String> bare = new ArrayList<>();
        for (String name : commands.stream().map(c -> c.line().split(" ")[0]).distinct().toList()) {
            if (f.sudoAllows(name)) {
                bare.add(name);
            }
        }
        return r.fail("no sudo rule on " + target + " lets '" + user + "' run any of " + quoted(lines)
                        + ", the commands the bus runs to " + what
                        + (bare.isEmpty() ? "" : " (sudo allows " + String.join(", ", bare)
                        + " with other arguments only: see the listing in the evidence)"),
                "sudo -n allowing one of " + lines, bare.isEmpty() ? "not allowed" : "allowed only with other arguments");
    }

    /** The command {@code sudo -n -l CMD} printed when it allowed it (its first line: resolved path and arguments). */
    static String resolvedCommand(String sudoListCommandOutput) {
        String first = sudoListCommandOutput.lines().findFirst().orElse("").strip();
        return first.startsWith("/") ? first : "";
    }

    /** The command path {@code sudo -n -l CMD} printed (first line), or the empty string. */
    static String resolvedPath(String sudoListCommandOutput) {
        String first = resolvedCommand(sudoListCommandOutput);
        return first.isEmpty() ? "" : first.split("\\s+")[0];
    }

    /**
     * A rule of the listing: the line as printed and whether the matching entry needs a password.
     *
     * @param line the listing line (runas and commands), stripped
     * @param password whether the entry is tagged (or defaults to) PASSWD
     */
    record Rule(String line, boolean password) {
    }

    /**
     * The last entry of {@code sudo -l}'s "may run" listing that matches a command line as sudo resolved it (sudo
     * uses the last match): {@code ALL}, the path with no arguments (any arguments), {@code ""} (none) or argument
     * globs ({@code *}, {@code ?}). Tags carry on to later entries of the same line, as sudo prints them.
     */
    static Optional<Rule> matchingRule(String listing, String resolved) {
        if (resolved.isBlank()) {
            return Optional.empty();
        }
        String[] words = resolved.strip().split("\\s+", 2);
        String path = words[0];
        String args = words.length > 1 ? words[1] : "";
        Rule found = null;
        boolean inRules = false;
        for (String raw : listing.split("\n")) {
            String line = raw.strip();
            if (line.startsWith("User ") && line.contains(" may run ")) {
                inRules = true;
                continue;
            }
            if (!inRules || !line.startsWith("(")) {
                continue;
            }
            int close = line.indexOf(')');
            if (close < 0) {
                continue;
            }
            boolean password = true;
            for (String entry : splitEntries(line.substring(close + 1))) {
                String e = entry.strip();
                while (true) {
                    int colon = e.indexOf(':');
                    if (colon > 0 && TAGS.contains(e.substring(0, colon))) {
                        String tag = e.substring(0, colon);
                        if (tag.equals("NOPASSWD")) {
                            password = false;
                        } else if (tag.equals("PASSWD")) {
                            password = true;
                        }
                        e = e.substring(colon + 1).strip();
                    } else {
                        break;
                    }
                }
                if (entryMatches(e, path, args)) {
                    found = new Rule(line, password);
                }
            }
        }
        return Optional.ofNullable(found);
    }

    private static List<String> splitEntries(String commands) {
        List<String> entries = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < commands.length(); i++) {
            char c = commands.charAt(i);
            if (c == '\\' && i + 1 < commands.length()) {
                current.append(c).append(commands.charAt(++i));
            } else if (c == ',') {
                entries.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        entries.add(current.toString());
        return entries;
    }

    static boolean entryMatches(String entry, String path, String args) {
        if (entry.startsWith("!")) {
            return false;
        }
        if (entry.equals("ALL")) {
            return true;
        }
        String[] words = entry.split("\\s+", 2);
        if (!words[0].equals(path)) {
            return false;
        }
        if (words.length == 1) {
            return true;
        }
        String pattern = words[1].strip();
        if (pattern.equals("\"\"")) {
            return args.isEmpty();
        }
        return args.matches(globToRegex(pattern));
    }

    private static String globToRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '\\' && i + 1 < glob.length()) {
                re.append(java.util.regex.Pattern.quote(String.valueOf(glob.charAt(++i))));
            } else if (c == '*') {
                re.append(".*");
            } else if (c == '?') {
                re.append('.');
            } else {
                re.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    /** Whether the matching Defaults say {@code !authenticate} (no rule then asks for a password). */
    static boolean authenticateOff(String listing) {
        return Arrays.stream(listing.split("[,\\s]+")).anyMatch(t -> t.equals("!authenticate"));
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
                        && Arrays.stream(body.split("[,\\s]+")).anyMatch(t -> t.equals(commandPath));
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

    private static String oneLine(String s) {
        return s.replace('\n', ' ').strip();
    }

    private static String quoted(List<String> commands) {
        return String.join(", ", commands.stream().map(c -> "`" + c + "`").toList());
    }
}
