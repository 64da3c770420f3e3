package io.sigkit.transport;

import java.util.Objects;

/**
 * Files on the payload, reached over SFTP when the server offers it and over plain exec otherwise (OpenSSH without a
 * {@code Subsystem sftp} line, Dropbear without {@code sftp-server}).
 *
 * <p>The mechanism is chosen once per SSH session, on first use. Operations over exec count as exec requests and appear
 * in the connection's transcript (purpose {@code file write}, {@code file read}, …); SFTP operations are counted by
 * {@link PayloadConnection#sftpOperations()}. Every failure is a {@link TransportException} naming the path and the
 * payload.
 */
public final class RemoteFiles {

    private final PayloadConnection connection;

    RemoteFiles(PayloadConnection connection) {
        this.connection = connection;
    }

    /**
     * How files are reached in the current session.
     *
     * @return {@code sftp} or {@code exec}
     */
    public String mechanism() {
        return connection.fileMechanism().name();
    }

    /**
     * Writes a file (created or truncated), sets its mode, and verifies the content on the payload.
     *
     * @param path the remote path
     * @param content the bytes
     * @param mode the permission bits, e.g. {@code 0644}
     * @throws TransportException if it cannot be written or the content read back differs
     */
    public void write(String path, byte[] content, int mode) {
        Objects.requireNonNull(content, "content");
        connection.fileMechanism().write(checkPath(path), content, checkMode(mode));
    }

    /**
     * Reads a whole file.
     *
     * @param path the remote path
     * @return its bytes
     * @throws TransportException if it cannot be read, or is larger than the connection's output cap (kind IO, saying
     *     how much was read and that nothing is returned): a payload's file never exhausts the kit's memory
     */
    public byte[] read(String path) {
        return connection.fileMechanism().read(checkPath(path));
    }

    /**
     * Whether anything (file, directory, link) exists at a path.
     *
     * @param path the remote path
     * @return true if it exists
     */
    public boolean exists(String path) {
        return connection.fileMechanism().exists(checkPath(path));
    }

    /**
     * Removes a file; an absent file is not an error.
     *
     * @param path the remote path
     * @return true if a file was removed, false if there was none
     * @throws TransportException if it exists but cannot be removed
     */
    public boolean delete(String path) {
        return connection.fileMechanism().delete(checkPath(path));
    }

    /**
     * Creates a directory with the given mode (its parent must exist).
     *
     * @param path the remote path
     * @param mode the permission bits, e.g. {@code 0755}
     * @throws TransportException if it cannot be created (also if it exists)
     */
    public void mkdir(String path, int mode) {
        connection.fileMechanism().mkdir(checkPath(path), checkMode(mode));
    }

    /**
     * Creates a directory as an uplink does, leaving its mode to the payload: its umask and any default ACL of the
     * parent apply, unchanged by an explicit mode (its parent must exist). This is how the bus creates
     * {@code /signaling/inbox/<user>/}, so a payload whose defaults make that directory unwritable is seen as it is.
     *
     * @param path the remote path
     * @throws TransportException if it cannot be created (also if it exists)
     */
    public void mkdir(String path) {
        connection.fileMechanism().mkdir(checkPath(path), FileMechanism.DEFAULT_MODE);
    }

    /**
     * Removes an empty directory.
     *
     * @param path the remote path
     * @throws TransportException if it cannot be removed
     */
    public void rmdir(String path) {
        connection.fileMechanism().rmdir(checkPath(path));
    }

    /** The failure of a read that went over the cap: says what was cut, and that nothing is returned. */
    static TransportException overCap(String path, SshTarget target, String mechanism, int cap, long seen) {
        String size = seen > cap + 1L ? seen + " bytes" : "more than " + cap + " bytes";
        return new TransportException(TransportException.Kind.IO, "cannot read " + path + " on " + target.login()
                + " over " + mechanism + ": the file holds " + size + ", over the read cap of " + cap
                + " bytes; the read was cut there and nothing is returned");
    }

    private static String checkPath(String path) {
        Objects.requireNonNull(path, "path");
        if (path.isBlank() || path.indexOf('\0') >= 0 || path.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("invalid remote path '" + path + "'");
        }
        return path;
    }

    private static int checkMode(int mode) {
        if (mode < 0 || mode > 07777) {
            throw new IllegalArgumentException("invalid file mode " + Integer.toOctalString(mode) + " (0 to 07777)");
        }
        return mode;
    }
}
