package io.sigkit.cleanup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An owner record read back from the payload is untrusted: only the kit's exact shapes are accepted. */
class RunRecordTests {
    static final String RUN = "0123456789abcdef";

    static RunRecord sample() {
        return new RunRecord(RUN, 60, List.of(2100000001L, 9000000000000000005L),
                List.of("/signaling/window_configs/2100000001.json", "/signaling/inbox/sigkit/sigkit-uplink-" + RUN + ".txt"),
                List.of("/signaling/inbox/sigkit"));
    }

    @Test
    void a_record_reads_back_as_written() {
        RunRecord r = sample();
        assertThat(RunRecord.parse("/tmp/sigkit-" + RUN, r.render().getBytes(StandardCharsets.UTF_8))).contains(r);
        assertThat(r.scratch()).isEqualTo("/tmp/sigkit-" + RUN);
    }

    @Test
    void a_record_in_another_runs_directory_is_refused() {
        assertThat(RunRecord.parse("/tmp/sigkit-ffffffffffffffff", sample().render().getBytes(StandardCharsets.UTF_8)))
                .isEmpty();
    }

    @Test
    void paths_outside_the_kits_shapes_make_the_whole_record_invalid() {
        for (String bad : List.of("path /home/sigapi/precious", "path /signaling/window_configs/1304893.json",
                "path /signaling/inbox/sigkit/../../etc/passwd", "path /signaling/inbox/sigkit/sigkit-other-run.txt",
                "dir /home/sigapi", "dir /signaling/inbox/../tmp", "window 1304893", "window x", "lease -1", "rm -rf /")) {
            String text = sample().render() + bad + "\n";
            assertThat(RunRecord.parse("/tmp/sigkit-" + RUN, text.getBytes(StandardCharsets.UTF_8))).as(bad).isEmpty();
        }
    }

    @Test
    void the_kit_never_writes_a_record_it_would_refuse_to_read() {
        assertThatThrownBy(() -> new RunRecord(RUN, 60, List.of(2100000001L), List.of("/etc/passwd"), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("/etc/passwd");
        assertThatThrownBy(() -> RunRecord.directoryLine("/home/sigapi")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RunRecord("abc", 60, List.of(), List.of(), List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
