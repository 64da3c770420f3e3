package io.sigkit.transport;

/** How {@link RemoteFiles} reaches the payload's files in one session: SFTP or plain exec. */
interface FileMechanism {

    String name();

    void write(String path, byte[] content, int mode);

    byte[] read(String path);

    boolean exists(String path);

    boolean delete(String path);

    void mkdir(String path, int mode);

    void rmdir(String path);

    void close();
}
