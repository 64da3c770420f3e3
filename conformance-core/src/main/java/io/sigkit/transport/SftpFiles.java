package io.sigkit.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
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

    private SftpFiles(SftpClient sftp, SshTarget target, AtomicInteger operations) {
        this.sftp = sftp;
        this.target = target;
        this.operations = operations;
    }

    /** Opens the SFTP subsystem, or returns empty if the server does not offer it. */
    static Optional<SftpFiles> tryOpen(ClientSession session, SshTarget target, AtomicInteger operations) {
        try {
            SftpClient client = SftpClientFactory.instance().createSftpClient(session);
            return Optional.of(new SftpFiles(client, target, operations));
        } catch (IOException | RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            LOG.info("{} offers no SFTP ({}: {}); files go over exec", target.login(), root.getClass().getSimpleName(),
                    Identities.summary(root));
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return "sftp";
    }

    @Override
    public void write(String path, byte[] content, int mode) {
        try {
            operations.incrementAndGet();
            try (OutputStream out = sftp.write(path, EnumSet.of(SftpClient.OpenMode.Write, SftpClient.OpenMode.Create,
                    SftpClient.OpenMode.Truncate))) {
                out.write(content);
            }
            operations.incrementAndGet();
            sftp.setStat(path, new SftpClient.Attributes().perms(mode));
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
        operations.incrementAndGet();
        try (InputStream in = sftp.read(path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw failure("read", path, e);
        }
    }

    @Override
    public boolean exists(String path) {
        operations.incrementAndGet();
        try {
            sftp.lstat(path);
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
        operations.incrementAndGet();
        try {
            sftp.remove(path);
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
            operations.incrementAndGet();
            sftp.mkdir(path);
            operations.incrementAndGet();
            sftp.setStat(path, new SftpClient.Attributes().perms(mode));
        } catch (IOException e) {
            throw failure("create directory", path, e);
        }
    }

    @Override
    public void rmdir(String path) {
        operations.incrementAndGet();
        try {
            sftp.rmdir(path);
        } catch (IOException e) {
            throw failure("remove directory", path, e);
        }
    }

    @Override
    public void close() {
        try {
            sftp.close();
        } catch (IOException e) {
            LOG.debug("closing sftp to {}: {}", target.login(), e.toString());
        }
    }

    private TransportException failure(String what, String path, IOException e) {
        String reason = e instanceof SftpException s ? describe(s) : Identities.summary(e);
        TransportException.Kind kind = e instanceof SftpException || sftp.isOpen()
                ? TransportException.Kind.IO : TransportException.Kind.CONNECTION_LOST;
        return new TransportException(kind, "cannot " + what + " " + path + " on " + target.login() + " over sftp: "
                + reason, e);
    }

    private static String describe(SftpException e) {
        String name = SftpConstants.getStatusName(e.getStatus());
        String message = e.getMessage();
        return message == null || message.isBlank() ? name : message + " (" + name + ")";
    }
}
