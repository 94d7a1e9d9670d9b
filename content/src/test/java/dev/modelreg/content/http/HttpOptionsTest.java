package dev.modelreg.content.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** HttpOptions' written-out equals/hashCode: one transport per equal options, and every component counts. */
class HttpOptionsTest {
    @Test
    void equalOptionsShareOneTransportAndEveryComponentTells() {
        HttpOptions d = HttpOptions.defaults();
        assertThat(HttpOptions.fromEnvironment(java.util.Map.of())).isEqualTo(d).hasSameHashCodeAs(d);
        assertThat(HttpTransport.of(HttpOptions.defaults())).isSameAs(HttpTransport.of(d));
        List<HttpOptions> each = List.of(d.withCaFile(Path.of("ca.pem")), d.withConnectTimeout(Duration.ofSeconds(1)),
                d.withRequestTimeout(Duration.ofSeconds(1)), d.withStallTimeout(Duration.ofSeconds(1)), d.withRetries(0),
                d.withMaxRetryAfter(Duration.ofSeconds(1)));
        for (HttpOptions o : each) {
            assertThat(o).as("%s", o).isNotEqualTo(d);
            assertThat(o).isEqualTo(new HttpOptions(o.caFile(), o.connectTimeout(), o.requestTimeout(), o.stallTimeout(),
                    o.retries(), o.maxRetryAfter())).hasSameHashCodeAs(new HttpOptions(o.caFile(), o.connectTimeout(),
                    o.requestTimeout(), o.stallTimeout(), o.retries(), o.maxRetryAfter()));
            assertThat(HttpTransport.of(o)).isNotSameAs(HttpTransport.of(d));
        }
        assertThat(d).isNotEqualTo(null).isNotEqualTo("defaults");
    }
}
