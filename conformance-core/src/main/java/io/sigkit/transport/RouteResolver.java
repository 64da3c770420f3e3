package io.sigkit.transport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves the command line and an ssh config into a {@link Route}, with OpenSSH's semantics: each hop is resolved as
 * {@code ssh [-l user] [-p port] [-J rest] host} would resolve it, a ProxyJump list {@code a,b,c} makes {@code c} the
 * bastion just before the host and {@code a,b} the jumps to reach {@code c}, and a bastion without a {@code -J} of its
 * own follows its own ProxyJump. MINA's own config handling is never used.
 *
 * <p>Where sigkit differs from ssh, on purpose: keys given with {@code --identity} are offered to every hop (ssh offers
 * {@code -i} keys to the destination only), so that one flag serves a bastion and a payload; OpenSSH's default key
 * files are offered only when an ssh config is given; {@code StrictHostKeyChecking no} trusts new keys but still
 * refuses a changed one; a ServerAliveInterval not set means sigkit's keepalive default, not none.
 */
final class RouteResolver {

    /** How many servers a route may have (ssh has no limit but its process count; a loop must end). */
    static final int MAX_HOPS = 8;

    /** OpenSSH 9's default identity files, in its order. */
    static final List<String> DEFAULT_IDENTITIES = List.of("~/.ssh/id_rsa", "~/.ssh/id_ecdsa", "~/.ssh/id_ecdsa_sk",
            "~/.ssh/id_ed25519", "~/.ssh/id_ed25519_sk", "~/.ssh/id_xmss", "~/.ssh/id_dsa");

    /**
     * What the command line gives.
     *
     * @param destination {@code --target}
     * @param identities {@code --identity} files
     * @param jumps {@code --jump}, as ssh's {@code -J} (comma-separated), or null
     * @param config the ssh config, or {@link SshConfig#empty()}
     * @param configGiven whether a config file was given (OpenSSH's default files are used only then)
     * @param knownHosts {@code --known-hosts}, or null
     * @param policy {@code --accept-new-host-key} / {@code --insecure-ignore-host-key}, or null when neither was given
     * @param connectTimeout {@code --connect-timeout}, or null when not given
     * @param keepaliveInterval the keepalive interval where the config sets none
     * @param keepaliveCountMax the missed keepalives after which a session is dead, where the config sets none
     * @param home the user's home directory
     * @param localUser the local user name
     */
    record Request(SshDestination destination, List<Path> identities, String jumps, SshConfig config, boolean configGiven,
            Path knownHosts, HostKeyPolicy policy, Duration connectTimeout, Duration keepaliveInterval,
            int keepaliveCountMax, Path home, String localUser) {
    }

    /** sigkit's keepalive when the config sets none: a want-reply request every 5 s. */
    static final Duration DEFAULT_KEEPALIVE = Duration.ofSeconds(5);
    /** Missed keepalive replies after which the session is dead: with the interval, a dead link is noticed in 15-20 s. */
    static final int DEFAULT_KEEPALIVE_COUNT = 3;

    private final Request request;
    private final List<Hop> hops = new ArrayList<>();

    private RouteResolver(Request request) {
        this.request = request;
    }

    static Route resolve(Request request) {
        RouteResolver r = new RouteResolver(request);
        SshDestination d = request.destination();
        r.hop(d.host(), new SshConfig.CommandLine(d.user(), d.port(), request.jumps()), true, "--target", 0);
        List<Hop> all = r.hops;
        return new Route(all.subList(0, all.size() - 1), all.get(all.size() - 1));
    }

    /** Resolves one hop, after the hops needed to reach it (appended first). */
    private void hop(String hostArg, SshConfig.CommandLine cl, boolean target, String flag, int depth) {
        if (depth >= MAX_HOPS) {
            throw usage("the ProxyJump chain to " + hostArg + " is longer than " + MAX_HOPS + " hops (a loop?)");
        }
        SshConfig.Resolved r = request.config().resolve(hostArg, cl, request.localUser());
        if (r.get("proxycommand").filter(v -> !v.first().equalsIgnoreCase("none")).isPresent()) {
            throw usage("ProxyCommand for " + hostArg + " (" + r.get("proxycommand").get().where()
                    + ") is not supported by sigkit: use ProxyJump");
        }
        Optional<SshConfig.Value> jump = r.get("proxyjump").filter(v -> !v.first().equalsIgnoreCase("none"));
        if (jump.isPresent()) {
            String list = String.join("", jump.get().args());
            int comma = list.lastIndexOf(',');
            String last = list.substring(comma + 1);
            SshDestination next;
            try {
                next = SshDestination.parse(last);
            } catch (IllegalArgumentException e) {
                throw usage("invalid jump host '" + last + "' in " + where(jump.get(), flag) + ": expected [user@]host[:port]");
            }
            String rest = comma < 0 ? null : list.substring(0, comma);
            hop(next.host(), new SshConfig.CommandLine(next.user(), next.port(), rest), false,
                    jump.get().where().equals("command line") ? (target ? "--jump" : flag) : jump.get().where(), depth + 1);
        }
        String host = SshConfig.hostName(r.values(), hostArg);
        int port = r.get("port").map(v -> parsePort(v, flag)).orElse(SshTarget.DEFAULT_PORT);
        String user;
        String userSource;
        if (r.get("user").isPresent()) {
            user = r.get("user").get().first();
            userSource = where(r.get("user").get(), flag);
        } else {
            user = request.localUser();
            userSource = "local user name, as ssh";
        }
        List<Hop.Identity> ids = new ArrayList<>();
        for (Path p : request.identities()) {
            ids.add(new Hop.Identity(p, p.toString(), "--identity", false));
        }
        for (SshConfig.Value v : r.identityFiles()) {
            String raw = v.first();
            ids.add(new Hop.Identity(Path.of(expand(raw, host, user, port, hostArg, v.where())), raw,
                    "ssh config " + v.where(), false));
        }
        boolean noneFromConfig = r.identityFiles().isEmpty();
        boolean noneFromFlags = !target || request.identities().isEmpty();
        if (request.configGiven() && noneFromConfig && noneFromFlags) {
            for (String raw : DEFAULT_IDENTITIES) {
                ids.add(new Hop.Identity(Path.of(expand(raw, host, user, port, hostArg, "default")), raw,
                        "OpenSSH default", true));
            }
        }
        boolean identitiesOnly = r.get("identitiesonly").map(v -> yes(v, flag)).orElse(false);
        List<Path> knownHosts = new ArrayList<>();
        if (request.knownHosts() != null) {
            knownHosts.add(request.knownHosts());
        } else if (r.get("userknownhostsfile").isPresent()) {
            SshConfig.Value v = r.get("userknownhostsfile").get();
            for (String f : v.args()) {
                if (!f.equalsIgnoreCase("none")) {
                    knownHosts.add(Path.of(expand(f, host, user, port, hostArg, v.where())));
                }
            }
        } else if (request.configGiven()) {
            knownHosts.add(request.home().resolve(".ssh/known_hosts"));
            knownHosts.add(request.home().resolve(".ssh/known_hosts2"));
        } else {
            knownHosts.add(request.home().resolve(".ssh/known_hosts"));
        }
        HostKeyPolicy policy = HostKeyPolicy.STRICT;
        String policySource = "default (strict)";
        if (request.policy() != null) {
            policy = request.policy();
            policySource = switch (policy) {
                case ACCEPT_NEW -> "--accept-new-host-key";
                case IGNORE -> "--insecure-ignore-host-key";
                case STRICT -> "strict";
            };
        } else if (r.get("stricthostkeychecking").isPresent()) {
            SshConfig.Value v = r.get("stricthostkeychecking").get();
            policy = switch (v.first().toLowerCase(Locale.ROOT)) {
                case "yes", "ask", "true" -> HostKeyPolicy.STRICT;
                case "accept-new", "no", "off", "false" -> HostKeyPolicy.ACCEPT_NEW;
                default -> throw usage("StrictHostKeyChecking '" + v.first() + "' at " + v.where()
                        + " is not yes, ask, accept-new, no or off");
            };
            policySource = "StrictHostKeyChecking " + v.first() + " (" + v.where() + ")";
        }
        Duration connectTimeout = request.connectTimeout() != null ? request.connectTimeout()
                : r.get("connecttimeout").filter(v -> !v.first().equalsIgnoreCase("none"))
                        .map(v -> Duration.ofSeconds(positive(v, 1))).orElse(ConnectionSettings.DEFAULT_CONNECT_TIMEOUT);
        Duration keepalive = r.get("serveraliveinterval").map(v -> Duration.ofSeconds(positive(v, 0)))
                .orElse(request.keepaliveInterval());
        int count = r.get("serveralivecountmax").map(v -> (int) positive(v, 1)).orElse(request.keepaliveCountMax());
        String alias = r.get("hostkeyalias").map(SshConfig.Value::first).orElse(null);
        try {
            hops.add(new Hop(hops.size(), target, hostArg, host, port, user, userSource, ids, identitiesOnly, knownHosts,
                    alias, policy, policySource, connectTimeout, keepalive, count));
        } catch (IllegalArgumentException e) {
            throw usage(e.getMessage() + " (resolving " + hostArg + ")");
        }
    }

    private static String where(SshConfig.Value v, String flag) {
        return v.where().equals("command line") ? flag : "ssh config " + v.where();
    }

    private static int parsePort(SshConfig.Value v, String flag) {
        try {
            int p = Integer.parseInt(v.first());
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw usage("invalid port '" + v.first() + "' in " + where(v, flag));
    }

    private static boolean yes(SshConfig.Value v, String flag) {
        return switch (v.first().toLowerCase(Locale.ROOT)) {
            case "yes", "true" -> true;
            case "no", "false" -> false;
            default -> throw usage("expected yes or no, not '" + v.first() + "', in " + where(v, flag));
        };
    }

    private static long positive(SshConfig.Value v, long min) {
        try {
            long n = Long.parseLong(v.first());
            if (n >= min && n <= 86400) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw usage("invalid number of seconds '" + v.first() + "' at " + v.where());
    }

    /** Expands {@code ~} and the {@code %} tokens ssh accepts in IdentityFile and UserKnownHostsFile. */
    private String expand(String raw, String host, String user, int port, String original, String where) {
        String s = raw;
        if (s.equals("~") || s.startsWith("~/")) {
            s = request.home() + s.substring(1);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 >= s.length()) {
                throw usage("'" + raw + "' at " + where + " ends in a lone %");
            }
            char t = s.charAt(++i);
            out.append(switch (t) {
                case '%' -> "%";
                case 'd' -> request.home().toString();
                case 'u' -> request.localUser();
                case 'h' -> host;
                case 'r' -> user;
                case 'p' -> String.valueOf(port);
                case 'n' -> original;
                case 'l' -> localHostName();
                case 'L' -> localHostName().replaceFirst("\\..*", "");
                case 'i' -> uid();
                case 'C' -> sha1(localHostName() + host + port + user);
                default -> throw usage("'" + raw + "' at " + where + " uses %" + t + ", which sigkit does not expand");
            });
        }
        return out.toString();
    }

    private static String localHostName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            return "localhost";
        }
    }

    private static String uid() {
        try {
            return String.valueOf(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "0";
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static IllegalArgumentException usage(String message) {
        return new IllegalArgumentException(message);
    }
}
