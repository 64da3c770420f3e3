package io.sigkit.transport;

import io.sigkit.text.SafeText;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Remote files over the SFTP subsystem of the current session. */
final class SftpFiles implements FileMechanism {

    private static final Logger LOG = LoggerFactory.getLogger(SftpFiles.class);

    private final SftpClient sftp;
    private final SshTarget target;
    private final AtomicInteger operations;
    private final ExecutorService executor;
    private final Duration timeout;
    private final int readCap;
    private volatile boolean broken;

    private SftpFiles(SftpClient sftp, SshTarget target, AtomicInteger operations, ExecutorService executor,
            Duration timeout, int readCap) {
        this.sftp = sftp;
        this.readCap = readCap;
        this.target = target;
        this.operations = operations;
        this.executor = executor;
        this.timeout = timeout;
    }

    /**
     * Opens the SFTP subsystem, or returns empty if the server does not offer it.
     *
     * @param executor runs each operation, so that the caller can stop waiting at the timeout (MINA's SFTP client waits
     *     for a reply as long as the session's idle timeout, which the kit disables)
     * @param timeout bound on each operation
     * @param readCap the largest file {@link #read} returns; a larger one fails, never exhausting memory
     */
    static Optional<SftpFiles> tryOpen(ClientSession session, SshTarget target, AtomicInteger operations,
            ExecutorService executor, Duration timeout, int readCap) {
        try {
            SftpClient client = SftpClientFactory.instance().createSftpClient(session);
            return Optional.of(new SftpFiles(client, target, operations, executor, timeout, readCap));
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            boolean timedOut = false;
            for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
                root = t;
                String m = String.valueOf(t.getMessage()).toLowerCase(java.util.Locale.ROOT);
                timedOut |= t instanceof java.net.SocketTimeoutException || t instanceof TimeoutException
                        || m.contains("timeout") || m.contains("timed out");
            }
            if (timedOut) {
                // no answer is not a refusal: do not settle on exec for the whole session
                throw new TransportException(TransportException.Kind.TIMEOUT, "cannot open SFTP on " + target.login()
                        + ": no answer (" + Identities.summary(root) + ")", e);
            }
            LOG.info("{} offers no SFTP ({}: {}); files go over exec", target.login(), root.getClass().getSimpleName(),
                    SafeText.escapeLine(Identities.summary(root)));
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public boolean usable() {
        return !broken && sftp.isOpen();
    }

    /** One SFTP operation, as the SFTP client's own code would throw it. */
    private interface Operation<T> {
        T run() throws IOException;
    }

    /**
     * Runs an operation, giving up at the timeout: the SFTP channel is then closed (the connection will open a new one,
     * or fall back to exec, on the next file operation).
     */
    private <T> T bounded(String what, String path, Operation<T> op) throws IOException {
        Future<T> f = executor.submit(op::run);
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            broken = true;
            close();
            throw new TransportException(TransportException.Kind.TIMEOUT, "cannot " + what + " " + path + " on "
                    + target.login() + " over sftp: no answer within " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new InterruptedIOException("interrupted while waiting to " + what + " " + path);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IOException(cause);
        }
    }

    @Override
    public void write(String path, byte[] content, int mode) {
        try {
            bounded("write", path, () -> {
                operations.incrementAndGet();
                try (OutputStream out = sftp.write(path, EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                        SftpClient.OpenMode.Truncate))) {
                    out.write(content);
                }
                operations.incrementAndGet();
                sftp.setStat(path, new SftpClient.Attributes().perms(mode));
                return null;
            });
        } catch (IOException e) {
            throw failure("write", path, e);
        }
        byte[] back = read(path);
        if (!Arrays.equals(back, content)) {
            throw new TransportException(TransportException.Kind.IO, "content of " + path + " on " + target.login()
                    + " differs after writing over sftp (wrote " + content.length + " bytes, read back " + back.length + ")");
        }
    }

    @Override
    public byte[] read(String path) {
        try {
            return bounded("read", path, () -> {
                operations.incrementAndGet();
                try (InputStream in = sftp.read(path)) {
                    byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8L, readCap + 1L));
                    if (bytes.length > readCap) {
                        throw RemoteFiles.overCap(path, target, "sftp", readCap, bytes.length);
                    }
                    return bytes;
                }
            });
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public boolean exists(String path) {
        try {
            bounded("check", path, () -> {
                operations.incrementAndGet();
                return sftp.lstat(path);
            });
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw failure("check", path, e);
        } catch (IOException e) {
            throw failure("check", path, e);
        }
    }

    @Override
    public boolean delete(String path) {
        try {
            bounded("delete", path, () -> {
                operations.incrementAndGet();
                sftp.remove(path);
                return null;
            });
            return true;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return false;
            }
            throw failure("delete", path, e);
        } catch (IOException e) {
            throw failure("delete", path, e);
        }
    }

    @Override
    public void mkdir(String path, int mode) {
        try {
            bounded("create directory", path, () -> {
                operations.incrementAndGet();
                sftp.mkdir(path);
                if (mode != DEFAULT_MODE) {
                    operations.incrementAndGet();
                    sftp.setStat(path, new SftpClient.Attributes().perms(mode));
                }
                return null;
            });
        } catch (IOException e) {
            throw failure("create directory", path, e);
        }
    }

    @Override
    public void rmdir(String path) {
        try {
            bounded("remove directory", path, () -> {
                operations.incrementAndGet();
                sftp.rmdir(path);
                return null;
            });
        } catch (IOException e) {
            throw failure("remove directory", path, e);
        }
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            LOG.debug("closing sftp to {}: {}", target.login(), SafeText.escapeLine(e.toString()));
        }
    }

    private TransportException failure(String what, String path, IOException e) {
        String reason = e instanceof SftpException s ? describe(s) : Identities.summary(e);
        TransportException.Kind kind = e instanceof SftpException || sftp.isOpen() ? TransportException.Kind.IO
                : TransportException.Kind.CONNECTION_LOST;
        return new TransportException(kind, "cannot " + what + " " + path + " on " + target.login() + " over sftp: "
                + reason, e);
    }

    private static String describe(SftpException e) {
        String name = SftpConstants.getStatusName(e.getStatus());
        String message = e.getMessage();
        return message == null || message.isBlank() ? name : message + " (" + name + ")";
    }
}
