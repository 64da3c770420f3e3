package io.sigkit.testbed;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.testbed.junit.Payload;
import io.sigkit.testbed.junit.RequiresTestbed;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The testbed contains its payload: no payload process, not even root inside, can mount, load modules, reach a block
 * device or set the clock (its capability bounding set lacks what that needs); sudo runs the recording stand-ins and nothing else; the host never follows a symlink the
 * payload planted.
 */
@RequiresTestbed
class ContainmentTests {

    /** Capabilities no process inside may ever hold, with their bit numbers (linux/capability.h). */
    private static final Map<String, Integer> DROPPED = new LinkedHashMap<>();

    static {
        DROPPED.put("cap_dac_read_search", 2);
        DROPPED.put("cap_net_admin", 12);
        DROPPED.put("cap_net_raw", 13);
        DROPPED.put("cap_sys_module", 16);
        DROPPED.put("cap_sys_rawio", 17);
        DROPPED.put("cap_sys_ptrace", 19);
        DROPPED.put("cap_sys_admin", 21);
        DROPPED.put("cap_sys_boot", 22);
        DROPPED.put("cap_sys_time", 25);
        DROPPED.put("cap_mknod", 27);
        DROPPED.put("cap_syslog", 34);
        DROPPED.put("cap_perfmon", 38);
        DROPPED.put("cap_bpf", 39);
    }

    private static final Set<String> STAND_INS = Set.of("/usr/local/sbin/date", "/usr/local/sbin/hwclock",
            "/usr/local/sbin/timedatectl", "/usr/local/sbin/shutdown", "/usr/local/sbin/halt",
            "/usr/local/sbin/poweroff", "/usr/local/sbin/reboot");

    private static final String CALLS_LOG = "/var/log/sigkit-testbed-calls.log";

    @Test
    void no_payload_process_holds_an_admin_capability_under_openssh_or_dropbear(@Payload RunningPayload openssh,
            @Payload(server = SshServerKind.DROPBEAR, shell = LoginShell.ASH, netns = true) RunningPayload dropbear) {
        for (RunningPayload payload : List.of(openssh, dropbear)) {
            // WHEN the signaling user's session, the SSH server (PID 1) and root inside report their bounding sets
            CommandResult session = OpenSsh.ssh(payload, "grep CapBnd /proc/self/status /proc/1/status");
            CommandResult root = payload.exec("grep", "CapBnd", "/proc/self/status");

            // THEN none of them may ever gain a dropped capability, not even through sudo
            assertThat(session.exitStatus()).as("%s: %s", payload.server(), session.stderr()).isZero();
            assertThat(root.exitStatus()).as("root inside: %s", root.stderr()).isZero();
            for (String line : (session.stdout() + root.stdout()).strip().split("\n")) {
                assertThat(heldOf(line)).as("%s: %s", payload.server(), line).isEmpty();
            }
        }
    }

    @Test
    void mounting_and_device_nodes_fail_for_the_signaling_user_and_for_root_inside(@Payload RunningPayload payload) {
        // WHEN the signaling user tries to mount, with and without sudo
        CommandResult user = OpenSsh.ssh(payload, "mkdir -p ~/m; mount -t tmpfs x ~/m; echo \"plain=$?\";"
                + " sudo -n mount -t tmpfs x /mnt; echo \"sudo=$?\"; grep -c ' /mnt ' /proc/self/mounts");
        // AND root inside tries to mount and to create a block device
        CommandResult mount = payload.exec("mount", "-t", "tmpfs", "x", "/mnt");
        CommandResult mknod = payload.exec("mknod", "/root/sda", "b", "8", "0");
        CommandResult mounts = payload.exec("cat", "/proc/1/mounts");

        // THEN every attempt is refused and nothing is mounted
        assertThat(user.stdout()).as("stderr: %s", user.stderr()).doesNotContain("plain=0").doesNotContain("sudo=0")
                .endsWith("0\n");
        assertThat(mount.exitStatus()).as("mount as root inside: %s", mount.stderr()).isNotZero();
        assertThat(mount.stderr()).contains("permission denied");
        assertThat(mknod.exitStatus()).as("mknod as root inside").isNotZero();
        assertThat(mknod.stderr()).contains("Operation not permitted");
        assertThat(mounts.stdout()).contains(" /dev ").doesNotContain(" /mnt ");
    }

    @Test
    void dev_holds_only_harmless_character_devices_and_they_work(@Payload RunningPayload payload) {
        // WHEN the signaling user lists every device node in /dev and uses the everyday ones
        // (stat, not find -type: find trusts the directory entry, which is a plain file under a bind-mounted node)
        CommandResult nodes = OpenSsh.ssh(payload, "find /dev ! -type l -exec stat -c '%F %n' {} + | grep special | sort");
        CommandResult everyday = OpenSsh.ssh(payload,
                "echo gone > /dev/null && head -c 16 /dev/urandom | wc -c && head -c 4 /dev/zero | od -An -tx1");
        CommandResult rootWrites = payload.execShell("echo gone > /dev/null && head -c 8 /dev/random | wc -c");
        CommandResult dangerous = payload.execShell("for d in sda vda nvme0n1 loop0 loop-control mem kmem port kmsg"
                + " fuse kvm net/tun console; do [ -e /dev/$d ] && echo \"/dev/$d\"; done; true");

        // THEN there is no block device, only the harmless character devices, and they work for both
        assertThat(nodes.exitStatus()).as("stderr: %s", nodes.stderr()).isZero();
        Set<String> found = new TreeSet<>(Arrays.asList(nodes.stdout().strip().split("\n")));
        assertThat(found).noneMatch(line -> line.startsWith("block"));
        assertThat(found).allMatch(line -> line.matches(
                        "character special file /dev/(null|zero|full|random|urandom|tty|pts/ptmx|pts/\\d+)"),
                "only null, zero, full, random, urandom, tty and the instance's own ptys");
        assertThat(found).contains("character special file /dev/null", "character special file /dev/zero",
                "character special file /dev/urandom", "character special file /dev/tty");
        assertThat(everyday.exitStatus()).as("stderr: %s", everyday.stderr()).isZero();
        assertThat(everyday.stdout()).startsWith("16\n").contains("00 00 00 00");
        assertThat(rootWrites.exitStatus()).as("stderr: %s", rootWrites.stderr()).isZero();
        assertThat(rootWrites.stdout().strip()).isEqualTo("8");
        assertThat(dangerous.stdout()).isEmpty();
    }

    @Test
    void sudo_allows_the_stand_ins_with_the_bus_arguments_and_nothing_else(@Payload RunningPayload payload) {
        // WHEN the signaling user lists its sudo rules, asks for the bus's exact commands and for anything else
        CommandResult listing = OpenSsh.ssh(payload, "sudo -n -l");
        CommandResult busForms = OpenSsh.ssh(payload, "for c in 'date' 'date -s @1796000000' 'date +%s' 'timedatectl'"
                + " 'hwclock' 'shutdown' 'shutdown -h now' 'halt' 'poweroff'; do"
                + " sudo -n -l $c >/dev/null 2>&1 || echo \"refused: $c\"; done");
        CommandResult shadow = OpenSsh.ssh(payload, "sudo -n cat /etc/shadow");
        CommandResult shell = OpenSsh.ssh(payload, "sudo -n sh -c id; sudo -n -l cat; sudo -n -i true; echo \"last=$?\"");
        CommandResult dateReadsFile = OpenSsh.ssh(payload, "sudo -n date -f /etc/shadow; sudo -n date --fil=/etc/shadow");

        // THEN the listing holds exactly the stand-ins, passwordless, never ALL
        assertThat(listing.exitStatus()).as("stderr: %s", listing.stderr()).isZero();
        assertThat(commandsOf(listing.stdout())).isEqualTo(STAND_INS);
        assertThat(listing.stdout()).contains("(root) NOPASSWD:");
        // AND every form the bus runs is allowed
        assertThat(busForms.stdout()).as("stderr: %s", busForms.stderr()).isEmpty();
        // AND nothing else runs as root: no shadow file, no shell, and no stand-in reads a file for the user
        assertThat(shadow.exitStatus()).isNotZero();
        assertThat(shadow.stdout()).isEmpty();
        assertThat(shell.stdout()).doesNotContain("uid=0").endsWith("last=1\n");
        assertThat(dateReadsFile.stdout() + dateReadsFile.stderr()).doesNotContain("root:")
                .contains("-f is not allowed through sudo").contains("--fil is not allowed through sudo");
        assertThat(dateReadsFile.exitStatus()).isNotZero();
    }

    @Test
    void the_bus_clock_and_shutdown_commands_still_reach_the_stand_ins(@Payload RunningPayload openssh,
            @Payload(server = SshServerKind.DROPBEAR, shell = LoginShell.DASH) RunningPayload dropbear) {
        for (RunningPayload payload : List.of(openssh, dropbear)) {
            // WHEN the bus sets the clock to its own time and shuts the payload down, exactly as it writes them
            CommandResult bus = OpenSsh.ssh(payload, "sudo -n date -s \"@$(date +%s)\" && sudo -n shutdown -h now");

            // THEN both ran as root through the stand-ins, which recorded them
            assertThat(bus.exitStatus()).as("%s: %s", payload.server(), bus.stderr()).isZero();
            List<String> calls = payload.calls();
            assertThat(calls).hasSize(2);
            assertThat(calls.get(0)).matches("date -s @\\d{10}");
            assertThat(calls.get(1)).isEqualTo("shutdown -h now");
        }
    }

    @Test
    void a_symlink_planted_in_place_of_the_calls_log_does_not_make_calls_read_its_target(
            @Payload RunningPayload payload) throws Exception {
        // GIVEN a host file the instance cannot see (its /run is a tmpfs of its own), and one recorded call
        Path canary = Path.of("/run/sigkit-canary-" + UUID.randomUUID());
        String secret = "host secret " + UUID.randomUUID();
        Files.writeString(canary, secret + "\n", StandardCharsets.UTF_8);
        try {
            assertThat(OpenSsh.ssh(payload, "sudo -n date -s @1").exitStatus()).isZero();

            // WHEN root inside replaces the calls log with a symlink to that absolute host path
            CommandResult plant = payload.execShell("ln -sfn " + canary + " " + CALLS_LOG
                    + " 2>/dev/null || { mv /var/log /var/log.moved && mkdir /var/log && ln -s " + canary + " "
                    + CALLS_LOG + "; }; test -L " + CALLS_LOG);
            assertThat(plant.exitStatus()).as("the symlink is in place inside: %s", plant.stderr()).isZero();
            CommandResult after = OpenSsh.ssh(payload, "sudo -n date -s @2");

            // THEN calls still shows only what the stand-ins recorded through the host's file, never the target
            assertThat(payload.calls()).containsExactly("date -s @1").noneMatch(line -> line.contains(secret));
            // AND the stand-in writing through the symlink stayed inside the instance
            assertThat(after.exitStatus()).as("stderr: %s", after.stderr()).isZero();
            assertThat(Files.readString(canary, StandardCharsets.UTF_8)).isEqualTo(secret + "\n");
        } finally {
            Files.deleteIfExists(canary);
        }
    }

    @Test
    void exec_drops_the_capabilities_before_running_a_program_of_the_instance(@Payload RunningPayload payload) {
        // GIVEN root inside has replaced /usr/bin/env, the first program of the instance that exec runs
        CommandResult replace = payload.execShell("mv /usr/bin/env /usr/bin/env.real && printf '%s\\n' '#!/bin/sh'"
                + " 'grep CapBnd /proc/self/status > /root/env-caps' 'exec /usr/bin/env.real \"$@\"' > /usr/bin/env"
                + " && chmod 0755 /usr/bin/env");
        assertThat(replace.exitStatus()).as("stderr: %s", replace.stderr()).isZero();

        // WHEN exec runs a command
        CommandResult run = payload.exec("true");
        CommandResult caps = payload.exec("cat", "/root/env-caps");

        // THEN the replaced program ran with the instance's reduced bounding set, not with the host's capabilities
        assertThat(run.exitStatus()).as("stderr: %s", run.stderr()).isZero();
        assertThat(caps.stdout()).startsWith("CapBnd:");
        assertThat(heldOf(caps.stdout().strip())).isEmpty();
    }

    /** The dropped capabilities a {@code CapBnd:} line of /proc/PID/status still holds. */
    private static Set<String> heldOf(String line) {
        String hex = line.substring(line.indexOf("CapBnd:") + "CapBnd:".length()).strip();
        long bits = Long.parseUnsignedLong(hex, 16);
        return DROPPED.entrySet().stream().filter(e -> (bits >> e.getValue() & 1) == 1).map(Map.Entry::getKey)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** The commands of {@code sudo -l}'s rules: "(root) NOPASSWD: /a, /b" lines after "may run the following". */
    private static Set<String> commandsOf(String listing) {
        String rules = listing.substring(listing.indexOf("may run the following commands"));
        Set<String> commands = new TreeSet<>();
        for (String line : rules.split("\n")) {
            String l = line.strip();
            if (l.startsWith("(")) {
                String body = l.substring(l.indexOf(')') + 1).strip();
                body = body.replaceFirst("^([A-Z_]+:\\s*)+", "");
                for (String c : body.split(",")) {
                    commands.add(c.strip());
                }
            }
        }
        return commands;
    }
}
