package io.sigkit.transport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process MINA SSHD server on 127.0.0.1 for the transport's fast unit tests: a random port, TCP_NODELAY, an
 * ed25519 host key generated here, commands run by {@code /bin/sh -c} as the current user, SFTP on or off.
 *
 * <p>Like OpenSSH, it sends the exit status as soon as the shell exits and closes the channel only when the command's
 * output reaches EOF, so a background job that holds stdout keeps the channel open.
 */
final class InProcessServerTestCase implements AutoCloseable {

    private final SshServer server;
    private final List<KeyPair> hostKeys;
    private final List<PublicKey> authorized = new CopyOnWriteArrayList<>();
    private final List<String> commands = new CopyOnWriteArrayList<>();
    private final AtomicInteger sessions = new AtomicInteger();
    private volatile String password;

    private InProcessServerTestCase(boolean sftp, boolean forwarding, List<KeyPair> hostKeys) throws IOException {
        this.hostKeys = hostKeys;
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(KeyPairProvider.wrap(hostKeys));
        CoreModuleProperties.TCP_NODELAY.set(server, true);
        server.setPublickeyAuthenticator((user, key, session) -> authorized.stream().anyMatch(k -> KeyUtils.compareKeys(k, key)));
        server.setPasswordAuthenticator((user, pw, session) -> pw.equals(password));
        server.setCommandFactory((channel, command) -> {
            commands.add(command);
            return new ShellCommand(command);
        });
        server.setSubsystemFactories(sftp ? List.of(new SftpSubsystemFactory()) : List.of());
        if (forwarding) {
            server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
        }
        server.addSessionListener(new org.apache.sshd.common.session.SessionListener() {
            @Override
            public void sessionCreated(org.apache.sshd.common.session.Session session) {
                sessions.incrementAndGet();
            }
        });
        server.start();
    }

    /** A server with SFTP and an ed25519 host key. */
    static InProcessServerTestCase start() {
        return start(true);
    }

    /** A server with an ed25519 host key, with or without the SFTP subsystem. */
    static InProcessServerTestCase start(boolean sftp) {
        return start(sftp, false, List.of(generate(KeyPairProvider.SSH_ED25519, 256)));
    }

    /** A server that allows direct-tcpip forwarding, to act as a bastion. */
    static InProcessServerTestCase startBastion() {
        return start(false, true, List.of(generate(KeyPairProvider.SSH_ED25519, 256)));
    }

    static InProcessServerTestCase start(boolean sftp, boolean forwarding, List<KeyPair> hostKeys) {
        try {
            return new InProcessServerTestCase(sftp, forwarding, hostKeys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KeyPair generate(String type, int bits) {
        try {
            return KeyUtils.generateKeyPair(type, bits);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    int port() {
        return server.getPort();
    }

    SshTarget target(String user) {
        return new SshTarget(user, "127.0.0.1", port());
    }

    /** Accepts this public key (an OpenSSH {@code .pub} file) for any user. */
    InProcessServerTestCase authorize(Path publicKeyFile) {
        try {
            String line = Files.readString(publicKeyFile, StandardCharsets.UTF_8).strip();
            authorized.add(PublicKeyEntry.parsePublicKeyEntry(line).resolvePublicKey(null, null, PublicKeyEntryResolver.FAILING));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return this;
    }

    InProcessServerTestCase authorize(PublicKey key) {
        authorized.add(key);
        return this;
    }

    InProcessServerTestCase acceptPassword(String pw) {
        this.password = pw;
        return this;
    }

    /** The known_hosts lines for this server's host keys. */
    String knownHostsLines() {
        StringBuilder sb = new StringBuilder();
        for (KeyPair k : hostKeys) {
            sb.append(knownHostsLine(k.getPublic())).append('\n');
        }
        return sb.toString();
    }

    String knownHostsLine(PublicKey key) {
        return "[127.0.0.1]:" + port() + " " + PublicKeyEntry.toString(key);
    }

    String fingerprint() {
        return KnownHostsVerifier.fingerprint(hostKeys.get(0).getPublic());
    }

    List<KeyPair> hostKeys() {
        return hostKeys;
    }

    /** Commands received so far, verbatim. */
    List<String> commands() {
        return List.copyOf(commands);
    }

    int sessionsCreated() {
        return sessions.get();
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }

    /** Runs a command line with {@code /bin/sh -c}, pumping stdin, stdout and stderr. */
    private static final class ShellCommand implements Command {
        private final String command;
        private InputStream in;
        private OutputStream out;
        private OutputStream err;
        private ExitCallback exit;
        private volatile Process process;

        ShellCommand(String command) {
            this.command = command;
        }

        @Override
        public void setInputStream(InputStream in) {
            this.in = in;
        }

        @Override
        public void setOutputStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void setErrorStream(OutputStream err) {
            this.err = err;
        }

        @Override
        public void setExitCallback(ExitCallback callback) {
            this.exit = callback;
        }

        @Override
        public void start(ChannelSession channel, Environment env) throws IOException {
            // stdout and stderr go through FIFOs, not Java's process pipes: the JDK drains and closes those when the
            // shell exits, whereas a real sshd keeps reading until every holder of the pipe (a background job) closes it
            Path fifos = Files.createTempDirectory("sigkit-sh");
            Path outFifo = fifos.resolve("out");
            Path errFifo = fifos.resolve("err");
            ClientKeyTestCase.run(List.of("mkfifo", outFifo.toString(), errFifo.toString()));
            Thread stdout = daemon("stdout", () -> pumpFifo(outFifo, out));
            Thread stderr = daemon("stderr", () -> pumpFifo(errFifo, err));
            ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", command)
                    .redirectOutput(outFifo.toFile()).redirectError(errFifo.toFile());
            process = pb.start();
            Process p = process;
            daemon("stdin", () -> {
                try (OutputStream target = p.getOutputStream()) {
                    in.transferTo(target);
                } catch (IOException e) {
                    // the command stopped reading, or the channel closed
                }
            });
            daemon("waiter", () -> {
                try {
                    int status = p.waitFor();
                    sendExitStatus(channel, status);
                    stdout.join();
                    stderr.join();
                    Files.deleteIfExists(outFifo);
                    Files.deleteIfExists(errFifo);
                    Files.deleteIfExists(fifos);
                    exit.onExit(status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    exit.onExit(255, e.getMessage());
                }
            });
        }

        private static void pumpFifo(Path fifo, OutputStream to) {
            try (InputStream from = Files.newInputStream(fifo)) {
                pump(from, to);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private static void sendExitStatus(ChannelSession channel, int status) throws IOException {
            Buffer b = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            b.putUInt(channel.getRecipient());
            b.putString("exit-status");
            b.putBoolean(false);
            b.putUInt(status);
            channel.writePacket(b);
        }

        private static void pump(InputStream from, OutputStream to) {
            byte[] buf = new byte[32 * 1024];
            try {
                for (int n = from.read(buf); n >= 0; n = from.read(buf)) {
                    to.write(buf, 0, n);
                    to.flush();
                }
            } catch (IOException e) {
                // channel closed: keep draining the pipe so the command is not blocked
                try {
                    from.transferTo(OutputStream.nullOutputStream());
                } catch (IOException ignored) {
                    // process gone
                }
            }
        }

        private static Thread daemon(String name, Runnable r) {
            Thread t = new Thread(r, "sh-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        @Override
        public void destroy(ChannelSession channel) {
            Process p = process;
            if (p != null && p.isAlive()) {
                List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
                tree.forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                try {
                    p.waitFor(2, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
