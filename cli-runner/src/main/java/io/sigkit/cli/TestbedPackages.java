package io.sigkit.cli;

import io.sigkit.testbed.Testbed;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes this host able to run the testbed for {@code sigkit demo}: asks the testbed's own
 * {@code payload-sandbox check} what is missing and installs the apt packages it names, saying so.
 */
final class TestbedPackages {
    private static final Pattern APT_GET = Pattern.compile("\\(apt-get install ([a-z0-9.+\\- ]+)\\)");
    private static final Pattern ONE_PACKAGE = Pattern.compile("install the apt package ([a-z0-9.+\\-]+)");
    private static final int CHECK_MISSING = 3;
    private static final long CHECK_SECONDS = 60;
    private static final long APT_SECONDS = 900;

    private TestbedPackages() {
    }

    /**
     * Installs what the testbed says is missing until its check passes.
     *
     * @param say where to tell the user what is being installed
     * @throws CliError naming what is wrong when the host cannot run the testbed (not Linux, not root) or the
     *                  packages cannot be installed
     */
    static void ensure(Consumer<String> say) {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            throw CliError.usage("sigkit demo needs Linux: it starts a throwaway payload in Linux namespaces (this is "
                    + System.getProperty("os.name") + "); use 'sigkit certify' on a payload of yours");
        }
        Set<String> installed = new LinkedHashSet<>();
        for (int round = 0; round < 5; round++) {
            Result check = run(List.of("bash", Testbed.sandboxScript().toString(), "check", "--all"), CHECK_SECONDS);
            if (check.exit() == 0) {
                return;
            }
            String why = check.output().strip().replaceFirst("^payload-sandbox: ", "");
            List<String> packages = packages(why);
            if (check.exit() != CHECK_MISSING || packages.isEmpty()) {
                throw CliError.usage("sigkit demo cannot start a payload on this host: " + ExitCodes.oneLine(why)
                        + (why.contains("root") ? " (run it as root, e.g. with sudo)" : ""));
            }
            if (installed.containsAll(packages)) {
                throw CliError.usage("sigkit demo installed " + String.join(" ", packages) + " but the testbed still"
                        + " reports: " + ExitCodes.oneLine(why));
            }
            say.accept("the testbed needs the apt package(s) " + String.join(" ", packages)
                    + ", which are missing: installing them (apt-get install -y --no-install-recommends "
                    + String.join(" ", packages) + ")");
            aptInstall(packages, say);
            installed.addAll(packages);
        }
        throw CliError.usage("sigkit demo could not make this host able to run the testbed (installed "
                + String.join(" ", installed) + ")");
    }

    /**
     * Installs what building and running the payload images needs ({@code sigkit demo --engine podman}): podman,
     * runc, slirp4netns, uidmap and debootstrap, those missing, saying so.
     */
    static void ensureContainerTools(Consumer<String> say) {
        String why = io.sigkit.testbed.PayloadImages.unavailableReason();
        if (why.isEmpty()) {
            return;
        }
        if (!why.startsWith("missing ")) {
            throw CliError.usage("sigkit demo --engine cannot build the reference image here: " + why);
        }
        List<String> packages = new ArrayList<>();
        for (String c : why.substring("missing ".length(), why.indexOf(" (")).split(",\\s*")) {
            packages.add(c.strip());
        }
        packages.add("uidmap");
        say.accept("building and running payload images needs the apt package(s) " + String.join(" ", packages)
                + ": installing them (apt-get install -y --no-install-recommends " + String.join(" ", packages) + ")");
        aptInstall(packages, say);
        String still = io.sigkit.testbed.PayloadImages.unavailableReason();
        if (!still.isEmpty()) {
            throw CliError.usage("sigkit demo installed " + String.join(" ", packages) + " but still: " + still);
        }
    }

    /** The apt packages named in a payload-sandbox "missing" message. */
    static List<String> packages(String message) {
        Matcher m = APT_GET.matcher(message);
        if (m.find()) {
            return List.of(m.group(1).strip().split("\\s+"));
        }
        Matcher one = ONE_PACKAGE.matcher(message);
        return one.find() ? List.of(one.group(1)) : List.of();
    }

    private static void aptInstall(List<String> packages, Consumer<String> say) {
        List<String> install = new ArrayList<>(List.of("apt-get", "install", "-y", "-q", "--no-install-recommends"));
        install.addAll(packages);
        Result first = run(install, APT_SECONDS);
        if (first.exit() == 0) {
            return;
        }
        say.accept("apt-get install failed (exit " + first.exit() + "); running apt-get update and trying again");
        Result update = run(List.of("apt-get", "update", "-q"), APT_SECONDS);
        Result second = update.exit() == 0 ? run(install, APT_SECONDS) : update;
        if (second.exit() != 0) {
            throw CliError.usage("cannot install " + String.join(" ", packages) + " with apt-get (exit " + second.exit()
                    + "): " + ExitCodes.oneLine(tail(second.output())) + "; install them yourself and run sigkit demo"
                    + " again");
        }
    }

    private static String tail(String s) {
        String t = s.strip();
        return t.length() <= 400 ? t : "…" + t.substring(t.length() - 400);
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, long timeoutSeconds) {
        Path log = null;
        try {
            log = Files.createTempFile("sigkit-demo-", ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw CliError.usage(String.join(" ", command) + " did not finish within " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw CliError.usage("cannot run " + command.get(0) + ": " + ExitCodes.summary(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliError.usage("interrupted while running " + String.join(" ", command));
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file; nothing to do
                }
            }
        }
    }
}
