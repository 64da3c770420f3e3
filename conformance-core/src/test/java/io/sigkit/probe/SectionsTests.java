package io.sigkit.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SectionsTests {

    @Test
    void sections_are_split_on_markers_and_missing_ones_read_empty() {
        Sections s = Sections.parse("junk\n@@sigkit:a\n1\n2\n\n@@sigkit:b\r\nx\r\n");
        assertThat(s.lines("a")).containsExactly("1", "2");
        assertThat(s.first("b")).isEqualTo("x");
        assertThat(s.lines("missing")).isEmpty();
        assertThat(s.first("missing")).isEmpty();
    }

    @Test
    void processes_are_matched_by_argument_vector_not_by_text() {
        List<RemoteProcess> ps = RemoteProcess.parseList(List.of(
                "10 /usr/bin/python3\u0001/usr/bin/payload_exec\u0001-u\u0001john\u0001-w\u00012100000007\u0001-t\u00011\u0001",
                "11 sh\u0001-c\u0001echo /usr/bin/payload_exec -w 2100000007\u0001",
                "12 /usr/bin/payload_exec\u0001-w\u000121000000070\u0001",
                "garbage"));
        assertThat(ps).hasSize(3);
        assertThat(ps.get(0).isPayloadExecFor(2100000007L)).isTrue();
        assertThat(ps.get(1).isPayloadExecFor(2100000007L)).as("a shell whose script mentions it").isFalse();
        assertThat(ps.get(2).isPayloadExecFor(2100000007L)).as("another window with a longer ID").isFalse();
        assertThat(ps.get(0).commandLine()).isEqualTo("/usr/bin/python3 /usr/bin/payload_exec -u john -w 2100000007 -t 1");
    }
}
