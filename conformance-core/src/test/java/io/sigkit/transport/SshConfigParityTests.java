package io.sigkit.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * sigkit's ssh config resolution against OpenSSH itself: for each case of the corpus in
 * {@code src/test/resources/ssh-config-corpus/cases.txt}, every hop sigkit resolves (host, port, user, identity files,
 * IdentitiesOnly, known_hosts files, host key checking, connect timeout, keepalive) equals what {@code ssh -G} prints
 * for the same alias, and the jump chain is the one ssh builds: for {@code ProxyJump a,b,c}, {@code c} is reached with
 * {@code ssh -J a,b c}, whose own chain is resolved the same way, and a hop without {@code -J} follows its own
 * ProxyJump.
 */
class SshConfigParityTests {

    private static final String CORPUS = "/ssh-config-corpus/";

    @TempDir
    static Path dir;

    private static final String HOME = System.getProperty("user.home");
    private static final String LOCAL_USER = System.getProperty("user.name");

    @BeforeAll
    static void copyCorpus() throws IOException {
        for (String name : List.of("basics.conf", "syntax.conf", "match.conf", "include-main.conf", "include-first.conf",
                "include-lab-1.conf", "include-lab-2.conf", "jumps.conf", "hostkeys.conf")) {
            String text = resource(name).replace("DIR/", dir + "/").replace("LOCALUSER", LOCAL_USER);
            Files.writeString(dir.resolve(name), text);
        }
    }

    static Stream<Arguments> corpus() throws IOException {
        List<Arguments> cases = new ArrayList<>();
        for (String line : resource("cases.txt").split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\|");
            cases.add(Arguments.of(f[0].strip(), f[1].strip(), f[2].strip().equals("-") ? null : f[2].strip()));
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -J {2}")
    @MethodSource("corpus")
    void every_hop_resolves_as_ssh_G_prints_it(String config, String destination, String jump) throws Exception {
        // GIVEN the config and a destination as ssh takes it
        Path file = dir.resolve(config);
        SshDestination d = SshDestination.parse(destination);
        // WHEN sigkit resolves the route
        Route route = ConnectionSettings.builder(d).sshConfig(file).jumps(jump).build().route();
        // THEN each hop equals ssh -G's view of it, in ssh's jump order
        List<Map<String, List<String>>> expected = sshChain(file, d.host(), d.user(), d.port(), jump);
        assertThat(route.hops()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            Map<String, List<String>> g = expected.get(i);
            Hop hop = route.hops().get(i);
            String what = config + " " + destination + " hop " + i;
            assertThat(hop.host()).as(what + " hostname").isEqualTo(one(g, "hostname"));
            assertThat(hop.port()).as(what + " port").isEqualTo(Integer.parseInt(one(g, "port")));
            assertThat(hop.user()).as(what + " user").isEqualTo(one(g, "user"));
            assertThat(hop.identities()).extracting(Hop.Identity::written).as(what + " identityfile")
                    .containsExactlyElementsOf(g.getOrDefault("identityfile", List.of()));
            assertThat(hop.identitiesOnly()).as(what + " identitiesonly").isEqualTo(one(g, "identitiesonly").equals("yes"));
            assertThat(hop.knownHosts()).extracting(Path::toString).as(what + " userknownhostsfile")
                    .containsExactlyElementsOf(g.get("userknownhostsfile").equals(List.of("none")) ? List.of()
                            : g.get("userknownhostsfile"));
            String strict = one(g, "stricthostkeychecking");
            assertThat(hop.hostKeyPolicy()).as(what + " stricthostkeychecking " + strict).isEqualTo(
                    strict.equals("true") || strict.equals("ask") ? HostKeyPolicy.STRICT : HostKeyPolicy.ACCEPT_NEW);
            String timeout = one(g, "connecttimeout");
            assertThat(hop.connectTimeout()).as(what + " connecttimeout").isEqualTo(timeout.equals("none")
                    ? ConnectionSettings.DEFAULT_CONNECT_TIMEOUT : Duration.ofSeconds(Long.parseLong(timeout)));
            long alive = Long.parseLong(one(g, "serveraliveinterval"));
            if (alive > 0) {
                assertThat(hop.keepaliveInterval()).as(what + " serveraliveinterval").isEqualTo(Duration.ofSeconds(alive));
            } else {
                assertThat(hop.keepaliveInterval()).as(what + " serveraliveinterval (0: unset or off)")
                        .isIn(Duration.ZERO, RouteResolver.DEFAULT_KEEPALIVE);
            }
            assertThat(hop.keepaliveCountMax()).as(what + " serveralivecountmax")
                    .isEqualTo(Integer.parseInt(one(g, "serveralivecountmax")));
            assertThat(hop.target()).isEqualTo(i == expected.size() - 1);
        }
    }

    /** The hops ssh connects through for {@code ssh -F file [-l user] [-p port] [-J jump] host}, as ssh.c builds them. */
    private static List<Map<String, List<String>>> sshChain(Path file, String host, String user, Integer port, String jump)
            throws Exception {
        Map<String, List<String>> g = sshG(file, host, user, port, jump);
        List<Map<String, List<String>>> chain = new ArrayList<>();
        List<String> proxy = g.get("proxyjump");
        if (proxy != null && !proxy.get(0).equalsIgnoreCase("none")) {
            String list = proxy.get(0);
            int comma = list.lastIndexOf(',');
            SshDestination last = SshDestination.parse(list.substring(comma + 1));
            chain.addAll(sshChain(file, last.host(), last.user(), last.port(), comma < 0 ? null : list.substring(0, comma)));
        }
        chain.add(g);
        return chain;
    }

    private static Map<String, List<String>> sshG(Path file, String host, String user, Integer port, String jump)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("ssh", "-G", "-F", file.toString()));
        if (user != null) {
            command.addAll(List.of("-l", user));
        }
        if (port != null) {
            command.addAll(List.of("-p", String.valueOf(port)));
        }
        if (jump != null) {
            command.addAll(List.of("-J", jump));
        }
        command.add(host);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command)).isZero();
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int space = line.indexOf(' ');
            if (space < 0) {
                continue;
            }
            String key = line.substring(0, space);
            String value = line.substring(space + 1);
            if (key.equals("userknownhostsfile")) {
                values.put(key, List.of(value.split(" ")));
            } else {
                values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
            }
        }
        return values;
    }

    private static String one(Map<String, List<String>> g, String key) {
        List<String> v = g.get(key);
        assertThat(v).as("ssh -G prints " + key).isNotNull().hasSize(1);
        return v.get(0);
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = SshConfigParityTests.class.getResourceAsStream(CORPUS + name)) {
            assertThat(in).as(CORPUS + name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
