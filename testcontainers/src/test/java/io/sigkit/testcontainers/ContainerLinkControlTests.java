package io.sigkit.testcontainers;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.run.LinkControl;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

@RequiresContainerEngine
class ContainerLinkControlTests {

    @Test
    void the_cut_stops_new_ssh_connections_and_the_restore_brings_them_back_without_touching_the_host() throws Exception {
        // GIVEN a container of the reference image with link control, answering SSH
        String hostNetns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString();
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
        // AND the host's own network namespace was never the one cut
        assertThat(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString()).isEqualTo(hostNetns);
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
