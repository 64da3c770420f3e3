package io.sigkit.testcontainers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Version;
import com.github.dockerjava.api.model.VersionComponent;
import java.util.Locale;

/** What the container engine behind the Docker API is. */
final class Engines {

    private Engines() {
    }

    /** Whether the engine is Podman (its version lists a "Podman Engine" component). */
    static boolean isPodman(DockerClient client) {
        Version version = client.versionCmd().exec();
        if (version.getComponents() != null) {
            for (VersionComponent c : version.getComponents()) {
                if (c.getName() != null && c.getName().toLowerCase(Locale.ROOT).contains("podman")) {
                    return true;
                }
            }
        }
        return false;
    }
}
