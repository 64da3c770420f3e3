package io.sigkit.testcontainers;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The container's public host keys as known_hosts lines; the file comes from the payload, so each line is checked. */
final class HostKeys {

    private static final Pattern KEY = Pattern.compile(
            "(ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ecdsa-sha2-nistp521|ssh-rsa) ([A-Za-z0-9+/]{20,4096}={0,2})");

    private HostKeys() {
    }

    /**
     * One known_hosts line per well-formed key line ({@code TYPE BASE64}) of {@code publicKeys}, for
     * {@code [host]:port}; anything else in the text is ignored.
     */
    static List<String> knownHostsLines(String publicKeys, String host, int port) {
        List<String> lines = new ArrayList<>();
        for (String line : publicKeys.lines().toList()) {
            Matcher m = KEY.matcher(line.strip());
            if (m.matches()) {
                lines.add("[" + host + "]:" + port + " " + m.group(1) + " " + m.group(2));
            }
        }
        return List.copyOf(lines);
    }
}
