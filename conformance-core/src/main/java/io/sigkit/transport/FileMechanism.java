package io.sigkit.transport;

/** How {@link RemoteFiles} reaches the payload's files in one session: SFTP or plain exec. */
interface FileMechanism {

    String name();

    /** Whether it can still be used in this session (an SFTP channel given up on after a timeout cannot). */
    boolean usable();

    void write(String path, byte[] content, int mode);

    byte[] read(String path);

    boolean exists(String path);

    boolean delete(String path);

    /** A mode for {@link #mkdir} meaning: none given, the payload's umask and default ACLs decide. */
    int DEFAULT_MODE = -1;

    void mkdir(String path, int mode);

    void rmdir(String path);

    void close();
}
