package dev.modelreg.content;

import dev.modelreg.content.store.OciLayout;
import dev.modelreg.content.store.RegistryStore;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.modelreg.spec.OciReference;
import dev.modelreg.testkit.TokenRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The 401 -> bearer token flow against the real registry in token-auth mode. */
class TokenAuthTest {
    @TempDir Path tmp;

    @Test
    void pushAndPullWithTokens() throws Exception {
        try (TokenRegistry r = TokenRegistry.start(tmp.resolve("reg"))) {
            OciReference ref = OciReference.parse(r.host() + "/models/token");
            RegistryOptions opts = RegistryOptions.defaults().withCredentials(TokenRegistry.USER, r.password);
            Blobs.Artifact art = Blobs.artifact(41, 3);
            OciLayout src = OciLayout.open(tmp.resolve("src"));
            art.pushTo(src);
            src.tag(art.root(), "v1");

            RegistryStore store = RegistryStore.connect(ref, opts);
            CopyResult up = Copy.copy(src, "v1", store, "v1", CopyOptions.defaults());
            assertThat(up.blobsCopied()).isEqualTo(5);
            // tokens are cached per scope set: a handful of token requests for 5 blobs, not one per request
            System.out.println("TokenAuthTest: tokens for the push: " + r.tokensIssued.get() + ", store requests: " + store.requestCount());
            assertThat(r.tokensIssued.get()).isEqualTo(2); // one pull token, one pull+push token

            OciLayout back = OciLayout.open(tmp.resolve("back"));
            RegistryStore reader = RegistryStore.connect(ref, opts);
            long before = r.tokensIssued.get();
            Copy.copy(reader, "v1", back, "v1", CopyOptions.defaults());
            // one challenge, one token for the pull scope, then every request carries it: no 401 per request
            assertThat(r.tokensIssued.get() - before).isEqualTo(1);
            // 401, HEAD again, manifest, the referrers API (404 here) and the referrers tag (a HEAD): the referrers a
            // copy carries by default, blobs
            assertThat(reader.requestCount()).isEqualTo(1 + 1 + 1 + 2 + art.blobs().size());
            for (var e : art.blobs().entrySet()) {
                assertThat(Files.readAllBytes(back.blobPath(e.getKey().digest()))).isEqualTo(e.getValue());
            }

            RegistryStore wrong = RegistryStore.connect(OciReference.parse(r.host() + "/models/other"),
                    RegistryOptions.defaults().withCredentials(TokenRegistry.USER, "wrong"));
            assertThatThrownBy(() -> wrong.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageStartingWith("credentials for " + r.host() + " from the given user and password were rejected");
            assertThat(r.tokenRefusals.get()).isPositive();
            RegistryStore anonymous = RegistryStore.connect(ref, RegistryOptions.defaults());
            assertThatThrownBy(() -> anonymous.resolve("v1"))
                    .isInstanceOfSatisfying(ContentException.class, e -> assertThat(e.kind()).isEqualTo(ContentException.Kind.UNAUTHORIZED))
                    .hasMessageStartingWith("authentication required by " + r.host())
                    .hasMessageContaining("no credentials for " + r.host());
        }
    }
}
