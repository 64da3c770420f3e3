package io.sigkit.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Facts about this kit build. */
public final class Kit {
    /** This kit's version, from the build. */
    public static final String VERSION = load();

    private Kit() {
    }

    private static String load() {
        try (InputStream in = Kit.class.getResourceAsStream("/io/sigkit/kit.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            String v = p.getProperty("version", "unknown");
            return v.startsWith("${") ? "development" : v;
        } catch (IOException e) {
            return "unknown";
        }
    }
}
