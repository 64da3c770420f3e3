package io.sigkit.transport;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the kit connects: an SSH user on a host and port, written {@code ssh://user@host[:port]} or {@code user@host[:port]}.
 *
 * <p>An IPv6 address is written in brackets ({@code user@[::1]:2222}). The port defaults to 22.
 *
 * @param user the login name on the host, never empty
 * @param host a host name or IP address (without brackets), never empty
 * @param port the TCP port, 1 to 65535
 */
public record SshTarget(String user, String host, int port) {

    /** The port used when a target does not name one. */
    public static final int DEFAULT_PORT = 22;

    private static final Pattern FORM =
            Pattern.compile("(?:ssh://)?([^@/\\s:\\[\\]]+)@(\\[[0-9A-Fa-f:.%a-zA-Z]+\\]|[^@/\\s:\\[\\]]+)(?::(\\d{1,5}))?/?");

    /** Validates the parts. */
    public SshTarget {
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(host, "host");
        if (user.isBlank() || user.contains("@") || user.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid SSH user '" + user + "'");
        }
        if (host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("invalid SSH host '" + host + "'");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("invalid SSH port " + port + " for " + user + "@" + host + " (1 to 65535)");
        }
    }

    /**
     * Parses {@code ssh://user@host[:port]} or {@code user@host[:port]}.
     *
     * @param text the target as a user wrote it
     * @return the target
     * @throws IllegalArgumentException naming the input if it is not of that form
     */
    public static SshTarget parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("no SSH target given: expected ssh://user@host[:port] or user@host[:port]");
        }
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("invalid SSH target '" + text
                    + "': expected ssh://user@host[:port] or user@host[:port]");
        }
        String host = m.group(2);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = DEFAULT_PORT;
        if (m.group(3) != null) {
            port = Integer.parseInt(m.group(3));
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("invalid SSH target '" + text + "': port " + port + " is not in 1..65535");
            }
        }
        return new SshTarget(m.group(1), host, port);
    }

    /**
     * The host and port as {@code host:port} ({@code [addr]:port} for IPv6), used in messages.
     *
     * @return the address
     */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The user, host and port as {@code user@host:port}, used in messages.
     *
     * @return the login
     */
    public String login() {
        return user + "@" + address();
    }

    /** Returns {@code ssh://user@host:port}. */
    @Override
    public String toString() {
        return "ssh://" + login();
    }
}
