package dev.modelreg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The digest grammar: sha256 (64) or sha512 (128) lowercase hex, checked at each edge of the two hex ranges. */
class DigestTest {
    @Test
    void lowercaseHexOfTheAlgorithmsLength() {
        assertThat(Digest.parse("sha256:" + "0123456789abcdef".repeat(4)).hex()).hasSize(64);
        assertThat(Digest.parse("sha512:" + "f0".repeat(64)).algorithm()).isEqualTo(Digest.SHA512);
        assertThat(Digest.parseLenient("9a".repeat(32))).isEqualTo(Digest.sha256("9a".repeat(32)));
        assertThat(Digest.sha256Of(new byte[0]).hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void everyCharacterJustOutsideTheHexRangesIsRefused() {
        // '/' and ':' border 0-9, '`' and 'g' border a-f; upper case, space and non-ASCII are not hex either
        for (char c : new char[] {'/', ':', '`', 'g', 'A', 'F', ' ', 'é'}) {
            String hex = "a".repeat(63) + c;
            assertThatThrownBy(() -> Digest.sha256(hex)).as("%s", c).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("want 64 lowercase hex characters");
            assertThat(Digest.isDigest("sha256:" + c + "0".repeat(63))).as("%s first", c).isFalse();
        }
    }

    @Test
    void equalByAlgorithmAndHex() {
        Digest a = Digest.sha256("ab".repeat(32));
        assertThat(a).isEqualTo(Digest.parse("sha256:" + "ab".repeat(32))).hasSameHashCodeAs(Digest.parse(a.toString()));
        assertThat(a).isNotEqualTo(Digest.sha256("ab".repeat(31) + "ac")).isNotEqualTo(a.toString()).isNotEqualTo(null);
        assertThat(Digest.parse("sha512:" + "ab".repeat(64))).isNotEqualTo(Digest.parse("sha512:" + "ab".repeat(63) + "ac"));
        assertThat(java.util.Set.of(a, Digest.sha256("cd".repeat(32)))).contains(Digest.parse(a.toString()));
    }

    @Test
    void wrongLengthOrAlgorithmIsRefused() {
        assertThatThrownBy(() -> Digest.sha256("ab".repeat(31))).hasMessageContaining("want 64");
        assertThatThrownBy(() -> Digest.parse("sha512:" + "ab".repeat(32))).hasMessageContaining("want 128");
        assertThatThrownBy(() -> Digest.parse("md5:" + "ab".repeat(16))).hasMessageContaining("unsupported digest algorithm 'md5'");
        assertThatThrownBy(() -> Digest.parse("ab".repeat(32))).hasMessageContaining("want ALGORITHM:HEX");
    }
}
