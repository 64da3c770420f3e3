package io.sigkit.run;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Properties;

/** Facts about this kit build: what a report must say so that a receiver can tell exactly which kit produced it. */
public final class Kit {
    /** This kit's version, from the build. */
    public static final String VERSION;
    /** The git commit the kit was built from (40 hex digits), or {@code unknown} (a tree without git). */
    public static final String COMMIT;
    /** Whether the tree had uncommitted changes when built; {@code null} when unknown. */
    public static final Boolean DIRTY;

    static {
        Properties p = properties();
        VERSION = p.getProperty("version", "unknown").startsWith("${") ? "development"
                : p.getProperty("version", "unknown");
        String commit = p.getProperty("commit", "");
        COMMIT = commit.matches("[0-9a-f]{40}") ? commit : "unknown";
        String dirty = p.getProperty("dirty", "").strip().toLowerCase(Locale.ROOT);
        DIRTY = COMMIT.equals("unknown") ? null
                : dirty.equals("true") ? Boolean.TRUE : dirty.equals("false") ? Boolean.FALSE : null;
    }

    private Kit() {
    }

    /**
     * Which kit this is: version, commit, dirty flag, and the running jar with its SHA-256.
     *
     * @param version the version from the build
     * @param commit the git commit, or {@code unknown}
     * @param dirty whether the built tree had uncommitted changes; {@code null} when unknown
     * @param jar the running jar's file name and SHA-256, or {@code null} when the kit does not run from a jar (classes
     *     in a build directory)
     */
    public record Provenance(String version, String commit, Boolean dirty, Jar jar) {
        /** One line for people: {@code 0.1.0 (commit 2b80db7c…, clean; sigkit.jar sha256 3f0a…)}. */
        public String describe() {
            return version + " (commit " + (commit.equals("unknown") ? "unknown" : commit.substring(0, 12))
                    + (dirty == null ? "" : dirty ? ", dirty tree" : ", clean tree")
                    + (jar == null ? "; not run from a jar" : "; " + jar.name() + " sha256 " + jar.sha256()) + ")";
        }
    }

    /**
     * A jar file by name and content.
     *
     * @param name the file name (no directory: where it lies says nothing about what it is)
     * @param sha256 its SHA-256, lowercase hex
     */
    public record Jar(String name, String sha256) {
    }

    /** This kit's provenance (the running jar is hashed once, on the first call). */
    public static Provenance provenance() {
        return Lazy.PROVENANCE;
    }

    /**
     * Starts hashing the running jar on a background thread, so that the reports written after a run do not wait for it
     * (a jar of tens of megabytes takes a noticeable part of a second).
     */
    public static void prefetchProvenance() {
        Thread t = new Thread(Kit::provenance, "sigkit-provenance");
        t.setDaemon(true);
        t.start();
    }

    private static final class Lazy {
        static final Provenance PROVENANCE = new Provenance(VERSION, COMMIT, DIRTY, runningJar());
    }

    private static Properties properties() {
        Properties p = new Properties();
        try (InputStream in = Kit.class.getResourceAsStream("/io/sigkit/kit.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            // no properties: every fact is "unknown"
        }
        return p;
    }

    /** The jar this class was loaded from, hashed; {@code null} when it was loaded from a directory. */
    private static Jar runningJar() {
        CodeSource source = Kit.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) {
            return null;
        }
        try {
            Path file = Path.of(source.getLocation().toURI());
            if (!Files.isRegularFile(file)) {
                return null;
            }
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[1 << 16];
                for (int n; (n = in.read(buffer)) > 0; ) {
                    sha256.update(buffer, 0, n);
                }
            }
            return new Jar(file.getFileName().toString(), HexFormat.of().formatHex(sha256.digest()));
        } catch (URISyntaxException | IllegalArgumentException | IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
