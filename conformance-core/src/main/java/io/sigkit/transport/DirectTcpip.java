package io.sigkit.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.sshd.client.channel.ChannelDirectTcpip;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * One bounded request and answer over an SSH direct-tcpip channel (RFC 4254 §7.2): the SSH server connects to an
 * address as seen from the payload and relays the bytes, without a listening port on the kit's side. The kit writes
 * its request and EOF, then reads the answer until the other side closes, at most {@code cap} bytes and until the
 * deadline.
 */
final class DirectTcpip {

    /** SSH_OPEN_CONNECT_FAILED: the server tried the address and could not connect. */
    static final int CONNECT_FAILED = 2;

    private DirectTcpip() {
    }

    static ForwardResult exchange(ClientSession session, String host, int port, byte[] request, int cap, Duration timeout,
                              ExecutorService workers) {
        Objects.requireNonNull(request, "request");
        long started = System.nanoTime();
        long deadline = started + timeout.toNanos();
        ChannelDirectTcpip channel;
        try {
            channel = session.createDirectTcpipChannel(new SshdSocketAddress("127.0.0.1", 0),
                    new SshdSocketAddress(host, port));
        } catch (IOException e) {
            return refused(ForwardResult.Status.REFUSED, -1, String.valueOf(e.getMessage()), started);
        }
        try {
            OpenFuture open = channel.open();
            if (!open.await(remaining(deadline), TimeUnit.NANOSECONDS)) {
                return new ForwardResult(ForwardResult.Status.TIMED_OUT, new byte[0], -1, "the channel did not open in time",
                        since(started));
            }
            if (!open.isOpened()) {
                Throwable why = open.getException();
                if (why instanceof SshChannelOpenException e) {
                    return refused(e.getReasonCode() == CONNECT_FAILED ? ForwardResult.Status.CONNECT_FAILED
                            : ForwardResult.Status.REFUSED, e.getReasonCode(), String.valueOf(e.getMessage()), started);
                }
                return refused(ForwardResult.Status.REFUSED, -1, why == null ? "channel not opened" : String.valueOf(why.getMessage()),
                        started);
            }
            OutputStream toTarget = channel.getInvertedIn();
            toTarget.write(request);
            toTarget.flush();
            // EOF after the request: the SSH server closes the channel only once both sides sent EOF, and the kit has
            // nothing more to say (an HTTP/1.0 request ends with its empty line)
            toTarget.close();
            InputStream fromTarget = channel.getInvertedOut();
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            Future<Boolean> reading = workers.submit(() -> readToEnd(fromTarget, answer, cap));
            try {
                boolean capped = reading.get(remaining(deadline), TimeUnit.NANOSECONDS);
                return new ForwardResult(capped ? ForwardResult.Status.CAPPED : ForwardResult.Status.ANSWERED, copy(answer), -1, "",
                        since(started));
            } catch (TimeoutException e) {
                reading.cancel(true);
                return new ForwardResult(ForwardResult.Status.TIMED_OUT, copy(answer), -1, "no end of the answer within "
                        + timeout.toMillis() + " ms", since(started));
            } catch (ExecutionException e) {
                return new ForwardResult(ForwardResult.Status.BROKEN, copy(answer), -1,
                        String.valueOf(e.getCause() == null ? e.getMessage() : e.getCause().getMessage()), since(started));
            }
        } catch (IOException e) {
            return new ForwardResult(ForwardResult.Status.BROKEN, new byte[0], -1, String.valueOf(e.getMessage()), since(started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ForwardResult(ForwardResult.Status.BROKEN, new byte[0], -1, "interrupted", since(started));
        } finally {
            channel.close(true);
        }
    }

    /** Reads until end of stream or until more than {@code cap} bytes arrived; true when the cap was passed. */
    private static boolean readToEnd(InputStream in, ByteArrayOutputStream out, int cap) throws IOException {
        byte[] buffer = new byte[8192];
        int n;
        while ((n = in.read(buffer)) >= 0) {
            synchronized (out) {
                int keep = Math.min(n, cap - out.size());
                out.write(buffer, 0, Math.max(0, keep));
                if (keep < n) {
                    return true;
                }
            }
        }
        return false;
    }

    private static byte[] copy(ByteArrayOutputStream out) {
        synchronized (out) {
            return out.toByteArray();
        }
    }

    private static ForwardResult refused(ForwardResult.Status status, int reason, String message, long started) {
        return new ForwardResult(status, new byte[0], reason, message, since(started));
    }

    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    private static Duration since(long started) {
        return Duration.ofNanos(System.nanoTime() - started);
    }
}
