package dev.modelreg.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.OciReference;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 401 -> bearer token flow (oras' HttpClient) against the real registry in token-auth mode. */
class TokenAuthTest {
    @TempDir Path tmp;

    @Test
    void pushAndPullWithTokens() throws Exception {
        try (TokenRegistry r = TokenRegistry.start(tmp.resolve("reg"))) {
            OciReference ref = OciReference.parse(r.host() + "/models/token");
            RegistryOptions opts = RegistryOptions.defaults().withCredentials(TokenRegistry.USER, TokenRegistry.PASSWORD);
            Blobs.Artifact art = Blobs.artifact(41, 3);
            OciLayout src = OciLayout.open(tmp.resolve("src"));
            art.pushTo(src);
            src.tag(art.root(), "v1");

            RegistryStore store = RegistryStore.connect(ref, opts);
            CopyResult up = Copy.copy(src, "v1", store, "v1", CopyOptions.defaults());
            assertThat(up.blobsCopied()).isEqualTo(5);
            // oras caches tokens per scope set: a handful of token requests for 5 blobs, not one per request
            System.out.println("TokenAuthTest: tokens for the push: " + r.tokensIssued.get() + ", store requests: " + store.requestCount());
            assertThat(r.tokensIssued.get()).isEqualTo(2); // one pull token, one pull+push token

            OciLayout back = OciLayout.open(tmp.resolve("back"));
            RegistryStore reader = RegistryStore.connect(ref, opts);
            Copy.copy(reader, "v1", back, "v1", CopyOptions.defaults());
            // blobs come over the direct path with oras' cached bearer token, never a 401 and a second try
            assertThat(reader.directStats()).containsExactly((long) art.blobs().size(), 0L);
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }

            RegistryStore wrong = RegistryStore.connect(OciReference.parse(r.host() + "/models/other"),
                    RegistryOptions.defaults().withCredentials(TokenRegistry.USER, "wrong"));
            assertThatThrownBy(() -> wrong.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessage("authentication failed for " + r.host());
            assertThat(r.tokenRefusals.get()).isPositive();
            // (another repository: oras 0.7.0 caches tokens JVM-wide by repository and scope, not by credentials, so an
            // anonymous store in this JVM would reuse the token fetched above for models/token)
            RegistryStore anonymous = RegistryStore.connect(OciReference.parse(r.host() + "/models/anon"), RegistryOptions.defaults());
            assertThatThrownBy(() -> anonymous.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessage("authentication failed for " + r.host());
        }
    }
}
