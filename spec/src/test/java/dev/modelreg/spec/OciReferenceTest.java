package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class OciReferenceTest {
    private static final String HEX = "a".repeat(64);

    @Test
    void parsesAllParts() {
        OciReference r = OciReference.parse("ghcr.io/org/models/mf6:v6.5.0@sha256:" + HEX);
        assertThat(r.registry()).isEqualTo("ghcr.io");
        assertThat(r.repository()).isEqualTo("org/models/mf6");
        assertThat(r.tag()).isEqualTo("v6.5.0");
        assertThat(r.digest()).isEqualTo(Digest.sha256(HEX));
        assertThat(r.reference()).isEqualTo("sha256:" + HEX);
        assertThat(r.name()).isEqualTo("ghcr.io/org/models/mf6");
    }

    @Test
    void portIsNotATag() {
        OciReference r = OciReference.parse("127.0.0.1:5000/models");
        assertThat(r.registry()).isEqualTo("127.0.0.1:5000");
        assertThat(r.repository()).isEqualTo("models");
        assertThat(r.tag()).isNull();
        assertThat(r.digest()).isNull();
        assertThat(r.reference()).isNull();
        OciReference t = OciReference.parse("localhost:5000/a/b:feature_2fx");
        assertThat(t.registry()).isEqualTo("localhost:5000");
        assertThat(t.tag()).isEqualTo("feature_2fx");
        assertThat(OciReference.parse("localhost/a").registry()).isEqualTo("localhost");
        assertThat(OciReference.parse("[::1]:5000/a:t").registry()).isEqualTo("[::1]:5000");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "ghcr.io/org/models",
        "ghcr.io/org/models:develop",
        "127.0.0.1:5000/a/b-c/d__e/f.g:_x",
        "registry.example.com:443/x@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "localhost/x:t@sha256:" + "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
    })
    void roundTrips(String text) {
        OciReference r = OciReference.parse(text);
        assertThat(r.toString()).isEqualTo(text);
        assertThat(OciReference.parse(r.toString())).isEqualTo(r);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "models",                       // no registry
        "org/models",                   // first part is not a registry
        "ghcr.io/Org/models",           // uppercase repository
        "ghcr.io/org//models",          // empty component
        "ghcr.io/org/models-",          // trailing separator
        "ghcr.io/org/models:",          // empty tag
        "ghcr.io/org/models:-x",        // tag starts with '-'
        "ghcr.io/org/models:a/b",       // '/' in tag -> repository part invalid
        "ghcr.io/org/models@sha256:abc", // short digest
        "ghcr.io/org/models@md5:abc",   // unsupported algorithm
        "ghcr.io/",                     // no repository
        "/models",
        "",
    })
    void rejectsWithOneLineNamingTheReference(String text) {
        assertThatThrownBy(() -> OciReference.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("invalid OCI reference '" + text + "'")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void tagLengthLimit() {
        assertThat(OciReference.parse("ghcr.io/a:" + "t".repeat(128)).tag()).hasSize(128);
        assertThatThrownBy(() -> OciReference.parse("ghcr.io/a:" + "t".repeat(129)))
                .hasMessageContaining("tag");
    }

    @Test
    void withers() {
        OciReference r = OciReference.parse("ghcr.io/a:t");
        assertThat(r.withTag("u").toString()).isEqualTo("ghcr.io/a:u");
        assertThat(r.withDigest(Digest.sha256(HEX)).toString()).isEqualTo("ghcr.io/a:t@sha256:" + HEX);
        assertThat(r.withRepository("b/c").toString()).isEqualTo("ghcr.io/b/c:t");
        assertThatThrownBy(() -> r.withTag("bad tag")).hasMessageContaining("ghcr.io/a:bad tag");
    }
}
