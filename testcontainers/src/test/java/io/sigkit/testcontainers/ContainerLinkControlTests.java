package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.run.LinkControl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

@RequiresContainerEngine
class ContainerLinkControlTests {

    @Test
    void the_cut_stops_new_ssh_connections_and_the_restore_brings_them_back_without_touching_the_host() throws Exception {
        // GIVEN the host's interfaces that are up, and a container of the reference image with link control
        String hostLinks = hostLinksUp();
        try (SignalingPayloadContainer payload = new SignalingPayloadContainer(Images.reference()).withLinkControl()) {
            payload.start();
            LinkControl link = payload.linkControl().orElseThrow();
            int port = payload.getMappedPort(SignalingPayloadContainer.SSH_PORT);
            assertThat(banner(payload.host(), port)).startsWith("SSH-2.0-");

            // WHEN the link is cut
            link.down();
            // THEN no SSH banner arrives any more
            assertThat(banner(payload.host(), port)).doesNotStartWith("SSH-");

            // WHEN it is restored, THEN the SSH server answers again
            link.up();
            assertThat(banner(payload.host(), port)).startsWith("SSH-2.0-");
        }
        // AND every interface of the host that was up still is
        assertThat(hostLinksUp()).isEqualTo(hostLinks);
    }

    private static String hostLinksUp() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-o", "link", "show", "up").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readNBytes(1 << 16), StandardCharsets.UTF_8);
        assertThat(p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return out.lines().map(l -> l.replaceAll("^\\d+: (\\S+):.*", "$1")).sorted().toList().toString();
    }

    /** The first line the port sends within 2 s, or why none came. */
    private static String banner(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            s.setSoTimeout(2000);
            InputStream in = s.getInputStream();
            byte[] buf = in.readNBytes(8);
            return new String(buf, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            return "no banner: " + e.getMessage();
        }
    }
}
