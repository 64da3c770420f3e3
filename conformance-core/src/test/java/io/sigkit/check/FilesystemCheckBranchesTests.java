package io.sigkit.check;

import static org.assertj.core.api.Assertions.assertThat;

import io.sigkit.probe.IncompleteOutputException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** SIG-FS-001..004 and -006 decided from canned facts: every FAIL and ERROR branch, without a payload. */
class FilesystemCheckBranchesTests {

    private static CannedPayload payload(java.util.function.UnaryOperator<CannedFacts> change) {
        return CannedPayload.conformant().facts(change);
    }

    // SIG-FS-001: /usr/bin/payload_exec exists and is a regular file

    @Test
    void SIG_FS_001_fails_when_payload_exec_is_missing() {
        // GIVEN stat fails on /usr/bin/payload_exec
        String error = "stat: cannot statx '/usr/bin/payload_exec': No such file or directory";
        RequirementResult r = payload(f -> f.put("payload-exec.lstat", error + "\n").put("payload-exec.stat", error + "\n")
                .put("payload-exec.realpath", "")).check("SIG-FS-001");
        // THEN it fails with what stat said, as the signaling user saw it
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-001] /usr/bin/payload_exec does not exist on " + CannedPayload.TARGET
                + " as seen by 'sigapi': " + error);
        assertThat(r.actual()).isEqualTo("missing");
    }

    @Test
    void SIG_FS_001_fails_when_payload_exec_is_a_dangling_link() {
        // GIVEN a link to a release whose upload never completed
        RequirementResult r = payload(f -> f.put("payload-exec.lstat", "symbolic link|777|root|root|30\n")
                .put("payload-exec.stat", "stat: cannot statx: No such file or directory\n")
                .put("payload-exec.realpath", "/opt/payload/1.5.0/payload_exec\n")).check("SIG-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("it is a symbolic link to /opt/payload/1.5.0/payload_exec, which does not exist");
    }

    @Test
    void SIG_FS_001_fails_when_payload_exec_is_a_directory() {
        RequirementResult r = payload(f -> f.put("payload-exec.lstat", "directory|755|root|root|4096\n")
                .put("payload-exec.stat", "directory|755|root|root|4096\n")).check("SIG-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("is a directory, not a regular file");
        assertThat(r.actual()).isEqualTo("directory");
    }

    @Test
    void SIG_FS_001_is_error_when_the_facts_probe_timed_out() {
        RequirementResult r = CannedPayload.conformant()
                .factsFail(new IncompleteOutputException("the facts probe: no complete answer within the kit's timeout"))
                .check("SIG-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
    }

    @Test
    void SIG_FS_001_passes_through_a_link_and_records_the_typed_facts() {
        RequirementResult r = payload(f -> f.put("payload-exec.lstat", "symbolic link|777|root|root|30\n")
                .put("payload-exec.realpath", "/opt/payload/1.4.2/payload_exec\n")).check("SIG-FS-001");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("via link to /opt/payload/1.4.2/payload_exec");
        assertThat(r.evidence()).containsEntry("linkTarget", "/opt/payload/1.4.2/payload_exec");
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) r.evidence().get("facts");
        assertThat(facts).containsEntry("id", "payload-exec").containsEntry("path", "/usr/bin/payload_exec")
                .containsEntry("exists", true).containsEntry("sha256", CannedFacts.SHA);
    }

    // SIG-FS-002: the signaling user can execute it

    @Test
    void SIG_FS_002_fails_when_the_user_cannot_execute_it() {
        // GIVEN mode 0644: copied into the image without its execute bit
        RequirementResult r = payload(f -> f.put("payload-exec.access", "r\n")
                .put("payload-exec.stat", "regular file|644|root|root|2048\n")).check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-002] 'sigapi' cannot execute /usr/bin/payload_exec on "
                + CannedPayload.TARGET + " (test -x failed; mode 0644 root:root)");
    }

    @Test
    void SIG_FS_002_fails_when_the_shebang_ends_in_CR() {
        // GIVEN a script saved with Windows line ends
        RequirementResult r = payload(f -> f.put("payload-exec.head", "#!/usr/bin/python3\r\nimport sys\r\n"))
                .check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("ends in a carriage return ('#!/usr/bin/python3\\r')");
        assertThat(r.expected()).isEqualTo("a #! line without \\r");
    }

    @Test
    void SIG_FS_002_fails_when_the_interpreter_does_not_exist() {
        RequirementResult r = payload(f -> f.put("payload-exec.head", "#!/usr/bin/python3.11\nimport sys\n")
                .put("payload-exec.interpreter", "/usr/bin/python3.11\n").put("payload-exec.interpreter-ok", "no\n"))
                .check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("the interpreter of /usr/bin/payload_exec ('/usr/bin/python3.11'")
                .contains("does not exist or is not executable");
        assertThat(r.actual()).isEqualTo("/usr/bin/python3.11 missing");
    }

    @Test
    void SIG_FS_002_fails_when_the_env_target_is_not_on_the_path() {
        RequirementResult r = payload(f -> f.put("payload-exec.head", "#!/usr/bin/env python3.12\nimport sys\n")
                .put("payload-exec.interpreter", "/usr/bin/env\n").put("payload-exec.env-target", "python3.12 \n"))
                .check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("runs 'python3.12' through env").contains("is not on the PATH of 'sigapi'");
    }

    @Test
    void SIG_FS_002_fails_when_the_shebang_line_is_longer_than_the_kernel_reads() {
        String interpreter = "/opt/" + "p".repeat(300) + "/python3";
        RequirementResult r = payload(f -> f.put("payload-exec.head", "#!" + interpreter + "\n")
                .put("payload-exec.interpreter", interpreter + "\n")).check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("BINPRM_BUF_SIZE").contains("ENOEXEC");
    }

    @Test
    void SIG_FS_002_passes_for_a_binary_without_a_shebang() {
        RequirementResult r = payload(f -> f.put("payload-exec.head", new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0})
                .put("payload-exec.interpreter", "").put("payload-exec.interpreter-ok", "none\n")).check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("does not start with #!");
    }

    @Test
    void SIG_FS_002_passes_when_env_finds_the_interpreter() {
        RequirementResult r = payload(f -> f.put("payload-exec.head", "#!/usr/bin/env python3\nimport sys\n")
                .put("payload-exec.interpreter", "/usr/bin/env\n")
                .put("payload-exec.env-target", "python3 /usr/bin/python3\n")).check("SIG-FS-002");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("(python3 → /usr/bin/python3 on the PATH)");
    }

    // SIG-FS-003 / SIG-FS-004: the /signaling directories are writable by the signaling user

    @Test
    void SIG_FS_003_fails_when_the_inbox_does_not_exist() {
        String error = "stat: cannot statx '/signaling/inbox': No such file or directory";
        RequirementResult r = payload(f -> f.put("inbox.lstat", error + "\n").put("inbox.stat", error + "\n")
                .put("inbox.write", "denied sh: can't create /signaling/inbox/sigkit-probe-1: nonexistent directory\n"))
                .check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-003] /signaling/inbox/ does not exist on " + CannedPayload.TARGET
                + " (" + error + ")");
    }

    @Test
    void SIG_FS_003_fails_when_the_inbox_is_a_file() {
        RequirementResult r = payload(f -> f.put("inbox.stat", "regular empty file|644|root|root|0\n")).check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("is a regular empty file, not a directory");
    }

    @Test
    void SIG_FS_003_fails_when_creating_an_entry_is_denied() {
        // GIVEN an inbox owned by root, mode 0755: the signaling user cannot create entries
        RequirementResult r = payload(f -> f.put("inbox.stat", "directory|755|root|root|4096\n")
                .put("inbox.write", "denied bash: /signaling/inbox/sigkit-probe-1: Permission denied\n"))
                .check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-003] 'sigapi' cannot write /signaling/inbox/ on " + CannedPayload.TARGET
                + " (0755 root:root, mount rw,relatime): creating an entry failed: bash: /signaling/inbox/sigkit-probe-1:"
                + " Permission denied");
        assertThat(r.actual()).isEqualTo("denied bash: /signaling/inbox/sigkit-probe-1: Permission denied");
    }

    @Test
    void SIG_FS_003_fails_when_the_probe_entry_cannot_be_removed() {
        RequirementResult r = payload(f -> f.put("inbox.write", "left\n")).check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("the probe entry could not be removed");
    }

    @Test
    void SIG_FS_003_fails_when_the_entry_reads_back_differently() {
        RequirementResult r = payload(f -> f.put("inbox.write", "readback cat: permission denied\n")).check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("reading the probe back gave: readback cat: permission denied");
    }

    @Test
    void SIG_FS_003_fails_when_the_probe_said_nothing_the_kit_knows() {
        RequirementResult r = payload(f -> f.remove("inbox.write")).check("SIG-FS-003");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
    }

    @Test
    void SIG_FS_004_fails_on_a_read_only_mount() {
        // GIVEN /signaling/window_configs on a file system mounted read-only: mode bits alone would say writable
        RequirementResult r = payload(f -> f.put("window-configs.mount", "ro,relatime\n")
                .put("window-configs.write", "denied bash: /signaling/window_configs/sigkit-probe-1: Read-only file system\n"))
                .check("SIG-FS-004");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-004] 'sigapi' cannot write /signaling/window_configs/")
                .contains("mount ro,relatime").contains("Read-only file system");
    }

    @Test
    void SIG_FS_004_fails_when_window_configs_is_missing() {
        RequirementResult r = payload(f -> f.put("window-configs.stat", "stat: No such file or directory\n"))
                .check("SIG-FS-004");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.actual()).isEqualTo("missing");
    }

    @Test
    void SIG_FS_004_passes_and_records_the_typed_create_probe() {
        RequirementResult r = CannedPayload.conformant().check("SIG-FS-004");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        @SuppressWarnings("unchecked")
        Map<String, Object> facts = (Map<String, Object>) r.evidence().get("facts");
        assertThat(facts.get("createEntry")).isEqualTo(Map.of("result", "ok", "detail", ""));
    }

    // SIG-FS-006: not writable by other users

    @Test
    void SIG_FS_006_fails_when_payload_exec_is_world_writable() {
        RequirementResult r = payload(f -> f.put("payload-exec.stat", "regular file|777|root|root|2048\n"))
                .check("SIG-FS-006");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).startsWith("[SIG-FS-006] /usr/bin/payload_exec is world-writable (0777)")
                .contains("another account on the payload could replace what the bus runs or reads");
    }

    @Test
    void SIG_FS_006_fails_when_a_directory_is_writable_by_another_group() {
        RequirementResult r = payload(f -> f.put("inbox.stat", "directory|775|root|staff|4096\n")).check("SIG-FS-006");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("/signaling/inbox is writable by group 'staff' (0775)");
    }

    @Test
    void SIG_FS_006_fails_when_payload_exec_belongs_to_a_third_account() {
        RequirementResult r = payload(f -> f.put("payload-exec.stat", "regular file|755|builder|builder|2048\n"))
                .check("SIG-FS-006");
        assertThat(r.outcome()).isEqualTo(Outcome.FAIL);
        assertThat(r.message()).contains("is owned by 'builder', neither root nor the signaling user");
    }

    @Test
    void SIG_FS_006_is_error_when_no_mode_could_be_read() {
        CannedPayload payload = payload(f -> {
            for (String id : List.of("payload-exec", "signaling", "inbox", "window-configs")) {
                f.remove(id + ".stat");
            }
            return f;
        });
        RequirementResult r = payload.check("SIG-FS-006");
        assertThat(r.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(r.message()).contains("no mode bits could be read");
    }

    @Test
    void SIG_FS_006_passes_when_only_owners_may_write() {
        RequirementResult r = CannedPayload.conformant().check("SIG-FS-006");
        assertThat(r.outcome()).isEqualTo(Outcome.PASS);
        assertThat(r.message()).contains("/usr/bin/payload_exec 0755 root:root").contains("/signaling/window_configs 0775 root:sigapi");
    }
}
