package io.sigkit.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An OpenSSH client configuration file, read as ssh(1) reads it: {@code Host} and {@code Match} blocks, the first value
 * obtained for each keyword wins (except {@code IdentityFile}, which accumulates), {@code Include} in place with glob
 * patterns (relative names under {@code ~/.ssh}), and a second, final pass when a {@code Match final} or
 * {@code Match canonical} is present.
 *
 * <p>Only the keywords a lab's connection needs are kept (see {@link #KEPT}); the others are read and ignored, as they do
 * not change how sigkit connects. {@code Match exec} and {@code Match localnetwork} are refused with a message naming
 * the line, since sigkit runs no local command and does not inspect local interfaces.
 */
final class SshConfig {

    /** The keywords whose values {@link #resolve} returns, lower case. */
    static final Set<String> KEPT = Set.of("hostname", "port", "user", "identityfile", "identitiesonly", "proxyjump",
            "proxycommand", "userknownhostsfile", "stricthostkeychecking", "connecttimeout", "serveraliveinterval",
            "serveralivecountmax", "hostkeyalias");

    private static final int MAX_INCLUDE_DEPTH = 16;

    /** One statement of a file. */
    private sealed interface Statement permits Setting, HostLine, MatchLine, Include {
    }

    private record Setting(String keyword, List<String> args, String where) implements Statement {
    }

    private record HostLine(List<String> patterns) implements Statement {
    }

    private record MatchLine(List<String[]> criteria, String where) implements Statement {
    }

    private record Include(List<List<Statement>> files) implements Statement {
    }

    private final Path file;
    private final List<Statement> statements;
    private final boolean hasFinalMatch;

    private SshConfig(Path file, List<Statement> statements, boolean hasFinalMatch) {
        this.file = file;
        this.statements = statements;
        this.hasFinalMatch = hasFinalMatch;
    }

    /** A configuration with nothing in it, as with {@code ssh -F /dev/null}. */
    static SshConfig empty() {
        return new SshConfig(null, List.of(), false);
    }

    /**
     * Reads a configuration file and every file it includes.
     *
     * @param file the file, as {@code ssh -F FILE}
     * @param home the user's home directory ({@code ~}, and {@code ~/.ssh} for relative includes)
     * @return the configuration
     * @throws TransportException of kind IO naming the file and line if it cannot be read or a line is malformed
     */
    static SshConfig read(Path file, Path home) {
        boolean[] finalMatch = new boolean[1];
        List<Statement> statements = parse(file, home, 0, finalMatch);
        return new SshConfig(file, statements, finalMatch[0]);
    }

    /**
     * The file this configuration was read from.
     *
     * @return the file, or empty for {@link #empty()}
     */
    Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    private static List<Statement> parse(Path file, Path home, int depth, boolean[] finalMatch) {
        if (depth > MAX_INCLUDE_DEPTH) {
            throw error(file, 0, "Include nested more than " + MAX_INCLUDE_DEPTH + " deep");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TransportException(TransportException.Kind.IO, "cannot read ssh config " + file + ": "
                    + Identities.summary(e), e);
        }
        List<Statement> out = new ArrayList<>();
        for (int n = 0; n < lines.size(); n++) {
            List<String> words = SshConfigSyntax.words(lines.get(n), file, n + 1);
            if (words.isEmpty()) {
                continue;
            }
            String keyword = words.get(0).toLowerCase(Locale.ROOT);
            List<String> args = words.subList(1, words.size());
            String where = file + ":" + (n + 1);
            switch (keyword) {
                case "host" -> {
                    if (args.isEmpty()) {
                        throw error(file, n + 1, "Host needs at least one pattern");
                    }
                    out.add(new HostLine(List.copyOf(args)));
                }
                case "match" -> out.add(match(args, file, n + 1, where, finalMatch));
                case "include" -> {
                    if (args.isEmpty()) {
                        throw error(file, n + 1, "Include needs a file name");
                    }
                    List<List<Statement>> included = new ArrayList<>();
                    for (String pattern : args) {
                        for (Path p : glob(includePath(pattern, home))) {
                            included.add(parse(p, home, depth + 1, finalMatch));
                        }
                    }
                    out.add(new Include(included));
                }
                default -> {
                    if (args.isEmpty()) {
                        throw error(file, n + 1, words.get(0) + " has no value");
                    }
                    if (KEPT.contains(keyword)) {
                        out.add(new Setting(keyword, List.copyOf(args), where));
                    }
                }
            }
        }
        return List.copyOf(out);
    }

    private static MatchLine match(List<String> args, Path file, int line, String where, boolean[] finalMatch) {
        if (args.isEmpty()) {
            throw error(file, line, "Match needs a criterion");
        }
        List<String[]> criteria = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String name = args.get(i);
            String bare = (name.startsWith("!") ? name.substring(1) : name).toLowerCase(Locale.ROOT);
            switch (bare) {
                case "all" -> criteria.add(new String[] {name.toLowerCase(Locale.ROOT), null});
                case "canonical", "final" -> {
                    finalMatch[0] = true;
                    criteria.add(new String[] {name.toLowerCase(Locale.ROOT), null});
                }
                case "host", "originalhost", "user", "localuser" -> {
                    if (i + 1 >= args.size()) {
                        throw error(file, line, "Match " + bare + " needs a pattern");
                    }
                    criteria.add(new String[] {name.toLowerCase(Locale.ROOT), args.get(++i)});
                }
                case "exec", "localnetwork", "tagged" -> throw error(file, line, "Match " + bare
                        + " is not supported by sigkit (it runs no local command and reads no local interface)");
                default -> throw error(file, line, "unknown Match criterion '" + name + "'");
            }
        }
        return new MatchLine(List.copyOf(criteria), where);
    }

    private static Path includePath(String pattern, Path home) {
        String p = pattern.startsWith("~/") ? home + pattern.substring(1) : pattern;
        Path path = Path.of(p);
        return path.isAbsolute() ? path : home.resolve(".ssh").resolve(path);
    }

    /** The files matching a glob in its last component (as OpenSSH, in sorted order); none is not an error. */
    private static List<Path> glob(Path pattern) {
        String name = pattern.getFileName().toString();
        if (!name.contains("*") && !name.contains("?") && !name.contains("[")) {
            return Files.isRegularFile(pattern) ? List.of(pattern) : List.of();
        }
        List<Path> found = new ArrayList<>();
        Path dir = pattern.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, name)) {
            for (Path p : s) {
                if (Files.isRegularFile(p)) {
                    found.add(p);
                }
            }
        } catch (IOException e) {
            throw new TransportException(TransportException.Kind.IO, "cannot list " + dir + " for Include " + pattern
                    + ": " + Identities.summary(e), e);
        }
        found.sort(null);
        return found;
    }

    static TransportException error(Path file, int line, String what) {
        return new TransportException(TransportException.Kind.IO, "ssh config " + file + (line > 0 ? ":" + line : "")
                + ": " + what);
    }

    // ------------------------------------------------------------------------------------------------ resolving

    /**
     * What the command line fixes before the configuration is read (OpenSSH: the first value obtained wins, and the
     * command line comes first).
     *
     * @param user {@code -l} or {@code user@}, or null
     * @param port {@code -p} or {@code :port}, or null
     * @param proxyJump {@code -J}, or null
     */
    record CommandLine(String user, Integer port, String proxyJump) {
    }

    /**
     * The values obtained for one host, raw as {@code ssh -G} would print them before its own defaults.
     *
     * @param values the first value of each kept keyword, with the file and line it came from
     * @param identityFiles every IdentityFile, in order, with where it came from
     */
    record Resolved(Map<String, Value> values, List<Value> identityFiles) {
        Optional<Value> get(String keyword) {
            return Optional.ofNullable(values.get(keyword));
        }
    }

    /**
     * One value and where it came from.
     *
     * @param args the arguments as written
     * @param where {@code file:line}, or {@code command line}
     */
    record Value(List<String> args, String where) {
        String first() {
            return args.get(0);
        }
    }

    /**
     * Resolves the settings for a host as {@code ssh} would for {@code ssh [-l user] [-p port] [-J jump] host}.
     *
     * @param hostArg the host as given (an alias or a name)
     * @param commandLine what the command line sets
     * @param localUser the local user name ({@code Match localuser}, and {@code Match user} when no User is set)
     * @return the values obtained
     */
    Resolved resolve(String hostArg, CommandLine commandLine, String localUser) {
        Map<String, Value> values = new LinkedHashMap<>();
        List<Value> identities = new ArrayList<>();
        if (commandLine.user() != null) {
            values.put("user", new Value(List.of(commandLine.user()), "command line"));
        }
        if (commandLine.port() != null) {
            values.put("port", new Value(List.of(String.valueOf(commandLine.port())), "command line"));
        }
        if (commandLine.proxyJump() != null) {
            values.put("proxyjump", new Value(List.of(commandLine.proxyJump()), "command line"));
        }
        Pass first = new Pass(hostArg, hostArg, localUser, false, values, identities);
        first.apply(statements, false);
        if (hasFinalMatch) {
            String host = hostName(values, hostArg);
            new Pass(host, hostArg, localUser, true, values, identities).apply(statements, false);
        }
        return new Resolved(values, identities);
    }

    /** The HostName obtained with {@code %h} expanded, or the host as given. */
    static String hostName(Map<String, Value> values, String hostArg) {
        Value v = values.get("hostname");
        return v == null ? hostArg : v.first().replace("%%", "\0").replace("%h", hostArg).replace("\0", "%");
    }

    /** One reading of the statements, with the host the Host lines match against. */
    private static final class Pass {
        private final String host;
        private final String originalHost;
        private final String localUser;
        private final boolean finalPass;
        private final Map<String, Value> values;
        private final List<Value> identities;

        Pass(String host, String originalHost, String localUser, boolean finalPass, Map<String, Value> values,
                List<Value> identities) {
            this.host = host;
            this.originalHost = originalHost;
            this.localUser = localUser;
            this.finalPass = finalPass;
            this.values = values;
            this.identities = identities;
        }

        void apply(List<Statement> list, boolean neverMatch) {
            boolean active = !neverMatch;
            for (Statement s : list) {
                if (s instanceof HostLine h) {
                    active = !neverMatch && hostMatches(h.patterns());
                } else if (s instanceof MatchLine m) {
                    active = !neverMatch && matches(m);
                } else if (s instanceof Include inc) {
                    boolean saved = active;
                    for (List<Statement> f : inc.files()) {
                        apply(f, !active);
                    }
                    active = saved;
                } else if (s instanceof Setting set && active) {
                    set(set);
                }
            }
        }

        private void set(Setting s) {
            Value v = new Value(s.args(), s.where());
            if (s.keyword().equals("identityfile")) {
                if (identities.stream().noneMatch(i -> i.first().equals(v.first()))) {
                    identities.add(v);
                }
                return;
            }
            if (s.keyword().equals("proxyjump") && values.containsKey("proxycommand")
                    || s.keyword().equals("proxycommand") && values.containsKey("proxyjump")) {
                return;
            }
            values.putIfAbsent(s.keyword(), v);
        }

        private boolean hostMatches(List<String> patterns) {
            boolean matched = false;
            for (String p : patterns) {
                boolean negated = p.startsWith("!");
                String pattern = (negated ? p.substring(1) : p).toLowerCase(Locale.ROOT);
                if (SshConfigSyntax.glob(host.toLowerCase(Locale.ROOT), pattern)) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }

        private boolean matches(MatchLine m) {
            String currentHost = finalPass ? host : hostName(values, originalHost);
            Value user = values.get("user");
            String remoteUser = user == null ? localUser : user.first();
            for (String[] c : m.criteria()) {
                boolean negated = c[0].startsWith("!");
                String name = negated ? c[0].substring(1) : c[0];
                boolean r = switch (name) {
                    case "all" -> true;
                    case "canonical", "final" -> finalPass;
                    case "host" -> SshConfigSyntax.patternList(currentHost.toLowerCase(Locale.ROOT), c[1].toLowerCase(Locale.ROOT));
                    case "originalhost" -> SshConfigSyntax.patternList(originalHost.toLowerCase(Locale.ROOT), c[1].toLowerCase(Locale.ROOT));
                    case "user" -> SshConfigSyntax.patternList(remoteUser, c[1]);
                    case "localuser" -> SshConfigSyntax.patternList(localUser, c[1]);
                    default -> throw new IllegalStateException(name);
                };
                if (r == negated) {
                    return false;
                }
            }
            return true;
        }
    }
}
