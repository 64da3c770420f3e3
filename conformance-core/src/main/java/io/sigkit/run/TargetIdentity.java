package io.sigkit.run;

/**
 * Who the kit certified: the address and host key it talked to, the signaling user and its login shell, the OS, and
 * the exact payload_exec (by SHA-256). Unknown values are empty strings.
 */
public record TargetIdentity(String address, String serverVersion, String hostKeyType, String hostKeyFingerprint,
                             String user, String loginShell, String os, String payloadExecSha256) {
    public TargetIdentity {
        address = nz(address);
        serverVersion = nz(serverVersion);
        hostKeyType = nz(hostKeyType);
        hostKeyFingerprint = nz(hostKeyFingerprint);
        user = nz(user);
        loginShell = nz(loginShell);
        os = nz(os);
        payloadExecSha256 = nz(payloadExecSha256);
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }
}
