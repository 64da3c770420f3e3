package io.sigkit.testcontainers;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.testcontainers.containers.ContainerLaunchException;
import org.testcontainers.containers.wait.strategy.AbstractWaitStrategy;

/**
 * Waits until the container's SSH server sends its banner ({@code SSH-2.0-...}) on the published port: a port that
 * only accepts connections (a port forwarder does) is not enough. Talks to the port from the host, so no command runs
 * inside the container; fails at once, with the container's log, if the container stops.
 */
final class SshBannerWaitStrategy extends AbstractWaitStrategy {

    private final int port;

    SshBannerWaitStrategy(int port) {
        this.port = port;
    }

    @Override
    protected void waitUntilReady() {
        Instant deadline = Instant.now().plus(startupTimeout);
        String host = waitStrategyTarget instanceof SignalingPayloadContainer c ? c.host() : waitStrategyTarget.getHost();
        int mapped = waitStrategyTarget.getMappedPort(port);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!waitStrategyTarget.isRunning()) {
                throw new ContainerLaunchException("sigkit: the payload container stopped before its SSH server"
                        + " answered; its log:\n" + tail(waitStrategyTarget.getLogs()));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, mapped), 1000);
                s.setSoTimeout(1000);
                String banner = firstLine(s.getInputStream());
                if (banner.startsWith("SSH-")) {
                    return;
                }
                last = "answered '" + banner + "'";
            } catch (IOException e) {
                last = e.getMessage();
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ContainerLaunchException("sigkit: interrupted while waiting for the payload's SSH server");
            }
        }
        throw new ContainerLaunchException("sigkit: the payload container's SSH server did not answer at " + host + ":"
                + mapped + " within " + startupTimeout.toSeconds() + " s (" + last + "); its log:\n"
                + tail(waitStrategyTarget.getLogs()));
    }

    private static String firstLine(InputStream in) throws IOException {
        byte[] buf = new byte[256];
        int n = 0;
        while (n < buf.length) {
            int b = in.read();
            if (b < 0 || b == '\n') {
                break;
            }
            buf[n++] = (byte) b;
        }
        return new String(buf, 0, n, StandardCharsets.US_ASCII).replaceAll("[^\\x20-\\x7e]", "?");
    }

    private static String tail(String log) {
        String clean = log == null ? "" : log.replaceAll("[\\x00-\\x08\\x0b-\\x1f\\x7f]", "?");
        return clean.length() <= 4000 ? clean : "..." + clean.substring(clean.length() - 4000);
    }
}
