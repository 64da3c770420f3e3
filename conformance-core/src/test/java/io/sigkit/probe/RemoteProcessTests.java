package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RemoteProcessTests {
    private static final String NONCE = "0123456789abcdef0123456789abcdef";
    private static final String STAT_REST = "S 1 41 41 0 -1 4194560 120 0 0 0 1 0 0 0 20 0 1 0 123456 1000 100";

    @Test
    void a_process_that_ended_before_its_status_was_read_is_listed_with_an_unknown_uid() {
        // GIVEN two records: one whole, one whose status was gone (empty uid field) — a short-lived process
        String listing = "\n@" + NONCE + "\n42 1000 " + STAT_REST + "\n/usr/bin/payload_exec\0-w\0007\0"
                + "\n@" + NONCE + "\n43  " + STAT_REST + "\n";
        // WHEN the listing is parsed
        List<RemoteProcess> ps = RemoteProcess.parseListing(listing.getBytes(StandardCharsets.ISO_8859_1), NONCE);
        // THEN both are there: the second with uid -1, not an error that would fail the run's start checks
        assertThat(ps).hasSize(2);
        assertThat(ps.get(0).pid()).isEqualTo(42);
        assertThat(ps.get(0).argv()).containsExactly("/usr/bin/payload_exec", "-w", "7");
        assertThat(ps.get(1).pid()).isEqualTo(43);
        assertThat(ps.get(1).uid()).isEqualTo(-1);
    }
}
