package io.sigkit.transport;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A destination as {@code ssh} takes it: {@code [ssh://][user@]host[:port]}, where the host may be an alias of an ssh
 * config and the user and port may be left to the config (or to OpenSSH's defaults: the local user name, port 22).
 *
 * @param user the login name, or null when not given
 * @param host a host name, IP address (without brackets) or config alias, never empty
 * @param port the TCP port, or null when not given
 */
public record SshDestination(String user, String host, Integer port) {

    private static final Pattern FORM =
            Pattern.compile("(?:ssh://)?(?:([^@/\\s:\\[\\]]+)@)?(\\[[0-9A-Fa-f:.%a-zA-Z]+\\]|[^@/\\s:\\[\\],]+)(?::(\\d{1,5}))?/?");

    /** Validates the parts. */
    public SshDestination {
        Objects.requireNonNull(host, "host");
        if (user != null && (user.isBlank() || user.contains("@") || user.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("invalid SSH user '" + user + "'");
        }
        if (host.isBlank() || host.chars().anyMatch(c -> Character.isWhitespace(c) || Character.isISOControl(c))) {
            throw new IllegalArgumentException("invalid SSH host '" + host + "'");
        }
        if (port != null && (port < 1 || port > 65535)) {
            throw new IllegalArgumentException("invalid SSH port " + port + " for " + host + " (1 to 65535)");
        }
    }

    /**
     * The destination a fully given target stands for.
     *
     * @param target a user, host and port
     * @return the destination with all three given
     */
    public static SshDestination of(SshTarget target) {
        return new SshDestination(target.user(), target.host(), target.port());
    }

    /**
     * Parses {@code [ssh://][user@]host[:port]}.
     *
     * @param text the destination as a user wrote it
     * @return the destination
     * @throws IllegalArgumentException naming the input if it is not of that form
     */
    public static SshDestination parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no SSH destination given: expected ssh://[user@]host[:port]");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid SSH target '" + text
                    + "': expected ssh://[user@]host[:port] or [user@]host[:port] (host may be an --ssh-config alias)");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        Integer port = null;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid SSH target '" + text + "': port " + port + " is not in 1..65535");
            }
        }
        return new SshDestination(m.group(1), host, port);
    }

    /** Returns the destination as written: {@code [user@]host[:port]}. */
    @Override
    public String toString() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return (user == null ? "" : user + "@") + h + (port == null ? "" : ":" + port);
    }
}
