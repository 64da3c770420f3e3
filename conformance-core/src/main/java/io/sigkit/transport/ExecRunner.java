package io.sigkit.transport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.Channel;
import org.apache.sshd.common.channel.ChannelListener;
import org.apache.sshd.common.future.CancelOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one command as the bus does: an exec channel through the login shell, no pseudo-terminal, stdin fed then EOF,
 * stdout and stderr each kept up to a cap (the rest drained and counted), timed to the exit status and to the channel's
 * close, every call bounded by its timeout and recorded in the transcript.
 */
final class ExecRunner {

    private static final Logger LOG = LoggerFactory.getLogger(ExecRunner.class);
    private static final Duration GRACEFUL_CLOSE_WAIT = Duration.ofMillis(500);

    private final SshTarget target;
    private final Duration defaultTimeout;
    private final ExecutorService workers;
    private final AtomicInteger execRequests;
    private final List<TranscriptEntry> transcript;
    private final BiFunction<Integer, Throwable, TransportException> lost;

    /**
     * Creates the runner of one connection.
     *
     * @param lost makes the CONNECTION_LOST failure for a session index and a cause (may be null)
     */
    ExecRunner(SshTarget target, Duration defaultTimeout, ExecutorService workers, AtomicInteger execRequests,
            List<TranscriptEntry> transcript, BiFunction<Integer, Throwable, TransportException> lost) {
        this.target = target;
        this.defaultTimeout = defaultTimeout;
        this.workers = workers;
        this.execRequests = execRequests;
        this.transcript = transcript;
        this.lost = lost;
    }

    /** Event times of one channel, in {@link System#nanoTime()}; 0 until the event happens. */
    private static final class ChannelTimes implements ChannelListener {
        volatile long opened;
        volatile long exited;
        volatile long closed;

        @Override
        public void channelOpenSuccess(Channel channel) {
            opened = System.nanoTime();
        }

        @Override
        public void channelStateChanged(Channel channel, String hint) {
            if (exited == 0 && channel instanceof ChannelExec exec
                    && (exec.getExitStatus() != null || exec.getExitSignal() != null)) {
                exited = System.nanoTime();
            }
        }

        @Override
        public void channelClosed(Channel channel, Throwable reason) {
            if (closed == 0) {
                closed = System.nanoTime();
            }
        }
    }

    PayloadConnection.Raw run(ClientSession s, int index, ExecRequest request, int cap) {
        Duration timeout = request.timeout() != null ? request.timeout() : defaultTimeout;
        if (s == null || !s.isOpen()) {
            throw lost.apply(index, null);
        }
        Instant startedAt = Instant.now();
        long begin = System.nanoTime();
        long deadline = begin + timeout.toNanos();
        OutputCapture out = new OutputCapture(cap);
        OutputCapture err = new OutputCapture(cap);
        ChannelTimes times = new ChannelTimes();
        ChannelExec channel;
        try {
            channel = s.createExecChannel(request.command(), StandardCharsets.UTF_8, null, Collections.emptyMap());
        } catch (IOException e) {
            throw lost.apply(index, e);
        }
        channel.setUsePty(false);
        channel.setOut(out);
        channel.setErr(err);
        channel.addChannelListener(times);
        execRequests.incrementAndGet();
        boolean timedOut;
        try {
            OpenFuture open = channel.open();
            if (!open.await(remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT)) {
                timedOut = true;
            } else if (!open.isOpened()) {
                record(index, request, null, null, null, false, startedAt);
                if (!s.isOpen()) {
                    throw lost.apply(index, open.getException());
                }
                throw new TransportException(TransportException.Kind.IO, "cannot open a channel on "
                        + target.login() + " for: " + request.command() + ": "
                        + Identities.summary(open.getException() == null ? new IOException("refused") : open.getException()));
            } else {
                feedStdin(channel, request);
                Set<ClientChannelEvent> events = channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
                timedOut = !events.contains(ClientChannelEvent.CLOSED);
            }
        } catch (IOException e) {
            closeChannel(channel);
            record(index, request, null, null, null, false, startedAt);
            if (s.isOpen()) {
                throw new TransportException(TransportException.Kind.IO, "call on " + target.login()
                        + " failed: " + request.command() + ": " + Identities.summary(e), e);
            }
            throw lost.apply(index, e);
        }
        if (timedOut) {
            closeChannel(channel);
        }
        long origin = times.opened != 0 ? times.opened : begin;
        Integer exitStatus = channel.getExitStatus();
        String exitSignal = channel.getExitSignal();
        Duration toExit = times.exited != 0 ? Duration.ofNanos(Math.max(0, times.exited - origin)) : null;
        Duration toClose = timedOut ? null
                : Duration.ofNanos(Math.max(0, (times.closed != 0 ? times.closed : System.nanoTime()) - origin));
        if (!timedOut && exitStatus == null && exitSignal == null && !s.isOpen()) {
            record(index, request, null, null, null, false, startedAt);
            throw lost.apply(index, null);
        }
        byte[] stdout = out.bytes();
        ExecResult result = new ExecResult(index, request.command(), exitStatus, exitSignal,
                new String(stdout, StandardCharsets.UTF_8), new String(err.bytes(), StandardCharsets.UTF_8),
                out.truncated(), err.truncated(), toExit, toClose, timedOut);
        record(index, request, exitStatus, toExit, toClose, timedOut, startedAt);
        if (timedOut) {
            LOG.warn("session {}: no channel close within {} for: {} (exit status {}); stopped waiting", index,
                    ConnectDiagnosis.seconds(timeout), request.command(), exitStatus);
        } else if (LOG.isDebugEnabled()) {
            LOG.debug("session {}: exit {}{} in {} ms (close {} ms), out {} B{}, err {} B{}: {}", index, exitStatus,
                    exitSignal == null ? "" : " signal " + exitSignal, toExit == null ? -1 : toExit.toMillis(),
                    toClose.toMillis(), out.total(), out.truncated() ? " (truncated)" : "", err.total(),
                    err.truncated() ? " (truncated)" : "", request.command());
        }
        return new PayloadConnection.Raw(result, stdout, out.total());
    }

    private void feedStdin(ChannelExec channel, ExecRequest request) throws IOException {
        byte[] stdin = request.stdin();
        OutputStream in = channel.getInvertedIn();
        if (stdin.length == 0) {
            in.close();
            return;
        }
        workers.execute(() -> {
            try (OutputStream o = in) {
                o.write(stdin);
                o.flush();
            } catch (IOException e) {
                LOG.debug("stdin of '{}' not fully written: {}", request.command(), e.toString());
            }
        });
    }

    private static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
    }

    private static void closeChannel(ChannelExec channel) {
        try {
            channel.close(false).await(GRACEFUL_CLOSE_WAIT);
        } catch (IOException e) {
            LOG.debug("closing channel: {}", e.toString());
        } finally {
            channel.close(true);
        }
    }

    private void record(int index, ExecRequest request, Integer exitStatus, Duration toExit, Duration toClose,
            boolean timedOut, Instant startedAt) {
        transcript.add(new TranscriptEntry(index, request.command(), exitStatus, toExit, toClose, timedOut, startedAt,
                request.purpose()));
    }
}
