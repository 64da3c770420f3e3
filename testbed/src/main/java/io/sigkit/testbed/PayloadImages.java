package io.sigkit.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The reference payload and its broken variants as container images, built with Podman from Debian packages only by
 * {@code testbed/images/build-image} and cached by content hash (a second call returns at once).
 *
 * <pre>{@code
 * String image = PayloadImages.reference(line -> {});   // e.g. localhost/sigkit-reference:c9f24e9b581dafff
 * }</pre>
 */
public final class PayloadImages {

    /** Bound on one build: debootstrap and apt-get on a slow mirror, on 2 cores. */
    public static final Duration BUILD_TIMEOUT = Duration.ofMinutes(15);

    private static final Pattern IMAGE = Pattern.compile("localhost/sigkit-[a-z0-9-]+:[a-z0-9-]+");

    private PayloadImages() {
    }

    /** Why images cannot be built here, or "" when they can: root, podman, runc, slirp4netns and debootstrap. */
    public static String unavailableReason() {
        if (!"Linux".equals(System.getProperty("os.name"))) {
            return "payload images are built on Linux only";
        }
        List<String> missing = new ArrayList<>();
        for (String c : List.of("podman", "runc", "slirp4netns", "debootstrap")) {
            if (!onPath(c)) {
                missing.add(c);
            }
        }
        if (!missing.isEmpty()) {
            return "missing " + String.join(", ", missing)
                    + " (apt-get install podman runc slirp4netns uidmap debootstrap)";
        }
        String user = System.getProperty("user.name");
        if (!"root".equals(user)) {
            return "building payload images needs root (podman's rootful storage, debootstrap); running as " + user;
        }
        return "";
    }

    /** The reference payload's image, built if needed; {@code progress} gets the build's own messages. */
    public static String reference(Consumer<String> progress) {
        return build(List.of(), progress);
    }

    /** The image of a broken variant (testbed/payloads/variants.json), built if needed. */
    public static String variant(String name, Consumer<String> progress) {
        Variants.named(name); // an unknown name fails here, naming it
        return build(List.of("--variant", name), progress);
    }

    private static String build(List<String> options, Consumer<String> progress) {
        Objects.requireNonNull(progress, "progress");
        String reason = unavailableReason();
        if (!reason.isEmpty()) {
            throw new TestbedException("cannot build payload images: " + reason);
        }
        Path script = Testbed.home().resolve("images/build-image");
        if (!Files.isExecutable(script)) {
            throw new TestbedException("no executable " + script);
        }
        List<String> cmd = new ArrayList<>(List.of(script.toString()));
        cmd.addAll(options);
        try {
            Process p = new ProcessBuilder(cmd).start();
            p.getOutputStream().close();
            Deque<String> lastLines = new ArrayDeque<>();
            CompletableFuture<Void> errors = CompletableFuture.runAsync(() -> forward(p, progress, lastLines));
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(p.getInputStream().readNBytes(4096), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return "";
                }
            });
            if (!p.waitFor(BUILD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();
                p.waitFor(10, TimeUnit.SECONDS);
                p.destroyForcibly();
                throw new TestbedException("build-image " + String.join(" ", options) + " did not finish within "
                        + BUILD_TIMEOUT.toMinutes() + " min");
            }
            errors.get(10, TimeUnit.SECONDS);
            String image = out.get(10, TimeUnit.SECONDS).strip();
            if (p.exitValue() != 0 || !IMAGE.matcher(image).matches()) {
                synchronized (lastLines) {
                    throw new TestbedException("build-image " + String.join(" ", options) + " failed (exit "
                            + p.exitValue() + "): " + String.join(" / ", lastLines));
                }
            }
            return image;
        } catch (IOException e) {
            throw new TestbedException("cannot run " + script + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TestbedException("interrupted while building a payload image", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new TestbedException("build-image's output could not be read: " + e.getMessage(), e);
        }
    }

    private static void forward(Process p, Consumer<String> progress, Deque<String> lastLines) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String clean = line.replaceAll("[\\x00-\\x1f\\x7f]", "?");
                synchronized (lastLines) {
                    lastLines.addLast(clean);
                    if (lastLines.size() > 8) {
                        lastLines.removeFirst();
                    }
                }
                progress.accept(clean);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private static boolean onPath(String command) {
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
